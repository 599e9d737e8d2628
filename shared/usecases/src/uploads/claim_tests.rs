//! Content-hash claims (M7) left behind, and the same bytes as an image
//! being deleted.

use printvault_domain::ids::CustomerId;
use printvault_domain::image::ImageStatus;
use printvault_domain::upload::Outcome;

use super::fakes::Fake;
use super::tests::{photo, run, uploaded};
use super::Finalisation;

#[tokio::test]
async fn a_claim_left_by_an_upload_that_never_became_ready_is_taken_over() {
    // Deleted while pending, after it claimed the hash in a delivery that
    // crashed; or rejected or a duplicate after such a claim.
    for gone in ["deleted", "rejected", "duplicate", "record gone"] {
        let fake = Fake::default();
        let owner = CustomerId::generate();
        let first = uploaded(&fake, &owner, photo(10));
        fake.with(|w| w.crash_at = Some("store"));
        run(&fake, &first).await.unwrap_err();
        fake.with(|w| match gone {
            "deleted" => w.images.get_mut(&first.id).unwrap().deleting = true,
            "rejected" => w.images.get_mut(&first.id).unwrap().status = ImageStatus::Rejected,
            "duplicate" => w.images.get_mut(&first.id).unwrap().status = ImageStatus::Duplicate,
            _ => drop(w.images.remove(&first.id)),
        });
        let again = uploaded(&fake, &owner, photo(10));
        let done = run(&fake, &again).await.unwrap();
        assert!(
            matches!(done, Finalisation::Settled(Outcome::Ready { .. })),
            "{gone}: {done:?}"
        );
    }
}

#[tokio::test]
async fn the_same_bytes_as_a_ready_image_being_deleted_wait_for_the_deletion() {
    let fake = Fake::default();
    let owner = CustomerId::generate();
    let first = uploaded(&fake, &owner, photo(11));
    run(&fake, &first).await.unwrap();
    fake.with(|w| w.images.get_mut(&first.id).unwrap().deleting = true);
    let second = uploaded(&fake, &owner, photo(11));
    // Its deletion may be taken back: not a duplicate of it, nor its bytes'
    // new holder, yet. The message is retried.
    assert!(matches!(
        run(&fake, &second).await,
        Err(printvault_domain::Error::Conflict(_))
    ));
    fake.with(|w| {
        assert_eq!(w.images[&second.id].status, ImageStatus::Pending);
        assert_eq!(w.hashes.values().collect::<Vec<_>>(), [&first.id]);
    });
}

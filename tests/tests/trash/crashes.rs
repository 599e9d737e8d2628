//! Trashings a crash cut short, finished by whoever meets them next.

use super::*;

/// A trashing cut short after its mark (before its tidy noted the albums)
/// is finished by the restore, which then puts the image back in them.
#[tokio::test]
async fn a_restore_after_a_trashing_cut_short_finishes_it_and_brings_the_albums_back() {
    let env = TestEnv::start().await;
    let (ann, bob) = (env.new_customer().await, env.new_customer().await);
    let (photo, album, _) = shared_photo(&env, &ann, &bob, 9701).await;
    let t = printvault_domain::trash::Trashed::new(
        env.stack.api_state.now(),
        30,
        printvault_domain::trash::TrashedBy::Owner,
        Vec::new(),
    );
    let marked = env
        .stack
        .api_state
        .stores
        .images
        .trash_now(&ann.customer_id(), &image_id(&photo), &t)
        .await
        .unwrap();
    assert!(marked.is_some());
    assert!(env.album_images(&ann, &album).await.is_empty(), "hidden at once");
    let (s, b) = env
        .post(&format!("/v1/trash/{photo}/restore"), &ann, NO_BODY)
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    assert_eq!(env.album_images(&ann, &album).await, std::slice::from_ref(&photo));
    assert_eq!(
        env.search_ids("q=kinkaku-ji", &ann).await,
        std::slice::from_ref(&photo)
    );
    assert_eq!(
        env.get_status(&format!("/v1/images/{photo}"), &bob).await,
        StatusCode::NOT_FOUND,
        "its grant is revoked"
    );
}

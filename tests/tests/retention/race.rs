//! A deletion (to the trash) lands only on the record it was decided on:
//! the sweep reads the eventually consistent `due` index, and an owner may
//! select or edit the image before the deletion. The trash mark is
//! conditional on the revision and schedule read, and carries the audit
//! entry with it.

use super::*;
use printvault_domain::retention::Cause;
use printvault_domain::retention::DeletionAudit;
use printvault_domain::trash::{Trashed, TrashedBy};
use serde_json::json;

/// The trashing the sweep of day `d` would make.
fn trashing(d: &str) -> Trashed {
    Trashed::new(
        local_runner::schedule::day_time(d).unwrap(),
        30,
        TrashedBy::Retention,
        vec![],
    )
}

async fn sweep_trash(env: &TestEnv, day: &str) -> sweeps::Report {
    env.stack
        .sweep(Sweep::Trash, local_runner::schedule::day_time(day).unwrap())
        .await
        .expect("the trash sweep runs")
}

/// The audit entries in `who`'s partition.
async fn audits(env: &TestEnv, who: &Customer) -> Vec<printvault_adapters::dynamo::Item> {
    use aws_sdk_dynamodb::types::AttributeValue;
    env.stack
        .clients
        .dynamodb
        .query()
        .table_name(&env.stack.resources.names.images_table)
        .key_condition_expression("pk = :pk AND begins_with(sk, :a)")
        .expression_attribute_values(":pk", AttributeValue::S(format!("CUST#{}", who.id)))
        .expression_attribute_values(":a", AttributeValue::S("AUDIT#".into()))
        .consistent_read(true)
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default()
}

/// Ann's photo, warned of at 90 days with the warning delivered: due for
/// deletion on day 120. Returns it, its upload day, and the record as the
/// sweep reads it that day, with the audit entry its deletion would leave.
async fn due_for_deletion(env: &TestEnv, ann: &Customer, seed: u64) -> (String, Date, Image, DeletionAudit) {
    let photo = env.ready_image(ann, seed).await;
    let u = uploaded(env, ann, &photo).await;
    assert_eq!(sweep(env, &day(u, 90)).await.get("warned"), 1);
    warning_becomes(env, ann, &photo, Delivery::Delivered).await;
    let read = record(env, ann, &photo).await.expect("the image");
    let schedule = read.retention.clone().expect("a schedule");
    assert_eq!((schedule.step, schedule.on), (Step::Delete, date(u, 120)));
    let audit = DeletionAudit {
        cause: Cause::StoragePeriod,
        warning: schedule.notice_id.clone().expect("its warning"),
        at: format!("{}T00:05:00Z", day(u, 120)).parse().unwrap(),
    };
    (photo, u, read, audit)
}

#[tokio::test]
async fn an_image_selected_after_the_sweeps_read_is_not_deleted_and_leaves_no_audit() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (photo, u, read, audit) = due_for_deletion(&env, &ann, 4501).await;
    // The owner selects it after the sweep's read, before its deletion.
    let (s, b) = env
        .patch(&format!("/v1/images/{photo}"), &ann, json!({"selected": true}))
        .await;
    assert_eq!(s, StatusCode::OK, "{b}");
    // The deletion's mark, from the stale read: refused, nothing written.
    let images = &env.stack.api_state.stores.images;
    let t = trashing(&day(u, 120));
    assert!(!images.mark_trashed(&read, &t, &audit).await.unwrap());
    let kept = record(&env, &ann, &photo).await.expect("still there");
    assert!(kept.selected && kept.trashed.is_none(), "{kept:?}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
    assert!(!env.keys_of(&photo).await.is_empty(), "its objects stay");
    assert!(audits(&env, &ann).await.is_empty());
    // The day's sweep decides on what is there now: kept for good.
    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!((r.get("deleted"), r.get("kept")), (0, 1), "{r:?}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
    assert!(audits(&env, &ann).await.is_empty());
}

#[tokio::test]
async fn the_audit_entry_comes_with_the_trash_mark_once_and_the_trash_sweep_finishes_the_trashing() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (photo, u, read, audit) = due_for_deletion(&env, &ann, 4502).await;
    // A run that marked the image and stopped there (a crash): the audit
    // entry is written already, the image not yet tidied.
    let images = &env.stack.api_state.stores.images;
    let t = trashing(&day(u, 120));
    assert!(images.mark_trashed(&read, &t, &audit).await.unwrap());
    let entries = audits(&env, &ann).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["image_id"].as_s().unwrap(), &photo);
    assert_eq!(entries[0]["warning"].as_s().unwrap(), &audit.warning);
    let marked = record(&env, &ann, &photo).await.expect("not removed");
    assert!(marked.trashed.is_some_and(|t| !t.tidy), "untidy");
    assert_eq!(
        status_of(&env, &ann, &photo).await,
        StatusCode::NOT_FOUND,
        "hidden at once"
    );
    // Marking again writes nothing: one audit entry, whatever is retried.
    assert!(!images.mark_trashed(&read, &t, &audit).await.unwrap());
    assert_eq!(audits(&env, &ann).await.len(), 1);
    // The retention sweep has nothing left to do; the trash sweep tidies.
    assert!(sweep(&env, &day(u, 120)).await.counts.is_empty());
    let r = sweep_trash(&env, &day(u, 120)).await;
    assert_eq!((r.get("tidied"), r.get("purged")), (1, 0), "{r:?}");
    assert!(record(&env, &ann, &photo)
        .await
        .expect("in the trash")
        .trashed
        .is_some_and(|t| t.tidy));
    assert!(
        !env.keys_of(&photo).await.is_empty(),
        "its objects stay, restorable"
    );
    assert!(sweep_trash(&env, &day(u, 120)).await.counts.is_empty());
    // Purged on the 31st day after, through the one delete.
    assert!(sweep_trash(&env, &day(u, 150)).await.counts.is_empty());
    assert_eq!(sweep_trash(&env, &day(u, 151)).await.get("purged"), 1);
    assert!(record(&env, &ann, &photo).await.is_none());
    assert!(env.keys_of(&photo).await.is_empty(), "its objects went too");
    assert_eq!(audits(&env, &ann).await.len(), 1);
    assert!(sweep_trash(&env, &day(u, 151)).await.counts.is_empty());
}

#[tokio::test]
async fn a_print_reported_after_the_sweeps_count_takes_the_deletion_back() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (photo, u, read, audit) = due_for_deletion(&env, &ann, 4503).await;
    let stores = &env.stack.api_state.stores;
    // A lab reports the photo printed after the sweep counted its prints
    // (none) and before the deletion's mark: a print moves no revision,
    // so the mark holds; the count taken again after it does not.
    let printed = || async {
        super::prints::printed(&env, &ann, &photo, &day(u, 110), 1).await;
        let since = date(u, 90);
        Ok(stores.images.prints_since(&read.owner, &read.id, since).await? == 0)
    };
    let now = local_runner::schedule::day_time(&day(u, 120)).unwrap();
    let deleted = printvault_usecases::images::trash_unchanged(stores, &read, &audit, now, 30, printed)
        .await
        .unwrap();
    assert!(!deleted, "the print came before the mark");
    let kept = record(&env, &ann, &photo).await.expect("still there");
    assert!(kept.trashed.is_none(), "the mark was taken back: {kept:?}");
    assert_eq!(kept.retention, read.retention, "its schedule as it was");
    assert!(audits(&env, &ann).await.is_empty(), "and its audit entry");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
    assert!(!env.keys_of(&photo).await.is_empty(), "its objects stay");
    // The day's sweep counts the print: the photo is not deleted.
    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!(r.get("deleted"), 0, "{r:?}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
}

/// What the deletion of an image nobody acted on (deletion.rs) leaves for
/// operators, which neither the api nor an email shows: one audit entry
/// saying what went, why (the storage period, M26) and after which
/// warning (the one delivered), dated by the run that deleted it.
#[tokio::test]
async fn a_sweeps_deletion_leaves_one_audit_entry_of_its_cause_and_warning() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (photo, u, _, audit) = due_for_deletion(&env, &ann, 4504).await;
    assert!(audits(&env, &ann).await.is_empty(), "none before the deletion");
    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!(r.get("deleted"), 1, "{r:?}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::NOT_FOUND);
    let entries = audits(&env, &ann).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    let entry = &entries[0];
    assert_eq!(entry["image_id"].as_s().unwrap(), &photo, "{entry:?}");
    assert_eq!(entry["action"].as_s().unwrap(), "trashed", "{entry:?}");
    assert_eq!(entry["cause"].as_s().unwrap(), "storage_period", "{entry:?}");
    assert_eq!(entry["warning"].as_s().unwrap(), &audit.warning, "{entry:?}");
    assert!(audit.warning.starts_with("retention:"), "{audit:?}");
    assert_eq!(entry["at"].as_s().unwrap(), &audit.at.to_string(), "{entry:?}");
    // The same day again deletes nothing and writes no second entry.
    assert!(sweep(&env, &day(u, 120)).await.counts.is_empty());
    assert_eq!(audits(&env, &ann).await.len(), 1);
}

/// A photo the sweep deleted (to the trash) comes back when its owner asks:
/// in the gallery again, its audit entry saying it was restored, its
/// retention starting again that day; a later deletion of it is audited
/// afresh in the same entry.
#[tokio::test]
async fn a_retention_deletion_is_restored_by_its_owner_and_can_be_deleted_again_later() {
    let env = TestEnv::start().await;
    let ann = env.new_customer().await;
    let (photo, u, _, _) = due_for_deletion(&env, &ann, 4505).await;
    let r = sweep(&env, &day(u, 120)).await;
    assert_eq!(r.get("deleted"), 1, "{r:?}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::NOT_FOUND);
    let (s, back) = env
        .post(
            &format!("/v1/trash/{photo}/restore"),
            &ann,
            integration_tests::NO_BODY,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{back}");
    assert_eq!(status_of(&env, &ann, &photo).await, StatusCode::OK);
    let entries = audits(&env, &ann).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(entries[0]["action"].as_s().unwrap(), "restored", "{entries:?}");
    assert!(entries[0].contains_key("restored_at"), "{entries:?}");
    // Its retention starts again from the restore's day (the api's clock).
    let restored = record(&env, &ann, &photo).await.expect("back");
    let today = env.stack.api_state.now().date();
    let schedule = restored.retention.expect("scheduled again");
    assert_eq!(
        (schedule.step, schedule.on),
        (Step::Review, today),
        "{schedule:?}"
    );
    assert!(restored.trashed.is_none());
    // The trash sweep has nothing of it to purge.
    let r = env
        .stack
        .sweep(
            Sweep::Trash,
            local_runner::schedule::day_time(&day(u, 200)).unwrap(),
        )
        .await
        .unwrap();
    assert!(r.counts.is_empty(), "{r:?}");
    assert!(!env.keys_of(&photo).await.is_empty());
    // Deleted again by a later run: the mark lands over the restored entry.
    let read = record(&env, &ann, &photo).await.unwrap();
    let again = DeletionAudit {
        cause: Cause::StoragePeriod,
        warning: "retention:later".into(),
        at: format!("{}T00:05:00Z", day(u, 400)).parse().unwrap(),
    };
    let images = &env.stack.api_state.stores.images;
    assert!(images
        .mark_trashed(&read, &trashing(&day(u, 400)), &again)
        .await
        .unwrap());
    let entries = audits(&env, &ann).await;
    assert_eq!(entries.len(), 1, "{entries:?}");
    assert_eq!(
        (
            entries[0]["action"].as_s().unwrap().as_str(),
            entries[0]["warning"].as_s().unwrap().as_str()
        ),
        ("trashed", "retention:later"),
        "{entries:?}"
    );
}

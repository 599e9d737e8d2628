//! The notifier against moto: each notice ID is sent once, however often it
//! is queued or delivered and however many notifiers run at once; SES
//! refusing a notice gives its claim back, so a retry sends it.

use integration_tests::{sqs_event, unique_stage, TestEnv};
use notifier::{Config, Notifier};
use printvault_domain::account::Email;
use printvault_domain::notice::{Message, Notice, NoticeId};

fn notice(to: &str) -> Notice {
    Notice {
        notice_id: NoticeId::parse(&format!("address-in-use:{}", unique_stage())).unwrap(),
        to: Email::parse(to).unwrap(),
        message: Message::AddressInUse,
    }
}

fn address() -> String {
    format!("{}@example.com", unique_stage())
}

#[tokio::test]
async fn a_notice_queued_twice_is_sent_once() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let to = address();
    let n = notice(&to);
    env.stack.api_state.stores.notices.send(&n).await.unwrap();
    env.stack.api_state.stores.notices.send(&n).await.unwrap();
    let mut handled = 0;
    while handled < 2 {
        handled += env.stack.notify_once(1).await.unwrap();
    }
    let mails = env.mails_to(&to).await;
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(
        mails[0].subject,
        "Someone tried to register with your email address"
    );
    assert_eq!(
        env.queue_depth(&env.stack.resources.notices_queue_url)
            .await
            .unwrap(),
        0,
        "the duplicate is settled, not retried"
    );
}

#[tokio::test]
async fn notifiers_racing_on_one_notice_send_it_once() {
    let env = TestEnv::serialised_with(|o| o.run_pollers = false).await;
    let to = address();
    let body = notice(&to).to_body();
    let event = || sqs_event(&[&body]);
    let (a, b, c) = tokio::join!(
        env.stack.notifier.handle_batch(event()),
        env.stack.notifier.handle_batch(event()),
        env.stack.notifier.handle_batch(event()),
    );
    let failed = [a, b, c]
        .iter()
        .filter(|r| !r.batch_item_failures.is_empty())
        .count();
    assert_eq!(env.mails_to(&to).await.len(), 1);
    // A loser either saw it sent (success) or found it being sent (retried
    // later, when it is skipped as sent).
    assert!(failed <= 2);
    let again = env.stack.notifier.handle_batch(event()).await;
    assert!(
        again.batch_item_failures.is_empty(),
        "a redelivery is settled as sent"
    );
    assert_eq!(env.mails_to(&to).await.len(), 1);
}

#[tokio::test]
async fn a_notice_ses_refuses_is_retried_and_sent_once_ses_takes_it() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let names = &env.stack.resources.names;
    // moto, like SES, refuses a sender that is not a verified identity.
    let unverified = Notifier::new(
        &env.stack.clients,
        Config::for_names(names, "not-verified@printvault.example"),
    );
    let to = address();
    let body = notice(&to).to_body();
    let r = unverified.handle_batch(sqs_event(&[&body])).await;
    assert_eq!(r.batch_item_failures.len(), 1, "reported, to be retried");
    assert!(env.mails_to(&to).await.is_empty());
    let r = env.stack.notifier.handle_batch(sqs_event(&[&body])).await;
    assert!(r.batch_item_failures.is_empty(), "the claim was given back");
    assert_eq!(env.mails_to(&to).await.len(), 1);
}

#[tokio::test]
async fn a_body_that_is_not_a_notice_ends_in_the_dlq() {
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let sqs = &env.stack.clients.sqs;
    sqs.send_message()
        .queue_url(&env.stack.resources.notices_queue_url)
        .message_body(r#"{"kind":"wire_money","to":"eve@example.com"}"#)
        .send()
        .await
        .unwrap();
    integration_tests::eventually(20, "the poison notice in the DLQ", || async {
        env.stack.notify_once(1).await.unwrap();
        env.queue_depth(&env.stack.resources.notices_dlq_url)
            .await
            .unwrap()
            == 1
    })
    .await
    .unwrap();
}

/// What the notifier recorded of `n` after SES's feedback.
async fn delivery(env: &TestEnv, n: &Notice) -> Option<printvault_adapters::notices::Delivery> {
    printvault_adapters::notices::NoticeLedger::new(
        env.stack.clients.dynamodb.clone(),
        &env.stack.resources.names.accounts_table,
    )
    .delivery(&n.notice_id)
    .await
    .unwrap()
}

#[tokio::test]
async fn ses_feedback_marks_each_notice_delivered_or_bounced_and_flags_a_bounce() {
    use printvault_adapters::notices::Delivery;
    let env = TestEnv::with(|o| o.run_pollers = false).await;
    let stage = unique_stage();
    let (good, bad) = (
        notice(&format!("{stage}@example.com")),
        notice(&format!("{stage}+bounce@example.com")),
    );
    let bad = Notice {
        notice_id: NoticeId::parse(&format!("{}-b", bad.notice_id)).unwrap(),
        ..bad
    };
    for n in [&good, &bad] {
        env.stack.api_state.stores.notices.send(n).await.unwrap();
    }
    let mut handled = 0;
    while handled < 2 {
        handled += env.stack.notify_once(1).await.unwrap();
    }
    assert_eq!(
        delivery(&env, &good).await,
        Some(Delivery::Sent),
        "no word from SES yet"
    );
    // SES's events (played locally by the mailbox simulator), twice over.
    let mut seen = 0;
    while seen < 2 {
        seen += env.stack.mail_events_once(1).await.unwrap();
    }
    assert_eq!(delivery(&env, &good).await, Some(Delivery::Delivered));
    assert_eq!(delivery(&env, &bad).await, Some(Delivery::Bounced));
    let flags = env
        .stack
        .clients
        .dynamodb
        .query()
        .table_name(&env.stack.resources.names.accounts_table)
        .key_condition_expression("pk = :pk")
        .expression_attribute_values(
            ":pk",
            aws_sdk_dynamodb::types::AttributeValue::S("MAILFLAG".into()),
        )
        .send()
        .await
        .unwrap()
        .items
        .unwrap_or_default();
    assert_eq!(flags.len(), 1, "the bounce is flagged for an operator: {flags:?}");
    assert_eq!(flags[0]["kind"].as_s().unwrap(), "bounced");
    // Feedback on a message that is not ours, and a body that is no SES
    // event: the first is acknowledged, the second reported.
    let r = env
        .stack
        .notifier
        .handle_batch(sqs_event(&[
            &printvault_domain::notice::feedback::simulated("not-ours", "x@example.com"),
            r#"{"eventType":"Delivery"}"#,
        ]))
        .await;
    assert_eq!(r.batch_item_failures.len(), 1, "{r:?}");
    assert_eq!(delivery(&env, &good).await, Some(Delivery::Delivered));
}

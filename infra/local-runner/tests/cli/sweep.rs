//! `local-runner sweep NAME --date YYYY-MM-DD`: one sweep of a running
//! stack (billing, then archive), as its schedule would run it that day;
//! the same day again does nothing more; a sweep or a day that does not
//! exist is refused clearly.

use local_runner::moto::{default_python, MotoServer};
use local_runner::{Stack, StackOptions};
use printvault_adapters::billing::MeterRecord;
use printvault_domain::billing::{Meter, Month};
use printvault_domain::ids::CustomerId;

#[tokio::test]
async fn sweep_runs_a_day_as_its_schedule_would_once_and_refuses_what_does_not_exist() {
    let moto = MotoServer::start(&default_python()).unwrap();
    let stage = format!("swp{}", std::process::id());
    let mut opts = StackOptions::new(&moto.endpoint, &stage);
    opts.run_pollers = false;
    let stack = Stack::start(opts).await.unwrap();
    // A customer who stored a GiB all through January 2030.
    let billing = &stack.api_state.stores.billing;
    let customer = CustomerId::generate();
    let january = Month::parse("2030-01").unwrap();
    let mut meter = Meter::starting(january.start());
    meter.change(january.start(), 1 << 30).unwrap();
    let seeded = MeterRecord {
        customer: customer.clone(),
        meter,
        rev: 0,
    };
    assert!(billing.seed_meter(&seeded).await.unwrap());

    let sweep = |args: &[&str]| {
        super::runner()
            .args(["--stage", &stage, "sweep"])
            .args(args)
            .args(["--endpoint", &moto.endpoint])
            .output()
            .unwrap()
    };
    let out = sweep(&["billing", "--date", "2030-02-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["sweep"], "billing", "{report}");
    assert_eq!(report["day"], "2030-02-01", "{report}");
    assert_eq!(report["counts"]["months_closed"], 1, "{report}");
    assert_eq!(report["counts"]["invoices_issued"], 1, "{report}");
    // What it did is in the stack: January's invoice, for one GiB-month.
    let invoices = billing.invoices(&customer, 10, None).await.unwrap().items;
    assert_eq!(invoices.len(), 1, "{invoices:?}");
    assert_eq!(invoices[0].invoice_id.month, january);
    assert_eq!(invoices[0].charge.points, 1, "{:?}", invoices[0]);

    // The same day again: nothing more.
    let out = sweep(&["billing", "--date", "2030-02-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["counts"], serde_json::json!({}), "{again}");
    assert_eq!(
        billing.invoices(&customer, 10, None).await.unwrap().items.len(),
        1
    );

    // The archive sweep looks at a customer due that day, once.
    let archive = &stack.api_state.stores.archive;
    archive
        .enter(&customer, time::macros::date!(2030 - 02 - 01))
        .await
        .unwrap();
    let out = sweep(&["archive", "--date", "2030-02-01"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&report["sweep"], &report["counts"]["looked"]),
        (&"archive".into(), &1.into()),
        "{report}"
    );
    let out = sweep(&["archive", "--date", "2030-02-01"]);
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["counts"], serde_json::json!({}), "{again}");

    // A sweep that does not exist, and days that do not: a clear refusal,
    // a non-zero exit, and nothing run.
    for (args, says) in [
        (
            ["payroll", "--date", "2030-02-01"],
            vec![
                "no sweep is called \"payroll\"",
                "billing, retention, anniversary, archive",
            ],
        ),
        (
            ["billing", "--date", "2030-02-30"],
            vec!["--date \"2030-02-30\"", "YYYY-MM-DD"],
        ),
        (
            ["anniversary", "--date", "1 Feb 2030"],
            vec!["--date \"1 Feb 2030\"", "YYYY-MM-DD"],
        ),
    ] {
        let out = sweep(&args);
        assert!(!out.status.success(), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: no report");
        let err = String::from_utf8_lossy(&out.stderr);
        for s in says {
            assert!(err.contains(s), "{args:?}: {err}");
        }
    }
    // Without a day at all, the usage says what is missing.
    let out = sweep(&["retention"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--date"));
}

//! `printlab --help` explains the whole job cycle; a missing key is a clear
//! error, not a panic.

use std::process::Command;

fn printlab() -> Command {
    Command::new(env!("CARGO_BIN_EXE_printlab"))
}

#[test]
fn help_explains_the_job_cycle() {
    let out = printlab().arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for says in [
        "hot folder",
        "SHA-256",
        "JOB.txt",
        "accepted",
        "deletes the message",
        "printlab report",
    ] {
        assert!(help.contains(says), "--help should say {says:?}:\n{help}");
    }
    let run = String::from_utf8(printlab().args(["run", "--help"]).output().unwrap().stdout).unwrap();
    assert!(
        run.contains("--queue-url") && run.contains("--hot-folder") && run.contains("--once"),
        "{run}"
    );
}

#[test]
fn a_missing_key_is_refused_with_what_to_do() {
    let out = printlab()
        .args(["report", "ord_01JDQ3V6ZK8R2M4N5P6Q7R8S9T", "1", "printed"])
        .env_remove("PRINTLAB_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PRINTLAB_KEY"));
}

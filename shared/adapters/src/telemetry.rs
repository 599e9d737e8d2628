//! Structured logs. In Lambda (and whenever `LOG_FORMAT=json`) every line is
//! JSON, with the request ID the runtime puts in the span; locally, the
//! readable format. `RUST_LOG` filters, `info` by default.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let json = std::env::var_os("AWS_LAMBDA_FUNCTION_NAME").is_some()
        || std::env::var("LOG_FORMAT").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    // stderr: command-line output on stdout stays clean (Lambda captures both).
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    // try_init: tests and the local runner may initialise more than once.
    let _ = if json {
        builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .without_time()
            .try_init()
    } else {
        builder.try_init()
    };
}

//! The local stack's clock, moved by hand: `POST /_local/clock` with
//! `{"days": N}` moves it N days ahead, one day at a time, firing every
//! sweep for each new day as its schedule would (00:05 UTC,
//! [`Clock::advance`]); `GET /_local/clock` tells where it is.
//!
//! This exists only in the local runner, as one of its `/_local` routes,
//! which are never deployed: on AWS the clock is the real one and
//! EventBridge fires the sweeps. It is here so that tests of the whole
//! system (the customer page's browser tests above all) can reach, without
//! waiting and the same way every run, states that take weeks of real time:
//! an invoice issued on the 1st, reminded of, then in arrears.
//! `--sim-day-secs` moves the same clock on a timer, for a person to watch.
//!
//! The stack's one `printvault_domain::when::Clock` is shared by the whole
//! local stack (the api's `AppState::clock`, the functions fed by the
//! pollers, and the sweeps' schedule), so one move moves all of it. It only ever moves ahead. Moves and scheduled
//! sweeps take turns ([`Clock`], which `local-runner run`'s schedule runs
//! on too), so two moves never interleave their days.

use api::ApiError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use printvault_domain::billing::day_str;
use printvault_domain::when;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::schedule::{Clock, DAY_SECS};

/// Where the clock is, on the api's listener.
pub const PATH: &str = "/_local/clock";
/// The most days one move may cover (a simulated year and a bit).
pub const MAX_DAYS: i64 = 400;

/// The clock's routes.
pub fn routes(clock: Arc<Clock>) -> Router {
    Router::new()
        .route(PATH, get(read).post(move_ahead))
        .with_state(clock)
}

/// Whole days the clock runs ahead of the real one.
fn days_ahead(clock: &Clock) -> i64 {
    clock.time().ahead() / DAY_SECS
}

/// An answer of the clock's, never stored: the clock moves.
fn no_store(answer: impl IntoResponse) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], answer).into_response()
}

async fn read(State(clock): State<Arc<Clock>>) -> Response {
    no_store(Json(
        json!({"now": when::rfc3339(clock.time().now()), "days_ahead": days_ahead(&clock)}),
    ))
}

async fn move_ahead(State(clock): State<Arc<Clock>>, headers: HeaderMap, body: Bytes) -> Response {
    no_store(moved(clock, &headers, &body).await)
}

async fn moved(clock: Arc<Clock>, headers: &HeaderMap, body: &[u8]) -> Result<Json<Value>, ApiError> {
    let days = days_of(headers, body)?;
    // In a task of its own, so that a client that hangs up does not stop a
    // move between two days.
    let mover = clock.clone();
    let moved = tokio::spawn(async move { mover.advance(days).await })
        .await
        .map_err(anyhow::Error::from)?;
    let swept: Vec<String> = moved.swept.into_iter().map(day_str).collect();
    Ok(Json(json!({
        "now": when::rfc3339(moved.now),
        "days_ahead": days_ahead(&clock),
        "swept": swept,
    })))
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_request", message)
}

/// The days a move asks for: `{"days": N}`, 1 ≤ N ≤ [`MAX_DAYS`], sent as
/// JSON (which a page elsewhere cannot send here without asking first).
fn days_of(headers: &HeaderMap, body: &[u8]) -> Result<u32, ApiError> {
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    if !json_type {
        return Err(invalid(
            "Send the body as JSON, with content-type: application/json.",
        ));
    }
    let how_many =
        format!("Say how many days to move the clock ahead: {{\"days\": N}}, N from 1 to {MAX_DAYS}.");
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(body) else {
        return Err(invalid(how_many));
    };
    if let Some(other) = fields.keys().find(|k| *k != "days") {
        return Err(invalid(format!("Only \"days\" may be given, not {other:?}.")));
    }
    let days = fields.get("days").ok_or_else(|| invalid(how_many))?;
    match days.as_i64() {
        Some(n) if (1..=MAX_DAYS).contains(&n) => Ok(n as u32),
        _ => Err(invalid(format!(
            "days must be a whole number from 1 to {MAX_DAYS}, not {days}: the clock only moves ahead."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json_headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            "application/json; charset=utf-8".parse().unwrap(),
        );
        h
    }

    #[test]
    fn a_move_is_a_whole_number_of_days_from_1_to_400() {
        let h = json_headers();
        assert_eq!(days_of(&h, br#"{"days": 1}"#).ok(), Some(1));
        assert_eq!(days_of(&h, br#"{"days":400}"#).ok(), Some(400));
        for bad in [
            r#"{"days": 0}"#,
            r#"{"days": -1}"#,
            r#"{"days": 401}"#,
            r#"{"days": 2.5}"#,
            r#"{"days": 3.0}"#,
            r#"{"days": "x"}"#,
            r#"{"days": null}"#,
            r#"{"days": 99999999999999999999}"#,
            r#"{"days": 3, "hours": 2}"#,
            r#"{}"#,
            r#"[3]"#,
            "3",
            "x",
            "",
        ] {
            let e = days_of(&h, bad.as_bytes()).expect_err(bad);
            assert_eq!(e.status(), StatusCode::BAD_REQUEST, "{bad}");
        }
    }

    #[test]
    fn only_json_is_read() {
        let body = br#"{"days": 1}"#;
        assert!(days_of(&HeaderMap::new(), body).is_err());
        let mut form = HeaderMap::new();
        form.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(days_of(&form, body).is_err());
    }
}

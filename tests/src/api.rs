//! Calling the api as a client would: JSON in, status and JSON out, as a
//! customer or anonymously.

use crate::{unique_stage, TestEnv};
use printvault_domain::ids::CustomerId;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// The body of a request that sends none (`env.post(path, who, NO_BODY)`).
pub const NO_BODY: Value = Value::Null;

/// Who makes a call: a session token (`&token`), a [`Customer`], or `None`
/// for an anonymous caller. Helpers that act as a customer (uploading, say)
/// panic when given `None`.
pub trait Caller {
    fn token(&self) -> Option<&str>;
}

impl Caller for &str {
    fn token(&self) -> Option<&str> {
        Some(self)
    }
}

impl Caller for &String {
    fn token(&self) -> Option<&str> {
        Some(self)
    }
}

impl Caller for Option<&str> {
    fn token(&self) -> Option<&str> {
        *self
    }
}

impl Caller for &Customer {
    fn token(&self) -> Option<&str> {
        Some(&self.token)
    }
}

/// A registered, logged-in customer.
#[derive(Debug, Clone)]
pub struct Customer {
    pub token: String,
    /// `cus_...`, as the api spells it.
    pub id: String,
    pub email: String,
}

impl Customer {
    /// The customer's ID, typed, for calls into the stores.
    pub fn customer_id(&self) -> CustomerId {
        CustomerId::parse(&self.id).expect("a customer ID")
    }
}

impl TestEnv {
    /// Calls the api; returns the status and the JSON body (`null` if none).
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.http.request(method, self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("api answers");
        let status = res.status();
        let text = res.text().await.expect("body");
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("non-JSON body {text:?}"))
        };
        (status, json)
    }

    /// `method` with `body`, unless the body is [`NO_BODY`].
    async fn send(&self, method: Method, path: &str, who: impl Caller, body: Value) -> (StatusCode, Value) {
        let body = (!body.is_null()).then_some(body);
        self.call(method, path, who.token(), body).await
    }

    pub async fn get(&self, path: &str, who: impl Caller) -> (StatusCode, Value) {
        self.call(Method::GET, path, who.token(), None).await
    }

    /// The status of a GET, when the body does not matter.
    pub async fn get_status(&self, path: &str, who: impl Caller) -> StatusCode {
        self.get(path, who).await.0
    }

    pub async fn post(&self, path: &str, who: impl Caller, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, who, body).await
    }

    pub async fn put(&self, path: &str, who: impl Caller, body: Value) -> (StatusCode, Value) {
        self.send(Method::PUT, path, who, body).await
    }

    pub async fn patch(&self, path: &str, who: impl Caller, body: Value) -> (StatusCode, Value) {
        self.send(Method::PATCH, path, who, body).await
    }

    pub async fn delete(&self, path: &str, who: impl Caller) -> (StatusCode, Value) {
        self.call(Method::DELETE, path, who.token(), None).await
    }

    /// Registers and logs in a new customer; returns the token.
    pub async fn customer(&self) -> String {
        self.new_customer().await.token
    }

    /// Registers a new customer as a person would: asks for an account,
    /// takes the code from the email, sends it back, and logs in. Returns
    /// its token, ID and email.
    pub async fn new_customer(&self) -> Customer {
        let email = format!("{}@example.com", unique_stage());
        let id = self.register_verified(&email, "correct horse battery").await;
        let creds = json!({"email": email, "password": "correct horse battery"});
        let (s, session) = self.post("/v1/sessions", None, creds).await;
        assert_eq!(s, StatusCode::CREATED, "{session}");
        Customer {
            token: session["token"].as_str().expect("token").to_owned(),
            id,
            email,
        }
    }

    /// Registers `email` and verifies it with the emailed code; returns the
    /// new customer ID.
    pub async fn register_verified(&self, email: &str, password: &str) -> String {
        let before = self.mails_to(email).await.len();
        let (s, b) = self
            .post(
                "/v1/accounts",
                None,
                json!({"email": email, "password": password}),
            )
            .await;
        assert_eq!(s, StatusCode::ACCEPTED, "{b}");
        let code = self
            .next_mail(email, before)
            .await
            .code()
            .expect("a verification code");
        let (s, b) = self
            .post("/v1/accounts/verify", None, json!({"code": code}))
            .await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
        b["customer_id"].as_str().expect("customer_id").to_owned()
    }

    /// The caller's own profile.
    pub async fn me(&self, who: impl Caller) -> Value {
        let (s, me) = self.get("/v1/profile", who).await;
        assert_eq!(s, StatusCode::OK, "{me}");
        me
    }

    /// The caller's customer ID, as the api spells it.
    pub async fn customer_id(&self, who: impl Caller) -> String {
        self.me(who).await["customer_id"]
            .as_str()
            .expect("customer_id")
            .to_owned()
    }

    /// The caller's customer ID, typed, for calls into the stores.
    pub async fn owner_id(&self, who: impl Caller) -> CustomerId {
        CustomerId::parse(&self.customer_id(who).await).expect("a customer ID")
    }

    /// The image IDs a search finds, in the order returned. `query` is the
    /// query string without `?`, e.g. `q=beach&limit=2`.
    pub async fn search_ids(&self, query: &str, who: impl Caller) -> Vec<String> {
        let (s, b) = self.get(&format!("/v1/search?{query}"), who).await;
        assert_eq!(s, StatusCode::OK, "{query}: {b}");
        b["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["image_id"].as_str().expect("image_id").to_owned())
            .collect()
    }
}

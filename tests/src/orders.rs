//! Orders as a client makes them: labs, quotes, orders with an
//! `Idempotency-Key`, and points set up through the ledger.

use crate::{Caller, TestEnv, OPERATOR_KEY};
use printvault_domain::ids::CustomerId;
use printvault_domain::ledger::goodwill;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

/// A delivery address every test can use.
pub fn address() -> Value {
    json!({"name": "Ann Example", "postal_code": "150-0002", "region": "Tokyo",
           "locality": "Shibuya-ku", "street": "2-21-1 Shibuya"})
}

/// What `POST /v1/orders` answered.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub replayed: bool,
    pub body: Value,
}

impl TestEnv {
    /// The URL of lab `lab`'s job queue.
    pub async fn lab_queue_url(&self, lab: &str) -> String {
        let lab = printvault_domain::order::Slug::parse(lab, "lab").expect("a lab ID");
        self.stack
            .api_state
            .stores
            .labs
            .lab(&lab)
            .await
            .expect("labs read")
            .expect("the lab is registered")
            .queue_url
    }

    /// Registers lab `id` for `locations`; returns its reporting key.
    pub async fn lab(&self, id: &str, locations: &[&str]) -> String {
        let res = self
            .http
            .put(self.url(&format!("/v1/operator/labs/{id}")))
            .header("x-operator-key", OPERATOR_KEY)
            .json(&json!({"name": format!("Lab {id}"), "locations": locations}))
            .send()
            .await
            .expect("api answers");
        let status = res.status();
        let body: Value = res.json().await.expect("JSON");
        assert_eq!(status, StatusCode::CREATED, "{body}");
        body["key"].as_str().expect("a new lab's key").to_owned()
    }

    /// Asks for a quote of `lines` (`(image_id, size, quantity)`) at `location`.
    pub async fn quote(
        &self,
        who: impl Caller,
        lines: &[(&str, &str, u32)],
        location: &str,
    ) -> (StatusCode, Value) {
        let lines: Vec<Value> = lines
            .iter()
            .map(|(id, size, n)| json!({"image_id": id, "size": size, "quantity": n}))
            .collect();
        self.post("/v1/quotes", who, json!({"lines": lines, "location": location}))
            .await
    }

    /// A quote that must succeed; returns its ID.
    pub async fn quote_id(&self, who: impl Caller, lines: &[(&str, &str, u32)], location: &str) -> String {
        let (s, q) = self.quote(who, lines, location).await;
        assert_eq!(s, StatusCode::CREATED, "{q}");
        q["quote_id"].as_str().expect("quote_id").to_owned()
    }

    /// `POST /v1/orders` with `key` (None: no header) and `body`.
    pub async fn order(&self, who: impl Caller, key: Option<&str>, body: &Value) -> Answer {
        let mut req = self.http.request(Method::POST, self.url("/v1/orders")).json(body);
        if let Some(t) = who.token() {
            req = req.bearer_auth(t);
        }
        if let Some(k) = key {
            req = req.header("idempotency-key", k);
        }
        let res = req.send().await.expect("api answers");
        let status = res.status();
        let replayed = res.headers().get("idempotent-replayed").is_some();
        let body = res.json().await.expect("JSON");
        Answer {
            status,
            replayed,
            body,
        }
    }

    /// Gives `customer` `points` through the ledger, as customer service would.
    pub async fn give_points(&self, customer: &CustomerId, points: i64) {
        let id = format!("test:{}", rand::random::<u64>());
        let j = goodwill(&id, customer, points, "test points").expect("a journal");
        let posted = self
            .stack
            .api_state
            .stores
            .ledger
            .post(&j, "2026-11-29T00:00:00Z".parse().unwrap())
            .await
            .expect("posting points");
        assert!(posted, "points given");
    }

    /// Balance as the api reports it.
    pub async fn balance(&self, who: impl Caller) -> i64 {
        let (s, b) = self.get("/v1/points", who).await;
        assert_eq!(s, StatusCode::OK, "{b}");
        b["balance"].as_i64().expect("balance")
    }

    /// Sends the provider's `payment.succeeded` webhook for `target` (an
    /// order, or an `inv_…` invoice) with this webhook ID and payment ID,
    /// signed as the provider would; returns the api's status and body.
    pub async fn pay_as(
        &self,
        target: &str,
        amount: i64,
        webhook_id: &str,
        payment_id: &str,
    ) -> (u16, Value) {
        use printvault_domain::payment::{sign, WebhookSecrets, LOCAL_SECRET};
        let now = time::OffsetDateTime::now_utc();
        let field = if target.starts_with("inv_") {
            "invoice_id"
        } else {
            "order_id"
        };
        let body = json!({
            "type": "payment.succeeded",
            "timestamp": printvault_domain::when::rfc3339(now),
            "data": {field: target, "payment_id": payment_id, "amount": amount, "currency": "JPY"},
        })
        .to_string();
        let secrets = WebhookSecrets::parse(LOCAL_SECRET).expect("the local secret");
        let signature = sign(
            secrets.signing_key(),
            webhook_id,
            now.unix_timestamp(),
            body.as_bytes(),
        );
        let res = self
            .http
            .post(self.url("/v1/payments/webhook"))
            .header("content-type", "application/json")
            .header("webhook-id", webhook_id)
            .header("webhook-timestamp", now.unix_timestamp().to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .expect("api answers");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Puts `customer` in arrears (M24) as the billing sweep would, with an
    /// overdue invoice of theirs on their standing and on the register,
    /// or takes them out (`false`), as paying would.
    pub async fn set_arrears(&self, customer: &CustomerId, on: bool) {
        use aws_sdk_dynamodb::types::AttributeValue;
        let table = &self.stack.resources.names.billing_table;
        let invoice = AttributeValue::Ss(vec![format!("inv_202601_{customer}")]);
        let verb = if on { "ADD" } else { "DELETE" };
        for (pk, sk) in [
            (format!("CUST#{customer}"), "STANDING"),
            ("ARREARS".into(), "REGISTER"),
        ] {
            self.stack
                .clients
                .dynamodb
                .update_item()
                .table_name(table)
                .set_key(Some(printvault_adapters::dynamo::key(pk, sk)))
                .update_expression(format!("{verb} overdue :inv"))
                .expression_attribute_values(":inv", invoice.clone())
                .send()
                .await
                .expect("writing a standing");
        }
    }

    /// Leaves a dispatched order as a dispatcher that died after sending its
    /// jobs, before marking it, leaves it: `dispatching` again (a state the
    /// domain never moves back to, so written directly). True when the
    /// order was dispatched.
    pub async fn crash_after_sending(&self, order: &printvault_domain::ids::OrderId) -> bool {
        use aws_sdk_dynamodb::types::AttributeValue;
        self.stack
            .clients
            .dynamodb
            .update_item()
            .table_name(&self.stack.resources.names.orders_table)
            .set_key(Some(printvault_adapters::dynamo::key(
                format!("ORDER#{order}"),
                "ORDER",
            )))
            .update_expression("SET #s = :back")
            .condition_expression("#s = :dispatched")
            .expression_attribute_names("#s", "status")
            .expression_attribute_values(":back", AttributeValue::S("dispatching".into()))
            .expression_attribute_values(":dispatched", AttributeValue::S("dispatched".into()))
            .send()
            .await
            .is_ok()
    }

    /// An order as stored, its lines as the labs reported them.
    pub async fn stored_order(
        &self,
        order: &str,
    ) -> (
        printvault_domain::order::Order,
        Vec<printvault_adapters::orders::LineRecord>,
    ) {
        let id = printvault_domain::ids::OrderId::parse(order).expect("an order ID");
        let orders = &self.stack.api_state.stores.orders;
        let o = orders.get(&id).await.expect("reading").expect("the order");
        (o, orders.lines(&id).await.expect("reading its lines"))
    }

    /// Fails the test if `order`'s money and points break an invariant of
    /// `printvault_domain::order::money` (docs/orders.md).
    pub async fn check_order_books(&self, order: &str) {
        let (o, lines) = self.stored_order(order).await;
        let failed: Vec<u32> = lines
            .iter()
            .filter(|l| l.stage == printvault_domain::lab_report::LineStage::Failed)
            .map(|l| l.line)
            .collect();
        if let Err(e) = printvault_domain::order::money::check(&o, &failed) {
            panic!("{e}");
        }
    }

    /// Fails the test if any ledger balance is not the sum of its entries,
    /// any customer is below zero, or any journal does not sum to zero.
    pub async fn audit_ledger(&self) {
        let audit = self.stack.api_state.stores.ledger.audit().await.expect("audit");
        assert!(audit.problems.is_empty(), "ledger problems: {:?}", audit.problems);
    }
}

/// Validates `doc` against `docs/lab-job.schema.json` with Python's
/// jsonschema (installed with moto in .venv): as a lab job, or, given
/// `def`, as that definition of it (`disc_manifest`).
pub fn matches_schema_def(doc: &str, def: Option<&str>) -> Result<(), String> {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/lab-job.schema.json");
    let script = "import json,sys,jsonschema\n\
        schema=json.load(open(sys.argv[1]))\n\
        jsonschema.Draft202012Validator.check_schema(schema)\n\
        if sys.argv[2]:\n    schema=dict(schema); del schema['oneOf']; schema['$ref']='#/$defs/'+sys.argv[2]\n\
        jsonschema.validate(json.loads(sys.stdin.read()), schema, cls=jsonschema.Draft202012Validator, format_checker=jsonschema.FormatChecker())\n";
    let python = std::env::var("MOTO_PYTHON")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../.venv/bin/python").into());
    let mut child = std::process::Command::new(python)
        .args(["-c", script, schema, def.unwrap_or_default()])
        .stdin(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    use std::io::Write;
    child
        .stdin
        .take()
        .ok_or("no stdin")?
        .write_all(doc.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    out.status
        .success()
        .then_some(())
        .ok_or_else(|| String::from_utf8_lossy(&out.stderr).into_owned())
}

/// [`matches_schema_def`] as a lab job.
pub fn matches_schema(job: &str) -> Result<(), String> {
    matches_schema_def(job, None)
}

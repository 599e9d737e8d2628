//! The SAM template must name and wire resources exactly as the code does.
//!
//! `infra/template.yaml` builds each resource name from its `AppName` and
//! `Stage` parameters; `printvault_adapters::names` builds the same names for
//! the functions and the local stack. These tests resolve the template for
//! `printvault`/`dev` and compare names, key schemas, queue settings, the bucket
//! notification and each function's environment with the code's constants.

use std::collections::BTreeMap;
use std::path::PathBuf;

use printvault_adapters::names::{self, ResourceNames};
use serde_yaml::{Mapping, Value};

const APP: &str = "printvault";
const STAGE: &str = "dev";

/// The environment each function's `Config::from_env()` reads, by binary.
/// Keep in step with the functions' config modules.
fn env_contract(binary: &str, n: &ResourceNames) -> Option<Vec<(&'static str, Resolved)>> {
    let text = |s: &str| Resolved::Text(s.to_owned());
    let param = |s: &str| Resolved::Param(s.to_owned());
    Some(match binary {
        "api" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("BLOCKLIST_TABLE", text(&n.blocklist_table)),
            ("SHARING_TABLE", text(&n.sharing_table)),
            ("ORDERS_TABLE", text(&n.orders_table)),
            ("LEDGER_TABLE", text(&n.ledger_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("PHOTOS_BUCKET", text(&n.photos_bucket)),
            (
                "IMAGE_EVENTS_QUEUE_URL",
                Resolved::QueueUrl(n.image_events_queue.clone()),
            ),
            ("NOTICES_QUEUE_URL", Resolved::QueueUrl(n.notices_queue.clone())),
            ("DISPATCH_QUEUE_URL", Resolved::QueueUrl(n.dispatch_queue.clone())),
            ("LAB_QUEUE_PREFIX", text(&n.lab_queue_prefix)),
            ("EXPORTS_QUEUE_URL", Resolved::QueueUrl(n.exports_queue.clone())),
            ("PUBLIC_URL", param("PublicUrl")),
            (
                "OPERATOR_KEY_SECRET_ARN",
                Resolved::SecretArn(n.operator_key_secret.clone()),
            ),
            (
                "PAYMENT_WEBHOOK_SECRET_ARN",
                Resolved::SecretArn(n.payment_webhook_secret.clone()),
            ),
            (
                "ORIGIN_VERIFY_SECRET_ARN",
                Resolved::SecretArn(n.origin_verify_secret.clone()),
            ),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "upload-finalise" => vec![
            ("IMAGES_TABLE", text(&n.images_table)),
            ("BLOCKLIST_TABLE", text(&n.blocklist_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("PHOTOS_BUCKET", text(&n.photos_bucket)),
            (
                "IMAGE_EVENTS_QUEUE_URL",
                Resolved::QueueUrl(n.image_events_queue.clone()),
            ),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
            (
                "GLIBC_TUNABLES",
                text(printvault_adapters::names::UPLOAD_FINALISE_GLIBC_TUNABLES),
            ),
        ],
        "classify" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "print-dispatch" => vec![
            ("ORDERS_TABLE", text(&n.orders_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("PHOTOS_BUCKET", text(&n.photos_bucket)),
            ("LEDGER_TABLE", text(&n.ledger_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("NOTICES_QUEUE_URL", Resolved::QueueUrl(n.notices_queue.clone())),
            ("DISPATCH_QUEUE_URL", Resolved::QueueUrl(n.dispatch_queue.clone())),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "export" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("SHARING_TABLE", text(&n.sharing_table)),
            ("ORDERS_TABLE", text(&n.orders_table)),
            ("LEDGER_TABLE", text(&n.ledger_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("PHOTOS_BUCKET", text(&n.photos_bucket)),
            ("NOTICES_QUEUE_URL", Resolved::QueueUrl(n.notices_queue.clone())),
            ("EXPORTS_QUEUE_URL", Resolved::QueueUrl(n.exports_queue.clone())),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "billing-sweep" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("LEDGER_TABLE", text(&n.ledger_table)),
            ("NOTICES_QUEUE_URL", Resolved::QueueUrl(n.notices_queue.clone())),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "retention-sweep" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("SHARING_TABLE", text(&n.sharing_table)),
            ("PHOTOS_BUCKET", text(&n.photos_bucket)),
            ("NOTICES_QUEUE_URL", Resolved::QueueUrl(n.notices_queue.clone())),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "anniversary-sweep" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("NOTICES_QUEUE_URL", Resolved::QueueUrl(n.notices_queue.clone())),
            ("PUBLIC_URL", Resolved::ApiUrl),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "trash-sweep" => vec![
            ("IMAGES_TABLE", text(&n.images_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("SHARING_TABLE", text(&n.sharing_table)),
            ("PHOTOS_BUCKET", text(&n.photos_bucket)),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        "archive-sweep" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("IMAGES_TABLE", text(&n.images_table)),
            ("BILLING_TABLE", text(&n.billing_table)),
            ("NOTICES_QUEUE_URL", Resolved::QueueUrl(n.notices_queue.clone())),
            ("PRINTVAULT_SETTINGS", param("Settings")),
            ("RUST_LOG", param("LogLevel")),
        ],
        // LOG_EMAILS is for local stacks only and never set here.
        "notifier" => vec![
            ("ACCOUNTS_TABLE", text(&n.accounts_table)),
            ("MAIL_FROM", param("MailFrom")),
            ("MAIL_CONFIGURATION_SET", text(&n.mail_configuration_set)),
            ("RUST_LOG", param("LogLevel")),
        ],
        _ => return None,
    })
}

/// What a template value becomes once deployed.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Resolved {
    /// A literal, such as a resource name.
    Text(String),
    /// A template parameter's value, passed through.
    Param(String),
    /// The URL of the queue with this name (what `!Ref` gives for a queue).
    QueueUrl(String),
    /// The ARN of the secret with this name (what `!Ref` gives for a secret).
    SecretArn(String),
    /// The api's public URL: the `PublicUrl` parameter, or the HTTP API's
    /// execute-api address when it is empty.
    ApiUrl,
}

/// The one `!If` the template may use in an environment: the api's URL.
const API_URL_ELSE: &str = "https://${HttpApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}";

/// The property that names a resource of each type, for `!Ref` and name checks.
const NAME_PROPERTY: [(&str, &str); 5] = [
    ("AWS::SES::ConfigurationSet", "Name"),
    ("AWS::S3::Bucket", "BucketName"),
    ("AWS::DynamoDB::Table", "TableName"),
    ("AWS::SQS::Queue", "QueueName"),
    ("AWS::SecretsManager::Secret", "Name"),
];

struct Template(Value);

impl Template {
    fn load() -> Self {
        let path = repo_root().join("infra/template.yaml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        Self(serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
    }

    fn resources(&self) -> &Mapping {
        self.0
            .get("Resources")
            .and_then(Value::as_mapping)
            .expect("template has no Resources")
    }

    fn resource(&self, id: &str) -> &Value {
        self.resources()
            .get(id)
            .unwrap_or_else(|| panic!("template has no resource {id}"))
    }

    fn type_of(&self, id: &str) -> &str {
        self.resource(id)
            .get("Type")
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("{id}: no Type"))
    }

    fn of_type(&self, ty: &str) -> Vec<&str> {
        let is = |r: &Value| r.get("Type").and_then(Value::as_str) == Some(ty);
        let ids = self.resources().iter().filter(|(_, r)| is(r));
        ids.map(|(id, _)| id.as_str().expect("logical ID")).collect()
    }

    /// `Properties.<dotted path>` of a resource; for a function, falls back to `Globals.Function`.
    fn try_prop(&self, id: &str, path: &str) -> Option<&Value> {
        let own = self.resource(id).get("Properties").and_then(|p| at(p, path));
        let is_function = self.type_of(id) == "AWS::Serverless::Function";
        let global = self.0.get("Globals").and_then(|g| g.get("Function"));
        own.or_else(|| global.filter(|_| is_function).and_then(|g| at(g, path)))
    }

    fn prop(&self, id: &str, path: &str) -> &Value {
        self.try_prop(id, path)
            .unwrap_or_else(|| panic!("{id}: missing Properties.{path}"))
    }

    /// The resolved name of a bucket, table or queue.
    fn name_of(&self, id: &str) -> String {
        let ty = self.type_of(id);
        let (_, key) = NAME_PROPERTY
            .iter()
            .find(|(t, _)| *t == ty)
            .unwrap_or_else(|| panic!("{id}: {ty} has no name property known to this test"));
        match self.resolve(self.prop(id, key), &format!("{id}.{key}")) {
            Resolved::Text(name) => name,
            other => panic!("{id}.{key} must be a !Sub of AppName and Stage, not {other:?}"),
        }
    }

    /// Logical ID of the resource of type `ty` whose name resolves to `name`.
    fn id_named(&self, ty: &str, name: &str) -> &str {
        self.of_type(ty)
            .into_iter()
            .find(|id| self.name_of(id) == name)
            .unwrap_or_else(|| panic!("template has no {ty} named {name:?} (the name names.rs makes)"))
    }

    fn resolve(&self, v: &Value, what: &str) -> Resolved {
        match intrinsic(v) {
            Some((f, arg)) if f == "Sub" => Resolved::Text(sub(str_of(arg, what), &[], what)),
            Some((f, arg)) if f == "Ref" => self.resolve_ref(str_of(arg, what), what),
            Some((f, arg)) if f == "If" => {
                let parts = arg.as_sequence().map(Vec::as_slice).unwrap_or_default();
                let else_sub = parts.get(2).and_then(intrinsic);
                assert!(
                    parts.len() == 3
                        && parts[0].as_str() == Some("HasPublicUrl")
                        && self.resolve(&parts[1], what) == Resolved::Param("PublicUrl".into())
                        && else_sub.as_ref().is_some_and(|(f, a)| f == "Sub" && a.as_str() == Some(API_URL_ELSE)),
                    "{what}: the only !If known here is [HasPublicUrl, !Ref PublicUrl, !Sub \"{API_URL_ELSE}\"]"
                );
                Resolved::ApiUrl
            }
            Some((f, _)) => panic!("{what}: cannot resolve !{f} (use !Sub or !Ref)"),
            None => match v {
                Value::String(s) => Resolved::Text(s.clone()),
                Value::Number(n) => Resolved::Text(n.to_string()),
                other => panic!("{what}: expected a string, found {other:?}"),
            },
        }
    }

    fn resolve_ref(&self, target: &str, what: &str) -> Resolved {
        match target {
            "AppName" => Resolved::Text(APP.to_owned()),
            "Stage" => Resolved::Text(STAGE.to_owned()),
            _ if self.0.get("Parameters").and_then(|p| p.get(target)).is_some() => {
                Resolved::Param(target.to_owned())
            }
            _ if self.resources().contains_key(target) => match self.type_of(target) {
                "AWS::SQS::Queue" => Resolved::QueueUrl(self.name_of(target)),
                "AWS::SecretsManager::Secret" => Resolved::SecretArn(self.name_of(target)),
                _ => Resolved::Text(self.name_of(target)),
            },
            _ => panic!("{what}: !Ref {target} names no parameter or resource"),
        }
    }

    /// The function's environment, `Globals` first, then its own variables.
    fn environment(&self, id: &str) -> BTreeMap<String, Resolved> {
        let global = self.0.get("Globals").and_then(|g| g.get("Function"));
        let own = self.resource(id).get("Properties");
        [global, own]
            .into_iter()
            .flatten()
            .filter_map(|p| p.get("Environment")?.get("Variables")?.as_mapping())
            .flat_map(|vars| vars.iter())
            .map(|(k, v)| {
                let k = k.as_str().expect("variable name").to_owned();
                let r = self.resolve(v, &format!("{id} environment {k}"));
                (k, r)
            })
            .collect()
    }
}

fn at<'a>(mut v: &'a Value, dotted: &str) -> Option<&'a Value> {
    for key in dotted.split('.') {
        v = v.get(key)?;
    }
    Some(v)
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `(function, argument)` for a short tag (`!Sub x`) or the long form (`{Fn::Sub: x}`, `{Ref: x}`).
fn intrinsic(v: &Value) -> Option<(String, &Value)> {
    match v {
        Value::Tagged(t) => Some((t.tag.to_string().trim_start_matches('!').to_owned(), &t.value)),
        Value::Mapping(m) if m.len() == 1 => {
            let (k, arg) = m.iter().next()?;
            let k = k.as_str()?;
            let f = if k == "Ref" { k } else { k.strip_prefix("Fn::")? };
            Some((f.to_owned(), arg))
        }
        _ => None,
    }
}

fn str_of<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .unwrap_or_else(|| panic!("{what}: expected a string argument, found {v:?}"))
}

/// Substitutes `${AppName}`, `${Stage}` and the `extra` variables; anything else is an error.
fn sub(template: &str, extra: &[(&str, &str)], what: &str) -> String {
    let (mut out, mut rest) = (String::new(), template);
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = start
            + rest[start..]
                .find('}')
                .unwrap_or_else(|| panic!("{what}: unclosed ${{ in {template:?}"));
        let var = &rest[start + 2..end];
        let value = match var {
            "AppName" => APP,
            "Stage" => STAGE,
            _ => extra.iter().find(|(k, _)| *k == var).map(|(_, v)| *v).unwrap_or_else(|| {
                panic!("{what}: !Sub {template:?} uses ${{{var}}}; names may use only ${{AppName}} and ${{Stage}}")
            }),
        };
        out.push_str(value);
        rest = &rest[end + 1..];
    }
    out + rest
}

/// `(resource, attribute)` of `!GetAtt R.A`, `!GetAtt [R, A]` or `{Fn::GetAtt: [R, A]}`.
fn get_att(v: &Value) -> Option<(String, String)> {
    let (f, arg) = intrinsic(v)?;
    if f != "GetAtt" {
        return None;
    }
    match arg {
        Value::String(s) => s.split_once('.').map(|(r, a)| (r.to_owned(), a.to_owned())),
        Value::Sequence(s) if s.len() == 2 => Some((s[0].as_str()?.to_owned(), s[1].as_str()?.to_owned())),
        _ => None,
    }
}

fn int(v: &Value, what: &str) -> i64 {
    v.as_i64()
        .or_else(|| v.as_str()?.parse().ok())
        .unwrap_or_else(|| panic!("{what}: expected an integer, found {v:?}"))
}

fn text(v: Option<&Value>) -> &str {
    v.and_then(Value::as_str).unwrap_or("<missing>")
}

#[test]
fn resource_names_match_names_rs() {
    let t = Template::load();
    for (param, default) in [("AppName", APP), ("Stage", STAGE)] {
        let got =
            t.0.get("Parameters")
                .and_then(|p| p.get(param))
                .and_then(|p| p.get("Default"));
        assert_eq!(
            text(got),
            default,
            "parameter {param} must default to {default:?}"
        );
    }
    // A struct literal on purpose: a new field in names.rs stops this compiling
    // until the template declares (and this test checks) that resource too.
    let from_template = ResourceNames {
        photos_bucket: t.name_of("PhotosBucket"),
        web_bucket: t.name_of("WebBucket"),
        accounts_table: t.name_of("AccountsTable"),
        images_table: t.name_of("ImagesTable"),
        blocklist_table: t.name_of("BlocklistTable"),
        sharing_table: t.name_of("SharingTable"),
        orders_table: t.name_of("OrdersTable"),
        ledger_table: t.name_of("LedgerTable"),
        billing_table: t.name_of("BillingTable"),
        uploads_queue: t.name_of("UploadsQueue"),
        uploads_dlq: t.name_of("UploadsDlq"),
        image_events_queue: t.name_of("ImageEventsQueue"),
        image_events_dlq: t.name_of("ImageEventsDlq"),
        notices_queue: t.name_of("NoticesQueue"),
        notices_dlq: t.name_of("NoticesDlq"),
        dispatch_queue: t.name_of("DispatchQueue"),
        dispatch_dlq: t.name_of("DispatchDlq"),
        exports_queue: t.name_of("ExportsQueue"),
        exports_dlq: t.name_of("ExportsDlq"),
        mail_events_queue: t.name_of("MailEventsQueue"),
        mail_events_dlq: t.name_of("MailEventsDlq"),
        mail_configuration_set: t.name_of("MailConfigurationSet"),
        sweeps_dlq: t.name_of("SweepsDlq"),
        // Lab queues are made at run time; the template's policies name them
        // by this prefix (checked in template_permissions.rs).
        lab_queue_prefix: format!("{APP}-{STAGE}-lab-"),
        operator_key_secret: t.name_of("OperatorKeySecret"),
        payment_webhook_secret: t.name_of("PaymentWebhookSecret"),
        origin_verify_secret: t.name_of("OriginVerifySecret"),
    };
    let from_code = ResourceNames::new(APP, STAGE);
    assert_eq!(
        from_template, from_code,
        "infra/template.yaml (left) and names.rs (right) disagree on names"
    );

    let known = [
        &from_code.photos_bucket,
        &from_code.web_bucket,
        &from_code.accounts_table,
        &from_code.images_table,
        &from_code.blocklist_table,
        &from_code.sharing_table,
        &from_code.orders_table,
        &from_code.ledger_table,
        &from_code.billing_table,
        &from_code.uploads_queue,
        &from_code.uploads_dlq,
        &from_code.image_events_queue,
        &from_code.image_events_dlq,
        &from_code.notices_queue,
        &from_code.notices_dlq,
        &from_code.dispatch_queue,
        &from_code.dispatch_dlq,
        &from_code.exports_queue,
        &from_code.exports_dlq,
        &from_code.sweeps_dlq,
        &from_code.mail_events_queue,
        &from_code.mail_events_dlq,
        &from_code.mail_configuration_set,
        &from_code.operator_key_secret,
        &from_code.payment_webhook_secret,
        &from_code.origin_verify_secret,
    ];
    for (ty, _) in NAME_PROPERTY {
        for id in t.of_type(ty) {
            let name = t.name_of(id);
            assert!(
                known.contains(&&name),
                "{id} ({ty}) is named {name:?}, which names.rs does not make; add it to ResourceNames"
            );
        }
    }
}

/// A global secondary index: name, key schema, projection type.
type Index<'a> = (String, Vec<(&'a str, &'a str)>, &'a str, Option<Vec<&'a str>>);

#[test]
fn every_table_is_keyed_by_pk_and_sk() {
    let t = Template::load();
    let tables: Vec<&str> = t.of_type("AWS::DynamoDB::Table");
    assert_eq!(
        tables.len(),
        ResourceNames::new(APP, STAGE).tables().len(),
        "tables in template vs names.rs"
    );
    for id in tables {
        let keys: Vec<(&str, &str)> = t
            .prop(id, "KeySchema")
            .as_sequence()
            .expect("KeySchema list")
            .iter()
            .map(|k| (text(k.get("AttributeName")), text(k.get("KeyType"))))
            .collect();
        assert_eq!(
            keys,
            [(names::PK, "HASH"), (names::SK, "RANGE")],
            "{id}: KeySchema must be names::PK HASH + names::SK RANGE"
        );
        let attrs: BTreeMap<&str, &str> = t
            .prop(id, "AttributeDefinitions")
            .as_sequence()
            .expect("list")
            .iter()
            .map(|a| (text(a.get("AttributeName")), text(a.get("AttributeType"))))
            .collect();
        let specs = ResourceNames::new(APP, STAGE).indexes_of(t.name_of(id).as_str());
        let mut key_attrs = vec![names::PK, names::SK];
        for spec in &specs {
            key_attrs.extend([spec.pk, spec.sk]);
        }
        for key in &key_attrs {
            assert_eq!(
                attrs.get(key),
                Some(&"S"),
                "{id}: key attribute {key:?} must be defined as type S"
            );
        }
        assert_eq!(
            attrs.len(),
            key_attrs.len(),
            "{id}: only key attributes are defined"
        );
        let indexes: Vec<Index> =
            t.0.get("Resources")
                .and_then(|r| r.get(id))
                .and_then(|r| r.get("Properties"))
                .and_then(|p| p.get("GlobalSecondaryIndexes"))
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .map(|g| {
                    let keys = g["KeySchema"]
                        .as_sequence()
                        .expect("KeySchema list")
                        .iter()
                        .map(|k| (text(k.get("AttributeName")), text(k.get("KeyType"))))
                        .collect();
                    let projected = g["Projection"]
                        .get("NonKeyAttributes")
                        .and_then(Value::as_sequence)
                        .map(|a| a.iter().map(|v| text(Some(v))).collect());
                    (
                        text(g.get("IndexName")).to_owned(),
                        keys,
                        text(g["Projection"].get("ProjectionType")),
                        projected,
                    )
                })
                .collect();
        let expected: Vec<Index> = specs
            .iter()
            .map(|spec| {
                (
                    spec.name.to_owned(),
                    vec![(spec.pk, "HASH"), (spec.sk, "RANGE")],
                    if spec.include.is_some() { "INCLUDE" } else { "ALL" },
                    spec.include.map(<[&str]>::to_vec),
                )
            })
            .collect();
        assert_eq!(
            indexes, expected,
            "{id}: the indexes as names::indexes_of says and provision.rs makes them"
        );
        let ttl = t.try_prop(id, "TimeToLiveSpecification").map(|spec| {
            (
                text(spec.get("AttributeName")),
                spec.get("Enabled").and_then(Value::as_bool),
            )
        });
        let wanted = ResourceNames::new(APP, STAGE).ttl_attribute_of(t.name_of(id).as_str());
        assert_eq!(
            ttl,
            wanted.map(|a| (a, Some(true))),
            "{id}: TTL on the attribute names::ttl_attribute_of says the code writes"
        );
    }
}

#[test]
fn uploads_queue_redrives_to_its_dlq() {
    let n = ResourceNames::new(APP, STAGE);
    queue_redrives_to_its_dlq(
        &n.uploads_queue,
        &n.uploads_dlq,
        names::UPLOADS_VISIBILITY_TIMEOUT_SECS,
        names::UPLOADS_MAX_RECEIVE_COUNT,
    );
}

#[test]
fn image_events_queue_redrives_to_its_dlq() {
    let n = ResourceNames::new(APP, STAGE);
    queue_redrives_to_its_dlq(
        &n.image_events_queue,
        &n.image_events_dlq,
        names::IMAGE_EVENTS_VISIBILITY_TIMEOUT_SECS,
        names::IMAGE_EVENTS_MAX_RECEIVE_COUNT,
    );
}

#[test]
fn notices_queue_redrives_to_its_dlq() {
    let n = ResourceNames::new(APP, STAGE);
    queue_redrives_to_its_dlq(
        &n.notices_queue,
        &n.notices_dlq,
        names::NOTICES_VISIBILITY_TIMEOUT_SECS,
        names::NOTICES_MAX_RECEIVE_COUNT,
    );
}

#[test]
fn mail_events_queue_redrives_to_its_dlq() {
    let n = ResourceNames::new(APP, STAGE);
    queue_redrives_to_its_dlq(
        &n.mail_events_queue,
        &n.mail_events_dlq,
        names::MAIL_EVENTS_VISIBILITY_TIMEOUT_SECS,
        names::MAIL_EVENTS_MAX_RECEIVE_COUNT,
    );
}

#[test]
fn exports_queue_redrives_to_its_dlq() {
    let n = ResourceNames::new(APP, STAGE);
    queue_redrives_to_its_dlq(
        &n.exports_queue,
        &n.exports_dlq,
        names::EXPORTS_VISIBILITY_TIMEOUT_SECS,
        names::EXPORTS_MAX_RECEIVE_COUNT,
    );
}

#[test]
fn dispatch_queue_redrives_to_its_dlq() {
    let n = ResourceNames::new(APP, STAGE);
    queue_redrives_to_its_dlq(
        &n.dispatch_queue,
        &n.dispatch_dlq,
        names::DISPATCH_VISIBILITY_TIMEOUT_SECS,
        names::DISPATCH_MAX_RECEIVE_COUNT,
    );
}

/// The queue named `queue` has the code's visibility timeout, redrives to the
/// queue named `dlq` after the code's receive count, and has one consuming
/// function, whose timeout it gives at least six times over.
fn queue_redrives_to_its_dlq(queue: &str, dlq: &str, visibility_secs: i32, max_receives: i32) {
    let t = Template::load();
    let queue = t.id_named("AWS::SQS::Queue", queue);
    let dlq = t.id_named("AWS::SQS::Queue", dlq);
    let visibility = int(t.prop(queue, "VisibilityTimeout"), "VisibilityTimeout");
    assert_eq!(
        visibility,
        i64::from(visibility_secs),
        "{queue}.VisibilityTimeout vs the names.rs constant"
    );
    let receives = int(t.prop(queue, "RedrivePolicy.maxReceiveCount"), "maxReceiveCount");
    assert_eq!(
        receives,
        i64::from(max_receives),
        "{queue} maxReceiveCount vs the names.rs constant"
    );
    let target = get_att(t.prop(queue, "RedrivePolicy.deadLetterTargetArn"));
    assert_eq!(
        target,
        Some((dlq.to_owned(), "Arn".to_owned())),
        "{queue} must redrive to !GetAtt {dlq}.Arn"
    );
    let retention = int(t.prop(dlq, "MessageRetentionPeriod"), "MessageRetentionPeriod");
    assert_eq!(
        retention,
        i64::from(names::DLQ_RETENTION_SECS),
        "{dlq}.MessageRetentionPeriod vs names::DLQ_RETENTION_SECS"
    );

    // AWS recommends a visibility timeout of at least six times the consumer's timeout.
    let mut consumers = 0;
    for id in t.of_type("AWS::Serverless::Function") {
        let events = t
            .try_prop(id, "Events")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten();
        for (_, e) in events.filter(|(_, e)| text(e.get("Type")) == "SQS") {
            if get_att(
                e.get("Properties")
                    .and_then(|p| p.get("Queue"))
                    .unwrap_or(&Value::Null),
            )
            .is_some_and(|(q, _)| q == queue)
            {
                let timeout = int(t.prop(id, "Timeout"), "Timeout");
                assert!(
                    visibility >= 6 * timeout,
                    "{queue} VisibilityTimeout {visibility} < 6 x {id} Timeout {timeout}"
                );
                consumers += 1;
            }
        }
    }
    assert_eq!(consumers, 1, "{queue} must have exactly one consuming function");
}

#[test]
fn bucket_sends_incoming_uploads_to_the_uploads_queue() {
    let (t, n) = (Template::load(), ResourceNames::new(APP, STAGE));
    let bucket = t.id_named("AWS::S3::Bucket", &n.photos_bucket);
    let queue = t.id_named("AWS::SQS::Queue", &n.uploads_queue);
    let configs: Vec<String> = t
        .prop(bucket, "NotificationConfiguration.QueueConfigurations")
        .as_sequence()
        .expect("QueueConfigurations list")
        .iter()
        .map(|c| {
            let to = get_att(c.get("Queue").unwrap_or(&Value::Null))
                .map_or("?".into(), |(r, a)| format!("{r}.{a}"));
            let rules = c
                .get("Filter")
                .and_then(|f| f.get("S3Key"))
                .and_then(|k| k.get("Rules"))
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .map(|r| format!("{}={}", text(r.get("Name")).to_lowercase(), text(r.get("Value"))))
                .collect::<Vec<_>>()
                .join(",");
            format!("{} -> {to} [{rules}]", text(c.get("Event")))
        })
        .collect();
    let want = format!(
        "s3:ObjectCreated:* -> {queue}.Arn [prefix={}]",
        names::INCOMING_PREFIX
    );
    assert!(
        configs.contains(&want),
        "{bucket} must notify `{want}` (names::INCOMING_PREFIX); it has {configs:#?}"
    );

    // S3 sends only if the queue policy names this bucket, and checks that when
    // the notification is set, so the bucket must wait for the policy.
    let policies: Vec<&str> = t.of_type("AWS::SQS::QueuePolicy");
    let expected_arn = format!("arn:aws:s3:::{}", n.photos_bucket);
    let allows_bucket = policies.iter().any(|id| {
        t.prop(id, "PolicyDocument.Statement")
            .as_sequence()
            .into_iter()
            .flatten()
            .any(|s| {
                let arn = s
                    .get("Condition")
                    .and_then(|c| c.get("ArnLike").or_else(|| c.get("ArnEquals")))
                    .and_then(|c| c.get("aws:SourceArn"));
                let arn = arn
                    .and_then(intrinsic)
                    .map(|(_, a)| sub(str_of(a, id), &[("AWS::Partition", "aws")], id));
                arn.as_deref() == Some(expected_arn.as_str())
            })
    });
    assert!(
        allows_bucket,
        "no SQS queue policy allows aws:SourceArn {expected_arn}"
    );
    let depends: Vec<&str> = match t.resource(bucket).get("DependsOn") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Sequence(s)) => s.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    assert!(
        policies.iter().any(|p| depends.contains(p)),
        "{bucket} must DependsOn the uploads queue policy"
    );
}

#[test]
fn functions_are_built_from_their_crates_and_read_their_env() {
    let (t, n) = (Template::load(), ResourceNames::new(APP, STAGE));
    let functions: Vec<&str> = t.of_type("AWS::Serverless::Function");
    assert!(!functions.is_empty(), "template declares no functions");
    for id in functions {
        let meta = t.resource(id).get("Metadata");
        assert_eq!(
            text(meta.and_then(|m| m.get("BuildMethod"))),
            "rust-cargolambda",
            "{id}: Metadata.BuildMethod"
        );
        let binary = text(
            meta.and_then(|m| m.get("BuildProperties"))
                .and_then(|b| b.get("Binary")),
        );
        // A crate of that name, or a crate declaring it as a `[[bin]]` (the
        // sweeps are binaries of one crate).
        let manifest = repo_root().join("functions").join(binary).join("Cargo.toml");
        let declared = format!("[[bin]]\nname = \"{binary}\"");
        let in_a_crate = std::fs::read_dir(repo_root().join("functions"))
            .expect("functions/")
            .filter_map(Result::ok)
            .filter_map(|d| std::fs::read_to_string(d.path().join("Cargo.toml")).ok())
            .any(|toml| toml.contains(&declared));
        assert!(
            manifest.exists() || in_a_crate,
            "{id}: BuildProperties.Binary {binary:?} has no crate at {} and no crate under functions/ declares it as a [[bin]]",
            manifest.display()
        );
        assert_eq!(
            text(t.try_prop(id, "CodeUri")),
            "..",
            "{id}: CodeUri must be the workspace root"
        );
        let name = t.resolve(t.prop(id, "FunctionName"), &format!("{id}.FunctionName"));
        assert_eq!(
            name,
            Resolved::Text(format!("{APP}-{STAGE}-{binary}")),
            "{id}: FunctionName"
        );

        let want: BTreeMap<String, Resolved> = env_contract(binary, &n)
            .unwrap_or_else(|| panic!("{id}: no environment contract for `{binary}` in this test; add one"))
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let got = t.environment(id);
        let mut problems: Vec<String> = want
            .iter()
            .filter_map(|(k, w)| match got.get(k) {
                None => Some(format!("missing {k} (the code reads it; expected {w:?})")),
                Some(g) if g != w => Some(format!("{k} is {g:?}, expected {w:?}")),
                Some(_) => None,
            })
            .collect();
        problems.extend(
            got.keys()
                .filter(|k| !want.contains_key(*k))
                .map(|k| format!("{k} is set but `{binary}` does not read it")),
        );
        assert!(
            problems.is_empty(),
            "{id} environment disagrees with `{binary}`:\n  {}",
            problems.join("\n  ")
        );
    }
}

#[test]
fn no_policy_allows_scan() {
    fn walk(v: &Value, path: &str, found: &mut Vec<String>) {
        match v {
            Value::Mapping(m) => {
                for (k, child) in m {
                    let k = k.as_str().unwrap_or("?");
                    if matches!(k, "DynamoDBCrudPolicy" | "DynamoDBReadPolicy") {
                        found.push(format!("{path}: SAM's {k} includes Scan"));
                    }
                    walk(child, &format!("{path}.{k}"), found);
                }
                if text(m.get("Effect")) == "Allow" {
                    let actions = m
                        .get("Action")
                        .map(|a| a.as_sequence().map_or(vec![a], |s| s.iter().collect()))
                        .unwrap_or_default();
                    for a in actions.into_iter().filter_map(Value::as_str) {
                        let a = a.to_ascii_lowercase();
                        if a == "*" || a == "dynamodb:*" || a.starts_with("dynamodb:scan") {
                            found.push(format!("{path}: allows {a}"));
                        }
                    }
                }
            }
            Value::Sequence(s) => s
                .iter()
                .enumerate()
                .for_each(|(i, c)| walk(c, &format!("{path}[{i}]"), found)),
            Value::Tagged(t) => walk(&t.value, path, found),
            _ => {}
        }
    }
    let mut found = Vec::new();
    walk(&Template::load().0, "", &mut found);
    assert!(
        found.is_empty(),
        "policies must not allow Scan (query an index instead):\n  {}",
        found.join("\n  ")
    );
}

/// The bucket's second net under the trash: versioning, and noncurrent
/// versions expiring (moto keeps versions, but the local stack does not
/// turn versioning on; this is the rule as deployed).
#[test]
fn the_photos_bucket_keeps_versions_and_expires_noncurrent_ones() {
    let t = Template::load();
    let bucket = t
        .resource("PhotosBucket")
        .get("Properties")
        .expect("bucket properties");
    assert_eq!(
        at(bucket, "VersioningConfiguration.Status").and_then(Value::as_str),
        Some("Enabled")
    );
    let rules = at(bucket, "LifecycleConfiguration.Rules")
        .and_then(Value::as_sequence)
        .expect("lifecycle rules");
    let days = rules
        .iter()
        .find_map(|r| at(r, "NoncurrentVersionExpiration.NoncurrentDays"))
        .map(|d| int(d, "NoncurrentDays"))
        .expect("a NoncurrentVersionExpiration rule");
    assert!((1..=30).contains(&days), "{days}");
    assert!(
        rules
            .iter()
            .any(|r| at(r, "ExpiredObjectDeleteMarker").and_then(Value::as_bool) == Some(true)),
        "expired delete markers are removed"
    );
}

/// A finished export's parts (X3) are removed by the lifecycle rule on
/// `exports/` after `ExportKeepDays`, whose default is the days the api
/// mints links for (`exports.keep_days`). moto keeps lifecycle rules but
/// never runs them: this is the rule as deployed.
#[test]
fn export_parts_expire_after_the_days_the_links_are_minted_for() {
    let t = Template::load();
    let bucket = t
        .resource("PhotosBucket")
        .get("Properties")
        .expect("bucket properties");
    let rules = at(bucket, "LifecycleConfiguration.Rules")
        .and_then(Value::as_sequence)
        .expect("lifecycle rules");
    let rule = rules
        .iter()
        .find(|r| at(r, "Prefix").and_then(Value::as_str) == Some("exports/"))
        .expect("a rule on exports/");
    assert_eq!(at(rule, "Status").and_then(Value::as_str), Some("Enabled"));
    let days = at(rule, "ExpirationInDays").expect("ExpirationInDays");
    assert_eq!(
        serde_yaml::to_string(days).unwrap().trim(),
        "!Ref ExportKeepDays",
        "the rule follows the parameter"
    );
    let default =
        t.0.get("Parameters")
            .and_then(|p| p.get("ExportKeepDays"))
            .and_then(|p| p.get("Default"))
            .map(|d| int(d, "ExportKeepDays"))
            .expect("an ExportKeepDays parameter with a default");
    let settings = printvault_domain::settings::Settings::default();
    assert_eq!(default, i64::from(settings.exports.keep_days));
}

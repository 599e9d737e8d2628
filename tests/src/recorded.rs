//! What moto's IAM does not check, checked from the calls themselves (issue
//! 7, item 7). moto authorises DynamoDB, SES and Secrets Manager calls by
//! action only, so a role missing a table, an index, a secret or the mail
//! identity would pass every enforced test and fail on AWS. The enforcing
//! moto server records each call's user, IAM action and resource ARN
//! (`GET /_printvault/resources`, see infra/moto_server.py); this module
//! checks every one against that function's statements in
//! `infra/template.yaml`, resources included (conditions such as
//! `dynamodb:LeadingKeys` are not evaluated; docs/deploy.md says so).

use printvault_adapters::names::ResourceNames;
use serde_yaml::Value;

use crate::template::{self, list};
use crate::TestEnv;

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";

/// `*` and `?` wildcards, as IAM matches resources and actions.
pub fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// What a logical ID's `.Arn` is in moto, for any stage.
fn arn_of(id: &str, n: &ResourceNames) -> Option<String> {
    let tables = [
        ("AccountsTable", &n.accounts_table),
        ("ImagesTable", &n.images_table),
        ("BlocklistTable", &n.blocklist_table),
        ("SharingTable", &n.sharing_table),
        ("OrdersTable", &n.orders_table),
        ("LedgerTable", &n.ledger_table),
        ("BillingTable", &n.billing_table),
    ];
    let table = tables.iter().find(|(t, _)| *t == id)?;
    Some(format!("arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{}", table.1))
}

/// What `!Ref id` is: a secret's ARN (CloudFormation adds a random suffix).
fn ref_of(id: &str, n: &ResourceNames) -> Option<String> {
    let name = match id {
        "OperatorKeySecret" => &n.operator_key_secret,
        "PaymentWebhookSecret" => &n.payment_webhook_secret,
        "OriginVerifySecret" => &n.origin_verify_secret,
        _ => return None,
    };
    Some(format!(
        "arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}*"
    ))
}

/// A template `Resource` as an ARN pattern in moto, for tables, indexes,
/// secrets and SES; `None` for what moto checks itself (S3, SQS).
pub fn pattern(resource: &str, n: &ResourceNames, mail_from: &str) -> Option<String> {
    if let Some(att) = resource.strip_prefix("!GetAtt ") {
        return arn_of(att.strip_suffix(".Arn")?, n);
    }
    if let Some(id) = resource.strip_prefix("!Ref ") {
        return ref_of(id, n);
    }
    let mut out = resource.strip_prefix("!Sub ")?.to_owned();
    for (from, to) in [
        ("${AWS::Partition}", "aws"),
        ("${AWS::Region}", REGION),
        ("${AWS::AccountId}", ACCOUNT),
        ("${AppName}", "printvault"),
        ("${Stage}", "*"),
        ("${MailFrom}", mail_from),
        ("${MailConfigurationSet}", n.mail_configuration_set.as_str()),
    ] {
        out = out.replace(from, to);
    }
    while let Some(start) = out.find("${") {
        let end = start + out[start..].find('}')?;
        let arn = arn_of(out[start + 2..end].strip_suffix(".Arn")?, n)?;
        out.replace_range(start..=end, &arn);
    }
    Some(out)
}

/// Whether `statements` allow `action` on `resource`.
pub fn allows(
    statements: &[Value],
    action: &str,
    resource: &str,
    n: &ResourceNames,
    mail_from: &str,
) -> bool {
    statements.iter().any(|s| {
        list(&s["Action"]).iter().any(|a| glob(a, action))
            && list(&s["Resource"])
                .iter()
                .filter_map(|r| {
                    if r == "*" {
                        Some("*".into())
                    } else {
                        pattern(r, n, mail_from)
                    }
                })
                .any(|p| glob(&p, resource))
    })
}

impl TestEnv {
    /// Every call a function made on this stack's resources (and the mail
    /// identity, which every stack shares) that its template statements
    /// do not allow, resources included; empty when all are. Other stacks
    /// on the same moto are left to their own tests.
    pub async fn calls_outside_statements(&self) -> Vec<String> {
        let own = self
            .stack
            .resources
            .names
            .accounts_table
            .trim_end_matches("accounts")
            .to_owned();
        let url = format!("{}/_printvault/resources", self.stack.endpoint);
        let recorded: Vec<(String, String, String)> = self
            .http
            .get(url)
            .send()
            .await
            .expect("moto answers")
            .json()
            .await
            .expect("the recorded calls");
        let t = template::load();
        let n = ResourceNames::new("printvault", "*");
        let functions = template::function_statements(&t);
        // Every test stack sends from the default address.
        let mail_from = local_runner::StackOptions::new("", "").mail_from;
        let mut outside = Vec::new();
        for (user, action, resource) in &recorded {
            if !resource.contains(&own) && !resource.contains(":identity/") {
                continue;
            }
            let Some((id, _, statements)) = functions.iter().find(|(_, b, _)| b == user) else {
                continue; // the tests' own admin user
            };
            if !allows(statements, action, resource, &n, &mail_from) {
                outside.push(format!("{id} ({user}) may not {action} on {resource}"));
            }
        }
        assert!(!recorded.is_empty(), "the enforcing moto records the calls");
        outside
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_as_iam_does() {
        assert!(glob(
            "arn:x:table/printvault-*-images",
            "arn:x:table/printvault-t1-images"
        ));
        assert!(!glob(
            "arn:x:table/printvault-*-images",
            "arn:x:table/printvault-t1-images/index/due"
        ));
        assert!(glob(
            "arn:x:table/printvault-*-images/index/*",
            "arn:x:table/printvault-t1-images/index/due"
        ));
        assert!(glob("dynamodb:*", "dynamodb:Query"));
        assert!(glob("a?c", "abc") && !glob("a?c", "ac"));
    }

    #[test]
    fn template_resources_become_moto_arns() {
        let n = ResourceNames::new("printvault", "*");
        assert_eq!(
            pattern("!Sub ${ImagesTable.Arn}/index/*", &n, "m@x").as_deref(),
            Some("arn:aws:dynamodb:us-east-1:123456789012:table/printvault-*-images/index/*")
        );
        assert_eq!(
            pattern(
                "!Sub arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:identity/${MailFrom}",
                &n,
                "m@x"
            )
            .as_deref(),
            Some("arn:aws:ses:us-east-1:123456789012:identity/m@x")
        );
        assert!(pattern("!Ref OperatorKeySecret", &n, "m@x")
            .unwrap()
            .ends_with("-operator-key*"));
        assert!(pattern("!Ref OriginVerifySecret", &n, "m@x")
            .unwrap()
            .ends_with("-origin-verify*"));
        assert_eq!(pattern("!GetAtt PhotosBucket.Arn", &n, "m@x"), None);
    }
}

//! Which S3 and SQS calls each function makes, and on what: the table the
//! permissions test (`tests/tests/template_permissions.rs`) checks against
//! each function's statements in `infra/template.yaml`, for every function,
//! whatever the tests exercise. The least-privilege tests also run the
//! functions on a moto that enforces IAM, and check the resources of their
//! DynamoDB, SES and Secrets Manager calls as they happen (see
//! docs/deploy.md, "Least privilege").
//!
//! Object prefixes come from the key functions in [`crate::keys`], not
//! from strings written again here, so a new kind of object an image owns
//! (a new entry of `all_image_keys`) shows up in every role that deletes
//! images.

use printvault_domain::ids::{CustomerId, ImageId};

use crate::keys;

/// One kind of call on one kind of resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// An S3 object action on the keys under a prefix of the photos bucket.
    Object { action: &'static str, prefix: String },
    /// An S3 action on the photos bucket itself.
    Bucket { action: &'static str },
    /// An SQS action on one queue, by its logical role.
    Queue { action: &'static str, queue: Queue },
}

/// The queues, by what they carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Queue {
    Uploads,
    ImageEvents,
    Notices,
    /// SES's delivery feedback (through SNS), consumed by the notifier.
    MailEvents,
    Dispatch,
    /// Export jobs' steps (X3), consumed by the export function.
    Exports,
    /// Every lab's FIFO job queue (`<app>-<stage>-lab-*`), made at run time.
    LabJobs,
}

/// The top-level prefix of a key (`originals/` of `originals/<c>/<i>`).
fn prefix(key: &str) -> String {
    let end = key.find('/').map_or(key.len(), |i| i + 1);
    key[..end].to_owned()
}

fn sample() -> (CustomerId, ImageId) {
    (CustomerId::generate(), ImageId::generate())
}

fn objects(action: &'static str, keys: impl IntoIterator<Item = String>) -> Vec<Call> {
    let mut prefixes: Vec<String> = keys.into_iter().map(|k| prefix(&k)).collect();
    prefixes.dedup();
    prefixes
        .into_iter()
        .map(|prefix| Call::Object { action, prefix })
        .collect()
}

/// Every S3 and SQS call of the function built from crate `function`.
pub fn of(function: &str) -> Vec<Call> {
    let (c, i) = sample();
    let mut calls = Vec::new();
    // `ObjectStore::exists`, and a GET of a key that may be gone, need
    // ListBucket: without it S3 answers a missing key 403, not 404.
    let list = Call::Bucket {
        action: "s3:ListBucket",
    };
    match function {
        "api" => {
            // Presigned PUTs carry the api's authority; it writes the copies
            // it makes (marked previews, originals without location).
            calls.extend(objects(
                "s3:PutObject",
                [
                    keys::incoming_key(&c, &i),
                    keys::marked_preview_key(&c, &i),
                    keys::shared_original_key(&c, &i),
                ],
            ));
            calls.extend(objects(
                "s3:GetObject",
                [
                    keys::original_key(&c, &i),
                    keys::thumb_key(&c, &i),
                    keys::preview_key(&c, &i),
                    keys::marked_preview_key(&c, &i),
                    keys::shared_original_key(&c, &i),
                ],
            ));
            // Deleting an image deletes every object it may own.
            calls.extend(objects("s3:DeleteObject", keys::all_image_keys(&c, &i)));
            calls.push(list);
            // Presigned GETs of an export's parts (X3), and nothing else of it.
            calls.push(Call::Object {
                action: "s3:GetObject",
                prefix: "exports/".into(),
            });
            for queue in [
                Queue::ImageEvents,
                Queue::Notices,
                Queue::Dispatch,
                Queue::Exports,
            ] {
                calls.push(Call::Queue {
                    action: "sqs:SendMessage",
                    queue,
                });
            }
            // Registering a lab makes (or finds) its queue and DLQ.
            for action in ["sqs:CreateQueue", "sqs:GetQueueAttributes"] {
                calls.push(Call::Queue {
                    action,
                    queue: Queue::LabJobs,
                });
            }
        }
        "upload-finalise" => {
            calls.extend(objects("s3:GetObject", [keys::incoming_key(&c, &i)]));
            calls.extend(objects(
                "s3:PutObject",
                [
                    keys::original_key(&c, &i),
                    keys::thumb_key(&c, &i),
                    keys::preview_key(&c, &i),
                ],
            ));
            // Its clean-up deletes every object an image may own.
            calls.extend(objects("s3:DeleteObject", keys::all_image_keys(&c, &i)));
            calls.push(list);
            calls.push(Call::Queue {
                action: "sqs:SendMessage",
                queue: Queue::ImageEvents,
            });
            for action in ["sqs:ReceiveMessage", "sqs:DeleteMessage"] {
                calls.push(Call::Queue {
                    action,
                    queue: Queue::Uploads,
                });
            }
        }
        "classify" => {
            for action in ["sqs:ReceiveMessage", "sqs:DeleteMessage"] {
                calls.push(Call::Queue {
                    action,
                    queue: Queue::ImageEvents,
                });
            }
        }
        "notifier" => {
            for queue in [Queue::Notices, Queue::MailEvents] {
                for action in ["sqs:ReceiveMessage", "sqs:DeleteMessage"] {
                    calls.push(Call::Queue { action, queue });
                }
            }
        }
        "billing-sweep" | "anniversary-sweep" | "archive-sweep" => calls.push(Call::Queue {
            action: "sqs:SendMessage",
            queue: Queue::Notices,
        }),
        // The retention sweep only trashes; it still finishes, with the one
        // delete, a deletion a version before the trash began.
        "retention-sweep" => {
            calls.extend(objects("s3:DeleteObject", keys::all_image_keys(&c, &i)));
            calls.push(Call::Queue {
                action: "sqs:SendMessage",
                queue: Queue::Notices,
            });
        }
        // The purge is the one delete: every object.
        "trash-sweep" => calls.extend(objects("s3:DeleteObject", keys::all_image_keys(&c, &i))),
        // Reads originals, writes parts and its work state, and tidies that
        // up; hands over on its own queue; emails through the notifier.
        "export" => {
            calls.extend(objects("s3:GetObject", [keys::original_key(&c, &i)]));
            for action in ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"] {
                calls.push(Call::Object {
                    action,
                    prefix: "exports/".into(),
                });
            }
            calls.push(list);
            for action in ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:SendMessage"] {
                calls.push(Call::Queue {
                    action,
                    queue: Queue::Exports,
                });
            }
            calls.push(Call::Queue {
                action: "sqs:SendMessage",
                queue: Queue::Notices,
            });
        }
        "print-dispatch" => {
            for action in ["sqs:ReceiveMessage", "sqs:DeleteMessage"] {
                calls.push(Call::Queue {
                    action,
                    queue: Queue::Dispatch,
                });
            }
            calls.push(Call::Queue {
                action: "sqs:SendMessage",
                queue: Queue::LabJobs,
            });
            // Presigned GETs of the originals a job prints: the buyer's own,
            // and others' without their location, made once (HeadObject is
            // GetObject's; a copy without its SHA-256 is made again).
            calls.extend(objects(
                "s3:GetObject",
                [keys::original_key(&c, &i), keys::shared_original_key(&c, &i)],
            ));
            calls.extend(objects("s3:PutObject", [keys::shared_original_key(&c, &i)]));
            calls.extend(objects("s3:DeleteObject", [keys::shared_original_key(&c, &i)]));
            // The buyer's email about a line refunded because it cannot be printed.
            calls.push(Call::Queue {
                action: "sqs:SendMessage",
                queue: Queue::Notices,
            });
        }
        _ => {}
    }
    calls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_come_from_the_keys() {
        assert_eq!(prefix("originals/cus_x/img_y"), "originals/");
        let deletes: Vec<Call> = of("upload-finalise")
            .into_iter()
            .filter(|c| {
                matches!(
                    c,
                    Call::Object {
                        action: "s3:DeleteObject",
                        ..
                    }
                )
            })
            .collect();
        assert_eq!(
            deletes.len(),
            keys::all_image_keys(&sample().0, &sample().1).len()
        );
    }
}

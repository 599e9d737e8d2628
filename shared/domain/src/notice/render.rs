//! Every notice's subject and both bodies, rendered in code.

use super::body::bodies;
use super::{Message, Notice, Rendered, VerifyPurpose};

impl Notice {
    pub fn render(&self) -> Rendered {
        match &self.message {
            Message::VerifyEmail {
                purpose,
                link,
                code,
                expires_at,
            } => {
                let (subject, why) = match purpose {
                    VerifyPurpose::Register => (
                        "Confirm your email address for printvault",
                        "Someone, hopefully you, registered a printvault account with this address. \
                         The account exists once you confirm the address:",
                    ),
                    VerifyPurpose::ChangeEmail => (
                        "Confirm your new email address for printvault",
                        "Someone, hopefully you, asked to move a printvault account to this address. \
                         It moves once you confirm the address:",
                    ),
                };
                let paragraphs = [
                    why.to_owned(),
                    link.clone(),
                    format!("Or send this code to the app: {code}"),
                    format!("The link works once, until {expires_at}. If this was not you, ignore this email: nothing happens."),
                ];
                let (text, html) = bodies(&paragraphs, Some(link));
                Rendered {
                    subject: subject.into(),
                    text,
                    html,
                }
            }
            Message::AddressInUse => {
                let paragraphs = [
                    "Someone tried to register a printvault account, or move one, to this address. \
                     It already belongs to your account, so nothing changed."
                        .to_owned(),
                    "If this was you, log in with your password instead. If not, you need do nothing: \
                     your account and your photos are as they were."
                        .to_owned(),
                ];
                let (text, html) = bodies(&paragraphs, None);
                Rendered {
                    subject: "Someone tried to register with your email address".into(),
                    text,
                    html,
                }
            }
            Message::ConfirmGuestOrder {
                order_id,
                link,
                total,
                expires_at,
            } => {
                let paragraphs = [
                    format!(
                        "Someone, hopefully you, ordered prints from printvault as a guest (order {order_id}, ¥{total}) \
                         and gave this address. The order goes ahead once you confirm it:"
                    ),
                    link.clone(),
                    format!(
                        "Confirm before {expires_at}. The same link then shows the order and lets you cancel it \
                         until it is dispatched. If this was not you, ignore this email: nothing is charged."
                    ),
                ];
                let (text, html) = bodies(&paragraphs, Some(link));
                Rendered {
                    subject: format!("Confirm your printvault order {order_id}"),
                    text,
                    html,
                }
            }
            Message::LineProgress {
                order_id,
                line,
                stage,
                carrier,
                tracking,
                reason,
                refund,
                points_returned,
            } => {
                let mut paragraphs = vec![match stage.as_str() {
                    "accepted" => {
                        format!("The lab has line {line} of your order {order_id} and is starting on it.")
                    }
                    "printed" => format!("Line {line} of your order {order_id} is printed."),
                    "shipped" => format!(
                        "Line {line} of your order {order_id} is on its way with {}: tracking number {}.",
                        carrier.as_deref().unwrap_or("the carrier"),
                        tracking.as_deref().unwrap_or("-")
                    ),
                    _ => format!(
                        "The lab could not make line {line} of your order {order_id}: {}.",
                        reason.as_deref().unwrap_or("no reason given")
                    ),
                }];
                if *refund > 0 {
                    paragraphs.push(format!("¥{refund} is refunded to the way you paid."));
                }
                if *points_returned > 0 {
                    paragraphs.push(format!("{points_returned} points are back in your balance."));
                }
                let (text, html) = bodies(&paragraphs, None);
                Rendered {
                    subject: format!("Your printvault order {order_id}: line {line} {stage}"),
                    text,
                    html,
                }
            }
            m @ (Message::StorageInvoice { .. }
            | Message::InvoiceReminder { .. }
            | Message::AccountInArrears { .. }) => super::billing::render(m),
            Message::RetentionWarning { images } => super::retention::render(images),
            m @ (Message::ExportReady(_) | Message::ExportFailed(_)) => super::export::render(m),
            m @ Message::Anniversary { .. } => super::anniversary::render(m),
            m @ (Message::ArchiveProposal { .. } | Message::OriginalRestored { .. }) => {
                super::archive::render(m)
            }
            Message::OrderCancelled {
                order_id,
                points_returned,
                refund,
            } => {
                let mut paragraphs = vec![format!("Your printvault order {order_id} is cancelled.")];
                if *points_returned > 0 {
                    paragraphs.push(format!(
                        "The {points_returned} points you spent on it are back in your balance."
                    ));
                }
                if *refund > 0 {
                    paragraphs.push(format!("The ¥{refund} you paid is refunded to the way you paid."));
                }
                let (text, html) = bodies(&paragraphs, None);
                Rendered {
                    subject: format!("Your printvault order {order_id} is cancelled"),
                    text,
                    html,
                }
            }
        }
    }
}

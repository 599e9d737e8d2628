//! The email a buyer gets each time a line of their order moves on.

use super::{Message, Notice, NoticeId};
use crate::lab_report::LineRecord;
use crate::order::money::Refund;
use crate::order::Order;
use crate::Error;

impl Notice {
    /// Line `record.line` of `order` reached `record.stage`, with `refund`
    /// given back (failed lines). One notice per line and stage.
    pub fn line_progress(order: &Order, record: &LineRecord, refund: Refund) -> Result<Self, Error> {
        let stage = record.stage.as_str();
        Ok(Self {
            notice_id: NoticeId::parse(&format!("order-line:{}:{}:{stage}", order.order_id, record.line))?,
            to: order.email.clone(),
            message: Message::LineProgress {
                order_id: order.order_id.to_string(),
                line: record.line,
                stage: stage.into(),
                carrier: record.carrier.clone(),
                tracking: record.tracking.clone(),
                reason: record.reason.clone(),
                refund: refund.yen,
                points_returned: refund.points,
            },
        })
    }
}

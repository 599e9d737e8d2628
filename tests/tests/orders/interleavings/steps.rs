//! What can happen, in any order.

use proptest::prelude::*;

#[derive(Debug, Clone)]
pub(super) enum Pay {
    Due,
    Wrong,
    SamePaymentNewWebhook,
    Second,
    ReplayWebhook,
}

#[derive(Debug, Clone)]
pub(super) enum Step {
    /// Ann orders these images (indices into the pool), spending points.
    Place {
        images: Vec<usize>,
        points: bool,
    },
    Pay {
        order: usize,
        how: Pay,
    },
    Cancel {
        order: usize,
    },
    /// An owner deletes an image of the pool.
    Delete {
        image: usize,
    },
    Dispatch {
        order: usize,
    },
    /// A dispatcher died after sending the jobs, before marking the order:
    /// its message comes again.
    Redeliver {
        order: usize,
    },
    Report {
        order: usize,
        line: u32,
        stage: u8,
    },
    Arrears {
        on: bool,
    },
}

pub(super) fn step() -> impl Strategy<Value = Step> {
    let ix = 0usize..6;
    prop_oneof![
        2 => (proptest::collection::vec(0usize..3, 1..3), any::<bool>())
            .prop_map(|(images, points)| Step::Place { images, points }),
        3 => (ix.clone(), 0u8..5).prop_map(|(order, k)| Step::Pay {
            order,
            how: match k {
                0 => Pay::Due,
                1 => Pay::Wrong,
                2 => Pay::SamePaymentNewWebhook,
                3 => Pay::Second,
                _ => Pay::ReplayWebhook,
            },
        }),
        1 => ix.clone().prop_map(|order| Step::Cancel { order }),
        1 => (0usize..3).prop_map(|image| Step::Delete { image }),
        2 => ix.clone().prop_map(|order| Step::Dispatch { order }),
        1 => ix.clone().prop_map(|order| Step::Redeliver { order }),
        4 => (ix, 1u32..3, 0u8..4).prop_map(|(order, line, stage)| Step::Report { order, line, stage }),
        1 => any::<bool>().prop_map(|on| Step::Arrears { on }),
    ]
}

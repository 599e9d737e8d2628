//! The invariants, checked after every step.

use super::World;
use printvault_domain::lab_report::LineStage;
use std::collections::BTreeSet;

impl World {
    /// Every invariant, for every order so far.
    pub(super) async fn check(&self) {
        let env = &self.s.env;
        let mut journals = BTreeSet::new();
        for who in [&self.s.ann, &self.s.olive] {
            let mut cursor: Option<String> = None;
            loop {
                let page = env
                    .stack
                    .api_state
                    .stores
                    .ledger
                    .entries(&who.customer_id(), 100, cursor.as_deref())
                    .await
                    .unwrap();
                journals.extend(page.items.iter().map(|e| e.journal_id.clone()));
                match page.next_cursor {
                    Some(c) => cursor = Some(c),
                    None => break,
                }
            }
        }
        for o in &self.orders {
            let (stored, lines) = env.stored_order(&o.id).await;
            let failed: Vec<u32> = lines
                .iter()
                .filter(|l| l.stage == LineStage::Failed)
                .map(|l| l.line)
                .collect();
            if let Err(e) = printvault_domain::order::money::check(&stored, &failed) {
                panic!("{e}\n{:#?}", self.history);
            }
            for l in &stored.lines {
                let shipped = lines
                    .iter()
                    .any(|r| r.line == l.line && r.stage == LineStage::Shipped);
                let credited = journals.contains(&format!("order:{}:line-{}", o.id, l.line));
                let earns = l.points > 0 || l.owner_share.0 > 0;
                assert_eq!(
                    credited,
                    shipped && earns,
                    "order {} line {}: credited {credited}, shipped {shipped}\n{:#?}",
                    o.id,
                    l.line,
                    self.history
                );
            }
        }
        let audit = env.stack.api_state.stores.ledger.audit().await.unwrap();
        assert!(
            audit.problems.is_empty(),
            "{:?}\n{:#?}",
            audit.problems,
            self.history
        );
    }
}

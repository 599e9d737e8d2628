//! Reading pages: several index partitions merged newest first.

use anyhow::Context;
use printvault_domain::ids::ImageId;
use printvault_domain::Error;
use std::collections::{HashSet, VecDeque};

use super::{DateRange, Entry, Hit, Results, SearchIndex};
use crate::cursor;
use crate::dynamo::{s, Item};
use crate::names::{PK, SK};

/// Whether `sk` is an index sort key: `<when>#<image ID>`.
fn is_index_key(sk: &str) -> bool {
    sk.rsplit_once('#')
        .is_some_and(|(_, id)| ImageId::parse(id).is_ok())
}

impl SearchIndex {
    /// Merges `partitions`, newest first, into one page of at most `limit`
    /// distinct images that pass `keep`. Each partition is read lazily in
    /// small chunks, so the items read follow the results returned. Once
    /// `budget` items have been read the page ends with what it has (maybe
    /// nothing) and a cursor to go on from.
    #[allow(clippy::too_many_arguments)]
    pub async fn search(
        &self,
        partitions: &[String],
        extra: Vec<(String, Entry)>,
        range: &DateRange,
        cursor: Option<&str>,
        limit: usize,
        budget: usize,
        keep: impl Fn(&Entry) -> bool,
    ) -> Result<Results, Error> {
        let cursor = cursor.map(|c| cursor::decode(c, is_index_key)).transpose()?;
        let lo = range
            .from
            .as_ref()
            .map(|d| format!("{d}T00:00:00"))
            .unwrap_or_else(|| "0".into());
        let mut hi = range
            .to
            .as_ref()
            .map(|d| format!("{d}T23:59:59~"))
            .unwrap_or_else(|| "~".into());
        if let Some(c) = &cursor {
            if *c < hi {
                hi = c.clone();
            }
        }
        struct Source {
            pk: String,
            buf: VecDeque<(String, Entry)>,
            next: Option<Item>,
            done: bool,
        }
        let mut sources: Vec<Source> = partitions
            .iter()
            .map(|pk| Source {
                pk: pk.clone(),
                buf: VecDeque::new(),
                next: None,
                done: false,
            })
            .collect();
        // Entries already in memory (granted images) merge as one more source.
        let mut extra: Vec<(String, Entry)> = extra
            .into_iter()
            .filter(|(sk, _)| *sk >= lo && *sk <= hi && cursor.as_deref() != Some(sk.as_str()))
            .collect();
        extra.sort_by(|a, b| b.0.cmp(&a.0));
        sources.push(Source {
            pk: String::new(),
            buf: extra.into(),
            next: None,
            done: true,
        });
        if lo > hi {
            return Ok(Results {
                hits: vec![],
                next_cursor: None,
                items_read: 0,
                rounds: 0,
            });
        }
        let chunk = (limit / partitions.len().max(1)).max(1) as i32 + 1;
        let mut items_read = 0;
        let mut rounds = 0;
        let mut seen = HashSet::new();
        let mut hits = Vec::new();
        let mut last_sk = None;
        while hits.len() < limit && items_read < budget {
            // Refill every empty source at once: one round trip, not one per source.
            let wanted: Vec<usize> = (0..sources.len())
                .filter(|&i| sources[i].buf.is_empty() && !sources[i].done)
                .collect();
            let calls = wanted.iter().map(|&i| {
                self.db
                    .query()
                    .table_name(&self.table)
                    .key_condition_expression("pk = :pk AND sk BETWEEN :lo AND :hi")
                    .expression_attribute_values(":pk", s(&sources[i].pk))
                    .expression_attribute_values(":lo", s(&lo))
                    .expression_attribute_values(":hi", s(&hi))
                    .scan_index_forward(false)
                    .limit(chunk)
                    .set_exclusive_start_key(sources[i].next.clone())
                    .send()
            });
            let outs = futures::future::join_all(calls).await;
            rounds += usize::from(!wanted.is_empty());
            for (&i, out) in wanted.iter().zip(outs) {
                let out = out.context("querying the search index")?;
                let src = &mut sources[i];
                items_read += out.count as usize;
                for item in out.items.unwrap_or_default() {
                    let sk = item
                        .get(SK)
                        .and_then(|v| v.as_s().ok())
                        .cloned()
                        .unwrap_or_default();
                    let mut item = item;
                    item.remove(PK);
                    item.remove(SK);
                    let e: Entry = serde_dynamo::from_item(item).context("decoding an index item")?;
                    src.buf.push_back((sk, e));
                }
                src.next = out.last_evaluated_key;
                src.done = src.next.is_none();
            }
            // The newest head among all sources.
            let best = sources
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.buf.front().map(|(sk, _)| (i, sk.clone())))
                .max_by(|a, b| a.1.cmp(&b.1));
            let Some((i, sk)) = best else { break };
            let (_, entry) = sources[i].buf.pop_front().expect("a head was found");
            if cursor.as_deref() == Some(sk.as_str()) {
                continue;
            }
            last_sk = Some(sk);
            if keep(&entry) && seen.insert(entry.image_id.clone()) {
                hits.push(Hit { entry, source: i });
            }
        }
        let more = sources.iter().any(|s| !s.buf.is_empty() || !s.done);
        let next_cursor = if (hits.len() == limit || items_read >= budget) && more {
            last_sk.map(|k| cursor::encode(&k))
        } else {
            None
        };
        Ok(Results {
            hits,
            next_cursor,
            items_read,
            rounds,
        })
    }
}

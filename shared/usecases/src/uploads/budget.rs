//! The memory of one invocation, shared by the uploads it finalises at once.
//!
//! Each upload reserves its bytes plus what decoding it will take
//! (`printvault_imaging::memory_needed`, from the header) before it is
//! decoded, and gives it back when its renditions are written. The sum of
//! the reservations in flight never exceeds the budget: an upload that does
//! not fit waits for others to finish, in arrival order. One larger than the
//! whole budget waits until it can run alone.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Reservations are counted in KiB, so that a budget of terabytes still
/// fits the semaphore's `u32` permits.
const UNIT: u64 = 1024;

/// A budget of bytes that reservations draw on.
#[derive(Clone, Debug)]
pub struct MemoryBudget {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    permits: Arc<Semaphore>,
    units: u32,
    in_use: AtomicU64,
    peak: AtomicU64,
}

/// Memory held by one upload; given back when dropped.
#[derive(Debug)]
pub struct Reservation {
    _permit: OwnedSemaphorePermit,
    units: u64,
    inner: Arc<Inner>,
}

impl MemoryBudget {
    /// A budget of `bytes` (at least one unit).
    pub fn new(bytes: u64) -> Self {
        let units = u32::try_from(bytes.div_ceil(UNIT))
            .unwrap_or(u32::MAX >> 4)
            .max(1);
        Self {
            inner: Arc::new(Inner {
                permits: Arc::new(Semaphore::new(units as usize)),
                units,
                in_use: AtomicU64::new(0),
                peak: AtomicU64::new(0),
            }),
        }
    }

    /// `percent` of a function's `memory_mb`.
    pub fn of_function(memory_mb: u64, percent: u8) -> Self {
        Self::new(memory_mb * 1024 * 1024 * u64::from(percent) / 100)
    }

    /// The whole budget, in bytes.
    pub fn total_bytes(&self) -> u64 {
        u64::from(self.inner.units) * UNIT
    }

    /// The most that was ever reserved at once, in bytes.
    pub fn peak_bytes(&self) -> u64 {
        self.inner.peak.load(Ordering::SeqCst) * UNIT
    }

    /// Reserves what finalising `upload` takes: its bytes, and what decoding
    /// it needs. One refused from its header reserves its bytes alone (the
    /// decoder allocates nothing for it).
    pub async fn reserve_upload(
        &self,
        upload: &[u8],
        limits: &printvault_imaging::Limits,
        renditions: &printvault_imaging::Renditions,
    ) -> Reservation {
        let need = printvault_imaging::memory_needed(upload, limits, renditions).unwrap_or(0);
        self.reserve(upload.len() as u64 + need).await
    }

    /// Waits until `bytes` fit (or, if they exceed the whole budget, until
    /// nothing else is reserved) and holds them.
    pub async fn reserve(&self, bytes: u64) -> Reservation {
        let units = u32::try_from(bytes.div_ceil(UNIT))
            .unwrap_or(u32::MAX)
            .clamp(1, self.inner.units);
        let permit = Arc::clone(&self.inner.permits)
            .acquire_many_owned(units)
            .await
            .expect("the budget's semaphore is never closed");
        let now = self.inner.in_use.fetch_add(u64::from(units), Ordering::SeqCst) + u64::from(units);
        self.inner.peak.fetch_max(now, Ordering::SeqCst);
        Reservation {
            _permit: permit,
            units: u64::from(units),
            inner: Arc::clone(&self.inner),
        }
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        self.inner.in_use.fetch_sub(self.units, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    const MIB: u64 = 1024 * 1024;

    #[tokio::test(start_paused = true)]
    async fn reservations_in_flight_never_exceed_the_budget() {
        let budget = MemoryBudget::new(100 * MIB);
        // Eight uploads of 30-60 MiB, each holding its memory for a second.
        let sizes = [30, 60, 40, 30, 50, 60, 30, 40];
        let t0 = tokio::time::Instant::now();
        let tasks: Vec<_> = sizes
            .iter()
            .map(|&mib| {
                let budget = budget.clone();
                tokio::spawn(async move {
                    let _held = budget.reserve(mib * MIB).await;
                    tokio::time::sleep(Duration::from_secs(1)).await;
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
        assert!(budget.peak_bytes() <= 100 * MIB, "{}", budget.peak_bytes());
        assert!(budget.peak_bytes() >= 90 * MIB, "uploads that fit ran together");
        assert!(t0.elapsed() < Duration::from_secs(8), "not one at a time");
        assert_eq!(budget.inner.in_use.load(Ordering::SeqCst), 0, "all given back");
    }

    #[tokio::test(start_paused = true)]
    async fn an_upload_larger_than_the_budget_runs_alone() {
        let budget = MemoryBudget::new(100 * MIB);
        let small = budget.reserve(10 * MIB).await;
        let big = {
            let budget = budget.clone();
            tokio::spawn(async move {
                let _held = budget.reserve(400 * MIB).await;
                budget.peak_bytes()
            })
        };
        tokio::time::sleep(Duration::from_millis(10)).await;
        assert!(!big.is_finished(), "it waits for the small one");
        drop(small);
        assert_eq!(big.await.unwrap(), 100 * MIB, "then takes the whole budget");
    }

    #[test]
    fn a_functions_budget_is_its_share_of_the_memory() {
        let total = MemoryBudget::of_function(1536, 70).total_bytes();
        assert!(total.abs_diff(1536 * MIB * 70 / 100) < UNIT, "{total}");
    }
}

//! A customer's storage meter (M23): the bytes they store now, and the
//! byte-seconds they stored so far this month. Every change of the stored
//! bytes (an image becomes ready, an image is deleted) accrues the level up
//! to the change's time first, so a month's byte-seconds are exactly the
//! sum over images of bytes × seconds stored in that month.
//!
//! Two levels accrue side by side: bytes online, and bytes in the archive
//! class (M32: an original on a written disc), billed at its own rate. An
//! image's move to the archive moves its bytes from one to the other at
//! the move's time, so each image's byte-seconds are split exactly at it.

use serde::{Deserialize, Serialize};

use super::Month;

/// What a meter holds. `byte_secs` is a string in records: it can pass
/// what a DynamoDB number or a u64 holds for a big customer over a month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meter {
    /// The month being accrued.
    pub month: Month,
    /// Bytes stored since `since`.
    pub bytes: u64,
    /// Unix second up to which `byte_secs` is accrued (within `month`).
    pub since: i64,
    /// Byte-seconds stored in `month` up to `since`.
    #[serde(with = "u128_text")]
    pub byte_secs: u128,
    /// Images stored (the archive's threshold, M29). A meter written
    /// before it was counted reads 0.
    #[serde(default)]
    pub images: u32,
    /// Bytes in the archive class since `since` (M32). They are not in
    /// `bytes` or `images`: the archive's thresholds count what is online.
    #[serde(default)]
    pub archived_bytes: u64,
    /// Byte-seconds in the archive class in `month` up to `since`.
    #[serde(default, with = "u128_text")]
    pub archived_byte_secs: u128,
}

/// Where an image's bytes are stored, for the rate they are billed at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tier {
    /// Online (S3 Standard): `billing.rate_yen_per_gib_month`.
    Online,
    /// The original moved to the archive class after its disc was written
    /// (M32): `billing.archive_rate_yen_per_gib_month`.
    Archive,
}

/// One image's change on its owner's meter, each made once per image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// It became ready: its bytes count online, and it counts as an image.
    In(u64),
    /// It was deleted from `Tier`.
    Out(Tier, u64),
    /// Its original moved to the archive class (M32).
    Archive(u64),
}

/// A month's closed usage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Usage {
    pub month: Month,
    pub byte_secs: u128,
    /// Bytes stored at the month's end.
    pub bytes_at_end: u64,
    /// Byte-seconds in the archive class (M32).
    pub archived_byte_secs: u128,
    pub archived_bytes_at_end: u64,
}

/// A change lies in a later month than the meter: close the meter's month
/// (which makes its invoice) first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CloseFirst(pub Month);

impl Meter {
    /// A meter that starts empty at `t`.
    pub fn starting(t: i64) -> Self {
        let month = Month::of(t);
        Self {
            month,
            bytes: 0,
            since: month.start(),
            byte_secs: 0,
            images: 0,
            archived_bytes: 0,
            archived_byte_secs: 0,
        }
    }

    /// The meter a change at unix second `t` applies to: the customer's
    /// meter as stored, or a new one from `t` when they have none, or when
    /// theirs is idle (nothing stored, nothing accrued) and from an earlier
    /// month: an idle meter has nothing to bill, so it starts again at `t`
    /// instead of closing empty months.
    pub fn for_change(stored: Option<&Meter>, t: i64) -> Self {
        match stored {
            Some(m) if !(m.is_idle() && Month::of(t) > m.month) => m.clone(),
            _ => Self::starting(t),
        }
    }

    /// Adds `delta` bytes online at unix second `t`. A `t` before the
    /// meter's last change (a late event) counts from that change instead:
    /// a customer is never charged for time the meter already passed.
    pub fn change(&mut self, t: i64, delta: i64) -> Result<(), CloseFirst> {
        self.change_in(t, Tier::Online, delta)
    }

    /// Adds `delta` bytes to `tier` at unix second `t` (as [`Meter::change`]).
    pub fn change_in(&mut self, t: i64, tier: Tier, delta: i64) -> Result<(), CloseFirst> {
        self.accrue(t)?;
        let level = match tier {
            Tier::Online => &mut self.bytes,
            Tier::Archive => &mut self.archived_bytes,
        };
        *level = level.saturating_add_signed(delta);
        Ok(())
    }

    /// Moves `bytes` from online to the archive at unix second `t` (M32):
    /// they count at the online rate up to `t`, at the archive rate after.
    pub fn archive(&mut self, t: i64, bytes: u64) -> Result<(), CloseFirst> {
        self.accrue(t)?;
        self.bytes = self.bytes.saturating_sub(bytes);
        self.archived_bytes = self.archived_bytes.saturating_add(bytes);
        Ok(())
    }

    /// Accrues both levels up to `t` (or to `since`, if `t` is earlier).
    fn accrue(&mut self, t: i64) -> Result<(), CloseFirst> {
        if t >= self.month.end() {
            return Err(CloseFirst(self.month));
        }
        let t = t.max(self.since);
        let secs = (t - self.since) as u128;
        self.byte_secs += u128::from(self.bytes) * secs;
        self.archived_byte_secs += u128::from(self.archived_bytes) * secs;
        self.since = t;
        Ok(())
    }

    /// Makes `change` at unix second `t`: its bytes, and the count of
    /// images online.
    pub fn apply(&mut self, t: i64, change: Change) -> Result<(), CloseFirst> {
        match change {
            Change::In(b) => self.change_in(t, Tier::Online, b as i64)?,
            Change::Out(tier, b) => self.change_in(t, tier, -(b as i64))?,
            Change::Archive(b) => self.archive(t, b)?,
        }
        match change {
            Change::In(_) => self.count_image(true),
            Change::Out(Tier::Online, _) | Change::Archive(_) => self.count_image(false),
            Change::Out(Tier::Archive, _) => {}
        }
        Ok(())
    }

    /// Closes the month: accrues to its end, and returns its usage with the
    /// meter of the next month (the same bytes, nothing accrued yet).
    pub fn close(&self) -> (Usage, Meter) {
        let end = self.month.end();
        let rest = (end - self.since) as u128;
        let next = Meter {
            month: self.month.next(),
            since: end,
            byte_secs: 0,
            archived_byte_secs: 0,
            ..self.clone()
        };
        (
            Usage {
                month: self.month,
                byte_secs: self.byte_secs + u128::from(self.bytes) * rest,
                bytes_at_end: self.bytes,
                archived_byte_secs: self.archived_byte_secs + u128::from(self.archived_bytes) * rest,
                archived_bytes_at_end: self.archived_bytes,
            },
            next,
        )
    }

    /// Counts one image more (`in_`) or fewer stored.
    pub fn count_image(&mut self, in_: bool) {
        self.images = if in_ {
            self.images.saturating_add(1)
        } else {
            self.images.saturating_sub(1)
        };
    }

    /// Nothing stored and nothing accrued: the meter can leave the billing
    /// index until its next change.
    pub fn is_idle(&self) -> bool {
        self.bytes == 0 && self.byte_secs == 0 && self.archived_bytes == 0 && self.archived_byte_secs == 0
    }
}

pub(crate) mod u128_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(v: &u128, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&v.to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u128, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

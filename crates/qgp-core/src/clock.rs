//! Time: the injectable clock, the wire formats of instants and dates, and "today" in the configured zone.
//!
//! Business rules never call the system clock directly; they take a [`Clock`] so overdue rules are testable.

use jiff::{civil::Date, tz::TimeZone, Timestamp};
use std::sync::Mutex;

/// Source of the current instant.
pub trait Clock: Send + Sync {
    /// The current UTC instant.
    fn now(&self) -> Timestamp;
}

/// The operating system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that stands still until moved; for tests.
#[derive(Debug)]
pub struct FixedClock(Mutex<Timestamp>);

impl FixedClock {
    /// A clock fixed at an RFC 3339 instant. Panics on a malformed literal (test use only).
    pub fn at(rfc3339: &str) -> Self {
        FixedClock(Mutex::new(rfc3339.parse().expect("valid RFC 3339 instant")))
    }

    /// Moves the clock to another instant.
    pub fn set(&self, rfc3339: &str) {
        *self.0.lock().expect("clock lock") = rfc3339.parse().expect("valid RFC 3339 instant");
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("clock lock")
    }
}

/// A shared clock, so a test can keep a handle and move the time the core sees.
impl<C: Clock + ?Sized> Clock for std::sync::Arc<C> {
    fn now(&self) -> Timestamp {
        (**self).now()
    }
}

/// Formats an instant as stored and sent: RFC 3339, UTC, milliseconds, `Z`.
pub fn format_instant(ts: Timestamp) -> String {
    ts.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The calendar date "today" in the given zone (domain.md §1.4).
pub fn today_in(ts: Timestamp, tz: &TimeZone) -> Date {
    ts.to_zoned_datetime(tz.clone()).date()
}

/// Resolves a configured IANA zone name; empty means the operating system's zone.
pub fn resolve_zone(name: &str) -> Result<TimeZone, String> {
    if name.trim().is_empty() {
        return Ok(TimeZone::try_system().unwrap_or(TimeZone::UTC));
    }
    TimeZone::get(name).map_err(|_| format!("'{name}' is not a known IANA time zone (for example Europe/London)"))
}

/// Adds calendar months, clamping to the end of the month (31 Jan + 1 month = end of Feb; domain.md §1.4).
pub fn add_months(date: Date, months: i32) -> Date {
    date.saturating_add(jiff::Span::new().months(months))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_have_millisecond_precision_and_z() {
        let ts: Timestamp = "2026-03-04T05:06:07.89Z".parse().unwrap();
        assert_eq!(format_instant(ts), "2026-03-04T05:06:07.890Z");
    }

    #[test]
    fn today_follows_the_configured_zone() {
        let ts: Timestamp = "2026-06-30T23:30:00Z".parse().unwrap();
        let london = resolve_zone("Europe/London").unwrap();
        assert_eq!(today_in(ts, &london).to_string(), "2026-07-01", "BST is UTC+1 in June");
        assert_eq!(today_in(ts, &TimeZone::UTC).to_string(), "2026-06-30");
    }

    #[test]
    fn adding_months_clamps_to_month_end() {
        let d: Date = "2026-01-31".parse().unwrap();
        assert_eq!(add_months(d, 1).to_string(), "2026-02-28");
    }

    #[test]
    fn unknown_zone_is_refused() {
        assert!(resolve_zone("Mars/Olympus").is_err());
    }
}

//! The time, read once at the shell and passed in: the domain never reads the clock.

use jiff::Timestamp;
use jiff::civil::Date;

/// What time it is, for one command or one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// Now, in whole seconds (files record whole seconds).
    pub now: Timestamp,
    /// Today in the local time zone: the day overdue dates are judged against.
    pub today: Date,
}

impl Clock {
    /// The system clock and time zone.
    pub fn system() -> Clock {
        let now = now();
        Clock { now, today: local_tz().to_datetime(now).date() }
    }
}

/// The current time, whole seconds.
pub fn now() -> Timestamp {
    Timestamp::from_second(Timestamp::now().as_second()).unwrap_or(Timestamp::UNIX_EPOCH)
}

/// The local time zone. jiff finds the system time zone by name, and lists the whole time
/// zone database first (about 0.7 ms, before the review's first frame); without `TZ` set,
/// the time zone is `/etc/localtime`, read here directly (the same data jiff would find
/// under its name).
fn local_tz() -> jiff::tz::TimeZone {
    if std::env::var_os("TZ").is_none()
        && let Ok(data) = std::fs::read("/etc/localtime")
        && let Ok(tz) = jiff::tz::TimeZone::tzif("localtime", &data)
    {
        return tz;
    }
    jiff::tz::TimeZone::system()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_jiffs_today() {
        // (Around midnight the two calls may see different days: then a third decides.)
        let a = jiff::ZonedDateTime::now().date();
        let b = Clock::system().today;
        let c = jiff::ZonedDateTime::now().date();
        assert!(b == a || b == c, "{b} is neither {a} nor {c}");
    }

    #[test]
    fn now_has_whole_seconds() {
        assert_eq!(now().subsec_nanosecond(), 0);
    }
}

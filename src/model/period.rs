//! A review period: one calendar quarter, written `2026-Q4`.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub year: i16,
    pub quarter: u8,
}

impl Period {
    /// The quarter containing `date`.
    pub fn containing(date: jiff::civil::Date) -> Period {
        Period { year: date.year(), quarter: ((date.month() - 1) / 3 + 1) as u8 }
    }

    /// The quarter after this one.
    pub fn next(self) -> Period {
        if self.quarter == 4 {
            Period { year: self.year + 1, quarter: 1 }
        } else {
            Period { year: self.year, quarter: self.quarter + 1 }
        }
    }

    /// The first day of the quarter.
    pub fn first_day(self) -> jiff::civil::Date {
        jiff::civil::date(self.year, (self.quarter as i8 - 1) * 3 + 1, 1)
    }

    /// The last day of the quarter.
    pub fn last_day(self) -> jiff::civil::Date {
        let month = self.quarter as i8 * 3;
        let first = jiff::civil::date(self.year, month, 1);
        first.last_of_month()
    }

    /// The default results file name for this period.
    pub fn file_name(self) -> String {
        format!("privcheck-{self}.toml")
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-Q{}", self.year, self.quarter)
    }
}

impl serde::Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl FromStr for Period {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("period {s:?} is not a calendar quarter like 2026-Q4");
        // 2026-Q4, or 2026-q4 as people type it.
        let (y, q) = s.split_once("-Q").or_else(|| s.split_once("-q")).ok_or_else(bad)?;
        if y.len() != 4 || q.len() != 1 {
            return Err(bad());
        }
        let year: i16 = y.parse().map_err(|_| bad())?;
        let quarter: u8 = q.parse().map_err(|_| bad())?;
        if !(1..=4).contains(&quarter) || year < 1000 {
            return Err(bad());
        }
        Ok(Period { year, quarter })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use jiff::civil::date;

    #[test]
    fn a_lower_case_quarter_is_the_same_period() {
        assert_eq!("2026-q3".parse::<Period>(), "2026-Q3".parse::<Period>());
        assert_eq!("2026-q3".parse::<Period>().unwrap().to_string(), "2026-Q3");
        assert!("2026-x3".parse::<Period>().is_err());
    }

    #[test]
    fn parses_and_prints() {
        let p: Period = "2026-Q4".parse().unwrap();
        assert_eq!(p, Period { year: 2026, quarter: 4 });
        assert_eq!(p.to_string(), "2026-Q4");
        for bad in ["2026-Q5", "2026Q4", "26-Q4", "2026-Q0", "2026-Q44", ""] {
            assert!(bad.parse::<Period>().is_err(), "{bad}");
        }
    }

    #[test]
    fn quarter_of_a_date_and_its_neighbours() {
        assert_eq!(Period::containing(date(2026, 11, 25)).to_string(), "2026-Q4");
        assert_eq!(Period::containing(date(2026, 1, 1)).to_string(), "2026-Q1");
        assert_eq!(Period::containing(date(2026, 6, 30)).to_string(), "2026-Q2");
        assert_eq!("2026-Q4".parse::<Period>().unwrap().next().to_string(), "2027-Q1");
        assert_eq!("2026-Q1".parse::<Period>().unwrap().last_day(), date(2026, 3, 31));
        assert_eq!(Period { year: 2026, quarter: 3 }.file_name(), "privcheck-2026-Q3.toml");
    }
}

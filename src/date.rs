//! Dates as editors write them: a year, a month or a day.
//!
//! Parsed once, when front matter is read, into [`Date`]; every view, the feed and the sitemap
//! use that value. Full dates are checked against the calendar by the `time` crate, so
//! `2023-02-30` is an error rather than a page dated in March.

use std::cmp::Ordering;
use std::fmt;

use serde::{Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Date {
    year: i32,
    month: Option<time::Month>,
    day: Option<u8>,
}

impl Date {
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`. The error says what is wrong with it.
    pub fn parse(s: &str) -> Result<Date, String> {
        let parts: Vec<&str> = s.split('-').collect();
        let digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
        let shape_ok = match parts.as_slice() {
            [y] => digits(y, 4),
            [y, m] => digits(y, 4) && digits(m, 2),
            [y, m, d] => digits(y, 4) && digits(m, 2) && digits(d, 2),
            _ => false,
        };
        if !shape_ok {
            return Err(format!("`{s}` is not a date"));
        }
        if parts.len() == 3 {
            let d = time::Date::parse(s, format_description!("[year]-[month]-[day]"))
                .map_err(|_| format!("`{s}` is not a day of the calendar"))?;
            return Ok(Date {
                year: d.year(),
                month: Some(d.month()),
                day: Some(d.day()),
            });
        }
        let year: i32 = parts[0]
            .parse()
            .map_err(|_| format!("`{s}` is not a date"))?;
        let month = match parts.get(1) {
            Some(m) => Some(
                m.parse::<u8>()
                    .ok()
                    .and_then(|m| time::Month::try_from(m).ok())
                    .ok_or_else(|| format!("`{s}` has no month {m}"))?,
            ),
            None => None,
        };
        Ok(Date {
            year,
            month,
            day: None,
        })
    }

    pub fn year(&self) -> i32 {
        self.year
    }

    /// "30 March 2009", "March 2009" or "2009".
    /// Year, month (1–12) and day, as far as the date gives them.
    pub fn parts(&self) -> (i32, Option<u8>, Option<u8>) {
        (self.year, self.month.map(u8::from), self.day)
    }

    pub fn human(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{d} {m} {}", self.year),
            (Some(m), None) => format!("{m} {}", self.year),
            _ => self.year.to_string(),
        }
    }

    /// The first day the date can mean.
    fn first_day(&self) -> Option<time::Date> {
        time::Date::from_calendar_date(
            self.year,
            self.month.unwrap_or(time::Month::January),
            self.day.unwrap_or(1),
        )
        .ok()
    }

    /// Midnight UTC of the first day, as RFC 3339, for feeds and sitemaps.
    pub fn rfc3339(&self) -> String {
        self.first_day()
            .and_then(|d| d.midnight().assume_utc().format(&Rfc3339).ok())
            .unwrap_or_else(|| format!("{:04}-01-01T00:00:00Z", self.year))
    }

    /// Years since year 0 with the month and day as a fraction, for placing on a time axis.
    pub fn fractional_year(&self) -> f64 {
        let m = self.month.map_or(0, |m| u8::from(m) - 1);
        let d = self.day.map_or(0, |d| d - 1);
        f64::from(self.year) + f64::from(m) / 12.0 + f64::from(d) / 365.0
    }

    /// Whether `self` is certainly earlier than `other`, comparing only as precisely as the
    /// less precise of the two: `2009` is not before `2009-05`.
    pub fn is_before(&self, other: &Date) -> bool {
        let month = |d: &Date| d.month.map(u8::from);
        match self.year.cmp(&other.year) {
            Ordering::Less => true,
            Ordering::Greater => false,
            Ordering::Equal => match (month(self), month(other)) {
                (Some(a), Some(b)) if a != b => a < b,
                (Some(_), Some(_)) => matches!((self.day, other.day), (Some(a), Some(b)) if a < b),
                _ => false,
            },
        }
    }

    /// The same day `months` months earlier, as precise as `self` (the 31st becomes the last day
    /// of a shorter month).
    pub fn months_earlier(&self, months: u32) -> Date {
        let Some(month) = self.month else {
            return Date {
                year: self.year - (months / 12) as i32,
                ..*self
            };
        };
        let index = self.year * 12 + i32::from(u8::from(month) - 1) - months as i32;
        let year = index.div_euclid(12);
        let month = time::Month::try_from(index.rem_euclid(12) as u8 + 1).unwrap_or(month);
        Date {
            year,
            month: Some(month),
            day: self.day.map(|d| d.min(month.length(year))),
        }
    }

    /// Today in UTC.
    pub fn today() -> Date {
        let now = time::OffsetDateTime::now_utc();
        Date {
            year: now.year(),
            month: Some(now.month()),
            day: Some(now.day()),
        }
    }
}

/// As written: `2009`, `2009-03`, `2009-03-30`.
impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{:02}", u8::from(m))?;
        }
        if let Some(d) = self.day {
            write!(f, "-{d:02}")?;
        }
        Ok(())
    }
}

impl Ord for Date {
    fn cmp(&self, other: &Self) -> Ordering {
        let key = |d: &Date| (d.year, d.month.map(u8::from), d.day);
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for Date {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// "1 May 2020 – 3 May 2020", "1 May 2020", "until 3 May 2020".
pub fn range(from: Option<&Date>, to: Option<&Date>) -> Option<String> {
    match (from, to) {
        (Some(a), Some(b)) => Some(format!("{} – {}", a.human(), b.human())),
        (Some(a), None) => Some(a.human()),
        (None, Some(b)) => Some(format!("until {}", b.human())),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_earlier_keeps_the_day_within_the_month() {
        let d = |s: &str| Date::parse(s).unwrap();
        assert_eq!(d("2026-05-20").months_earlier(24).to_string(), "2024-05-20");
        assert_eq!(d("2026-01-15").months_earlier(1).to_string(), "2025-12-15");
        assert_eq!(d("2026-03-31").months_earlier(1).to_string(), "2026-02-28");
        assert_eq!(d("2024-03-31").months_earlier(1).to_string(), "2024-02-29");
        assert_eq!(d("2026").months_earlier(24).to_string(), "2024");
    }

    #[test]
    fn calendar_dates_only() {
        for ok in ["2009", "2009-03", "2009-03-30", "2024-02-29"] {
            assert_eq!(Date::parse(ok).map(|d| d.to_string()), Ok(ok.to_string()));
        }
        assert_eq!(
            Date::parse("2023-02-30"),
            Err("`2023-02-30` is not a day of the calendar".into())
        );
        assert_eq!(
            Date::parse("2024-04-31"),
            Err("`2024-04-31` is not a day of the calendar".into())
        );
        assert_eq!(
            Date::parse("2009-13-45"),
            Err("`2009-13-45` is not a day of the calendar".into())
        );
        assert_eq!(
            Date::parse("2009-13"),
            Err("`2009-13` has no month 13".into())
        );
        for bad in ["09", "2009-3", "March 2009", "", "2009-03-30T00:00"] {
            assert_eq!(Date::parse(bad), Err(format!("`{bad}` is not a date")));
        }
    }

    #[test]
    fn formats() {
        let d = Date::parse("2009-03-30").unwrap();
        assert_eq!(d.human(), "30 March 2009");
        assert_eq!(d.rfc3339(), "2009-03-30T00:00:00Z");
        assert_eq!(Date::parse("2009-03").unwrap().human(), "March 2009");
        assert_eq!(
            Date::parse("2009-03").unwrap().rfc3339(),
            "2009-03-01T00:00:00Z"
        );
        assert_eq!(Date::parse("2009").unwrap().human(), "2009");
    }

    #[test]
    fn before_compares_at_common_precision() {
        let d = |s| Date::parse(s).unwrap();
        assert!(d("2009-05-01").is_before(&d("2009-05-02")));
        assert!(d("2008").is_before(&d("2009-01")));
        assert!(!d("2009").is_before(&d("2009-05")));
        assert!(!d("2009-05").is_before(&d("2009-05-02")));
        assert!(!d("2010").is_before(&d("2009-12-31")));
    }
}

//! When a meeting happens: wall-clock times in an IANA time zone, optionally repeated by an
//! RFC 5545 recurrence rule. Meetings are planned in local time ("every second Thursday at
//! 17:30 in Lucca"), so a series keeps its wall-clock time across daylight-saving changes and
//! its instants in UTC move instead.

use crate::ParseError;
use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

/// An IANA time zone name that the time-zone database knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(Tz);

impl Zone {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        s.parse::<Tz>()
            .map(Zone)
            .map_err(|_| ParseError::InvalidFormat)
    }

    pub fn tz(&self) -> Tz {
        self.0
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    /// The instant a wall-clock time names. When clocks go back the time occurs twice and the
    /// first is meant (as every calendar program reads it); when they go forward it does not
    /// exist and is refused, so nobody is invited to 02:30 on the last Sunday of March.
    pub fn instant(&self, local: NaiveDateTime) -> Result<DateTime<Utc>, ParseError> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Ok(t.with_timezone(&Utc)),
            LocalResult::None => Err(ParseError::NonexistentTime),
        }
    }

    /// Like [`Zone::instant`], but a time inside a spring-forward gap moves past the gap, as
    /// RFC 5545 (3.3.5) prescribes for occurrences a rule generates: it is read with the
    /// offset in force before the gap, so 02:40 on the night Rome skips 02:00–03:00 is 03:40.
    pub fn instant_lenient(&self, local: NaiveDateTime) -> DateTime<Utc> {
        if let Ok(t) = self.instant(local) {
            return t;
        }
        // Gaps last up to a day (Samoa skipped 30 December 2011): half-hour steps back find
        // the last time before it. Stepping forward to the first time after it instead made a
        // meeting that ends in a long gap end before it started.
        let mut probe = local;
        for _ in 0..50 {
            probe -= Duration::minutes(30);
            if let Some(before) = self.0.from_local_datetime(&probe).earliest() {
                return Utc.from_utc_datetime(&(local - before.offset().fix()));
            }
        }
        Utc.from_utc_datetime(&local)
    }

    pub fn local(&self, instant: DateTime<Utc>) -> NaiveDateTime {
        instant.with_timezone(&self.0).naive_local()
    }

    /// The offset from UTC at an instant, as "+01:00".
    pub fn offset(&self, instant: DateTime<Utc>) -> String {
        instant.with_timezone(&self.0).format("%:z").to_string()
    }
}

/// A date and time as an HTML `datetime-local` input sends it ("2021-01-19T17:30"); seconds
/// and a space instead of the `T` are accepted too.
pub fn parse_local(raw: &str) -> Result<NaiveDateTime, ParseError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ParseError::Empty);
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .filter(|t| (1900..=2200).contains(&chrono::Datelike::year(t)))
        // chrono reads second 60 as a leap second, which no form sends and no zone's
        // arithmetic expects.
        .filter(|t| chrono::Timelike::nanosecond(t) == 0)
        .ok_or(ParseError::InvalidFormat)
}

/// Which part of a schedule a problem belongs to, so a form can show it beside its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Start,
    End,
    Rule,
    Count,
    Until,
}

/// A validated schedule: a first occurrence and, for a series, the rule that repeats it.
#[derive(Debug, Clone)]
pub struct Schedule {
    zone: Zone,
    start: NaiveDateTime,
    end: NaiveDateTime,
    rule: Option<String>,
    exdates: Vec<NaiveDateTime>,
}

/// One occurrence of a schedule. `original` is its start as the rule generated it, in local
/// time: it identifies the occurrence (iCalendar's RECURRENCE-ID) even after it is moved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub original: NaiveDateTime,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

impl Schedule {
    /// Longest a single meeting may last.
    pub const MAX_LENGTH_DAYS: i64 = 7;
    /// Most occurrences a series may have: five years of weekly meetings.
    pub const MAX_OCCURRENCES: u16 = 260;
    /// A rule without COUNT or UNTIL ends this long after its first occurrence, so that what
    /// the feeds announce and what people can register for are the same dates.
    pub const OPEN_ENDED_YEARS: i32 = 2;
    pub const MAX_RULE_LEN: usize = 300;

    pub fn parse(
        zone: Zone,
        start: &str,
        end: &str,
        rule: &str,
        exdates: &[NaiveDateTime],
    ) -> Result<Self, Vec<(Part, ParseError)>> {
        let mut problems = Vec::new();
        let start = parse_local(start)
            .and_then(|s| zone.instant(s).map(|_| s))
            .map_err(|e| problems.push((Part::Start, e)))
            .ok();
        let end = parse_local(end)
            .and_then(|e| zone.instant(e).map(|_| e))
            .map_err(|e| problems.push((Part::End, e)))
            .ok();
        let (Some(start), Some(end)) = (start, end) else {
            return Err(problems);
        };
        if end <= start {
            return Err(vec![(Part::End, ParseError::EndBeforeStart)]);
        }
        if end - start > Duration::days(Self::MAX_LENGTH_DAYS) {
            return Err(vec![(Part::End, ParseError::OutOfRange)]);
        }
        let rule = normalise_rule(zone, start, rule.trim()).map_err(|e| vec![(Part::Rule, e)])?;
        let schedule = Schedule {
            zone,
            start,
            end,
            rule,
            exdates: exdates.to_vec(),
        };
        if schedule.rule.is_some() && schedule.slots().is_empty() {
            return Err(vec![(Part::Rule, ParseError::InvalidFormat)]);
        }
        Ok(schedule)
    }

    pub fn zone(&self) -> Zone {
        self.zone
    }

    pub fn start(&self) -> NaiveDateTime {
        self.start
    }

    pub fn end(&self) -> NaiveDateTime {
        self.end
    }

    /// The rule as stored and published (RRULE value, without the "RRULE:" prefix).
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref()
    }

    pub fn exdates(&self) -> &[NaiveDateTime] {
        &self.exdates
    }

    /// Every occurrence, in order. Each lasts as long on the wall clock as the first one.
    pub fn slots(&self) -> Vec<Slot> {
        let length = self.end - self.start;
        let slot = |original: NaiveDateTime| Slot {
            original,
            starts_at: self.zone.instant_lenient(original),
            ends_at: self.zone.instant_lenient(original + length),
        };
        let Some(rule) = &self.rule else {
            return vec![slot(self.start)];
        };
        let Ok(set) = rule_set(self.zone, self.start, rule, &self.exdates) else {
            return Vec::new();
        };
        set.all(Self::MAX_OCCURRENCES)
            .dates
            .into_iter()
            .map(|d| slot(d.naive_local()))
            .collect()
    }
}

fn rrule_tz(zone: Zone) -> rrule::Tz {
    rrule::Tz::Tz(zone.tz())
}

fn rule_set(
    zone: Zone,
    start: NaiveDateTime,
    rule: &str,
    exdates: &[NaiveDateTime],
) -> Result<rrule::RRuleSet, ParseError> {
    let tz = rrule_tz(zone);
    let dt_start = tz
        .from_local_datetime(&start)
        .earliest()
        .ok_or(ParseError::NonexistentTime)?;
    let parsed: rrule::RRule<rrule::Unvalidated> =
        rule.parse().map_err(|_| ParseError::InvalidFormat)?;
    let mut set = parsed
        .build(dt_start)
        .map_err(|_| ParseError::InvalidFormat)?;
    for ex in exdates {
        if let Some(t) = tz.from_local_datetime(ex).earliest() {
            set = set.exdate(t);
        }
    }
    Ok(set)
}

/// Checks a rule and gives it the form it is stored in: no "RRULE:" prefix, daily at most,
/// a bounded number of occurrences, and an end date when it had none.
fn normalise_rule(
    zone: Zone,
    start: NaiveDateTime,
    raw: &str,
) -> Result<Option<String>, ParseError> {
    let raw = raw
        .strip_prefix("RRULE:")
        .or_else(|| raw.strip_prefix("rrule:"))
        .unwrap_or(raw)
        .trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if raw.len() > Schedule::MAX_RULE_LEN {
        return Err(ParseError::TooLong);
    }
    // A rule is printable ASCII (RFC 5545's grammar): a line break would end the iCalendar
    // line it is published in, and rrule panics on a weekday with a multi-byte character.
    if raw.chars().any(|c| !c.is_ascii_graphic() && c != ' ') {
        return Err(ParseError::InvalidCharacters);
    }
    let tz = rrule_tz(zone);
    let dt_start = tz
        .from_local_datetime(&start)
        .earliest()
        .ok_or(ParseError::NonexistentTime)?;
    let mut parsed: rrule::RRule<rrule::Unvalidated> = raw
        .to_ascii_uppercase()
        .parse()
        .map_err(|_| ParseError::InvalidFormat)?;
    let validated = parsed
        .clone()
        .validate(dt_start)
        .map_err(|_| ParseError::InvalidFormat)?;
    if matches!(
        validated.get_freq(),
        rrule::Frequency::Hourly | rrule::Frequency::Minutely | rrule::Frequency::Secondly
    ) || validated.get_by_hour().len() > 1
        || validated.get_by_minute().len() > 1
        || validated.get_by_second().len() > 1
    {
        return Err(ParseError::TooFrequent);
    }
    if validated.get_count().is_none() && validated.get_until().is_none() {
        let until = start
            .checked_add_months(chrono::Months::new(12 * Schedule::OPEN_ENDED_YEARS as u32))
            .ok_or(ParseError::OutOfRange)?;
        let until = zone.instant_lenient(until).with_timezone(&rrule::Tz::UTC);
        parsed = parsed.until(until);
    }
    let validated = parsed
        .clone()
        .validate(dt_start)
        .map_err(|_| ParseError::InvalidFormat)?;
    if validated
        .get_count()
        .is_some_and(|c| c > u32::from(Schedule::MAX_OCCURRENCES))
    {
        return Err(ParseError::TooFrequent);
    }
    // The rule as written, not as validated: rrule writes a validated rule without its
    // negative BYMONTHDAY values ("the last day of the month"), which the stored rule then
    // lost.
    let text = parsed.to_string();
    let set = rule_set(zone, start, &text, &[])?;
    // `limited` also means "reached the limit", so one more than allowed is asked for.
    if set.all(Schedule::MAX_OCCURRENCES + 1).limited {
        return Err(ParseError::TooFrequent);
    }
    Ok(Some(text))
}

/// How a coordinator's form says a meeting repeats. Presets are written as RRULEs here, so
/// that what is stored and published is always a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repeat {
    Never,
    Weekly,
    Fortnightly,
    /// The same weekday of the month as the first date: "second Thursday"; a first date in
    /// the month's last seven days means "last Thursday".
    MonthlyByWeekday,
    MonthlyByDate,
    /// A rule the coordinator writes.
    Custom,
}

impl Repeat {
    pub const ALL: [Repeat; 6] = [
        Repeat::Never,
        Repeat::Weekly,
        Repeat::Fortnightly,
        Repeat::MonthlyByWeekday,
        Repeat::MonthlyByDate,
        Repeat::Custom,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Repeat::Never => "never",
            Repeat::Weekly => "weekly",
            Repeat::Fortnightly => "fortnightly",
            Repeat::MonthlyByWeekday => "monthly-weekday",
            Repeat::MonthlyByDate => "monthly-date",
            Repeat::Custom => "custom",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw.trim())
    }

    /// The rule for a series starting at `start` in `zone`, ending after `count` dates or on
    /// the local day `until` (the custom rule is returned as written; its own COUNT or UNTIL
    /// wins). Problems are for the form's count or until field.
    pub fn rule(
        self,
        zone: Zone,
        start: NaiveDateTime,
        custom: &str,
        count: Option<u16>,
        until: Option<chrono::NaiveDate>,
    ) -> Result<String, (Part, ParseError)> {
        use chrono::Datelike;
        const DAYS: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
        let day = DAYS[start.weekday().num_days_from_monday() as usize];
        let base = match self {
            Repeat::Never => return Ok(String::new()),
            Repeat::Custom => return Ok(custom.trim().to_owned()),
            Repeat::Weekly => "FREQ=WEEKLY".to_owned(),
            Repeat::Fortnightly => "FREQ=WEEKLY;INTERVAL=2".to_owned(),
            Repeat::MonthlyByWeekday => {
                let next_month = start.date() + Duration::days(7);
                let nth = if next_month.month() != start.month() {
                    -1
                } else {
                    (start.day() as i32 - 1) / 7 + 1
                };
                format!("FREQ=MONTHLY;BYDAY={nth}{day}")
            }
            Repeat::MonthlyByDate => format!("FREQ=MONTHLY;BYMONTHDAY={}", start.day()),
        };
        match (count, until) {
            (Some(_), Some(_)) => Err((Part::Until, ParseError::InvalidFormat)),
            (Some(n), None) if n == 0 || n > Schedule::MAX_OCCURRENCES => {
                Err((Part::Count, ParseError::OutOfRange))
            }
            (Some(n), None) => Ok(format!("{base};COUNT={n}")),
            (None, Some(day)) if day < start.date() => {
                Err((Part::Until, ParseError::EndBeforeStart))
            }
            (None, Some(day)) => {
                let last = zone.instant_lenient(day.and_hms_opt(23, 59, 59).unwrap_or(start));
                Ok(format!("{base};UNTIL={}", last.format("%Y%m%dT%H%M%SZ")))
            }
            (None, None) => Ok(base),
        }
    }
}

#[cfg(test)]
mod tests;

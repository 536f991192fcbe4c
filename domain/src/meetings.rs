//! Meetings as the calendar shows them, and the calendar's query (view and filters), which lives
//! in the URL so that a filtered calendar can be shared, bookmarked and subscribed to.

use crate::{CityRef, Localized, Sector};
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where people meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Mode {
    InPerson,
    Online,
    /// A room and a link: both kinds of participant.
    Hybrid,
}

impl Mode {
    pub const ALL: [Mode; 3] = [Mode::InPerson, Mode::Online, Mode::Hybrid];

    pub fn as_str(self) -> &'static str {
        match self {
            Mode::InPerson => "in-person",
            Mode::Online => "online",
            Mode::Hybrid => "hybrid",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.as_str() == raw.trim())
    }

    pub fn has_link(self) -> bool {
        self != Mode::InPerson
    }

    pub fn has_place(self) -> bool {
        self != Mode::Online
    }
}

/// Whom a meeting is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Audience {
    Everyone,
    Organisations,
    /// The signatories of the city's pact: its coordination table.
    Signatories,
    Coordinators,
}

impl Audience {
    pub const ALL: [Audience; 4] = [
        Audience::Everyone,
        Audience::Organisations,
        Audience::Signatories,
        Audience::Coordinators,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Everyone => "everyone",
            Audience::Organisations => "organisations",
            Audience::Signatories => "signatories",
            Audience::Coordinators => "coordinators",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == raw.trim())
    }
}

/// The languages a meeting may be held in and the calendar filters by.
pub const MEETING_LANGUAGES: [&str; 6] = ["it", "en", "zh", "fr", "es", "de"];

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CalendarView {
    /// A list by day: what a phone shows by default.
    #[default]
    Agenda,
    Week,
    Month,
}

impl CalendarView {
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarView::Agenda => "agenda",
            CalendarView::Week => "week",
            CalendarView::Month => "month",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "agenda" => Some(CalendarView::Agenda),
            "week" => Some(CalendarView::Week),
            "month" => Some(CalendarView::Month),
            _ => None,
        }
    }
}

/// The calendar's view and filters as they appear in its URL. Unknown or malformed parameters
/// are dropped rather than refused: a hand-edited link still shows a calendar.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CalendarQuery {
    pub view: CalendarView,
    pub city: Option<String>,
    pub cluster: Option<String>,
    pub sector: Option<String>,
    pub audience: Option<Audience>,
    pub mode: Option<Mode>,
    pub language: Option<String>,
    /// First day shown; for the week and month views, any day of the week or month shown.
    pub from: Option<NaiveDate>,
    /// Last day shown (agenda only).
    pub to: Option<NaiveDate>,
    /// 1-based page of the agenda.
    pub page: u32,
}

impl CalendarQuery {
    pub const PAGE_SIZE: u32 = 20;
    /// Past this, a page number is nonsense (200,000 meetings), and `page + 1`, the next
    /// page's link, could overflow.
    pub const MAX_PAGE: u32 = 10_000;

    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut q = CalendarQuery {
            page: 1,
            ..Default::default()
        };
        let slug = |v: &str| crate::Slug::parse(v).ok().map(|s| s.as_str().to_owned());
        // The years a meeting can be in (as `schedule::parse_local` reads them): beyond them
        // a date is written with a sign, which the links would have to escape, and the week
        // and month around it may not exist.
        let day = |v: &str| {
            NaiveDate::parse_from_str(v.trim(), "%Y-%m-%d")
                .ok()
                .filter(|d| (1900..=2200).contains(&d.year()))
        };
        for (key, value) in pairs {
            match key {
                "view" => q.view = CalendarView::parse(value).unwrap_or_default(),
                "city" => q.city = slug(value),
                "cluster" => q.cluster = slug(value),
                "sector" => q.sector = slug(value),
                "audience" => q.audience = Audience::parse(value),
                "mode" => q.mode = Mode::parse(value),
                "language" => {
                    q.language = MEETING_LANGUAGES
                        .contains(&value.trim())
                        .then(|| value.trim().to_owned())
                }
                "from" => q.from = day(value),
                "to" => q.to = day(value),
                "page" => {
                    q.page = value
                        .trim()
                        .parse()
                        .ok()
                        .filter(|p| (1..=Self::MAX_PAGE).contains(p))
                        .unwrap_or(1)
                }
                _ => {}
            }
        }
        q
    }

    /// The query string that reproduces this query (without `?`), default values left out.
    pub fn to_query_string(&self) -> String {
        let mut parts: Vec<(&str, String)> = Vec::new();
        if self.view != CalendarView::Agenda {
            parts.push(("view", self.view.as_str().into()));
        }
        self.filter_pairs(&mut parts);
        if let Some(d) = self.from {
            parts.push(("from", d.format("%Y-%m-%d").to_string()));
        }
        if let Some(d) = self.to {
            parts.push(("to", d.format("%Y-%m-%d").to_string()));
        }
        if self.page > 1 {
            parts.push(("page", self.page.to_string()));
        }
        join(&parts)
    }

    /// The filters alone (no view, dates or page): what a feed subscription keeps.
    pub fn filters_query_string(&self) -> String {
        let mut parts = Vec::new();
        self.filter_pairs(&mut parts);
        join(&parts)
    }

    fn filter_pairs(&self, parts: &mut Vec<(&'static str, String)>) {
        for (key, value) in [
            ("city", self.city.clone()),
            ("cluster", self.cluster.clone()),
            ("sector", self.sector.clone()),
            ("audience", self.audience.map(|a| a.as_str().to_owned())),
            ("mode", self.mode.map(|m| m.as_str().to_owned())),
            ("language", self.language.clone()),
        ] {
            if let Some(v) = value {
                parts.push((key, v));
            }
        }
    }

    pub fn has_filters(&self) -> bool {
        !self.filters_query_string().is_empty() || self.to.is_some()
    }

    /// The days the view covers, first and last inclusive, given today's date.
    pub fn range(&self, today: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
        let anchor = self.from.unwrap_or(today);
        match self.view {
            CalendarView::Agenda => (anchor, self.to.filter(|t| *t >= anchor)),
            CalendarView::Week => {
                let monday =
                    anchor - Duration::days(i64::from(anchor.weekday().num_days_from_monday()));
                (monday, Some(monday + Duration::days(6)))
            }
            CalendarView::Month => {
                let first = anchor.with_day(1).unwrap_or(anchor);
                let next = first
                    .checked_add_months(chrono::Months::new(1))
                    .unwrap_or(first);
                (first, Some(next - Duration::days(1)))
            }
        }
    }
}

fn join(parts: &[(&str, String)]) -> String {
    parts
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Values are slugs, dates and fixed words; only a few characters can need escaping.
fn encode(v: &str) -> String {
    v.chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' => c.to_string(),
            other => format!("%{:02X}", other as u32 & 0xFF),
        })
        .collect()
}

/// Who organises a meeting: a city, or a cluster of the network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Organiser {
    City(CityRef),
    Cluster { slug: String, name: Localized },
}

impl Organiser {
    pub fn name(&self, lang: &str) -> String {
        match self {
            Organiser::City(c) => c.name.get(lang).to_owned(),
            Organiser::Cluster { name, .. } => name.get(lang).to_owned(),
        }
    }
}

/// A time as the page shows it: the instant, and the wall-clock time in the meeting's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Moment {
    /// Seconds since the Unix epoch: the browser renders it in the viewer's own zone.
    pub epoch: i64,
    /// "2021-01-19T17:30" in the meeting's time zone.
    pub local: String,
    /// "+01:00".
    pub offset: String,
    /// The date in words, in the reader's language: "martedì 19 gennaio 2021".
    pub date: String,
    /// "17:30".
    pub time: String,
}

impl Moment {
    /// "2021-01-19": the local day the calendar files the moment under.
    pub fn day(&self) -> &str {
        self.local.get(..10).unwrap_or(&self.local)
    }
}

/// One occurrence of a meeting, as the calendar lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingSummary {
    /// The occurrence: what a meeting page and a registration are about.
    pub id: i64,
    pub title: String,
    pub starts: Moment,
    pub ends: Moment,
    pub timezone: String,
    pub mode: Mode,
    pub audience: Audience,
    pub language: String,
    pub place: String,
    pub organiser: Organiser,
    pub sector: Option<Sector>,
    pub capacity: Option<i32>,
    pub taken: i32,
    pub cancelled: bool,
    pub recurring: bool,
}

impl MeetingSummary {
    pub fn seats_left(&self) -> Option<i32> {
        self.capacity.map(|c| (c - self.taken).max(0))
    }
}

/// Whether people can register for an occurrence now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationWindow {
    /// The meeting takes no registrations (a public event anyone may attend).
    None,
    NotYet,
    Open,
    /// Open, but every seat is taken: new registrations join the waitlist.
    Waitlist,
    Closed,
    Cancelled,
}

/// A meeting page's content. The online link is never part of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingDetail {
    pub summary: MeetingSummary,
    /// The description, rendered from Markdown and sanitised on the server.
    pub description_html: String,
    /// The description as plain text (for Open Graph, JSON-LD and calendar entries).
    pub description_text: String,
    pub address: String,
    pub window: RegistrationWindow,
    pub opens: Option<Moment>,
    pub closes: Option<Moment>,
    pub waiting: i32,
    /// For a series: the rule, and its next occurrences after this one.
    pub rule: Option<String>,
    pub next: Vec<(i64, Moment)>,
    /// The same start in other time zones that matter (a cluster's lead cities).
    pub elsewhere: Vec<(String, Moment)>,
    /// Minutes before the start at which registrants are reminded.
    pub reminders: Vec<i32>,
    /// "Add to calendar" links for Google Calendar and Outlook.
    pub google: String,
    pub outlook: String,
    /// schema.org Event, as JSON safe to place inside a script element.
    pub json_ld: String,
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationStatus {
    /// Waiting for the person to confirm by the link in the e-mail.
    Pending,
    Confirmed,
    Waiting,
    Cancelled,
}

impl RegistrationStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationStatus::Pending => "pending",
            RegistrationStatus::Confirmed => "confirmed",
            RegistrationStatus::Waiting => "waiting",
            RegistrationStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        [
            RegistrationStatus::Pending,
            RegistrationStatus::Confirmed,
            RegistrationStatus::Waiting,
            RegistrationStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// How the database hands a stored status over.
impl TryFrom<String> for RegistrationStatus {
    type Error = crate::UnknownValue;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).ok_or(crate::UnknownValue(raw))
    }
}

/// What a registrant sees through their personal link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegistrationView {
    pub meeting: MeetingSummary,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub status: RegistrationStatus,
    /// Place on the waitlist, 1 = next to be promoted.
    pub position: Option<i64>,
    /// Only for a confirmed registrant of a meeting that has one.
    pub online_link: Option<String>,
    pub address: String,
}

/// Reminder times before a meeting as coordinators write them: "24h, 1h", "2d", "30m" (a bare
/// number is hours). Stored as minutes, longest first, without repeats.
pub fn parse_reminders(raw: &str) -> Result<Vec<i32>, crate::ParseError> {
    use crate::ParseError;
    let mut out: Vec<i32> = Vec::new();
    for item in raw
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let lower = item.to_ascii_lowercase();
        let (number, unit) = match lower.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
            Some((i, _)) => lower.split_at(i),
            None => (lower.as_str(), "h"),
        };
        let factor = match unit.trim() {
            "m" | "min" => 1,
            "h" => 60,
            "d" => 1440,
            _ => return Err(ParseError::InvalidFormat),
        };
        let n: i32 = number.trim().parse().map_err(|_| ParseError::NotANumber)?;
        let minutes = n.checked_mul(factor).ok_or(ParseError::OutOfRange)?;
        if !(1..=MAX_REMINDER_MINUTES).contains(&minutes) {
            return Err(ParseError::OutOfRange);
        }
        if !out.contains(&minutes) {
            out.push(minutes);
        }
    }
    if out.len() > MAX_REMINDERS {
        return Err(ParseError::TooLong);
    }
    out.sort_unstable_by(|a, b| b.cmp(a));
    Ok(out)
}

/// Most reminders a meeting may have, and the earliest one (30 days before).
pub const MAX_REMINDERS: usize = 5;
pub const MAX_REMINDER_MINUTES: i32 = 30 * 1440;

/// Minutes as [`parse_reminders`] reads them back: "24h, 1h".
pub fn format_reminders(minutes: &[i32]) -> String {
    minutes
        .iter()
        .map(|m| {
            if m % 1440 == 0 && *m >= 2880 {
                format!("{}d", m / 1440)
            } else if m % 60 == 0 {
                format!("{}h", m / 60)
            } else {
                format!("{m}m")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminders_read_as_coordinators_write_them() {
        assert_eq!(parse_reminders("24h, 1h"), Ok(vec![1440, 60]));
        assert_eq!(parse_reminders("1h 2d 30m 1h"), Ok(vec![2880, 60, 30]));
        assert_eq!(parse_reminders("24"), Ok(vec![1440]));
        assert_eq!(parse_reminders(""), Ok(vec![]));
        assert_eq!(parse_reminders("0h"), Err(crate::ParseError::OutOfRange));
        assert_eq!(parse_reminders("31d"), Err(crate::ParseError::OutOfRange));
        assert_eq!(
            parse_reminders("soon"),
            Err(crate::ParseError::InvalidFormat)
        );
        assert_eq!(
            parse_reminders("x1h"),
            Err(crate::ParseError::InvalidFormat)
        );
        assert_eq!(
            parse_reminders("99999999999h"),
            Err(crate::ParseError::NotANumber)
        );
        assert_eq!(
            parse_reminders("1h,2h,3h,4h,5h,6h"),
            Err(crate::ParseError::TooLong)
        );
        for minutes in [vec![1440, 60], vec![2880, 90, 30], vec![]] {
            assert_eq!(parse_reminders(&format_reminders(&minutes)), Ok(minutes));
        }
    }

    #[test]
    fn the_query_round_trips_through_its_url_and_drops_nonsense() {
        let q = CalendarQuery::from_pairs([
            ("view", "month"),
            ("city", "lucca"),
            ("sector", "sports"),
            ("mode", "online"),
            ("language", "it"),
            ("audience", "organisations"),
            ("from", "2021-01-19"),
            ("page", "2"),
            ("cluster", "<script>"),
            ("to", "yesterday"),
            ("utm_source", "x"),
        ]);
        assert_eq!(q.view, CalendarView::Month);
        assert_eq!(q.cluster, None);
        assert_eq!(q.to, None);
        let s = q.to_query_string();
        assert_eq!(
            s,
            "view=month&city=lucca&sector=sports&audience=organisations&mode=online&language=it&from=2021-01-19&page=2"
        );
        let pairs: Vec<(String, String)> = s
            .split('&')
            .map(|kv| {
                let (k, v) = kv.split_once('=').unwrap();
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let again = CalendarQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        assert_eq!(again, q);
        assert_eq!(
            q.filters_query_string(),
            "city=lucca&sector=sports&audience=organisations&mode=online&language=it"
        );
        assert_eq!(CalendarQuery::from_pairs([("page", "0")]).page, 1);
        // The next page's link of page 4294967295 overflowed.
        assert_eq!(CalendarQuery::from_pairs([("page", "4294967295")]).page, 1);
        assert_eq!(CalendarQuery::from_pairs([("page", "10000")]).page, 10_000);
        // Dates past year 9999 are written "+10000-01-01", which the links then escaped and
        // did not read back; the week around the last date chrono knows does not exist.
        for far in [
            "+10000-01-01",
            "+262142-12-31",
            "-0001-01-01",
            "1899-12-31",
            "2201-01-01",
        ] {
            let q = CalendarQuery::from_pairs([("view", "week"), ("from", far), ("to", far)]);
            assert_eq!((q.from, q.to), (None, None), "{far}");
        }
        assert_eq!(
            CalendarQuery::from_pairs([("language", "xx")]).language,
            None
        );
    }

    #[test]
    fn views_cover_their_week_or_month() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let mut q = CalendarQuery::from_pairs([("from", "2021-01-21")]);
        assert_eq!(q.range(day(2030, 1, 1)), (day(2021, 1, 21), None));
        q.view = CalendarView::Week;
        assert_eq!(
            q.range(day(2030, 1, 1)),
            (day(2021, 1, 18), Some(day(2021, 1, 24)))
        );
        q.view = CalendarView::Month;
        assert_eq!(
            q.range(day(2030, 1, 1)),
            (day(2021, 1, 1), Some(day(2021, 1, 31)))
        );
        q.from = Some(day(2024, 2, 10));
        assert_eq!(
            q.range(day(2030, 1, 1)),
            (day(2024, 2, 1), Some(day(2024, 2, 29)))
        );
        let q = CalendarQuery::default();
        assert_eq!(q.range(day(2026, 11, 23)), (day(2026, 11, 23), None));
    }
}

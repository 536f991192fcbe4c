//! The GNLC member roster as a CSV file (`learning-city import-roster`, the bundled demo
//! roster): every row is checked and every problem collected with the line it is on, so that
//! one run shows every line to fix. Writing the cities is the database layer's (`db::roster`).

use crate::schedule::Zone;
use crate::{CoordinateField, Coordinates, CountryCode, Name, ParseError, Slug};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::ops::RangeInclusive;

/// The columns a roster file carries, in any order and any case. [`REQUIRED`] ones must be
/// there; the rest may be missing or empty, and other columns are ignored.
pub const COLUMNS: [&str; 12] = [
    "slug",
    "name_en",
    "name_it",
    "country",
    "country_en",
    "country_it",
    "latitude",
    "longitude",
    "timezone",
    "joined",
    "clusters",
    "geonames_id",
];

pub const REQUIRED: [&str; 7] = [
    "slug",
    "name_en",
    "country",
    "country_en",
    "latitude",
    "longitude",
    "timezone",
];

/// The years a city can have joined in: the GNLC was founded in 2013.
pub const JOINED: RangeInclusive<i32> = 2013..=2100;

/// The most characters a message shows of a refused value (escapes included).
const QUOTED_CHARS: usize = 40;

#[derive(Debug, Clone, PartialEq)]
pub struct RosterCity {
    /// Where the row stood in the file, for messages about it.
    pub line: u64,
    pub slug: Slug,
    pub name_en: Name,
    pub name_it: Name,
    pub country: CountryCode,
    pub country_en: Name,
    pub country_it: Name,
    pub position: Coordinates,
    pub timezone: chrono_tz::Tz,
    pub joined: Option<i32>,
    /// Cluster slugs, each once, and whether the city leads it.
    pub clusters: Vec<(Slug, bool)>,
    pub geonames_id: Option<i64>,
}

/// One refused value, with the 1-based line of the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    /// A column's name, `header` or `row`.
    pub field: String,
    /// One line of text: values it quotes have their line breaks and controls escaped.
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

fn describe(e: ParseError) -> &'static str {
    match e {
        ParseError::Empty => "is required",
        ParseError::TooShort => "is too short",
        ParseError::TooLong => "is too long",
        ParseError::InvalidFormat => "is not in the expected format",
        ParseError::InvalidCharacters => "has invalid characters",
        ParseError::OutOfRange => "is out of range",
        ParseError::NotANumber => "is not a number",
        ParseError::EndBeforeStart => "ends before it starts",
        ParseError::NonexistentTime => "is a time the clocks skip",
        ParseError::TooFrequent => "repeats too often",
        ParseError::Checksum => "has a wrong check digit",
    }
}

/// A refused value as a message quotes it: its start only, with controls, line breaks and
/// direction overrides escaped, so that each message stays one line of the report
/// (`file:line N: field: message`) and shows what the file holds.
fn quoted(raw: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{feff}')
    };
    let mut out = String::new();
    let mut shown = 0;
    for c in raw.chars() {
        let piece: String = if hidden(c) {
            c.escape_unicode().collect()
        } else {
            c.into()
        };
        shown += piece.chars().count();
        if shown > QUOTED_CHARS {
            out.push('…');
            break;
        }
        out.push_str(&piece);
    }
    format!("'{out}'")
}

/// Line numbers of byte offsets, counting `\n`, `\r\n` and a lone `\r` as one line break each,
/// as the CSV reader splits records. The reader's own count is not used: it counts neither a
/// CRLF file's breaks (rust-csv#395: every row of a file saved on Windows was named one line
/// early) nor the blank lines it skips.
struct Lines<'a> {
    input: &'a [u8],
    /// Where each line starts.
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    fn new(input: &'a [u8]) -> Self {
        let mut starts = vec![0];
        for (i, &b) in input.iter().enumerate() {
            if b == b'\n' || (b == b'\r' && input.get(i + 1) != Some(&b'\n')) {
                starts.push(i + 1);
            }
        }
        Lines { input, starts }
    }

    /// The line of the record the reader started reading at `byte`: the reader reports where
    /// it stopped after the record before, so the blank lines it skipped come first.
    fn of_record(&self, byte: u64) -> u64 {
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX);
        while matches!(self.input.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.starts.partition_point(|&start| start <= at) as u64
    }
}

/// Why the reader refused a record, in the report's words (its own messages carry its own
/// line count, which can differ from ours).
fn unreadable(e: &csv::Error, header: &[String]) -> (String, String) {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => (
            "row".into(),
            format!("has {len} values where the header has {expected_len}"),
        ),
        csv::ErrorKind::Utf8 { err, .. } => (
            header
                .get(err.field())
                .filter(|name| COLUMNS.contains(&name.as_str()))
                .cloned()
                .unwrap_or_else(|| "row".into()),
            "is not UTF-8 text (save the file as CSV UTF-8)".into(),
        ),
        _ => ("row".into(), "cannot be read as CSV".into()),
    }
}

/// Parses a roster file. All problems are collected, so one run shows every line to fix.
pub fn parse(input: &[u8]) -> Result<Vec<RosterCity>, Vec<RowError>> {
    let lines = Lines::new(input);
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(input);
    let header = read_header(&mut reader, lines.of_record(0))?;
    let index: HashMap<&str, usize> = header
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i))
        .collect();
    let mut errors = Vec::new();
    let mut cities = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let byte = e.position().map_or(input.len() as u64, |p| p.byte());
                let (field, message) = unreadable(&e, &header);
                errors.push(RowError {
                    line: lines.of_record(byte),
                    field,
                    message,
                });
                continue;
            }
        };
        let mut row = Row {
            line: lines.of_record(record.position().map_or(0, |p| p.byte())),
            record: &record,
            index: &index,
            errors: &mut errors,
        };
        if let Some(city) = row.city(&mut seen) {
            cities.push(city);
        }
    }
    if errors.is_empty() {
        Ok(cities)
    } else {
        Err(errors)
    }
}

/// The header's column names (lower-cased), or why it cannot be used: unreadable, a known
/// column twice, a required one missing.
fn read_header(reader: &mut csv::Reader<&[u8]>, line: u64) -> Result<Vec<String>, Vec<RowError>> {
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_ascii_lowercase).collect(),
        Err(e) => {
            let (_, message) = unreadable(&e, &[]);
            return Err(vec![RowError {
                line,
                field: "header".into(),
                message,
            }]);
        }
    };
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for name in &header {
        if !seen.insert(name.as_str()) && COLUMNS.contains(&name.as_str()) {
            errors.push(RowError {
                line,
                field: name.clone(),
                message: "column appears twice in the header".into(),
            });
        }
    }
    for required in REQUIRED {
        if !seen.contains(required) {
            errors.push(RowError {
                line,
                field: required.into(),
                message: "column is missing from the header".into(),
            });
        }
    }
    if errors.is_empty() {
        Ok(header)
    } else {
        Err(errors)
    }
}

/// One record being read, with the report its problems go to.
struct Row<'a> {
    line: u64,
    record: &'a csv::StringRecord,
    index: &'a HashMap<&'a str, usize>,
    errors: &'a mut Vec<RowError>,
}

impl<'a> Row<'a> {
    fn get(&self, column: &str) -> &'a str {
        self.index
            .get(column)
            .and_then(|&i| self.record.get(i))
            .unwrap_or("")
    }

    fn err(&mut self, field: &str, message: String) {
        self.errors.push(RowError {
            line: self.line,
            field: field.into(),
            message,
        });
    }

    /// A required name, or an optional one (`fallback` when empty).
    fn name(&mut self, column: &str, fallback: Option<&Option<Name>>) -> Option<Name> {
        match (self.get(column), fallback) {
            ("", Some(fallback)) => fallback.clone(),
            (raw, _) => Name::parse(raw)
                .map_err(|e| self.err(column, describe(e).into()))
                .ok(),
        }
    }

    /// The city on this line, or `None` when any of its fields was refused (each is reported).
    fn city(&mut self, seen: &mut HashSet<Slug>) -> Option<RosterCity> {
        let slug = Slug::parse(self.get("slug"))
            .map_err(|e| self.err("slug", describe(e).into()))
            .ok();
        if let Some(s) = &slug {
            if !seen.insert(s.clone()) {
                self.err("slug", format!("'{s}' appears twice in the file"));
            }
        }
        let name_en = self.name("name_en", None);
        let name_it = self.name("name_it", Some(&name_en));
        let country = CountryCode::parse(self.get("country"))
            .map_err(|e| self.err("country", format!("{} (two-letter ISO code)", describe(e))))
            .ok();
        let country_en = self.name("country_en", None);
        let country_it = self.name("country_it", Some(&country_en));
        let position = self.position();
        let timezone = self.timezone();
        let joined = self.optional_number(
            "joined",
            |y: i32| JOINED.contains(&y),
            "a year from 2013 on",
        );
        let geonames_id = self.optional_number("geonames_id", |id: i64| id > 0, "a GeoNames id");
        let clusters = self.clusters();
        Some(RosterCity {
            line: self.line,
            slug: slug?,
            name_en: name_en?,
            name_it: name_it?,
            country: country?,
            country_en: country_en?,
            country_it: country_it?,
            position: position?,
            timezone: timezone?,
            joined: joined?,
            clusters: clusters?,
            geonames_id: geonames_id?,
        })
    }

    fn position(&mut self) -> Option<Coordinates> {
        Coordinates::parse(self.get("latitude"), self.get("longitude"))
            .map_err(|(field, e)| {
                let field = match field {
                    CoordinateField::Latitude => "latitude",
                    CoordinateField::Longitude => "longitude",
                };
                self.err(field, describe(e).into())
            })
            .ok()
    }

    fn timezone(&mut self) -> Option<chrono_tz::Tz> {
        match Zone::parse(self.get("timezone")) {
            Ok(z) => Some(z.tz()),
            Err(_) => {
                let message = format!(
                    "{} is not an IANA time zone such as Europe/Rome",
                    quoted(self.get("timezone"))
                );
                self.err("timezone", message);
                None
            }
        }
    }

    /// `Some(None)` for an empty cell, `Some(Some(n))` for a number `valid` accepts, `None`
    /// (reported as not being `what`) for anything else.
    fn optional_number<N: std::str::FromStr + Copy>(
        &mut self,
        column: &str,
        valid: impl Fn(N) -> bool,
        what: &str,
    ) -> Option<Option<N>> {
        match self.get(column) {
            "" => Some(None),
            raw => match raw.parse::<N>() {
                Ok(n) if valid(n) => Some(Some(n)),
                _ => {
                    let message = format!("{} is not {what}", quoted(raw));
                    self.err(column, message);
                    None
                }
            },
        }
    }

    /// The clusters cell: `slug[:lead|:member]` separated by `;`.
    fn clusters(&mut self) -> Option<Vec<(Slug, bool)>> {
        let cell = self.get("clusters");
        let mut clusters: Vec<(Slug, bool)> = Vec::new();
        let mut ok = true;
        for part in cell.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (slug_raw, lead) = match part.split_once(':').map(|(s, r)| (s.trim(), r.trim())) {
                None => (part, false),
                Some((s, "lead")) => (s, true),
                Some((s, "member")) => (s, false),
                Some((_, role)) => {
                    self.err(
                        "clusters",
                        format!("unknown role {} (lead or member)", quoted(role)),
                    );
                    ok = false;
                    continue;
                }
            };
            match Slug::parse(slug_raw) {
                // A city is in a cluster once: a second listing would be a second membership
                // row, which the database refuses after the whole file was accepted.
                Ok(s) if clusters.iter().any(|(c, _)| *c == s) => {
                    self.err("clusters", format!("'{s}' is listed twice"));
                    ok = false;
                }
                Ok(s) => clusters.push((s, lead)),
                Err(e) => {
                    self.err("clusters", format!("{} {}", quoted(slug_raw), describe(e)));
                    ok = false;
                }
            }
        }
        ok.then_some(clusters)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "slug,name_en,name_it,country,country_en,country_it,latitude,longitude,timezone,joined,clusters,geonames_id\n";

    fn found(errors: &[RowError]) -> Vec<(u64, &str)> {
        errors.iter().map(|e| (e.line, e.field.as_str())).collect()
    }

    #[test]
    fn parses_a_good_row() {
        let csv = format!(
            "{HEADER}torino,Turin,Torino,it,Italy,Italia,45.0705,7.6868,Europe/Rome,2016,entrepreneurship:lead;literacy,3165524\n"
        );
        let cities = parse(csv.as_bytes()).unwrap();
        assert_eq!(cities.len(), 1);
        let t = &cities[0];
        assert_eq!(t.line, 2);
        assert_eq!(t.slug.as_str(), "torino");
        assert_eq!(t.country.as_str(), "IT");
        assert_eq!(t.timezone, chrono_tz::Europe::Rome);
        assert_eq!(t.joined, Some(2016));
        assert_eq!(
            t.clusters,
            vec![
                (Slug::parse("entrepreneurship").unwrap(), true),
                (Slug::parse("literacy").unwrap(), false)
            ]
        );
    }

    #[test]
    fn italian_names_fall_back_to_english() {
        let csv = format!("{HEADER}cork,Cork,,IE,Ireland,,51.8979,-8.4706,Europe/Dublin,,,\n");
        let c = &parse(csv.as_bytes()).unwrap()[0];
        assert_eq!(c.name_it.as_str(), "Cork");
        assert_eq!(c.country_it.as_str(), "Ireland");
        assert!(c.clusters.is_empty());
    }

    #[test]
    fn reports_every_bad_value_with_its_line() {
        let csv = format!(
            "{HEADER}\
             ok,Ok,,IT,Italy,,1,1,Europe/Rome,,,\n\
             Bad Slug,,,ITA,Italy,,95,1,Mars/Olympus,1999,literacy:boss,x\n\
             ok,Again,,IT,Italy,,1,1,Europe/Rome,,,\n"
        );
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(
            found(&errors),
            vec![
                (3, "slug"),
                (3, "name_en"),
                (3, "country"),
                (3, "latitude"),
                (3, "timezone"),
                (3, "joined"),
                (3, "geonames_id"),
                (3, "clusters"),
                (4, "slug"),
            ]
        );
        assert!(errors[8].message.contains("twice"), "{}", errors[8]);
    }

    #[test]
    fn a_missing_column_is_named() {
        let errors = parse(b"slug,name_en\nx,X\n").unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            ["country", "country_en", "latitude", "longitude", "timezone"]
        );
    }

    #[test]
    fn a_ragged_row_is_refused() {
        let csv = format!("{HEADER}a,A,,IT,Italy,,1,1,Europe/Rome\n");
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(found(&errors), [(2, "row")]);
        assert_eq!(errors[0].message, "has 9 values where the header has 12");
    }

    /// The CSV reader counts lines by `\n` alone and not the blank lines it skips: a file
    /// saved on Windows had every row named one line early (the reader's count stays one
    /// behind after each CRLF), and rows after blank lines were named too early as well.
    #[test]
    fn errors_name_the_line_whatever_ends_the_lines() {
        let row = |slug: &str| format!("{slug},X,,IT,Italy,,1,1,Europe/Rome,,,");
        for end in ["\n", "\r\n", "\r"] {
            let csv = [
                HEADER.trim_end().to_owned(),
                row("a"),
                String::new(),
                String::new(),
                row("B"),
                row("c"),
                row("c"),
            ]
            .join(end);
            let errors = parse(csv.as_bytes()).unwrap_err();
            assert_eq!(found(&errors), [(5, "slug"), (7, "slug")], "{end:?}");
        }
        // A quoted value may hold line breaks: the next row starts lines later.
        let csv = format!(
            "\r\n{}\r\n\"Lucca\r\nToscana\",X,,IT,Italy,,1,1,Europe/Rome,,,\r\n{}\r\n",
            HEADER.trim_end(),
            row("Z")
        );
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(found(&errors), [(3, "slug"), (5, "slug")]);
        // A header after blank lines is named where it is.
        let errors = parse(b"\n\nslug\n").unwrap_err();
        assert_eq!(errors[0].line, 3);
    }

    #[test]
    fn a_value_that_is_not_utf8_is_named_by_its_column() {
        let mut csv = HEADER.as_bytes().to_vec();
        csv.extend_from_slice(b"a,Citt\xe0,,IT,Italy,,1,1,Europe/Rome,,,\r\n");
        let errors = parse(&csv).unwrap_err();
        assert_eq!(found(&errors), [(2, "name_en")]);
    }

    /// `a;a:lead` passed the check, and the second membership row then failed the whole
    /// import in the database, as an internal error naming no line.
    #[test]
    fn a_cluster_listed_twice_is_refused() {
        let csv = format!("{HEADER}a,A,,IT,Italy,,1,1,Europe/Rome,,literacy; literacy : lead,\n");
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(found(&errors), [(2, "clusters")]);
        assert!(errors[0].message.contains("twice"), "{}", errors[0]);
        let spaced = format!("{HEADER}a,A,,IT,Italy,,1,1,Europe/Rome,,literacy : lead ; health,\n");
        let cities = parse(spaced.as_bytes()).unwrap();
        assert_eq!(cities[0].clusters.len(), 2);
        assert!(cities[0].clusters[0].1);
    }

    /// Each error is printed as one `file:line N: field: message` line: a quoted time zone
    /// spanning lines or carrying terminal escapes broke the report.
    #[test]
    fn a_message_quotes_a_value_on_one_line() {
        let csv = format!(
            "{HEADER}a,A,,IT,Italy,,1,1,\"Europe/\nRome\u{1b}[2J\u{202e}\",,,\nb,B,,IT,Italy,,1,1,{},,,\n",
            "x".repeat(5000)
        );
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(found(&errors), [(2, "timezone"), (4, "timezone")]);
        for e in &errors {
            let shown = e.to_string();
            assert!(
                !shown.chars().any(|c| c.is_control() || c == '\u{202e}'),
                "{shown:?}"
            );
            assert!(shown.chars().count() < 120, "{shown}");
        }
        assert!(errors[0]
            .message
            .starts_with("'Europe/\\u{a}Rome\\u{1b}[2J\\u{202e}'"));
    }

    #[test]
    fn a_column_given_twice_is_refused() {
        let csv = format!("{},latitude,notes,notes\n", HEADER.trim_end());
        let errors = parse(csv.as_bytes()).unwrap_err();
        assert_eq!(found(&errors), [(1, "latitude")]);
    }
}

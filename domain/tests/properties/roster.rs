//! Properties of the member roster's CSV reader (`domain::roster`): whatever a file holds, it
//! is refused line by line or accepted as cities that keep the roster's rules; a valid file in
//! any of the shapes spreadsheets save it in reads as the values written in it; and a file with
//! one bad value is refused with exactly one error, naming that value's line and column.

use super::{hostile, invariants};
use domain::roster::JOINED;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use proptest::sample::{select, subsequence, Index};

const CLUSTERS: &[&str] = &[
    "literacy",
    "health-wellbeing",
    "entrepreneurship",
    "esd",
    "equity",
];
/// How a membership's role may be written.
const ROLES: &[&str] = &["", ":lead", ":member", " : lead", ": member "];
/// Columns a file may leave out.
const OPTIONAL: &[&str] = &["name_it", "country_it", "joined", "clusters", "geonames_id"];

#[derive(Debug, Clone)]
struct Row {
    slug: String,
    name_en: String,
    name_it: Option<String>,
    country: String,
    country_en: String,
    country_it: Option<String>,
    latitude: String,
    longitude: String,
    timezone: chrono_tz::Tz,
    joined: Option<i32>,
    clusters: Vec<(&'static str, &'static str)>,
    geonames_id: Option<i64>,
    /// A column the reader ignores: commas, quotes and line breaks inside quotes.
    notes: String,
}

/// A roster file as a spreadsheet may save it.
#[derive(Debug, Clone)]
struct File {
    rows: Vec<Row>,
    /// The header's columns, in their order and their case.
    header: Vec<String>,
    end: &'static str,
    /// Blank lines before each row.
    blanks: Vec<usize>,
    bom: bool,
    quote_all: bool,
    pad: bool,
}

fn name() -> impl Strategy<Value = String> {
    "[\\p{L}\\p{N}]([\\p{L}\\p{N} .,'&()\"/-]{0,30}[\\p{L}\\p{N}.)])?"
}

/// Degrees within `limit`, in the notations spreadsheets write.
fn degrees(limit: f64) -> impl Strategy<Value = String> {
    (-limit..=limit, 0..3usize).prop_map(|(x, notation)| match notation {
        0 => x.to_string(),
        1 => format!("{x:.4}"),
        _ => format!("{x:e}"),
    })
}

fn row() -> impl Strategy<Value = Row> {
    let names = (
        "[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,2}",
        name(),
        option::of(name()),
        "[a-zA-Z]{2}",
        name(),
        option::of(name()),
    );
    let clusters = subsequence(CLUSTERS.to_vec(), 0..=3)
        .prop_flat_map(|cs| {
            let n = cs.len();
            (Just(cs), vec(select(ROLES), n))
        })
        .prop_map(|(cs, roles)| cs.into_iter().zip(roles).collect::<Vec<_>>());
    let rest = (
        degrees(90.0),
        degrees(180.0),
        select(chrono_tz::TZ_VARIANTS.to_vec()),
        option::of(JOINED),
        clusters,
        option::of(1..=i64::MAX),
        "[a-z ,\"\r\n]{0,12}",
    );
    (names, rest).prop_map(
        |(
            (slug, name_en, name_it, country, country_en, country_it),
            (latitude, longitude, timezone, joined, clusters, geonames_id, notes),
        )| Row {
            slug,
            name_en,
            name_it,
            country,
            country_en,
            country_it,
            latitude,
            longitude,
            timezone,
            joined,
            clusters,
            geonames_id,
            notes,
        },
    )
}

fn file() -> impl Strategy<Value = File> {
    (
        vec(row(), 1..8),
        subsequence(OPTIONAL.to_vec(), 0..=OPTIONAL.len()),
        any::<u64>(),
        select(vec!["\n", "\r\n", "\r"]),
        vec(0..3usize, 8),
        (any::<bool>(), any::<bool>(), any::<bool>()),
    )
        .prop_flat_map(
            |(mut rows, kept, case, end, mut blanks, (bom, quote_all, pad))| {
                // Slugs made unique by their position, as a file's must be.
                for (i, r) in rows.iter_mut().enumerate() {
                    r.slug = format!("{}-{i}", r.slug);
                }
                blanks.truncate(rows.len());
                let mut columns: Vec<&str> = domain::roster::REQUIRED.to_vec();
                columns.extend(kept);
                columns.push("notes");
                let header: Vec<String> = columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| match case >> (i % 64) & 1 {
                        1 => c.to_ascii_uppercase(),
                        _ => c.to_string(),
                    })
                    .collect();
                Just(header).prop_shuffle().prop_map(move |header| File {
                    rows: rows.clone(),
                    header,
                    end,
                    blanks: blanks.clone(),
                    bom,
                    quote_all,
                    pad,
                })
            },
        )
}

impl File {
    fn has(&self, column: &str) -> bool {
        self.header.iter().any(|h| h.eq_ignore_ascii_case(column))
    }

    fn cell(row: &Row, column: &str) -> String {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        match column {
            "slug" => row.slug.clone(),
            "name_en" => row.name_en.clone(),
            "name_it" => text(&row.name_it),
            "country" => row.country.clone(),
            "country_en" => row.country_en.clone(),
            "country_it" => text(&row.country_it),
            "latitude" => row.latitude.clone(),
            "longitude" => row.longitude.clone(),
            "timezone" => row.timezone.name().to_owned(),
            "joined" => row.joined.map(|y| y.to_string()).unwrap_or_default(),
            "clusters" => row
                .clusters
                .iter()
                .map(|(s, role)| format!("{s}{role}"))
                .collect::<Vec<_>>()
                .join(" ; "),
            "geonames_id" => row.geonames_id.map(|id| id.to_string()).unwrap_or_default(),
            _ => row.notes.clone(),
        }
    }

    fn quote(&self, v: &str) -> String {
        if self.quote_all || v.contains(['"', ',', '\r', '\n']) {
            format!("\"{}\"", v.replace('"', "\"\""))
        } else if self.pad {
            format!(" {v}\t")
        } else {
            v.to_owned()
        }
    }

    /// The file's bytes and the line each row starts on. `fault` replaces a row's value in a
    /// column (`None`: drops the row's last value).
    fn render(&self, fault: Option<(usize, Option<(&str, String)>)>) -> (Vec<u8>, Vec<u64>) {
        let mut out = String::new();
        if self.bom {
            out.push('\u{feff}');
        }
        let header: Vec<String> = self.header.iter().map(|h| self.quote(h)).collect();
        out.push_str(&header.join(","));
        out.push_str(self.end);
        let mut lines = Vec::new();
        for (i, row) in self.rows.iter().enumerate() {
            out.push_str(&self.end.repeat(self.blanks[i]));
            lines.push(invariants::line_count(out.as_bytes()));
            let mut cells: Vec<String> = self
                .header
                .iter()
                .map(|h| {
                    let column = h.to_ascii_lowercase();
                    match &fault {
                        Some((r, Some((c, bad)))) if *r == i && *c == column => bad.clone(),
                        _ => Self::cell(row, &column),
                    }
                })
                .map(|v| self.quote(&v))
                .collect();
            if matches!(fault, Some((r, None)) if r == i) {
                cells.pop();
            }
            out.push_str(&cells.join(","));
            out.push_str(self.end);
        }
        (out.into_bytes(), lines)
    }
}

/// Values that each break one rule of their column.
const BAD: &[(&str, &str)] = &[
    ("slug", "Bad Slug"),
    ("slug", "-lucca"),
    ("name_en", ""),
    ("name_en", "Luc\u{7}ca"),
    ("country", "ITA"),
    ("country", "I1"),
    ("country_en", " "),
    ("latitude", "95"),
    ("latitude", "north"),
    ("longitude", "180.5"),
    ("longitude", "NaN"),
    ("timezone", "Mars/Olympus"),
    ("timezone", "Europe/\nRome"),
];

#[derive(Debug, Clone)]
enum Fault {
    Bad(&'static str, &'static str),
    /// The slug of the file's first row again.
    Duplicate,
    /// One value short.
    Ragged,
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn roster_files(input in prop_oneof![
        vec(any::<u8>(), 0..600),
        hostile().prop_map(String::into_bytes),
        // Near misses: a valid file with bytes changed, cut short or a stray quote.
        (file(), vec((any::<Index>(), any::<u8>()), 0..6), any::<Index>(), any::<bool>())
            .prop_map(|(f, edits, cut, truncate)| {
                let (mut bytes, _) = f.render(None);
                for (at, b) in edits {
                    let i = at.index(bytes.len());
                    bytes[i] = b;
                }
                if truncate {
                    bytes.truncate(cut.index(bytes.len() + 1));
                }
                bytes
            }),
        (file(), any::<Index>(), select(vec!["\"", "\r", "\n", ",", "\u{0}", "\u{feff}", "é"]))
            .prop_map(|(f, at, piece)| {
                let (mut bytes, _) = f.render(None);
                let i = at.index(bytes.len() + 1);
                bytes.splice(i..i, piece.bytes());
                bytes
            }),
    ]) {
        invariants::roster(&input).ok();
    }

    #[test]
    fn a_valid_file_reads_as_what_it_says(f in file()) {
        let (bytes, lines) = f.render(None);
        let cities = invariants::roster(&bytes)
            .unwrap_or_else(|e| panic!("{e:?} in {:?}", String::from_utf8_lossy(&bytes)));
        assert_eq!(cities.len(), f.rows.len());
        for ((c, r), line) in cities.iter().zip(&f.rows).zip(lines) {
            assert_eq!(c.line, line);
            assert_eq!(c.slug.as_str(), r.slug);
            assert_eq!(c.name_en.as_str(), r.name_en);
            let kept = |column: &str, v: &Option<String>| v.clone().filter(|_| f.has(column));
            assert_eq!(c.name_it.as_str(), kept("name_it", &r.name_it).unwrap_or(r.name_en.clone()));
            assert_eq!(c.country.as_str(), r.country.to_ascii_uppercase());
            assert_eq!(c.country_en.as_str(), r.country_en);
            assert_eq!(c.country_it.as_str(), kept("country_it", &r.country_it).unwrap_or(r.country_en.clone()));
            assert_eq!(c.position.latitude(), r.latitude.parse::<f64>().unwrap());
            assert_eq!(c.position.longitude(), r.longitude.parse::<f64>().unwrap());
            assert_eq!(c.timezone, r.timezone);
            assert_eq!(c.joined, r.joined.filter(|_| f.has("joined")));
            assert_eq!(c.geonames_id, r.geonames_id.filter(|_| f.has("geonames_id")));
            let clusters: Vec<(&str, bool)> = c.clusters.iter().map(|(s, lead)| (s.as_str(), *lead)).collect();
            let expected: Vec<(&str, bool)> = r.clusters.iter()
                .filter(|_| f.has("clusters"))
                .map(|(s, role)| (*s, role.contains("lead")))
                .collect();
            assert_eq!(clusters, expected);
        }
    }

    #[test]
    fn one_bad_value_is_named_by_its_line_and_column(
        f in file(),
        at in any::<Index>(),
        fault in prop_oneof![
            4 => select(BAD).prop_map(|(c, v)| Fault::Bad(c, v)),
            1 => Just(Fault::Duplicate),
            1 => Just(Fault::Ragged),
        ],
    ) {
        let r = at.index(f.rows.len());
        let (fault, field) = match fault {
            Fault::Bad(column, value) => ((r, Some((column, value.to_owned()))), column),
            Fault::Duplicate => {
                prop_assume!(r > 0);
                ((r, Some(("slug", f.rows[0].slug.clone()))), "slug")
            }
            Fault::Ragged => ((r, None), "row"),
        };
        let (bytes, lines) = f.render(Some(fault));
        let errors = invariants::roster(&bytes).unwrap_err();
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(found, [(lines[r], field)], "{:?}", String::from_utf8_lossy(&bytes));
    }
}

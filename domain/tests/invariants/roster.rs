//! The rules of the member roster's CSV reader (`domain::roster`): a file is refused with errors
//! that each name a line of the file, a column and what is wrong, on one line of text; or it is
//! accepted as cities that keep the roster's rules and that written out read back as
//! themselves.

use domain::roster::{parse, RosterCity, RowError, COLUMNS, JOINED};
use std::collections::HashSet;

/// The lines of a text as an editor numbers them: `\n`, `\r\n` and a lone `\r` each end one.
pub fn line_count(input: &[u8]) -> u64 {
    let breaks = input
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && input.get(i + 1) != Some(&b'\n')))
        .count();
    breaks as u64 + 1
}

/// Cities as a roster file: every column in [`COLUMNS`]' order, every value quoted.
pub fn write(cities: &[RosterCity]) -> String {
    let mut out = COLUMNS.join(",");
    out.push('\n');
    for c in cities {
        let clusters: Vec<String> = c
            .clusters
            .iter()
            .map(|(s, lead)| format!("{s}:{}", if *lead { "lead" } else { "member" }))
            .collect();
        let cells = [
            c.slug.as_str().to_owned(),
            c.name_en.as_str().to_owned(),
            c.name_it.as_str().to_owned(),
            c.country.as_str().to_owned(),
            c.country_en.as_str().to_owned(),
            c.country_it.as_str().to_owned(),
            c.position.latitude().to_string(),
            c.position.longitude().to_string(),
            c.timezone.name().to_owned(),
            c.joined.map(|y| y.to_string()).unwrap_or_default(),
            clusters.join(";"),
            c.geonames_id.map(|id| id.to_string()).unwrap_or_default(),
        ];
        let quoted: Vec<String> = cells
            .iter()
            .map(|v| format!("\"{}\"", v.replace('"', "\"\"")))
            .collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    out
}

pub fn roster(input: &[u8]) -> Result<Vec<RosterCity>, Vec<RowError>> {
    let parsed = parse(input);
    let lines = line_count(input);
    match &parsed {
        Ok(cities) => {
            let mut slugs = HashSet::new();
            for c in cities {
                assert!(slugs.insert(&c.slug), "{} twice", c.slug);
                // The header is line 1 at the earliest.
                assert!((2..=lines).contains(&c.line), "line {} of {lines}", c.line);
                assert!(
                    c.joined.is_none_or(|y| JOINED.contains(&y)),
                    "{:?}",
                    c.joined
                );
                assert!(c.geonames_id.is_none_or(|id| id > 0));
                let mut clusters = HashSet::new();
                assert!(
                    c.clusters.iter().all(|(s, _)| clusters.insert(s)),
                    "{:?}: one membership row each",
                    c.clusters
                );
            }
            assert!(cities.windows(2).all(|w| w[0].line < w[1].line));
            let written = write(cities);
            let again = parse(written.as_bytes())
                .unwrap_or_else(|e| panic!("written out, {e:?}:\n{written}"));
            assert_eq!(again.len(), cities.len());
            for (i, (a, c)) in again.iter().zip(cities).enumerate() {
                let expected = RosterCity {
                    line: i as u64 + 2,
                    ..c.clone()
                };
                assert_eq!(a, &expected, "read back from\n{written}");
            }
        }
        Err(errors) => {
            assert!(!errors.is_empty());
            assert!(
                errors.windows(2).all(|w| w[0].line <= w[1].line),
                "{errors:?}"
            );
            for e in errors {
                assert!((1..=lines).contains(&e.line), "{e} of {lines} lines");
                let field = e.field.as_str();
                assert!(
                    COLUMNS.contains(&field) || field == "row" || field == "header",
                    "{e}"
                );
                // Printed as `file:line N: field: message`, one error a line.
                let shown = e.to_string();
                assert!(
                    !shown
                        .chars()
                        .any(|c| c.is_control() || ('\u{2028}'..='\u{202e}').contains(&c)),
                    "{shown:?}"
                );
                assert!(shown.chars().count() <= 160, "{shown}");
            }
        }
    }
    parsed
}

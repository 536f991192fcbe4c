//! Importing the GNLC member roster from CSV: every row is checked first, and nothing is written
//! unless every row is good, so a half-imported network never shows on the map.

use crate::{on_pool, BeginWrite, Db, DbError};
use domain::{CoordinateField, Coordinates, CountryCode, Name, ParseError, Slug};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;

/// The columns a roster file carries. `slug`, `name_en`, `country`, `country_en`, `latitude`,
/// `longitude` and `timezone` are required; the rest may be empty.
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
    /// Cluster slug and whether the city leads it.
    pub clusters: Vec<(Slug, bool)>,
    pub geonames_id: Option<i64>,
}

/// One refused value, with the 1-based line of the file it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}: {}", self.line, self.field, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} bad value(s); nothing was imported", .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Db(#[from] DbError),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportReport {
    pub inserted: usize,
    pub updated: usize,
    pub memberships: usize,
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

/// Parses a roster file. All problems are collected, so one run shows every line to fix.
pub fn parse(input: impl Read) -> Result<Vec<RosterCity>, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(input);
    let mut errors = Vec::new();
    let header_index: HashMap<String, usize> = match reader.headers() {
        Ok(h) => h
            .iter()
            .enumerate()
            .map(|(i, name)| (name.to_ascii_lowercase(), i))
            .collect(),
        Err(e) => {
            return Err(vec![RowError {
                line: 1,
                field: "header".into(),
                message: e.to_string(),
            }])
        }
    };
    for required in [
        "slug",
        "name_en",
        "country",
        "country_en",
        "latitude",
        "longitude",
        "timezone",
    ] {
        if !header_index.contains_key(required) {
            errors.push(RowError {
                line: 1,
                field: required.into(),
                message: "column is missing from the header".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut cities = Vec::new();
    let mut seen = HashSet::new();
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                errors.push(RowError {
                    line,
                    field: "row".into(),
                    message: e.to_string(),
                });
                continue;
            }
        };
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let get = |col: &str| -> &str {
            header_index
                .get(col)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
        };
        let mut err = |field: &str, message: String| {
            errors.push(RowError {
                line,
                field: field.into(),
                message,
            })
        };

        let slug = Slug::parse(get("slug"))
            .map_err(|e| err("slug", describe(e).into()))
            .ok();
        if let Some(s) = &slug {
            if !seen.insert(s.clone()) {
                err("slug", format!("'{s}' appears twice in the file"));
            }
        }
        let name_en = Name::parse(get("name_en"))
            .map_err(|e| err("name_en", describe(e).into()))
            .ok();
        let name_it = match get("name_it") {
            "" => name_en.clone(),
            raw => Name::parse(raw)
                .map_err(|e| err("name_it", describe(e).into()))
                .ok(),
        };
        let country = CountryCode::parse(get("country"))
            .map_err(|e| err("country", format!("{} (two-letter ISO code)", describe(e))))
            .ok();
        let country_en = Name::parse(get("country_en"))
            .map_err(|e| err("country_en", describe(e).into()))
            .ok();
        let country_it = match get("country_it") {
            "" => country_en.clone(),
            raw => Name::parse(raw)
                .map_err(|e| err("country_it", describe(e).into()))
                .ok(),
        };
        let position = Coordinates::parse(get("latitude"), get("longitude"))
            .map_err(|(field, e)| {
                let field = match field {
                    CoordinateField::Latitude => "latitude",
                    CoordinateField::Longitude => "longitude",
                };
                err(field, describe(e).into())
            })
            .ok();
        let tz_raw = get("timezone");
        let timezone = tz_raw
            .parse::<chrono_tz::Tz>()
            .map_err(|_| {
                err(
                    "timezone",
                    format!("'{tz_raw}' is not an IANA time zone such as Europe/Rome"),
                )
            })
            .ok();
        let joined = match get("joined") {
            "" => Some(None),
            raw => match raw.parse::<i32>() {
                // The GNLC was founded in 2013.
                Ok(y) if (2013..=2100).contains(&y) => Some(Some(y)),
                _ => {
                    err("joined", format!("'{raw}' is not a year from 2013 on"));
                    None
                }
            },
        };
        let geonames_id = match get("geonames_id") {
            "" => Some(None),
            raw => match raw.parse::<i64>() {
                Ok(id) if id > 0 => Some(Some(id)),
                _ => {
                    err("geonames_id", format!("'{raw}' is not a GeoNames id"));
                    None
                }
            },
        };
        let mut clusters = Vec::new();
        let mut clusters_ok = true;
        for part in get("clusters")
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let (slug_raw, lead) = match part.split_once(':') {
                None => (part, false),
                Some((s, "lead")) => (s.trim(), true),
                Some((s, "member")) => (s.trim(), false),
                Some((_, role)) => {
                    err(
                        "clusters",
                        format!("unknown role '{role}' (lead or member)"),
                    );
                    clusters_ok = false;
                    continue;
                }
            };
            match Slug::parse(slug_raw) {
                Ok(s) => clusters.push((s, lead)),
                Err(e) => {
                    err("clusters", format!("'{slug_raw}' {}", describe(e)));
                    clusters_ok = false;
                }
            }
        }

        if let (
            Some(slug),
            Some(name_en),
            Some(name_it),
            Some(country),
            Some(country_en),
            Some(country_it),
            Some(position),
            Some(timezone),
            Some(joined),
            Some(geonames_id),
            true,
        ) = (
            slug,
            name_en,
            name_it,
            country,
            country_en,
            country_it,
            position,
            timezone,
            joined,
            geonames_id,
            clusters_ok,
        ) {
            cities.push(RosterCity {
                line,
                slug,
                name_en,
                name_it,
                country,
                country_en,
                country_it,
                position,
                timezone,
                joined,
                clusters,
                geonames_id,
            });
        }
    }
    if errors.is_empty() {
        Ok(cities)
    } else {
        Err(errors)
    }
}

#[derive(sqlx::FromRow)]
struct ClusterKey {
    id: i64,
    slug: String,
}

impl Db {
    /// Adds new cities and updates known ones (matched by slug), replacing their cluster
    /// memberships, all in one transaction. Cities absent from the file are left as they are:
    /// a roster is a statement about the cities it lists.
    pub async fn import_roster(&self, cities: &[RosterCity]) -> Result<ImportReport, ImportError> {
        let clusters: Vec<ClusterKey> = on_pool!(self, |pool| {
            sqlx::query_as("SELECT id, slug FROM clusters")
                .fetch_all(pool)
                .await
                .map_err(DbError::from)?
        });
        let cluster_ids: HashMap<&str, i64> =
            clusters.iter().map(|c| (c.slug.as_str(), c.id)).collect();
        let unknown: Vec<RowError> = cities
            .iter()
            .flat_map(|c| {
                c.clusters
                    .iter()
                    .filter(|(s, _)| !cluster_ids.contains_key(s.as_str()))
                    .map(move |(s, _)| RowError {
                        line: c.line,
                        field: "clusters".into(),
                        message: format!("unknown cluster '{s}'"),
                    })
            })
            .collect();
        if !unknown.is_empty() {
            return Err(ImportError::Rows(unknown));
        }

        let report = on_pool!(self, |pool| {
            let mut tx = pool.begin_write().await.map_err(DbError::from)?;
            let mut report = ImportReport::default();
            for c in cities {
                let existed: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM cities WHERE slug = $1")
                        .bind(c.slug.as_str())
                        .fetch_optional(&mut *tx)
                        .await
                        .map_err(DbError::from)?;
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO cities (slug, name_en, name_it, country, country_en, country_it, \
                         latitude, longitude, timezone, joined, geonames_id) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                     ON CONFLICT (slug) DO UPDATE SET name_en = excluded.name_en, \
                         name_it = excluded.name_it, country = excluded.country, \
                         country_en = excluded.country_en, country_it = excluded.country_it, \
                         latitude = excluded.latitude, longitude = excluded.longitude, \
                         timezone = excluded.timezone, joined = excluded.joined, \
                         geonames_id = excluded.geonames_id \
                     RETURNING id",
                )
                .bind(c.slug.as_str())
                .bind(c.name_en.as_str())
                .bind(c.name_it.as_str())
                .bind(c.country.as_str())
                .bind(c.country_en.as_str())
                .bind(c.country_it.as_str())
                .bind(c.position.latitude())
                .bind(c.position.longitude())
                .bind(c.timezone.name())
                .bind(c.joined)
                .bind(c.geonames_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(DbError::from)?;
                if existed.is_some() {
                    report.updated += 1;
                } else {
                    report.inserted += 1;
                }
                sqlx::query("DELETE FROM city_clusters WHERE city_id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .map_err(DbError::from)?;
                for (slug, lead) in &c.clusters {
                    sqlx::query(
                        "INSERT INTO city_clusters (city_id, cluster_id, role) VALUES ($1, $2, $3)",
                    )
                    .bind(id)
                    .bind(cluster_ids[slug.as_str()])
                    .bind(if *lead { "lead" } else { "member" })
                    .execute(&mut *tx)
                    .await
                    .map_err(DbError::from)?;
                    report.memberships += 1;
                }
            }
            tx.commit().await.map_err(DbError::from)?;
            report
        });
        self.count_commit();
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "slug,name_en,name_it,country,country_en,country_it,latitude,longitude,timezone,joined,clusters,geonames_id\n";

    #[test]
    fn parses_a_good_row() {
        let csv = format!(
            "{HEADER}torino,Turin,Torino,it,Italy,Italia,45.0705,7.6868,Europe/Rome,2016,entrepreneurship:lead;literacy,3165524\n"
        );
        let cities = parse(csv.as_bytes()).unwrap();
        assert_eq!(cities.len(), 1);
        let t = &cities[0];
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
        let found: Vec<(u64, &str)> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
        assert_eq!(
            found,
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
        let errors = parse("slug,name_en\nx,X\n".as_bytes()).unwrap_err();
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
        assert_eq!(errors[0].line, 2);
    }

    #[test]
    fn the_demo_roster_parses() {
        let cities = parse(crate::demo::ROSTER.as_bytes()).unwrap();
        assert!(cities.len() >= 60, "{}", cities.len());
    }
}

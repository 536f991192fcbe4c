//! The query strings of the public pages' filters: the network map's, its table's order, a
//! pact's list of adherents and the calendar's. Visitors, crawlers and municipal sites' links
//! write them; each is read into bounded values that write back the links they came from.

use crate::{CalendarQuery, CountryCode};
use serde::{Deserialize, Serialize};

/// The key-value pairs of a query string (with or without its `?`), percent-decoded.
pub fn url_pairs(raw: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.trim_start_matches('?').as_bytes())
        .into_owned()
        .collect()
}

/// `raw` trimmed and cut to `max` characters. The cut can leave a space at the end, which the
/// next reading would trim: the link written from the value would not read back as it.
fn bounded(raw: &str, max: usize) -> String {
    let cut: String = raw.trim().chars().take(max).collect();
    cut.trim_end().to_owned()
}

/// What the network's map shows, as the page's query string says: every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MapFilter {
    /// A cluster's slug.
    pub cluster: Option<String>,
    /// A UNESCO region's slug ([`crate::Region::slug`]).
    pub region: Option<String>,
    /// An ISO 3166-1 alpha-2 country code, upper case.
    pub country: Option<String>,
    /// Part of a city's name, in either language.
    pub q: Option<String>,
}

impl MapFilter {
    /// The longest cluster or region kept: a slug's length.
    pub const MAX_SLUG_CHARS: usize = 64;
    /// The longest search kept: no city's name comes near it.
    pub const MAX_SEARCH_CHARS: usize = 100;

    /// Reads a query string's pairs; empty values mean "any", and so does a country that is
    /// not two letters (the map would name no country for it).
    pub fn from_pairs<K: AsRef<str>, V: AsRef<str>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let mut f = MapFilter::default();
        let keep = |v: &str, max: usize| Some(bounded(v, max)).filter(|v| !v.is_empty());
        for (k, v) in pairs {
            let v = v.as_ref();
            match k.as_ref() {
                "cluster" => f.cluster = keep(v, Self::MAX_SLUG_CHARS),
                "region" => f.region = keep(v, Self::MAX_SLUG_CHARS),
                "country" => f.country = CountryCode::parse(v).ok().map(String::from),
                "q" => f.q = keep(v, Self::MAX_SEARCH_CHARS),
                _ => {}
            }
        }
        f
    }

    /// The filter as query-string pairs, in a fixed order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        [
            ("cluster", &self.cluster),
            ("region", &self.region),
            ("country", &self.country),
            ("q", &self.q),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.clone().map(|v| (k, v)))
        .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }
}

/// How the map's table twin is ordered (`sort` and `dir` in its query string).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MapSort {
    pub column: MapColumn,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MapColumn {
    #[default]
    Name,
    Country,
    Joined,
}

impl MapColumn {
    pub const ALL: [MapColumn; 3] = [MapColumn::Name, MapColumn::Country, MapColumn::Joined];

    pub fn key(self) -> &'static str {
        match self {
            MapColumn::Name => "name",
            MapColumn::Country => "country",
            MapColumn::Joined => "joined",
        }
    }
}

impl MapSort {
    /// Anything but a column's key orders by name; anything but `desc` ascends.
    pub fn parse(column: Option<&str>, dir: Option<&str>) -> Self {
        let column = match column {
            Some("country") => MapColumn::Country,
            Some("joined") => MapColumn::Joined,
            _ => MapColumn::Name,
        };
        MapSort {
            column,
            descending: dir == Some("desc"),
        }
    }

    /// The query pairs that read back as this order; none for the default one.
    pub fn pairs(self) -> Vec<(&'static str, &'static str)> {
        let mut pairs = Vec::new();
        if self.column != MapColumn::Name {
            pairs.push(("sort", self.column.key()));
        }
        if self.descending {
            pairs.push(("dir", "desc"));
        }
        pairs
    }
}

/// A pact's public list of adherents: its filters and the version of the text asked for, as
/// the URL carries them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PactQuery {
    /// Part of an organisation's name.
    pub q: String,
    /// A sector's slug, or empty for all.
    pub sector: String,
    /// From 1.
    pub page: u32,
    /// An earlier version of the text; `None` for the current one.
    pub version: Option<i32>,
}

impl PactQuery {
    pub const MAX_SEARCH_CHARS: usize = 100;
    pub const MAX_SECTOR_CHARS: usize = 64;
    /// Past this, a page number is nonsense (250,000 adherents); the next page's link stays a
    /// number the list reads.
    pub const MAX_PAGE: u32 = 10_000;

    pub fn parse(raw: &str) -> Self {
        let mut q = PactQuery {
            page: 1,
            ..Default::default()
        };
        for (k, v) in url_pairs(raw) {
            match k.as_str() {
                "q" => q.q = bounded(&v, Self::MAX_SEARCH_CHARS),
                "sector" => q.sector = bounded(&v, Self::MAX_SECTOR_CHARS),
                "page" => q.page = v.parse().unwrap_or(1).clamp(1, Self::MAX_PAGE),
                "version" => q.version = v.parse().ok().filter(|n| *n > 0),
                _ => {}
            }
        }
        q
    }

    /// The query string of this query's filters on another page (the list's own links: the
    /// version of the text is the page's, not the list's).
    pub fn with_page(&self, page: u32) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !self.q.is_empty() {
            out.append_pair("q", &self.q);
        }
        if !self.sector.is_empty() {
            out.append_pair("sector", &self.sector);
        }
        if page > 1 {
            out.append_pair("page", &page.to_string());
        }
        out.finish()
    }
}

impl CalendarQuery {
    /// Reads a calendar page's or feed's query string, percent-encoded as a browser sends it.
    pub fn parse(raw: &str) -> Self {
        let pairs = url_pairs(raw);
        Self::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_filters_read_from_and_back_to_the_query() {
        let f = MapFilter::from_pairs([
            ("cluster", "entrepreneurship"),
            ("region", ""),
            ("country", "it"),
            ("q", "  lucca "),
            ("other", "x"),
        ]);
        assert_eq!(f.cluster.as_deref(), Some("entrepreneurship"));
        assert_eq!(f.region, None);
        assert_eq!(f.country.as_deref(), Some("IT"));
        assert_eq!(f.q.as_deref(), Some("lucca"));
        assert_eq!(
            f.pairs(),
            vec![
                ("cluster", "entrepreneurship".to_owned()),
                ("country", "IT".to_owned()),
                ("q", "lucca".to_owned())
            ]
        );
        assert!(MapFilter::from_pairs([("cluster", " ")]).is_empty());
    }

    /// Only the first two characters were kept and upper-cased: `ita` showed Italy, `usa` the
    /// United States, and `é1` came back as a "country" no link should carry.
    #[test]
    fn a_map_country_is_two_letters_or_none() {
        for (raw, kept) in [
            ("it", Some("IT")),
            (" Fr ", Some("FR")),
            ("ita", None),
            ("usa", None),
            ("é1", None),
            ("i", None),
        ] {
            let f = MapFilter::from_pairs([("country", raw)]);
            assert_eq!(f.country.as_deref(), kept, "{raw:?}");
        }
    }

    /// A search cut at its limit right after a space kept the space; its link then read back
    /// without it, as another filter.
    #[test]
    fn a_value_cut_at_its_limit_reads_back_as_itself() {
        let long = format!("{} {}", "a".repeat(99), "b".repeat(10));
        let f = MapFilter::from_pairs([("q", long.as_str())]);
        assert_eq!(f.q, Some("a".repeat(99)));
        assert_eq!(MapFilter::from_pairs(f.pairs()), f);
        let sector = format!("{} x", "s".repeat(63));
        let q = PactQuery::parse(&format!("q={long}&sector={sector}"));
        assert_eq!((q.q.len(), q.sector.len()), (99, 63));
        assert_eq!(PactQuery::parse(&q.with_page(1)), q);
    }

    #[test]
    fn the_map_table_order_reads_back_what_it_writes() {
        assert_eq!(MapSort::parse(None, None), MapSort::default());
        assert_eq!(
            MapSort::parse(Some("joined"), Some("desc")),
            MapSort {
                column: MapColumn::Joined,
                descending: true
            }
        );
        assert_eq!(
            MapSort::parse(Some("Country"), Some("DESC")),
            MapSort::default()
        );
        assert!(MapSort::default().pairs().is_empty());
        for column in MapColumn::ALL {
            for descending in [false, true] {
                let s = MapSort { column, descending };
                let p = s.pairs();
                let get = |k| p.iter().find(|(key, _)| *key == k).map(|(_, v)| *v);
                assert_eq!(MapSort::parse(get("sort"), get("dir")), s);
            }
        }
    }

    #[test]
    fn the_pact_list_query_reads_back_what_it_writes() {
        let q = PactQuery::parse("?q=Museo+di+Palazzo%20Mansi&sector=museums-culture&page=3&x=1");
        assert_eq!(q.q, "Museo di Palazzo Mansi");
        assert_eq!(q.sector, "museums-culture");
        assert_eq!(q.page, 3);
        assert_eq!(PactQuery::parse(&q.with_page(2)).q, q.q);
        assert_eq!(
            PactQuery::parse("page=0&version=-1"),
            PactQuery {
                page: 1,
                ..Default::default()
            }
        );
        assert_eq!(PactQuery::parse("page=99999").page, PactQuery::MAX_PAGE);
        assert_eq!(PactQuery::parse("version=2").version, Some(2));
        assert_eq!(PactQuery::parse("q=%E2%82%AC").q, "€");
    }

    #[test]
    fn a_calendar_query_is_read_percent_decoded() {
        let q = CalendarQuery::parse("view=week&city=%6Cucca&from=2026-01-19&page=+2");
        assert_eq!(q.city.as_deref(), Some("lucca"));
        assert_eq!(q.page, 2);
        assert_eq!(CalendarQuery::parse(&q.to_query_string()), q);
    }
}

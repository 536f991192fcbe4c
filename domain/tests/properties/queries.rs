//! Properties of the public pages' query strings (`domain::filters`): the map's filter and
//! table order, a pact's list, the calendar's query read percent-encoded.

use super::{hostile, invariants, padded};
use domain::filters::{MapColumn, MapFilter, MapSort, PactQuery};
use domain::{Audience, CalendarQuery, CalendarView, Region};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// A value as it may stand in a query string: anything, what the pages write, and the bytes
/// percent-encoding and form encoding turn into other characters.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => hostile(),
        2 => padded("[a-zA-Z0-9 -]{0,12}".prop_map(String::from)),
        1 => "[a-zA-Z]{1,3}",
        1 => "([+-]?[0-9]{1,11}|%[0-9a-fA-F]{0,2}|\\+|%E2%82%AC|%C3|%FF|%00|&|=|;)+",
        1 => select(vec![
            "country", "joined", "name", "desc", "asc", "DESC", "it", "IT", "ita", "é1",
            "europe", "latin-america-caribbean", "10000", "10001", "4294967296", "-1", "0",
        ]).prop_map(String::from),
        1 => (select(vec!["a", " ", "é", "\u{3000}"]), 90..110usize).prop_map(|(c, n)| c.repeat(n)),
    ]
}

/// A query string: keys a page reads, keys it does not, and pieces that are no pair at all,
/// written raw (any character) or percent-encoded as a browser sends it.
fn query(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    let pair = (select(keys), value(), any::<bool>());
    (vec(pair, 0..8), any::<bool>()).prop_map(|(pairs, question)| {
        let mut out = if question {
            String::from("?")
        } else {
            String::new()
        };
        let parts: Vec<String> = pairs
            .into_iter()
            .map(|(k, v, encoded)| {
                if encoded {
                    form_urlencoded::Serializer::new(String::new())
                        .append_pair(k, &v)
                        .finish()
                } else {
                    format!("{k}={v}")
                }
            })
            .collect();
        out.push_str(&parts.join("&"));
        out
    })
}

const MAP_KEYS: &[&str] = &[
    "cluster", "region", "country", "q", "sort", "dir", "lang", "Country", "", "q=",
];
const PACT_KEYS: &[&str] = &["q", "sector", "page", "version", "x", "Page", ""];
const CALENDAR_KEYS: &[&str] = &[
    "view", "city", "cluster", "sector", "audience", "mode", "language", "from", "to", "page", "",
];

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn map_queries(raw in prop_oneof![query(MAP_KEYS), hostile()]) {
        invariants::map_query(&raw);
    }

    #[test]
    fn a_map_filter_written_out_reads_back(
        cluster in proptest::option::of("[a-z]{1,12}(-[a-z]{1,12}){0,3}"),
        region in proptest::option::of(select(Region::ALL.to_vec())),
        country in proptest::option::of("[A-Z]{2}"),
        q in proptest::option::of("[\\p{L}'-]([\\p{L} '-]{0,40}[\\p{L}])?"),
        column in select(MapColumn::ALL.to_vec()),
        descending in any::<bool>(),
    ) {
        let f = MapFilter {
            cluster,
            region: region.map(|r| r.slug().to_owned()),
            country,
            q,
        };
        let sort = MapSort { column, descending };
        let mut link = form_urlencoded::Serializer::new(String::new());
        for (k, v) in f.pairs() {
            link.append_pair(k, &v);
        }
        for (k, v) in sort.pairs() {
            link.append_pair(k, v);
        }
        assert_eq!(invariants::map_query(&link.finish()), (f, sort));
    }

    #[test]
    fn pact_queries(raw in prop_oneof![query(PACT_KEYS), hostile()]) {
        invariants::pact_query(&raw);
    }

    #[test]
    fn a_pact_list_link_reads_back(
        q in proptest::option::of("[\\p{L}\\p{N}]([\\p{L}\\p{N} &'.,+%=-]{0,60}[\\p{L}\\p{N}])?"),
        sector in proptest::option::of("[a-z]{1,10}(-[a-z]{1,10}){0,2}"),
        page in 1..=PactQuery::MAX_PAGE,
    ) {
        let (q, sector) = (q.unwrap_or_default(), sector.unwrap_or_default());
        let query = PactQuery { q, sector, page, version: None };
        assert_eq!(invariants::pact_query(&query.with_page(page)), query);
    }

    #[test]
    fn calendar_urls_percent_encoded(raw in prop_oneof![query(CALENDAR_KEYS), hostile()]) {
        invariants::calendar_url(&raw);
    }

    #[test]
    fn a_calendar_link_reads_back(
        view in select(vec![CalendarView::Agenda, CalendarView::Week, CalendarView::Month]),
        sector in proptest::option::of("[a-z0-9]{1,10}(-[a-z0-9]{1,10})?"),
        audience in proptest::option::of(select(Audience::ALL.to_vec())),
        page in 1..=CalendarQuery::MAX_PAGE,
    ) {
        let q = CalendarQuery { view, sector, audience, page, ..CalendarQuery::default() };
        assert_eq!(invariants::calendar_url(&q.to_query_string()), q);
    }
}

//! The rules of the public pages' query strings (`domain::filters`): whatever a link says, the
//! values read stay within their bounds, other keys are left alone, and the links the pages
//! write from them read back as the same values.

use domain::filters::{url_pairs, MapFilter, MapSort, PactQuery};
use domain::CalendarQuery;

/// Pairs as a browser sends them: percent-encoded, `+` for a space.
fn encode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        out.append_pair(k, v);
    }
    out.finish()
}

/// Trimmed, non-empty unless `empty_ok`, and at most `max` characters.
fn bounded(v: &str, max: usize, empty_ok: bool) {
    assert_eq!(v.trim(), v, "{v:?} reads back trimmed");
    assert!(empty_ok || !v.is_empty());
    assert!(v.chars().count() <= max, "{} characters", v.chars().count());
}

const MAP_KEYS: [&str; 4] = ["cluster", "region", "country", "q"];

/// The map's query string (percent-encoded, as `MapPage`, the embedded map and the live map's
/// data read it): its filter and its table's order.
pub fn map_query(raw: &str) -> (MapFilter, MapSort) {
    let pairs = url_pairs(raw);
    let f = MapFilter::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    for v in [&f.cluster, &f.region].into_iter().flatten() {
        bounded(v, MapFilter::MAX_SLUG_CHARS, false);
    }
    if let Some(q) = &f.q {
        bounded(q, MapFilter::MAX_SEARCH_CHARS, false);
    }
    if let Some(c) = &f.country {
        assert!(
            c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()),
            "{c:?} is no country code"
        );
    }
    let own = pairs.iter().filter(|(k, _)| MAP_KEYS.contains(&k.as_str()));
    assert_eq!(
        MapFilter::from_pairs(own.map(|(k, v)| (k.as_str(), v.as_str()))),
        f,
        "other keys of the query are left alone"
    );
    assert_eq!(f.is_empty(), f == MapFilter::default());
    let written = encode(f.pairs().iter().map(|(k, v)| (*k, v.as_str())));
    assert_eq!(
        MapFilter::from_pairs(url_pairs(&written)),
        f,
        "{written:?}: the map's links keep its filter"
    );

    // `use_query_map` hands over one value per key.
    let first = |key: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let sort = MapSort::parse(first("sort"), first("dir"));
    let sort_pairs = sort.pairs();
    assert_eq!(sort_pairs.is_empty(), sort == MapSort::default());
    let back = url_pairs(&encode(sort_pairs.iter().copied()));
    let get = |key: &str| back.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str());
    assert_eq!(
        MapSort::parse(get("sort"), get("dir")),
        sort,
        "the table's headers link to the order they show"
    );
    (f, sort)
}

/// A pact page's query string: the list's search, sector and page, and the version of the text.
pub fn pact_query(raw: &str) -> PactQuery {
    let q = PactQuery::parse(raw);
    bounded(&q.q, PactQuery::MAX_SEARCH_CHARS, true);
    bounded(&q.sector, PactQuery::MAX_SECTOR_CHARS, true);
    assert!(
        (1..=PactQuery::MAX_PAGE).contains(&q.page),
        "page {}",
        q.page
    );
    assert!(q.version.is_none_or(|v| v > 0), "{:?}", q.version);
    assert_eq!(PactQuery::parse(&format!("?{raw}")), q);
    // The list links to the page before and after, and to the first through its search form.
    for page in [0, 1, q.page - 1, q.page, q.page + 1, u32::MAX] {
        let link = q.with_page(page);
        assert!(
            link.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"*-._+%=&".contains(&b)),
            "{link:?} needs escaping in an attribute"
        );
        let expected = PactQuery {
            page: page.clamp(1, PactQuery::MAX_PAGE),
            version: None,
            ..q.clone()
        };
        assert_eq!(PactQuery::parse(&link), expected, "{link:?}");
    }
    q
}

/// A calendar page's or feed's query string, percent-encoded: read as its decoded pairs are,
/// under the rules of [`super::calendar_query`].
pub fn calendar_url(raw: &str) -> CalendarQuery {
    let q = CalendarQuery::parse(raw);
    let pairs = url_pairs(raw);
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(super::calendar_query(&pairs), q);
    assert_eq!(CalendarQuery::parse(&q.to_query_string()), q);
    q
}

//! The rules every value the domain's parsers accept must keep, whatever it was parsed from.
//! The property tests (`tests/properties.rs`) and the fuzz targets (`fuzz/`) both call these,
//! so that random cases and coverage-guided ones hold the parsers to the same rules. Each
//! function parses its input, panics on an accepted value that breaks a rule, and returns the
//! result for the caller's own checks.

mod filters;
#[cfg(feature = "roster")]
mod roster;

pub use filters::*;
#[cfg(feature = "roster")]
pub use roster::*;

use chrono::{Datelike, Duration, NaiveDate};
use domain::*;

/// Characters no one-line value may carry: C0 and C1 controls (tab, line feed, NUL, DEL…).
fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

pub fn slug(raw: &str) -> Result<Slug, ParseError> {
    let parsed = Slug::parse(raw);
    if let Ok(slug) = &parsed {
        let s = slug.as_str();
        assert_eq!(s, raw.trim(), "a slug is what was typed, trimmed");
        assert!(!s.is_empty() && s.len() <= Slug::MAX_LEN, "{s:?}");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{s:?} needs escaping in a URL or changes with case"
        );
        assert!(
            !s.starts_with('-') && !s.ends_with('-') && !s.contains("--"),
            "{s:?}"
        );
        assert_eq!(slug.to_string(), s);
        assert_eq!(
            Slug::parse(s).as_ref(),
            Ok(slug),
            "a slug reads back as itself"
        );
    } else if raw.trim().is_empty() {
        assert_eq!(parsed, Err(ParseError::Empty));
    }
    parsed
}

pub fn country_code(raw: &str) -> Result<CountryCode, ParseError> {
    let parsed = CountryCode::parse(raw);
    if let Ok(code) = &parsed {
        let s = code.as_str();
        assert!(
            s.len() == 2 && s.bytes().all(|b| b.is_ascii_uppercase()),
            "{s:?}"
        );
        assert_eq!(s, raw.trim().to_ascii_uppercase());
        assert_eq!(CountryCode::parse(s).as_ref(), Ok(code));
    }
    parsed
}

pub fn coordinates(
    latitude: &str,
    longitude: &str,
) -> Result<Coordinates, (CoordinateField, ParseError)> {
    let parsed = Coordinates::parse(latitude, longitude);
    match &parsed {
        Ok(c) => {
            let (lat, lon) = (c.latitude(), c.longitude());
            assert!(lat.is_finite() && lat.abs() <= 90.0, "latitude {lat}");
            assert!(lon.is_finite() && lon.abs() <= 180.0, "longitude {lon}");
            // Rust prints the shortest text that reads back as the same f64, so a point stored
            // as text (CSV exports, forms filled in again) is the same point.
            let again = Coordinates::parse(&lat.to_string(), &lon.to_string());
            assert_eq!(again.as_ref(), Ok(c));
        }
        // A bad latitude is named even when the longitude is bad too: the form points at the
        // first field to fix.
        Err((CoordinateField::Longitude, _)) => {
            assert!(Coordinates::parse(latitude, "0").is_ok(), "{latitude:?}");
        }
        Err((CoordinateField::Latitude, _)) => {
            assert!(Coordinates::parse(latitude, "0").is_err());
        }
    }
    parsed
}

pub fn name(raw: &str) -> Result<Name, ParseError> {
    let parsed = Name::parse(raw);
    if let Ok(name) = &parsed {
        let s = name.as_str();
        assert_eq!(s, raw.trim());
        assert!(
            !s.is_empty() && s.chars().count() <= Name::MAX_CHARS,
            "{s:?}"
        );
        assert!(
            !has_control(s),
            "{s:?} would break a CSV row or a mail header"
        );
        assert_eq!(Name::parse(s).as_ref(), Ok(name));
    }
    parsed
}

pub fn email(raw: &str) -> Result<Email, ParseError> {
    let parsed = Email::parse(raw);
    if let Ok(email) = &parsed {
        let s = email.as_str();
        assert_eq!(s, raw.trim().to_lowercase(), "kept trimmed and lower-cased");
        assert_eq!(
            s,
            s.to_lowercase(),
            "{s:?}: two accounts could differ by case"
        );
        assert!(
            !s.is_empty() && s.len() <= Email::MAX_LEN,
            "{} bytes",
            s.len()
        );
        // A line break would let an address add headers to the mail sent to it.
        assert!(!has_control(s), "{s:?}");
        let (local, domain) = s.rsplit_once('@').expect("an address has an @");
        assert!(!local.is_empty() && domain.contains('.'), "{s:?}");
        // RFC 5322 lets a quoted local part hold spaces and brackets; nothing else may, or
        // the address carries a display name ("Anna <anna@lucca.it>").
        let bare = |part: &str| !part.contains(char::is_whitespace) && !part.contains(['<', '>']);
        assert!(bare(domain), "{s:?}");
        assert!(local.starts_with('"') || bare(local), "{s:?}");
        assert_eq!(
            Email::parse(s).as_ref(),
            Ok(email),
            "an address read back from storage is accepted as it is"
        );
        assert_eq!(email.to_string(), s);
    }
    parsed
}

pub fn password(raw: &str) -> Result<Password, ParseError> {
    let parsed = Password::parse(raw);
    let expected = match raw.chars().count() {
        0 => Err(ParseError::Empty),
        n if n < Password::MIN_CHARS => Err(ParseError::TooShort),
        n if n > Password::MAX_CHARS => Err(ParseError::TooLong),
        _ => Ok(()),
    };
    assert_eq!(parsed.as_ref().map(|_| ()), expected.as_ref().map(|_| ()));
    if let Ok(p) = &parsed {
        assert_eq!(p.expose(), raw, "a password is hashed exactly as typed");
        assert!(
            !format!("{p:?}").contains(raw),
            "a password is never printed"
        );
    }
    parsed
}

pub fn colour(raw: &str) -> Result<Colour, ParseError> {
    let parsed = Colour::parse(raw);
    if let Ok(c) = parsed {
        let hex = c.hex();
        assert!(
            hex.len() == 6
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{hex:?}"
        );
        assert_eq!(c.to_string(), format!("#{hex}"));
        assert_eq!(Colour::parse(&hex), Ok(c));
        assert_eq!(Colour::parse(&c.to_string()), Ok(c));
        let digits = raw.trim().trim_start_matches('#').to_ascii_lowercase();
        let long: String = match digits.len() {
            3 => digits.chars().flat_map(|d| [d, d]).collect(),
            _ => digits,
        };
        assert_eq!(hex, long, "the colour written is the colour given");
        let (white, black) = (Colour::parse("fff").unwrap(), Colour::parse("000").unwrap());
        let ink = c.ink();
        assert!(ink == white || ink == black);
        let other = if ink == white { black } else { white };
        assert!(
            c.contrast(ink) >= c.contrast(other),
            "{c}: the ink is the less readable one"
        );
        let ratio = c.contrast(ink);
        assert!(
            (1.0..=21.0).contains(&ratio) && ratio == ink.contrast(c),
            "{c}: {ratio}"
        );
    }
    parsed
}

/// Characters the CSS a font writes may hold: names, commas, spaces, hyphens and the quotes
/// around names. Anything else could end the declaration or the style element.
fn css_font_safe(css: &str) -> bool {
    css.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b" ,-\"".contains(&b))
        && css.matches('"').count().is_multiple_of(2)
}

pub fn font(raw: &str) -> Result<FontStack, ParseError> {
    let parsed = FontStack::parse(raw);
    if let Ok(font) = &parsed {
        let css = font.css();
        assert!(css_font_safe(&css), "{css:?}");
        if let FontStack::Named(names) = font {
            assert!((1..=4).contains(&names.len()), "{names:?}");
            for n in names {
                assert!(!n.is_empty() && n.len() <= 40, "{n:?}");
                assert_eq!(n.trim(), n, "{n:?}");
                assert!(
                    n.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-'),
                    "{n:?}"
                );
            }
        }
        let query = font.query();
        assert_eq!(
            FontStack::parse(&query).as_ref(),
            Ok(font),
            "a widget's links carry the font they were given ({query:?})"
        );
    }
    parsed
}

/// A widget's query as `key=value&…`, without percent-decoding (the fuzzer writes any
/// character straight in).
pub fn query_pairs(query: &str) -> Vec<(&str, &str)> {
    query
        .split('&')
        .map(|kv| kv.split_once('=').unwrap_or((kv, "")))
        .collect()
}

pub fn theme(pairs: &[(&str, &str)]) -> Result<Theme, Vec<(&'static str, ParseError)>> {
    let parsed = Theme::from_pairs(pairs.iter().copied());
    let own: Vec<_> = pairs
        .iter()
        .copied()
        .filter(|(k, _)| THEME_KEYS.contains(k))
        .collect();
    assert_eq!(
        Theme::from_pairs(own.iter().copied()),
        parsed,
        "other keys of the query are left alone"
    );
    match &parsed {
        Ok(theme) => {
            assert!(theme.radius.is_none_or(|r| r <= Theme::MAX_RADIUS));
            let written = theme.pairs();
            let again = Theme::from_pairs(written.iter().map(|(k, v)| (*k, v.as_str())));
            assert_eq!(
                again.as_ref(),
                Ok(theme),
                "links inside the widget keep its look"
            );
            if let Some(css) = theme.css() {
                // Only what a theme writes itself: no way out of the style element, the rule
                // or the declaration, and no reference to anything to load.
                assert!(!css.contains(['<', '>', '\\', '\'', '/', '\n']), "{css:?}");
                assert!(!css.contains("url(") && !css.contains("@import"), "{css:?}");
                let mut depth = 0i32;
                for c in css.chars() {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    assert!(depth >= 0, "{css:?}");
                }
                assert_eq!(depth, 0, "{css:?}");
            }
        }
        Err(refused) => {
            assert!(!refused.is_empty());
            assert!(refused.iter().all(|(k, _)| THEME_KEYS.contains(k)));
            assert!(refused.len() <= own.len());
        }
    }
    parsed
}

pub fn frame_origin(raw: &str) -> Result<FrameOrigin, ParseError> {
    let parsed = FrameOrigin::parse(raw);
    if let Ok(origin) = &parsed {
        let s = origin.as_str();
        assert!(s.len() <= 200, "{s:?}");
        let authority = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"))
            .unwrap_or_else(|| panic!("{s:?} is not an http(s) origin"));
        // A Content-Security-Policy splits its sources on spaces and its directives on `;`.
        assert!(
            authority
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-.:".contains(&b)),
            "{s:?} could widen the policy"
        );
        let (host, port) = match authority.split_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        assert!(port.is_none_or(|p| p.parse::<u16>().is_ok()), "{s:?}");
        assert!(
            host.split('.').all(|l| !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')),
            "{s:?}"
        );
        assert_eq!(FrameOrigin::parse(s).as_ref(), Ok(origin));
        assert_eq!(origin.to_string(), s);
    }
    parsed
}

/// The fixed words of the enums that URLs, forms and storage carry.
pub fn words(raw: &str) {
    fn check<T: Copy + PartialEq + std::fmt::Debug>(
        raw: &str,
        parse: impl Fn(&str) -> Option<T>,
        as_str: impl Fn(T) -> &'static str,
        trims: bool,
    ) {
        if let Some(v) = parse(raw) {
            let expected = if trims { raw.trim() } else { raw };
            assert_eq!(as_str(v), expected, "{v:?} read from {raw:?}");
            assert_eq!(parse(as_str(v)), Some(v));
        }
    }
    check(raw, Mode::parse, Mode::as_str, true);
    check(raw, Audience::parse, Audience::as_str, true);
    check(raw, CalendarView::parse, CalendarView::as_str, true);
    // Read back from storage only, where nothing pads it.
    check(
        raw,
        RegistrationStatus::parse,
        RegistrationStatus::as_str,
        false,
    );
    check(raw, AdhesionStatus::parse, AdhesionStatus::as_str, true);
    check(raw, LegalForm::parse, LegalForm::as_str, true);
    check(raw, |s| Density::parse(s).ok(), Density::as_str, true);
    check(raw, |s| Scheme::parse(s).ok(), Scheme::as_str, true);
    check(raw, Region::from_slug, Region::slug, false);
    #[cfg(feature = "schedule")]
    check(
        raw,
        domain::schedule::Repeat::parse,
        domain::schedule::Repeat::as_str,
        true,
    );
}

/// Days the calendar is asked about: any day of the years a calendar can sensibly show.
const TODAYS: [(i32, u32, u32); 4] = [(1900, 1, 1), (2026, 2, 28), (2028, 12, 31), (2200, 12, 31)];

pub fn calendar_query(pairs: &[(&str, &str)]) -> CalendarQuery {
    let q = CalendarQuery::from_pairs(pairs.iter().copied());
    assert!(q.page >= 1);
    // The agenda links to the next page, so the next page must be one it can write.
    assert!(q.page.checked_add(1).is_some(), "page {}", q.page);
    for slug in [&q.city, &q.cluster, &q.sector].into_iter().flatten() {
        assert_eq!(
            Slug::parse(slug).map(|s| s.as_str().to_owned()).as_ref(),
            Ok(slug)
        );
    }
    if let Some(l) = &q.language {
        assert!(MEETING_LANGUAGES.contains(&l.as_str()), "{l:?}");
    }
    let s = q.to_query_string();
    // Nothing in it needs escaping, so the links the calendar writes are what it reads.
    assert!(
        s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-=&".contains(&b)),
        "{s:?}"
    );
    let again =
        CalendarQuery::from_pairs(query_pairs(&s).into_iter().filter(|(k, _)| !k.is_empty()));
    assert_eq!(again, q, "{s:?}");
    let filters = q.filters_query_string();
    let f = CalendarQuery::from_pairs(
        query_pairs(&filters)
            .into_iter()
            .filter(|(k, _)| !k.is_empty()),
    );
    assert_eq!(
        (
            &f.city,
            &f.cluster,
            &f.sector,
            f.audience,
            f.mode,
            &f.language
        ),
        (
            &q.city,
            &q.cluster,
            &q.sector,
            q.audience,
            q.mode,
            &q.language
        ),
        "{filters:?}"
    );
    assert_eq!(
        (f.view, f.from, f.to, f.page),
        (CalendarView::Agenda, None, None, 1)
    );
    for (y, m, d) in TODAYS {
        let today = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let (first, last) = q.range(today);
        let anchor = q.from.unwrap_or(today);
        match q.view {
            CalendarView::Agenda => {
                assert_eq!(first, anchor);
                assert!(last.is_none_or(|l| l >= first), "{first}..{last:?}");
            }
            CalendarView::Week => {
                let last = last.expect("a week ends");
                assert_eq!(first.weekday(), chrono::Weekday::Mon);
                assert_eq!(last - first, Duration::days(6));
                assert!(first <= anchor && anchor <= last);
            }
            CalendarView::Month => {
                let last = last.expect("a month ends");
                assert_eq!(first.day(), 1);
                assert_eq!(
                    (first.year(), first.month()),
                    (anchor.year(), anchor.month())
                );
                assert_eq!((last.year(), last.month()), (anchor.year(), anchor.month()));
                assert!(last.succ_opt().is_none_or(|next| next.day() == 1), "{last}");
            }
        }
    }
    q
}

pub fn reminders(raw: &str) -> Result<Vec<i32>, ParseError> {
    let parsed = parse_reminders(raw);
    if let Ok(minutes) = &parsed {
        assert!(minutes.len() <= MAX_REMINDERS, "{minutes:?}");
        assert!(
            minutes
                .iter()
                .all(|m| (1..=MAX_REMINDER_MINUTES).contains(m)),
            "{minutes:?}"
        );
        assert!(
            minutes.windows(2).all(|w| w[0] > w[1]),
            "{minutes:?}: longest first, without repeats"
        );
        let written = format_reminders(minutes);
        assert!(
            written
                .bytes()
                .all(|b| b.is_ascii_digit() || b"dhm, ".contains(&b)),
            "{written:?}"
        );
        assert_eq!(
            parse_reminders(&written).as_ref(),
            Ok(minutes),
            "the form shows {written:?}"
        );
    }
    parsed
}

pub fn name_key(raw: &str) -> String {
    let key = domain::name_key(raw);
    assert_eq!(key.trim(), key, "{key:?}");
    assert!(!key.contains("  "), "{key:?}");
    assert!(
        !key.chars().any(|c| c.is_whitespace() && c != ' '),
        "{key:?}"
    );
    assert_eq!(domain::name_key(&key), key, "folding twice changes nothing");
    let respaced = raw.split_whitespace().collect::<Vec<_>>().join("\t\u{a0} ");
    assert_eq!(domain::name_key(&respaced), key, "spacing does not matter");
    assert_eq!(
        domain::name_key(&raw.to_ascii_uppercase()),
        domain::name_key(&raw.to_ascii_lowercase()),
        "case does not matter"
    );
    assert_eq!(domain::name_key(&raw.to_lowercase()), key);
    key
}

#[cfg(feature = "tax")]
pub fn tax_code(country: &str, raw: &str) -> Result<TaxCode, ParseError> {
    let parsed = TaxCode::parse(country, raw);
    if let Ok(code) = &parsed {
        let s = code.as_str();
        assert!(!s.is_empty() && s.len() <= TaxCode::MAX_LEN, "{s:?}");
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()),
            "{s:?}: upper case, without spaces or punctuation"
        );
        // Callers pass the city's country, two letters from the roster; only such a prefix
        // cannot be taken off a code twice ("00" could).
        let plain_country = country.len() == 2 && country.bytes().all(|b| b.is_ascii_alphabetic());
        if plain_country {
            assert_eq!(
                TaxCode::parse(country, s).as_ref(),
                Ok(code),
                "a stored code is accepted as it is"
            );
        }
        let prefix = match country.to_ascii_uppercase().as_str() {
            "GR" => "EL".to_owned(),
            c => c.to_owned(),
        };
        if plain_country && s.starts_with(|c: char| c.is_ascii_digit()) {
            let spaced = format!(" {} {} ", prefix.to_lowercase(), s);
            assert_eq!(
                TaxCode::parse(country, &spaced).as_ref(),
                Ok(code),
                "with or without its country prefix, one code"
            );
        }
        // Other countries' 16-character codes look personal too (`is_personal` has no
        // country to go by); an Italian one of 16 characters is always a personal code.
        if country.eq_ignore_ascii_case("IT") && s.len() == 16 {
            assert!(code.is_personal(), "{s:?}");
        }
    } else if raw.trim().is_empty() {
        assert_eq!(parsed, Err(ParseError::Empty));
    }
    parsed
}

pub fn tags(raw: &str) -> Result<Tags, ParseError> {
    let parsed = Tags::parse(raw);
    if let Ok(tags) = &parsed {
        let list = tags.as_slice();
        assert!(list.len() <= Tags::MAX, "{list:?}");
        for (i, t) in list.iter().enumerate() {
            assert!(
                !t.is_empty() && t.chars().count() <= Tags::MAX_CHARS,
                "{t:?}"
            );
            assert!(
                t.chars().all(|c| c.is_alphanumeric() || c == '-'),
                "{t:?} could not be found between commas with LIKE"
            );
            assert_eq!(&t.to_lowercase(), t, "{t:?}");
            assert!(!list[..i].contains(t), "{list:?} repeats {t:?}");
        }
        let stored = tags.stored();
        assert!(
            stored.starts_with(',') && stored.ends_with(','),
            "{stored:?}"
        );
        assert!(!stored.contains(['%', '_']), "{stored:?}");
        assert_eq!(Tags::from_stored(&stored), list);
        assert_eq!(Tags::parse(&list.join(",")).as_ref(), Ok(tags));
    }
    parsed
}

#[cfg(feature = "schedule")]
pub use schedule_rules::*;

#[cfg(feature = "schedule")]
mod schedule_rules {
    use super::*;
    use chrono::{NaiveDateTime, Timelike};
    use domain::schedule::{parse_local, Schedule, Zone};

    pub fn zone(raw: &str) -> Result<Zone, ParseError> {
        let parsed = Zone::parse(raw);
        if let Ok(z) = parsed {
            assert_eq!(z.name(), raw.trim());
            assert_eq!(Zone::parse(z.name()), Ok(z));
        }
        parsed
    }

    pub fn local_time(raw: &str) -> Result<NaiveDateTime, ParseError> {
        let parsed = parse_local(raw);
        if let Ok(t) = parsed {
            assert!((1900..=2200).contains(&t.year()), "{t}");
            assert!(
                t.nanosecond() == 0,
                "{t} from {raw:?} is no time a form sends"
            );
            let full = t.format("%Y-%m-%dT%H:%M:%S").to_string();
            assert_eq!(parse_local(&full), Ok(t), "{full}");
            if t.second() == 0 {
                let input = t.format("%Y-%m-%dT%H:%M").to_string();
                assert_eq!(parse_local(&input), Ok(t), "{input}");
            }
        } else if raw.trim().is_empty() {
            assert_eq!(parsed, Err(ParseError::Empty));
        }
        parsed
    }

    pub fn schedule(
        zone: Zone,
        start: &str,
        end: &str,
        rule: &str,
        exdates: &[NaiveDateTime],
    ) -> Result<Schedule, Vec<(domain::schedule::Part, ParseError)>> {
        let parsed = Schedule::parse(zone, start, end, rule, exdates);
        match &parsed {
            Ok(s) => check_schedule(s, rule),
            Err(problems) => assert!(!problems.is_empty()),
        }
        parsed
    }

    fn check_schedule(s: &Schedule, raw_rule: &str) {
        let (start, end, zone) = (s.start(), s.end(), s.zone());
        assert!(start < end, "{start}..{end}");
        assert!(end - start <= Duration::days(Schedule::MAX_LENGTH_DAYS));
        assert!(zone.instant(start).is_ok() && zone.instant(end).is_ok());
        if let Some(rule) = s.rule() {
            assert!(
                rule.bytes().all(|b| b.is_ascii_graphic()),
                "{rule:?} would break the iCalendar line it is published in"
            );
            assert!(!rule.to_ascii_uppercase().starts_with("RRULE:"), "{rule:?}");
            for f in ["FREQ=HOURLY", "FREQ=MINUTELY", "FREQ=SECONDLY"] {
                assert!(!rule.contains(f), "{rule:?}");
            }
            assert!(
                rule.contains("COUNT=") || rule.contains("UNTIL="),
                "{rule:?} never ends"
            );
        } else {
            let raw = raw_rule.trim();
            let bare = raw
                .strip_prefix("RRULE:")
                .or_else(|| raw.strip_prefix("rrule:"));
            assert!(
                bare.unwrap_or(raw).trim().is_empty(),
                "{raw_rule:?} was dropped"
            );
        }
        let slots = s.slots();
        assert!(!slots.is_empty());
        assert!(slots.len() <= usize::from(Schedule::MAX_OCCURRENCES));
        if s.rule().is_none() {
            assert_eq!(slots.len(), 1);
            assert_eq!(slots[0].original, start);
            assert_eq!(Ok(slots[0].starts_at), zone.instant(start));
            assert_eq!(Ok(slots[0].ends_at), zone.instant(end));
        }
        for w in slots.windows(2) {
            assert!(w[0].original < w[1].original, "{:?}", w);
            assert!(w[0].starts_at < w[1].starts_at, "{:?}", w);
        }
        for slot in &slots {
            assert!(
                slot.ends_at > slot.starts_at,
                "{slot:?} of {:?} in {} ends when it starts",
                s.rule(),
                zone.name()
            );
            // Exceptions are a series' own: a single meeting is its one date.
            if s.rule().is_some() {
                assert!(
                    !s.exdates().contains(&slot.original),
                    "{slot:?} was excluded"
                );
            }
        }
        // What is stored is what the form shows next time: it must be accepted again, as is.
        let again = Schedule::parse(
            zone,
            &start.format("%Y-%m-%dT%H:%M:%S").to_string(),
            &end.format("%Y-%m-%dT%H:%M:%S").to_string(),
            s.rule().unwrap_or(""),
            s.exdates(),
        )
        .unwrap_or_else(|e| panic!("the stored {:?} is refused: {e:?}", s.rule()));
        assert_eq!(again.rule(), s.rule());
        assert_eq!(again.slots(), slots);
    }
}

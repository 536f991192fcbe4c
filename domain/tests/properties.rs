//! Property tests of every parser of user input: whatever arrives (controls, non-BMP
//! characters, megabytes of one letter, near misses of the real format) is refused or accepted
//! without a panic, and what is accepted keeps the rules in `invariants/`. Values known to be
//! valid are generated too, and must be accepted as themselves.
//!
//! `PROPTEST_CASES=10000 cargo test -p domain --all-features --test properties` runs a deeper
//! pass; `scripts/fuzz.sh` runs the same rules under a coverage-guided fuzzer.

mod invariants;
#[path = "properties/queries.rs"]
mod queries;
#[cfg(feature = "roster")]
#[path = "properties/roster.rs"]
mod roster;

use chrono::NaiveDate;
use domain::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// Pieces that parsers split on, trim, case-fold or choke on.
const TRICKY: &[&str] = &[
    "",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
    "\u{a0}",
    "\u{2028}",
    "\u{3000}",
    "\u{feff}",
    "\u{200b}",
    "\u{202e}",
    "#",
    "-",
    "--",
    ",",
    ";",
    "=",
    "&",
    ":",
    "://",
    "/",
    "@",
    ".",
    "'",
    "\"",
    "<",
    ">",
    "{",
    "}",
    "\\",
    "%",
    "_",
    "+",
    "*",
    "0",
    "9",
    "12",
    "a",
    "Z",
    "İ",
    "ı",
    "ß",
    "Σ",
    "ς",
    "ﬀ",
    "\u{212a}",
    "é",
    "e\u{301}",
    "😀",
    "𝔘",
    "\u{10ffff}",
    "1e309",
    "NaN",
    "inf",
    "px",
    "h",
    "d",
    "m",
    "min",
    "T",
    "RRULE:",
    "FREQ=",
    "IT",
    "EL",
    "https",
    "system",
    "serif",
];

/// Anything a hostile client can send: arbitrary characters (the char strategy favours
/// controls, surrogate neighbours and non-BMP planes), glued tricky pieces, and very long
/// repetitions.
fn hostile() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => vec(any::<char>(), 0..80).prop_map(String::from_iter),
        4 => vec(select(TRICKY), 0..24).prop_map(|v| v.concat()),
        1 => (vec(any::<char>(), 1..4), 1_000..20_000usize)
            .prop_map(|(c, n)| String::from_iter(c).repeat(n)),
    ]
}

/// Known-valid or near-valid text, padded with whitespace the parsers should trim.
fn padded(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (
        select(vec!["", " ", "\t", " \n"]),
        s,
        select(vec!["", " ", "\r\n"]),
    )
        .prop_map(|(a, s, b)| format!("{a}{s}{b}"))
}

fn trimmed_eq(raw: &str, value: &str) {
    assert_eq!(value, raw.trim());
}

proptest! {
    #![proptest_config(ProptestConfig {
        // A failure prints its shrunk input; it becomes a named unit test beside the parser
        // rather than a seed file nobody reads.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    // parse.rs

    #[test]
    fn slugs(raw in prop_oneof![hostile(), padded("[a-zA-Z0-9-]{0,70}".prop_map(String::from))]) {
        invariants::slug(&raw).ok();
    }

    #[test]
    fn kebab_case_words_are_slugs(
        s in padded("[a-z0-9]{1,8}(-[a-z0-9]{1,8}){0,6}".prop_filter("64 bytes", |s| s.len() <= 64))
    ) {
        trimmed_eq(&s, invariants::slug(&s).unwrap().as_str());
    }

    #[test]
    fn country_codes(raw in prop_oneof![hostile(), padded("[a-zA-Z0-9é]{0,3}".prop_map(String::from))]) {
        invariants::country_code(&raw).ok();
    }

    #[test]
    fn two_letters_are_a_country_code(s in padded("[a-zA-Z]{2}".prop_map(String::from))) {
        assert_eq!(invariants::country_code(&s).unwrap().as_str(), s.trim().to_ascii_uppercase());
    }

    #[test]
    fn coordinates(
        lat in prop_oneof![hostile(), "[-+]?[0-9]{0,4}(\\.[0-9]{0,12})?(e[-+]?[0-9]{1,3})?", select(vec!["inf", "-inf", "NaN", "1e309", "90.0000000000001", "-0"]).prop_map(String::from)],
        lon in prop_oneof![hostile(), "[-+]?[0-9]{0,4}(\\.[0-9]{0,12})?(e[-+]?[0-9]{1,3})?"],
    ) {
        invariants::coordinates(&lat, &lon).ok();
    }

    #[test]
    fn points_on_the_globe_are_accepted_in_any_notation(
        lat in -90.0..=90.0f64, lon in -180.0..=180.0f64, notation in 0..3usize,
    ) {
        let write = |x: f64| match notation {
            0 => x.to_string(),
            1 => format!("{x:.6}"),
            _ => format!("{x:e}"),
        };
        let (a, b) = (write(lat), write(lon));
        let c = invariants::coordinates(&a, &b).unwrap();
        assert_eq!((c.latitude(), c.longitude()), (a.parse().unwrap(), b.parse().unwrap()));
    }

    #[test]
    fn names(raw in prop_oneof![hostile(), padded("[\\p{L}\\p{N}\\p{Zs}\\p{Cc}\\p{Cf}.,'&()-]{0,210}".prop_map(String::from))]) {
        invariants::name(&raw).ok();
    }

    #[test]
    fn printable_text_up_to_the_limit_is_a_name(
        s in padded("[\\p{L}\\p{N}][\\p{L}\\p{N}\\p{M} .,'&()-]{0,150}".prop_map(String::from))
    ) {
        trimmed_eq(&s, invariants::name(&s).unwrap().as_str());
    }

    // accounts.rs

    #[test]
    fn emails(raw in prop_oneof![
        hostile(),
        padded("[a-zA-Z0-9.+_<> \"-]{0,20}@{0,2}[a-zA-Z0-9.\\[\\]-]{0,20}".prop_map(String::from)),
        // Letters whose lower case is longer (İ) or another letter (the Kelvin sign), at the
        // lengths where the limit bites.
        "[a-zA-Zİ\u{212a}ß]{1,64}@[a-zA-Zİ\u{212a}]{1,63}\\.[a-zA-Zİ]{1,63}\\.[a-zA-Zİ]{1,63}\\.[a-z]{2,10}",
    ]) {
        invariants::email(&raw).ok();
    }

    #[test]
    fn plain_addresses_are_accepted_lower_cased(
        s in padded("[a-zA-Z0-9_%+-]{1,10}(\\.[a-zA-Z0-9_%+-]{1,10}){0,2}@[a-zA-Z0-9]{1,10}(-[a-zA-Z0-9]{1,5})?(\\.[a-zA-Z]{2,10}){1,3}".prop_map(String::from))
    ) {
        assert_eq!(invariants::email(&s).unwrap().as_str(), s.trim().to_lowercase());
    }

    #[test]
    fn passwords(raw in prop_oneof![hostile(), vec(any::<char>(), 0..140).prop_map(String::from_iter)]) {
        invariants::password(&raw).ok();
    }

    #[test]
    fn any_twelve_to_128_characters_are_a_password(s in vec(any::<char>(), 12..=128).prop_map(String::from_iter)) {
        assert_eq!(invariants::password(&s).unwrap().expose(), s);
    }

    // embed.rs

    #[test]
    fn colours(raw in prop_oneof![hostile(), padded("#{0,2}[0-9a-fA-FgG;x]{0,8}".prop_map(String::from))]) {
        invariants::colour(&raw).ok();
    }

    #[test]
    fn every_colour_reads_in_each_notation(rgb in any::<[u8; 3]>(), hash in any::<bool>(), upper in any::<bool>()) {
        let [r, g, b] = rgb;
        let hex = format!("{r:02x}{g:02x}{b:02x}");
        let written = format!("{}{}", if hash { "#" } else { "" }, if upper { hex.to_uppercase() } else { hex.clone() });
        assert_eq!(invariants::colour(&written).unwrap().hex(), hex);
        let short = format!("#{:x}{:x}{:x}", r >> 4, g >> 4, b >> 4);
        let expanded: String = short[1..].chars().flat_map(|c| [c, c]).collect();
        assert_eq!(invariants::colour(&short).unwrap().hex(), expanded);
    }

    #[test]
    fn fonts(raw in prop_oneof![
        hostile(),
        padded("[\"' ]?[A-Za-z0-9 ,'\";{}<>/()-]{0,60}".prop_map(String::from)),
        vec(
            (select(vec!["system", "serif", "sans-serif", "system-ui", "-apple-system", "Arial", "Titillium Web", ""]), select(vec!["", "'", "\""])),
            0..7,
        ).prop_map(|v| v.iter().map(|(n, q)| format!("{q}{n}{q}")).collect::<Vec<_>>().join(",")),
    ]) {
        invariants::font(&raw).ok();
    }

    #[test]
    fn up_to_four_family_names_are_a_font(
        names in vec("[A-Z][A-Za-z0-9]{0,12}( [A-Za-z0-9-]{1,12}){0,2}", 1..=4),
        quote in select(vec!["", "'", "\""]),
    ) {
        let raw = names.iter().map(|n| format!("{quote}{n}{quote}")).collect::<Vec<_>>().join(", ");
        assert_eq!(invariants::font(&raw), Ok(FontStack::Named(names)));
    }

    #[test]
    fn widget_themes(pairs in vec(
        (
            select(vec!["accent", "text", "font", "radius", "density", "theme", "city", "Accent", ""]),
            prop_oneof![
                hostile(),
                "#?[0-9a-fA-F]{3,6}",
                "[+-]?[0-9]{1,3}(px)*",
                select(vec!["compact", "normal", "comfortable", "auto", "light", "dark", " dark ", "system", "serif", "system,", "'system'"]).prop_map(String::from),
                "[A-Za-z ,'\"-]{1,30}",
            ],
        ),
        0..8,
    )) {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        invariants::theme(&pairs).ok();
    }

    #[test]
    fn a_theme_written_out_reads_back(
        accent in proptest::option::of(any::<[u8; 3]>()),
        font in proptest::option::of(prop_oneof![
            Just(FontStack::System),
            Just(FontStack::Serif),
            vec("[A-Z][a-z]{1,10}", 1..=4).prop_map(FontStack::Named),
        ]),
        radius in proptest::option::of(0..=Theme::MAX_RADIUS),
        density in select(Density::ALL.to_vec()),
        scheme in select(Scheme::ALL.to_vec()),
    ) {
        let hex = accent.map(|[r, g, b]| format!("{r:02x}{g:02x}{b:02x}"));
        let theme = Theme {
            accent: hex.as_deref().map(|h| Colour::parse(h).unwrap()),
            text: None,
            font,
            radius,
            density,
            scheme,
        };
        let written = theme.pairs();
        let pairs: Vec<(&str, &str)> = written.iter().map(|(k, v)| (*k, v.as_str())).collect();
        assert_eq!(invariants::theme(&pairs), Ok(theme));
    }

    #[test]
    fn frame_origins(raw in prop_oneof![
        hostile(),
        padded("(https?|HTTP|javascript|data|ftp)?:?/{0,3}[a-zA-Z0-9.*:;'@ -]{0,30}/{0,2}".prop_map(String::from)),
        "https://[a-z0-9-]{1,70}(\\.[a-z0-9-]{0,70}){0,3}(:[0-9]{0,6})?",
    ]) {
        invariants::frame_origin(&raw).ok();
    }

    #[test]
    fn scheme_host_and_port_are_an_origin(
        scheme in select(vec!["http", "https", "HTTPS"]),
        labels in vec("[a-zA-Z0-9]([a-zA-Z0-9-]{0,10}[a-zA-Z0-9])?", 1..4),
        port in proptest::option::of(any::<u16>()),
        slash in any::<bool>(),
    ) {
        let port = port.map(|p| format!(":{p}")).unwrap_or_default();
        let raw = format!("{scheme}://{}{port}{}", labels.join("."), if slash { "/" } else { "" });
        let origin = invariants::frame_origin(&raw).unwrap();
        assert_eq!(origin.as_str(), raw.trim_end_matches('/').to_ascii_lowercase());
    }

    // The fixed words of meetings.rs, pacts.rs, embed.rs, regions.rs and schedule.rs.

    #[test]
    fn enum_words(raw in prop_oneof![
        hostile(),
        padded(select(vec![
            "in-person", "online", "hybrid", "everyone", "organisations", "signatories",
            "coordinators", "agenda", "week", "month", "pending", "confirmed", "waiting",
            "cancelled", "unconfirmed", "approved", "rejected", "withdrawn", "public-body",
            "school", "university", "association", "foundation", "cooperative", "company",
            "other", "compact", "normal", "comfortable", "auto", "light", "dark", "never",
            "weekly", "fortnightly", "monthly-weekday", "monthly-date", "custom", "europe",
            "Online", "WEEK", "in person",
        ]).prop_map(String::from)),
    ]) {
        invariants::words(&raw);
    }

    // meetings.rs

    #[test]
    fn calendar_urls(pairs in vec(
        (
            select(vec!["view", "city", "cluster", "sector", "audience", "mode", "language", "from", "to", "page", "utm_source", ""]),
            prop_oneof![
                hostile(),
                padded("[a-z0-9-]{1,12}".prop_map(String::from)),
                "[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}",
                "[+-]?[0-9]{1,11}",
                select(vec![
                    "week", "month", "agenda", "online", "hybrid", "everyone", "it", "zh", "xx",
                    "+262143-12-31", "-262143-01-01", "9999-12-31", "0000-01-01", "2024-02-29",
                    "2023-02-29", "4294967295", "4294967296", "0",
                ]).prop_map(String::from),
            ],
        ),
        0..10,
    )) {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        invariants::calendar_query(&pairs);
    }

    #[test]
    fn a_calendar_query_written_out_reads_back(
        view in select(vec![CalendarView::Agenda, CalendarView::Week, CalendarView::Month]),
        city in proptest::option::of("[a-z0-9]{1,10}(-[a-z0-9]{1,10})?"),
        audience in proptest::option::of(select(Audience::ALL.to_vec())),
        mode in proptest::option::of(select(Mode::ALL.to_vec())),
        language in proptest::option::of(select(MEETING_LANGUAGES.to_vec())),
        from in proptest::option::of((1900..=2200i32, 1..=366u32)),
        page in 1..=10_000u32,
    ) {
        let q = CalendarQuery {
            view,
            city,
            cluster: None,
            sector: None,
            audience,
            mode,
            language: language.map(str::to_owned),
            from: from.and_then(|(y, d)| NaiveDate::from_yo_opt(y, d)),
            to: None,
            page,
        };
        let s = q.to_query_string();
        let again = invariants::calendar_query(&invariants::query_pairs(&s));
        assert_eq!(again, q);
    }

    #[test]
    fn reminders(raw in prop_oneof![
        hostile(),
        "([ ,;]{0,2}[-+]?[0-9]{0,12} ?(m|min|h|d|H|D|MIN|x)?){0,8}",
    ]) {
        invariants::reminders(&raw).ok();
    }

    #[test]
    fn reminders_read_back_as_written(
        minutes in proptest::sample::subsequence((1..=30).flat_map(|d| [d * 1440, d * 60, d * 45, d * 7]).collect::<Vec<i32>>(), 0..=MAX_REMINDERS)
            .prop_map(|mut v| { v.sort_unstable_by(|a, b| b.cmp(a)); v.dedup(); v }),
        extra in 1..=MAX_REMINDER_MINUTES,
    ) {
        assert_eq!(parse_reminders(&format_reminders(&minutes)), Ok(minutes.clone()));
        assert_eq!(invariants::reminders(&format_reminders(&[extra])), Ok(vec![extra]));
    }

    // pacts.rs

    #[test]
    fn organisation_names_fold(raw in prop_oneof![
        hostile(),
        "[ \\t\u{a0}\u{3000}]*([\\p{L}ΣσςİIıß'.-]{1,6}[ \\t\\n\u{a0}\u{2028}]{1,3}){0,6}",
    ]) {
        invariants::name_key(&raw);
    }

    #[test]
    fn practice_tags(raw in prop_oneof![
        hostile(),
        "([ ,]{0,2}[\\p{L}\\p{N} %_;-]{0,12}){0,12}",
        "(Σ|ς|İ|ß|ǅ| |,){0,50}",
    ]) {
        invariants::tags(&raw).ok();
    }

    #[test]
    fn lower_case_words_are_tags(words in vec("[\\p{Ll}\\p{N}]{1,10}( [\\p{Ll}\\p{N}]{1,10})?", 0..=Tags::MAX)) {
        let expected: Vec<String> = words.iter().fold(Vec::new(), |mut acc, w| {
            let tag = w.replace(' ', "-").to_lowercase();
            if !acc.contains(&tag) {
                acc.push(tag);
            }
            acc
        });
        let raw = words.join(" , ");
        assert_eq!(invariants::tags(&raw).unwrap().as_slice(), expected);
    }
}

#[cfg(feature = "tax")]
mod tax {
    use super::*;

    /// An Italian partita IVA with its check digit, as vat_id_validator computes it.
    fn partita_iva(body: &[u8], office: u32) -> String {
        let digits = format!(
            "{}{office:03}",
            body.iter().map(|d| (b'0' + d) as char).collect::<String>()
        );
        let sum: u32 = digits
            .bytes()
            .enumerate()
            .map(|(i, b)| {
                let d = u32::from(b - b'0') * if i % 2 == 1 { 2 } else { 1 };
                d / 10 + d % 10
            })
            .sum();
        format!("{digits}{}", (10 - sum % 10) % 10)
    }

    proptest! {
        #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

        #[test]
        fn tax_codes(
            country in prop_oneof![
                select(vec!["IT", "it", "GR", "EL", "FR", "DE", "CN", "US", "", "I", "ITA", "ıt", "UK", "EU"]).prop_map(String::from),
                hostile(),
            ],
            raw in prop_oneof![
                hostile(),
                padded("([A-Za-z]{2})?[ .\\-/]?[0-9A-Za-z .\\-/]{0,34}".prop_map(String::from)),
                "[A-Z]{6}[0-9]{2}[A-Z][0-9]{2}[A-Z][0-9]{3}[A-Z]",
                "(IT|EL|FR|DE)?[0-9]{8,12}",
            ],
        ) {
            invariants::tax_code(&country, &raw).ok();
        }

        #[test]
        fn italian_vat_numbers_with_their_check_digit_are_accepted(
            body in proptest::array::uniform7(0..10u8).prop_filter("not all zero", |b| b.iter().any(|d| *d != 0)),
            office in prop_oneof![1..=201u32, Just(888), Just(999)],
            prefix in select(vec!["", "IT", "it ", "IT-"]),
        ) {
            let code = partita_iva(&body, office);
            let written = format!("{prefix}{code}");
            assert_eq!(invariants::tax_code("IT", &written).unwrap().as_str(), code);
        }
    }
}

#[cfg(feature = "schedule")]
mod schedule {
    use super::*;
    use chrono::{Datelike, NaiveDateTime, NaiveTime};
    use domain::schedule::{Repeat, Schedule, Zone};

    fn zone(name: &str) -> Zone {
        Zone::parse(name).unwrap()
    }

    /// Zones with every kind of change: an hour (Rome, New York), half an hour (Lord Howe),
    /// a whole skipped day (Apia, 2011), none (Shanghai, UTC).
    const ZONES: &[&str] = &[
        "Europe/Rome",
        "America/New_York",
        "Australia/Lord_Howe",
        "Pacific/Apia",
        "Asia/Shanghai",
        "UTC",
        "America/Sao_Paulo",
    ];

    fn local() -> impl Strategy<Value = NaiveDateTime> {
        (
            2010..=2032i32,
            1..=366u32,
            0..24u32,
            select(vec![0u32, 10, 15, 30, 45, 59]),
        )
            .prop_filter_map("a day of the year", |(y, d, h, m)| {
                NaiveDate::from_yo_opt(y, d)?.and_hms_opt(h, m, 0)
            })
    }

    fn input(t: NaiveDateTime) -> String {
        t.format("%Y-%m-%dT%H:%M").to_string()
    }

    fn rule() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "(RRULE:|rrule:)?FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY|HOURLY|daily)(;INTERVAL=[0-9]{1,3})?(;COUNT=[0-9]{1,4})?(;BYDAY=(MO|TU|WE|TH|FR|SA|SU|1TH|-1SU|5FR)(,MO)?)?(;BYMONTHDAY=-?[0-9]{1,2})?(;BYHOUR=[0-9]{1,2}(,3)?)?(;BYMINUTE=[0-9]{1,2})?(;UNTIL=20[0-9]{2}[01][0-9][0-3][0-9](T[0-2][0-9][0-5][0-9]00Z?)?)?",
            "FREQ=WEEKLY(;BYDAY=MO,TU,WE,TH,FR,SA,SU){0,1}(;BYMONTH=1,2,3,4,5,6,7,8,9,10,11,12)?(;BYSETPOS=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30)?(;WKST=MO)?(;BYWEEKNO=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20)?",
            hostile(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig {
            failure_persistence: None,
            // Each case expands a series of up to 260 dates, twice.
            cases: 96,
            ..ProptestConfig::default()
        })]

        #[test]
        fn zones(raw in prop_oneof![
            hostile(),
            padded("[A-Za-z_/+-]{0,20}".prop_map(String::from)),
            select(ZONES).prop_map(|z| z.to_uppercase()),
        ]) {
            invariants::zone(&raw).ok();
        }

        #[test]
        fn every_iana_name_is_a_zone(tz in select(chrono_tz::TZ_VARIANTS.to_vec()), pad in padded(Just(String::new()))) {
            let raw = format!("{pad}{}{pad}", tz.name());
            assert_eq!(invariants::zone(&raw).unwrap().tz(), tz);
        }

        #[test]
        fn local_times(raw in prop_oneof![
            hostile(),
            padded("[+-]?[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}[T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\\.[0-9]{1,9})?)?".prop_map(String::from)),
            // Plausible dates, seconds at the edge.
            "(19|20|21|22)[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:(00|59|60|61))?",
        ]) {
            invariants::local_time(&raw).ok();
        }

        #[test]
        fn what_a_browser_sends_is_a_local_time(
            date in (1900..=2200i32, 1..=366u32).prop_filter_map("a day", |(y, d)| NaiveDate::from_yo_opt(y, d)),
            h in 0..24u32, m in 0..60u32, s in 0..60u32,
            format in select(vec!["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]),
        ) {
            let t = date.and_time(NaiveTime::from_hms_opt(h, m, if format.ends_with("%S") { s } else { 0 }).unwrap());
            assert_eq!(invariants::local_time(&t.format(format).to_string()), Ok(t));
        }

        #[test]
        fn schedules(
            tz in select(ZONES),
            start in prop_oneof![local().prop_map(input), hostile()],
            minutes in prop_oneof![1..=180i64, 1..=10_200i64],
            rule in rule(),
            exdates in vec(local(), 0..3),
        ) {
            let end = NaiveDateTime::parse_from_str(&start, "%Y-%m-%dT%H:%M")
                .map(|s| input(s + chrono::Duration::minutes(minutes)))
                .unwrap_or_default();
            invariants::schedule(zone(tz), &start, &end, &rule, &exdates).ok();
        }

        /// A weekly series whose dates fall into a spring-forward gap: the one time of the
        /// year its wall-clock time does not exist.
        #[test]
        fn weekly_series_across_a_spring_forward_gap(
            (tz, change) in select(vec![
                ("Europe/Rome", (2026, 3, 29)),
                ("America/New_York", (2026, 3, 8)),
                ("Australia/Lord_Howe", (2026, 10, 4)),
            ]),
            weeks_before in 1..8i64,
            minute in 0..60u32,
            length in 1..=240i64,
        ) {
            let (y, m, d) = change;
            let start = NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(2, minute, 0).unwrap()
                - chrono::Duration::weeks(weeks_before);
            let end = start + chrono::Duration::minutes(length);
            let s = invariants::schedule(zone(tz), &input(start), &input(end), "FREQ=WEEKLY;COUNT=10", &[]);
            assert_eq!(s.unwrap().slots().len(), 10);
        }

        #[test]
        fn the_form_s_presets_are_accepted(
            tz in select(ZONES),
            start in local(),
            minutes in 1..=600i64,
            repeat in select(Repeat::ALL.to_vec()),
            end_by in prop_oneof![
                (1..=Schedule::MAX_OCCURRENCES).prop_map(|n| (Some(n), None)),
                (0..400i64).prop_map(|d| (None, Some(d))),
                Just((None, None)),
            ],
        ) {
            let zone = zone(tz);
            prop_assume!(zone.instant(start).is_ok() && zone.instant(start + chrono::Duration::minutes(minutes)).is_ok());
            let (count, until) = end_by;
            let until = until.map(|d| start.date() + chrono::Duration::days(d));
            let rule = repeat.rule(zone, start, "", count, until).unwrap();
            let s = invariants::schedule(
                zone,
                &input(start),
                &input(start + chrono::Duration::minutes(minutes)),
                &rule,
                &[],
            ).unwrap_or_else(|e| panic!("{rule:?} from {repeat:?}: {e:?}"));
            if let (Some(n), false) = (count, repeat == Repeat::Never || repeat == Repeat::Custom) {
                assert_eq!(s.slots().len(), usize::from(n), "{rule}");
            }
            if let Some(day) = until {
                assert!(s.slots().iter().all(|slot| slot.original.date() <= day), "{rule}");
            }
            assert!(s.slots()[0].original.year() >= start.year());
        }
    }
}

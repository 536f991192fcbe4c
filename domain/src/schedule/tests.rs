use super::*;
use chrono::NaiveDate;

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
}

fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.from_utc_datetime(&at(y, m, d, h, min))
}

fn zone(name: &str) -> Zone {
    Zone::parse(name).unwrap()
}

#[test]
fn zones_are_iana_names() {
    assert_eq!(zone("Europe/Rome").name(), "Europe/Rome");
    assert_eq!(Zone::parse(" "), Err(ParseError::Empty));
    assert_eq!(Zone::parse("Europe/Lucca"), Err(ParseError::InvalidFormat));
    assert_eq!(Zone::parse("CET+1"), Err(ParseError::InvalidFormat));
}

#[test]
fn local_times_parse_as_a_browser_sends_them() {
    assert_eq!(parse_local("2021-01-19T17:30"), Ok(at(2021, 1, 19, 17, 30)));
    assert_eq!(parse_local("2021-01-19 17:30"), Ok(at(2021, 1, 19, 17, 30)));
    assert_eq!(
        parse_local("2021-02-30T17:30"),
        Err(ParseError::InvalidFormat)
    );
    assert_eq!(parse_local("19/01/2021"), Err(ParseError::InvalidFormat));
    assert_eq!(
        parse_local("2021-01-19T17:30:60"),
        Err(ParseError::InvalidFormat)
    );
    assert_eq!(
        parse_local("9999-01-01T00:00"),
        Err(ParseError::InvalidFormat)
    );
    assert_eq!(parse_local(""), Err(ParseError::Empty));
}

#[test]
fn the_same_wall_clock_time_is_a_different_instant_across_zones() {
    // The Torino–Chengdu cluster meeting: 10:00 in Turin is 17:00 in Chengdu in winter and
    // 16:00 in summer, because China keeps no daylight-saving time.
    let rome = zone("Europe/Rome");
    let shanghai = zone("Asia/Shanghai");
    let winter = rome.instant(at(2026, 1, 15, 10, 0)).unwrap();
    assert_eq!(winter, utc(2026, 1, 15, 9, 0));
    assert_eq!(shanghai.local(winter), at(2026, 1, 15, 17, 0));
    let summer = rome.instant(at(2026, 7, 16, 10, 0)).unwrap();
    assert_eq!(summer, utc(2026, 7, 16, 8, 0));
    assert_eq!(shanghai.local(summer), at(2026, 7, 16, 16, 0));
    assert_eq!(rome.offset(winter), "+01:00");
    assert_eq!(rome.offset(summer), "+02:00");
    assert_eq!(shanghai.offset(summer), "+08:00");
}

#[test]
fn times_the_clocks_skip_are_refused_and_repeated_ones_mean_the_first() {
    let rome = zone("Europe/Rome");
    // 29 March 2026: 02:00 → 03:00.
    assert_eq!(
        rome.instant(at(2026, 3, 29, 2, 30)),
        Err(ParseError::NonexistentTime)
    );
    // 25 October 2026: 03:00 → 02:00, so 02:30 happens at 00:30 and again at 01:30 UTC.
    assert_eq!(
        rome.instant(at(2026, 10, 25, 2, 30)),
        Ok(utc(2026, 10, 25, 0, 30))
    );
    let new_york = zone("America/New_York");
    // 8 March 2026: 02:00 → 03:00 in New York.
    assert_eq!(
        new_york.instant(at(2026, 3, 8, 2, 15)),
        Err(ParseError::NonexistentTime)
    );
    let problems =
        Schedule::parse(rome, "2026-03-29T02:30", "2026-03-29T04:00", "", &[]).unwrap_err();
    assert_eq!(problems, vec![(Part::Start, ParseError::NonexistentTime)]);
}

#[test]
fn an_end_the_clocks_skip_is_read_with_the_offset_before_the_gap() {
    let rome = zone("Europe/Rome");
    // 02:40 on 29 March 2026 does not exist: it is 03:40 CEST, 01:40 UTC.
    assert_eq!(
        rome.instant_lenient(at(2026, 3, 29, 2, 40)),
        utc(2026, 3, 29, 1, 40)
    );
    assert_eq!(
        rome.instant_lenient(at(2026, 3, 29, 2, 0)),
        utc(2026, 3, 29, 1, 0)
    );
    // Samoa skipped 30 December 2011. A Thursday 16:00–24:00 meeting's last evening ended
    // at midnight that never came; it ended at 02:00 UTC, before it started.
    let apia = zone("Pacific/Apia");
    let s = Schedule::parse(
        apia,
        "2011-12-22T16:00",
        "2011-12-23T00:00",
        "FREQ=WEEKLY;COUNT=2",
        &[],
    )
    .unwrap();
    for slot in s.slots() {
        assert_eq!(
            slot.ends_at - slot.starts_at,
            Duration::hours(8),
            "{slot:?}"
        );
    }
}

#[test]
fn a_weekly_series_keeps_its_wall_clock_time_across_both_changes() {
    let rome = zone("Europe/Rome");
    let s = Schedule::parse(
        rome,
        "2026-03-19T17:30",
        "2026-03-19T19:00",
        "FREQ=WEEKLY;COUNT=3",
        &[],
    )
    .unwrap();
    let slots = s.slots();
    assert_eq!(slots.len(), 3);
    // 19 March (UTC+1), 26 March (UTC+1), 2 April (UTC+2): always 17:30 in Lucca.
    assert_eq!(slots[0].starts_at, utc(2026, 3, 19, 16, 30));
    assert_eq!(slots[1].starts_at, utc(2026, 3, 26, 16, 30));
    assert_eq!(slots[2].starts_at, utc(2026, 4, 2, 15, 30));
    assert_eq!(slots[2].ends_at, utc(2026, 4, 2, 17, 0));
    assert!(slots
        .iter()
        .all(|s| s.original.time() == at(2026, 1, 1, 17, 30).time()));

    // Autumn, in Chicago: 30 October and 6 November 2026 straddle the change of 1 November.
    let chicago = zone("America/Chicago");
    let s = Schedule::parse(
        chicago,
        "2026-10-30T09:00",
        "2026-10-30T10:00",
        "FREQ=WEEKLY;COUNT=2",
        &[],
    )
    .unwrap();
    let slots = s.slots();
    assert_eq!(slots[0].starts_at, utc(2026, 10, 30, 14, 0));
    assert_eq!(slots[1].starts_at, utc(2026, 11, 6, 15, 0));
}

#[test]
fn a_meeting_across_the_night_of_the_change_lasts_its_real_length() {
    // 20:00–10:00 across the October change in Rome is 15 hours, not 14.
    let s = Schedule::parse(
        zone("Europe/Rome"),
        "2026-10-24T20:00",
        "2026-10-25T10:00",
        "",
        &[],
    )
    .unwrap();
    let slot = &s.slots()[0];
    assert_eq!(slot.ends_at - slot.starts_at, Duration::hours(15));
    // Sao Paulo has had no daylight-saving time since 2019.
    let s = Schedule::parse(
        zone("America/Sao_Paulo"),
        "2026-11-05T18:00",
        "2026-11-05T19:00",
        "",
        &[],
    )
    .unwrap();
    assert_eq!(s.slots()[0].starts_at, utc(2026, 11, 5, 21, 0));
}

#[test]
fn monthly_rules_exceptions_and_open_ends() {
    let rome = zone("Europe/Rome");
    // The coordination table: second Thursday of each month.
    let ex = [at(2026, 3, 12, 17, 30)];
    let s = Schedule::parse(
        rome,
        "2026-01-08T17:30",
        "2026-01-08T19:00",
        "RRULE:FREQ=MONTHLY;BYDAY=2TH;COUNT=6",
        &ex,
    )
    .unwrap();
    let days: Vec<_> = s.slots().iter().map(|s| s.original.date()).collect();
    let expected: Vec<_> = [(1, 8), (2, 12), (4, 9), (5, 14), (6, 11)]
        .iter()
        .map(|&(m, d)| NaiveDate::from_ymd_opt(2026, m, d).unwrap())
        .collect();
    assert_eq!(days, expected, "March 12 is an exception");
    // Without COUNT or UNTIL a series ends two years on.
    let s = Schedule::parse(
        rome,
        "2026-01-08T17:30",
        "2026-01-08T19:00",
        "FREQ=MONTHLY;BYDAY=2TH",
        &[],
    )
    .unwrap();
    assert!(s.rule().unwrap().contains("UNTIL=2028"));
    assert_eq!(s.slots().len(), 24);
}

#[test]
fn absurd_rules_are_refused() {
    let rome = zone("Europe/Rome");
    let parse = |rule: &str| {
        Schedule::parse(rome, "2026-01-08T17:30", "2026-01-08T19:00", rule, &[])
            .map(|_| ())
            .unwrap_err()[0]
            .1
    };
    assert_eq!(parse("FREQ=SECONDLY"), ParseError::TooFrequent);
    assert_eq!(parse("FREQ=HOURLY;BYMINUTE=0"), ParseError::TooFrequent);
    assert_eq!(parse("FREQ=DAILY;COUNT=100000"), ParseError::TooFrequent);
    assert_eq!(
        parse("FREQ=DAILY;UNTIL=21000101T000000Z"),
        ParseError::TooFrequent
    );
    assert_eq!(parse("FREQ=FORTNIGHTLY"), ParseError::InvalidFormat);
    assert_eq!(
        parse("<script>alert(1)</script>"),
        ParseError::InvalidFormat
    );
    assert_eq!(
        parse("FREQ=WEEKLY\r\nX-EVIL:1"),
        ParseError::InvalidCharacters
    );
    assert_eq!(
        parse("FREQ=WEEKLY;BYDAY=2éH"),
        ParseError::InvalidCharacters
    );
    assert_eq!(parse(&"FREQ=WEEKLY;".repeat(40)), ParseError::TooLong);
    // A rule that can never match (30 February).
    assert_eq!(
        parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30;COUNT=2"),
        ParseError::InvalidFormat
    );
    let problems =
        Schedule::parse(rome, "2026-01-08T17:30", "2026-01-08T17:00", "", &[]).unwrap_err();
    assert_eq!(problems, vec![(Part::End, ParseError::EndBeforeStart)]);
    let problems =
        Schedule::parse(rome, "2026-01-08T17:30", "2026-02-08T17:00", "", &[]).unwrap_err();
    assert_eq!(problems, vec![(Part::End, ParseError::OutOfRange)]);
    let problems = Schedule::parse(rome, "", "nonsense", "", &[]).unwrap_err();
    assert_eq!(
        problems,
        vec![
            (Part::Start, ParseError::Empty),
            (Part::End, ParseError::InvalidFormat)
        ]
    );
}

#[test]
fn the_last_day_of_the_month_survives_storage() {
    // rrule writes a validated rule without its negative BYMONTHDAY values; the stored
    // rule then repeated on the first date's day of the month instead.
    let s = Schedule::parse(
        zone("Europe/Rome"),
        "2026-01-31T17:30",
        "2026-01-31T19:00",
        "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3",
        &[],
    )
    .unwrap();
    assert!(
        s.rule().unwrap().contains("BYMONTHDAY=-1"),
        "{:?}",
        s.rule()
    );
    let days: Vec<_> = s.slots().iter().map(|s| s.original.date()).collect();
    let expected: Vec<_> = [(1, 31), (2, 28), (3, 31)]
        .iter()
        .map(|&(m, d)| NaiveDate::from_ymd_opt(2026, m, d).unwrap())
        .collect();
    assert_eq!(days, expected);
}

#[test]
fn a_series_may_have_exactly_the_most_occurrences() {
    let rome = zone("Europe/Rome");
    let start = at(2026, 1, 8, 17, 30);
    let rule = Repeat::Weekly
        .rule(rome, start, "", Some(Schedule::MAX_OCCURRENCES), None)
        .unwrap();
    let s = Schedule::parse(rome, "2026-01-08T17:30", "2026-01-08T19:00", &rule, &[]).unwrap();
    assert_eq!(s.slots().len(), 260);
    let one_more = format!("FREQ=WEEKLY;COUNT={}", Schedule::MAX_OCCURRENCES + 1);
    let refused = Schedule::parse(rome, "2026-01-08T17:30", "2026-01-08T19:00", &one_more, &[]);
    assert_eq!(
        refused.unwrap_err(),
        vec![(Part::Rule, ParseError::TooFrequent)]
    );
}

#[test]
fn presets_become_rules_that_keep_their_weekday() {
    let rome = zone("Europe/Rome");
    let thursday = at(2026, 1, 8, 17, 30);
    let rule = |r: Repeat, count, until| r.rule(rome, thursday, "", count, until);
    assert_eq!(rule(Repeat::Never, None, None), Ok(String::new()));
    assert_eq!(
        rule(Repeat::Weekly, Some(4), None),
        Ok("FREQ=WEEKLY;COUNT=4".into())
    );
    assert_eq!(
        rule(Repeat::MonthlyByWeekday, None, None),
        Ok("FREQ=MONTHLY;BYDAY=2TH".into())
    );
    // 29 January 2026 is the last Thursday of its month.
    assert_eq!(
        Repeat::MonthlyByWeekday.rule(rome, at(2026, 1, 29, 17, 30), "", None, None),
        Ok("FREQ=MONTHLY;BYDAY=-1TH".into())
    );
    assert_eq!(
        rule(Repeat::MonthlyByDate, None, None),
        Ok("FREQ=MONTHLY;BYMONTHDAY=8".into())
    );
    // Until the end of 30 June in Rome: 21:59:59 UTC in summer.
    let until = NaiveDate::from_ymd_opt(2026, 6, 30);
    let text = rule(Repeat::Fortnightly, None, until).unwrap();
    assert_eq!(text, "FREQ=WEEKLY;INTERVAL=2;UNTIL=20260630T215959Z");
    let s = Schedule::parse(rome, "2026-01-08T17:30", "2026-01-08T19:00", &text, &[]).unwrap();
    let slots = s.slots();
    assert_eq!(slots.len(), 13);
    assert_eq!(slots.last().unwrap().original, at(2026, 6, 25, 17, 30));
    assert_eq!(
        rule(Repeat::Weekly, Some(0), None),
        Err((Part::Count, ParseError::OutOfRange))
    );
    assert_eq!(
        rule(Repeat::Weekly, Some(261), None),
        Err((Part::Count, ParseError::OutOfRange))
    );
    assert_eq!(
        rule(Repeat::Weekly, None, NaiveDate::from_ymd_opt(2025, 1, 1)),
        Err((Part::Until, ParseError::EndBeforeStart))
    );
    assert_eq!(
        Repeat::Custom.rule(rome, thursday, " FREQ=DAILY;COUNT=3 ", Some(9), None),
        Ok("FREQ=DAILY;COUNT=3".into())
    );
}

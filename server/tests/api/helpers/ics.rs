//! A strict reading of iCalendar (RFC 5545) for the tests. Calendar programs forgive a lot, and
//! so does the `ical` crate; this does not: every line ends in CRLF and fits in 75 octets, no
//! control character appears, each property is one the generator is meant to write, TEXT values
//! use only the escapes the RFC defines, and components nest as they must. A value that smuggled
//! a line break into the file shows up here as a property or component of its own, which fails.

use std::collections::HashMap;

#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    pub params: Vec<(String, String)>,
    /// The value as written (still escaped).
    pub raw: String,
}

impl Property {
    /// A TEXT value unescaped.
    pub fn text(&self) -> String {
        let mut out = String::new();
        let mut chars = self.raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n' | 'N') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        out
    }
}

#[derive(Debug, Clone, Default)]
pub struct Component {
    pub name: String,
    pub properties: Vec<Property>,
    pub children: Vec<Component>,
}

impl Component {
    pub fn one(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }

    pub fn all(&self, name: &str) -> Vec<&Component> {
        self.children.iter().filter(|c| c.name == name).collect()
    }
}

/// The properties each component may have in what Learning City writes, and those it must
/// have exactly once.
fn allowed(component: &str) -> (&'static [&'static str], &'static [&'static str]) {
    match component {
        "VCALENDAR" => (
            &[
                "VERSION",
                "PRODID",
                "CALSCALE",
                "METHOD",
                "NAME",
                "X-WR-CALNAME",
            ],
            &["VERSION", "PRODID"],
        ),
        "VEVENT" => (
            &[
                "UID",
                "DTSTAMP",
                "DTSTART",
                "DTEND",
                "SEQUENCE",
                "STATUS",
                "SUMMARY",
                "DESCRIPTION",
                "URL",
                "LOCATION",
                "LAST-MODIFIED",
                "RRULE",
                "EXDATE",
                "RECURRENCE-ID",
                "X-LEARNING-CITY-MODE",
                // Only in a cancellation: see `addressed`.
                "ORGANIZER",
                "ATTENDEE",
            ],
            &["UID", "DTSTAMP", "DTSTART"],
        ),
        "VTIMEZONE" => (&["TZID"], &["TZID"]),
        "STANDARD" | "DAYLIGHT" => (
            &["DTSTART", "TZOFFSETFROM", "TZOFFSETTO", "TZNAME", "RDATE"],
            &["DTSTART", "TZOFFSETFROM", "TZOFFSETTO"],
        ),
        _ => (&[], &[]),
    }
}

fn children_allowed(parent: &str) -> &'static [&'static str] {
    match parent {
        "" => &["VCALENDAR"],
        "VCALENDAR" => &["VEVENT", "VTIMEZONE"],
        "VTIMEZONE" => &["STANDARD", "DAYLIGHT"],
        _ => &[],
    }
}

const TEXT: [&str; 7] = [
    "SUMMARY",
    "DESCRIPTION",
    "LOCATION",
    "NAME",
    "X-WR-CALNAME",
    "TZNAME",
    "X-LEARNING-CITY-MODE",
];

/// Reads `text` as one VCALENDAR, or says what breaks the RFC.
pub fn strict(text: &str) -> Result<Component, String> {
    let body = text
        .strip_suffix("\r\n")
        .ok_or("the file does not end with CRLF")?;
    let mut lines: Vec<String> = Vec::new();
    for (n, line) in body.split("\r\n").enumerate() {
        if line.contains(['\r', '\n']) {
            return Err(format!("line {n}: a bare CR or LF in {line:?}"));
        }
        if line.len() > 75 {
            return Err(format!("line {n}: {} octets, more than 75", line.len()));
        }
        if line.chars().any(|c| c.is_control() && c != '\t') {
            return Err(format!("line {n}: a control character in {line:?}"));
        }
        match line.strip_prefix([' ', '\t']) {
            Some(rest) => lines
                .last_mut()
                .ok_or("a continuation before any line")?
                .push_str(rest),
            None => lines.push(line.to_owned()),
        }
    }
    let mut stack = vec![Component::default()];
    for line in lines {
        let property = content_line(&line)?;
        match property.name.as_str() {
            "BEGIN" => {
                let parent = &stack.last().expect("root").name;
                if !children_allowed(parent).contains(&property.raw.as_str()) {
                    return Err(format!("BEGIN:{} inside {parent:?}", property.raw));
                }
                stack.push(Component {
                    name: property.raw,
                    ..Default::default()
                });
            }
            "END" => {
                let done = stack.pop().filter(|c| c.name == property.raw);
                let done = done.ok_or_else(|| format!("END:{} out of place", property.raw))?;
                check(&done)?;
                if done.name == "VEVENT" {
                    let calendar = stack.last().expect("root");
                    let method = calendar.one("METHOD").map(|p| p.raw.as_str());
                    addressed(&done, method)?;
                }
                stack
                    .last_mut()
                    .ok_or("END without BEGIN")?
                    .children
                    .push(done);
            }
            _ => {
                let current = stack.last_mut().expect("root");
                if current.name.is_empty() {
                    return Err(format!("{} outside any component", property.name));
                }
                current.properties.push(property);
            }
        }
    }
    let mut root = stack
        .pop()
        .filter(|_| stack.is_empty())
        .ok_or("unclosed component")?;
    match root.children.len() {
        1 => Ok(root.children.remove(0)),
        n => Err(format!("{n} calendars in one file")),
    }
}

fn check(component: &Component) -> Result<(), String> {
    let (may, must) = allowed(&component.name);
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for p in &component.properties {
        if !may.contains(&p.name.as_str()) {
            return Err(format!("{} in {}: {:?}", p.name, component.name, p.raw));
        }
        *seen.entry(p.name.as_str()).or_default() += 1;
        if TEXT.contains(&p.name.as_str()) {
            text_value(&p.raw).map_err(|e| format!("{}: {e} in {:?}", p.name, p.raw))?;
        }
    }
    for name in must {
        if seen.get(name) != Some(&1) {
            return Err(format!("{} must have {name} once", component.name));
        }
    }
    for (name, count) in seen {
        if count > 1 && !matches!(name, "EXDATE" | "RDATE") {
            return Err(format!("{name} {count} times in {}", component.name));
        }
    }
    Ok(())
}

/// Who an entry is from and to: only a cancellation (RFC 5546) names them, and it must name
/// both: one ORGANIZER and at least one ATTENDEE, each a bare `mailto:` address. Anywhere else
/// they would be an injected property.
fn addressed(event: &Component, method: Option<&str>) -> Result<(), String> {
    let named = |name: &'static str| event.properties.iter().filter(move |p| p.name == name);
    let (organizers, attendees) = (named("ORGANIZER").count(), named("ATTENDEE").count());
    if method != Some("CANCEL") {
        return match organizers + attendees {
            0 => Ok(()),
            _ => Err(format!("ORGANIZER or ATTENDEE under METHOD:{method:?}")),
        };
    }
    if organizers != 1 || attendees == 0 {
        return Err(format!(
            "a cancellation with {organizers} ORGANIZER and {attendees} ATTENDEE"
        ));
    }
    for p in named("ORGANIZER").chain(named("ATTENDEE")) {
        let address = p
            .raw
            .strip_prefix("mailto:")
            .ok_or_else(|| format!("{} is not a mailto: address: {:?}", p.name, p.raw))?;
        let plain = |c: char| !c.is_whitespace() && !matches!(c, ';' | ',' | ':' | '"' | '<' | '>');
        let parts: Vec<&str> = address.split('@').collect();
        if parts.len() != 2 || parts.iter().any(|s| s.is_empty() || !s.chars().all(plain)) {
            return Err(format!("{}: not one address in {:?}", p.name, p.raw));
        }
        if !p.params.is_empty() {
            return Err(format!("{}: parameters {:?}", p.name, p.params));
        }
    }
    Ok(())
}

/// A single TEXT value: `;` and `,` escaped, and no escape but `\\`, `\;`, `\,` and `\n`.
fn text_value(raw: &str) -> Result<(), String> {
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\' | ';' | ',' | 'n' | 'N') => {}
                other => return Err(format!("escape \\{other:?}")),
            },
            ';' | ',' => return Err(format!("unescaped {c:?}")),
            _ => {}
        }
    }
    Ok(())
}

/// `name *(";" param) ":" value`, names of letters, digits and hyphens.
fn content_line(line: &str) -> Result<Property, String> {
    let is_name =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let mut rest = line;
    let end = rest
        .find([';', ':'])
        .ok_or_else(|| format!("no value in {line:?}"))?;
    let name = rest[..end].to_ascii_uppercase();
    if !is_name(&name) {
        return Err(format!("bad property name in {line:?}"));
    }
    rest = &rest[end..];
    let mut params = Vec::new();
    while let Some(after) = rest.strip_prefix(';') {
        let eq = after
            .find('=')
            .ok_or_else(|| format!("bad parameter in {line:?}"))?;
        let key = &after[..eq];
        if !is_name(key) {
            return Err(format!("bad parameter name in {line:?}"));
        }
        let value_and_rest = &after[eq + 1..];
        let (value, tail) = if let Some(quoted) = value_and_rest.strip_prefix('"') {
            let close = quoted
                .find('"')
                .ok_or_else(|| format!("open quote in {line:?}"))?;
            (&quoted[..close], &quoted[close + 1..])
        } else {
            let stop = value_and_rest
                .find([';', ':', ','])
                .ok_or_else(|| format!("no value in {line:?}"))?;
            (&value_and_rest[..stop], &value_and_rest[stop..])
        };
        params.push((key.to_ascii_uppercase(), value.to_owned()));
        rest = tail;
    }
    let raw = rest
        .strip_prefix(':')
        .ok_or_else(|| format!("no ':' after the parameters in {line:?}"))?;
    Ok(Property {
        name,
        params,
        raw: raw.to_owned(),
    })
}

/// The calendar attached to a message as written (folded, CRLF).
pub fn attachment(mail: &str) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(mail.as_bytes())?;
    let found = parsed.attachments().find_map(|a| {
        let text = String::from_utf8_lossy(a.contents()).into_owned();
        text.contains("BEGIN:VCALENDAR").then_some(text)
    });
    found
}

#[test]
fn the_reader_refuses_what_it_should() {
    let good =
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nNAME:a\\, b\r\nEND:VCALENDAR\r\n";
    assert_eq!(strict(good).unwrap().one("NAME").unwrap().text(), "a, b");
    for bad in [
        good.replace("NAME:a\\, b", "NAME:a, b"),
        good.replace("NAME:a\\, b", "NAME:a\rb"),
        good.replace("NAME:a\\, b", "NAME:a\nATTENDEE:x"),
        good.replace("NAME:a\\, b", "ATTENDEE:mailto:x@y"),
        good.replace("NAME:a\\, b", &format!("NAME:{}", "x".repeat(80))),
        good.replace("VERSION:2.0\r\n", ""),
        good.replace("END:VCALENDAR\r\n", ""),
        good.replace("NAME:a\\, b", "BEGIN:VALARM\r\nEND:VALARM"),
    ] {
        assert!(strict(&bad).is_err(), "{bad:?}");
    }
}

#[test]
fn only_a_cancellation_names_its_organizer_and_attendees() {
    let event = |method: &str, lines: &str| {
        format!(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nMETHOD:{method}\r\n\
             BEGIN:VEVENT\r\nUID:u\r\nDTSTAMP:20261207T000000Z\r\nDTSTART:20261208T100000Z\r\n\
             {lines}END:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    };
    let both = "ORGANIZER:mailto:no-reply@example.org\r\nATTENDEE:mailto:a@example.org\r\n";
    assert!(strict(&event("CANCEL", both)).is_ok());
    for bad in [
        event("PUBLISH", both),
        event("PUBLISH", "ATTENDEE:mailto:a@example.org\r\n"),
        event("CANCEL", ""),
        event("CANCEL", "ORGANIZER:mailto:no-reply@example.org\r\n"),
        event("CANCEL", "ATTENDEE:mailto:a@example.org\r\n"),
        event(
            "CANCEL",
            "ORGANIZER:mailto:no-reply@example.org\r\nATTENDEE:mailto:a@b@c\r\n",
        ),
        event(
            "CANCEL",
            "ORGANIZER:mailto:no-reply@example.org\r\nATTENDEE:a@example.org\r\n",
        ),
        event(
            "CANCEL",
            "ORGANIZER:mailto:no-reply@example.org\r\nATTENDEE;CN=x:mailto:a@example.org\r\n",
        ),
    ] {
        assert!(strict(&bad).is_err(), "{bad:?}");
    }
}

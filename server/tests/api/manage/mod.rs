//! Coordinators managing meetings through the real server, on SQLite and PostgreSQL: a series
//! published, edited, partly cancelled, moved, cancelled and deleted, with the feed and the
//! registrants' mail following each step; people seated, moved and removed by hand; who may do
//! what; and the meeting form's answers to bad input.

mod city_map;
mod form;
mod organisers;
mod permissions;
mod series;

use crate::helpers::*;
use chrono::{Duration, Utc};
use domain::Role;
use std::collections::HashSet;

const SECRET_LINK: &str = "https://meet.example.org/tavolo-riservato";

/// Local wall-clock time in Lucca, `days` from now at `time`.
fn local_in(days: i64, time: &str) -> String {
    let day = (Utc::now() + Duration::days(days)).date_naive();
    format!("{day}T{time}")
}

/// The fields of a meeting form, with `changes` replacing or adding fields.
fn meeting_form(title: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form: Vec<(String, String)> = [
        ("lang", "en"),
        ("owner", "city:lucca"),
        ("title", title),
        ("description", "Il tavolo dei *firmatari*."),
        ("sector", ""),
        ("language", "it"),
        ("audience", "signatories"),
        ("mode", "online"),
        ("online_link", SECRET_LINK),
        ("timezone", "Europe/Rome"),
        ("repeat", "weekly"),
        ("count", "4"),
        ("registration", "yes"),
        ("capacity", "2"),
        ("reminders", "24h, 1h"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    form.push(("start".into(), local_in(3, "17:30")));
    form.push(("end".into(), local_in(3, "19:00")));
    for (k, v) in changes {
        form.retain(|(key, _)| key != k);
        form.push((k.to_string(), v.to_string()));
    }
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

fn subjects(mail: &[String]) -> Vec<String> {
    mail.iter()
        .map(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("Subject: "))
                .unwrap_or_default()
                .to_owned()
        })
        .collect()
}

/// The calendar attachment of a message, unfolded.
fn ics_of(mail: &str) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(mail.as_bytes())?;
    let found = parsed.attachments().find_map(|a| {
        let text = String::from_utf8_lossy(a.contents()).into_owned();
        text.contains("BEGIN:VCALENDAR")
            .then(|| text.replace("\r\n ", "").replace("\r\n", "\n"))
    });
    found
}

fn problems_of(body: &str) -> HashSet<String> {
    let error: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|_| panic!("not an error: {body}"));
    error["Invalid"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {body}"))
        .iter()
        .map(|p| p[0].as_str().unwrap().to_owned())
        .collect()
}

impl TestApp {
    async fn status_of(&self, occurrence: i64, email: &str) -> Option<String> {
        self.db
            .registrations(occurrence)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.email == email && r.status.as_str() != "cancelled")
            .map(|r| r.status.as_str().to_owned())
    }

    async fn registration_id(&self, occurrence: i64, email: &str) -> i64 {
        self.db
            .registrations(occurrence)
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.email == email && r.status.as_str() != "cancelled")
            .unwrap()
            .id
    }

    async fn lucca_feed(&self) -> ical::parser::ical::component::IcalCalendar {
        let body = browser()
            .get(format!("{}/feeds/calendar.ics?city=lucca", self.base))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!body.contains(SECRET_LINK), "{}: feed", self.backend);
        ical::IcalParser::new(body.as_bytes())
            .next()
            .unwrap()
            .unwrap_or_else(|e| panic!("{}: {e}\n{body}", self.backend))
    }
}

/// The feed's entries of one meeting: (RECURRENCE-ID, STATUS, SEQUENCE, DTSTART).
fn entries_titled(
    cal: &ical::parser::ical::component::IcalCalendar,
    title: &str,
) -> Vec<(Option<String>, String, String, String)> {
    cal.events
        .iter()
        .filter(|e| {
            e.properties
                .iter()
                .any(|p| p.name == "SUMMARY" && p.value.as_deref() == Some(title))
        })
        .map(|e| {
            let get = |n: &str| {
                e.properties
                    .iter()
                    .find(|p| p.name == n)
                    .and_then(|p| p.value.clone())
            };
            (
                get("RECURRENCE-ID"),
                get("STATUS").unwrap_or_default(),
                get("SEQUENCE").unwrap_or_default(),
                get("DTSTART").unwrap_or_default(),
            )
        })
        .collect()
}

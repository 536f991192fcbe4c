//! Meeting calendars through the real server, on SQLite and PostgreSQL: seats under
//! concurrent sign-ups, the waitlist and its promotion, repeated registrations, bad input, and
//! the public outputs (pages, JSON, feeds) read back by an independent iCalendar parser,
//! none of which may reveal a meeting's online link.

mod feeds;
mod privacy;
mod reminders;
mod sign_ups;

use crate::helpers::*;
use chrono::{Duration, Utc};
use db::meetings::{self, NewMeeting, Owner};
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode};
use std::collections::HashSet;

const SECRET_LINK: &str = "https://meet.example.org/secret-room-4242";

/// What a coordinator typed for a meeting.
struct Texts<'a> {
    title: &'a str,
    description: &'a str,
    place: &'a str,
}

impl TestApp {
    /// A meeting of Lucca starting in two days (or a series), returning its first occurrence.
    async fn meeting(&self, capacity: Option<i32>, rule: &str) -> i64 {
        let start = (Utc::now() + Duration::days(2)).date_naive();
        self.meeting_from(
            &format!("{start}T17:30"),
            &format!("{start}T19:00"),
            capacity,
            rule,
        )
        .await
    }

    /// A one-hour meeting of Lucca starting at an instant (to the minute).
    async fn meeting_at(&self, start: chrono::DateTime<Utc>) -> i64 {
        let zone = Zone::parse("Europe/Rome").unwrap();
        let local = |t: chrono::DateTime<Utc>| zone.local(t).format("%Y-%m-%dT%H:%M").to_string();
        self.meeting_from(&local(start), &local(start + Duration::hours(1)), None, "")
            .await
    }

    async fn meeting_from(&self, start: &str, end: &str, capacity: Option<i32>, rule: &str) -> i64 {
        let texts = Texts {
            title: "Tavolo <b>di</b> prova",
            description: "Un incontro *di prova*.\n\n<script>alert(1)</script>",
            place: "",
        };
        self.meeting_with(start, end, capacity, rule, texts).await
    }

    async fn meeting_with(
        &self,
        start: &str,
        end: &str,
        capacity: Option<i32>,
        rule: &str,
        texts: Texts<'_>,
    ) -> i64 {
        let lucca = self.db.city_id("lucca").await.unwrap();
        let schedule =
            Schedule::parse(Zone::parse("Europe/Rome").unwrap(), start, end, rule, &[]).unwrap();
        let uid = format!("test-{}@learning.example", uuid::Uuid::new_v4());
        let m = NewMeeting {
            uid: &uid,
            owner: Owner::City(lucca),
            sector_id: None,
            title: texts.title,
            description: texts.description,
            language: "it",
            audience: Audience::Everyone,
            mode: Mode::Online,
            place: texts.place,
            address: "",
            position: None,
            online_link: Some(SECRET_LINK),
            schedule: &schedule,
            capacity,
            takes_registrations: true,
            registration_opens_at: None,
            registration_closes_at: None,
            reminders: &[1440, 60],
            created_by: None,
        };
        let mut tx = self.db.begin_write().await.unwrap();
        let id = meetings::create(&mut tx, &m, Utc::now().timestamp())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let (first, _) = self.db.next_occurrences(id, 0, 1).await.unwrap()[0];
        first
    }

    async fn register(
        &self,
        client: &reqwest::Client,
        occurrence: i64,
        email: &str,
    ) -> (u16, String) {
        let id = occurrence.to_string();
        self.call(
            client,
            "register",
            &[
                ("lang", "en"),
                ("occurrence", &id),
                ("name", email.split('@').next().unwrap()),
                ("email", email),
                ("consent", "yes"),
            ],
        )
        .await
    }

    async fn statuses(&self, occurrence: i64) -> (usize, usize, usize) {
        let all = self.db.registrations(occurrence).await.unwrap();
        let count = |s: &str| all.iter().filter(|r| r.status.as_str() == s).count();
        (count("confirmed"), count("waiting"), count("pending"))
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let res = browser()
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }
}

fn subject_of(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_default()
        .to_owned()
}

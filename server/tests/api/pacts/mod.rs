//! Pact sign-up through the real server, on SQLite and PostgreSQL: an organisation adheres,
//! confirms from the mail, is approved and listed, and withdraws; links that expired or were
//! used; the same organisation submitted twice at once; the rate limit; and a table of bad
//! input, each answered with a 4xx naming its field, never a 500, with stored text always shown
//! escaped.

mod adhering;
mod administration;
mod bad_input;
mod duplicates;
mod escaping;
mod joining;
mod links;
mod table;

use crate::helpers::*;
use domain::Role;
use reqwest::multipart::{Form, Part};
use std::collections::HashSet;

/// A 2×2 PNG.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x02, 0x08, 0x02, 0x00, 0x00, 0x00, 0xfd, 0xd4, 0x9a,
    0x73, 0x00, 0x00, 0x00, 0x10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0x38, 0xa0, 0xa0, 0x00,
    0x44, 0x0c, 0x10, 0x0a, 0x00, 0x1e, 0x8e, 0x04, 0x01, 0x97, 0x8b, 0x41, 0x9c, 0x00, 0x00, 0x00,
    0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// What a filled-in sign-up form sends, before the commitments.
fn filled(name: &str, email: &str, tax: &str) -> Vec<(String, String)> {
    [
        ("lang", "it"),
        ("slug", "lucca"),
        ("organisation", name),
        ("legal_form", "association"),
        ("sector", "museums-culture"),
        ("tax_code", tax),
        ("address", "Via Fillungo 1, Lucca"),
        ("latitude", "43.8441"),
        ("longitude", "10.5049"),
        ("website", "https://example.org/"),
        ("contact_name", "Giulia Bianchi"),
        ("email", email),
        ("phone", "+39 0583 000000"),
        ("representative", "Marco Rossi"),
        ("authority", "yes"),
        ("privacy", "yes"),
        ("listed", "yes"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn without(mut fields: Vec<(String, String)>, key: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields
}

fn with(mut fields: Vec<(String, String)>, key: &str, value: &str) -> Vec<(String, String)> {
    fields.retain(|(k, _)| k != key);
    fields.push((key.to_owned(), value.to_owned()));
    fields
}

fn multipart(
    fields: &[(String, String)],
    commitments: &[i64],
    logo: Option<(&[u8], &str)>,
) -> Form {
    let mut form = Form::new();
    for (k, v) in fields {
        form = form.text(k.clone(), v.clone());
    }
    for c in commitments {
        form = form.text("commitments[]", c.to_string());
    }
    if let Some((bytes, name)) = logo {
        form = form.part(
            "logo",
            Part::bytes(bytes.to_vec()).file_name(name.to_owned()),
        );
    }
    form
}

/// The problems named in a refusal (JSON), by field.
fn problems(body: &str) -> HashSet<String> {
    let error: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    error["Invalid"]["problems"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| p[0].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn problem_of(body: &str, field: &str) -> Option<String> {
    let error: serde_json::Value = serde_json::from_str(body).ok()?;
    error["Invalid"]["problems"]
        .as_array()?
        .iter()
        .find(|p| p[0] == field)
        .map(|p| p[1].as_str().unwrap_or_default().to_owned())
}

impl TestApp {
    async fn commitments(&self) -> Vec<i64> {
        let city = self.db.city_id("lucca").await.unwrap();
        let pact = self.db.pact_of_city(city).await.unwrap().unwrap();
        self.db
            .pact_commitments(pact.id)
            .await
            .unwrap()
            .into_iter()
            .map(|c| c.id)
            .collect()
    }

    /// Sends the sign-up form as the page does with JavaScript.
    async fn join(&self, client: &reqwest::Client, form: Form) -> (u16, String) {
        let res = client
            .post(format!("{}/api/pact_join", self.base))
            .header("Origin", &self.base)
            .multipart(form)
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn page(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let res = client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (res.status().as_u16(), res.text().await.unwrap())
    }

    async fn adhesion_named(&self, name: &str) -> Vec<db::pacts::AdhesionRow> {
        let city = self.db.city_id("lucca").await.unwrap();
        let pact = self.db.pact_of_city(city).await.unwrap().unwrap();
        self.db
            .adhesions(
                pact.id,
                &db::pacts::AdhesionFilter {
                    search: Some(name),
                    ..Default::default()
                },
                100,
                0,
            )
            .await
            .unwrap()
            .0
    }
}

fn subject_of(mail: &str) -> String {
    mail.lines()
        .find_map(|l| l.strip_prefix("Subject: "))
        .unwrap_or_default()
        .to_owned()
}

impl TestApp {
    /// A weekly meeting of Lucca with three dates, starting in a week.
    async fn table_meeting(&self) -> i64 {
        use domain::schedule::{Schedule, Zone};
        let lucca = self.db.city_id("lucca").await.unwrap();
        let start = (chrono::Utc::now() + chrono::Duration::days(7)).date_naive();
        let schedule = Schedule::parse(
            Zone::parse("Europe/Rome").unwrap(),
            &format!("{start}T17:30"),
            &format!("{start}T19:00"),
            "FREQ=WEEKLY;COUNT=3",
            &[],
        )
        .unwrap();
        let uid = format!("table-{}@learning.example", uuid::Uuid::new_v4());
        let m = db::meetings::NewMeeting {
            uid: &uid,
            owner: db::meetings::Owner::City(lucca),
            sector_id: None,
            title: "Tavolo di coordinamento dei firmatari",
            description: "",
            language: "it",
            audience: domain::Audience::Signatories,
            mode: domain::Mode::Online,
            place: "",
            address: "",
            position: None,
            online_link: Some("https://meet.example.org/tavolo-firmatari"),
            schedule: &schedule,
            capacity: Some(50),
            takes_registrations: true,
            registration_opens_at: None,
            registration_closes_at: None,
            reminders: &[1440],
            created_by: None,
        };
        let mut tx = self.db.begin_write().await.unwrap();
        let id = db::meetings::create(&mut tx, &m, chrono::Utc::now().timestamp())
            .await
            .unwrap();
        tx.commit().await.unwrap();
        id
    }
}

/// The `<input>` tag named `name` in a page.
fn input_named<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!("name=\"{name}\""))
        .unwrap_or_else(|| panic!("no input {name}"));
    let start = html[..at].rfind('<').unwrap();
    let end = at + html[at..].find('>').unwrap();
    &html[start..=end]
}

/// An Italian VAT number (partita IVA) of company `n` at Lucca's office (046), with its check
/// digit.
fn partita_iva(n: u64) -> String {
    let digits: Vec<u32> = format!("{:07}046", 1_000_000 + n % 1_000_000)
        .chars()
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                *d
            } else if d * 2 > 9 {
                d * 2 - 9
            } else {
                d * 2
            }
        })
        .sum();
    let check = (10 - sum % 10) % 10;
    format!(
        "{}{check}",
        digits.iter().map(|d| d.to_string()).collect::<String>()
    )
}

/// Lucca's coordinator and Torino's, each signed in: the one who runs Lucca's pact and one whom
/// its administration refuses.
struct Coordinators {
    lucca: i64,
    me: reqwest::Client,
    other: reqwest::Client,
}

async fn coordinators(app: &TestApp) -> Coordinators {
    let lucca = app.city("lucca").await;
    let torino = app.city("torino").await;
    app.user("coord@lucca.example.org", "en", &[Role::City(lucca)])
        .await;
    app.user("coord@torino.example.org", "en", &[Role::City(torino)])
        .await;
    Coordinators {
        lucca,
        me: app.signed_in("coord@lucca.example.org").await,
        other: app.signed_in("coord@torino.example.org").await,
    }
}

//! Script-bearing text stored through the real forms, then read back from every page, widget,
//! feed, export and mail that shows it: HTML and SVG must show it as text (escaped), the other
//! formats must carry it exactly, each in its own encoding, served as what it is.

use super::forms::{CITY, CLUSTER, MEMBER};
use super::{MARKDOWN, SCRIPT, SCRIPT_TAG};
use crate::helpers::{self, browser, token_in, TestApp};
use domain::Role;
use reqwest::multipart::Form;

/// The payloads' pieces that must never come back as markup: each would run or load something
/// in a browser. (Quotes need no escape in text, so an attribute is recognised by its tag.)
const RAW: &[&str] = &[
    "<script>alert",
    "<img src=x",
    "<iframe src=\"javascript:",
    "href=\"javascript:",
];

/// The first piece of markup in `body` that must not be there, with what surrounds it.
pub fn unescaped(body: &str) -> Option<String> {
    RAW.iter().find_map(|raw| {
        body.find(raw).map(|i| {
            let (from, to) = (i.saturating_sub(80), (i + 80).min(body.len()));
            let (from, to) = (body.floor_char_boundary(from), body.ceil_char_boundary(to));
            format!("{raw} unescaped: …{}…", &body[from..to])
        })
    })
}

/// The stored value of a field: a marker that shows where it went, then the script.
fn hostile(marker: &str) -> String {
    format!("{marker} {SCRIPT}")
}

/// What a page, widget or file answered, checked for its format.
fn checked(url: &str, content_type: &str, nosniff: bool, body: &str, markers: &[&str]) {
    assert!(nosniff, "{url}: served without X-Content-Type-Options");
    let markup = content_type.starts_with("text/html") || content_type.contains("svg");
    if markup {
        if let Some(raw) = unescaped(body) {
            panic!("{url}: {raw}");
        }
    }
    for marker in markers {
        assert!(
            body.contains(marker),
            "{url} ({content_type}): {marker} not shown"
        );
        // Markdown is rendered, so only the marker of a Markdown text is sure to be left.
        if marker.ends_with("-markdown") {
            continue;
        }
        // The marker and the script's tag: a badge shortens long names.
        let full = format!("{marker} {SCRIPT_TAG}");
        let shown = if markup {
            // Escaped as text, whichever of the equivalent escapes the renderer chose.
            body.replace("&#x27;", "'")
                .replace("&#39;", "'")
                .replace("&quot;", "\"")
                .replace("&#34;", "\"")
                .replace("&gt;", ">")
                .replace("&lt;", "<")
                .replace("&amp;", "&")
                .contains(&full)
        } else {
            body.contains(&full)
        };
        assert!(shown, "{url} ({content_type}): {marker} not shown whole");
    }
}

impl TestApp {
    /// Fetches `path` and checks it; returns its body.
    async fn read(&self, client: &reqwest::Client, path: &str, markers: &[&str]) -> String {
        let url = format!("{}{path}", self.base);
        let res = client.get(&url).send().await.unwrap();
        let status = res.status().as_u16();
        let content_type = res
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let nosniff = res.headers().get("x-content-type-options").is_some();
        let body = res.text().await.unwrap();
        assert_eq!(
            status,
            200,
            "{} {path}: {}",
            self.backend,
            &body[..body.len().min(300)]
        );
        checked(&url, &content_type, nosniff, &body, markers);
        body
    }

    async fn ok(&self, client: &reqwest::Client, function: &str, form: &[(&str, &str)]) {
        let (status, body) = self.call(client, function, form).await;
        assert_eq!(status, 200, "{} {function}: {body}", self.backend);
    }
}

async fn stored_text_is_shown_escaped(test_db: testkit::TestDb) {
    let app = helpers::spawn_app(test_db, &[]).await;
    let b = app.backend;
    app.user("admin@example.org", "en", &[Role::Admin]).await;
    let admin = app.signed_in("admin@example.org").await;
    let anonymous = browser();

    // A meeting, and someone registered for it.
    let day = (chrono::Utc::now() + chrono::Duration::days(5)).date_naive();
    let (start, end) = (format!("{day}T17:30"), format!("{day}T19:00"));
    let title = hostile("Meeting-title");
    let description = format!("{} {MARKDOWN}", hostile("Meeting-markdown"));
    let (place, address) = (hostile("Meeting-place"), hostile("Meeting-address"));
    let owner = format!("city:{CITY}");
    app.ok(
        &admin,
        "save_meeting",
        &[
            ("lang", "en"),
            ("owner", &owner),
            ("title", &title),
            ("description", &description),
            ("language", "it"),
            ("audience", "everyone"),
            ("mode", "in-person"),
            ("place", &place),
            ("address", &address),
            ("timezone", "Europe/Rome"),
            ("start", &start),
            ("end", &end),
            ("registration", "yes"),
            ("capacity", "10"),
        ],
    )
    .await;
    let (meeting, dates) = app.meeting_titled(&title).await;
    let date = dates[0].to_string();
    let (name, organisation, needs) = (
        hostile("Registrant-name"),
        hostile("Registrant-organisation"),
        hostile("Registrant-needs"),
    );
    app.ok(
        &anonymous,
        "register",
        &[
            ("lang", "en"),
            ("occurrence", &date),
            ("name", &name),
            ("email", "ada@example.org"),
            ("organisation", &organisation),
            ("needs", &needs),
            ("consent", "yes"),
        ],
    )
    .await;
    let token = token_in(&app.mail_to("ada@example.org").await[0]);
    app.ok(
        &anonymous,
        "confirm_registration",
        &[("lang", "en"), ("token", &token)],
    )
    .await;

    // The city's and the cluster's texts, a practice, the pact's parts, a person invited.
    let city_text = format!("{} {MARKDOWN}", hostile("City-markdown"));
    app.ok(
        &admin,
        "update_city_profile",
        &[
            ("lang", "en"),
            ("slug", CITY),
            ("description_en", &city_text),
            ("description_it", &city_text),
            ("website", ""),
        ],
    )
    .await;
    let cluster_text = hostile("Cluster-description");
    app.ok(
        &admin,
        "update_cluster_profile",
        &[
            ("lang", "en"),
            ("slug", CLUSTER),
            ("description_en", &cluster_text),
            ("description_it", &cluster_text),
        ],
    )
    .await;
    let (practice, summary) = (hostile("Practice-title"), hostile("Practice-summary"));
    app.ok(
        &admin,
        "save_practice",
        &[
            ("lang", "en"),
            ("slug", CLUSTER),
            ("id", ""),
            ("city", MEMBER),
            ("title", &practice),
            ("summary", &summary),
            ("link", "https://example.org/practice"),
            ("language", "en"),
            ("tags", "youth"),
        ],
    )
    .await;
    let partner = hostile("Partner-name");
    app.ok(
        &admin,
        "pact_partner",
        &[("lang", "en"), ("slug", CITY), ("name", &partner)],
    )
    .await;
    let commitment = hostile("Commitment-label");
    app.ok(
        &admin,
        "pact_commitment",
        &[
            ("lang", "en"),
            ("slug", CITY),
            ("key", "hostile"),
            ("label_en", &commitment),
            ("label_it", &commitment),
        ],
    )
    .await;
    let invited = hostile("Invited-name");
    app.ok(
        &admin,
        "grant_role",
        &[
            ("lang", "en"),
            ("email", "invited@example.org"),
            ("name", &invited),
            ("locale", "en"),
            ("kind", "city"),
            ("target", CITY),
        ],
    )
    .await;

    // An organisation adheres, confirms and is approved, so that every list shows it.
    let adherent = hostile("Adherent-name");
    let city = app.city(CITY).await;
    let pact = app.db.pact_of_city(city).await.unwrap().unwrap();
    let commitments = app.db.pact_commitments(pact.id).await.unwrap();
    let sector = app.db.sectors_of(city).await.unwrap().remove(0).slug;
    let mut form = Form::new();
    for (k, v) in [
        ("lang", "en"),
        ("slug", CITY),
        ("organisation", adherent.as_str()),
        ("legal_form", "association"),
        ("sector", sector.as_str()),
        ("address", "Via Fillungo 1, Lucca"),
        ("contact_name", "Giulia Bianchi"),
        ("email", "giulia@example.org"),
        ("representative", "Marco Rossi"),
        ("authority", "yes"),
        ("privacy", "yes"),
        ("listed", "yes"),
    ] {
        form = form.text(k, v.to_owned());
    }
    form = form.text("commitments[]", commitments[0].id.to_string());
    let res = anonymous
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .multipart(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    assert_eq!(status, 200, "{b} pact_join: {}", res.text().await.unwrap());
    let confirm = token_in(&app.mail_to("giulia@example.org").await[0]);
    app.ok(
        &anonymous,
        "pact_confirm",
        &[("lang", "en"), ("token", &confirm)],
    )
    .await;
    let (rows, _) = app
        .db
        .adhesions(pact.id, &Default::default(), 50, 0)
        .await
        .unwrap();
    let adhesion = rows
        .iter()
        .find(|r| r.organisation == adherent)
        .expect("the adhesion stored as typed")
        .id;
    let id = adhesion.to_string();
    app.ok(
        &admin,
        "pact_decide",
        &[("lang", "en"), ("id", &id), ("decision", "approve")],
    )
    .await;

    // Every place those texts are shown, to whom may see it.
    let meeting_markers = ["Meeting-title", "Meeting-markdown", "Meeting-place"];
    let public: Vec<(String, Vec<&str>)> = vec![
        (format!("/en/meetings/{date}"), meeting_markers.to_vec()),
        (format!("/embed/en/meetings/{date}"), vec!["Meeting-title"]),
        ("/en/calendar".into(), vec!["Meeting-title"]),
        (format!("/en/cities/{CITY}/calendar"), vec!["Meeting-title"]),
        ("/embed/en/calendar".into(), vec!["Meeting-title"]),
        (format!("/en/cities/{CITY}"), vec!["City-markdown"]),
        (
            format!("/en/clusters/{CLUSTER}"),
            vec!["Cluster-description"],
        ),
        (
            format!("/en/clusters/{CLUSTER}/practices"),
            vec!["Practice-title", "Practice-summary"],
        ),
        (
            format!("/en/cities/{CITY}/pact"),
            vec!["Partner-name", "Adherent-name"],
        ),
        (
            format!("/en/cities/{CITY}/pact/join"),
            vec!["Commitment-label"],
        ),
        (
            format!("/en/cities/{CITY}/pact/adherents/{adhesion}"),
            vec!["Adherent-name"],
        ),
        (
            format!("/embed/en/cities/{CITY}/pact/adherents"),
            vec!["Adherent-name"],
        ),
        (
            format!("/badges/pact/{adhesion}.svg"),
            vec!["Adherent-name"],
        ),
        (
            format!("/en/registration?token={token}"),
            vec!["Meeting-title"],
        ),
    ];
    for (path, markers) in &public {
        app.read(&anonymous, path, markers).await;
    }
    let coordinators: Vec<(String, Vec<&str>)> = vec![
        ("/en/coordinate/meetings".into(), vec!["Meeting-title"]),
        (
            format!("/en/coordinate/meetings/{meeting}"),
            vec!["Meeting-title"],
        ),
        (
            format!("/en/coordinate/occurrences/{date}"),
            vec![
                "Registrant-name",
                "Registrant-organisation",
                "Registrant-needs",
            ],
        ),
        (
            format!("/en/coordinate/pacts/{CITY}?status=approved"),
            vec!["Adherent-name"],
        ),
        (
            format!("/en/coordinate/adhesions/{adhesion}"),
            vec!["Adherent-name"],
        ),
        (
            format!("/en/coordinate/pacts/{CITY}/settings"),
            vec!["Partner-name", "Commitment-label"],
        ),
        ("/en/coordinate/people".into(), vec!["Invited-name"]),
        ("/en/coordinate/audit".into(), vec![]),
        ("/en/coordinate/outbox".into(), vec![]),
    ];
    for (path, markers) in &coordinators {
        app.read(&admin, path, markers).await;
    }

    // Other formats carry the text exactly, in their own encoding.
    let ics = app
        .read(&anonymous, &format!("/feeds/meetings/{date}.ics"), &[])
        .await;
    let calendar = crate::helpers::ics::strict(&ics).unwrap_or_else(|e| panic!("{b}: {e}\n{ics}"));
    let event = &calendar.all("VEVENT")[0];
    assert_eq!(event.one("SUMMARY").unwrap().text(), title, "{b}");
    let feed = app
        .read(&anonymous, &format!("/feeds/calendar.ics?city={CITY}"), &[])
        .await;
    crate::helpers::ics::strict(&feed).unwrap_or_else(|e| panic!("{b}: {e}"));
    assert!(feed.contains("Meeting-title"), "{b}: the feed lists it");
    let json = app
        .read(
            &anonymous,
            &format!("/feeds/calendar.json?city={CITY}"),
            &[],
        )
        .await;
    assert!(
        strings_of(&serde_json::from_str(&json).unwrap()).contains(&title),
        "{b}: the JSON feed carries the title as typed"
    );
    let open = app
        .read(&anonymous, &format!("/open-data/pacts/{CITY}.json"), &[])
        .await;
    assert!(
        strings_of(&serde_json::from_str(&open).unwrap()).contains(&adherent),
        "{b}: open data carry the name as typed"
    );
    for (path, value) in [
        (format!("/open-data/pacts/{CITY}.csv"), &adherent),
        (format!("/coordinate/pacts/{CITY}/adhesions.csv"), &adherent),
        (
            format!("/coordinate/occurrences/{date}/registrations.csv"),
            &name,
        ),
    ] {
        let csv = app.read(&admin, &path, &[]).await;
        let cells: Vec<String> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_bytes())
            .records()
            .flat_map(|r| r.unwrap().iter().map(str::to_owned).collect::<Vec<_>>())
            .collect();
        assert!(cells.contains(value), "{b} {path}: {value} not a cell");
    }

    // A form refused without JavaScript comes back with what was typed, as text.
    let kept = hostile("Kept-name");
    let page = format!("{}/en/meetings/{date}", app.base);
    let res = anonymous
        .post(format!("{}/api/register", app.base))
        .header("Origin", &app.base)
        .header("Referer", &page)
        .header("Accept", "text/html")
        .form(&[
            ("lang", "en"),
            ("occurrence", date.as_str()),
            ("name", kept.as_str()),
            ("email", "not an address"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{b}");
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    let res = anonymous.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 422, "{b}: {back}");
    let html = res.text().await.unwrap();
    checked(&back, "text/html", true, &html, &["Kept-name"]);

    // Script in a page's query or path is never echoed as markup.
    let q: String = url::form_urlencoded::byte_serialize(SCRIPT.as_bytes()).collect();
    for (client, path) in [
        (&anonymous, format!("/en/calendar?q={q}&city={q}&view={q}")),
        (&anonymous, format!("/en/map?q={q}&cluster={q}&region={q}")),
        (
            &anonymous,
            format!("/en/cities/{CITY}/pact?q={q}&sector={q}"),
        ),
        (&anonymous, format!("/en/registration?token={q}")),
        (&anonymous, format!("/en/account/new-password?token={q}")),
        (&anonymous, format!("/embed/en/calendar?theme={q}&city={q}")),
        (&anonymous, format!("/en/meetings/{q}")),
        (&anonymous, format!("/en/cities/{q}")),
        (&anonymous, format!("/feeds/calendar.ics?city={q}")),
        (
            &anonymous,
            "/en/calendar?q=%FF%FE%00&city=%C0%AF".to_owned(),
        ),
        (
            &admin,
            format!("/en/coordinate/pacts/{CITY}?q={q}&status={q}"),
        ),
        (&admin, format!("/en/coordinate/meetings?page={q}")),
    ] {
        let res = client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        let html = res
            .headers()
            .get("content-type")
            .is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
        let body = res.text().await.unwrap();
        assert!(status < 500, "{b} {path}: {status}");
        if let Some(raw) = unescaped(&body).filter(|_| html) {
            panic!("{b} {path}: {raw}");
        }
    }

    // Mail: the HTML part escapes, as pages do.
    for to in [
        "ada@example.org",
        "giulia@example.org",
        "invited@example.org",
    ] {
        let mail = app.mail_to(to).await;
        assert!(!mail.is_empty(), "{b}: no mail to {to}");
        for raw in &mail {
            let message = mail_parser::MessageParser::default()
                .parse(raw.as_bytes())
                .unwrap();
            for i in 0..message.html_body_count() {
                let html = message.body_html(i).unwrap();
                checked(&format!("mail to {to}"), "text/html", true, &html, &[]);
            }
        }
    }
}

/// Every string in a JSON document.
fn strings_of(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(s) => vec![s.clone()],
        serde_json::Value::Array(a) => a.iter().flat_map(strings_of).collect(),
        serde_json::Value::Object(o) => o.values().flat_map(strings_of).collect(),
        _ => Vec::new(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_text_is_shown_escaped_on_sqlite() {
    stored_text_is_shown_escaped(testkit::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_text_is_shown_escaped_on_postgres() {
    stored_text_is_shown_escaped(testkit::postgres().await).await;
}

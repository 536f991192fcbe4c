//! The real server on a loopback port over a test database, and what the tests do with it:
//! call server functions as a page does, create accounts, read the outbox.

#![allow(dead_code)]

pub mod ics;

use db::Db;
use domain::{Email, Password, Role};
use server::config::Config;
use server::{prepare_database, Application};
use std::collections::HashMap;
use std::time::Duration;
use testkit::TestDb;

pub const PASSWORD: &str = "correct horse battery staple";

/// A server function's form fields.
pub type Form<'a> = &'a [(&'a str, &'a str)];

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub backend: &'static str,
    /// The server's Argon2 work: what a request cost.
    pub passwords: app::accounts::password::Passwords,
    /// The database, dropped with the app that created it (a second instance has none).
    _test_db: Option<TestDb>,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn spawn_app(test_db: TestDb, extra: &[(&str, &str)]) -> TestApp {
    let (url, backend) = (test_db.url.clone(), test_db.name);
    spawn(&url, backend, Some(test_db), extra).await
}

/// Another instance over the database at `url`, as a second server behind a load balancer.
pub async fn spawn_app_on(url: &str, extra: &[(&str, &str)]) -> TestApp {
    let backend = if url.starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    spawn(url, backend, None, extra).await
}

async fn spawn(
    url: &str,
    backend: &'static str,
    test_db: Option<TestDb>,
    extra: &[(&str, &str)],
) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    let mut vars: HashMap<String, String> = HashMap::from([
        ("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into()),
        ("LEPTOS_SITE_ROOT".into(), site.display().to_string()),
        ("LEPTOS_HASH_FILES".into(), "false".into()),
        ("DATABASE_URL".into(), url.to_owned()),
        (
            "MAIL_FROM".into(),
            "Learning City <no-reply@learning.example>".into(),
        ),
        // Every test client comes from 127.0.0.1; the test of the limit switches it on.
        ("RATE_LIMIT_PER_MINUTE".into(), "0".into()),
        // Tests read feeds right after changing meetings; the test of the cache switches it on.
        ("FEED_CACHE_SECONDS".into(), "0".into()),
    ]);
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let db = prepare_database(&config).await.unwrap();
    let app = Application::build(&config, db.clone()).await.unwrap();
    let base = format!("http://{}", app.addr());
    let passwords = app.passwords();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        base,
        db,
        backend,
        passwords,
        _test_db: test_db,
        _dir: dir,
        stop: Some(tx),
    }
}

/// One browser: its own cookie jar.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

impl TestApp {
    /// Calls a server function as the hydrated page does (form-encoded, JSON back), from one
    /// of our own pages.
    pub async fn call(
        &self,
        client: &reqwest::Client,
        name: &str,
        form: &[(&str, &str)],
    ) -> (u16, String) {
        let res = client
            .post(format!("{}/api/{name}", self.base))
            .header("Origin", &self.base)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }

    pub async fn user(&self, email: &str, locale: &str, roles: &[Role]) -> i64 {
        let hash = app::accounts::password::hash(&Password::parse(PASSWORD).unwrap());
        let now = chrono::Utc::now();
        let mut tx = self.db.begin_write().await.unwrap();
        let id = db::accounts::create_user(
            &mut tx,
            &Email::parse(email).unwrap(),
            email.split('@').next().unwrap(),
            locale,
            Some(&hash),
            now,
        )
        .await
        .unwrap();
        for role in roles {
            db::accounts::add_role(&mut tx, id, *role, None, now)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        id
    }

    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let client = browser();
        let (status, body) = self
            .call(
                &client,
                "sign_in",
                &[("lang", "en"), ("email", email), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(status, 200, "{} sign-in of {email}: {body}", self.backend);
        client
    }

    pub async fn city(&self, slug: &str) -> i64 {
        self.db.city_id(slug).await.unwrap()
    }

    pub async fn cluster(&self, slug: &str) -> i64 {
        self.db.cluster_id(slug).await.unwrap()
    }

    /// The outbox's messages to `to`, oldest first, as raw text.
    pub async fn mail_to(&self, to: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut listed = self.db.outbox(500).await.unwrap();
        listed.reverse();
        for m in listed.into_iter().filter(|m| m.recipient == to) {
            let raw = self.db.outbox_message(m.id).await.unwrap();
            out.push(String::from_utf8_lossy(&raw).into_owned());
        }
        out
    }

    /// Waits for mail written after the response (reset requests work in the background).
    pub async fn wait_for_mail(&self, to: &str, count: usize) -> Vec<String> {
        for _ in 0..100 {
            let mail = self.mail_to(to).await;
            if mail.len() >= count {
                return mail;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{}: no mail to {to}", self.backend);
    }

    /// The id of the meeting titled `title` and the ids of its dates.
    pub async fn meeting_titled(&self, title: &str) -> (i64, Vec<i64>) {
        let rows = self
            .db
            .managed_meetings(
                &db::meetings::ManagedScope::All,
                chrono::Utc::now().timestamp(),
                false,
                500,
                0,
            )
            .await
            .unwrap();
        let id = rows
            .iter()
            .find(|r| r.title == title)
            .unwrap_or_else(|| panic!("{}: no meeting {title}", self.backend))
            .id;
        let dates = self
            .db
            .managed_occurrences(id)
            .await
            .unwrap()
            .into_iter()
            .map(|o| o.id)
            .collect();
        (id, dates)
    }

    /// Asserts that the audit log holds `action`.
    pub async fn assert_audited(&self, action: &str) {
        assert!(
            self.audit_actions().await.iter().any(|a| a == action),
            "{}: {action} audited",
            self.backend
        );
    }

    pub async fn audit_actions(&self) -> Vec<String> {
        self.db
            .audit_entries(&db::audit::Scope::All, None, 500)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect()
    }
}

impl TestApp {
    /// Registers `email` for a date as its page does and confirms from the mail; returns the
    /// personal link's token.
    pub async fn register_and_confirm(&self, occurrence: i64, email: &str) -> String {
        let id = occurrence.to_string();
        let before = self.mail_to(email).await.len();
        let (status, body) = self
            .call(
                &browser(),
                "register",
                &[
                    ("lang", "en"),
                    ("occurrence", &id),
                    ("name", email.split('@').next().unwrap()),
                    ("email", email),
                    ("consent", "yes"),
                ],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", self.backend);
        let token = token_in(&self.mail_to(email).await[before]);
        let (status, body) = self
            .call(
                &browser(),
                "confirm_registration",
                &[("lang", "en"), ("token", &token)],
            )
            .await;
        assert_eq!(status, 200, "{}: {body}", self.backend);
        token
    }
}

/// The secret of the link in a mail (`…?token=…`), read from its decoded text part.
pub fn token_in(mail: &str) -> String {
    let text = app::mail::text_of(mail.as_bytes()).expect("a text part");
    let start = text.find("token=").expect("a link with a token") + "token=".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

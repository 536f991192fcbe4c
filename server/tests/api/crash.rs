//! The server binary killed (SIGKILL) in the middle of a crowd signing up while its worker is
//! delivering their mail, then started again on the same database and outbox folder. Every
//! sign-up that was answered with success must be there, whole, with its mail; nothing may be
//! half-written; and each mail must be delivered exactly once, as one `<outbox id>.eml` file.

use crate::helpers::token_in;
use chrono::{Duration, Utc};
use db::meetings::{self, NewMeeting, Owner};
use db::Db;
use domain::schedule::{Schedule, Zone};
use domain::{Audience, Mode};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// Sign-ups in flight at once. The crowd keeps coming until the kill, which waits for the mail
/// worker's first round during the load (it looks every 2 s).
const CONCURRENCY: usize = 8;
/// Sign-ups before the kill that are answered: some mail is waiting by then.
const BEFORE_KILL: usize = 50;
/// A bound on the load, should the worker never deliver (the test then fails).
const MOST: usize = 5_000;
/// Each wait's bound; well inside the outbox's 5-minute lease, so on SQLite the dead worker's
/// mail is only delivered in time if the restart released its leases.
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(30);

/// The real binary over `url`, writing mail to `outbox`, on a port of its own.
struct Server {
    child: Child,
    base: String,
    log: PathBuf,
}

impl Server {
    fn start(url: &str, work: &Path, outbox: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let site = work.join("site");
        std::fs::create_dir_all(site.join("pkg")).unwrap();
        let log = work.join("server.log");
        let out = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .unwrap();
        let child = Command::new(env!("CARGO_BIN_EXE_learning-city"))
            // Only what is set here: an SMTP_URL or LINK_KEY of the test's shell must not leak in.
            .env_clear()
            .envs([
                ("DATABASE_URL", url),
                ("LEPTOS_SITE_ADDR", &format!("127.0.0.1:{port}")),
                ("LEPTOS_SITE_ROOT", &site.display().to_string()),
                ("LEPTOS_HASH_FILES", "false"),
                ("OUTBOX_DIR", &outbox.display().to_string()),
                ("MAIL_FROM", "Learning City <no-reply@learning.example>"),
                ("LOAD_DEMO_DATA", "false"),
                // Every sign-up comes from 127.0.0.1.
                ("RATE_LIMIT_PER_MINUTE", "0"),
                ("RUST_LOG", "warn"),
            ])
            .stdout(out.try_clone().unwrap())
            .stderr(out)
            .spawn()
            .expect("start the server binary");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            log,
        }
    }

    async fn ready(&mut self) {
        let client = reqwest::Client::new();
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!("the server exited ({status}):\n{}", self.log());
            }
            let res = client.get(format!("{}/readyz", self.base)).send().await;
            if res.is_ok_and(|r| r.status() == 200) {
                return;
            }
            assert!(started.elapsed() < DEADLINE, "not ready:\n{}", self.log());
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed assertion must not leave a server running.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// What the person numbered `i` types.
fn person(i: usize) -> (String, String, String, String) {
    (
        format!("crowd{i}@example.org"),
        format!("Persona {i}"),
        format!("Associazione {i}"),
        format!("Posto {i} vicino all'uscita"),
    )
}

enum Outcome {
    Success,
    Refused(u16, String),
    /// No answer: the connection was refused, reset or closed.
    NoAnswer(String, Instant),
}

async fn sign_up(client: &reqwest::Client, base: &str, occurrence: i64, i: usize) -> Outcome {
    let (email, name, organisation, needs) = person(i);
    let id = occurrence.to_string();
    let form = [
        ("lang", "en"),
        ("occurrence", id.as_str()),
        ("name", &name),
        ("email", &email),
        ("organisation", &organisation),
        ("needs", &needs),
        ("consent", "yes"),
    ];
    let res = client
        .post(format!("{base}/api/register"))
        .header("Origin", base)
        .form(&form)
        .send()
        .await;
    let res = match res {
        Ok(r) => r,
        Err(e) => return Outcome::NoAnswer(format!("{e:#}"), Instant::now()),
    };
    let status = res.status().as_u16();
    match res.text().await {
        Ok(_) if status == 200 => Outcome::Success,
        Ok(body) => Outcome::Refused(status, body),
        // The headers came, the body did not: the process died between them.
        Err(e) => Outcome::NoAnswer(format!("{e:#}"), Instant::now()),
    }
}

async fn meeting(db: &Db) -> i64 {
    let lucca = db.city_id("lucca").await.unwrap();
    let start = (Utc::now() + Duration::days(2)).date_naive();
    let schedule = Schedule::parse(
        Zone::parse("Europe/Rome").unwrap(),
        &format!("{start}T17:30"),
        &format!("{start}T19:00"),
        "",
        &[],
    )
    .unwrap();
    let uid = format!("crash-{}@learning.example", uuid::Uuid::new_v4());
    let m = NewMeeting {
        uid: &uid,
        owner: Owner::City(lucca),
        sector_id: None,
        title: "Tavolo dei firmatari",
        description: "Chi si iscrive riceve il suo link per posta.",
        language: "it",
        audience: Audience::Everyone,
        mode: Mode::Online,
        place: "",
        address: "",
        position: None,
        online_link: Some("https://meet.example.org/tavolo"),
        schedule: &schedule,
        capacity: None,
        takes_registrations: true,
        registration_opens_at: None,
        registration_closes_at: None,
        reminders: &[1440, 60],
        created_by: None,
    };
    let mut tx = db.begin_write().await.unwrap();
    let id = meetings::create(&mut tx, &m, Utc::now().timestamp())
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.next_occurrences(id, 0, 1).await.unwrap()[0].0
}

/// An outbox row as this test looks at it.
struct Mail {
    to: String,
    sent: bool,
    gave_up: bool,
    attempts: i32,
    leased: bool,
}

/// id, recipient, sent, given up, attempts, leased.
type MailRow = (i64, String, bool, bool, i32, bool);

async fn outbox_rows(db: &Db) -> HashMap<i64, Mail> {
    let rows: Vec<MailRow> = db::on_pool!(db, |pool| {
        sqlx::query_as(
            "SELECT id, recipient, sent_at IS NOT NULL, gave_up_at IS NOT NULL, attempts, \
               locked_until IS NOT NULL FROM outbox",
        )
        .fetch_all(pool)
        .await
        .unwrap()
    });
    rows.into_iter()
        .map(|(id, to, sent, gave_up, attempts, leased)| {
            let mail = Mail {
                to,
                sent,
                gave_up,
                attempts,
                leased,
            };
            (id, mail)
        })
        .collect()
}

/// email, name, organisation, needs, locale, status, token hash, link nonce.
type Registration = (
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
);

/// The folder's entries: the ids of `<id>.eml` files, and the name of anything else.
fn outbox_files(dir: &Path) -> (BTreeSet<i64>, Vec<String>) {
    let (mut ids, mut other) = (BTreeSet::new(), Vec::new());
    for entry in std::fs::read_dir(dir).into_iter().flatten() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        match name.strip_suffix(".eml").and_then(|id| id.parse().ok()) {
            Some(id) => {
                ids.insert(id);
            }
            None => other.push(name),
        }
    }
    (ids, other)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_killed_server_keeps_every_answered_sign_up_and_mails_each_once() {
    for t in testkit::backends().await {
        let b = t.name;
        db::demo::load(&t.db).await.unwrap();
        let occurrence = meeting(&t.db).await;
        let work = tempfile::tempdir().unwrap();
        let outbox = work.path().join("outbox");

        let mut server = Server::start(&t.url, work.path(), &outbox);
        server.ready().await;

        // The crowd, until the kill.
        let client = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(20))
            .build()
            .unwrap();
        let answered = Arc::new(AtomicUsize::new(0));
        let killed = Arc::new(AtomicBool::new(false));
        let load = tokio::spawn({
            let (base, answered, killed) = (server.base.clone(), answered.clone(), killed.clone());
            async move {
                use futures::StreamExt;
                futures::stream::iter(0..MOST)
                    .take_while(|_| std::future::ready(!killed.load(Ordering::SeqCst)))
                    .map(|i| {
                        let (client, base, answered) = (&client, &base, &answered);
                        async move {
                            let outcome = sign_up(client, base, occurrence, i).await;
                            if matches!(outcome, Outcome::Success) {
                                answered.fetch_add(1, Ordering::SeqCst);
                            }
                            (i, outcome)
                        }
                    })
                    .buffer_unordered(CONCURRENCY)
                    .collect::<Vec<_>>()
                    .await
            }
        });
        // The kill comes as the worker's first mail lands: the rest of its batch is leased,
        // being written, or written and not yet recorded.
        let started = Instant::now();
        loop {
            if answered.load(Ordering::SeqCst) >= BEFORE_KILL && !outbox_files(&outbox).0.is_empty()
            {
                break;
            }
            assert!(
                !load.is_finished() && started.elapsed() < DEADLINE,
                "{b}: no mail delivered during the load:\n{}",
                server.log()
            );
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
        killed.store(true, Ordering::SeqCst);
        server.child.kill().unwrap();
        let killed_at = Instant::now();
        server.child.wait().unwrap();
        let load_took = killed_at - started;
        let outcomes = load.await.unwrap();

        // What the kill left: leases of a dead worker, files whose send was not recorded.
        let rows = outbox_rows(&t.db).await;
        let (files, partial) = outbox_files(&outbox);
        let leased = rows.values().filter(|r| r.leased && !r.sent).count();
        let unrecorded = files.iter().filter(|id| !rows[id].sent).count();
        let sent_before = rows.values().filter(|r| r.sent).count();
        assert!(
            leased > 0,
            "{b}: the kill came after the worker's round, so it left nothing to recover"
        );

        let mut answered_ok = HashSet::new();
        let mut no_answer = 0;
        for (i, outcome) in &outcomes {
            match outcome {
                Outcome::Success => {
                    answered_ok.insert(person(*i).0);
                }
                Outcome::Refused(status, body) => {
                    panic!("{b}: sign-up {i} answered {status}: {body}")
                }
                Outcome::NoAnswer(error, at) => {
                    assert!(
                        *at >= killed_at,
                        "{b}: sign-up {i} had no answer before the kill: {error}"
                    );
                    no_answer += 1;
                }
            }
        }

        // Started again over the same database and folder.
        let restarted = Instant::now();
        let mut server = Server::start(&t.url, work.path(), &outbox);
        server.ready().await;
        let ready_after = restarted.elapsed();
        if t.db.backend() == db::Backend::Postgres {
            // Other live instances may hold leases on PostgreSQL, so a restart leaves the dead
            // worker's alone: everything else goes out, they do not.
            loop {
                let rows = outbox_rows(&t.db).await;
                let waiting = rows.values().filter(|r| !r.sent).count();
                if waiting == leased {
                    break;
                }
                assert!(restarted.elapsed() < DEADLINE, "{b}: {waiting} unsent");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            // Past the worker's next round (it looks every 2 s): still held.
            tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
            let rows = outbox_rows(&t.db).await;
            assert_eq!(rows.values().filter(|r| !r.sent).count(), leased, "{b}");
            // The five minutes of the lease, passed.
            db::on_pool!(&t.db, |pool| {
                sqlx::query(
                    "UPDATE outbox SET locked_until = $1 WHERE locked_until IS NOT NULL \
                     AND sent_at IS NULL",
                )
                .bind(Utc::now() - Duration::seconds(1))
                .execute(pool)
                .await
                .unwrap()
                .rows_affected()
            });
        }
        loop {
            if t.db.outbox_pending().await.unwrap() == 0 {
                break;
            }
            assert!(
                restarted.elapsed() < DEADLINE,
                "{b}: mail still waiting after {:?}:\n{}",
                restarted.elapsed(),
                server.log()
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let drained_after = restarted.elapsed();

        // Every sign-up in the database is whole, once, and its mail is the one that opens it.
        let key = t.db.stored_link_key().await.unwrap();
        let registrations: Vec<Registration> = db::on_pool!(&t.db, |pool| {
            sqlx::query_as(
                "SELECT email, name, organisation, needs, locale, status, token_hash, \
                       link_nonce FROM registrations WHERE occurrence_id = $1",
            )
            .bind(occurrence)
            .fetch_all(pool)
            .await
            .unwrap()
        });
        let rows = outbox_rows(&t.db).await;
        let mut registered = HashSet::new();
        for (email, name, organisation, needs, locale, status, token_hash, nonce) in &registrations
        {
            assert!(registered.insert(email.clone()), "{b}: {email} twice");
            let i: usize = email["crowd".len()..email.find('@').unwrap()]
                .parse()
                .unwrap();
            let (_, want_name, want_organisation, want_needs) = person(i);
            assert_eq!(
                (name, organisation, needs, locale.as_str(), status.as_str()),
                (&want_name, &want_organisation, &want_needs, "en", "pending"),
                "{b}: {email}"
            );
            let nonce = nonce.as_deref().expect("a link nonce");
            let link = key.link(nonce);
            assert_eq!(&link.hash, token_hash, "{b}: {email}'s link opens it");
            let mail: Vec<_> = rows.iter().filter(|(_, r)| &r.to == email).collect();
            assert_eq!(mail.len(), 1, "{b}: {email} has one mail in the outbox");
            let raw = std::fs::read(outbox.join(format!("{}.eml", mail[0].0))).unwrap();
            let text = String::from_utf8_lossy(&raw);
            assert_eq!(
                token_in(&text),
                link.secret,
                "{b}: {email}'s mail carries its link"
            );
        }
        let lost: Vec<_> = answered_ok.difference(&registered).collect();
        assert!(lost.is_empty(), "{b}: answered but missing: {lost:?}");

        // Every message sent, exactly once: one file per outbox row, the very bytes stored.
        let (files, other) = outbox_files(&outbox);
        assert!(other.is_empty(), "{b}: not a message: {other:?}");
        assert_eq!(
            files,
            rows.keys().copied().collect::<BTreeSet<_>>(),
            "{b}: one file per message"
        );
        assert_eq!(
            rows.len(),
            registrations.len(),
            "{b}: a message per sign-up"
        );
        let mut message_ids = HashSet::new();
        for (id, mail) in &rows {
            assert!(
                mail.sent && !mail.gave_up,
                "{b}: message {id} to {}",
                mail.to
            );
            let raw = std::fs::read(outbox.join(format!("{id}.eml"))).unwrap();
            assert_eq!(raw, t.db.outbox_message(*id).await.unwrap(), "{b}: {id}");
            let parsed = mail_parser::MessageParser::default().parse(&raw).unwrap();
            let message_id = parsed.message_id().expect("a Message-ID").to_owned();
            assert!(message_ids.insert(message_id), "{b}: {id}'s Message-ID");
        }
        let resent = rows.values().filter(|r| r.attempts > 1).count();

        println!(
            "{b}: killed after {load_took:?} of load: {} sign-ups answered, {no_answer} without \
             an answer, {} in the database ({} stored but never answered); at the kill {} mails \
             sent, {leased} leased by the dead worker, {unrecorded} written but not recorded, \
             {} partial files; restarted: ready in {ready_after:?}, every mail sent in \
             {drained_after:?} ({resent} sent again)",
            answered_ok.len(),
            registrations.len(),
            registrations.len() - answered_ok.len(),
            sent_before,
            partial.len(),
        );
    }
}

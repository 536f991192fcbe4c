//! Mail outbox throughput: how many messages per second the outbox worker hands to a local SMTP
//! listener (mailin-embedded on a loopback port), on SQLite and on PostgreSQL.
//!
//! Usage: cargo run -p learning-city --example outbox_throughput -- \
//!            [--messages N] [--backend sqlite|postgres|both]
//!
//! Each backend gets a throwaway database (a SQLite file in a temp dir; a new PostgreSQL
//! database on `TEST_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/test, dropped at
//! the end). N rendered multipart messages (text + HTML, about 2 KB) are enqueued in one
//! transaction, then `deliver_due` runs in a loop until nothing is pending. One line per run:
//!
//!   backend=sqlite workers=1 messages=500 seconds=… msg_per_s=… received=500
//!
//! The process exits non-zero when the listener did not receive exactly N messages in a run.
//! SQLite is measured with one worker only: a SQLite file belongs to one app instance, which
//! runs one worker (see `server::mail::run_worker`), and its writes are serialised anyway.
//! PostgreSQL is measured with one worker and with two (two pools on one database, as two app
//! instances would run, kept apart by the outbox leases).
//!
//! With lettre 0.11.23 each message waits ~40 ms for a delayed ACK (Nagle's algorithm holds the
//! final `\r\n.\r\n`; fixed upstream in lettre/lettre#1159), which bounds every figure here.

use anyhow::{bail, Context};
use chrono::Utc;
use db::{outbox, Db};
use lettre::message::{Mailbox, MultiPart};
use lettre::Message;
use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server, SslConfig};
use server::mail::{deliver_due, Mailer};
use sqlx::Connection;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SENDER: &str = "noreply@learning.city";
/// Longest a run may take before it counts as stuck.
const RUN_DEADLINE: Duration = Duration::from_secs(600);

#[derive(Clone, Copy, PartialEq)]
enum Backend {
    Sqlite,
    Postgres,
    Both,
}

struct Args {
    messages: usize,
    backend: Backend,
}

fn usage() -> &'static str {
    "usage: outbox_throughput [--messages N] [--backend sqlite|postgres|both]"
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        messages: 500,
        backend: Backend::Both,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) => (f.to_owned(), Some(v.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| it.next())
                .with_context(|| format!("{flag} needs a value\n{}", usage()))
        };
        match flag.as_str() {
            "--messages" => {
                let v = value()?;
                args.messages = v
                    .parse()
                    .ok()
                    .filter(|n| *n > 0)
                    .with_context(|| format!("--messages: not a positive number: {v}"))?;
            }
            "--backend" => {
                args.backend = match value()?.as_str() {
                    "sqlite" => Backend::Sqlite,
                    "postgres" => Backend::Postgres,
                    "both" => Backend::Both,
                    other => bail!("--backend: {other}? expected sqlite, postgres or both"),
                }
            }
            "-h" | "--help" => {
                println!("{}", usage());
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}\n{}", usage()),
        }
    }
    Ok(args)
}

/// Counts the messages the listener accepts.
#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Handler for Counter {
    fn data_end(&mut self) -> Response {
        self.0.fetch_add(1, Ordering::SeqCst);
        OK
    }
}

/// Starts an SMTP listener on a loopback port; it runs until the process ends.
fn start_smtp() -> anyhow::Result<(Counter, u16)> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).context("bind SMTP port")?;
    let port = listener.local_addr()?.port();
    let counter = Counter::default();
    let mut server = Server::new(counter.clone());
    server
        .with_name("smtp.bench")
        // A thread per connection: lettre keeps pooled connections open, up to 10 per worker.
        .with_num_threads(32)
        .with_ssl(SslConfig::None)
        .map_err(|e| anyhow::anyhow!("SMTP listener: {e}"))?
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        if let Err(e) = server.serve() {
            eprintln!("SMTP listener stopped: {e}");
        }
    });
    Ok((counter, port))
}

fn smtp_mailer(port: u16) -> anyhow::Result<Mailer> {
    let url = secrecy::SecretString::from(format!("smtp://127.0.0.1:{port}"));
    Mailer::new(Some(&url), std::env::temp_dir())
}

fn recipient(i: usize) -> String {
    format!("partecipante{i}@lucca.it")
}

/// A message like the ones the app sends: an invitation, plain text and HTML alternatives.
fn build_message(i: usize) -> anyhow::Result<(String, Vec<u8>)> {
    let subject = format!("Invito: laboratorio di ceramica al Centro Civico (n. {i})");
    let name = format!("Partecipante {i}");
    let text = format!(
        "Ciao {name},\r\n\r\n\
         sei invitata al laboratorio di ceramica organizzato dalla Learning City di Lucca.\r\n\
         Quando: sabato 14 giugno, dalle 10:00 alle 12:30\r\n\
         Dove: Centro Civico di Sant'Anna, via Carlo Piaggia 12, Lucca\r\n\
         Posti disponibili: 12. L'iscrizione è gratuita e aperta a tutte le età.\r\n\r\n\
         Per confermare la tua partecipazione apri questo indirizzo:\r\n\
         https://learning.city/it/eventi/laboratorio-ceramica/conferma?invito={i:08}\r\n\r\n\
         Se non puoi venire, non serve fare nulla: il posto tornerà disponibile per altri.\r\n\
         Porta un grembiule; argilla e attrezzi sono forniti dall'associazione.\r\n\r\n\
         A presto,\r\nil gruppo della Learning City di Lucca\r\n\r\n\
         --\r\nRicevi questo messaggio perché sei iscritta alla Learning City di Lucca.\r\n\
         Per non ricevere più inviti: https://learning.city/it/account/notifiche\r\n"
    );
    let html = format!(
        "<!doctype html><html lang=\"it\"><head><meta charset=\"utf-8\"></head><body>\
         <p>Ciao {name},</p>\
         <p>sei invitata al <strong>laboratorio di ceramica</strong> della Learning City di \
         Lucca: sabato 14 giugno, 10:00&ndash;12:30, Centro Civico di Sant'Anna, \
         via Carlo Piaggia 12. Posti: 12, iscrizione gratuita.</p>\
         <p><a href=\"https://learning.city/it/eventi/laboratorio-ceramica/conferma?invito={i:08}\">\
         Confermo la mia partecipazione</a></p>\
         <p>Se non puoi venire, non serve fare nulla.</p>\
         <p>A presto,<br>il gruppo della Learning City di Lucca</p>\
         <p><small><a href=\"https://learning.city/it/account/notifiche\">Non ricevere pi&ugrave; \
         inviti</a></small></p></body></html>"
    );
    let to: Mailbox = format!("{name} <{}>", recipient(i)).parse()?;
    let message = Message::builder()
        .from(format!("Learning City Lucca <{SENDER}>").parse()?)
        .to(to)
        .subject(subject.clone())
        .multipart(MultiPart::alternative_plain_html(text, html))
        .context("build message")?;
    Ok((subject, message.formatted()))
}

/// Empties the outbox and enqueues `n` messages in one transaction.
async fn fill_outbox(db: &Db, messages: &[(String, Vec<u8>)]) -> anyhow::Result<()> {
    db::on_pool!(db, |pool| {
        sqlx::query("DELETE FROM outbox").execute(pool).await?;
    });
    let mut tx = db.begin_write().await?;
    let due = Utc::now() - chrono::Duration::seconds(1);
    for (i, (subject, message)) in messages.iter().enumerate() {
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage {
                sender: SENDER,
                recipient: &recipient(i),
                subject,
                locale: "it",
                message,
            },
            due,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// One worker: delivers until nothing is pending. When nothing is due but messages are still
/// pending, another worker holds them (or a delivery failed, which ends the run).
async fn work(db: Db, mailer: Mailer, started: Instant) -> anyhow::Result<usize> {
    let mut sent = 0;
    loop {
        let n = deliver_due(&db, &mailer).await?;
        sent += n;
        if n > 0 {
            continue;
        }
        if db.outbox_pending().await? == 0 {
            return Ok(sent);
        }
        let error: Option<String> = db::on_pool!(&db, |pool| {
            sqlx::query_scalar("SELECT last_error FROM outbox WHERE last_error IS NOT NULL LIMIT 1")
                .fetch_optional(pool)
                .await?
        });
        if let Some(error) = error {
            bail!("a delivery failed: {error}");
        }
        if started.elapsed() > RUN_DEADLINE {
            bail!("still pending after {RUN_DEADLINE:?}");
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// One timed run; prints its line and returns whether the listener got every message.
async fn run(
    backend: &str,
    pools: &[Db],
    messages: &[(String, Vec<u8>)],
    counter: &Counter,
    port: u16,
) -> anyhow::Result<bool> {
    fill_outbox(&pools[0], messages).await?;
    counter.0.store(0, Ordering::SeqCst);
    let started = Instant::now();
    let mut workers = Vec::new();
    for db in pools {
        let (db, mailer) = (db.clone(), smtp_mailer(port)?);
        workers.push(tokio::spawn(work(db, mailer, started)));
    }
    let mut sent = 0;
    for w in workers {
        sent += w.await.context("worker panicked")??;
    }
    let seconds = started.elapsed().as_secs_f64();
    let received = counter.0.load(Ordering::SeqCst);
    let n = messages.len();
    println!(
        "backend={backend} workers={} messages={n} seconds={seconds:.3} msg_per_s={:.1} \
         received={received}",
        pools.len(),
        n as f64 / seconds,
    );
    let ok = received == n && sent == n;
    if !ok {
        eprintln!("{backend}: {n} enqueued, {sent} delivered, {received} received by the listener");
    }
    Ok(ok)
}

async fn bench_sqlite(messages: &[(String, Vec<u8>)]) -> anyhow::Result<bool> {
    let dir = tempfile::tempdir()?;
    let url = format!("sqlite:{}", dir.path().join("bench.db").display());
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let (counter, port) = start_smtp()?;
    // One worker only: a SQLite file belongs to a single app instance running a single worker,
    // and SQLite serialises writers, so a second worker would measure lock waits, not a setup
    // anyone runs.
    let ok = run(
        "sqlite",
        std::slice::from_ref(&db),
        messages,
        &counter,
        port,
    )
    .await?;
    db.close().await;
    Ok(ok)
}

fn postgres_admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// `Ok(None)` when no server answers and PostgreSQL was not asked for explicitly.
async fn bench_postgres(
    messages: &[(String, Vec<u8>)],
    required: bool,
) -> anyhow::Result<Option<bool>> {
    let admin_url = postgres_admin_url();
    let mut admin = match sqlx::PgConnection::connect(&admin_url).await {
        Ok(c) => c,
        Err(e) if !required => {
            eprintln!("*** SKIPPING PostgreSQL: cannot reach {admin_url}: {e} ***");
            return Ok(None);
        }
        Err(e) => return Err(e).with_context(|| format!("cannot reach {admin_url}")),
    };
    let database = format!("lc_bench_{}", uuid::Uuid::new_v4().simple());
    sqlx::query(&format!("CREATE DATABASE \"{database}\""))
        .execute(&mut admin)
        .await
        .context("create benchmark database")?;
    let mut url = url::Url::parse(&admin_url).context("TEST_POSTGRES_URL is not a URL")?;
    url.set_path(&database);

    let result = async {
        let db = Db::connect(url.as_str()).await?;
        db.migrate().await?;
        // A second pool on the same database: another app instance.
        let other = Db::connect(url.as_str()).await?;
        let (counter, port) = start_smtp()?;
        let one = run(
            "postgres",
            std::slice::from_ref(&db),
            messages,
            &counter,
            port,
        )
        .await?;
        let two = run(
            "postgres",
            &[db.clone(), other.clone()],
            messages,
            &counter,
            port,
        )
        .await?;
        db.close().await;
        other.close().await;
        anyhow::Ok(one && two)
    }
    .await;

    sqlx::query(&format!(
        "DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)"
    ))
    .execute(&mut admin)
    .await
    .context("drop benchmark database")?;
    result.map(Some)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let messages = (0..args.messages)
        .map(build_message)
        .collect::<anyhow::Result<Vec<_>>>()?;
    let bytes: usize = messages.iter().map(|(_, m)| m.len()).sum();
    eprintln!(
        "{} messages of {} bytes on average",
        messages.len(),
        bytes / messages.len()
    );
    let mut ok = true;
    if matches!(args.backend, Backend::Sqlite | Backend::Both) {
        ok &= bench_sqlite(&messages).await?;
    }
    if matches!(args.backend, Backend::Postgres | Backend::Both) {
        let required = args.backend == Backend::Postgres;
        ok &= bench_postgres(&messages, required).await?.unwrap_or(true);
    }
    if !ok {
        eprintln!("the listener did not receive every message exactly once");
        std::process::exit(1);
    }
    Ok(())
}

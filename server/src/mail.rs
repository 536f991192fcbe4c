//! Delivery of the mail outbox. Messages are written (already rendered) by the change that
//! causes them; this worker leases due messages, hands them to SMTP, and records the outcome.
//! Without `SMTP_URL` (the demo) messages become `<outbox id>.eml` files under `data/outbox/`.

use anyhow::Context;
use chrono::{Duration, Utc};
use db::outbox::Claimed;
use db::Db;
use lettre::address::Envelope;
use lettre::{Address, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use std::path::PathBuf;

/// How long a claimed message stays reserved for its worker. Longer than any SMTP exchange, so
/// a slow server does not make a second instance send the same message.
const LEASE: Duration = Duration::minutes(5);
/// Messages taken per round; small enough that a lease never runs out before they are sent.
const BATCH: i64 = 20;
/// Attempts before a message is given up: with the backoff below, about a day of retries.
pub const MAX_ATTEMPTS: i32 = 16;

#[derive(Clone)]
pub enum Mailer {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The folder `.eml` files are written to.
    Files(PathBuf),
}

impl Mailer {
    /// SMTP when a URL is configured (`smtp://`, `smtps://`, with `?tls=required` for STARTTLS),
    /// else `.eml` files in `outbox_dir`.
    pub fn new(smtp_url: Option<&SecretString>, outbox_dir: PathBuf) -> anyhow::Result<Self> {
        match smtp_url {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose_secret())
                    .context("SMTP_URL: not a usable SMTP address")?
                    .timeout(Some(std::time::Duration::from_secs(30)))
                    .build();
                Ok(Mailer::Smtp(transport))
            }
            None => {
                std::fs::create_dir_all(&outbox_dir)
                    .with_context(|| format!("cannot create {}", outbox_dir.display()))?;
                Ok(Mailer::Files(outbox_dir))
            }
        }
    }

    async fn send(&self, m: &Claimed) -> anyhow::Result<()> {
        let from: Address = m.sender.parse().context("bad sender address")?;
        let to: Address = m.recipient.parse().context("bad recipient address")?;
        let envelope = Envelope::new(Some(from), vec![to]).context("bad envelope")?;
        match self {
            Mailer::Smtp(t) => {
                t.send_raw(&envelope, &m.message).await?;
            }
            Mailer::Files(dir) => write_eml(dir, m.id, &m.message).await?,
        }
        Ok(())
    }
}

/// Writes message `id` as `<id>.eml`. lettre's file transport names each file with a random
/// UUID, so a message sent again after a crash (written, then the process killed before the
/// send was recorded) would become a second file; under its outbox id it replaces the first.
/// The bytes go to a hidden temporary name first and are renamed into place, so a reader (or a
/// crash) never meets half a message. The temporary name is the id's too (a lease keeps two
/// workers off one message), so one a crash left behind is overwritten by the re-send.
async fn write_eml(dir: &std::path::Path, id: i64, message: &[u8]) -> anyhow::Result<()> {
    use tokio::io::AsyncWriteExt;
    let path = dir.join(format!("{id}.eml"));
    let partial = dir.join(format!(".{id}.eml.tmp"));
    let mut file = tokio::fs::File::create(&partial)
        .await
        .with_context(|| format!("cannot create {}", partial.display()))?;
    file.write_all(message).await?;
    // Flushed before the rename: once the outbox records the message as sent, a power cut must
    // not leave an empty file under its name.
    file.sync_all().await?;
    drop(file);
    tokio::fs::rename(&partial, &path)
        .await
        .with_context(|| format!("cannot rename {} to {}", partial.display(), path.display()))?;
    Ok(())
}

/// Messages of one batch in flight at once: lettre's pool keeps up to 10 connections, and
/// small relays often refuse more than a few from one client.
const SEND_CONCURRENCY: usize = 4;

/// The wait before attempt `attempts + 1`: 30 s doubling up to 4 h.
pub fn backoff(attempts: i32) -> Duration {
    let exp = attempts.clamp(1, 10) - 1;
    std::cmp::min(Duration::seconds(30 * (1 << exp)), Duration::hours(4))
}

/// Sends what is due now; returns how many messages were delivered. One round, so that tests
/// (and the loop below) decide when to look again.
pub async fn deliver_due(db: &Db, mailer: &Mailer) -> anyhow::Result<usize> {
    use futures::StreamExt;
    let now = Utc::now();
    let claimed = db.claim_due(now, LEASE, BATCH).await?;
    // lettre ends each message with a small write that waits for the server's delayed ACK
    // (about 40 ms on Linux), so one message at a time caps a worker near 22 messages/s; the
    // transport's pool lets a batch go out over several connections at once.
    let results: Vec<_> = futures::stream::iter(claimed)
        .map(|m| async move {
            let result = mailer.send(&m).await;
            (m, result)
        })
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    let mut sent = 0;
    for (m, result) in results {
        match result {
            Ok(()) => {
                db.mark_sent(m.id, Utc::now()).await?;
                sent += 1;
            }
            Err(e) => {
                let error = format!("{e:#}");
                let retry_at =
                    (m.attempts < MAX_ATTEMPTS).then(|| Utc::now() + backoff(m.attempts));
                tracing::warn!(id = m.id, attempts = m.attempts, %error, ?retry_at, "mail not sent");
                db.mark_failed(m.id, &error, Utc::now(), retry_at).await?;
            }
        }
    }
    Ok(sent)
}

/// Called once at start-up, before the worker runs. On SQLite this process owns the database
/// file, so a lease in the outbox can only be one a killed worker left: released, its mail goes
/// out now instead of when the lease runs out. On PostgreSQL live instances may hold leases, so
/// theirs are left to run out.
pub async fn release_dead_leases(db: &Db) -> anyhow::Result<u64> {
    if db.backend() != db::Backend::Sqlite {
        return Ok(0);
    }
    let released = db
        .release_leases()
        .await
        .context("cannot release the outbox's leases")?;
    if released > 0 {
        tracing::warn!(
            released,
            "mail claimed by a worker that stopped without finishing is due again"
        );
    }
    Ok(released)
}

/// Runs until `stop` resolves: delivers due mail, then waits `poll` before looking again. A
/// round in progress is finished before stopping, so no message is left sent but unrecorded.
/// On SQLite one instance owns the database file, so one worker runs; on PostgreSQL each
/// instance runs one and leases keep them from sending a message twice.
pub async fn run_worker(
    db: Db,
    mailer: Mailer,
    poll: std::time::Duration,
    stop: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(stop);
    loop {
        loop {
            match deliver_due(&db, &mailer).await {
                // A full batch means more may be waiting: go on without sleeping.
                Ok(n) if n as i64 >= BATCH => continue,
                Ok(_) => break,
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "outbox round failed");
                    break;
                }
            }
        }
        tokio::select! {
            _ = &mut stop => return,
            _ = tokio::time::sleep(poll) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(MAX_ATTEMPTS), Duration::hours(4));
        let total: i64 = (1..MAX_ATTEMPTS).map(|a| backoff(a).num_minutes()).sum();
        assert!(
            (24 * 60..48 * 60).contains(&total),
            "retries span {total} min"
        );
    }
}

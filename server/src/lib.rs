//! The Learning City server: configuration, the HTTP stack around the Leptos app, and start-up.

// Leptos views are deeply nested types; release builds without type erasure need more
// room than the default to compute their layout.
#![recursion_limit = "512"]

pub mod config;
mod exports;
mod feeds;
mod flash;
mod http;
mod kept;
pub mod limits;
pub mod mail;
mod maps;
mod pacts;
mod page_cache;
mod pages;
mod refuse;
pub mod sessions;
mod state;
mod statuses;
pub mod telemetry;

pub use http::router;
pub use state::AppState;

use anyhow::Context;
use config::Config;
use db::Db;
use std::net::SocketAddr;
use tokio::net::TcpListener;

/// Connects to the database, applies migrations and loads demo data when asked to.
pub async fn prepare_database(config: &Config) -> anyhow::Result<Db> {
    let db = Db::connect(config.database_url())
        .await
        .context("cannot open the database named by DATABASE_URL")?;
    db.migrate()
        .await
        .context("cannot apply database migrations")?;
    if config.load_demo_data {
        let report = db::demo::load(&db).await.context("cannot load demo data")?;
        if report != Default::default() {
            tracing::info!(?report, "demo data loaded");
        }
    }
    let rendered = app::calendar::ops::render_descriptions(&db)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))
        .context("cannot render the meetings' descriptions")?;
    if rendered > 0 {
        tracing::info!(rendered, "meeting descriptions rendered");
    }
    Ok(db)
}

/// The key personal links are derived under: `LINK_KEY`, or the one kept in the database.
pub async fn link_key(config: &Config, db: &Db) -> anyhow::Result<db::links::LinkKey> {
    use secrecy::ExposeSecret;
    Ok(match &config.link_key {
        Some(key) => db::links::LinkKey::new(key.expose_secret().as_bytes()),
        None => db
            .stored_link_key()
            .await
            .context("cannot read or make the link key")?,
    })
}

/// At start and then hourly: refreshes SQLite's planner statistics, forgets expired sessions,
/// sign-in attempts older than any throttling window and form flashes, and erases the personal
/// data past their retention period.
pub async fn housekeeping(db: Db, retention: config::Retention) {
    use tower_sessions::session_store::ExpiredDeletion;
    let store = match sessions::Store::open(&db).await {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "housekeeping cannot open the session store");
            return;
        }
    };
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(e) = db.optimize().await {
            tracing::warn!(error = %e, "cannot refresh the planner's statistics");
        }
        if let Err(e) = store.delete_expired().await {
            tracing::warn!(error = %e, "cannot delete expired sessions");
        }
        let before = chrono::Utc::now() - chrono::Duration::days(1);
        if let Err(e) = db.prune_sign_in_failures(before).await {
            tracing::warn!(error = %e, "cannot prune sign-in failures");
        }
        if let Err(e) = db.prune_flashes(chrono::Utc::now().timestamp()).await {
            tracing::warn!(error = %e, "cannot prune form flashes");
        }
        match forget(&db, retention, chrono::Utc::now()).await {
            Ok(f) if f == Forgotten::default() => {}
            Ok(f) => tracing::info!(?f, "personal data past retention erased"),
            Err(e) => tracing::warn!(error = %e, "cannot erase personal data past retention"),
        }
    }
}

/// What one pass of [`forget`] erased.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Forgotten {
    pub adhesions_erased: u64,
    pub adhesions_purged: u64,
    pub registrations_purged: u64,
    pub registrations_erased: u64,
    pub mail_deleted: u64,
}

/// Erases what the privacy notices say is kept no longer, as of `now`.
pub async fn forget(
    db: &Db,
    retention: config::Retention,
    now: chrono::DateTime<chrono::Utc>,
) -> anyhow::Result<Forgotten> {
    let days = |n: u32| chrono::Duration::days(i64::from(n));
    let (adhesions_erased, adhesions_purged) =
        app::pact::ops::tidy(db, i64::from(retention.pact_days), now.timestamp())
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut tx = db.begin_write().await?;
    let registrations_purged = db::meetings::purge_unconfirmed_registrations(
        &mut tx,
        (now - days(retention.unconfirmed_registration_days)).timestamp(),
    )
    .await?;
    let registrations_erased = db::meetings::erase_past_registrations(
        &mut tx,
        (now - days(retention.registration_days)).timestamp(),
    )
    .await?;
    tx.commit().await?;
    let mail_deleted = db.prune_outbox(now - days(retention.mail_days)).await?;
    Ok(Forgotten {
        adhesions_erased,
        adhesions_purged,
        registrations_purged,
        registrations_erased,
        mail_deleted,
    })
}

/// Every minute: sends the meeting reminders that have fallen due.
pub async fn reminders(db: Db, site: app::SiteInfo) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        tick.tick().await;
        match app::calendar::ops::send_due_reminders(&db, &site).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reminders = n, "meeting reminders queued"),
            Err(e) => tracing::warn!(error = %e, "cannot send meeting reminders"),
        }
    }
}

/// A server bound to its port, ready to run. Binding happens before `run` so that tests can
/// ask for port 0 and learn the port the system chose.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
    site: app::SiteInfo,
    passwords: app::accounts::password::Passwords,
    header_read_timeout: std::time::Duration,
}

impl Application {
    pub async fn build(config: &Config, db: Db) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.site_addr))?;
        let addr = listener.local_addr()?;
        // Without PUBLIC_URL the site is where it listens, and that port is known only now
        // when the system chose it.
        let mut config = config.clone();
        if config.site_addr.port() == 0 && config.public_url.port() == Some(0) {
            let _ = config.public_url.set_port(Some(addr.port()));
        }
        let config = &config;
        let sessions = sessions::Store::open(&db)
            .await
            .context("cannot prepare the session table")?;
        let links = link_key(config, &db).await?;
        let state = AppState::new(config, db, sessions, links);
        let site = state.site.clone();
        let passwords = state.passwords.clone();
        let router = router(state);
        Ok(Self {
            listener,
            router,
            addr,
            site,
            passwords,
            header_read_timeout: config.header_read_timeout,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn site(&self) -> app::SiteInfo {
        self.site.clone()
    }

    /// This server's Argon2 work, which tests watch to see what a request cost.
    pub fn passwords(&self) -> app::accounts::password::Passwords {
        self.passwords.clone()
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
        use hyper_util::server::conn::auto::Builder;
        use hyper_util::server::graceful::GracefulShutdown;
        use hyper_util::service::TowerToHyperService;
        use tower::ServiceExt as _;

        let mut http = Builder::new(TokioExecutor::new());
        // A connection that never finishes its headers would otherwise be kept for ever.
        http.http1()
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_read_timeout);
        http.http2().timer(TokioTimer::new());
        let graceful = GracefulShutdown::new();
        tokio::pin!(stop);
        loop {
            let (tcp, peer) = tokio::select! {
                accepted = self.listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors, most likely: wait for some to close rather
                        // than spin.
                        tracing::warn!(error = %e, "cannot accept a connection");
                        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut stop => break,
            };
            // Without TCP_NODELAY a body written after its headers waits for a delayed ACK,
            // which costs every small asset about 40 ms.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY");
            }
            // The peer address is what throttling and rate limits count per client.
            let service =
                self.router
                    .clone()
                    .map_request(move |mut req: axum::extract::Request<_>| {
                        req.extensions_mut()
                            .insert(axum::extract::ConnectInfo(peer));
                        req
                    });
            let connection = http
                .serve_connection_with_upgrades(
                    TokioIo::new(tcp),
                    TowerToHyperService::new(service),
                )
                .into_owned();
            let connection = graceful.watch(connection);
            tokio::spawn(async move {
                if let Err(e) = connection.await {
                    tracing::debug!(error = %e, "connection ended with an error");
                }
            });
        }
        drop(self.listener);
        tracing::info!("shutting down: finishing requests in flight");
        if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("requests still in flight after the grace period: closing them");
        }
        Ok(())
    }
}

/// How long requests in flight may take to finish once the server is told to stop.
const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(20);

async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}

/// The `lang` parameter of a document's query (a feed's, a badge's, an export's), English when
/// it has none.
pub(crate) fn lang_of(query: &str) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| "en".into())
}

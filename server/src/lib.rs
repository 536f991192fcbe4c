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
pub mod sessions;
pub mod telemetry;

pub use http::{router, AppState};

use anyhow::Context;
use axum::serve::ListenerExt;
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

/// At start and then hourly: refreshes SQLite's planner statistics, forgets expired sessions
/// and sign-in failures older than any throttling window, and erases the personal data of
/// adhesions past their retention period.
pub async fn housekeeping(db: Db, pact_retention_days: u32) {
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
        match app::pact::ops::tidy(&db, i64::from(pact_retention_days)).await {
            Ok((0, 0)) => {}
            Ok((erased, purged)) => {
                tracing::info!(erased, purged, "adhesions past retention tidied")
            }
            Err(e) => tracing::warn!(error = %e, "cannot tidy adhesions"),
        }
    }
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
}

impl Application {
    pub async fn build(config: &Config, db: Db) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.site_addr))?;
        let addr = listener.local_addr()?;
        let sessions = sessions::Store::open(&db)
            .await
            .context("cannot prepare the session table")?;
        let state = AppState::new(config, db, sessions);
        let site = state.site.clone();
        let router = router(state);
        Ok(Self {
            listener,
            router,
            addr,
            site,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn site(&self) -> app::SiteInfo {
        self.site.clone()
    }

    /// Serves until SIGTERM or Ctrl-C, then lets requests in flight finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.run_until(shutdown_signal()).await
    }

    pub async fn run_until(
        self,
        stop: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Without TCP_NODELAY a body written after its headers waits for a delayed ACK, which
        // costs every small asset about 40 ms.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY");
            }
        });
        // The peer address is what sign-in throttling counts per client.
        axum::serve(
            listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(stop)
        .await
    }
}

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
    tracing::info!("shutting down: finishing requests in flight");
}

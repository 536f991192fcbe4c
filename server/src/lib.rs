//! The Learning City server: configuration, the HTTP stack around the Leptos app, and start-up.

// Leptos views are deeply nested types; release builds without type erasure need more
// room than the default to compute their layout.
#![recursion_limit = "512"]

pub mod config;
mod http;
pub mod mail;
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
    Ok(db)
}

/// A server bound to its port, ready to run. Binding happens before `run` so that tests can
/// ask for port 0 and learn the port the system chose.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    addr: SocketAddr,
}

impl Application {
    pub async fn build(config: &Config, db: Db) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(config.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", config.site_addr))?;
        let addr = listener.local_addr()?;
        let router = router(AppState::new(config, db));
        Ok(Self {
            listener,
            router,
            addr,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
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
        axum::serve(listener, self.router)
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

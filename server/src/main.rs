//! `learning-city`: serves the app, or runs one maintenance command and exits.

// Leptos views are deeply nested types; release builds without type erasure need more
// room than the default to compute their layout.
#![recursion_limit = "512"]

use clap::{Parser, Subcommand};
use server::config::Config;
use server::mail::{self, Mailer};
use server::{prepare_database, telemetry, Application};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "learning-city",
    version,
    about = "Learning City: lifelong learning in the cities of UNESCO's GNLC"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site (the default).
    Serve,
    /// Add or update member cities from a roster CSV; nothing is imported if any row is bad.
    ImportRoster {
        /// CSV with the columns listed in README.md ("Importing the member roster").
        file: PathBuf,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("learning-city: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(config.log_format);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::ImportRoster { file } => import_roster(config, file).await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, every cause, no backtrace: the operator needs the reason, not our stack.
            eprintln!("learning-city: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let db = prepare_database(&config).await?;
    let mailer = Mailer::new(config.smtp_url.as_ref(), config.outbox_dir.clone())?;
    let app = Application::build(&config, db.clone()).await?;
    tracing::info!(addr = %app.addr(), public_url = %config.public_url, backend = ?db.backend(), "listening");
    let (stop_mail, stopped) = tokio::sync::oneshot::channel::<()>();
    let worker = tokio::spawn(mail::run_worker(
        db.clone(),
        mailer,
        std::time::Duration::from_secs(2),
        async {
            let _ = stopped.await;
        },
    ));
    app.run_until_stopped().await?;
    // A message being handed to SMTP finishes its round; the next round never starts.
    let _ = stop_mail.send(());
    let _ = worker.await;
    db.close().await;
    Ok(())
}

async fn import_roster(config: Config, file: PathBuf) -> anyhow::Result<()> {
    use anyhow::Context;
    let reader =
        std::fs::File::open(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let cities = db::roster::parse(reader).map_err(|errors| rejected(&file, &errors))?;
    let db = prepare_database(&Config {
        load_demo_data: false,
        ..config
    })
    .await?;
    match db.import_roster(&cities).await {
        Ok(r) => {
            println!(
                "imported {}: {} new cities, {} updated, {} cluster memberships",
                file.display(),
                r.inserted,
                r.updated,
                r.memberships
            );
            Ok(())
        }
        Err(db::roster::ImportError::Rows(errors)) => Err(rejected(&file, &errors)),
        Err(db::roster::ImportError::Db(e)) => Err(e.into()),
    }
}

/// Prints each refused value as `file:line N: field: message`, the form editors jump to.
fn rejected(file: &std::path::Path, errors: &[db::roster::RowError]) -> anyhow::Error {
    for e in errors {
        eprintln!("{}:{e}", file.display());
    }
    anyhow::anyhow!(
        "{} bad value(s) in {}; nothing was imported",
        errors.len(),
        file.display()
    )
}

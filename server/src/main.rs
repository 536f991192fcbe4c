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

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    /// Manage administrator accounts.
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a network administrator. The password is asked for on the terminal (twice), or
    /// read as one line from standard input when that is not a terminal.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
        /// Language of the mail the administrator receives: en or it.
        #[arg(long, default_value = "en")]
        locale: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    keep_large_allocations_out_of_the_heap();
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
        Command::Admin {
            action:
                AdminCommand::Create {
                    email,
                    name,
                    locale,
                },
        } => create_admin(config, &email, &name, &locale).await,
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
    mail::release_dead_leases(&db).await?;
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
    let housekeeping = tokio::spawn(server::housekeeping(db.clone(), config.retention));
    let reminders = tokio::spawn(server::reminders(db.clone(), app.site()));
    app.run_until_stopped().await?;
    housekeeping.abort();
    reminders.abort();
    // A message being handed to SMTP finishes its round; the next round never starts.
    let _ = stop_mail.send(());
    let _ = worker.await;
    db.close().await;
    Ok(())
}

async fn import_roster(config: Config, file: PathBuf) -> anyhow::Result<()> {
    use anyhow::Context;
    let bytes = std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
    let cities = db::roster::parse(&bytes).map_err(|errors| rejected(&file, &errors))?;
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

async fn create_admin(config: Config, email: &str, name: &str, locale: &str) -> anyhow::Result<()> {
    use anyhow::{bail, Context};
    let email =
        domain::Email::parse(email).map_err(|e| anyhow::anyhow!("--email {email:?}: {e}"))?;
    if app::locale_named(locale).is_none() {
        bail!("--locale must be one of {}", app::locale_tags().join(", "));
    }
    let password = domain::Password::parse(&read_password()?).map_err(|e| {
        anyhow::anyhow!(
            "password: {e} (at least {} characters)",
            domain::Password::MIN_CHARS
        )
    })?;
    let hash = tokio::task::spawn_blocking(move || app::accounts::password::hash(&password))
        .await
        .context("hashing the password")?;
    let db = prepare_database(&Config {
        load_demo_data: false,
        ..config
    })
    .await?;
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    let id = match db::accounts::create_user(&mut tx, &email, name.trim(), locale, Some(&hash), now)
        .await
    {
        Err(db::DbError::Conflict {
            constraint: Some(db::Constraint::UserEmail),
            ..
        }) => bail!("an account for {email} already exists"),
        other => other?,
    };
    db::accounts::add_role(&mut tx, id, domain::Role::Admin, None, now).await?;
    {
        use app::audit::{record, Action, Actor, Scope, Target};
        let after = serde_json::json!({ "email": email.as_str(), "role": "admin" });
        let (admin, target) = (Action::UserCreateAdmin, Target::new(id, Scope::NETWORK));
        record(
            &mut tx,
            Actor::CommandLine,
            admin,
            target,
            None,
            Some(after),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    println!("created administrator {email}");
    Ok(())
}

/// Each Argon2 verification allocates 19 MiB. glibc raises its mmap threshold to the size of
/// the largest block freed, after which such blocks come from per-thread heaps and stay there:
/// 20 sign-ins left the server at 253 MB instead of 21 MB. A fixed threshold (glibc's initial
/// 128 KiB) hands every large block back to the system when it is freed.
fn keep_large_allocations_out_of_the_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes allocator settings; called before any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

/// Prompts without echo on a terminal; reads one line from a pipe (for scripts and tests).
fn read_password() -> anyhow::Result<String> {
    use std::io::IsTerminal;
    if std::io::stdin().is_terminal() {
        let first = rpassword::prompt_password("Password (at least 12 characters): ")?;
        let second = rpassword::prompt_password("Password again: ")?;
        if first != second {
            anyhow::bail!("the two passwords differ");
        }
        Ok(first)
    } else {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        Ok(line.trim_end_matches(['\r', '\n']).to_owned())
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

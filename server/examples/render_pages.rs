//! How long the server takes to render each public page, in process: no network, no HTTP
//! parsing, no compression (no Accept-Encoding), no page or feed cache. Opens the database named
//! by DATABASE_URL (seeded beforehand, see `bench/render.sh`), builds the real router the server
//! serves (`server::router`, every middleware included) with PAGE_CACHE_SECONDS=0 and
//! FEED_CACHE_SECONDS=0, and calls it with `tower::ServiceExt::oneshot` N times a page, one
//! request at a time, reading each body to its end. Prints one line per page:
//!
//! ```text
//! page=agenda path=/en/calendar renders=200 bytes=51234 median_us=… p99_us=… max_us=… db_us=…
//! ```
//!
//! where db_us is the median of the database's share as the page's Server-Timing reports it.
//!
//! ```sh
//! DATABASE_URL=sqlite:/tmp/bench.db cargo run --release -p learning-city --example render_pages -- [N=200] [PATH…]
//! ```
//!
//! Without paths: the home page, the agenda, a meeting page (a date in Lucca at least a day
//! ahead, from Lucca's JSON feed), the map and its data, Lucca's city page, pact and sign-up
//! form, and Lucca's iCalendar feed. The process exits non-zero when a page answers other than 200.

use anyhow::{bail, Context};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use server::config::Config;
use std::time::{Duration, Instant};
use tower::ServiceExt as _;

/// Renders before the measured ones: the first of each page fills the database's and the
/// allocator's caches.
const WARM_UP: usize = 3;

async fn get(
    router: &axum::Router,
    path: &str,
) -> anyhow::Result<(StatusCode, usize, f64, Duration)> {
    let request = Request::get(path).body(Body::empty())?;
    let started = Instant::now();
    let response = router.clone().oneshot(request).await?;
    let status = response.status();
    let db_ms = response
        .headers()
        .get("server-timing")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').find_map(|p| p.trim().strip_prefix("db;dur=")))
        .and_then(|v| v.parse::<f64>().ok())
        .unwrap_or(0.0);
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    Ok((status, body.len(), db_ms, started.elapsed()))
}

/// A date in Lucca at least a day ahead, a date of a series when there is one.
async fn meeting(router: &axum::Router) -> anyhow::Result<i64> {
    let response = router
        .clone()
        .oneshot(Request::get("/feeds/calendar.json?city=lucca").body(Body::empty())?)
        .await?;
    let body = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
    let feed: serde_json::Value = serde_json::from_slice(&body).context("Lucca's JSON feed")?;
    let soon = chrono::Utc::now() + chrono::Duration::days(1);
    let ahead: Vec<&serde_json::Value> = feed["items"]
        .as_array()
        .context("no items in Lucca's JSON feed")?
        .iter()
        .filter(|i| !i["cancelled"].as_bool().unwrap_or(false))
        .filter(|i| {
            i["start"]
                .as_str()
                .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
                .is_some_and(|s| s > soon)
        })
        .collect();
    let pick = ahead
        .iter()
        .find(|i| i["recurring"].as_bool().unwrap_or(false))
        .or(ahead.first())
        .context("no upcoming date in Lucca")?;
    pick["id"].as_i64().context("a date without an id")
}

fn percentile(sorted: &[Duration], p: f64) -> u128 {
    let i = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[i.clamp(1, sorted.len()) - 1].as_micros()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = match args.next() {
        Some(n) => n.parse().context("N must be a number")?,
        None => 200,
    };
    let mut paths: Vec<(String, String)> = args.map(|p| (p.clone(), p)).collect();

    let config = Config::from_lookup(|k| match k {
        "PAGE_CACHE_SECONDS" | "FEED_CACHE_SECONDS" => Some("0".to_owned()),
        // Seeded beforehand: nothing to write.
        "LOAD_DEMO_DATA" => Some("false".to_owned()),
        // The bundle's hash file lies beside the server, not this example: the page names the
        // bundle without hashes, which costs the render nothing.
        "LEPTOS_HASH_FILES" => std::env::var(k).ok().or(Some("false".to_owned())),
        _ => std::env::var(k).ok(),
    })?;
    if std::env::var("DATABASE_URL").is_err() {
        bail!("DATABASE_URL must name a seeded database");
    }
    let db = server::prepare_database(&config).await?;
    let backend = if config.database_url().starts_with("sqlite:") {
        "sqlite"
    } else {
        "postgres"
    };
    let sessions = server::sessions::Store::open(&db).await?;
    let links = server::link_key(&config, &db).await?;
    let router = server::router(server::AppState::new(&config, db.clone(), sessions, links));

    if paths.is_empty() {
        let meeting = meeting(&router).await?;
        paths = [
            ("home", "/en".to_owned()),
            ("agenda", "/en/calendar".to_owned()),
            ("meeting", format!("/en/meetings/{meeting}")),
            ("map", "/en/map".to_owned()),
            ("map-data", "/map/cities.json?lang=en".to_owned()),
            ("city", "/en/cities/lucca".to_owned()),
            ("pact", "/en/cities/lucca/pact".to_owned()),
            ("join", "/en/cities/lucca/pact/join".to_owned()),
            ("feed", "/feeds/calendar.ics?city=lucca".to_owned()),
        ]
        .into_iter()
        .map(|(l, p)| (l.to_owned(), p))
        .collect();
    }

    let mut failed = false;
    for (label, path) in &paths {
        let mut times = Vec::with_capacity(n);
        let mut db_ms = Vec::with_capacity(n);
        let mut bytes = 0;
        let mut bad = None;
        for i in 0..WARM_UP + n {
            let (status, len, db, took) = get(&router, path).await?;
            if status != StatusCode::OK {
                bad = Some(status);
                break;
            }
            if i >= WARM_UP {
                times.push(took);
                db_ms.push(db);
                bytes = len;
            }
        }
        if let Some(status) = bad {
            println!("page={label} path={path} status={}", status.as_u16());
            failed = true;
            continue;
        }
        times.sort();
        db_ms.sort_by(f64::total_cmp);
        println!(
            "backend={backend} page={label} path={path} renders={n} bytes={bytes} median_us={} p99_us={} max_us={} db_us={:.0}",
            percentile(&times, 50.0),
            percentile(&times, 99.0),
            times.last().map(|t| t.as_micros()).unwrap_or(0),
            db_ms.get(db_ms.len() / 2).copied().unwrap_or(0.0) * 1000.0,
        );
    }
    db.close().await;
    if failed {
        bail!("a page did not answer 200");
    }
    Ok(())
}

//! Calendar feeds and the live map's data, served outside the Leptos router: they are
//! documents, not pages.
//!
//! Calendar programs and other sites poll the same few feeds over and over, and rendering a
//! city's feed (hundreds of events) costs milliseconds of CPU. Each instance keeps a rendered
//! feed, compressed, under the data version it was rendered at (as the page cache does), for
//! `FEED_CACHE_SECONDS` at most: a change shows in the next answer. Concurrent requests for a
//! feed not kept render it once. Browsers and proxies may keep an answer for a minute, and
//! revalidate it with its ETag or date.

use crate::kept::Kept;
use app::AppError;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

/// How long browsers and proxies may use a feed without asking again: the README promises that
/// a change shows in the feeds within a minute.
const PUBLIC_LIFETIME: &str = "public, max-age=60";

/// What the feeds read from the server's state.
#[derive(Clone)]
pub struct Sources {
    pub db: db::Db,
    pub site: app::SiteInfo,
    pub catalog: app::catalog::Catalog,
    pub cache: FeedCache,
}

#[derive(Clone)]
pub struct FeedCache {
    kept: Option<moka::future::Cache<String, Arc<Kept>>>,
    version: db::DataVersion,
}

impl FeedCache {
    pub fn new(seconds: u32, version: db::DataVersion) -> Self {
        let kept = (seconds > 0).then(|| {
            moka::future::Cache::builder()
                .time_to_live(Duration::from_secs(u64::from(seconds)))
                // Bounded by bytes, not entries: a network-wide feed is megabytes.
                .max_capacity(64 * 1024 * 1024)
                .weigher(|key: &String, feed: &Arc<Kept>| {
                    feed.weight().saturating_add(key.len() as u32)
                })
                .build()
        });
        FeedCache { kept, version }
    }

    /// The feed named `key`, kept or rendered by `render` (its body and media type).
    pub(crate) async fn serve<F>(&self, request: &HeaderMap, key: String, render: F) -> Response
    where
        F: Future<Output = Result<(String, &'static str), AppError>>,
    {
        let version = match &self.kept {
            Some(_) => self.version.current().await,
            None => None,
        };
        let (Some(cache), Some(version)) = (&self.kept, version) else {
            return match render.await {
                Ok((body, media)) => fresh(body, media),
                Err(e) => e.into_response(),
            };
        };
        let kept = cache
            .try_get_with(format!("{version} {key}"), async {
                let (body, media) = render.await?;
                Kept::new(headers(media), Bytes::from(body))
                    .await
                    .map(Arc::new)
                    .map_err(|_| AppError::Internal)
            })
            .await;
        match kept {
            Ok(kept) => kept.respond(request, false, None).await,
            Err(e) => (*e).clone().into_response(),
        }
    }
}

fn headers(media: &'static str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(PUBLIC_LIFETIME),
    );
    headers
}

/// A feed rendered for this request alone (the feed cache is off): sent as it is, for the
/// compression layer to encode at its speed.
fn fresh(body: String, media: &'static str) -> Response {
    let mut res = Response::new(axum::body::Body::from(body));
    *res.headers_mut() = headers(media);
    res
}

const ICS: &str = "text/calendar; charset=utf-8";
const JSON: &str = "application/json";

fn with_filename(mut res: Response, filename: &str) -> Response {
    if res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED {
        if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{filename}\"")) {
            res.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    res
}

pub async fn calendar_ics(
    State(state): State<Sources>,
    request: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let q = q.unwrap_or_default();
    let lang = crate::lang_of(&q);
    let render = async {
        app::calendar::feeds::calendar_ics(&state.db, &state.site, &q, &lang)
            .await
            .map(|body| (body, ICS))
    };
    let res = state
        .cache
        .serve(&request, format!("ics?{q}"), render)
        .await;
    with_filename(res, "learning-city.ics")
}

pub async fn calendar_json(
    State(state): State<Sources>,
    request: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let q = q.unwrap_or_default();
    let render = async {
        app::calendar::feeds::calendar_json(&state.db, &state.site, &q, &crate::lang_of(&q))
            .await
            .map(|v| (v.to_string(), JSON))
    };
    let mut res = state
        .cache
        .serve(&request, format!("json?{q}"), render)
        .await;
    // Other sites read it from their pages' scripts.
    res.headers_mut().insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    res
}

pub async fn occurrence_ics(
    State(state): State<Sources>,
    request: HeaderMap,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(id) = file
        .strip_suffix(".ics")
        .and_then(|n| n.parse::<i64>().ok())
    else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let q = q.unwrap_or_default();
    let lang = crate::lang_of(&q);
    let render = async {
        app::calendar::feeds::occurrence_ics(&state.db, &state.site, id, &lang)
            .await
            .map(|body| (body, ICS))
    };
    let res = state
        .cache
        .serve(&request, format!("meeting/{id}?{q}"), render)
        .await;
    with_filename(res, "meeting.ics")
}

/// What the live map reads after its page has loaded: the cities of a filter with their groups
/// per zoom level and their cards, in one language (`lang`). The same for every reader.
pub async fn map_cities(
    State(state): State<Sources>,
    request: HeaderMap,
    RawQuery(q): RawQuery,
) -> Response {
    let q = q.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let lang = crate::lang_of(&q);
    let filter = app::map::MapFilter::from_pairs(pairs);
    let render = async {
        let data = app::map::map_data(&state.db, &state.catalog, filter, &lang).await?;
        serde_json::to_string(&data)
            .map(|body| (body, JSON))
            .map_err(|e| {
                tracing::error!(error = %e, "cannot serialise the map's data");
                AppError::Internal
            })
    };
    state
        .cache
        .serve(&request, format!("map?{q}"), render)
        .await
}

pub async fn registration_ics(State(state): State<Sources>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let token = url::form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    // Personal (it carries the online link): never kept, here or by any other cache.
    match app::calendar::feeds::registration_ics(&state.db, &state.site, &token).await {
        Ok(body) => {
            let mut res = with_filename(Response::new(body.into()), "meeting.ics");
            res.headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(ICS));
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-store"),
            );
            res
        }
        Err(e) => e.into_response(),
    }
}

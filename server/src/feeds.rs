//! Calendar feeds served outside the Leptos router: they are documents, not pages.

use crate::http::AppState;
use app::AppError;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

/// Public feeds as rendered, by path and query, for a short while. Calendar programs and other
/// sites poll the same few feeds over and over, and rendering a city's feed (hundreds of
/// events) costs tens of milliseconds of CPU; a change shows in the feed at the latest when its
/// entry expires. Concurrent requests for a feed not in the cache render it once.
#[derive(Clone)]
pub struct FeedCache(Option<moka::future::Cache<String, Arc<String>>>);

impl FeedCache {
    pub fn new(seconds: u32) -> Self {
        Self((seconds > 0).then(|| {
            moka::future::Cache::builder()
                .time_to_live(Duration::from_secs(u64::from(seconds)))
                // Bounded by bytes, not entries: a network-wide feed is megabytes.
                .max_capacity(64 * 1024 * 1024)
                .weigher(|key: &String, body: &Arc<String>| {
                    u32::try_from(key.len() + body.len()).unwrap_or(u32::MAX)
                })
                .build()
        }))
    }

    pub(crate) async fn get_or_render<F>(
        &self,
        key: String,
        render: F,
    ) -> Result<Arc<String>, AppError>
    where
        F: std::future::Future<Output = Result<String, AppError>>,
    {
        match &self.0 {
            None => render.await.map(Arc::new),
            Some(cache) => cache
                .try_get_with(key, async { render.await.map(Arc::new) })
                .await
                .map_err(|e| (*e).clone()),
        }
    }
}

/// The `lang` parameter of a feed's query (the rest is the calendar's own query).
fn lang_of(query: &str) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| "en".into())
}

fn calendar_response(result: Result<Arc<String>, AppError>, filename: &str) -> Response {
    match result {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/calendar; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("inline; filename=\"{filename}\""))
                        .unwrap_or(HeaderValue::from_static("inline")),
                ),
            ],
            body.as_str().to_owned(),
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

pub async fn calendar_ics(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let lang = lang_of(&q);
    let render = app::calendar::feeds::calendar_ics(&state.db, &state.site, &q, &lang);
    let result = state.feeds.get_or_render(format!("ics?{q}"), render).await;
    calendar_response(result, "learning-city.ics")
}

pub async fn calendar_json(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let render = async {
        app::calendar::feeds::calendar_json(&state.db, &state.site, &q, &lang_of(&q))
            .await
            .map(|v| v.to_string())
    };
    match state.feeds.get_or_render(format!("json?{q}"), render).await {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                // Other sites read it from their pages' scripts.
                (
                    header::ACCESS_CONTROL_ALLOW_ORIGIN,
                    HeaderValue::from_static("*"),
                ),
            ],
            body.as_str().to_owned(),
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

pub async fn occurrence_ics(
    State(state): State<AppState>,
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
    let lang = lang_of(&q);
    let render = app::calendar::feeds::occurrence_ics(&state.db, &state.site, id, &lang);
    let result = state
        .feeds
        .get_or_render(format!("meeting/{id}?{q}"), render)
        .await;
    calendar_response(result, "meeting.ics")
}

pub async fn registration_ics(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let token = url::form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    // Personal (it carries the online link): never cached.
    let result = app::calendar::feeds::registration_ics(&state.db, &state.site, &token).await;
    let mut response = calendar_response(result.map(Arc::new), "meeting.ics");
    // It carries the online link: never kept by shared caches.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

//! Calendar feeds served outside the Leptos router: they are documents, not pages.

use crate::http::AppState;
use app::AppError;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The `lang` parameter of a feed's query (the rest is the calendar's own query).
fn lang_of(query: &str) -> String {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| "en".into())
}

fn calendar_response(result: Result<String, AppError>, filename: &str) -> Response {
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
            body,
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

pub async fn calendar_ics(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let result = app::calendar::feeds::calendar_ics(&state.db, &state.site, &q, &lang_of(&q)).await;
    calendar_response(result, "learning-city.ics")
}

pub async fn calendar_json(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    match app::calendar::feeds::calendar_json(&state.db, &state.site, &q, &lang_of(&q)).await {
        Ok(value) => (
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
            value.to_string(),
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
    let result =
        app::calendar::feeds::occurrence_ics(&state.db, &state.site, id, &lang_of(&q)).await;
    calendar_response(result, "meeting.ics")
}

pub async fn registration_ics(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let token = url::form_urlencoded::parse(q.as_bytes())
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let result = app::calendar::feeds::registration_ics(&state.db, &state.site, &token).await;
    let mut response = calendar_response(result, "meeting.ics");
    // It carries the online link: never kept by shared caches.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

//! Pact documents served outside the Leptos router (logos, badges, open data, an
//! organisation's own data, the coordinators' export), and the guard in front of the
//! multipart sign-up forms.

use crate::state::AppState;
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::server_fn::ServerFn;

/// The server functions that take multipart bodies.
const MULTIPART: [&str; 3] = [
    <app::pact::JoinPact as ServerFn>::PATH,
    <app::pact::UpdateAdhesion as ServerFn>::PATH,
    <app::pact::manage::EditAdhesion as ServerFn>::PATH,
];

fn id_of(file: &str, extension: &str) -> Option<i64> {
    file.strip_suffix(extension)?.parse().ok()
}

pub async fn logo(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let Some(id) = id_of(&file, ".png") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::pact::ops::logo(&state.db, id).await {
        Ok((content_type, bytes)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_str(&content_type)
                        .unwrap_or(HeaderValue::from_static("image/png")),
                ),
                // A logo may change; an hour keeps lists quick without hiding a new one long.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
            ],
            bytes,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn badge(
    State(state): State<AppState>,
    Path(file): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(id) = id_of(&file, ".svg") else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match app::pact::ops::badge(
        &state.db,
        id,
        &crate::lang_of(q.as_deref().unwrap_or_default()),
    )
    .await
    {
        Ok(svg) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("image/svg+xml; charset=utf-8"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=3600"),
                ),
                // Other sites show it in an <img>.
                (
                    header::HeaderName::from_static("cross-origin-resource-policy"),
                    HeaderValue::from_static("cross-origin"),
                ),
            ],
            svg,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

pub async fn open_data(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let (slug, csv) = match (file.strip_suffix(".csv"), file.strip_suffix(".json")) {
        (Some(slug), _) => (slug, true),
        (_, Some(slug)) => (slug, false),
        _ => return StatusCode::NOT_FOUND.into_response(),
    };
    let (json, table) = match app::pact::ops::open_data(&state.db, &state.site, slug).await {
        Ok(data) => data,
        Err(e) => return e.into_response(),
    };
    let licence =
        HeaderValue::from_str(&format!("<{}>; rel=\"license\"", app::pact::ops::LICENCE.1))
            .unwrap_or(HeaderValue::from_static(""));
    let (content_type, body, name) = if csv {
        (
            "text/csv; charset=utf-8",
            table,
            format!("{slug}-pact-adherents.csv"),
        )
    } else {
        (
            "application/json",
            json.to_string(),
            format!("{slug}-pact-adherents.json"),
        )
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            ),
            (header::LINK, licence),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_str(&format!("inline; filename=\"{name}\""))
                    .unwrap_or(HeaderValue::from_static("inline")),
            ),
        ],
        body,
    )
        .into_response()
}

/// Everything stored about an adhesion, for the organisation holding its personal link.
pub async fn personal_data(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let token = app::pact::url_pairs(q.as_deref().unwrap_or_default())
        .into_iter()
        .find(|(k, _)| k == "token")
        .map(|(_, v)| v)
        .unwrap_or_default();
    match app::pact::ops::personal_data(&state.db, &token).await {
        Ok(value) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_static("attachment; filename=\"adhesion.json\""),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
            ],
            serde_json::to_string_pretty(&value).unwrap_or_default(),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

/// The multipart server functions read their body as a stream of parts; a body that is not
/// multipart is answered here with the form's own 4xx (the server function would have nothing
/// to read). A browser without JavaScript goes back to its form, as after any refusal.
pub async fn multipart_only(req: Request, next: Next) -> Response {
    if req.method() != Method::POST || !MULTIPART.contains(&req.uri().path()) {
        return next.run(req).await;
    }
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| multer::parse_boundary(ct).is_ok());
    if multipart {
        return next.run(req).await;
    }
    crate::refuse::refuse(
        req,
        app::Invalid::only(app::Invalid::FORM, app::Problem::Format),
    )
    .await
}

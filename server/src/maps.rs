//! The world base map under every map page, as one file browsers keep, and the live map's data.

use crate::http::AppState;
use app::AppError;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

pub async fn basemap() -> impl IntoResponse {
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=604800"),
            ),
        ],
        app::map::geo::basemap_svg(),
    )
}

/// What the live map reads after its page has loaded: the cities of a filter with their groups
/// per zoom level and their cards, in one language (`lang`). The same for every reader, so it is
/// kept like a feed and may be kept by browsers and proxies.
pub async fn cities(State(state): State<AppState>, RawQuery(q): RawQuery) -> Response {
    let q = q.unwrap_or_default();
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(q.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let lang = pairs
        .iter()
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| "en".to_owned());
    let filter = app::map::MapFilter::from_pairs(pairs);
    let render = async {
        let data = app::map::map_data(&state.db, filter, &lang).await?;
        serde_json::to_string(&data).map_err(|e| {
            tracing::error!(error = %e, "cannot serialise the map's data");
            AppError::Internal
        })
    };
    match state.feeds.get_or_render(format!("map?{q}"), render).await {
        Ok(body) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                ),
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("public, max-age=60"),
                ),
            ],
            body.as_str().to_owned(),
        )
            .into_response(),
        Err(e) => (e.status(), e.to_string()).into_response(),
    }
}

//! The world base map under every map page, as one file browsers keep.

use axum::http::{header, HeaderValue};
use axum::response::IntoResponse;

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

//! The world base map under every map page, as one file browsers keep.

use crate::kept::Kept;
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use tokio::sync::OnceCell;

/// Drawn once per process and kept like a page (compressed once per encoding, ETag; brotli at
/// its best quality, since it is done once), rather than compressed anew for every map page a
/// phone opens for the first time.
pub async fn basemap(method: Method, request: HeaderMap) -> Response {
    static KEPT: OnceCell<Kept> = OnceCell::const_new();
    let kept = KEPT
        .get_or_try_init(|| async {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("image/svg+xml; charset=utf-8"),
            );
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=604800"),
            );
            let svg = Bytes::from_static(app::map::geo::basemap_svg().as_bytes());
            Ok::<_, Response>(Kept::new(headers, svg).await?.with_best_brotli().await)
        })
        .await;
    match kept {
        Ok(kept) => kept.respond(&request, method == Method::HEAD, None).await,
        Err(res) => res.into_response(),
    }
}

//! Refusing a server-function call before it runs (the same-origin check, the body limit, the
//! rate limit): answered as the function itself would answer.

use crate::config::MAX_BODY;
use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// Refuses a server-function call before it runs, as the function itself would: a form posted
/// without JavaScript goes back to its page with the error (which the page shows with its
/// status); anything else gets the error as JSON with its status. The rest of the body is read
/// first (bounded by the body limit), so that a client still uploading gets the answer rather
/// than a reset connection.
pub(crate) async fn refuse(req: Request, error: app::AppError) -> Response {
    use leptos::server_fn::error::{FromServerFnError, ServerFnUrlError};
    let (parts, body) = req.into_parts();
    let _ = axum::body::to_bytes(body, MAX_BODY).await;
    let wants_page = parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("text/html"));
    let referer = parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok());
    if let (true, Some(referer)) = (wants_page, referer) {
        if let Ok(url) = ServerFnUrlError::new(parts.uri.path(), error.clone()).to_url(referer) {
            if let Ok(location) = HeaderValue::from_str(url.as_str()) {
                return (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response();
            }
        }
    }
    let status = match &error {
        // Not a problem of what was sent but of how: the body is not what the function reads.
        app::AppError::Invalid(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        other => other.status(),
    };
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        error.ser(),
    )
        .into_response()
}

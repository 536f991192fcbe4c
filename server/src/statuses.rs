//! Statuses of refusals that would otherwise come out wrong. Leptos answers a server function
//! that fails with a 500 whatever the error, unless the function set another itself; and a
//! body sent without its length (in chunks) is found too large only while a server function
//! reads it, which then fails as if the arguments were malformed. Both would tell the client
//! something else than what happened.

use app::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures::StreamExt as _;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// A server function that failed (one that could not read its arguments, or returned its
/// error without setting a status) gets the status of its error.
pub async fn of_the_error(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // An error's body is already in memory: reading it costs nothing but the copy.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // Anything that is not one of our errors stays the failure it says it is.
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = error.status();
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Reads a body sent in chunks before anything else does, up to `limit` bytes and within
/// `timeout` (what every request is allowed): one that goes past the limit gets the 413 a body
/// announcing that length gets (the rest is not read: it could be endless), one that breaks
/// off a 400, one that trickles a 408. What passes on has its length known.
pub async fn chunked_within(
    limit: usize,
    timeout: std::time::Duration,
    req: Request,
    next: Next,
) -> Response {
    if !req.headers().contains_key(header::TRANSFER_ENCODING) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let read = tokio::time::timeout(timeout, async {
        let mut chunks = body.into_data_stream();
        let mut read = Vec::new();
        while let Some(chunk) = chunks.next().await {
            let Ok(chunk) = chunk else {
                return Err((StatusCode::BAD_REQUEST, "incomplete body"));
            };
            if read.len() + chunk.len() > limit {
                return Err((StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded"));
            }
            read.extend_from_slice(&chunk);
        }
        Ok(read)
    })
    .await;
    match read {
        Ok(Ok(read)) => next.run(Request::from_parts(parts, Body::from(read))).await,
        Ok(Err(refusal)) => refusal.into_response(),
        Err(_) => StatusCode::REQUEST_TIMEOUT.into_response(),
    }
}

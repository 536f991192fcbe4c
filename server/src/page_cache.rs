//! Pages as people who are not signed in see them, kept already compressed. Most requests are
//! for the same few pages (a city's calendar, a meeting, the map), identical for every anonymous
//! reader until something they show changes; serving them again costs a lookup instead of a
//! render, a database round trip per page and a brotli pass.
//!
//! A page is kept per path and query (the language is in the path) under the data version it
//! was rendered at ([`db::DataVersion`]), for `PAGE_CACHE_SECONDS` at most: any change to what
//! pages show makes every kept page stale at once, on every instance. Only plain anonymous page
//! views are kept: not with a session cookie (a signed-in coordinator, whose pages differ), not
//! with a personal link (`token`) or a form's error (`__err`), not an answer other than 200 or
//! one the page marked private. Browsers revalidate with the page's ETag and get a 304.

use crate::kept::Kept;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A page larger than this is not kept (none of ours comes close).
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct PageCache {
    pages: Option<moka::future::Cache<String, Arc<Kept>>>,
    version: db::DataVersion,
}

impl PageCache {
    pub fn new(seconds: u32, version: db::DataVersion) -> Self {
        let pages = (seconds > 0).then(|| {
            moka::future::Cache::builder()
                .time_to_live(Duration::from_secs(u64::from(seconds)))
                .max_capacity(64 * 1024 * 1024)
                .weigher(|key: &String, page: &Arc<Kept>| {
                    page.weight().saturating_add(key.len() as u32)
                })
                .build()
        });
        PageCache { pages, version }
    }
}

/// Whether a request is an anonymous view of a page that may be kept.
fn keepable(req: &Request) -> bool {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return false;
    }
    let path = req.uri().path();
    let mut segments = path.trim_start_matches('/').split('/');
    let mut lang = segments.next().unwrap_or("");
    // A widget's page is kept as a page is: /embed/{lang}/….
    if lang == "embed" {
        lang = segments.next().unwrap_or("");
    }
    let page = lang.len() == 2
        && lang.bytes().all(|b| b.is_ascii_lowercase())
        && !path.rsplit('/').next().unwrap_or("").contains('.');
    let personal = req.uri().query().is_some_and(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .any(|(k, _)| matches!(k.as_ref(), "token" | "__err" | "__flash"))
    });
    let session = req
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains(crate::sessions::SESSION_COOKIE));
    page && !personal && !session
}

/// Why a response was not kept: it goes to the request that rendered it as it is.
#[derive(Debug, thiserror::Error)]
#[error("not kept")]
struct NotKept;

pub async fn serve(State(cache): State<PageCache>, req: Request, next: Next) -> Response {
    let Some(pages) = cache.pages.as_ref().filter(|_| keepable(&req)) else {
        return next.run(req).await;
    };
    let Some(version) = cache.version.current().await else {
        return next.run(req).await;
    };
    let started = Instant::now();
    let key = format!(
        "{version} {}?{}",
        req.uri().path(),
        req.uri().query().unwrap_or("")
    );
    let (mut parts, _) = req.into_parts();
    let asked = parts.headers.clone();
    let accept = parts.headers.remove(header::ACCEPT_ENCODING);
    let head = parts.method == Method::HEAD;
    // The request that renders keeps its own answer when it may not be kept.
    let own = Arc::new(Mutex::new(None::<Response>));
    // Set when this request rendered the page: its own render's timing.
    let rendered = Arc::new(Mutex::new(None::<Option<HeaderValue>>));
    let render = {
        let (own, rendered) = (own.clone(), rendered.clone());
        let mut inner = axum::http::Request::from_parts(parts.clone(), Body::empty());
        // Rendered whole (GET), identity: this layer compresses once for every later reader.
        *inner.method_mut() = Method::GET;
        inner.headers_mut().remove(header::IF_NONE_MATCH);
        inner.headers_mut().remove(header::IF_MODIFIED_SINCE);
        let next = next.clone();
        async move {
            let res = next.run(inner).await;
            *rendered.lock().unwrap_or_else(|e| e.into_inner()) =
                Some(res.headers().get("server-timing").cloned());
            match keep(res).await {
                Ok(page) => Ok(Arc::new(page)),
                Err(res) => {
                    *own.lock().unwrap_or_else(|e| e.into_inner()) = Some(res);
                    Err(NotKept)
                }
            }
        }
    };
    let page = match pages.try_get_with(key, render).await {
        Ok(page) => page,
        Err(_) => {
            if let Some(res) = own.lock().unwrap_or_else(|e| e.into_inner()).take() {
                return res;
            }
            // Another request rendered it and could not keep it: render for this one.
            let mut req = axum::http::Request::from_parts(parts, Body::empty());
            if let Some(accept) = accept {
                req.headers_mut().insert(header::ACCEPT_ENCODING, accept);
            }
            return next.run(req).await;
        }
    };
    let timing = match rendered.lock().unwrap_or_else(|e| e.into_inner()).take() {
        Some(Some(render)) => render,
        _ => HeaderValue::from_str(&format!(
            "cache;desc=hit;dur={:.3}",
            started.elapsed().as_secs_f64() * 1000.0
        ))
        .unwrap_or(HeaderValue::from_static("cache;desc=hit")),
    };
    page.respond(&asked, head, Some(timing)).await
}

/// The response as a page to keep, or back as it was.
async fn keep(res: Response) -> Result<Kept, Response> {
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let private = res
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("private") || v.contains("no-store"));
    if res.status() != StatusCode::OK
        || !html
        || private
        || res.headers().contains_key(header::SET_COOKIE)
        || res.headers().contains_key(header::CONTENT_ENCODING)
    {
        return Err(res);
    }
    let (parts, body) = res.into_parts();
    let body = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "cannot read a rendered page");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let mut headers = parts.headers;
    // Browsers ask again each time and get a 304 while the page is the same.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Kept::new(headers, body).await
}

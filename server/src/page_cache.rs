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

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::io::Write as _;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A page larger than this is not kept (none of ours comes close).
const MAX_PAGE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Clone)]
pub struct PageCache {
    pages: Option<moka::future::Cache<String, Arc<Page>>>,
    version: db::DataVersion,
}

/// A rendered page in every encoding a browser may ask for.
struct Page {
    headers: HeaderMap,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
}

impl PageCache {
    pub fn new(seconds: u32, version: db::DataVersion) -> Self {
        let pages = (seconds > 0).then(|| {
            moka::future::Cache::builder()
                .time_to_live(Duration::from_secs(u64::from(seconds)))
                .max_capacity(64 * 1024 * 1024)
                .weigher(|key: &String, page: &Arc<Page>| {
                    let bytes = key.len() + page.identity.len() + page.gzip.len() + page.br.len();
                    u32::try_from(bytes).unwrap_or(u32::MAX)
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
    let lang = segments.next().unwrap_or("");
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
        .any(|v| v.contains(crate::http::SESSION_COOKIE));
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
    let accept = parts.headers.remove(header::ACCEPT_ENCODING);
    let if_none_match = parts.headers.get(header::IF_NONE_MATCH).cloned();
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
    respond(&page, accept.as_ref(), if_none_match.as_ref(), head, timing)
}

/// The response as a page to keep, or back as it was.
async fn keep(res: Response) -> Result<Page, Response> {
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
    let identity = match axum::body::to_bytes(body, MAX_PAGE_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "cannot read a rendered page");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        }
    };
    let mut headers = parts.headers;
    for name in [
        header::CONTENT_LENGTH,
        header::DATE,
        header::TRANSFER_ENCODING,
        header::ETAG,
        header::VARY,
    ] {
        headers.remove(name);
    }
    headers.remove("x-request-id");
    headers.remove("server-timing");
    // Compressing takes milliseconds of CPU: off the async workers.
    let (identity, gzip, br, etag) = tokio::task::spawn_blocking(move || {
        let gzip = gzip(&identity);
        let br = brotli(&identity);
        let etag = etag(&identity);
        (identity, gzip, br, etag)
    })
    .await
    .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())?;
    Ok(Page {
        headers,
        etag,
        identity,
        gzip: Bytes::from(gzip),
        br: Bytes::from(br),
    })
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    // Quality 9 of 11: within a few per cent of the best for pages of tens of kilobytes, in
    // about a millisecond; the page is compressed once and sent many times.
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        let _ = writer.write_all(bytes);
    }
    out
}

fn etag(bytes: &[u8]) -> HeaderValue {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    // Weak: the same page in every encoding.
    HeaderValue::from_str(&format!("W/\"{hex}\"")).unwrap_or(HeaderValue::from_static("W/\"0\""))
}

/// The encoding to send: brotli, else gzip, else none, as the browser accepts.
fn encoding(accept: Option<&HeaderValue>) -> Option<&'static str> {
    let accept = accept.and_then(|v| v.to_str().ok()).unwrap_or("");
    let accepts = |name: &str| {
        accept.split(',').any(|part| {
            let mut bits = part.split(';');
            let coding = bits.next().unwrap_or("").trim();
            let refused = bits.any(|b| {
                let b = b.trim();
                b.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    if accepts("br") {
        Some("br")
    } else if accepts("gzip") {
        Some("gzip")
    } else {
        None
    }
}

fn respond(
    page: &Page,
    accept: Option<&HeaderValue>,
    if_none_match: Option<&HeaderValue>,
    head: bool,
    timing: HeaderValue,
) -> Response {
    let mut headers = page.headers.clone();
    headers.insert(header::ETAG, page.etag.clone());
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    headers.insert("server-timing", timing);
    let unchanged = if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let ours = page.etag.to_str().unwrap_or("");
            v.split(',').any(|t| t.trim() == ours || t.trim() == "*")
        });
    if unchanged {
        headers.remove(header::CONTENT_TYPE);
        let mut res = StatusCode::NOT_MODIFIED.into_response();
        *res.headers_mut() = headers;
        return res;
    }
    let body = match encoding(accept) {
        Some(name) => {
            headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
            if name == "br" {
                page.br.clone()
            } else {
                page.gzip.clone()
            }
        }
        None => page.identity.clone(),
    };
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
    let mut res = if head {
        Response::new(Body::empty())
    } else {
        Response::new(Body::from(body))
    };
    *res.headers_mut() = headers;
    res
}

#[cfg(test)]
mod tests {
    use super::encoding;
    use axum::http::HeaderValue;

    #[test]
    fn the_best_encoding_the_browser_takes() {
        let e = |s: &str| encoding(Some(&HeaderValue::from_str(s).unwrap()));
        assert_eq!(e("gzip, deflate, br, zstd"), Some("br"));
        assert_eq!(e("gzip"), Some("gzip"));
        assert_eq!(e("br;q=0, gzip;q=0.8"), Some("gzip"));
        assert_eq!(e("identity"), None);
        assert_eq!(encoding(None), None);
    }
}

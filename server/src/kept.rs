//! A rendered answer kept for many readers: its bytes in every encoding a browser may ask for,
//! each compressed once, when first asked for, named by a hash of its bytes (ETag) and dated
//! (Last-Modified), so that a reader who has it gets a 304 and one who has not gets it without
//! any work but a copy.
//! The page cache and the feeds keep their answers as these.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::Write as _;
use std::time::SystemTime;
use tokio::sync::OnceCell;

pub struct Kept {
    headers: HeaderMap,
    etag: HeaderValue,
    modified: SystemTime,
    identity: Bytes,
    // Each encoding is made for the first reader who asks for it: a page rendered for one
    // reader is compressed once, in the encoding that reader takes, and no other.
    gzip: OnceCell<Bytes>,
    br: OnceCell<Bytes>,
}

impl Kept {
    /// Keeps `body` with `headers`, less those that belong to one response only.
    pub async fn new(mut headers: HeaderMap, body: Bytes) -> Result<Kept, Response> {
        for name in [
            header::CONTENT_LENGTH,
            header::DATE,
            header::TRANSFER_ENCODING,
            header::ETAG,
            header::LAST_MODIFIED,
            header::VARY,
        ] {
            headers.remove(name);
        }
        headers.remove("x-request-id");
        headers.remove("server-timing");
        // Hashing a feed of a megabyte takes milliseconds: off the async workers.
        let hashed = tokio::task::spawn_blocking(move || {
            let etag = etag(&body);
            (body, etag)
        })
        .await;
        let Ok((identity, etag)) = hashed else {
            tracing::error!("hashing an answer failed");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        Ok(Kept {
            headers,
            etag,
            modified: SystemTime::now(),
            identity,
            gzip: OnceCell::new(),
            br: OnceCell::new(),
        })
    }

    /// The answer for a request with these headers: 304 when the reader has this version,
    /// else the body in the best encoding it accepts.
    pub async fn respond(
        &self,
        request: &HeaderMap,
        head: bool,
        timing: Option<HeaderValue>,
    ) -> Response {
        let mut headers = self.headers.clone();
        headers.insert(header::ETAG, self.etag.clone());
        headers.insert(
            header::LAST_MODIFIED,
            HeaderValue::from_str(&httpdate::fmt_http_date(self.modified))
                .unwrap_or(HeaderValue::from_static("Thu, 01 Jan 1970 00:00:00 GMT")),
        );
        headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Some(timing) = timing {
            headers.insert("server-timing", timing);
        }
        if self.unchanged_for(request) {
            headers.remove(header::CONTENT_TYPE);
            let mut res = StatusCode::NOT_MODIFIED.into_response();
            *res.headers_mut() = headers;
            return res;
        }
        let encoded = match encoding(request.get(header::ACCEPT_ENCODING)) {
            Some(name) => self.encoded(name).await.map(|body| (name, body)),
            None => None,
        };
        let body = match encoded {
            Some((name, body)) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
                body
            }
            None => self.identity.clone(),
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

    /// Whether the reader's copy is this one: its ETag, or (without one) a date not before
    /// this answer's.
    fn unchanged_for(&self, request: &HeaderMap) -> bool {
        if let Some(tags) = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
        {
            let ours = self.etag.to_str().unwrap_or("");
            return tags.split(',').any(|t| t.trim() == ours || t.trim() == "*");
        }
        request
            .get(header::IF_MODIFIED_SINCE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok())
            .is_some_and(|since| {
                // HTTP dates have whole seconds.
                let ours = self
                    .modified
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0);
                let theirs = since
                    .duration_since(SystemTime::UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0);
                theirs >= ours
            })
    }

    /// The body in `name` ("br" or "gzip"), compressed now if no reader asked for it before
    /// (off the async workers: milliseconds for a big feed); `None` if compressing failed.
    async fn encoded(&self, name: &str) -> Option<Bytes> {
        type Compress = fn(&[u8]) -> Vec<u8>;
        let (cell, compress): (_, Compress) = if name == "br" {
            (&self.br, brotli)
        } else {
            (&self.gzip, gzip)
        };
        let identity = self.identity.clone();
        let made = cell
            .get_or_try_init(|| async move {
                tokio::task::spawn_blocking(move || Bytes::from(compress(&identity))).await
            })
            .await;
        match made {
            Ok(body) => Some(body.clone()),
            Err(e) => {
                tracing::error!(error = %e, "compressing an answer failed");
                None
            }
        }
    }

    /// Compresses the brotli copy now, at brotli's best quality: for an answer made once per
    /// process that every first visit fetches (the base map: 17.1 KB at the pages' quality,
    /// 15.0 KB at this one), the second it takes once is paid back on every phone.
    pub async fn with_best_brotli(self) -> Self {
        let identity = self.identity.clone();
        let best = tokio::task::spawn_blocking(move || {
            let mut out = Vec::with_capacity(identity.len() / 4);
            {
                let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
                let _ = writer.write_all(&identity);
            }
            Bytes::from(out)
        })
        .await;
        match best {
            Ok(body) => {
                let _ = self.br.set(body);
            }
            Err(e) => tracing::error!(error = %e, "compressing an answer failed"),
        }
        self
    }

    /// What the answer takes in memory once readers asked for both encodings: they come to
    /// well under half of the body together.
    pub fn weight(&self) -> u32 {
        u32::try_from(self.identity.len() + self.identity.len() / 2).unwrap_or(u32::MAX)
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    // Quality 6 of 11, brotli's largest window: a 6 KB page in a third of a millisecond,
    // within 0.5 % of quality 9's size. Quality 9 took 8 ms on that page, and so did any
    // quality with a window fitted to the page (16 bits or less; measured with brotli 8.0.4),
    // which made every page missing from the cache cost ten times its render.
    let mut out = Vec::with_capacity(bytes.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 6, 22);
        let _ = writer.write_all(bytes);
    }
    out
}

fn etag(bytes: &[u8]) -> HeaderValue {
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(bytes);
    let hex: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    // Weak: the same answer in every encoding.
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
                b.trim()
                    .strip_prefix("q=")
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

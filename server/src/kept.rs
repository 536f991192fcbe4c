//! A rendered answer kept for many readers: its bytes in every encoding a browser may ask for,
//! compressed once, named by a hash of its bytes (ETag) and dated (Last-Modified), so that a
//! reader who has it gets a 304 and one who has not gets it without any work but a copy.
//! The page cache and the feeds keep their answers as these.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::io::Write as _;
use std::time::SystemTime;

pub struct Kept {
    headers: HeaderMap,
    etag: HeaderValue,
    modified: SystemTime,
    identity: Bytes,
    gzip: Bytes,
    br: Bytes,
}

impl Kept {
    /// Compresses `body` (off the async workers: it takes milliseconds) and keeps it with
    /// `headers`, less those that belong to one response only.
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
        let compressed = tokio::task::spawn_blocking(move || {
            let gzip = gzip(&body);
            let br = brotli(&body);
            let etag = etag(&body);
            (body, gzip, br, etag)
        })
        .await;
        let Ok((identity, gzip, br, etag)) = compressed else {
            tracing::error!("compressing an answer failed");
            return Err(StatusCode::INTERNAL_SERVER_ERROR.into_response());
        };
        Ok(Kept {
            headers,
            etag,
            modified: SystemTime::now(),
            identity,
            gzip: Bytes::from(gzip),
            br: Bytes::from(br),
        })
    }

    /// The answer for a request with these headers: 304 when the reader has this version,
    /// else the body in the best encoding it accepts.
    pub fn respond(
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
        let body = match encoding(request.get(header::ACCEPT_ENCODING)) {
            Some(name) => {
                headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
                if name == "br" {
                    self.br.clone()
                } else {
                    self.gzip.clone()
                }
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

    pub fn weight(&self) -> u32 {
        u32::try_from(self.identity.len() + self.gzip.len() + self.br.len()).unwrap_or(u32::MAX)
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    let _ = encoder.write_all(bytes);
    encoder.finish().unwrap_or_default()
}

fn brotli(bytes: &[u8]) -> Vec<u8> {
    // Quality 9 of 11: within a few per cent of the best on pages of tens of kilobytes, in
    // about a millisecond; the answer is compressed once and sent many times.
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

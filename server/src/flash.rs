//! Keeps what people typed out of URLs. Without JavaScript, a rejected form post is redirected
//! back to its page with the error in the query (Leptos's `__err`), and our errors carry the
//! values typed so that nothing is lost. On the way out, this layer moves those values into the
//! database under a random key and leaves only the key in the redirect; on the way back in, it
//! puts them into the request again before the page renders. Browser history, server logs and
//! shared links thus never hold a name or an e-mail address.

use app::accounts::session::{ClientAddr, SignedIn};
use app::{AppError, Invalid, KeptBounds};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, Uri};
use axum::middleware::Next;
use axum::response::Response;
use base64::engine::general_purpose::URL_SAFE;
use base64::Engine as _;
use db::Db;
use leptos::server_fn::error::FromServerFnError;
use std::sync::Arc;

/// What the layer needs: where flashes are kept and how often a client may leave one.
#[derive(Clone)]
pub struct Flashes {
    pub db: Db,
    /// The same quota as public writes, counted apart: every flash is a row anyone can make.
    pub limit: Option<Arc<crate::limits::PublicWrites>>,
}

/// The one value a stored error carries in the URL: the key of its flash.
const KEY: &str = "__flash";
/// How long the values wait for the browser to come back for them.
const LIFETIME_SECONDS: i64 = 15 * 60;

fn decode(raw: &str) -> Option<AppError> {
    let bytes = URL_SAFE.decode(raw).ok()?;
    Some(AppError::de(bytes.into()))
}

fn encode(error: &AppError) -> String {
    URL_SAFE.encode(error.ser())
}

/// The query with `__err` replaced.
fn with_err(query: &str, err: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| {
            let v = if k == "__err" {
                err.to_owned()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        }))
        .finish()
}

fn err_of(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "__err")
        .map(|(_, v)| v.into_owned())
}

pub async fn keep_values_out_of_urls(
    State(flashes): State<Flashes>,
    req: Request,
    next: Next,
) -> Response {
    let req = if req.method() == Method::GET {
        restore(&flashes.db, req).await
    } else {
        req
    };
    let post = req.method() == Method::POST;
    let client = req.extensions().get::<ClientAddr>().copied();
    let mut res = next.run(req).await;
    if post && res.status().is_redirection() {
        let signed_in = res.extensions().get::<SignedIn>().is_some();
        let allowed = match (&flashes.limit, client) {
            (Some(limit), Some(ClientAddr(client))) => limit.allows(client),
            _ => true,
        };
        let location = res.headers().get(header::LOCATION);
        if let Some(location) = stash(&flashes.db, location, signed_in, allowed).await {
            res.headers_mut().insert(header::LOCATION, location);
        }
        if let Some(location) = at_problems(res.headers().get(header::LOCATION)) {
            res.headers_mut().insert(header::LOCATION, location);
        }
    }
    res
}

/// A refused post's way back to its form, ending at the form's summary of problems: the
/// browser scrolls there itself, where otherwise it would show the page's top with the
/// problems a screen or more below. The Referer it is built from never has a fragment.
fn at_problems(location: Option<&HeaderValue>) -> Option<HeaderValue> {
    let location = location?.to_str().ok()?;
    let (_, query) = location.split_once('?')?;
    if query.contains('#') || err_of(query).is_none() {
        return None;
    }
    HeaderValue::from_str(&format!("{location}#{}", app::PROBLEMS_ID)).ok()
}

/// Moves the values of an `Invalid` error in a redirect into a flash, as many of them as a
/// form of this kind may keep; a client over its quota gets the problems back without values.
async fn stash(
    db: &Db,
    location: Option<&HeaderValue>,
    signed_in: bool,
    allowed: bool,
) -> Option<HeaderValue> {
    let location = location?.to_str().ok()?;
    let (base, query) = location.split_once('?')?;
    let error = decode(&err_of(query)?)?;
    let AppError::Invalid(invalid) = error else {
        return None;
    };
    if invalid.values.is_empty() {
        return None;
    }
    let bounds = if signed_in {
        KeptBounds::SIGNED_IN
    } else {
        KeptBounds::ANONYMOUS
    };
    let invalid = invalid.bounded(bounds);
    let mut values = Vec::new();
    if allowed && !invalid.values.is_empty() {
        let body = serde_json::to_string(&invalid.values).ok()?;
        let key = db::accounts::OneTimeToken::generate();
        let expires = chrono::Utc::now().timestamp() + LIFETIME_SECONDS;
        match db.put_flash(&key.hash, &body, expires).await {
            Ok(()) => values.push((KEY.to_owned(), key.secret)),
            // The person then retypes what they had typed; the values never go into the URL.
            Err(e) => tracing::warn!(error = %e, "cannot store a form flash"),
        }
    } else if !allowed {
        tracing::warn!(
            ?signed_in,
            "form flash over the rate limit: values not kept"
        );
    }
    let stored = AppError::Invalid(Invalid {
        problems: invalid.problems,
        values,
    });
    HeaderValue::from_str(&format!("{base}?{}", with_err(query, &encode(&stored)))).ok()
}

/// Puts a flash's values back into the `__err` of a page request.
async fn restore(db: &Db, mut req: Request) -> Request {
    let Some(query) = req.uri().query().map(str::to_owned) else {
        return req;
    };
    let Some(AppError::Invalid(invalid)) = err_of(&query).as_deref().and_then(decode) else {
        return req;
    };
    let [(name, secret)] = invalid.values.as_slice() else {
        return req;
    };
    if name != KEY {
        return req;
    }
    let hash = db::accounts::OneTimeToken::hash_of(secret);
    let values = match db.flash(&hash, chrono::Utc::now().timestamp()).await {
        Ok(Some(body)) => serde_json::from_str(&body).unwrap_or_default(),
        Ok(None) => Vec::new(),
        Err(e) => {
            tracing::warn!(error = %e, "cannot read a form flash");
            Vec::new()
        }
    };
    let restored = AppError::Invalid(Invalid {
        problems: invalid.problems.clone(),
        values,
    });
    let path = req.uri().path().to_owned();
    if let Ok(uri) = format!("{path}?{}", with_err(&query, &encode(&restored))).parse::<Uri>() {
        *req.uri_mut() = uri;
    }
    req
}

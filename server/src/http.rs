//! The HTTP stack: Leptos pages and server functions, static assets, probes, and the layers every
//! response passes through (request id, tracing, compression, security and cache headers).

use crate::config::MAX_BODY;
use crate::sessions::SESSION_COOKIE;
use crate::state::{context, AppState};
use app::accounts::session::{Backend, ClientAddr, SignedIn};
use app::{shell, App};
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use db::Db;
use leptos::config::LeptosOptions;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Policy for responses that are not pages (assets, probes, server-function results): nothing
/// may run, and nothing may frame them. Pages get [`app::boot::page_policy`].
const DEFAULT_CSP: &str = "default-src 'none'; img-src 'self' data:; style-src 'self'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// How long a coordinator stays signed in without doing anything.
const SESSION_IDLE: time::Duration = time::Duration::hours(12);

/// Listing the routes renders the whole app with resource loading switched off process-wide
/// (a global flag in leptos_server), which would stall any page rendering at the same moment:
/// list them once per process, before anything is served.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState) -> Router {
    let routes = routes();
    db::timing::set_finder(leptos::prelude::use_context::<db::timing::Clock>);
    let context = context(&state);
    let app = documents()
        // Server functions only (no routes): pages have their own handler.
        .leptos_routes_with_context(&state, Vec::new(), context, {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .leptos_routes_with_handler(routes, get(crate::pages::page))
        .fallback(crate::pages::file_or_not_found);
    let request_timeout = state.request_timeout;
    with_response_layers(with_request_guards(app, &state), &state)
        .layer(RequestBodyLimitLayer::new(MAX_BODY))
        .layer(middleware::from_fn(move |req, next| {
            crate::statuses::chunked_within(MAX_BODY, request_timeout, req, next)
        }))
        .layer(middleware::from_fn(run_to_completion))
        .with_state(state)
}

/// What is served outside the Leptos router: probes, feeds, exports, maps and pact documents.
fn documents() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/feeds/calendar.ics", get(crate::feeds::calendar_ics))
        .route("/feeds/calendar.json", get(crate::feeds::calendar_json))
        .route(
            "/feeds/registration.ics",
            get(crate::feeds::registration_ics),
        )
        .route("/feeds/meetings/{file}", get(crate::feeds::occurrence_ics))
        .route(
            "/coordinate/occurrences/{id}/registrations.csv",
            get(crate::exports::registrations_csv),
        )
        .route(app::map::BASEMAP, get(crate::maps::basemap))
        .route(app::map::MAP_DATA, get(crate::feeds::map_cities))
        .route("/pact-logos/{file}", get(crate::pacts::logo))
        .route("/badges/pact/{file}", get(crate::pacts::badge))
        .route("/open-data/pacts/{file}", get(crate::pacts::open_data))
        .route("/pact/adhesion.json", get(crate::pacts::personal_data))
        .route(
            "/coordinate/pacts/{slug}/adhesions.csv",
            get(crate::exports::adhesions_csv),
        )
}

/// What a request passes before it reaches a handler, innermost first: the error's status,
/// the session and sign-in, the multipart guard, the public writes' limit, the form values kept
/// out of URLs, the client's address, the same-origin check and the canonical path.
fn with_request_guards(app: Router<AppState>, state: &AppState) -> Router<AppState> {
    let https = state.site.public_url.starts_with("https://");
    let sessions = tower_sessions::SessionManagerLayer::new(state.sessions.clone())
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_secure(https)
        .with_same_site(tower_sessions::cookie::SameSite::Lax)
        .with_expiry(tower_sessions::Expiry::OnInactivity(SESSION_IDLE));
    let auth = axum_login::AuthManagerLayerBuilder::new(
        Backend::new(state.db.clone(), state.passwords.clone()),
        sessions,
    )
    .build();
    let origin = Arc::new(
        url::Url::parse(&state.site.public_url)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default(),
    );
    app.layer(middleware::from_fn(crate::statuses::of_the_error))
        .layer(middleware::from_fn(mark_signed_in))
        .layer(auth)
        .layer(middleware::from_fn(crate::pacts::multipart_only))
        .layer(middleware::from_fn_with_state(
            state.public_writes.clone(),
            crate::limits::limit_public_writes,
        ))
        .layer(middleware::from_fn_with_state(
            crate::flash::Flashes {
                db: state.db.clone(),
                limit: state.flash_writes.clone(),
            },
            crate::flash::keep_values_out_of_urls,
        ))
        .layer(middleware::from_fn_with_state(
            state.trusted_proxies.clone(),
            client_addr,
        ))
        .layer(middleware::from_fn_with_state(origin, same_origin))
        .layer(middleware::from_fn(without_trailing_slash))
}

/// What every response passes through: request id and tracing, the time limit, the page cache,
/// timing, compression, and the cache and security headers.
fn with_response_layers(app: Router<AppState>, state: &AppState) -> Router<AppState> {
    let https = state.site.public_url.starts_with("https://");
    let hsts = https.then(|| HeaderValue::from_static("max-age=63072000; includeSubDomains"));
    let policies = Arc::new(Policies::new(state));
    app.layer(
        ServiceBuilder::new()
            .layer(SetRequestIdLayer::new(X_REQUEST_ID.clone(), MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http().make_span_with(|req: &Request| {
                    let id = req
                        .headers()
                        .get(&X_REQUEST_ID)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("-");
                    let uri = redacted(req.uri());
                    tracing::info_span!("request", request_id = %id, method = %req.method(), uri = %uri)
                }),
            )
            .layer(PropagateRequestIdLayer::new(X_REQUEST_ID.clone()))
            // A request that takes longer, its upload included, ends with 408.
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                state.request_timeout,
            ))
            .layer(middleware::from_fn_with_state(
                state.pages.clone(),
                crate::page_cache::serve,
            ))
            .layer(middleware::from_fn(server_timing))
            .layer(CompressionLayer::new())
            .layer(middleware::from_fn(cache_control))
            .layer(middleware::from_fn(redirect_status))
            .layer(middleware::from_fn_with_state(
                policies,
                content_security_policy,
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            // same-origin keeps the Referer that no-JS form posts are redirected back to,
            // and sends nothing to other sites.
            .layer(SetResponseHeaderLayer::overriding(
                header::REFERRER_POLICY,
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static(
                    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
                ),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::if_not_present(
                header::STRICT_TRANSPORT_SECURITY,
                move |_: &Response| hsts.clone(),
            )),
    )
}

/// Says how long a page took, in the database and the rest (`Server-Timing`), so that each
/// gain shows in a browser's developer tools and in the benchmarks.
async fn server_timing(mut req: Request, next: Next) -> Response {
    let clock = db::timing::Clock::default();
    req.extensions_mut().insert(clock.clone());
    let started = std::time::Instant::now();
    let mut res = next.run(req).await;
    let total = started.elapsed().as_secs_f64() * 1000.0;
    let db = clock.micros() as f64 / 1000.0;
    let value = format!("db;dur={db:.2}, render;dur={:.2}", (total - db).max(0.0));
    if let Ok(value) = HeaderValue::from_str(&value) {
        res.headers_mut().insert("server-timing", value);
    }
    res
}

/// The Content-Security-Policies: one for pages, one for widgets (per widget), one for
/// everything else.
struct Policies {
    page: HeaderValue,
    other: HeaderValue,
    options: LeptosOptions,
    tiles: Option<app::TileLayer>,
    db: Db,
}

impl Policies {
    fn new(state: &AppState) -> Self {
        let page = app::boot::page_policy(&state.leptos_options, state.site.tiles.as_ref());
        Policies {
            page: HeaderValue::from_str(&page).unwrap_or(HeaderValue::from_static(DEFAULT_CSP)),
            other: HeaderValue::from_static(DEFAULT_CSP),
            options: state.leptos_options.clone(),
            tiles: state.site.tiles.clone(),
            db: state.db.clone(),
        }
    }

    /// A widget's policy: framed by whom its kind and its city allow, its theme's style sheet
    /// admitted. Should it not make a header, the page's (never framed) stands in.
    async fn widget(&self, path: &str, query: &str) -> HeaderValue {
        let framing = app::embed::ops::framing(&self.db, path).await;
        let style = app::embed::theme_css(query).map(|css| app::boot::csp_hash(&css));
        let policy = app::boot::widget_policy(
            &self.options,
            self.tiles.as_ref(),
            &framing.sources(),
            style.as_deref(),
        );
        HeaderValue::from_str(&policy).unwrap_or_else(|_| self.page.clone())
    }
}

/// Gives every HTML response the pages' policy (a widget's, under `/embed/`) and any other the
/// strict one, by what the response is rather than by what rendered it: a page cannot go out
/// with the policy that blocks its own script, whichever handler produced it, and no page but
/// a widget can be framed.
async fn content_security_policy(
    State(policies): State<Arc<Policies>>,
    req: Request,
    next: Next,
) -> Response {
    let widget = req.uri().path().starts_with(app::embed::PREFIX).then(|| {
        (
            req.uri().path().to_owned(),
            req.uri().query().unwrap_or("").to_owned(),
        )
    });
    let mut res = next.run(req).await;
    let html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let policy = match (html, widget) {
        (true, Some((path, query))) => policies.widget(&path, &query).await,
        (true, None) => policies.page.clone(),
        (false, _) => policies.other.clone(),
    };
    res.headers_mut()
        .insert(header::CONTENT_SECURITY_POLICY, policy);
    res
}

/// Runs every request to its end even when the client goes away midway (a phone losing its
/// signal): a dropped handler could stop between two statements of its work, and sqlx 0.8.6
/// returns a PostgreSQL connection whose BEGIN was cancelled to the pool inside an open
/// transaction, which then holds its locks for whoever borrows it next
/// (transact-rs/sqlx#4393, fixed upstream after 0.8.6).
async fn run_to_completion(req: Request, next: Next) -> Response {
    match tokio::spawn(next.run(req)).await {
        Ok(res) => res,
        Err(e) => {
            tracing::error!(error = %e, "request handler failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Ends a sign-in past its lifetime, and says on the response whether the request was signed
/// in (see [`SignedIn`]).
async fn mark_signed_in(mut req: Request, next: Next) -> Response {
    let mut signed_in = false;
    if let Some(auth) = req
        .extensions_mut()
        .get_mut::<axum_login::AuthSession<Backend>>()
        .filter(|auth| auth.user.is_some())
    {
        signed_in = true;
        if app::accounts::session::expired(auth).await {
            if let Err(e) = auth.logout().await {
                tracing::error!(error = %e, "cannot end an expired session");
            }
            signed_in = false;
        }
    }
    let mut res = next.run(req).await;
    if signed_in {
        res.extensions_mut().insert(SignedIn);
    }
    res
}

/// Tells server functions and limits who is asking. Behind a load balancer named in
/// `TRUSTED_PROXIES` that is the address it puts in `X-Forwarded-For`; otherwise the peer's.
async fn client_addr(
    State(proxies): State<Arc<Vec<IpAddr>>>,
    mut req: Request,
    next: Next,
) -> Response {
    if let Some(ConnectInfo(addr)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        let client = client_of(addr.ip(), &forwarded, &proxies);
        req.extensions_mut().insert(ClientAddr::of(client));
    }
    next.run(req).await
}

/// The client behind a chain of proxies: each trusted proxy appends the address it got the
/// request from, so the first address from the right that is not a trusted proxy is the
/// client; anything to its left the client may have written itself. An entry that is not an
/// address stops the walk at the last proxy trusted.
fn client_of(peer: IpAddr, forwarded: &str, proxies: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    let mut hops = forwarded.rsplit(',').map(str::trim);
    while proxies.contains(&client) {
        match hops.next().and_then(|hop| hop.parse().ok()) {
            Some(hop) => client = hop,
            None => break,
        }
    }
    client
}

/// Refuses a request that changes something unless the browser says it comes from one of our
/// own pages: SameSite=Lax cookies already stay home on cross-site posts, and this holds even
/// for browsers or subdomains where they would not. Browsers send Origin on every POST; the
/// Referer stands in where a privacy setting drops it.
async fn same_origin(State(public): State<Arc<String>>, req: Request, next: Next) -> Response {
    use axum::http::Method;
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let claimed = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            req.headers()
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(|r| url::Url::parse(r).ok())
                .map(|u| u.origin().ascii_serialization())
        });
    // Only the site's public address counts: the Host header is whatever the client wrote,
    // so a page on any name that resolves here would pass a comparison with it.
    let ours = claimed.as_deref() == Some(public.as_str());
    if ours {
        next.run(req).await
    } else {
        tracing::warn!(origin = ?claimed, "cross-site request refused");
        (StatusCode::FORBIDDEN, "cross-site request refused").into_response()
    }
}

/// `/en/` is `/en`: a path with a trailing slash is sent, with its query, to the one without
/// (a link typed or pasted that way would otherwise be a 404).
async fn without_trailing_slash(req: Request, next: Next) -> Response {
    use axum::http::Method;
    let path = req.uri().path();
    if matches!(*req.method(), Method::GET | Method::HEAD) && path.len() > 1 && path.ends_with('/')
    {
        let trimmed = path.trim_end_matches('/');
        // `//evil.example/` must not become a link to another site.
        let target = format!("/{}", trimmed.trim_start_matches('/'));
        let target = match req.uri().query() {
            Some(q) => format!("{target}?{q}"),
            None => target,
        };
        if let Ok(location) = HeaderValue::from_str(&target) {
            return (
                StatusCode::PERMANENT_REDIRECT,
                [(header::LOCATION, location)],
            )
                .into_response();
        }
    }
    next.run(req).await
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(db): State<Db>) -> Response {
    match tokio::time::timeout(Duration::from_secs(2), db.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready").into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
        Err(_) => {
            tracing::warn!("readiness check timed out");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
        }
    }
}

/// A page that redirects while rendering (the locale negotiation at `/`) comes back from Leptos
/// with a Location header but status 200, which a browser without JavaScript does not follow.
/// Its target depends on Accept-Language, which caches must know. Server-function calls are
/// left alone: their client reads the Location header itself.
async fn redirect_status(req: Request, next: Next) -> Response {
    let page = req.method() == axum::http::Method::GET && !req.uri().path().starts_with("/api/");
    let post = req.method() == axum::http::Method::POST;
    // Only the root has no language in its path; it serves English or redirects to another.
    let negotiated = req.uri().path() == "/";
    let mut res = next.run(req).await;
    if page && res.status() == StatusCode::OK && res.headers().contains_key(header::LOCATION) {
        *res.status_mut() = StatusCode::SEE_OTHER;
    }
    // A form post answered with a redirect must be followed with GET, which 303 says outright.
    if post && res.status() == StatusCode::FOUND {
        *res.status_mut() = StatusCode::SEE_OTHER;
    }
    if negotiated {
        res.headers_mut()
            .append(header::VARY, HeaderValue::from_static("accept-language"));
    }
    res
}

/// The URI as logs may keep it: a personal link's token is as good as a password for what it
/// opens, so its value is left out.
fn redacted(uri: &axum::http::Uri) -> String {
    let Some(query) = uri.query() else {
        return uri.to_string();
    };
    let query: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((key, _)) if key == "token" || key.ends_with("_token") => format!("{key}=…"),
            _ => pair.to_owned(),
        })
        .collect();
    format!("{}?{}", uri.path(), query.join("&"))
}

/// Hashed bundle files never change under their name, so browsers may keep them for a year;
/// other static files are revalidated hourly and pages on every visit. A page that is someone's
/// own (opened by a personal link, or with a session) is kept by no cache at all: a shared
/// computer's back button or a proxy would show it to the next person.
async fn cache_control(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let personal = req
        .uri()
        .query()
        .is_some_and(|q| q.split('&').any(|p| p.starts_with("token=")))
        || req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.split(';').any(|c| c.trim().starts_with(SESSION_COOKIE)));
    let mut res = next.run(req).await;
    if personal && !path.starts_with("/pkg/") {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return res;
    }
    if res.headers().contains_key(header::CACHE_CONTROL) {
        return res;
    }
    let value = if !res.status().is_success() {
        "no-store"
    } else if path.starts_with("/pkg/") && is_hashed(&path) {
        "public, max-age=31536000, immutable"
    } else if path.starts_with("/pkg/") || path.contains('.') {
        "public, max-age=3600"
    } else {
        "no-cache"
    };
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    res
}

/// cargo-leptos names hashed files `name.<hash>.ext`.
fn is_hashed(path: &str) -> bool {
    let file = path.rsplit('/').next().unwrap_or("");
    let parts: Vec<&str> = file.split('.').collect();
    parts.len() >= 3
        && parts[parts.len() - 2].len() >= 8
        && parts[parts.len() - 2]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[cfg(test)]
mod tests {
    use super::{client_of, is_hashed, redacted};
    use std::net::IpAddr;

    #[test]
    fn tokens_are_left_out_of_logged_addresses() {
        let uri = |s: &str| s.parse::<axum::http::Uri>().unwrap();
        assert_eq!(
            redacted(&uri("/en/registration?token=s3cret&done=confirmed")),
            "/en/registration?token=…&done=confirmed"
        );
        assert_eq!(
            redacted(&uri("/feeds/calendar.ics?city=lucca")),
            "/feeds/calendar.ics?city=lucca"
        );
    }

    #[test]
    fn only_trusted_proxies_name_the_client() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let proxies = [ip("10.0.0.2"), ip("10.0.0.3")];
        // Direct: the header is the client's own words.
        assert_eq!(
            client_of(ip("198.51.100.9"), "1.2.3.4", &proxies),
            ip("198.51.100.9")
        );
        // Through two proxies; the left-most entry was forged by the client.
        assert_eq!(
            client_of(ip("10.0.0.2"), "1.2.3.4, 203.0.113.5, 10.0.0.3", &proxies),
            ip("203.0.113.5")
        );
        // A proxy without the header, or with garbage, stands for the client.
        assert_eq!(client_of(ip("10.0.0.2"), "", &proxies), ip("10.0.0.2"));
        assert_eq!(client_of(ip("10.0.0.2"), "junk", &proxies), ip("10.0.0.2"));
        assert_eq!(
            client_of(ip("10.0.0.2"), "203.0.113.5", &[]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn hashed_asset_names_are_recognised() {
        assert!(is_hashed("/pkg/learning-city.Xb3kP0aZq1.wasm"));
        assert!(is_hashed("/pkg/learning-city.a1b2c3d4e5f6.css"));
        assert!(!is_hashed("/pkg/learning-city.wasm"));
        assert!(!is_hashed("/pkg/learning-city_bg.wasm"));
        assert!(!is_hashed("/favicon.ico"));
    }
}

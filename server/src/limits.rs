//! Rate limits on the writes anyone may make without an account (registering for a meeting,
//! confirming, cancelling; adhering to a pact and what its links do): per client address, in memory. Each instance counts its own
//! clients, so behind a load balancer a client may get up to N times the quota (and every
//! client counts as the balancer; see README): the limit is a brake on bots, while the rules
//! that must hold exactly (one registration per address and date, seats) live in the database.

use crate::config::Limit;
use app::accounts::session::ClientAddr;
use app::AppError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use leptos::server_fn::ServerFn;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// The server functions counted as public writes: those anyone may call without an account,
/// including the four that cost an Argon2 hash or send a mail. Named by their own paths, so a
/// renamed endpoint cannot slip out of the limit.
const PUBLIC_WRITES: [&str; 15] = [
    <app::accounts::SignIn as ServerFn>::PATH,
    <app::accounts::RequestReset as ServerFn>::PATH,
    <app::accounts::ResetPassword as ServerFn>::PATH,
    <app::accounts::AcceptInvitation as ServerFn>::PATH,
    <app::calendar::Register as ServerFn>::PATH,
    <app::calendar::ConfirmRegistration as ServerFn>::PATH,
    <app::calendar::CancelRegistration as ServerFn>::PATH,
    <app::calendar::ReplaceRegistrationLink as ServerFn>::PATH,
    <app::pact::JoinPact as ServerFn>::PATH,
    <app::pact::ConfirmAdhesion as ServerFn>::PATH,
    <app::pact::ResendLinks as ServerFn>::PATH,
    <app::pact::UpdateAdhesion as ServerFn>::PATH,
    <app::pact::WithdrawAdhesion as ServerFn>::PATH,
    <app::pact::ReplaceAdhesionLink as ServerFn>::PATH,
    <app::pact::AcceptInvitation as ServerFn>::PATH,
];

pub struct PublicWrites {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    seen: AtomicU32,
}

impl PublicWrites {
    /// `None` when the limit is switched off (a per-minute rate of 0).
    pub fn new(limit: Limit) -> Option<Arc<Self>> {
        let rate = NonZeroU32::new(limit.per_minute)?;
        let burst = NonZeroU32::new(limit.burst).unwrap_or(rate);
        Some(Arc::new(Self {
            limiter: RateLimiter::keyed(Quota::per_minute(rate).allow_burst(burst)),
            seen: AtomicU32::new(0),
        }))
    }

    pub(crate) fn allows(&self, client: IpAddr) -> bool {
        // Forget clients whose quota is full again now and then, so memory stays bounded.
        if self.seen.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.limiter.retain_recent();
        }
        self.limiter.check_key(&client).is_ok()
    }
}

/// Answers a public write over the quota with 429, as the server function itself would; a
/// form posted without JavaScript goes back to its page, which shows the translated message.
pub async fn limit_public_writes(
    State(limits): State<Option<Arc<PublicWrites>>>,
    req: Request,
    next: Next,
) -> Response {
    let Some(limits) = limits else {
        return next.run(req).await;
    };
    let path = req.uri().path().to_owned();
    if req.method() != axum::http::Method::POST || !PUBLIC_WRITES.contains(&path.as_str()) {
        return next.run(req).await;
    }
    let Some(ClientAddr(client)) = req.extensions().get::<ClientAddr>().copied() else {
        return next.run(req).await;
    };
    if limits.allows(client) {
        return next.run(req).await;
    }
    tracing::warn!(%client, %path, "public write over the rate limit");
    let mut res = crate::refuse::refuse(req, AppError::TooManyRequests).await;
    if res.status() == StatusCode::TOO_MANY_REQUESTS {
        res.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("60"));
    }
    res
}

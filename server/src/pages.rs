//! Pages rendered by Leptos with what islands need and nothing more. Leptos's own handlers
//! append the data of every resource the page loaded after `</html>` as an inline script, for a
//! hydrating client: with islands no client reads it, and an inline script needs the pages'
//! policy to admit it. Here the page is the shell's HTML, whole, and nothing after it.

use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use futures::stream::{once, Stream, StreamExt as _};
use leptos::prelude::provide_context;
use leptos::IntoView;
use std::future::Future;
use std::pin::Pin;
use tower::ServiceExt as _;

type Chunks = Pin<Box<dyn Stream<Item = String> + Send>>;

/// The whole page once every resource has loaded (Leptos's `SsrMode::Async`), without the
/// resources' data.
fn whole_page<IV: IntoView + 'static>(
    app: IV,
    _resources: Box<dyn FnOnce() -> Chunks + Send>,
    _out_of_order: bool,
) -> Pin<Box<dyn Future<Output = Chunks> + Send>> {
    Box::pin(async move {
        let html = app.to_html_stream_in_order().collect::<String>().await;
        Box::pin(once(async move { html })) as Chunks
    })
}

async fn render(state: AppState, req: Request) -> Response {
    let options = state.leptos_options.clone();
    let context = crate::state::context(&state);
    leptos_axum::handle_response_inner(
        move || {
            provide_context(leptos_router::Method::Get);
            provide_context(state.clone());
            context();
        },
        move || app::shell(options),
        req,
        whole_page,
    )
    .await
}

/// A routed page.
pub async fn page(State(state): State<AppState>, req: Request) -> Response {
    render(state, req).await
}

/// A file of the built site (bundle, styles, images; precompressed ones as the browser
/// accepts), else the not-found page with its 404.
pub async fn file_or_not_found(State(state): State<AppState>, req: Request) -> Response {
    let mut file = Request::builder().uri(req.uri().clone());
    if let Some(accept) = req.headers().get(axum::http::header::ACCEPT_ENCODING) {
        file = file.header(axum::http::header::ACCEPT_ENCODING, accept);
    }
    let Ok(file) = file.body(Body::empty()) else {
        return StatusCode::BAD_REQUEST.into_response();
    };
    let served = tower_http::services::ServeDir::new(state.leptos_options.site_root.as_ref())
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(file)
        .await;
    match served {
        Ok(res) if res.status() == StatusCode::OK => res.into_response(),
        _ => {
            let mut res = render(state, req).await;
            if res.status() == StatusCode::OK {
                *res.status_mut() = StatusCode::NOT_FOUND;
            }
            res
        }
    }
}

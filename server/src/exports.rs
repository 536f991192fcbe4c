//! Downloads for coordinators, served outside the Leptos router because they are files.

use crate::state::AppState;
use app::accounts::session::AuthSession;
use app::AppError;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};

/// The registrations of one date as CSV, for someone who may manage its meeting.
pub async fn registrations_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(occurrence): Path<i64>,
) -> Response {
    csv_download(match &auth.user {
        None => Err(AppError::Unauthorized),
        Some(me) => app::calendar::manage::ops::registrations_csv(&state.db, me, occurrence).await,
    })
}

/// Every adhesion of a city's pact as CSV, for its coordinators.
pub async fn adhesions_csv(
    State(state): State<AppState>,
    auth: AuthSession,
    Path(slug): Path<String>,
) -> Response {
    csv_download(match &auth.user {
        None => Err(AppError::Unauthorized),
        Some(me) => app::pact::manage::ops::adhesions_csv(&state.db, me, &slug).await,
    })
}

/// A CSV file (body, file name) to download, or the error's status.
fn csv_download(result: Result<(String, String), AppError>) -> Response {
    match result {
        Ok((body, filename)) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/csv; charset=utf-8"),
                ),
                (
                    header::CONTENT_DISPOSITION,
                    HeaderValue::from_str(&format!("attachment; filename=\"{filename}\""))
                        .unwrap_or(HeaderValue::from_static("attachment")),
                ),
                // Personal data: never kept by a shared cache or the browser's.
                (
                    header::CACHE_CONTROL,
                    HeaderValue::from_static("private, no-store"),
                ),
            ],
            body,
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

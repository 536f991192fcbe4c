//! Learning City's pages, components and server functions, shared by the server (feature `ssr`)
//! and the browser bundle (feature `hydrate`). One folder per capability.

#![recursion_limit = "256"]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
mod calendar;
mod city;
mod error;
mod layout;
mod network;
mod pact;
mod routes;

pub use error::AppError;
pub use routes::{shell, App};

use serde::{Deserialize, Serialize};

/// Facts about this deployment that pages need (absolute links in meta tags).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SiteInfo {
    /// The public origin, without a trailing slash.
    pub public_url: String,
}

/// The database handle of this request, put in context by the server.
#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<db::Db, AppError> {
    leptos::prelude::use_context::<db::Db>().ok_or_else(|| {
        tracing::error!("no database handle in context");
        AppError::Internal
    })
}

//! Learning City's pages, components and server functions, shared by the server (feature `ssr`)
//! and the browser bundle (feature `hydrate`). One folder per capability.

#![recursion_limit = "256"]
// Outside the server's build `#[server]` turns each server function into a client function with
// the same arguments, and does not carry the function's own `allow` over to it.
#![cfg_attr(not(feature = "ssr"), allow(clippy::too_many_arguments))]

include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));

pub mod accounts;
#[cfg(feature = "ssr")]
pub mod audit;
#[cfg(feature = "ssr")]
pub mod boot;
pub mod calendar;
#[cfg(feature = "ssr")]
pub mod catalog;
mod city;
mod cluster;
#[cfg(feature = "ssr")]
mod collate;
mod coordinate;
mod directory;
pub mod embed;
mod error;
#[cfg(feature = "ssr")]
mod export;
mod forms;
pub mod frame;
mod layout;
#[cfg(feature = "ssr")]
pub mod mail;
pub mod map;
#[cfg(feature = "ssr")]
mod markdown;
mod network;
pub mod pact;
mod routes;

pub use error::{AppError, Invalid, KeptBounds, Problem};
pub use forms::PROBLEMS_ID;
#[cfg(feature = "ssr")]
pub use routes::shell;
pub use routes::App;

use serde::{Deserialize, Serialize};

/// Facts about this deployment that pages need (absolute links in meta tags).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SiteInfo {
    /// The public origin, without a trailing slash.
    pub public_url: String,
    /// The From mailbox of outgoing mail, e.g. `Learning City <no-reply@example.org>`.
    pub mail_from: String,
    /// Raster tiles under the city maps, when the deployment names a tile server.
    pub tiles: Option<TileLayer>,
    /// How long registrations are kept, as the registration form tells people.
    pub registration_days: RegistrationDays,
}

/// Days a registration is kept: never confirmed, and after its date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegistrationDays {
    pub unconfirmed: u32,
    pub after: u32,
}

impl Default for RegistrationDays {
    fn default() -> Self {
        Self {
            unconfirmed: 7,
            after: 30,
        }
    }
}

/// A raster tile server in the `{z}/{x}/{y}` scheme (OpenStreetMap's and most others'), with
/// the credit its licence asks for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileLayer {
    /// An https URL with `{z}`, `{x}` and `{y}`, e.g. `https://tile.example.org/{z}/{x}/{y}.png`.
    pub url: String,
    pub attribution: String,
}

impl TileLayer {
    /// The scheme and host the tiles come from, for the pages' Content-Security-Policy.
    pub fn origin(&self) -> Option<String> {
        let rest = self.url.strip_prefix("https://")?;
        let host = rest.split('/').next()?;
        (!host.is_empty()).then(|| format!("https://{host}"))
    }
}

/// A city, cluster or sector as a page lists it or a form offers it: the slug it links to or
/// sends, the name it shows.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Named {
    pub slug: String,
    pub name: domain::Localized,
}

/// The site's language named by `tag`, English for anything else.
pub fn locale_of(tag: &str) -> i18n::Locale {
    locale_named(tag).unwrap_or_default()
}

/// The site's language named exactly by `tag`, if it has one: the languages are those of
/// app/locales, never a list written out in code.
pub fn locale_named(tag: &str) -> Option<i18n::Locale> {
    use leptos_i18n::Locale as _;
    i18n::Locale::get_all()
        .iter()
        .copied()
        .find(|l| l.as_str() == tag)
}

/// The tags of the site's languages ("en", "it"), for messages that list them.
pub fn locale_tags() -> Vec<&'static str> {
    use leptos_i18n::Locale as _;
    i18n::Locale::get_all().iter().map(|l| l.as_str()).collect()
}

/// After a server function: go to `path` in the language of the page that called it (a plain
/// form follows the redirect; the hydrated page navigates).
#[cfg(feature = "ssr")]
pub(crate) fn redirect_to(lang: &str, path: &str) {
    use leptos_i18n::Locale as _;
    let lang = locale_of(lang).as_str();
    // A form posted from inside a widget answers inside it.
    let target = frame::framed_redirect(lang, path).unwrap_or_else(|| format!("/{lang}/{path}"));
    leptos_axum::redirect(&target);
}

#[cfg(feature = "ssr")]
pub(crate) fn site() -> Result<SiteInfo, AppError> {
    leptos::prelude::use_context::<SiteInfo>().ok_or_else(|| {
        tracing::error!("no site settings in context");
        AppError::Internal
    })
}

/// The key personal links are derived under, put in context by the server.
#[cfg(feature = "ssr")]
pub(crate) fn link_key() -> Result<db::links::LinkKey, AppError> {
    leptos::prelude::use_context::<db::links::LinkKey>().ok_or_else(|| {
        tracing::error!("no link key in context");
        AppError::Internal
    })
}

/// The database handle of this request, put in context by the server.
#[cfg(feature = "ssr")]
pub(crate) fn db() -> Result<db::Db, AppError> {
    leptos::prelude::use_context::<db::Db>().ok_or_else(|| {
        tracing::error!("no database handle in context");
        AppError::Internal
    })
}

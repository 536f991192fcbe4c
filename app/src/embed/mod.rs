//! Widgets for municipal sites: the calendar, a meeting with its registration form, the maps,
//! the pact's sign-up form, its adherents and an adherent's badge, each as a page under
//! `/embed/{lang}/…` without the site's header and footer, built from the full pages' own
//! components. Inside a widget, links to full pages open in the top window (the page's `<base
//! target="_top">`); the links and forms that stay inside say so and carry the widget's theme.
//!
//! Who may frame a widget is the server's Content-Security-Policy ([`ops::framing`]): anyone
//! for a widget that only shows, the origins a city's coordinators allowed (and the network's)
//! for one with a form. The builder in the coordinator area edits those origins.

mod builder;
mod guide;
#[cfg(feature = "ssr")]
pub mod ops;
mod pages;

pub use crate::frame::*;
pub use builder::EmbedBuilderPage;
pub use guide::EmbedGuidePage;
pub use pages::*;

use crate::AppError;
use domain::CityRef;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// An allowed origin as the builder lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OriginView {
    pub id: i64,
    pub origin: String,
    /// The network's: allowed for every city, removed by administrators only.
    pub network: bool,
    pub removable: bool,
}

/// What the embed builder offers its coordinator.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Builder {
    /// The cities this person coordinates (every city, for an administrator).
    pub cities: Vec<CityRef>,
    pub clusters: Vec<crate::Named>,
    pub admin: bool,
    /// The chosen city's allowed origins (the network's among them); the network's alone when
    /// no city is chosen.
    pub origins: Vec<OriginView>,
    /// The chosen city's sectors, for the calendar's filter.
    pub sectors: Vec<crate::Named>,
    /// The chosen city's next dates, for the meeting widget.
    pub meetings: Vec<MeetingOption>,
    /// The site's own address, for the snippets.
    pub public_url: String,
}

/// A date the meeting widget may show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MeetingOption {
    /// The date's id, as the widget's address names it.
    pub id: i64,
    /// Its local start and its title: "2021-01-19 17:30 · Reading circle".
    pub label: String,
}

#[server(endpoint = "embed_builder")]
pub async fn get_builder(lang: String, city: String) -> Result<Builder, AppError> {
    ops::builder(&lang, &city).await
}

#[server(endpoint = "allow_origin")]
pub async fn allow_origin(lang: String, city: String, origin: String) -> Result<(), AppError> {
    ops::allow(&lang, &city, &origin).await
}

#[server(endpoint = "forbid_origin")]
pub async fn forbid_origin(lang: String, city: String, id: i64) -> Result<(), AppError> {
    ops::forbid(&lang, &city, id).await
}

//! Meeting calendars: the network's, each city's and each cluster's, the meeting pages, and
//! registration without an account (double opt-in, seats, waitlist, personal link).

#[cfg(feature = "ssr")]
pub mod feeds;
#[cfg(feature = "ssr")]
pub(crate) mod ics;
pub mod manage;
#[cfg(feature = "ssr")]
pub mod ops;
mod pages;
#[cfg(feature = "ssr")]
pub mod read;
mod zone;

pub use pages::*;

use crate::{AppError, Invalid};
use chrono::NaiveDate;
use domain::{CalendarQuery, MeetingDetail, MeetingSummary, RegistrationView};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What the calendar page shows: the query it answers, the meetings, and what its filter form
/// offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CalendarData {
    pub query: CalendarQuery,
    pub meetings: Vec<MeetingSummary>,
    /// Whether the agenda has a next page.
    pub more: bool,
    /// First and last day covered.
    pub first: NaiveDate,
    pub last: Option<NaiveDate>,
    pub today: NaiveDate,
    pub options: FilterOptions,
    /// The site's public origin, for subscription links.
    pub public_url: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FilterOptions {
    pub cities: Vec<Named>,
    pub clusters: Vec<Named>,
    pub sectors: Vec<Named>,
}

pub use crate::Named;

/// How a registration form ended, for the page to say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Registration {
    /// A confirmation link is on its way.
    CheckMail,
    /// This address was already registered; its personal link was sent again.
    Already,
}

#[server(endpoint = "calendar")]
pub async fn get_calendar(lang: String, query: String) -> Result<CalendarData, AppError> {
    read::calendar(&lang, &query).await
}

#[server(endpoint = "meeting")]
pub async fn get_meeting(lang: String, id: i64) -> Result<MeetingDetail, AppError> {
    read::meeting(&lang, id).await
}

#[server(endpoint = "register")]
#[allow(clippy::too_many_arguments)]
pub async fn register(
    lang: String,
    occurrence: i64,
    name: String,
    email: String,
    #[server(default)] organisation: String,
    #[server(default)] needs: String,
    #[server(default)] consent: Option<String>,
    // A field people never see: bots fill it in.
    #[server(default)] website: String,
) -> Result<Registration, AppError> {
    ops::register(
        &lang,
        occurrence,
        ops::Form {
            name,
            email,
            organisation,
            needs,
            consent: consent.is_some(),
            honeypot: website,
        },
    )
    .await
}

#[server(endpoint = "registration")]
pub async fn get_registration(lang: String, token: String) -> Result<RegistrationView, AppError> {
    ops::registration(&lang, &token).await
}

#[server(endpoint = "confirm_registration")]
pub async fn confirm_registration(lang: String, token: String) -> Result<(), AppError> {
    ops::confirm(&lang, &token).await
}

#[server(endpoint = "cancel_registration")]
pub async fn cancel_registration(lang: String, token: String) -> Result<(), AppError> {
    ops::cancel(&lang, &token).await
}

/// Gives a registration a new personal link, sent to its address; the one used here stops
/// working (for a link that was forwarded or shared by mistake).
#[server(endpoint = "replace_registration_link")]
pub async fn replace_registration_link(lang: String, token: String) -> Result<(), AppError> {
    ops::replace_link(&lang, &token).await
}

/// The field names of the registration form, for its problems.
pub const REGISTRATION_FIELDS: [&str; 5] = ["name", "email", "organisation", "needs", "consent"];

/// Problem text of a registration form refused as a whole.
pub fn form_problem(e: &AppError) -> Option<crate::Problem> {
    e.invalid().and_then(|i: &Invalid| i.problem(Invalid::FORM))
}

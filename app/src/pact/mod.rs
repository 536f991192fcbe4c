//! Pacts for lifelong learning: each city's pact (versioned text, promoting partners,
//! commitments, the public list of adherents), the sign-up of organisations with a double
//! opt-in, their personal page (update, withdraw, download), certificates and badges, and the
//! coordination table's invitations. `manage` is the coordinators' side.

pub mod manage;
#[cfg(feature = "ssr")]
pub mod ops;
mod pages;
#[cfg(feature = "ssr")]
pub mod upload;

pub use pages::*;

use crate::AppError;
use chrono::NaiveDate;
use domain::{AdhesionStatus, CityRef, Localized, PactPartner, Sector};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// Adherents per page of the public list.
pub const PAGE_SIZE: i64 = 25;

/// The public list's filters and the version of the text asked for, as the URL carries them
/// (read in `domain`, with the other pages' query strings, where it is fuzzed).
pub use domain::filters::{url_pairs, PactQuery};

/// A city's pact as its public page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PactView {
    pub city: CityRef,
    pub title: Localized,
    /// The day on which the promoting partners signed.
    pub signed_on: Option<NaiveDate>,
    /// The version shown (the current one unless another was asked for); `None` before any
    /// text is published.
    pub version: Option<VersionView>,
    pub current: Option<i32>,
    pub versions: Vec<VersionRef>,
    pub partners: Vec<PactPartner>,
    pub commitments: Vec<CommitmentView>,
    pub sectors: Vec<Sector>,
    pub counts: Vec<SectorCount>,
    /// Approved adhesions, listed or not.
    pub approved: i64,
    pub query: PactQuery,
    pub adherents: Vec<AdherentView>,
    /// Adherents matching the query.
    pub matching: i64,
    pub more: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionView {
    pub number: i32,
    /// The day it was published, in the city's time zone.
    pub published: NaiveDate,
    /// The text in the reader's language, sanitised HTML.
    pub html: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VersionRef {
    pub number: i32,
    pub published: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentView {
    pub id: i64,
    pub label: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorCount {
    pub slug: Option<String>,
    pub name: Option<Localized>,
    pub count: i64,
}

/// An organisation on the public list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdherentView {
    pub id: i64,
    pub organisation: String,
    pub legal_form: String,
    pub sector: Option<Localized>,
    pub website: Option<String>,
    pub address: String,
    pub position: Option<(f64, f64)>,
    pub commitments: Vec<Localized>,
    /// Where its logo is served, if it has one.
    pub logo: Option<String>,
    /// The day of approval, else of confirmation; `None` when neither was recorded, which the
    /// pages then leave unsaid rather than show a made-up day.
    pub since: Option<NaiveDate>,
    pub version: i32,
}

/// What the sign-up form offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JoinForm {
    pub city: CityRef,
    pub title: Localized,
    /// The version an adhesion now would sign; `None` while no text is published.
    pub version: Option<i32>,
    pub commitments: Vec<CommitmentView>,
    pub sectors: Vec<Sector>,
}

/// The form's fields as text, to fill it in again (a coordinator's edit, the personal page).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub organisation: String,
    pub legal_form: String,
    pub sector: String,
    pub tax_code: String,
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    pub website: String,
    pub contact_name: String,
    pub email: String,
    pub phone: String,
    pub representative: String,
    pub listed: bool,
    pub commitments: Vec<i64>,
}

/// What a confirmation link finds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LinkState {
    /// Ready to be confirmed.
    Ready,
    /// Confirmed before.
    Used,
    /// Too late: a new link can be sent.
    Expired,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Confirmation {
    pub state: LinkState,
    pub organisation: String,
    pub city: Option<CityRef>,
    pub title: Localized,
}

/// An adhesion as its own organisation sees it through the personal link.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdhesionView {
    pub id: i64,
    pub city: CityRef,
    pub title: Localized,
    pub status: AdhesionStatus,
    pub reason: String,
    pub version: i32,
    pub draft: Draft,
    pub has_logo: bool,
    pub form: JoinForm,
    /// Days in the city's time zone.
    pub submitted: NaiveDate,
    pub confirmed: Option<NaiveDate>,
    pub decided: Option<NaiveDate>,
}

/// A certificate of adhesion, public for approved adherents on the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certificate {
    pub adherent: AdherentView,
    pub city: CityRef,
    pub title: Localized,
    pub partners: Vec<PactPartner>,
    /// Absolute addresses, for the badge's embed code.
    pub list_url: String,
    pub badge_url: String,
}

/// An invitation of the coordination table, as its one-click link opens it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationView {
    pub organisation: String,
    pub contact_name: String,
    pub meeting_id: i64,
    pub title: String,
    pub dates: Vec<InvitationDate>,
    pub accepted: bool,
}

/// An upcoming date an invitation registers for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationDate {
    pub occurrence: i64,
    /// As the reader's language writes it: "Tuesday 19 January 2021, 17:30–19:00 (Europe/Rome)".
    pub when: String,
}

#[server(endpoint = "pact")]
pub async fn get_pact(lang: String, slug: String, query: String) -> Result<PactView, AppError> {
    ops::pact_page(&lang, &slug, &query).await
}

#[server(endpoint = "pact_cities")]
pub async fn get_pact_cities() -> Result<Vec<CityRef>, AppError> {
    Ok(crate::db()?.cities_with_pact().await?)
}

#[server(endpoint = "pact_form")]
pub async fn get_join_form(lang: String, slug: String) -> Result<JoinForm, AppError> {
    ops::join_form(&lang, &slug).await
}

/// Where the sign-up form is posted: `join_pact` below.
pub const JOIN_PATH: &str = "/api/pact_join";
/// Where the organisation's details form is posted: `update_adhesion` below.
pub const UPDATE_PATH: &str = "/api/pact_update";

/// The sign-up: a multipart form (it may carry a logo), posted by the browser without
/// JavaScript or sent by the page with it (see `UploadForm`). Defined for the server only: the
/// browser never calls it through the server-function client.
#[cfg(feature = "ssr")]
#[server(input = MultipartFormData, endpoint = "pact_join")]
pub async fn join_pact(data: MultipartData) -> Result<(), AppError> {
    ops::join(data).await
}

#[server(endpoint = "pact_confirmation")]
pub async fn get_confirmation(lang: String, token: String) -> Result<Confirmation, AppError> {
    ops::confirmation(&lang, &token).await
}

#[server(endpoint = "pact_confirm")]
pub async fn confirm_adhesion(lang: String, token: String) -> Result<(), AppError> {
    ops::confirm(&lang, &token).await
}

/// Sends an organisation's links again: a new confirmation link to an adhesion not yet
/// confirmed, a new personal link to one confirmed. The answer never says whether the address
/// is known.
#[server(endpoint = "pact_resend")]
pub async fn resend_links(lang: String, slug: String, email: String) -> Result<(), AppError> {
    ops::resend(&lang, &slug, &email).await
}

#[server(endpoint = "pact_adhesion")]
pub async fn get_adhesion(lang: String, token: String) -> Result<AdhesionView, AppError> {
    ops::adhesion(&lang, &token).await
}

/// Changes an adhesion's details through the personal link (multipart: a new logo may come).
#[cfg(feature = "ssr")]
#[server(input = MultipartFormData, endpoint = "pact_update")]
pub async fn update_adhesion(data: MultipartData) -> Result<(), AppError> {
    ops::update(data).await
}

#[server(endpoint = "pact_withdraw")]
pub async fn withdraw_adhesion(
    lang: String,
    token: String,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    ops::withdraw(&lang, &token, confirm.is_some()).await
}

/// Gives an adhesion a new personal link, sent to its contact address; the one used here stops
/// working (for a link that was forwarded or shared by mistake).
#[server(endpoint = "pact_replace_link")]
pub async fn replace_adhesion_link(lang: String, token: String) -> Result<(), AppError> {
    ops::replace_link(&lang, &token).await
}

#[server(endpoint = "pact_certificate")]
pub async fn get_certificate(lang: String, slug: String, id: i64) -> Result<Certificate, AppError> {
    ops::certificate(&lang, &slug, id).await
}

#[server(endpoint = "pact_invitation")]
pub async fn get_invitation(lang: String, token: String) -> Result<InvitationView, AppError> {
    ops::invitation(&lang, &token).await
}

#[server(endpoint = "pact_accept")]
pub async fn accept_invitation(lang: String, token: String) -> Result<(), AppError> {
    ops::accept(&lang, &token).await
}

/// The sign-up form's fields, in the order they are checked and shown.
pub const FIELDS: [&str; 17] = [
    "organisation",
    "legal_form",
    "sector",
    "tax_code",
    "address",
    "latitude",
    "longitude",
    "website",
    "contact_name",
    "email",
    "phone",
    "representative",
    "authority",
    "commitments",
    "privacy",
    "listed",
    "logo",
];

#[cfg(test)]
mod tests {
    #[cfg(feature = "ssr")]
    #[test]
    fn the_upload_forms_post_where_their_functions_listen() {
        use super::*;
        use leptos::server_fn::ServerFn;
        assert_eq!(JoinPact::PATH, JOIN_PATH);
        assert_eq!(UpdateAdhesion::PATH, UPDATE_PATH);
        assert_eq!(manage::EditAdhesion::PATH, manage::EDIT_PATH);
    }
}

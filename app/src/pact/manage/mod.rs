//! The coordinators' side of pacts: the moderation queue of a city's adhesions (approve,
//! reject with a reason, edit), the pact's administration (text and versions, partners,
//! commitments, sectors), exports, and the coordination table's invitations. Every function
//! checks the caller's role for the pact's own city.

#[cfg(feature = "ssr")]
pub mod ops;
mod pages;

pub use pages::*;

use super::{Draft, JoinForm, VersionRef};
use crate::AppError;
use chrono::NaiveDate;
use domain::{AdhesionStatus, CityRef, Localized, Sector};
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use serde::{Deserialize, Serialize};

/// Adhesions per page of the moderation queue.
pub const QUEUE_PAGE: i64 = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Queue {
    pub city: CityRef,
    pub title: Localized,
    /// Adhesions in each state, for the filter's labels.
    pub counts: Vec<StatusCount>,
    /// The filter: a status (empty: those waiting for a decision), a sector, a name.
    pub status: String,
    pub sector: String,
    pub q: String,
    pub page: u32,
    pub more: bool,
    pub total: i64,
    pub items: Vec<QueueItem>,
    pub sectors: Vec<Sector>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusCount {
    pub status: AdhesionStatus,
    pub count: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub organisation: String,
    pub status: AdhesionStatus,
    pub sector: Option<Localized>,
    pub contact_name: String,
    pub email: String,
    pub submitted: NaiveDate,
}

/// One adhesion as its city's coordinators see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdhesionAdmin {
    pub id: i64,
    pub city: CityRef,
    pub title: Localized,
    pub status: AdhesionStatus,
    pub reason: String,
    pub version: i32,
    pub draft: Draft,
    pub form: JoinForm,
    pub has_logo: bool,
    pub listed: bool,
    pub anonymised: bool,
    /// In order: submitted, confirmed, decided, withdrawn, anonymised.
    pub history: Vec<Milestone>,
    /// Meetings the adherent was invited to.
    pub invitations: Vec<AdhesionInvitation>,
}

/// What happened to an adhesion, and on which day (in the city's time zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub event: AdhesionEvent,
    pub on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AdhesionEvent {
    Submitted,
    Confirmed,
    Decided,
    Withdrawn,
    Anonymised,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdhesionInvitation {
    pub meeting: String,
    pub sent: NaiveDate,
    pub accepted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PactAdmin {
    pub city: CityRef,
    pub title_en: String,
    pub title_it: String,
    pub signed_on: Option<NaiveDate>,
    pub text_en: String,
    pub text_it: String,
    pub versions: Vec<VersionRef>,
    pub partners: Vec<PartnerAdmin>,
    pub commitments: Vec<CommitmentAdmin>,
    pub sectors: Vec<SectorAdmin>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerAdmin {
    pub id: i64,
    pub name: String,
    pub role_en: String,
    pub role_it: String,
    pub website: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentAdmin {
    pub id: i64,
    pub slug: String,
    pub label_en: String,
    pub label_it: String,
    pub retired: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorAdmin {
    pub id: i64,
    pub slug: String,
    pub name_en: String,
    pub name_it: String,
}

/// The coordination table: whom to invite to which meeting, and who was invited.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub city: CityRef,
    /// Upcoming meetings of the city.
    pub meetings: Vec<TableMeeting>,
    pub sectors: Vec<Sector>,
    /// Approved adherents, all sectors.
    pub approved: i64,
    pub invitations: Vec<TableInvitation>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableMeeting {
    pub id: i64,
    pub title: String,
    /// Its next date and time as the reader's language writes them; empty when it has none.
    pub next: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableInvitation {
    pub organisation: String,
    pub meeting: String,
    /// Days in the city's time zone.
    pub sent: NaiveDate,
    pub accepted: Option<NaiveDate>,
}

/// What a coordinator decides about an adhesion, as the decision forms post it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Decision {
    Approve,
    Reject,
}

impl Decision {
    /// The word the forms post.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Reject => "reject",
        }
    }
}

#[server(endpoint = "pact_queue")]
pub async fn get_queue(lang: String, slug: String, query: String) -> Result<Queue, AppError> {
    ops::queue(&lang, &slug, &query).await
}

#[server(endpoint = "pact_adhesion_admin")]
pub async fn get_adhesion_admin(lang: String, id: i64) -> Result<AdhesionAdmin, AppError> {
    ops::adhesion(&lang, id).await
}

/// Approves or rejects an adhesion (a rejection needs a reason, which the organisation is
/// told). Any other decision is refused with the body, as a malformed form.
#[server(endpoint = "pact_decide")]
pub async fn decide_adhesion(
    lang: String,
    id: i64,
    decision: Decision,
    #[server(default)] reason: String,
) -> Result<(), AppError> {
    ops::decide(&lang, id, decision, &reason).await
}

/// Where a coordinator's edit of an adhesion is posted: `edit_adhesion` below.
pub const EDIT_PATH: &str = "/api/pact_edit";

/// A coordinator's edit of an adhesion's details (multipart: the logo may change).
#[cfg(feature = "ssr")]
#[server(input = MultipartFormData, endpoint = "pact_edit")]
pub async fn edit_adhesion(data: MultipartData) -> Result<(), AppError> {
    ops::edit(data).await
}

#[server(endpoint = "pact_admin")]
pub async fn get_pact_admin(lang: String, slug: String) -> Result<PactAdmin, AppError> {
    ops::pact_admin(&lang, &slug).await
}

/// Saves the pact's title and date; a changed text is published as a new version.
#[server(endpoint = "pact_save")]
pub async fn save_pact(
    lang: String,
    slug: String,
    title_en: String,
    title_it: String,
    #[server(default)] signed_on: String,
    #[server(default)] text_en: String,
    #[server(default)] text_it: String,
) -> Result<(), AppError> {
    let form = ops::PactForm {
        title_en: &title_en,
        title_it: &title_it,
        signed_on: &signed_on,
        text_en: &text_en,
        text_it: &text_it,
    };
    ops::save_pact(&lang, &slug, form).await
}

#[server(endpoint = "pact_partner")]
#[allow(clippy::too_many_arguments)]
pub async fn save_partner(
    lang: String,
    slug: String,
    #[server(default)] id: Option<i64>,
    #[server(default)] name: String,
    #[server(default)] role_en: String,
    #[server(default)] role_it: String,
    #[server(default)] website: String,
    #[server(default)] remove: Option<String>,
) -> Result<(), AppError> {
    let form = ops::PartnerForm {
        name: &name,
        role_en: &role_en,
        role_it: &role_it,
        website: &website,
    };
    ops::save_partner(&lang, &slug, id, form, remove.is_some()).await
}

#[server(endpoint = "pact_commitment")]
#[allow(clippy::too_many_arguments)]
pub async fn save_commitment(
    lang: String,
    slug: String,
    #[server(default)] id: Option<i64>,
    #[server(default)] key: String,
    #[server(default)] label_en: String,
    #[server(default)] label_it: String,
    #[server(default)] retired: Option<String>,
) -> Result<(), AppError> {
    let form = ops::KeyedForm {
        key: &key,
        en: &label_en,
        it: &label_it,
    };
    ops::save_commitment(&lang, &slug, id, form, retired.is_some()).await
}

#[server(endpoint = "pact_sector")]
#[allow(clippy::too_many_arguments)]
pub async fn save_sector(
    lang: String,
    slug: String,
    #[server(default)] id: Option<i64>,
    #[server(default)] key: String,
    #[server(default)] name_en: String,
    #[server(default)] name_it: String,
    #[server(default)] remove: Option<String>,
) -> Result<(), AppError> {
    let form = ops::KeyedForm {
        key: &key,
        en: &name_en,
        it: &name_it,
    };
    ops::save_sector(&lang, &slug, id, form, remove.is_some()).await
}

#[server(endpoint = "pact_table")]
pub async fn get_table(lang: String, slug: String) -> Result<Table, AppError> {
    ops::table(&lang, &slug).await
}

/// Invites the approved adherents of the chosen sectors (all, when none is chosen) to a meeting
/// of the city, each with a one-click registration link.
#[server(endpoint = "pact_invite")]
pub async fn invite_table(
    lang: String,
    slug: String,
    #[server(default)] meeting: Option<i64>,
    #[server(default)] sectors: Vec<String>,
) -> Result<(), AppError> {
    ops::invite(&lang, &slug, meeting, &sectors).await
}

#[cfg(test)]
mod tests {
    use super::Decision;
    use serde::de::value::{Error, StrDeserializer};
    use serde::de::IntoDeserializer;
    use serde::Deserialize;

    fn read(word: &str) -> Option<Decision> {
        let posted: StrDeserializer<'_, Error> = word.into_deserializer();
        Decision::deserialize(posted).ok()
    }

    #[test]
    fn a_decision_is_one_of_the_words_the_forms_post() {
        for decision in [Decision::Approve, Decision::Reject] {
            assert_eq!(read(decision.as_str()), Some(decision));
        }
        for word in ["", "Approve", "approved", "rejected", "maybe"] {
            assert_eq!(read(word), None, "{word:?}");
        }
    }
}

//! The coordinator's side of the calendar: their meetings, the meeting form (create, edit,
//! duplicate), cancelling and deleting, the dates of a series, and the people registered for
//! each date. Every function checks the caller's role for the meeting's own city or cluster.

#[cfg(feature = "ssr")]
pub mod ops;
mod pages;

pub use pages::*;

use crate::AppError;
use chrono::NaiveDateTime;
use domain::{Localized, Moment, Organiser, RegistrationStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A city or cluster a coordinator may publish for, as the form names it: `city:lucca`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnerOption {
    pub value: String,
    pub name: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedList {
    pub past: bool,
    pub page: u32,
    pub more: bool,
    pub items: Vec<ManagedItem>,
    pub owners: Vec<OwnerOption>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ManagedItem {
    pub id: i64,
    pub title: String,
    pub organiser: Organiser,
    /// The next date (or the last, for a past meeting).
    pub date: Option<DateRef>,
    pub recurring: bool,
    pub cancelled: bool,
    pub dates: i64,
    pub confirmed: i64,
    pub waiting: i64,
}

/// The meeting form's fields as text, exactly as the form shows and sends them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    pub title: String,
    pub description: String,
    pub sector: String,
    pub language: String,
    pub audience: String,
    pub mode: String,
    pub place: String,
    pub address: String,
    pub latitude: String,
    pub longitude: String,
    pub online_link: String,
    pub timezone: String,
    pub start: String,
    pub end: String,
    pub repeat: String,
    pub rrule: String,
    pub count: String,
    pub until: String,
    pub exceptions: String,
    pub capacity: String,
    pub registration: bool,
    pub opens: String,
    pub closes: String,
    pub reminders: String,
}

/// The meeting form's page: what to fill it with and what its choices are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DraftPage {
    /// `None` for a new meeting (possibly a copy).
    pub meeting_id: Option<i64>,
    pub owner: OwnerOption,
    pub draft: Draft,
    pub sectors: Vec<crate::Named>,
    pub zones: Vec<String>,
    pub cancelled: bool,
    pub dates: Vec<DateAdmin>,
}

/// One date of a meeting as its organisers manage it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateAdmin {
    pub id: i64,
    pub starts: Moment,
    pub ends: Moment,
    pub moved: bool,
    pub cancelled: bool,
    /// False when an edit of the rule dropped this date (kept for its registrants).
    pub in_rule: bool,
    pub past: bool,
    pub taken: i32,
    pub waiting: i64,
    pub pending: i64,
}

/// Who registered for one date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendees {
    pub meeting_id: i64,
    pub occurrence: i64,
    pub title: String,
    pub starts: Moment,
    pub ends: Moment,
    pub timezone: String,
    pub capacity: Option<i32>,
    pub taken: i32,
    pub cancelled: bool,
    pub past: bool,
    pub people: Vec<Attendee>,
    /// Other upcoming dates of the same meeting, to move someone to.
    pub other_dates: Vec<DateRef>,
}

/// A date of a meeting, named by when it starts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DateRef {
    pub occurrence: i64,
    pub starts: Moment,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Attendee {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub needs: String,
    pub status: RegistrationStatus,
    pub position: Option<i64>,
    pub attended: Option<bool>,
    /// When they registered, in the meeting's zone.
    pub registered: NaiveDateTime,
}

/// What a coordinator does to one registration, as its forms' `action` field names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegistrationAction {
    /// A waiting person gets a free seat out of turn.
    Seat,
    Remove,
    Present,
    Absent,
    /// To another date, the form's `target`.
    Move,
}

impl RegistrationAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationAction::Seat => "seat",
            RegistrationAction::Remove => "remove",
            RegistrationAction::Present => "present",
            RegistrationAction::Absent => "absent",
            RegistrationAction::Move => "move",
        }
    }
}

#[server(endpoint = "managed_meetings")]
pub async fn get_managed_meetings(
    lang: String,
    past: bool,
    page: u32,
) -> Result<ManagedList, AppError> {
    ops::managed(&lang, past, page).await
}

#[server(endpoint = "meeting_draft")]
pub async fn get_meeting_draft(
    lang: String,
    id: Option<i64>,
    owner: Option<String>,
    copy: Option<i64>,
) -> Result<DraftPage, AppError> {
    ops::draft_page(&lang, id, owner, copy).await
}

/// Creates (without `id`) or changes a meeting; people registered for a date whose time
/// changes, or that the new schedule drops, are told by mail with an updated calendar entry.
#[server(endpoint = "save_meeting")]
#[allow(clippy::too_many_arguments)]
pub async fn save_meeting(
    lang: String,
    #[server(default)] id: Option<i64>,
    owner: String,
    title: String,
    #[server(default)] description: String,
    #[server(default)] sector: String,
    language: String,
    audience: String,
    mode: String,
    #[server(default)] place: String,
    #[server(default)] address: String,
    #[server(default)] latitude: String,
    #[server(default)] longitude: String,
    #[server(default)] online_link: String,
    timezone: String,
    start: String,
    end: String,
    #[server(default)] repeat: String,
    #[server(default)] rrule: String,
    #[server(default)] count: String,
    #[server(default)] until: String,
    #[server(default)] exceptions: String,
    #[server(default)] capacity: String,
    #[server(default)] registration: Option<String>,
    #[server(default)] opens: String,
    #[server(default)] closes: String,
    #[server(default)] reminders: String,
) -> Result<(), AppError> {
    let draft = Draft {
        title,
        description,
        sector,
        language,
        audience,
        mode,
        place,
        address,
        latitude,
        longitude,
        online_link,
        timezone,
        start,
        end,
        repeat,
        rrule,
        count,
        until,
        exceptions,
        capacity,
        registration: registration.is_some(),
        opens,
        closes,
        reminders,
    };
    ops::save(&lang, id, &owner, draft).await
}

#[server(endpoint = "cancel_meeting")]
pub async fn cancel_meeting(lang: String, id: i64) -> Result<(), AppError> {
    ops::cancel_meeting(&lang, id).await
}

/// Deletes a meeting for good; `confirm` must be ticked. Registrants of dates still ahead are
/// told it is cancelled.
#[server(endpoint = "delete_meeting")]
pub async fn delete_meeting(
    lang: String,
    id: i64,
    #[server(default)] confirm: Option<String>,
) -> Result<(), AppError> {
    ops::delete_meeting(&lang, id, confirm.is_some()).await
}

#[server(endpoint = "move_date")]
pub async fn move_date(
    lang: String,
    occurrence: i64,
    start: String,
    end: String,
) -> Result<(), AppError> {
    ops::move_date(&lang, occurrence, &start, &end).await
}

#[server(endpoint = "cancel_date")]
pub async fn cancel_date(lang: String, occurrence: i64) -> Result<(), AppError> {
    ops::switch_date(&lang, occurrence, true).await
}

#[server(endpoint = "reinstate_date")]
pub async fn reinstate_date(lang: String, occurrence: i64) -> Result<(), AppError> {
    ops::switch_date(&lang, occurrence, false).await
}

#[server(endpoint = "attendees")]
pub async fn get_attendees(lang: String, occurrence: i64) -> Result<Attendees, AppError> {
    ops::attendees(&lang, occurrence).await
}

/// What a coordinator does to one registration; `target` is the date a `move` goes to.
#[server(endpoint = "manage_registration")]
pub async fn manage_registration(
    lang: String,
    registration: i64,
    action: RegistrationAction,
    #[server(default)] target: Option<i64>,
) -> Result<(), AppError> {
    ops::manage_registration(&lang, registration, action, target).await
}

/// Mails everyone with a seat (and, if asked, the waitlist) of one date.
#[server(endpoint = "message_registrants")]
pub async fn message_registrants(
    lang: String,
    occurrence: i64,
    subject: String,
    body: String,
    #[server(default)] waitlist: Option<String>,
) -> Result<(), AppError> {
    ops::message_registrants(&lang, occurrence, &subject, &body, waitlist.is_some()).await
}

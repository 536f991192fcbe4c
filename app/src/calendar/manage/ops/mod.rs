//! The server side of meeting management, one file per job: who may manage what (`access`),
//! the meeting form (`draft`) and its rules (`rules`), the letters to registrants (`letters`),
//! dates called off or moved (`dates`) and the people registered (`registrations`). Here: the
//! form's limits.

use super::{
    Attendee, Attendees, DateAdmin, DateRef, Draft, DraftPage, ManagedItem, ManagedList,
    OwnerOption, RegistrationAction,
};
use crate::accounts::ops::{greeting, link};
use crate::accounts::session::{require_user, SessionUser};
use crate::audit::{self, Action, Target};
use crate::calendar::ops::{placed_letter, when, Placement};
use crate::calendar::read::{moment, summary};
use crate::forms::input::{optional_text, problem_of, required_text};
use crate::i18n::Locale;
use crate::mail::Letter;
use crate::Named;
use crate::{AppError, Invalid, Problem, SiteInfo};
use chrono::{NaiveDate, NaiveDateTime, Utc};
use db::meetings::{
    self, ManagedScope, MeetingRow, Moved, NewMeeting, OccurrenceRow, Owner, RegistrationRow,
};
use db::{Db, Tx};
use domain::schedule::{parse_local, Part, Repeat, Schedule, Zone};
use domain::{
    format_reminders, parse_reminders, Audience, CityRef, Email, Localized, Mode, Organiser,
    RegistrationStatus, MEETING_LANGUAGES,
};

mod access;
mod dates;
mod draft;
mod letters;
mod registrations;
mod rules;

pub use access::*;
pub use dates::*;
pub use draft::*;
use letters::*;
pub use registrations::*;
use rules::*;

pub const MAX_TITLE: usize = 200;
pub const MAX_DESCRIPTION: usize = 10_000;
pub const MAX_PLACE: usize = 200;
pub const MAX_LINK: usize = 500;
pub const MAX_CAPACITY: i32 = 100_000;
pub const MAX_SUBJECT: usize = 200;
pub const MAX_MESSAGE: usize = 5_000;
const LIST_PAGE: i64 = 30;

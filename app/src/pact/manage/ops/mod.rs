//! The server side of the coordinators' pact pages: role checks on the pact's own city,
//! moderation with the letters it sends, the pact's administration, exports and invitations.
//! Every write is audited with the record before and after (the organisation's public face,
//! never its people's data).

use super::{
    AdhesionAdmin, AdhesionEvent, AdhesionInvitation, CommitmentAdmin, Decision, Milestone,
    PactAdmin, PartnerAdmin, Queue, QueueItem, SectorAdmin, StatusCount, Table, TableInvitation,
    TableMeeting, QUEUE_PAGE,
};
use crate::accounts::ops::{greeting, link};
use crate::accounts::session::{require_city, require_user, SessionUser};
use crate::audit::{self, Action, Scope, Target};
use crate::forms::input::{name_field, optional_text, problem_of, required_text, web_address};
use crate::mail::Letter;
use crate::pact::ops::version_refs;
use crate::pact::ops::{
    adhesion_target, audit_view, context, context_of, context_of_pact, draft_of, parse_edit,
    personal_letter, PactContext, Why,
};
use crate::pact::upload;
use crate::pact::url_pairs;
use crate::{AppError, Invalid, Problem, SiteInfo};
use chrono::Utc;
use db::accounts::OneTimeToken;
use db::pacts::{self, AdhesionFilter, AdhesionRow};
use db::{Db, Tx};
use domain::{AdhesionStatus, Email, Slug};
use leptos_i18n::Locale as _;

mod adhesions;
mod settings;
mod table;

pub use adhesions::*;
pub use settings::*;
pub use table::*;

/// The adhesion with its pact, if the caller may manage the pact's city.
async fn managed_adhesion(
    db: &Db,
    id: i64,
) -> Result<(SessionUser, AdhesionRow, PactContext), AppError> {
    let me = require_user()?;
    let row = db.adhesion(id).await?;
    if !me.roles.can_manage_city(row.city_id) {
        return Err(AppError::Forbidden);
    }
    let ctx = context_of_pact(db, row.pact_id).await?;
    Ok((me, row, ctx))
}

/// The pact of a city the caller may manage.
async fn managed_pact(db: &Db, slug: &str) -> Result<(SessionUser, PactContext), AppError> {
    let (me, _) = require_city(db, slug).await?;
    let ctx = context(db, slug).await?;
    Ok((me, ctx))
}

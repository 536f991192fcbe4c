//! The coordination table's invitations to its meetings.

use super::*;

/// An invitation of the coordination table with who it went to and for which meeting.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub adhesion_id: i64,
    pub meeting_id: i64,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub organisation: String,
    pub contact_name: String,
    pub email: String,
    pub locale: String,
    pub status: String,
    pub meeting_title: String,
}

macro_rules! invitation_select {
    () => {
        "SELECT i.id, i.adhesion_id, i.meeting_id, i.created_at, \
     i.accepted_at, a.organisation, a.contact_name, a.email, a.locale, a.status, \
     m.title AS meeting_title \
     FROM pact_invitations i JOIN adhesions a ON a.id = i.adhesion_id \
     JOIN meetings m ON m.id = i.meeting_id"
    };
}
pub(crate) use invitation_select;

/// Records an invitation of the coordination table. `false` when this adhesion was already
/// invited to this meeting (nothing is sent twice).
pub async fn invite(
    tx: &mut Tx,
    adhesion_id: i64,
    meeting_id: i64,
    token_hash: &str,
    invited_by: Option<i64>,
    now: i64,
) -> Result<bool, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO pact_invitations (adhesion_id, meeting_id, token_hash, invited_by, \
                created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(adhesion_id)
        .bind(meeting_id)
        .bind(token_hash)
        .bind(invited_by)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1
    }))
}

/// Marks an invitation accepted (the first time only).
pub async fn accept_invitation(tx: &mut Tx, id: i64, now: i64) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE pact_invitations SET accepted_at = $2 WHERE id = $1 AND accepted_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

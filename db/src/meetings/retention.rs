//! How long registrations keep the personal data in them. A registration never confirmed is
//! deleted (nobody came of it); one for a date long past keeps its status, for the counts, and
//! loses its name, address, organisation, needs and link.

use crate::{on_tx, DbError, Tx};

/// Deletes registrations still unconfirmed that were made before `before`.
pub async fn purge_unconfirmed_registrations(tx: &mut Tx, before: i64) -> Result<u64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM registrations WHERE status = 'pending' AND created_at < $1")
            .bind(before)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    }))
}

/// Erases the personal data of registrations for dates that ended before `before`.
pub async fn erase_past_registrations(tx: &mut Tx, before: i64) -> Result<u64, DbError> {
    // An erased e-mail and link hash stay unique (as the indexes want) and can match no address
    // and no link's hash.
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE registrations SET name = '', organisation = '', needs = '', \
                email = 'erased:' || id, token_hash = 'erased:' || id, link_nonce = NULL \
             WHERE email NOT LIKE 'erased:%' \
               AND occurrence_id IN (SELECT id FROM occurrences WHERE ends_at < $1)",
        )
        .bind(before)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }))
}

/// Erases the personal data of the registrations an adhesion's invitations to the coordination
/// table led to, when the adhesion's own are erased.
pub async fn erase_invited_registrations(tx: &mut Tx, adhesion_id: i64) -> Result<u64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE registrations SET name = '', organisation = '', needs = '', \
                email = 'erased:' || id, token_hash = 'erased:' || id, link_nonce = NULL \
             WHERE email = (SELECT email FROM adhesions WHERE id = $1) \
               AND occurrence_id IN ( \
                 SELECT o.id FROM occurrences o \
                 JOIN pact_invitations i ON i.meeting_id = o.meeting_id \
                 WHERE i.adhesion_id = $1)",
        )
        .bind(adhesion_id)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }))
}

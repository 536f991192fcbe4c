//! Writing an adhesion: sign-up, confirmation, its personal link, its details and logo, withdrawal,
//! the coordinators' decision, and retention.

use super::*;

/// Stores a new adhesion with its commitments, or says which live adhesion it duplicates.
/// Unconfirmed adhesions of the same organisation whose link has expired are removed first:
/// they never counted, and would otherwise block the organisation for good.
pub async fn create_adhesion(
    tx: &mut Tx,
    a: &NewAdhesion<'_>,
    name_key: &str,
    now: i64,
) -> Result<Result<i64, Duplicate>, DbError> {
    let d = a.details;
    on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM adhesions WHERE pact_id = $1 AND status = 'unconfirmed' \
             AND confirm_expires_at <= $2 AND (tax_code = $3 OR (name_key = $4 AND email = $5))",
        )
        .bind(a.pact_id)
        .bind(now)
        .bind(d.tax_code)
        .bind(name_key)
        .bind(a.email)
        .execute(&mut *conn)
        .await?;
    });
    let (lat, lon) = d.position.unzip();
    let id: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "INSERT INTO adhesions (pact_id, version_id, status, organisation, name_key, \
                legal_form, sector_id, tax_code, address, latitude, longitude, website, \
                contact_name, email, phone, representative, attested_at, \
                privacy_acknowledged_at, listed, locale, confirm_hash, confirm_expires_at, \
                created_at, updated_at) \
             VALUES ($1, $2, 'unconfirmed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
                $15, $16, $16, $17, $18, $19, $20, $16, $16) \
             ON CONFLICT DO NOTHING RETURNING id",
        )
        .bind(a.pact_id)
        .bind(a.version_id)
        .bind(d.organisation)
        .bind(name_key)
        .bind(d.legal_form)
        .bind(d.sector_id)
        .bind(d.tax_code)
        .bind(d.address)
        .bind(lat)
        .bind(lon)
        .bind(d.website)
        .bind(a.contact_name)
        .bind(a.email)
        .bind(d.phone)
        .bind(a.representative)
        .bind(now)
        .bind(d.listed)
        .bind(a.locale)
        .bind(a.confirm_hash)
        .bind(a.confirm_expires_at)
        .fetch_optional(&mut *conn)
        .await?
    });
    // A new adhesion is unconfirmed, which the tax code's index leaves out (see
    // `confirm_adhesion`): only the same name with the same address collides.
    let Some(id) = id else {
        return Ok(Err(Duplicate::NameAndEmail));
    };
    set_commitments(tx, id, d.commitments).await?;
    Ok(Ok(id))
}

pub(super) async fn set_commitments(
    tx: &mut Tx,
    id: i64,
    commitments: &[i64],
) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM adhesion_commitments WHERE adhesion_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        for c in commitments {
            sqlx::query(
                "INSERT INTO adhesion_commitments (adhesion_id, commitment_id) VALUES ($1, $2) \
                 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(c)
            .execute(&mut *conn)
            .await?;
        }
    });
    Ok(())
}

/// The commitments one adhesion chose, read inside a write transaction.
pub async fn commitments_in(tx: &mut Tx, id: i64) -> Result<Vec<i64>, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT commitment_id FROM adhesion_commitments WHERE adhesion_id = $1 \
             ORDER BY commitment_id",
        )
        .bind(id)
        .fetch_all(&mut *conn)
        .await?
    }))
}

pub(super) async fn adhesion_in(tx: &mut Tx, id: i64) -> Result<AdhesionRow, DbError> {
    let sql = concat!(
        "SELECT ",
        adhesion_columns!(),
        " ",
        adhesion_joins!(),
        " WHERE a.id = $1"
    );
    Ok(on_tx!(tx, |conn| {
        sqlx::query_as(sql).bind(id).fetch_one(&mut *conn).await?
    }))
}

/// Confirms an adhesion by the hash of its confirmation link, giving it the personal link whose
/// hash is `manage_hash`. Two clicks on one link confirm once.
pub async fn confirm_adhesion(
    tx: &mut Tx,
    confirm_hash: &str,
    manage_hash: &str,
    now: i64,
) -> Result<Confirmation, DbError> {
    // Uniqueness of the tax code is settled here, among confirmed adhesions, not when a form
    // is filed: anyone can type another organisation's public number.
    let taken: Option<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT a.id FROM adhesions a JOIN adhesions other \
               ON other.pact_id = a.pact_id AND other.tax_code = a.tax_code \
                  AND other.id <> a.id AND other.status IN ('pending', 'approved') \
             WHERE a.confirm_hash = $1 AND a.status = 'unconfirmed' AND a.confirm_expires_at > $2",
        )
        .bind(confirm_hash)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await?
    });
    if taken.is_some() {
        return Ok(Confirmation::TaxCodeTaken);
    }
    let updated: Result<Option<i64>, sqlx::Error> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "UPDATE adhesions SET status = 'pending', confirmed_at = $3, manage_hash = $2, \
                confirm_expires_at = NULL, updated_at = $3 \
             WHERE confirm_hash = $1 AND status = 'unconfirmed' AND confirm_expires_at > $3 \
             RETURNING id",
        )
        .bind(confirm_hash)
        .bind(manage_hash)
        .bind(now)
        .fetch_optional(&mut *conn)
        .await
    });
    // Two adhesions with one tax code confirmed at the same moment: the check above saw
    // neither, the index lets only one through.
    let id = match updated.map_err(DbError::from) {
        Err(DbError::Conflict {
            constraint: Some(crate::Constraint::AdhesionTaxCode),
            ..
        }) => return Ok(Confirmation::TaxCodeTaken),
        other => other?,
    };
    if let Some(id) = id {
        return Ok(Confirmation::Confirmed(adhesion_in(tx, id).await?));
    }
    let sql = concat!(
        "SELECT ",
        adhesion_columns!(),
        " ",
        adhesion_joins!(),
        " WHERE a.confirm_hash = $1"
    );
    let row: Option<AdhesionRow> = on_tx!(tx, |conn| {
        sqlx::query_as(sql)
            .bind(confirm_hash)
            .fetch_optional(&mut *conn)
            .await?
    });
    Ok(match row {
        None => Confirmation::Unknown,
        Some(r) if r.status == AdhesionStatus::Unconfirmed => Confirmation::Expired(r),
        Some(r) => Confirmation::Already(r),
    })
}

/// A new confirmation link for an unconfirmed adhesion (the old one stops working).
pub async fn renew_confirmation(
    tx: &mut Tx,
    id: i64,
    confirm_hash: &str,
    expires_at: i64,
    now: i64,
) -> Result<bool, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET confirm_hash = $2, confirm_expires_at = $3, updated_at = $4 \
             WHERE id = $1 AND status = 'unconfirmed'",
        )
        .bind(id)
        .bind(confirm_hash)
        .bind(expires_at)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
            == 1
    }))
}

/// Records what a just-confirmed adhesion's personal link derives from (see `db::links`).
pub async fn keep_manage_nonce(tx: &mut Tx, id: i64, nonce: &str) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("UPDATE adhesions SET manage_nonce = $2 WHERE id = $1")
            .bind(id)
            .bind(nonce)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// The personal link of confirmed adhesion `id`, for a mail that must carry it again. One
/// confirmed before links were derived gets its first derived link now (once).
pub async fn manage_link(
    tx: &mut Tx,
    id: i64,
    key: &crate::links::LinkKey,
) -> Result<crate::accounts::OneTimeToken, DbError> {
    let nonce: Option<String> = on_tx!(tx, |conn| {
        sqlx::query_scalar("SELECT manage_nonce FROM adhesions WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *conn)
            .await?
    });
    match nonce {
        Some(nonce) => Ok(key.link(&nonce)),
        None => replace_manage_link(tx, id, key).await,
    }
}

/// Gives confirmed adhesion `id` a new personal link; the old one stops working.
pub async fn replace_manage_link(
    tx: &mut Tx,
    id: i64,
    key: &crate::links::LinkKey,
) -> Result<crate::accounts::OneTimeToken, DbError> {
    let link = key.fresh();
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET manage_hash = $2, manage_nonce = $3 \
             WHERE id = $1 AND confirmed_at IS NOT NULL",
        )
        .bind(id)
        .bind(&link.token.hash)
        .bind(&link.nonce)
        .execute(&mut *conn)
        .await?;
    });
    Ok(link.token)
}

/// Replaces what an organisation tells about itself (by its personal link, or a coordinator's
/// edit). A changed name or tax code may collide with another live adhesion.
pub async fn update_details(
    tx: &mut Tx,
    id: i64,
    d: &Details<'_>,
    contact: Option<(&str, &str)>,
    now: i64,
) -> Result<Result<AdhesionRow, Duplicate>, DbError> {
    let (lat, lon) = d.position.unzip();
    let key = domain::name_key(d.organisation);
    // Looked up first: on PostgreSQL a refused UPDATE would abort the whole transaction. As in
    // the indexes, a tax code is unique among confirmed adhesions only.
    let clash: Option<(Option<String>,)> = on_tx!(tx, |conn| {
        sqlx::query_as(
            "SELECT o.tax_code FROM adhesions o JOIN adhesions me ON me.id = $1 \
             WHERE o.pact_id = me.pact_id AND o.id <> me.id \
                AND o.status IN ('unconfirmed', 'pending', 'approved') \
                AND ((o.tax_code = $2 AND o.status <> 'unconfirmed' \
                        AND me.status IN ('pending', 'approved')) \
                     OR (o.name_key = $3 AND o.email = me.email)) LIMIT 1",
        )
        .bind(id)
        .bind(d.tax_code)
        .bind(&key)
        .fetch_optional(&mut *conn)
        .await?
    });
    if let Some((code,)) = clash {
        return Ok(Err(if code.is_some() && code.as_deref() == d.tax_code {
            Duplicate::TaxCode
        } else {
            Duplicate::NameAndEmail
        }));
    }
    on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET organisation = $2, name_key = $3, legal_form = $4, \
                sector_id = $5, tax_code = $6, address = $7, latitude = $8, longitude = $9, \
                website = $10, phone = $11, listed = $12, updated_at = $13 \
             WHERE id = $1",
        )
        .bind(id)
        .bind(d.organisation)
        .bind(&key)
        .bind(d.legal_form)
        .bind(d.sector_id)
        .bind(d.tax_code)
        .bind(d.address)
        .bind(lat)
        .bind(lon)
        .bind(d.website)
        .bind(d.phone)
        .bind(d.listed)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    if let Some((contact_name, representative)) = contact {
        on_tx!(tx, |conn| {
            sqlx::query(
                "UPDATE adhesions SET contact_name = $2, representative = $3 WHERE id = $1",
            )
            .bind(id)
            .bind(contact_name)
            .bind(representative)
            .execute(&mut *conn)
            .await?;
        });
    }
    set_commitments(tx, id, d.commitments).await?;
    Ok(Ok(adhesion_in(tx, id).await?))
}

pub async fn set_logo(
    tx: &mut Tx,
    id: i64,
    content_type: &str,
    bytes: &[u8],
    now: i64,
) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query(
            "INSERT INTO adhesion_logos (adhesion_id, content_type, bytes, updated_at) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (adhesion_id) DO UPDATE \
             SET content_type = excluded.content_type, bytes = excluded.bytes, \
                 updated_at = excluded.updated_at",
        )
        .bind(id)
        .bind(content_type)
        .bind(bytes)
        .bind(now)
        .execute(&mut *conn)
        .await?;
    });
    Ok(())
}

pub async fn remove_logo(tx: &mut Tx, id: i64) -> Result<(), DbError> {
    on_tx!(tx, |conn| {
        sqlx::query("DELETE FROM adhesion_logos WHERE adhesion_id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
    });
    Ok(())
}

/// Withdraws a live adhesion: it leaves the public list at once. `None` when it was not live.
pub async fn withdraw(tx: &mut Tx, id: i64, now: i64) -> Result<Option<AdhesionRow>, DbError> {
    let done = on_tx!(tx, |conn| {
        sqlx::query(
            "UPDATE adhesions SET status = 'withdrawn', withdrawn_at = $2, updated_at = $2, \
                confirm_hash = NULL, confirm_expires_at = NULL \
             WHERE id = $1 AND status IN ('unconfirmed', 'pending', 'approved')",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    });
    if done == 0 {
        return Ok(None);
    }
    Ok(Some(adhesion_in(tx, id).await?))
}

/// A coordinator's decision on a confirmed adhesion: approve, or reject with a reason (also to
/// take an approved adhesion off the list). `None` when the adhesion was not in a state the
/// decision applies to.
pub async fn decide(
    tx: &mut Tx,
    id: i64,
    to: AdhesionStatus,
    reason: &str,
    actor: Option<i64>,
    now: i64,
) -> Result<Option<AdhesionRow>, DbError> {
    // Only a decision that changes something is taken: approving an approved adhesion again
    // (or one not yet confirmed, or withdrawn) changes no row.
    let sql = match to {
        AdhesionStatus::Approved => {
            "UPDATE adhesions SET status = $2, reason = $3, decided_at = $4, decided_by = $5, \
                updated_at = $4 WHERE id = $1 AND status IN ('pending', 'rejected')"
        }
        AdhesionStatus::Rejected => {
            "UPDATE adhesions SET status = $2, reason = $3, decided_at = $4, decided_by = $5, \
                updated_at = $4 WHERE id = $1 AND status IN ('pending', 'approved')"
        }
        _ => return Ok(None),
    };
    let changed = on_tx!(tx, |conn| {
        sqlx::query(sql)
            .bind(id)
            .bind(to.as_str())
            .bind(reason)
            .bind(now)
            .bind(actor)
            .execute(&mut *conn)
            .await?
            .rows_affected()
    });
    if changed == 0 {
        return Ok(None);
    }
    Ok(Some(adhesion_in(tx, id).await?))
}

/// Erases the personal data of adhesions withdrawn or rejected before `before`: contact,
/// representative, address, position, logo, links, and a tax code that is a person's. What
/// stays (the organisation, its sector, the version signed and the dates) is the record.
pub async fn anonymise_closed(tx: &mut Tx, before: i64, now: i64) -> Result<u64, DbError> {
    let ids: Vec<i64> = on_tx!(tx, |conn| {
        sqlx::query_scalar(
            "SELECT id FROM adhesions WHERE anonymised_at IS NULL AND ( \
                (status = 'withdrawn' AND withdrawn_at <= $1) OR \
                (status = 'rejected' AND decided_at <= $1))",
        )
        .bind(before)
        .fetch_all(&mut *conn)
        .await?
    });
    for id in &ids {
        // Before the adhesion's address goes: it is how its invited registrations are found.
        crate::meetings::erase_invited_registrations(tx, *id).await?;
        on_tx!(tx, |conn| {
            sqlx::query(
                "UPDATE adhesions SET contact_name = '', email = '', phone = '', \
                    representative = '', address = '', latitude = NULL, longitude = NULL, \
                    confirm_hash = NULL, manage_hash = NULL, manage_nonce = NULL, confirm_expires_at = NULL, \
                    tax_code = CASE WHEN LENGTH(tax_code) = 16 THEN NULL ELSE tax_code END, \
                    anonymised_at = $2, updated_at = $2 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            sqlx::query("DELETE FROM adhesion_logos WHERE adhesion_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
            sqlx::query("DELETE FROM pact_invitations WHERE adhesion_id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        });
    }
    Ok(ids.len() as u64)
}

/// Deletes adhesions never confirmed whose link expired before `before`: nobody adhered.
pub async fn purge_unconfirmed(tx: &mut Tx, before: i64) -> Result<u64, DbError> {
    Ok(on_tx!(tx, |conn| {
        sqlx::query(
            "DELETE FROM adhesions WHERE status = 'unconfirmed' AND confirm_expires_at <= $1",
        )
        .bind(before)
        .execute(&mut *conn)
        .await?
        .rows_affected()
    }))
}

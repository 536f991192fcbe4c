//! Who may manage which meeting: role checks per meeting, date and organiser, and the organisers a
//! person may choose from.

use super::*;

pub(super) fn may_manage(me: &SessionUser, m: &MeetingRow) -> bool {
    match (m.city_id, m.cluster_id) {
        (Some(city), _) => me.roles.can_manage_city(city),
        (None, Some(cluster)) => me.roles.can_manage_cluster(cluster),
        (None, None) => me.roles.is_admin(),
    }
}

/// The caller and the meeting, if the caller may manage it: 401, 404 or 403 otherwise.
pub(super) async fn require_meeting(
    db: &Db,
    id: i64,
) -> Result<(SessionUser, MeetingRow), AppError> {
    let me = require_user()?;
    let m = db.meeting(id).await?;
    if may_manage(&me, &m) {
        Ok((me, m))
    } else {
        Err(AppError::Forbidden)
    }
}

pub(super) async fn require_occurrence(
    db: &Db,
    id: i64,
) -> Result<(SessionUser, MeetingRow, OccurrenceRow), AppError> {
    let me = require_user()?;
    let o = db.occurrence(id).await?;
    let m = db.meeting(o.meeting_id).await?;
    if may_manage(&me, &m) {
        Ok((me, m, o))
    } else {
        Err(AppError::Forbidden)
    }
}

pub(super) fn scope_of(me: &SessionUser) -> ManagedScope {
    use domain::Role;
    if me.roles.is_admin() {
        return ManagedScope::All;
    }
    let (mut cities, mut clusters) = (Vec::new(), Vec::new());
    for role in me.roles.iter() {
        match role {
            Role::City(id) => cities.push(*id),
            Role::Cluster(id) => clusters.push(*id),
            Role::Admin => {}
        }
    }
    ManagedScope::Owners { cities, clusters }
}

pub(super) async fn owner_options(db: &Db, me: &SessionUser) -> Result<Vec<OwnerOption>, AppError> {
    use domain::Role;
    let mut out = Vec::new();
    if me.roles.is_admin() {
        for c in db.cities(None).await? {
            out.push(OwnerOption {
                value: format!("city:{}", c.slug),
                name: c.name,
            });
        }
        for c in db.clusters().await? {
            out.push(OwnerOption {
                value: format!("cluster:{}", c.slug),
                name: c.name,
            });
        }
        return Ok(out);
    }
    for role in me.roles.iter() {
        let (table, prefix, id) = match role {
            Role::City(id) => (db::network::Record::City, "city", *id),
            Role::Cluster(id) => (db::network::Record::Cluster, "cluster", *id),
            Role::Admin => continue,
        };
        let (slug, name) = db.slug_and_name(table, id).await?;
        out.push(OwnerOption {
            value: format!("{prefix}:{slug}"),
            name,
        });
    }
    Ok(out)
}

pub(super) fn organiser_of(r: &meetings::ManagedRow) -> Organiser {
    match &r.city_slug {
        Some(slug) => Organiser::City(CityRef {
            slug: slug.clone(),
            name: Localized::new(
                r.city_name_en.clone().unwrap_or_default(),
                r.city_name_it.clone().unwrap_or_default(),
            ),
            country: String::new(),
        }),
        None => Organiser::Cluster {
            slug: r.cluster_slug.clone().unwrap_or_default(),
            name: Localized::new(
                r.cluster_name_en.clone().unwrap_or_default(),
                r.cluster_name_it.clone().unwrap_or_default(),
            ),
        },
    }
}

pub async fn managed(lang: &str, past: bool, page: u32) -> Result<ManagedList, AppError> {
    let me = require_user()?;
    let db = crate::db()?;
    let locale = crate::locale_of(lang);
    let page = page.max(1);
    let rows = db
        .managed_meetings(
            &scope_of(&me),
            Utc::now().timestamp(),
            past,
            LIST_PAGE + 1,
            LIST_PAGE * i64::from(page - 1),
        )
        .await?;
    let more = rows.len() as i64 > LIST_PAGE;
    let items = rows
        .into_iter()
        .take(LIST_PAGE as usize)
        .map(|r| {
            let zone = meetings::zone_of(&r.timezone);
            ManagedItem {
                id: r.id,
                organiser: organiser_of(&r),
                date: r
                    .occurrence_id
                    .zip(r.starts_at)
                    .map(|(occurrence, at)| DateRef {
                        occurrence,
                        starts: moment(locale, zone, at),
                    }),
                recurring: r.recurring,
                cancelled: r.cancelled,
                dates: r.occurrences,
                confirmed: r.confirmed,
                waiting: r.waiting,
                title: r.title,
            }
        })
        .collect();
    Ok(ManagedList {
        past,
        page,
        more,
        items,
        owners: owner_options(&db, &me).await?,
    })
}

/// An owner named by the form (`city:lucca`, `cluster:entrepreneurship`), if the caller may
/// publish for it.
pub(super) async fn require_owner(
    db: &Db,
    raw: &str,
) -> Result<(SessionUser, Owner, OwnerOption), AppError> {
    let (kind, slug) = raw.trim().split_once(':').unwrap_or(("", ""));
    let (me, owner, table) = match kind {
        "city" => {
            let (me, id) = crate::accounts::session::require_city(db, slug).await?;
            (me, Owner::City(id), db::network::Record::City)
        }
        "cluster" => {
            let (me, id) = crate::accounts::session::require_cluster(db, slug).await?;
            (me, Owner::Cluster(id), db::network::Record::Cluster)
        }
        _ => return Err(AppError::NotFound),
    };
    let id = match owner {
        Owner::City(id) | Owner::Cluster(id) => id,
    };
    let (slug, name) = db.slug_and_name(table, id).await?;
    Ok((
        me,
        owner,
        OwnerOption {
            value: format!("{kind}:{slug}"),
            name,
        },
    ))
}

pub(super) async fn owner_of_meeting(
    db: &Db,
    m: &MeetingRow,
) -> Result<(Owner, OwnerOption), AppError> {
    let owner = m.owner()?;
    let (table, kind, id) = match owner {
        Owner::City(id) => (db::network::Record::City, "city", id),
        Owner::Cluster(id) => (db::network::Record::Cluster, "cluster", id),
    };
    let (slug, name) = db.slug_and_name(table, id).await?;
    Ok((
        owner,
        OwnerOption {
            value: format!("{kind}:{slug}"),
            name,
        },
    ))
}

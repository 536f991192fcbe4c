//! The coordinator area: a dashboard of what one may manage, the city and cluster profiles
//! coordinators edit, people and roles (administrators), the audit log and the outbox.
//! Every writing server function checks the caller's role for that very record.

mod pages;
mod placing;

pub use pages::*;
pub use placing::CityPlacingPage;

use crate::AppError;
#[cfg(feature = "ssr")]
use crate::Invalid;
use domain::{CityProfile, CityRef, ClusterProfile, Localized};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub name: String,
    pub email: String,
    pub admin: bool,
    /// The cities this person coordinates (every city, for an administrator).
    pub cities: Vec<CityRef>,
    pub clusters: Vec<Named>,
    /// Administrators only: mail not yet sent, invitations not yet accepted.
    pub outbox_pending: Option<i64>,
    pub invitations_pending: Option<i64>,
    /// Adhesions to the pacts of this person's cities waiting for a decision, by city.
    pub adhesions_pending: Vec<PendingAdhesions>,
}

/// How many adhesions to a city's pact wait for a decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PendingAdhesions {
    pub city: CityRef,
    pub count: i64,
}

pub use crate::Named;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Editable<T> {
    pub name: Localized,
    pub profile: T,
}

/// A kind of role, as the people page's forms post it: `admin`, `city` or `cluster`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleKind {
    Admin,
    City,
    Cluster,
}

impl RoleKind {
    /// The word a form posts for it.
    pub fn as_str(self) -> &'static str {
        match self {
            RoleKind::Admin => "admin",
            RoleKind::City => "city",
            RoleKind::Cluster => "cluster",
        }
    }
}

/// A role as the people page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RoleView {
    pub kind: RoleKind,
    pub slug: Option<String>,
    pub name: Option<Localized>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub id: i64,
    pub email: String,
    pub name: String,
    /// Invited, but no password chosen yet.
    pub invited: bool,
    pub roles: Vec<RoleView>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxView {
    pub id: i64,
    pub created_at: String,
    pub recipient: String,
    pub subject: String,
    pub locale: String,
    pub status: MailStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    /// The plain-text part, so that a newcomer can follow a link by hand.
    pub text: Option<String>,
}

/// Where a mail in the outbox stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MailStatus {
    Waiting,
    Sent,
    /// Its attempts are spent.
    Failed,
}

#[cfg(feature = "ssr")]
pub(crate) mod ops;

#[server(endpoint = "dashboard")]
pub async fn get_dashboard() -> Result<Dashboard, AppError> {
    use crate::accounts::session::require_user;
    use domain::Role;
    let me = require_user()?;
    let db = crate::db()?;
    let admin = me.roles.is_admin();
    let cities = ops::managed_cities(&db, &me).await?;
    let mut clusters = Vec::new();
    if admin {
        for c in db.clusters().await? {
            clusters.push(Named {
                slug: c.slug,
                name: c.name,
            });
        }
    } else {
        for role in me.roles.iter() {
            if let Role::Cluster(id) = role {
                let (slug, name) = db.slug_and_name(db::network::Record::Cluster, *id).await?;
                clusters.push(Named { slug, name });
            }
        }
    }
    let (outbox_pending, invitations_pending) = if admin {
        let invited = db
            .users()
            .await?
            .iter()
            .filter(|u| u.password_hash.is_none())
            .count() as i64;
        (Some(db.outbox_pending().await?), Some(invited))
    } else {
        (None, None)
    };
    let pending = db.pending_adhesions_by_city().await?;
    let adhesions_pending = cities
        .iter()
        .filter_map(|c: &CityRef| {
            pending
                .iter()
                .find(|(slug, _)| *slug == c.slug)
                .map(|(_, n)| PendingAdhesions {
                    city: c.clone(),
                    count: *n,
                })
        })
        .collect();
    Ok(Dashboard {
        name: me.user.name,
        email: me.user.email.into(),
        admin,
        cities,
        clusters,
        outbox_pending,
        invitations_pending,
        adhesions_pending,
    })
}

#[server(endpoint = "city_profile")]
pub async fn get_city_profile(slug: String) -> Result<Editable<CityProfile>, AppError> {
    let db = crate::db()?;
    let (_, id) = crate::accounts::session::require_city(&db, &slug).await?;
    let (_, name) = db.slug_and_name(db::network::Record::City, id).await?;
    Ok(Editable {
        name,
        profile: db.city_profile(id).await?,
    })
}

#[server(endpoint = "update_city_profile")]
pub async fn update_city_profile(
    lang: String,
    slug: String,
    description_en: String,
    description_it: String,
    website: String,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, id) = crate::accounts::session::require_city(&db, &slug).await?;
    let mut invalid = Invalid::default();
    invalid.keep("description_en", &description_en);
    invalid.keep("description_it", &description_it);
    invalid.keep("website", &website);
    let profile = CityProfile {
        description_en: description(&mut invalid, "description_en", &description_en),
        description_it: description(&mut invalid, "description_it", &description_it),
        website: crate::forms::input::web_address(&mut invalid, "website", &website),
    };
    invalid.into_result()?;
    let before = db.city_profile(id).await?;
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    db::network::update_city_profile(&mut tx, id, &profile).await?;
    crate::audit::record(
        &mut tx,
        me.actor(),
        crate::audit::Action::CityUpdate,
        crate::audit::Target::new(&slug, crate::audit::Scope::city(id)),
        Some(crate::audit::json(&before)?),
        Some(crate::audit::json(&profile)?),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(&lang, &format!("coordinate/cities/{slug}?done=saved"));
    Ok(())
}

#[server(endpoint = "cluster_profile")]
pub async fn get_cluster_profile(slug: String) -> Result<Editable<ClusterProfile>, AppError> {
    let db = crate::db()?;
    let (_, id) = crate::accounts::session::require_cluster(&db, &slug).await?;
    let (_, name) = db.slug_and_name(db::network::Record::Cluster, id).await?;
    Ok(Editable {
        name,
        profile: db.cluster_profile(id).await?,
    })
}

#[server(endpoint = "update_cluster_profile")]
pub async fn update_cluster_profile(
    lang: String,
    slug: String,
    description_en: String,
    description_it: String,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, id) = crate::accounts::session::require_cluster(&db, &slug).await?;
    let mut invalid = Invalid::default();
    invalid.keep("description_en", &description_en);
    invalid.keep("description_it", &description_it);
    let profile = ClusterProfile {
        description_en: description(&mut invalid, "description_en", &description_en),
        description_it: description(&mut invalid, "description_it", &description_it),
    };
    invalid.into_result()?;
    let before = db.cluster_profile(id).await?;
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    db::network::update_cluster_profile(&mut tx, id, &profile).await?;
    crate::audit::record(
        &mut tx,
        me.actor(),
        crate::audit::Action::ClusterUpdate,
        crate::audit::Target::new(&slug, crate::audit::Scope::cluster(id)),
        Some(crate::audit::json(&before)?),
        Some(crate::audit::json(&profile)?),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(&lang, &format!("coordinate/clusters/{slug}?done=saved"));
    Ok(())
}

/// Descriptions are plain text (rendered escaped, paragraphs kept), up to 4,000 characters,
/// without control characters but line breaks.
#[cfg(feature = "ssr")]
fn description(invalid: &mut Invalid, field: &str, raw: &str) -> String {
    crate::forms::input::optional_text(invalid, field, raw, 4000)
}

#[server(endpoint = "people")]
pub async fn people() -> Result<Vec<Person>, AppError> {
    crate::accounts::session::require_admin()?;
    let db = crate::db()?;
    let mut out = Vec::new();
    for u in db.users().await? {
        let mut roles = Vec::new();
        for r in db.roles(u.id).await?.iter() {
            roles.push(ops::role_view(&db, *r).await?);
        }
        out.push(Person {
            id: u.id,
            invited: u.password_hash.is_none(),
            email: u.email.into(),
            name: u.name,
            roles,
        });
    }
    Ok(out)
}

/// Grants a role to the person with this address, creating their account and mailing them an
/// invitation if they have none (or have not accepted it yet).
#[server(endpoint = "grant_role")]
pub async fn grant_role(
    lang: String,
    email: String,
    name: String,
    locale: String,
    kind: RoleKind,
    target: String,
) -> Result<(), AppError> {
    use crate::accounts::session::require_admin;
    let me = require_admin()?;
    let db = crate::db()?;
    let form = ops::GrantForm {
        email: &email,
        name: &name,
        locale: &locale,
        kind,
        target: &target,
    };
    let grant = ops::parse_grant(&db, form).await?;
    let now = chrono::Utc::now();
    let (mut tx, grantee) = ops::grantee(&db, &me, &grant, now).await?;
    let (user_id, role) = (grantee.id, grant.role);
    let added = db::accounts::add_role(&mut tx, user_id, role, Some(me.user.id), now).await?;
    if added {
        crate::audit::record(
            &mut tx,
            me.actor(),
            crate::audit::Action::RoleGrant,
            crate::audit::Target::new(user_id, role),
            None,
            Some(ops::role_json(role)),
            now,
        )
        .await?;
    }
    if grantee.invite {
        let site = crate::site()?;
        crate::accounts::send_invitation(
            &mut tx,
            &site,
            &me,
            user_id,
            &grant.address,
            &grantee.name,
            &grantee.locale,
        )
        .await?;
    }
    tx.commit().await?;
    crate::redirect_to(&lang, "coordinate/people?done=granted");
    Ok(())
}

#[server(endpoint = "revoke_role")]
pub async fn revoke_role(
    lang: String,
    user_id: i64,
    kind: RoleKind,
    target: String,
) -> Result<(), AppError> {
    use crate::accounts::session::require_admin;
    let me = require_admin()?;
    let db = crate::db()?;
    let mut invalid = Invalid::default();
    let role = ops::parse_role(&db, kind, &target, &mut invalid).await?;
    invalid.into_result()?;
    let role = role.ok_or(AppError::Internal)?;
    // The last way back in must not be thrown away by a slip of the thumb.
    if role == domain::Role::Admin && user_id == me.user.id {
        return Err(AppError::Forbidden);
    }
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    if db::accounts::remove_role(&mut tx, user_id, role).await? {
        crate::audit::record(
            &mut tx,
            me.actor(),
            crate::audit::Action::RoleRevoke,
            crate::audit::Target::new(user_id, role),
            Some(ops::role_json(role)),
            None,
            now,
        )
        .await?;
    }
    tx.commit().await?;
    crate::redirect_to(&lang, "coordinate/people?done=revoked");
    Ok(())
}

/// The newest audit entries the caller may read: all for administrators, their own cities'
/// for city coordinators; 403 for anyone else.
#[server(endpoint = "audit_log")]
pub async fn audit_log(before: Option<i64>) -> Result<Vec<AuditView>, AppError> {
    use db::audit::Scope;
    let me = crate::accounts::session::require_user()?;
    let scope = if me.roles.is_admin() {
        Scope::All
    } else {
        let cities = me.roles.cities();
        if cities.is_empty() {
            return Err(AppError::Forbidden);
        }
        Scope::Cities(cities)
    };
    let entries = crate::db()?.audit_entries(&scope, before, 50).await?;
    Ok(entries
        .into_iter()
        .map(|e| AuditView {
            id: e.id,
            at: e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            actor: e.actor_email,
            action: e.action,
            entity: e.entity,
            entity_id: e.entity_id,
            before: e.before.map(|j| j.0.to_string()),
            after: e.after.map(|j| j.0.to_string()),
        })
        .collect())
}

#[server(endpoint = "outbox")]
pub async fn outbox() -> Result<Vec<OutboxView>, AppError> {
    crate::accounts::session::require_admin()?;
    let db = crate::db()?;
    let mut out = Vec::new();
    for m in db.outbox(50).await? {
        let status = if m.sent_at.is_some() {
            MailStatus::Sent
        } else if m.gave_up_at.is_some() {
            MailStatus::Failed
        } else {
            MailStatus::Waiting
        };
        let text = crate::mail::text_of(&db.outbox_message(m.id).await?);
        out.push(OutboxView {
            id: m.id,
            created_at: m
                .created_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            recipient: m.recipient,
            subject: m.subject,
            locale: m.locale,
            status,
            attempts: m.attempts,
            last_error: m.last_error,
            text,
        });
    }
    Ok(out)
}

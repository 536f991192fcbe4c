//! The server side of the coordinator area: a role as pages show it and as the audit log keeps
//! it, a role read from a form, a grant checked and the account it goes to, and the cities a
//! person manages.

use super::RoleKind;
use crate::accounts::session::SessionUser;
use crate::{AppError, Invalid, Problem};
use db::network::Record;
use db::Db;
use domain::Role;

pub async fn role_view(db: &Db, role: Role) -> Result<super::RoleView, AppError> {
    let (kind, record) = match role {
        Role::Admin => (RoleKind::Admin, None),
        Role::City(id) => (RoleKind::City, Some((Record::City, id))),
        Role::Cluster(id) => (RoleKind::Cluster, Some((Record::Cluster, id))),
    };
    let (slug, name) = match record {
        None => (None, None),
        Some((table, id)) => {
            let (slug, name) = db.slug_and_name(table, id).await?;
            (Some(slug), Some(name))
        }
    };
    Ok(super::RoleView { kind, slug, name })
}

/// A role from the form's kind and target slug; unknown targets are the form's problem.
pub async fn parse_role(
    db: &Db,
    kind: RoleKind,
    target: &str,
    invalid: &mut Invalid,
) -> Result<Option<Role>, AppError> {
    let target = target.trim();
    let found = match kind {
        RoleKind::Admin => return Ok(Some(Role::Admin)),
        RoleKind::City => db.city_id(target).await.map(Role::City),
        RoleKind::Cluster => db.cluster_id(target).await.map(Role::Cluster),
    };
    match found {
        Ok(role) => Ok(Some(role)),
        Err(db::DbError::NotFound) => {
            invalid.add("target", Problem::UnknownRecord);
            Ok(None)
        }
        Err(e) => Err(e.into()),
    }
}

/// The people page's grant form as posted.
pub struct GrantForm<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub locale: &'a str,
    pub kind: RoleKind,
    pub target: &'a str,
}

/// A role to grant and whom to, once the form is right.
pub struct Grant {
    pub address: domain::Email,
    /// The name and language a new account gets.
    pub name: String,
    pub locale: String,
    pub role: Role,
}

/// The grant form, each field checked, or every problem found with the values typed.
pub async fn parse_grant(db: &Db, form: GrantForm<'_>) -> Result<Grant, AppError> {
    use leptos_i18n::Locale as _;
    let mut invalid = Invalid::default();
    for (k, v) in [
        ("email", form.email),
        ("name", form.name),
        ("target", form.target),
    ] {
        invalid.keep(k, v);
    }
    let address = domain::Email::parse(form.email)
        .map_err(|_| invalid.add("email", Problem::Email))
        .ok();
    // The languages a letter can be written in are those the site speaks.
    let known = crate::i18n::Locale::get_all()
        .iter()
        .any(|l| l.as_str() == form.locale);
    if !known {
        invalid.add("locale", Problem::Language);
    }
    let name = crate::accounts::ops::account_name(&mut invalid, form.name, false);
    let role = parse_role(db, form.kind, form.target, &mut invalid).await?;
    invalid.into_result()?;
    let (Some(address), Some(role)) = (address, role) else {
        return Err(AppError::Internal);
    };
    Ok(Grant {
        address,
        name,
        locale: form.locale.to_owned(),
        role,
    })
}

/// The account a role is granted to, as its invitation addresses it.
pub struct Grantee {
    pub id: i64,
    /// No password chosen yet: the grant comes with an invitation.
    pub invite: bool,
    pub name: String,
    pub locale: String,
}

/// The account with the grant's address, created (and its creation audited) if there is none,
/// in the write transaction that goes on to grant the role.
pub async fn grantee(
    db: &Db,
    me: &SessionUser,
    grant: &Grant,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(db::Tx, Grantee), AppError> {
    let mut retried = false;
    loop {
        let mut tx = db.begin_write().await?;
        if let Some(u) = db::accounts::user_by_email(&mut tx, &grant.address).await? {
            let grantee = Grantee {
                id: u.id,
                invite: u.password_hash.is_none(),
                name: u.name,
                locale: u.locale,
            };
            return Ok((tx, grantee));
        }
        let (address, name, locale) = (&grant.address, &grant.name, &grant.locale);
        match db::accounts::create_user(&mut tx, address, name, locale, None, now).await {
            Ok(id) => {
                crate::audit::record(
                    &mut tx,
                    me.actor(),
                    crate::audit::Action::UserInvite,
                    crate::audit::Target::new(id, crate::audit::Scope::NETWORK),
                    None,
                    Some(serde_json::json!({ "email": address.as_str() })),
                    now,
                )
                .await?;
                let grantee = Grantee {
                    id,
                    invite: true,
                    name: name.clone(),
                    locale: locale.clone(),
                };
                return Ok((tx, grantee));
            }
            // The same person invited twice at once: on PostgreSQL both may find no account,
            // and the second insert fails once the first commits. Its account is then this
            // one's, found on a second try.
            Err(db::DbError::Conflict {
                constraint: Some(db::Constraint::UserEmail),
                ..
            }) if !retried => retried = true,
            Err(e) => return Err(e.into()),
        }
    }
}

/// The cities `me` coordinates (every city, for an administrator).
pub async fn managed_cities(db: &Db, me: &SessionUser) -> Result<Vec<domain::CityRef>, AppError> {
    if me.roles.is_admin() {
        return Ok(db
            .cities(None)
            .await?
            .into_iter()
            .map(|c| domain::CityRef {
                slug: c.slug,
                name: c.name,
                country: c.country,
            })
            .collect());
    }
    Ok(db.city_refs(&me.roles.cities()).await?)
}

pub fn role_json(role: Role) -> serde_json::Value {
    match role {
        Role::Admin => serde_json::json!({ "role": "admin" }),
        Role::City(id) => serde_json::json!({ "role": "city", "city_id": id }),
        Role::Cluster(id) => serde_json::json!({ "role": "cluster", "cluster_id": id }),
    }
}

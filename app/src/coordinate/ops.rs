//! The server side of the coordinator area: a role as pages show it and as the audit log keeps
//! it, a role read from a form, and the cities a person manages.

use crate::accounts::session::SessionUser;
use crate::AppError;
use db::network::Record;
use db::Db;
use domain::Role;

pub async fn role_view(db: &Db, role: Role) -> Result<super::RoleView, AppError> {
    let (kind, record) = match role {
        Role::Admin => ("admin", None),
        Role::City(id) => ("city", Some((Record::City, id))),
        Role::Cluster(id) => ("cluster", Some((Record::Cluster, id))),
    };
    let (slug, name) = match record {
        None => (None, None),
        Some((table, id)) => {
            let (slug, name) = db.slug_and_name(table, id).await?;
            (Some(slug), Some(name))
        }
    };
    Ok(super::RoleView {
        kind: kind.to_owned(),
        slug,
        name,
    })
}

/// A role from the form's kind and target slug; unknown targets are the form's problem.
pub async fn parse_role(
    db: &Db,
    kind: &str,
    target: &str,
    invalid: &mut crate::Invalid,
) -> Result<Option<Role>, AppError> {
    let target = target.trim();
    let found = match kind {
        "admin" => return Ok(Some(Role::Admin)),
        "city" => db.city_id(target).await.map(Role::City),
        "cluster" => db.cluster_id(target).await.map(Role::Cluster),
        _ => {
            invalid.add("kind", crate::Problem::Required);
            return Ok(None);
        }
    };
    match found {
        Ok(role) => Ok(Some(role)),
        Err(db::DbError::NotFound) => {
            invalid.add("target", crate::Problem::UnknownRecord);
            Ok(None)
        }
        Err(e) => Err(e.into()),
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

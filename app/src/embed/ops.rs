//! Who may frame a widget, and the coordinators' edits of that.

use super::{has_form, Builder, MeetingOption, OriginView, PREFIX};
use crate::accounts::session::{require_admin, require_user, SessionUser};
use crate::audit::{record, Action, Scope, Target};
use crate::forms::input::problem_of;
use crate::{AppError, Invalid, Problem};
use db::Db;
use domain::FrameOrigin;

/// Which pages may frame a widget.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Framing {
    /// A widget that only shows what any visitor of the site sees.
    Anyone,
    /// A widget with a form: the site itself and these origins.
    Only(Vec<String>),
}

impl Framing {
    /// The `frame-ancestors` sources.
    pub fn sources(&self) -> String {
        match self {
            Framing::Anyone => "*".to_owned(),
            Framing::Only(origins) => {
                let mut s = String::from("'self'");
                for o in origins {
                    s.push(' ');
                    s.push_str(o);
                }
                s
            }
        }
    }
}

/// Who may frame the widget at `path` (a path under `/embed/`). A form's city is the one whose
/// origins count; a cluster's meeting has the network's alone. When the origins cannot be
/// read, the widget is framed by the site alone: a refusal, never an opening.
pub async fn framing(db: &Db, path: &str) -> Framing {
    let rest = path.strip_prefix(PREFIX).unwrap_or("");
    let rest = match rest.split_once('/') {
        Some((lang, rest)) if lang.len() == 2 => rest,
        _ => rest,
    };
    if !has_form(rest) {
        return Framing::Anyone;
    }
    let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
    let city = match segments.as_slice() {
        ["meetings", id] => match id.parse::<i64>() {
            Ok(id) => db.occurrence_city(id).await,
            Err(_) => Ok(None),
        },
        [_, slug, ..] => db.city_id(slug).await.map(Some),
        _ => Ok(None),
    };
    let city = match city {
        Ok(city) => city,
        Err(db::DbError::NotFound) => None,
        Err(e) => {
            tracing::error!(error = %e, "reading a widget's city failed");
            return Framing::Only(Vec::new());
        }
    };
    match db.frame_origins(city).await {
        Ok(rows) => Framing::Only(rows.into_iter().map(|r| r.origin).collect()),
        Err(e) => {
            tracing::error!(error = %e, "reading a widget's allowed origins failed");
            Framing::Only(Vec::new())
        }
    }
}

pub async fn builder(lang: &str, city: &str) -> Result<Builder, AppError> {
    let me = require_user()?;
    let db = crate::db()?;
    let admin = me.roles.is_admin();
    let cities = crate::coordinate::ops::managed_cities(&db, &me).await?;
    let chosen = cities.iter().find(|c| c.slug == city);
    let city_id = match chosen {
        Some(c) => Some(db.city_id(&c.slug).await?),
        None => None,
    };
    let origins = db
        .frame_origins(city_id)
        .await?
        .into_iter()
        .map(|r| OriginView {
            id: r.id,
            network: r.city_id.is_none(),
            removable: admin || r.city_id.is_some(),
            origin: r.origin,
        })
        .collect();
    let (meetings, sectors) = match chosen {
        Some(c) => {
            let calendar =
                crate::calendar::read::calendar(lang, &format!("city={}", c.slug)).await?;
            let meetings = calendar
                .meetings
                .into_iter()
                .map(|m| MeetingOption {
                    id: m.id,
                    label: format!("{} · {}", m.starts.local.replace('T', " "), m.title),
                })
                .collect();
            (meetings, calendar.options.sectors)
        }
        None => (Vec::new(), Vec::new()),
    };
    let clusters = db
        .clusters()
        .await?
        .into_iter()
        .map(|c| crate::Named {
            slug: c.slug,
            name: c.name,
        })
        .collect();
    Ok(Builder {
        cities,
        clusters,
        admin,
        origins,
        meetings,
        sectors,
        public_url: crate::site()?.public_url,
    })
}

/// The city named by the builder's form, checked against the caller's roles; `None` is the
/// network, for administrators only.
async fn scope(db: &Db, city: &str) -> Result<(SessionUser, Option<i64>), AppError> {
    if city.trim().is_empty() {
        return Ok((require_admin()?, None));
    }
    let (me, id) = crate::accounts::session::require_city(db, city.trim()).await?;
    Ok((me, Some(id)))
}

fn back(lang: &str, city: &str, done: &str) {
    let city = url::form_urlencoded::byte_serialize(city.trim().as_bytes()).collect::<String>();
    crate::redirect_to(
        lang,
        &format!("coordinate/embed?city={city}&done={done}#origins"),
    );
}

pub async fn allow(lang: &str, city: &str, origin: &str) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, city_id) = scope(&db, city).await?;
    let mut invalid = Invalid::default();
    invalid.keep("origin", origin);
    let parsed = FrameOrigin::parse(origin)
        .map_err(|e| invalid.add("origin", problem_of(e)))
        .ok();
    invalid.clone().into_result()?;
    let Some(origin) = parsed else {
        return Err(AppError::Invalid(invalid));
    };
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    let id = match db::frames::add_frame_origin(&mut tx, city_id, origin.as_str(), now.timestamp())
        .await
    {
        Ok(id) => id,
        Err(db::DbError::Conflict {
            constraint: Some(db::Constraint::FrameOrigin),
            ..
        }) => {
            invalid.add("origin", Problem::Duplicate);
            return Err(AppError::Invalid(invalid));
        }
        Err(e) => return Err(e.into()),
    };
    let after = serde_json::json!({ "origin": origin.as_str(), "city_id": city_id });
    let scope = city_id.map_or(Scope::NETWORK, Scope::city);
    let target = Target::new(id, scope);
    let allow = Action::FrameOriginAllow;
    record(&mut tx, me.actor(), allow, target, None, Some(after), now).await?;
    tx.commit().await?;
    back(lang, city, "allowed");
    Ok(())
}

pub async fn forbid(lang: &str, city: &str, id: i64) -> Result<(), AppError> {
    let me = require_user()?;
    let db = crate::db()?;
    let row = db.frame_origin(id).await?;
    let allowed = match row.city_id {
        None => me.roles.is_admin(),
        Some(city) => me.roles.can_manage_city(city),
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    let removed = db::frames::remove_frame_origin(&mut tx, id).await?;
    let before = serde_json::json!({ "origin": removed.origin, "city_id": removed.city_id });
    let scope = removed.city_id.map_or(Scope::NETWORK, Scope::city);
    let target = Target::new(id, scope);
    let forbid = Action::FrameOriginForbid;
    record(&mut tx, me.actor(), forbid, target, Some(before), None, now).await?;
    tx.commit().await?;
    back(lang, city, "removed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Framing;

    #[test]
    fn a_form_widget_names_the_site_and_its_origins_only() {
        assert_eq!(Framing::Anyone.sources(), "*");
        assert_eq!(Framing::Only(vec![]).sources(), "'self'");
        assert_eq!(
            Framing::Only(vec!["https://www.comune.lucca.it".into()]).sources(),
            "'self' https://www.comune.lucca.it"
        );
    }
}

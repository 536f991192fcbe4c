//! The server side of clusters: a cluster's page and the practices its member cities share.

use super::*;
use crate::accounts::session::{current_user, require_user, SessionUser};
use crate::audit;
use crate::forms::input;
use crate::{Invalid, Problem};
use db::practices::{NewPractice, Stored};
use db::Db;
use domain::{Role, Tags, MEETING_LANGUAGES};

/// How many coming meetings and newest practices the cluster's page shows.
const PREVIEW: i64 = 3;

pub async fn page(lang: &str, slug: &str) -> Result<ClusterPageData, AppError> {
    let db = crate::db()?;
    let detail = db.cluster(slug).await?;
    let cluster_id = db.cluster_id(slug).await?;
    let filter = db::meetings::Filter {
        from: chrono::Utc::now().timestamp(),
        cluster: Some(slug.to_owned()),
        ..Default::default()
    };
    let locale = crate::locale_of(lang);
    let meetings = db
        .occurrences(&filter, PREVIEW, 0)
        .await?
        .into_iter()
        .map(|r| crate::calendar::read::summary(locale, r))
        .collect();
    let practices = db.practices(cluster_id, Some(PREVIEW)).await?;
    Ok(ClusterPageData {
        detail,
        meetings,
        practices,
    })
}

pub async fn library(slug: &str) -> Result<Library, AppError> {
    let db = crate::db()?;
    let detail = db.cluster(slug).await?;
    let cluster_id = db.cluster_id(slug).await?;
    let practices = db.practices(cluster_id, None).await?;
    let mut cities: Vec<CityRef> = Vec::new();
    let mut languages: Vec<String> = Vec::new();
    let mut tags: Vec<String> = Vec::new();
    for p in &practices {
        if !cities.iter().any(|c| c.slug == p.city.slug) {
            cities.push(p.city.clone());
        }
        if !languages.contains(&p.language) {
            languages.push(p.language.clone());
        }
        for t in &p.tags {
            if !tags.contains(t) {
                tags.push(t.clone());
            }
        }
    }
    cities.sort_by(|a, b| a.name.en.cmp(&b.name.en));
    languages.sort();
    tags.sort();
    let user = current_user()?;
    let allowed = match &user {
        Some(u) => postable_cities(&db, u, cluster_id, slug).await?,
        None => Vec::new(),
    };
    let editable = practices
        .iter()
        .filter(|p| allowed.iter().any(|(_, c)| c.slug == p.city.slug))
        .map(|p| p.id)
        .collect();
    Ok(Library {
        cluster: detail.cluster,
        practices,
        cities,
        languages,
        tags,
        can_share: !allowed.is_empty(),
        editable,
    })
}

/// The member cities of the cluster a user may share practices for: every member for an
/// administrator or the cluster's coordinators, their own cities for city coordinators.
async fn postable_cities(
    db: &Db,
    user: &SessionUser,
    cluster_id: i64,
    slug: &str,
) -> Result<Vec<(i64, CityRef)>, AppError> {
    let whole = user.roles.can_manage_cluster(cluster_id);
    let ids = db.member_ids(cluster_id).await?;
    let mut out = Vec::new();
    for c in db.cities(Some(slug)).await? {
        let Some(&(id, _)) = ids.iter().find(|(_, s)| *s == c.slug) else {
            continue;
        };
        if whole || user.roles.iter().any(|r| *r == Role::City(id)) {
            out.push((
                id,
                CityRef {
                    slug: c.slug,
                    name: c.name,
                    country: c.country,
                },
            ));
        }
    }
    Ok(out)
}

/// A coordinator who may share practices in a cluster, with what the checks found.
struct Sharer {
    db: Db,
    user: SessionUser,
    cluster_id: i64,
    /// The member cities they may share for, with their ids.
    allowed: Vec<(i64, CityRef)>,
}

/// A coordinator who may share practices in the cluster `slug`; 401, 404 or 403 otherwise.
async fn sharer(slug: &str) -> Result<Sharer, AppError> {
    let db = crate::db()?;
    let user = require_user()?;
    let cluster_id = db.cluster_id(slug).await?;
    let allowed = postable_cities(&db, &user, cluster_id, slug).await?;
    if allowed.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Sharer {
        db,
        user,
        cluster_id,
        allowed,
    })
}

pub async fn form(slug: &str, id: Option<i64>) -> Result<PracticeForm, AppError> {
    let s = sharer(slug).await?;
    let practice = match id {
        Some(id) => Some(
            editable(&s.db, &s.allowed, s.cluster_id, id)
                .await?
                .practice,
        ),
        None => None,
    };
    Ok(PracticeForm {
        cluster: s.db.cluster(slug).await?.cluster,
        cities: s.allowed.into_iter().map(|(_, c)| c).collect(),
        practice,
    })
}

/// A practice of this cluster from one of `allowed`'s cities, or 404/403.
async fn editable(
    db: &Db,
    allowed: &[(i64, CityRef)],
    cluster_id: i64,
    id: i64,
) -> Result<Stored, AppError> {
    let stored = db.practice(id).await?;
    if stored.cluster_id != cluster_id {
        return Err(AppError::NotFound);
    }
    if !allowed.iter().any(|(c, _)| *c == stored.city_id) {
        return Err(AppError::Forbidden);
    }
    Ok(stored)
}

pub struct Fields {
    pub city: String,
    pub title: String,
    pub summary: String,
    pub link: String,
    pub language: String,
    pub tags: String,
}

pub async fn save(lang: &str, slug: &str, id: &str, f: Fields) -> Result<(), AppError> {
    let s = sharer(slug).await?;
    let existing = match id.trim() {
        "" => None,
        raw => {
            let id = raw.parse::<i64>().map_err(|_| AppError::NotFound)?;
            Some((
                id,
                editable(&s.db, &s.allowed, s.cluster_id, id)
                    .await?
                    .practice,
            ))
        }
    };
    let checked = check(&f, &s.allowed)?;
    write(&s, existing, &f.city, &checked).await?;
    crate::redirect_to(lang, &format!("clusters/{slug}/practices?done=saved"));
    Ok(())
}

/// A practice's fields once every one of them is right.
struct Checked {
    city_id: i64,
    title: domain::Name,
    summary: String,
    link: String,
    language: String,
    tags: Tags,
}

/// The form's fields, each checked, or every problem found with the values typed.
fn check(f: &Fields, allowed: &[(i64, CityRef)]) -> Result<Checked, AppError> {
    let mut invalid = Invalid::default();
    for (k, v) in [
        ("city", &f.city),
        ("title", &f.title),
        ("summary", &f.summary),
        ("link", &f.link),
        ("language", &f.language),
        ("tags", &f.tags),
    ] {
        invalid.keep(k, v);
    }
    let city_id = allowed
        .iter()
        .find(|(_, c)| c.slug == f.city)
        .map(|(id, _)| *id);
    if city_id.is_none() {
        invalid.add("city", Problem::Choice);
    }
    let title = input::name_field(&mut invalid, "title", &f.title);
    let summary = input::optional_text(&mut invalid, "summary", &f.summary, 2000);
    if summary.is_empty() {
        invalid.add("summary", Problem::Required);
    }
    let link = input::web_address(&mut invalid, "link", &f.link);
    if f.link.trim().is_empty() {
        invalid.add("link", Problem::Required);
    }
    if !MEETING_LANGUAGES.contains(&f.language.as_str()) {
        invalid.add("language", Problem::Choice);
    }
    let tags = Tags::parse(&f.tags)
        .map_err(|e| invalid.add("tags", input::problem_of(e)))
        .ok();
    invalid.into_result()?;
    let (Some(city_id), Some(title), Some(link), Some(tags)) = (city_id, title, link, tags) else {
        return Err(AppError::Internal);
    };
    Ok(Checked {
        city_id,
        title,
        summary,
        link,
        language: f.language.clone(),
        tags,
    })
}

/// Stores a new practice, or rewrites `existing` (its id and what it said), with its audit
/// entry; `city` is the slug the form named.
async fn write(
    s: &Sharer,
    existing: Option<(i64, Practice)>,
    city: &str,
    c: &Checked,
) -> Result<(), AppError> {
    let new = NewPractice {
        cluster_id: s.cluster_id,
        city_id: c.city_id,
        title: c.title.as_str(),
        summary: &c.summary,
        link: &c.link,
        language: &c.language,
        tags: &c.tags,
    };
    let now = chrono::Utc::now();
    let mut tx = s.db.begin_write().await?;
    let (action, practice_id, before) = match &existing {
        None => {
            let id = db::practices::create(&mut tx, &new, s.user.user.id, now.timestamp()).await?;
            (audit::Action::PracticeCreate, id, serde_json::Value::Null)
        }
        Some((id, before)) => {
            db::practices::update(&mut tx, *id, &new, now.timestamp()).await?;
            (audit::Action::PracticeUpdate, *id, audit::json(before)?)
        }
    };
    let after = serde_json::json!({
        "city": city, "title": new.title, "summary": new.summary, "link": new.link,
        "language": new.language, "tags": c.tags.as_slice(),
    });
    audit::record(
        &mut tx,
        s.user.actor(),
        action,
        audit::Target::new(
            practice_id,
            audit::Scope::city_in_cluster(c.city_id, s.cluster_id),
        ),
        Some(before),
        Some(after),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete(lang: &str, slug: &str, id: i64, confirmed: bool) -> Result<(), AppError> {
    let Sharer {
        db,
        user,
        cluster_id,
        allowed,
    } = sharer(slug).await?;
    let stored = editable(&db, &allowed, cluster_id, id).await?;
    if !confirmed {
        return Err(Invalid::only("confirm", Problem::Confirm));
    }
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    db::practices::delete(&mut tx, id).await?;
    audit::record(
        &mut tx,
        user.actor(),
        audit::Action::PracticeDelete,
        audit::Target::new(
            id,
            audit::Scope::city_in_cluster(stored.city_id, cluster_id),
        ),
        Some(audit::json(&stored.practice)?),
        Some(serde_json::Value::Null),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(lang, &format!("clusters/{slug}/practices?done=deleted"));
    Ok(())
}

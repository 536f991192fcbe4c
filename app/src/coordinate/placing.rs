//! A member city as the map shows it: its names, position and year of joining (its coordinators
//! and administrators keep them), and its clusters and lead roles (administrators only, as the
//! foundation assigns them). Every change is audited; the roster import rewrites the same rows.

use super::pages::AreaPage;
use crate::accounts::Notice;
use crate::forms::{error_of, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, link_to};
use crate::AppError;
use domain::{CityFacts, Localized};
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Placing {
    pub name: Localized,
    pub facts: CityFacts,
    /// Every cluster with this city's role in it.
    pub memberships: Vec<Membership>,
    /// Whether the visitor may change the memberships.
    pub admin: bool,
}

/// A cluster, and the city's role in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Membership {
    pub cluster: String,
    pub name: Localized,
    pub role: ClusterRole,
}

/// A city's role in a cluster, as its form posts it: `""` (not a member), `member` or `lead`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClusterRole {
    #[serde(rename = "")]
    Outside,
    Member,
    Lead,
}

impl ClusterRole {
    /// In the order the form offers them.
    pub const ALL: [ClusterRole; 3] =
        [ClusterRole::Outside, ClusterRole::Member, ClusterRole::Lead];

    /// The word the form posts for it.
    pub fn as_str(self) -> &'static str {
        match self {
            ClusterRole::Outside => "",
            ClusterRole::Member => "member",
            ClusterRole::Lead => "lead",
        }
    }

    /// The city's role in the cluster `slug`, from the clusters it belongs to.
    #[cfg(feature = "ssr")]
    pub fn in_cluster(clusters: &[domain::ClusterRole], slug: &str) -> Self {
        match clusters.iter().find(|r| r.slug == slug) {
            Some(r) if r.lead => ClusterRole::Lead,
            Some(_) => ClusterRole::Member,
            None => ClusterRole::Outside,
        }
    }
}

#[server(endpoint = "city_placing")]
pub async fn get_placing(slug: String) -> Result<Placing, AppError> {
    let db = crate::db()?;
    let (me, _) = crate::accounts::session::require_city(&db, &slug).await?;
    let city = db.city(&slug).await?.city;
    let memberships = db
        .clusters()
        .await?
        .into_iter()
        .map(|k| Membership {
            role: ClusterRole::in_cluster(&city.clusters, &k.slug),
            cluster: k.slug,
            name: k.name,
        })
        .collect();
    Ok(Placing {
        facts: facts_of(&city),
        name: city.name,
        memberships,
        admin: me.roles.is_admin(),
    })
}

/// What the form shows of a city, and what the audit log keeps of it before a change.
#[cfg(feature = "ssr")]
fn facts_of(city: &domain::CitySummary) -> CityFacts {
    CityFacts {
        name_en: city.name.en.clone(),
        name_it: city.name.it.clone(),
        latitude: city.latitude,
        longitude: city.longitude,
        joined: city.joined,
    }
}

#[server(endpoint = "update_city_facts")]
pub async fn update_city_facts(
    lang: String,
    slug: String,
    name_en: String,
    name_it: String,
    latitude: String,
    longitude: String,
    joined: String,
) -> Result<(), AppError> {
    let db = crate::db()?;
    let (me, id) = crate::accounts::session::require_city(&db, &slug).await?;
    let form = FactsForm {
        name_en: &name_en,
        name_it: &name_it,
        latitude: &latitude,
        longitude: &longitude,
        joined: &joined,
    };
    let facts = checked_facts(form)?;
    let before = facts_of(&db.city(&slug).await?.city);
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    db::network::update_city_facts(&mut tx, id, &facts).await?;
    crate::audit::record(
        &mut tx,
        me.actor(),
        crate::audit::Action::CityFacts,
        crate::audit::Target::new(&slug, crate::audit::Scope::city(id)),
        Some(crate::audit::json(&before)?),
        Some(crate::audit::json(&facts)?),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(&lang, &format!("coordinate/cities/{slug}/map?done=saved"));
    Ok(())
}

/// The facts form as posted.
#[cfg(feature = "ssr")]
struct FactsForm<'a> {
    name_en: &'a str,
    name_it: &'a str,
    latitude: &'a str,
    longitude: &'a str,
    joined: &'a str,
}

/// The facts form, each field checked, or every problem found with the values typed.
#[cfg(feature = "ssr")]
fn checked_facts(form: FactsForm<'_>) -> Result<CityFacts, AppError> {
    use crate::forms::input::name_field;
    use crate::Invalid;
    let mut invalid = Invalid::default();
    for (k, v) in [
        ("name_en", form.name_en),
        ("name_it", form.name_it),
        ("latitude", form.latitude),
        ("longitude", form.longitude),
        ("joined", form.joined),
    ] {
        invalid.keep(k, v);
    }
    let en = name_field(&mut invalid, "name_en", form.name_en);
    let it = name_field(&mut invalid, "name_it", form.name_it);
    let at = crate::forms::input::position(&mut invalid, form.latitude, form.longitude, None, true);
    let joined = joined_year(&mut invalid, form.joined);
    invalid.into_result()?;
    let (Some(en), Some(it), Some((latitude, longitude))) = (en, it, at) else {
        return Err(AppError::Internal);
    };
    Ok(CityFacts {
        name_en: en.as_str().to_owned(),
        name_it: it.as_str().to_owned(),
        latitude,
        longitude,
        joined,
    })
}

/// The year a city joined, if given: the network began in 2013, and a year to come is a typing
/// mistake.
#[cfg(feature = "ssr")]
fn joined_year(invalid: &mut crate::Invalid, raw: &str) -> Option<i32> {
    use crate::Problem;
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    match raw.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(y) if (2013..=this_year).contains(&y) => Some(y),
            Ok(_) => {
                invalid.add("joined", Problem::OutOfRange);
                None
            }
            Err(_) => {
                invalid.add("joined", Problem::Number);
                None
            }
        },
    }
}

/// Sets the city's role in one cluster.
#[server(endpoint = "set_cluster_role")]
pub async fn set_cluster_role(
    lang: String,
    slug: String,
    cluster: String,
    role: ClusterRole,
) -> Result<(), AppError> {
    use crate::{Invalid, Problem};
    let me = crate::accounts::session::require_admin()?;
    let db = crate::db()?;
    let city_id = db.city_id(&slug).await?;
    let cluster_id = db.cluster_id(&cluster).await.map_err(|e| match e {
        db::DbError::NotFound => Invalid::only("cluster", Problem::UnknownRecord),
        other => other.into(),
    })?;
    let lead = match role {
        ClusterRole::Outside => None,
        ClusterRole::Member => Some(false),
        ClusterRole::Lead => Some(true),
    };
    let city = db.city(&slug).await?.city;
    let before = ClusterRole::in_cluster(&city.clusters, &cluster);
    let now = chrono::Utc::now();
    let mut tx = db.begin_write().await?;
    db::network::set_cluster_role(&mut tx, city_id, cluster_id, lead).await?;
    crate::audit::record(
        &mut tx,
        me.actor(),
        crate::audit::Action::CityClusterRole,
        crate::audit::Target::new(
            &slug,
            crate::audit::Scope::city_in_cluster(city_id, cluster_id),
        ),
        Some(serde_json::json!({ "cluster": cluster, "role": before.as_str() })),
        Some(serde_json::json!({ "cluster": cluster, "role": role.as_str() })),
        now,
    )
    .await?;
    tx.commit().await?;
    crate::redirect_to(&lang, &format!("coordinate/cities/{slug}/map?done=saved"));
    Ok(())
}

#[component]
pub fn CityPlacingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let data = Resource::new(slug, get_placing);
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, placing_title).to_owned())
            resource=data
            body={move |p: Placing| view! { <PlacingForms slug=slug() p /> }}
        />
    }
}

#[component]
fn PlacingForms(slug: String, p: Placing) -> impl IntoView {
    let i18n = use_i18n();
    let facts = ServerAction::<UpdateCityFacts>::new();
    let error = error_of(facts);
    let f = p.facts;
    let name = in_lang(i18n, p.name);
    let public = format!("cities/{slug}/map");
    let memberships = p.admin.then(|| (slug.clone(), p.memberships));
    view! {
        <h1>{t!(i18n, placing_title)} ": " {name}</h1>
        <Notice />
        <p>{t!(i18n, placing_intro)}</p>
        <p><a href=link_to(i18n, public)>{t!(i18n, edit_view_public)}</a></p>
        <ActionForm action=facts attr:class="form" attr:novalidate=true>
            <LangInput />
            <input type="hidden" name="slug" value=slug.clone() />
            <FormAlert error />
            <Field name="name_en" label=Signal::derive(move || t_string!(i18n, placing_name_en).to_owned()) kind=Kind::Text value=f.name_en required=true error />
            <Field name="name_it" label=Signal::derive(move || t_string!(i18n, placing_name_it).to_owned()) kind=Kind::Text value=f.name_it required=true error />
            <Field
                name="latitude"
                label=Signal::derive(move || t_string!(i18n, field_latitude).to_owned())
                hint=Signal::derive(move || t_string!(i18n, placing_position_hint).to_owned())
                kind=Kind::Text
                value=f.latitude.to_string()
                required=true
                error
            />
            <Field name="longitude" label=Signal::derive(move || t_string!(i18n, field_longitude).to_owned()) kind=Kind::Text value=f.longitude.to_string() required=true error />
            <Field
                name="joined"
                label=Signal::derive(move || t_string!(i18n, city_joined).to_owned())
                kind=Kind::Number
                value=f.joined.map(|y| y.to_string()).unwrap_or_default()
                error
            />
            <button type="submit" class="button">{t!(i18n, save)}</button>
        </ActionForm>
        {memberships.map(|(slug, memberships)| view! { <Memberships slug memberships /> })}
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, back_to_dashboard)}</a></p>
    }
}

/// One small form per cluster, so that each change is one audited step and needs no script.
#[component]
fn Memberships(slug: String, memberships: Vec<Membership>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetClusterRole>::new();
    let error = error_of(action);
    view! {
        <section aria-labelledby="memberships-heading">
            <h2 id="memberships-heading">{t!(i18n, placing_clusters)}</h2>
            <FormAlert error />
            <ul class="memberships">
                {memberships.into_iter().map(|Membership { cluster, name, role }| {
                    let slug = slug.clone();
                    let id = format!("role-{cluster}");
                    view! {
                        <li>
                            <ActionForm action attr:class="inline-form">
                                <LangInput />
                                <input type="hidden" name="slug" value=slug.clone() />
                                <input type="hidden" name="cluster" value=cluster.clone() />
                                <label for=id.clone()>{in_lang(i18n, name.clone())}</label>
                                <select id=id name="role">
                                    {ClusterRole::ALL.into_iter().map(|option| {
                                        let selected = option == role;
                                        view! {
                                            <option value=option.as_str() selected=selected>{move || match option {
                                                ClusterRole::Member => t_string!(i18n, placing_role_member),
                                                ClusterRole::Lead => t_string!(i18n, placing_role_lead),
                                                ClusterRole::Outside => t_string!(i18n, placing_role_none),
                                            }}</option>
                                        }
                                    }).collect_view()}
                                </select>
                                <button type="submit" class="button button--small">
                                    {t!(i18n, save)}
                                    <span class="visually-hidden">": " {in_lang(i18n, name)}</span>
                                </button>
                            </ActionForm>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

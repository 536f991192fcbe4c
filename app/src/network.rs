//! The network as a whole: home page with its clusters, the member-city list, cluster pages.

use crate::i18n::*;
use crate::layout::{in_lang, link_to, ErrorContent, PageMeta};
use crate::AppError;
use domain::{CitySummary, ClusterDetail, ClusterSummary, NetworkOverview};
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

#[server]
pub async fn get_overview() -> Result<NetworkOverview, AppError> {
    Ok(crate::db()?.network_overview().await?)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Members {
    pub clusters: Vec<ClusterSummary>,
    pub cities: Vec<CitySummary>,
    /// The cluster the list is filtered by, as the server understood the request.
    pub selected: Option<String>,
}

/// Member cities, optionally of one cluster; an unknown cluster is a 404, not an empty list.
#[server]
pub async fn get_members(cluster: Option<String>) -> Result<Members, AppError> {
    let db = crate::db()?;
    let clusters = db.clusters().await?;
    let cluster = cluster.filter(|c| !c.is_empty());
    if let Some(c) = &cluster {
        if !clusters.iter().any(|k| &k.slug == c) {
            return Err(AppError::NotFound);
        }
    }
    let cities = db.cities(cluster.as_deref()).await?;
    Ok(Members {
        clusters,
        cities,
        selected: cluster,
    })
}

#[server]
pub async fn get_cluster(slug: String) -> Result<ClusterDetail, AppError> {
    Ok(crate::db()?.cluster(&slug).await?)
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let overview = Resource::new(|| (), |_| get_overview());
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, home_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, home_description).to_owned())
        />
        <section class="hero">
            <h1>{t!(i18n, home_title)}</h1>
            <p class="lead">{t!(i18n, home_intro)}</p>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(o) => {
                            let (cities, countries) = (o.cities, o.countries);
                            view! {
                                <p class="stats">{t!(i18n, home_stats, cities = move || cities, countries = move || countries)}</p>
                                <nav class="actions" aria-label=move || t_string!(i18n, home_actions_label)>
                                    <a class="button" href=link_to(i18n, "map")>{t!(i18n, nav_map)}</a>
                                    <a class="button button--secondary" href=link_to(i18n, "calendar")>{t!(i18n, nav_calendar)}</a>
                                    <a class="button button--secondary" href=link_to(i18n, "pact")>{t!(i18n, nav_pact)}</a>
                                </nav>
                                <h2>{t!(i18n, clusters_heading)}</h2>
                                <ul class="card-grid">
                                    {o.clusters.into_iter().map(|c| view! { <ClusterCard cluster=c /> }).collect_view()}
                                </ul>
                            }
                            .into_any()
                        }
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ClusterCard(cluster: ClusterSummary) -> impl IntoView {
    let i18n = use_i18n();
    let link = format!("clusters/{}", cluster.slug);
    let members = cluster.members;
    let leads = cluster.leads;
    view! {
        <li class="card">
            <h3><a href=link_to(i18n, link)>{in_lang(i18n, cluster.name)}</a></h3>
            <p>{in_lang(i18n, cluster.description)}</p>
            <p class="muted">{t!(i18n, cluster_members, count = move || members)}</p>
            {if leads.is_empty() {
                view! { <p class="muted">{t!(i18n, cluster_no_lead)}</p> }.into_any()
            } else {
                view! {
                    <p>
                        <span class="label">{t!(i18n, cluster_led_by)} ": "</span>
                        {leads
                            .into_iter()
                            .enumerate()
                            .map(|(i, c)| {
                                let link = format!("cities/{}", c.slug);
                                view! {
                                    {(i > 0).then_some(", ")}
                                    <a href=link_to(i18n, link)>{in_lang(i18n, c.name)}</a>
                                }
                            })
                            .collect_view()}
                    </p>
                }
                .into_any()
            }}
        </li>
    }
}

/// The member cities as a table: the accessible twin of the map, and its no-JS filter.
#[component]
pub fn MembersPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let cluster = move || query.read().get("cluster").filter(|s| !s.is_empty());
    let members = Resource::new(cluster, get_members);
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, map_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, map_description).to_owned())
        />
        <h1>{t!(i18n, map_title)}</h1>
        <p>{t!(i18n, map_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match members.await {
                    Ok(m) => {
                        let selected = m.selected.unwrap_or_default();
                        let count = m.cities.len();
                        view! {
                            <Form method="GET" action="" attr:class="filters">
                                <label for="cluster">{t!(i18n, filter_cluster)}</label>
                                <select id="cluster" name="cluster">
                                    <option value="" selected=selected.is_empty()>{t!(i18n, filter_all_clusters)}</option>
                                    {m.clusters.into_iter().map(|c| {
                                        let chosen = c.slug == selected;
                                        view! {
                                            <option value=c.slug selected=chosen>
                                                {in_lang(i18n, c.name)}
                                            </option>
                                        }
                                    }).collect_view()}
                                </select>
                                <button type="submit">{t!(i18n, filter_apply)}</button>
                            </Form>
                            <p role="status">{t!(i18n, filter_count, count = move || count)}</p>
                            <CityTable cities=m.cities />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn CityTable(cities: Vec<CitySummary>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="table-wrap">
            <table class="cities">
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, table_city)}</th>
                        <th scope="col">{t!(i18n, table_country)}</th>
                        <th scope="col">{t!(i18n, table_clusters)}</th>
                        <th scope="col">{t!(i18n, table_joined)}</th>
                    </tr>
                </thead>
                <tbody>
                    {cities
                        .into_iter()
                        .map(|c| {
                            let link = format!("cities/{}", c.slug);
                            view! {
                                <tr>
                                    <th scope="row"><a href=link_to(i18n, link)>{in_lang(i18n, c.name)}</a></th>
                                    <td>{in_lang(i18n, c.country_name)}</td>
                                    <td>
                                        <ul class="tags">
                                            {c.clusters.into_iter().map(|k| {
                                                view! {
                                                    <li class:lead=k.lead>
                                                        {in_lang(i18n, k.name)}
                                                        {k.lead.then(|| view! { " (" {t!(i18n, lead)} ")" })}
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </td>
                                    <td>{c.joined.map(|y| y.to_string())}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
pub fn ClusterPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let cluster = Resource::new(slug, get_cluster);
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match cluster.await {
                    Ok(d) => {
                        let name = in_lang(i18n, d.cluster.name);
                        let description = in_lang(i18n, d.cluster.description);
                        view! {
                            <PageMeta
                                title=Signal::derive(name.clone())
                                description=Signal::derive(description.clone())
                            />
                            <h1>{name}</h1>
                            <p class="lead">{description}</p>
                            <h2>{t!(i18n, cluster_members_heading)}</h2>
                            <CityTable cities=d.cities />
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

//! The network as a whole: the home page with its clusters.

use crate::i18n::*;
use crate::layout::{in_lang, link_to, ErrorContent, PageMeta};
use crate::AppError;
use domain::{ClusterSummary, NetworkOverview};
use leptos::prelude::*;

#[server]
pub async fn get_overview() -> Result<NetworkOverview, AppError> {
    Ok(crate::db()?.network_overview().await?)
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
                                <h2 id="find-city">{t!(i18n, home_find_city)}</h2>
                                <crate::directory::CitySearch value=String::new() />
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

/// A city's clusters as tags, the ones it leads marked "lead" in words, not by style alone.
#[component]
pub fn ClusterTags(roles: Vec<(domain::Localized, bool)>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ul class="tags">
            {roles.into_iter().map(|(name, lead)| view! {
                <li class:lead=lead>
                    {in_lang(i18n, name)}
                    {lead.then(|| view! { " (" {t!(i18n, lead)} ")" })}
                </li>
            }).collect_view()}
        </ul>
    }
}

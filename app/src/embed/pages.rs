//! The widgets' pages: one layout without the site's chrome, and each widget made of the full
//! pages' own components.

use super::{full_page, Frame};
use crate::calendar::Scope;
use crate::forms::problem_text;
use crate::i18n::*;
use crate::layout::{set_status, ErrorContent};
use crate::map::MapFilter;
use leptos::prelude::*;
use leptos_meta::{Html, Meta, Title};
use leptos_router::components::Outlet;
use leptos_router::hooks::{use_location, use_params_map};

/// The query of the page being rendered, as pairs.
fn query_pairs() -> Vec<(String, String)> {
    let search = use_location().search.get_untracked();
    form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// Every widget's page: its theme from the address (or, when a value is refused, a 400 that
/// names it), the widget, and a credit that links to the full page.
#[component]
pub fn EmbedLayout() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let search = location.search.get_untracked();
    let theme = super::theme_of(search.trim_start_matches('?'));
    let lang = move || i18n.get_locale().as_str();
    let dir = move || i18n.get_locale().direction().as_str();
    let scheme = theme.as_ref().map(|t| t.scheme.as_str()).unwrap_or("auto");
    let full = full_page(
        &location.pathname.get_untracked(),
        search.trim_start_matches('?'),
    );
    let body = match theme {
        Ok(theme) => {
            provide_context(Frame { theme });
            view! { <Outlet /> }.into_any()
        }
        Err(refused) => {
            set_status(http::StatusCode::BAD_REQUEST);
            view! {
                <h1>{t!(i18n, embed_refused_title)}</h1>
                <ul>
                    {refused.into_iter().map(|(key, e)| {
                        let problem = problem_text(i18n, crate::forms::problem_of(e));
                        view! { <li><code>{key}</code> ": " {problem}</li> }
                    }).collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <Html attr:lang=lang attr:dir=dir attr:data-scheme=scheme attr:class="embed" />
        <Meta name="robots" content="noindex" />
        <main id="main" class="embed-main">{body}</main>
        <p class="embed-credit">
            <a href=full>{t!(i18n, embed_credit)}</a>
        </p>
    }
}

/// The calendar with any filter of the calendar pages; a city or a cluster in the address
/// fixes the widget to it.
#[component]
pub fn EmbedCalendar() -> impl IntoView {
    let i18n = use_i18n();
    let pairs = query_pairs();
    let value = |key: &str| {
        pairs
            .iter()
            .find(|(k, v)| k == key && !v.is_empty())
            .map(|(_, v)| v.clone())
    };
    let scope = match (value("city"), value("cluster")) {
        (Some(city), _) => Scope::City(city),
        (None, Some(cluster)) => Scope::Cluster(cluster),
        _ => Scope::Network,
    };
    view! {
        <Title text=move || t_string!(i18n, calendar_title) />
        <h1 class="embed-title">{t!(i18n, calendar_title)}</h1>
        <crate::calendar::Calendar scope />
    }
}

/// One meeting's date with its registration form.
#[component]
pub fn EmbedMeeting() -> impl IntoView {
    view! { <crate::calendar::MeetingPage /> }
}

/// The network's map, or a cluster's, a region's or a country's member cities.
#[component]
pub fn EmbedMap() -> impl IntoView {
    let i18n = use_i18n();
    let pairs = query_pairs();
    let filter = MapFilter::from_pairs(
        pairs
            .into_iter()
            .filter(|(k, _)| matches!(k.as_str(), "cluster" | "region" | "country" | "q")),
    );
    view! {
        <Title text=move || t_string!(i18n, map_title) />
        <h1 class="embed-title">{t!(i18n, map_title)}</h1>
        <crate::map::NetworkMap map=crate::map::map_of(Signal::stored(filter)) fixed=true />
    }
}

/// A city's learning places.
#[component]
pub fn EmbedCityMap() -> impl IntoView {
    let i18n = use_i18n();
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let places = crate::map::city::city_places(slug);
    view! {
        <Title text=move || t_string!(i18n, places_title) />
        <h1 class="embed-title">{t!(i18n, places_title)}</h1>
        <crate::map::city::CityPlacesMap places />
    }
}

/// The pact's sign-up form.
#[component]
pub fn EmbedPactJoin() -> impl IntoView {
    view! { <crate::pact::JoinPage /> }
}

/// The pact's public list of adherents, with its search.
#[component]
pub fn EmbedAdherents() -> impl IntoView {
    let slug = use_params_map()
        .read_untracked()
        .get("slug")
        .unwrap_or_default();
    let i18n = use_i18n();
    let pact = crate::pact::pact_data(slug);
    view! {
        <Title text=move || t_string!(i18n, pact_adherents) />
        <crate::pact::PactSection pact adherents_only=true />
    }
}

/// The "we adhere" badge of one adherent, linking to its certificate.
#[component]
pub fn EmbedBadge() -> impl IntoView {
    let i18n = use_i18n();
    let certificate = crate::pact::certificate_resource(i18n);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match certificate.await {
                    Ok(c) => {
                        let a = c.adherent;
                        let alt = format!(
                            "{}: {} {} · {}",
                            a.organisation,
                            t_string!(i18n, badge_we_adhere),
                            c.title.get(i18n.get_locale().as_str()),
                            c.city.name.get(i18n.get_locale().as_str())
                        );
                        let href = crate::layout::link_to(
                            i18n,
                            format!("cities/{}/pact/adherents/{}", c.city.slug, a.id),
                        );
                        view! {
                            <Title text=a.organisation.clone() />
                            <h1 class="visually-hidden">{a.organisation.clone()}</h1>
                            <p class="embed-badge">
                                <a href=href><img src=c.badge_url alt=alt width="320" height="96" /></a>
                            </p>
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

//! A member city's pages: overview, map, calendar and pact, under `/cities/{slug}`.

use crate::i18n::*;
use crate::layout::{in_lang, link_to, slug_param, ErrorContent, PageMeta};
use crate::AppError;
use domain::CityDetail;
use leptos::prelude::*;

#[server]
pub async fn get_city(slug: String) -> Result<CityDetail, AppError> {
    Ok(crate::db()?.city(&slug).await?)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Overview,
    Map,
    Calendar,
    Pact,
}

impl Section {
    const ALL: [Section; 4] = [
        Section::Overview,
        Section::Map,
        Section::Calendar,
        Section::Pact,
    ];

    fn path(self, slug: &str) -> String {
        match self {
            Section::Overview => format!("cities/{slug}"),
            Section::Map => format!("cities/{slug}/map"),
            Section::Calendar => format!("cities/{slug}/calendar"),
            Section::Pact => format!("cities/{slug}/pact"),
        }
    }
}

#[component]
pub fn CityOverviewPage() -> impl IntoView {
    view! { <CityFrame section=Section::Overview content=|detail| view! { <Overview detail /> }.into_any() /> }
}

// Each section's own data is asked for here, beside the city's, never in the view built once
// the city is in: on the server `Suspense` builds that view twice, and a resource created there
// would query the database for a copy that is thrown away. Each page also brings its own view,
// so that a lazy page's code (the calendar, the pact) is reachable from that page alone. That
// data is keyed on the slug the page opened with, read without subscribing to the address.

#[component]
pub fn CityMapPage() -> impl IntoView {
    let places = crate::map::city::city_places(untrack(slug_param()));
    view! {
        <CityFrame
            section=Section::Map
            content=move |detail| {
                view! {
                    <Whereabouts detail />
                    <crate::map::city::CityPlacesMap places />
                }
                .into_any()
            }
        />
    }
}

#[component]
pub fn CityCalendarPage() -> impl IntoView {
    let data = crate::calendar::calendar_data(crate::calendar::Scope::City(untrack(slug_param())));
    view! {
        <CityFrame
            section=Section::Calendar
            content=move |detail| {
                let scope = crate::calendar::Scope::City(detail.city.slug);
                view! { <crate::calendar::CalendarView scope data /> }.into_any()
            }
        />
    }
}

#[component]
pub fn CityPactPage() -> impl IntoView {
    let pact = crate::pact::pact_data(untrack(slug_param()));
    view! {
        <CityFrame
            section=Section::Pact
            content=move |_| view! { <crate::pact::PactSection pact /> }.into_any()
        />
    }
}

/// Loads the city once and renders its heading, section navigation and the chosen section.
#[component]
fn CityFrame<F>(section: Section, content: F) -> impl IntoView
where
    F: Fn(CityDetail) -> AnyView + Copy + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let city = Resource::new(slug_param(), get_city);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match city.await {
                    Ok(d) => view! { <CityView detail=d section content /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CityView<F>(detail: CityDetail, section: Section, content: F) -> impl IntoView
where
    F: Fn(CityDetail) -> AnyView + Send + Sync + 'static,
{
    let i18n = use_i18n();
    let name = in_lang(i18n, detail.city.name.clone());
    let country = in_lang(i18n, detail.city.country_name.clone());
    let slug = detail.city.slug.clone();
    let section_title = {
        let name = name.clone();
        move || -> String {
            let city = name();
            let part = match section {
                Section::Overview => return city,
                Section::Map => t_string!(i18n, city_map),
                Section::Calendar => t_string!(i18n, city_calendar),
                Section::Pact => t_string!(i18n, city_pact),
            };
            format!("{part} · {city}")
        }
    };
    let description = {
        let (name, country) = (name.clone(), country.clone());
        move || {
            td_string!(
                i18n.get_locale(),
                city_description,
                city = name(),
                country = country()
            )
            .to_string()
        }
    };
    view! {
        <PageMeta title=Signal::derive(section_title) description=Signal::derive(description) />
        <header class="page-header">
            <h1>{name}</h1>
            <p class="muted">{country}</p>
        </header>
        <nav class="tabs" aria-label=move || t_string!(i18n, city_sections_label)>
            <ul>
                {Section::ALL.into_iter().map(|s| {
                    let link = s.path(&slug);
                    let label = move || match s {
                        Section::Overview => t_string!(i18n, city_overview),
                        Section::Map => t_string!(i18n, city_map),
                        Section::Calendar => t_string!(i18n, city_calendar),
                        Section::Pact => t_string!(i18n, city_pact),
                    };
                    view! {
                        <li>
                            <a href=link_to(i18n, link) aria-current=(s == section).then_some("page")>{label}</a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </nav>
        {content(detail)}
    }
}

#[component]
fn Overview(detail: CityDetail) -> impl IntoView {
    let i18n = use_i18n();
    let c = detail.city;
    let country = c.country_name.clone();
    let profile = detail.profile;
    let (about_en, about_it) = (profile.description_en, profile.description_it);
    let has_about = !about_en.is_empty() || !about_it.is_empty();
    let paragraphs = move || {
        // Either language stands in for the other rather than leaving the section empty.
        let text = match i18n.get_locale().as_str() {
            "it" if !about_it.is_empty() => about_it.clone(),
            _ if about_en.is_empty() => about_it.clone(),
            _ => about_en.clone(),
        };
        text.split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| view! { <p>{p.trim().to_owned()}</p> })
            .collect_view()
    };
    view! {
        {has_about.then(|| view! {
            <section class="about" aria-labelledby="about-heading">
                <h2 id="about-heading">{t!(i18n, city_about)}</h2>
                {paragraphs}
            </section>
        })}
        {profile.website.map(|url| view! {
            <p><a href=url rel="external">{t!(i18n, city_website)}</a></p>
        })}
        <dl class="facts">
            <div><dt>{t!(i18n, city_country)}</dt><dd>{in_lang(i18n, country)}</dd></div>
            <div><dt>{t!(i18n, city_timezone)}</dt><dd>{c.timezone.clone()}</dd></div>
            {c.joined.map(|y| view! { <div><dt>{t!(i18n, city_joined)}</dt><dd>{y}</dd></div> })}
        </dl>
        <h2>{t!(i18n, city_clusters)}</h2>
        {if c.clusters.is_empty() {
            view! { <p>{t!(i18n, city_no_clusters)}</p> }.into_any()
        } else {
            view! {
                <ul class="link-list">
                    {c.clusters.into_iter().map(|k| {
                        let link = format!("clusters/{}", k.slug);
                        view! {
                            <li>
                                <a href=link_to(i18n, link)>{in_lang(i18n, k.name)}</a>
                                {k.lead.then(|| view! { " " <span class="badge">{t!(i18n, lead)}</span> })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
        <h2>{t!(i18n, city_sectors)}</h2>
        {if detail.sectors.is_empty() {
            view! { <p>{t!(i18n, city_no_sectors)}</p> }.into_any()
        } else {
            view! {
                <p>{t!(i18n, city_sectors_intro)}</p>
                <ul class="tags">
                    {detail.sectors.into_iter().map(|s| view! { <li>{in_lang(i18n, s.name)}</li> }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

#[component]
fn Whereabouts(detail: CityDetail) -> impl IntoView {
    let i18n = use_i18n();
    let c = detail.city;
    let (lat, lon) = (c.latitude, c.longitude);
    view! {
        <p>{t!(i18n, city_map_intro)}</p>
        <dl class="facts">
            <div>
                <dt>{t!(i18n, city_coordinates)}</dt>
                <dd>
                    {format!("{lat:.4}")} " " {t!(i18n, latitude)} ", "
                    {format!("{lon:.4}")} " " {t!(i18n, longitude)}
                </dd>
            </div>
            <div><dt>{t!(i18n, city_timezone)}</dt><dd>{c.timezone}</dd></div>
        </dl>
    }
}

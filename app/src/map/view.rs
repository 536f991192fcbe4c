//! The map page and the map component (filters as parameters, so that a widget can show any
//! part of the network), with its legend, city card and table twin.

use super::live::{city_card, CardLabels, LiveMapSlot};
use super::live::{shape, NO_CLUSTER, SHAPES};
use super::{get_world_map, MapCity, MapFilter, WorldMap};
use crate::forms::FilterSelect;
use crate::i18n::*;
use crate::layout::{in_lang, link_to, ErrorContent, I18n, PageMeta, TableScroll};
use crate::network::ClusterTags;
use crate::AppError;
use domain::Region;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

/// On-screen radius of a marker, in CSS pixels.
pub(super) const MARKER_PX: f64 = 7.0;
/// The radius of a marker's target, in the marker's units (`MARKER_PX` pixels on a map
/// `ASSUMED_PX` wide): without JavaScript the map is never drawn narrower than about 580 px
/// (style/main.css), where this is 12 px.
const HIT_RADIUS: &str = "2.2";
/// Before the page knows its width, markers are sized for a map this many pixels wide.
const ASSUMED_PX: f64 = 720.0;

/// How the table twin is ordered, as `sort` and `dir` in the address say.
pub use domain::filters::{MapColumn as Column, MapSort as Sort};

/// The network's map page: filters from the address, the map, its legend and its table.
#[component]
pub fn MapPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = Memo::new(move |_| {
        let q = query.read();
        MapFilter::from_pairs(
            ["cluster", "region", "country", "q"]
                .into_iter()
                .filter_map(|k| q.get_str(k).map(|v| (k, v.to_owned()))),
        )
    });
    let sort = Memo::new(move |_| {
        let q = query.read();
        Sort::parse(q.get_str("sort"), q.get_str("dir"))
    });
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, map_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, map_description).to_owned())
        />
        <h1>{t!(i18n, map_title)}</h1>
        <p>{t!(i18n, map_intro)}</p>
        <NetworkMap map=map_of(filter) sort />
    }
}

/// The member cities of `filter`, for [`NetworkMap`]. Created beside the page's own data, never
/// inside a view built from it (see [`crate::calendar::calendar_data`]).
pub fn map_of(filter: impl Into<Signal<MapFilter>>) -> Resource<Result<WorldMap, AppError>> {
    let filter = filter.into();
    Resource::new(move || filter.get(), get_world_map)
}

/// Member cities on the world map, with the filter form and the table twin.
#[component]
pub fn NetworkMap(
    map: Resource<Result<WorldMap, AppError>>,
    #[prop(into, optional)] sort: Signal<Sort>,
    /// The page fixes the filter itself (a cluster's members): no filter form.
    #[prop(optional)]
    fixed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match map.await {
                    Ok(m) => {
                        let m = Arc::new(m);
                        let count = m.cities.len();
                        view! {
                            {(!fixed).then(|| view! { <MapFilters m=m.clone() sort /> })}
                            <p role="status" class="muted">{t!(i18n, filter_count, count = move || count)}</p>
                            <MapFigure m=m.clone() />
                            // A widget's map stands alone: its markers are named links, and
                            // the full page (the widget's credit) has the table.
                            {crate::frame::frame().is_none().then(|| view! { <MapTable m sort /> })}
                        }
                        .into_any()
                    }
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn region_name(i18n: I18n, r: Region) -> String {
    match r {
        Region::Africa => t_string!(i18n, region_africa),
        Region::ArabStates => t_string!(i18n, region_arab_states),
        Region::AsiaPacific => t_string!(i18n, region_asia_pacific),
        Region::EuropeNorthAmerica => t_string!(i18n, region_europe_north_america),
        Region::LatinAmericaCaribbean => t_string!(i18n, region_latin_america_caribbean),
    }
    .to_owned()
}

/// The filters as a plain GET form: it works without JavaScript and, hydrated, updates the
/// page in place. The city field suggests every member's name.
#[component]
fn MapFilters(m: Arc<WorldMap>, sort: Signal<Sort>) -> impl IntoView {
    let i18n = use_i18n();
    let f = m.filter.clone();
    let cluster = f.cluster.clone().unwrap_or_default();
    let region = f.region.clone().unwrap_or_default();
    let country = f.country.clone().unwrap_or_default();
    let lang = i18n.get_locale_untracked();
    let lang = lang.as_str();
    let clusters = m
        .clusters
        .iter()
        .map(|c| (c.slug.clone(), c.name.get(lang).to_owned()))
        .collect::<Vec<_>>();
    let mut countries = m
        .countries
        .iter()
        .map(|c| (c.code.clone(), c.name.get(lang).to_owned()))
        .collect::<Vec<_>>();
    // In the reader's language's order: Italian puts "Emirati Arabi Uniti" among the E's.
    countries.sort_by(|a, b| crate::directory::compare(lang, &a.1, &b.1));
    let names = m.names.clone();
    let filtered = !f.is_empty();
    view! {
        <Form method="GET" action="" attr:class="filters map-filters">
            <div class="field">
                <label for="q">{t!(i18n, map_search)}</label>
                <input id="q" type="search" name="q" list="map-names" autocomplete="off"
                    value=f.q.clone().unwrap_or_default() />
                <datalist id="map-names">
                    {names.into_iter().map(|n| view! { <option value=in_lang(i18n, n) /> }).collect_view()}
                </datalist>
            </div>
            <FilterSelect
                name="cluster"
                label=move || t_string!(i18n, filter_cluster).to_owned()
                all=move || t_string!(i18n, filter_all_clusters).to_owned()
                chosen=cluster
                options=clusters
            />
            <FilterSelect
                name="region"
                label=move || t_string!(i18n, map_region).to_owned()
                all=move || t_string!(i18n, map_all_regions).to_owned()
                chosen=region
                options=Region::ALL.into_iter().map(|r| (r.slug().to_owned(), region_name(i18n, r))).collect()
            />
            <FilterSelect
                name="country"
                label=move || t_string!(i18n, map_country).to_owned()
                all=move || t_string!(i18n, map_all_countries).to_owned()
                chosen=country
                options=countries
            />
            {move || {
                let s = sort.get();
                (s != Sort::default()).then(|| view! {
                    <input type="hidden" name="sort" value=s.column.key() />
                    {s.descending.then(|| view! { <input type="hidden" name="dir" value="desc" /> })}
                })
            }}
            <div class="actions">
                <button type="submit">{t!(i18n, filter_apply)}</button>
                {filtered.then(|| view! { <a href=link_to(i18n, "map")>{t!(i18n, map_clear)}</a> })}
            </div>
        </Form>
    }
}

/// The world map: the base map as an image (one cacheable file for every page) under a marker
/// per city, each a link to its city, with the legend. The live map (public/map.js) takes its place
/// once its script (public/map.js) has loaded the groups and cards.
#[component]
fn MapFigure(m: Arc<WorldMap>) -> impl IntoView {
    let i18n = use_i18n();
    let locale = i18n.get_locale_untracked();
    let lang = locale.as_str();
    let full = m.full;
    // Markers keep their size on screen; before the page knows its width, for an assumed one.
    let scale = m.view.width / ASSUMED_PX * MARKER_PX;
    let filtered = m.filtered_cluster();
    // A search that finds one city opens its card, with or without JavaScript.
    let selected = (m.cities.len() == 1 && m.filter.q.is_some()).then_some(0_usize);
    let markers = m
        .cities
        .iter()
        .map(|city| {
            let lead = city.leads();
            let (d, fill) = shape(city.mark(filtered));
            let label = marker_label(locale, city, &m.clusters);
            view! {
                <g class={if lead { "marker marker--lead" } else { "marker" }}>
                    <a href=format!("/{lang}/cities/{}", city.slug) aria-label=label>
                        // A tenth of a unit is a tenth of a pixel on the widest screen.
                        <g transform=format!("translate({:.1} {:.1}) scale({scale:.3})", city.x, city.y)>
                            <circle class="marker__hit" r=HIT_RADIUS />
                            {lead.then(|| view! { <circle class="marker__ring" r="1.9" /> })}
                            <path class="marker__shape" d=d fill=fill />
                        </g>
                    </a>
                </g>
            }
        })
        .collect_view();
    let card = selected.and_then(|i| m.cities.get(i)).map(|city| {
        let roles = city
            .roles(&m.clusters)
            .into_iter()
            .map(|(slug, name, lead)| (slug, name.get(lang).to_owned(), lead))
            .collect();
        let joined = city
            .joined
            .map(|year| td_string!(locale, map_joined, year = year).to_string());
        view! {
            <div class="map-card-slot" id="map-card-static">
                {city_card(
                    city.slug.clone(),
                    city.name.get(lang).to_owned(),
                    city.country_name.get(lang).to_owned(),
                    roles,
                    joined,
                    CardLabels::new(locale),
                )}
            </div>
        }
    });
    let data = {
        let mut query = form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(m.filter.pairs());
        query.append_pair("lang", lang);
        format!("{}?{}", super::MAP_DATA, query.finish())
    };
    view! {
        <figure class="world-map">
            // A widget's map has no table to skip to.
            {crate::frame::frame().is_none().then(|| view! { <a class="skip-map" href="#map-table">{t!(i18n, map_skip)}</a> })}
            <div class="world-map__frame" id="world-map-static">
                <svg class="world-map__svg" viewBox=m.view.attr() role="group" aria-label=t_string!(i18n, map_label)>
                    <image href=super::BASEMAP x="0" y="0" width=full.width height=full.height aria-hidden="true" />
                    <g class="markers">{markers}</g>
                </svg>
            </div>
            {card}
            <LiveMapSlot data full view=m.view selected />
            <figcaption>
                <Legend clusters=m.clusters.iter().map(|c| c.name.clone()).collect() />
            </figcaption>
        </figure>
    }
}

/// A marker's accessible name: "Turin, Italy: Entrepreneurship (lead)".
pub(super) fn marker_label(
    locale: Locale,
    city: &MapCity,
    clusters: &[domain::ClusterSummary],
) -> String {
    let lang = locale.as_str();
    let roles = city
        .roles(clusters)
        .into_iter()
        .map(|(_, name, lead)| {
            let name = name.get(lang).to_owned();
            if lead {
                format!("{name} ({})", td_string!(locale, lead))
            } else {
                name
            }
        })
        .collect::<Vec<_>>()
        .join(", ");
    let place = format!("{}, {}", city.name.get(lang), city.country_name.get(lang));
    if roles.is_empty() {
        place
    } else {
        format!("{place}: {roles}")
    }
}

#[component]
fn Legend(clusters: Vec<domain::Localized>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h2 class="legend__title">{t!(i18n, map_legend)}</h2>
        <ul class="legend">
            {clusters.into_iter().enumerate().map(|(i, name)| {
                let (d, fill) = shape(Some(i as u8));
                view! {
                    <li>
                        <svg class="legend__mark" viewBox="-2 -2 4 4" aria-hidden="true">
                            <path class="marker__shape" d=d fill=fill />
                        </svg>
                        {in_lang(i18n, name)}
                    </li>
                }
            }).collect_view()}
            <li>
                <svg class="legend__mark" viewBox="-2 -2 4 4" aria-hidden="true">
                    <path class="marker__shape" d=NO_CLUSTER fill="#ffffff" />
                </svg>
                {t!(i18n, map_legend_none)}
            </li>
            <li>
                <svg class="legend__mark" viewBox="-2 -2 4 4" aria-hidden="true">
                    <circle class="marker__ring" r="1.9" />
                    <path class="marker__shape" d=SHAPES[0] fill="#ffffff" />
                </svg>
                {t!(i18n, map_legend_lead)}
            </li>
            // Groups exist only on the live map, which shows this line.
            <li class="legend__group">
                <svg class="legend__mark" viewBox="-2 -2 4 4" aria-hidden="true">
                    <circle class="group__disc" r="1.6" />
                </svg>
                {t!(i18n, map_legend_group)}
            </li>
        </ul>
    }
}

/// The map's accessible twin: the same cities as a table, sortable by plain links.
#[component]
fn MapTable(m: Arc<WorldMap>, sort: Signal<Sort>) -> impl IntoView {
    let i18n = use_i18n();
    let filter = m.filter.clone();
    let empty = m.cities.is_empty();
    view! {
        <TableScroll labelledby="map-table-caption" id="map-table">
            <table class="cities">
                <caption id="map-table-caption">{t!(i18n, map_table_caption)}</caption>
                <thead>
                    <tr>
                        {sort_header(i18n, filter.clone(), sort, Column::Name)}
                        {sort_header(i18n, filter.clone(), sort, Column::Country)}
                        <th scope="col">{t!(i18n, table_clusters)}</th>
                        {sort_header(i18n, filter, sort, Column::Joined)}
                    </tr>
                </thead>
                <tbody>{table_rows(i18n, m, sort)}</tbody>
            </table>
            {empty.then(|| view! { <p>{t!(i18n, map_no_cities)}</p> })}
        </TableScroll>
    }
}

/// A column's heading: a link that sorts the table by it (or turns its order round), and says
/// how the table is sorted.
fn sort_header(i18n: I18n, filter: MapFilter, sort: Signal<Sort>, column: Column) -> impl IntoView {
    let link = move || {
        let s = sort.get();
        let descending = s.column == column && !s.descending;
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in filter.pairs() {
            q.append_pair(k, &v);
        }
        for (k, v) in (Sort { column, descending }).pairs() {
            q.append_pair(k, v);
        }
        format!("?{}#map-table", q.finish())
    };
    let state = move || {
        let s = sort.get();
        (s.column == column).then_some(if s.descending {
            "descending"
        } else {
            "ascending"
        })
    };
    view! {
        <th scope="col" aria-sort=state>
            <a href=link>{move || match column {
                Column::Name => t_string!(i18n, table_city),
                Column::Country => t_string!(i18n, table_country),
                Column::Joined => t_string!(i18n, table_joined),
            }}</a>
        </th>
    }
}

/// The table's rows in the order `sort` asks for, names compared in the reader's language.
fn table_rows(i18n: I18n, m: Arc<WorldMap>, sort: Signal<Sort>) -> impl IntoView {
    move || {
        let lang = i18n.get_locale();
        let lang = lang.as_str();
        let s = sort.get();
        let mut order: Vec<usize> = (0..m.cities.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&m.cities[a], &m.cities[b]);
            let by_name = crate::directory::compare(lang, a.name.get(lang), b.name.get(lang));
            let o = match s.column {
                Column::Name => by_name,
                Column::Country => crate::directory::compare(
                    lang,
                    a.country_name.get(lang),
                    b.country_name.get(lang),
                )
                .then(by_name),
                Column::Joined => a.joined.cmp(&b.joined).then(by_name),
            };
            if s.descending {
                o.reverse()
            } else {
                o
            }
        });
        order
            .into_iter()
            .map(|i| {
                let c = m.cities[i].clone();
                let link = format!("cities/{}", c.slug);
                let roles = c
                    .roles(&m.clusters)
                    .into_iter()
                    .map(|(_, name, lead)| (name, lead))
                    .collect();
                view! {
                    <tr>
                        <th scope="row"><a href=link_to(i18n, link)>{in_lang(i18n, c.name)}</a></th>
                        <td>{in_lang(i18n, c.country_name)}</td>
                        <td><ClusterTags roles /></td>
                        <td>{c.joined.map(|y| y.to_string())}</td>
                    </tr>
                }
            })
            .collect_view()
    }
}

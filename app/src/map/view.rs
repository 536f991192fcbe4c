//! The map page and the map component (filters as parameters, so that a widget can show any
//! part of the network), with its legend, city card and table twin.

use super::{get_world_map, zoom, MapCity, MapFilter, MapGroup, ViewBox, WorldMap};
use crate::forms::FilterSelect;
use crate::i18n::*;
use crate::layout::{in_lang, link_to, ErrorContent, I18n, PageMeta};
use crate::network::ClusterTags;
use domain::Region;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use std::sync::Arc;

/// Marker shapes, centred on 0,0 with a radius of about 1, one per cluster in the network's
/// order: colour is never the only cue. The circle is drawn as a path too.
const SHAPES: [&str; 7] = [
    "M1 0A1 1 0 1 1-1 0A1 1 0 1 1 1 0z",
    "M-.85-.85h1.7v1.7h-1.7z",
    "M0-1.15L1.05.8H-1.05z",
    "M0-1.25L1.25 0L0 1.25L-1.25 0z",
    "M0 1.15L1.05-.8H-1.05z",
    "M0-1.25L.32-.44L1.19-.39L.52.17L.73 1.01L0 .55L-.73 1.01L-.52.17L-1.19-.39L-.32-.44z",
    "M1.05 0L.52.91L-.52.91L-1.05 0L-.52-.91L.52-.91z",
];
/// Okabe and Ito's palette, told apart by people with any common colour-vision deficiency;
/// every marker also has a dark outline for contrast against land and sea.
const COLOURS: [&str; 7] = [
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7",
];
/// A city in no cluster yet: a hollow ring.
const NO_CLUSTER: &str = "M.8 0A.8.8 0 1 1-.8 0A.8.8 0 1 1 .8 0z";

/// On-screen radius of a marker, in CSS pixels.
const MARKER_PX: f64 = 7.0;
/// Before the page knows its width, markers are sized for a map this many pixels wide.
const ASSUMED_PX: f64 = 720.0;

fn shape(mark: Option<u8>) -> (&'static str, &'static str) {
    match mark {
        Some(i) => (
            SHAPES[usize::from(i) % SHAPES.len()],
            COLOURS[usize::from(i) % COLOURS.len()],
        ),
        None => (NO_CLUSTER, "#ffffff"),
    }
}

/// How the table twin is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Column {
    #[default]
    Name,
    Country,
    Joined,
}

impl Column {
    fn key(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Country => "country",
            Column::Joined => "joined",
        }
    }
}

impl Sort {
    pub fn parse(column: Option<&str>, dir: Option<&str>) -> Self {
        let column = match column {
            Some("country") => Column::Country,
            Some("joined") => Column::Joined,
            _ => Column::Name,
        };
        Sort {
            column,
            descending: dir == Some("desc"),
        }
    }
}

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
        <NetworkMap filter sort />
    }
}

/// Member cities of `filter` on the world map, with the filter form and the table twin.
#[component]
pub fn NetworkMap(
    #[prop(into)] filter: Signal<MapFilter>,
    #[prop(into, optional)] sort: Signal<Sort>,
    /// The page fixes the filter itself (a cluster's members): no filter form.
    #[prop(optional)]
    fixed: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let map = Resource::new(move || filter.get(), get_world_map);
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
                            <MapTable m sort />
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
    let countries = m
        .countries
        .iter()
        .map(|(code, name)| (code.clone(), name.get(lang).to_owned()))
        .collect::<Vec<_>>();
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

/// The world map: the base map as an image (one cacheable file for every page) under the
/// markers of the cities, with the legend and, once hydrated, pan, zoom, groups and cards.
#[component]
fn MapFigure(m: Arc<WorldMap>) -> impl IntoView {
    let i18n = use_i18n();
    let full = m.full;
    let view_box = RwSignal::new(m.view);
    let hydrated = RwSignal::new(false);
    let pixels = RwSignal::new(0.0_f64);
    // A search that finds one city opens its card, with or without JavaScript.
    let selected = RwSignal::new((m.cities.len() == 1 && m.filter.q.is_some()).then_some(0_usize));
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let dragged = StoredValue::new(false);
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());

    let measure = move || {
        if let Some(svg) = svg_ref.get_untracked() {
            let w = svg.get_bounding_client_rect().width();
            if w > 0.0 {
                pixels.set(w);
            }
        }
    };
    Effect::new(move |_| {
        hydrated.set(true);
        measure();
    });
    let resize = window_event_listener(leptos::ev::resize, move |_| measure());
    on_cleanup(move || resize.remove());

    let level = Memo::new(move |_| {
        if hydrated.get() && pixels.get() > 0.0 {
            Some(zoom::level(view_box.get(), full, pixels.get()))
        } else {
            None
        }
    });
    // Map units per CSS pixel, for markers that keep their size on screen at any zoom.
    let unit = Memo::new(move |_| {
        let px = pixels.get();
        view_box.get().width / if px > 0.0 { px } else { ASSUMED_PX }
    });
    let place = move |x: f64, y: f64| {
        move || format!("translate({x} {y}) scale({:.3})", unit.get() * MARKER_PX)
    };
    // A client position (CSS pixels) as a map point.
    let map_point = move |cx: f64, cy: f64| -> Option<(f64, f64)> {
        let svg = svg_ref.get_untracked()?;
        let rect = svg.get_bounding_client_rect();
        if rect.width() <= 0.0 {
            return None;
        }
        let v = view_box.get_untracked();
        Some((
            v.x + (cx - rect.left()) / rect.width() * v.width,
            v.y + (cy - rect.top()) / rect.height() * v.height,
        ))
    };
    let zoom_by = move |factor: f64| {
        let v = view_box.get_untracked();
        let centre = (v.x + v.width / 2.0, v.y + v.height / 2.0);
        view_box.set(zoom::zoom_at(v, full, factor, centre));
    };
    let pan_by = move |fx: f64, fy: f64| {
        let v = view_box.get_untracked();
        view_box.set(zoom::pan(v, full, fx * v.width, fy * v.height));
    };

    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "+" | "=" => zoom_by(2.0),
            "-" | "_" => zoom_by(0.5),
            "ArrowLeft" => pan_by(-0.1, 0.0),
            "ArrowRight" => pan_by(0.1, 0.0),
            "ArrowUp" => pan_by(0.0, -0.1),
            "ArrowDown" => pan_by(0.0, 0.1),
            "0" | "Home" => view_box.set(full),
            "Escape" => selected.set(None),
            _ => return,
        }
        ev.prevent_default();
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let Some(at) = map_point(f64::from(ev.client_x()), f64::from(ev.client_y())) else {
            return;
        };
        // A notch of a mouse wheel (about 100 pixels) zooms by a quarter; trackpads send
        // smaller steps and zoom smoothly.
        let factor = (-ev.delta_y() * 0.0023).exp();
        view_box.update(|v| *v = zoom::zoom_at(*v, full, factor, at));
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        pointers.update_value(|p| {
            p.retain(|(id, _, _)| *id != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
        dragged.set_value(false);
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        let id = ev.pointer_id();
        let (x, y) = (f64::from(ev.client_x()), f64::from(ev.client_y()));
        let before = pointers.get_value();
        let Some(&(_, px, py)) = before.iter().find(|(i, _, _)| *i == id) else {
            return;
        };
        let v = view_box.get_untracked();
        let per_px = v.width / pixels.get_untracked().max(1.0);
        match before.as_slice() {
            [_] => {
                if (x - px).abs() + (y - py).abs() > 3.0 || dragged.get_value() {
                    dragged.set_value(true);
                    view_box.set(zoom::pan(v, full, (px - x) * per_px, (py - y) * per_px));
                } else {
                    return;
                }
            }
            [a, b] => {
                let other = if a.0 == id { b } else { a };
                let old = ((px - other.1).powi(2) + (py - other.2).powi(2)).sqrt();
                let new = ((x - other.1).powi(2) + (y - other.2).powi(2)).sqrt();
                if old > 0.0 && new > 0.0 {
                    dragged.set_value(true);
                    let mid = ((x + other.1) / 2.0, (y + other.2) / 2.0);
                    if let Some(at) = map_point(mid.0, mid.1) {
                        view_box.set(zoom::zoom_at(v, full, new / old, at));
                    }
                }
            }
            _ => {}
        }
        pointers.update_value(|p| {
            if let Some(e) = p.iter_mut().find(|(i, _, _)| *i == id) {
                *e = (id, x, y);
            }
        });
    };
    let on_up = move |ev: leptos::ev::PointerEvent| {
        pointers.update_value(|p| p.retain(|(id, _, _)| *id != ev.pointer_id()));
    };

    let cities = Arc::new(m.cities.clone());
    let filtered = m.filtered_cluster();
    let levels = m.levels.clone();
    let groups = {
        let cities = cities.clone();
        move || -> Vec<MapGroup> {
            match level.get() {
                Some(z) => levels.get(usize::from(z)).cloned().unwrap_or_default(),
                None => cities
                    .iter()
                    .enumerate()
                    .map(|(i, c)| MapGroup::new(c.x, c.y, vec![i as u32]))
                    .collect(),
            }
        }
    };
    let markers = {
        let (cities, clusters) = (cities.clone(), m.clusters.clone());
        move || {
            groups()
                .into_iter()
                .map(|g| {
                    if let [i] = g.members.as_slice() {
                        let i = *i as usize;
                        let city = cities[i].clone();
                        let label = marker_label(i18n, &city, &clusters);
                        view! {
                            <CityMarker city label mark=filtered place=place(cities[i].x, cities[i].y)
                                on_pick=move |ev: leptos::ev::MouseEvent| {
                                    ev.prevent_default();
                                    if !dragged.get_value() {
                                        selected.set(Some(i));
                                    }
                                }
                                on_focus=move || selected.set(Some(i)) />
                        }
                        .into_any()
                    } else {
                        let points: Vec<(f64, f64)> = g
                            .members
                            .iter()
                            .map(|&i| (cities[i as usize].x, cities[i as usize].y))
                            .collect();
                        let open = move || {
                            if !dragged.get_value() {
                                let v = view_box.get_untracked();
                                let fitted = ViewBox::fit(full, &points);
                                // Always closer than now: a group splits when it is opened.
                                let target = if fitted.width < v.width / 1.5 {
                                    fitted
                                } else {
                                    zoom::zoom_at(v, full, 2.0, (g.x, g.y))
                                };
                                view_box.set(target);
                            }
                        };
                        view! { <GroupMarker count=g.members.len() place=place(g.x, g.y) open /> }.into_any()
                    }
                })
                .collect_view()
        }
    };

    let card = {
        let (cities, clusters) = (cities.clone(), m.clusters.clone());
        move || {
            selected.get().and_then(|i| cities.get(i).cloned()).map(|city| {
                view! { <CityCard city clusters=clusters.clone() hydrated close=Callback::new(move |_| selected.set(None)) /> }
            })
        }
    };
    view! {
        <figure class="world-map">
            <a class="skip-map" href="#map-table">{t!(i18n, map_skip)}</a>
            <div class="world-map__frame">
                <svg
                    node_ref=svg_ref
                    class=move || if hydrated.get() { "world-map__svg world-map__svg--live" } else { "world-map__svg" }
                    viewBox=move || view_box.get().attr()
                    role="group"
                    aria-label=move || format!("{} {}", t_string!(i18n, map_label), if hydrated.get() { t_string!(i18n, map_keys) } else { "" })
                    tabindex=move || hydrated.get().then_some("0")
                    on:keydown=on_key
                    on:wheel=on_wheel
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointercancel=on_up
                    on:pointerleave=on_up
                >
                    <image href=super::BASEMAP x="0" y="0" width=full.width height=full.height aria-hidden="true" />
                    <g class="markers">{markers}</g>
                </svg>
                <Show when=move || hydrated.get()>
                    <div class="map-tools">
                        <button type="button" on:click=move |_| zoom_by(2.0) aria-label=move || t_string!(i18n, map_zoom_in)>"+"</button>
                        <button type="button" on:click=move |_| zoom_by(0.5) aria-label=move || t_string!(i18n, map_zoom_out)>"−"</button>
                        <button type="button" on:click=move |_| view_box.set(full)>{t!(i18n, map_reset)}</button>
                    </div>
                </Show>
            </div>
            <div class="map-card-slot" aria-live="polite">{card}</div>
            <figcaption>
                <Legend clusters=m.clusters.iter().map(|c| c.name.clone()).collect() hydrated />
            </figcaption>
        </figure>
    }
}

fn marker_label(i18n: I18n, city: &MapCity, clusters: &[domain::ClusterSummary]) -> String {
    let lang = i18n.get_locale_untracked();
    let lang = lang.as_str();
    let roles = city
        .roles(clusters)
        .into_iter()
        .map(|(_, name, lead)| {
            let name = name.get(lang).to_owned();
            if lead {
                format!("{name} ({})", t_string!(i18n, lead))
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

/// A city's marker: a link to its page, so that it works with no JavaScript; hydrated, a tap
/// or focus opens its card instead.
#[component]
fn CityMarker(
    city: MapCity,
    label: String,
    mark: Option<u8>,
    place: impl Fn() -> String + Send + Sync + 'static,
    on_pick: impl FnMut(leptos::ev::MouseEvent) + 'static,
    on_focus: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let lead = city.leads();
    let (d, fill) = shape(city.mark(mark));
    let href = link_to(i18n, format!("cities/{}", city.slug));
    view! {
        <g class={if lead { "marker marker--lead" } else { "marker" }}>
            <a href=href aria-label=label on:click=on_pick on:focus=move |_| on_focus()>
                <g transform=place>
                    {lead.then(|| view! { <circle class="marker__ring" r="1.9" /> })}
                    <path class="marker__shape" d=d fill=fill />
                </g>
            </a>
        </g>
    }
}

/// Several cities close together at this zoom; opening it zooms in until they part.
#[component]
fn GroupMarker(
    count: usize,
    place: impl Fn() -> String + Send + Sync + 'static,
    open: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let on_key = {
        let open = open.clone();
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" || ev.key() == " " {
                ev.prevent_default();
                ev.stop_propagation();
                open();
            }
        }
    };
    view! {
        <g class="group" role="button" tabindex="0"
            aria-label=move || t_string!(i18n, map_group_label, count = count).to_string()
            on:click=move |_| open() on:keydown=on_key>
            <g transform=place>
                <circle class="group__disc" r="1.6" />
                <text class="group__count" y=".45" text-anchor="middle">{count}</text>
            </g>
        </g>
    }
}

#[component]
fn Legend(clusters: Vec<domain::Localized>, hydrated: RwSignal<bool>) -> impl IntoView {
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
            <Show when=move || hydrated.get()>
                <li>
                    <svg class="legend__mark" viewBox="-2 -2 4 4" aria-hidden="true">
                        <circle class="group__disc" r="1.6" />
                    </svg>
                    {t!(i18n, map_legend_group)}
                </li>
            </Show>
        </ul>
    }
}

/// The card of a chosen city: who it is, its clusters and roles, since when it is a member,
/// and where to go next.
#[component]
fn CityCard(
    city: MapCity,
    clusters: Vec<domain::ClusterSummary>,
    hydrated: RwSignal<bool>,
    close: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let slug = city.slug.clone();
    let joined = city.joined;
    let roles = city.roles(&clusters);
    view! {
        <section class="map-card" aria-labelledby="map-card-title">
            <h2 id="map-card-title">{in_lang(i18n, city.name)}</h2>
            <p class="muted">{in_lang(i18n, city.country_name)}</p>
            {(!roles.is_empty()).then(|| view! {
                <ul class="tags">
                    {roles.into_iter().map(|(slug, name, lead)| view! {
                        <li class:lead=lead>
                            <a href=link_to(i18n, format!("clusters/{slug}"))>{in_lang(i18n, name)}</a>
                            {lead.then(|| view! { " (" {t!(i18n, lead)} ")" })}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {joined.map(|year| view! { <p>{t!(i18n, map_joined, year = move || year)}</p> })}
            <p class="map-card__links">
                <a href=link_to(i18n, format!("cities/{slug}"))>{t!(i18n, map_card_page)}</a>
                <a href=link_to(i18n, format!("cities/{slug}/calendar"))>{t!(i18n, city_calendar)}</a>
                <a href=link_to(i18n, format!("cities/{slug}/pact"))>{t!(i18n, city_pact)}</a>
            </p>
            <Show when=move || hydrated.get()>
                <button type="button" class="button--secondary" on:click=move |_| close.run(())>{t!(i18n, map_card_close)}</button>
            </Show>
        </section>
    }
}

/// The map's accessible twin: the same cities as a table, sortable by plain links.
#[component]
fn MapTable(m: Arc<WorldMap>, sort: Signal<Sort>) -> impl IntoView {
    let i18n = use_i18n();
    let filter = m.filter.clone();
    let header = move |column: Column, label: &'static str| {
        let filter = filter.clone();
        let link = move || {
            let s = sort.get();
            let descending = s.column == column && !s.descending;
            let mut q = form_urlencoded::Serializer::new(String::new());
            for (k, v) in filter.pairs() {
                q.append_pair(k, &v);
            }
            if column != Column::Name {
                q.append_pair("sort", column.key());
            }
            if descending {
                q.append_pair("dir", "desc");
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
                <a href=link>{move || match label {
                    "city" => t_string!(i18n, table_city),
                    "country" => t_string!(i18n, table_country),
                    _ => t_string!(i18n, table_joined),
                }}</a>
            </th>
        }
    };
    let rows = {
        let m = m.clone();
        move || {
            let lang = i18n.get_locale();
            let lang = lang.as_str();
            let s = sort.get();
            let mut order: Vec<usize> = (0..m.cities.len()).collect();
            order.sort_by(|&a, &b| {
                let (a, b) = (&m.cities[a], &m.cities[b]);
                let by_name = a.name.get(lang).cmp(b.name.get(lang));
                let o = match s.column {
                    Column::Name => by_name,
                    Column::Country => a
                        .country_name
                        .get(lang)
                        .cmp(b.country_name.get(lang))
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
    };
    let empty = m.cities.is_empty();
    view! {
        <div class="table-wrap" id="map-table" tabindex="-1">
            <table class="cities">
                <caption>{t!(i18n, map_table_caption)}</caption>
                <thead>
                    <tr>
                        {header(Column::Name, "city")}
                        {header(Column::Country, "country")}
                        <th scope="col">{t!(i18n, table_clusters)}</th>
                        {header(Column::Joined, "joined")}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            {empty.then(|| view! { <p>{t!(i18n, map_no_cities)}</p> })}
        </div>
    }
}

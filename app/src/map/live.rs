//! The live map: an island that takes the place of the server-drawn map once the page's script
//! runs. It reads the cities, their groups per zoom level and their cards from [`super::MAP_DATA`]
//! (one cacheable answer per filter and language) after the page has loaded, then pans and zooms
//! by mouse, wheel, touch and keyboard, shows nearby cities as one numbered marker that splits
//! as you zoom in, and opens a city's card on tap or focus.
//!
//! Its code is its own file of WebAssembly, fetched only by pages with a map; its words come
//! from the server as props, so no translations ship to the browser.

use super::{zoom, Fixed, LiveCity, MapData, MapGroup, ViewBox};
use leptos::either::Either;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Marker shapes, centred on 0,0 with a radius of about 1, one per cluster in the network's
/// order: colour is never the only cue. The circle is drawn as a path too.
pub const SHAPES: [&str; 7] = [
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
pub const NO_CLUSTER: &str = "M.8 0A.8.8 0 1 1-.8 0A.8.8 0 1 1 .8 0z";

/// The path and fill of the mark of cluster `mark` (its index in the network's order).
pub fn shape(mark: Option<u8>) -> (&'static str, &'static str) {
    match mark {
        Some(i) => (
            SHAPES[usize::from(i) % SHAPES.len()],
            COLOURS[usize::from(i) % COLOURS.len()],
        ),
        None => (NO_CLUSTER, "#ffffff"),
    }
}

/// The words of a city's card, in the page's language.
#[derive(Debug, Clone, PartialEq)]
pub struct CardLabels {
    pub lang: String,
    pub lead: String,
    pub page: String,
    pub calendar: String,
    pub pact: String,
    pub close: String,
}

impl CardLabels {
    pub fn new(locale: crate::i18n::Locale) -> Self {
        use crate::i18n::td_string;
        CardLabels {
            lang: leptos_i18n::Locale::as_str(locale).to_owned(),
            lead: td_string!(locale, lead).to_owned(),
            page: td_string!(locale, map_card_page).to_owned(),
            calendar: td_string!(locale, city_calendar).to_owned(),
            pact: td_string!(locale, city_pact).to_owned(),
            close: td_string!(locale, map_card_close).to_owned(),
        }
    }
}

/// The live map's words, in the page's language. In the page they are a plain list of strings:
/// the bundle then deserialises a list, which every island's props share, instead of two
/// structures of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "Vec<String>", try_from = "Vec<String>")]
pub struct MapLabels {
    pub map: String,
    pub keys: String,
    pub zoom_in: String,
    pub zoom_out: String,
    pub reset: String,
    /// A group's name, with `{count}` standing for its number of cities.
    pub group: String,
    pub card: CardLabels,
}

impl MapLabels {
    pub fn new(locale: crate::i18n::Locale) -> Self {
        use crate::i18n::td_string;
        MapLabels {
            map: td_string!(locale, map_label).to_owned(),
            keys: td_string!(locale, map_keys).to_owned(),
            zoom_in: td_string!(locale, map_zoom_in).to_owned(),
            zoom_out: td_string!(locale, map_zoom_out).to_owned(),
            reset: td_string!(locale, map_reset).to_owned(),
            group: td_string!(locale, map_group_label, count = "{count}").to_string(),
            card: CardLabels::new(locale),
        }
    }
}

impl From<MapLabels> for Vec<String> {
    fn from(l: MapLabels) -> Self {
        let c = l.card;
        vec![
            l.map, l.keys, l.zoom_in, l.zoom_out, l.reset, l.group, c.lang, c.lead, c.page,
            c.calendar, c.pact, c.close,
        ]
    }
}

impl TryFrom<Vec<String>> for MapLabels {
    type Error = &'static str;

    fn try_from(list: Vec<String>) -> Result<Self, Self::Error> {
        let [map, keys, zoom_in, zoom_out, reset, group, lang, lead, page, calendar, pact, close]: [String; 12] =
            list.try_into().map_err(|_| "the map's twelve labels")?;
        Ok(MapLabels {
            map,
            keys,
            zoom_in,
            zoom_out,
            reset,
            group,
            card: CardLabels {
                lang,
                lead,
                page,
                calendar,
                pact,
                close,
            },
        })
    }
}

/// On-screen radius of a marker, in CSS pixels.
const MARKER_PX: f64 = super::view::MARKER_PX;

/// The map once the page's script runs. On the server it renders hidden and empty: the
/// server-drawn map beside it is what a reader without JavaScript uses.
#[island]
pub fn LiveMap(
    /// The query of the map's data ([`super::MAP_DATA`]): the filter and the language.
    data: Vec<(String, String)>,
    full: ViewBox,
    view: ViewBox,
    /// The city whose card is open (a search that found one).
    selected: Option<usize>,
    labels: MapLabels,
) -> impl IntoView {
    let cities = RwSignal::new(None::<Arc<MapData>>);
    let view_box = RwSignal::new(view);
    let pixels = RwSignal::new(0.0_f64);
    let selected = RwSignal::new(selected);
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let root = NodeRef::<leptos::html::Div>::new();
    let dragged = StoredValue::new(false);
    let pointers = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let labels = Arc::new(labels);

    let measure = move || {
        if let Some(svg) = svg_ref.get_untracked() {
            let w = svg.get_bounding_client_rect().width();
            if w > 0.0 {
                pixels.set(w);
            }
        }
    };
    #[cfg(feature = "hydrate")]
    {
        leptos::task::spawn_local(async move {
            if let Some(d) = load(&data).await {
                cities.set(Some(Arc::new(d)));
            }
        });
        let resize = window_event_listener(leptos::ev::resize, move |_| measure());
        on_cleanup(move || resize.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = data;
    let live = move || cities.with(Option::is_some);
    // Live: the server-drawn map and its card make way, and the legend explains groups.
    Effect::new(move |_| {
        if live() {
            take_over(root.get_untracked());
            measure();
        }
    });

    let level = Memo::new(move |_| {
        (live() && pixels.get() > 0.0).then(|| zoom::level(view_box.get(), full, pixels.get()))
    });
    // Map units per CSS pixel, for markers that keep their size on screen at any zoom.
    let unit = Memo::new(move |_| view_box.get().width / pixels.get().max(1.0));
    let place = move |x: f64, y: f64| {
        move || {
            format!(
                "translate({} {}) scale({})",
                Fixed(x, 2),
                Fixed(y, 2),
                Fixed(unit.get() * MARKER_PX, 3)
            )
        }
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
    // Listened to on the map itself, not through Leptos's delegation to the window: listeners
    // on the window are passive, and the page would scroll as the map zooms.
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
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        use leptos::wasm_bindgen::{closure::Closure, JsCast};
        if let Some(svg) = svg_ref.get() {
            let handler = Closure::<dyn Fn(leptos::ev::WheelEvent)>::new(on_wheel);
            let options = leptos::web_sys::AddEventListenerOptions::new();
            options.set_passive(false);
            let _ = svg.add_event_listener_with_callback_and_add_event_listener_options(
                "wheel",
                handler.as_ref().unchecked_ref(),
                &options,
            );
            handler.forget();
        }
    });
    #[cfg(not(feature = "hydrate"))]
    let _ = on_wheel;
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

    let markers = {
        let labels = labels.clone();
        move || {
            let Some(d) = cities.get() else {
                return Vec::new();
            };
            let groups: Vec<MapGroup> = match level.get() {
                Some(z) => d.levels.get(usize::from(z)).cloned().unwrap_or_default(),
                None => Vec::new(),
            };
            groups
                .into_iter()
                .map(|g| {
                    if let [i] = g.members.as_slice() {
                        let i = *i as usize;
                        let city = d.cities[i].clone();
                        let at = place(city.x, city.y);
                        let href = format!("/{}/cities/{}", labels.card.lang, city.slug);
                        Either::Left(city_marker(
                            city,
                            href,
                            at,
                            move |ev: leptos::ev::MouseEvent| {
                                ev.prevent_default();
                                if !dragged.get_value() {
                                    selected.set(Some(i));
                                }
                            },
                            move || selected.set(Some(i)),
                        ))
                    } else {
                        let points: Vec<(f64, f64)> = g
                            .members
                            .iter()
                            .map(|&i| (d.cities[i as usize].x, d.cities[i as usize].y))
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
                        let label = labels
                            .group
                            .replace("{count}", &g.members.len().to_string());
                        Either::Right(group_marker(g.members.len(), label, place(g.x, g.y), open))
                    }
                })
                .collect::<Vec<_>>()
        }
    };

    let card = {
        let labels = labels.card.clone();
        move || {
            let d = cities.get()?;
            let city = d.cities.get(selected.get()?)?.clone();
            Some(city_card(
                city.slug,
                city.name,
                city.country,
                city.roles,
                city.joined,
                labels.clone(),
                Some(Callback::new(move |_| selected.set(None))),
            ))
        }
    };
    let aria_label = format!("{} {}", labels.map, labels.keys);
    // Nothing until the data is there: the server-drawn map serves until then.
    let map = move || {
        live().then(|| {
            view! {
                <div class="world-map__frame">
                    <svg
                        node_ref=svg_ref
                        class="world-map__svg world-map__svg--live"
                        viewBox=move || view_box.get().attr()
                        role="group"
                        aria-label=aria_label.clone()
                        tabindex="0"
                        on:keydown=on_key
                        on:pointerdown=on_down
                        on:pointermove=on_move
                        on:pointerup=on_up
                        on:pointercancel=on_up
                        on:pointerleave=on_up
                    >
                        <image href=super::BASEMAP x="0" y="0" width=Fixed(full.width, 2).to_string() height=Fixed(full.height, 2).to_string() aria-hidden="true" />
                        // The page's navigation leaves clicks on markers to the map (they open cards).
                        <g class="markers" data-own-clicks="">{markers.clone()}</g>
                    </svg>
                    <div class="map-tools">
                        <button type="button" on:click=move |_| zoom_by(2.0) aria-label=labels.zoom_in.clone()>"+"</button>
                        <button type="button" on:click=move |_| zoom_by(0.5) aria-label=labels.zoom_out.clone()>"−"</button>
                        <button type="button" on:click=move |_| view_box.set(full)>{labels.reset.clone()}</button>
                    </div>
                </div>
                <div class="map-card-slot" aria-live="polite">{card.clone()}</div>
            }
        })
    };
    view! { <div class="world-map__live" node_ref=root>{map}</div> }
}

/// The map's data, or nothing if it cannot be had (the server-drawn map then stays).
#[cfg(feature = "hydrate")]
async fn load(query: &[(String, String)]) -> Option<MapData> {
    // The query as parameters: gloo-net 0.6 appends its own query with a `&` even when it has
    // none, which would make every address end in one.
    let response = gloo_net::http::RequestBuilder::new(super::MAP_DATA)
        .query(query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    read(&js_sys::JSON::parse(&response.text().await.ok()?).ok()?)
}

/// The map's data from the browser's own JSON parse, field by field: a serde deserializer for
/// these types would add kilobytes of WebAssembly to every page with an island.
#[cfg(feature = "hydrate")]
fn read(data: &leptos::wasm_bindgen::JsValue) -> Option<MapData> {
    use js_sys::{Array, Reflect};
    use leptos::wasm_bindgen::JsValue;
    let get = |o: &JsValue, k: &str| Reflect::get(o, &JsValue::from_str(k)).ok();
    let text = |o: &JsValue, k: &str| get(o, k)?.as_string();
    let number = |o: &JsValue, k: &str| get(o, k)?.as_f64();
    let list = |o: &JsValue, k: &str| get(o, k).map(|v| Array::from(&v));
    let cities = list(data, "cities")?
        .iter()
        .map(|c| {
            let roles = list(&c, "roles")?
                .iter()
                .map(|r| {
                    let r = Array::from(&r);
                    Some((
                        r.get(0).as_string()?,
                        r.get(1).as_string()?,
                        r.get(2).as_bool()?,
                    ))
                })
                .collect::<Option<Vec<_>>>()?;
            Some(LiveCity {
                slug: text(&c, "slug")?,
                name: text(&c, "name")?,
                country: text(&c, "country")?,
                label: text(&c, "label")?,
                joined: text(&c, "joined"),
                roles,
                mark: number(&c, "mark").map(|m| m as u8),
                x: number(&c, "x")?,
                y: number(&c, "y")?,
            })
        })
        .collect::<Option<Vec<_>>>()?;
    let levels = list(data, "levels")?
        .iter()
        .map(|level| {
            Array::from(&level)
                .iter()
                .map(|g| {
                    let members = list(&g, "members")?
                        .iter()
                        .map(|m| m.as_f64().map(|m| m as u32))
                        .collect::<Option<Vec<_>>>()?;
                    Some(MapGroup::new(number(&g, "x")?, number(&g, "y")?, members))
                })
                .collect::<Option<Vec<_>>>()
        })
        .collect::<Option<Vec<_>>>()?;
    Some(MapData { cities, levels })
}

/// Removes the server-drawn map and its card, and marks the figure live for the legend.
fn take_over(root: Option<leptos::web_sys::HtmlDivElement>) {
    #[cfg(feature = "hydrate")]
    if let Some(root) = root {
        if let Ok(Some(figure)) = root.closest("figure") {
            let _ = figure.class_list().add_1("world-map--live");
            for id in ["world-map-static", "map-card-static"] {
                if let Ok(Some(old)) = figure.query_selector(&format!("#{id}")) {
                    old.remove();
                }
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = root;
}

// The markers and the card are plain functions rather than components: with view types erased
// (.cargo/config.toml), each component would bring its own erased copy of the view machinery
// into the bundle.

/// A city's marker: a link to its page (a click with a modifier opens it); a tap or focus
/// opens its card.
fn city_marker(
    city: LiveCity,
    href: String,
    place: impl Fn() -> String + Send + Sync + 'static,
    on_pick: impl FnMut(leptos::ev::MouseEvent) + 'static,
    on_focus: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    let lead = city.leads();
    let (d, fill) = shape(city.mark);
    view! {
        <g class={if lead { "marker marker--lead" } else { "marker" }}>
            <a href=href aria-label=city.label on:click=on_pick on:focus=move |_| on_focus()>
                <g transform=place>
                    {lead.then(|| view! { <circle class="marker__ring" r="1.9" /> })}
                    <path class="marker__shape" d=d fill=fill />
                </g>
            </a>
        </g>
    }
}

/// Several cities close together at this zoom; opening it zooms in until they part.
fn group_marker(
    count: usize,
    label: String,
    place: impl Fn() -> String + Send + Sync + 'static,
    open: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
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
        <g class="group" role="button" tabindex="0" aria-label=label
            on:click=move |_| open() on:keydown=on_key>
            <g transform=place>
                <circle class="group__disc" r="1.6" />
                <text class="group__count" y=".45" text-anchor="middle">{count}</text>
            </g>
        </g>
    }
}

/// The card of a chosen city: who it is, its clusters and roles, since when it is a member,
/// and where to go next. Drawn by the server for a search that found one city, and by the live
/// map on a tap; only the live map's can be closed.
pub fn city_card(
    slug: String,
    name: String,
    country: String,
    roles: Vec<(String, String, bool)>,
    joined: Option<String>,
    labels: CardLabels,
    close: Option<Callback<()>>,
) -> impl IntoView {
    let lang = labels.lang.clone();
    view! {
        <section class="map-card" aria-labelledby="map-card-title">
            <h2 id="map-card-title">{name}</h2>
            <p class="muted">{country}</p>
            {(!roles.is_empty()).then(|| view! {
                <ul class="tags">
                    {roles.into_iter().map(|(cluster, name, lead)| view! {
                        <li class:lead=lead>
                            <a href=format!("/{lang}/clusters/{cluster}")>{name}</a>
                            {lead.then(|| format!(" ({})", labels.lead))}
                        </li>
                    }).collect_view()}
                </ul>
            })}
            {joined.map(|text| view! { <p>{text}</p> })}
            <p class="map-card__links">
                <a href=format!("/{}/cities/{slug}", labels.lang)>{labels.page.clone()}</a>
                <a href=format!("/{}/cities/{slug}/calendar", labels.lang)>{labels.calendar.clone()}</a>
                <a href=format!("/{}/cities/{slug}/pact", labels.lang)>{labels.pact.clone()}</a>
            </p>
            {close.map(|close| view! {
                <button type="button" class="button--secondary" on:click=move |_| close.run(())>{labels.close.clone()}</button>
            })}
        </section>
    }
}

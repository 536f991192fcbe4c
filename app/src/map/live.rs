//! What the live map (public/map.js) takes from the page: the marks of the clusters, the card of
//! a city, and a slot naming its data, its views and its words. The script takes the place of
//! the server-drawn map once it has loaded the cities, their groups per zoom level and their
//! cards from [`super::MAP_DATA`] (one cacheable answer per filter and language); its words come
//! from the page, so no translations ship to the browser.
//!
//! The map's pan, zoom, groups and card are a plain script rather than a Leptos island: the
//! smallest island (the runtime, props and hydration) weighs 70 KB of WebAssembly compressed,
//! which alone would take a map page past its 150 KB first-visit budget.

use super::ViewBox;
use leptos::prelude::*;

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

/// Where the live map goes, beside the server-drawn map it takes over: an empty slot whose
/// attributes give public/map.js the address of its data, the whole map's and the page's views,
/// the city whose card is open (a search that found one) and its words. The script comes with
/// it; a page navigation.js swaps in starts it through the same module.
#[component]
pub fn LiveMapSlot(
    /// The map's data with the filter and the language in its query ([`super::MAP_DATA`]).
    data: String,
    full: ViewBox,
    view: ViewBox,
    selected: Option<usize>,
) -> impl IntoView {
    use crate::i18n::{td_string, use_i18n};
    let locale = use_i18n().get_locale_untracked();
    let card = CardLabels::new(locale);
    view! {
        <div
            class="world-map__live"
            data-map=data
            data-full=full.attr()
            data-view=view.attr()
            data-selected=selected.map(|i| i.to_string())
            data-lang=card.lang
            data-l-map=td_string!(locale, map_label)
            data-l-keys=td_string!(locale, map_keys)
            data-l-in=td_string!(locale, map_zoom_in)
            data-l-out=td_string!(locale, map_zoom_out)
            data-l-reset=td_string!(locale, map_reset)
            data-l-group=td_string!(locale, map_group_label, count = "{count}").to_string()
            data-l-lead=card.lead
            data-l-page=card.page
            data-l-calendar=card.calendar
            data-l-pact=card.pact
            data-l-close=card.close
        ></div>
        <script type="module" src="/map.js"></script>
    }
}

/// The card of a chosen city: who it is, its clusters and roles, since when it is a member,
/// and where to go next. Drawn by the server for a search that found one city, and by the live
/// map on a tap (public/map.js builds the same, with a button that closes it).
pub fn city_card(
    slug: String,
    name: String,
    country: String,
    roles: Vec<(String, String, bool)>,
    joined: Option<String>,
    labels: CardLabels,
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
        </section>
    }
}

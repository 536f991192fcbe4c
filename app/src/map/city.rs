//! A city's learning places on a city-scale map: the pact's adherents that gave a position and
//! the venues of the city's meetings. Drawn on the server as SVG in Web Mercator, so that it needs
//! no tiles and no script; when the deployment names a tile server, its tiles lie underneath.

use crate::forms::FilterSelect;
use crate::i18n::*;
use crate::layout::{in_lang, link_to, ErrorContent, TableScroll};
use crate::{AppError, TileLayer};
use domain::Localized;
use leptos::prelude::*;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// Side of the square plot in viewBox units, which are tile pixels at the chosen zoom.
const SIDE: f64 = 320.0;
/// Room kept between the farthest place and the plot's edge.
const MARGIN: f64 = 20.0;
const TILE: f64 = 256.0;
/// From a neighbourhood (17) to a metropolitan area (9): the places lie within
/// [`domain::CITY_REACH_KM`] of the centre.
const ZOOMS: std::ops::RangeInclusive<u8> = 9..=17;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaceKind {
    Adherent,
    Venue,
}

/// A point on the Earth, in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Position {
    pub latitude: f64,
    pub longitude: f64,
}

impl Position {
    /// Latitude and longitude, as [`mercator`] takes them.
    pub fn pair(self) -> (f64, f64) {
        (self.latitude, self.longitude)
    }
}

impl From<(f64, f64)> for Position {
    fn from((latitude, longitude): (f64, f64)) -> Self {
        Position {
            latitude,
            longitude,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub kind: PlaceKind,
    pub name: String,
    pub address: String,
    pub at: Position,
    pub sector: Option<Localized>,
    /// Where the marker leads, without the language: an adherent's certificate, a venue's next
    /// (or last) meeting.
    pub path: String,
    /// A venue's meetings.
    pub meetings: Vec<PlaceMeeting>,
}

/// A meeting at a venue: its title and the path of the date it links to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMeeting {
    pub title: String,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityPlaces {
    pub centre: Position,
    pub sectors: Vec<domain::Sector>,
    /// The sector in the address, or empty.
    pub sector: String,
    pub places: Vec<Place>,
    pub tiles: Option<TileLayer>,
}

#[server(endpoint = "city_places")]
pub async fn get_city_places(slug: String, sector: String) -> Result<CityPlaces, AppError> {
    ops::city_places(&slug, &sector).await
}

#[cfg(feature = "ssr")]
mod ops {
    use super::*;

    pub async fn city_places(slug: &str, sector: &str) -> Result<CityPlaces, AppError> {
        // Context is read before the first await, while the request's owner surely lives.
        let db = crate::db()?;
        let tiles = crate::site()?.tiles;
        let city = db.city_brief(slug).await?;
        let sectors = db.sectors_of(city.id).await?;
        let sector = sector.trim();
        let sector_id = match sector {
            "" => None,
            s => Some(
                sectors
                    .iter()
                    .find(|r| r.slug == s)
                    .ok_or(AppError::NotFound)?
                    .id,
            ),
        };
        let centre = Position {
            latitude: city.latitude,
            longitude: city.longitude,
        };
        let city_id = city.id;
        let mut places: Vec<Place> = crate::pact::ops::placed_adherents(&db, city, sector_id)
            .await?
            .into_iter()
            .filter_map(|a| {
                Some(Place {
                    kind: PlaceKind::Adherent,
                    at: a.position?.into(),
                    path: format!("cities/{slug}/pact/adherents/{}", a.id),
                    name: a.organisation,
                    address: a.address,
                    sector: a.sector,
                    meetings: Vec::new(),
                })
            })
            .collect();
        let now = chrono::Utc::now().timestamp();
        for v in db.venues(city_id, sector_id, now).await? {
            add_venue(&mut places, v);
        }
        Ok(CityPlaces {
            centre,
            sectors: sectors
                .into_iter()
                .map(|s| domain::Sector {
                    slug: s.slug,
                    name: Localized::new(s.name_en, s.name_it),
                })
                .collect(),
            sector: sector.to_owned(),
            places,
            tiles,
        })
    }

    /// A venue's meeting: on the venue's marker if it has one already, else on a new one.
    fn add_venue(places: &mut Vec<Place>, v: db::meetings::VenueRow) {
        let path = format!("meetings/{}", v.occurrence_id);
        let name = if v.place.is_empty() {
            v.address.clone()
        } else {
            v.place.clone()
        };
        let at = Position {
            latitude: v.latitude,
            longitude: v.longitude,
        };
        match places
            .iter_mut()
            .find(|p| p.kind == PlaceKind::Venue && p.name == name && p.at == at)
        {
            Some(p) => p.meetings.push(PlaceMeeting {
                title: v.title,
                path,
            }),
            None => places.push(Place {
                kind: PlaceKind::Venue,
                name,
                address: v.address,
                at,
                sector: v
                    .sector_en
                    .zip(v.sector_it)
                    .map(|(en, it)| Localized::new(en, it)),
                path: path.clone(),
                meetings: vec![PlaceMeeting {
                    title: v.title,
                    path,
                }],
            }),
        }
    }
}

/// Web Mercator pixel coordinates of a position at a zoom level (256-pixel tiles), as tile
/// servers number them.
pub fn mercator(at: (f64, f64), zoom: u8) -> (f64, f64) {
    let size = TILE * f64::from(1u32 << zoom);
    let lat = at.0.clamp(-85.051_128, 85.051_128).to_radians();
    let x = (at.1 + 180.0) / 360.0 * size;
    let y = (1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * size;
    (x, y)
}

/// The closest zoom at which every place fits in the plot around the centre.
pub fn fit_zoom(centre: (f64, f64), places: impl Iterator<Item = (f64, f64)> + Clone) -> u8 {
    let half = SIDE / 2.0 - MARGIN;
    ZOOMS
        .rev()
        .find(|&z| {
            let c = mercator(centre, z);
            places.clone().all(|p| {
                let (x, y) = mercator(p, z);
                (x - c.0).abs() <= half && (y - c.1).abs() <= half
            })
        })
        .unwrap_or(*ZOOMS.start())
}

/// The plot's frame: zoom, and the pixel of its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame {
    pub zoom: u8,
    pub origin: (f64, f64),
}

impl Frame {
    pub fn around(centre: (f64, f64), places: &[(f64, f64)]) -> Self {
        let zoom = fit_zoom(centre, places.iter().copied());
        let c = mercator(centre, zoom);
        Frame {
            zoom,
            origin: (c.0 - SIDE / 2.0, c.1 - SIDE / 2.0),
        }
    }

    /// Where a position lands in the plot.
    pub fn plot(&self, at: (f64, f64)) -> (f64, f64) {
        let (x, y) = mercator(at, self.zoom);
        (x - self.origin.0, y - self.origin.1)
    }

    /// The tiles that cover the plot: their numbers and where each lies in it.
    pub fn tiles(&self) -> Vec<(u32, u32, f64, f64)> {
        let first = |o: f64| (o / TILE).floor() as i64;
        let last = |o: f64| ((o + SIDE) / TILE).floor() as i64;
        let count = 1i64 << self.zoom;
        let mut out = Vec::new();
        for ty in first(self.origin.1)..=last(self.origin.1) {
            for tx in first(self.origin.0)..=last(self.origin.0) {
                if (0..count).contains(&tx) && (0..count).contains(&ty) {
                    out.push((
                        tx as u32,
                        ty as u32,
                        tx as f64 * TILE - self.origin.0,
                        ty as f64 * TILE - self.origin.1,
                    ));
                }
            }
        }
        out
    }
}

fn tile_url(layer: &TileLayer, zoom: u8, x: u32, y: u32) -> String {
    layer
        .url
        .replace("{z}", &zoom.to_string())
        .replace("{x}", &x.to_string())
        .replace("{y}", &y.to_string())
}

/// A city's learning places, filtered by the `sector` in the address. Created beside the
/// page's own data, never inside a view built from it (see [`crate::calendar::calendar_data`]).
pub fn city_places(slug: String) -> Resource<Result<CityPlaces, AppError>> {
    let query = use_query_map();
    Resource::new(
        move || {
            (
                slug.clone(),
                query
                    .read()
                    .get_str("sector")
                    .unwrap_or_default()
                    .to_owned(),
            )
        },
        |(slug, sector)| get_city_places(slug, sector),
    )
}

/// A city's learning places: the filter by sector, the plot and its list twin.
#[component]
pub fn CityPlacesMap(places: Resource<Result<CityPlaces, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match places.await {
                    Ok(p) => view! { <PlacesView p /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn kind_label(i18n: crate::layout::I18n, kind: PlaceKind) -> String {
    match kind {
        PlaceKind::Adherent => t_string!(i18n, places_kind_adherent),
        PlaceKind::Venue => t_string!(i18n, places_kind_venue),
    }
    .to_owned()
}

#[component]
fn PlacesView(p: CityPlaces) -> impl IntoView {
    let i18n = use_i18n();
    let lang = i18n.get_locale_untracked();
    let points: Vec<(f64, f64)> = p.places.iter().map(|x| x.at.pair()).collect();
    let frame = Frame::around(p.centre.pair(), &points);
    let count = p.places.len();
    let sectors = p
        .sectors
        .iter()
        .map(|s| (s.slug.clone(), s.name.get(lang.as_str()).to_owned()))
        .collect::<Vec<_>>();
    // Inside a widget the plot stands alone (its markers are links, each named): the list twin
    // of a city with hundreds of places would outweigh the widget, and the full page has it.
    let framed = crate::frame::frame();
    let clear = match &framed {
        Some(f) => {
            let query = form_urlencoded::Serializer::new(String::new())
                .extend_pairs(f.theme.pairs())
                .finish();
            format!("?{query}")
        }
        None => "?".to_owned(),
    };
    view! {
        <section aria-labelledby="places-heading" id="places">
            <h2 id="places-heading">{t!(i18n, places_title)}</h2>
            <p>{t!(i18n, places_intro)}</p>
            <SectorFilter sectors chosen=p.sector.clone() clear />
            <p role="status" class="muted">{t!(i18n, places_count, count = move || count)}</p>
            <PlacesPlot frame centre=p.centre places=p.places.clone() tiles=p.tiles.clone() />
            {if p.places.is_empty() {
                view! { <p class="empty-state">{t!(i18n, places_none)}</p> }.into_any()
            } else if framed.is_some() {
                ().into_any()
            } else {
                view! { <PlacesTable places=p.places /> }.into_any()
            }}
        </section>
    }
}

/// The filter by sector, as a plain GET form that stays in a widget's frame; `clear` is the
/// query that drops the sector (and keeps a widget's theme).
#[component]
fn SectorFilter(sectors: Vec<(String, String)>, chosen: String, clear: String) -> impl IntoView {
    let i18n = use_i18n();
    let filtered = !chosen.is_empty();
    view! {
        <Form method="GET" action="" attr:class="filters" attr:target=crate::frame::stay()>
            <crate::frame::ThemeInputs />
            <FilterSelect
                name="sector"
                label=move || t_string!(i18n, calendar_filter_sector).to_owned()
                all=move || t_string!(i18n, calendar_any).to_owned()
                chosen
                options=sectors
            />
            <div class="actions">
                <button type="submit">{t!(i18n, filter_apply)}</button>
                {filtered.then(|| view! { <a href=clear.clone() target=crate::frame::stay()>{t!(i18n, map_clear)}</a> })}
            </div>
        </Form>
    }
}

/// The plot: tiles (when the deployment names a tile server), the city's centre, a marker per
/// place, and the legend.
#[component]
fn PlacesPlot(
    frame: Frame,
    centre: Position,
    places: Vec<Place>,
    tiles: Option<TileLayer>,
) -> impl IntoView {
    let i18n = use_i18n();
    let count = places.len();
    let attribution = tiles.as_ref().map(|t| t.attribution.clone());
    let tiles = tiles.map(|layer| {
        frame
            .tiles()
            .into_iter()
            .map(|(tx, ty, x, y)| {
                view! {
                    <image href=tile_url(&layer, frame.zoom, tx, ty) x=format!("{x:.1}") y=format!("{y:.1}")
                        width=TILE.to_string() height=TILE.to_string() />
                }
            })
            .collect_view()
    });
    let (cx, cy) = frame.plot(centre.pair());
    let label = move || td_string!(i18n.get_locale(), places_plot_label, count = count).to_string();
    view! {
        <figure class="city-map">
            <svg class="places-plot" viewBox=format!("0 0 {SIDE} {SIDE}") role="group" aria-label=label>
                <rect class="places-ground" x="0" y="0" width=SIDE.to_string() height=SIDE.to_string() />
                <g aria-hidden="true">{tiles}</g>
                <g class="places-centre" aria-hidden="true">
                    <line x1=format!("{:.1}", cx - 8.0) y1=format!("{cy:.1}") x2=format!("{:.1}", cx + 8.0) y2=format!("{cy:.1}") />
                    <line x1=format!("{cx:.1}") y1=format!("{:.1}", cy - 8.0) x2=format!("{cx:.1}") y2=format!("{:.1}", cy + 8.0) />
                </g>
                <text class="places-north" x="12" y="24" aria-hidden="true">"N ↑"</text>
                {place_markers(i18n, frame, &places)}
            </svg>
            <figcaption>
                <ul class="legend">
                    <li><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><circle class="legend-adherent" cx="8" cy="8" r="6" /></svg> {t!(i18n, places_kind_adherent)}</li>
                    <li><svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true"><rect class="legend-venue" x="2" y="2" width="12" height="12" /></svg> {t!(i18n, places_kind_venue)}</li>
                </ul>
                {attribution.map(|a| view! { <p class="muted">{t!(i18n, places_tiles)} ": " {a}</p> })}
            </figcaption>
        </figure>
    }
}

/// A marker per place, each a link named by the place and its kind: a circle for an adherent,
/// a square for a venue.
fn place_markers(i18n: crate::layout::I18n, frame: Frame, places: &[Place]) -> impl IntoView {
    places
        .iter()
        .map(|place| {
            let (x, y) = frame.plot(place.at.pair());
            let label = format!("{} ({})", place.name, kind_label(i18n, place.kind));
            let shape = match place.kind {
                PlaceKind::Adherent => view! { <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="7" /> }.into_any(),
                PlaceKind::Venue => view! {
                    <rect x=format!("{:.1}", x - 7.0) y=format!("{:.1}", y - 7.0) width="14" height="14" />
                }
                .into_any(),
            };
            let class = match place.kind {
                PlaceKind::Adherent => "place-marker",
                PlaceKind::Venue => "place-marker place-marker--venue",
            };
            view! {
                <a href=link_to(i18n, place.path.clone()) class=class aria-label=label>
                    {shape}
                </a>
            }
        })
        .collect_view()
}

/// The plot's twin: every place with its kind, sector and address.
#[component]
fn PlacesTable(places: Vec<Place>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <TableScroll labelledby="places-caption">
            <table class="places">
                <caption id="places-caption" class="visually-hidden">{t!(i18n, places_title)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{t!(i18n, places_name)}</th>
                        <th scope="col">{t!(i18n, places_kind)}</th>
                        <th scope="col">{t!(i18n, calendar_filter_sector)}</th>
                        <th scope="col">{t!(i18n, field_address)}</th>
                    </tr>
                </thead>
                <tbody>
                    {places.into_iter().map(|place| {
                        let kind = place.kind;
                        view! {
                            <tr>
                                <th scope="row">
                                    <a href=link_to(i18n, place.path.clone())>{place.name.clone()}</a>
                                    {(place.kind == PlaceKind::Venue).then(|| view! {
                                        <ul class="place-meetings">
                                            {place.meetings.iter().map(|m| view! {
                                                <li><a href=link_to(i18n, m.path.clone())>{m.title.clone()}</a></li>
                                            }).collect_view()}
                                        </ul>
                                    })}
                                </th>
                                <td>{move || kind_label(i18n, kind)}</td>
                                <td>{place.sector.clone().map(|s| in_lang(i18n, s))}</td>
                                <td>{place.address.clone()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_mercator_numbers_tiles_as_tile_servers_do() {
        // Lucca's centre lies in tile 13/4335/2983: that row spans latitudes 43.8345 to 43.8662
        // (by the inverse, atan(sinh(π(1 − 2y/2¹³)))), and that column 10.5029 to 10.5469 east.
        let (x, y) = mercator((43.8437, 10.5045), 13);
        assert_eq!(((x / TILE) as u32, (y / TILE) as u32), (4335, 2983));
        // The origin of the projection and its ends.
        assert_eq!(mercator((0.0, -180.0), 0), (0.0, 128.0));
        let (x, _) = mercator((0.0, 180.0), 1);
        assert_eq!(x, 512.0);
    }

    #[test]
    fn the_frame_zooms_to_fit_every_place_and_centres_the_city() {
        let lucca = (43.8437, 10.5045);
        // A place 300 m away fits at a street-level zoom; one 20 km away needs a wider one.
        let near = Frame::around(lucca, &[(43.8464, 10.5045)]);
        let far = Frame::around(lucca, &[(43.8437, 10.75)]);
        assert!(near.zoom >= 15, "{}", near.zoom);
        assert!(far.zoom < near.zoom && far.zoom >= 9, "{}", far.zoom);
        for frame in [near, far] {
            let (cx, cy) = frame.plot(lucca);
            assert!((cx - SIDE / 2.0).abs() < 1e-6 && (cy - SIDE / 2.0).abs() < 1e-6);
        }
        let (x, y) = far.plot((43.8437, 10.75));
        assert!((MARGIN..=SIDE - MARGIN).contains(&x), "{x}");
        assert!(
            (y - SIDE / 2.0).abs() < 1.0,
            "same latitude, same height: {y}"
        );
        // No place: a neighbourhood's zoom.
        assert_eq!(Frame::around(lucca, &[]).zoom, 17);
    }

    #[test]
    fn the_tiles_cover_the_plot_exactly() {
        let frame = Frame::around((43.8437, 10.5045), &[(43.85, 10.51)]);
        let tiles = frame.tiles();
        assert!((4..=9).contains(&tiles.len()), "{}", tiles.len());
        for &(tx, ty, x, y) in &tiles {
            // Each tile overlaps the plot and sits where its number says.
            assert!(x < SIDE && x + TILE > 0.0 && y < SIDE && y + TILE > 0.0);
            let (px, py) = (x + frame.origin.0, y + frame.origin.1);
            assert_eq!((px / TILE, py / TILE), (f64::from(tx), f64::from(ty)));
        }
        let layer = TileLayer {
            url: "https://tile.example.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors".into(),
        };
        assert_eq!(
            tile_url(&layer, 13, 4335, 2980),
            "https://tile.example.org/13/4335/2980.png"
        );
    }
}

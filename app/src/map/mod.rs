//! The network's map: member cities on a world map drawn on the server as SVG, coloured and
//! shaped by cluster, filtered by plain GET links, with the same data as a sortable table.
//! Once its script is running (public/map.js, placed by live.rs) the map pans and zooms (mouse, wheel, touch, keyboard),
//! groups nearby cities at low zoom and opens a card for a city; it reads the groups and cards
//! from [`MAP_DATA`] after the page has loaded, so the page carries none of them.

pub mod city;
#[cfg(feature = "ssr")]
pub mod geo;
mod live;
mod view;

pub use view::{map_of, MapPage, NetworkMap, Sort};

use crate::AppError;
use domain::{ClusterSummary, Localized};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// The map's width in its own units; its height follows from the projection.
pub const WIDTH: f64 = 1000.0;
/// Where pages find the base map (served by the server from [`geo::basemap_svg`]); the name
/// carries the atlas's scale, so that a finer atlas would be a new address, not a stale file.
pub const BASEMAP: &str = "/map/world-110m.svg";
/// Where the live map reads its cities, groups and cards (served by the server from
/// [`map_data`]), with the filter and `lang` in the query.
pub const MAP_DATA: &str = "/map/cities.json";
/// The deepest zoom level at which markers are grouped; beyond it every city stands alone.
pub const MAX_ZOOM: u8 = 5;

/// What the map shows, as the page's query string says (read in `domain`, with the other
/// pages' query strings, where it is fuzzed).
pub use domain::filters::MapFilter;

/// A number with a fixed count of decimals, written with integer arithmetic: a value that rounds
/// to zero is `0.00`, never `-0.00`.
pub struct Fixed(pub f64, pub u32);

impl std::fmt::Display for Fixed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let scale = 10_i64.pow(self.1);
        let n = (self.0 * scale as f64).round() as i64;
        let sign = if n < 0 { "-" } else { "" };
        let (whole, part) = (n.abs() / scale, n.abs() % scale);
        if self.1 == 0 {
            write!(f, "{sign}{whole}")
        } else {
            write!(f, "{sign}{whole}.{part:0width$}", width = self.1 as usize)
        }
    }
}

/// A rectangle of the map, in map units, as `[x, y, width, height]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(from = "[f64; 4]", into = "[f64; 4]")]
pub struct ViewBox {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl From<[f64; 4]> for ViewBox {
    fn from([x, y, width, height]: [f64; 4]) -> Self {
        ViewBox {
            x,
            y,
            width,
            height,
        }
    }
}

impl From<ViewBox> for [f64; 4] {
    fn from(v: ViewBox) -> Self {
        [v.x, v.y, v.width, v.height]
    }
}

impl ViewBox {
    pub fn attr(&self) -> String {
        format!(
            "{} {} {} {}",
            Fixed(self.x, 2),
            Fixed(self.y, 2),
            Fixed(self.width, 2),
            Fixed(self.height, 2)
        )
    }

    /// The part of `full` that shows every point with a margin, in `full`'s proportions: all of
    /// it when the points are spread, a region or a country when they are few and close.
    pub fn fit(full: ViewBox, points: &[(f64, f64)]) -> ViewBox {
        if points.is_empty() {
            return full;
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in points {
            x0 = x0.min(x);
            y0 = y0.min(y);
            x1 = x1.max(x);
            y1 = y1.max(y);
        }
        let margin = full.width / 25.0;
        let aspect = full.height / full.width;
        // At most eight times closer than the whole map: one city still shows its surroundings.
        let mut width = (x1 - x0 + 2.0 * margin).max(full.width / 8.0);
        let height = y1 - y0 + 2.0 * margin;
        if height > width * aspect {
            width = height / aspect;
        }
        if width >= full.width {
            return full;
        }
        let height = width * aspect;
        ViewBox {
            x: ((x0 + x1) / 2.0 - width / 2.0).clamp(full.x, full.x + full.width - width),
            y: ((y0 + y1) / 2.0 - height / 2.0).clamp(full.y, full.y + full.height - height),
            width,
            height,
        }
    }
}

/// A member city as the map and its table show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapCity {
    pub slug: String,
    pub name: Localized,
    pub country: String,
    pub country_name: Localized,
    pub joined: Option<i32>,
    /// Its clusters and whether it leads each.
    pub clusters: Vec<MapRole>,
    pub x: f64,
    pub y: f64,
}

/// A city's place in one cluster on the map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MapRole {
    /// The cluster, as an index into [`WorldMap::clusters`].
    pub cluster: u8,
    pub lead: bool,
}

/// A country the country filter offers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Country {
    pub code: String,
    pub name: Localized,
}

impl MapCity {
    /// Its clusters with their slugs and names, and whether it leads each.
    pub fn roles(&self, clusters: &[ClusterSummary]) -> Vec<(String, Localized, bool)> {
        self.clusters
            .iter()
            .filter_map(|r| {
                let k = clusters.get(usize::from(r.cluster))?;
                Some((k.slug.clone(), k.name.clone(), r.lead))
            })
            .collect()
    }

    pub fn leads(&self) -> bool {
        self.clusters.iter().any(|r| r.lead)
    }

    /// The cluster whose mark the city wears: the one the map is filtered by, else the first it
    /// leads, else its first; `None` for a city in no cluster yet.
    pub fn mark(&self, filtered: Option<u8>) -> Option<u8> {
        if let Some(f) = filtered.filter(|f| self.clusters.iter().any(|r| r.cluster == *f)) {
            return Some(f);
        }
        self.clusters
            .iter()
            .find(|r| r.lead)
            .or(self.clusters.first())
            .map(|r| r.cluster)
    }
}

/// Cities close enough on screen at some zoom level to share one marker.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapGroup {
    pub x: f64,
    pub y: f64,
    /// Indexes into [`WorldMap::cities`], ascending.
    pub members: Vec<u32>,
}

impl MapGroup {
    pub fn new(x: f64, y: f64, members: Vec<u32>) -> Self {
        Self { x, y, members }
    }
}

/// Everything the server-drawn map needs: the legend, the filters' choices and the cities of the
/// filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorldMap {
    pub filter: MapFilter,
    pub clusters: Vec<ClusterSummary>,
    /// The countries the region and cluster filters leave, for the country filter.
    pub countries: Vec<Country>,
    /// Every member city's name, for the search suggestions.
    pub names: Vec<Localized>,
    pub cities: Vec<MapCity>,
    /// The whole map.
    pub full: ViewBox,
    /// The part that shows the cities of the filter.
    pub view: ViewBox,
}

impl WorldMap {
    /// The index of the cluster the map is filtered by.
    pub fn filtered_cluster(&self) -> Option<u8> {
        let slug = self.filter.cluster.as_deref()?;
        self.clusters
            .iter()
            .position(|c| c.slug == slug)
            .map(|i| i as u8)
    }
}

/// Member cities of the filter on the world map. An unknown cluster, region or country is a
/// 404 (a mistyped address), not an empty map. An empty filter travels as no field at all.
#[server(endpoint = "world_map")]
pub async fn get_world_map(#[server(default)] filter: MapFilter) -> Result<WorldMap, AppError> {
    world_map(&crate::db()?, &crate::catalog::catalog()?, filter).await
}

#[cfg(feature = "ssr")]
pub(crate) async fn world_map(
    db: &db::Db,
    catalog: &crate::catalog::Catalog,
    filter: MapFilter,
) -> Result<WorldMap, AppError> {
    use domain::Region;
    let reference = catalog.get(db).await?;
    let clusters = reference.clusters.clone();
    if let Some(c) = &filter.cluster {
        if !clusters.iter().any(|k| &k.slug == c) {
            return Err(AppError::NotFound);
        }
    }
    let region = match &filter.region {
        Some(r) => Some(Region::from_slug(r).ok_or(AppError::NotFound)?),
        None => None,
    };
    let all = reference.cities.clone();
    let names = all.iter().map(|c| c.name.clone()).collect();
    let in_scope: Vec<_> = all
        .into_iter()
        .filter(|c| {
            filter
                .cluster
                .as_ref()
                .is_none_or(|k| c.clusters.iter().any(|r| &r.slug == k))
        })
        .filter(|c| region.is_none_or(|r| Region::of(&c.country) == Some(r)))
        .collect();
    let countries = countries_of(&in_scope);
    if let Some(code) = &filter.country {
        if !countries.iter().any(|c| &c.code == code) {
            return Err(AppError::NotFound);
        }
    }
    let needle = filter.q.as_deref().map(fold);
    let cities: Vec<MapCity> = in_scope
        .into_iter()
        .filter(|c| filter.country.as_ref().is_none_or(|k| &c.country == k))
        .filter(|c| {
            needle
                .as_ref()
                .is_none_or(|n| fold(&c.name.en).contains(n) || fold(&c.name.it).contains(n))
        })
        .map(|c| map_city(c, &clusters))
        .collect();
    let points: Vec<(f64, f64)> = cities.iter().map(|c| (c.x, c.y)).collect();
    let full = ViewBox {
        x: 0.0,
        y: 0.0,
        width: WIDTH,
        height: round2(geo::height()),
    };
    Ok(WorldMap {
        view: ViewBox::fit(full, &points),
        filter,
        clusters,
        countries,
        names,
        cities,
        full,
    })
}

/// The countries of `cities`, each once, by English name.
#[cfg(feature = "ssr")]
fn countries_of(cities: &[domain::CitySummary]) -> Vec<Country> {
    let mut countries: Vec<Country> = Vec::new();
    for c in cities {
        if !countries.iter().any(|k| k.code == c.country) {
            countries.push(Country {
                code: c.country.clone(),
                name: c.country_name.clone(),
            });
        }
    }
    countries.sort_by(|a, b| a.name.en.cmp(&b.name.en));
    countries
}

/// A member city placed on the map, its clusters as indexes into `clusters`.
#[cfg(feature = "ssr")]
fn map_city(c: domain::CitySummary, clusters: &[ClusterSummary]) -> MapCity {
    let (x, y) = geo::project(c.longitude, c.latitude);
    MapCity {
        clusters: c
            .clusters
            .iter()
            .filter_map(|r| {
                let i = clusters.iter().position(|k| k.slug == r.slug)?;
                Some(MapRole {
                    cluster: i as u8,
                    lead: r.lead,
                })
            })
            .collect(),
        slug: c.slug,
        name: c.name,
        country: c.country,
        country_name: c.country_name,
        joined: c.joined,
        x: round2(x),
        y: round2(y),
    }
}

/// A city as the live map shows it, in one language: its marker and its card.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveCity {
    pub slug: String,
    pub name: String,
    pub country: String,
    /// The marker's accessible name: "Turin, Italy: Entrepreneurship (lead)".
    pub label: String,
    /// "Member since 2016".
    pub joined: Option<String>,
    /// Cluster slug, name and whether the city leads it.
    pub roles: Vec<(String, String, bool)>,
    /// The cluster whose shape and colour the marker wears ([`MapCity::mark`]).
    pub mark: Option<u8>,
    pub x: f64,
    pub y: f64,
}

/// What the live map reads after the page has loaded: the cities of a filter in the page's
/// order and language, and how they group at each zoom level (`levels[z]`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MapData {
    pub cities: Vec<LiveCity>,
    pub levels: Vec<Vec<MapGroup>>,
    /// The path and fill of each cluster's mark, by [`LiveCity::mark`]: the script draws the
    /// server's shapes and colours rather than a copy of them.
    pub marks: Vec<(&'static str, &'static str)>,
    /// The mark of a city in no cluster.
    pub unmarked: (&'static str, &'static str),
}

/// The live map's data for `filter` in `lang`.
#[cfg(feature = "ssr")]
pub async fn map_data(
    db: &db::Db,
    catalog: &crate::catalog::Catalog,
    filter: MapFilter,
    lang: &str,
) -> Result<MapData, AppError> {
    let locale = crate::locale_of(lang);
    let map = world_map(db, catalog, filter).await?;
    let filtered = map.filtered_cluster();
    let points: Vec<(f64, f64)> = map.cities.iter().map(|c| (c.x, c.y)).collect();
    let levels = geo::group_levels(&points)
        .into_iter()
        .map(|level| {
            level
                .into_iter()
                .map(|g| MapGroup::new(round2(g.x), round2(g.y), g.members))
                .collect()
        })
        .collect();
    let cities = map
        .cities
        .iter()
        .map(|c| LiveCity {
            slug: c.slug.clone(),
            name: c.name.get(lang).to_owned(),
            country: c.country_name.get(lang).to_owned(),
            label: view::marker_label(locale, c, &map.clusters),
            joined: c.joined.map(|year| {
                use crate::i18n::td_string;
                td_string!(locale, map_joined, year = year).to_string()
            }),
            roles: c
                .roles(&map.clusters)
                .into_iter()
                .map(|(slug, name, lead)| (slug, name.get(lang).to_owned(), lead))
                .collect(),
            mark: c.mark(filtered),
            x: c.x,
            y: c.y,
        })
        .collect();
    Ok(MapData {
        cities,
        levels,
        marks: (0..live::SHAPES.len() as u8)
            .map(|i| live::shape(Some(i)))
            .collect(),
        unmarked: live::shape(None),
    })
}

/// Hundredths of a map unit are finer than any screen shows; fewer digits travel lighter.
#[cfg(feature = "ssr")]
fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Lower case without accents, so that "cordoba" finds Córdoba and "liege" Liège.
#[cfg(feature = "ssr")]
fn fold(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization as _;
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_numbers_are_written_like_the_float_formatter_would() {
        for (v, places) in [
            (12.345, 2),
            (-0.5, 2),
            (1000.0, 2),
            (0.004, 2),
            (-12.3456, 3),
            (7.0, 0),
        ] {
            assert_eq!(
                Fixed(v, places).to_string(),
                format!("{v:.*}", places as usize),
                "{v}"
            );
        }
        assert_eq!(Fixed(-0.001, 2).to_string(), "0.00");
    }

    #[test]
    fn a_city_wears_the_mark_of_the_filtered_cluster_else_the_one_it_leads() {
        let city = MapCity {
            slug: "torino".into(),
            name: Localized::new("Turin", "Torino"),
            country: "IT".into(),
            country_name: Localized::new("Italy", "Italia"),
            joined: Some(2016),
            clusters: vec![
                MapRole {
                    cluster: 3,
                    lead: false,
                },
                MapRole {
                    cluster: 5,
                    lead: true,
                },
            ],
            x: 0.0,
            y: 0.0,
        };
        assert_eq!(city.mark(None), Some(5));
        assert_eq!(city.mark(Some(3)), Some(3));
        assert_eq!(city.mark(Some(1)), Some(5));
        assert!(city.leads());
        let lone = MapCity {
            clusters: vec![],
            ..city
        };
        assert_eq!(lone.mark(None), None);
    }

    #[test]
    fn the_view_fits_the_points_in_the_maps_proportions() {
        let full = ViewBox {
            x: 0.0,
            y: 0.0,
            width: 1000.0,
            height: 480.0,
        };
        assert_eq!(ViewBox::fit(full, &[]), full);
        assert_eq!(ViewBox::fit(full, &[(10.0, 10.0), (990.0, 400.0)]), full);
        let close = [(520.0, 130.0), (530.0, 140.0), (540.0, 160.0)];
        let v = ViewBox::fit(full, &close);
        assert!(v.width < 250.0, "close in on them: {}", v.width);
        let one = ViewBox::fit(full, &[(500.0, 200.0)]);
        assert!(
            one.width >= 125.0,
            "at most eight times closer: {}",
            one.width
        );
        assert!((v.height / v.width - 0.48).abs() < 1e-9);
        for (x, y) in close {
            assert!(x > v.x && x < v.x + v.width && y > v.y && y < v.y + v.height);
        }
        // Near an edge, the view stays on the map.
        let corner = ViewBox::fit(full, &[(2.0, 2.0)]);
        assert_eq!((corner.x, corner.y), (0.0, 0.0));
    }
}

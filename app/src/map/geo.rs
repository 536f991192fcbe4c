//! Map geometry, on the server only: the Equal Earth projection (proj4rs, a port of PROJ), the
//! base map drawn from Natural Earth's countries (world-atlas, TopoJSON) and the clusters of
//! markers at each zoom level (supercluster). The browser receives plotted positions and the
//! groups per zoom level, never the geometry libraries.

use super::{MapGroup, MAX_ZOOM, WIDTH};
use proj4rs::proj::Proj;
use std::fmt::Write as _;
use std::sync::LazyLock;

/// The map's northern and southern edges. Antarctica has no member city and would take a
/// sixth of the height; the southern tips of the inhabited continents are north of 56° S.
const NORTH: f64 = 84.0;
const SOUTH: f64 = -57.0;

/// Natural Earth 1:110m admin-0 countries, as published in the npm package world-atlas 2.0.2
/// (public domain data; ISC-licensed conversion). The 1:110m scale is Natural Earth's own
/// simplification for world maps.
const COUNTRIES: &[u8] = include_bytes!("../../data/countries-110m.json");
/// ISO 3166-1 numeric code of Antarctica, left off the map.
const ANTARCTICA: &str = "010";

struct Projection {
    lonlat: Proj,
    equal_earth: Proj,
    west: f64,
    top: f64,
    scale: f64,
    height: f64,
}

static PROJECTION: LazyLock<Projection> = LazyLock::new(|| {
    let lonlat = Proj::from_proj_string("+proj=longlat +ellps=WGS84 +no_defs").expect("longlat");
    let equal_earth =
        Proj::from_proj_string("+proj=eqearth +ellps=WGS84 +no_defs").expect("eqearth");
    let raw = |lon: f64, lat: f64| {
        let mut p = (lon.to_radians(), lat.to_radians(), 0.0);
        proj4rs::transform::transform(&lonlat, &equal_earth, &mut p).expect("in range");
        (p.0, p.1)
    };
    let (west, _) = raw(-180.0, 0.0);
    let (east, _) = raw(180.0, 0.0);
    let (_, top) = raw(0.0, NORTH);
    let (_, bottom) = raw(0.0, SOUTH);
    let scale = WIDTH / (east - west);
    Projection {
        west,
        top,
        scale,
        height: (top - bottom) * scale,
        lonlat,
        equal_earth,
    }
});

/// The map's height in its own units, for a width of [`WIDTH`].
pub fn height() -> f64 {
    PROJECTION.height
}

/// Where a place (degrees) lands on the map: x rightwards from the antimeridian, y downwards
/// from the northern edge, in map units.
pub fn project(longitude: f64, latitude: f64) -> (f64, f64) {
    let p = &*PROJECTION;
    let mut point = (
        longitude.clamp(-180.0, 180.0).to_radians(),
        latitude.clamp(SOUTH, NORTH).to_radians(),
        0.0,
    );
    // Only a NaN can fail, and the clamps above turn none into a number: keep the centre then.
    if proj4rs::transform::transform(&p.lonlat, &p.equal_earth, &mut point).is_err() {
        return (WIDTH / 2.0, p.height / 2.0);
    }
    ((point.0 - p.west) * p.scale, (p.top - point.1) * p.scale)
}

/// The base map as a standalone SVG document: the globe's outline as the sea, the countries as
/// land with their borders. Built once per process; served as a cacheable file so that pages
/// carry only their markers.
pub fn basemap_svg() -> &'static str {
    static SVG: LazyLock<String> = LazyLock::new(build_basemap);
    &SVG
}

fn build_basemap() -> String {
    let topology = match serde_json::from_slice::<topojson::TopoJson>(COUNTRIES) {
        Ok(topojson::TopoJson::Topology(t)) => t,
        other => panic!("the bundled world atlas is a TopoJSON topology: {other:?}"),
    };
    let countries =
        topojson::to_geojson(&topology, "countries").expect("the atlas has its countries");
    let mut land = String::new();
    for feature in &countries.features {
        let id = match &feature.id {
            Some(geojson::feature::Id::String(s)) => s.as_str(),
            _ => "",
        };
        if id == ANTARCTICA {
            continue;
        }
        let Some(geometry) = &feature.geometry else {
            continue;
        };
        let polygons = match &geometry.value {
            geojson::Value::Polygon(p) => vec![p.clone()],
            geojson::Value::MultiPolygon(m) => m.clone(),
            _ => continue,
        };
        for ring in polygons.iter().flatten() {
            ring_path(&mut land, ring.iter().map(|p| project(p[0], p[1])));
        }
    }
    // The sea: the projected outline of the globe between the map's edges.
    let mut outline: Vec<(f64, f64)> = Vec::new();
    let steps = 60;
    for i in 0..=steps {
        let lat = NORTH - (NORTH - SOUTH) * f64::from(i) / f64::from(steps);
        outline.push(project(180.0, lat));
    }
    for i in 0..=steps {
        let lat = SOUTH + (NORTH - SOUTH) * f64::from(i) / f64::from(steps);
        outline.push(project(-180.0, lat));
    }
    let mut sea = String::new();
    ring_path(&mut sea, outline.into_iter());
    let height = height();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.1}\" \
         width=\"{WIDTH}\" height=\"{height:.1}\">\
         <path fill=\"#e8f1f7\" d=\"{sea}\"/>\
         <path fill=\"#d9dfd3\" stroke=\"#fff\" stroke-width=\"0.5\" stroke-linejoin=\"round\" d=\"{land}\"/>\
         </svg>"
    )
}

/// Appends one closed ring in relative moves, rounded to half a unit (half a pixel on a
/// 1,000-pixel-wide map): steps that round to nothing are dropped. Natural Earth's 1:110m
/// outlines have a point every one or two units, so finer positions draw no truer coasts; halves
/// make the file a third lighter than tenths (15 KB instead of 23 KB with brotli), which a phone
/// fetches before any script.
fn ring_path(out: &mut String, points: impl Iterator<Item = (f64, f64)>) {
    let half = |v: f64| (v * 2.0).round() as i64;
    let mut last: Option<(i64, i64)> = None;
    for (x, y) in points {
        let here = (half(x), half(y));
        match last {
            None => {
                let _ = write!(out, "M{} {}", decimal(here.0), decimal(here.1));
            }
            Some(prev) if prev == here => continue,
            Some(prev) => {
                let (dx, dy) = (here.0 - prev.0, here.1 - prev.1);
                // SVG path data lets a minus sign separate numbers; a space is needed otherwise.
                let sep = if dy < 0 { "" } else { " " };
                let _ = write!(out, "l{}{sep}{}", decimal(dx), decimal(dy));
            }
        }
        last = Some(here);
    }
    if last.is_some() {
        out.push('z');
    }
}

/// Halves as a decimal number without a trailing `.0`.
fn decimal(halves: i64) -> String {
    let sign = if halves < 0 { "-" } else { "" };
    let (whole, half) = (halves.abs() / 2, halves.abs() % 2);
    if half == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.5")
    }
}

/// Groups of markers closer than 24 pixels, at zoom levels 0 to [`MAX_ZOOM`] of a square map.
fn grouping_options() -> supercluster::SuperclusterOptions {
    use supercluster::{CoordinateSystem, DataRange, Supercluster};
    Supercluster::builder()
        .radius(24.0)
        .extent(512.0)
        .min_points(2)
        .min_zoom(0)
        .max_zoom(MAX_ZOOM)
        .coordinate_system(CoordinateSystem::Cartesian {
            // A square range, so that distances count the same across and down.
            range: DataRange {
                min_x: 0.0,
                min_y: 0.0,
                max_x: WIDTH,
                max_y: WIDTH,
                ..DataRange::default()
            },
        })
        .build()
}

/// The markers as the grouping reads them, each named `p` and its index.
fn point_features(points: &[(f64, f64)]) -> Vec<geojson_next::Feature> {
    points
        .iter()
        .enumerate()
        .map(|(i, &(x, y))| geojson_next::Feature {
            id: Some(geojson_next::feature::Id::String(format!("p{i}"))),
            geometry: Some(geojson_next::Geometry::new(geojson_next::Value::Point(
                vec![x, y],
            ))),
            bbox: None,
            properties: None,
            foreign_members: None,
        })
        .collect()
}

/// The markers grouped at each zoom level, from 0 (the whole map about 512 pixels wide) to
/// [`MAX_ZOOM`]: markers closer than about 24 pixels on screen at a level share one group.
pub fn group_levels(points: &[(f64, f64)]) -> Vec<Vec<MapGroup>> {
    use supercluster::Supercluster;
    let singles = |_: ()| -> Vec<Vec<MapGroup>> {
        let one = points
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| MapGroup::new(x, y, vec![i as u32]))
            .collect::<Vec<_>>();
        vec![one; usize::from(MAX_ZOOM) + 1]
    };
    if points.len() < 2 {
        return singles(());
    }
    let mut index = Supercluster::new(grouping_options());
    if index.load(point_features(points)).is_err() {
        return singles(());
    }
    let point_of = |f: &geojson_next::Feature| -> Option<u32> {
        match &f.id {
            Some(geojson_next::feature::Id::String(s)) => s.strip_prefix('p')?.parse().ok(),
            _ => None,
        }
    };
    (0..=MAX_ZOOM)
        .map(|zoom| {
            let Ok(found) = index.get_clusters([0.0, 0.0, WIDTH, WIDTH], zoom) else {
                return Vec::new();
            };
            let mut groups: Vec<MapGroup> = found
                .iter()
                .filter_map(|f| {
                    if let Some(i) = point_of(f) {
                        let (x, y) = points[i as usize];
                        return Some(MapGroup::new(x, y, vec![i]));
                    }
                    let cluster = f.property("cluster_id")?.as_u64()? as usize;
                    let mut members: Vec<u32> = index
                        .get_leaves(cluster, usize::MAX, 0)
                        .iter()
                        .filter_map(point_of)
                        .collect();
                    members.sort_unstable();
                    let (x, y) = match f.geometry.as_ref().map(|g| &g.value) {
                        Some(geojson_next::Value::Point(p)) if p.len() >= 2 => (p[0], p[1]),
                        _ => return None,
                    };
                    Some(MapGroup::new(x, y, members))
                })
                .collect();
            groups.sort_by_key(|g| g.members.first().copied());
            groups
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stylesheet_keeps_the_maps_proportions() {
        let css = include_str!("../../../style/main.css");
        let ratio = format!("aspect-ratio: {WIDTH} / {:.2};", height());
        assert!(css.contains(&ratio), "style/main.css must say {ratio}");
    }

    #[test]
    fn known_places_land_where_equal_earth_puts_them() {
        // The meridian of Greenwich and the equator cross at the map's centre line.
        let (x, _) = project(0.0, 0.0);
        assert!((x - WIDTH / 2.0).abs() < 1e-9);
        // The antimeridian is the map's left and right edge on the equator.
        assert!(project(-180.0, 0.0).0.abs() < 1e-9);
        assert!((project(180.0, 0.0).0 - WIDTH).abs() < 1e-9);
        // The top edge is 84° N.
        assert!(project(0.0, NORTH).1.abs() < 1e-9);
        // Equal Earth is pseudocylindrical: parallels are straight, meridians curve inwards.
        assert!((project(10.0, 43.8).1 - project(120.0, 43.8).1).abs() < 1e-9);
        assert!(project(180.0, 60.0).0 < project(180.0, 0.0).0);
        // Lucca (43.84 N, 10.50 E) and Chengdu (30.57 N, 104.07 E) where PROJ puts them.
        let lucca = project(10.5037, 43.8429);
        let chengdu = project(104.0665, 30.5723);
        assert!(lucca.0 > WIDTH / 2.0 && lucca.0 < chengdu.0);
        assert!(lucca.1 < chengdu.1, "Lucca is north of Chengdu");
        // Distances along a parallel scale with longitude near the centre.
        let a = project(0.0, 0.0).0;
        let b = project(90.0, 0.0).0;
        assert!((b - a - WIDTH / 4.0).abs() < 1e-6);
    }

    /// Two coordinates: degrees of longitude and latitude, metres east and north, or map units.
    type Point = (f64, f64);

    /// Metres east and north, from PROJ 9.5.1 (pyproj 3.7.2) with the definition the map uses:
    /// `Transformer.from_crs(CRS.from_proj4("+proj=longlat +ellps=WGS84 +no_defs"),
    /// CRS.from_proj4("+proj=eqearth +ellps=WGS84 +no_defs"), always_xy=True)`, the same as
    /// `echo 10.5037 43.8429 | proj +proj=eqearth +ellps=WGS84`.
    const PROJ: &[(Point, Point)] = &[
        ((-180.0, 0.0), (-17_243_959.062_216_95, 0.0)),
        ((180.0, 0.0), (17_243_959.062_216_95, 0.0)),
        ((0.0, 84.0), (0.0, 8_324_478.230_693_76)),
        ((0.0, -57.0), (0.0, -6_658_377.940_108_801)),
        ((90.0, 0.0), (8_621_979.531_108_474, 0.0)),
        (
            (10.5037, 43.8429),
            (870_262.941_686_778_8, 5_342_783.592_025_801),
        ),
        (
            (104.0665, 30.5723),
            (9_305_582.833_804_507, 3_832_495.927_216_141_5),
        ),
    ];

    #[test]
    fn the_projection_gives_projs_numbers() {
        let p = &*PROJECTION;
        for &((lon, lat), (east, north)) in PROJ {
            let mut point = (f64::to_radians(lon), f64::to_radians(lat), 0.0);
            proj4rs::transform::transform(&p.lonlat, &p.equal_earth, &mut point).unwrap();
            // A millimetre: proj4rs is a port of PROJ's formulas, not an approximation of them.
            assert!(
                (point.0 - east).abs() < 1e-3,
                "{lon} {lat}: x {} vs {east}",
                point.0
            );
            assert!(
                (point.1 - north).abs() < 1e-3,
                "{lon} {lat}: y {} vs {north}",
                point.1
            );
        }
    }

    #[test]
    fn places_land_on_the_map_where_projs_numbers_put_them() {
        // The map's frame from PROJ's numbers: the antimeridian at the equator left and right,
        // 84° N at the top, 57° S at the bottom.
        let (west, east) = (PROJ[0].1 .0, PROJ[1].1 .0);
        let (top, bottom) = (PROJ[2].1 .1, PROJ[3].1 .1);
        let scale = WIDTH / (east - west);
        assert!(
            (height() - (top - bottom) * scale).abs() < 1e-6,
            "{}",
            height()
        );
        for &((lon, lat), (east_m, north_m)) in PROJ {
            let (x, y) = project(lon, lat);
            let (want_x, want_y) = ((east_m - west) * scale, (top - north_m) * scale);
            assert!((x - want_x).abs() < 1e-6, "{lon} {lat}: x {x} vs {want_x}");
            assert!((y - want_y).abs() < 1e-6, "{lon} {lat}: y {y} vs {want_y}");
        }
    }

    #[test]
    fn the_south_is_cut_above_antarctica() {
        let (_, y) = project(0.0, -89.0);
        assert!((y - height()).abs() < 1e-9, "clamped to the southern edge");
        assert!(height() > WIDTH * 0.4 && height() < WIDTH * 0.5);
    }

    #[test]
    fn the_basemap_is_a_light_svg_of_the_countries() {
        let svg = basemap_svg();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.ends_with("</svg>"));
        // Hundreds of rings (one per country part), and Antarctica's ice is not among them.
        assert!(
            svg.matches('M').count() > 200,
            "{}",
            svg.matches('M').count()
        );
        assert!(svg.len() < 120_000, "basemap is {} bytes", svg.len());
        assert!(svg.contains("viewBox=\"0 0 1000 "));
    }

    /// The points of an SVG path written by [`ring_path`], in absolute map units.
    fn path_points(d: &str) -> Vec<Point> {
        let mut points = Vec::new();
        let (mut at, mut command) = ((0.0, 0.0), ' ');
        let mut numbers = Vec::new();
        let mut rest = d;
        while let Some(c) = rest.chars().next() {
            if matches!(c, 'M' | 'l' | 'z') {
                command = c;
                rest = &rest[1..];
                continue;
            }
            if c == ' ' {
                rest = &rest[1..];
                continue;
            }
            let end = rest[1..]
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .map_or(rest.len(), |i| i + 1);
            numbers.push(rest[..end].parse::<f64>().expect("a number"));
            rest = &rest[end..];
            if let [dx, dy] = numbers[..] {
                at = if command == 'M' {
                    (dx, dy)
                } else {
                    (at.0 + dx, at.1 + dy)
                };
                points.push(at);
                numbers.clear();
            }
        }
        points
    }

    /// The land and the sea of the base map, as points.
    fn basemap_paths() -> (Vec<Point>, Vec<Point>) {
        let svg = basemap_svg();
        let mut paths = svg.split(" d=\"").skip(1).map(|rest| {
            let d = &rest[..rest.find('"').expect("a closed attribute")];
            path_points(d)
        });
        let sea = paths.next().expect("the sea");
        let land = paths.next().expect("the land");
        (land, sea)
    }

    #[test]
    fn path_points_reads_back_what_ring_path_writes() {
        let mut out = String::new();
        let ring = [(1.0, 1.0), (2.5, 0.5), (2.5, 2.0), (0.0, 3.5)];
        ring_path(&mut out, ring.into_iter());
        assert_eq!(path_points(&out), ring);
    }

    #[test]
    fn no_point_of_the_base_map_lies_below_its_southern_edge() {
        let (land, sea) = basemap_paths();
        assert!(land.len() > 1_000, "{} land points", land.len());
        // Half a unit of rounding either way.
        for (x, y) in land.iter().chain(&sea) {
            assert!((-0.5..=WIDTH + 0.5).contains(x), "x {x}");
            assert!(
                (-0.5..=height() + 0.5).contains(y),
                "y {y} below {}",
                height()
            );
        }
    }

    #[test]
    fn antarctica_is_not_on_the_base_map() {
        // The atlas has it, so leaving it off is the map's doing.
        let atlas = String::from_utf8_lossy(COUNTRIES);
        assert!(
            atlas.contains("\"id\":\"010\""),
            "Antarctica is in the atlas"
        );
        // All of Antarctica lies south of 60° S, below the map's edge: drawn, it would be
        // clamped onto that edge. No land reaches it: the southernmost tips of the inhabited
        // continents (Tierra del Fuego, 55.98° S) stay above it.
        let (land, _) = basemap_paths();
        let edge = height();
        let lowest = land.iter().map(|p| p.1).fold(f64::MIN, f64::max);
        assert!(
            lowest < edge - 1.0,
            "land at y {lowest}, the edge is {edge}"
        );
        let (_, cape_horn) = project(-67.27, -55.98);
        assert!(
            lowest <= cape_horn + 1.0,
            "land at {lowest} below Cape Horn's {cape_horn}"
        );
    }

    #[test]
    fn ring_paths_are_relative_and_skip_repeats() {
        let mut out = String::new();
        ring_path(
            &mut out,
            [(1.0, 1.0), (1.01, 1.01), (2.5, 0.5), (2.5, 2.0)].into_iter(),
        );
        assert_eq!(out, "M1 1l1.5-0.5l0 1.5z");
    }

    #[test]
    fn groups_split_as_the_zoom_grows() {
        // Two cities 10 units apart (Lucca and Florence are about that on this map), one far.
        let points = [(520.0, 130.0), (530.0, 130.0), (800.0, 300.0)];
        let levels = group_levels(&points);
        assert_eq!(levels.len(), usize::from(MAX_ZOOM) + 1);
        // Whole map on a phone: the near two are one group, the far one alone.
        let zoom0: Vec<Vec<u32>> = levels[0].iter().map(|g| g.members.clone()).collect();
        assert_eq!(zoom0, vec![vec![0, 1], vec![2]]);
        // Zoomed in enough, every city has its own marker.
        let deepest: Vec<Vec<u32>> = levels[usize::from(MAX_ZOOM)]
            .iter()
            .map(|g| g.members.clone())
            .collect();
        assert_eq!(deepest, vec![vec![0], vec![1], vec![2]]);
        // And a group's marker sits between its members.
        let g = &levels[0][0];
        assert!(g.x > 520.0 && g.x < 530.0 && (g.y - 130.0).abs() < 1e-6);
        // Zooming out never splits a group: every level has at most as many groups as the next.
        for pair in levels.windows(2) {
            assert!(pair[0].len() <= pair[1].len());
        }
    }

    #[test]
    fn every_city_is_in_exactly_one_group_at_every_level() {
        let points: Vec<(f64, f64)> = (0..200)
            .map(|i| {
                project(
                    f64::from(i * 7 % 360) - 180.0,
                    f64::from(i * 13 % 140) - 56.0,
                )
            })
            .collect();
        for level in group_levels(&points) {
            let mut all: Vec<u32> = level.iter().flat_map(|g| g.members.clone()).collect();
            all.sort_unstable();
            assert_eq!(all, (0..200).collect::<Vec<u32>>());
        }
    }
}

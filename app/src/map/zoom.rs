//! Pan and zoom as arithmetic on the visible rectangle, shared by every input (wheel, drag,
//! pinch, keys, buttons) so that each behaves the same and stays on the map.

use super::{ViewBox, MAX_ZOOM};

/// The closest the map goes: a sixty-fourth of its width, about a city and its surroundings.
const CLOSEST: f64 = 64.0;

/// The view scaled by `factor` (above 1 zooms in) about the map point `at`, which stays put on
/// screen.
pub fn zoom_at(view: ViewBox, full: ViewBox, factor: f64, at: (f64, f64)) -> ViewBox {
    if !factor.is_finite() || factor <= 0.0 {
        return view;
    }
    let width = (view.width / factor).clamp(full.width / CLOSEST, full.width);
    let scale = width / view.width;
    let height = view.height * scale;
    let x = at.0 - (at.0 - view.x) * scale;
    let y = at.1 - (at.1 - view.y) * scale;
    clamp(
        ViewBox {
            x,
            y,
            width,
            height,
        },
        full,
    )
}

/// The view moved by `dx`, `dy` map units, kept on the map.
pub fn pan(view: ViewBox, full: ViewBox, dx: f64, dy: f64) -> ViewBox {
    clamp(
        ViewBox {
            x: view.x + dx,
            y: view.y + dy,
            ..view
        },
        full,
    )
}

fn clamp(view: ViewBox, full: ViewBox) -> ViewBox {
    let fit = |start: f64, len: f64, lo: f64, full_len: f64| {
        if len >= full_len {
            lo + (full_len - len) / 2.0
        } else {
            start.clamp(lo, lo + full_len - len)
        }
    };
    ViewBox {
        x: fit(view.x, view.width, full.x, full.width),
        y: fit(view.y, view.height, full.y, full.height),
        ..view
    }
}

/// The grouping level for a view shown `pixels` wide: level 0 puts the whole map in about 512
/// pixels, and each level doubles that.
pub fn level(view: ViewBox, full: ViewBox, pixels: f64) -> u8 {
    let whole = pixels * full.width / view.width;
    let z = (whole / 512.0).log2().floor();
    if z.is_nan() || z < 0.0 {
        0
    } else {
        (z as u8).min(MAX_ZOOM)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FULL: ViewBox = ViewBox {
        x: 0.0,
        y: 0.0,
        width: 1000.0,
        height: 480.0,
    };

    #[test]
    fn zooming_keeps_the_point_under_the_cursor() {
        let v = zoom_at(FULL, FULL, 2.0, (250.0, 120.0));
        assert_eq!(v.width, 500.0);
        assert_eq!(v.height, 240.0);
        // (250, 120) sat a quarter across and a quarter down; it still does.
        assert!(((250.0 - v.x) / v.width - 0.25).abs() < 1e-9);
        assert!(((120.0 - v.y) / v.height - 0.25).abs() < 1e-9);
        // And zooming back out by the same factor returns to the whole map.
        assert_eq!(zoom_at(v, FULL, 0.5, (250.0, 120.0)), FULL);
    }

    #[test]
    fn zoom_stops_at_both_ends() {
        let out = zoom_at(FULL, FULL, 0.25, (500.0, 240.0));
        assert_eq!(out, FULL);
        let mut v = FULL;
        for _ in 0..20 {
            v = zoom_at(v, FULL, 2.0, (500.0, 240.0));
        }
        assert!((v.width - 1000.0 / 64.0).abs() < 1e-9);
        assert_eq!(zoom_at(v, FULL, f64::NAN, (0.0, 0.0)), v);
    }

    #[test]
    fn panning_stays_on_the_map() {
        let v = zoom_at(FULL, FULL, 4.0, (500.0, 240.0));
        let moved = pan(v, FULL, 30.0, -10.0);
        assert!((moved.x - v.x - 30.0).abs() < 1e-9 && (moved.y - v.y + 10.0).abs() < 1e-9);
        let far = pan(v, FULL, 5000.0, 5000.0);
        assert_eq!(far.x + far.width, 1000.0);
        assert_eq!(far.y + far.height, 480.0);
        assert_eq!(pan(FULL, FULL, 100.0, 100.0), FULL);
    }

    #[test]
    fn groups_split_level_by_level_as_the_map_grows() {
        // A phone showing the whole map: level 0.
        assert_eq!(level(FULL, FULL, 360.0), 0);
        // A desktop showing the whole map 1,100 pixels wide: level 1.
        assert_eq!(level(FULL, FULL, 1100.0), 1);
        // The phone zoomed in four times: 1,440 pixels for the whole map, level 1; sixteen
        // times: level 3; further than the deepest level: the deepest.
        let x4 = zoom_at(FULL, FULL, 4.0, (500.0, 240.0));
        assert_eq!(level(x4, FULL, 360.0), 1);
        let x16 = zoom_at(FULL, FULL, 16.0, (500.0, 240.0));
        assert_eq!(level(x16, FULL, 360.0), 3);
        let x64 = zoom_at(FULL, FULL, 64.0, (500.0, 240.0));
        assert_eq!(level(x64, FULL, 1280.0), MAX_ZOOM);
        assert_eq!(level(FULL, FULL, 0.0), 0);
    }
}

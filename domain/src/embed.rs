//! What a municipal site may say about a widget it embeds: its look (colours, font, corners,
//! density, light or dark) and the origins allowed to frame the widgets that carry a form.
//! Every value reaches a page's CSS or its Content-Security-Policy, so each one parses to a
//! shape that cannot carry anything else, and is written back out from that shape only.

use crate::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A colour written `#rgb` or `#rrggbb` (the `#` may be left out, since it has to be escaped
/// in a query string).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Colour([u8; 3]);

impl Colour {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let hex = raw.trim().trim_start_matches('#');
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ParseError::InvalidCharacters);
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).unwrap_or(0);
        match hex.len() {
            3 => Ok(Colour([digit(0) * 17, digit(1) * 17, digit(2) * 17])),
            6 => Ok(Colour([
                digit(0) * 16 + digit(1),
                digit(2) * 16 + digit(3),
                digit(4) * 16 + digit(5),
            ])),
            _ => Err(ParseError::InvalidFormat),
        }
    }

    /// WCAG 2.1 relative luminance.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
    }

    /// WCAG 2.1 contrast ratio of two colours, 1 to 21.
    pub fn contrast(self, other: Colour) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a > b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// Black or white, whichever reads better on this colour.
    pub fn ink(self) -> Colour {
        let (white, black) = (Colour([255; 3]), Colour([0; 3]));
        if self.contrast(white) >= self.contrast(black) {
            white
        } else {
            black
        }
    }

    /// `rrggbb`, for a query string.
    pub fn hex(self) -> String {
        let [r, g, b] = self.0;
        format!("{r:02x}{g:02x}{b:02x}")
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.hex())
    }
}

/// A font: the system's own stack, a generic family, or up to four family names of letters,
/// digits, spaces and hyphens (what a host page's `font-family` holds once its quotes are
/// taken off). Names are written out quoted, after the system stack as the fallback.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum FontStack {
    System,
    Serif,
    Named(Vec<String>),
}

impl FontStack {
    const MAX_NAMES: usize = 4;
    const MAX_NAME: usize = 40;
    const SYSTEM: &'static str =
        "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", sans-serif";

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.trim();
        match raw {
            "" => return Err(ParseError::Empty),
            "system" | "system-ui" | "sans-serif" => return Ok(FontStack::System),
            "serif" => return Ok(FontStack::Serif),
            _ => {}
        }
        let mut names = Vec::new();
        for part in raw.split(',') {
            let name = part.trim().trim_matches(|c| c == '"' || c == '\'').trim();
            if name.is_empty() {
                continue;
            }
            if name.len() > Self::MAX_NAME {
                return Err(ParseError::TooLong);
            }
            if !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b' ' || b == b'-')
            {
                return Err(ParseError::InvalidCharacters);
            }
            // Generic families are the fallback written after every stack; so is "system",
            // which a stack of that name alone would be read back as.
            if matches!(
                name,
                "sans-serif" | "serif" | "system" | "system-ui" | "-apple-system"
            ) {
                continue;
            }
            if names.len() == Self::MAX_NAMES {
                return Err(ParseError::TooLong);
            }
            names.push(name.to_owned());
        }
        if names.is_empty() {
            Ok(FontStack::System)
        } else {
            Ok(FontStack::Named(names))
        }
    }

    pub fn css(&self) -> String {
        match self {
            FontStack::System => Self::SYSTEM.to_owned(),
            FontStack::Serif => "Georgia, \"Times New Roman\", serif".to_owned(),
            FontStack::Named(names) => {
                let quoted: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
                format!("{}, {}", quoted.join(", "), Self::SYSTEM)
            }
        }
    }

    /// The value for a query string.
    pub fn query(&self) -> String {
        match self {
            FontStack::System => "system".to_owned(),
            FontStack::Serif => "serif".to_owned(),
            FontStack::Named(names) => names.join(","),
        }
    }
}

/// How much room a widget gives its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Density {
    Compact,
    #[default]
    Normal,
    Comfortable,
}

impl Density {
    pub const ALL: [Density; 3] = [Density::Compact, Density::Normal, Density::Comfortable];

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Density::ALL
            .into_iter()
            .find(|d| d.as_str() == raw.trim())
            .ok_or(ParseError::InvalidFormat)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Density::Compact => "compact",
            Density::Normal => "normal",
            Density::Comfortable => "comfortable",
        }
    }

    fn space(self) -> &'static str {
        match self {
            Density::Compact => "0.6rem",
            Density::Normal => "1rem",
            Density::Comfortable => "1.4rem",
        }
    }
}

/// Light, dark, or whatever the reader's device prefers (which an iframe learns from the page
/// around it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Scheme {
    #[default]
    Auto,
    Light,
    Dark,
}

impl Scheme {
    pub const ALL: [Scheme; 3] = [Scheme::Auto, Scheme::Light, Scheme::Dark];

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Scheme::ALL
            .into_iter()
            .find(|s| s.as_str() == raw.trim())
            .ok_or(ParseError::InvalidFormat)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Auto => "auto",
            Scheme::Light => "light",
            Scheme::Dark => "dark",
        }
    }
}

/// A widget's look, from its address's query.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Theme {
    pub accent: Option<Colour>,
    pub text: Option<Colour>,
    pub font: Option<FontStack>,
    /// Corner radius in CSS pixels.
    pub radius: Option<u8>,
    pub density: Density,
    pub scheme: Scheme,
}

/// The query keys a theme reads, in the order it writes them.
pub const THEME_KEYS: [&str; 6] = ["accent", "text", "font", "radius", "density", "theme"];

impl Theme {
    pub const MAX_RADIUS: u8 = 24;

    /// The theme in `pairs` (other keys are left alone); each refused value is named with
    /// its key, so that the widget can say which one to fix. An empty value is no value.
    pub fn from_pairs<'a>(
        pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Theme, Vec<(&'static str, ParseError)>> {
        let mut theme = Theme::default();
        let mut refused = Vec::new();
        for (key, value) in pairs {
            let Some(key) = THEME_KEYS.into_iter().find(|k| *k == key) else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            let parsed = match key {
                "accent" => Colour::parse(value).map(|c| theme.accent = Some(c)),
                "text" => Colour::parse(value).map(|c| theme.text = Some(c)),
                "font" => FontStack::parse(value).map(|f| theme.font = Some(f)),
                "radius" => value
                    .trim()
                    .trim_end_matches("px")
                    .parse::<u8>()
                    .map_err(|_| ParseError::NotANumber)
                    .and_then(|r| {
                        (r <= Self::MAX_RADIUS)
                            .then_some(r)
                            .ok_or(ParseError::OutOfRange)
                    })
                    .map(|r| theme.radius = Some(r)),
                "density" => Density::parse(value).map(|d| theme.density = d),
                _ => Scheme::parse(value).map(|s| theme.scheme = s),
            };
            if let Err(e) = parsed {
                refused.push((key, e));
            }
        }
        if refused.is_empty() {
            Ok(theme)
        } else {
            Err(refused)
        }
    }

    /// The theme's own query pairs, defaults left out: carried by every link and form that
    /// stays inside the widget.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut out = Vec::new();
        if let Some(c) = self.accent {
            out.push(("accent", c.hex()));
        }
        if let Some(c) = self.text {
            out.push(("text", c.hex()));
        }
        if let Some(f) = &self.font {
            out.push(("font", f.query()));
        }
        if let Some(r) = self.radius {
            out.push(("radius", r.to_string()));
        }
        if self.density != Density::Normal {
            out.push(("density", self.density.as_str().to_owned()));
        }
        if self.scheme != Scheme::Auto {
            out.push(("theme", self.scheme.as_str().to_owned()));
        }
        out
    }

    /// The style sheet that sets the theme's custom properties over the site's, or nothing
    /// for the site's own look. The page's root carries `data-scheme`, so these selectors
    /// outrank the site's light and dark rules.
    pub fn css(&self) -> Option<String> {
        let mut shape = Vec::new();
        if let Some(f) = &self.font {
            shape.push(format!("--font:{}", f.css()));
        }
        if let Some(r) = self.radius {
            shape.push(format!("--radius:{r}px"));
        }
        if self.density != Density::Normal {
            shape.push(format!("--space:{}", self.density.space()));
        }
        let mut colours = Vec::new();
        if let Some(c) = self.accent {
            colours.push(format!(
                "--brand:{c};--brand-strong:{c};--on-brand:{}",
                c.ink()
            ));
        }
        if let Some(c) = self.text {
            colours.push(format!("--text:{c};--muted:{c}"));
        }
        let mut css = String::new();
        if !shape.is_empty() {
            css.push_str(&format!(":root[data-scheme]{{{}}}", shape.join(";")));
        }
        if !colours.is_empty() {
            let rule = format!(":root[data-scheme]{{{}}}", colours.join(";"));
            // Colours chosen for a light page would be unreadable on the dark one: with the
            // scheme left to the reader, they apply to the light one only.
            if self.scheme == Scheme::Auto {
                css.push_str(&format!("@media (prefers-color-scheme: light){{{rule}}}"));
            } else {
                css.push_str(&rule);
            }
        }
        (!css.is_empty()).then_some(css)
    }
}

/// An origin allowed to frame a city's form widgets: `https://host[:port]` (or `http://`),
/// lowercase, no path. What the Content-Security-Policy's `frame-ancestors` lists.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FrameOrigin(String);

impl FrameOrigin {
    const MAX_LEN: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.trim().trim_end_matches('/').to_ascii_lowercase();
        if raw.is_empty() {
            return Err(ParseError::Empty);
        }
        if raw.len() > Self::MAX_LEN {
            return Err(ParseError::TooLong);
        }
        let (scheme, authority) = raw.split_once("://").ok_or(ParseError::InvalidFormat)?;
        if !matches!(scheme, "http" | "https") {
            return Err(ParseError::InvalidFormat);
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        };
        if let Some(port) = port {
            if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ParseError::InvalidFormat);
            }
            port.parse::<u16>().map_err(|_| ParseError::OutOfRange)?;
        }
        let labels_ok = !host.is_empty()
            && host.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && !label.starts_with('-')
                    && !label.ends_with('-')
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            });
        if !labels_ok {
            return Err(ParseError::InvalidCharacters);
        }
        Ok(FrameOrigin(raw))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for FrameOrigin {
    type Error = ParseError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        FrameOrigin::parse(&s)
    }
}

impl From<FrameOrigin> for String {
    fn from(o: FrameOrigin) -> Self {
        o.0
    }
}

impl fmt::Display for FrameOrigin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn theme(q: &[(&str, &str)]) -> Result<Theme, Vec<(&'static str, ParseError)>> {
        Theme::from_pairs(q.iter().copied())
    }

    #[test]
    fn colours_parse_in_both_lengths_with_or_without_the_hash() {
        assert_eq!(Colour::parse("#0b5cad").unwrap().to_string(), "#0b5cad");
        assert_eq!(Colour::parse("0B5CAD").unwrap().to_string(), "#0b5cad");
        assert_eq!(Colour::parse("#fa0").unwrap().to_string(), "#ffaa00");
        for bad in [
            "red", "#12345", "#1234567", "12;}x", "#0b5cad;", "url(x)", "",
        ] {
            assert!(Colour::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ink_is_the_readable_one() {
        assert_eq!(Colour::parse("#0b5cad").unwrap().ink(), Colour([255; 3]));
        assert_eq!(Colour::parse("#ffd24a").unwrap().ink(), Colour([0; 3]));
        let ratio = Colour([0; 3]).contrast(Colour([255; 3]));
        assert!((ratio - 21.0).abs() < 0.01);
    }

    #[test]
    fn fonts_are_names_and_nothing_else() {
        assert_eq!(FontStack::parse("system").unwrap(), FontStack::System);
        assert_eq!(
            FontStack::parse("\"Titillium Web\", Arial, sans-serif").unwrap(),
            FontStack::Named(vec!["Titillium Web".into(), "Arial".into()])
        );
        assert_eq!(
            FontStack::parse("'Titillium Web',Arial").unwrap().css(),
            format!("\"Titillium Web\", \"Arial\", {}", FontStack::SYSTEM)
        );
        for bad in [
            "Arial;}body{display:none",
            "x</style><script>",
            "a\"b",
            "url(evil)",
            "A,B,C,D,E",
        ] {
            assert!(FontStack::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_font_named_system_is_the_system_stack() {
        // Named(["system"]) was written into links as "system", which reads back as the
        // system stack: the widget's own links changed its font.
        for raw in ["'system'", "system,", "\"system\", serif"] {
            assert_eq!(FontStack::parse(raw), Ok(FontStack::System), "{raw}");
        }
    }

    #[test]
    fn a_theme_reads_its_keys_and_writes_them_back() {
        let t = theme(&[
            ("accent", "#a61e4d"),
            ("text", "222"),
            ("font", "Georgia"),
            ("radius", "4"),
            ("density", "compact"),
            ("theme", "dark"),
            ("city", "lucca"),
        ])
        .unwrap();
        assert_eq!(
            t.pairs(),
            vec![
                ("accent", "a61e4d".to_owned()),
                ("text", "222222".to_owned()),
                ("font", "Georgia".to_owned()),
                ("radius", "4".to_owned()),
                ("density", "compact".to_owned()),
                ("theme", "dark".to_owned()),
            ]
        );
        let again = Theme::from_pairs(t.pairs().iter().map(|(k, v)| (*k, v.as_str()))).unwrap();
        assert_eq!(again, t);
        let css = t.css().unwrap();
        assert!(css.contains("--brand:#a61e4d;--brand-strong:#a61e4d;--on-brand:#ffffff"));
        assert!(css.contains("--radius:4px"));
        assert!(
            !css.contains("@media"),
            "a forced scheme takes the colours as given"
        );
    }

    #[test]
    fn colours_left_to_the_reader_s_scheme_apply_to_the_light_one() {
        let css = theme(&[("accent", "a61e4d")]).unwrap().css().unwrap();
        assert!(css.starts_with("@media (prefers-color-scheme: light){:root[data-scheme]{"));
        assert_eq!(Theme::default().css(), None);
        assert!(Theme::default().pairs().is_empty());
    }

    #[test]
    fn each_refused_value_is_named() {
        let refused = theme(&[
            ("accent", "red;x"),
            ("radius", "99"),
            ("density", "huge"),
            ("theme", "dark"),
        ])
        .unwrap_err();
        assert_eq!(
            refused,
            vec![
                ("accent", ParseError::InvalidCharacters),
                ("radius", ParseError::OutOfRange),
                ("density", ParseError::InvalidFormat),
            ]
        );
        assert_eq!(theme(&[("accent", "")]).unwrap(), Theme::default());
    }

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(
            FrameOrigin::parse("https://www.Comune.Lucca.it/")
                .unwrap()
                .as_str(),
            "https://www.comune.lucca.it"
        );
        assert_eq!(
            FrameOrigin::parse("http://localhost:8080")
                .unwrap()
                .as_str(),
            "http://localhost:8080"
        );
        for bad in [
            "www.comune.lucca.it",
            "https://www.comune.lucca.it/path",
            "javascript://x",
            "https://*.lucca.it",
            "https://a b.it",
            "https://x.it; script-src *",
            "https://x.it:99999",
            "https://x.it:",
            "'self'",
            "data:",
        ] {
            assert!(FrameOrigin::parse(bad).is_err(), "{bad}");
        }
    }
}

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a value was refused. The variants are stable so that the UI can translate them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum ParseError {
    #[error("required")]
    Empty,
    #[error("too short")]
    TooShort,
    #[error("too long")]
    TooLong,
    #[error("invalid format")]
    InvalidFormat,
    #[error("invalid characters")]
    InvalidCharacters,
    #[error("out of range")]
    OutOfRange,
    #[error("not a number")]
    NotANumber,
    /// An end that is not after its start.
    #[error("ends before it starts")]
    EndBeforeStart,
    /// A wall-clock time the clocks skip when they go forward.
    #[error("no such local time")]
    NonexistentTime,
    /// A recurrence rule more frequent than daily, or one with too many occurrences.
    #[error("too frequent")]
    TooFrequent,
    /// A code whose check digit does not match the rest: a typing mistake.
    #[error("wrong check digit")]
    Checksum,
}

/// A URL segment naming a city, cluster or sector: lowercase ASCII letters, digits and
/// single hyphens. Slugs appear in links that municipal sites embed, so they never change case
/// or carry characters that need escaping.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Slug(String);

impl Slug {
    pub const MAX_LEN: usize = 64;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        if s.len() > Self::MAX_LEN {
            return Err(ParseError::TooLong);
        }
        let valid_chars = s
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid_chars || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(ParseError::InvalidCharacters);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Slug {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Slug> for String {
    fn from(value: Slug) -> Self {
        value.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ISO 3166-1 alpha-2 country code, uppercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CountryCode(String);

impl CountryCode {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(ParseError::InvalidCharacters);
        }
        Ok(Self(s.to_ascii_uppercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CountryCode {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CountryCode> for String {
    fn from(value: CountryCode) -> Self {
        value.0
    }
}

/// A point on the WGS 84 ellipsoid, as GeoNames gives it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Coordinates {
    latitude: f64,
    longitude: f64,
}

impl Coordinates {
    pub fn parse(latitude: &str, longitude: &str) -> Result<Self, (CoordinateField, ParseError)> {
        let lat = parse_degrees(latitude, 90.0).map_err(|e| (CoordinateField::Latitude, e))?;
        let lon = parse_degrees(longitude, 180.0).map_err(|e| (CoordinateField::Longitude, e))?;
        Ok(Self {
            latitude: lat,
            longitude: lon,
        })
    }

    pub fn latitude(&self) -> f64 {
        self.latitude
    }

    pub fn longitude(&self) -> f64 {
        self.longitude
    }
}

/// How far from a city's centre its learning places may be (pact adherents, meeting venues):
/// a metropolitan area, not the next city.
pub const CITY_REACH_KM: f64 = 60.0;

/// Kilometres between two points on the globe (haversine).
pub fn distance_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (la1, lo1, la2, lo2) = (
        a.0.to_radians(),
        a.1.to_radians(),
        b.0.to_radians(),
        b.1.to_radians(),
    );
    let h = ((la2 - la1) / 2.0).sin().powi(2)
        + la1.cos() * la2.cos() * ((lo2 - lo1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoordinateField {
    Latitude,
    Longitude,
}

fn parse_degrees(raw: &str, limit: f64) -> Result<f64, ParseError> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(ParseError::Empty);
    }
    let value: f64 = s.parse().map_err(|_| ParseError::NotANumber)?;
    if !value.is_finite() || value.abs() > limit {
        return Err(ParseError::OutOfRange);
    }
    Ok(value)
}

/// Free text shown to people (names, titles): trimmed, non-empty, bounded, and free of control
/// characters that would corrupt CSV exports or e-mail headers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ParseError::Empty);
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(ParseError::TooLong);
        }
        if s.chars().any(char::is_control) {
            return Err(ParseError::InvalidCharacters);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Name {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Name> for String {
    fn from(value: Name) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_great_circle_kilometres() {
        let lucca = (43.8429, 10.5027);
        let pisa = (43.7085, 10.4036);
        let d = distance_km(lucca, pisa);
        assert!((16.0..18.5).contains(&d), "{d}");
        assert!(distance_km(lucca, (45.0703, 7.6869)) > 250.0);
    }

    #[test]
    fn slugs_accept_kebab_case_only() {
        assert_eq!(Slug::parse(" torino ").unwrap().as_str(), "torino");
        assert_eq!(Slug::parse("sao-paulo").unwrap().as_str(), "sao-paulo");
        for bad in [
            "Torino",
            "são-paulo",
            "-a",
            "a-",
            "a--b",
            "a b",
            "a/b",
            "<script>",
        ] {
            assert_eq!(
                Slug::parse(bad),
                Err(ParseError::InvalidCharacters),
                "{bad}"
            );
        }
        assert_eq!(Slug::parse("  "), Err(ParseError::Empty));
        assert_eq!(Slug::parse(&"a".repeat(65)), Err(ParseError::TooLong));
    }

    #[test]
    fn country_codes_are_two_letters_uppercased() {
        assert_eq!(CountryCode::parse("it").unwrap().as_str(), "IT");
        assert_eq!(
            CountryCode::parse("ITA"),
            Err(ParseError::InvalidCharacters)
        );
        assert_eq!(CountryCode::parse("1T"), Err(ParseError::InvalidCharacters));
        assert_eq!(CountryCode::parse(""), Err(ParseError::Empty));
    }

    #[test]
    fn coordinates_stay_on_the_globe() {
        let c = Coordinates::parse("43.8429", "10.5027").unwrap();
        assert_eq!((c.latitude(), c.longitude()), (43.8429, 10.5027));
        assert_eq!(
            Coordinates::parse("91", "0"),
            Err((CoordinateField::Latitude, ParseError::OutOfRange))
        );
        assert_eq!(
            Coordinates::parse("0", "-180.5"),
            Err((CoordinateField::Longitude, ParseError::OutOfRange))
        );
        assert_eq!(
            Coordinates::parse("NaN", "0"),
            Err((CoordinateField::Latitude, ParseError::OutOfRange))
        );
        assert_eq!(
            Coordinates::parse("north", "0"),
            Err((CoordinateField::Latitude, ParseError::NotANumber))
        );
    }

    #[test]
    fn names_are_trimmed_bounded_and_printable() {
        assert_eq!(Name::parse("  Lucca ").unwrap().as_str(), "Lucca");
        assert_eq!(Name::parse("a\u{0}b"), Err(ParseError::InvalidCharacters));
        assert_eq!(Name::parse("x\ny"), Err(ParseError::InvalidCharacters));
        assert_eq!(Name::parse(&"é".repeat(201)), Err(ParseError::TooLong));
        assert!(Name::parse(&"é".repeat(200)).is_ok());
    }
}

/// A stored value that names no known variant: a row written by a newer version or edited by
/// hand. Reading it is an error, never a guess at what it meant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown stored value {0:?}")]
pub struct UnknownValue(pub String);

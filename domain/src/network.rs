use serde::{Deserialize, Serialize};

/// Text the network publishes in each first-class language. Other languages fall back to
/// English, the GNLC's working language.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Localized {
    pub en: String,
    pub it: String,
}

impl Localized {
    pub fn new(en: impl Into<String>, it: impl Into<String>) -> Self {
        Self {
            en: en.into(),
            it: it.into(),
        }
    }

    pub fn get(&self, lang: &str) -> &str {
        match lang {
            "it" if !self.it.is_empty() => &self.it,
            _ => &self.en,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkOverview {
    pub cities: i64,
    pub countries: i64,
    pub clusters: Vec<ClusterSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterSummary {
    pub slug: String,
    pub name: Localized,
    pub description: Localized,
    pub members: i64,
    pub leads: Vec<CityRef>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityRef {
    pub slug: String,
    pub name: Localized,
    pub country: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterRole {
    pub slug: String,
    pub name: Localized,
    pub lead: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CitySummary {
    pub slug: String,
    pub name: Localized,
    pub country: String,
    pub country_name: Localized,
    pub latitude: f64,
    pub longitude: f64,
    pub timezone: String,
    pub joined: Option<i32>,
    pub clusters: Vec<ClusterRole>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sector {
    pub slug: String,
    pub name: Localized,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PactPartner {
    pub name: String,
    pub role: Localized,
    pub website: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PactSummary {
    pub title: Localized,
    /// ISO 8601 date the promoting partners signed.
    pub signed_on: Option<String>,
    pub partners: Vec<PactPartner>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityDetail {
    pub city: CitySummary,
    pub profile: CityProfile,
    pub sectors: Vec<Sector>,
    pub pact: Option<PactSummary>,
}

/// What a city's coordinators write about their learning city, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CityProfile {
    pub description_en: String,
    pub description_it: String,
    /// The municipality's learning-city page, an http(s) URL.
    pub website: Option<String>,
}

/// Where and who a member city is on the map: what its coordinators and the network's
/// administrators keep up to date between two roster imports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CityFacts {
    pub name_en: String,
    pub name_it: String,
    pub latitude: f64,
    pub longitude: f64,
    /// The year the city joined the GNLC.
    pub joined: Option<i32>,
}

/// What a cluster's coordinators write about their cluster, in both languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClusterProfile {
    pub description_en: String,
    pub description_it: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterDetail {
    pub cluster: ClusterSummary,
    pub cities: Vec<CitySummary>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localized_text_falls_back_to_english() {
        let t = Localized::new("Turin", "Torino");
        assert_eq!(t.get("it"), "Torino");
        assert_eq!(t.get("en"), "Turin");
        assert_eq!(t.get("fr"), "Turin");
        assert_eq!(Localized::new("Lucca", "").get("it"), "Lucca");
    }
}

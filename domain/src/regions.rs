//! UNESCO's five regions, the grouping the GNLC reports its members by. A member city's region
//! follows from its country, so it is looked up here rather than stored with each city.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Region {
    Africa,
    ArabStates,
    AsiaPacific,
    EuropeNorthAmerica,
    LatinAmericaCaribbean,
}

// ISO 3166-1 alpha-2 codes of UNESCO's Member and Associate Members by region, plus the
// territories a roster may name (Hong Kong, Macao, Taiwan; Kosovo as XK).
const AFRICA: &[&str] = &[
    "AO", "BF", "BI", "BJ", "BW", "CD", "CF", "CG", "CI", "CM", "CV", "ER", "ET", "GA", "GH", "GM",
    "GN", "GQ", "GW", "KE", "KM", "LR", "LS", "MG", "ML", "MU", "MW", "MZ", "NA", "NE", "NG", "RW",
    "SC", "SL", "SN", "SO", "SS", "ST", "SZ", "TD", "TG", "TZ", "UG", "ZA", "ZM", "ZW",
];
const ARAB_STATES: &[&str] = &[
    "AE", "BH", "DJ", "DZ", "EG", "IQ", "JO", "KW", "LB", "LY", "MA", "MR", "OM", "PS", "QA", "SA",
    "SD", "SY", "TN", "YE",
];
const ASIA_PACIFIC: &[&str] = &[
    "AF", "AU", "BD", "BN", "BT", "CK", "CN", "FJ", "FM", "HK", "ID", "IN", "IR", "JP", "KG", "KH",
    "KI", "KP", "KR", "KZ", "LA", "LK", "MH", "MM", "MN", "MO", "MV", "MY", "NP", "NR", "NU", "NZ",
    "PG", "PH", "PK", "PW", "SB", "SG", "TH", "TJ", "TK", "TL", "TM", "TO", "TV", "TW", "UZ", "VN",
    "VU", "WS",
];
const EUROPE_NORTH_AMERICA: &[&str] = &[
    "AD", "AL", "AM", "AT", "AZ", "BA", "BE", "BG", "BY", "CA", "CH", "CY", "CZ", "DE", "DK", "EE",
    "ES", "FI", "FO", "FR", "GB", "GE", "GL", "GR", "HR", "HU", "IE", "IL", "IS", "IT", "LI", "LT",
    "LU", "LV", "MC", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "RU", "SE", "SI",
    "SK", "SM", "TR", "UA", "US", "VA", "XK",
];
const LATIN_AMERICA_CARIBBEAN: &[&str] = &[
    "AG", "AR", "AW", "BB", "BO", "BR", "BS", "BZ", "CL", "CO", "CR", "CU", "CW", "DM", "DO", "EC",
    "GD", "GT", "GY", "HN", "HT", "JM", "KN", "KY", "LC", "MS", "MX", "NI", "PA", "PE", "PY", "SR",
    "SV", "SX", "TT", "UY", "VC", "VE", "VG",
];

impl Region {
    pub const ALL: [Region; 5] = [
        Region::Africa,
        Region::ArabStates,
        Region::AsiaPacific,
        Region::EuropeNorthAmerica,
        Region::LatinAmericaCaribbean,
    ];

    /// The region of a country given by its ISO 3166-1 alpha-2 code (any case); `None` for a code
    /// UNESCO does not group.
    pub fn of(country: &str) -> Option<Region> {
        let code = country.to_ascii_uppercase();
        Region::ALL
            .into_iter()
            .find(|r| r.countries().contains(&code.as_str()))
    }

    fn countries(self) -> &'static [&'static str] {
        match self {
            Region::Africa => AFRICA,
            Region::ArabStates => ARAB_STATES,
            Region::AsiaPacific => ASIA_PACIFIC,
            Region::EuropeNorthAmerica => EUROPE_NORTH_AMERICA,
            Region::LatinAmericaCaribbean => LATIN_AMERICA_CARIBBEAN,
        }
    }

    /// The region's name in addresses (`?region=`).
    pub fn slug(self) -> &'static str {
        match self {
            Region::Africa => "africa",
            Region::ArabStates => "arab-states",
            Region::AsiaPacific => "asia-pacific",
            Region::EuropeNorthAmerica => "europe-north-america",
            Region::LatinAmericaCaribbean => "latin-america-caribbean",
        }
    }

    pub fn from_slug(slug: &str) -> Option<Region> {
        Region::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_fall_in_unesco_regions() {
        assert_eq!(Region::of("it"), Some(Region::EuropeNorthAmerica));
        assert_eq!(Region::of("CN"), Some(Region::AsiaPacific));
        assert_eq!(Region::of("EG"), Some(Region::ArabStates));
        assert_eq!(Region::of("NG"), Some(Region::Africa));
        assert_eq!(Region::of("BR"), Some(Region::LatinAmericaCaribbean));
        assert_eq!(Region::of("ZZ"), None);
    }

    #[test]
    fn no_country_is_in_two_regions() {
        for a in Region::ALL {
            for b in Region::ALL.into_iter().filter(|b| *b != a) {
                for c in a.countries() {
                    assert!(!b.countries().contains(c), "{c} in {a:?} and {b:?}");
                }
            }
        }
    }

    #[test]
    fn slugs_read_back() {
        for r in Region::ALL {
            assert_eq!(Region::from_slug(r.slug()), Some(r));
        }
        assert_eq!(Region::from_slug("atlantis"), None);
    }
}

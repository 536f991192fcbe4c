//! A meeting's time zone in words, "Rome time" or "ora di Roma", rather than its IANA id
//! (`Europe/Rome`), which means little to a citizen.
//!
//! The name is the zone id's city, as CLDR's exemplar cities name it: English is the id's last
//! part with spaces; Italian takes CLDR's Italian exemplar city where it differs (Roma, Londra,
//! Il Cairo), written as the complement "ora …" takes. The table covers the network's zones; a
//! zone it lacks keeps the English city, which CLDR's Italian data also does for most cities.

use crate::i18n::*;
use crate::layout::I18n;

/// The city of a zone id, in English: `America/Argentina/Buenos_Aires` gives "Buenos Aires".
pub fn zone_city(zone: &str) -> String {
    zone.rsplit('/').next().unwrap_or(zone).replace('_', " ")
}

/// What follows "ora" in Italian: "di Roma", "del Cairo".
fn italian_complement(zone: &str) -> String {
    let city = match zone {
        "Africa/Addis_Ababa" => "Addis Abeba",
        "Africa/Cairo" => return "del Cairo".to_owned(),
        "America/Argentina/Cordoba" => "Córdoba",
        "America/Asuncion" => "Asunción",
        "America/Bogota" => "Bogotá",
        "America/Mexico_City" => "Città del Messico",
        "America/Sao_Paulo" => "San Paolo",
        "Asia/Jakarta" => "Giacarta",
        "Asia/Kolkata" => "Calcutta",
        "Asia/Riyadh" => "Riyad",
        "Asia/Seoul" => "Seul",
        "Asia/Tehran" => "Teheran",
        "Europe/Athens" => "Atene",
        "Europe/Berlin" => "Berlino",
        "Europe/Brussels" => "Bruxelles",
        "Europe/Copenhagen" => "Copenaghen",
        "Europe/Dublin" => "Dublino",
        "Europe/Kyiv" => "Kiev",
        "Europe/Lisbon" => "Lisbona",
        "Europe/London" => "Londra",
        "Europe/Moscow" => "Mosca",
        "Europe/Paris" => "Parigi",
        "Europe/Rome" => "Roma",
        "Europe/Vienna" => "Vienna",
        "Europe/Warsaw" => "Varsavia",
        _ => return format!("di {}", zone_city(zone)),
    };
    format!("di {city}")
}

/// "Rome time" / "ora di Roma", in the reader's language.
pub fn zone_label(i18n: I18n, zone: String) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || {
        let locale = i18n.get_locale();
        let city = match locale {
            Locale::it => italian_complement(&zone),
            _ => zone_city(&zone),
        };
        td_string!(locale, meeting_zone_time, city = city).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_city_comes_from_the_zone_id() {
        assert_eq!(zone_city("Europe/Rome"), "Rome");
        assert_eq!(zone_city("America/Argentina/Buenos_Aires"), "Buenos Aires");
        assert_eq!(zone_city("Atlantic/Madeira"), "Madeira");
        assert_eq!(zone_city("UTC"), "UTC");
    }

    #[test]
    fn italian_names_the_city_as_italian_does() {
        assert_eq!(italian_complement("Europe/Rome"), "di Roma");
        assert_eq!(italian_complement("Africa/Cairo"), "del Cairo");
        assert_eq!(italian_complement("Asia/Kuala_Lumpur"), "di Kuala Lumpur");
    }
}

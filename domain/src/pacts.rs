//! Pacts for lifelong learning: the organisations that adhere to a city's pact, the forms of
//! organisation they take, where an adhesion stands, and the tax codes that identify them.

#[cfg(feature = "tax")]
use crate::ParseError;
use serde::{Deserialize, Serialize};

/// Where an adhesion stands. Only `Approved` adhesions that consented to it are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AdhesionStatus {
    /// Submitted; the contact has not opened the confirmation link yet.
    Unconfirmed,
    /// Confirmed by e-mail, waiting for the city's coordinators.
    Pending,
    Approved,
    Rejected,
    /// Withdrawn by the organisation.
    Withdrawn,
}

impl AdhesionStatus {
    pub const ALL: [AdhesionStatus; 5] = [
        AdhesionStatus::Unconfirmed,
        AdhesionStatus::Pending,
        AdhesionStatus::Approved,
        AdhesionStatus::Rejected,
        AdhesionStatus::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AdhesionStatus::Unconfirmed => "unconfirmed",
            AdhesionStatus::Pending => "pending",
            AdhesionStatus::Approved => "approved",
            AdhesionStatus::Rejected => "rejected",
            AdhesionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw.trim())
    }

    /// Whether the adhesion still counts: it blocks a second one of the same organisation and
    /// may be withdrawn.
    pub fn is_live(self) -> bool {
        matches!(
            self,
            AdhesionStatus::Unconfirmed | AdhesionStatus::Pending | AdhesionStatus::Approved
        )
    }
}

/// How the database hands a stored status over.
impl TryFrom<String> for AdhesionStatus {
    type Error = crate::UnknownValue;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw).ok_or(crate::UnknownValue(raw))
    }
}

/// The legal form of an adhering organisation, as the sign-up form offers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LegalForm {
    PublicBody,
    School,
    University,
    Association,
    Foundation,
    Cooperative,
    Company,
    Other,
}

impl LegalForm {
    pub const ALL: [LegalForm; 8] = [
        LegalForm::PublicBody,
        LegalForm::School,
        LegalForm::University,
        LegalForm::Association,
        LegalForm::Foundation,
        LegalForm::Cooperative,
        LegalForm::Company,
        LegalForm::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LegalForm::PublicBody => "public-body",
            LegalForm::School => "school",
            LegalForm::University => "university",
            LegalForm::Association => "association",
            LegalForm::Foundation => "foundation",
            LegalForm::Cooperative => "cooperative",
            LegalForm::Company => "company",
            LegalForm::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == raw.trim())
    }
}

/// The name of an organisation folded for comparison: "Museo  di Palazzo MANSI" and
/// "museo di palazzo mansi" are the same organisation.
pub fn name_key(name: &str) -> String {
    name.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A tax code or VAT number of an organisation, normalised: upper case, without spaces,
/// punctuation or the country prefix, so that "IT 00743110157" and "00743110157" are one code.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaxCode(String);

impl TaxCode {
    pub const MAX_LEN: usize = 32;

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the code is an Italian personal codice fiscale (16 characters): personal data,
    /// erased with the rest after the retention period.
    pub fn is_personal(&self) -> bool {
        self.0.len() == 16 && self.0.chars().any(|c| c.is_ascii_alphabetic())
    }

    /// A code already normalised and checked (read back from storage).
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }
}

#[cfg(feature = "tax")]
impl TaxCode {
    /// Parses a code given for an organisation of `country` (ISO 3166 alpha-2). Where the
    /// country's numbers carry a check digit it is verified: in Italy the 11-digit partita IVA
    /// (also the codice fiscale of bodies and associations) and the 16-character personal codice
    /// fiscale of sole traders; elsewhere the VAT numbers of the EU and a few neighbours.
    /// Other countries' codes are only checked for their shape.
    pub fn parse(country: &str, raw: &str) -> Result<Self, ParseError> {
        if raw.trim().is_empty() {
            return Err(ParseError::Empty);
        }
        let cleaned = vat_id_validator::remove_extra_chars(raw);
        if !cleaned.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ParseError::InvalidCharacters);
        }
        let country = country.to_ascii_uppercase();
        // Greece's VAT numbers carry EL, not its ISO code.
        let prefix = if country == "GR" {
            "EL"
        } else {
            country.as_str()
        };
        let national = cleaned
            .strip_prefix(prefix)
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
            .unwrap_or(&cleaned)
            .to_owned();
        // The limit is the stored code's, so that a code typed with its country prefix is
        // accepted whenever it is without.
        if national.len() > Self::MAX_LEN {
            return Err(ParseError::TooLong);
        }
        if country == "IT" && national.len() == 16 {
            return codice_fiscale_rs::CodiceFiscale::new(&national)
                .map(|_| Self(national))
                .map_err(|e| match e {
                    codice_fiscale_rs::errors::VerifierError::InvalidControlCharacter(..) => {
                        ParseError::Checksum
                    }
                    _ => ParseError::InvalidFormat,
                });
        }
        let checked =
            vat_id_validator::check_vat_by_country(&format!("{prefix}{national}"), &country);
        if checked.is_supported_country {
            return match (checked.is_valid_format, checked.is_valid) {
                (_, true) => Ok(Self(national)),
                (true, false) => Err(ParseError::Checksum),
                (false, false) => Err(ParseError::InvalidFormat),
            };
        }
        if national.len() < 2 {
            return Err(ParseError::TooShort);
        }
        Ok(Self(national))
    }
}

#[cfg(all(test, feature = "tax"))]
mod tests {
    use super::*;

    #[test]
    fn italian_vat_numbers_have_their_check_digit_verified() {
        // Comune di Lucca's partita IVA, written three ways.
        for raw in ["00378210462", "IT00378210462", " it 003 782 104 62 "] {
            assert_eq!(
                TaxCode::parse("IT", raw).unwrap().as_str(),
                "00378210462",
                "{raw}"
            );
        }
        assert_eq!(
            TaxCode::parse("it", "00378210463"),
            Err(ParseError::Checksum)
        );
        assert_eq!(
            TaxCode::parse("IT", "0037821046"),
            Err(ParseError::InvalidFormat)
        );
        // An association's codice fiscale: 11 digits, the same check digit.
        assert!(TaxCode::parse("IT", "92051440284").is_ok());
    }

    #[test]
    fn italian_personal_codes_have_their_control_letter_verified() {
        let code = TaxCode::parse("IT", "rssmra85m01h501q").unwrap();
        assert_eq!(code.as_str(), "RSSMRA85M01H501Q");
        assert!(code.is_personal());
        assert_eq!(
            TaxCode::parse("IT", "RSSMRA85M01H501Z"),
            Err(ParseError::Checksum)
        );
        assert_eq!(
            TaxCode::parse("IT", "RSSMRA85M01H50XQ"),
            Err(ParseError::InvalidFormat)
        );
    }

    #[test]
    fn other_countries_with_a_check_digit_are_verified_too() {
        assert!(TaxCode::parse("FR", "FR40303265045").is_ok());
        assert_eq!(
            TaxCode::parse("FR", "FR41303265045"),
            Err(ParseError::Checksum)
        );
        assert!(TaxCode::parse("DE", "DE136695976").is_ok());
        assert!(TaxCode::parse("GR", "EL094259216").is_ok());
    }

    #[test]
    fn elsewhere_only_the_shape_counts() {
        let code = TaxCode::parse("CN", "91510100MA61R8XJ5N").unwrap();
        assert_eq!(code.as_str(), "91510100MA61R8XJ5N");
        assert!(!code.is_personal());
        assert_eq!(TaxCode::parse("CN", "  "), Err(ParseError::Empty));
        assert_eq!(TaxCode::parse("CN", "A"), Err(ParseError::TooShort));
        assert_eq!(
            TaxCode::parse("CN", "<script>"),
            Err(ParseError::InvalidCharacters)
        );
        assert_eq!(
            TaxCode::parse("CN", &"9".repeat(33)),
            Err(ParseError::TooLong)
        );
        let longest = "9".repeat(TaxCode::MAX_LEN);
        assert_eq!(
            TaxCode::parse("CN", &format!("CN {longest}"))
                .unwrap()
                .as_str(),
            longest
        );
    }

    #[test]
    fn names_fold_case_and_spacing() {
        assert_eq!(
            name_key("  Museo  di Palazzo MANSI "),
            "museo di palazzo mansi"
        );
    }

    #[test]
    fn statuses_and_forms_round_trip() {
        for s in AdhesionStatus::ALL {
            assert_eq!(AdhesionStatus::parse(s.as_str()), Some(s));
        }
        for f in LegalForm::ALL {
            assert_eq!(LegalForm::parse(f.as_str()), Some(f));
        }
        assert!(AdhesionStatus::Pending.is_live());
        assert!(!AdhesionStatus::Withdrawn.is_live());
    }
}

//! Coordinators: who may manage what. The same rules run on the server (where they decide)
//! and in the browser (where they only decide what to show).

use crate::parse::ParseError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a one-time link is for; each purpose is redeemed only by its own form. Its words
/// (`invite`, `reset`, `email`) are what the database stores and what a link's page asks about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenPurpose {
    Invite,
    Reset,
    Email,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
            TokenPurpose::Email => "email",
        }
    }
}

/// An e-mail address as Learning City keeps it: trimmed and lower-cased, so that one person
/// cannot hold two accounts by changing case, and syntactically valid (RFC 5322 addr-spec).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(ParseError::Empty);
        }
        // The address kept is the lower-cased one, so that is the one checked: lower case can
        // be longer ("İ" is two characters) or no longer an address (a combining dot).
        let s = trimmed.to_lowercase();
        if s.len() > Self::MAX_LEN {
            return Err(ParseError::TooLong);
        }
        // A bare address only: "Name <a@b>" forms and addresses without a dot in the domain
        // are mistakes in a sign-up form, not addresses someone can read mail at.
        let options = email_address::Options {
            minimum_sub_domains: 2,
            allow_domain_literal: false,
            allow_display_text: false,
        };
        let valid = email_address::EmailAddress::parse_with_options(&s, options).is_ok();
        if !valid {
            return Err(ParseError::InvalidFormat);
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Email {
    type Error = ParseError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed. Length is the only rule (NIST SP 800-63B): at least 12 characters,
/// counted as characters, and at most 128 so that hashing cannot be made expensive at will.
/// The value is never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 12;
    pub const MAX_CHARS: usize = 128;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let n = raw.chars().count();
        if n == 0 {
            Err(ParseError::Empty)
        } else if n < Self::MIN_CHARS {
            Err(ParseError::TooShort)
        } else if n > Self::MAX_CHARS {
            Err(ParseError::TooLong)
        } else {
            Ok(Self(raw.to_owned()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// One role a user holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Role {
    /// Runs the whole network: invites coordinators, grants roles, sees every audit entry.
    Admin,
    /// Coordinates one city (by id): its calendar, pact and places.
    City(i64),
    /// Coordinates one thematic cluster (by id): its meetings and shared library.
    Cluster(i64),
}

/// Everything a signed-in user may do follows from the roles they hold, checked on the server
/// for the very record a request touches.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roles(Vec<Role>);

impl Roles {
    pub fn new(roles: impl IntoIterator<Item = Role>) -> Self {
        Self(roles.into_iter().collect())
    }

    pub fn is_admin(&self) -> bool {
        self.0.contains(&Role::Admin)
    }

    /// The cities of this person's city roles (an administrator's role names none).
    pub fn cities(&self) -> Vec<i64> {
        self.0
            .iter()
            .filter_map(|r| match r {
                Role::City(id) => Some(*id),
                _ => None,
            })
            .collect()
    }

    /// Administrators manage every city; a city coordinator only their own. Coordinating a
    /// cluster gives no power over its member cities' own records.
    pub fn can_manage_city(&self, city_id: i64) -> bool {
        self.is_admin() || self.0.contains(&Role::City(city_id))
    }

    pub fn can_manage_cluster(&self, cluster_id: i64) -> bool {
        self.is_admin() || self.0.contains(&Role::Cluster(cluster_id))
    }

    /// Whether any coordinator area is open to this user at all.
    pub fn is_coordinator(&self) -> bool {
        !self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Role> {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_lowercased_and_checked() {
        assert_eq!(
            Email::parse("  Anna.Rossi@Comune.Lucca.IT ")
                .unwrap()
                .as_str(),
            "anna.rossi@comune.lucca.it"
        );
        assert_eq!(Email::parse(""), Err(ParseError::Empty));
        for bad in [
            "anna",
            "anna@",
            "@lucca.it",
            "anna@lucca",
            "Anna <anna@lucca.it>",
            "a b@lucca.it",
        ] {
            assert_eq!(Email::parse(bad), Err(ParseError::InvalidFormat), "{bad}");
        }
        let long = format!("{}@lucca.it", "a".repeat(250));
        assert_eq!(Email::parse(&long), Err(ParseError::TooLong));
    }

    #[test]
    fn the_lower_cased_address_is_the_one_checked() {
        // Lower case of İ is i and a combining dot, which no address may hold: accepting it
        // kept an address that the next sign-in refused.
        assert_eq!(Email::parse("İ@lucca.it"), Err(ParseError::InvalidFormat));
        // Ⱥ takes two bytes, ⱥ three: 230 bytes as typed, 312 as kept.
        let label = "Ⱥ".repeat(31);
        let upper = format!("{}@{label}.{label}.{}.it", "a".repeat(60), "Ⱥ".repeat(20));
        assert_eq!(upper.len(), 230);
        assert_eq!(Email::parse(&upper), Err(ParseError::TooLong));
        assert_eq!(Email::parse("Ⱥ@lucca.it").unwrap().as_str(), "ⱥ@lucca.it");
    }

    #[test]
    fn passwords_are_judged_by_length_in_characters() {
        assert_eq!(Password::parse(""), Err(ParseError::Empty));
        assert_eq!(Password::parse("short"), Err(ParseError::TooShort));
        // Twelve characters, more bytes: accented letters count once.
        assert!(Password::parse("perché-città").is_ok());
        assert_eq!(Password::parse(&"x".repeat(129)), Err(ParseError::TooLong));
        assert_eq!(
            format!("{:?}", Password::parse("correct horse battery").unwrap()),
            "Password(..)"
        );
    }

    #[test]
    fn roles_grant_exactly_their_scope() {
        let admin = Roles::new([Role::Admin]);
        let lucca = Roles::new([Role::City(1)]);
        let cluster = Roles::new([Role::Cluster(5)]);
        let nobody = Roles::default();

        assert!(admin.can_manage_city(1) && admin.can_manage_city(2));
        assert!(admin.can_manage_cluster(5));
        assert!(lucca.can_manage_city(1));
        assert!(!lucca.can_manage_city(2));
        assert!(!lucca.can_manage_cluster(5));
        assert!(cluster.can_manage_cluster(5));
        assert!(!cluster.can_manage_cluster(6));
        assert!(!cluster.can_manage_city(1));
        assert!(!nobody.is_coordinator() && !nobody.can_manage_city(1));
        assert!(lucca.is_coordinator() && !lucca.is_admin());
    }
}

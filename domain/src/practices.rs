//! The best practices a cluster's member cities share: read models and the values a posted
//! practice is made of.

use crate::{CityRef, ParseError};
use serde::{Deserialize, Serialize};

/// A practice as the library lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Practice {
    pub id: i64,
    pub city: CityRef,
    pub title: String,
    pub summary: String,
    pub link: String,
    pub language: String,
    pub tags: Vec<String>,
    /// Seconds since the Unix epoch.
    pub posted_at: i64,
}

/// A practice's tags: at most [`Tags::MAX`], each of letters, digits and dashes, lower-cased,
/// spaces turned into dashes, duplicates dropped, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tags(Vec<String>);

impl Tags {
    pub const MAX: usize = 8;
    pub const MAX_CHARS: usize = 40;

    /// Parses tags separated by commas, as people type them: "Digital skills, adults".
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let mut tags: Vec<String> = Vec::new();
        for part in raw.split(',') {
            let tag = part
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-")
                .to_lowercase();
            if tag.is_empty() {
                continue;
            }
            if tag.chars().count() > Self::MAX_CHARS {
                return Err(ParseError::TooLong);
            }
            if !tag.chars().all(|c| c.is_alphanumeric() || c == '-') {
                return Err(ParseError::InvalidCharacters);
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if tags.len() > Self::MAX {
            return Err(ParseError::OutOfRange);
        }
        Ok(Self(tags))
    }

    /// Tags as stored: between commas, so that one is found by `LIKE '%,tag,%'`.
    pub fn stored(&self) -> String {
        if self.0.is_empty() {
            return ",".to_owned();
        }
        format!(",{},", self.0.join(","))
    }

    /// Tags read back from storage.
    pub fn from_stored(stored: &str) -> Vec<String> {
        stored
            .split(',')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect()
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_folded_deduplicated_and_stored_between_commas() {
        let tags = Tags::parse(" Digital skills, adults,,digital   SKILLS, città ").unwrap();
        assert_eq!(tags.as_slice(), ["digital-skills", "adults", "città"]);
        assert_eq!(tags.stored(), ",digital-skills,adults,città,");
        assert_eq!(Tags::from_stored(&tags.stored()), tags.as_slice());
        assert_eq!(Tags::parse(" , ").unwrap().stored(), ",");
        assert!(Tags::from_stored(",").is_empty());
    }

    #[test]
    fn bad_tags_are_refused() {
        assert_eq!(Tags::parse("a%b"), Err(ParseError::InvalidCharacters));
        assert_eq!(Tags::parse("x,y;z"), Err(ParseError::InvalidCharacters));
        assert_eq!(Tags::parse(&"a".repeat(41)), Err(ParseError::TooLong));
        assert_eq!(
            Tags::parse("a,b,c,d,e,f,g,h,i"),
            Err(ParseError::OutOfRange)
        );
        assert!(Tags::parse("a,b,c,d,e,f,g,h").is_ok());
    }
}

//! Names as people sort and look for them: the Unicode Collation Algorithm with CLDR's rules
//! for the reader's language (ICU4X). Sorting by bytes puts "Câmara de Lobos" after
//! "Curitiba"; a byte search for "camara" never finds it.
//!
//! Search compares at the primary strength, where base letters alone count: "camara" equals
//! "Câmara", "LUCCA" equals "Lucca".

use icu_collator::options::{CollatorOptions, Strength};
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale_core::{locale, Locale};
use std::cmp::Ordering;
use std::sync::OnceLock;

fn locale_of(lang: &str) -> Locale {
    match lang {
        "it" => locale!("it"),
        _ => locale!("en"),
    }
}

fn make(lang: &str, strength: Strength) -> CollatorBorrowed<'static> {
    let mut options = CollatorOptions::default();
    options.strength = Some(strength);
    // The data are compiled in for every locale: building a collator for them cannot fail,
    // and one that did would be a broken build, found by the tests below.
    Collator::try_new(locale_of(lang).into(), options).expect("compiled collation data")
}

/// The collators of a language: (sorting, searching).
fn collators(lang: &str) -> &'static (CollatorBorrowed<'static>, CollatorBorrowed<'static>) {
    static IT: OnceLock<(CollatorBorrowed<'static>, CollatorBorrowed<'static>)> = OnceLock::new();
    static EN: OnceLock<(CollatorBorrowed<'static>, CollatorBorrowed<'static>)> = OnceLock::new();
    let (cell, lang) = match lang {
        "it" => (&IT, "it"),
        _ => (&EN, "en"),
    };
    cell.get_or_init(|| {
        (
            make(lang, Strength::Tertiary),
            make(lang, Strength::Primary),
        )
    })
}

/// The order of two names in `lang`.
pub fn compare(lang: &str, a: &str, b: &str) -> Ordering {
    collators(lang).0.compare(a, b)
}

/// Sorts items by a name in `lang`.
pub fn sort_by_name<T>(lang: &str, items: &mut [T], name: impl Fn(&T) -> &str) {
    let collator = &collators(lang).0;
    items.sort_by(|a, b| collator.compare(name(a), name(b)));
}

/// Whether `name` holds `query` with accents and case ignored: some run of as many characters
/// as the query has equals it at the primary strength.
pub fn contains(lang: &str, name: &str, query: &str) -> bool {
    let query = query.trim();
    if query.is_empty() {
        return true;
    }
    let collator = &collators(lang).1;
    let width = query.chars().count();
    let starts: Vec<usize> = name.char_indices().map(|(i, _)| i).collect();
    (0..starts.len()).any(|i| {
        let from = starts[i];
        let to = starts.get(i + width).copied().unwrap_or(name.len());
        i + width <= starts.len() && collator.compare(&name[from..to], query) == Ordering::Equal
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accented_letters_sort_with_their_base_letter() {
        let mut names = [
            "Curitiba",
            "Câmara de Lobos",
            "Cork",
            "Chengdu",
            "Ávila",
            "Zagreb",
        ];
        sort_by_name("en", &mut names, |n| n);
        assert_eq!(
            names,
            [
                "Ávila",
                "Câmara de Lobos",
                "Chengdu",
                "Cork",
                "Curitiba",
                "Zagreb"
            ]
        );
        sort_by_name("it", &mut names, |n| n);
        assert_eq!(names[1], "Câmara de Lobos");
    }

    #[test]
    fn search_ignores_accents_and_case() {
        assert!(contains("en", "Câmara de Lobos", "camara"));
        assert!(contains("it", "Câmara de Lobos", "LOBOS"));
        assert!(contains("en", "Lucca", "lucca"));
        assert!(contains("en", "Bogotá", "bogota"));
        assert!(contains("en", "Lucca", ""));
        assert!(!contains("en", "Lucca", "luccaa"));
        assert!(!contains("en", "Curitiba", "camara"));
        assert!(!contains("en", "Lu", "lucca"));
    }
}

//! The city directory, `/cities`: every member city in the reader's alphabetical order, and a
//! search by name in either language with accents ignored ("camara" finds "Câmara de Lobos",
//! "turin" and "torino" find Torino). A plain GET form: it works without JavaScript, and the
//! home page's search box posts to it.

use crate::i18n::*;
use crate::layout::{link_to, ErrorContent, PageMeta};
use crate::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// A city in the directory, named in the reader's language.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedCity {
    pub slug: String,
    pub name: String,
    /// Its name in the other language, when it differs (Turin / Torino).
    pub also: Option<String>,
    pub country: String,
}

#[server(endpoint = "find_cities")]
pub async fn find_cities(lang: String, q: String) -> Result<Vec<ListedCity>, AppError> {
    let reference = crate::catalog::reference().await?;
    Ok(ssr::find(&reference.cities, &lang, &q))
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use super::ListedCity;
    use crate::collate;
    use domain::CitySummary;

    /// The longest search kept (the box takes no more): longer text names no city.
    const MAX_QUERY: usize = 80;

    /// The cities whose name in English or Italian holds `q`, sorted by their name in `lang`.
    pub fn find(cities: &[CitySummary], lang: &str, q: &str) -> Vec<ListedCity> {
        let lang = if lang == "it" { "it" } else { "en" };
        let other = if lang == "it" { "en" } else { "it" };
        let q: String = q.trim().chars().take(MAX_QUERY).collect();
        let mut found: Vec<ListedCity> = cities
            .iter()
            .filter(|c| {
                collate::contains(lang, &c.name.en, &q) || collate::contains(lang, &c.name.it, &q)
            })
            .map(|c| {
                let name = c.name.get(lang).to_owned();
                let also = Some(c.name.get(other).to_owned()).filter(|n| n != &name);
                ListedCity {
                    slug: c.slug.clone(),
                    name,
                    also,
                    country: c.country_name.get(lang).to_owned(),
                }
            })
            .collect();
        collate::sort_by_name(lang, &mut found, |c| &c.name);
        found
    }
}

#[component]
pub fn CitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let cities = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), q()),
        |(lang, q)| find_cities(lang, q),
    );
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, cities_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, cities_intro).to_owned())
        />
        <h1>{t!(i18n, cities_title)}</h1>
        <p>{t!(i18n, cities_intro)}</p>
        <CitySearch value=query.read_untracked().get("q").unwrap_or_default() />
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match cities.await {
                    Ok(list) => view! { <Results list searched=!q().trim().is_empty() /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Results(list: Vec<ListedCity>, searched: bool) -> impl IntoView {
    let i18n = use_i18n();
    let count = list.len();
    view! {
        <p class="muted" aria-live="polite">
            {t!(i18n, cities_count, count = move || count)}
            {searched.then(|| view! { " " <a href=link_to(i18n, "cities")>{t!(i18n, cities_all)}</a> })}
        </p>
        {(count == 0).then(|| view! { <p>{t!(i18n, cities_none)}</p> })}
        <ul class="city-list">
            {list.into_iter().map(|c| view! {
                <li>
                    <a href=link_to(i18n, format!("cities/{}", c.slug))>{c.name}</a>
                    {c.also.map(|a| view! { " (" <span>{a}</span> ")" })}
                    <span class="muted">" · " {c.country}</span>
                </li>
            }).collect_view()}
        </ul>
    }
}

/// The search box, on the directory and on the home page: a GET form to `/cities`.
#[component]
pub fn CitySearch(value: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <form method="get" action=link_to(i18n, "cities") class="form city-search" role="search">
            <div class="field">
                <label for="city-q">{t!(i18n, cities_search_label)}</label>
                <input id="city-q" name="q" type="search" value=value autocomplete="off" maxlength="80" />
            </div>
            <button type="submit" class="button">{t!(i18n, cities_search_submit)}</button>
        </form>
    }
}

/// Sorts names of the data model as the reader's language does. Pages are rendered on the
/// server (no island lists cities), so the collation data stay out of the WebAssembly.
pub fn sort_by_name<T>(
    i18n: crate::layout::I18n,
    items: &mut [T],
    name: impl Fn(&T) -> &domain::Localized,
) {
    #[cfg(feature = "ssr")]
    {
        let locale = i18n.get_locale();
        let lang = locale.as_str();
        crate::collate::sort_by_name(lang, items, |t| name(t).get(lang));
    }
    #[cfg(not(feature = "ssr"))]
    let _ = (i18n, items, name);
}

/// The order of two names in `lang`: by collation on the server, which renders every list.
#[cfg(feature = "ssr")]
pub fn compare(lang: &str, a: &str, b: &str) -> std::cmp::Ordering {
    crate::collate::compare(lang, a, b)
}

#[cfg(not(feature = "ssr"))]
pub fn compare(_lang: &str, a: &str, b: &str) -> std::cmp::Ordering {
    a.cmp(b)
}

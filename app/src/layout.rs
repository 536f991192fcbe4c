//! The page chrome shared by every page: skip link, header with navigation and language
//! switcher, main landmark, footer; plus the helpers pages use for links, titles and statuses.

use crate::i18n::*;
use crate::AppError;
use leptos::prelude::*;
use leptos_meta::{Html, Link, Meta, Title};
use leptos_router::components::{Outlet, A};
use leptos_router::hooks::use_location;

/// The i18n context of a component. Closures handed to the view run later (inside `Suspend`,
/// on a language switch) where no context can be looked up, so each component captures this
/// once and passes it on.
pub type I18n = leptos_i18n::I18nContext<Locale>;

/// Text of the data model in the reader's language, following a language switch.
pub fn in_lang(
    i18n: I18n,
    text: domain::Localized,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || text.get(i18n.get_locale().as_str()).to_owned()
}

/// The `slug` of the page's address (a city's, a cluster's), read where it is called.
pub fn slug_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = leptos_router::hooks::use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}

/// A path within the site in the reader's language, e.g. `/it/map`.
pub fn link_to(
    i18n: I18n,
    path: impl Into<String>,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let path = path.into();
    move || localized(i18n.get_locale(), &path)
}

fn localized(locale: Locale, path: &str) -> String {
    let path = path.trim_start_matches('/');
    if path.is_empty() {
        format!("/{}", locale.as_str())
    } else {
        format!("/{}/{path}", locale.as_str())
    }
}

/// Splits a leading locale segment off a path: `/it/map` gives (Some(it), "/map").
fn split_locale(path: &str) -> (Option<Locale>, &str) {
    let Some(trimmed) = path.strip_prefix('/') else {
        return (None, path);
    };
    let first = trimmed.split('/').next().unwrap_or("");
    match Locale::get_all().iter().find(|l| l.as_str() == first) {
        Some(l) => (Some(*l), &trimmed[first.len()..]),
        None => (None, path),
    }
}

/// Sets the HTTP status of the page being rendered on the server.
pub fn set_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// Marks the page being rendered as one person's (a personal link, a signed-in page): neither
/// the page cache nor the browser's or a proxy's cache keeps it.
pub fn private_page() {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.insert_header(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("private, no-store"),
        );
    }
}

/// Title, description and the social-card tags of a page.
#[component]
pub fn PageMeta(
    #[prop(into)] title: Signal<String>,
    #[prop(into)] description: Signal<String>,
    /// Open Graph type: `website` unless the page is about something else (an `event`).
    #[prop(optional)]
    og_type: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let full_title = move || format!("{} · {}", title.get(), t_string!(i18n, site_name));
    // The server writes <title> after the body, when a page whose resource resolved twice may
    // already have disposed the first render's signals; a string snapshot cannot be disposed.
    // leptos_meta writes the server's <title> text as it is, so a name that closes the element
    // (`</title><script>…`) would run; text in <title> is escaped here. The browser sets
    // document.title, which takes plain text, so only the server escapes.
    #[cfg(feature = "ssr")]
    let full_title = html_escape::encode_text(&full_title()).into_owned();
    let site = use_context::<crate::SiteInfo>();
    let location = use_location();
    // Each page mounts its own PageMeta, so the path read once here stays right.
    let canonical = format!(
        "{}{}",
        site.map(|s| s.public_url).unwrap_or_default(),
        location.pathname.get_untracked()
    );
    view! {
        <Title text=full_title />
        <Meta name="description" content=move || description.get() />
        <Meta property="og:title" content=move || title.get() />
        <Meta property="og:description" content=move || description.get() />
        <Meta property="og:type" content=og_type.unwrap_or("website") />
        <Meta property="og:url" content=canonical.clone() />
        <Link rel="canonical" href=canonical />
    }
}

/// Links to the same page in every language, keeping the query string.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    view! {
        <nav class="languages" aria-label=move || t_string!(i18n, language_label)>
            <ul>
                {Locale::get_all()
                    .iter()
                    .map(|&locale| {
                        let target = move || {
                            let path = location.pathname.get();
                            let (_, rest) = split_locale(&path);
                            let search = location.search.get();
                            let query = if search.is_empty() { String::new() } else { format!("?{search}") };
                            format!("{}{query}", localized(locale, rest))
                        };
                        let current = move || (i18n.get_locale() == locale).then_some("true");
                        let label = td_string!(locale, language_name);
                        view! {
                            <li>
                                <a
                                    href=target
                                    hreflang=locale.as_str()
                                    lang=locale.as_str()
                                    aria-current=current
                                    rel="alternate"
                                >
                                    {label}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

#[component]
fn Chrome(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let dir = move || i18n.get_locale().direction().as_str();
    let lang = move || i18n.get_locale().as_str();
    view! {
        <Html attr:lang=lang attr:dir=dir />
        <a class="skip-link" href="#main">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <div class="site-header__inner">
                <a class="brand" href=link_to(i18n, "")>
                    <img src="/favicon.svg" alt="" width="32" height="32" />
                    <span>{t!(i18n, site_name)}</span>
                </a>
                <nav class="main-nav" aria-label=move || t_string!(i18n, nav_label)>
                    <ul>
                        // The home path is a prefix of every page: only an exact match is "current".
                        <li><A href=link_to(i18n, "") exact=true>{t!(i18n, nav_home)}</A></li>
                        <li><A href=link_to(i18n, "cities") exact=true>{t!(i18n, nav_cities)}</A></li>
                        <li><A href=link_to(i18n, "map")>{t!(i18n, nav_map)}</A></li>
                        <li><A href=link_to(i18n, "calendar")>{t!(i18n, nav_calendar)}</A></li>
                        <li><A href=link_to(i18n, "pact")>{t!(i18n, nav_pact)}</A></li>
                    </ul>
                </nav>
                <LanguageSwitcher />
            </div>
        </header>
        <main id="main" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>{t!(i18n, footer_about)}</p>
            <p>{t!(i18n, footer_data)}</p>
            <p>
                <a href=link_to(i18n, "embed")>{t!(i18n, footer_embed)}</a>
                " · "
                <a href=link_to(i18n, "coordinate")>{t!(i18n, footer_coordinators)}</a>
            </p>
        </footer>
    }
}

/// The layout of every routed page.
#[component]
pub fn Layout() -> impl IntoView {
    view! { <Chrome><Outlet /></Chrome> }
}

/// Shown for unknown paths and records, with status 404.
#[component]
pub fn NotFound() -> impl IntoView {
    // The router's fallback sits outside the locale routes, so the language comes from the path.
    let location = use_location();
    if let (Some(locale), _) = split_locale(&location.pathname.get_untracked()) {
        use_i18n().set_locale(locale);
    }
    view! { <Chrome><NotFoundContent /></Chrome> }
}

#[component]
pub fn NotFoundContent() -> impl IntoView {
    set_status(http::StatusCode::NOT_FOUND);
    let i18n = use_i18n();
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, not_found_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, not_found_text).to_owned())
        />
        <Meta name="robots" content="noindex" />
        <h1>{t!(i18n, not_found_title)}</h1>
        <p>{t!(i18n, not_found_text)}</p>
        <p><a href=link_to(i18n, "")>{t!(i18n, not_found_home)}</a></p>
    }
}

/// What a page shows when its data could not be loaded.
#[component]
pub fn ErrorContent(error: AppError) -> impl IntoView {
    if error == AppError::NotFound {
        return view! { <NotFoundContent /> }.into_any();
    }
    set_status(error.status());
    let i18n = use_i18n();
    if error == AppError::Unauthorized {
        return view! {
            <h1>{t!(i18n, error_unauthorized_title)}</h1>
            <p>{t!(i18n, error_unauthorized)}</p>
            <p><a href=link_to(i18n, "account/sign-in")>{t!(i18n, sign_in_title)}</a></p>
        }
        .into_any();
    }
    if error == AppError::Forbidden {
        return view! {
            <h1>{t!(i18n, error_forbidden_title)}</h1>
            <p>{t!(i18n, error_forbidden)}</p>
            <p><a href=link_to(i18n, "coordinate")>{t!(i18n, dashboard_title)}</a></p>
        }
        .into_any();
    }
    if error == AppError::LinkGone {
        return view! {
            <h1>{t!(i18n, link_gone_title)}</h1>
            <p>{t!(i18n, link_gone_text)}</p>
            <ul>
                <li><a href=link_to(i18n, "calendar")>{t!(i18n, link_gone_meetings)}</a></li>
                <li><a href=link_to(i18n, "pact")>{t!(i18n, link_gone_pacts)}</a></li>
            </ul>
        }
        .into_any();
    }
    if error == AppError::Unavailable {
        return view! {
            <h1>{t!(i18n, error_unavailable_title)}</h1>
            <p role="alert">{t!(i18n, error_unavailable)}</p>
        }
        .into_any();
    }
    view! {
        <h1>{t!(i18n, error_title)}</h1>
        <p role="alert">{t!(i18n, error_text)}</p>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_prefixes_are_split_off() {
        assert_eq!(split_locale("/it/map"), (Some(Locale::it), "/map"));
        assert_eq!(
            split_locale("/en/cities/lucca/pact"),
            (Some(Locale::en), "/cities/lucca/pact")
        );
        assert_eq!(split_locale("/it"), (Some(Locale::it), ""));
        assert_eq!(split_locale("/it/"), (Some(Locale::it), "/"));
        assert_eq!(split_locale("/map"), (None, "/map"));
        assert_eq!(split_locale("/italy"), (None, "/italy"));
        assert_eq!(split_locale("/"), (None, "/"));
    }

    #[test]
    fn localized_paths_always_carry_the_locale() {
        assert_eq!(localized(Locale::it, "map"), "/it/map");
        assert_eq!(localized(Locale::en, "/cities/lucca"), "/en/cities/lucca");
        assert_eq!(localized(Locale::it, ""), "/it");
        assert_eq!(localized(Locale::en, "/"), "/en");
    }
}

/// A table that may be wider than a phone's screen, in a region that scrolls sideways rather
/// than the page: named by the table's caption or heading (`labelledby`, an id), reachable by
/// Tab so that a keyboard scrolls it too, and shaded at the edge where columns are hidden
/// (style/main.css), so that a cut-off column shows that there is more.
#[component]
pub fn TableScroll(
    labelledby: &'static str,
    /// Where a link (the map's skip link) lands.
    #[prop(optional)]
    id: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" tabindex="0" aria-labelledby=labelledby id=id>
            {children()}
        </div>
    }
}

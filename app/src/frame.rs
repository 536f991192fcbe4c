//! Being inside another site's page: whether this render is a widget's, with which theme; the
//! links and forms that stay inside it and the widget's address for a full page; the theme's
//! stylesheet. Every page's components ask this, so it depends on none of them.

use crate::i18n::*;
use crate::layout::I18n;
use domain::Theme;
use leptos::prelude::*;

/// The first segment of every widget's path.
pub const PREFIX: &str = "/embed/";

/// The widget being rendered, for the components that build links and forms inside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    pub theme: Theme,
}

/// The widget around the component being rendered, if it is in one.
pub fn frame() -> Option<Frame> {
    use_context::<Frame>()
}

/// The `target` of a link or form that stays inside the widget (the page's base sends every
/// other one to the top window); nothing on a full page.
pub fn stay() -> Option<&'static str> {
    frame().map(|_| "_self")
}

/// The address of `path` (with its query) inside a widget, keeping the widget's theme.
fn framed(lang: &str, path: &str, theme: &Theme) -> String {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        pairs.append_pair(&k, &v);
    }
    for (k, v) in theme.pairs() {
        pairs.append_pair(k, &v);
    }
    let query = pairs.finish();
    let path = path.trim_start_matches('/');
    if query.is_empty() {
        format!("{PREFIX}{lang}/{path}")
    } else {
        format!("{PREFIX}{lang}/{path}?{query}")
    }
}

/// A link that stays where the reader is: `full` (a path of the site, without its language)
/// on a full page, `widget` (a widget's path) inside a widget.
pub fn within(
    i18n: I18n,
    full: String,
    widget: String,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    let frame = frame();
    let full = crate::layout::link_to(i18n, full);
    move || match &frame {
        Some(f) => framed(i18n.get_locale().as_str(), &widget, &f.theme),
        None => full(),
    }
}

/// Hidden inputs that carry a widget's theme through a GET form (which drops its action's
/// query); nothing on a full page.
#[component]
pub fn ThemeInputs() -> impl IntoView {
    frame().map(|f| {
        f.theme
            .pairs()
            .into_iter()
            .map(|(k, v)| view! { <input type="hidden" name=k value=v /> })
            .collect_view()
    })
}

/// The full page a widget's path shows in little: the same path without `/embed` (a widget's
/// theme left behind), but for the adherents, whose full page is the pact's.
pub fn full_page(path: &str, query: &str) -> String {
    let rest = path.strip_prefix("/embed").unwrap_or(path);
    let rest = match rest.strip_suffix("/pact/adherents") {
        Some(city) => format!("{city}/pact"),
        None => rest.to_owned(),
    };
    let kept: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| !domain::THEME_KEYS.contains(&k.as_ref()) && !k.starts_with("__"))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        rest
    } else {
        let query = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish();
        format!("{rest}?{query}")
    }
}

/// The theme a widget's query (without its `?`) asks for, or each refused value by its key.
pub fn theme_of(query: &str) -> Result<Theme, Vec<(&'static str, domain::ParseError)>> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    Theme::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

/// The style sheet of the theme a widget's query asks for; nothing for the site's own look or
/// a refused value (the widget then says which). The server admits it by its hash.
pub fn theme_css(query: &str) -> Option<String> {
    theme_of(query).ok()?.css()
}

/// What a widget's `<head>` has that a page's has not: links open in the top window, the
/// script that sizes the widget's frame to its content, and the theme's style sheet.
#[component]
pub fn FrameHead() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let head = use_context::<http::request::Parts>()
        .map(|p| p.uri.clone())
        .filter(|uri| uri.path().starts_with(PREFIX))
        .map(|uri| {
            let css = theme_css(uri.query().unwrap_or(""));
            view! {
                <base target="_top" />
                <script type="module" src="/frame.js"></script>
                {css.map(|css| view! { <style inner_html=css></style> })}
            }
            .into_any()
        });
    #[cfg(not(feature = "ssr"))]
    let head: Option<AnyView> = None;
    head
}

/// Whether a path (after `/embed/{lang}/`) is a widget with a form, which only the origins a
/// city allowed may frame.
pub fn has_form(rest: &str) -> bool {
    let segments: Vec<&str> = rest.trim_matches('/').split('/').collect();
    matches!(
        segments.as_slice(),
        ["meetings", _] | ["cities", _, "pact", "join"]
    )
}

/// After a form posted from inside a widget, where its answer is: the same widget in the
/// language of the form, with the widget's theme; `None` when the form was not in a widget or
/// its answer is not a widget's page.
#[cfg(feature = "ssr")]
pub(crate) fn framed_redirect(lang: &str, path: &str) -> Option<String> {
    let referer = use_context::<http::request::Parts>()?
        .headers
        .get(http::header::REFERER)?
        .to_str()
        .ok()
        .and_then(|r| url::Url::parse(r).ok())?;
    if !referer.path().starts_with(PREFIX) || !has_form(path.split('?').next().unwrap_or("")) {
        return None;
    }
    let theme = theme_of(referer.query().unwrap_or("")).unwrap_or_default();
    Some(framed(lang, path, &theme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_widget_s_full_page_is_its_path_without_embed_or_theme() {
        assert_eq!(
            full_page("/embed/it/calendar", "city=lucca&accent=a61e4d&view=month"),
            "/it/calendar?city=lucca&view=month"
        );
        assert_eq!(
            full_page("/embed/en/meetings/7", "__flash=x"),
            "/en/meetings/7"
        );
        assert_eq!(
            full_page("/embed/it/cities/lucca/pact/adherents", "q=scuola"),
            "/it/cities/lucca/pact?q=scuola"
        );
    }

    #[test]
    fn only_the_meeting_and_the_sign_up_carry_a_form() {
        assert!(has_form("meetings/12"));
        assert!(has_form("cities/lucca/pact/join"));
        for read_only in [
            "calendar",
            "map",
            "cities/lucca/map",
            "cities/lucca/pact/adherents",
            "cities/lucca/pact/adherents/3",
            "meetings",
        ] {
            assert!(!has_form(read_only), "{read_only}");
        }
    }

    #[test]
    fn framed_links_keep_their_query_and_add_the_theme() {
        let theme = Theme::from_pairs([("accent", "a61e4d"), ("theme", "dark")]).unwrap();
        assert_eq!(
            framed("it", "calendar?city=lucca&view=week", &theme),
            "/embed/it/calendar?city=lucca&view=week&accent=a61e4d&theme=dark"
        );
        assert_eq!(
            framed("en", "meetings/4", &Theme::default()),
            "/embed/en/meetings/4"
        );
    }
}

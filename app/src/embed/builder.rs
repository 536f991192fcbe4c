//! The embed builder in the coordinator area: pick a widget, its filters, theme and language,
//! see it, copy its iframe or its loader snippet; beside it, the sites allowed to show the
//! city's forms. The choice lives in the page's address (a GET form), so it works without
//! JavaScript and a link to it shows the same widget.

use super::{get_builder, AllowOrigin, Builder, ForbidOrigin, OriginView};
use crate::forms::{error_of, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, private_page, ErrorContent, PageMeta};
use domain::{Density, Scheme, Theme};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The widgets, as the loader's `data-widget` names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Widget {
    #[default]
    Calendar,
    Meeting,
    Map,
    Pact,
    Adherents,
    Badge,
}

impl Widget {
    pub const ALL: [Widget; 6] = [
        Widget::Calendar,
        Widget::Meeting,
        Widget::Map,
        Widget::Pact,
        Widget::Adherents,
        Widget::Badge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Widget::Calendar => "calendar",
            Widget::Meeting => "meeting",
            Widget::Map => "map",
            Widget::Pact => "pact",
            Widget::Adherents => "adherents",
            Widget::Badge => "badge",
        }
    }

    fn parse(raw: &str) -> Widget {
        Widget::ALL
            .into_iter()
            .find(|w| w.as_str() == raw)
            .unwrap_or_default()
    }
}

/// A widget as chosen: what the loader's attributes and the iframe's address say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Choice {
    pub widget: Widget,
    pub city: String,
    pub cluster: String,
    pub meeting: String,
    pub adherent: String,
    /// The calendar's own filters and view, as its pages take them.
    pub sector: String,
    pub audience: String,
    pub view: String,
    pub lang: String,
    pub theme: Theme,
}

impl Choice {
    pub fn from_pairs(pairs: &[(String, String)]) -> Choice {
        let get = |key: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.trim().to_owned())
                .unwrap_or_default()
        };
        let theme = Theme::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .unwrap_or_default();
        Choice {
            widget: Widget::parse(&get("widget")),
            city: slug_or_empty(&get("city")),
            cluster: slug_or_empty(&get("cluster")),
            meeting: digits_or_empty(&get("meeting")),
            adherent: digits_or_empty(&get("adherent")),
            sector: slug_or_empty(&get("sector")),
            audience: domain::Audience::parse(&get("audience"))
                .map(|a| a.as_str().to_owned())
                .unwrap_or_default(),
            view: domain::CalendarView::parse(&get("view"))
                .filter(|v| *v != domain::CalendarView::Agenda)
                .map(|v| v.as_str().to_owned())
                .unwrap_or_default(),
            lang: match get("wlang").as_str() {
                "it" => "it".into(),
                _ => "en".into(),
            },
            theme,
        }
    }

    /// The widget's path after `/embed/{lang}/`, or nothing while a value it needs is missing.
    pub fn path(&self) -> Option<String> {
        let need = |v: &str| (!v.is_empty()).then(|| v.to_owned());
        Some(match self.widget {
            Widget::Calendar => {
                // A city or a cluster, not both; then the calendar's own filters.
                let owner = [("city", &self.city), ("cluster", &self.cluster)]
                    .into_iter()
                    .filter(|(_, v)| !v.is_empty())
                    .take(1);
                let q: Vec<String> = owner
                    .chain([
                        ("sector", &self.sector),
                        ("audience", &self.audience),
                        ("view", &self.view),
                    ])
                    .filter(|(_, v)| !v.is_empty())
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                format!("calendar?{}", q.join("&"))
            }
            Widget::Meeting => format!("meetings/{}", need(&self.meeting)?),
            Widget::Map if !self.city.is_empty() => format!("cities/{}/map", self.city),
            Widget::Map if !self.cluster.is_empty() => format!("map?cluster={}", self.cluster),
            Widget::Map => "map".to_owned(),
            Widget::Pact => format!("cities/{}/pact/join", need(&self.city)?),
            Widget::Adherents => format!("cities/{}/pact/adherents", need(&self.city)?),
            Widget::Badge => format!(
                "cities/{}/pact/adherents/{}",
                need(&self.city)?,
                need(&self.adherent)?
            ),
        })
    }

    /// The iframe's address on the site at `base`.
    pub fn src(&self, base: &str) -> Option<String> {
        let path = self.path()?;
        let (path, query) = path.split_once('?').unwrap_or((&path, ""));
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in form_urlencoded::parse(query.as_bytes()) {
            q.append_pair(&k, &v);
        }
        for (k, v) in self.theme.pairs() {
            q.append_pair(k, &v);
        }
        let q = q.finish();
        let q = if q.is_empty() { q } else { format!("?{q}") };
        Some(format!("{base}/embed/{}/{path}{q}", self.lang))
    }

    /// The plain iframe, for a page whose scripts are off: a fixed height the reader scrolls.
    pub fn iframe(&self, base: &str, title: &str) -> Option<String> {
        let src = self.src(base)?.replace('&', "&amp;");
        let title = title.replace('&', "&amp;").replace('"', "&quot;");
        let height = match self.widget {
            Widget::Badge => 120,
            Widget::Map => 560,
            _ => 720,
        };
        Some(format!(
            "<iframe src=\"{src}\" title=\"{title}\" width=\"100%\" height=\"{height}\" \
             style=\"border:0;max-width:100%\" loading=\"lazy\"></iframe>"
        ))
    }

    /// The loader's `<script>` with the widget in its data attributes.
    pub fn script(&self, base: &str) -> Option<String> {
        self.path()?;
        let mut attrs = vec![("widget", self.widget.as_str().to_owned())];
        for (k, v) in [
            ("city", &self.city),
            ("cluster", &self.cluster),
            ("sector", &self.sector),
            ("audience", &self.audience),
            ("view", &self.view),
            ("meeting", &self.meeting),
            ("adherent", &self.adherent),
        ] {
            let used = matches!(
                (self.widget, k),
                (Widget::Calendar | Widget::Map, "city" | "cluster")
                    | (Widget::Calendar, "sector" | "audience" | "view")
                    | (Widget::Meeting, "meeting")
                    | (Widget::Pact | Widget::Adherents, "city")
                    | (Widget::Badge, "city" | "adherent")
            );
            if used && !v.is_empty() {
                attrs.push((k, v.clone()));
            }
        }
        attrs.push(("lang", self.lang.clone()));
        for (k, v) in self.theme.pairs() {
            attrs.push((k, v));
        }
        let data: String = attrs
            .into_iter()
            .map(|(k, v)| format!(" data-{k}=\"{}\"", v.replace('"', "&quot;")))
            .collect();
        Some(format!(
            "<script src=\"{base}/embed.js\"{data} async></script>"
        ))
    }
}

fn slug_or_empty(raw: &str) -> String {
    domain::Slug::parse(raw)
        .map(|s| s.as_str().to_owned())
        .unwrap_or_default()
}

fn digits_or_empty(raw: &str) -> String {
    raw.parse::<u64>()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

fn widget_label(i18n: crate::layout::I18n, w: Widget) -> String {
    match w {
        Widget::Calendar => t_string!(i18n, embed_widget_calendar),
        Widget::Meeting => t_string!(i18n, embed_widget_meeting),
        Widget::Map => t_string!(i18n, embed_widget_map),
        Widget::Pact => t_string!(i18n, embed_widget_pact),
        Widget::Adherents => t_string!(i18n, embed_widget_adherents),
        Widget::Badge => t_string!(i18n, embed_widget_badge),
    }
    .to_owned()
}

#[component]
pub fn EmbedBuilderPage() -> impl IntoView {
    let i18n = use_i18n();
    private_page();
    let query = use_query_map();
    let city = move || query.read().get("city").unwrap_or_default();
    let allow = ServerAction::<AllowOrigin>::new();
    let forbid = ServerAction::<ForbidOrigin>::new();
    let data = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                city(),
                allow.version().get(),
                forbid.version().get(),
            )
        },
        |(lang, city, _, _)| get_builder(lang, city),
    );
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, embed_builder_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, embed_builder_intro).to_owned())
        />
        <Meta name="robots" content="noindex" />
        <h1>{t!(i18n, embed_builder_title)}</h1>
        <p>{t!(i18n, embed_builder_intro)}</p>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(b) => view! { <BuilderBody b allow forbid /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn BuilderBody(
    b: Builder,
    allow: ServerAction<AllowOrigin>,
    forbid: ServerAction<ForbidOrigin>,
) -> impl IntoView {
    let i18n = use_i18n();
    let search = leptos_router::hooks::use_location().search.get_untracked();
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
    let mut choice = Choice::from_pairs(&pairs);
    if !pairs.iter().any(|(k, _)| k == "wlang") {
        choice.lang = i18n.get_locale_untracked().as_str().to_owned();
    }
    // Only the cities this person coordinates are offered.
    if !b.cities.iter().any(|c| c.slug == choice.city) {
        choice.city.clear();
    }
    let base = b.public_url.clone();
    let title = widget_label(i18n, choice.widget);
    let src = choice.src("");
    let iframe = choice.iframe(&base, &title).unwrap_or_default();
    let script = choice.script(&base).unwrap_or_default();
    let ready = src.is_some();
    let option = |value: String, label: String, selected: bool| {
        view! { <option value=value selected=selected>{label}</option> }
    };
    let widgets = Widget::ALL
        .into_iter()
        .map(|w| option(w.as_str().into(), widget_label(i18n, w), w == choice.widget))
        .collect_view();
    let cities = b
        .cities
        .iter()
        .map(|c| {
            option(
                c.slug.clone(),
                in_lang(i18n, c.name.clone())(),
                c.slug == choice.city,
            )
        })
        .collect_view();
    let clusters = b
        .clusters
        .iter()
        .map(|c| {
            option(
                c.slug.clone(),
                in_lang(i18n, c.name.clone())(),
                c.slug == choice.cluster,
            )
        })
        .collect_view();
    let sectors = b
        .sectors
        .iter()
        .map(|(slug, name)| {
            option(
                slug.clone(),
                in_lang(i18n, name.clone())(),
                *slug == choice.sector,
            )
        })
        .collect_view();
    let audiences = domain::Audience::ALL
        .into_iter()
        .map(|a| {
            let label = crate::calendar::audience_label(i18n, a);
            option(a.as_str().into(), label, a.as_str() == choice.audience)
        })
        .collect_view();
    let views = [
        ("", t_string!(i18n, calendar_view_agenda)),
        ("week", t_string!(i18n, calendar_view_week)),
        ("month", t_string!(i18n, calendar_view_month)),
    ]
    .into_iter()
    .map(|(v, l)| option(v.into(), l.to_owned(), choice.view == v))
    .collect_view();
    let meetings = b
        .meetings
        .iter()
        .map(|(id, label)| {
            option(
                id.to_string(),
                label.clone(),
                id.to_string() == choice.meeting,
            )
        })
        .collect_view();
    let languages = [("en", "English"), ("it", "Italiano")]
        .into_iter()
        .map(|(code, name)| option(code.into(), name.into(), choice.lang == code))
        .collect_view();
    let theme = choice.theme.clone();
    let densities = Density::ALL
        .into_iter()
        .map(|d| {
            option(
                d.as_str().into(),
                density_label(i18n, d),
                d == theme.density,
            )
        })
        .collect_view();
    let schemes = Scheme::ALL
        .into_iter()
        .map(|s| option(s.as_str().into(), scheme_label(i18n, s), s == theme.scheme))
        .collect_view();
    let font = theme.font.as_ref().map(|f| f.query()).unwrap_or_default();
    let fonts = [
        ("", t_string!(i18n, embed_font_site).to_owned()),
        ("system", t_string!(i18n, embed_font_system).to_owned()),
        ("serif", t_string!(i18n, embed_font_serif).to_owned()),
    ]
    .into_iter()
    .map(|(v, l)| option(v.into(), l, font == v))
    .collect_view();
    let accent = theme.accent.map(|c| c.to_string()).unwrap_or_default();
    let text = theme.text.map(|c| c.to_string()).unwrap_or_default();
    let radius = theme.radius.map(|r| r.to_string()).unwrap_or_default();
    let city_slug = choice.city.clone();
    let network = city_slug.is_empty();
    let editable = !network || b.admin;
    let any = move || t_string!(i18n, calendar_any).to_owned();
    view! {
        <div class="builder">
            <Form method="GET" action="" attr:class="form builder-form">
                <div class="field">
                    <label for="embed-widget">{t!(i18n, embed_field_widget)}</label>
                    <select id="embed-widget" name="widget">{widgets}</select>
                </div>
                <div class="field">
                    <label for="embed-city">{t!(i18n, calendar_filter_city)}</label>
                    <select id="embed-city" name="city">
                        <option value="">{any}</option>
                        {cities}
                    </select>
                </div>
                <div class="field">
                    <label for="embed-cluster">{t!(i18n, calendar_filter_cluster)}</label>
                    <select id="embed-cluster" name="cluster">
                        <option value="">{any}</option>
                        {clusters}
                    </select>
                </div>
                <div class="field">
                    <label for="embed-sector">{t!(i18n, calendar_filter_sector)}</label>
                    <select id="embed-sector" name="sector">
                        <option value="">{any}</option>
                        {sectors}
                    </select>
                </div>
                <div class="field">
                    <label for="embed-audience">{t!(i18n, calendar_filter_audience)}</label>
                    <select id="embed-audience" name="audience">
                        <option value="">{any}</option>
                        {audiences}
                    </select>
                </div>
                <div class="field">
                    <label for="embed-view">{t!(i18n, embed_field_view)}</label>
                    <select id="embed-view" name="view">{views}</select>
                </div>
                <div class="field">
                    <label for="embed-meeting">{t!(i18n, embed_field_meeting)}</label>
                    <select id="embed-meeting" name="meeting">
                        <option value="">{any}</option>
                        {meetings}
                    </select>
                </div>
                <div class="field">
                    <label for="embed-adherent">{t!(i18n, embed_field_adherent)}</label>
                    <input id="embed-adherent" name="adherent" type="number" min="1" value=choice.adherent.clone() />
                </div>
                <div class="field">
                    <label for="embed-lang">{t!(i18n, embed_field_language)}</label>
                    <select id="embed-lang" name="wlang">{languages}</select>
                </div>
                <div class="field">
                    <label for="embed-accent">{t!(i18n, embed_field_accent)}</label>
                    <input id="embed-accent" name="accent" type="text" placeholder="#0b5cad" pattern="#?[0-9a-fA-F]{3}([0-9a-fA-F]{3})?" value=accent />
                </div>
                <div class="field">
                    <label for="embed-text">{t!(i18n, embed_field_text)}</label>
                    <input id="embed-text" name="text" type="text" placeholder="#1a1f29" pattern="#?[0-9a-fA-F]{3}([0-9a-fA-F]{3})?" value=text />
                </div>
                <div class="field">
                    <label for="embed-font">{t!(i18n, embed_field_font)}</label>
                    <select id="embed-font" name="font">{fonts}</select>
                </div>
                <div class="field">
                    <label for="embed-radius">{t!(i18n, embed_field_radius)}</label>
                    <input id="embed-radius" name="radius" type="number" min="0" max="24" value=radius />
                </div>
                <div class="field">
                    <label for="embed-density">{t!(i18n, embed_field_density)}</label>
                    <select id="embed-density" name="density">{densities}</select>
                </div>
                <div class="field">
                    <label for="embed-theme">{t!(i18n, embed_field_theme)}</label>
                    <select id="embed-theme" name="theme">{schemes}</select>
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">{t!(i18n, embed_show)}</button>
                </div>
            </Form>
            <section class="builder-preview" aria-labelledby="preview-heading">
                <h2 id="preview-heading">{t!(i18n, embed_preview)}</h2>
                {match src.clone() {
                    Some(src) => view! {
                        <iframe class="embed-preview" src=src title=title.clone()></iframe>
                    }.into_any(),
                    None => view! { <p class="notice">{t!(i18n, embed_needs_more)}</p> }.into_any(),
                }}
                {ready.then(|| view! {
                    <div class="field">
                        <label for="snippet-script">{t!(i18n, embed_snippet_script)}</label>
                        <textarea id="snippet-script" class="code" rows="4" readonly=true>{crate::forms::textarea_text(script.clone())}</textarea>
                        <button type="button" class="button button--secondary" data-copy="snippet-script">{t!(i18n, embed_copy)}</button>
                    </div>
                    <div class="field">
                        <label for="snippet-iframe">{t!(i18n, embed_snippet_iframe)}</label>
                        <textarea id="snippet-iframe" class="code" rows="4" readonly=true>{crate::forms::textarea_text(iframe.clone())}</textarea>
                        <button type="button" class="button button--secondary" data-copy="snippet-iframe">{t!(i18n, embed_copy)}</button>
                    </div>
                })}
            </section>
        </div>
        <section id="origins" aria-labelledby="origins-heading">
            <h2 id="origins-heading">{t!(i18n, embed_origins_title)}</h2>
            <p>{if network { t_string!(i18n, embed_origins_network) } else { t_string!(i18n, embed_origins_intro) }}</p>
            <Done />
            {if b.origins.is_empty() {
                view! { <p class="muted">{t!(i18n, embed_origins_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="origin-list">
                        {b.origins.iter().cloned().map(|o| view! { <OriginItem o city=city_slug.clone() forbid /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {editable.then(|| view! { <AllowForm city=city_slug.clone() allow /> })}
        </section>
    }
}

#[component]
fn Done() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    view! {
        <div role="status">
            {move || query.read().get("done").map(|d| {
                let text = match d.as_str() {
                    "removed" => t_string!(i18n, embed_origin_removed),
                    _ => t_string!(i18n, embed_origin_allowed),
                };
                view! { <p class="notice">{text}</p> }
            })}
        </div>
    }
}

#[component]
fn OriginItem(o: OriginView, city: String, forbid: ServerAction<ForbidOrigin>) -> impl IntoView {
    let i18n = use_i18n();
    let label = format!("{} {}", t_string!(i18n, embed_origin_remove), o.origin);
    view! {
        <li>
            <code>{o.origin.clone()}</code>
            {o.network.then(|| view! { " " <span class="tag">{t!(i18n, embed_origin_network)}</span> })}
            {o.removable.then(|| view! {
                <ActionForm action=forbid attr:class="inline-form">
                    <LangInput />
                    <input type="hidden" name="city" value=city.clone() />
                    <input type="hidden" name="id" value=o.id.to_string() />
                    <button type="submit" class="button button--secondary" aria-label=label.clone()>
                        {t!(i18n, embed_origin_remove)}
                    </button>
                </ActionForm>
            })}
        </li>
    }
}

#[component]
fn AllowForm(city: String, allow: ServerAction<AllowOrigin>) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(allow);
    view! {
        <ActionForm action=allow attr:class="form" attr:novalidate=true>
            <LangInput />
            <input type="hidden" name="city" value=city />
            <FormAlert error />
            <Field
                name="origin"
                label=Signal::derive(move || t_string!(i18n, embed_field_origin).to_owned())
                hint=Signal::derive(move || t_string!(i18n, embed_field_origin_hint).to_owned())
                kind=Kind::Url
                error
            />
            <button type="submit" class="button">{t!(i18n, embed_origin_add)}</button>
        </ActionForm>
    }
}

fn density_label(i18n: crate::layout::I18n, d: Density) -> String {
    match d {
        Density::Compact => t_string!(i18n, embed_density_compact),
        Density::Normal => t_string!(i18n, embed_density_normal),
        Density::Comfortable => t_string!(i18n, embed_density_comfortable),
    }
    .to_owned()
}

fn scheme_label(i18n: crate::layout::I18n, s: Scheme) -> String {
    match s {
        Scheme::Auto => t_string!(i18n, embed_scheme_auto),
        Scheme::Light => t_string!(i18n, embed_scheme_light),
        Scheme::Dark => t_string!(i18n, embed_scheme_dark),
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(q: &[(&str, &str)]) -> Choice {
        let pairs: Vec<(String, String)> = q
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Choice::from_pairs(&pairs)
    }

    #[test]
    fn the_snippets_name_the_widget_its_filters_and_theme() {
        let c = choice(&[
            ("widget", "calendar"),
            ("city", "lucca"),
            ("wlang", "it"),
            ("accent", "#a61e4d"),
        ]);
        assert_eq!(
            c.src("https://lc.example").unwrap(),
            "https://lc.example/embed/it/calendar?city=lucca&accent=a61e4d"
        );
        assert_eq!(
            c.script("https://lc.example").unwrap(),
            "<script src=\"https://lc.example/embed.js\" data-widget=\"calendar\" \
             data-city=\"lucca\" data-lang=\"it\" data-accent=\"a61e4d\" async></script>"
        );
        assert!(c
            .iframe("https://lc.example", "Incontri")
            .unwrap()
            .contains("src=\"https://lc.example/embed/it/calendar?city=lucca&amp;accent=a61e4d\""));
    }

    #[test]
    fn a_calendar_carries_its_filters_and_view() {
        let c = choice(&[
            ("widget", "calendar"),
            ("cluster", "literacy"),
            ("sector", "schools"),
            ("audience", "everyone"),
            ("view", "month"),
            ("wlang", "en"),
        ]);
        assert_eq!(
            c.path().unwrap(),
            "calendar?cluster=literacy&sector=schools&audience=everyone&view=month"
        );
        assert!(c.script("").unwrap().contains(
            "data-cluster=\"literacy\" data-sector=\"schools\" data-audience=\"everyone\" data-view=\"month\""
        ));
        let agenda = choice(&[
            ("widget", "calendar"),
            ("view", "agenda"),
            ("audience", "x"),
        ]);
        assert_eq!(agenda.path().unwrap(), "calendar?");
    }

    #[test]
    fn a_widget_without_what_it_needs_has_no_snippet() {
        assert_eq!(choice(&[("widget", "pact")]).path(), None);
        assert_eq!(choice(&[("widget", "meeting")]).script("x"), None);
        assert_eq!(
            choice(&[("widget", "pact"), ("city", "lucca")])
                .path()
                .unwrap(),
            "cities/lucca/pact/join"
        );
        assert_eq!(
            choice(&[("widget", "map"), ("cluster", "literacy")])
                .path()
                .unwrap(),
            "map?cluster=literacy"
        );
    }

    #[test]
    fn values_that_are_not_slugs_or_numbers_are_dropped() {
        let c = choice(&[
            ("widget", "badge"),
            ("city", "\"><script>"),
            ("adherent", "1 OR 1=1"),
        ]);
        assert_eq!((c.city.as_str(), c.adherent.as_str()), ("", ""));
        assert_eq!(c.path(), None);
    }
}

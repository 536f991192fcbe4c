//! The builder's page: the widget's form, its preview and snippets, and the allowed origins.

use super::{widget_label, Choice, Widget};
use crate::embed::{get_builder, AllowOrigin, Builder, ForbidOrigin, OriginView};
use crate::forms::{error_of, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, private_page, ErrorContent, I18n, PageMeta};
use domain::{Density, Scheme};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

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

/// The widget the page's address chose, among what this person may embed.
fn chosen(i18n: I18n, b: &Builder) -> Choice {
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
    choice
}

#[component]
fn BuilderBody(
    b: Builder,
    allow: ServerAction<AllowOrigin>,
    forbid: ServerAction<ForbidOrigin>,
) -> impl IntoView {
    let choice = chosen(use_i18n(), &b);
    let base = b.public_url.clone();
    let city = choice.city.clone();
    let (fields, look, preview) = (b.clone(), choice.clone(), choice.clone());
    view! {
        <div class="builder">
            <Form method="GET" action="" attr:class="form builder-form">
                <WidgetFields b=fields.clone() choice=choice.clone() />
                <LookFields choice=look.clone() />
            </Form>
            <Preview choice=preview base />
        </div>
        <Origins b city allow forbid />
    }
}

fn option(value: String, label: String, selected: bool) -> impl IntoView {
    view! { <option value=value selected=selected>{label}</option> }
}

/// The fields that pick the widget and what it shows.
#[component]
fn WidgetFields(b: Builder, choice: Choice) -> impl IntoView {
    let i18n = use_i18n();
    let widgets = Widget::ALL
        .into_iter()
        .map(|w| option(w.as_str().into(), widget_label(i18n, w), w == choice.widget))
        .collect_view();
    let named = |slug: &str, name: &domain::Localized, chosen: &str| {
        option(
            slug.to_owned(),
            in_lang(i18n, name.clone())(),
            slug == chosen,
        )
    };
    let cities = b
        .cities
        .iter()
        .map(|c| named(&c.slug, &c.name, &choice.city))
        .collect_view();
    let clusters = b
        .clusters
        .iter()
        .map(|c| named(&c.slug, &c.name, &choice.cluster))
        .collect_view();
    let sectors = b
        .sectors
        .iter()
        .map(|s| named(&s.slug, &s.name, &choice.sector))
        .collect_view();
    let any = move || t_string!(i18n, calendar_any).to_owned();
    view! {
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
        <CalendarFields b choice />
    }
}

/// The calendar's audience and view, the meeting and the adherent.
#[component]
fn CalendarFields(b: Builder, choice: Choice) -> impl IntoView {
    let i18n = use_i18n();
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
        .map(|m| {
            option(
                m.id.to_string(),
                m.label.clone(),
                m.id.to_string() == choice.meeting,
            )
        })
        .collect_view();
    let any = move || t_string!(i18n, calendar_any).to_owned();
    view! {
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
    }
}

/// The widget's language and theme, and the form's button.
#[component]
fn LookFields(choice: Choice) -> impl IntoView {
    let i18n = use_i18n();
    let languages = Locale::get_all()
        .iter()
        .map(|&l| {
            let name = td_string!(l, language_name);
            option(l.as_str().into(), name.into(), choice.lang == l.as_str())
        })
        .collect_view();
    let theme = choice.theme;
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
    view! {
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
    }
}

/// The chosen widget as it shows, and its two snippets to copy.
#[component]
fn Preview(choice: Choice, base: String) -> impl IntoView {
    let i18n = use_i18n();
    let title = widget_label(i18n, choice.widget);
    let src = choice.src("");
    let iframe = choice.iframe(&base, &title).unwrap_or_default();
    let script = choice.script(&base).unwrap_or_default();
    let ready = src.is_some();
    view! {
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
    }
}

/// The sites allowed to frame the chosen city's forms (the network's, without a city).
#[component]
fn Origins(
    b: Builder,
    city: String,
    allow: ServerAction<AllowOrigin>,
    forbid: ServerAction<ForbidOrigin>,
) -> impl IntoView {
    let i18n = use_i18n();
    let network = city.is_empty();
    let editable = !network || b.admin;
    view! {
        <section id="origins" aria-labelledby="origins-heading">
            <h2 id="origins-heading">{t!(i18n, embed_origins_title)}</h2>
            <p>{if network { t_string!(i18n, embed_origins_network) } else { t_string!(i18n, embed_origins_intro) }}</p>
            <Done />
            {if b.origins.is_empty() {
                view! { <p class="muted">{t!(i18n, embed_origins_none)}</p> }.into_any()
            } else {
                view! {
                    <ul class="origin-list">
                        {b.origins.iter().cloned().map(|o| view! { <OriginItem o city=city.clone() forbid /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {editable.then(|| view! { <AllowForm city=city.clone() allow /> })}
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

fn density_label(i18n: I18n, d: Density) -> String {
    match d {
        Density::Compact => t_string!(i18n, embed_density_compact),
        Density::Normal => t_string!(i18n, embed_density_normal),
        Density::Comfortable => t_string!(i18n, embed_density_comfortable),
    }
    .to_owned()
}

fn scheme_label(i18n: I18n, s: Scheme) -> String {
    match s {
        Scheme::Auto => t_string!(i18n, embed_scheme_auto),
        Scheme::Light => t_string!(i18n, embed_scheme_light),
        Scheme::Dark => t_string!(i18n, embed_scheme_dark),
    }
    .to_owned()
}

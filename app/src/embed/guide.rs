//! `/embed`: what each widget does and how a municipal web team puts it on its site, with
//! snippets to copy in both languages.

use super::builder::{Choice, Widget};
use crate::i18n::*;
use crate::layout::{link_to, I18n, PageMeta};
use leptos::prelude::*;

/// An example of each widget, as Lucca's site would embed it.
fn example(widget: Widget, lang: &str) -> Choice {
    let (city, meeting, adherent) = match widget {
        Widget::Calendar | Widget::Map | Widget::Pact | Widget::Adherents => ("lucca", "", ""),
        Widget::Meeting => ("", "123", ""),
        Widget::Badge => ("lucca", "", "45"),
    };
    Choice {
        widget,
        city: city.into(),
        meeting: meeting.into(),
        adherent: adherent.into(),
        lang: lang.into(),
        ..Choice::default()
    }
}

/// A widget's name and what it does.
fn about(i18n: I18n, w: Widget) -> (String, String) {
    let (title, text) = match w {
        Widget::Calendar => (
            t_string!(i18n, embed_widget_calendar),
            t_string!(i18n, embed_about_calendar),
        ),
        Widget::Meeting => (
            t_string!(i18n, embed_widget_meeting),
            t_string!(i18n, embed_about_meeting),
        ),
        Widget::Map => (
            t_string!(i18n, embed_widget_map),
            t_string!(i18n, embed_about_map),
        ),
        Widget::Pact => (
            t_string!(i18n, embed_widget_pact),
            t_string!(i18n, embed_about_pact),
        ),
        Widget::Adherents => (
            t_string!(i18n, embed_widget_adherents),
            t_string!(i18n, embed_about_adherents),
        ),
        Widget::Badge => (
            t_string!(i18n, embed_widget_badge),
            t_string!(i18n, embed_about_badge),
        ),
    };
    (title.to_owned(), text.to_owned())
}

/// One widget: what it does, and its snippets in both languages.
#[component]
fn WidgetGuide(widget: Widget, base: String) -> impl IntoView {
    let i18n = use_i18n();
    let (title, text) = about(i18n, widget);
    let id = format!("widget-{}", widget.as_str());
    let heading = id.clone();
    let snippets = Locale::get_all()
        .iter()
        .map(|&locale| {
            let lang = locale.as_str();
            let c = example(widget, lang);
            let label = td_string!(locale, language_name);
            let script = c.script(&base).unwrap_or_default();
            let iframe = c.iframe(&base, &title).unwrap_or_default();
            view! {
                <h4 lang=lang>{label}</h4>
                <pre class="code"><code>{script}</code></pre>
                <pre class="code"><code>{iframe}</code></pre>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby=heading>
            <h3 id=id>{title}</h3>
            <p>{text}</p>
            {snippets}
        </section>
    }
}

#[component]
pub fn EmbedGuidePage() -> impl IntoView {
    let i18n = use_i18n();
    let base = use_context::<crate::SiteInfo>()
        .map(|s| s.public_url)
        .unwrap_or_default();
    let widgets = Widget::ALL
        .into_iter()
        .map(|widget| view! { <WidgetGuide widget base=base.clone() /> })
        .collect_view();
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, embed_guide_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, embed_guide_intro).to_owned())
        />
        <div class="narrow">
            <h1>{t!(i18n, embed_guide_title)}</h1>
            <p class="lead">{t!(i18n, embed_guide_intro)}</p>
            <h2>{t!(i18n, embed_guide_how)}</h2>
            <ol>
                <li>{t!(i18n, embed_guide_step_script)}</li>
                <li>{t!(i18n, embed_guide_step_iframe)}</li>
                <li>{t!(i18n, embed_guide_step_theme)}</li>
                <li>{t!(i18n, embed_guide_step_forms)}</li>
            </ol>
            <p><a href=link_to(i18n, "coordinate/embed")>{t!(i18n, embed_guide_builder)}</a></p>
            <h2>{t!(i18n, embed_guide_widgets)}</h2>
            {widgets}
            <h2>{t!(i18n, embed_guide_theme_title)}</h2>
            <dl class="embed-params">
                <dt><code>data-accent</code></dt><dd>{t!(i18n, embed_param_accent)}</dd>
                <dt><code>data-text</code></dt><dd>{t!(i18n, embed_param_text)}</dd>
                <dt><code>data-font</code></dt><dd>{t!(i18n, embed_param_font)}</dd>
                <dt><code>data-radius</code></dt><dd>{t!(i18n, embed_param_radius)}</dd>
                <dt><code>data-density</code></dt><dd>{t!(i18n, embed_param_density)}</dd>
                <dt><code>data-theme</code></dt><dd>{t!(i18n, embed_param_theme)}</dd>
                <dt><code>data-lang</code></dt><dd>{t!(i18n, embed_param_lang)}</dd>
            </dl>
        </div>
    }
}

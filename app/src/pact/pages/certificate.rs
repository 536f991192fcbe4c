//! An adherent's certificate.

use super::*;

/// The certificate of the adherent the page's address names (`:slug`, `:id`).
pub(crate) fn certificate_resource(
    i18n: crate::layout::I18n,
) -> Resource<Result<Certificate, AppError>> {
    let params = use_params_map();
    let key = move || {
        let p = params.read();
        (
            i18n.get_locale().as_str().to_owned(),
            p.get("slug").unwrap_or_default(),
            p.get("id").and_then(|s| s.parse::<i64>().ok()).unwrap_or(0),
        )
    };
    Resource::new(key, |(lang, slug, id)| get_certificate(lang, slug, id))
}

/// A printable certificate of adhesion, with the badge an adherent may put on its own site.
#[component]
pub fn CertificatePage() -> impl IntoView {
    let i18n = use_i18n();
    let certificate = certificate_resource(i18n);
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match certificate.await {
                    Ok(c) => view! { <CertificateBody c /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub(super) fn CertificateBody(c: Certificate) -> impl IntoView {
    let i18n = use_i18n();
    let a = c.adherent.clone();
    let organisation = a.organisation.clone();
    let page_title = {
        let organisation = organisation.clone();
        move || format!("{} · {}", organisation, t_string!(i18n, certificate_title))
    };
    let version = a.version;
    // An adhesion with no recorded date says so by saying none.
    let adheres = match a.since {
        Some(date) => {
            let date = date.to_string();
            t!(
                i18n,
                certificate_text,
                date = move || date.clone(),
                version = move || version
            )
            .into_any()
        }
        None => t!(i18n, certificate_text_undated, version = move || version).into_any(),
    };
    let title = c.title.clone();
    let city = c.city.name.clone();
    let badge_alt = {
        let organisation = organisation.clone();
        let title = title.clone();
        let city = city.clone();
        move || {
            format!(
                "{organisation}: {} {} · {}",
                t_string!(i18n, badge_we_adhere),
                title.get(i18n.get_locale().as_str()),
                city.get(i18n.get_locale().as_str())
            )
        }
    };
    let embed = {
        let (list, badge, alt) = (c.list_url.clone(), c.badge_url.clone(), badge_alt.clone());
        move || {
            let alt = alt().replace('"', "&quot;");
            format!("<a href=\"{list}#adherent-{}\"><img src=\"{badge}\" alt=\"{alt}\" width=\"320\" height=\"96\"></a>", a.id)
        }
    };
    let slug = c.city.slug.clone();
    view! {
        <PageMeta title=Signal::derive(page_title) description=text!(i18n, certificate_title) />
        <article class="certificate">
            <p class="certificate-kicker">{t!(i18n, certificate_title)}</p>
            <h1>{organisation.clone()}</h1>
            <p class="certificate-text">
                {adheres}
            </p>
            <p class="certificate-pact"><strong>{in_lang(i18n, title.clone())}</strong> " · " {in_lang(i18n, city.clone())}</p>
            {(!a.commitments.is_empty()).then(|| view! {
                <h2>{t!(i18n, certificate_commitments)}</h2>
                <ul>{a.commitments.iter().cloned().map(|l| view! { <li>{in_lang(i18n, l)}</li> }).collect_view()}</ul>
            })}
            <h2>{t!(i18n, city_partners)}</h2>
            <ul class="partners">
                {c.partners.iter().map(|p| view! { <li>{p.name.clone()}</li> }).collect_view()}
            </ul>
            <p class="muted">{t!(i18n, certificate_verify)} " " <a href=link_to(i18n, format!("cities/{slug}/pact#adherent-{}", a.id))>{c.list_url.clone()}</a></p>
        </article>
        <section class="no-print" aria-labelledby="badge-heading">
            <p>{t!(i18n, certificate_print)}</p>
            <h2 id="badge-heading">{t!(i18n, badge_title)}</h2>
            <p><img class="badge-preview" src=c.badge_url.clone() alt=badge_alt width="320" height="96" /></p>
            <label for="badge-code">{t!(i18n, badge_code)}</label>
            <textarea id="badge-code" class="code" rows="4" readonly=true>{move || crate::forms::textarea_text(embed())}</textarea>
        </section>
    }
}

//! The public pages of pacts: the network's list of cities with a pact, a city's pact with its
//! public list of adherents, the sign-up form, confirmation, the organisation's personal page,
//! certificates, and the coordination table's invitation.

use super::*;
use crate::forms::{error_of, problem_text, Check, Field, FormAlert, Kind, LangInput, Select};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, private_page, ErrorContent, I18n, PageMeta};
use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos_meta::Meta;
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

mod adhesion;
mod certificate;
mod invitation;
mod joining;

pub use adhesion::*;
pub use certificate::*;
pub use invitation::*;
pub use joining::*;

/// A translated label as the form components take it.
macro_rules! text {
    ($i18n:ident, $key:ident) => {
        Signal::derive(move || t_string!($i18n, $key).to_owned())
    };
}
pub(crate) use text;

#[component]
pub fn NetworkPactPage() -> impl IntoView {
    let i18n = use_i18n();
    let cities = Resource::new(|| (), |_| get_pact_cities());
    view! {
        <PageMeta title=text!(i18n, pact_title) description=text!(i18n, pact_description) />
        <h1>{t!(i18n, pact_title)}</h1>
        <p class="lead">{t!(i18n, pact_intro)}</p>
        <h2>{t!(i18n, pact_cities)}</h2>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match cities.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, pact_none)}</p> }.into_any(),
                    Ok(mut list) => {
                        crate::directory::sort_by_name(i18n, &mut list, |c| &c.name);
                        view! {
                            <ul class="link-list">
                                {list.into_iter().map(|c| {
                                    let link = format!("cities/{}/pact", c.slug);
                                    view! { <li><a href=link_to(i18n, link)>{in_lang(i18n, c.name)}</a></li> }
                                }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

pub fn legal_form_label(i18n: I18n, code: &str) -> String {
    let locale = i18n.get_locale();
    match domain::LegalForm::parse(code) {
        Some(domain::LegalForm::PublicBody) => td_string!(locale, legal_public_body),
        Some(domain::LegalForm::School) => td_string!(locale, legal_school),
        Some(domain::LegalForm::University) => td_string!(locale, legal_university),
        Some(domain::LegalForm::Association) => td_string!(locale, legal_association),
        Some(domain::LegalForm::Foundation) => td_string!(locale, legal_foundation),
        Some(domain::LegalForm::Cooperative) => td_string!(locale, legal_cooperative),
        Some(domain::LegalForm::Company) => td_string!(locale, legal_company),
        Some(domain::LegalForm::Other) | None => td_string!(locale, legal_other),
    }
    .to_owned()
}

pub fn status_label(i18n: I18n, status: AdhesionStatus) -> String {
    let locale = i18n.get_locale();
    match status {
        AdhesionStatus::Unconfirmed => td_string!(locale, adhesion_unconfirmed),
        AdhesionStatus::Pending => td_string!(locale, adhesion_pending),
        AdhesionStatus::Approved => td_string!(locale, adhesion_approved),
        AdhesionStatus::Rejected => td_string!(locale, adhesion_rejected),
        AdhesionStatus::Withdrawn => td_string!(locale, adhesion_withdrawn),
    }
    .to_owned()
}

/// A city's pact for [`PactSection`], with the search and filter in the address. Created beside
/// the page's own data, never inside a view built from it (see
/// [`crate::calendar::calendar_data`]).
pub fn pact_data(slug: String) -> Resource<Result<PactView, AppError>> {
    let i18n = use_i18n();
    let location = use_location();
    let request = move || {
        (
            i18n.get_locale().as_str().to_owned(),
            slug.clone(),
            location.search.get(),
        )
    };
    Resource::new(request, |(lang, slug, q)| get_pact(lang, slug, q))
}

/// A city's pact: its text, partners and commitments, the counts by sector and the public
/// list of adherents with search and sector filter. Shown under the city's "Pact" tab.
#[component]
pub fn PactSection(
    pact: Resource<Result<PactView, AppError>>,
    /// The public list of adherents alone, with its search: the adherents widget.
    #[prop(optional)]
    adherents_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match pact.await {
                    Ok(p) if adherents_only => view! { <Adherents p /> }.into_any(),
                    Ok(p) => view! { <PactBody p /> }.into_any(),
                    Err(AppError::NotFound) => view! { <p>{t!(i18n, city_no_pact)}</p> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PactBody(p: PactView) -> impl IntoView {
    let i18n = use_i18n();
    let slug = p.city.slug.clone();
    let base = format!("cities/{slug}/pact");
    let join = link_to(i18n, format!("{base}/join"));
    let signed = p.signed_on;
    let older = p.version.as_ref().map(|v| v.number) != p.current;
    let version_line = p.version.clone().map(|v| {
        let (n, date) = (v.number, v.published.to_string());
        view! { <p class="muted">{t!(i18n, pact_version_of, number = move || n, date = move || date.clone())}</p> }
    });
    let text = p.version.clone().map(|v| v.html).unwrap_or_default();
    let earlier = p.versions.len() > 1;
    view! {
        <section class="pact" aria-labelledby="pact-heading">
            <h2 id="pact-heading">{in_lang(i18n, p.title.clone())}</h2>
            {signed.map(|date| {
                let date = date.to_string();
                view! { <p>{t!(i18n, city_pact_signed, date = move || date.clone())}</p> }
            })}
            {older.then(|| view! {
                <p class="notice">
                    {t!(i18n, pact_older_version)} " "
                    <a href=link_to(i18n, base.clone())>{t!(i18n, pact_current_version)}</a>
                </p>
            })}
            {version_line}
            {p.current.is_some().then(|| view! {
                <p><a class="button" href=join.clone()>{t!(i18n, pact_join)}</a></p>
            })}
            <div class="pact-text" inner_html=text></div>
            {earlier.then(|| view! {
                <details class="pact-versions">
                    <summary>{t!(i18n, pact_versions)}</summary>
                    <ul class="link-list">
                        {p.versions.iter().map(|v| {
                            let (n, date) = (v.number, v.published.to_string());
                            view! {
                                <li><a href=link_to(i18n, format!("{base}?version={n}"))>
                                    {t!(i18n, pact_version_of, number = move || n, date = move || date.clone())}
                                </a></li>
                            }
                        }).collect_view()}
                    </ul>
                </details>
            })}
        </section>
        <section aria-labelledby="partners-heading">
            <h2 id="partners-heading">{t!(i18n, city_partners)}</h2>
            <ul class="partners">
                {p.partners.iter().cloned().map(|partner| {
                    let name = partner.name;
                    view! {
                        <li>
                            {match partner.website {
                                Some(url) => view! { <a href=url rel="external">{name}</a> }.into_any(),
                                None => view! { <strong>{name}</strong> }.into_any(),
                            }}
                            <span class="muted">" — " {in_lang(i18n, partner.role)}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        {(!p.commitments.is_empty()).then(|| view! {
            <section aria-labelledby="commitments-heading">
                <h2 id="commitments-heading">{t!(i18n, pact_commitments)}</h2>
                <p>{t!(i18n, pact_commitments_intro)}</p>
                <ul>
                    {p.commitments.iter().map(|c| view! { <li>{in_lang(i18n, c.label.clone())}</li> }).collect_view()}
                </ul>
            </section>
        })}
        <Adherents p=p.clone() />
        {p.current.is_some().then(|| view! {
            <p class="pact-cta"><a class="button" href=join>{t!(i18n, pact_join)}</a></p>
        })}
    }
}

#[component]
fn Adherents(p: PactView) -> impl IntoView {
    let i18n = use_i18n();
    let slug = p.city.slug.clone();
    let base = format!("cities/{slug}/pact");
    let q = p.query.clone();
    let approved = p.approved;
    let matching = p.matching;
    let searching = !q.q.is_empty() || !q.sector.is_empty();
    // Inside the adherents widget, its search and pages stay in it.
    let widget = format!("{base}/adherents");
    let here = crate::frame::within(i18n, base.clone(), widget.clone());
    view! {
        <section class="adherents" aria-labelledby="adherents-heading">
            <h2 id="adherents-heading">{t!(i18n, pact_adherents)}</h2>
            <p>{t!(i18n, pact_adherents_count, count = move || approved)}</p>
            {sector_counts(i18n, &p.counts)}
            {adherent_search(i18n, here.clone(), &q, p.sectors.clone())}
            <p class="muted" aria-live="polite">
                {if searching {
                    view! { {t!(i18n, pact_matching, count = move || matching)} " " <a href=here.clone() target=crate::frame::stay()>{t!(i18n, pact_clear)}</a> }.into_any()
                } else {
                    ().into_any()
                }}
            </p>
            {if p.adherents.is_empty() {
                view! { <p>{t!(i18n, pact_no_adherents)}</p> }.into_any()
            } else {
                view! {
                    <ul class="adherent-list">
                        {p.adherents.iter().cloned().map(|a| view! { <AdherentCard a slug=slug.clone() /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            {adherent_pager(i18n, &q, p.more, base.clone(), widget)}
            <ul class="link-list">
                <li><a href=link_to(i18n, format!("cities/{slug}/map"))>{t!(i18n, pact_on_map)}</a></li>
                <li><a href=format!("/open-data/pacts/{slug}.csv") download=format!("{slug}-pact.csv")>{t!(i18n, pact_open_csv)}</a></li>
                <li><a href=format!("/open-data/pacts/{slug}.json") type="application/json">{t!(i18n, pact_open_json)}</a></li>
                <li><a href=link_to(i18n, format!("{base}/resend"))>{t!(i18n, pact_resend_link)}</a></li>
            </ul>
            <p class="muted">{t!(i18n, pact_open_licence)}</p>
        </section>
    }
}

/// Approved adherents by sector.
fn sector_counts(i18n: I18n, counts: &[SectorCount]) -> impl IntoView {
    (!counts.is_empty()).then(|| {
        view! {
            <ul class="sector-counts">
                {counts.iter().cloned().map(|c| {
                    let n = c.count;
                    let name = c.name.map(|n| in_lang(i18n, n)());
                    let label = name.unwrap_or_else(|| t_string!(i18n, pact_no_sector).to_owned());
                    view! { <li><span>{label}</span> " " <strong>{n}</strong></li> }
                }).collect_view()}
            </ul>
        }
    })
}

/// The public list's search by name and sector: a plain GET form to the list itself.
fn adherent_search(
    i18n: I18n,
    here: impl Fn() -> String + Clone + Send + Sync + 'static,
    q: &PactQuery,
    sectors: Vec<domain::Sector>,
) -> impl IntoView {
    let has_sectors = !sectors.is_empty();
    let search = q.q.clone();
    let sector_options = {
        let chosen = q.sector.clone();
        move || {
            sectors
                .iter()
                .map(|s| {
                    let selected = s.slug == chosen;
                    view! { <option value=s.slug.clone() selected=selected>{in_lang(i18n, s.name.clone())}</option> }
                })
                .collect_view()
        }
    };
    view! {
        <Form method="GET" action=here attr:class="form filters-form" attr:role="search" attr:target=crate::frame::stay()>
            <crate::frame::ThemeInputs />
            <div class="field">
                <label for="adherent-search">{t!(i18n, pact_search)}</label>
                <input id="adherent-search" name="q" type="search" value=search />
            </div>
            {has_sectors.then(|| view! {
                <div class="field">
                    <label for="adherent-sector">{t!(i18n, field_sector)}</label>
                    <select id="adherent-sector" name="sector">
                        <option value="">{t!(i18n, calendar_any)}</option>
                        {sector_options}
                    </select>
                </div>
            })}
            <button type="submit" class="button button--secondary">{t!(i18n, pact_search_submit)}</button>
        </Form>
    }
}

/// Links to the list's previous and next pages, if there are any.
fn adherent_pager(
    i18n: I18n,
    q: &PactQuery,
    more: bool,
    base: String,
    widget: String,
) -> impl IntoView {
    let previous = (q.page > 1).then(|| q.with_page(q.page - 1));
    let next = more.then(|| q.with_page(q.page + 1));
    let page_link = move |qs: String| {
        let query = if qs.is_empty() {
            String::new()
        } else {
            format!("?{qs}")
        };
        crate::frame::within(
            i18n,
            format!("{base}{query}#adherents-heading"),
            format!("{widget}{query}"),
        )
    };
    (previous.is_some() || next.is_some()).then(|| view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pact_pages_label)>
            {previous.clone().map(|qs| view! { <a rel="prev" href=page_link(qs) target=crate::frame::stay()>{t!(i18n, calendar_previous)}</a> })}
            {next.clone().map(|qs| view! { <a rel="next" href=page_link(qs) target=crate::frame::stay()>{t!(i18n, calendar_next)}</a> })}
        </nav>
    })
}

#[component]
fn AdherentCard(a: AdherentView, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let certificate = link_to(i18n, format!("cities/{slug}/pact/adherents/{}", a.id));
    let form = a.legal_form.clone();
    // No date is shown rather than a wrong one.
    let since = a.since.map(|date| {
        let date = date.to_string();
        view! { " · " {t!(i18n, pact_since, date = move || date.clone())} }
    });
    view! {
        <li class="adherent" id=format!("adherent-{}", a.id)>
            {a.logo.clone().map(|src| view! { <img class="adherent-logo" src=src alt="" width="64" height="64" loading="lazy" /> })}
            <div>
                <h3 class="adherent-name"><a href=certificate>{a.organisation.clone()}</a></h3>
                <p class="muted">
                    {move || legal_form_label(i18n, &form)}
                    {a.sector.clone().map(|s| view! { " · " {in_lang(i18n, s)} })}
                    {since}
                </p>
                {(!a.commitments.is_empty()).then(|| view! {
                    <ul class="tags">
                        {a.commitments.iter().cloned().map(|c| view! { <li>{in_lang(i18n, c)}</li> }).collect_view()}
                    </ul>
                })}
                {(!a.address.is_empty()).then(|| view! { <p>{a.address.clone()}</p> })}
                {a.website.clone().map(|url| view! { <p><a href=url.clone() rel="external nofollow noopener">{url.clone()}</a></p> })}
            </div>
        </li>
    }
}

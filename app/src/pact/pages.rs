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

/// A city's pact: its text, partners and commitments, the counts by sector and the public
/// list of adherents with search and sector filter. Shown under the city's "Pact" tab.
#[component]
pub fn PactSection(
    slug: String,
    /// The public list of adherents alone, with its search: the adherents widget.
    #[prop(optional)]
    adherents_only: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let request = move || {
        (
            i18n.get_locale().as_str().to_owned(),
            slug.clone(),
            location.search.get(),
        )
    };
    let pact = Resource::new(request, |(lang, slug, q)| get_pact(lang, slug, q));
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
    let signed = p.signed_on.clone();
    let older = p.version.as_ref().map(|v| v.number) != p.current;
    let version_line = p.version.clone().map(|v| {
        let (n, date) = (v.number, v.published.clone());
        view! { <p class="muted">{t!(i18n, pact_version_of, number = move || n, date = move || date.clone())}</p> }
    });
    let text = p.version.clone().map(|v| v.html).unwrap_or_default();
    let earlier = p.versions.len() > 1;
    view! {
        <section class="pact" aria-labelledby="pact-heading">
            <h2 id="pact-heading">{in_lang(i18n, p.title.clone())}</h2>
            {signed.map(|date| view! { <p>{t!(i18n, city_pact_signed, date = move || date.clone())}</p> })}
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
                            let (n, date) = (v.number, v.published.clone());
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
    let sector_options = {
        let sectors = p.sectors.clone();
        let chosen = q.sector.clone();
        move || {
            sectors
                .iter()
                .map(|(slug, name)| {
                    let selected = *slug == chosen;
                    view! { <option value=slug.clone() selected=selected>{in_lang(i18n, name.clone())}</option> }
                })
                .collect_view()
        }
    };
    let previous = (q.page > 1).then(|| q.with_page(q.page - 1));
    let next = p.more.then(|| q.with_page(q.page + 1));
    // Inside the adherents widget, its search and pages stay in it.
    let widget = format!("{base}/adherents");
    let page_link = {
        let (base, widget) = (base.clone(), widget.clone());
        move |qs: String| {
            let query = if qs.is_empty() {
                String::new()
            } else {
                format!("?{qs}")
            };
            crate::embed::within(
                i18n,
                format!("{base}{query}#adherents-heading"),
                format!("{widget}{query}"),
            )
        }
    };
    let here = crate::embed::within(i18n, base.clone(), widget.clone());
    view! {
        <section class="adherents" aria-labelledby="adherents-heading">
            <h2 id="adherents-heading">{t!(i18n, pact_adherents)}</h2>
            <p>{t!(i18n, pact_adherents_count, count = move || approved)}</p>
            {(!p.counts.is_empty()).then(|| view! {
                <ul class="sector-counts">
                    {p.counts.iter().cloned().map(|c| {
                        let n = c.count;
                        let name = c.name.map(|n| in_lang(i18n, n)());
                        let label = name.unwrap_or_else(|| t_string!(i18n, pact_no_sector).to_owned());
                        view! { <li><span>{label}</span> " " <strong>{n}</strong></li> }
                    }).collect_view()}
                </ul>
            })}
            <Form method="GET" action=here.clone() attr:class="form filters-form" attr:role="search" attr:target=crate::embed::stay()>
                <crate::embed::ThemeInputs />
                <div class="field">
                    <label for="adherent-search">{t!(i18n, pact_search)}</label>
                    <input id="adherent-search" name="q" type="search" value=q.q.clone() />
                </div>
                {(!p.sectors.is_empty()).then(|| view! {
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
            <p class="muted" aria-live="polite">
                {if searching {
                    view! { {t!(i18n, pact_matching, count = move || matching)} " " <a href=here.clone() target=crate::embed::stay()>{t!(i18n, pact_clear)}</a> }.into_any()
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
            {(previous.is_some() || next.is_some()).then(|| view! {
                <nav class="pager" aria-label=move || t_string!(i18n, pact_pages_label)>
                    {previous.clone().map(|qs| view! { <a rel="prev" href=page_link(qs) target=crate::embed::stay()>{t!(i18n, calendar_previous)}</a> })}
                    {next.clone().map(|qs| view! { <a rel="next" href=page_link(qs) target=crate::embed::stay()>{t!(i18n, calendar_next)}</a> })}
                </nav>
            })}
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

#[component]
fn AdherentCard(a: AdherentView, slug: String) -> impl IntoView {
    let i18n = use_i18n();
    let certificate = link_to(i18n, format!("cities/{slug}/pact/adherents/{}", a.id));
    let form = a.legal_form.clone();
    let since = a.since.clone();
    view! {
        <li class="adherent" id=format!("adherent-{}", a.id)>
            {a.logo.clone().map(|src| view! { <img class="adherent-logo" src=src alt="" width="64" height="64" loading="lazy" /> })}
            <div>
                <h3 class="adherent-name"><a href=certificate>{a.organisation.clone()}</a></h3>
                <p class="muted">
                    {move || legal_form_label(i18n, &form)}
                    {a.sector.clone().map(|s| view! { " · " {in_lang(i18n, s)} })}
                    " · " {t!(i18n, pact_since, date = move || since.clone())}
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

/// The error a plain form post (no JavaScript) to this server function came back with.
fn posted_error(path: &str) -> Option<AppError> {
    use_context::<ServerActionError>()
        .filter(|e| e.path() == path)
        .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()))
}

/// A form that may carry a file: posted as multipart, by the browser without JavaScript and by
/// the page's navigation with it (which shows the answer in place).
#[component]
pub fn UploadForm(action: &'static str, children: Children) -> impl IntoView {
    view! {
        <form method="post" action=action enctype="multipart/form-data" class="form" novalidate=true target=crate::embed::stay()>
            {children()}
        </form>
    }
}

/// The error an upload form came back with.
pub fn upload_error(path: &'static str) -> Signal<Option<AppError>> {
    let posted = posted_error(path);
    Signal::derive(move || posted.clone())
}

/// The fields of an adhesion, for a newcomer's sign-up, the organisation's own page and the
/// coordinators' edit.
#[component]
pub fn DetailsFields(
    form: JoinForm,
    draft: Draft,
    error: Signal<Option<AppError>>,
    newcomer: bool,
    #[prop(optional)] has_logo: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let legal_forms = Signal::derive(move || {
        let mut options = vec![(String::new(), t_string!(i18n, choose).to_owned())];
        options.extend(
            domain::LegalForm::ALL
                .iter()
                .map(|f| (f.as_str().to_owned(), legal_form_label(i18n, f.as_str()))),
        );
        options
    });
    let sectors = {
        let sectors = form.sectors.clone();
        Signal::derive(move || {
            let mut options = vec![(String::new(), t_string!(i18n, choose).to_owned())];
            options.extend(sectors.iter().map(|(slug, name)| {
                (
                    slug.clone(),
                    name.get(i18n.get_locale().as_str()).to_owned(),
                )
            }));
            options
        })
    };
    // Boxes come back as they were sent after a refusal, otherwise as stored.
    let kept = error
        .get_untracked()
        .and_then(|e| e.invalid().cloned())
        .filter(|i| !i.values.is_empty());
    let chosen: Vec<i64> = match &kept {
        Some(i) => i
            .value("commitments")
            .unwrap_or_default()
            .split(',')
            .filter_map(|v| v.trim().parse().ok())
            .collect(),
        None => draft.commitments.clone(),
    };
    let problem = move |name: &'static str| {
        move || {
            error
                .get()
                .and_then(|e| e.invalid().and_then(|i| i.problem(name)))
        }
    };
    // Where the organisation can read its coordinates off a map (no address leaves this site
    // unless the person types it there): OpenStreetMap, around the city.
    let find_on_map = format!(
        "https://www.openstreetmap.org/search?query={}",
        form_urlencoded::byte_serialize(
            format!("{}, {}", form.city.name.get("en"), form.city.country).as_bytes()
        )
        .collect::<String>()
    );
    let commitments_problem = problem("commitments");
    let logo_problem = problem("logo");
    view! {
        <fieldset>
            <legend>{t!(i18n, pact_about_organisation)}</legend>
            <Field name="organisation" label=text!(i18n, field_organisation_name) kind=Kind::Text autocomplete="organization" required=true value=draft.organisation.clone() error />
            <Select name="legal_form" label=text!(i18n, field_legal_form) options=legal_forms value=draft.legal_form.clone() error />
            {(!form.sectors.is_empty()).then(|| view! {
                <Select name="sector" label=text!(i18n, field_sector) options=sectors value=draft.sector.clone() error />
            })}
            <Field name="tax_code" label=text!(i18n, field_tax_code) hint=text!(i18n, field_tax_code_hint) kind=Kind::Text value=draft.tax_code.clone() error />
            <Field name="address" label=text!(i18n, field_address) kind=Kind::Text autocomplete="address-line1" required=true value=draft.address.clone() error />
            <fieldset class="position">
                <legend>{t!(i18n, field_position)}</legend>
                <p class="field-hint">
                    {t!(i18n, field_position_hint)} " "
                    <a href=find_on_map target="_blank" rel="external noopener">{t!(i18n, field_position_find)}</a>
                </p>
                <Field name="latitude" label=text!(i18n, field_latitude) kind=Kind::Text value=draft.latitude.clone() error />
                <Field name="longitude" label=text!(i18n, field_longitude) kind=Kind::Text value=draft.longitude.clone() error />
            </fieldset>
            <Field name="website" label=text!(i18n, field_website) kind=Kind::Url autocomplete="url" value=draft.website.clone() error />
        </fieldset>
        <fieldset>
            <legend>{t!(i18n, pact_about_people)}</legend>
            <Field name="contact_name" label=text!(i18n, field_contact_name) kind=Kind::Text autocomplete="name" required=true value=draft.contact_name.clone() error />
            {if newcomer {
                view! { <Field name="email" label=text!(i18n, field_email) hint=text!(i18n, field_pact_email_hint) kind=Kind::Email autocomplete="email" required=true value=draft.email.clone() error /> }.into_any()
            } else {
                view! { <p><strong>{t!(i18n, field_email)}</strong> ": " {draft.email.clone()}</p> }.into_any()
            }}
            <Field name="phone" label=text!(i18n, field_phone_optional) kind=Kind::Text autocomplete="tel" value=draft.phone.clone() error />
            <Field name="representative" label=text!(i18n, field_representative) kind=Kind::Text required=true value=draft.representative.clone() error />
            {newcomer.then(|| view! {
                <Check name="authority" label=text!(i18n, field_authority) checked=false error />
            })}
        </fieldset>
        <fieldset class="choices" aria-describedby="field-commitments-error">
            <legend>{t!(i18n, pact_choose_commitments)}</legend>
            {form.commitments.iter().map(|c| {
                let id = format!("commitment-{}", c.id);
                let checked = chosen.contains(&c.id);
                view! {
                    <div class="field field--check">
                        <input id=id.clone() type="checkbox" name="commitments[]" value=c.id.to_string() checked=checked />
                        <label for=id>{in_lang(i18n, c.label.clone())}</label>
                    </div>
                }
            }).collect_view()}
            <p class="field-error" id="field-commitments-error">{move || commitments_problem().map(|p| problem_text(i18n, p))}</p>
        </fieldset>
        <fieldset>
            <legend>{t!(i18n, pact_about_listing)}</legend>
            <Check name="listed" label=text!(i18n, field_listed) checked=draft.listed error />
            <div class="field" class:field--invalid=move || logo_problem().is_some()>
                <label for="field-logo">{t!(i18n, field_logo)}</label>
                <p class="field-hint" id="field-logo-hint">{t!(i18n, field_logo_hint)}</p>
                <input
                    id="field-logo"
                    name="logo"
                    type="file"
                    accept="image/png,image/jpeg,image/webp,image/gif"
                    aria-invalid=move || logo_problem().is_some().then_some("true")
                    aria-describedby="field-logo-hint field-logo-error"
                />
                <p class="field-error" id="field-logo-error">{move || logo_problem().map(|p| problem_text(i18n, p))}</p>
            </div>
            {has_logo.then(|| view! { <Check name="remove_logo" label=text!(i18n, field_remove_logo) checked=false error /> })}
            {newcomer.then(|| view! {
                <Check name="privacy" label=text!(i18n, field_privacy) checked=false error />
                <p class="field-hint">{t!(i18n, pact_privacy_notice)}</p>
            })}
        </fieldset>
    }
}

#[component]
pub fn JoinPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let form = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), slug()),
        |(lang, slug)| get_join_form(lang, slug),
    );
    let done = move || query.read().get("done").is_some();
    view! {
        <PageMeta title=text!(i18n, pact_join_title) description=text!(i18n, pact_join_intro) />
        <div class="narrow">
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(f) if done() => view! { <JoinDone f /> }.into_any(),
                        Ok(f) => view! { <JoinFormView f /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn JoinDone(f: JoinForm) -> impl IntoView {
    let i18n = use_i18n();
    let slug = f.city.slug.clone();
    view! {
        <h1>{t!(i18n, pact_join_title)}</h1>
        <p class="notice" role="status">{t!(i18n, pact_check_mail)}</p>
        <p>{t!(i18n, pact_check_mail_more)}</p>
        <ul class="link-list">
            <li><a href=link_to(i18n, format!("cities/{slug}/pact/resend"))>{t!(i18n, pact_resend_link)}</a></li>
            <li><a href=link_to(i18n, format!("cities/{slug}/pact"))>{t!(i18n, pact_back)}</a></li>
        </ul>
    }
}

#[component]
fn JoinFormView(f: JoinForm) -> impl IntoView {
    let i18n = use_i18n();
    let error = upload_error(JOIN_PATH);
    let slug = StoredValue::new(f.city.slug.clone());
    let city = f.city.name.clone();
    let title = f.title.clone();
    let open = f.version.is_some();
    view! {
        <h1>{t!(i18n, pact_join_title)}</h1>
        <p class="lead">
            {in_lang(i18n, title)} " · " <a href=link_to(i18n, format!("cities/{}/pact", slug.get_value()))>{in_lang(i18n, city)}</a>
        </p>
        {if open {
            view! {
                <p>{t!(i18n, pact_join_intro)}</p>
                <p class="muted">{t!(i18n, pact_required_note)}</p>
                <UploadForm action=JOIN_PATH>
                    <LangInput />
                    <input type="hidden" name="slug" value=slug.get_value() />
                    <FormAlert error />
                    <DetailsFields form=f.clone() draft=Draft::default() error newcomer=true />
                    // Hidden from people (and from assistive technology); bots fill it in.
                    <div class="trap" aria-hidden="true">
                        <label for="field-homepage">"Homepage"</label>
                        <input id="field-homepage" name="homepage" type="text" tabindex="-1" autocomplete="off" />
                    </div>
                    <button type="submit" class="button">{t!(i18n, pact_join_submit)}</button>
                </UploadForm>
                <p><a href=link_to(i18n, format!("cities/{}/pact/resend", slug.get_value()))>{t!(i18n, pact_resend_link)}</a></p>
            }.into_any()
        } else {
            view! { <p>{t!(i18n, problem_pact_closed)}</p> }.into_any()
        }}
    }
}

#[component]
pub fn ResendPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let query = use_query_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let action = ServerAction::<ResendLinks>::new();
    let error = error_of(action);
    let done = move || query.read().get("done");
    view! {
        <PageMeta title=text!(i18n, pact_resend_title) description=text!(i18n, pact_resend_intro) />
        <Meta name="robots" content="noindex" />
        <div class="narrow">
            <h1>{t!(i18n, pact_resend_title)}</h1>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "link-replaced" => t_string!(i18n, adhesion_link_replaced),
                        _ => t_string!(i18n, pact_resend_done),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <p>{t!(i18n, pact_resend_intro)}</p>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <LangInput />
                <input type="hidden" name="slug" value=slug />
                <FormAlert error />
                <Field name="email" label=text!(i18n, field_email) kind=Kind::Email autocomplete="email" required=true error />
                <button type="submit" class="button">{t!(i18n, pact_resend_submit)}</button>
            </ActionForm>
            <p><a href=move || link_to(i18n, format!("cities/{}/pact", slug()))()>{t!(i18n, pact_back)}</a></p>
        </div>
    }
}

/// Where a confirmation link lands: a button confirms (mail scanners that follow links must not
/// confirm on their own).
#[component]
pub fn ConfirmPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmAdhesion>::new();
    let state = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), token()),
        |(lang, token)| get_confirmation(lang, token),
    );
    view! {
        <PageMeta title=text!(i18n, pact_confirm_title) description=text!(i18n, pact_confirm_title) />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, pact_confirm_title)}</h1>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match state.await {
                        Ok(c) => view! { <ConfirmBody c token=token() confirm /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn ConfirmBody(
    c: Confirmation,
    token: String,
    confirm: ServerAction<ConfirmAdhesion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(confirm);
    let resend = c
        .city
        .as_ref()
        .map(|city| link_to(i18n, format!("cities/{}/pact/resend", city.slug)));
    let organisation = c.organisation.clone();
    let title = c.title.clone();
    match c.state {
        LinkState::Ready => view! {
            <p>{t!(i18n, pact_confirm_intro, organisation = move || organisation.clone())} " " <strong>{in_lang(i18n, title)}</strong></p>
            <ActionForm action=confirm attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button">{t!(i18n, pact_confirm_submit)}</button>
            </ActionForm>
        }.into_any(),
        LinkState::Used => view! {
            <p class="notice">{t!(i18n, pact_confirm_used)}</p>
            {resend.map(|href| view! { <p><a href=href>{t!(i18n, pact_resend_link)}</a></p> })}
        }.into_any(),
        LinkState::Expired => view! {
            <p class="notice notice--alert">{t!(i18n, problem_link_expired)}</p>
            {resend.map(|href| view! { <p><a href=href>{t!(i18n, pact_resend_link)}</a></p> })}
        }.into_any(),
        LinkState::Unknown => view! { <UnknownLink /> }.into_any(),
    }
}

/// The organisation's personal page (its link came by mail): where it stands, its details to
/// change, its data to download, and withdrawal.
#[component]
pub fn AdhesionPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let withdraw = ServerAction::<WithdrawAdhesion>::new();
    let adhesion = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                token(),
                withdraw.version().get(),
            )
        },
        |(lang, token, _)| get_adhesion(lang, token),
    );
    let done = move || query.read().get("done");
    view! {
        <PageMeta title=text!(i18n, adhesion_title) description=text!(i18n, adhesion_title) />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, adhesion_title)}</h1>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "withdrawn" => t_string!(i18n, adhesion_done_withdrawn),
                        "saved" => t_string!(i18n, notice_saved),
                        _ => t_string!(i18n, adhesion_done_confirmed),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match adhesion.await {
                        Ok(a) => view! { <AdhesionBody a token=token() withdraw /> }.into_any(),
                        Err(e) if e.invalid().is_some() => view! { <UnknownLink /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn AdhesionBody(
    a: AdhesionView,
    token: String,
    withdraw: ServerAction<WithdrawAdhesion>,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = a.status;
    let error = upload_error(UPDATE_PATH);
    let withdraw_error = error_of(withdraw);
    let slug = a.city.slug.clone();
    let live = status.is_live();
    let reason = a.reason.clone();
    let version = a.version;
    let submitted = a.submitted.clone();
    let certificate = (status == AdhesionStatus::Approved && a.draft.listed)
        .then(|| link_to(i18n, format!("cities/{slug}/pact/adherents/{}", a.id)));
    let explanation = move || {
        let locale = i18n.get_locale();
        match status {
            AdhesionStatus::Unconfirmed | AdhesionStatus::Pending => {
                td_string!(locale, adhesion_pending_text)
            }
            AdhesionStatus::Approved => td_string!(locale, adhesion_approved_text),
            AdhesionStatus::Rejected => td_string!(locale, adhesion_rejected_text),
            AdhesionStatus::Withdrawn => td_string!(locale, adhesion_withdrawn_text),
        }
    };
    view! {
        <p class="lead"><strong>{a.draft.organisation.clone()}</strong> " · " {in_lang(i18n, a.title.clone())} " · " {in_lang(i18n, a.city.name.clone())}</p>
        <dl class="facts">
            <div><dt>{t!(i18n, adhesion_status)}</dt><dd><strong>{move || status_label(i18n, status)}</strong></dd></div>
            <div><dt>{t!(i18n, adhesion_version)}</dt><dd>{version}</dd></div>
            <div><dt>{t!(i18n, adhesion_submitted)}</dt><dd>{submitted}</dd></div>
        </dl>
        <p>{explanation}</p>
        {(status == AdhesionStatus::Rejected && !reason.is_empty()).then(|| view! {
            <p><strong>{t!(i18n, adhesion_reason)}</strong> ": " {reason.clone()}</p>
        })}
        {certificate.map(|href| view! { <p><a href=href>{t!(i18n, adhesion_certificate_link)}</a></p> })}
        <p><a href=format!("/pact/adhesion.json?token={token}") download="adhesion.json">{t!(i18n, adhesion_download)}</a></p>
        {live.then(|| {
            let token = StoredValue::new(token.clone());
            view! {
                <section aria-labelledby="details-heading">
                    <h2 id="details-heading">{t!(i18n, adhesion_details)}</h2>
                    <p>{t!(i18n, adhesion_details_intro)}</p>
                    <UploadForm action=UPDATE_PATH>
                        <LangInput />
                        <input type="hidden" name="token" value=token.get_value() />
                        <FormAlert error />
                        <DetailsFields form=a.form.clone() draft=a.draft.clone() error newcomer=false has_logo=a.has_logo />
                        <button type="submit" class="button">{t!(i18n, save)}</button>
                    </UploadForm>
                </section>
                <section aria-labelledby="withdraw-heading">
                    <h2 id="withdraw-heading">{t!(i18n, adhesion_withdraw)}</h2>
                    <p>{t!(i18n, adhesion_withdraw_intro)}</p>
                    <ActionForm action=withdraw attr:class="form">
                        <LangInput />
                        <input type="hidden" name="token" value=token.get_value() />
                        <FormAlert error=withdraw_error />
                        <Check name="confirm" label=text!(i18n, adhesion_withdraw_confirm) checked=false error=withdraw_error />
                        <button type="submit" class="button button--danger">{t!(i18n, adhesion_withdraw_submit)}</button>
                    </ActionForm>
                </section>
            }
        })}
        <ReplaceLink token />
    }
}

/// For a link that reached someone else: a new one goes to the adhesion's contact address.
#[component]
fn ReplaceLink(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let replace = ServerAction::<ReplaceAdhesionLink>::new();
    let error = error_of(replace);
    view! {
        <details class="replace-link">
            <summary>{t!(i18n, adhesion_replace_summary)}</summary>
            <p>{t!(i18n, adhesion_replace_text)}</p>
            <ActionForm action=replace attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button button--secondary">{t!(i18n, registration_replace_submit)}</button>
            </ActionForm>
        </details>
    }
}

/// What a page reached by a personal link shows when the link is unknown, used up or replaced:
/// a 404, as for any address that leads nowhere.
#[component]
fn UnknownLink() -> impl IntoView {
    let i18n = use_i18n();
    crate::layout::set_status(http::StatusCode::NOT_FOUND);
    view! { <p class="notice notice--alert">{t!(i18n, problem_link)}</p> }
}

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
fn CertificateBody(c: Certificate) -> impl IntoView {
    let i18n = use_i18n();
    let a = c.adherent.clone();
    let organisation = a.organisation.clone();
    let page_title = {
        let organisation = organisation.clone();
        move || format!("{} · {}", organisation, t_string!(i18n, certificate_title))
    };
    let since = a.since.clone();
    let version = a.version;
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
                {t!(i18n, certificate_text, date = move || since.clone(), version = move || version)}
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

/// Where an invitation of the coordination table lands: one click registers the organisation's
/// contact for the meeting's upcoming dates.
#[component]
pub fn InvitationPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let accept = ServerAction::<AcceptInvitation>::new();
    let invitation = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                token(),
                accept.version().get(),
            )
        },
        |(lang, token, _)| get_invitation(lang, token),
    );
    let done = move || query.read().get("done").is_some();
    view! {
        <PageMeta title=text!(i18n, table_invitation_title) description=text!(i18n, table_invitation_title) />
        <Meta name="robots" content="noindex" />
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, table_invitation_title)}</h1>
            <div role="status">
                {move || done().then(|| view! { <p class="notice">{t!(i18n, table_invitation_done)}</p> })}
            </div>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match invitation.await {
                        Ok(v) => view! { <InvitationBody v token=token() accept /> }.into_any(),
                        Err(e) if e.invalid().is_some() => view! { <UnknownLink /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn InvitationBody(
    v: InvitationView,
    token: String,
    accept: ServerAction<AcceptInvitation>,
) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(accept);
    let organisation = v.organisation.clone();
    let contact = v.contact_name.clone();
    let meeting = link_to(
        i18n,
        format!(
            "meetings/{}",
            v.dates.first().map(|d| d.0).unwrap_or_default()
        ),
    );
    view! {
        <p>{t!(i18n, table_invitation_intro, organisation = move || organisation.clone(), name = move || contact.clone())}</p>
        <h2><a href=meeting>{v.title.clone()}</a></h2>
        {if v.dates.is_empty() {
            view! { <p>{t!(i18n, table_invitation_no_dates)}</p> }.into_any()
        } else {
            view! {
                <ul>{v.dates.iter().map(|(_, when)| view! { <li>{when.clone()}</li> }).collect_view()}</ul>
                {if v.accepted {
                    view! { <p class="notice">{t!(i18n, table_invitation_accepted)}</p> }.into_any()
                } else {
                    view! {
                        <ActionForm action=accept attr:class="form">
                            <LangInput />
                            <input type="hidden" name="token" value=token />
                            <FormAlert error />
                            <button type="submit" class="button">{t!(i18n, table_invitation_accept)}</button>
                        </ActionForm>
                    }.into_any()
                }}
            }.into_any()
        }}
    }
}

//! The coordinators' pact pages, under `/{lang}/coordinate/pacts/{city}` and
//! `/{lang}/coordinate/adhesions/{id}`.

use super::*;
use crate::coordinate::AreaPage;
use crate::forms::{error_of, problem_text, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, I18n, TableScroll};
use crate::pact::{status_label, text, upload_error, DetailsFields, UploadForm};
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

fn slug_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}

/// Links between the pact's coordinator pages.
#[component]
fn PactNav(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="area-nav" aria-label=move || t_string!(i18n, area_nav_label)>
            <ul>
                <li><a href=link_to(i18n, format!("coordinate/pacts/{slug}"))>{t!(i18n, queue_title)}</a></li>
                <li><a href=link_to(i18n, format!("coordinate/pacts/{slug}/settings"))>{t!(i18n, pact_settings_title)}</a></li>
                <li><a href=link_to(i18n, format!("coordinate/pacts/{slug}/table"))>{t!(i18n, table_title)}</a></li>
                <li><a href=format!("/coordinate/pacts/{slug}/adhesions.csv") download=format!("{slug}-adhesions.csv")>{t!(i18n, queue_export)}</a></li>
                <li><a href=link_to(i18n, format!("cities/{slug}/pact"))>{t!(i18n, queue_public_page)}</a></li>
            </ul>
        </nav>
    }
}

#[component]
pub fn QueuePage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let location = use_location();
    let data = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                slug(),
                location.search.get(),
            )
        },
        |(lang, slug, q)| get_queue(lang, slug, q),
    );
    view! {
        <AreaPage title=text!(i18n, queue_title) resource=data body=move |q: Queue| view! { <QueueView q /> } />
    }
}

#[component]
fn QueueView(q: Queue) -> impl IntoView {
    let i18n = use_i18n();
    let slug = q.city.slug.clone();
    let base = format!("coordinate/pacts/{slug}");
    let current = q.status.clone();
    let filters = {
        let base = base.clone();
        let pending = q
            .counts
            .iter()
            .find(|(s, _)| *s == AdhesionStatus::Pending)
            .map(|c| c.1)
            .unwrap_or(0);
        let mut tabs = vec![(
            String::new(),
            t_string!(i18n, queue_waiting).to_owned(),
            Some(pending),
        )];
        tabs.extend(
            q.counts
                .iter()
                .filter(|(s, _)| *s != AdhesionStatus::Pending)
                .map(|(s, n)| (s.as_str().to_owned(), status_label(i18n, *s), Some(*n))),
        );
        tabs.push((
            "all".to_owned(),
            t_string!(i18n, queue_all).to_owned(),
            None,
        ));
        tabs.into_iter()
            .map(|(value, label, n)| {
                let href = if value.is_empty() { base.clone() } else { format!("{base}?status={value}") };
                let here = value == current;
                view! {
                    <li><a href=link_to(i18n, href) aria-current=here.then_some("page")>{label} {n.map(|n| format!(" ({n})"))}</a></li>
                }
            })
            .collect_view()
    };
    let sectors = {
        let chosen = q.sector.clone();
        q.sectors
            .iter()
            .map(|(s, name)| {
                let selected = *s == chosen;
                view! { <option value=s.clone() selected=selected>{in_lang(i18n, name.clone())}</option> }
            })
            .collect_view()
    };
    let page_link = {
        let (base, status, sector, search) = (
            base.clone(),
            q.status.clone(),
            q.sector.clone(),
            q.q.clone(),
        );
        move |page: u32| {
            let mut s = form_urlencoded::Serializer::new(String::new());
            for (k, v) in [("status", &status), ("sector", &sector), ("q", &search)] {
                if !v.is_empty() {
                    s.append_pair(k, v);
                }
            }
            s.append_pair("page", &page.to_string());
            link_to(i18n, format!("{base}?{}", s.finish()))
        }
    };
    let total = q.total;
    view! {
        <h1 id="queue-heading">{t!(i18n, queue_title)} " · " {in_lang(i18n, q.city.name.clone())}</h1>
        <PactNav slug=slug.clone() />
        <nav class="calendar-views" aria-label=move || t_string!(i18n, queue_filter_label)>
            <ul>{filters}</ul>
        </nav>
        <Form method="GET" action=link_to(i18n, base.clone()) attr:class="form filters-form" attr:role="search">
            <input type="hidden" name="status" value=q.status.clone() />
            <div class="field">
                <label for="queue-q">{t!(i18n, pact_search)}</label>
                <input id="queue-q" name="q" type="search" value=q.q.clone() />
            </div>
            <div class="field">
                <label for="queue-sector">{t!(i18n, field_sector)}</label>
                <select id="queue-sector" name="sector">
                    <option value="">{t!(i18n, calendar_any)}</option>
                    {sectors}
                </select>
            </div>
            <button type="submit" class="button button--secondary">{t!(i18n, pact_search_submit)}</button>
        </Form>
        <p class="muted">{t!(i18n, queue_count, count = move || total)}</p>
        {if q.items.is_empty() {
            view! { <p>{t!(i18n, queue_empty)}</p> }.into_any()
        } else {
            view! {
                <TableScroll labelledby="queue-heading">
                    <table>
                        <thead><tr>
                            <th scope="col">{t!(i18n, field_organisation_name)}</th>
                            <th scope="col">{t!(i18n, adhesion_status)}</th>
                            <th scope="col">{t!(i18n, field_sector)}</th>
                            <th scope="col">{t!(i18n, field_contact_name)}</th>
                            <th scope="col">{t!(i18n, adhesion_submitted)}</th>
                        </tr></thead>
                        <tbody>
                            {q.items.iter().map(|a| {
                                let status = a.status;
                                view! {
                                    <tr>
                                        <td><a href=link_to(i18n, format!("coordinate/adhesions/{}", a.id))>{a.organisation.clone()}</a></td>
                                        <td>{move || status_label(i18n, status)}</td>
                                        <td>{a.sector.clone().map(|s| in_lang(i18n, s)())}</td>
                                        <td>{a.contact_name.clone()} <br /> <span class="muted">{a.email.clone()}</span></td>
                                        <td>{a.submitted.clone()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableScroll>
            }.into_any()
        }}
        {(q.page > 1 || q.more).then(|| view! {
            <nav class="pager" aria-label=move || t_string!(i18n, pact_pages_label)>
                {(q.page > 1).then(|| view! { <a rel="prev" href=page_link(q.page - 1)>{t!(i18n, calendar_previous)}</a> })}
                {q.more.then(|| view! { <a rel="next" href=page_link(q.page + 1)>{t!(i18n, calendar_next)}</a> })}
            </nav>
        })}
    }
}

fn history_label(i18n: I18n, what: &str) -> String {
    let locale = i18n.get_locale();
    match what {
        "confirmed" => td_string!(locale, history_confirmed),
        "decided" => td_string!(locale, history_decided),
        "withdrawn" => td_string!(locale, history_withdrawn),
        "anonymised" => td_string!(locale, history_anonymised),
        _ => td_string!(locale, history_submitted),
    }
    .to_owned()
}

#[component]
pub fn AdhesionAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let decide = ServerAction::<DecideAdhesion>::new();
    let data = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                id(),
                decide.version().get(),
            )
        },
        |(lang, id, _)| get_adhesion_admin(lang, id),
    );
    view! {
        <AreaPage title=text!(i18n, adhesion_admin_title) resource=data body=move |a: AdhesionAdmin| view! { <AdhesionAdminView a decide /> } />
    }
}

#[component]
fn AdhesionAdminView(a: AdhesionAdmin, decide: ServerAction<DecideAdhesion>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let done = move || query.read().get("done");
    let decide_error = error_of(decide);
    let error = upload_error(EDIT_PATH);
    let status = a.status;
    let slug = a.city.slug.clone();
    let id = a.id;
    let can_approve = matches!(status, AdhesionStatus::Pending | AdhesionStatus::Rejected);
    let can_reject = matches!(status, AdhesionStatus::Pending | AdhesionStatus::Approved);
    let editable = !a.anonymised && status != AdhesionStatus::Withdrawn;
    let reason = a.reason.clone();
    view! {
        <h1>{a.draft.organisation.clone()}</h1>
        <PactNav slug=slug.clone() />
        <div role="status">
            {move || done().map(|_| view! { <p class="notice">{t!(i18n, notice_saved)}</p> })}
        </div>
        <dl class="facts">
            <div><dt>{t!(i18n, adhesion_status)}</dt><dd><strong>{move || status_label(i18n, status)}</strong></dd></div>
            <div><dt>{t!(i18n, adhesion_version)}</dt><dd>{a.version}</dd></div>
            <div><dt>{t!(i18n, field_listed_short)}</dt><dd>{if a.listed { t!(i18n, yes).into_any() } else { t!(i18n, no).into_any() }}</dd></div>
            {a.history.iter().cloned().map(|(what, date)| view! {
                <div><dt>{move || history_label(i18n, &what)}</dt><dd>{date}</dd></div>
            }).collect_view()}
        </dl>
        {(!reason.is_empty()).then(|| view! { <p><strong>{t!(i18n, adhesion_reason)}</strong> ": " {reason.clone()}</p> })}
        {(can_approve || can_reject).then(|| view! {
            <section aria-labelledby="decide-heading">
                <h2 id="decide-heading">{t!(i18n, decide_title)}</h2>
                <FormAlert error=decide_error />
                {can_approve.then(|| view! {
                    <ActionForm action=decide attr:class="form">
                        <LangInput />
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="decision" value="approve" />
                        <button type="submit" class="button">{t!(i18n, decide_approve)}</button>
                    </ActionForm>
                })}
                {can_reject.then(|| view! {
                    <ActionForm action=decide attr:class="form">
                        <LangInput />
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="decision" value="reject" />
                        <Field name="reason" label=text!(i18n, decide_reason) hint=text!(i18n, decide_reason_hint) kind=Kind::TextArea error=decide_error />
                        <button type="submit" class="button button--danger">{t!(i18n, decide_reject)}</button>
                    </ActionForm>
                })}
            </section>
        })}
        {(!a.invitations.is_empty()).then(|| view! {
            <section aria-labelledby="invited-heading">
                <h2 id="invited-heading">{t!(i18n, table_invitations)}</h2>
                <ul>
                    {a.invitations.iter().cloned().map(|(title, date, accepted)| view! {
                        <li>{title} " · " {date} " · " {if accepted { t!(i18n, table_accepted).into_any() } else { t!(i18n, table_not_yet).into_any() }}</li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        {editable.then(|| view! {
            <section aria-labelledby="edit-heading">
                <h2 id="edit-heading">{t!(i18n, adhesion_details)}</h2>
                <UploadForm action=EDIT_PATH>
                    <LangInput />
                    <input type="hidden" name="id" value=id.to_string() />
                    <FormAlert error />
                    <DetailsFields form=a.form.clone() draft=a.draft.clone() error newcomer=false has_logo=a.has_logo />
                    <button type="submit" class="button">{t!(i18n, save)}</button>
                </UploadForm>
            </section>
        })}
    }
}

#[component]
pub fn PactSettingsPage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let save = ServerAction::<SavePact>::new();
    let partner = ServerAction::<SavePartner>::new();
    let commitment = ServerAction::<SaveCommitment>::new();
    let sector = ServerAction::<SaveSector>::new();
    let data = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                slug(),
                save.version().get()
                    + partner.version().get()
                    + commitment.version().get()
                    + sector.version().get(),
            )
        },
        |(lang, slug, _)| get_pact_admin(lang, slug),
    );
    view! {
        <AreaPage
            title=text!(i18n, pact_settings_title)
            resource=data
            body=move |p: PactAdmin| view! { <SettingsView p save partner commitment sector /> }
        />
    }
}

#[component]
fn SettingsView(
    p: PactAdmin,
    save: ServerAction<SavePact>,
    partner: ServerAction<SavePartner>,
    commitment: ServerAction<SaveCommitment>,
    sector: ServerAction<SaveSector>,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let done = move || query.read().get("done");
    let slug = StoredValue::new(p.city.slug.clone());
    let save_error = error_of(save);
    let partner_error = error_of(partner);
    let commitment_error = error_of(commitment);
    let sector_error = error_of(sector);
    let exists = !p.versions.is_empty();
    view! {
        <h1>{t!(i18n, pact_settings_title)} " · " {in_lang(i18n, p.city.name.clone())}</h1>
        <PactNav slug=slug.get_value() />
        <div role="status">{move || done().map(|_| view! { <p class="notice">{t!(i18n, notice_saved)}</p> })}</div>
        <section aria-labelledby="text-heading">
            <h2 id="text-heading">{t!(i18n, pact_settings_text)}</h2>
            <p>{t!(i18n, pact_settings_text_intro)}</p>
            <ActionForm action=save attr:class="form" attr:novalidate=true>
                <LangInput />
                <input type="hidden" name="slug" value=slug.get_value() />
                <FormAlert error=save_error />
                <Field name="title_it" label=text!(i18n, field_title_it) kind=Kind::Text required=true value=p.title_it.clone() error=save_error />
                <Field name="title_en" label=text!(i18n, field_title_en) kind=Kind::Text required=true value=p.title_en.clone() error=save_error />
                <Field name="signed_on" label=text!(i18n, field_signed_on) kind=Kind::Date value=p.signed_on.clone() error=save_error />
                <Field name="text_it" label=text!(i18n, field_text_it) hint=text!(i18n, field_markdown_hint) kind=Kind::TextArea value=p.text_it.clone() error=save_error />
                <Field name="text_en" label=text!(i18n, field_text_en) hint=text!(i18n, field_markdown_hint) kind=Kind::TextArea value=p.text_en.clone() error=save_error />
                <button type="submit" class="button">{t!(i18n, save)}</button>
            </ActionForm>
            {exists.then(|| view! {
                <h3>{t!(i18n, pact_versions)}</h3>
                <ul>
                    {p.versions.iter().map(|v| {
                        let (n, date) = (v.number, v.published.clone());
                        view! { <li><a href=link_to(i18n, format!("cities/{}/pact?version={n}", p.city.slug))>{t!(i18n, pact_version_of, number = move || n, date = move || date.clone())}</a></li> }
                    }).collect_view()}
                </ul>
            })}
        </section>
        {exists.then(|| view! {
            <section aria-labelledby="partners-heading">
                <h2 id="partners-heading">{t!(i18n, city_partners)}</h2>
                <FormAlert error=partner_error />
                {p.partners.iter().cloned().map(|x| view! {
                    <details class="row-edit">
                        <summary>{x.name.clone()}</summary>
                        <ActionForm action=partner attr:class="form">
                            <LangInput />
                            <input type="hidden" name="slug" value=slug.get_value() />
                            <input type="hidden" name="id" value=x.id.to_string() />
                            <PartnerFields name=x.name.clone() role_en=x.role_en.clone() role_it=x.role_it.clone() website=x.website.clone() error=partner_error row=x.id.to_string() />
                            <button type="submit" class="button">{t!(i18n, save)}</button>
                        </ActionForm>
                        <ActionForm action=partner attr:class="form">
                            <LangInput />
                            <input type="hidden" name="slug" value=slug.get_value() />
                            <input type="hidden" name="id" value=x.id.to_string() />
                            <input type="hidden" name="remove" value="yes" />
                            <button type="submit" class="button button--danger">{t!(i18n, remove)}</button>
                        </ActionForm>
                    </details>
                }).collect_view()}
                <h3>{t!(i18n, partner_add)}</h3>
                <ActionForm action=partner attr:class="form">
                    <LangInput />
                    <input type="hidden" name="slug" value=slug.get_value() />
                    <PartnerFields name=String::new() role_en=String::new() role_it=String::new() website=String::new() error=partner_error row=String::new() />
                    <button type="submit" class="button">{t!(i18n, add)}</button>
                </ActionForm>
            </section>
            <section aria-labelledby="commitments-heading">
                <h2 id="commitments-heading">{t!(i18n, pact_commitments)}</h2>
                <FormAlert error=commitment_error />
                {p.commitments.iter().cloned().map(|c| view! {
                    <details class="row-edit">
                        <summary>{c.label_it.clone()} {c.retired.then(|| view! { " " <span class="badge">{t!(i18n, commitment_retired)}</span> })}</summary>
                        <ActionForm action=commitment attr:class="form">
                            <LangInput />
                            <input type="hidden" name="slug" value=slug.get_value() />
                            <input type="hidden" name="id" value=c.id.to_string() />
                            <KeyedFields key=c.slug.clone() en=c.label_en.clone() it=c.label_it.clone() en_name="label_en" it_name="label_it" error=commitment_error kind="c" row=c.id.to_string() />
                            <div class="field field--check">
                                <input id=format!("retired-{}", c.id) type="checkbox" name="retired" value="yes" checked=c.retired />
                                <label for=format!("retired-{}", c.id)>{t!(i18n, commitment_retire)}</label>
                            </div>
                            <button type="submit" class="button">{t!(i18n, save)}</button>
                        </ActionForm>
                    </details>
                }).collect_view()}
                <h3>{t!(i18n, commitment_add)}</h3>
                <ActionForm action=commitment attr:class="form">
                    <LangInput />
                    <input type="hidden" name="slug" value=slug.get_value() />
                    <KeyedFields key=String::new() en=String::new() it=String::new() en_name="label_en" it_name="label_it" error=commitment_error kind="c" row=String::new() />
                    <button type="submit" class="button">{t!(i18n, add)}</button>
                </ActionForm>
            </section>
        })}
        <section aria-labelledby="sectors-heading">
            <h2 id="sectors-heading">{t!(i18n, city_sectors)}</h2>
            <p>{t!(i18n, sectors_intro)}</p>
            <FormAlert error=sector_error />
            {p.sectors.iter().cloned().map(|s| view! {
                <details class="row-edit">
                    <summary>{s.name_it.clone()} " / " {s.name_en.clone()}</summary>
                    <ActionForm action=sector attr:class="form">
                        <LangInput />
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="id" value=s.id.to_string() />
                        <KeyedFields key=s.slug.clone() en=s.name_en.clone() it=s.name_it.clone() en_name="name_en" it_name="name_it" error=sector_error kind="s" row=s.id.to_string() />
                        <button type="submit" class="button">{t!(i18n, save)}</button>
                    </ActionForm>
                    <ActionForm action=sector attr:class="form">
                        <LangInput />
                        <input type="hidden" name="slug" value=slug.get_value() />
                        <input type="hidden" name="id" value=s.id.to_string() />
                        <input type="hidden" name="remove" value="yes" />
                        <button type="submit" class="button button--danger">{t!(i18n, remove)}</button>
                    </ActionForm>
                </details>
            }).collect_view()}
            <h3>{t!(i18n, sector_add)}</h3>
            <ActionForm action=sector attr:class="form">
                <LangInput />
                <input type="hidden" name="slug" value=slug.get_value() />
                <KeyedFields key=String::new() en=String::new() it=String::new() en_name="name_en" it_name="name_it" error=sector_error kind="s" row=String::new() />
                <button type="submit" class="button">{t!(i18n, add)}</button>
            </ActionForm>
        </section>
    }
}

/// A labelled input of one row's form on a page with many forms of the same kind: its id is
/// unique, and a refusal shows on the row it came from (the form's `id`, kept by the server).
#[component]
fn RowInput(
    id: String,
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    value: String,
    error: Signal<Option<AppError>>,
    row: String,
    #[prop(optional)] kind: &'static str,
) -> impl IntoView {
    let i18n = use_i18n();
    let ours = move || {
        error.get().and_then(|e| {
            e.invalid()
                .filter(|i| i.value("id").unwrap_or_default() == row)
                .cloned()
        })
    };
    let value = ours()
        .and_then(|i| i.value(name).map(str::to_owned))
        .unwrap_or(value);
    let problem = Memo::new(move |_| ours().and_then(|i| i.problem(name)));
    let error_id = format!("{id}-error");
    view! {
        <div class="field" class:field--invalid=move || problem.get().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            <input
                id=id.clone()
                name=name
                type=if kind.is_empty() { "text" } else { kind }
                value=value
                aria-invalid=move || problem.get().is_some().then_some("true")
                aria-describedby=error_id.clone()
            />
            <p class="field-error" id=error_id>{move || problem.get().map(|p| problem_text(i18n, p))}</p>
        </div>
    }
}

#[component]
fn PartnerFields(
    name: String,
    role_en: String,
    role_it: String,
    website: String,
    error: Signal<Option<AppError>>,
    row: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let prefix = if row.is_empty() {
        "new".to_owned()
    } else {
        row.clone()
    };
    view! {
        <RowInput id=format!("partner-{prefix}-name") name="name" label=text!(i18n, field_partner_name) value=name error row=row.clone() />
        <RowInput id=format!("partner-{prefix}-role-it") name="role_it" label=text!(i18n, field_role_it) value=role_it error row=row.clone() />
        <RowInput id=format!("partner-{prefix}-role-en") name="role_en" label=text!(i18n, field_role_en) value=role_en error row=row.clone() />
        <RowInput id=format!("partner-{prefix}-website") name="website" label=text!(i18n, field_website) value=website error row=row kind="url" />
    }
}

#[component]
fn KeyedFields(
    key: String,
    en: String,
    it: String,
    en_name: &'static str,
    it_name: &'static str,
    error: Signal<Option<AppError>>,
    /// `c` for commitments, `s` for sectors: keeps ids apart.
    kind: &'static str,
    row: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let prefix = format!(
        "{kind}{}",
        if row.is_empty() { "new" } else { row.as_str() }
    );
    view! {
        <RowInput id=format!("{prefix}-key") name="key" label=text!(i18n, field_key) value=key error row=row.clone() />
        <RowInput id=format!("{prefix}-it") name=it_name label=text!(i18n, field_name_it) value=it error row=row.clone() />
        <RowInput id=format!("{prefix}-en") name=en_name label=text!(i18n, field_name_en) value=en error row=row />
    }
}

#[component]
pub fn TablePage() -> impl IntoView {
    let i18n = use_i18n();
    let slug = slug_param();
    let invite = ServerAction::<InviteTable>::new();
    let data = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                slug(),
                invite.version().get(),
            )
        },
        |(lang, slug, _)| get_table(lang, slug),
    );
    view! {
        <AreaPage title=text!(i18n, table_title) resource=data body=move |t: Table| view! { <TableView t invite /> } />
    }
}

#[component]
fn TableView(t: Table, invite: ServerAction<InviteTable>) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let done = move || query.read().get("count");
    let error = error_of(invite);
    let slug = t.city.slug.clone();
    let approved = t.approved;
    let meeting_problem = move || {
        error
            .get()
            .and_then(|e| e.invalid().and_then(|i| i.problem("meeting")))
    };
    view! {
        <h1>{t!(i18n, table_title)} " · " {in_lang(i18n, t.city.name.clone())}</h1>
        <PactNav slug=slug.clone() />
        <div role="status">
            {move || done().map(|n| view! { <p class="notice">{td_string!(i18n.get_locale(), table_done, count = n)}</p> })}
        </div>
        <p>{t!(i18n, table_intro, count = move || approved)}</p>
        {if t.meetings.is_empty() {
            view! { <p>{t!(i18n, table_no_meetings)} " " <a href=link_to(i18n, "coordinate/meetings")>{t!(i18n, manage_title)}</a></p> }.into_any()
        } else {
            view! {
                <ActionForm action=invite attr:class="form">
                    <LangInput />
                    <input type="hidden" name="slug" value=slug.clone() />
                    <FormAlert error />
                    <div class="field" class:field--invalid=move || meeting_problem().is_some()>
                        <label for="field-meeting">{t!(i18n, table_meeting)}</label>
                        <select id="field-meeting" name="meeting" aria-describedby="field-meeting-error">
                            {t.meetings.iter().cloned().map(|(id, title, next)| view! { <option value=id.to_string()>{title} " · " {next}</option> }).collect_view()}
                        </select>
                        <p class="field-error" id="field-meeting-error">{move || meeting_problem().map(|p| crate::forms::problem_text(i18n, p))}</p>
                    </div>
                    <fieldset class="choices">
                        <legend>{t!(i18n, table_sectors)}</legend>
                        <p class="field-hint">{t!(i18n, table_sectors_hint)}</p>
                        {t.sectors.iter().cloned().map(|(s, name)| {
                            let id = format!("table-sector-{s}");
                            view! {
                                <div class="field field--check">
                                    <input id=id.clone() type="checkbox" name="sectors[]" value=s />
                                    <label for=id>{in_lang(i18n, name)}</label>
                                </div>
                            }
                        }).collect_view()}
                    </fieldset>
                    <button type="submit" class="button">{t!(i18n, table_invite)}</button>
                </ActionForm>
            }.into_any()
        }}
        <section aria-labelledby="invitations-heading">
            <h2 id="invitations-heading">{t!(i18n, table_invitations)}</h2>
            {if t.invitations.is_empty() {
                view! { <p>{t!(i18n, table_none)}</p> }.into_any()
            } else {
                view! {
                    <TableScroll labelledby="invitations-heading">
                        <table>
                            <thead><tr>
                                <th scope="col">{t!(i18n, field_organisation_name)}</th>
                                <th scope="col">{t!(i18n, table_meeting)}</th>
                                <th scope="col">{t!(i18n, table_sent)}</th>
                                <th scope="col">{t!(i18n, table_accepted)}</th>
                            </tr></thead>
                            <tbody>
                                {t.invitations.iter().cloned().map(|i| view! {
                                    <tr>
                                        <td>{i.organisation}</td>
                                        <td>{i.meeting}</td>
                                        <td>{i.sent}</td>
                                        <td>{match i.accepted { Some(d) => d.into_any(), None => t!(i18n, table_not_yet).into_any() }}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableScroll>
                }.into_any()
            }}
        </section>
    }
}

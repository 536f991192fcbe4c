//! The queue of adhesions and one adhesion as its coordinators see it.

use super::*;

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
pub(super) fn QueueView(q: Queue) -> impl IntoView {
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

pub(super) fn history_label(i18n: I18n, what: &str) -> String {
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
pub(super) fn AdhesionAdminView(
    a: AdhesionAdmin,
    decide: ServerAction<DecideAdhesion>,
) -> impl IntoView {
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

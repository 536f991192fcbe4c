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
    let total = q.total;
    view! {
        <h1 id="queue-heading">{t!(i18n, queue_title)} " · " {in_lang(i18n, q.city.name.clone())}</h1>
        <PactNav slug=slug.clone() />
        <nav class="calendar-views" aria-label=move || t_string!(i18n, queue_filter_label)>
            <ul>{status_tabs(i18n, &q, &base)}</ul>
        </nav>
        {queue_search(i18n, &q, &base)}
        <p class="muted">{t!(i18n, queue_count, count = move || total)}</p>
        {queue_table(i18n, q.items.clone())}
        {queue_pager(i18n, &q, base)}
    }
}

/// A tab for each state the queue can show, with its count: those waiting first, all last.
fn status_tabs(i18n: I18n, q: &Queue, base: &str) -> impl IntoView {
    let pending = q
        .counts
        .iter()
        .find(|c| c.status == AdhesionStatus::Pending)
        .map(|c| c.count)
        .unwrap_or(0);
    let mut tabs = vec![(
        String::new(),
        t_string!(i18n, queue_waiting).to_owned(),
        Some(pending),
    )];
    tabs.extend(
        q.counts
            .iter()
            .filter(|c| c.status != AdhesionStatus::Pending)
            .map(|c| {
                (
                    c.status.as_str().to_owned(),
                    status_label(i18n, c.status),
                    Some(c.count),
                )
            }),
    );
    tabs.push((
        "all".to_owned(),
        t_string!(i18n, queue_all).to_owned(),
        None,
    ));
    tabs.into_iter()
        .map(|(value, label, n)| {
            let href = if value.is_empty() { base.to_owned() } else { format!("{base}?status={value}") };
            let here = value == q.status;
            view! {
                <li><a href=link_to(i18n, href) aria-current=here.then_some("page")>{label} {n.map(|n| format!(" ({n})"))}</a></li>
            }
        })
        .collect_view()
}

/// Search by name and sector within the chosen state.
fn queue_search(i18n: I18n, q: &Queue, base: &str) -> impl IntoView {
    let sectors = q
        .sectors
        .iter()
        .map(|s| {
            let selected = s.slug == q.sector;
            view! { <option value=s.slug.clone() selected=selected>{in_lang(i18n, s.name.clone())}</option> }
        })
        .collect_view();
    let (status, search) = (q.status.clone(), q.q.clone());
    view! {
        <Form method="GET" action=link_to(i18n, base.to_owned()) attr:class="form filters-form" attr:role="search">
            <input type="hidden" name="status" value=status />
            <div class="field">
                <label for="queue-q">{t!(i18n, pact_search)}</label>
                <input id="queue-q" name="q" type="search" value=search />
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
    }
}

fn queue_table(i18n: I18n, items: Vec<QueueItem>) -> impl IntoView {
    if items.is_empty() {
        return view! { <p>{t!(i18n, queue_empty)}</p> }.into_any();
    }
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
                    {items.iter().map(|a| {
                        let status = a.status;
                        view! {
                            <tr>
                                <td><a href=link_to(i18n, format!("coordinate/adhesions/{}", a.id))>{a.organisation.clone()}</a></td>
                                <td>{move || status_label(i18n, status)}</td>
                                <td>{a.sector.clone().map(|s| in_lang(i18n, s)())}</td>
                                <td>{a.contact_name.clone()} <br /> <span class="muted">{a.email.clone()}</span></td>
                                <td>{a.submitted.to_string()}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableScroll>
    }
    .into_any()
}

/// Links to the previous and next pages of the same filter, if there are any.
fn queue_pager(i18n: I18n, q: &Queue, base: String) -> impl IntoView {
    let (status, sector, search) = (q.status.clone(), q.sector.clone(), q.q.clone());
    let page_link = move |page: u32| {
        let mut s = form_urlencoded::Serializer::new(String::new());
        for (k, v) in [("status", &status), ("sector", &sector), ("q", &search)] {
            if !v.is_empty() {
                s.append_pair(k, v);
            }
        }
        s.append_pair("page", &page.to_string());
        link_to(i18n, format!("{base}?{}", s.finish()))
    };
    let (page, more) = (q.page, q.more);
    (page > 1 || more).then(|| view! {
        <nav class="pager" aria-label=move || t_string!(i18n, pact_pages_label)>
            {(page > 1).then(|| view! { <a rel="prev" href=page_link(page - 1)>{t!(i18n, calendar_previous)}</a> })}
            {more.then(|| view! { <a rel="next" href=page_link(page + 1)>{t!(i18n, calendar_next)}</a> })}
        </nav>
    })
}

pub(super) fn history_label(i18n: I18n, event: AdhesionEvent) -> String {
    let locale = i18n.get_locale();
    match event {
        AdhesionEvent::Submitted => td_string!(locale, history_submitted),
        AdhesionEvent::Confirmed => td_string!(locale, history_confirmed),
        AdhesionEvent::Decided => td_string!(locale, history_decided),
        AdhesionEvent::Withdrawn => td_string!(locale, history_withdrawn),
        AdhesionEvent::Anonymised => td_string!(locale, history_anonymised),
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
            {a.history.iter().map(|m| {
                let event = m.event;
                view! { <div><dt>{move || history_label(i18n, event)}</dt><dd>{m.on.to_string()}</dd></div> }
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
                        <input type="hidden" name="decision" value=Decision::Approve.as_str() />
                        <button type="submit" class="button">{t!(i18n, decide_approve)}</button>
                    </ActionForm>
                })}
                {can_reject.then(|| view! {
                    <ActionForm action=decide attr:class="form">
                        <LangInput />
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="decision" value=Decision::Reject.as_str() />
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
                    {a.invitations.iter().cloned().map(|i| view! {
                        <li>{i.meeting} " · " {i.sent.to_string()} " · " {if i.accepted { t!(i18n, table_accepted).into_any() } else { t!(i18n, table_not_yet).into_any() }}</li>
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

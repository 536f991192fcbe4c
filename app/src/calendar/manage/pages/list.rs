//! The list of meetings a coordinator manages.

use super::*;

#[component]
pub fn MeetingsAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let request = move || {
        let q = query.read();
        (
            lang_of(i18n),
            q.get("past").is_some_and(|p| p == "1"),
            q.get("page")
                .and_then(|p| p.parse::<u32>().ok())
                .unwrap_or(1),
        )
    };
    let data = Resource::new(request, |(lang, past, page)| {
        get_managed_meetings(lang, past, page)
    });
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, manage_title).to_owned())
            resource=data
            body={move |list: ManagedList| view! { <MeetingsList list /> }}
        />
    }
}

#[component]
pub(super) fn MeetingsList(list: ManagedList) -> impl IntoView {
    let i18n = use_i18n();
    let empty = list.items.is_empty();
    let page_link = move |past: bool, page: u32| {
        let mut q = Vec::new();
        if past {
            q.push("past=1".to_owned());
        }
        if page > 1 {
            q.push(format!("page={page}"));
        }
        let path = if q.is_empty() {
            "coordinate/meetings".to_owned()
        } else {
            format!("coordinate/meetings?{}", q.join("&"))
        };
        link_to(i18n, path)
    };
    let items = list
        .items
        .into_iter()
        .map(|item| view! { <ManagedRow item /> })
        .collect_view();
    let (past, page, more) = (list.past, list.page, list.more);
    view! {
        <h1>{t!(i18n, manage_title)}</h1>
        <Notice />
        <NewMeetingLink owners=list.owners />
        <nav class="tabs" aria-label=move || t_string!(i18n, manage_tabs_label)>
            <ul>
                <li><a href=page_link(false, 1) aria-current=(!past).then_some("page")>{t!(i18n, manage_upcoming)}</a></li>
                <li><a href=page_link(true, 1) aria-current=past.then_some("page")>{t!(i18n, manage_past)}</a></li>
            </ul>
        </nav>
        {empty.then(|| view! { <p class="empty-state">{t!(i18n, manage_none)}</p> })}
        <ul class="meetings">{items}</ul>
        <nav class="pager" aria-label=move || t_string!(i18n, calendar_pages_label)>
            {(page > 1).then(|| view! { <a rel="prev" href=page_link(past, page - 1)>{t!(i18n, calendar_previous)}</a> })}
            {more.then(|| view! { <a rel="next" href=page_link(past, page + 1)>{t!(i18n, calendar_next)}</a> })}
        </nav>
        <p><a href=link_to(i18n, "coordinate")>{t!(i18n, back_to_dashboard)}</a></p>
    }
}

#[component]
fn ManagedRow(item: ManagedItem) -> impl IntoView {
    let i18n = use_i18n();
    let organiser = {
        let o = item.organiser.clone();
        move || o.name(i18n.get_locale().as_str())
    };
    let date = item.date.as_ref().map(|d| date_label(&d.starts));
    view! {
        <li class="managed">
            <p class="meeting-title">
                <a href=link_to(i18n, format!("coordinate/meetings/{}", item.id))>{item.title.clone()}</a>
                {item.cancelled.then(|| view! { " " <span class="badge badge--alert">{t!(i18n, meeting_cancelled)}</span> })}
                {item.recurring.then(|| view! { " " <span class="badge">{t!(i18n, meeting_recurring)}</span> })}
            </p>
            <p class="meeting-facts">
                <span>{organiser}</span>
                {date.map(|d| view! { " · " <span>{d}</span> })}
                " · " <span>{td_string!(i18n.get_locale(), manage_dates_count, count = item.dates)}</span>
                " · " <span>{td_string!(i18n.get_locale(), manage_seats_count, confirmed = item.confirmed, waiting = item.waiting)}</span>
            </p>
        </li>
    }
}

/// A new meeting: for the one city or cluster this person manages, or for one they choose.
#[component]
fn NewMeetingLink(owners: Vec<OwnerOption>) -> impl IntoView {
    let i18n = use_i18n();
    let single_owner = (owners.len() == 1).then(|| owners[0].clone());
    match single_owner {
        Some(o) => {
            let href = link_to(i18n, format!("coordinate/meetings/new?owner={}", o.value));
            let name = in_lang(i18n, o.name);
            view! {
                <p><a class="button" href=href>{t!(i18n, manage_new)} " (" {name} ")"</a></p>
            }
            .into_any()
        }
        None if owners.is_empty() => view! { <p>{t!(i18n, dashboard_nothing)}</p> }.into_any(),
        None => {
            let options = move || {
                let lang = i18n.get_locale().as_str();
                owners
                    .iter()
                    .map(|o| view! { <option value=o.value.clone()>{o.name.get(lang).to_owned()}</option> })
                    .collect_view()
            };
            view! {
                <Form method="GET" action=link_to(i18n, "coordinate/meetings/new") attr:class="form">
                    <div class="field">
                        <label for="new-owner">{t!(i18n, manage_new_for)}</label>
                        <select id="new-owner" name="owner">{options}</select>
                    </div>
                    <button type="submit" class="button">{t!(i18n, manage_new)}</button>
                </Form>
            }
            .into_any()
        }
    }
}

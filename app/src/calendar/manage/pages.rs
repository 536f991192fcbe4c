//! Pages of meeting management, under `/{lang}/coordinate/meetings` and
//! `/{lang}/coordinate/occurrences/{id}`. Every form is a plain post that works without
//! JavaScript; with it, the same forms post in place and the lists reload.

use super::*;
use crate::accounts::Notice;
use crate::calendar::{audience_label, language_label, mode_label};
use crate::coordinate::AreaPage;
use crate::forms::{error_of, Check, Field, FormAlert, Kind, LangInput, Select};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, I18n};
use domain::{Audience, Mode, MEETING_LANGUAGES};
use leptos::form::ActionForm;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

fn lang_of(i18n: I18n) -> String {
    i18n.get_locale().as_str().to_owned()
}

fn date_label(m: &Moment) -> String {
    format!("{}, {}", m.date, m.time)
}

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
fn MeetingsList(list: ManagedList) -> impl IntoView {
    let i18n = use_i18n();
    let empty = list.items.is_empty();
    let owners = list.owners.clone();
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
        .map(|item| {
            let organiser = {
                let o = item.organiser.clone();
                move || o.name(i18n.get_locale().as_str())
            };
            let date = item.date.clone().map(|(_, m)| date_label(&m));
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
        })
        .collect_view();
    let single_owner = (owners.len() == 1).then(|| owners[0].clone());
    let new_form = match single_owner {
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
    };
    let (past, page, more) = (list.past, list.page, list.more);
    view! {
        <h1>{t!(i18n, manage_title)}</h1>
        <Notice />
        {new_form}
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

/// The form for a new meeting: `?owner=city:lucca`, or `?copy={id}` to start from a copy.
#[component]
pub fn MeetingNewPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let request = move || {
        let q = query.read();
        (
            lang_of(i18n),
            q.get("owner"),
            q.get("copy").and_then(|c| c.parse::<i64>().ok()),
        )
    };
    let data = Resource::new(request, |(lang, owner, copy)| {
        get_meeting_draft(lang, None, owner, copy)
    });
    let save = ServerAction::<SaveMeeting>::new();
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, manage_new_title).to_owned())
            resource=data
            body={move |page: DraftPage| view! {
                <h1>{t!(i18n, manage_new_title)}</h1>
                <p>{t!(i18n, manage_for)} " " {in_lang(i18n, page.owner.name.clone())}</p>
                <MeetingForm page save />
                <p><a href=link_to(i18n, "coordinate/meetings")>{t!(i18n, manage_back)}</a></p>
            }}
        />
    }
}

#[component]
pub fn MeetingEditPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let save = ServerAction::<SaveMeeting>::new();
    let cancel = ServerAction::<CancelMeeting>::new();
    let delete = ServerAction::<DeleteMeeting>::new();
    let data = Resource::new(
        move || {
            (
                lang_of(i18n),
                id(),
                save.version().get(),
                cancel.version().get(),
            )
        },
        |(lang, id, _, _)| get_meeting_draft(lang, Some(id), None, None),
    );
    let query = use_query_map();
    // The first step of cancelling the meeting: the page asks before anyone is written to.
    let asking = move || query.read().get("confirm").as_deref() == Some("cancel");
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, manage_edit_title).to_owned())
            resource=data
            body={move |page: DraftPage| {
                if asking() && !page.cancelled {
                    view! { <MeetingCancelQuestion page action=cancel /> }.into_any()
                } else {
                    view! { <MeetingEditView page save cancel delete /> }.into_any()
                }
            }}
        />
    }
}

/// The second step of cancelling a whole meeting, as its own page: what it does, the button
/// that does it, and the way back.
#[component]
fn MeetingCancelQuestion(page: DraftPage, action: ServerAction<CancelMeeting>) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(action);
    let id = page.meeting_id.unwrap_or_default();
    let ahead = page.dates.iter().filter(|d| !d.past).count();
    view! {
        <h1>{page.draft.title.clone()}</h1>
        <section class="confirm-step" aria-labelledby="meeting-cancel-question">
            <h2 id="meeting-cancel-question">{t!(i18n, manage_cancel_question)}</h2>
            <p>{move || td_string!(i18n.get_locale(), manage_cancel_consequence, count = ahead).to_string()}</p>
            <ActionForm action attr:class="form">
                <LangInput />
                <input type="hidden" name="id" value=id.to_string() />
                <FormAlert error />
                <button type="submit" class="button">{t!(i18n, manage_cancel_yes)}</button>
            </ActionForm>
            <p><a href=link_to(i18n, format!("coordinate/meetings/{id}"))>{t!(i18n, manage_cancel_keep)}</a></p>
        </section>
    }
}

#[component]
fn MeetingEditView(
    page: DraftPage,
    save: ServerAction<SaveMeeting>,
    cancel: ServerAction<CancelMeeting>,
    delete: ServerAction<DeleteMeeting>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = page.meeting_id.unwrap_or_default();
    let title = page.draft.title.clone();
    let cancelled = page.cancelled;
    let public = page
        .dates
        .iter()
        .find(|d| !d.past)
        .or(page.dates.last())
        .map(|d| d.id);
    let cancel_error = error_of(cancel);
    let delete_error = error_of(delete);
    let dates = page.dates.clone();
    view! {
        <h1>{t!(i18n, manage_edit_title)} ": " {title}</h1>
        <Notice />
        {cancelled.then(|| view! { <p class="notice notice--alert">{t!(i18n, manage_is_cancelled)}</p> })}
        <ul class="link-list">
            {public.map(|o| view! { <li><a href=link_to(i18n, format!("meetings/{o}"))>{t!(i18n, edit_view_public)}</a></li> })}
            <li><a href=link_to(i18n, format!("coordinate/meetings/new?copy={id}"))>{t!(i18n, manage_duplicate)}</a></li>
        </ul>
        <section aria-labelledby="dates-heading">
            <h2 id="dates-heading">{t!(i18n, manage_dates)}</h2>
            <DatesList dates />
        </section>
        <section aria-labelledby="details-heading">
            <h2 id="details-heading">{t!(i18n, manage_details)}</h2>
            <MeetingForm page save />
        </section>
        <section aria-labelledby="cancel-heading">
            <h2 id="cancel-heading">{t!(i18n, manage_cancel_heading)}</h2>
            {if cancelled {
                view! { <p>{t!(i18n, manage_is_cancelled)}</p> }.into_any()
            } else {
                view! {
                    <p>{t!(i18n, manage_cancel_intro)}</p>
                    // Only asks: the page that answers holds the real button.
                    <form method="get" action=link_to(i18n, format!("coordinate/meetings/{id}")) class="form">
                        <input type="hidden" name="confirm" value="cancel" />
                        <FormAlert error=cancel_error />
                        <button type="submit" class="button button--secondary">{t!(i18n, manage_cancel_submit)}</button>
                    </form>
                }.into_any()
            }}
        </section>
        <section aria-labelledby="delete-heading">
            <h2 id="delete-heading">{t!(i18n, manage_delete_heading)}</h2>
            <p>{t!(i18n, manage_delete_intro)}</p>
            <ActionForm action=delete attr:class="form" attr:novalidate=true>
                <LangInput />
                <input type="hidden" name="id" value=id.to_string() />
                <FormAlert error=delete_error />
                <Check
                    name="confirm"
                    label=Signal::derive(move || t_string!(i18n, manage_delete_confirm).to_owned())
                    checked=false
                    error=delete_error
                />
                <button type="submit" class="button button--secondary">{t!(i18n, manage_delete_submit)}</button>
            </ActionForm>
        </section>
        <p><a href=link_to(i18n, "coordinate/meetings")>{t!(i18n, manage_back)}</a></p>
    }
}

#[component]
fn DatesList(dates: Vec<DateAdmin>) -> impl IntoView {
    let i18n = use_i18n();
    let items = dates
        .into_iter()
        .map(|d| {
            let state = move || {
                let locale = i18n.get_locale();
                let mut parts = Vec::new();
                if d.cancelled {
                    parts.push(td_string!(locale, meeting_cancelled).to_string());
                }
                if d.moved {
                    parts.push(td_string!(locale, manage_moved).to_string());
                }
                if !d.in_rule {
                    parts.push(td_string!(locale, manage_not_in_rule).to_string());
                }
                if d.past {
                    parts.push(td_string!(locale, manage_past_date).to_string());
                }
                parts.join(" · ")
            };
            let seats = td_string!(
                i18n.get_locale(),
                manage_date_people,
                taken = d.taken,
                waiting = d.waiting,
                pending = d.pending
            )
            .to_string();
            view! {
                <li class="meeting" class:meeting--cancelled=d.cancelled>
                    <p class="meeting-title">
                        <a href=link_to(i18n, format!("coordinate/occurrences/{}", d.id))>
                            {date_label(&d.starts)} "–" {d.ends.time.clone()}
                        </a>
                    </p>
                    <p class="meeting-facts"><span>{seats}</span> " " <span class="muted">{state}</span></p>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="meetings">{items}</ul> }
}

/// Labels of a select's options, translated.
fn choices(
    i18n: I18n,
    values: Vec<String>,
    label: fn(I18n, &str) -> String,
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || values.iter().map(|v| (v.clone(), label(i18n, v))).collect())
}

fn repeat_label(i18n: I18n, value: &str) -> String {
    let locale = i18n.get_locale();
    match value {
        "weekly" => td_string!(locale, repeat_weekly),
        "fortnightly" => td_string!(locale, repeat_fortnightly),
        "monthly-weekday" => td_string!(locale, repeat_monthly_weekday),
        "monthly-date" => td_string!(locale, repeat_monthly_date),
        "custom" => td_string!(locale, repeat_custom),
        _ => td_string!(locale, repeat_never),
    }
    .to_string()
}

/// The meeting form, for a new meeting (possibly a copy) or an existing one.
#[component]
fn MeetingForm(page: DraftPage, save: ServerAction<SaveMeeting>) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(save);
    let d = page.draft.clone();
    let label = move |key: fn(Locale) -> String| Signal::derive(move || key(i18n.get_locale()));
    let sectors = {
        let sectors = page.sectors.clone();
        Signal::derive(move || {
            let lang = i18n.get_locale().as_str();
            let mut out = vec![(String::new(), t_string!(i18n, manage_no_sector).to_owned())];
            out.extend(
                sectors
                    .iter()
                    .map(|(slug, name)| (slug.clone(), name.get(lang).to_owned())),
            );
            out
        })
    };
    let zones = {
        let zones = page.zones.clone();
        Signal::derive(move || zones.iter().map(|z| (z.clone(), z.clone())).collect())
    };
    let languages = choices(
        i18n,
        MEETING_LANGUAGES.iter().map(|l| l.to_string()).collect(),
        language_label,
    );
    let audiences = choices(
        i18n,
        Audience::ALL
            .iter()
            .map(|a| a.as_str().to_owned())
            .collect(),
        |i18n, v| {
            Audience::parse(v)
                .map(|a| audience_label(i18n, a))
                .unwrap_or_default()
        },
    );
    let modes = choices(
        i18n,
        Mode::ALL.iter().map(|m| m.as_str().to_owned()).collect(),
        |i18n, v| {
            Mode::parse(v)
                .map(|m| mode_label(i18n, m))
                .unwrap_or_default()
        },
    );
    let repeats = choices(
        i18n,
        [
            "never",
            "weekly",
            "fortnightly",
            "monthly-weekday",
            "monthly-date",
            "custom",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect(),
        repeat_label,
    );
    let has_sectors = !page.sectors.is_empty();
    view! {
        <ActionForm action=save attr:class="form meeting-form" attr:novalidate=true>
            <LangInput />
            {page.meeting_id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <input type="hidden" name="owner" value=page.owner.value.clone() />
            <FormAlert error />
            <fieldset>
                <legend>{t!(i18n, manage_what)}</legend>
                <Field name="title" label=label(|l| td_string!(l, field_title).to_string()) kind=Kind::Text value=d.title.clone() required=true error />
                <Field
                    name="description"
                    label=label(|l| td_string!(l, field_description).to_string())
                    hint=label(|l| td_string!(l, field_description_hint).to_string())
                    kind=Kind::TextArea
                    value=d.description.clone()
                    error
                />
                {has_sectors.then(|| view! {
                    <Select name="sector" label=label(|l| td_string!(l, meeting_sector).to_string()) options=sectors value=d.sector.clone() error />
                })}
                <Select name="language" label=label(|l| td_string!(l, meeting_language).to_string()) options=languages value=d.language.clone() error />
                <Select name="audience" label=label(|l| td_string!(l, meeting_audience).to_string()) options=audiences value=d.audience.clone() error />
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, meeting_where)}</legend>
                <Select name="mode" label=label(|l| td_string!(l, field_mode).to_string()) options=modes value=d.mode.clone() error />
                <Field name="place" label=label(|l| td_string!(l, field_place).to_string()) kind=Kind::Text value=d.place.clone() error />
                <Field name="address" label=label(|l| td_string!(l, field_address).to_string()) kind=Kind::Text value=d.address.clone() autocomplete="address-line1" error />
                <Field
                    name="latitude"
                    label=label(|l| td_string!(l, latitude).to_string())
                    hint=label(|l| td_string!(l, field_venue_position_hint).to_string())
                    kind=Kind::Text
                    value=d.latitude.clone()
                    error
                />
                <Field name="longitude" label=label(|l| td_string!(l, longitude).to_string()) kind=Kind::Text value=d.longitude.clone() error />
                <Field
                    name="online_link"
                    label=label(|l| td_string!(l, field_online_link).to_string())
                    hint=label(|l| td_string!(l, field_online_link_hint).to_string())
                    kind=Kind::Url
                    value=d.online_link.clone()
                    error
                />
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, meeting_when)}</legend>
                <Select name="timezone" label=label(|l| td_string!(l, field_timezone).to_string()) options=zones value=d.timezone.clone() error />
                <Field name="start" label=label(|l| td_string!(l, field_start).to_string()) kind=Kind::DateTime value=d.start.clone() required=true error />
                <Field name="end" label=label(|l| td_string!(l, field_end).to_string()) kind=Kind::DateTime value=d.end.clone() required=true error />
                <Select name="repeat" label=label(|l| td_string!(l, field_repeat).to_string()) options=repeats value=d.repeat.clone() error />
                <Field
                    name="count"
                    label=label(|l| td_string!(l, field_count).to_string())
                    hint=label(|l| td_string!(l, field_count_hint).to_string())
                    kind=Kind::Number
                    value=d.count.clone()
                    error
                />
                <Field name="until" label=label(|l| td_string!(l, field_until).to_string()) kind=Kind::Date value=d.until.clone() error />
                <Field
                    name="rrule"
                    label=label(|l| td_string!(l, field_rrule).to_string())
                    hint=label(|l| td_string!(l, field_rrule_hint).to_string())
                    kind=Kind::Text
                    value=d.rrule.clone()
                    error
                />
                <Field
                    name="exceptions"
                    label=label(|l| td_string!(l, field_exceptions).to_string())
                    hint=label(|l| td_string!(l, field_exceptions_hint).to_string())
                    kind=Kind::TextArea
                    value=d.exceptions.clone()
                    error
                />
            </fieldset>
            <fieldset>
                <legend>{t!(i18n, meeting_register)}</legend>
                <Check name="registration" label=label(|l| td_string!(l, field_takes_registrations).to_string()) checked=d.registration error />
                <Field
                    name="capacity"
                    label=label(|l| td_string!(l, field_capacity).to_string())
                    hint=label(|l| td_string!(l, field_capacity_hint).to_string())
                    kind=Kind::Number
                    value=d.capacity.clone()
                    error
                />
                <Field name="opens" label=label(|l| td_string!(l, field_opens).to_string()) kind=Kind::DateTime value=d.opens.clone() error />
                <Field
                    name="closes"
                    label=label(|l| td_string!(l, field_closes).to_string())
                    hint=label(|l| td_string!(l, field_closes_hint).to_string())
                    kind=Kind::DateTime
                    value=d.closes.clone()
                    error
                />
                <Field
                    name="reminders"
                    label=label(|l| td_string!(l, field_reminders).to_string())
                    hint=label(|l| td_string!(l, field_reminders_hint).to_string())
                    kind=Kind::Text
                    value=d.reminders.clone()
                    error
                />
            </fieldset>
            <button type="submit" class="button">{t!(i18n, manage_save)}</button>
        </ActionForm>
    }
}

/// One date of a meeting: move or cancel it, and manage the people registered for it.
#[component]
pub fn DateAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let actions = DateActions {
        moved: ServerAction::new(),
        cancel: ServerAction::new(),
        reinstate: ServerAction::new(),
        person: ServerAction::new(),
        message: ServerAction::new(),
    };
    let data = Resource::new(
        move || (lang_of(i18n), id(), actions.version()),
        |(lang, id, _)| get_attendees(lang, id),
    );
    let query = use_query_map();
    // The first step of cancelling a date: the page asks before anyone is written to.
    let asking = move || query.read().get("confirm").as_deref() == Some("cancel");
    view! {
        <AreaPage
            title=Signal::derive(move || t_string!(i18n, date_title).to_owned())
            resource=data
            body={move |a: Attendees| {
                if asking() && !a.past && !a.cancelled {
                    view! { <DateCancelQuestion a action=actions.cancel /> }.into_any()
                } else {
                    view! { <DateAdminView a actions /> }.into_any()
                }
            }}
        />
    }
}

/// The second step of cancelling a date, as its own page: whom it tells, the button that does
/// it, and the way back.
#[component]
fn DateCancelQuestion(a: Attendees, action: ServerAction<CancelDate>) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(action);
    let told = a
        .people
        .iter()
        .filter(|p| p.status != RegistrationStatus::Cancelled)
        .count();
    let page = format!("coordinate/occurrences/{}", a.occurrence);
    view! {
        <h1>{a.title.clone()}</h1>
        <p class="lead">{date_label(&a.starts)} "–" {a.ends.time.clone()} " (" {crate::calendar::zone::zone_label(i18n, a.timezone.clone())} ")"</p>
        <section class="confirm-step" aria-labelledby="date-cancel-question">
            <h2 id="date-cancel-question">{t!(i18n, date_cancel_question)}</h2>
            <p>{move || td_string!(i18n.get_locale(), date_cancel_consequence, count = told).to_string()}</p>
            <ActionForm action attr:class="form">
                <LangInput />
                <input type="hidden" name="occurrence" value=a.occurrence.to_string() />
                <FormAlert error />
                <button type="submit" class="button">{t!(i18n, date_cancel_yes)}</button>
            </ActionForm>
            <p><a href=link_to(i18n, page)>{t!(i18n, date_cancel_keep)}</a></p>
        </section>
    }
}

#[derive(Clone, Copy)]
struct DateActions {
    moved: ServerAction<MoveDate>,
    cancel: ServerAction<CancelDate>,
    reinstate: ServerAction<ReinstateDate>,
    person: ServerAction<ManageRegistration>,
    message: ServerAction<MessageRegistrants>,
}

impl DateActions {
    /// Changes whenever any of them completes, so that the page reloads its data.
    fn version(&self) -> usize {
        self.moved.version().get()
            + self.cancel.version().get()
            + self.reinstate.version().get()
            + self.person.version().get()
            + self.message.version().get()
    }
}

#[component]
fn DateAdminView(a: Attendees, actions: DateActions) -> impl IntoView {
    let i18n = use_i18n();
    let occurrence = a.occurrence;
    let move_error = error_of(actions.moved);
    let cancel_error = error_of(actions.cancel);
    let reinstate_error = error_of(actions.reinstate);
    let person_error = error_of(actions.person);
    let message_error = error_of(actions.message);
    let seats = match a.capacity {
        Some(c) => td_string!(
            i18n.get_locale(),
            date_seats_of,
            taken = a.taken,
            capacity = c
        )
        .to_string(),
        None => td_string!(i18n.get_locale(), date_seats, taken = a.taken).to_string(),
    };
    let by_status = |s: RegistrationStatus| -> Vec<Attendee> {
        a.people.iter().filter(|p| p.status == s).cloned().collect()
    };
    let confirmed = by_status(RegistrationStatus::Confirmed);
    let waiting = by_status(RegistrationStatus::Waiting);
    let pending = by_status(RegistrationStatus::Pending);
    let cancelled = by_status(RegistrationStatus::Cancelled);
    let others = a.other_dates.clone();
    let live = !a.past;
    let group = move |heading: &'static str, people: Vec<Attendee>| {
        let id = format!("group-{heading}");
        let labelled_by = id.clone();
        let title = move || {
            let locale = i18n.get_locale();
            match heading {
                "confirmed" => td_string!(locale, date_group_confirmed),
                "waiting" => td_string!(locale, date_group_waiting),
                "pending" => td_string!(locale, date_group_pending),
                _ => td_string!(locale, date_group_cancelled),
            }
            .to_string()
        };
        let count = people.len();
        let others = others.clone();
        view! {
            <section aria-labelledby=labelled_by>
                <h3 id=id>{title} " (" {count} ")"</h3>
                <ul class="people">
                    {people.into_iter().map(|p| view! { <PersonRow p others=others.clone() action=actions.person live /> }).collect_view()}
                </ul>
            </section>
        }
    };
    view! {
        <h1>{a.title.clone()}</h1>
        <p class="lead">{date_label(&a.starts)} "–" {a.ends.time.clone()} " (" {crate::calendar::zone::zone_label(i18n, a.timezone.clone())} ")"</p>
        <Notice />
        {a.cancelled.then(|| view! { <p class="notice notice--alert">{t!(i18n, meeting_cancelled_notice)}</p> })}
        <p>{seats}</p>
        <ul class="link-list">
            <li><a href=link_to(i18n, format!("meetings/{}", a.occurrence))>{t!(i18n, edit_view_public)}</a></li>
            <li><a href=link_to(i18n, format!("coordinate/meetings/{}", a.meeting_id))>{t!(i18n, date_back_to_meeting)}</a></li>
            <li><a href=format!("/coordinate/occurrences/{}/registrations.csv", a.occurrence) download="">{t!(i18n, date_export_csv)}</a></li>
        </ul>
        <section aria-labelledby="people-heading">
            <h2 id="people-heading">{t!(i18n, date_people)}</h2>
            <FormAlert error=person_error />
            {group("confirmed", confirmed)}
            {group("waiting", waiting)}
            {(!pending.is_empty()).then(|| group("pending", pending))}
            {(!cancelled.is_empty()).then(|| group("cancelled", cancelled))}
        </section>
        <section aria-labelledby="message-heading">
            <h2 id="message-heading">{t!(i18n, date_message)}</h2>
            <ActionForm action=actions.message attr:class="form" attr:novalidate=true>
                <LangInput />
                <input type="hidden" name="occurrence" value=occurrence.to_string() />
                <FormAlert error=message_error />
                <Field name="subject" label=Signal::derive(move || t_string!(i18n, field_subject).to_owned()) kind=Kind::Text required=true error=message_error />
                <Field name="body" label=Signal::derive(move || t_string!(i18n, field_message).to_owned()) kind=Kind::TextArea required=true error=message_error />
                <Check name="waitlist" label=Signal::derive(move || t_string!(i18n, field_include_waitlist).to_owned()) checked=false error=message_error />
                <button type="submit" class="button">{t!(i18n, date_message_submit)}</button>
            </ActionForm>
        </section>
        {live.then(|| view! {
            <section aria-labelledby="move-heading">
                <h2 id="move-heading">{t!(i18n, date_move)}</h2>
                <p>{t!(i18n, date_move_intro)}</p>
                <ActionForm action=actions.moved attr:class="form" attr:novalidate=true>
                    <LangInput />
                    <input type="hidden" name="occurrence" value=occurrence.to_string() />
                    <FormAlert error=move_error />
                    <Field name="start" label=Signal::derive(move || t_string!(i18n, field_start).to_owned()) kind=Kind::DateTime value=a.starts.local.clone() required=true error=move_error />
                    <Field name="end" label=Signal::derive(move || t_string!(i18n, field_end).to_owned()) kind=Kind::DateTime value=a.ends.local.clone() required=true error=move_error />
                    <button type="submit" class="button">{t!(i18n, date_move_submit)}</button>
                </ActionForm>
            </section>
            <section aria-labelledby="date-cancel-heading">
                <h2 id="date-cancel-heading">{t!(i18n, date_cancel_heading)}</h2>
                {if a.cancelled {
                    view! {
                        <ActionForm action=actions.reinstate attr:class="form">
                            <LangInput />
                            <input type="hidden" name="occurrence" value=occurrence.to_string() />
                            <FormAlert error=reinstate_error />
                            <button type="submit" class="button">{t!(i18n, date_reinstate_submit)}</button>
                        </ActionForm>
                    }.into_any()
                } else {
                    view! {
                        <p>{t!(i18n, date_cancel_intro)}</p>
                        // Only asks: the page that answers holds the real button.
                        <form method="get" action=link_to(i18n, format!("coordinate/occurrences/{occurrence}")) class="form">
                            <input type="hidden" name="confirm" value="cancel" />
                            <FormAlert error=cancel_error />
                            <button type="submit" class="button button--secondary">{t!(i18n, date_cancel_submit)}</button>
                        </form>
                    }.into_any()
                }}
            </section>
        })}
    }
}

/// One registrant with what the organisers may do about them.
#[component]
fn PersonRow(
    p: Attendee,
    others: Vec<(i64, Moment)>,
    action: ServerAction<ManageRegistration>,
    live: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = p.id.to_string();
    let status = p.status;
    let button = move |verb: &'static str, label: String, aria: String| {
        let id = id.clone();
        view! {
            <ActionForm action attr:class="inline-form">
                <LangInput />
                <input type="hidden" name="registration" value=id />
                <input type="hidden" name="action" value=verb />
                <button type="submit" class="button button--small button--secondary" aria-label=aria>{label}</button>
            </ActionForm>
        }
    };
    let who = p.name.clone();
    let named = move |key: &str| {
        let locale = i18n.get_locale();
        let verb = match key {
            "seat" => td_string!(locale, person_seat),
            "remove" => td_string!(locale, person_remove),
            "present" => td_string!(locale, person_present),
            "absent" => td_string!(locale, person_absent),
            _ => td_string!(locale, person_move),
        }
        .to_string();
        (verb.clone(), format!("{verb}: {}", who))
    };
    let attended = p.attended.map(|came| {
        if came {
            t_string!(i18n, person_was_present).to_owned()
        } else {
            t_string!(i18n, person_was_absent).to_owned()
        }
    });
    let select_id = format!("move-{}", p.id);
    let movable =
        live && matches!(
            status,
            RegistrationStatus::Confirmed | RegistrationStatus::Waiting
        ) && !others.is_empty();
    let (move_label, move_aria) = named("move");
    let options = others
        .iter()
        .map(|(id, m)| view! { <option value=id.to_string()>{date_label(m)}</option> })
        .collect_view();
    view! {
        <li class="person">
            <p>
                <strong>{p.name.clone()}</strong>
                " " <span class="muted">{p.email.clone()}</span>
                {p.position.map(|n| view! { " · " <span>{td_string!(i18n.get_locale(), person_position, position = n)}</span> })}
                {attended.map(|a| view! { " · " <span class="badge">{a}</span> })}
            </p>
            {(!p.organisation.is_empty()).then(|| view! { <p>{p.organisation.clone()}</p> })}
            {(!p.needs.is_empty()).then(|| view! { <p><span class="label">{t!(i18n, field_needs)} ": "</span> {p.needs.clone()}</p> })}
            <p class="muted">{t!(i18n, person_registered)} " " {p.registered.clone()}</p>
            <div class="actions">
                {(status == RegistrationStatus::Waiting && live).then(|| { let (l, a) = named("seat"); button("seat", l, a) })}
                {(status == RegistrationStatus::Confirmed).then(|| {
                    let (l, a) = named("present");
                    let (l2, a2) = named("absent");
                    view! { {button("present", l, a)} {button("absent", l2, a2)} }
                })}
                {(status != RegistrationStatus::Cancelled && live).then(|| { let (l, a) = named("remove"); button("remove", l, a) })}
            </div>
            {movable.then(|| view! {
                <ActionForm action attr:class="form move-form">
                    <LangInput />
                    <input type="hidden" name="registration" value=p.id.to_string() />
                    <input type="hidden" name="action" value="move" />
                    <div class="field">
                        <label for=select_id.clone()>{t!(i18n, person_move_to)}</label>
                        <select id=select_id.clone() name="target">{options}</select>
                    </div>
                    <button type="submit" class="button button--small" aria-label=move_aria>{move_label}</button>
                </ActionForm>
            })}
        </li>
    }
}

//! A meeting's own pages: new, edit, cancel, and the form they share.

use super::*;

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
pub(super) fn MeetingCancelQuestion(
    page: DraftPage,
    action: ServerAction<CancelMeeting>,
) -> impl IntoView {
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
pub(super) fn MeetingEditView(
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
pub(super) fn DatesList(dates: Vec<DateAdmin>) -> impl IntoView {
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
pub(super) fn choices(
    i18n: I18n,
    values: Vec<String>,
    label: fn(I18n, &str) -> String,
) -> Signal<Vec<(String, String)>> {
    Signal::derive(move || values.iter().map(|v| (v.clone(), label(i18n, v))).collect())
}

pub(super) fn repeat_label(i18n: I18n, value: &str) -> String {
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

/// A label in the page's language.
fn text(i18n: I18n, key: fn(Locale) -> String) -> Signal<String> {
    Signal::derive(move || key(i18n.get_locale()))
}

/// The meeting form, for a new meeting (possibly a copy) or an existing one.
#[component]
pub(super) fn MeetingForm(page: DraftPage, save: ServerAction<SaveMeeting>) -> impl IntoView {
    let i18n = use_i18n();
    let error = error_of(save);
    let d = page.draft.clone();
    view! {
        <ActionForm action=save attr:class="form meeting-form" attr:novalidate=true>
            <LangInput />
            {page.meeting_id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
            <input type="hidden" name="owner" value=page.owner.value.clone() />
            <FormAlert error />
            <WhatFields d=d.clone() sectors=page.sectors.clone() error />
            <WhereFields d=d.clone() error />
            <WhenFields d=d.clone() zones=page.zones.clone() error />
            <RegistrationFields d error />
            <button type="submit" class="button">{t!(i18n, manage_save)}</button>
        </ActionForm>
    }
}

/// What the meeting is: title, description, sector, language, audience.
#[component]
fn WhatFields(d: Draft, sectors: Vec<Named>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |key: fn(Locale) -> String| text(i18n, key);
    let has_sectors = !sectors.is_empty();
    let sectors = Signal::derive(move || {
        let lang = i18n.get_locale().as_str();
        let mut out = vec![(String::new(), t_string!(i18n, manage_no_sector).to_owned())];
        out.extend(
            sectors
                .iter()
                .map(|s| (s.slug.clone(), s.name.get(lang).to_owned())),
        );
        out
    });
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
    view! {
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
    }
}

/// Where: the mode, the venue and its position, the online link.
#[component]
fn WhereFields(d: Draft, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |key: fn(Locale) -> String| text(i18n, key);
    let modes = choices(
        i18n,
        Mode::ALL.iter().map(|m| m.as_str().to_owned()).collect(),
        |i18n, v| {
            Mode::parse(v)
                .map(|m| mode_label(i18n, m))
                .unwrap_or_default()
        },
    );
    view! {
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
    }
}

/// When: the zone, the first date and how it repeats.
#[component]
fn WhenFields(d: Draft, zones: Vec<String>, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |key: fn(Locale) -> String| text(i18n, key);
    let zones = Signal::derive(move || zones.iter().map(|z| (z.clone(), z.clone())).collect());
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
    view! {
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
    }
}

/// Registration: whether it is taken, the seats, its window and the reminders.
#[component]
fn RegistrationFields(d: Draft, error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    let label = move |key: fn(Locale) -> String| text(i18n, key);
    view! {
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
    }
}

//! One date of a meeting: moving or calling it off, and the people registered.

use super::*;

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
pub(super) fn DateCancelQuestion(a: Attendees, action: ServerAction<CancelDate>) -> impl IntoView {
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
pub struct DateActions {
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
pub(crate) fn DateAdminView(a: Attendees, actions: DateActions) -> impl IntoView {
    let i18n = use_i18n();
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
    let live = !a.past;
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
        <People a=a.clone() action=actions.person />
        <MessageForm occurrence=a.occurrence action=actions.message />
        {live.then(|| view! { <DateChanges a=a.clone() actions /> })}
    }
}

/// The people registered, by where they stand.
#[component]
fn People(a: Attendees, action: ServerAction<ManageRegistration>) -> impl IntoView {
    let i18n = use_i18n();
    let person_error = error_of(action);
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
        view! { <Group heading people others=others.clone() action live /> }
    };
    view! {
        <section aria-labelledby="people-heading">
            <h2 id="people-heading">{t!(i18n, date_people)}</h2>
            <FormAlert error=person_error />
            {group("confirmed", confirmed)}
            {group("waiting", waiting)}
            {(!pending.is_empty()).then(|| group("pending", pending))}
            {(!cancelled.is_empty()).then(|| group("cancelled", cancelled))}
        </section>
    }
}

/// The registrants of one status.
#[component]
fn Group(
    heading: &'static str,
    people: Vec<Attendee>,
    others: Vec<DateRef>,
    action: ServerAction<ManageRegistration>,
    live: bool,
) -> impl IntoView {
    let i18n = use_i18n();
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
    view! {
        <section aria-labelledby=labelled_by>
            <h3 id=id>{title} " (" {count} ")"</h3>
            <ul class="people">
                {people.into_iter().map(|p| view! { <PersonRow p others=others.clone() action live /> }).collect_view()}
            </ul>
        </section>
    }
}

/// A message to everyone with a seat, and the waitlist if asked.
#[component]
fn MessageForm(occurrence: i64, action: ServerAction<MessageRegistrants>) -> impl IntoView {
    let i18n = use_i18n();
    let message_error = error_of(action);
    view! {
        <section aria-labelledby="message-heading">
            <h2 id="message-heading">{t!(i18n, date_message)}</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                <LangInput />
                <input type="hidden" name="occurrence" value=occurrence.to_string() />
                <FormAlert error=message_error />
                <Field name="subject" label=Signal::derive(move || t_string!(i18n, field_subject).to_owned()) kind=Kind::Text required=true error=message_error />
                <Field name="body" label=Signal::derive(move || t_string!(i18n, field_message).to_owned()) kind=Kind::TextArea required=true error=message_error />
                <Check name="waitlist" label=Signal::derive(move || t_string!(i18n, field_include_waitlist).to_owned()) checked=false error=message_error />
                <button type="submit" class="button">{t!(i18n, date_message_submit)}</button>
            </ActionForm>
        </section>
    }
}

/// A date still ahead: moving it, calling it off or back.
#[component]
fn DateChanges(a: Attendees, actions: DateActions) -> impl IntoView {
    let i18n = use_i18n();
    let occurrence = a.occurrence;
    let move_error = error_of(actions.moved);
    let cancel_error = error_of(actions.cancel);
    let reinstate_error = error_of(actions.reinstate);
    view! {
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
    }
}

/// An act's name, and the same for assistive technology, naming whom it is about.
fn act_labels(i18n: I18n, act: RegistrationAction, who: &str) -> (String, String) {
    let locale = i18n.get_locale();
    let verb = match act {
        RegistrationAction::Seat => td_string!(locale, person_seat),
        RegistrationAction::Remove => td_string!(locale, person_remove),
        RegistrationAction::Present => td_string!(locale, person_present),
        RegistrationAction::Absent => td_string!(locale, person_absent),
        RegistrationAction::Move => td_string!(locale, person_move),
    }
    .to_string();
    (verb.clone(), format!("{verb}: {who}"))
}

/// One registrant with what the organisers may do about them.
#[component]
pub(super) fn PersonRow(
    p: Attendee,
    others: Vec<DateRef>,
    action: ServerAction<ManageRegistration>,
    live: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let status = p.status;
    let attended = p.attended.map(|came| {
        if came {
            t_string!(i18n, person_was_present).to_owned()
        } else {
            t_string!(i18n, person_was_absent).to_owned()
        }
    });
    let movable =
        live && matches!(
            status,
            RegistrationStatus::Confirmed | RegistrationStatus::Waiting
        ) && !others.is_empty();
    let registered = p.registered.format("%Y-%m-%d %H:%M").to_string();
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
            <p class="muted">{t!(i18n, person_registered)} " " {registered}</p>
            <PersonActions p=p.clone() action live />
            {movable.then(|| view! { <MoveForm p=p.clone() others=others.clone() action /> })}
        </li>
    }
}

/// The buttons of one registrant: a seat, attendance, removal.
#[component]
fn PersonActions(
    p: Attendee,
    action: ServerAction<ManageRegistration>,
    live: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = p.id.to_string();
    let status = p.status;
    let who = p.name.clone();
    let button = move |act: RegistrationAction| {
        let id = id.clone();
        let (label, aria) = act_labels(i18n, act, &who);
        view! {
            <ActionForm action attr:class="inline-form">
                <LangInput />
                <input type="hidden" name="registration" value=id />
                <input type="hidden" name="action" value=act.as_str() />
                <button type="submit" class="button button--small button--secondary" aria-label=aria>{label}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="actions">
            {(status == RegistrationStatus::Waiting && live).then(|| button(RegistrationAction::Seat))}
            {(status == RegistrationStatus::Confirmed).then(|| {
                view! { {button(RegistrationAction::Present)} {button(RegistrationAction::Absent)} }
            })}
            {(status != RegistrationStatus::Cancelled && live).then(|| button(RegistrationAction::Remove))}
        </div>
    }
}

/// Moving a registrant to another date of the meeting.
#[component]
fn MoveForm(
    p: Attendee,
    others: Vec<DateRef>,
    action: ServerAction<ManageRegistration>,
) -> impl IntoView {
    let i18n = use_i18n();
    let select_id = format!("move-{}", p.id);
    let (move_label, move_aria) = act_labels(i18n, RegistrationAction::Move, &p.name);
    let options = others
        .iter()
        .map(|d| view! { <option value=d.occurrence.to_string()>{date_label(&d.starts)}</option> })
        .collect_view();
    view! {
        <ActionForm action attr:class="form move-form">
            <LangInput />
            <input type="hidden" name="registration" value=p.id.to_string() />
            <input type="hidden" name="action" value=RegistrationAction::Move.as_str() />
            <div class="field">
                <label for=select_id.clone()>{t!(i18n, person_move_to)}</label>
                <select id=select_id.clone() name="target">{options}</select>
            </div>
            <button type="submit" class="button button--small" aria-label=move_aria>{move_label}</button>
        </ActionForm>
    }
}

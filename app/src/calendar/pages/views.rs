//! The calendar's three views of its dates: the agenda, the week and the month.

use super::*;

/// Meetings grouped under their local day.
#[component]
pub(crate) fn Agenda(meetings: Vec<MeetingSummary>) -> impl IntoView {
    let i18n = use_i18n();
    if meetings.is_empty() {
        return view! { <p class="empty-state">{t!(i18n, calendar_none)}</p> }.into_any();
    }
    let mut days: Vec<(String, Vec<MeetingSummary>)> = Vec::new();
    for m in meetings {
        match days.last_mut() {
            Some((day, list)) if *day == m.starts.date => list.push(m),
            _ => days.push((m.starts.date.clone(), vec![m])),
        }
    }
    view! {
        <div class="agenda">
            {days.into_iter().map(|(day, list)| view! {
                <section class="agenda-day">
                    <h3>{day}</h3>
                    <ul class="meetings">
                        {list.into_iter().map(|m| view! { <MeetingItem m /> }).collect_view()}
                    </ul>
                </section>
            }).collect_view()}
        </div>
    }
    .into_any()
}

#[component]
pub(super) fn MeetingItem(m: MeetingSummary) -> impl IntoView {
    let i18n = use_i18n();
    let href = link_to(i18n, format!("meetings/{}", m.id));
    let organiser = organiser_name(i18n, m.organiser.clone());
    let seats = m.seats_left();
    let mode = m.mode;
    let language = m.language.clone();
    view! {
        <li class="meeting" class:meeting--cancelled=m.cancelled>
            <p class="meeting-time">
                <time datetime=m.starts.local.clone()>{m.starts.time.clone()}</time>
                "–"
                <time datetime=m.ends.local.clone()>{m.ends.time.clone()}</time>
                <span class="muted">" " {zone_label(i18n, m.timezone.clone())}</span>
            </p>
            <p class="meeting-title">
                <a href=href>{m.title.clone()}</a>
                {m.cancelled.then(|| view! { " " <span class="badge badge--alert">{t!(i18n, meeting_cancelled)}</span> })}
            </p>
            <p class="meeting-facts">
                <span>{organiser}</span>
                {m.sector.clone().map(|s| view! { " · " <span>{in_lang(i18n, s.name)}</span> })}
                " · " <span>{move || mode_label(i18n, mode)}</span>
                " · " <span>{move || language_label(i18n, &language)}</span>
                {m.recurring.then(|| view! { " · " <span>{t!(i18n, meeting_recurring)}</span> })}
                {seats.filter(|_| !m.cancelled).map(|left| view! {
                    " · " <span class="seats">{seats_left(i18n, left)}</span>
                })}
            </p>
        </li>
    }
}

/// The seats still free, or "Full" rather than "0 left": the meeting's form then offers the
/// waitlist.
pub(super) fn seats_left(
    i18n: I18n,
    left: i32,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || {
        if left > 0 {
            td_string!(i18n.get_locale(), meeting_seats_left, count = left).to_string()
        } else {
            t_string!(i18n, meeting_full).to_owned()
        }
    }
}

pub(super) fn organiser_name(
    i18n: I18n,
    o: Organiser,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || o.name(i18n.get_locale().as_str())
}

/// The days of a range with the meetings of each.
pub(super) fn by_day(
    meetings: &[MeetingSummary],
    days: &[NaiveDate],
) -> Vec<(NaiveDate, Vec<MeetingSummary>)> {
    days.iter()
        .map(|d| {
            let key = d.to_string();
            (
                *d,
                meetings
                    .iter()
                    .filter(|m| m.starts.day() == key)
                    .cloned()
                    .collect(),
            )
        })
        .collect()
}

#[component]
pub(super) fn Week(
    meetings: Vec<MeetingSummary>,
    first: NaiveDate,
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let days: Vec<NaiveDate> = (0..7).map(|i| first + Duration::days(i)).collect();
    view! {
        <div class="week">
            {by_day(&meetings, &days).into_iter().enumerate().map(|(i, (day, list))| {
                let empty = list.is_empty();
                view! {
                    <section class="week-day" class:today=day == today>
                        <h3>
                            {move || weekday_name(i18n, i as u32)} " " {move || short_date(i18n, day)}
                        </h3>
                        {if empty {
                            view! { <p class="muted">{t!(i18n, calendar_no_meetings_day)}</p> }.into_any()
                        } else {
                            view! {
                                <ul class="meetings">
                                    {list.into_iter().map(|m| view! { <MeetingItem m /> }).collect_view()}
                                </ul>
                            }.into_any()
                        }}
                    </section>
                }
            }).collect_view()}
        </div>
    }
}

/// A month as a table of weeks. Each day lists its meetings' times and titles; on a narrow
/// screen the cells stack (see style/main.css) so that nothing scrolls sideways.
#[component]
pub(super) fn Month(
    meetings: Vec<MeetingSummary>,
    first: NaiveDate,
    today: NaiveDate,
) -> impl IntoView {
    let i18n = use_i18n();
    let start = first - Duration::days(i64::from(first.weekday().num_days_from_monday()));
    let next_month = first
        .checked_add_months(chrono::Months::new(1))
        .unwrap_or(first);
    let mut weeks: Vec<Vec<NaiveDate>> = Vec::new();
    let mut day = start;
    while day < next_month {
        weeks.push((0..7).map(|i| day + Duration::days(i)).collect());
        day += Duration::days(7);
    }
    let month = first.month();
    view! {
        <table class="month">
            <caption class="visually-hidden">{move || format!("{} {}", month_name(i18n, month), first.year())}</caption>
            <thead>
                <tr>
                    {(0..7u32).map(|i| view! { <th scope="col">{move || weekday_name(i18n, i)}</th> }).collect_view()}
                </tr>
            </thead>
            <tbody>
                {weeks.into_iter().map(|week| {
                    let cells = by_day(&meetings, &week);
                    view! {
                        <tr>
                            {cells.into_iter().map(|(d, list)| {
                                let outside = d.month() != month;
                                view! {
                                    <td class:outside=outside class:today=d == today>
                                        <span class="month-day">
                                            <span class="visually-hidden">{move || weekday_name(i18n, d.weekday().num_days_from_monday())} " "</span>
                                            {d.day()}
                                            <span class="visually-hidden">" " {move || month_name(i18n, d.month())}</span>
                                        </span>
                                        <ul>
                                            {list.into_iter().map(|m| {
                                                let href = link_to(i18n, format!("meetings/{}", m.id));
                                                view! {
                                                    <li class:meeting--cancelled=m.cancelled>
                                                        <a href=href>{m.starts.time.clone()} " " {m.title.clone()}</a>
                                                    </li>
                                                }
                                            }).collect_view()}
                                        </ul>
                                    </td>
                                }
                            }).collect_view()}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}

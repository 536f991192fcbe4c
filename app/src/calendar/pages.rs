//! The calendar pages: agenda, week and month views with filters in the URL, the meeting page
//! with its registration form, and the registrant's personal page.

use super::zone::zone_label;
use super::{
    get_calendar, get_meeting, get_registration, CalendarData, CancelRegistration,
    ConfirmRegistration, Register, ReplaceRegistrationLink,
};
use crate::forms::{error_of, problem_text, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, private_page, ErrorContent, I18n, PageMeta};
use chrono::{Datelike, Duration, NaiveDate};
use domain::{
    Audience, CalendarQuery, CalendarView, MeetingDetail, MeetingSummary, Mode, Organiser,
    RegistrationStatus, RegistrationView, RegistrationWindow, MEETING_LANGUAGES,
};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

/// Whose calendar a page shows; its filter is fixed and not offered in the form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Network,
    City(String),
    Cluster(String),
}

impl Scope {
    fn path(&self) -> String {
        match self {
            Scope::Network => "calendar".into(),
            Scope::City(slug) => format!("cities/{slug}/calendar"),
            Scope::Cluster(slug) => format!("clusters/{slug}/calendar"),
        }
    }

    fn fix(&self, q: &mut CalendarQuery) {
        match self {
            Scope::Network => {}
            Scope::City(slug) => {
                q.city = Some(slug.clone());
                q.cluster = None;
            }
            Scope::Cluster(slug) => {
                q.cluster = Some(slug.clone());
                q.city = None;
            }
        }
    }
}

#[component]
pub fn NetworkCalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, calendar_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, calendar_description).to_owned())
        />
        <h1>{t!(i18n, calendar_title)}</h1>
        <Calendar scope=Scope::Network />
    }
}

#[component]
pub fn ClusterCalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let title = {
        let slug = slug.clone();
        move || format!("{} · {}", t_string!(i18n, calendar_title), slug)
    };
    view! {
        <PageMeta
            title=Signal::derive(title.clone())
            description=Signal::derive(move || t_string!(i18n, calendar_description).to_owned())
        />
        <h1>{title}</h1>
        <p><a href=link_to(i18n, format!("clusters/{slug}"))>{t!(i18n, calendar_back_to_cluster)}</a></p>
        <Calendar scope=Scope::Cluster(slug) />
    }
}

/// A calendar with its filter form, view switch, navigation and subscription links. The query
/// comes from the URL; with JavaScript a filter change navigates in place.
#[component]
pub fn Calendar(scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let request = {
        let scope = scope.clone();
        move || {
            let raw = query.read().to_query_string();
            let mut q = super_parse(raw.trim_start_matches('?'));
            scope.fix(&mut q);
            (i18n.get_locale().as_str().to_owned(), q.to_query_string())
        }
    };
    let data = Resource::new(request, |(lang, q)| get_calendar(lang, q));
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {
                let scope = scope.clone();
                move || {
                    let scope = scope.clone();
                    Suspend::new(async move {
                        match data.await {
                            Ok(d) => view! { <CalendarBody data=d scope /> }.into_any(),
                            Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                        }
                    })
                }
            }
        </Suspense>
    }
}

/// The same parsing as the server's, for building links on either side.
fn super_parse(raw: &str) -> CalendarQuery {
    let pairs: Vec<(String, String)> = raw
        .split('&')
        .filter(|kv| !kv.is_empty())
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            (unescape(k), unescape(v))
        })
        .collect();
    CalendarQuery::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}

fn unescape(s: &str) -> String {
    leptos_router::location::Url::unescape(&s.replace('+', " "))
}

fn link_with(
    i18n: I18n,
    scope: &Scope,
    q: &CalendarQuery,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    // A widget's calendar has one path; its city or cluster stays in the query.
    let widget = format!("calendar?{}", q.to_query_string());
    let mut q = q.clone();
    // The page's own scope is in its path, not its query.
    if matches!(scope, Scope::City(_)) {
        q.city = None;
    }
    if matches!(scope, Scope::Cluster(_)) {
        q.cluster = None;
    }
    let qs = q.to_query_string();
    let path = if qs.is_empty() {
        scope.path()
    } else {
        format!("{}?{qs}", scope.path())
    };
    crate::embed::within(i18n, path, widget)
}

#[component]
fn CalendarBody(data: CalendarData, scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
    let q = data.query.clone();
    let first = NaiveDate::parse_from_str(&data.first, "%Y-%m-%d").unwrap_or_default();
    let last = data
        .last
        .as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let today = NaiveDate::parse_from_str(&data.today, "%Y-%m-%d").unwrap_or_default();
    let views = [
        CalendarView::Agenda,
        CalendarView::Week,
        CalendarView::Month,
    ]
    .into_iter()
    .map(|v| {
        let mut target = q.clone();
        target.view = v;
        target.page = 1;
        let href = link_with(i18n, &scope, &target);
        let label = move || match v {
            CalendarView::Agenda => t_string!(i18n, calendar_view_agenda),
            CalendarView::Week => t_string!(i18n, calendar_view_week),
            CalendarView::Month => t_string!(i18n, calendar_view_month),
        };
        view! { <li><a href=href aria-current=(v == q.view).then_some("page") target=crate::embed::stay()>{label}</a></li> }
    })
    .collect_view();
    let (previous, next) = neighbours(&q, first);
    let mut today_q = q.clone();
    today_q.from = None;
    today_q.page = 1;
    let heading = range_heading(i18n, q.view, first, last);
    let count = data.meetings.len();
    let filters = q.filters_query_string();
    let lang = move || i18n.get_locale().as_str().to_owned();
    let feed_query = {
        let filters = filters.clone();
        move || {
            if filters.is_empty() {
                format!("lang={}", lang())
            } else {
                format!("{filters}&lang={}", lang())
            }
        }
    };
    let host = data
        .public_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned();
    let ics = {
        let f = feed_query.clone();
        move || format!("/feeds/calendar.ics?{}", f())
    };
    let webcal = {
        let f = feed_query.clone();
        move || format!("webcal://{host}/feeds/calendar.ics?{}", f())
    };
    let json = {
        let f = feed_query.clone();
        move || format!("/feeds/calendar.json?{}", f())
    };
    let body = match q.view {
        CalendarView::Agenda => view! { <Agenda meetings=data.meetings.clone() /> }.into_any(),
        CalendarView::Week => {
            view! { <Week meetings=data.meetings.clone() first today /> }.into_any()
        }
        CalendarView::Month => {
            view! { <Month meetings=data.meetings.clone() first today /> }.into_any()
        }
    };
    let show_previous = q.view != CalendarView::Agenda || q.page > 1;
    let show_next = q.view != CalendarView::Agenda || data.more;
    view! {
        <Filters data=data.clone() scope=scope.clone() />
        <nav class="calendar-views" aria-label=move || t_string!(i18n, calendar_views_label)>
            <ul>{views}</ul>
        </nav>
        <h2 class="calendar-range" aria-live="polite">{heading}</h2>
        <p class="muted">{t!(i18n, calendar_count, count = move || count)}</p>
        {body}
        <nav class="pager" aria-label=move || t_string!(i18n, calendar_pages_label)>
            {show_previous.then(|| view! {
                <a rel="prev" href=link_with(i18n, &scope, &previous) target=crate::embed::stay()>{t!(i18n, calendar_previous)}</a>
            })}
            <a href=link_with(i18n, &scope, &today_q) target=crate::embed::stay()>{t!(i18n, calendar_today)}</a>
            {show_next.then(|| view! {
                <a rel="next" href=link_with(i18n, &scope, &next) target=crate::embed::stay()>{t!(i18n, calendar_next)}</a>
            })}
        </nav>
        <section class="subscribe" aria-labelledby="subscribe-heading">
            <h2 id="subscribe-heading">{t!(i18n, calendar_subscribe)}</h2>
            <p>{t!(i18n, calendar_subscribe_intro)}</p>
            <ul class="link-list">
                <li><a href=webcal>{t!(i18n, calendar_subscribe_webcal)}</a></li>
                <li><a href=ics download="learning-city.ics">{t!(i18n, calendar_download_ics)}</a></li>
                <li><a href=json type="application/json">{t!(i18n, calendar_json)}</a></li>
            </ul>
        </section>
    }
}

/// The queries of the previous and next page, week or month.
fn neighbours(q: &CalendarQuery, first: NaiveDate) -> (CalendarQuery, CalendarQuery) {
    let (mut p, mut n) = (q.clone(), q.clone());
    match q.view {
        CalendarView::Agenda => {
            p.page = q.page.saturating_sub(1).max(1);
            n.page = q.page + 1;
        }
        CalendarView::Week => {
            p.from = Some(first - Duration::days(7));
            n.from = Some(first + Duration::days(7));
        }
        CalendarView::Month => {
            p.from = first.checked_sub_months(chrono::Months::new(1));
            n.from = first.checked_add_months(chrono::Months::new(1));
        }
    }
    (p, n)
}

fn month_name(i18n: I18n, month: u32) -> String {
    let locale = i18n.get_locale();
    match month {
        1 => td_string!(locale, month_1),
        2 => td_string!(locale, month_2),
        3 => td_string!(locale, month_3),
        4 => td_string!(locale, month_4),
        5 => td_string!(locale, month_5),
        6 => td_string!(locale, month_6),
        7 => td_string!(locale, month_7),
        8 => td_string!(locale, month_8),
        9 => td_string!(locale, month_9),
        10 => td_string!(locale, month_10),
        11 => td_string!(locale, month_11),
        _ => td_string!(locale, month_12),
    }
    .to_owned()
}

fn weekday_name(i18n: I18n, index: u32) -> String {
    let locale = i18n.get_locale();
    match index {
        0 => td_string!(locale, weekday_1),
        1 => td_string!(locale, weekday_2),
        2 => td_string!(locale, weekday_3),
        3 => td_string!(locale, weekday_4),
        4 => td_string!(locale, weekday_5),
        5 => td_string!(locale, weekday_6),
        _ => td_string!(locale, weekday_7),
    }
    .to_owned()
}

fn short_date(i18n: I18n, d: NaiveDate) -> String {
    format!("{} {}", d.day(), month_name(i18n, d.month()))
}

fn range_heading(
    i18n: I18n,
    view: CalendarView,
    first: NaiveDate,
    last: Option<NaiveDate>,
) -> impl Fn() -> String + Send + Sync + 'static {
    move || match (view, last) {
        (CalendarView::Month, _) => format!("{} {}", month_name(i18n, first.month()), first.year()),
        (_, Some(last)) => format!(
            "{} – {} {}",
            short_date(i18n, first),
            short_date(i18n, last),
            last.year()
        ),
        (_, None) => td_string!(
            i18n.get_locale(),
            calendar_from,
            date = short_date(i18n, first)
        )
        .to_string(),
    }
}

/// `<option>`s for records named in both languages, the chosen one selected.
fn named_options(
    i18n: I18n,
    options: Vec<(String, domain::Localized)>,
    chosen: Option<String>,
) -> impl Fn() -> AnyView + Send + Sync + 'static {
    move || {
        let lang = i18n.get_locale().as_str();
        options
            .iter()
            .map(|(slug, name)| {
                let selected = chosen.as_deref() == Some(slug.as_str());
                view! { <option value=slug.clone() selected=selected>{name.get(lang).to_owned()}</option> }
            })
            .collect_view()
            .into_any()
    }
}

/// The filter form: a plain GET form, so it works before (and without) the WebAssembly.
#[component]
fn Filters(data: CalendarData, scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
    let q = data.query.clone();
    let action = crate::embed::within(i18n, scope.path(), "calendar".to_owned());
    // The page's own city or cluster, as a query holds it.
    let mut fixed = CalendarQuery::default();
    scope.fix(&mut fixed);
    // Inside a widget the form's action has one path: its city or cluster travels as a field.
    let fixed_fields = crate::embed::frame().map(|_| {
        [
            ("city", fixed.city.clone()),
            ("cluster", fixed.cluster.clone()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| view! { <input type="hidden" name=k value=v /> }))
        .collect_view()
    });
    let option = |value: String, label: String, selected: bool| {
        view! { <option value=value selected=selected>{label}</option> }
    };
    let cities = {
        let mut cities = data.options.cities.clone();
        crate::directory::sort_by_name(i18n, &mut cities, |(_, name)| name);
        named_options(i18n, cities, q.city.clone())
    };
    let clusters = named_options(i18n, data.options.clusters.clone(), q.cluster.clone());
    let sectors = named_options(i18n, data.options.sectors.clone(), q.sector.clone());
    let audiences = {
        let q = q.clone();
        move || {
            Audience::ALL
                .into_iter()
                .map(|a| {
                    option(
                        a.as_str().into(),
                        audience_label(i18n, a),
                        q.audience == Some(a),
                    )
                })
                .collect_view()
        }
    };
    let modes = {
        let q = q.clone();
        move || {
            Mode::ALL
                .into_iter()
                .map(|m| option(m.as_str().into(), mode_label(i18n, m), q.mode == Some(m)))
                .collect_view()
        }
    };
    let languages = {
        let q = q.clone();
        move || {
            MEETING_LANGUAGES
                .into_iter()
                .map(|l| {
                    option(
                        l.into(),
                        language_label(i18n, l),
                        q.language.as_deref() == Some(l),
                    )
                })
                .collect_view()
        }
    };
    let any = move || t_string!(i18n, calendar_any).to_owned();
    let from = q.from.map(|d| d.to_string()).unwrap_or_default();
    let to = q.to.map(|d| d.to_string()).unwrap_or_default();
    let clear = crate::embed::within(
        i18n,
        scope.path(),
        format!("calendar?{}", fixed.to_query_string()),
    );
    let view_value = q.view.as_str();
    // Open when the reader chose a filter; the page's own city or cluster does not count.
    let chosen = {
        let mut own = q.clone();
        match scope {
            Scope::City(_) => own.city = None,
            Scope::Cluster(_) => own.cluster = None,
            Scope::Network => {}
        }
        own.has_filters()
    };
    view! {
        <details class="calendar-filters" open=chosen>
            <summary>{t!(i18n, calendar_filters)}</summary>
            <Form method="GET" action=action attr:class="form filters-form" attr:target=crate::embed::stay()>
                <input type="hidden" name="view" value=view_value />
                {fixed_fields}
                <crate::embed::ThemeInputs />
                {matches!(scope, Scope::Network).then(|| view! {
                    <div class="field">
                        <label for="filter-city">{t!(i18n, calendar_filter_city)}</label>
                        <select id="filter-city" name="city">
                            <option value="">{any}</option>
                            {cities}
                        </select>
                    </div>
                    <div class="field">
                        <label for="filter-cluster">{t!(i18n, calendar_filter_cluster)}</label>
                        <select id="filter-cluster" name="cluster">
                            <option value="">{any}</option>
                            {clusters}
                        </select>
                    </div>
                })}
                <div class="field">
                    <label for="filter-sector">{t!(i18n, calendar_filter_sector)}</label>
                    <select id="filter-sector" name="sector">
                        <option value="">{any}</option>
                        {sectors}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-audience">{t!(i18n, calendar_filter_audience)}</label>
                    <select id="filter-audience" name="audience">
                        <option value="">{any}</option>
                        {audiences}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-mode">{t!(i18n, calendar_filter_mode)}</label>
                    <select id="filter-mode" name="mode">
                        <option value="">{any}</option>
                        {modes}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-language">{t!(i18n, calendar_filter_language)}</label>
                    <select id="filter-language" name="language">
                        <option value="">{any}</option>
                        {languages}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-from">{t!(i18n, calendar_filter_from)}</label>
                    <input id="filter-from" name="from" type="date" value=from />
                </div>
                <div class="field">
                    <label for="filter-to">{t!(i18n, calendar_filter_to)}</label>
                    <input id="filter-to" name="to" type="date" value=to />
                </div>
                <div class="form-actions">
                    <button type="submit" class="button">{t!(i18n, calendar_apply)}</button>
                    <a href=clear target=crate::embed::stay()>{t!(i18n, calendar_clear)}</a>
                </div>
            </Form>
        </details>
    }
}

pub fn mode_label(i18n: I18n, m: Mode) -> String {
    let locale = i18n.get_locale();
    match m {
        Mode::InPerson => td_string!(locale, mode_in_person),
        Mode::Online => td_string!(locale, mode_online),
        Mode::Hybrid => td_string!(locale, mode_hybrid),
    }
    .to_owned()
}

pub fn audience_label(i18n: I18n, a: Audience) -> String {
    let locale = i18n.get_locale();
    match a {
        Audience::Everyone => td_string!(locale, audience_everyone),
        Audience::Organisations => td_string!(locale, audience_organisations),
        Audience::Signatories => td_string!(locale, audience_signatories),
        Audience::Coordinators => td_string!(locale, audience_coordinators),
    }
    .to_owned()
}

pub fn language_label(i18n: I18n, code: &str) -> String {
    let locale = i18n.get_locale();
    match code {
        "it" => td_string!(locale, lang_it),
        "en" => td_string!(locale, lang_en),
        "zh" => td_string!(locale, lang_zh),
        "fr" => td_string!(locale, lang_fr),
        "es" => td_string!(locale, lang_es),
        "de" => td_string!(locale, lang_de),
        other => return other.to_owned(),
    }
    .to_owned()
}

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
fn MeetingItem(m: MeetingSummary) -> impl IntoView {
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
fn seats_left(i18n: I18n, left: i32) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || {
        if left > 0 {
            td_string!(i18n.get_locale(), meeting_seats_left, count = left).to_string()
        } else {
            t_string!(i18n, meeting_full).to_owned()
        }
    }
}

fn organiser_name(i18n: I18n, o: Organiser) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || o.name(i18n.get_locale().as_str())
}

/// The days of a range with the meetings of each.
fn by_day(
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
fn Week(meetings: Vec<MeetingSummary>, first: NaiveDate, today: NaiveDate) -> impl IntoView {
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
fn Month(meetings: Vec<MeetingSummary>, first: NaiveDate, today: NaiveDate) -> impl IntoView {
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

#[component]
pub fn MeetingPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let meeting = Resource::new(
        move || (i18n.get_locale().as_str().to_owned(), id()),
        |(lang, id)| get_meeting(lang, id),
    );
    view! {
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match meeting.await {
                    Ok(d) => view! { <MeetingView detail=d /> }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MeetingView(detail: MeetingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = detail.summary.clone();
    let title = s.title.clone();
    let description = if detail.description_text.is_empty() {
        s.title.clone()
    } else {
        detail.description_text.chars().take(200).collect()
    };
    let organiser_link = match &s.organiser {
        Organiser::City(c) => format!("cities/{}/calendar", c.slug),
        Organiser::Cluster { slug, .. } => format!("clusters/{slug}/calendar"),
    };
    let organiser = organiser_name(i18n, s.organiser.clone());
    let mode = s.mode;
    let language = s.language.clone();
    let audience = s.audience;
    let place = [s.place.clone(), detail.address.clone()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let ics = move || {
        format!(
            "/feeds/meetings/{}.ics?lang={}",
            s.id,
            i18n.get_locale().as_str()
        )
    };
    let query = use_query_map();
    let done = move || query.read().get("done");
    let seats = s.seats_left();
    let capacity = s.capacity;
    let waiting = detail.waiting;
    view! {
        <PageMeta
            title=Signal::derive(move || title.clone())
            description=Signal::derive(move || description.clone())
            og_type="event"
        />
        <script type="application/ld+json" inner_html=detail.json_ld.clone()></script>
        <article class="meeting-page">
            <header class="page-header">
                <h1>{s.title.clone()}</h1>
                {s.cancelled.then(|| view! { <p class="notice notice--alert">{t!(i18n, meeting_cancelled_notice)}</p> })}
            </header>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "already" => t_string!(i18n, meeting_registered_already),
                        "link-replaced" => t_string!(i18n, meeting_link_replaced),
                        _ => t_string!(i18n, meeting_registered_check_mail),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <dl class="facts">
                <div>
                    <dt>{t!(i18n, meeting_when)}</dt>
                    <dd>
                        <time datetime=format!("{}{}", s.starts.local, s.starts.offset)>{s.starts.date.clone()} ", " {s.starts.time.clone()}</time>
                        "–"
                        <time datetime=format!("{}{}", s.ends.local, s.ends.offset)>{s.ends.time.clone()}</time>
                        " (" {zone_label(i18n, s.timezone.clone())} ", UTC" {s.starts.offset.clone()} ")"
                        // The same instant in the reader's own time zone, which only the
                        // browser knows: public/navigation.js fills it in and shows it when that
                        // zone is not the meeting's. A few lines of script, not WebAssembly.
                        <p
                            class="viewer-time"
                            hidden
                            data-start=s.starts.epoch
                            data-end=s.ends.epoch
                            data-offset=s.starts.offset.clone()
                        >
                            {t!(i18n, meeting_your_time)}
                        </p>
                        {(!detail.elsewhere.is_empty()).then(|| view! {
                            <ul class="elsewhere">
                                {detail.elsewhere.iter().map(|(city, m)| view! {
                                    <li>{city.clone()} ": " {m.date.clone()} ", " {m.time.clone()}</li>
                                }).collect_view()}
                            </ul>
                        })}
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, meeting_where)}</dt>
                    <dd>
                        {move || mode_label(i18n, mode)}
                        {(!place.is_empty()).then(|| view! { ": " {place.clone()} })}
                        {mode.has_link().then(|| view! { <p class="muted">{t!(i18n, meeting_link_after_registration)}</p> })}
                    </dd>
                </div>
                <div>
                    <dt>{t!(i18n, meeting_organiser)}</dt>
                    <dd><a href=link_to(i18n, organiser_link)>{organiser}</a></dd>
                </div>
                {s.sector.clone().map(|sector| view! {
                    <div><dt>{t!(i18n, meeting_sector)}</dt><dd>{in_lang(i18n, sector.name)}</dd></div>
                })}
                <div><dt>{t!(i18n, meeting_audience)}</dt><dd>{move || audience_label(i18n, audience)}</dd></div>
                <div><dt>{t!(i18n, meeting_language)}</dt><dd>{move || language_label(i18n, &language)}</dd></div>
                {capacity.map(|c| view! {
                    <div>
                        <dt>{t!(i18n, meeting_seats)}</dt>
                        <dd>
                            {t!(i18n, meeting_capacity, count = move || c)}
                            ", " {seats_left(i18n, seats.unwrap_or(0))}
                            {(waiting > 0).then(|| view! { ", " {t!(i18n, meeting_waiting, count = move || waiting)} })}
                        </dd>
                    </div>
                })}
            </dl>
            <div class="description" inner_html=detail.description_html.clone()></div>
            {(!detail.next.is_empty()).then(|| view! {
                <section aria-labelledby="series-heading">
                    <h2 id="series-heading">{t!(i18n, meeting_series)}</h2>
                    <ul class="link-list">
                        {detail.next.iter().map(|(id, m)| view! {
                            <li><a href=link_to(i18n, format!("meetings/{id}"))>{m.date.clone()} ", " {m.time.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                </section>
            })}
            <section aria-labelledby="add-heading">
                <h2 id="add-heading">{t!(i18n, meeting_add_to_calendar)}</h2>
                <ul class="link-list">
                    <li><a href=ics download="meeting.ics">{t!(i18n, meeting_download_ics)}</a></li>
                    <li><a href=detail.google.clone() rel="external noopener">"Google Calendar"</a></li>
                    <li><a href=detail.outlook.clone() rel="external noopener">"Outlook"</a></li>
                </ul>
            </section>
            <RegistrationBox detail=detail.clone() />
        </article>
    }
}

#[component]
fn RegistrationBox(detail: MeetingDetail) -> impl IntoView {
    let i18n = use_i18n();
    let s = &detail.summary;
    let body = match detail.window {
        RegistrationWindow::Open | RegistrationWindow::Waitlist => {
            view! { <RegistrationForm occurrence=s.id waitlist=detail.window == RegistrationWindow::Waitlist /> }.into_any()
        }
        RegistrationWindow::NotYet => {
            let at = detail.opens.clone().map(|m| format!("{}, {}", m.date, m.time)).unwrap_or_default();
            view! { <p>{t!(i18n, meeting_registration_not_yet, at = move || at.clone())}</p> }.into_any()
        }
        RegistrationWindow::Closed => view! { <p>{t!(i18n, meeting_registration_closed)}</p> }.into_any(),
        RegistrationWindow::Cancelled => view! { <p>{t!(i18n, meeting_cancelled_notice)}</p> }.into_any(),
        RegistrationWindow::None => view! { <p>{t!(i18n, meeting_registration_none)}</p> }.into_any(),
    };
    view! {
        <section class="registration" aria-labelledby="register-heading">
            <h2 id="register-heading">{t!(i18n, meeting_register)}</h2>
            {body}
        </section>
    }
}

#[component]
fn RegistrationForm(occurrence: i64, waitlist: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<Register>::new();
    let error = error_of(action);
    let consent_problem = move || {
        error
            .get()
            .and_then(|e| e.invalid().and_then(|i| i.problem("consent")))
    };
    let consented = error
        .get_untracked()
        .and_then(|e| {
            e.invalid()
                .and_then(|i| i.value("consent").map(|v| v == "yes"))
        })
        .unwrap_or(false);
    // Rendered on the server, which knows the deployment's retention; no page hydrates.
    let days = use_context::<crate::SiteInfo>()
        .map(|s| s.registration_days)
        .unwrap_or_default();
    let retention = t_string!(
        i18n,
        field_consent_retention,
        unconfirmed = days.unconfirmed,
        after = days.after
    )
    .to_string();
    view! {
        {waitlist.then(|| view! { <p class="notice">{t!(i18n, meeting_full_waitlist)}</p> })}
        <p>{t!(i18n, meeting_register_intro)}</p>
        <ActionForm action attr:class="form" attr:novalidate=true attr:target=crate::embed::stay()>
            <LangInput />
            <input type="hidden" name="occurrence" value=occurrence.to_string() />
            <FormAlert error />
            <Field name="name" label=Signal::derive(move || t_string!(i18n, field_name).to_owned()) kind=Kind::Text autocomplete="name" required=true error />
            <Field name="email" label=Signal::derive(move || t_string!(i18n, field_email).to_owned()) kind=Kind::Email autocomplete="email" required=true error />
            <Field name="organisation" label=Signal::derive(move || t_string!(i18n, field_organisation).to_owned()) kind=Kind::Text autocomplete="organization" error />
            <Field
                name="needs"
                label=Signal::derive(move || t_string!(i18n, field_needs).to_owned())
                hint=Signal::derive(move || t_string!(i18n, field_needs_hint).to_owned())
                kind=Kind::TextArea
                error
            />
            // Hidden from people (and from assistive technology); bots fill it in.
            <div class="trap" aria-hidden="true">
                <label for="field-website">"Website"</label>
                <input id="field-website" name="website" type="text" tabindex="-1" autocomplete="off" />
            </div>
            <div class="field field--check" class:field--invalid=move || consent_problem().is_some()>
                <input
                    id="field-consent"
                    name="consent"
                    type="checkbox"
                    value="yes"
                    required=true
                    checked=consented
                    aria-invalid=move || consent_problem().is_some().then_some("true")
                    aria-describedby="field-consent-error"
                />
                <label for="field-consent">{t!(i18n, field_consent)}</label>
                <p class="field-hint">{retention}</p>
                <p class="field-error" id="field-consent-error">
                    {move || consent_problem().map(|p| problem_text(i18n, p))}
                </p>
            </div>
            <button type="submit" class="button">{t!(i18n, meeting_register_submit)}</button>
        </ActionForm>
    }
}

/// The page a registrant's personal link opens: confirm, see the link, add to calendar, cancel.
#[component]
pub fn RegistrationPage() -> impl IntoView {
    let i18n = use_i18n();
    // A personal link: its page is nobody else's, and is kept by no cache.
    private_page();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let confirm = ServerAction::<ConfirmRegistration>::new();
    let cancel = ServerAction::<CancelRegistration>::new();
    let registration = Resource::new(
        move || {
            (
                i18n.get_locale().as_str().to_owned(),
                token(),
                confirm.version().get(),
                cancel.version().get(),
            )
        },
        |(lang, token, _, _)| get_registration(lang, token),
    );
    let done = move || query.read().get("done");
    // The first step of cancelling: the page asks before anything happens.
    let asking = move || query.read().get("confirm").as_deref() == Some("cancel");
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, registration_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, registration_title).to_owned())
        />
        <Meta name="robots" content="noindex" />
        // The URL carries the personal token: other sites (the meeting's video service) never
        // see it. Not `no-referrer`: that would send `Origin: null` with this page's own forms,
        // which the server refuses as cross-site.
        <Meta name="referrer" content="same-origin" />
        <div class="narrow">
            <h1>{t!(i18n, registration_title)}</h1>
            <div role="status">
                {move || done().map(|d| {
                    let text = match d.as_str() {
                        "cancelled" => t_string!(i18n, registration_done_cancelled),
                        "waiting" => t_string!(i18n, registration_done_waiting),
                        _ => t_string!(i18n, registration_done_confirmed),
                    };
                    view! { <p class="notice">{text}</p> }
                })}
            </div>
            <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
                {move || Suspend::new(async move {
                    match registration.await {
                        Ok(r) if asking() && live(r.status) => {
                            view! { <CancelQuestion r token=token() cancel /> }.into_any()
                        }
                        Ok(r) => view! { <RegistrationDetail r token=token() confirm cancel /> }.into_any(),
                        Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </div>
    }
}

#[component]
fn RegistrationDetail(
    r: RegistrationView,
    token: String,
    confirm: ServerAction<ConfirmRegistration>,
    cancel: ServerAction<CancelRegistration>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = r.meeting.clone();
    // The venue's name, then its address, as the meeting's page gives them.
    let place = [m.place.clone(), r.address.clone()]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let href = link_to(i18n, format!("meetings/{}", m.id));
    let confirm_error = error_of(confirm);
    let cancel_error = error_of(cancel);
    let status_text = {
        let position = r.position.unwrap_or(0);
        move || match r.status {
            RegistrationStatus::Pending => t_string!(i18n, registration_pending).to_owned(),
            RegistrationStatus::Confirmed => t_string!(i18n, registration_confirmed).to_owned(),
            RegistrationStatus::Waiting => {
                td_string!(i18n.get_locale(), registration_waiting, position = position).to_string()
            }
            RegistrationStatus::Cancelled => t_string!(i18n, registration_cancelled).to_owned(),
        }
    };
    let live = live(r.status);
    let token_for_ics = token.clone();
    let token_for_replace = token.clone();
    view! {
        <h2><a href=href>{m.title.clone()}</a></h2>
        <p>{m.starts.date.clone()} ", " {m.starts.time.clone()} "–" {m.ends.time.clone()} " (" {zone_label(i18n, m.timezone.clone())} ")"</p>
        <p class="registration-status"><strong>{status_text}</strong></p>
        <dl class="facts">
            <div><dt>{t!(i18n, field_name)}</dt><dd>{r.name.clone()}</dd></div>
            <div><dt>{t!(i18n, field_email)}</dt><dd>{r.email.clone()}</dd></div>
            {(!r.organisation.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, field_organisation)}</dt><dd>{r.organisation.clone()}</dd></div>
            })}
            {r.online_link.clone().map(|url| view! {
                <div><dt>{t!(i18n, registration_online_link)}</dt><dd><a href=url.clone() rel="external noopener">{url.clone()}</a></dd></div>
            })}
            {(r.status == RegistrationStatus::Confirmed && !place.is_empty()).then(|| view! {
                <div><dt>{t!(i18n, meeting_where)}</dt><dd>{place.clone()}</dd></div>
            })}
        </dl>
        {(r.status == RegistrationStatus::Pending).then(|| {
            let token = token.clone();
            view! {
                <ActionForm action=confirm attr:class="form">
                    <LangInput />
                    <input type="hidden" name="token" value=token />
                    <FormAlert error=confirm_error />
                    <button type="submit" class="button">{t!(i18n, registration_confirm)}</button>
                </ActionForm>
            }
        })}
        {(r.status == RegistrationStatus::Confirmed).then(|| view! {
            <p>
                <a href=format!("/feeds/registration.ics?token={token_for_ics}") download="meeting.ics">
                    {t!(i18n, meeting_download_ics)}
                </a>
            </p>
        })}
        // Only asks: the page that answers says what cancelling does and holds the real button.
        {live.then(|| view! {
            <form method="get" action=link_to(i18n, "registration") class="form">
                <input type="hidden" name="token" value=token.clone() />
                <input type="hidden" name="confirm" value="cancel" />
                <FormAlert error=cancel_error />
                <button type="submit" class="button button--secondary">{t!(i18n, registration_cancel)}</button>
            </form>
        })}
        {live.then(|| view! { <ReplaceLink token=token_for_replace /> })}
    }
}

/// Whether a registration can still be cancelled.
fn live(status: RegistrationStatus) -> bool {
    matches!(
        status,
        RegistrationStatus::Confirmed | RegistrationStatus::Waiting | RegistrationStatus::Pending
    )
}

/// The second step of cancelling, as its own page: what it does, the button that does it, and
/// the way back, so that one tap never gives a seat away.
#[component]
fn CancelQuestion(
    r: RegistrationView,
    token: String,
    cancel: ServerAction<CancelRegistration>,
) -> impl IntoView {
    let i18n = use_i18n();
    let m = r.meeting.clone();
    let error = error_of(cancel);
    let back = {
        let token = token.clone();
        move || format!("{}?token={token}", link_to(i18n, "registration")())
    };
    view! {
        <section class="confirm-step" aria-labelledby="cancel-question">
            <h2 id="cancel-question">{t!(i18n, registration_cancel_question)}</h2>
            <p><strong>{m.title.clone()}</strong></p>
            <p>{m.starts.date.clone()} ", " {m.starts.time.clone()} "–" {m.ends.time.clone()} " (" {zone_label(i18n, m.timezone.clone())} ")"</p>
            <p>{t!(i18n, registration_cancel_consequence)}</p>
            <ActionForm action=cancel attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button">{t!(i18n, registration_cancel_yes)}</button>
            </ActionForm>
            <p><a href=back>{t!(i18n, registration_cancel_keep)}</a></p>
        </section>
    }
}

/// For a link that reached someone else: a new one goes to the registration's address.
#[component]
fn ReplaceLink(token: String) -> impl IntoView {
    let i18n = use_i18n();
    let replace = ServerAction::<ReplaceRegistrationLink>::new();
    let error = error_of(replace);
    view! {
        <details class="replace-link">
            <summary>{t!(i18n, registration_replace_summary)}</summary>
            <p>{t!(i18n, registration_replace_text)}</p>
            <ActionForm action=replace attr:class="form">
                <LangInput />
                <input type="hidden" name="token" value=token />
                <FormAlert error />
                <button type="submit" class="button button--secondary">{t!(i18n, registration_replace_submit)}</button>
            </ActionForm>
        </details>
    }
}

//! The calendar pages: agenda, week and month views with filters in the URL, the meeting page
//! with its registration form, and the registrant's personal page.

use super::zone::zone_label;
use super::{
    get_calendar, get_meeting, get_registration, CalendarData, CancelRegistration,
    ConfirmRegistration, FilterOptions, Named, Register, ReplaceRegistrationLink,
};
use crate::forms::{error_of, problem_text, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, private_page, ErrorContent, I18n, PageMeta};
use crate::AppError;
use chrono::{Datelike, Duration, NaiveDate};
use domain::{
    Audience, CalendarQuery, CalendarView, MeetingDetail, MeetingSummary, Mode, Moment, Organiser,
    RegistrationStatus, RegistrationView, RegistrationWindow, MEETING_LANGUAGES,
};
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

mod filters;
mod meeting;
mod registration;
mod views;

pub use filters::*;
pub use meeting::*;
pub use registration::*;
pub use views::*;

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

/// A calendar with its filter form, view switch, navigation and subscription links, on a page
/// of its own (not inside another page's `Suspend`: see [`calendar_data`]).
#[component]
pub fn Calendar(scope: Scope) -> impl IntoView {
    let data = calendar_data(scope.clone());
    view! { <CalendarView scope data /> }
}

/// The calendar's data. The query comes from the URL; with JavaScript a filter change navigates
/// in place.
///
/// A page that shows the calendar under data of its own (a city's) creates this beside its own
/// resource, never in the view it builds once that data is in: on the server `Suspense` builds
/// such a view twice (once to find the resources it reads, once to render it), and a resource
/// created in the discarded copy would query the database for nothing.
pub fn calendar_data(scope: Scope) -> Resource<Result<CalendarData, AppError>> {
    let i18n = use_i18n();
    let query = use_query_map();
    let request = move || {
        let raw = query.read().to_query_string();
        let mut q = super_parse(raw.trim_start_matches('?'));
        scope.fix(&mut q);
        (i18n.get_locale().as_str().to_owned(), q.to_query_string())
    };
    Resource::new(request, |(lang, q)| get_calendar(lang, q))
}

/// The calendar of [`calendar_data`].
#[component]
pub fn CalendarView(scope: Scope, data: Resource<Result<CalendarData, AppError>>) -> impl IntoView {
    let i18n = use_i18n();
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
    crate::frame::within(i18n, path, widget)
}

#[component]
fn CalendarBody(data: CalendarData, scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
    let q = data.query.clone();
    let (first, last, today) = (data.first, data.last, data.today);
    let heading = range_heading(i18n, q.view, first, last);
    let count = data.meetings.len();
    let body = match q.view {
        CalendarView::Agenda => view! { <Agenda meetings=data.meetings.clone() /> }.into_any(),
        CalendarView::Week => {
            view! { <Week meetings=data.meetings.clone() first today /> }.into_any()
        }
        CalendarView::Month => {
            view! { <Month meetings=data.meetings.clone() first today /> }.into_any()
        }
    };
    let more = data.more;
    let filters = q.filters_query_string();
    let public_url = data.public_url.clone();
    view! {
        <Filters data=data.clone() scope=scope.clone() />
        <ViewSwitch q=q.clone() scope=scope.clone() />
        <h2 class="calendar-range" aria-live="polite">{heading}</h2>
        <p class="muted">{t!(i18n, calendar_count, count = move || count)}</p>
        {body}
        <Pager q first more scope />
        <Subscribe filters public_url />
    }
}

/// Links to the agenda, week and month views of the same filters.
#[component]
fn ViewSwitch(q: CalendarQuery, scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
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
        view! { <li><a href=href aria-current=(v == q.view).then_some("page") target=crate::frame::stay()>{label}</a></li> }
    })
    .collect_view();
    view! {
        <nav class="calendar-views" aria-label=move || t_string!(i18n, calendar_views_label)>
            <ul>{views}</ul>
        </nav>
    }
}

/// The previous and next page, week or month, and today's.
#[component]
fn Pager(q: CalendarQuery, first: NaiveDate, more: bool, scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
    let (previous, next) = neighbours(&q, first);
    let mut today_q = q.clone();
    today_q.from = None;
    today_q.page = 1;
    let show_previous = q.view != CalendarView::Agenda || q.page > 1;
    let show_next = q.view != CalendarView::Agenda || more;
    view! {
        <nav class="pager" aria-label=move || t_string!(i18n, calendar_pages_label)>
            {show_previous.then(|| view! {
                <a rel="prev" href=link_with(i18n, &scope, &previous) target=crate::frame::stay()>{t!(i18n, calendar_previous)}</a>
            })}
            <a href=link_with(i18n, &scope, &today_q) target=crate::frame::stay()>{t!(i18n, calendar_today)}</a>
            {show_next.then(|| view! {
                <a rel="next" href=link_with(i18n, &scope, &next) target=crate::frame::stay()>{t!(i18n, calendar_next)}</a>
            })}
        </nav>
    }
}

/// The feeds of the same filters: a subscription, a file, JSON.
#[component]
fn Subscribe(filters: String, public_url: String) -> impl IntoView {
    let i18n = use_i18n();
    let lang = move || i18n.get_locale().as_str().to_owned();
    let feed_query = move || {
        if filters.is_empty() {
            format!("lang={}", lang())
        } else {
            format!("{filters}&lang={}", lang())
        }
    };
    let host = public_url
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
    let json = move || format!("/feeds/calendar.json?{}", feed_query());
    view! {
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

//! The calendar's filter form.

use super::*;

/// `<option>`s for records named in both languages, the chosen one selected.
pub(super) fn named_options(
    i18n: I18n,
    options: Vec<Named>,
    chosen: Option<String>,
) -> impl Fn() -> AnyView + Send + Sync + 'static {
    move || {
        let lang = i18n.get_locale().as_str();
        options
            .iter()
            .map(|o| {
                let selected = chosen.as_deref() == Some(o.slug.as_str());
                view! { <option value=o.slug.clone() selected=selected>{o.name.get(lang).to_owned()}</option> }
            })
            .collect_view()
            .into_any()
    }
}

fn option(value: String, label: String, selected: bool) -> impl IntoView {
    view! { <option value=value selected=selected>{label}</option> }
}

/// The filter form: a plain GET form, so it works before (and without) the WebAssembly.
#[component]
pub(super) fn Filters(data: CalendarData, scope: Scope) -> impl IntoView {
    let i18n = use_i18n();
    let q = data.query.clone();
    let action = crate::frame::within(i18n, scope.path(), "calendar".to_owned());
    // The page's own city or cluster, as a query holds it.
    let mut fixed = CalendarQuery::default();
    scope.fix(&mut fixed);
    // Inside a widget the form's action has one path: its city or cluster travels as a field.
    let fixed_fields = crate::frame::frame().map(|_| {
        [
            ("city", fixed.city.clone()),
            ("cluster", fixed.cluster.clone()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| view! { <input type="hidden" name=k value=v /> }))
        .collect_view()
    });
    let clear = crate::frame::within(
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
    let network = matches!(scope, Scope::Network);
    let options = data.options;
    view! {
        <details class="calendar-filters" open=chosen>
            <summary>{t!(i18n, calendar_filters)}</summary>
            <Form method="GET" action=action attr:class="form filters-form" attr:target=crate::frame::stay()>
                <input type="hidden" name="view" value=view_value />
                {fixed_fields}
                <crate::frame::ThemeInputs />
                {network.then(|| view! { <OwnerFields options=options.clone() q=q.clone() /> })}
                <MeetingFields sectors=options.sectors.clone() q=q.clone() />
                <DayFields q />
                <div class="form-actions">
                    <button type="submit" class="button">{t!(i18n, calendar_apply)}</button>
                    <a href=clear target=crate::frame::stay()>{t!(i18n, calendar_clear)}</a>
                </div>
            </Form>
        </details>
    }
}

/// The network calendar's city and cluster.
#[component]
fn OwnerFields(options: FilterOptions, q: CalendarQuery) -> impl IntoView {
    let i18n = use_i18n();
    let cities = {
        let mut cities = options.cities;
        crate::directory::sort_by_name(i18n, &mut cities, |c| &c.name);
        named_options(i18n, cities, q.city.clone())
    };
    let clusters = named_options(i18n, options.clusters, q.cluster.clone());
    let any = move || t_string!(i18n, calendar_any).to_owned();
    view! {
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
    }
}

/// What the meetings are about and how they are held.
#[component]
fn MeetingFields(sectors: Vec<Named>, q: CalendarQuery) -> impl IntoView {
    let i18n = use_i18n();
    let sectors = named_options(i18n, sectors, q.sector.clone());
    let audience = q.audience;
    let audiences = move || {
        Audience::ALL
            .into_iter()
            .map(|a| {
                option(
                    a.as_str().into(),
                    audience_label(i18n, a),
                    audience == Some(a),
                )
            })
            .collect_view()
    };
    let mode = q.mode;
    let modes = move || {
        Mode::ALL
            .into_iter()
            .map(|m| option(m.as_str().into(), mode_label(i18n, m), mode == Some(m)))
            .collect_view()
    };
    let language = q.language.clone();
    let languages = move || {
        MEETING_LANGUAGES
            .into_iter()
            .map(|l| {
                option(
                    l.into(),
                    language_label(i18n, l),
                    language.as_deref() == Some(l),
                )
            })
            .collect_view()
    };
    let any = move || t_string!(i18n, calendar_any).to_owned();
    view! {
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
    }
}

/// The first and last day.
#[component]
fn DayFields(q: CalendarQuery) -> impl IntoView {
    let i18n = use_i18n();
    let from = q.from.map(|d| d.to_string()).unwrap_or_default();
    let to = q.to.map(|d| d.to_string()).unwrap_or_default();
    view! {
        <div class="field">
            <label for="filter-from">{t!(i18n, calendar_filter_from)}</label>
            <input id="filter-from" name="from" type="date" value=from />
        </div>
        <div class="field">
            <label for="filter-to">{t!(i18n, calendar_filter_to)}</label>
            <input id="filter-to" name="to" type="date" value=to />
        </div>
    }
}

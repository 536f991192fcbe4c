//! The calendar's filter form.

use super::*;

/// `<option>`s for records named in both languages, the chosen one selected.
pub(super) fn named_options(
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
    view! {
        <details class="calendar-filters" open=chosen>
            <summary>{t!(i18n, calendar_filters)}</summary>
            <Form method="GET" action=action attr:class="form filters-form" attr:target=crate::frame::stay()>
                <input type="hidden" name="view" value=view_value />
                {fixed_fields}
                <crate::frame::ThemeInputs />
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
                    <a href=clear target=crate::frame::stay()>{t!(i18n, calendar_clear)}</a>
                </div>
            </Form>
        </details>
    }
}

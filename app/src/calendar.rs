//! Meeting calendars. The network calendar lists what coordinators publish.

use crate::i18n::*;
use crate::layout::PageMeta;
use leptos::prelude::*;

#[component]
pub fn NetworkCalendarPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, calendar_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, calendar_description).to_owned())
        />
        <h1>{t!(i18n, calendar_title)}</h1>
        <p class="empty-state">{t!(i18n, calendar_empty)}</p>
    }
}

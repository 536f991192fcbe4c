//! The coordinators' pact pages, under `/{lang}/coordinate/pacts/{city}` and
//! `/{lang}/coordinate/adhesions/{id}`.

use super::*;
use crate::coordinate::AreaPage;
use crate::forms::{error_of, problem_text, Field, FormAlert, Kind, LangInput};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, slug_param, I18n, TableScroll};
use crate::pact::{status_label, text, upload_error, DetailsFields, UploadForm};
use leptos_router::components::Form;
use leptos_router::hooks::{use_location, use_params_map, use_query_map};

mod queue;
mod settings;
mod table;

pub use queue::*;
pub use settings::*;
pub use table::*;

/// Links between the pact's coordinator pages.
#[component]
fn PactNav(slug: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <nav class="area-nav" aria-label=move || t_string!(i18n, area_nav_label)>
            <ul>
                <li><a href=link_to(i18n, format!("coordinate/pacts/{slug}"))>{t!(i18n, queue_title)}</a></li>
                <li><a href=link_to(i18n, format!("coordinate/pacts/{slug}/settings"))>{t!(i18n, pact_settings_title)}</a></li>
                <li><a href=link_to(i18n, format!("coordinate/pacts/{slug}/table"))>{t!(i18n, table_title)}</a></li>
                <li><a href=format!("/coordinate/pacts/{slug}/adhesions.csv") download=format!("{slug}-adhesions.csv")>{t!(i18n, queue_export)}</a></li>
                <li><a href=link_to(i18n, format!("cities/{slug}/pact"))>{t!(i18n, queue_public_page)}</a></li>
            </ul>
        </nav>
    }
}

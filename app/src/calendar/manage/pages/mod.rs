//! Pages of meeting management, under `/{lang}/coordinate/meetings` and
//! `/{lang}/coordinate/occurrences/{id}`. Every form is a plain post that works without
//! JavaScript; with it, the same forms post in place and the lists reload.

use super::*;
use crate::accounts::Notice;
use crate::calendar::{audience_label, language_label, mode_label, Named};
use crate::coordinate::AreaPage;
use crate::forms::{error_of, Check, Field, FormAlert, Kind, LangInput, Select};
use crate::i18n::*;
use crate::layout::{in_lang, link_to, I18n};
use domain::{Audience, Mode, MEETING_LANGUAGES};
use leptos::form::ActionForm;
use leptos_router::components::Form;
use leptos_router::hooks::{use_params_map, use_query_map};

mod date;
mod list;
mod meeting;

pub use date::*;
pub use list::*;
pub use meeting::*;

fn lang_of(i18n: I18n) -> String {
    i18n.get_locale().as_str().to_owned()
}

fn date_label(m: &Moment) -> String {
    format!("{}, {}", m.date, m.time)
}

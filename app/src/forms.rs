//! Forms that work without JavaScript and better with it. A plain post comes back to its page
//! with the error in the URL (Leptos's `__err`), the page renders it with its 4xx status and the
//! values typed; with JavaScript the same error arrives without a reload. Either way each
//! field names its own problem, linked to the input for screen readers.

use crate::i18n::*;
use crate::layout::{set_status, I18n};
use crate::{AppError, Invalid, Problem};
use leptos::prelude::*;

/// The error of a server action's latest result, as forms read it.
pub fn error_of<S>(action: ServerAction<S>) -> Signal<Option<AppError>>
where
    S: leptos::server_fn::ServerFn<Error = AppError> + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

pub fn problem_text(i18n: I18n, problem: Problem) -> String {
    let locale = i18n.get_locale();
    match problem {
        Problem::Required => td_string!(locale, problem_required),
        Problem::Email => td_string!(locale, problem_email),
        Problem::PasswordTooShort => td_string!(locale, problem_password_short),
        Problem::PasswordTooLong => td_string!(locale, problem_password_long),
        Problem::PasswordsDiffer => td_string!(locale, problem_passwords_differ),
        Problem::Credentials => td_string!(locale, problem_credentials),
        Problem::CurrentPassword => td_string!(locale, problem_current_password),
        Problem::Link => td_string!(locale, problem_link),
        Problem::Url => td_string!(locale, problem_url),
        Problem::TooLong => td_string!(locale, problem_too_long),
        Problem::UnknownRecord => td_string!(locale, problem_unknown_record),
        Problem::Language => td_string!(locale, problem_language),
        Problem::EmailTaken => td_string!(locale, problem_email_taken),
        Problem::Characters => td_string!(locale, problem_characters),
        Problem::Format => td_string!(locale, problem_format),
        Problem::Consent => td_string!(locale, problem_consent),
        Problem::RegistrationClosed => td_string!(locale, problem_registration_closed),
        Problem::EndBeforeStart => td_string!(locale, problem_end_before_start),
        Problem::NonexistentTime => td_string!(locale, problem_nonexistent_time),
        Problem::TooFrequent => td_string!(locale, problem_too_frequent),
        Problem::OutOfRange => td_string!(locale, problem_out_of_range),
        Problem::Number => td_string!(locale, problem_number),
        Problem::CapacityBelowTaken => td_string!(locale, problem_capacity_below_taken),
        Problem::NoSeat => td_string!(locale, problem_no_seat),
        Problem::AlreadyRegistered => td_string!(locale, problem_already_registered),
        Problem::Confirm => td_string!(locale, problem_confirm),
        Problem::Checksum => td_string!(locale, problem_checksum),
        Problem::Duplicate => td_string!(locale, problem_duplicate),
        Problem::FileTooLarge => td_string!(locale, problem_file_too_large),
        Problem::ImageType => td_string!(locale, problem_image_type),
        Problem::LinkExpired => td_string!(locale, problem_link_expired),
        Problem::Choice => td_string!(locale, problem_choice),
        Problem::ChooseOne => td_string!(locale, problem_choose_one),
        Problem::Attestation => td_string!(locale, problem_attestation),
        Problem::Privacy => td_string!(locale, problem_privacy),
        Problem::TooFar => td_string!(locale, problem_too_far),
        Problem::BothOrNeither => td_string!(locale, problem_both_or_neither),
        Problem::PactClosed => td_string!(locale, problem_pact_closed),
        Problem::InUse => td_string!(locale, problem_in_use),
        Problem::TaxCodeTaken => td_string!(locale, problem_tax_code_taken),
    }
    .to_string()
}

fn error_text(i18n: I18n, error: &AppError) -> String {
    let locale = i18n.get_locale();
    match error {
        AppError::Invalid(invalid) => match invalid.problem(Invalid::FORM) {
            Some(p) => problem_text(i18n, p),
            None => td_string!(locale, form_has_problems).to_string(),
        },
        AppError::Unauthorized => td_string!(locale, error_unauthorized).to_string(),
        AppError::Forbidden => td_string!(locale, error_forbidden).to_string(),
        AppError::TooManyRequests => td_string!(locale, error_too_many).to_string(),
        AppError::Unavailable => td_string!(locale, error_unavailable).to_string(),
        AppError::Conflict => td_string!(locale, error_conflict).to_string(),
        AppError::LinkGone => td_string!(locale, link_gone_text).to_string(),
        AppError::NotFound => td_string!(locale, not_found_title).to_string(),
        AppError::Internal | AppError::Transport(_) => td_string!(locale, error_text).to_string(),
    }
}

/// The id of the summary of the form a plain post was refused from: the redirect back to the
/// page ends in `#problems` (server/src/flash.rs), so the browser lands there rather than at
/// the page's top, as GOV.UK's error summary does.
pub const PROBLEMS_ID: &str = "problems";

/// The form's summary of what went wrong, announced when it appears.
#[component]
pub fn FormAlert(error: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    // Rendered on the server after a plain post came back with an error: the page carries the
    // error's status, as the JSON answer to the same call would.
    let refused = error.get_untracked();
    if let Some(e) = &refused {
        set_status(e.status());
    }
    // Only the summary of the form that was posted has an error as the page is rendered (the
    // error names its server function), and no page has two forms of one function.
    let id = refused.is_some().then_some(PROBLEMS_ID);
    view! {
        <div class="form-alert" id=id role="alert" aria-live="assertive">
            {move || error.get().map(|e| view! { <p>{error_text(i18n, &e)}</p> })}
        </div>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Email,
    Password,
    Url,
    TextArea,
    /// A wall-clock date and time (`datetime-local`), "2021-01-19T17:30".
    DateTime,
    Date,
    Number,
}

/// A labelled input with its hint and its problem. Passwords are never filled in again.
#[component]
pub fn Field(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    kind: Kind,
    error: Signal<Option<AppError>>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let problem = problem_signal(error, name);
    let initial = if kind == Kind::Password {
        None
    } else {
        Some(kept_value(error, name, value.unwrap_or_default()))
    };
    let described = described_by(&hint_id, &error_id, hint.is_some(), problem);
    let invalid = move || problem().is_some().then_some("true");
    let input = match kind {
        Kind::TextArea => view! {
            <textarea
                id=id.clone()
                name=name
                rows="6"
                required=required
                aria-invalid=invalid
                aria-describedby=described.clone()
            >
                {textarea_text(initial.clone().unwrap_or_default())}
            </textarea>
        }
        .into_any(),
        _ => {
            let ty = match kind {
                Kind::Email => "email",
                Kind::Password => "password",
                Kind::Url => "url",
                Kind::DateTime => "datetime-local",
                Kind::Date => "date",
                Kind::Number => "number",
                _ => "text",
            };
            view! {
                <input
                    id=id.clone()
                    name=name
                    type=ty
                    value=initial.clone()
                    autocomplete=autocomplete
                    required=required
                    aria-invalid=invalid
                    aria-describedby=described.clone()
                />
            }
            .into_any()
        }
    };
    view! {
        <div class="field" class:field--invalid=move || problem().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{move || h.get()}</p> })}
            {input}
            <p class="field-error" id=error_id.clone()>
                {move || problem().map(|p| problem_text(i18n, p))}
            </p>
        </div>
    }
}

/// The text of a `<textarea>`, ready to be its child. The renderer writes a textarea's children
/// unescaped (it counts it among raw-text elements), so on the server text is escaped here:
/// a value holding `</textarea>` must not end the element. In the browser a child is a DOM text
/// node and needs nothing.
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    let text = html_escape::encode_text(&text).into_owned();
    text
}

/// A hidden input carrying the page's language, so that redirects and mail follow it.
#[component]
pub fn LangInput() -> impl IntoView {
    let i18n = use_i18n();
    view! { <input type="hidden" name="lang" value=move || i18n.get_locale().as_str() /> }
}

/// The value a form field shows: what was typed before an error came back, else `value`.
fn kept_value(error: Signal<Option<AppError>>, name: &str, value: String) -> String {
    error
        .get_untracked()
        .and_then(|e| e.invalid().and_then(|i| i.value(name).map(str::to_owned)))
        .unwrap_or(value)
}

fn problem_signal(
    error: Signal<Option<AppError>>,
    name: &'static str,
) -> impl Fn() -> Option<Problem> + Copy + Send + Sync + 'static {
    move || {
        error
            .get()
            .and_then(|e| e.invalid().and_then(|i| i.problem(name)))
    }
}

/// A labelled choice among fixed options, with its hint and its problem.
#[component]
pub fn Select(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    /// Value and label of each option, in order.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    #[prop(into)] value: String,
    error: Signal<Option<AppError>>,
    #[prop(optional, into)] hint: Option<Signal<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let problem = problem_signal(error, name);
    let chosen = kept_value(error, name, value);
    let described = described_by(&hint_id, &error_id, hint.is_some(), problem);
    view! {
        <div class="field" class:field--invalid=move || problem().is_some()>
            <label for=id.clone()>{move || label.get()}</label>
            {hint.map(|h| view! { <p class="field-hint" id=hint_id.clone()>{move || h.get()}</p> })}
            <select
                id=id.clone()
                name=name
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby=described
            >
                {move || {
                    let chosen = chosen.clone();
                    options
                        .get()
                        .into_iter()
                        .map(|(v, l)| {
                            let selected = v == chosen;
                            view! { <option value=v selected=selected>{l}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <p class="field-error" id=error_id.clone()>
                {move || problem().map(|p| problem_text(i18n, p))}
            </p>
        </div>
    }
}

/// A select of a GET filter form (the map's, a library's): its first option keeps every value.
/// The field's name is its id, so that the label and links to it find it.
#[component]
pub fn FilterSelect(
    name: &'static str,
    label: impl Fn() -> String + Send + Sync + 'static,
    all: impl Fn() -> String + Send + Sync + 'static,
    /// The value in the address, or empty.
    chosen: String,
    /// Value and label of each option, in order.
    options: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label for=name>{label}</label>
            <select id=name name=name>
                <option value="" selected=chosen.is_empty()>{all}</option>
                {options.into_iter().map(|(value, text)| {
                    let selected = value == chosen;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// A labelled checkbox sending `yes` when ticked, with its problem.
#[component]
pub fn Check(
    name: &'static str,
    #[prop(into)] label: Signal<String>,
    checked: bool,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let problem = problem_signal(error, name);
    // A box sent back after an error shows what was sent (an unticked box sends nothing).
    let checked = match error.get_untracked().and_then(|e| e.invalid().cloned()) {
        Some(invalid) if !invalid.values.is_empty() => invalid.value(name) == Some("yes"),
        _ => checked,
    };
    view! {
        <div class="field field--check" class:field--invalid=move || problem().is_some()>
            <input
                id=id.clone()
                name=name
                type="checkbox"
                value="yes"
                checked=checked
                aria-invalid=move || problem().is_some().then_some("true")
                aria-describedby=move || problem().is_some().then(|| error_id.clone())
            />
            <label for=id.clone()>{move || label.get()}</label>
            <p class="field-error" id=format!("field-{name}-error")>
                {move || problem().map(|p| problem_text(i18n, p))}
            </p>
        </div>
    }
}

/// The `aria-describedby` of a field: its hint, if it has one, and its problem, when shown.
fn described_by(
    hint_id: &str,
    error_id: &str,
    has_hint: bool,
    problem: impl Fn() -> Option<Problem> + Send + Sync + 'static,
) -> impl Fn() -> Option<String> + Clone + Send + Sync + 'static {
    let (hint_id, error_id) = (hint_id.to_owned(), error_id.to_owned());
    let problem = std::sync::Arc::new(problem);
    move || {
        let mut ids = Vec::new();
        if has_hint {
            ids.push(hint_id.clone());
        }
        if problem().is_some() {
            ids.push(error_id.clone());
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// The problem a field shows for a value its newtype refused.
pub fn problem_of(e: domain::ParseError) -> Problem {
    use domain::ParseError as E;
    match e {
        E::Empty => Problem::Required,
        E::TooLong => Problem::TooLong,
        E::InvalidCharacters => Problem::Characters,
        E::EndBeforeStart => Problem::EndBeforeStart,
        E::NonexistentTime => Problem::NonexistentTime,
        E::TooFrequent => Problem::TooFrequent,
        E::OutOfRange => Problem::OutOfRange,
        E::NotANumber => Problem::Number,
        E::Checksum => Problem::Checksum,
        E::TooShort | E::InvalidFormat => Problem::Format,
    }
}

/// Parsing of submitted text that every capability's forms share.
#[cfg(feature = "ssr")]
pub mod input {
    use crate::{Invalid, Problem};

    pub use super::problem_of;

    /// A required e-mail address, or the field's problem.
    pub fn email_field(invalid: &mut Invalid, field: &str, raw: &str) -> Option<domain::Email> {
        domain::Email::parse(raw)
            .map_err(|e| {
                let problem = if e == domain::ParseError::Empty {
                    Problem::Required
                } else {
                    Problem::Email
                };
                invalid.add(field, problem)
            })
            .ok()
    }

    /// A required name (of a person, an organisation, a partner), or the field's problem.
    pub fn name_field(invalid: &mut Invalid, field: &str, raw: &str) -> Option<domain::Name> {
        domain::Name::parse(raw)
            .map_err(|e| invalid.add(field, problem_of(e)))
            .ok()
    }

    /// Optional free text: trimmed, line ends unified, bounded, no control characters but
    /// line breaks.
    pub fn optional_text(invalid: &mut Invalid, field: &str, raw: &str, max: usize) -> String {
        let text = raw.trim().replace("\r\n", "\n");
        if text.chars().count() > max {
            invalid.add(field, Problem::TooLong);
        } else if text.chars().any(|c| c.is_control() && c != '\n') {
            invalid.add(field, Problem::Characters);
        }
        text
    }

    /// Required free text: as [`optional_text`], and not empty.
    pub fn required_text(invalid: &mut Invalid, field: &str, raw: &str, max: usize) -> String {
        let text = optional_text(invalid, field, raw, max);
        if text.is_empty() {
            invalid.add(field, Problem::Required);
        }
        text
    }

    /// A position from the `latitude` and `longitude` fields: both or neither (neither is a
    /// problem when `required`), each in range, and within [`domain::CITY_REACH_KM`] of `near`
    /// when given; else each field's problem.
    pub fn position(
        invalid: &mut Invalid,
        latitude: &str,
        longitude: &str,
        near: Option<(f64, f64)>,
        required: bool,
    ) -> Option<(f64, f64)> {
        let missing = if required {
            Problem::Required
        } else {
            Problem::BothOrNeither
        };
        match (latitude.trim().is_empty(), longitude.trim().is_empty()) {
            (true, true) => {
                if required {
                    invalid.add("latitude", Problem::Required);
                    invalid.add("longitude", Problem::Required);
                }
                return None;
            }
            (false, true) => {
                invalid.add("longitude", missing);
                return None;
            }
            (true, false) => {
                invalid.add("latitude", missing);
                return None;
            }
            (false, false) => {}
        }
        let at = match domain::Coordinates::parse(latitude, longitude) {
            Ok(c) => (c.latitude(), c.longitude()),
            Err((field, e)) => {
                let name = match field {
                    domain::CoordinateField::Latitude => "latitude",
                    domain::CoordinateField::Longitude => "longitude",
                };
                invalid.add(name, problem_of(e));
                return None;
            }
        };
        match near {
            Some(centre) if domain::distance_km(at, centre) > domain::CITY_REACH_KM => {
                invalid.add("latitude", Problem::TooFar);
                None
            }
            _ => Some(at),
        }
    }

    /// An optional web address: http or https with a host, else the field's problem.
    pub fn web_address(invalid: &mut Invalid, field: &str, raw: &str) -> Option<String> {
        let raw = raw.trim();
        if raw.is_empty() {
            return None;
        }
        match url::Url::parse(raw) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {
                if u.as_str().chars().count() > 500 {
                    invalid.add(field, Problem::TooLong);
                    return None;
                }
                Some(u.to_string())
            }
            _ => {
                invalid.add(field, Problem::Url);
                None
            }
        }
    }
}

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// What a server function reports to the page. Internal causes are logged on the server and never
/// reach the browser.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    /// Nobody is signed in, and this needs someone who is.
    #[error("sign-in required")]
    Unauthorized,
    /// Signed in, but without a role for this very record.
    #[error("forbidden")]
    Forbidden,
    /// Some fields were wrong; the typed values travel back so that a form re-rendered without
    /// JavaScript loses nothing.
    #[error("invalid input")]
    Invalid(Invalid),
    #[error("too many attempts")]
    TooManyRequests,
    #[error("internal error")]
    Internal,
    /// The database cannot be reached just now; nothing was changed.
    #[error("temporarily unavailable")]
    Unavailable,
    /// Someone else changed the same record at the same moment (a constraint no form field
    /// names): nothing was changed, and trying again is the answer.
    #[error("changed by someone else at the same time")]
    Conflict,
    /// A personal link that opens nothing (any more): unknown, replaced, or its record erased.
    #[error("link no longer valid")]
    LinkGone,
    #[error("request failed: {0}")]
    Transport(String),
}

/// Why a field (or, under the name `form`, the whole form) was refused. The page translates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Problem {
    Required,
    Email,
    PasswordTooShort,
    PasswordTooLong,
    PasswordsDiffer,
    /// E-mail and password do not match an account (never says which).
    Credentials,
    CurrentPassword,
    /// A one-time link that is unknown, used or expired (never says which).
    Link,
    Url,
    TooLong,
    UnknownRecord,
    Language,
    EmailTaken,
    /// Control characters or others a field does not admit.
    Characters,
    /// Not in the shape the field expects.
    Format,
    Consent,
    RegistrationClosed,
    /// An end (or closing time) that is not after its start.
    EndBeforeStart,
    /// A wall-clock time the clocks skip that day.
    NonexistentTime,
    /// A repetition more often than daily, or with too many dates.
    TooFrequent,
    /// A number or duration outside what the field admits.
    OutOfRange,
    Number,
    /// Fewer seats than people already holding one.
    CapacityBelowTaken,
    /// No seat is free for this.
    NoSeat,
    /// The person already holds a registration for that date.
    AlreadyRegistered,
    /// A box that must be ticked to go ahead with something that cannot be undone.
    Confirm,
    /// A code whose check digit does not match: most likely a typing mistake.
    Checksum,
    /// This organisation has already adhered (or is waiting to be confirmed or approved).
    Duplicate,
    /// A file larger than the field admits.
    FileTooLarge,
    /// A file that is not an image of the kinds the field admits.
    ImageType,
    /// A link that has expired (a new one can be sent).
    LinkExpired,
    /// A value that is not one of the options offered.
    Choice,
    /// At least one of a group of boxes must be ticked.
    ChooseOne,
    /// The attestation of authority to sign for the organisation is missing.
    Attestation,
    /// The privacy notice was not acknowledged.
    Privacy,
    /// A position too far from the city.
    TooFar,
    /// Latitude without longitude, or the other way round.
    BothOrNeither,
    /// The pact has no published text yet, so nobody can adhere to it.
    PactClosed,
    /// Still used by other records, so it cannot be removed.
    InUse,
    /// A confirmed adhesion of this pact already has this tax code.
    TaxCodeTaken,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invalid {
    pub problems: Vec<(String, Problem)>,
    pub values: Vec<(String, String)>,
}

impl Invalid {
    /// The field name for problems of the whole form.
    pub const FORM: &'static str = "form";

    pub fn add(&mut self, field: &str, problem: Problem) {
        self.problems.push((field.to_owned(), problem));
    }

    /// Remembers what was typed in a field (never a password) to fill it in again.
    pub fn keep(&mut self, field: &str, value: &str) {
        self.values.push((field.to_owned(), value.to_owned()));
    }

    pub fn problem(&self, field: &str) -> Option<Problem> {
        self.problems
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, p)| *p)
    }

    pub fn value(&self, field: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(f, _)| f == field)
            .map(|(_, v)| v.as_str())
    }

    /// `Ok` when nothing was wrong, so a parser can collect every problem before giving up.
    pub fn into_result(self) -> Result<(), AppError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self))
        }
    }

    pub fn only(field: &str, problem: Problem) -> AppError {
        let mut invalid = Invalid::default();
        invalid.add(field, problem);
        AppError::Invalid(invalid)
    }

    /// The values worth keeping for the form to come back with, within `bounds`: a value that
    /// was refused for its length is dropped (the person sees the error and retypes a shorter
    /// one; keeping it would let anyone store whatever the body limit allows), the others are
    /// cut at a character boundary, and fields past the total are left out.
    pub fn bounded(mut self, bounds: KeptBounds) -> Self {
        let too_long: Vec<String> = self
            .problems
            .iter()
            .filter(|(_, p)| matches!(p, Problem::TooLong | Problem::PasswordTooLong))
            .map(|(f, _)| f.clone())
            .collect();
        let mut total = 0;
        self.values = std::mem::take(&mut self.values)
            .into_iter()
            .filter(|(field, _)| !too_long.contains(field))
            .take(bounds.fields)
            .map_while(|(field, mut value)| {
                value.truncate(value.floor_char_boundary(bounds.per_field));
                total += field.len() + value.len();
                (total <= bounds.total).then_some((field, value))
            })
            .collect();
        self
    }
}

/// How much of a refused form is kept for it to come back with (in bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeptBounds {
    pub per_field: usize,
    pub total: usize,
    pub fields: usize,
}

impl KeptBounds {
    /// Forms anyone may post: no public field is longer than a few hundred characters.
    pub const ANONYMOUS: KeptBounds = KeptBounds {
        per_field: 4 * 1024,
        total: 16 * 1024,
        fields: 64,
    };
    /// A coordinator's forms, whose texts (a pact, a meeting's description) run to pages.
    pub const SIGNED_IN: KeptBounds = KeptBounds {
        per_field: 200 * 1024,
        total: 400 * 1024,
        fields: 256,
    };
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        // On the server these say that the request's body is not the function's arguments
        // (a field missing, twice or of the wrong type, bytes that are not UTF-8): the sender's
        // mistake, which the form shows like any other refusal rather than as our failure.
        #[cfg(feature = "ssr")]
        if let ServerFnErrorErr::Args(_)
        | ServerFnErrorErr::MissingArg(_)
        | ServerFnErrorErr::Deserialization(_) = value
        {
            tracing::debug!(error = %value, "server function arguments refused");
            return Invalid::only(Invalid::FORM, Problem::Format);
        }
        AppError::Transport(value.to_string())
    }
}

/// A personal link's record not found is a link that no longer opens anything; any other
/// failure is what it is (an outage is not a bad link).
#[cfg(feature = "ssr")]
pub fn link_gone(e: db::DbError) -> AppError {
    match e {
        db::DbError::NotFound => AppError::LinkGone,
        other => other.into(),
    }
}

#[cfg(feature = "ssr")]
impl From<db::DbError> for AppError {
    fn from(e: db::DbError) -> Self {
        match e {
            db::DbError::NotFound => AppError::NotFound,
            db::DbError::Characters => Invalid::only(Invalid::FORM, Problem::Characters),
            db::DbError::Conflict { constraint, detail } => {
                tracing::warn!(?constraint, %detail, "a write met a constraint no caller names");
                AppError::Conflict
            }
            db::DbError::Unavailable(e) => {
                tracing::warn!(error = %e, "database unavailable");
                AppError::Unavailable
            }
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

/// An error answered outside a server function (a feed, a document, an export): its status and
/// its words. Server functions answer through Leptos with their own encoding and the same status.
#[cfg(feature = "ssr")]
impl axum::response::IntoResponse for AppError {
    fn into_response(self) -> axum::response::Response {
        (self.status(), self.to_string()).into_response()
    }
}

impl AppError {
    /// The HTTP status a page or a server-function call showing this error is served with. It
    /// is set in two places, so that no server function can forget it: for a call, by the
    /// server's `statuses::of_the_error` from the error the response carries; for a page, by
    /// the view that shows the error (`ErrorContent`, a form's `FormAlert`).
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound | AppError::LinkGone => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Conflict => StatusCode::CONFLICT,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn invalid(&self) -> Option<&Invalid> {
        match self {
            AppError::Invalid(i) => Some(i),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(values: &[(&str, String)], problems: &[(&str, Problem)]) -> Invalid {
        Invalid {
            problems: problems.iter().map(|(f, p)| (f.to_string(), *p)).collect(),
            values: values
                .iter()
                .map(|(f, v)| (f.to_string(), v.clone()))
                .collect(),
        }
    }

    #[test]
    fn a_value_refused_for_its_length_is_not_kept_and_the_rest_are_cut() {
        let bounds = KeptBounds {
            per_field: 8,
            total: 1000,
            fields: 10,
        };
        let kept = typed(
            &[
                ("name", "Ada Lovelace".into()),
                ("needs", "x".repeat(50)),
                ("city", "Città".into()),
            ],
            &[("needs", Problem::TooLong)],
        )
        .bounded(bounds);
        // "Città" is 6 bytes; "Ada Love" the first 8 of the name.
        assert_eq!(
            kept.values,
            vec![
                ("name".to_owned(), "Ada Love".to_owned()),
                ("city".to_owned(), "Città".to_owned())
            ]
        );
        assert_eq!(kept.problems.len(), 1, "the problems all stay");
    }

    #[test]
    fn values_are_cut_at_a_character_boundary_and_stop_at_the_total() {
        let bounds = KeptBounds {
            per_field: 5,
            total: 12,
            fields: 10,
        };
        let kept = typed(
            &[("a", "èèè".into()), ("b", "1234".into()), ("c", "x".into())],
            &[],
        )
        .bounded(bounds);
        // "èè" (4 bytes, the third è would cross 5), then "b" + "1234": 1 + 4 + 1 + 4 = 10; "c"
        // would make 12 and still fits, a fourth would not.
        assert_eq!(
            kept.values,
            vec![
                ("a".to_owned(), "èè".to_owned()),
                ("b".to_owned(), "1234".to_owned()),
                ("c".to_owned(), "x".to_owned())
            ]
        );
        let many: Vec<(&str, String)> = (0..100).map(|_| ("f", "v".to_owned())).collect();
        assert_eq!(
            typed(&many, &[])
                .bounded(KeptBounds::ANONYMOUS)
                .values
                .len(),
            64
        );
    }
}

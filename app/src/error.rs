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
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<db::DbError> for AppError {
    fn from(e: db::DbError) -> Self {
        match e {
            db::DbError::NotFound => AppError::NotFound,
            other => {
                tracing::error!(error = %other, "database error");
                AppError::Internal
            }
        }
    }
}

impl AppError {
    /// The HTTP status a page or a server-function call showing this error is served with.
    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode;
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
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

/// Gives a server function's failure its HTTP status. A plain form post (no JavaScript) is
/// redirected back to its page instead, which then renders the error with this status.
#[cfg(feature = "ssr")]
pub(crate) fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(e) = &result {
        let form_post = leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| {
                p.headers
                    .get(http::header::ACCEPT)
                    .and_then(|v| v.to_str().ok())
                    .map(|v| v.contains("text/html"))
            })
            .unwrap_or(false);
        if !form_post {
            crate::layout::set_status(e.status());
        }
    }
    result
}

/// What the storage layer reports. The HTTP layer maps `NotFound` and `Conflict` to client
/// errors; everything else is logged and shown as a generic failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// A UNIQUE, CHECK or foreign-key constraint refused the write: `constraint` when it is one
    /// a caller answers for, and the backend's own words for the log.
    #[error("conflict on {constraint:?} ({detail})")]
    Conflict {
        constraint: Option<Constraint>,
        detail: String,
    },
    #[error("database configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Text the database cannot hold: PostgreSQL refuses a NUL character in any text, even one
    /// it is only asked to compare. The parsers refuse such text before it is stored, so
    /// meeting it here means that a request sent a value no record can have: the request's
    /// fault, not the server's.
    #[error("text the database cannot hold")]
    Characters,
    /// The database cannot be reached or is shutting down: worth trying again shortly.
    #[error("database unavailable: {0}")]
    Unavailable(sqlx::Error),
    #[error(transparent)]
    Sqlx(sqlx::Error),
}

impl DbError {
    /// A stored value the code cannot read (an unknown status, a row breaking an invariant):
    /// the data's fault, reported like a column of the wrong type.
    pub(crate) fn decode(e: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        DbError::Sqlx(sqlx::Error::Decode(e.into()))
    }
}

/// The constraints callers answer for by name, as realworld's `on_constraint` does: each is
/// something a person can be told ("this address already has an account"). Any other conflict
/// is a write that raced another one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// One account per e-mail address.
    UserEmail,
    /// A meeting's UID (what calendars know it by) is unique.
    MeetingUid,
    /// A site may embed a city's widgets once.
    FrameOrigin,
    /// A tax code is confirmed once per pact.
    AdhesionTaxCode,
    /// A sector's key is unique within its city.
    SectorKey,
    /// A commitment's key is unique within its pact.
    CommitmentKey,
    /// A partner's name is unique within its pact.
    PartnerName,
}

impl Constraint {
    /// Each constraint as PostgreSQL names it, and as SQLite describes it: SQLite reports no
    /// name, only "UNIQUE constraint failed: " and the columns (or, for an index on an
    /// expression, the index).
    const NAMES: [(Constraint, &'static str, &'static str); 7] = [
        (Constraint::UserEmail, "users_email_key", "users.email"),
        (Constraint::MeetingUid, "meetings_uid_key", "meetings.uid"),
        (
            Constraint::FrameOrigin,
            "frame_origins_unique",
            "index 'frame_origins_unique'",
        ),
        (
            Constraint::AdhesionTaxCode,
            "adhesions_live_tax_code",
            "adhesions.pact_id, adhesions.tax_code",
        ),
        (
            Constraint::SectorKey,
            "sectors_city_id_slug_key",
            "sectors.city_id, sectors.slug",
        ),
        (
            Constraint::CommitmentKey,
            "pact_commitments_pact_id_slug_key",
            "pact_commitments.pact_id, pact_commitments.slug",
        ),
        (
            Constraint::PartnerName,
            "pact_partners_pact_id_name_key",
            "pact_partners.pact_id, pact_partners.name",
        ),
    ];

    fn of(e: &dyn sqlx::error::DatabaseError) -> Option<Constraint> {
        if let Some(name) = e.constraint() {
            return Self::NAMES.iter().find(|c| c.1 == name).map(|c| c.0);
        }
        let failed = e.message().split_once("constraint failed: ")?.1;
        Self::NAMES.iter().find(|c| c.2 == failed).map(|c| c.0)
    }
}

/// SQLSTATEs of a server that is going away, refusing connections or overloaded (PostgreSQL's
/// classes 08 and 57P, "too many connections", a database closed to connections), and
/// SQLite's busy and locked after its timeout.
fn transient(code: &str) -> bool {
    code.starts_with("08")
        || code.starts_with("57P")
        || matches!(code, "53300" | "55000" | "5" | "6" | "517" | "262")
}

impl From<sqlx::Error> for DbError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => DbError::NotFound,
            sqlx::Error::Database(ref dbe)
                if dbe.is_unique_violation()
                    || dbe.is_check_violation()
                    || dbe.is_foreign_key_violation() =>
            {
                DbError::Conflict {
                    constraint: Constraint::of(dbe.as_ref()),
                    detail: dbe.constraint().unwrap_or(dbe.message()).to_owned(),
                }
            }
            // character_not_in_repertoire: in a UTF-8 database only a NUL can be one.
            sqlx::Error::Database(ref dbe) if dbe.code().as_deref() == Some("22021") => {
                DbError::Characters
            }
            sqlx::Error::Database(ref dbe) if dbe.code().is_some_and(|c| transient(&c)) => {
                DbError::Unavailable(e)
            }
            sqlx::Error::PoolTimedOut
            | sqlx::Error::PoolClosed
            | sqlx::Error::Io(_)
            | sqlx::Error::Tls(_)
            | sqlx::Error::WorkerCrashed => DbError::Unavailable(e),
            other => DbError::Sqlx(other),
        }
    }
}

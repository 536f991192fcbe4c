/// What the storage layer reports. The HTTP layer maps `NotFound` and `Conflict` to client
/// errors; everything else is logged and shown as a generic failure.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// A UNIQUE, CHECK or foreign-key constraint refused the write; `constraint` names it when
    /// the backend says which.
    #[error("conflict on {constraint:?}")]
    Conflict { constraint: Option<String> },
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
                    constraint: dbe.constraint().map(str::to_owned),
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

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
    #[error(transparent)]
    Sqlx(sqlx::Error),
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
            other => DbError::Sqlx(other),
        }
    }
}

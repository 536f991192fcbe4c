//! The storage suite, told against every backend (SQLite and PostgreSQL, each a throwaway
//! database from `testkit`), one module per aggregate in one test binary.

mod accounts;
mod constraints;
mod network;
mod outbox;
mod pacts;

//! The real server on a loopback port over a throwaway database (SQLite and PostgreSQL), one
//! module per capability. One test binary: the server and its dependencies are linked once, and
//! the helpers in `helpers` are shared without `#[path]` includes.

mod accounts;
mod authorization;
mod cancelling;
mod cities;
mod clusters;
mod crash;
mod helpers;
mod hostile;
mod http;
mod mail;
mod manage;
mod map;
mod meetings;
mod pacts;
mod page_cache;
mod refusals;

//! Coordinators' accounts through the real server on a loopback port, on SQLite and on
//! PostgreSQL: sign-in and throttling, reset and invitation links from the outbox, the role
//! boundary of every write, cross-site posts, the audit log and forms without JavaScript.

mod forms;
mod links;
mod roles;
mod sign_in;

use crate::helpers::*;
use domain::{Email, Role};
use std::time::Duration;

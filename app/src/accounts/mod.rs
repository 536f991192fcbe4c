//! Coordinators' accounts: sign-in, roles and the coordinator area (issue 4, in progress).

#[cfg(feature = "ssr")]
pub mod password;

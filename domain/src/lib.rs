//! Learning City's shared vocabulary: values that parse (so an invalid one cannot exist)
//! and the read models that travel from the server to the browser.

mod accounts;
mod embed;
pub mod filters;
mod meetings;
mod network;
mod pacts;
mod parse;
mod practices;
mod regions;
#[cfg(feature = "roster")]
pub mod roster;
#[cfg(feature = "schedule")]
pub mod schedule;

pub use accounts::*;
pub use embed::*;
pub use meetings::*;
pub use network::*;
pub use pacts::*;
pub use parse::*;
pub use practices::*;
pub use regions::*;

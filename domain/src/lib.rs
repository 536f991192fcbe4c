//! Learning City's shared vocabulary: values that parse (so an invalid one cannot exist)
//! and the read models that travel from the server to the browser.

mod accounts;
mod network;
mod parse;

pub use accounts::*;
pub use network::*;
pub use parse::*;

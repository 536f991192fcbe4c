//! Time a request spends waiting on the database, for its `Server-Timing` header. The server
//! gives each page request a [`Clock`]; every query made on its behalf (through [`crate::on_pool`]
//! or [`crate::on_tx`]) adds its duration to it. Which request a query belongs to is the
//! server's business: it installs a [`set_finder`] function that finds the current request's
//! clock (Leptos's context, for the pages' data loaders).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::Instant;

/// Microseconds spent in queries, summed (queries that run at once count each).
#[derive(Clone, Debug, Default)]
pub struct Clock(Arc<AtomicU64>);

impl Clock {
    pub fn micros(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

static FINDER: OnceLock<fn() -> Option<Clock>> = OnceLock::new();

/// How to find the clock of the request being served, if any.
pub fn set_finder(finder: fn() -> Option<Clock>) {
    let _ = FINDER.set(finder);
}

/// Measures one query (or transaction step) for the current request's clock, until dropped.
pub struct Timer(Option<(Clock, Instant)>);

impl Timer {
    pub fn start() -> Self {
        Timer(
            FINDER
                .get()
                .and_then(|find| find())
                .map(|clock| (clock, Instant::now())),
        )
    }
}

impl Drop for Timer {
    fn drop(&mut self) {
        if let Some((clock, started)) = self.0.take() {
            let micros = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
            clock.0.fetch_add(micros, Ordering::Relaxed);
        }
    }
}

//! What every request handler shares: the database, the site's settings, the caches and
//! limits, and what a page render or server function finds in its context.

use crate::config::Config;
use crate::sessions::Store;
use app::SiteInfo;
use axum::extract::FromRef;
use db::Db;
use leptos::config::LeptosOptions;
use leptos::prelude::provide_context;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub site: SiteInfo,
    pub sessions: Store,
    pub public_writes: Option<Arc<crate::limits::PublicWrites>>,
    #[from_ref(skip)]
    pub flash_writes: Option<Arc<crate::limits::PublicWrites>>,
    pub feeds: crate::feeds::FeedCache,
    pub pages: crate::page_cache::PageCache,
    pub catalog: app::catalog::Catalog,
    pub passwords: app::accounts::password::Passwords,
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    pub request_timeout: Duration,
    pub links: db::links::LinkKey,
}

impl AppState {
    pub fn new(config: &Config, db: Db, sessions: Store, links: db::links::LinkKey) -> Self {
        let version = db.data_version();
        Self {
            leptos_options: config.leptos.clone(),
            site: SiteInfo {
                public_url: config.public_url.as_str().trim_end_matches('/').to_owned(),
                mail_from: config.mail_from.clone(),
                tiles: config.tiles.clone(),
                registration_days: app::RegistrationDays {
                    unconfirmed: config.retention.unconfirmed_registration_days,
                    after: config.retention.registration_days,
                },
            },
            sessions,
            public_writes: crate::limits::PublicWrites::new(config.public_writes),
            flash_writes: crate::limits::PublicWrites::new(config.public_writes),
            feeds: crate::feeds::FeedCache::new(config.feed_cache_seconds, version.clone()),
            pages: crate::page_cache::PageCache::new(config.page_cache_seconds, version.clone()),
            catalog: app::catalog::Catalog::new(version),
            passwords: Default::default(),
            trusted_proxies: Arc::new(config.trusted_proxies.clone()),
            request_timeout: config.request_timeout,
            links,
            db,
        }
    }
}

/// What the feeds read, taken from the state so that the feeds need not know it.
impl FromRef<AppState> for crate::feeds::Sources {
    fn from_ref(state: &AppState) -> Self {
        crate::feeds::Sources {
            db: state.db.clone(),
            site: state.site.clone(),
            catalog: state.catalog.clone(),
            cache: state.feeds.clone(),
        }
    }
}

/// What every page render and server-function call finds in its context.
pub(crate) fn context(state: &AppState) -> impl Fn() + Clone + Send + Sync + 'static {
    let db = state.db.clone();
    let site = state.site.clone();
    let catalog = state.catalog.clone();
    let links = state.links.clone();
    move || {
        provide_context(db.clone());
        provide_context(links.clone());
        provide_context(site.clone());
        provide_context(catalog.clone());
        // The request's database clock, for the queries of its server functions and loaders.
        if let Some(clock) = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|p| p.extensions.get::<db::timing::Clock>().cloned())
        {
            provide_context(clock);
        }
    }
}

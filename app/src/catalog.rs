//! The network's reference data that pages list and filter by (cities with their clusters,
//! clusters with their leads, the sectors in use), read once per data version instead of at
//! every render: it changes when a coordinator edits the network, which bumps the version.

use crate::AppError;
use db::Db;
use domain::{CitySummary, ClusterSummary};
use std::sync::{Arc, RwLock};

/// What the catalogue holds, as of one data version.
#[derive(Debug)]
pub struct Reference {
    /// Every member city, by English name.
    pub cities: Vec<CitySummary>,
    /// Every cluster, in the network's order.
    pub clusters: Vec<ClusterSummary>,
    /// Each sector slug in use with its English and Italian names.
    pub sectors: Vec<(String, String, String)>,
}

/// Reference data and the data version it was read at.
type Kept = Option<(u64, Arc<Reference>)>;

/// The reference data of the current data version; one per server, shared by its renders.
#[derive(Clone)]
pub struct Catalog {
    version: db::DataVersion,
    kept: Arc<RwLock<Kept>>,
}

impl Catalog {
    pub fn new(version: db::DataVersion) -> Self {
        Catalog {
            version,
            kept: Arc::default(),
        }
    }

    /// The reference data, read anew when the data changed since it was last read. The
    /// version is read first: data read after it is at least that recent.
    pub async fn get(&self, db: &Db) -> Result<Arc<Reference>, AppError> {
        let version = self.version.current().await;
        if let Some(v) = version {
            let kept = self.kept.read().unwrap_or_else(|e| e.into_inner());
            if let Some((at, reference)) = kept.as_ref() {
                if *at == v {
                    return Ok(reference.clone());
                }
            }
        }
        let reference = Arc::new(Reference {
            cities: db.cities(None).await?,
            clusters: db.clusters().await?,
            sectors: db.sector_options().await?,
        });
        if let Some(v) = version {
            *self.kept.write().unwrap_or_else(|e| e.into_inner()) = Some((v, reference.clone()));
        }
        Ok(reference)
    }
}

/// The catalogue of this server, put in context by it.
pub(crate) fn catalog() -> Result<Catalog, AppError> {
    leptos::prelude::use_context::<Catalog>().ok_or_else(|| {
        tracing::error!("no catalogue in context");
        AppError::Internal
    })
}

/// The current reference data, from the catalogue in context.
pub(crate) async fn reference() -> Result<Arc<Reference>, AppError> {
    catalog()?.get(&crate::db()?).await
}

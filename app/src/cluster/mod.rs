//! A thematic cluster's pages: who leads it, its members on the map and in a list, its coming
//! meetings, and the library of best practices its member cities share.

mod pages;

pub use pages::{ClusterPage, LibraryPage, PracticeEditPage, PracticeNewPage};

use crate::AppError;
use domain::{CityRef, ClusterDetail, ClusterSummary, MeetingSummary, Practice};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClusterPageData {
    pub detail: ClusterDetail,
    pub meetings: Vec<MeetingSummary>,
    pub practices: Vec<Practice>,
}

/// Which practices the library shows: empty strings keep everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LibraryFilter {
    pub city: String,
    pub language: String,
    pub tag: String,
}

impl LibraryFilter {
    pub fn is_empty(&self) -> bool {
        self.city.is_empty() && self.language.is_empty() && self.tag.is_empty()
    }

    /// Whether a practice passes every part of the filter that is set.
    pub fn keeps(&self, p: &Practice) -> bool {
        (self.city.is_empty() || self.city == p.city.slug)
            && (self.language.is_empty() || self.language == p.language)
            && (self.tag.is_empty() || p.tags.contains(&self.tag))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Library {
    pub cluster: ClusterSummary,
    /// Every practice, newest first.
    pub practices: Vec<Practice>,
    /// What the filters offer: the values the cluster's practices have.
    pub cities: Vec<CityRef>,
    pub languages: Vec<String>,
    pub tags: Vec<String>,
    /// Whether the visitor may share a practice here (a coordinator of a member city, of the
    /// cluster, or an administrator).
    pub can_share: bool,
    /// The practices the visitor may edit.
    pub editable: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PracticeForm {
    pub cluster: ClusterSummary,
    /// The member cities the visitor may share a practice for.
    pub cities: Vec<CityRef>,
    pub practice: Option<Practice>,
}

#[server(endpoint = "cluster_page")]
pub async fn get_cluster_page(lang: String, slug: String) -> Result<ClusterPageData, AppError> {
    ops::page(&lang, &slug).await
}

#[server(endpoint = "practices")]
pub async fn get_library(slug: String) -> Result<Library, AppError> {
    ops::library(&slug).await
}

#[server(endpoint = "practice_form")]
pub async fn get_practice_form(slug: String, id: Option<i64>) -> Result<PracticeForm, AppError> {
    ops::form(&slug, id).await
}

/// Shares a practice (`id` empty) or rewrites one.
#[server(endpoint = "save_practice")]
#[allow(clippy::too_many_arguments)]
pub async fn save_practice(
    lang: String,
    slug: String,
    id: String,
    city: String,
    title: String,
    summary: String,
    link: String,
    language: String,
    tags: String,
) -> Result<(), AppError> {
    let fields = ops::Fields {
        city,
        title,
        summary,
        link,
        language,
        tags,
    };
    ops::save(&lang, &slug, &id, fields).await
}

#[server(endpoint = "delete_practice")]
pub async fn delete_practice(
    lang: String,
    slug: String,
    id: i64,
    #[server(default)] confirm: String,
) -> Result<(), AppError> {
    ops::delete(&lang, &slug, id, confirm == "yes").await
}

#[cfg(feature = "ssr")]
mod ops;

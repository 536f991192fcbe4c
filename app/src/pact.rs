//! Pacts for lifelong learning: the network-wide list of cities with a pact.

use crate::i18n::*;
use crate::layout::{in_lang, link_to, ErrorContent, PageMeta};
use crate::AppError;
use domain::CityRef;
use leptos::prelude::*;

#[server]
pub async fn get_pact_cities() -> Result<Vec<CityRef>, AppError> {
    Ok(crate::db()?.cities_with_pact().await?)
}

#[component]
pub fn NetworkPactPage() -> impl IntoView {
    let i18n = use_i18n();
    let cities = Resource::new(|| (), |_| get_pact_cities());
    view! {
        <PageMeta
            title=Signal::derive(move || t_string!(i18n, pact_title).to_owned())
            description=Signal::derive(move || t_string!(i18n, pact_description).to_owned())
        />
        <h1>{t!(i18n, pact_title)}</h1>
        <p class="lead">{t!(i18n, pact_intro)}</p>
        <h2>{t!(i18n, pact_cities)}</h2>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match cities.await {
                    Ok(list) if list.is_empty() => view! { <p>{t!(i18n, pact_none)}</p> }.into_any(),
                    Ok(list) => view! {
                        <ul class="link-list">
                            {list.into_iter().map(|c| {
                                let link = format!("cities/{}/pact", c.slug);
                                view! { <li><a href=link_to(i18n, link)>{in_lang(i18n, c.name)}</a></li> }
                            }).collect_view()}
                        </ul>
                    }.into_any(),
                    Err(e) => view! { <ErrorContent error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

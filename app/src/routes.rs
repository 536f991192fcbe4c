use crate::i18n::{I18nContextProvider, Locale};
use crate::layout::{Layout, NotFound};
use crate::{accounts, calendar, city, coordinate, network, pact};
use leptos::prelude::*;
use leptos_i18n_router::I18nRoute;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Pages may run only our own bundle and the one inline bootstrap script that carries this
/// request's nonce; WebAssembly needs 'wasm-unsafe-eval' to compile.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use http::{header, HeaderValue};
    let Some(nonce) = leptos::nonce::use_nonce() else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let (Some(res), Ok(value)) = (
        use_context::<leptos_axum::ResponseOptions>(),
        HeaderValue::from_str(&policy),
    ) {
        res.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider set_lang_attr_on_html=false set_dir_attr_on_html=false>
            <Router>
                <Routes fallback=NotFound>
                    // Every page waits for its data before the first byte: the no-JS reader gets
                    // the whole page, and an unknown city gets a real 404 status.
                    <I18nRoute<Locale, _, _> view=Layout ssr=SsrMode::Async>
                        <Route path=path!("") view=network::HomePage ssr=SsrMode::Async />
                        <Route path=path!("map") view=network::MembersPage ssr=SsrMode::Async />
                        <Route path=path!("calendar") view=calendar::NetworkCalendarPage ssr=SsrMode::Async />
                        <Route path=path!("pact") view=pact::NetworkPactPage ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug") view=network::ClusterPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug") view=city::CityOverviewPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/map") view=city::CityMapPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/calendar") view=city::CityCalendarPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact") view=city::CityPactPage ssr=SsrMode::Async />
                        <Route path=path!("account") view=accounts::AccountPage ssr=SsrMode::Async />
                        <Route path=path!("account/sign-in") view=accounts::SignInPage ssr=SsrMode::Async />
                        <Route path=path!("account/reset") view=accounts::ResetRequestPage ssr=SsrMode::Async />
                        <Route path=path!("account/new-password") view=accounts::ResetPage ssr=SsrMode::Async />
                        <Route path=path!("account/invitation") view=accounts::InvitationPage ssr=SsrMode::Async />
                        <Route path=path!("account/email") view=accounts::EmailConfirmPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate") view=coordinate::DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/cities/:slug") view=coordinate::CityEditPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/clusters/:slug") view=coordinate::ClusterEditPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/people") view=coordinate::PeoplePage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/audit") view=coordinate::AuditPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/outbox") view=coordinate::OutboxPage ssr=SsrMode::Async />
                    </I18nRoute<Locale, _, _>>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

use crate::i18n::{I18nContextProvider, Locale};
use crate::layout::{Layout, NotFound};
use crate::{accounts, calendar, city, cluster, coordinate, map, network, pact};
use leptos::prelude::*;
use leptos_i18n_router::I18nRoute;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, MetaTags};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{lazy_route, Lazy, LazyRoute};
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
    // A configured tile server is the one other place images may come from.
    let tiles = use_context::<crate::SiteInfo>()
        .and_then(|site| site.tiles.and_then(|t| t.origin()))
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:{tiles}; font-src 'self'; connect-src 'self'; \
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
                        <Route path=path!("map") view={Lazy::<MapRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("calendar") view={Lazy::<NetworkCalendarRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("pact") view=pact::NetworkPactPage ssr=SsrMode::Async />
                        <Route path=path!("pact/confirm") view={Lazy::<PactConfirmRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("pact/adhesion") view={Lazy::<AdhesionRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("pact/invitation") view={Lazy::<TableInvitationRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug") view={Lazy::<ClusterRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/practices") view={Lazy::<LibraryRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/practices/new") view={Lazy::<PracticeNewRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/practices/:id") view={Lazy::<PracticeEditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/calendar") view={Lazy::<ClusterCalendarRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("meetings/:id") view={Lazy::<MeetingRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("registration") view={Lazy::<RegistrationRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug") view=city::CityOverviewPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/map") view={Lazy::<CityMapRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/calendar") view={Lazy::<CityCalendarRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact") view={Lazy::<CityPactRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/join") view={Lazy::<JoinRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/resend") view={Lazy::<ResendRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/adherents/:id") view={Lazy::<CertificateRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account") view={Lazy::<AccountRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/sign-in") view={Lazy::<SignInRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/reset") view={Lazy::<ResetRequestRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/new-password") view={Lazy::<ResetRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/invitation") view={Lazy::<InvitationRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("account/email") view={Lazy::<EmailConfirmRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate") view={Lazy::<DashboardRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/cities/:slug") view={Lazy::<CityEditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/cities/:slug/map") view={Lazy::<CityPlacingRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/clusters/:slug") view={Lazy::<ClusterEditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/people") view={Lazy::<PeopleRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/audit") view={Lazy::<AuditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/outbox") view={Lazy::<OutboxRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/meetings") view={Lazy::<MeetingsAdminRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/meetings/new") view={Lazy::<MeetingNewRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/meetings/:id") view={Lazy::<MeetingEditRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/occurrences/:id") view={Lazy::<DateAdminRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/pacts/:slug") view={Lazy::<QueueRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/pacts/:slug/settings") view={Lazy::<PactSettingsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/pacts/:slug/table") view={Lazy::<TableRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("coordinate/adhesions/:id") view={Lazy::<AdhesionAdminRoute>::new()} ssr=SsrMode::Async />
                    </I18nRoute<Locale, _, _>>
                </Routes>
            </Router>
        </I18nContextProvider>
    }
}

/// The coordinator area and the account pages are for a few people; the pages reached from a
/// link in a mail or a button (a registration, signing up to a pact, an adhesion, a
/// certificate) are visited once in a while; the calendars, a meeting, a city's map and pact
/// carry most of the views. Their code loads only when one of them is opened (a separate
/// WebAssembly chunk; the page itself is whole before any of it arrives), so the home page and
/// a city's overview, where most people start, stay light.
macro_rules! lazy_pages {
    ($($route:ident => $page:path),* $(,)?) => {$(
        pub struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> AnyView {
                $page().into_any()
            }
        }
    )*};
}

lazy_pages! {
    AccountRoute => accounts::AccountPage,
    SignInRoute => accounts::SignInPage,
    ResetRequestRoute => accounts::ResetRequestPage,
    ResetRoute => accounts::ResetPage,
    InvitationRoute => accounts::InvitationPage,
    EmailConfirmRoute => accounts::EmailConfirmPage,
    DashboardRoute => coordinate::DashboardPage,
    CityEditRoute => coordinate::CityEditPage,
    CityPlacingRoute => coordinate::CityPlacingPage,
    ClusterEditRoute => coordinate::ClusterEditPage,
    PeopleRoute => coordinate::PeoplePage,
    AuditRoute => coordinate::AuditPage,
    OutboxRoute => coordinate::OutboxPage,
    MeetingsAdminRoute => calendar::manage::MeetingsAdminPage,
    MeetingNewRoute => calendar::manage::MeetingNewPage,
    MeetingEditRoute => calendar::manage::MeetingEditPage,
    DateAdminRoute => calendar::manage::DateAdminPage,
    QueueRoute => pact::manage::QueuePage,
    PactSettingsRoute => pact::manage::PactSettingsPage,
    TableRoute => pact::manage::TablePage,
    AdhesionAdminRoute => pact::manage::AdhesionAdminPage,
    RegistrationRoute => calendar::RegistrationPage,
    MeetingRoute => calendar::MeetingPage,
    MapRoute => map::MapPage,
    NetworkCalendarRoute => calendar::NetworkCalendarPage,
    ClusterCalendarRoute => calendar::ClusterCalendarPage,
    ClusterRoute => cluster::ClusterPage,
    LibraryRoute => cluster::LibraryPage,
    PracticeNewRoute => cluster::PracticeNewPage,
    PracticeEditRoute => cluster::PracticeEditPage,
    CityCalendarRoute => city::CityCalendarPage,
    CityMapRoute => city::CityMapPage,
    CityPactRoute => city::CityPactPage,
    JoinRoute => pact::JoinPage,
    ResendRoute => pact::ResendPage,
    PactConfirmRoute => pact::ConfirmPage,
    AdhesionRoute => pact::AdhesionPage,
    TableInvitationRoute => pact::InvitationPage,
    CertificateRoute => pact::CertificatePage,
}

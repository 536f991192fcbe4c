use crate::i18n::Locale;
use crate::layout::{Layout, NotFound};
use crate::{accounts, calendar, city, cluster, coordinate, directory, embed, map, network, pact};
use leptos::prelude::*;
use leptos_i18n_router::I18nRoute;
use leptos_meta::provide_meta_context;
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

/// The HTML document around the app, rendered on the server only. Its one script is the
/// bootstrap, admitted by the Content-Security-Policy that the server gives every page
/// ([`crate::boot::page_policy`]).
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    use crate::boot::Bootstrap;
    use leptos_meta::{HashedStylesheet, Link, MetaTags};
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
                <crate::frame::FrameHead />
                <Bootstrap options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // The context without its component: `<I18nContextProvider>` leaves an empty `<script>` in
    // every page (a slot for translations shipped to the browser, which islands never need).
    #[cfg(not(feature = "ssr"))]
    #[allow(deprecated)]
    leptos_i18n::context::provide_i18n_context::<Locale>();
    #[cfg(feature = "ssr")]
    provide_i18n_on_server();
    view! {
            <Router>
                <Routes fallback=NotFound>
                    // Every page waits for its data before the first byte: the no-JS reader gets
                    // the whole page, and an unknown city gets a real 404 status.
                    <I18nRoute<Locale, _, _> view=Layout ssr=SsrMode::Async>
                        <Route path=path!("") view=network::HomePage ssr=SsrMode::Async />
                        <Route path=path!("map") view=map::MapPage ssr=SsrMode::Async />
                        <Route path=path!("calendar") view=calendar::NetworkCalendarPage ssr=SsrMode::Async />
                        <Route path=path!("pact") view=pact::NetworkPactPage ssr=SsrMode::Async />
                        <Route path=path!("pact/confirm") view=pact::ConfirmPage ssr=SsrMode::Async />
                        <Route path=path!("pact/adhesion") view=pact::AdhesionPage ssr=SsrMode::Async />
                        <Route path=path!("pact/invitation") view=pact::InvitationPage ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug") view=cluster::ClusterPage ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/practices") view=cluster::LibraryPage ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/practices/new") view=cluster::PracticeNewPage ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/practices/:id") view=cluster::PracticeEditPage ssr=SsrMode::Async />
                        <Route path=path!("clusters/:slug/calendar") view=calendar::ClusterCalendarPage ssr=SsrMode::Async />
                        <Route path=path!("meetings/:id") view=calendar::MeetingPage ssr=SsrMode::Async />
                        <Route path=path!("registration") view=calendar::RegistrationPage ssr=SsrMode::Async />
                        <Route path=path!("cities") view=directory::CitiesPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug") view=city::CityOverviewPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/map") view=city::CityMapPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/calendar") view=city::CityCalendarPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact") view=city::CityPactPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/join") view=pact::JoinPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/resend") view=pact::ResendPage ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/adherents/:id") view=pact::CertificatePage ssr=SsrMode::Async />
                        <Route path=path!("account") view=accounts::AccountPage ssr=SsrMode::Async />
                        <Route path=path!("account/sign-in") view=accounts::SignInPage ssr=SsrMode::Async />
                        <Route path=path!("account/reset") view=accounts::ResetRequestPage ssr=SsrMode::Async />
                        <Route path=path!("account/new-password") view=accounts::ResetPage ssr=SsrMode::Async />
                        <Route path=path!("account/invitation") view=accounts::InvitationPage ssr=SsrMode::Async />
                        <Route path=path!("account/email") view=accounts::EmailConfirmPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate") view=coordinate::DashboardPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/cities/:slug") view=coordinate::CityEditPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/cities/:slug/map") view=coordinate::CityPlacingPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/clusters/:slug") view=coordinate::ClusterEditPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/people") view=coordinate::PeoplePage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/audit") view=coordinate::AuditPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/outbox") view=coordinate::OutboxPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/meetings") view=calendar::manage::MeetingsAdminPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/meetings/new") view=calendar::manage::MeetingNewPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/meetings/:id") view=calendar::manage::MeetingEditPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/occurrences/:id") view=calendar::manage::DateAdminPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/pacts/:slug") view=pact::manage::QueuePage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/pacts/:slug/settings") view=pact::manage::PactSettingsPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/pacts/:slug/table") view=pact::manage::TablePage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/adhesions/:id") view=pact::manage::AdhesionAdminPage ssr=SsrMode::Async />
                        <Route path=path!("coordinate/embed") view=embed::EmbedBuilderPage ssr=SsrMode::Async />
                        <Route path=path!("embed") view=embed::EmbedGuidePage ssr=SsrMode::Async />
                    </I18nRoute<Locale, _, _>>
                    // Widgets for other sites: /embed/{lang}/…, without the site's chrome.
                    <ParentRoute path=path!("embed") view=Outlet ssr=SsrMode::Async>
                    <I18nRoute<Locale, _, _> base_path="/embed" view=embed::EmbedLayout ssr=SsrMode::Async>
                        <Route path=path!("calendar") view=embed::EmbedCalendar ssr=SsrMode::Async />
                        <Route path=path!("meetings/:id") view=embed::EmbedMeeting ssr=SsrMode::Async />
                        <Route path=path!("map") view=embed::EmbedMap ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/map") view=embed::EmbedCityMap ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/join") view=embed::EmbedPactJoin ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/adherents") view=embed::EmbedAdherents ssr=SsrMode::Async />
                        <Route path=path!("cities/:slug/pact/adherents/:id") view=embed::EmbedBadge ssr=SsrMode::Async />
                    </I18nRoute<Locale, _, _>>
                    </ParentRoute>
                </Routes>
            </Router>
    }
}

/// The page's language context, on the server. leptos_i18n 0.6.2 starts an effect with it that,
/// on the server, copies the locale into a cookie signal nobody reads; when the task runs after
/// the page is sent and its owner disposed, it reads a disposed signal and panics
/// (`context.rs:213`). Created under a paused owner, that effect never runs; the page holds that
/// owner until its own cleanup, so the language lives exactly as long as the page.
#[cfg(feature = "ssr")]
fn provide_i18n_on_server() {
    use leptos::reactive::owner::Owner;
    let Some(page) = Owner::current() else {
        return;
    };
    let owner = page.child();
    owner.pause();
    #[allow(deprecated)]
    let i18n = owner.with(leptos_i18n::context::provide_i18n_context::<Locale>);
    provide_context(i18n);
    on_cleanup(move || drop(owner));
}

//! Pages in both languages, probes, 404s, language negotiation and redirects.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_report_liveness_and_readiness() {
    let app = spawn_app(&[]).await;
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert_eq!(app.get("/readyz").await.status(), 200);
    app.db.close().await;
    assert_eq!(
        app.get("/healthz").await.status(),
        200,
        "alive without a database"
    );
    assert_eq!(
        app.get("/readyz").await.status(),
        503,
        "not ready without a database"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_render_in_both_languages_with_demo_data() {
    let app = spawn_app(&[]).await;
    let cases = [
        ("/en", "en", "The Global Network of Learning Cities"),
        // Apostrophes may or may not be escaped in text; the test should not care.
        ("/it", "it", "La Rete globale delle città dell"),
        ("/en/map", "en", "Turin"),
        ("/it/map", "it", "Torino"),
        ("/en/map?cluster=entrepreneurship", "en", "Chengdu"),
        ("/en/calendar", "en", "Meetings"),
        ("/it/pact", "it", "apprendimento permanente"),
        (
            "/en/clusters/entrepreneurship",
            "en",
            "Employment and entrepreneurship",
        ),
        ("/en/cities/lucca", "en", "Gender-policy associations"),
        (
            "/it/cities/lucca",
            "it",
            "Associazioni delle politiche di genere",
        ),
        ("/it/cities/lucca/pact", "it", "Club UNESCO di Lucca"),
        ("/en/cities/yeonsu/map", "en", "Asia/Seoul"),
        (
            "/en/cities/torino/calendar",
            "en",
            "Laboratorio di competenze digitali per adulti",
        ),
    ];
    for (path, lang, needle) in cases {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(
            html.contains(&format!("<html lang=\"{lang}\"")),
            "{path}: lang"
        );
        assert!(html.contains(needle), "{path}: expected {needle:?}");
        assert!(html.contains("<title>"), "{path}: title");
        assert!(
            html.contains("name=\"description\""),
            "{path}: meta description"
        );
        let skip_link = html
            .split("<a ")
            .find(|tag| tag.contains("class=\"skip-link\""))
            .and_then(|tag| tag.split('>').next());
        assert!(
            skip_link.is_some_and(|tag| tag.contains("href=\"#main\"")),
            "{path}: skip link {skip_link:?}"
        );
        assert!(html.contains("<main id=\"main\""), "{path}: main landmark");
    }
}

/// Pages render on a work-stealing runtime; concurrent renders once disposed a page's signals
/// before its <title> was written, which killed the response.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_survive_concurrent_requests() {
    let app = std::sync::Arc::new(spawn_app(&[]).await);
    for (path, needle) in [
        ("/en/cities/lucca", "Gender-policy associations"),
        ("/en/map?cluster=entrepreneurship", "Chengdu"),
        ("/it/clusters/entrepreneurship", "Torino"),
    ] {
        let requests: Vec<_> = (0..40)
            .map(|_| {
                let app = app.clone();
                tokio::spawn(async move { app.page(path).await })
            })
            .collect();
        for request in requests {
            let (status, html) = request.await.unwrap();
            assert_eq!(status, 200, "{path}");
            assert!(html.contains(needle), "{path}: expected {needle:?}");
            // The page is whole: its title (written last, into the head) and its end.
            assert!(
                html.contains("<title>") && html.trim_end().ends_with("</html><!>"),
                "{path}: whole page"
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cluster_filter_narrows_the_member_list() {
    let app = spawn_app(&[]).await;
    let rows = |html: &str| html.matches("<th scope=\"row\">").count();
    let (_, all) = app.page("/en/map").await;
    let (_, filtered) = app.page("/en/map?cluster=entrepreneurship").await;
    let expected = app.db.cities(Some("entrepreneurship")).await.unwrap().len();
    assert_eq!(rows(&filtered), expected);
    assert_eq!(rows(&all), app.db.cities(None).await.unwrap().len());
    assert!(rows(&filtered) < rows(&all));
    assert!(filtered.contains("<option value=\"entrepreneurship\" selected"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_pages_and_records_are_translated_404s() {
    let app = spawn_app(&[]).await;
    for (path, heading) in [
        ("/en/no-such-page", "Page not found"),
        ("/it/no-such-page", "Pagina non trovata"),
        ("/en/cities/atlantis", "Page not found"),
        ("/it/cities/atlantis/pact", "Pagina non trovata"),
        ("/en/clusters/astrology", "Page not found"),
        ("/en/map?cluster=astrology", "Page not found"),
    ] {
        let (status, html) = app.page(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(html.contains(heading), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_root_negotiates_the_language() {
    let app = spawn_app(&[]).await;
    let res = app
        .client
        .get(format!("{}/", app.base))
        .header("accept-language", "it-IT,it;q=0.9,en;q=0.5")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/it");
    assert_vary_accept_language(&res);

    let res = app
        .client
        .get(format!("{}/", app.base))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_vary_accept_language(&res);
    assert!(res.text().await.unwrap().contains("<html lang=\"en\""));
}

fn assert_vary_accept_language(res: &reqwest::Response) {
    let vary: Vec<_> = res.headers().get_all("vary").iter().collect();
    assert!(
        vary.iter().any(|v| v
            .to_str()
            .unwrap()
            .to_ascii_lowercase()
            .contains("accept-language")),
        "{vary:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_trailing_slash_redirects_and_personal_pages_are_kept_by_no_cache() {
    let app = spawn_app(&[]).await;
    let res = app.get("/en/?view=list").await;
    assert_eq!(res.status(), 308);
    assert_eq!(res.headers()["location"], "/en?view=list");
    let res = app.get("//evil.example/").await;
    assert_eq!(
        res.headers()["location"],
        "/evil.example",
        "never another site"
    );

    let header =
        |res: &reqwest::Response| res.headers()["cache-control"].to_str().unwrap().to_owned();
    assert_eq!(header(&app.get("/en").await), "no-cache");
    let personal = app.get("/en/registration?token=not-a-real-one").await;
    assert_eq!(header(&personal), "private, no-store");
    let with_session = app
        .client
        .get(format!("{}/en", app.base))
        .header("Cookie", "lc_session=anything")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&with_session), "private, no-store");
}

//! The real server on a random loopback port over a fresh SQLite file: pages, probes, headers.

use server::config::Config;
use server::{prepare_database, Application};
use std::collections::HashMap;
use std::path::PathBuf;

struct TestApp {
    base: String,
    client: reqwest::Client,
    db: db::Db,
    _dir: tempfile::TempDir,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

async fn spawn_app(extra: &[(&str, &str)]) -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg")).unwrap();
    std::fs::write(
        site.join("pkg/learning-city.Ab12Cd34Ef.css"),
        "body{color:red}".repeat(100),
    )
    .unwrap();
    std::fs::write(
        site.join("favicon.svg"),
        "<svg xmlns='http://www.w3.org/2000/svg'/>",
    )
    .unwrap();
    let mut vars: HashMap<String, String> = HashMap::from([
        ("LEPTOS_SITE_ADDR".into(), "127.0.0.1:0".into()),
        ("LEPTOS_SITE_ROOT".into(), site.display().to_string()),
        ("LEPTOS_HASH_FILES".into(), "false".into()),
        (
            "DATABASE_URL".into(),
            format!("sqlite:{}", dir.path().join("lc.db").display()),
        ),
    ]);
    for (k, v) in extra {
        vars.insert(k.to_string(), v.to_string());
    }
    let config = Config::from_lookup(|k| vars.get(k).cloned()).unwrap();
    let db = prepare_database(&config).await.unwrap();
    let app = Application::build(&config, db.clone()).await.unwrap();
    let base = format!("http://{}", app.addr());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    // The server runs on the same runtime as production's (multi-threaded); a stuck response
    // fails the test instead of hanging it.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(15))
        .build()
        .unwrap();
    TestApp {
        base,
        client,
        db,
        _dir: dir,
        stop: Some(tx),
    }
}

impl TestApp {
    async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    async fn page(&self, path: &str) -> (u16, String) {
        let res = self.get(path).await;
        let status = res.status().as_u16();
        (status, res.text().await.unwrap())
    }
}

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
async fn responses_carry_security_headers_and_a_request_id() {
    let app = spawn_app(&[]).await;
    let res = app.get("/en").await;
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("script-src 'self' 'sha256-"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(!csp.contains("nonce"), "{csp}");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "same-origin");
    assert!(h.contains_key("permissions-policy"));
    assert!(h.contains_key("x-request-id"));
    assert!(
        !h.contains_key("strict-transport-security"),
        "no HSTS over http"
    );
    let html = res.text().await.unwrap();
    assert_scripts_admitted(&html, &csp);

    // The policy is the build's, not the request's: a page kept in the cache stays admitted.
    let again = app.get("/it/map").await;
    assert_eq!(again.headers()["content-security-policy"], csp.as_str());

    let probe = app.get("/healthz").await;
    assert!(probe.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
}

/// Every script the page runs is admitted by the policy by its hash, and no other inline
/// script is there (JSON-LD is data, which the policy does not govern).
fn assert_scripts_admitted(html: &str, csp: &str) {
    use base64::Engine as _;
    use sha2::Digest as _;
    assert!(!html.contains("nonce"), "no nonce left in the page");
    let mut scripts = 0;
    for chunk in html.split("<script").skip(1) {
        let (attributes, rest) = chunk.split_once('>').unwrap();
        // Data, which the policy does not govern; or one of our own files, which 'self' admits.
        if attributes.contains("application/ld+json") || attributes.contains("src=\"/") {
            continue;
        }
        let text = rest.split("</script>").next().unwrap();
        assert!(
            attributes.contains("type=\"module\""),
            "only the module bootstrap: {attributes}"
        );
        let digest = sha2::Sha256::digest(text.as_bytes());
        let source = format!(
            "'sha256-{}'",
            base64::engine::general_purpose::STANDARD.encode(digest)
        );
        assert!(csp.contains(&source), "{source} in {csp}");
        scripts += 1;
    }
    assert_eq!(scripts, 1, "one bootstrap script");
    // Nothing but Leptos's own marker (a comment) after the document.
    let end = html.find("</html>").expect("a whole document");
    assert!(
        html[end..].trim_end() == "</html><!>",
        "nothing after </html>: {}",
        &html[end..]
    );
}

/// Pages asked for many at once, pages of every kind (404s and signed-out coordinator pages
/// included) each go out with the pages' policy; what is not a page gets the strict one.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pages_under_load_each_carry_the_page_policy() {
    let app = std::sync::Arc::new(spawn_app(&[]).await);
    let page_policy = app.get("/en").await.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let paths = [
        "/en/clusters/entrepreneurship",
        "/en/cities/torino",
        "/it/calendar",
        "/en/map",
        "/en/coordinate",
        "/en/no-such-page",
        "/it/cities/lucca/pact",
    ];
    let mut tasks = Vec::new();
    for round in 0..12 {
        for path in paths {
            let app = app.clone();
            tasks.push(tokio::spawn(async move {
                let res = app.get(path).await;
                let csp = res.headers()["content-security-policy"]
                    .to_str()
                    .unwrap()
                    .to_owned();
                (round, path, csp)
            }));
        }
    }
    for task in tasks {
        let (round, path, csp) = task.await.unwrap();
        assert_eq!(csp, page_policy, "{path} (round {round})");
    }
    let json = app.get("/map/cities.json?lang=en").await;
    assert!(json.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .starts_with("default-src 'none'"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn https_deployments_get_hsts() {
    let app = spawn_app(&[("PUBLIC_URL", "https://learning.example.org")]).await;
    let res = app.get("/en").await;
    assert!(res.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    let html = res.text().await.unwrap();
    assert!(
        html.contains("https://learning.example.org/en"),
        "canonical link uses PUBLIC_URL"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn html_is_compressed_and_hashed_assets_are_cached_for_a_year() {
    let app = spawn_app(&[]).await;
    let res = app
        .client
        .get(format!("{}/en", app.base))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(res.headers()["content-encoding"], "br");
    assert_eq!(res.headers()["cache-control"], "no-cache");

    let res = app
        .client
        .get(format!("{}/pkg/learning-city.Ab12Cd34Ef.css", app.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(res.headers()["content-encoding"], "gzip");

    let res = app.get("/favicon.svg").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["cache-control"], "public, max-age=3600");
}

fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_learning-city"))
}

#[test]
fn a_bad_setting_stops_start_up_with_one_line() {
    let out = std::process::Command::new(binary())
        .env("DATABASE_URL", "mysql://nope")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("DATABASE_URL"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_roster_import_names_bad_lines_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db_url = format!("sqlite:{}", dir.path().join("lc.db").display());
    let header = "slug,name_en,name_it,country,country_en,country_it,latitude,longitude,timezone,joined,clusters,geonames_id\n";
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        format!("{header}good,Good,,IT,Italy,,45,7,Europe/Rome,,,\nbad,Bad,,IT,Italy,,95,7,Europe/Rome,,,\n"),
    )
    .unwrap();
    let run = |file: &PathBuf| {
        std::process::Command::new(binary())
            .args(["import-roster", file.to_str().unwrap()])
            .env("DATABASE_URL", &db_url)
            .output()
            .unwrap()
    };
    let out = run(&bad);
    assert!(!out.status.success());
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("line 3: latitude"), "{stderr}");

    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        format!("{header}good,Good,,IT,Italy,,45,7,Europe/Rome,,literacy:lead,\n"),
    )
    .unwrap();
    let out = run(&good);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 new cities"), "{stdout}");

    // The first run imported nothing: only the good file's city is there.
    let count = tokio::runtime::Runtime::new().unwrap().block_on(async {
        let db = db::Db::connect(&db_url).await.unwrap();
        db.network_overview().await.unwrap().cities
    });
    assert_eq!(count, 1);
}

#[test]
fn the_first_administrator_is_created_from_the_command_line() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("lc.db").display());
    let create = |email: &str, password: &str| {
        let mut child = std::process::Command::new(binary())
            .args(["admin", "create", "--email", email, "--name", "Anna"])
            .env("DATABASE_URL", &url)
            .env("LOAD_DEMO_DATA", "false")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        let out = child.wait_with_output().unwrap();
        (out.status.success(), String::from_utf8(out.stderr).unwrap())
    };

    let (ok, stderr) = create("not-an-address", "correct horse battery");
    assert!(
        !ok && stderr.contains("--email") && stderr.lines().count() == 1,
        "{stderr}"
    );
    let (ok, stderr) = create("Anna@Comune.Lucca.it", "short");
    assert!(!ok && stderr.contains("at least 12"), "{stderr}");
    let (ok, stderr) = create("Anna@Comune.Lucca.it", "correct horse battery");
    assert!(ok, "{stderr}");
    let (ok, stderr) = create("anna@comune.lucca.it", "another good password");
    assert!(!ok && stderr.contains("already exists"), "{stderr}");

    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = db::Db::connect(&url).await.unwrap();
        let email = domain::Email::parse("anna@comune.lucca.it").unwrap();
        let user = db.user_by_email(&email).await.unwrap().unwrap();
        let hash = user.password_hash.unwrap();
        assert!(app::accounts::password::verify(
            "correct horse battery",
            &hash
        ));
        assert!(db.roles(user.id).await.unwrap().is_admin());
        let audit = db
            .audit_entries(&db::audit::Scope::All, None, 10)
            .await
            .unwrap();
        assert_eq!(audit.len(), 1);
        assert_eq!(audit[0].action, "user.create_admin");
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn widgets_are_framed_by_whom_their_city_allows_and_pages_by_nobody() {
    let app = spawn_app(&[]).await;
    let lucca = app.db.city_id("lucca").await.unwrap();
    let mut tx = app.db.begin_write().await.unwrap();
    db::frames::add_frame_origin(&mut tx, Some(lucca), "https://www.comune.lucca.it", 1)
        .await
        .unwrap();
    db::frames::add_frame_origin(&mut tx, None, "https://uil.unesco.org", 1)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let policy = |path: String| {
        let app = &app;
        async move {
            let res = app.get(&path).await;
            let status = res.status().as_u16();
            let csp = res
                .headers()
                .get("content-security-policy")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned();
            (status, csp)
        }
    };
    let framers = |csp: &str| {
        csp.split(';')
            .map(str::trim)
            .find_map(|d| d.strip_prefix("frame-ancestors "))
            .unwrap()
            .to_owned()
    };
    let (_, calendar) = app.page("/embed/en/calendar?city=lucca").await;
    let meeting = calendar
        .split("href=\"/en/meetings/")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a Lucca meeting in the widget")
        .to_owned();

    let lucca_list = "'self' https://uil.unesco.org https://www.comune.lucca.it";
    for (path, expected) in [
        ("/embed/en/cities/lucca/pact/join".to_owned(), lucca_list),
        (format!("/embed/it/meetings/{meeting}"), lucca_list),
        (
            "/embed/en/cities/torino/pact/join".to_owned(),
            "'self' https://uil.unesco.org",
        ),
        // An unknown meeting's page is a 404 that the network's sites alone may frame.
        (
            "/embed/en/meetings/999999".to_owned(),
            "'self' https://uil.unesco.org",
        ),
        ("/embed/en/calendar?city=lucca".to_owned(), "*"),
        ("/embed/en/map".to_owned(), "*"),
        ("/embed/it/cities/lucca/pact/adherents".to_owned(), "*"),
        ("/en".to_owned(), "'none'"),
        ("/en/embed".to_owned(), "'none'"),
        ("/en/coordinate".to_owned(), "'none'"),
        ("/en/cities/lucca/pact/join".to_owned(), "'none'"),
        ("/embed.js".to_owned(), "'none'"),
    ] {
        let (_, csp) = policy(path.clone()).await;
        assert_eq!(framers(&csp), expected, "{path}");
    }

    // A theme's style sheet is admitted by its hash, and nothing else is.
    let (status, csp) = policy("/embed/en/calendar?accent=a61e4d&theme=dark".to_owned()).await;
    assert_eq!(status, 200);
    let css = app::embed::theme_css("accent=a61e4d&theme=dark").unwrap();
    assert!(
        csp.contains(&format!("style-src 'self' {};", app::boot::csp_hash(&css))),
        "{csp}"
    );
    let (_, html) = app
        .page("/embed/en/calendar?accent=a61e4d&theme=dark")
        .await;
    assert!(html.contains(&format!("<style>{css}</style>")));
    assert!(html.contains("data-scheme=\"dark\""));
    assert!(html.contains("<base target=\"_top\">"));
    let (status, html) = app
        .page("/embed/en/calendar?font=Arial%3B%7Dbody%7Bdisplay%3Anone")
        .await;
    assert_eq!(status, 400);
    assert!(!html.contains("display:none"));
}

/// Reads what the server sends on `tcp` until it closes the connection, or `None` if it is
/// still open after `within`.
async fn until_closed(
    tcp: &mut tokio::net::TcpStream,
    within: std::time::Duration,
) -> Option<String> {
    use tokio::io::AsyncReadExt;
    let mut got = Vec::new();
    tokio::time::timeout(within, tcp.read_to_end(&mut got))
        .await
        .ok()
        .map(|_| String::from_utf8_lossy(&got).into_owned())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off() {
    use tokio::io::AsyncWriteExt;
    let app = spawn_app(&[
        ("HEADER_READ_TIMEOUT_SECONDS", "1"),
        ("REQUEST_TIMEOUT_SECONDS", "2"),
    ])
    .await;
    let addr = app.base.trim_start_matches("http://").to_owned();
    let limit = std::time::Duration::from_secs(6);

    // Headers that never end: the connection is closed.
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    tcp.write_all(b"GET /en HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let started = std::time::Instant::now();
    assert!(until_closed(&mut tcp, limit).await.is_some(), "still open");
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));

    // A body that stops halfway: 408, then the connection is closed.
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let head = format!(
        "POST /api/register HTTP/1.1\r\nHost: {addr}\r\nOrigin: {}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nlang=en&",
        app.base
    );
    tcp.write_all(head.as_bytes()).await.unwrap();
    let answer = until_closed(&mut tcp, limit).await.expect("still open");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    // A quick request on a fresh connection is still served.
    assert_eq!(app.get("/healthz").await.status(), 200);
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

//! What every response carries: security headers and the page policy (also under load), HSTS,
//! compression and caching, who may frame what, and slow clients cut off.

use super::*;

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

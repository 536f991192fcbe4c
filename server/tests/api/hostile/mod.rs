//! Hostile input through the real server, on SQLite and PostgreSQL. Every server function the
//! server registers (read from its own registry, so that one added later is covered too) gets
//! overlong, malformed, non-UTF-8 and script-bearing values, from nobody signed in and from an
//! administrator, as the hydrated page sends them and as a form without JavaScript does; bodies
//! over the limit get a 413. Each must be answered with a 4xx that says why: never a 5xx (a
//! panic is one), never a dropped connection. Text that is stored must then come back escaped on
//! every page, feed and export that shows it (`hostile/escaping.rs`).

mod cases;
mod escaping;
mod forms;
mod oversized;

use crate::helpers::*;
use cases::{Case, Expect, WITHOUT_JAVASCRIPT};
pub use cases::{MARKDOWN, SCRIPT, SCRIPT_TAG};
use domain::Role;
use futures::StreamExt as _;
use std::time::Instant;

/// Requests in flight at once: enough to keep both cores busy.
const CONCURRENCY: usize = 8;

/// How one call went wrong, if it did.
#[derive(Debug)]
struct Finding(String);

/// Whether a 4xx body says why: our JSON error (never a transport failure's), or some text.
fn says_why(status: u16, body: &str) -> bool {
    match serde_json::from_str::<app::AppError>(body) {
        Ok(app::AppError::Transport(_)) => false,
        Ok(_) => true,
        // Refused before any server function ran (the same-origin and body-size layers).
        Err(_) => matches!(status, 403 | 413) && !body.trim().is_empty(),
    }
}

fn check(status: u16, body: &str, expect: &Expect) -> Option<String> {
    let refused = (400..500).contains(&status);
    if status >= 500 {
        return Some("a server error".into());
    }
    if refused && !says_why(status, body) {
        return Some("a 4xx that does not say why".into());
    }
    let problem = |field: &str| -> Option<String> {
        let error: serde_json::Value = serde_json::from_str(body).ok()?;
        error["Invalid"]["problems"]
            .as_array()?
            .iter()
            .find(|p| p[0] == field)
            .map(|p| p[1].as_str().unwrap_or_default().to_owned())
    };
    match expect {
        Expect::Any => None,
        Expect::Refused => (!refused).then(|| "accepted".into()),
        // Nobody signed in (or without the role) is refused before the form is read.
        Expect::Problem(..) if matches!(status, 401 | 403) => None,
        Expect::Problem(field, want) => (problem(field).as_deref() != Some(want))
            .then(|| format!("{field} not refused as {want}")),
        Expect::NotProblem(field, want) => {
            (problem(field).as_deref() == Some(want)).then(|| format!("{field} refused as {want}"))
        }
    }
}

/// One caller: who it is and its browser.
struct Caller {
    who: &'static str,
    client: reqwest::Client,
}

/// Sends every case to `path` as the hydrated page does and returns what went wrong.
async fn run(app: &TestApp, caller: &Caller, path: &str, cases: Vec<Case>) -> Vec<Finding> {
    let url = format!("{}{path}", app.base);
    let sent = futures::stream::iter(cases)
        .map(|case| {
            let request = caller
                .client
                .post(&url)
                .header("Origin", &app.base)
                .header("Content-Type", &case.content_type)
                .body(case.body);
            async move {
                let answer = match request.send().await {
                    Ok(res) => {
                        let status = res.status().as_u16();
                        match res.text().await {
                            Ok(body) => check(status, &body, &case.expect)
                                .map(|why| format!("{status} ({why}): {}", snippet(&body))),
                            Err(e) => Some(format!("{status}, body cut off: {e}")),
                        }
                    }
                    Err(e) => Some(format!("no answer: {e}")),
                };
                answer.map(|why| Finding(format!("{} {path} [{}]: {why}", caller.who, case.label)))
            }
        })
        .buffer_unordered(CONCURRENCY);
    sent.filter_map(|f| async move { f }).collect().await
}

/// Sends every case to `path` as a form without JavaScript does, from `page`: the answer must
/// send the browser back to one of our pages, which must then show why with its 4xx when it is
/// the form's own page, and show every value kept as text.
async fn run_without_javascript(
    app: &TestApp,
    caller: &Caller,
    path: &str,
    page: Option<&str>,
    cases: Vec<Case>,
) -> Vec<Finding> {
    let url = format!("{}{path}", app.base);
    let referer = format!("{}{}", app.base, page.unwrap_or("/en"));
    let sent = futures::stream::iter(cases)
        .map(|case| {
            let request = caller
                .client
                .post(&url)
                .header("Origin", &app.base)
                .header("Referer", &referer)
                .header("Accept", "text/html,application/xhtml+xml")
                .header("Content-Type", &case.content_type)
                .body(case.body);
            async move {
                let why = match request.send().await {
                    Ok(res) => back_to_the_form(app, caller, page.is_some(), res).await,
                    Err(e) => Some(format!("no answer: {e}")),
                };
                why.map(|why| {
                    Finding(format!(
                        "{} no-JS {path} [{}]: {why}",
                        caller.who, case.label
                    ))
                })
            }
        })
        .buffer_unordered(CONCURRENCY);
    sent.filter_map(|f| async move { f }).collect().await
}

async fn back_to_the_form(
    app: &TestApp,
    caller: &Caller,
    own_page: bool,
    res: reqwest::Response,
) -> Option<String> {
    let status = res.status().as_u16();
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let body = res.text().await.unwrap_or_default();
    let Some(location) = location.filter(|_| (300..400).contains(&status)) else {
        return check(status, &body, &Expect::Any)
            .map(|why| format!("{status} ({why}): {}", snippet(&body)));
    };
    let target = if location.starts_with('/') && !location.starts_with("//") {
        format!("{}{location}", app.base)
    } else if location.starts_with(&format!("{}/", app.base)) {
        location.clone()
    } else {
        return Some(format!("{status} to another site: {location}"));
    };
    let res = match caller.client.get(&target).send().await {
        Ok(res) => res,
        Err(e) => return Some(format!("{location}: no answer: {e}")),
    };
    let shown = res.status().as_u16();
    let html = res.text().await.unwrap_or_default();
    if shown >= 500 {
        return Some(format!("{location}: {shown}: {}", snippet(&html)));
    }
    if let Some(raw) = escaping::unescaped(&html) {
        return Some(format!("{location}: {raw}"));
    }
    // A page its caller may not see says so itself, with its status and no form.
    if own_page && location.contains("__err=") && !matches!(shown, 401 | 403 | 404) {
        if !(400..500).contains(&shown) {
            return Some(format!("{location}: the form's page answered {shown}"));
        }
        let alert = html
            .split_once("class=\"form-alert\"")
            .and_then(|(_, rest)| rest.split_once("<p>"))
            .and_then(|(_, rest)| rest.split_once("</p>"))
            .map(|(text, _)| text.trim().to_owned());
        if alert.is_none_or(|text| text.is_empty()) {
            return Some(format!("{location}: {shown} without a message in the form"));
        }
    }
    None
}

fn snippet(body: &str) -> String {
    body.chars().take(160).collect()
}

/// The registered server functions, `sign_out` last: it would end the administrator's session.
fn server_functions() -> Vec<String> {
    let mut paths: Vec<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect();
    paths.sort_by_key(|p| (p == "/api/sign_out", p.clone()));
    paths.dedup();
    paths
}

/// Whether the caller's session still holds (an accepted hostile value must not end it).
async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    let (status, body) = app.call(client, "me", &[]).await;
    status == 200 && body != "null"
}

async fn every_server_function_refuses_hostile_input(test_db: testkit::TestDb) {
    let started = Instant::now();
    let app = spawn_app(test_db, &[]).await;
    app.user("admin@example.org", "en", &[Role::Admin]).await;
    let admin = app.signed_in("admin@example.org").await;
    let fixtures = app.fixtures(&admin).await;
    let callers = [
        Caller {
            who: "anonymous",
            client: browser(),
        },
        Caller {
            who: "admin",
            client: admin,
        },
    ];
    let paths = server_functions();
    assert!(
        paths.len() >= 70 && paths.iter().any(|p| p == "/api/save_meeting"),
        "the server's registry lists its server functions: {paths:?}"
    );
    let mut findings = Vec::new();
    let mut sent = 0;
    for path in &paths {
        let endpoint = path.trim_start_matches("/api/");
        let multipart = forms::multipart(endpoint, &fixtures);
        let is_multipart = multipart.is_some();
        let form = forms::realistic(endpoint, &fixtures)
            .or(multipart)
            .unwrap_or_else(forms::generic);
        let page = forms::page_of(endpoint, &fixtures);
        for caller in &callers {
            let mut cases = cases::body_cases(&form);
            // Nobody signed in reaches past the parsing only in the public functions; the
            // others get the whole-body cases.
            let public = caller.who == "admin"
                || !gated(&app, caller, path, cases::realistic(&form, is_multipart)).await;
            if is_multipart {
                cases.extend(cases::multipart_cases(&form));
            }
            if public {
                cases.extend(cases::field_cases(endpoint, &form, is_multipart));
            }
            sent += cases.len();
            findings.extend(run(&app, caller, path, cases).await);
            let mut cases: Vec<Case> = cases::body_cases(&form)
                .into_iter()
                .filter(|c| WITHOUT_JAVASCRIPT.iter().any(|l| c.label == *l))
                .collect();
            if public && page.is_some() {
                cases.extend(
                    cases::field_cases(endpoint, &form, is_multipart)
                        .into_iter()
                        .filter(|c| WITHOUT_JAVASCRIPT.iter().any(|l| c.label.ends_with(l))),
                );
            }
            sent += cases.len();
            findings
                .extend(run_without_javascript(&app, caller, path, page.as_deref(), cases).await);
        }
        if path != "/api/sign_out" {
            assert!(
                signed_in(&app, &callers[1].client).await,
                "{}: the administrator's session ended after {path}",
                app.backend
            );
        }
    }
    println!(
        "{}: {sent} hostile calls to {} server functions in {:.1?}",
        app.backend,
        paths.len(),
        started.elapsed()
    );
    assert!(
        findings.is_empty(),
        "{}: {} calls went wrong:\n{}",
        app.backend,
        findings.len(),
        findings
            .iter()
            .map(|f| f.0.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Whether the function refuses this caller whatever the form says (a 401 or 403).
async fn gated(app: &TestApp, caller: &Caller, path: &str, realistic: Case) -> bool {
    let res = caller
        .client
        .post(format!("{}{path}", app.base))
        .header("Origin", &app.base)
        .header("Content-Type", &realistic.content_type)
        .body(realistic.body)
        .send()
        .await
        .unwrap();
    matches!(res.status().as_u16(), 401 | 403)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_hostile_input_on_sqlite() {
    every_server_function_refuses_hostile_input(testkit::sqlite().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_server_function_refuses_hostile_input_on_postgres() {
    every_server_function_refuses_hostile_input(testkit::postgres().await).await;
}

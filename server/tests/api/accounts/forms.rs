//! The account forms anyone may post: rate limits, and refusals without JavaScript.

use super::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn account_forms_anyone_may_post_are_rate_limited_per_client() {
    let app = spawn_app(
        testkit::sqlite().await,
        &[("RATE_LIMIT_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "2")],
    )
    .await;
    let client = browser();
    let calls: [(&str, Form); 4] = [
        (
            "sign_in",
            &[
                ("lang", "en"),
                ("email", "a@example.org"),
                ("password", "x"),
            ],
        ),
        (
            "request_reset",
            &[("lang", "en"), ("email", "a@example.org")],
        ),
        (
            "reset_password",
            &[
                ("lang", "en"),
                ("token", "t"),
                ("password", "p"),
                ("confirm", "p"),
            ],
        ),
        (
            "accept_invitation",
            &[
                ("lang", "en"),
                ("token", "t"),
                ("name", "n"),
                ("password", "p"),
                ("confirm", "p"),
            ],
        ),
    ];
    // Each call takes one of the burst's two places: the third of any kind is refused.
    let (first, second) = (&calls[0], &calls[1]);
    assert_ne!(app.call(&client, first.0, first.1).await.0, 429);
    assert_ne!(app.call(&client, second.0, second.1).await.0, 429);
    for (name, form) in calls {
        let (status, body) = app.call(&client, name, form).await;
        assert_eq!(
            (status, body.as_str()),
            (429, "\"TooManyRequests\""),
            "{name}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_form_posted_without_javascript_comes_back_with_its_error_and_values() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let client = browser();
    let page = format!("{}/it/account/sign-in", app.base);
    let res = client
        .post(format!("{}/api/sign_in", app.base))
        .header("Accept", "text/html")
        .header("Origin", &app.base)
        .header("Referer", &page)
        .form(&[
            ("lang", "it"),
            ("email", "ada@example.org"),
            ("password", "wrong password!"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&page) && back.contains("__err="), "{back}");

    let res = client.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("L&#x27;indirizzo e-mail o la password non sono corretti")
            || html.contains("L'indirizzo e-mail o la password non sono corretti"),
        "{html}"
    );
    assert!(
        html.contains("value=\"ada@example.org\""),
        "the address typed is kept"
    );

    let res = client
        .post(format!("{}/api/sign_in", app.base))
        .header("Accept", "text/html")
        .header("Origin", &app.base)
        .header("Referer", &page)
        .form(&[
            ("lang", "it"),
            ("email", "ada@example.org"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert_eq!(res.headers()["location"], "/it/coordinate");
    let dashboard = client
        .get(format!("{}/it/coordinate", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(dashboard.status(), 200);
    assert!(dashboard.text().await.unwrap().contains("Pannello"));
    let anonymous = browser()
        .get(format!("{}/it/coordinate", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

/// Posts `form` to `function` as a browser without JavaScript does, from `page`, and returns
/// the page it is sent back to.
async fn refused_without_javascript(
    app: &TestApp,
    client: &reqwest::Client,
    function: &str,
    page: &str,
    form: Form<'_>,
) -> String {
    let res = client
        .post(format!("{}/api/{function}", app.base))
        .header("Accept", "text/html")
        .header("Origin", &app.base)
        .header("Referer", page)
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "{function}");
    let back = res.headers()["location"].to_str().unwrap().to_owned();
    let res = client.get(&back).send().await.unwrap();
    assert_eq!(res.status(), 422, "{back}");
    res.text().await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_form_keeps_only_a_bounded_part_of_what_was_typed() {
    let app = spawn_app(
        testkit::sqlite().await,
        &[("RATE_LIMIT_PER_MINUTE", "1"), ("RATE_LIMIT_BURST", "4")],
    )
    .await;
    app.user("ada@example.org", "en", &[Role::Admin]).await;
    let client = browser();
    let page = format!("{}/en/account/sign-in", app.base);
    // 30,000 letters are not an address; they come back cut to the first few thousand.
    let long = format!("{}@example.org", "a".repeat(30_000));
    let html = refused_without_javascript(
        &app,
        &client,
        "sign_in",
        &page,
        &[("lang", "en"), ("email", &long), ("password", "x")],
    )
    .await;
    let kept = html
        .split("value=\"")
        .filter_map(|rest| rest.split('"').next())
        .map(|v| v.matches('a').count())
        .max()
        .unwrap();
    assert!((1000..=4096).contains(&kept), "{kept} letters kept");

    // Signed in, a coordinator's refused forms are kept too, but not more often than the
    // public-write quota allows: one sign-in and three flashes use the burst of four.
    let client = app.signed_in("ada@example.org").await;
    let account = format!("{}/en/account", app.base);
    let form: Form = &[
        ("lang", "en"),
        ("current", "not my password"),
        ("email", "kept@example.org"),
    ];
    for _ in 0..3 {
        let html = refused_without_javascript(&app, &client, "change_email", &account, form).await;
        assert!(html.contains("kept@example.org"), "kept within the quota");
    }
    let html = refused_without_javascript(&app, &client, "change_email", &account, form).await;
    assert!(
        !html.contains("kept@example.org"),
        "over the quota: not kept"
    );
}

//! Bad input to the pact's sign-up gets a 4xx naming its field, never a 500, and stores nothing;
//! without JavaScript the form comes back with what was typed.

use super::*;

/// A good sign-up but for what a case changes.
fn good() -> Vec<(String, String)> {
    filled("Associazione Campione", "campione@example.org", "")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_bad_field_gets_a_422_naming_it() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let commitments = app.commitments().await;
    let long = "x".repeat(201);
    let script = "<script>alert(1)</script>";
    let big = vec![0u8; 2 * 1024 * 1024 + 1];
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let gif_named_png = b"GIF89a this is not really an image";
    type Case<'a> = (
        &'a str,
        Vec<(String, String)>,
        &'a [i64],
        Option<(&'a [u8], &'a str)>,
        &'a [&'a str],
    );
    let lucca = &commitments[..1];
    let cases: Vec<Case> = vec![
        (
            "empty",
            vec![
                ("lang".into(), "en".into()),
                ("slug".into(), "lucca".into()),
            ],
            &[],
            None,
            &[
                "organisation",
                "legal_form",
                "sector",
                "address",
                "contact_name",
                "email",
                "representative",
                "authority",
                "commitments",
                "privacy",
            ],
        ),
        (
            "overlong name",
            with(good(), "organisation", &long),
            lucca,
            None,
            &["organisation"],
        ),
        (
            "overlong address",
            with(good(), "address", &"a".repeat(301)),
            lucca,
            None,
            &["address"],
        ),
        (
            "wrong check digit",
            with(good(), "tax_code", "00743110158"),
            lucca,
            None,
            &["tax_code"],
        ),
        (
            "wrong personal code",
            with(good(), "tax_code", "RSSMRA85M01H501Z"),
            lucca,
            None,
            &["tax_code"],
        ),
        (
            "bad e-mail",
            with(good(), "email", "not-an-address"),
            lucca,
            None,
            &["email"],
        ),
        (
            "script as e-mail",
            with(good(), "email", script),
            lucca,
            None,
            &["email"],
        ),
        (
            "script as website",
            with(good(), "website", "javascript:alert(1)"),
            lucca,
            None,
            &["website"],
        ),
        (
            "script as tax code",
            with(good(), "tax_code", script),
            lucca,
            None,
            &["tax_code"],
        ),
        (
            "script as latitude",
            with(good(), "latitude", script),
            lucca,
            None,
            &["latitude"],
        ),
        (
            "script as phone",
            with(good(), "phone", script),
            lucca,
            None,
            &["phone"],
        ),
        (
            "script as legal form",
            with(good(), "legal_form", script),
            lucca,
            None,
            &["legal_form"],
        ),
        (
            "script as sector",
            with(good(), "sector", script),
            lucca,
            None,
            &["sector"],
        ),
        (
            "another city's sector",
            with(good(), "sector", "universities"),
            lucca,
            None,
            &["sector"],
        ),
        (
            "control character",
            with(good(), "contact_name", "Giulia\u{7}"),
            lucca,
            None,
            &["contact_name"],
        ),
        (
            "half a position",
            without(good(), "longitude"),
            lucca,
            None,
            &["longitude"],
        ),
        (
            "far from the city",
            with(with(good(), "latitude", "45.0703"), "longitude", "7.6869"),
            lucca,
            None,
            &["latitude"],
        ),
        (
            "no attestation",
            without(good(), "authority"),
            lucca,
            None,
            &["authority"],
        ),
        (
            "no privacy",
            without(good(), "privacy"),
            lucca,
            None,
            &["privacy"],
        ),
        ("no commitment", good(), &[], None, &["commitments"]),
        (
            "unknown commitment",
            good(),
            &[987_654],
            None,
            &["commitments"],
        ),
        (
            "oversized logo",
            good(),
            lucca,
            Some((&big, "logo.png")),
            &["logo"],
        ),
        (
            "SVG logo",
            good(),
            lucca,
            Some((svg, "logo.png")),
            &["logo"],
        ),
        (
            "broken image",
            good(),
            lucca,
            Some((gif_named_png, "logo.png")),
            &["logo"],
        ),
    ];
    for (what, fields, chosen, logo, expected) in cases {
        let (status, body) = app.join(&browser(), multipart(&fields, chosen, logo)).await;
        assert_eq!(status, 422, "{what}: {body}");
        let expected: HashSet<String> = expected.iter().map(|s| s.to_string()).collect();
        assert_eq!(problems(&body), expected, "{what}");
    }
    assert!(
        app.adhesion_named("Campione").await.is_empty(),
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_utf8_in_a_field_names_that_field() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let commitments = app.commitments().await;
    let form = multipart(&without(good(), "organisation"), &commitments[..1], None)
        .part("organisation", Part::bytes(vec![0x4d, 0xff, 0xfe, 0x41]));
    let (status, body) = app.join(&browser(), form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        problem_of(&body, "organisation").as_deref(),
        Some("Characters")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_not_multipart_is_a_415_and_one_cut_short_a_422() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let res = browser()
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .form(&[("lang", "en"), ("slug", "lucca")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 415);
    let res = browser()
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .header("Content-Type", "multipart/form-data; boundary=XYZ")
        .body("--XYZ\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n--XY")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_up_to_an_unknown_city_is_a_404_and_stores_nothing() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let commitments = app.commitments().await;
    let (status, _) = app
        .join(
            &browser(),
            multipart(&with(good(), "slug", "atlantis"), &commitments[..1], None),
        )
        .await;
    assert_eq!(status, 404);
    assert!(
        app.adhesion_named("Campione").await.is_empty(),
        "nothing stored"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_a_refusal_comes_back_to_the_form_with_what_was_typed() {
    let app = spawn_app(testkit::sqlite().await, &[]).await;
    let commitments = app.commitments().await;
    let res = browser()
        .post(format!("{}/api/pact_join", app.base))
        .header("Origin", &app.base)
        .header("Accept", "text/html")
        .header("Referer", format!("{}/en/cities/lucca/pact/join", app.base))
        .multipart(multipart(
            &with(good(), "email", "nope"),
            &commitments[..1],
            None,
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_owned();
    assert!(
        !location.contains("Campione"),
        "typed values stay out of the URL"
    );
    let (status, html) = app
        .page(&browser(), location.trim_start_matches(&app.base))
        .await;
    assert_eq!(status, 422);
    assert!(
        html.contains("value=\"Associazione Campione\""),
        "the name typed is kept"
    );
    assert!(
        html.contains("Enter an e-mail address"),
        "the field says what is wrong"
    );
}

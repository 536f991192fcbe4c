//! The binary's command line: a bad setting, the roster import, the first administrator.

use super::*;

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

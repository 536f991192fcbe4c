//! The real server on a random loopback port over a fresh SQLite file: pages, probes, headers.

mod cli;
mod headers;
mod pages;

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

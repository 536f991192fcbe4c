//! Bodies over the 4 MiB limit, with their length said up front and sent in chunks without
//! one, to a form, to the multipart sign-up and as a form without JavaScript posts them: each
//! gets a 413 that says so, never a 500 and never a connection closed without an answer.
//! Chunks that stop coming or are malformed get a 408 or a 400.

use crate::helpers::{self, TestApp};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One byte over the limit every request is held to.
const OVER: usize = 4 * 1024 * 1024 + 1;

/// Posts `body` on a connection of its own and returns the status line and body of the answer,
/// or why there was none. Chunked, the body goes in 64 KiB chunks without a length. Writing
/// may fail once the server has answered and stopped reading: what counts is that the answer
/// arrives.
async fn post(app: &TestApp, path: &str, headers: &str, body: &[u8], chunked: bool) -> String {
    let addr = app.base.trim_start_matches("http://").to_owned();
    let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
    let length = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {}", body.len())
    };
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nOrigin: {}\r\n{headers}{length}\r\n\
         Connection: close\r\n\r\n",
        app.base
    );
    let (mut read, mut write) = tcp.split();
    let send = async {
        write.write_all(head.as_bytes()).await?;
        if chunked {
            for chunk in body.chunks(64 * 1024) {
                write
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await?;
                write.write_all(chunk).await?;
                write.write_all(b"\r\n").await?;
            }
            write.write_all(b"0\r\n\r\n").await?;
        } else {
            write.write_all(body).await?;
        }
        std::io::Result::Ok(())
    };
    let receive = async {
        let mut got = Vec::new();
        let _ = read.read_to_end(&mut got).await;
        got
    };
    let ((), got) = tokio::time::timeout(Duration::from_secs(20), async {
        let (_, got) = tokio::join!(send, receive);
        ((), got)
    })
    .await
    .expect("an answer within 20 s");
    String::from_utf8_lossy(&got).into_owned()
}

/// The status of a raw answer and its body, checked to say why it refused.
fn refused_as_too_large(what: &str, answer: &str) {
    let (head, body) = answer.split_once("\r\n\r\n").unwrap_or((answer, ""));
    assert!(
        head.starts_with("HTTP/1.1 413"),
        "{what}: not a 413: {}",
        &answer[..answer.len().min(400)]
    );
    assert!(
        !body.trim().is_empty(),
        "{what}: a 413 that does not say why"
    );
}

async fn bodies_over_the_limit_get_a_413(test_db: testkit::TestDb) {
    let app = helpers::spawn_app(test_db, &[("REQUEST_TIMEOUT_SECONDS", "2")]).await;
    let b = app.backend;
    let form = "Content-Type: application/x-www-form-urlencoded\r\n";
    let no_js = format!(
        "{form}Accept: text/html\r\nReferer: {}/en/account/sign-in\r\n",
        app.base
    );
    let mut body = b"lang=en&email=ada%40example.org&password=".to_vec();
    body.resize(OVER, b'x');
    for chunked in [false, true] {
        for (headers, who) in [
            (form, "a form"),
            (no_js.as_str(), "a form without JavaScript"),
        ] {
            let answer = post(&app, "/api/sign_in", headers, &body, chunked).await;
            refused_as_too_large(&format!("{b}: {who}, chunked: {chunked}"), &answer);
        }
    }
    // A logo too large for the sign-up, in a body too large for any request.
    let boundary = "hostile-boundary";
    let mut multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"lang\"\r\n\r\nen\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\n\
         Content-Type: image/png\r\n\r\n"
    )
    .into_bytes();
    multipart.resize(OVER + 1024, 0x89);
    multipart.extend(format!("\r\n--{boundary}--\r\n").bytes());
    let headers = format!("Content-Type: multipart/form-data; boundary={boundary}\r\n");
    for chunked in [false, true] {
        let answer = post(&app, "/api/pact_join", &headers, &multipart, chunked).await;
        refused_as_too_large(&format!("{b}: the sign-up, chunked: {chunked}"), &answer);
    }
    // Chunks that stop coming: a 408 once the request's time is up; chunks that are not
    // chunks: a 400.
    let addr = app.base.trim_start_matches("http://").to_owned();
    for (rest, status) in [("5\r\nlang=", "408"), ("zz\r\nlang=en\r\n0\r\n\r\n", "400")] {
        let mut tcp = tokio::net::TcpStream::connect(&addr).await.unwrap();
        let head = format!(
            "POST /api/sign_in HTTP/1.1\r\nHost: {addr}\r\nOrigin: {}\r\n{form}\
             Transfer-Encoding: chunked\r\n\r\n{rest}",
            app.base
        );
        tcp.write_all(head.as_bytes()).await.unwrap();
        let mut got = Vec::new();
        let read = tokio::time::timeout(Duration::from_secs(10), tcp.read_to_end(&mut got));
        assert!(read.await.is_ok(), "{b}: still open");
        let answer = String::from_utf8_lossy(&got);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{b}: {rest:?}: {answer}"
        );
    }
    // The server is still there for the next person.
    let (status, _) = app.call(&helpers::browser(), "me", &[]).await;
    assert_eq!(status, 200, "{b}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_over_the_limit_get_a_413_on_sqlite() {
    bodies_over_the_limit_get_a_413(testkit::sqlite().await).await;
}

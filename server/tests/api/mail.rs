//! The outbox worker against a real SMTP listener (mailin-embedded on a loopback port).

use chrono::Utc;
use db::{outbox, Db};
use mailin_embedded::response::OK;
use mailin_embedded::{Handler, Response, Server, SslConfig};
use server::mail::{deliver_due, Mailer};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Collects every message the listener accepts. The listener clones the handler for each
/// connection, so the message being received is per connection and the inbox is shared.
#[derive(Clone, Default)]
struct Inbox {
    received: Arc<Mutex<Vec<Vec<u8>>>>,
    current: Vec<u8>,
}

impl Handler for Inbox {
    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.current.extend_from_slice(buf);
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        let message = std::mem::take(&mut self.current);
        self.received.lock().unwrap().push(message);
        OK
    }
}

impl Inbox {
    fn messages(&self) -> Vec<String> {
        self.received
            .lock()
            .unwrap()
            .iter()
            .map(|m| String::from_utf8_lossy(m).into_owned())
            .collect()
    }
}

/// Starts a listener on `port` (0: any) and returns its inbox and port. It runs until the test
/// process ends.
fn start_smtp(port: u16) -> (Inbox, u16) {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind SMTP port");
    let port = listener.local_addr().unwrap().port();
    let inbox = Inbox::default();
    let mut server = Server::new(inbox.clone());
    server
        .with_name("smtp.test")
        // A thread per connection: lettre keeps pooled connections open, up to 10 per worker.
        .with_num_threads(32)
        .with_ssl(SslConfig::None)
        .unwrap()
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    (inbox, port)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn smtp_mailer(port: u16) -> Mailer {
    let url = secrecy::SecretString::from(format!("smtp://127.0.0.1:{port}"));
    Mailer::new(Some(&url), std::env::temp_dir()).unwrap()
}

async fn enqueue(db: &Db, subjects: &[&str]) {
    let mut tx = db.begin_write().await.unwrap();
    for subject in subjects {
        let message = format!(
            "From: noreply@learning.city\r\nTo: anna@lucca.it\r\nSubject: {subject}\r\n\
             Content-Language: it\r\n\r\nCiao Anna\r\n"
        );
        outbox::enqueue(
            &mut tx,
            &outbox::NewMessage {
                sender: "noreply@learning.city",
                recipient: "anna@lucca.it",
                subject,
                locale: "it",
                message: message.as_bytes(),
            },
            Utc::now() - chrono::Duration::seconds(1),
        )
        .await
        .unwrap();
    }
    tx.commit().await.unwrap();
}

#[tokio::test]
async fn a_message_arrives_once() {
    for t in testkit::backends().await {
        let (inbox, port) = start_smtp(0);
        enqueue(&t.db, &["Benvenuta"]).await;
        let mailer = smtp_mailer(port);
        assert_eq!(deliver_due(&t.db, &mailer).await.unwrap(), 1, "{}", t.name);
        assert_eq!(deliver_due(&t.db, &mailer).await.unwrap(), 0, "{}", t.name);
        let got = inbox.messages();
        assert_eq!(got.len(), 1, "{}: {got:?}", t.name);
        assert!(got[0].contains("Subject: Benvenuta") && got[0].contains("Ciao Anna"));
        assert_eq!(t.db.outbox_pending().await.unwrap(), 0);
    }
}

#[tokio::test]
async fn with_the_listener_down_mail_waits_and_goes_out_when_it_is_back() {
    for t in testkit::backends().await {
        let port = free_port();
        enqueue(&t.db, &["Promemoria"]).await;
        let mailer = smtp_mailer(port);
        assert_eq!(deliver_due(&t.db, &mailer).await.unwrap(), 0, "{}", t.name);
        let listed = t.db.outbox(10).await.unwrap();
        assert!(listed[0].last_error.is_some() && listed[0].sent_at.is_none());
        assert_eq!(
            t.db.outbox_pending().await.unwrap(),
            1,
            "{}: still waiting",
            t.name
        );

        let (inbox, _) = start_smtp(port);
        // The retry is scheduled after a backoff; nothing goes out before it is due...
        assert_eq!(deliver_due(&t.db, &mailer).await.unwrap(), 0);
        // ...and once it is due, the message is sent.
        db::on_pool!(&t.db, |pool| {
            sqlx::query("UPDATE outbox SET next_attempt_at = $1")
                .bind(Utc::now() - chrono::Duration::seconds(1))
                .execute(pool)
                .await
                .unwrap()
                .rows_affected()
        });
        assert_eq!(deliver_due(&t.db, &mailer).await.unwrap(), 1, "{}", t.name);
        assert_eq!(inbox.messages().len(), 1, "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_on_one_database_send_each_message_once() {
    let t = testkit::postgres().await;
    let (inbox, port) = start_smtp(0);
    let subjects: Vec<String> = (0..60).map(|i| format!("Invito {i}")).collect();
    let refs: Vec<&str> = subjects.iter().map(String::as_str).collect();
    enqueue(&t.db, &refs).await;
    // Two instances: each has its own pool on the same database.
    let other = Db::connect(&t.url).await.unwrap();
    let workers: Vec<_> = [t.db.clone(), other]
        .into_iter()
        .map(|db| {
            let mailer = smtp_mailer(port);
            tokio::spawn(async move {
                let mut sent = 0;
                loop {
                    let n = deliver_due(&db, &mailer).await.unwrap();
                    if n == 0 {
                        return sent;
                    }
                    sent += n;
                }
            })
        })
        .collect();
    let mut total = 0;
    for w in workers {
        total += w.await.unwrap();
    }
    assert_eq!(total, 60);
    let mut got: Vec<String> = inbox
        .messages()
        .iter()
        .filter_map(|m| {
            m.lines()
                .find(|l| l.starts_with("Subject: "))
                .map(str::to_owned)
        })
        .collect();
    got.sort();
    let mut want: Vec<String> = subjects.iter().map(|s| format!("Subject: {s}")).collect();
    want.sort();
    assert_eq!(got, want, "every message exactly once");
}

/// Without SMTP each message is `<outbox id>.eml`, and a message sent again (written, then the
/// process killed before the send was recorded) replaces its file instead of adding a second.
#[tokio::test]
async fn without_smtp_messages_become_eml_files_named_by_their_outbox_id() {
    let t = testkit::sqlite().await;
    let dir = tempfile::tempdir().unwrap();
    let outbox_dir = dir.path().join("outbox");
    let mailer = Mailer::new(None, outbox_dir.clone()).unwrap();
    enqueue(&t.db, &["Demo"]).await;
    let deliver = || async {
        tokio::time::timeout(Duration::from_secs(10), deliver_due(&t.db, &mailer))
            .await
            .unwrap()
            .unwrap()
    };
    let listing = || {
        let mut names: Vec<String> = std::fs::read_dir(&outbox_dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    };
    assert_eq!(deliver().await, 1);
    let id = t.db.outbox(10).await.unwrap()[0].id;
    assert_eq!(listing(), [format!("{id}.eml")]);
    let path = outbox_dir.join(format!("{id}.eml"));
    let stored = t.db.outbox_message(id).await.unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        stored,
        "the stored bytes, as they are"
    );

    // The crash between the write and its record, replayed: the send is forgotten, and a
    // partial file of an earlier attempt is lying where the writer puts one.
    db::on_pool!(&t.db, |pool| {
        sqlx::query("UPDATE outbox SET sent_at = NULL WHERE id = $1")
            .bind(id)
            .execute(pool)
            .await
            .unwrap()
            .rows_affected()
    });
    std::fs::write(outbox_dir.join(format!(".{id}.eml.tmp")), b"From: half").unwrap();
    assert_eq!(deliver().await, 1);
    assert_eq!(listing(), [format!("{id}.eml")], "one file, no partial one");
    assert_eq!(std::fs::read(&path).unwrap(), stored);
}

/// A message as the app composes it (here: in Italian, with a calendar file attached) crosses a
/// real SMTP conversation intact: once, multipart text and HTML, in the recipient's language.
#[tokio::test]
async fn an_app_letter_arrives_once_in_the_recipients_language_with_its_attachment() {
    use app::i18n::Locale;
    for t in testkit::backends().await {
        let (inbox, port) = start_smtp(0);
        let letter = app::mail::Letter {
            locale: Locale::it,
            subject: "Promemoria: tavolo dei firmatari".to_owned(),
            greeting: "Buongiorno Anna,".to_owned(),
            paragraphs: vec!["L'incontro è domani alle 17 a Palazzo Orsetti.".to_owned()],
            action: Some((
                "Apri l'incontro".to_owned(),
                "https://learning.example/it/cities/lucca/calendar".to_owned(),
            )),
            note: None,
            attachments: vec![(
                "incontro.ics".to_owned(),
                "text/calendar; charset=utf-8".to_owned(),
                b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n".to_vec(),
            )],
        };
        let mut tx = t.db.begin_write().await.unwrap();
        app::mail::enqueue(
            &mut tx,
            "Learning City <no-reply@learning.example>",
            &domain::Email::parse("anna@comune.lucca.it").unwrap(),
            "Anna",
            letter,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let mailer = smtp_mailer(port);
        assert_eq!(deliver_due(&t.db, &mailer).await.unwrap(), 1, "{}", t.name);
        assert_eq!(deliver_due(&t.db, &mailer).await.unwrap(), 0, "{}", t.name);
        let got = inbox.messages();
        assert_eq!(got.len(), 1, "{}", t.name);
        let raw = &got[0];
        assert!(raw.contains("Content-Language: it"), "{raw}");
        // Fixed when the letter was written, so a re-send is recognisably the same message.
        let stored =
            t.db.outbox_message(t.db.outbox(1).await.unwrap()[0].id)
                .await
                .unwrap();
        let message_id = mail_parser::MessageParser::default()
            .parse(&stored)
            .and_then(|m| m.message_id().map(str::to_owned))
            .expect("a Message-ID");
        assert!(message_id.ends_with("@learning.example"), "{message_id}");
        assert!(
            raw.contains(&format!("Message-ID: <{message_id}>")),
            "{raw}"
        );
        assert!(raw.contains("multipart/mixed") && raw.contains("multipart/alternative"));
        assert!(
            raw.contains("text/html") && raw.contains("text/calendar"),
            "{raw}"
        );
        assert!(raw.contains("incontro.ics"), "{raw}");
        let text = app::mail::text_of(raw.as_bytes()).unwrap();
        assert!(text.contains("Palazzo Orsetti"), "{text}");
        // The footer is the app's own, translated.
        assert!(
            text.contains("Rete globale delle città che apprendono"),
            "{text}"
        );
    }
}

//! Mail as people receive it: rendered in the recipient's language, plain text and HTML, with
//! attachments, and written to the outbox inside the caller's transaction so that it exists
//! exactly when the change that caused it does. The server's worker sends it.

use crate::i18n::Locale;
use crate::AppError;
use chrono::Utc;
use db::Tx;
use domain::Email;
use leptos_i18n::Locale as _;
use lettre::message::{header::ContentType, Attachment, Mailbox, MultiPart, SinglePart};
use lettre::Message;

/// A message in the words of one language, before rendering.
pub struct Letter {
    pub locale: Locale,
    pub subject: String,
    pub greeting: String,
    /// Paragraphs of plain text.
    pub paragraphs: Vec<String>,
    /// The one thing to do, as a button in HTML and a bare link in text.
    pub action: Option<(String, String)>,
    /// Small print under the action (expiry, "ignore this if…").
    pub note: Option<String>,
    pub attachments: Vec<(String, String, Vec<u8>)>,
}

impl Letter {
    fn text(&self, footer: &str) -> String {
        let mut out = format!("{}\n\n", self.greeting);
        for p in &self.paragraphs {
            out.push_str(p);
            out.push_str("\n\n");
        }
        if let Some((label, url)) = &self.action {
            out.push_str(&format!("{label}:\n{url}\n\n"));
        }
        if let Some(note) = &self.note {
            out.push_str(note);
            out.push_str("\n\n");
        }
        out.push_str("-- \n");
        out.push_str(footer);
        out.push('\n');
        out
    }

    fn html(&self, footer: &str) -> String {
        use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
        let mut body = format!("<p>{}</p>", text(&self.greeting));
        for p in &self.paragraphs {
            body.push_str(&format!("<p>{}</p>", text(p)));
        }
        if let Some((label, url)) = &self.action {
            body.push_str(&format!(
                "<p><a href=\"{}\" style=\"display:inline-block;padding:.6em 1.2em;\
                 background:#0b5c8a;color:#fff;border-radius:4px;text-decoration:none\">{}</a></p>\
                 <p style=\"font-size:.9em;word-break:break-all\">{}</p>",
                attr(url),
                text(label),
                text(url)
            ));
        }
        if let Some(note) = &self.note {
            body.push_str(&format!("<p style=\"color:#555\">{}</p>", text(note)));
        }
        format!(
            "<!DOCTYPE html><html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\
             <body style=\"font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;\
             max-width:36em;margin:0 auto;padding:1em\">{body}\
             <hr><p style=\"color:#555;font-size:.9em\">{footer}</p></body></html>",
            lang = self.locale.as_str(),
            title = text(&self.subject),
            footer = text(footer),
        )
    }
}

/// Renders `letter` for `to` and appends it to the outbox in `tx`.
/// `from` is the deployment's MAIL_FROM (passed in, since detached tasks have no context).
pub async fn enqueue(
    tx: &mut Tx,
    from: &str,
    to: &Email,
    name: &str,
    letter: Letter,
) -> Result<(), AppError> {
    let footer = leptos_i18n::td_string!(letter.locale, mail_footer).to_string();
    let from: Mailbox = from.parse().map_err(|e| {
        tracing::error!(error = %e, %from, "MAIL_FROM is not a mailbox");
        AppError::Internal
    })?;
    let to_box = Mailbox::new(
        (!name.trim().is_empty()).then(|| name.trim().to_owned()),
        to.as_str().parse().map_err(|e| {
            tracing::error!(error = %e, "a parsed e-mail address is not a mailbox");
            AppError::Internal
        })?,
    );
    let alternative = MultiPart::alternative()
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(letter.text(&footer)),
        )
        .singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_HTML)
                .body(letter.html(&footer)),
        );
    let body = if letter.attachments.is_empty() {
        alternative
    } else {
        let mut mixed = MultiPart::mixed().multipart(alternative);
        for (filename, content_type, bytes) in &letter.attachments {
            let ct = ContentType::parse(content_type).map_err(|_| AppError::Internal)?;
            mixed = mixed.singlepart(Attachment::new(filename.clone()).body(bytes.clone(), ct));
        }
        mixed
    };
    // lettre adds no Message-ID of its own. Fixed here, with the bytes stored in the outbox, it
    // makes a message re-sent after a crash (sent, then the process killed before the send was
    // recorded) the same message, which receiving servers and mail clients de-duplicate.
    let message_id = format!("<{}@{}>", uuid::Uuid::new_v4(), from.email.domain());
    let message = Message::builder()
        .message_id(Some(message_id))
        .from(from.clone())
        .to(to_box)
        .subject(letter.subject.clone())
        .header(ContentLanguage(letter.locale.as_str().to_owned()))
        .multipart(body)
        .map_err(|e| {
            tracing::error!(error = %e, "cannot build a message");
            AppError::Internal
        })?;
    db::outbox::enqueue(
        tx,
        &db::outbox::NewMessage {
            sender: from.email.as_ref(),
            recipient: to.as_str(),
            subject: &letter.subject,
            locale: letter.locale.as_str(),
            message: &message.formatted(),
        },
        Utc::now(),
    )
    .await?;
    Ok(())
}

/// The language of the message (RFC 3282), which lettre has no type for.
#[derive(Clone)]
struct ContentLanguage(String);

impl lettre::message::header::Header for ContentLanguage {
    fn name() -> lettre::message::header::HeaderName {
        lettre::message::header::HeaderName::new_from_ascii_str("Content-Language")
    }

    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Self(s.to_owned()))
    }

    fn display(&self) -> lettre::message::header::HeaderValue {
        lettre::message::header::HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// The plain-text part of a stored message, for the administrators' outbox page.
pub fn text_of(raw: &[u8]) -> Option<String> {
    let parsed = mail_parser::MessageParser::default().parse(raw)?;
    parsed.body_text(0).map(|t| t.into_owned())
}

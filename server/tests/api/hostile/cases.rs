//! The hostile requests: values thrown at one field at a time (its neighbours filled in as a
//! person would), and whole bodies wrong in their shape, each with what its answer must be.
//! A multipart form gets the same values in parts, and bodies broken in multipart's own ways.

use super::forms::{LIMITS, URLS};

const FORM: &str = "application/x-www-form-urlencoded";
const BOUNDARY: &str = "hostile-7f3a9c";

/// The payloads that carry script, one per context a value may land in (element text, an
/// attribute, a URL, Markdown).
pub const SCRIPT: &str = "<script>alert(1)</script>\"><img src=x onerror=alert(1)>";
/// The start of [`SCRIPT`]: what a place that shortens a text (a badge) still shows.
pub const SCRIPT_TAG: &str = "<script>alert(1)</script>";
const JAVASCRIPT_URL: &str = "javascript:alert(1)";
pub const MARKDOWN: &str =
    "**bold** <iframe src=\"javascript:alert(1)\"></iframe> [link](javascript:alert(1))";

/// A value as it goes into a body: text to encode, or bytes sent as they are (percent-escapes
/// of what is not UTF-8, or malformed ones).
#[derive(Clone)]
pub enum Value {
    Text(String),
    Raw(&'static [u8]),
}

/// What the answer to a case must be, beyond never a 5xx.
#[derive(Clone, PartialEq)]
pub enum Expect {
    /// A 2xx when the value happens to be acceptable there, else a 4xx with a message.
    Any,
    /// A 4xx with a message.
    Refused,
    /// A 4xx naming this field with this problem (unless the caller may not use the form at
    /// all).
    Problem(String, &'static str),
    /// Anything but this field refused with this problem.
    NotProblem(String, &'static str),
}

pub struct Case {
    pub label: String,
    pub content_type: String,
    pub body: Vec<u8>,
    pub expect: Expect,
}

fn encode(fields: &[(String, Value)]) -> Vec<u8> {
    let mut out = Vec::new();
    for (i, (name, value)) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend(url::form_urlencoded::byte_serialize(name.as_bytes()).flat_map(str::bytes));
        out.push(b'=');
        match value {
            Value::Text(t) => {
                out.extend(url::form_urlencoded::byte_serialize(t.as_bytes()).flat_map(str::bytes))
            }
            Value::Raw(r) => out.extend_from_slice(r),
        }
    }
    out
}

pub fn text(form: &[(String, String)]) -> Vec<(String, Value)> {
    form.iter()
        .map(|(k, v)| (k.clone(), Value::Text(v.clone())))
        .collect()
}

fn form_case(label: String, fields: &[(String, Value)], expect: Expect) -> Case {
    Case {
        label,
        content_type: FORM.into(),
        body: encode(fields),
        expect,
    }
}

/// The bytes a percent-encoded value stands for, leniently: a `%` not followed by two hex
/// digits stays as it is.
fn decoded(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let hex = raw
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if raw[i] == b'%' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(raw[i]);
                i += 1;
            }
        }
    }
    out
}

/// A multipart body of text parts: there the bytes a value stands for go as they are.
fn multipart(fields: &[(String, Value)], tail: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, value) in fields {
        out.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n")
                .bytes(),
        );
        match value {
            Value::Text(t) => out.extend_from_slice(t.as_bytes()),
            Value::Raw(r) => out.extend(decoded(r)),
        }
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(tail);
    out
}

fn multipart_case(label: String, fields: &[(String, Value)], tail: &[u8], expect: Expect) -> Case {
    Case {
        label,
        content_type: format!("multipart/form-data; boundary={BOUNDARY}"),
        body: multipart(fields, tail),
        expect,
    }
}

fn closing() -> Vec<u8> {
    format!("--{BOUNDARY}--\r\n").into_bytes()
}

/// The form as a person sends it, encoded as its page does.
pub fn realistic(form: &[(String, String)], is_multipart: bool) -> Case {
    if is_multipart {
        multipart_case("as filled in".into(), &text(form), &closing(), Expect::Any)
    } else {
        form_case("as filled in".into(), &text(form), Expect::Any)
    }
}

/// Multipart bodies broken in multipart's own ways, and files that are not what they claim.
pub fn multipart_cases(form: &[(String, String)]) -> Vec<Case> {
    let fields = text(form);
    let part = |head: &str, body: &[u8]| {
        let mut p = format!("--{BOUNDARY}\r\n{head}\r\n\r\n").into_bytes();
        p.extend_from_slice(body);
        p.extend_from_slice(b"\r\n");
        p.extend(closing());
        p
    };
    let logo = "Content-Disposition: form-data; name=\"logo\"; filename=\"logo.png\"\r\n\
                Content-Type: image/png";
    let mut huge_logo = b"\x89PNG\r\n\x1a\n".to_vec();
    huge_logo.resize(2 * 1024 * 1024 + 1, 0);
    let svg = "Content-Disposition: form-data; name=\"logo\"; filename=\"logo.svg\"\r\n\
               Content-Type: image/svg+xml";
    let mut many = Vec::new();
    for i in 0..10_000 {
        many.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n")
                .bytes(),
        );
    }
    many.extend(closing());
    let twice: Vec<(String, Value)> = fields
        .iter()
        .cloned()
        .chain(
            fields
                .iter()
                .map(|(k, _)| (k.clone(), Value::Text("2".into()))),
        )
        .collect();
    let mut cases = vec![
        multipart_case("no closing boundary".into(), &fields, b"", Expect::Any),
        multipart_case(
            "cut off inside a part".into(),
            &fields,
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\nabc")
                .as_bytes(),
            Expect::Refused,
        ),
        multipart_case(
            "a part without a name".into(),
            &fields,
            &part("Content-Disposition: form-data", b"nameless"),
            Expect::Any,
        ),
        multipart_case(
            "a part with headers only".into(),
            &fields,
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"x\"\r\n").as_bytes(),
            Expect::Refused,
        ),
        multipart_case("each field twice".into(), &twice, &closing(), Expect::Any),
        multipart_case("ten thousand parts".into(), &fields, &many, Expect::Any),
        multipart_case(
            "a logo that is script".into(),
            &fields,
            &part(
                svg,
                b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>",
            ),
            Expect::Any,
        ),
        multipart_case(
            "a logo over 2 MB".into(),
            &fields,
            &part(logo, &huge_logo),
            Expect::Refused,
        ),
    ];
    cases.push(Case {
        label: "a boundary other than the one announced".into(),
        content_type: "multipart/form-data; boundary=another-one".into(),
        body: multipart(&fields, &closing()),
        expect: Expect::Refused,
    });
    cases
}

/// The values thrown at one field, with what each must get.
fn hostile_values(endpoint: &str, field: &str, realistic: &str) -> Vec<(String, Value, Expect)> {
    use Expect::*;
    use Value::*;
    let mut values = vec![
        ("100 KB".to_owned(), Text("x".repeat(100 * 1024)), Any),
        (
            "NUL and control characters".to_owned(),
            Text("a\0b\u{1}c\u{1b}[31m\u{7f}\u{202e}d\r\n".to_owned()),
            Any,
        ),
        (
            "invalid UTF-8 %FF%FE, overlong %C0%AF, lone surrogate %ED%A0%80".to_owned(),
            Raw(b"%FF%FE%C0%AF%ED%A0%80"),
            Any,
        ),
        (
            "malformed percent-encoding".to_owned(),
            Raw(b"%G1%%E2%82%"),
            Any,
        ),
        ("script".to_owned(), Text(SCRIPT.to_owned()), Any),
        (
            "javascript: URL".to_owned(),
            Text(JAVASCRIPT_URL.to_owned()),
            Any,
        ),
        (
            "Markdown with raw HTML".to_owned(),
            Text(MARKDOWN.to_owned()),
            Any,
        ),
    ];
    fn expect(values: &mut [(String, Value, Expect)], label: &str, expect: Expect) {
        for value in values.iter_mut().filter(|v| v.0 == label) {
            value.2 = expect.clone();
        }
    }
    if URLS.contains(&(endpoint, field)) {
        expect(&mut values, "javascript: URL", Refused);
    }
    if realistic.parse::<i64>().is_ok() {
        values.extend([
            (
                "letters for a number".to_owned(),
                Text("abc".into()),
                Refused,
            ),
            (
                "a number past 64 bits".to_owned(),
                Text("99999999999999999999999".into()),
                Refused,
            ),
            ("a negative id".to_owned(), Text("-1".into()), Any),
        ]);
    }
    if realistic == "true" || realistic == "false" {
        values.push((
            "letters for a boolean".to_owned(),
            Text("abc".into()),
            Refused,
        ));
    }
    // A stored text: refused when too long or when it holds control characters, whichever
    // backend it would be stored in.
    for (e, f, max) in LIMITS {
        if *e == endpoint && *f == field {
            let problem = |p| Problem(field.to_owned(), p);
            expect(&mut values, "100 KB", problem("TooLong"));
            expect(
                &mut values,
                "NUL and control characters",
                problem("Characters"),
            );
            // Accented letters: the limits count characters, not bytes.
            values.push((
                format!("{max} characters (the limit)"),
                Text("è".repeat(*max)),
                NotProblem(field.to_owned(), "TooLong"),
            ));
            values.push((
                format!("{} characters", max + 1),
                Text("è".repeat(max + 1)),
                problem("TooLong"),
            ));
        }
    }
    values
}

/// Each field in turn replaced by each hostile value, the others as a person fills them in.
pub fn field_cases(endpoint: &str, form: &[(String, String)], is_multipart: bool) -> Vec<Case> {
    let mut cases = Vec::new();
    for (i, (field, realistic)) in form.iter().enumerate() {
        for (label, value, expect) in hostile_values(endpoint, field, realistic) {
            let mut fields = text(form);
            fields[i].1 = value;
            let label = format!("{field}: {label}");
            cases.push(if is_multipart {
                multipart_case(label, &fields, &closing(), expect)
            } else {
                form_case(label, &fields, expect)
            });
        }
    }
    cases
}

/// Whole bodies that are wrong in their shape rather than in one value.
pub fn body_cases(form: &[(String, String)]) -> Vec<Case> {
    let mut cases = vec![
        form_case("empty body".into(), &[], Expect::Any),
        form_case(
            "missing fields".into(),
            &text(&[("lang".into(), "en".into())]),
            Expect::Any,
        ),
    ];
    let mut twice = text(form);
    twice.extend(
        form.iter()
            .map(|(k, _)| (k.clone(), Value::Text("2".into()))),
    );
    cases.push(form_case("each field twice".into(), &twice, Expect::Any));
    let lists: Vec<(String, Value)> = form
        .iter()
        .map(|(k, v)| (format!("{k}[]"), Value::Text(v.clone())))
        .collect();
    cases.push(form_case("fields as lists".into(), &lists, Expect::Any));
    let scripted: Vec<(String, Value)> = form
        .iter()
        .map(|(k, _)| (k.clone(), Value::Text(SCRIPT.into())))
        .collect();
    cases.push(form_case(
        "script in every field".into(),
        &scripted,
        Expect::Any,
    ));
    let json: serde_json::Map<String, serde_json::Value> = form
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
        .collect();
    cases.push(Case {
        label: "JSON where a form is expected".into(),
        content_type: "application/json".into(),
        body: serde_json::to_vec(&json).unwrap(),
        expect: Expect::Any,
    });
    let mut bytes = encode(&text(form));
    bytes.extend_from_slice(b"&lang=\xff\xfe\xc0\xaf");
    cases.push(Case {
        label: "bytes that are not UTF-8".into(),
        content_type: FORM.into(),
        body: bytes,
        expect: Expect::Refused,
    });
    cases.push(Case {
        label: "malformed structure".into(),
        content_type: FORM.into(),
        body: b"lang=en&&&=&%=%&a[b][c][d][e][f][g][h]=1&[]=x&lang[]=en&lang[x]=y&[=]".to_vec(),
        expect: Expect::Any,
    });
    let many: Vec<(String, Value)> = (0..10_000)
        .map(|i| (format!("f{i}"), Value::Text("v".into())))
        .chain(text(form))
        .collect();
    cases.push(form_case("ten thousand fields".into(), &many, Expect::Any));
    cases.push(Case {
        label: "text/plain body".into(),
        content_type: "text/plain".into(),
        body: encode(&text(form)),
        expect: Expect::Any,
    });
    cases
}

/// The cases also posted without JavaScript (by label, or the end of a field case's label):
/// what a person can send from a form in a browser.
pub const WITHOUT_JAVASCRIPT: &[&str] = &[
    "missing fields",
    "each field twice",
    "script in every field",
    "bytes that are not UTF-8",
    "100 KB",
    "NUL and control characters",
    "invalid UTF-8 %FF%FE, overlong %C0%AF, lone surrogate %ED%A0%80",
    "script",
];

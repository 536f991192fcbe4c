//! Moving between pages without a full reload, once the bundle is running. Every page is whole
//! HTML from the server and every link and form works without this; here a click on one of our
//! pages' links, a filter form or a form post fetches the next page itself, swaps its body and
//! head in, and hydrates its islands. The page's errors, in its language, thus come from the
//! server as they would without JavaScript: a refused form answers in place, with focus on its
//! summary of problems.
//!
//! A page from another build (its bootstrap differs) is loaded whole, so that its own bundle
//! runs. Anything that is not one of our pages (a feed, a download) is left to the browser.

use leptos::wasm_bindgen::closure::Closure;
use leptos::wasm_bindgen::{JsCast, JsValue};
use std::cell::{Cell, RefCell};
use web_sys::{
    Document, DomParser, Element, Event, EventTarget, FormData, HtmlElement, HtmlFormElement,
    MouseEvent, PopStateEvent, SubmitEvent, SupportedType, Url, UrlSearchParams,
};

thread_local! {
    /// The latest navigation: an answer to an earlier one that arrives later is dropped.
    static LATEST: Cell<u64> = const { Cell::new(0) };
    /// The address of the page shown, without its fragment.
    static SHOWN: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Elements of `<head>` that belong to a page rather than to the site.
const PAGE_HEAD: &str = "meta[name=description],meta[name=robots],meta[property^='og:'],\
     link[rel=canonical],script[type='application/ld+json']";

/// Starts listening for clicks, form submissions and the history's back and forward.
pub fn start() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        // Each page swapped in is scrolled by us, to its top or back to where it was read.
        let _ = history.set_scroll_restoration(web_sys::ScrollRestoration::Manual);
    }
    SHOWN.with_borrow_mut(|s| *s = without_fragment(&window.location().href().unwrap_or_default()));
    // On the window, the bubbling phase: islands' own handlers on their elements run first
    // and may keep a click for themselves (the map's markers open a card).
    listen(&window, "click", |ev: MouseEvent| on_click(&ev));
    listen(&window, "submit", |ev: SubmitEvent| on_submit(&ev));
    listen(&window, "popstate", |ev: PopStateEvent| on_popstate(&ev));
}

fn listen<E: JsCast + 'static>(target: &EventTarget, name: &str, f: impl Fn(E) + 'static) {
    let handler = Closure::<dyn Fn(Event)>::new(move |ev: Event| f(ev.unchecked_into()));
    let _ = target.add_event_listener_with_callback(name, handler.as_ref().unchecked_ref());
    handler.forget();
}

fn document() -> Option<Document> {
    web_sys::window()?.document()
}

fn here() -> Option<Url> {
    Url::new(&web_sys::window()?.location().href().ok()?).ok()
}

fn without_fragment(href: &str) -> String {
    href.split('#').next().unwrap_or(href).to_owned()
}

/// Our pages live under a language, `/en/…`; feeds, downloads and files do not, or have an
/// extension.
fn is_page(url: &Url, here: &Url) -> bool {
    if url.origin() != here.origin() {
        return false;
    }
    let path = url.pathname();
    let mut segments = path.trim_start_matches('/').split('/');
    let lang = segments.next().unwrap_or("");
    let last = path.rsplit('/').next().unwrap_or("");
    lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase()) && !last.contains('.')
}

fn on_click(ev: &MouseEvent) {
    if ev.default_prevented()
        || ev.button() != 0
        || ev.meta_key()
        || ev.ctrl_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let Some(clicked) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return;
    };
    // An island that handles its links' clicks itself (the map's markers open a card).
    if clicked
        .closest("[data-own-clicks]")
        .ok()
        .flatten()
        .is_some()
    {
        return;
    }
    let Some(link) = clicked.closest("a[href]").ok().flatten() else {
        return;
    };
    let target = link.get_attribute("target").unwrap_or_default();
    let rel = link.get_attribute("rel").unwrap_or_default();
    if link.has_attribute("download")
        || !(target.is_empty() || target == "_self")
        || rel.split_whitespace().any(|r| r == "external")
    {
        return;
    }
    let (Some(here), Some(href)) = (here(), link.get_attribute("href")) else {
        return;
    };
    let Ok(url) = Url::new_with_base(&href, &here.href()) else {
        return;
    };
    if !is_page(&url, &here) {
        return;
    }
    // A fragment of the page shown (a skip link, the table under the map): the browser
    // scrolls there and moves focus itself.
    if !url.hash().is_empty() && without_fragment(&url.href()) == without_fragment(&here.href()) {
        return;
    }
    ev.prevent_default();
    leptos::task::spawn_local(go(Visit::get(url.href()), Arrival::New));
}

fn on_submit(ev: &SubmitEvent) {
    if ev.default_prevented() {
        return;
    }
    let Some(form) = ev
        .target()
        .and_then(|t| t.dyn_into::<HtmlFormElement>().ok())
    else {
        return;
    };
    if form
        .get_attribute("target")
        .is_some_and(|t| !t.is_empty() && t != "_self")
    {
        return;
    }
    let (Some(here), Ok(action)) = (here(), Url::new(&form.action())) else {
        return;
    };
    if action.origin() != here.origin() {
        return;
    }
    let Ok(data) = FormData::new_with_form(&form) else {
        return;
    };
    // The button pressed is part of what is sent, as in a plain submission.
    if let Some(name) = ev.submitter().and_then(|s| s.get_attribute("name")) {
        let value = ev
            .submitter()
            .and_then(|s| s.get_attribute("value"))
            .unwrap_or_default();
        let _ = data.append_with_str(&name, &value);
    }
    let visit = match form.method().to_ascii_lowercase().as_str() {
        "get" => {
            if !is_page(&action, &here) {
                return;
            }
            let Some(query) = url_encoded(&data) else {
                return;
            };
            action.set_search(&query.to_string().as_string().unwrap_or_default());
            action.set_hash("");
            Visit::get(action.href())
        }
        "post" => {
            let body: JsValue = if form.enctype() == "multipart/form-data" {
                data.into()
            } else {
                match url_encoded(&data) {
                    Some(query) => query.into(),
                    None => return,
                }
            };
            Visit {
                url: action.href(),
                body: Some(body),
                form: Some(form),
            }
        }
        _ => return,
    };
    ev.prevent_default();
    leptos::task::spawn_local(go(visit, Arrival::New));
}

fn on_popstate(ev: &PopStateEvent) {
    let Some(here) = here() else {
        return;
    };
    // Back from a fragment of the same page: the browser scrolls.
    if SHOWN.with_borrow(|s| *s == without_fragment(&here.href())) {
        return;
    }
    let y = js_sys::Reflect::get(&ev.state(), &JsValue::from_str("y"))
        .ok()
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0);
    leptos::task::spawn_local(go(Visit::get(here.href()), Arrival::Back(y)));
}

/// The text fields of a form as `a=1&b=2`; a form with a file goes as multipart instead.
fn url_encoded(data: &FormData) -> Option<UrlSearchParams> {
    let query = UrlSearchParams::new().ok()?;
    for entry in js_sys::try_iter(data).ok()??.flatten() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            query.append(&name, &value);
        }
    }
    Some(query)
}

/// A page to fetch: a GET of `url`, or a form post.
struct Visit {
    url: String,
    body: Option<JsValue>,
    form: Option<HtmlFormElement>,
}

impl Visit {
    fn get(url: String) -> Self {
        Visit {
            url,
            body: None,
            form: None,
        }
    }

    /// Leaves the visit to the browser: a page loaded whole, or the form sent as it would be
    /// without JavaScript.
    fn fall_back(self) {
        match self.form {
            Some(form) => {
                let _ = form.submit();
            }
            None => {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().assign(&self.url);
                }
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Arrival {
    /// A link or a form: a new entry in the history, read from the top (or its fragment).
    New,
    /// Back or forward: the entry is there, read from where it was left.
    Back(f64),
}

async fn go(visit: Visit, arrival: Arrival) {
    let n = LATEST.with(|l| {
        l.set(l.get() + 1);
        l.get()
    });
    let root = document().and_then(|d| d.document_element());
    if let Some(root) = &root {
        let _ = root.class_list().add_1("navigating");
    }
    let answer = fetch(&visit).await;
    if LATEST.with(Cell::get) != n {
        return;
    }
    if let Some(root) = &root {
        let _ = root.class_list().remove_1("navigating");
    }
    match answer {
        Some((url, html)) => {
            if swap(&html, &url, arrival, visit.form.as_ref()).is_none() {
                if let Some(w) = web_sys::window() {
                    let _ = w.location().assign(&url);
                }
            }
        }
        None => visit.fall_back(),
    }
}

/// A request for `url`. gloo-net 0.6 appends its own query to the address with a `&` even when
/// it has none, so a query already in the address is handed over as its parameters.
pub(crate) fn request(url: &str) -> Option<gloo_net::http::RequestBuilder> {
    let base = web_sys::window()?.location().href().ok()?;
    let url = Url::new_with_base(url, &base).ok()?;
    let params: Vec<(String, String)> = js_sys::try_iter(&url.search_params())
        .ok()??
        .flatten()
        .filter_map(|entry| {
            let pair: js_sys::Array = entry.unchecked_into();
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect();
    url.set_search("");
    url.set_hash("");
    Some(
        gloo_net::http::RequestBuilder::new(&url.href())
            .query(params.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
    )
}

/// The page's address after redirects and its HTML; nothing if the answer is not a page.
async fn fetch(visit: &Visit) -> Option<(String, String)> {
    use gloo_net::http::Method;
    let builder = request(&visit.url)?.header("Accept", "text/html");
    let request = match &visit.body {
        Some(body) => builder.method(Method::POST).body(body.clone()),
        None => builder.build(),
    }
    .ok()?;
    let response = request.send().await.ok()?;
    let html = response
        .headers()
        .get("content-type")
        .is_some_and(|t| t.starts_with("text/html"));
    // A post answered without a redirect is not a page with an address of its own.
    if !html || (visit.body.is_some() && !response.redirected()) {
        return None;
    }
    let url = response.url();
    let text = response.text().await.ok()?;
    // The fragment of a link (`?sort=country#map-table`) is not sent; it still applies.
    let url = match visit.url.split_once('#') {
        Some((_, fragment)) if !response.redirected() => format!("{url}#{fragment}"),
        _ => url,
    };
    Some((url, text))
}

/// Shows `html` as the page at `url`. Nothing if it cannot (a page of another build).
///
/// A form the server refused comes back as its own page with the problems named: the address
/// stays the form's (no history entry for each attempt, no flash key in the address bar), and
/// the files chosen stay chosen, as the server cannot send a file back.
fn swap(html: &str, url: &str, arrival: Arrival, form: Option<&HtmlFormElement>) -> Option<()> {
    let window = web_sys::window()?;
    let current = window.document()?;
    let next = DomParser::new()
        .ok()?
        .parse_from_string(html, SupportedType::TextHtml)
        .ok()?;
    let bootstrap = |d: &Document| {
        d.query_selector("head script[type=module]")
            .ok()
            .flatten()
            .map(|s| s.text_content())
    };
    if bootstrap(&current) != bootstrap(&next) {
        return None;
    }
    let history = window.history().ok()?;
    if let Arrival::New = arrival {
        // Where the reader was, for when they come back.
        let state = js_sys::Object::new();
        let _ = js_sys::Reflect::set(
            &state,
            &JsValue::from_str("y"),
            &JsValue::from_f64(window.scroll_y().unwrap_or(0.0)),
        );
        let _ = history.replace_state(&state, "");
    }

    let refused = form.is_some() && url.contains("__err=");
    let files: Vec<(String, Element)> = match (refused, form) {
        (true, Some(form)) => chosen_files(form),
        _ => Vec::new(),
    };

    current.set_title(&next.title());
    let (root, next_root) = (current.document_element()?, next.document_element()?);
    for name in ["lang", "dir"] {
        match next_root.get_attribute(name) {
            Some(value) => root.set_attribute(name, &value).ok()?,
            None => root.remove_attribute(name).ok()?,
        }
    }
    let (head, next_head) = (current.head()?, next.head()?);
    let stale = head.query_selector_all(PAGE_HEAD).ok()?;
    for i in 0..stale.length() {
        if let Some(node) = stale.item(i) {
            let _ = head.remove_child(&node);
        }
    }
    let fresh = next_head.query_selector_all(PAGE_HEAD).ok()?;
    for i in 0..fresh.length() {
        if let Some(node) = fresh.item(i) {
            let _ = head.append_child(&current.import_node_with_deep(&node, true).ok()?);
        }
    }
    let next_body: web_sys::Node = next.body()?.into();
    let body = current.import_node_with_deep(&next_body, true).ok()?;
    let old_body: web_sys::Node = current.body()?.into();
    root.replace_child(&body, &old_body).ok()?;

    for (name, input) in files {
        let selector = format!("input[type=file][name=\"{name}\"]");
        if let Ok(Some(empty)) = current.query_selector(&selector) {
            let _ = empty.replace_with_with_node_1(&input);
        }
    }

    if let (Arrival::New, false) = (arrival, refused) {
        history
            .push_state_with_url(&JsValue::NULL, "", Some(url))
            .ok()?;
        SHOWN.with_borrow_mut(|s| *s = without_fragment(url));
    }
    hydrate_islands(&window);
    arrive(&window, &current, url, arrival);
    Some(())
}

/// The file inputs of `form` that hold a chosen file, by name.
fn chosen_files(form: &HtmlFormElement) -> Vec<(String, Element)> {
    let Ok(inputs) = form.query_selector_all("input[type=file]") else {
        return Vec::new();
    };
    (0..inputs.length())
        .filter_map(|i| inputs.item(i)?.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter(|input| input.files().is_some_and(|f| f.length() > 0))
        .map(|input| (input.name(), input.unchecked_into::<Element>()))
        .collect()
}

/// Hydrates the islands of the page swapped in, through the bootstrap's own function.
fn hydrate_islands(window: &web_sys::Window) {
    let hydrate = js_sys::Reflect::get(window, &JsValue::from_str("__lcHydrate"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(hydrate), Some(document)) = (hydrate, window.document()) {
        let _ = hydrate.call1(&JsValue::NULL, &document);
    }
}

/// Where the reader lands: the problems of a refused form, the fragment asked for, where they
/// were, or the top; focus follows, so that a screen reader reads the new page.
fn arrive(window: &web_sys::Window, document: &Document, url: &str, arrival: Arrival) {
    let fragment = url
        .split_once('#')
        .map(|(_, f)| f)
        .filter(|f| !f.is_empty());
    let problems = document
        .query_selector_all(".form-alert")
        .ok()
        .and_then(|all| {
            (0..all.length())
                .filter_map(|i| all.item(i)?.dyn_into::<Element>().ok())
                .find(|a| !a.text_content().unwrap_or_default().trim().is_empty())
        });
    let target = match (arrival, problems, fragment) {
        (Arrival::Back(y), _, _) => {
            window.scroll_to_with_x_and_y(0.0, y);
            document.get_element_by_id("main")
        }
        (Arrival::New, Some(alert), _) => {
            alert.scroll_into_view();
            Some(alert)
        }
        (Arrival::New, None, Some(id)) => {
            let target = document.get_element_by_id(id);
            match &target {
                Some(t) => t.scroll_into_view(),
                None => window.scroll_to_with_x_and_y(0.0, 0.0),
            }
            target
        }
        (Arrival::New, None, None) => {
            window.scroll_to_with_x_and_y(0.0, 0.0);
            document.get_element_by_id("main")
        }
    };
    if let Some(target) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
        if !target.has_attribute("tabindex") {
            let _ = target.set_attribute("tabindex", "-1");
        }
        let options = web_sys::FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = target.focus_with_options(&options);
    }
}

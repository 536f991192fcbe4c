//! Markdown written by coordinators (meeting descriptions, pact texts), rendered so that it
//! cannot carry script.

/// Markdown to HTML that cannot carry script: raw HTML in the source is escaped by the
/// sanitiser's allow-list, links get rel="noopener noreferrer".
pub fn render_markdown(source: &str) -> String {
    let parser =
        pulldown_cmark::Parser::new_ext(source, pulldown_cmark::Options::ENABLE_STRIKETHROUGH);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    ammonia::clean(&html)
}

/// The text of a Markdown source without its markup, for meta tags and calendar entries.
pub fn plain_text(source: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(source) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item) => {
                out.push_str("\n\n")
            }
            _ => {}
        }
    }
    out.trim().to_owned()
}

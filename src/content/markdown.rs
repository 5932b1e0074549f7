//! Markdown to HTML, with the few changes the site needs.
//!
//! - Every heading gets a stable, unique `id` (the one written as `{#id}`, or
//!   one made from its text) and a visible link to itself.
//! - Links to other articles are written as bare slugs (`http-403#causes`) and
//!   become `/{lang}/http-403#causes`; they are collected for validation.
//! - Tables are wrapped so they scroll inside their own box on a phone.
//! - Raw HTML is shown as text: articles are Markdown only, which keeps the
//!   pages free of inline scripts and styles.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use crate::lang::Lang;

/// Returns the parser options every article is read with.
pub fn options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_HEADING_ATTRIBUTES | Options::ENABLE_STRIKETHROUGH
}

/// A heading of an article.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// A link from an article to a page of the site, kept for validation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InternalLink {
    /// The slug linked to; `None` for a link within the same page.
    pub slug: Option<String>,
    pub anchor: Option<String>,
    /// The 1-based line within the Markdown.
    pub line: usize,
}

/// An article body rendered to HTML.
#[derive(Clone, Debug, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<InternalLink>,
    /// The text without markup, for search and word counts.
    pub text: String,
}

/// Renders an article body written in `lang`.
pub fn render(markdown: &str, lang: Lang) -> Rendered {
    let line_starts: Vec<usize> = std::iter::once(0)
        .chain(markdown.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset);

    let mut out = Rendered::default();
    let mut events: Vec<Event> = Vec::new();
    let mut heading: Option<(HeadingLevel, Option<CowStr>, Vec<Event>)> = None;

    for (event, range) in Parser::new_ext(markdown, options()).into_offset_iter() {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = match internal_target(&dest_url) {
                    Some((slug, anchor)) => {
                        let href =
                            match &slug {
                                Some(slug) => format!("/{lang}/{slug}"),
                                None => String::new(),
                            } + &anchor.as_ref().map(|a| format!("#{a}")).unwrap_or_default();
                        out.links.push(InternalLink {
                            slug,
                            anchor,
                            line: line_of(range.start),
                        });
                        CowStr::from(href)
                    }
                    None => dest_url,
                };
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                })
            }
            other => other,
        };
        match (&mut heading, event) {
            (None, Event::Start(Tag::Heading { level, id, .. })) => {
                heading = Some((level, id, Vec::new()));
            }
            (Some(_), Event::End(TagEnd::Heading(_))) => {
                let (level, id, inner) = heading.take().expect("inside a heading");
                let text = plain_text(&inner);
                let id = unique_id(&out.headings, id.map(|i| i.to_string()), &text);
                let n = level as usize;
                events.push(Event::Html(format!("<h{n} id=\"{id}\">").into()));
                events.extend(inner);
                let label = lang.ui().anchor_label;
                events.push(Event::Html(
                    format!(" <a class=\"anchor\" href=\"#{id}\" aria-label=\"{label}: {}\">#</a></h{n}>\n", escape(&text)).into(),
                ));
                out.text.push_str(&text);
                separate(&mut out.text);
                out.headings.push(Heading {
                    level: n as u8,
                    id,
                    text,
                });
            }
            (Some((_, _, inner)), event) => inner.push(event),
            (None, Event::Start(Tag::Table(alignments))) => {
                events.push(Event::Html("<div class=\"table-wrap\">".into()));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            (None, Event::End(TagEnd::Table)) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            (None, event) => {
                match &event {
                    Event::Text(t) | Event::Code(t) => out.text.push_str(t),
                    Event::SoftBreak
                    | Event::HardBreak
                    | Event::End(
                        TagEnd::Paragraph | TagEnd::Item | TagEnd::TableCell | TagEnd::CodeBlock,
                    ) => separate(&mut out.text),
                    _ => {}
                }
                events.push(event);
            }
        }
    }
    html::push_html(&mut out.html, events.into_iter());
    out
}

/// Recognises a link to a page of the site: `slug`, `slug#anchor`, `#anchor`.
fn internal_target(dest: &str) -> Option<(Option<String>, Option<String>)> {
    let (path, anchor) = match dest.split_once('#') {
        Some((p, a)) => (p, Some(a.to_string())),
        None => (dest, None),
    };
    let is_slug = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if path.is_empty() {
        return anchor.map(|a| (None, Some(a)));
    }
    is_slug(path).then(|| (Some(path.to_string()), anchor))
}

fn plain_text(events: &[Event]) -> String {
    let mut text = String::new();
    for e in events {
        if let Event::Text(t) | Event::Code(t) = e {
            text.push_str(t);
        }
    }
    text.trim().to_string()
}

fn separate(text: &mut String) {
    if !text.is_empty() && !text.ends_with(char::is_whitespace) {
        text.push(' ');
    }
}

/// Returns the explicit id, or one made from the text, made unique on the page.
fn unique_id(taken: &[Heading], explicit: Option<String>, text: &str) -> String {
    let base = explicit.unwrap_or_else(|| slugify(text));
    let mut id = base.clone();
    let mut n = 1;
    while taken.iter().any(|h| h.id == id) {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// Makes an ASCII id from heading text: "Co możesz zrobić?" becomes "co-mozesz-zrobic".
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in deunicode::deunicode(text).chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug.to_string()
    }
}

/// Escapes text for an HTML attribute or element.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_get_ids_and_anchor_links() {
        let r = render(
            "## Przyczyny {#causes}\n\ntext\n\n## Co możesz zrobić?\n\n## Co możesz zrobić?\n",
            Lang::Pl,
        );
        let ids: Vec<_> = r.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["causes", "co-mozesz-zrobic", "co-mozesz-zrobic-2"]);
        assert!(
            r.html
                .contains("<h2 id=\"causes\">Przyczyny <a class=\"anchor\" href=\"#causes\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn slugs_survive_odd_text() {
        assert_eq!(slugify("Łódź & Kraków: 5.7.1"), "lodz-krakow-5-7-1");
        assert_eq!(slugify("!!!"), "section");
        assert_eq!(slugify("日本語"), "ri-ben-yu");
        assert_eq!(slugify("🎉"), "tada");
    }

    #[test]
    fn slug_links_become_absolute_and_are_collected() {
        let r = render(
            "See [403](http-403#causes), [top](#example) and [web](https://example.com/).\n",
            Lang::En,
        );
        assert!(
            r.html.contains("href=\"/en/http-403#causes\""),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"#example\""), "{}", r.html);
        assert!(
            r.html.contains("href=\"https://example.com/\""),
            "{}",
            r.html
        );
        assert_eq!(r.links.len(), 2);
        assert_eq!(r.links[0].slug.as_deref(), Some("http-403"));
        assert_eq!(r.links[1].slug, None);
        assert_eq!(r.links[0].line, 1);
    }

    #[test]
    fn raw_html_is_escaped() {
        let r = render(
            "<script>alert(1)</script>\n\ntext <b onclick=x>b</b>\n",
            Lang::Pl,
        );
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<b "), "{}", r.html);
    }

    #[test]
    fn tables_scroll_in_their_own_box() {
        let r = render("| a | b |\n|---|---|\n| 1 | 2 |\n", Lang::Pl);
        assert!(
            r.html.starts_with("<div class=\"table-wrap\"><table>"),
            "{}",
            r.html
        );
    }

    #[test]
    fn text_is_collected_for_search() {
        let r = render("## Tytuł\n\nAla ma `kod`.\n", Lang::Pl);
        assert_eq!(r.text.trim_end(), "Tytuł Ala ma kod.");
    }
}

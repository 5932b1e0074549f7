//! The askama views: one struct per kind of page, plus the [`Layout`] every
//! page shares (`templates/base.html`).
//!
//! Views hold only what their template prints; building them is the work of
//! [`super`] (pages rendered at start-up) and of the web handlers (result and
//! search pages). Text from people reaches templates as plain `&str` and is
//! escaped by askama; only the article HTML rendered from our own Markdown
//! and the search snippets (escaped by the index) are marked safe.

use askama::Template;

use super::assets::{ASSETS, Assets};
use crate::answer::{self, Explained, PastedLine};
use crate::config::Config;
use crate::content::{Article, Group, Heading, Library};
use crate::lang::{Lang, Ui};

/// One step of the breadcrumbs; the last has no link.
pub struct Crumb {
    pub name: String,
    pub url: Option<String>,
}

/// The absolute URLs of a page in both languages, for hreflang.
pub struct Alternates {
    pub pl: String,
    pub en: String,
}

/// What every page shares: head, header, breadcrumbs, footer.
pub struct Layout {
    pub lang: Lang,
    pub other: Lang,
    pub ui: &'static Ui,
    pub title: String,
    pub description: String,
    /// The absolute canonical URL; `None` for pages that should not be indexed.
    pub canonical: Option<String>,
    pub alternates: Option<Alternates>,
    /// The same page in the other language.
    pub switch_url: String,
    pub crumbs: Vec<Crumb>,
    pub assets: &'static Assets,
    /// What the header's search box shows.
    pub query: String,
    pub noindex: bool,
}

impl Layout {
    /// Returns the layout of a page that exists at `path` in both languages
    /// (`path` without the language, such as `/554-5-7-1` or `/`).
    pub fn indexed(
        lang: Lang,
        path: &str,
        title: String,
        description: String,
        base_url: &str,
    ) -> Layout {
        let url = |l: Lang| format!("{base_url}/{l}{path}");
        Layout {
            canonical: Some(url(lang)),
            alternates: Some(Alternates {
                pl: url(Lang::Pl),
                en: url(Lang::En),
            }),
            switch_url: format!("/{}{path}", lang.other()),
            noindex: false,
            ..Layout::plain(lang, title, description)
        }
    }

    /// Returns the layout of a page that is not indexed (results, errors):
    /// no canonical link, and the switcher leads to the other home page.
    pub fn plain(lang: Lang, title: String, description: String) -> Layout {
        let ui = lang.ui();
        Layout {
            lang,
            other: lang.other(),
            ui,
            title: format!("{title} – {}", ui.site_name),
            description,
            canonical: None,
            alternates: None,
            switch_url: format!("/{}/", lang.other()),
            crumbs: vec![Crumb {
                name: ui.home.to_string(),
                url: Some(format!("/{lang}/")),
            }],
            assets: &ASSETS,
            query: String::new(),
            noindex: true,
        }
    }

    /// Adds a breadcrumb; pass no URL for the current page.
    pub fn crumb(mut self, name: &str, url: Option<String>) -> Layout {
        self.crumbs.push(Crumb {
            name: name.to_string(),
            url,
        });
        self
    }

    /// Makes the last breadcrumb the current page (no link).
    fn current_last(mut self) -> Layout {
        if let Some(last) = self.crumbs.last_mut() {
            last.url = None;
        }
        self
    }
}

/// An article in a list: home page, related articles, search page.
pub struct ListItem {
    pub code: String,
    pub title: String,
    pub summary: String,
    pub url: String,
}

impl ListItem {
    pub fn of(article: &Article, lang: Lang) -> ListItem {
        let t = article.in_lang(lang);
        ListItem {
            code: article.code.clone(),
            title: without_code(&t.title, &article.code).to_string(),
            summary: t.summary.clone(),
            url: article.url(lang),
        }
    }
}

/// Returns a title without the code it starts with, for lists that show
/// the code beside it ("554 5.7.1 Relay access denied" → "Relay access denied").
pub fn without_code<'a>(title: &'a str, code: &str) -> &'a str {
    let rest = title
        .strip_prefix(code)
        .map(|r| r.trim_start_matches([' ', ':', '–', '—', '-']))
        .unwrap_or(title);
    if rest.is_empty() { title } else { rest }
}

/// A group of articles on the home page.
pub struct GroupView {
    pub id: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub items: Vec<ListItem>,
}

/// Returns both groups of articles in one language, mail first.
pub fn groups(library: &Library, lang: Lang) -> Vec<GroupView> {
    let ui = lang.ui();
    [
        (Group::Mail, "mail", ui.mail_errors, ui.mail_errors_intro),
        (Group::Web, "web", ui.web_errors, ui.web_errors_intro),
    ]
    .into_iter()
    .map(|(group, id, title, intro)| GroupView {
        id,
        title,
        intro,
        items: library
            .group(group)
            .map(|a| ListItem::of(a, lang))
            .collect(),
    })
    .filter(|g| !g.items.is_empty())
    .collect()
}

/// The paste box, on the home page and the identify page.
pub struct PasteForm<'a> {
    pub action: String,
    /// The text to show in the box: what was pasted, given back.
    pub text: &'a str,
    /// Whether the box gets the focus (the identify page, not the home page).
    pub autofocus: bool,
}

impl<'a> PasteForm<'a> {
    pub fn new(lang: Lang, text: &'a str, autofocus: bool) -> PasteForm<'a> {
        PasteForm {
            action: format!("/{lang}/identify"),
            text,
            autofocus,
        }
    }
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage {
    pub l: Layout,
    pub form: PasteForm<'static>,
    pub groups: Vec<GroupView>,
}

impl HomePage {
    pub fn new(library: &Library, lang: Lang, config: &Config) -> HomePage {
        let ui = lang.ui();
        let l = Layout::indexed(
            lang,
            "/",
            ui.site_name.to_string(),
            ui.tagline.to_string(),
            &config.base_url,
        );
        HomePage {
            l: Layout {
                title: format!("{} – {}", ui.site_name, ui.tagline),
                ..l
            }
            .current_last(),
            form: PasteForm::new(lang, "", false),
            groups: groups(library, lang),
        }
    }
}

/// One entry of an article's table of contents.
pub struct TocEntry {
    pub id: String,
    pub text: String,
}

#[derive(Template)]
#[template(path = "article.html")]
pub struct ArticlePage {
    pub l: Layout,
    pub code: String,
    pub title: String,
    pub summary: String,
    pub updated_iso: String,
    pub updated: String,
    pub toc: Vec<TocEntry>,
    pub html: String,
    pub related: Vec<ListItem>,
}

/// Articles with this many `h2` sections or more get a table of contents.
const TOC_MIN_SECTIONS: usize = 4;

impl ArticlePage {
    pub fn new(library: &Library, article: &Article, lang: Lang, config: &Config) -> ArticlePage {
        let ui = lang.ui();
        let t = article.in_lang(lang);
        let (group_name, group_id) = match article.group {
            Group::Mail => (ui.mail_errors, "mail"),
            Group::Web => (ui.web_errors, "web"),
        };
        let l = Layout::indexed(
            lang,
            &format!("/{}", article.slug),
            t.title.clone(),
            t.summary.clone(),
            &config.base_url,
        )
        .crumb(group_name, Some(format!("/{lang}/#{group_id}")))
        .crumb(&t.title, None);
        let sections: Vec<&Heading> = t.headings.iter().filter(|h| h.level == 2).collect();
        let toc = if sections.len() >= TOC_MIN_SECTIONS {
            sections
                .into_iter()
                .map(|h| TocEntry {
                    id: h.id.clone(),
                    text: h.text.clone(),
                })
                .collect()
        } else {
            Vec::new()
        };
        ArticlePage {
            l,
            code: article.code.clone(),
            title: t.title.clone(),
            summary: t.summary.clone(),
            updated_iso: t.updated_iso(),
            updated: lang.date(t.updated),
            toc,
            html: t.html.clone(),
            related: article
                .related
                .iter()
                .filter_map(|slug| library.get(slug))
                .map(|a| ListItem::of(a, lang))
                .collect(),
        }
    }
}

/// A way to reach support, as shown on the contact page.
pub struct Channel {
    pub label: &'static str,
    pub text: String,
    /// `None` for channels that are not links (opening hours).
    pub href: Option<String>,
}

#[derive(Template)]
#[template(path = "contact.html")]
pub struct ContactPage {
    pub l: Layout,
    pub channels: Vec<Channel>,
}

impl ContactPage {
    pub fn new(lang: Lang, config: &Config) -> ContactPage {
        let ui = lang.ui();
        let l = Layout::indexed(
            lang,
            "/contact",
            ui.contact_title.to_string(),
            ui.contact_intro.to_string(),
            &config.base_url,
        )
        .crumb(ui.contact_title, None);
        let phone_digits: String = config
            .contact_phone
            .chars()
            .filter(|c| c.is_ascii_digit() || *c == '+')
            .collect();
        let channels = vec![
            Channel {
                label: ui.contact_form,
                text: config.contact_form_url.clone(),
                href: Some(config.contact_form_url.clone()),
            },
            Channel {
                label: ui.contact_email,
                text: config.contact_email.clone(),
                href: Some(format!("mailto:{}", config.contact_email)),
            },
            Channel {
                label: ui.contact_phone,
                text: config.contact_phone.clone(),
                href: Some(format!("tel:{phone_digits}")),
            },
            Channel {
                label: ui.contact_hours,
                text: config.contact_hours(lang).to_string(),
                href: None,
            },
        ];
        ContactPage { l, channels }
    }
}

/// A finding, ready for the result page.
pub struct FindingView<'a> {
    pub e: &'a Explained,
    /// "554 5.7.1", "HTTP 403", or the status alone.
    pub heading: String,
    pub actor: &'static str,
    pub class: Option<&'static str>,
    pub facts: Vec<(&'static str, &'a str)>,
    /// The absolute link to the article's section, for people to copy.
    pub absolute_link: Option<String>,
}

impl<'a> FindingView<'a> {
    pub fn new(e: &'a Explained, lang: Lang, base_url: &str) -> FindingView<'a> {
        let ui = lang.ui();
        let heading = match (e.kind, e.code, e.status.as_deref()) {
            (crate::identify::Kind::Http, Some(code), _) => format!("HTTP {code}"),
            (_, Some(code), Some(status)) => format!("{code} {status}"),
            (_, Some(code), None) => code.to_string(),
            (_, None, Some(status)) => status.to_string(),
            (_, None, None) => String::new(),
        };
        FindingView {
            e,
            heading,
            actor: answer::actor_label(e.actor, lang),
            class: e.permanent.map(|p| {
                if p {
                    ui.class_permanent
                } else {
                    ui.class_temporary
                }
            }),
            facts: answer::fact_rows(&e.facts, lang),
            absolute_link: e.article.as_ref().map(|a| format!("{base_url}{}", a.link)),
        }
    }
}

/// What the identify page shows above the form.
pub enum Outcome<'a> {
    /// The form alone (`GET`).
    Form,
    /// The box was empty.
    Empty,
    /// The text is over the paste limit; it is given back in the box.
    TooLarge { limit: String },
    /// The body was over the hard cap and could not be read, so the text is lost.
    Dropped { limit: String },
    /// Nothing was recognised.
    Nothing,
    /// One or more findings, with the pasted lines to show.
    Found {
        findings: Vec<FindingView<'a>>,
        lines: Vec<PastedLine<'a>>,
    },
}

impl Outcome<'_> {
    /// Tells whether the page shows the form alone.
    pub fn is_form(&self) -> bool {
        matches!(self, Outcome::Form)
    }
}

#[derive(Template)]
#[template(path = "identify.html")]
pub struct IdentifyPage<'a> {
    pub l: Layout,
    pub outcome: Outcome<'a>,
    pub form: PasteForm<'a>,
}

/// The result alone, for the script that shows it without a reload.
#[derive(Template)]
#[template(path = "result_fragment.html")]
pub struct ResultFragment<'a> {
    pub l: Layout,
    pub outcome: Outcome<'a>,
}

impl<'a> IdentifyPage<'a> {
    pub fn new(
        lang: Lang,
        outcome: Outcome<'a>,
        text: &'a str,
        base_url: &str,
    ) -> IdentifyPage<'a> {
        let ui = lang.ui();
        let title = match &outcome {
            Outcome::Form => ui.identify_title,
            Outcome::Empty => ui.empty_title,
            Outcome::TooLarge { .. } | Outcome::Dropped { .. } => ui.too_large_title,
            Outcome::Nothing => ui.none_title,
            Outcome::Found { .. } => ui.result_title,
        };
        let mut l = Layout::indexed(
            lang,
            "/identify",
            title.to_string(),
            ui.paste_help.to_string(),
            base_url,
        );
        // Results are made for one person; only the empty form is a page.
        l.noindex = !matches!(outcome, Outcome::Form);
        // The box takes the focus when typing is the next step; a result
        // comes first, above the box, and is read from the top.
        let autofocus = !matches!(outcome, Outcome::Found { .. } | Outcome::Nothing);
        IdentifyPage {
            l: l.crumb(ui.identify_title, None),
            outcome,
            form: PasteForm::new(lang, text, autofocus),
        }
    }

    /// Returns the same result without the page around it.
    pub fn into_fragment(self) -> ResultFragment<'a> {
        ResultFragment {
            l: self.l,
            outcome: self.outcome,
        }
    }
}

/// A search result, ready for the search page.
pub struct HitView {
    pub url: String,
    pub title: String,
    pub code: String,
    /// Escaped by the index, with matched words in `<mark>`.
    pub snippet_html: String,
}

/// A finding in a pasted search query, as a short link.
pub struct PastedHit {
    pub heading: String,
    pub summary: String,
    pub link: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub l: Layout,
    pub query: String,
    pub too_long: bool,
    pub hits: Vec<HitView>,
    pub pasted: Vec<PastedHit>,
    /// Every article, shown when there is no query.
    pub all: Vec<GroupView>,
}

impl SearchPage {
    /// Returns the layout of a search page with a given title.
    pub fn layout(lang: Lang, title: String, base_url: &str) -> Layout {
        let ui = lang.ui();
        let mut l = Layout::indexed(
            lang,
            "/search",
            title,
            ui.search_label.to_string(),
            base_url,
        )
        .crumb(ui.search_title, None);
        // Search pages hold nothing an article does not; robots.txt keeps
        // crawlers off them too.
        l.noindex = true;
        l
    }

    /// Returns the search page before anything is searched.
    pub fn empty(library: &Library, lang: Lang, base_url: &str) -> SearchPage {
        SearchPage {
            l: SearchPage::layout(lang, lang.ui().search_title.to_string(), base_url),
            query: String::new(),
            too_long: false,
            hits: Vec::new(),
            pasted: Vec::new(),
            all: groups(library, lang),
        }
    }
}

#[derive(Template)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    pub l: Layout,
    /// The HTTP 404 article, when it exists.
    pub article: Option<ListItem>,
}

impl NotFoundPage {
    pub fn new(library: &Library, lang: Lang) -> NotFoundPage {
        let ui = lang.ui();
        NotFoundPage {
            l: Layout::plain(
                lang,
                ui.not_found_title.to_string(),
                ui.not_found_text.to_string(),
            )
            .crumb(ui.not_found_title, None),
            article: library.get("http-404").map(|a| ListItem::of(a, lang)),
        }
    }
}

/// A page for an error that is not a missing page: 405, 413, 429, 5xx.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub l: Layout,
    pub heading: String,
    pub text: String,
}

impl ErrorPage {
    pub fn new(lang: Lang, heading: &str, text: &str) -> ErrorPage {
        ErrorPage {
            l: Layout::plain(lang, heading.to_string(), text.to_string()).crumb(heading, None),
            heading: heading.to_string(),
            text: text.to_string(),
        }
    }
}

/// One URL of the sitemap with its alternates.
pub struct SitemapUrl {
    pub loc: String,
    pub lastmod: String,
    pub pl: String,
    pub en: String,
}

#[derive(Template)]
#[template(path = "sitemap.xml")]
pub struct Sitemap {
    pub urls: Vec<SitemapUrl>,
}

#[cfg(test)]
mod tests {
    use super::without_code;

    #[test]
    fn list_titles_drop_the_code_shown_beside_them() {
        assert_eq!(
            without_code("554 5.7.1 Relay access denied", "554 5.7.1"),
            "Relay access denied"
        );
        assert_eq!(
            without_code("554 5.7.1: message refused", "554 5.7.1"),
            "message refused"
        );
        assert_eq!(
            without_code("HTTP 403 – Forbidden", "HTTP 403"),
            "Forbidden"
        );
        assert_eq!(without_code("Błąd 403", "HTTP 403"), "Błąd 403");
        assert_eq!(without_code("554 5.7.1", "554 5.7.1"), "554 5.7.1");
    }
}

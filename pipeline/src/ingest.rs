//! Reading articles: `.txt`, `.html`/`.htm`, `.jsonl` files, directories (recursively, in
//! sorted order) and JSONL on stdin.
//!
//! Every failure to read or decode an article becomes a [`StageError`] for that article only.
//! The text of a `.txt` article is exactly the file's content (CRLF and all); the text of an
//! HTML article is its extracted body, paragraphs separated by blank lines.

use crate::document::Meta;
use crate::stage::{ErrorKind, StageError};
use scraper::{ElementRef, Html, Node, Selector};
use std::path::{Path, PathBuf};

/// Where one article comes from, before it is read.
#[derive(Clone, Debug)]
pub enum Source {
    /// A plain text file: one article, id = file stem.
    Text(PathBuf),
    /// An HTML file: one article, id = file stem.
    Html(PathBuf),
    /// One line of a JSONL file or of stdin.
    JsonLine {
        /// Where the line came from (path or `-`).
        origin: String,
        /// 1-based line number.
        line: usize,
        /// The line, or why it could not be read.
        raw: Result<Vec<u8>, StageError>,
    },
    /// A path that could not be listed or opened.
    Unreadable {
        /// The path as given.
        path: PathBuf,
        /// Why.
        error: StageError,
    },
}

/// An article ready for the stages.
#[derive(Clone, Debug)]
pub struct Article {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its metadata.
    pub meta: Meta,
}

fn stem(p: &Path) -> String {
    p.file_stem().map_or_else(
        || p.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn ext(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Expands paths into sources, in the order given; directories recursively in sorted order,
/// keeping only `.txt`, `.html`, `.htm` and `.jsonl` files inside them. A named file with
/// another extension is read as text.
pub fn collect_sources(paths: &[PathBuf]) -> Vec<Source> {
    let mut out = Vec::new();
    for p in paths {
        add_path(p, true, &mut out);
    }
    out
}

fn add_path(p: &Path, named: bool, out: &mut Vec<Source>) {
    if p.is_dir() {
        let entries = match std::fs::read_dir(p) {
            Ok(rd) => rd,
            Err(e) => {
                out.push(Source::Unreadable {
                    path: p.to_path_buf(),
                    error: read_error(p, &e),
                });
                return;
            }
        };
        let mut children: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        children.sort();
        for c in children {
            add_path(&c, false, out);
        }
        return;
    }
    match ext(p).as_str() {
        "html" | "htm" => out.push(Source::Html(p.to_path_buf())),
        "jsonl" => match std::fs::read(p) {
            Ok(bytes) => out.extend(json_lines(&p.display().to_string(), &bytes)),
            Err(e) => out.push(Source::Unreadable {
                path: p.to_path_buf(),
                error: read_error(p, &e),
            }),
        },
        "txt" => out.push(Source::Text(p.to_path_buf())),
        _ if named => out.push(Source::Text(p.to_path_buf())),
        _ => {}
    }
}

/// Splits JSONL bytes into one source per non-blank line.
pub fn json_lines(origin: &str, bytes: &[u8]) -> Vec<Source> {
    bytes
        .split(|b| *b == b'\n')
        .enumerate()
        .filter(|(_, l)| l.iter().any(|b| !b.is_ascii_whitespace()))
        .map(|(i, l)| Source::JsonLine {
            origin: origin.to_string(),
            line: i + 1,
            raw: Ok(l.to_vec()),
        })
        .collect()
}

fn read_error(p: &Path, e: &std::io::Error) -> StageError {
    StageError::new(ErrorKind::Read, format!("cannot read {}: {e}", p.display()))
}

impl Source {
    /// The id the article's record will carry, known before reading it.
    pub fn id(&self) -> String {
        match self {
            Source::Text(p) | Source::Html(p) => stem(p),
            Source::Unreadable { path, .. } => stem(path),
            Source::JsonLine { origin, line, .. } => format!("{}:{line}", stem(Path::new(origin))),
        }
    }

    /// Reads and decodes the article.
    ///
    /// # Errors
    /// `read`, `binary`, `encoding`, `empty`, `too_large` or `parse` errors for this article,
    /// with the id its record carries (the JSONL `id` when the line parsed that far).
    pub fn load(&self, max_bytes: usize) -> Result<Article, (String, StageError)> {
        self.load_inner(max_bytes)
            .map_err(|(id, e)| (id.unwrap_or_else(|| self.id()), e))
    }

    fn load_inner(&self, max_bytes: usize) -> Result<Article, (Option<String>, StageError)> {
        let plain = |e: StageError| (None, e);
        match self {
            Source::Unreadable { error, .. } => Err(plain(error.clone())),
            Source::Text(p) => {
                let bytes = read_limited(p, max_bytes).map_err(plain)?;
                let text = decode(&bytes, &p.display().to_string()).map_err(plain)?;
                Ok(Article {
                    id: stem(p),
                    text,
                    meta: Meta::default(),
                })
            }
            Source::Html(p) => {
                let bytes = read_limited(p, max_bytes).map_err(plain)?;
                let html = decode(&bytes, &p.display().to_string()).map_err(plain)?;
                let (text, title) = html_to_text(&html);
                nonempty(&text, &p.display().to_string()).map_err(plain)?;
                Ok(Article {
                    id: stem(p),
                    text,
                    meta: Meta {
                        title,
                        ..Meta::default()
                    },
                })
            }
            Source::JsonLine { origin, line, raw } => {
                let raw = raw.as_ref().map_err(|e| plain(e.clone()))?;
                let at = format!("{origin} line {line}");
                if raw.len() > max_bytes {
                    return Err(plain(too_large(raw.len(), max_bytes, &at)));
                }
                let s = std::str::from_utf8(raw).map_err(|e| {
                    plain(StageError::new(
                        ErrorKind::Encoding,
                        format!("{at}: not UTF-8 at byte {}", e.valid_up_to()),
                    ))
                })?;
                parse_json_article(s, &at, &self.id(), max_bytes)
            }
        }
    }
}

fn too_large(n: usize, max: usize, at: &str) -> StageError {
    StageError::new(ErrorKind::TooLarge, format!("{at}: {n} bytes is over the {max}-byte article limit (news articles are far smaller; split the file or raise the limit with --max-bytes)"))
}

fn read_limited(p: &Path, max_bytes: usize) -> Result<Vec<u8>, StageError> {
    let meta = std::fs::metadata(p).map_err(|e| read_error(p, &e))?;
    if meta.len() as usize > max_bytes {
        return Err(too_large(
            meta.len() as usize,
            max_bytes,
            &p.display().to_string(),
        ));
    }
    std::fs::read(p).map_err(|e| read_error(p, &e))
}

/// Bytes → text, refusing binary files, invalid UTF-8 and empty articles.
fn decode(bytes: &[u8], at: &str) -> Result<String, StageError> {
    let head = &bytes[..bytes.len().min(8192)];
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    if head.contains(&0) || controls * 20 > head.len().max(1) {
        return Err(StageError::new(
            ErrorKind::Binary,
            format!("{at}: looks like a binary file, not an article"),
        ));
    }
    let s = std::str::from_utf8(bytes).map_err(|e| {
        StageError::new(
            ErrorKind::Encoding,
            format!(
                "{at}: not UTF-8 at byte {} (convert it, e.g. `iconv -f latin1 -t utf-8`)",
                e.valid_up_to()
            ),
        )
    })?;
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    nonempty(s, at)?;
    Ok(s.to_string())
}

fn nonempty(s: &str, at: &str) -> Result<(), StageError> {
    if s.trim().is_empty() {
        return Err(StageError::new(
            ErrorKind::Empty,
            format!("{at}: the article has no text"),
        ));
    }
    Ok(())
}

fn parse_json_article(
    s: &str,
    at: &str,
    fallback_id: &str,
    max_bytes: usize,
) -> Result<Article, (Option<String>, StageError)> {
    let early = |e: StageError| (None, e);
    let v: serde_json::Value = serde_json::from_str(s).map_err(|e| {
        early(StageError::new(
            ErrorKind::Parse,
            format!("{at}: invalid JSON: {e}"),
        ))
    })?;
    let obj = v.as_object().ok_or_else(|| {
        early(StageError::new(
            ErrorKind::Parse,
            format!("{at}: expected a JSON object with \"id\" and \"text\" or \"html\""),
        ))
    })?;
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id.to_string(),
    };
    let fail = |e: StageError| (Some(id.clone()), e);
    let field = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let mut meta = Meta {
        url: field("url"),
        title: field("title"),
        published: field("published"),
    };
    let text = if let Some(t) = field("text") {
        t
    } else if let Some(h) = field("html") {
        let (t, title) = html_to_text(&h);
        if meta.title.is_none() {
            meta.title = title;
        }
        t
    } else {
        return Err(fail(StageError::new(
            ErrorKind::Parse,
            format!("{at}: the object has neither \"text\" nor \"html\""),
        )));
    };
    if text.len() > max_bytes {
        return Err(fail(too_large(text.len(), max_bytes, at)));
    }
    if text.contains('\0') {
        return Err(fail(StageError::new(
            ErrorKind::Binary,
            format!("{at}: the text holds NUL bytes"),
        )));
    }
    nonempty(&text, at).map_err(fail)?;
    Ok(Article { id, text, meta })
}

/// Elements whose text is never article body.
const SKIP: &[&str] = &[
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "noscript",
    "form",
    "button",
    "iframe",
    "svg",
    "template",
    "select",
    "menu",
    "head",
    "object",
    "video",
    "audio",
    "canvas",
];
/// Elements that end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "section",
    "article",
    "br",
    "tr",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "main",
    "table",
    "hr",
];
/// class/id fragments of navigation, sharing, captions and ads.
const SKIP_CLASS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "share",
    "social",
    "caption",
    "advert",
    "promo",
    "related",
    "breadcrumb",
    "cookie",
    "newsletter",
    "sidebar",
    "byline",
    "subscribe",
];

/// The article body of an HTML document as paragraphs separated by blank lines, and its
/// title. Uses a real HTML parser (html5ever through scraper).
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    let doc = Html::parse_document(html);
    let title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| collapse(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    let root = ["article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| doc.select(&s).next())
        .unwrap_or_else(|| doc.root_element());
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    walk(root, &mut cur, &mut paras);
    flush(&mut cur, &mut paras);
    (paras.join("\n\n"), title)
}

fn flush(cur: &mut String, paras: &mut Vec<String>) {
    let t = collapse(cur);
    if !t.is_empty() {
        paras.push(t);
    }
    cur.clear();
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn walk(el: ElementRef, cur: &mut String, paras: &mut Vec<String>) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => cur.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let marker = e.attr("class").unwrap_or("").to_lowercase()
                    + " "
                    + &e.attr("id").unwrap_or("").to_lowercase();
                if marker.split(|c: char| !c.is_alphanumeric()).any(|w| {
                    SKIP_CLASS
                        .iter()
                        .any(|s| w == *s || w.starts_with(&format!("{s}-")))
                }) {
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    flush(cur, paras);
                }
                if let Some(c) = ElementRef::wrap(child) {
                    walk(c, cur, paras);
                }
                if block {
                    flush(cur, paras);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_body_without_navigation_scripts_and_captions() {
        let html = r#"<html><head><title>Talks stall</title><script>var x = "said";</script></head>
<body><nav><a href="/">Home</a> <a>World</a></nav>
<article><h1>Talks stall</h1><p>Officials said the talks <b>stalled</b>.</p>
<figure><img src="a.jpg"><figcaption>A photo caption</figcaption></figure>
<div class="share-buttons">Share on X</div>
<p>“We will return,” she said.</p></article><footer>© 2020</footer></body></html>"#;
        let (text, title) = html_to_text(html);
        assert_eq!(title.as_deref(), Some("Talks stall"));
        assert_eq!(
            text,
            "Talks stall\n\nOfficials said the talks stalled.\n\n“We will return,” she said."
        );
    }

    #[test]
    fn bad_bytes_are_errors_of_the_right_kind() {
        assert_eq!(
            decode(b"\x00\x01\x02binary", "f").unwrap_err().kind,
            ErrorKind::Binary
        );
        assert_eq!(
            decode(b"caf\xe9 au lait", "f").unwrap_err().kind,
            ErrorKind::Encoding
        );
        assert_eq!(decode(b" \n\r\n ", "f").unwrap_err().kind, ErrorKind::Empty);
        assert_eq!(decode("Olá\r\n".as_bytes(), "f").unwrap(), "Olá\r\n");
        let (_, e) = parse_json_article("{\"id\": 1", "x", "x:1", 1 << 20).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Parse);
        let (id, _) = parse_json_article("{\"id\": \"j3\"}", "x", "x:1", 1 << 20).unwrap_err();
        assert_eq!(id.as_deref(), Some("j3"));
        let a = parse_json_article(
            r#"{"id": 7, "text": "Hi there.", "url": "u"}"#,
            "x",
            "x:1",
            1 << 20,
        )
        .unwrap();
        assert_eq!((a.id.as_str(), a.meta.url.as_deref()), ("7", Some("u")));
    }
}

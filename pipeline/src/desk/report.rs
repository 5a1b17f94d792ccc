//! `claimex report`: one self-contained static HTML page over a batch.
//!
//! The page holds its data as one JSON block and renders it in the browser: an overview, the
//! claims table (sorted and filtered without a round trip, a few hundred rows at a time),
//! and one article at a time with its layers marked, so a batch of thousands of articles
//! opens as fast as a small one.
//!
//! **Nothing from an article runs.** Article text, titles, ids, error messages and every
//! other string from the records reach the page only as JSON string values inside a
//! `<script type="application/json">` block, with `<`, `>`, `&`, U+2028 and U+2029 written as
//! `\uXXXX` escapes (so no `</script>` can close it), and the page's script puts them into the
//! document with `textContent` only, never as markup. A Content-Security-Policy allows no
//! network at all, no inline event handlers and only the page's own script (by its SHA-256);
//! links to an article's URL are not made (`javascript:` and the like stay text).
//!
//! Offsets in the page's data are UTF-16 code units (what JavaScript strings count), converted
//! here from the records' code points.

use crate::desk::Desk;
use crate::output::Record;
use crate::span::CharSpan;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const SCRIPT: &str = include_str!("report.js");
const STYLE: &str = include_str!("report.css");

/// Code point offset → UTF-16 offset, for one text.
struct Utf16 {
    at: Vec<u32>,
}

impl Utf16 {
    fn new(text: &str) -> Self {
        let mut at = Vec::with_capacity(text.len() + 1);
        let mut u = 0u32;
        for c in text.chars() {
            at.push(u);
            u += c.len_utf16() as u32;
        }
        at.push(u);
        Utf16 { at }
    }
    fn of(&self, cp: usize) -> u32 {
        self.at
            .get(cp)
            .copied()
            .unwrap_or(*self.at.last().unwrap_or(&0))
    }
    fn span(&self, s: &CharSpan) -> Value {
        json!([self.of(s.start), self.of(s.end)])
    }
}

/// The page's data for one record.
fn article(r: &Record, desk_groups: &std::collections::HashMap<(String, String), String>) -> Value {
    if r.status != crate::output::RecordStatus::Ok {
        let e = r.error.as_ref();
        return json!({
            "id": r.id, "title": r.title, "status": r.status,
            "error": e.map(|e| json!({"kind": e.kind, "message": e.message})),
        });
    }
    let text = r.text.as_deref().unwrap_or_default();
    let u = Utf16::new(text);
    let entities = r.entities.as_deref().unwrap_or_default();
    let eidx = |id: &Option<String>| -> Value {
        id.as_ref()
            .and_then(|id| entities.iter().position(|e| &e.id == id))
            .map_or(Value::Null, |i| json!(i))
    };
    json!({
        "id": r.id, "title": r.title, "status": r.status, "published": r.published,
        "text": text,
        "paragraphs": r.paragraphs.iter().flatten().map(|p| json!([u.of(p.start), u.of(p.end), p.role])).collect::<Vec<_>>(),
        "entities": entities.iter().map(|e| json!({
            "name": e.name, "type": e.kind, "title": e.title,
            "mentions": e.mentions.iter().map(|m| json!([u.of(m.start), u.of(m.end), m.kind])).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "quotes": r.quotes.iter().flatten().map(|q| json!({
            "id": q.id, "type": q.kind, "speaker": eidx(&q.speaker), "confidence": q.confidence,
            "cue": q.cue.as_ref().map(|c| u.span(c)),
            "sources": q.sources.iter().map(|s| u.span(s)).collect::<Vec<_>>(),
            "contents": q.contents.iter().map(|s| u.span(s)).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "claims": r.claims.iter().flatten().map(|c| json!({
            "id": c.id, "kind": c.kind.as_str(), "span": u.span(&c.span), "score": c.checkworthiness,
            "speaker": eidx(&c.speaker), "standalone": c.standalone,
            "source": c.source.as_ref().map(|s| s.text.clone()),
            "group": desk_groups.get(&(r.id.clone(), c.id.clone())),
        })).collect::<Vec<_>>(),
    })
}

/// Writes JSON so that it can stand inside a `<script>` element: every `<`, `>`, `&` and the
/// two JavaScript line terminators as `\u` escapes (still the same JSON value).
pub fn script_safe_json(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_else(|_| "null".into());
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    for c in s.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// The page for `records` and their desk (see the module documentation).
pub fn render(records: &[Record], desk: &Desk) -> String {
    let mut groups_of = std::collections::HashMap::new();
    for g in &desk.groups {
        for (a, c) in &g.members {
            groups_of.insert((a.clone(), c.clone()), g.id.clone());
        }
    }
    let index: std::collections::HashMap<&str, usize> = records
        .iter()
        .enumerate()
        .rev()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let data = json!({
        "articles": records.iter().map(|r| article(r, &groups_of)).collect::<Vec<_>>(),
        "rows": desk.rows.iter().map(|r| json!([
            r.rank, index.get(r.article.as_str()), r.claim, r.kind.as_str(), r.speaker, r.speaker_title,
            r.standalone, r.checkworthiness, r.group, r.group_size, r.source,
        ])).collect::<Vec<_>>(),
        "groups": desk.groups.iter().map(|g| json!({
            "id": g.id, "size": g.size, "articles": g.articles, "text": g.text,
            "members": g.members.iter().map(|(a, c)| json!([index.get(a.as_str()), c])).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    let hash = {
        use base64::Engine;
        base64::engine::general_purpose::STANDARD.encode(Sha256::digest(SCRIPT.as_bytes()))
    };
    let mut page = String::new();
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{hash}'; img-src 'none'; connect-src 'none'; form-action 'none'; base-uri 'none'\">\n"
    ));
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    page.push_str("<title>claimex report</title>\n<style>\n");
    page.push_str(STYLE);
    page.push_str("</style>\n</head>\n<body>\n");
    page.push_str(
        "<header><h1>claimex report</h1><nav><a href=\"#overview\">Overview</a> <a href=\"#claims\">Claims</a> <a href=\"#articles\">Articles</a></nav></header>\n\
<main>\n<section id=\"overview\" aria-label=\"Overview\"></section>\n\
<section id=\"claims\" aria-label=\"Claims\"></section>\n\
<section id=\"articles\" aria-label=\"Articles\"></section>\n\
<section id=\"article\" aria-label=\"Article\" hidden></section>\n</main>\n\
<aside id=\"panel\" aria-live=\"polite\" hidden></aside>\n",
    );
    page.push_str("<script type=\"application/json\" id=\"data\">");
    page.push_str(&script_safe_json(&data));
    page.push_str("</script>\n<script>");
    page.push_str(SCRIPT);
    page.push_str("</script>\n</body>\n</html>\n");
    page
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_in_a_script_block_cannot_close_it() {
        let v = json!({"t": "</script><img src=x onerror=alert(1)> & \u{2028}"});
        let s = script_safe_json(&v);
        assert!(!s.contains('<') && !s.contains('>') && !s.contains('&'));
        assert_eq!(serde_json::from_str::<Value>(&s).unwrap(), v);
    }

    #[test]
    fn utf16_offsets_count_astral_characters_twice() {
        let u = Utf16::new("a😀b");
        assert_eq!((u.of(0), u.of(1), u.of(2), u.of(3)), (0, 1, 3, 4));
    }
}

//! What tests share: the validity check every stage test ends with, and where two goldens
//! differ.

use crate::document::Document;
use crate::span::ByteSpan;

/// Panics unless every span of every layer is in bounds, on char boundaries, non-reversed,
/// and the ordered layers are sorted.
pub fn check_layers(doc: &Document) {
    let text = doc.text.as_str();
    let ok = |s: ByteSpan, what: &str| {
        assert!(
            s.start <= s.end && s.end <= text.len(),
            "{what} {s:?} out of bounds"
        );
        assert!(
            text.is_char_boundary(s.start) && text.is_char_boundary(s.end),
            "{what} {s:?} not on char boundaries"
        );
    };
    for w in doc.paragraphs.windows(2) {
        assert!(w[0].span.end <= w[1].span.start, "paragraphs overlap");
    }
    for p in &doc.paragraphs {
        ok(p.span, "paragraph");
        assert!(!p.span.is_empty());
    }
    for w in doc.sentences.windows(2) {
        assert!(w[0].span.end <= w[1].span.start, "sentences overlap");
    }
    for s in &doc.sentences {
        ok(s.span, "sentence");
        assert!(
            doc.paragraphs[s.paragraph].span.contains(s.span),
            "sentence outside its paragraph"
        );
    }
    for q in &doc.quotes {
        q.cue.iter().for_each(|c| ok(*c, "cue"));
        q.sources.iter().for_each(|c| ok(*c, "source"));
        assert!(!q.contents.is_empty(), "quote without content");
        for c in &q.contents {
            ok(*c, "content");
            assert!(!c.is_empty());
        }
        assert!((0.0..=1.0).contains(&q.confidence));
        if let Some(e) = q.speaker {
            assert!(e < doc.entities.len());
        }
    }
    for e in &doc.entities {
        assert!(!e.mentions.is_empty());
        for m in &e.mentions {
            ok(m.span, "mention");
            assert!(m.span.contains(m.head));
        }
    }
    for c in &doc.claims {
        ok(c.span, "claim");
    }
}

/// The record the rule stages make of `text` (id `id`), for tests that need one.
///
/// # Panics
/// When a stage fails or a span does not hold its text.
pub fn rule_record(id: &str, text: &str) -> crate::output::Record {
    let mut doc = Document::new(id, text);
    for s in crate::stages::standard_stages() {
        s.annotate(&mut doc).unwrap();
    }
    crate::output::to_record(&doc).unwrap()
}

/// Checks `records` against their goldens `dir/<id>.json` (pretty JSON, one file a record),
/// or rewrites them when the environment sets `BLESS`: what is wrong, one line a record,
/// each naming the first difference; empty when every golden holds.
pub fn check_goldens(dir: &std::path::Path, records: &[crate::output::Record]) -> Vec<String> {
    let bless = std::env::var_os("BLESS").is_some();
    let mut failures = Vec::new();
    for r in records {
        let path = dir.join(format!("{}.json", r.id));
        let got = serde_json::to_string_pretty(r).expect("a record serialises") + "\n";
        if bless {
            std::fs::create_dir_all(dir).expect("make the goldens' folder");
            std::fs::write(&path, &got).expect("write a golden");
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(want) if want == got => {}
            Ok(want) => failures.push(format!(
                "{}: output differs from {} (BLESS=1 to rewrite, then read the diff): {}",
                r.id,
                path.display(),
                first_difference(&want, &got)
            )),
            Err(_) => failures.push(format!("{}: no golden file {}", r.id, path.display())),
        }
    }
    failures
}

/// Where two golden texts first differ, for a failure message: the JSON path and both
/// values when both are JSON (`$.quotes[3].cue.end: want 12, got 14`), else the first
/// differing line with its number.
pub fn first_difference(want: &str, got: &str) -> String {
    if let (Ok(w), Ok(g)) = (
        serde_json::from_str::<serde_json::Value>(want),
        serde_json::from_str::<serde_json::Value>(got),
    ) {
        if let Some(d) = json_difference("$", &w, &g) {
            return d;
        }
    }
    let (mut w, mut g) = (want.lines(), got.lines());
    for n in 1.. {
        match (w.next(), g.next()) {
            (None, None) => break,
            (a, b) if a == b => {}
            (a, b) => {
                return format!(
                    "line {n}: want {}, got {}",
                    a.unwrap_or("(end)"),
                    b.unwrap_or("(end)")
                )
            }
        }
    }
    "no difference but in line endings".into()
}

/// The first path at which `want` and `got` differ, with both values, depth first in the
/// order of `want`'s keys.
fn json_difference(
    path: &str,
    want: &serde_json::Value,
    got: &serde_json::Value,
) -> Option<String> {
    use serde_json::Value;
    let short = |v: Option<&Value>| {
        let s = v.map_or("(absent)".to_string(), Value::to_string);
        if s.chars().count() > 120 {
            format!("{}…", s.chars().take(120).collect::<String>())
        } else {
            s
        }
    };
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in a {
                let p = format!("{path}.{k}");
                match b.get(k) {
                    Some(w) => {
                        if let Some(d) = json_difference(&p, v, w) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{p}: want {}, got (absent)", short(Some(v)))),
                }
            }
            b.iter()
                .find(|(k, _)| !a.contains_key(*k))
                .map(|(k, v)| format!("{path}.{k}: want (absent), got {}", short(Some(v))))
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, (v, w)) in a.iter().zip(b).enumerate() {
                if let Some(d) = json_difference(&format!("{path}[{i}]"), v, w) {
                    return Some(d);
                }
            }
            (a.len() != b.len()).then(|| {
                let i = a.len().min(b.len());
                format!(
                    "{path}: want {} items, got {} ({path}[{i}]: want {}, got {})",
                    a.len(),
                    b.len(),
                    short(a.get(i)),
                    short(b.get(i))
                )
            })
        }
        (a, b) if a == b => None,
        (a, b) => Some(format!(
            "{path}: want {}, got {}",
            short(Some(a)),
            short(Some(b))
        )),
    }
}

/// The byte span of the first `s` in `text`.
///
/// # Panics
/// When `text` does not hold `s`.
pub fn at_in(text: &str, s: &str) -> crate::span::ByteSpan {
    let b = text.find(s).unwrap();
    crate::span::ByteSpan::new(b, b + s.len())
}

#[cfg(test)]
mod tests {
    use super::first_difference;

    #[test]
    fn differences_are_named_by_path_or_line() {
        let table = [
            (
                r#"{"a":[1,{"b":2}]}"#,
                r#"{"a":[1,{"b":3}]}"#,
                "$.a[1].b: want 2, got 3",
            ),
            (
                r#"{"a":1}"#,
                r#"{"a":1,"c":true}"#,
                "$.c: want (absent), got true",
            ),
            (
                r#"{"a":[1]}"#,
                r#"{"a":[1,2]}"#,
                "$.a: want 1 items, got 2 ($.a[1]: want (absent), got 2)",
            ),
            ("x\ny\n", "x\nz\n", "line 2: want y, got z"),
            ("x\n", "x\ny\n", "line 2: want (end), got y"),
        ];
        for (want, got, said) in table {
            assert_eq!(first_difference(want, got), said);
        }
    }
}

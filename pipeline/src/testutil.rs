//! The validity check every stage test ends with.

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

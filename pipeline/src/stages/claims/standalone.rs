//! Standalone text: a claim as a checker would search for it, still one sentence.
//!
//! Within the claim's span, what the entity and speaker stages resolved is written out:
//! a pronoun becomes its entity's name ("He" → "Clark Cooper", possessive "his" → "Clark
//! Cooper's"), a nominal becomes the name ("the country" → "South Korea"), and a person's
//! shorter name becomes the full one ("Cooper" → "Clark Cooper"; a title before it stays).
//! Everything else, times included ("last year", "on the 20th"), is kept as written.

use crate::document::{Document, EntityType, MentionKind};
use crate::lexicon::NOT_A_NEXT_WORD;
use crate::span::ByteSpan;

/// The text of `span` with resolved mentions written out (see the module documentation).
pub fn standalone(doc: &Document, span: ByteSpan) -> String {
    let text = doc.text.as_str();
    let mut subs: Vec<(ByteSpan, String)> = Vec::new();
    for e in &doc.entities {
        for m in &e.mentions {
            if !span.contains(m.span) {
                continue;
            }
            match m.kind {
                MentionKind::Pronoun => {
                    let p = m.span.text(text).to_lowercase();
                    let possessive = p == "his"
                        || p == "hers"
                        || p == "its"
                        || p == "their"
                        || (p == "her" && next_is_word(text, m.span.end));
                    let name = if possessive {
                        format!("{}'s", e.name)
                    } else {
                        e.name.clone()
                    };
                    subs.push((m.span, name));
                }
                MentionKind::Nominal => subs.push((m.span, e.name.clone())),
                MentionKind::Name => {
                    let head = m.head.text(text);
                    // a surname or first name of the full name, not an alias
                    let part_of_name = e.kind == EntityType::Person
                        && head != e.name
                        && e.name.split_whitespace().any(|w| w == head);
                    if part_of_name {
                        subs.push((m.head, e.name.clone()));
                    }
                }
            }
        }
    }
    subs.sort_by_key(|(s, _)| (s.start, std::cmp::Reverse(s.end)));
    let mut out = String::new();
    let mut pos = span.start;
    for (s, name) in subs {
        if s.start < pos {
            continue;
        }
        out.push_str(&text[pos..s.start]);
        out.push_str(&name);
        pos = s.end;
    }
    out.push_str(&text[pos..span.end]);
    out
}

fn next_is_word(text: &str, end: usize) -> bool {
    let rest = text[end..].trim_start();
    let w: String = rest.chars().take_while(|c| c.is_alphabetic()).collect();
    !w.is_empty() && !NOT_A_NEXT_WORD.contains(&w.as_str())
}

//! Claims: each quotation's content as a statement to check, cleaned and made standalone.
//!
//! `span` drops quotation marks and trailing punctuation; `standalone` replaces pronouns the
//! speaker stage resolved with the names they stand for ("He" → "Clark Cooper", "his" →
//! "Clark Cooper's"). `checkworthiness` stays `None` here: it is filled only by a trained
//! scorer, never invented.

use crate::document::{Claim, Document, MentionKind};
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};
use crate::tokens::DASHES;
use once_cell::sync::Lazy;

/// Configuration of [`ClaimExtractor`].
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct ClaimExtractorConfig {
    /// Contents with fewer words are not claims (default 3).
    pub min_words: usize,
}

impl Default for ClaimExtractorConfig {
    fn default() -> Self {
        ClaimExtractorConfig { min_words: 3 }
    }
}

impl ClaimExtractorConfig {
    /// Builds the stage.
    pub fn build(&self) -> ClaimExtractor {
        ClaimExtractor {
            config: self.clone(),
        }
    }
}

/// Turns quote contents into claims.
#[derive(Debug)]
pub struct ClaimExtractor {
    config: ClaimExtractorConfig,
}

/// Quotation marks, punctuation and the dashes of [`DASHES`]: what a claim's span sheds.
static STRIP: Lazy<Vec<char>> = Lazy::new(|| {
    [
        '"', '“', '”', '«', '»', '„', '‘', '’', ',', '.', ';', ':', '…',
    ]
    .into_iter()
    .chain(DASHES)
    .collect()
});

impl Stage for ClaimExtractor {
    fn name(&self) -> &'static str {
        "extract_claims"
    }

    fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
        let text = doc.text.as_str();
        let mut claims = Vec::new();
        for (qi, q) in doc.quotes.iter().enumerate() {
            for c in &q.contents {
                let span = strip_that(text, balance_marks(text, c.trim_with(text, &STRIP), *c));
                if span.text(text).split_whitespace().count() < self.config.min_words {
                    continue;
                }
                claims.push(Claim {
                    span,
                    standalone: standalone(doc, span),
                    quote: Some(qi),
                    speaker: q.speaker,
                    checkworthiness: None,
                });
            }
        }
        claims.sort_by_key(|c| (c.span.start, c.span.end));
        doc.claims = claims;
        Ok(())
    }
}

/// Quotation mark pairs a claim keeps balanced: (opening, closing); the straight mark is its
/// own pair.
const PAIRS: [(char, char); 3] = [('"', '"'), ('“', '”'), ('«', '»')];

/// Gives back a mark [`STRIP`] took from a claim's edge when the claim holds its partner:
/// `that the plan was "a disaster".` is trimmed to `the plan was "a disaster` and must read
/// `the plan was "a disaster"` (the closing mark, and what [`STRIP`] took before it, come
/// back); the same at the start for a closing mark whose opening one was stripped. `inner`
/// lies within `outer`, the span before trimming; the result never leaves `outer`.
fn balance_marks(text: &str, inner: ByteSpan, outer: ByteSpan) -> ByteSpan {
    let mut span = inner;
    for (open, close) in PAIRS {
        let s = span.text(text);
        let (opens, closes) = if open == close {
            (s.matches(open).count() % 2, 0)
        } else {
            (s.matches(open).count(), s.matches(close).count())
        };
        // the first closing mark in what was stripped after the claim, or the last opening
        // one stripped before it (a straight mark can be either: after first, then before)
        let after = || text[span.end..outer.end].find(close);
        let before = || text[outer.start..span.start].rfind(open);
        if opens > closes {
            if let Some(i) = after() {
                span = ByteSpan::new(span.start, span.end + i + close.len_utf8());
            } else if let Some(i) = before().filter(|_| open == close) {
                span = ByteSpan::new(outer.start + i, span.end);
            }
        } else if closes > opens {
            if let Some(i) = before() {
                span = ByteSpan::new(outer.start + i, span.end);
            }
        }
    }
    span
}

/// Drops a leading complementizer ("that the talks failed" → "the talks failed"): content
/// spans keep it, as PolNeAR annotates them; a claim reads without it.
fn strip_that(text: &str, span: ByteSpan) -> ByteSpan {
    let s = span.text(text);
    match s.get(..5) {
        Some(w) if w.eq_ignore_ascii_case("that ") => {
            ByteSpan::new(span.start + 5, span.end).trim(text)
        }
        _ => span,
    }
}

/// The text of `span` with resolved pronouns replaced by their entity's name.
fn standalone(doc: &Document, span: ByteSpan) -> String {
    let text = doc.text.as_str();
    let mut subs: Vec<(ByteSpan, String)> = Vec::new();
    for e in &doc.entities {
        for m in &e.mentions {
            if m.kind != MentionKind::Pronoun || !span.contains(m.span) {
                continue;
            }
            let p = m.span.text(text).to_lowercase();
            let possessive =
                p == "his" || p == "hers" || (p == "her" && next_is_word(text, m.span.end));
            let name = if possessive {
                format!("{}'s", e.name)
            } else {
                e.name.clone()
            };
            subs.push((m.span, name));
        }
    }
    subs.sort_by_key(|(s, _)| s.start);
    let mut out = String::new();
    let mut pos = span.start;
    for (s, name) in subs {
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
    !w.is_empty()
        && !matches!(
            w.as_str(),
            "and"
                | "or"
                | "to"
                | "that"
                | "in"
                | "on"
                | "at"
                | "for"
                | "with"
                | "as"
                | "about"
                | "from"
                | "by"
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::standard_stages;
    use crate::testutil::check_layers;

    #[test]
    fn claims_table() {
        let table: &[(&str, &[(&str, &str)])] = &[
            (
                "Clark Cooper arrived. He also reiterated, \"The U.S. has shown considerable flexibility.\"",
                &[("The U.S. has shown considerable flexibility", "The U.S. has shown considerable flexibility")],
            ),
            (
                "Ann Lee spoke first. Officials said that she had misled her staff.",
                &[("she had misled her staff", "Ann Lee had misled Ann Lee's staff")],
            ),
            ("\"No,\" he said.", &[]),
        ];
        for (text, want) in table {
            let mut doc = Document::new("t", *text);
            for s in standard_stages() {
                s.annotate(&mut doc).unwrap();
            }
            check_layers(&doc);
            let got: Vec<(&str, &str)> = doc
                .claims
                .iter()
                .map(|c| (doc.slice(c.span), c.standalone.as_str()))
                .collect();
            assert_eq!(&got, want, "{text}");
            assert!(doc.claims.iter().all(|c| c.checkworthiness.is_none()));
        }
    }

    #[test]
    fn a_claim_keeps_the_partner_of_a_mark_it_holds() {
        // (content span as tagged, claim); the claim is the content trimmed of STRIP
        let table = [
            (
                "the plan was \"a disaster\".",
                "the plan was \"a disaster\"",
            ),
            (
                "the budget was “a disaster.”",
                "the budget was “a disaster.”",
            ),
            (
                "“a costly mistake,” the mayor",
                "“a costly mistake,” the mayor",
            ),
            ("the pact was «dead», ", "the pact was «dead»"),
            // nothing to balance: both marks go, or stay inside
            ("“We will win.”", "We will win"),
            (
                "the plan was \"a disaster\" for the city.",
                "the plan was \"a disaster\" for the city",
            ),
            // a straight mark whose partner was stripped before the claim
            (
                "\"a disaster\" for the city.",
                "\"a disaster\" for the city",
            ),
            // a mark whose partner is not in the span is left as it is
            ("a \"new phase of pressure", "a \"new phase of pressure"),
        ];
        for (content, want) in table {
            let text = format!("Officials said {content} on Monday");
            let start = text.find(content).unwrap();
            let outer = ByteSpan::new(start, start + content.len());
            let got = balance_marks(&text, outer.trim_with(&text, &STRIP), outer);
            assert_eq!(got.text(&text), want, "{content}");
        }
    }
}

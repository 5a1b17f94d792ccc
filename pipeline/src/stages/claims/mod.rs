//! Claims: every statement worth checking, one claim per independent statement.
//!
//! - **quoted** and **reported** claims come from quotations' contents (direct quotes give
//!   quoted claims; indirect and mixed ones reported claims), with the quote's speaker;
//! - **narrative** candidates are body and headline sentences outside every quotation
//!   ([`narrative`]), attributed to the article's own voice; they go to
//!   [`Document::narrative`], and a check-worthiness scorer keeps those it finds checkable.
//!
//! Each content or sentence is split into its independent statements ([`split`]). A claim's
//! `span` drops quotation marks and trailing punctuation; `standalone` is what a checker
//! searches for ([`standalone`]). `checkworthiness` stays `None` here: it is filled only by
//! a trained scorer, never invented.

pub mod narrative;
pub mod split;
pub mod standalone;

use crate::document::{Claim, ClaimKind, Document};
use crate::grammar::tokens::DASHES;
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};
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
        let mut claims = Vec::new();
        for (qi, q) in doc.quotes.iter().enumerate() {
            for c in &q.contents {
                for (span, standalone) in self.statements(doc, *c) {
                    claims.push(Claim {
                        kind: ClaimKind::of_quote(q.kind),
                        span,
                        standalone,
                        source: None,
                        quote: Some(qi),
                        speaker: q.speaker,
                        checkworthiness: None,
                        embedding: None,
                    });
                }
            }
        }
        claims.sort_by_key(|c| (c.span.start, c.span.end));
        let voice = narrative::article_voice(doc);
        let mut candidates = Vec::new();
        for s in narrative::candidate_sentences(doc) {
            for (span, standalone) in self.statements(doc, s) {
                candidates.push(Claim {
                    kind: ClaimKind::Narrative,
                    span,
                    standalone,
                    source: voice,
                    quote: None,
                    speaker: None,
                    checkworthiness: None,
                    embedding: None,
                });
            }
        }
        doc.claims = claims;
        doc.narrative = candidates;
        Ok(())
    }
}

/// Moves the narrative candidates whose check-worthiness reaches `threshold` into the claims
/// (the scorer's decision: a narrative sentence is a claim when the model finds it
/// checkable), and drops the rest. A mixed quote is a quoted fragment inside the article's
/// narration (`Trump rejected a "13% increase"`): when its sentence became a narrative claim,
/// that claim is the statement to check, and the fragment's own reported claim goes.
/// Claims stay sorted by span.
pub fn admit_narrative(doc: &mut Document, threshold: f32) {
    let kept: Vec<Claim> = std::mem::take(&mut doc.narrative)
        .into_iter()
        .filter(|c| c.checkworthiness.is_some_and(|s| s >= threshold))
        .collect();
    if kept.is_empty() {
        return;
    }
    let quotes = &doc.quotes;
    doc.claims.retain(|c| {
        let mixed = c
            .quote
            .is_some_and(|q| quotes[q].kind == crate::document::QuoteKind::Mixed);
        !(mixed && kept.iter().any(|n| n.span.overlaps(c.span)))
    });
    doc.claims.extend(kept);
    doc.claims.sort_by_key(|c| (c.span.start, c.span.end));
}

impl ClaimExtractor {
    /// The statements of `outer` (a content or a sentence): each piece's span, cleaned, and
    /// its standalone text; pieces shorter than `min_words` are dropped.
    fn statements(&self, doc: &Document, outer: ByteSpan) -> Vec<(ByteSpan, String)> {
        let text = doc.text.as_str();
        let span = strip_that(
            text,
            balance_marks(text, outer.trim_with(text, &STRIP), outer),
        );
        if span.text(text).split_whitespace().count() < self.config.min_words {
            return Vec::new();
        }
        split::split(text, span, self.config.min_words)
            .into_iter()
            .filter_map(|p| {
                let piece = balance_marks(text, p.span.trim_with(text, &STRIP), p.span);
                (piece.text(text).split_whitespace().count() >= self.config.min_words).then(|| {
                    let own = standalone::standalone(doc, piece);
                    let full = match p.subject {
                        Some(sub) => format!("{} {own}", standalone::standalone(doc, sub)),
                        None => own,
                    };
                    (piece, full)
                })
            })
            .collect()
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::standard_stages;
    use crate::testutil::check_layers;

    /// (text, claims as (kind, text, standalone)); narrative candidates are not claims
    /// until a scorer admits them, so rule-only claims come from quotes alone.
    #[test]
    fn claims_table() {
        type Row<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);
        let table: &[Row] = &[
            (
                "Clark Cooper arrived. He also reiterated, \"The U.S. has shown considerable flexibility.\"",
                &[("quoted", "The U.S. has shown considerable flexibility", "The U.S. has shown considerable flexibility")],
            ),
            (
                "Ann Lee spoke first. Officials said that she had misled her staff.",
                &[("reported", "she had misled her staff", "Ann Lee had misled Ann Lee's staff")],
            ),
            ("\"No,\" he said.", &[]),
            // a compound quote: one claim per statement, the speaker's on each
            (
                "Clark Cooper spoke on Friday. He said, \"The agreement expires in March 2021 and preparations are underway.\"",
                &[
                    ("quoted", "The agreement expires in March 2021", "The agreement expires in March 2021"),
                    ("quoted", "preparations are underway", "preparations are underway"),
                ],
            ),
            // a shared subject comes back in the second claim's standalone text
            (
                "Officials said that the minister denied the report and rejected the figures.",
                &[
                    ("reported", "the minister denied the report", "the minister denied the report"),
                    ("reported", "rejected the figures", "the minister rejected the figures"),
                ],
            ),
            // a surname is written out in full; the time stays as written
            (
                "Clark Cooper arrived in Seoul. Analysts said Cooper had misled the committee last year.",
                &[("reported", "Cooper had misled the committee last year", "Clark Cooper had misled the committee last year")],
            ),
            // "said that X because Y" is one statement
            (
                "Jane Roe said the talks stalled because Seoul refused and Washington insisted.",
                &[("reported", "the talks stalled because Seoul refused and Washington insisted", "the talks stalled because Seoul refused and Washington insisted")],
            ),
        ];
        for (text, want) in table {
            let mut doc = Document::new("t", *text);
            for s in standard_stages() {
                s.annotate(&mut doc).unwrap();
            }
            check_layers(&doc);
            let got: Vec<(&str, &str, &str)> = doc
                .claims
                .iter()
                .map(|c| (c.kind.as_str(), doc.slice(c.span), c.standalone.as_str()))
                .collect();
            assert_eq!(&got, want, "{text}");
            assert!(doc.claims.iter().all(|c| c.checkworthiness.is_none()));
        }
    }

    /// Narrative candidates become claims only with a score at the threshold, and a mixed
    /// quote's fragment gives way to its sentence's narrative claim.
    #[test]
    fn narrative_claims_are_admitted_by_score() {
        let text = "[Asia Economy Reporter Lim Cheol-young] The talks have been stalled for 11 months. President Trump rejected the tentative agreement of a \"13% increase\" in April. The weather was fine.";
        let mut doc = Document::new("t", text);
        for s in standard_stages() {
            s.annotate(&mut doc).unwrap();
        }
        assert_eq!(doc.narrative.len(), 3, "{:?}", doc.narrative);
        let scores = [0.9, 0.8, 0.1];
        for (c, s) in doc.narrative.iter_mut().zip(scores) {
            c.checkworthiness = Some(s);
        }
        admit_narrative(&mut doc, 0.45);
        let got: Vec<(&str, &str, Option<&str>)> = doc
            .claims
            .iter()
            .map(|c| {
                (
                    c.kind.as_str(),
                    doc.slice(c.span),
                    c.source.map(|s| doc.slice(s)),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("narrative", "The talks have been stalled for 11 months", Some("Lim Cheol-young")),
                ("narrative", "President Trump rejected the tentative agreement of a \"13% increase\" in April", Some("Lim Cheol-young")),
            ]
        );
        assert!(doc.narrative.is_empty());
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

//! Attribution of quotations found by their marks: the strategies, in the order they are
//! tried ([`STRATEGIES`]), each returning the cue, sources and [`Pattern`] it found.

use super::marks::Marked;
use super::QuoteTagger;
use crate::document::{Document, Quote, QuoteKind};
use crate::grammar::chunker::{np_after, np_before};
use crate::grammar::cues::{cue_at, lower};
use crate::grammar::tokens::{is_dash_token, span_of, tokenize, Tok};
use crate::lexicon::{AUX_ADVERBS, FRAGMENT_LEAD_INS, SOURCE_PRONOUNS};
use crate::span::ByteSpan;

/// How an attribution was found; fixes the confidence prior.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// A cue and an explicit source in the quote's sentence.
    CueAndSource,
    /// A participle cue ("adding") inheriting the sentence's source.
    SharedSource,
    /// A colon lead-in, a dash before a name, or a pull-quote name line; the colon or dash is
    /// the cue where there is one.
    LeadIn,
    /// A short attribution sentence right after the quote.
    NextSentence,
    /// The previous speaker's turn continues.
    Continued,
    /// No speaker found; the quote stands alone.
    Unattributed,
}

impl Pattern {
    /// The confidence prior of the pattern, in `[0, 1]`: explicit cue and source 0.9,
    /// shared source 0.85, lead-ins 0.8, next-sentence 0.75, continued turns 0.6, none 0.4;
    /// mixed quotes −0.1, indirect speech −0.15.
    pub fn confidence(&self, kind: QuoteKind) -> f32 {
        let base: f32 = match self {
            Pattern::CueAndSource => 0.9,
            Pattern::SharedSource => 0.85,
            Pattern::LeadIn => 0.8,
            Pattern::NextSentence => 0.75,
            Pattern::Continued => 0.6,
            Pattern::Unattributed => 0.4,
        };
        match kind {
            QuoteKind::Direct => base,
            QuoteKind::Mixed => base - 0.1,
            QuoteKind::Indirect => base - 0.15,
        }
    }
}

/// An attribution a strategy found.
pub(super) struct Attribution {
    pub(super) cue: Option<ByteSpan>,
    pub(super) sources: Vec<ByteSpan>,
    pub(super) pattern: Pattern,
    /// the quote is embedded in narration (a fragment after a cue)
    pub(super) fragment: bool,
}

/// Where a quotation sits, as the attribution strategies read it: its sentence's tokens up
/// to its opening mark, and its closing sentence's tokens after its close.
pub(super) struct Site<'a> {
    pub(super) doc: &'a Document,
    pub(super) text: &'a str,
    pub(super) marked: &'a Marked,
    /// The sentence of the opening mark and its tokens.
    pub(super) si: usize,
    pub(super) toks: &'a [Tok],
    /// The first token after the previous quotation in the sentence.
    pub(super) floor: usize,
    /// The token of the opening mark.
    pub(super) open_tok: usize,
    /// Byte offset where the region before the quote starts (after the previous quotation).
    pub(super) prev_end: usize,
    /// Byte offset of the opening sentence's start.
    pub(super) sent_start: usize,
    /// The sentence of the closing mark and its tokens.
    pub(super) close_si: usize,
    pub(super) ctoks: &'a [Tok],
    /// The first token after the close, and the end of the region after it (the next mark
    /// or the sentence end).
    pub(super) after: usize,
    pub(super) limit: usize,
    /// The quote ends a clause (`,` `.` `?` `!` `…` inside or a comma after).
    pub(super) ends_clause: bool,
    /// The quote starts a clause with a capital: a quoted sentence, not a fragment.
    pub(super) clause_quote: bool,
    /// The quotes found so far in the article.
    pub(super) quotes: &'a [Quote],
}

/// An attribution strategy: the attribution it finds for the quotation at `site`, if any.
type Strategy = fn(&QuoteTagger, &Site) -> Option<Attribution>;

/// The attribution strategies in the order they are tried; the first that finds an
/// attribution wins.
pub(super) const STRATEGIES: [Strategy; 7] = [
    // `"...," he said` / `"...," said Jane Doe, a spokeswoman`
    |t, s| t.after_quote(s.text, s.ctoks, s.after, s.limit, s.ends_clause),
    // `Cooper stated during a briefing, "..."`; `adding, "..."`
    |t, s| {
        t.before_quote(
            s.text,
            s.toks,
            s.floor,
            s.open_tok,
            s.quotes,
            s.prev_end,
            s.sent_start,
            s.clause_quote,
        )
    },
    // `Cooper: "..."`
    |_, s| lead_in(s.text, s.toks, s.floor, s.open_tok),
    // `Caddell continued:` as the paragraph before the quote's
    |t, s| {
        (s.toks[..s.open_tok].iter().all(|t| !t.word))
            .then(|| t.lead_in_paragraph(s.doc, s.si, s.quotes))
            .flatten()
    },
    // `"..." — Jane Doe`
    |_, s| dash_after(s.text, s.ctoks, s.after, s.limit),
    // a pull quote and a `Jane Doe, Mayor` line after it
    |_, s| pull_quote(s.doc, s.marked),
    // `"We will win." Smith said.`
    |_, s| next_sentence(s.doc, s.close_si, s.marked.close_end),
];

impl QuoteTagger {
    /// A paragraph that opens with the quote after a paragraph ending in a colon lead-in
    /// (`Caddell continued:` / `The New York Times reports:` / `Cooper:`, then the quote as
    /// its own paragraph): the cue (with its colon, as PolNeAR annotates it) and source of
    /// that sentence. `si` is the quote's sentence, the first of its paragraph.
    pub(super) fn lead_in_paragraph(
        &self,
        doc: &Document,
        si: usize,
        quotes: &[Quote],
    ) -> Option<Attribution> {
        let text = doc.text.as_str();
        let sent = doc.sentences.get(si)?;
        let prev = doc.sentences.get(si.checked_sub(1)?)?;
        if prev.paragraph + 1 != sent.paragraph
            || doc.paragraphs[sent.paragraph].span.start != sent.span.start
        {
            return None;
        }
        let ptoks = tokenize(text, prev.span);
        let colon = ptoks.len().checked_sub(1)?;
        if ptoks[colon].text(text) != ":" {
            return None;
        }
        self.before_quote(
            text,
            &ptoks,
            0,
            colon + 1,
            quotes,
            prev.span.start,
            prev.span.start,
            true,
        )
        .or_else(|| lead_in(text, &ptoks, 0, colon + 1))
    }

    /// `"...," he said` / `"...," said Jane Doe, a spokeswoman`.
    pub(super) fn after_quote(
        &self,
        text: &str,
        toks: &[Tok],
        after: usize,
        limit: usize,
        ends_clause: bool,
    ) -> Option<Attribution> {
        if !ends_clause {
            return None;
        }
        let mut i = after;
        if i < limit && toks[i].text(text) == "," {
            i += 1;
        }
        if i >= limit {
            return None;
        }
        // CUE SOURCE
        if let Some((cue, n)) = cue_at(text, toks, i) {
            if let Some((a, b)) = np_after(text, toks, i + n, limit) {
                return Some(Attribution {
                    cue: Some(cue),
                    sources: vec![span_of(toks, a, b)],
                    pattern: Pattern::CueAndSource,
                    fragment: false,
                });
            }
        }
        // SOURCE CUE: scan a few tokens for the cue
        for c in i + 1..limit.min(i + 14) {
            if let Some((cue, _)) = cue_at(text, toks, c) {
                if let Some((a, b)) = np_before(text, toks, i, c) {
                    if a == i {
                        return Some(Attribution {
                            cue: Some(cue),
                            sources: vec![span_of(toks, a, b)],
                            pattern: Pattern::CueAndSource,
                            fragment: false,
                        });
                    }
                }
                return None;
            }
        }
        None
    }

    /// A cue before the quote in its sentence, with the subject before the cue.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn before_quote(
        &self,
        text: &str,
        toks: &[Tok],
        floor: usize,
        open_tok: usize,
        quotes: &[Quote],
        prev_end: usize,
        sent_start: usize,
        clause_quote: bool,
    ) -> Option<Attribution> {
        let lo = floor.max(open_tok.saturating_sub(self.config.max_cue_gap));
        for c in (lo..open_tok).rev() {
            let Some((cue, n)) = cue_at(text, toks, c) else {
                continue;
            };
            // "continued:" — a colon right after the cue belongs to it
            let cue = match toks.get(c + n) {
                Some(t) if t.text(text) == ":" && c + n + 1 == open_tok => {
                    ByteSpan::new(cue.start, t.span.end)
                }
                _ => cue,
            };
            // what lies between cue and quote decides mixed vs direct
            let between: Vec<String> = toks[c + n..open_tok]
                .iter()
                .map(|t| lower(text, t))
                .collect();
            let fragment = !clause_quote
                || between
                    .last()
                    .is_some_and(|w| FRAGMENT_LEAD_INS.contains(&w.as_str()));
            if let Some((a, b)) = np_before(text, toks, floor, c) {
                return Some(Attribution {
                    cue: Some(cue),
                    sources: vec![span_of(toks, a, b)],
                    pattern: Pattern::CueAndSource,
                    fragment,
                });
            }
            // inverted: `said Smith, "..."`
            if let Some((a, b)) = np_after(text, toks, c + n, open_tok) {
                if !SOURCE_PRONOUNS.contains(&lower(text, &toks[a]).as_str()) || a == c + n {
                    return Some(Attribution {
                        cue: Some(cue),
                        sources: vec![span_of(toks, a, b)],
                        pattern: Pattern::CueAndSource,
                        fragment,
                    });
                }
            }
            // participle cue right after an earlier quote: share its source
            let at_region_start = c == floor
                || (c == floor + 1
                    && matches!(
                        lower(text, &toks[floor]).as_str(),
                        "and" | "," | "then" | "but"
                    ));
            if at_region_start && prev_end > sent_start {
                if let Some(prev) = quotes.last() {
                    if !prev.sources.is_empty() {
                        return Some(Attribution {
                            cue: Some(cue),
                            sources: prev.sources.clone(),
                            pattern: Pattern::SharedSource,
                            fragment,
                        });
                    }
                }
            }
            // no subject for this cue: look further back
        }
        None
    }
}

/// `Deputy Assistant Secretary Cooper: "..."`.
fn lead_in(text: &str, toks: &[Tok], floor: usize, open_tok: usize) -> Option<Attribution> {
    if open_tok == 0 || toks[open_tok - 1].text(text) != ":" {
        return None;
    }
    let (a, b) = np_before(text, toks, floor, open_tok - 1)?;
    if open_tok - 1 - a > 12 {
        return None;
    }
    // the colon itself is the cue, as PolNeAR annotates it
    Some(Attribution {
        cue: Some(toks[open_tok - 1].span),
        sources: vec![span_of(toks, a, b)],
        pattern: Pattern::LeadIn,
        fragment: false,
    })
}

/// `"..." — Jane Doe`, `"...”― Jane Doe` (any dash, [`is_dash_token`], or `--`). The dash is the
/// cue, as PolNeAR annotates it: it is the only word of the text that says who spoke.
fn dash_after(text: &str, toks: &[Tok], after: usize, limit: usize) -> Option<Attribution> {
    if after >= limit || !is_dash_token(toks[after].text(text)) {
        return None;
    }
    let mut i = after + 1;
    while i < limit && toks[i].text(text) == "-" {
        i += 1;
    }
    let dash = span_of(toks, after, i - 1);
    let (a, b) = np_after(text, toks, i, limit)?;
    Some(Attribution {
        cue: Some(dash),
        sources: vec![span_of(toks, a, b)],
        pattern: Pattern::LeadIn,
        fragment: false,
    })
}

/// A quote that is its whole paragraph, followed by a short `Name, Title` line.
fn pull_quote(doc: &Document, m: &Marked) -> Option<Attribution> {
    let text = doc.text.as_str();
    let pi = doc.paragraph_at(m.open)?;
    let p = &doc.paragraphs[pi];
    if p.span.start != m.open || m.close_end < p.span.end {
        return None;
    }
    let next = doc.paragraphs.get(pi + 1)?;
    let line = next.span.text(text);
    let words = line.split_whitespace().count();
    if words > 12 || line.ends_with(['.', '!', '?']) {
        return None;
    }
    let toks = tokenize(text, next.span);
    let mut start = 0;
    while start < toks.len() && is_dash_token(toks[start].text(text)) {
        start += 1;
    }
    let (a, _) = np_after(text, &toks, start, toks.len())?;
    let first = toks[a].text(text);
    if !first.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    Some(Attribution {
        // a dash before the name is the cue, as in `dash_after`
        cue: (start > 0).then(|| span_of(&toks, 0, start - 1)),
        sources: vec![span_of(&toks, a, toks.len() - 1)],
        pattern: Pattern::LeadIn,
        fragment: false,
    })
}

/// `"We will win." Smith said confidently.` — the next sentence is only an attribution.
fn next_sentence(doc: &Document, si: usize, close_end: usize) -> Option<Attribution> {
    let text = doc.text.as_str();
    let s = doc.sentences.get(si + 1)?;
    if s.paragraph != doc.sentences[si].paragraph || s.span.start < close_end {
        return None;
    }
    let toks = tokenize(text, s.span);
    if toks.len() > 10 {
        return None;
    }
    for c in 1..toks.len() {
        if let Some((cue, n)) = cue_at(text, &toks, c) {
            let (a, b) = np_before(text, &toks, 0, c)?;
            if a != 0 {
                return None;
            }
            let rest = &toks[c + n..];
            if rest.iter().any(|t| {
                t.word
                    && !lower(text, t).ends_with("ly")
                    && !AUX_ADVERBS.contains(&lower(text, t).as_str())
            }) {
                return None;
            }
            return Some(Attribution {
                cue: Some(cue),
                sources: vec![span_of(&toks, a, b)],
                pattern: Pattern::NextSentence,
                fragment: false,
            });
        }
    }
    None
}

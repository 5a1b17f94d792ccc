//! Indirect speech: cues with a complement outside quotation marks (`said that`, `told
//! reporters that`, `suggest that`, `by claiming that`, `according to X`, and `..., officials
//! said.` at a sentence end).

use super::attribution::Pattern;
use super::marks::Marked;
use super::QuoteTagger;
use crate::document::{Document, ParagraphRole, Quote, QuoteKind};
use crate::grammar::chunker::{np_after, np_after_opt, np_before, starts_clause, subject_end};
use crate::grammar::cues::{cue_at, lower};
use crate::grammar::tokens::{span_of, tokenize, Tok};
use crate::lexicon::{is_cue_word, AUX_ADVERBS, BARE_COMPLEMENT, OBJECT_CUES};
use crate::span::ByteSpan;

impl QuoteTagger {
    /// Indirect speech: cue + complement outside quotation marks.
    pub(super) fn indirect(&self, doc: &Document, marked: &[Marked]) -> Vec<Quote> {
        let text = doc.text.as_str();
        let mut out = Vec::new();
        // inside some quotation: one opening at or before `pos` closes after it; with the marks
        // sorted by opening, the running maximum of their ends answers that in O(log n)
        debug_assert!(marked.windows(2).all(|w| w[0].open <= w[1].open));
        let mut max_end = 0;
        let reach: Vec<(usize, usize)> = marked
            .iter()
            .map(|m| {
                max_end = max_end.max(m.close_end);
                (m.open, max_end)
            })
            .collect();
        let in_marks = |pos: usize| {
            let k = reach.partition_point(|&(open, _)| open <= pos);
            k > 0 && pos < reach[k - 1].1
        };
        let mut taken = std::collections::BTreeMap::new();
        for sent in &doc.sentences {
            if doc.paragraphs[sent.paragraph].role != ParagraphRole::Body {
                continue;
            }
            let toks = tokenize(text, sent.span);
            let n = toks.len();
            // end of the complement: the sentence end without closing punctuation
            let mut end_tok = n;
            while end_tok > 0
                && !toks[end_tok - 1].word
                && !matches!(toks[end_tok - 1].text(text), "”" | "\"" | ")" | "%")
            {
                end_tok -= 1;
            }
            let mut last_source: Option<ByteSpan> = None;
            let mut i = 0;
            while i < n {
                if in_marks(toks[i].span.start) {
                    i += 1;
                    continue;
                }
                // according to X, CLAUSE / CLAUSE, according to X
                if lower(text, &toks[i]) == "according"
                    && i + 1 < n
                    && lower(text, &toks[i + 1]) == "to"
                {
                    let cue = span_of(&toks, i, i + 1);
                    if let Some((a, b)) = np_after_opt(text, &toks, i + 2, end_tok, false) {
                        let source = span_of(&toks, a, b);
                        let content = if i > 0 && b + 1 >= end_tok {
                            // CLAUSE, according to X.
                            let mut e = i;
                            while e > 0 && !toks[e - 1].word {
                                e -= 1;
                            }
                            (e >= 3).then(|| span_of(&toks, 0, e - 1))
                        } else if b + 2 < end_tok && toks[b + 1].text(text) == "," {
                            // "According to the Herald, Burrows said ...": the clause has its
                            // own speaker, who said it
                            let own_cue =
                                (b + 2..end_tok).any(|k| cue_at(text, &toks, k).is_some());
                            (!own_cue).then(|| span_of(&toks, b + 2, end_tok - 1))
                        } else {
                            None
                        };
                        if let Some(c) = content {
                            self.push_indirect(
                                &mut out, &mut taken, &reach, doc, marked, cue, source, c,
                            );
                        }
                        i = b + 1;
                        continue;
                    }
                }
                let Some((cue, cn)) = cue_at(text, &toks, i) else {
                    i += 1;
                    continue;
                };
                let cw = lower(text, &toks[i]);
                let mut j = i + cn;
                // told reporters that / told the AP that
                // "told reporters that", "said in a statement that": a short object or
                // prepositional phrase between cue and "that"
                {
                    let mut k = j;
                    let max = if OBJECT_CUES.contains(&cw) { 7 } else { 5 };
                    while k < n
                        && k - j < max
                        && lower(text, &toks[k]) != "that"
                        && toks[k].word
                        && !is_cue_word(&lower(text, &toks[k]))
                    {
                        k += 1;
                    }
                    if k < n && lower(text, &toks[k]) == "that" {
                        j = k;
                    }
                }
                let has_that = j < n && lower(text, &toks[j]) == "that";
                let bare_ok =
                    BARE_COMPLEMENT.contains(&cw) && j < n && starts_clause(text, &toks, j);
                if !(has_that || bare_ok) {
                    i += 1;
                    continue;
                }
                // PolNeAR's content spans include the complementizer "that"
                let cstart = j;
                if cstart >= end_tok {
                    i += 1;
                    continue;
                }
                // the source: the subject before the cue, or after "by" the sentence subject
                let by_gerund = i > 0 && lower(text, &toks[i - 1]) == "by" && cw.ends_with("ing");
                let participle = cw.ends_with("ing") && i > 0 && toks[i - 1].text(text) == ",";
                let subject = || {
                    np_after(text, &toks, 0, n)
                        .map(|(a, b)| span_of(&toks, a, subject_end(text, &toks, a, b)))
                };
                let source = if by_gerund {
                    subject()
                } else if participle {
                    last_source.or_else(subject)
                } else {
                    np_before(text, &toks, 0, i).map(|(a, b)| span_of(&toks, a, b))
                };
                let Some(source) = source else {
                    i += 1;
                    continue;
                };
                // the complement ends at the sentence end, before a following ", implying that",
                // and for "by claiming that" at the next comma
                let mut cend = end_tok;
                for k in cstart..end_tok {
                    let t = toks[k].text(text);
                    if t == "," && k + 1 < end_tok {
                        let nw = lower(text, &toks[k + 1]);
                        if by_gerund
                            || (nw.ends_with("ing") && is_cue_word(&nw))
                            || nw == "according"
                        {
                            cend = k;
                            break;
                        }
                    }
                }
                if cend <= cstart {
                    i += 1;
                    continue;
                }
                let content = span_of(&toks, cstart, cend - 1);
                if content.text(text).split_whitespace().count() >= 3 {
                    self.push_indirect(
                        &mut out, &mut taken, &reach, doc, marked, cue, source, content,
                    );
                    last_source = Some(source);
                }
                i = cend.max(i + 1);
            }
            // CLAUSE, SOURCE CUE.  /  CLAUSE, CUE SOURCE.
            if let Some(q) = trailing_attribution(text, &toks, end_tok) {
                if !in_marks(q.1.start) {
                    self.push_indirect(&mut out, &mut taken, &reach, doc, marked, q.0, q.2, q.1);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn push_indirect(
        &self,
        out: &mut Vec<Quote>,
        taken: &mut std::collections::BTreeMap<usize, usize>,
        reach: &[(usize, usize)],
        doc: &Document,
        marked: &[Marked],
        cue: ByteSpan,
        source: ByteSpan,
        content: ByteSpan,
    ) {
        let content = content.trim_with(&doc.text, &[',', ';', ':']);
        if content.is_empty() {
            return;
        }
        // content holding a quotation-marked span is a mixed quote already tagged: the marks
        // opening before the content's end, back while one of them still reaches into it
        let mut k = reach.partition_point(|&(open, _)| open < content.end);
        while k > 0 && reach[k - 1].1 > content.start {
            if marked[k - 1].contents.iter().any(|c| c.overlaps(content)) {
                return;
            }
            k -= 1;
        }
        // the indirect contents so far are disjoint (an overlapping one is never added): the
        // one starting last before this content's end is the only one that can overlap it
        if taken
            .range(..content.end)
            .next_back()
            .is_some_and(|(_, &end)| end > content.start)
        {
            return;
        }
        taken.insert(content.start, content.end);
        out.push(Quote {
            kind: QuoteKind::Indirect,
            cue: Some(cue),
            sources: vec![source],
            contents: vec![content],
            speaker: None,
            confidence: Pattern::CueAndSource.confidence(QuoteKind::Indirect),
            continues: None,
        });
    }
}

/// `The talks failed, officials said.` → (cue, content, source).
fn trailing_attribution(
    text: &str,
    toks: &[Tok],
    end_tok: usize,
) -> Option<(ByteSpan, ByteSpan, ByteSpan)> {
    let comma = (0..end_tok)
        .rev()
        .take(12)
        .find(|&k| toks[k].text(text) == ",")?;
    if comma < 4 {
        return None;
    }
    let tail = comma + 1;
    // SOURCE CUE [adverbs]
    for c in tail..end_tok {
        if let Some((cue, n)) = cue_at(text, toks, c) {
            let rest_ok = toks[c + n..end_tok].iter().all(|t| {
                t.word
                    && (AUX_ADVERBS.contains(&lower(text, t).as_str())
                        || lower(text, t) == "reporters"
                        || lower(text, t).ends_with("ly")
                        || lower(text, t) == "on"
                        || lower(text, t)
                            .chars()
                            .next()
                            .is_some_and(char::is_alphabetic))
            });
            if !rest_ok || end_tok - (c + n) > 4 {
                return None;
            }
            let src = if c > tail {
                np_before(text, toks, tail, c).filter(|(a, _)| *a == tail)
            } else {
                np_after(text, toks, c + n, end_tok)
            }?;
            let content = span_of(toks, 0, comma - 1);
            return Some((cue, content, span_of(toks, src.0, src.1)));
        }
    }
    None
}

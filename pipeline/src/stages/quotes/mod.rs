//! Quotations and their cues and sources: direct, mixed and indirect.
//!
//! Direct and mixed quotes start from quotation marks (straight, curly, guillemets, and
//! single marks outside double ones; single marks inside double ones are nested and stay in
//! the content). A quote that runs over paragraphs, each opening with a mark and only the
//! last closing, is one quote with one content per paragraph; a quote whose paragraph ends
//! unclosed and whose next paragraph does not open with a mark ends at its paragraph.
//!
//! Attribution, in order: a cue and source after the quote (`"...," he said`, `"...," said
//! Smith`); a cue before it in the same sentence with its subject (`Clark Cooper, U.S. Deputy
//! Assistant Secretary, stated during a briefing, "..."`), a participle cue inheriting the
//! sentence's source (`adding, "..."`); a colon lead-in (`Cooper: "..."`), also as a
//! paragraph of its own before the quote's (`Caddell continued:`); a trailing dash
//! (`"..." — Jane Doe`) or a pull-quote line after the paragraph (`Jane Doe, Mayor`); a short
//! attribution sentence right after (`Smith said.`); else the turn of the previous speaker
//! when the quote is a whole sentence in or right after that speaker's paragraph. Fragments
//! with no attribution are scare quotes and are dropped.
//!
//! Indirect speech comes from cues with a complement outside quotation marks: `said that`,
//! `told reporters that`, `suggest that`, `by claiming that`, `according to X`, and
//! `..., officials said.` at a sentence end.
//!
//! `confidence` is a prior per pattern (documented in [`Pattern::confidence`]), not a
//! calibrated probability; the trained tagger replaces it.
//!
//! Files, in the order they run: `marks` (quotations by their marks), `attribution` (the
//! strategies, an ordered list), `indirect` (speech without marks), `transcripts`
//! (speaker-label turns). The grammar they read with (cues, the noun-phrase chunker) is
//! [`crate::grammar`]'s.

mod attribution;
mod indirect;
mod marks;
mod transcripts;

pub use attribution::Pattern;

use crate::document::{sort_quotes, Document, ParagraphRole, Quote, QuoteKind};
use crate::grammar::tokens::{is_dash_char, tokenize, Tok};
use crate::lexicon::BARE_COMPLEMENT;
use crate::stage::{Stage, StageError};
use attribution::{Attribution, Site, STRATEGIES};
use marks::{find_marked, is_nickname};
use transcripts::transcript_turns;

/// Configuration of [`QuoteTagger`].
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct QuoteTaggerConfig {
    /// Quotes of at most this many words with no attribution are scare quotes (default 3).
    pub max_scare_words: usize,
    /// Tokens allowed between a cue and the quote it introduces (default 30).
    pub max_cue_gap: usize,
    /// Find indirect speech (default true).
    pub indirect: bool,
}

impl Default for QuoteTaggerConfig {
    fn default() -> Self {
        QuoteTaggerConfig {
            max_scare_words: 3,
            max_cue_gap: 30,
            indirect: true,
        }
    }
}

impl QuoteTaggerConfig {
    /// Builds the stage.
    pub fn build(&self) -> QuoteTagger {
        QuoteTagger {
            config: self.clone(),
        }
    }
}

/// Tags quotations with their cues and sources.
#[derive(Debug)]
pub struct QuoteTagger {
    config: QuoteTaggerConfig,
}

impl Stage for QuoteTagger {
    fn name(&self) -> &'static str {
        "tag_quotes"
    }

    fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
        let text = doc.text.as_str();
        let mut marked = find_marked(doc);
        marked.retain(|m| !is_nickname(text, m));
        let mut quotes: Vec<Quote> = Vec::new();
        // every sentence tokenized once, on first use: tokenizing a sentence for each of its
        // quotation marks made a long sentence of many quotes quadratic
        let mut cache: Vec<Option<std::rc::Rc<[Tok]>>> = vec![None; doc.sentences.len()];
        let mut toks_of = |si: usize| -> std::rc::Rc<[Tok]> {
            cache[si]
                .get_or_insert_with(|| tokenize(text, doc.sentences[si].span).into())
                .clone()
        };
        for (mi, m) in marked.iter().enumerate() {
            let Some(si) = doc.sentence_at(m.open) else {
                continue;
            };
            let sent = &doc.sentences[si];
            let toks = toks_of(si);
            // the region before the quote starts after the previous mark in this sentence
            let prev_end = marked[..mi]
                .iter()
                .rev()
                .find(|p| p.close_end > sent.span.start)
                .map_or(sent.span.start, |p| p.close_end.min(m.open));
            let open_tok = toks.partition_point(|t| t.span.start < m.open);
            let floor = toks.partition_point(|t| t.span.start < prev_end);
            // the region after the quote, in the sentence of its close, up to the next mark
            let close_si = doc.sentence_at(m.close_end.saturating_sub(1)).unwrap_or(si);
            let csent = &doc.sentences[close_si];
            let ctoks = if close_si == si {
                toks.clone()
            } else {
                toks_of(close_si)
            };
            let next_open = marked.get(mi + 1).map_or(usize::MAX, |n| n.open);
            let after = ctoks.partition_point(|t| t.span.start < m.close_end);
            let limit = ctoks.partition_point(|t| t.span.start < next_open.min(csent.span.end));
            let words = m
                .contents
                .iter()
                .map(|c| c.text(text).split_whitespace().count())
                .sum::<usize>();
            let inner = m.contents[0].text(text);
            let starts_upper = inner
                .trim_start_matches(['(', '[', '‘', '\''])
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric());
            let before_mark = text[..m.open].trim_end().chars().last();
            let clause_start = toks[..open_tok].iter().all(|t| !t.word)
                || before_mark.is_some_and(|c| {
                    is_dash_char(c) || matches!(c, ',' | ':' | '(' | '.' | '?' | '!')
                });
            // (a quotation within the quotation may close first: `... 'is special,'''`)
            let last_inner = m
                .contents
                .last()
                .unwrap()
                .text(text)
                .trim_end_matches(['\'', '’']);
            let ends_clause = last_inner.ends_with([',', '.', '?', '!', '…'])
                || text[m.close_end..].starts_with(',');
            let sentence_like = starts_upper && (clause_start || words >= 8);

            let site = Site {
                doc,
                text,
                marked: m,
                si,
                toks: &toks,
                floor,
                open_tok,
                prev_end,
                sent_start: sent.span.start,
                close_si,
                ctoks: &ctoks,
                after,
                limit,
                ends_clause,
                clause_quote: starts_upper && clause_start,
                quotes: &quotes,
            };
            let attr = STRATEGIES.iter().find_map(|s| s(self, &site));
            let para = doc.paragraph_at(m.open).unwrap_or(0);
            let (kind, attr, continues) = match attr {
                Some(a) => {
                    // a short fragment far from its cue is a scare quote ("the tentative
                    // agreement of a "13% increase"")
                    if a.fragment && words <= self.config.max_scare_words {
                        let near = a.cue.is_some_and(|c| {
                            if BARE_COMPLEMENT.contains(&text[c.start..c.end].to_lowercase()) {
                                return true;
                            }
                            let gap = &text[c.end.min(m.open)..m.open];
                            gap.split_whitespace().count() <= 2
                        });
                        if !near {
                            continue;
                        }
                    }
                    let kind = if a.fragment
                        || (!sentence_like
                            && words <= self.config.max_scare_words.max(6)
                            && !clause_start)
                    {
                        QuoteKind::Mixed
                    } else {
                        QuoteKind::Direct
                    };
                    (kind, a, None)
                }
                None => {
                    if !sentence_like || words <= self.config.max_scare_words {
                        continue; // scare quote, title or fragment
                    }
                    if doc.paragraphs[para].role == ParagraphRole::Headline {
                        continue;
                    }
                    // the previous speaker's turn, in this paragraph or the one before
                    let prev = quotes
                        .iter()
                        .rposition(|q| q.kind != QuoteKind::Indirect)
                        .filter(|&p| {
                            let qp = doc
                                .paragraph_at(quotes[p].contents.last().unwrap().start)
                                .unwrap_or(0);
                            qp + 1 >= para
                        });
                    let pattern = if prev.is_some() {
                        Pattern::Continued
                    } else {
                        Pattern::Unattributed
                    };
                    // a continued turn keeps its speaker's source phrase, written in an
                    // earlier sentence
                    let sources = prev.map_or_else(Vec::new, |p| quotes[p].sources.clone());
                    (
                        QuoteKind::Direct,
                        Attribution {
                            cue: None,
                            sources,
                            pattern,
                            fragment: false,
                        },
                        prev,
                    )
                }
            };
            // one attribution per turn, as PolNeAR annotates and a reader reads it: a quote
            // that continues the previous quote's turn in the same paragraph ("A," he said.
            // "B.") or shares its cue ("A," he said, "B.") joins it as another content
            if let Some(last) = quotes.last_mut() {
                let same_para = doc.paragraph_at(last.contents.last().unwrap().start) == Some(para);
                let shares_cue = attr.cue.is_some() && attr.cue == last.cue;
                let continued = attr.pattern == Pattern::Continued;
                if same_para
                    && last.kind == QuoteKind::Direct
                    && kind == QuoteKind::Direct
                    && (shares_cue || continued)
                {
                    last.contents.extend(m.outer.iter().copied());
                    continue;
                }
            }
            quotes.push(Quote {
                kind,
                cue: attr.cue,
                sources: attr.sources,
                contents: m.outer.clone(),
                speaker: None,
                confidence: attr.pattern.confidence(kind),
                continues,
            });
        }
        if self.config.indirect {
            let indirect = self.indirect(doc, &marked);
            quotes.extend(indirect);
        }
        transcript_turns(doc, &mut quotes);
        doc.quotes = sort_quotes(quotes);
        Ok(())
    }
}

#[cfg(test)]
mod tests;

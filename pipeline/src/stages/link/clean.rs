//! Cleaning the tagger's spans before they are linked: contents cut at the end of the
//! paragraph they start in, cues and sources cut at sentence ends, content fragments the
//! tagger broke apart joined, lone function words dropped.

use crate::document::Document;
use crate::grammar::tokens::tokenize;
use crate::lexicon::FUNCTION_WORDS;
use crate::span::ByteSpan;
use crate::tagged::AttributionRole;

/// A lone function word ("to", "of", "the"): a piece of a clause, not a content.
pub(super) fn is_function_word(t: &str) -> bool {
    FUNCTION_WORDS.contains(&t.to_lowercase().as_str())
}

/// Cuts tagged spans at the end of the paragraph they start in. The tagger reads across
/// paragraph breaks: a content that runs on into the next paragraph keeps its first part
/// when that part ends the paragraph with a sentence ("He said he'll support whomever ...
/// anymore.\n“I wanted ...”"); the rest, and a part cut mid-sentence (a headline read into
/// the first line of the body), are dropped.
pub(super) fn by_paragraph(
    doc: &Document,
    spans: impl Iterator<Item = (ByteSpan, f32)>,
) -> Vec<(ByteSpan, f32)> {
    spans
        .filter_map(|(s, score)| {
            let Some(p) = doc.paragraph_at(s.start) else {
                return Some((s, score)); // outside every paragraph: the caller's filters decide
            };
            let end = doc.paragraphs[p].span.end;
            if s.end <= end {
                return Some((s, score));
            }
            let head = ByteSpan::new(s.start, end).trim(&doc.text);
            let t = head.text(&doc.text);
            t.trim_end_matches(['"', '”', '’', '\'', ')'])
                .ends_with(['.', '?', '!'])
                .then_some((head, score))
        })
        .collect()
}

/// Cuts cue and source spans at sentence ends: the tagger now and then reads a name and the
/// next sentence's first word as one source ("Representative Carl Dunn. Dunn"), and a cue or
/// a source never runs over two sentences. Each piece keeps the span's score.
pub(super) fn by_sentence(
    doc: &Document,
    spans: impl Iterator<Item = (ByteSpan, f32)>,
) -> Vec<(ByteSpan, f32)> {
    let mut out = Vec::new();
    for (s, score) in spans {
        let first = doc.sentence_at(s.start);
        if first.is_some() && first == doc.sentence_at(s.end.saturating_sub(1)) {
            out.push((s, score)); // within one sentence: nothing to cut
            continue;
        }
        let pieces: Vec<ByteSpan> = doc
            .sentences
            .iter()
            .filter(|x| x.span.overlaps(s))
            .map(|x| {
                let p = ByteSpan::new(s.start.max(x.span.start), s.end.min(x.span.end));
                // the mark that ends the sentence is not the piece's ("Carl Dunn.")
                let last = tokenize(&doc.text, p).pop();
                match last {
                    Some(t) if !t.word && t.span.end == x.span.end => {
                        ByteSpan::new(p.start, t.span.start).trim(&doc.text)
                    }
                    _ => p.trim(&doc.text),
                }
            })
            .filter(|p| !p.is_empty())
            .collect();
        if pieces.len() <= 1 {
            out.push((s, score)); // within one sentence, or outside every sentence
        } else {
            out.extend(pieces.into_iter().map(|p| (p, score)));
        }
    }
    out
}

/// Joins content spans the tagger broke apart: consecutive contents with nothing but spaces,
/// punctuation and quotation marks between them (the tagger often restarts a content at an
/// opening quotation mark, "he “has offended ...") and no source or cue span in the gap;
/// never a lone relative pronoun.
/// The joined span scores the mean of its parts, weighted by length. Input and output are
/// sorted by start.
pub(super) fn merge_fragments(
    doc: &Document,
    mut contents: Vec<(ByteSpan, f32)>,
    all: &[(AttributionRole, ByteSpan, f32)],
) -> Vec<(ByteSpan, f32)> {
    let text = doc.text.as_str();
    contents.sort_by_key(|c| (c.0.start, c.0.end));
    let mut out: Vec<(ByteSpan, f32)> = Vec::new();
    for (c, score) in contents {
        if let Some((last, ls)) = out.last_mut() {
            if last.end <= c.start {
                let gap = ByteSpan::new(last.end, c.start);
                // a sentence end between them keeps them apart ("as “absurd.” Trump's")
                let ends_sentence = last
                    .text(text)
                    .trim_end_matches(['"', '”', '’', '\''])
                    .ends_with(['.', '?', '!'])
                    || gap.text(text).contains(['.', '?', '!']);
                // a lone relative pronoun ("..., who") is a span of the next attribution
                // in PolNeAR (its source, or a content standing for the clause): the
                // tagger's restart there is meant (PolNeAR dev content exact +0.3)
                let relative = matches!(c.text(text), "who" | "whom" | "which" | "that");
                let blank = !gap.text(text).chars().any(char::is_alphanumeric)
                    && !ends_sentence
                    && !relative
                    && doc.paragraph_at(last.start) == doc.paragraph_at(c.start)
                    && !all
                        .iter()
                        .any(|m| m.0 != AttributionRole::Content && m.1.overlaps(gap));
                if blank {
                    let (a, b) = (last.len() as f32, c.len() as f32);
                    *ls = (*ls * a + score * b) / (a + b);
                    last.end = c.end;
                    continue;
                }
            }
        }
        out.push((c, score));
    }
    out
}

//! Linking a tagger's role spans into quotations, and merging them with the rule quotes.
//!
//! A model tags SOURCE, CUE and CONTENT spans independently; here each content is tied to
//! the nearest cue in its paragraph, each cue to the nearest source around it, and the result
//! becomes a [`Quote`]. The spans are read from `doc.tagged`, where [`crate::tagged::store`]
//! put them typed and checked. Rule quotes are kept where they are (quotation marks are what rules read best);
//! model quotes add the attributions the rules missed, never overlapping a rule quote.
//!
//! Files: `clean` (the tagged spans cut and joined), this file (contents linked to cues and
//! sources into quotes), `reconcile` (rule quotes redrawn and completed from the tagger).
//! PolNeAR's span conventions, which run after this whether models ran or not, are their own
//! stage ([`crate::stages::conventions`]). Reads the tagged layer and the quote layer; writes
//! the quote layer.

mod clean;
mod reconcile;

use crate::document::{sort_quotes, Document, ParagraphRole, Quote, QuoteKind};
use crate::grammar::tokens::DASHES;
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};
use crate::tagged::AttributionRole;
use clean::{by_paragraph, by_sentence, is_function_word, merge_fragments};
#[cfg(test)]
use reconcile::whole_phrase;
use reconcile::{complete_from_tagger, redraw_rule_quotes};

/// Tagged contents whose mean tag probability is below this are not used (chosen on
/// PolNeAR dev; with the 4-layer tagger 0.35, 0.5 and 0.65 give mean exact F1 63.1, 63.0
/// and 62.7: recall traded for precision).
pub const MIN_SCORE: f32 = 0.5;

/// A tagger quote's confidence is its mean tag probability, capped here: below the rule
/// patterns with an explicit cue and source, as its precision on PolNeAR dev is lower.
pub const MAX_CONFIDENCE: f32 = 0.8;

/// Characters between two spans (0 when they touch or overlap).
pub(super) fn gap(a: ByteSpan, b: ByteSpan) -> usize {
    // one of the two is zero unless the spans are apart
    b.start
        .saturating_sub(a.end)
        .max(a.start.saturating_sub(b.end))
}

/// The stage that links the attribution head's spans into quotes, after the rule quotes.
/// Without models it has nothing to do.
#[derive(Debug, Default)]
pub struct LinkAttributions;

impl Stage for LinkAttributions {
    fn name(&self) -> &'static str {
        "link_attributions"
    }

    fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
        link_attributions(doc);
        Ok(())
    }
}

/// Whether `a` lies in a sentence that `b` touches, or the sentence just before or after
/// them (`"...," he said.` / `He said: "..."` / a content over several sentences): a cue or
/// source two sentences away belongs to another attribution.
pub(super) fn near(doc: &Document, a: ByteSpan, b: ByteSpan) -> bool {
    let (Some(a0), Some(b0), Some(b1)) = (
        doc.sentence_at(a.start),
        doc.sentence_at(b.start),
        doc.sentence_at(b.end.saturating_sub(1)),
    ) else {
        return true; // outside the sentence layer: the paragraph test decides
    };
    a0 + 1 >= b0 && a0 <= b1 + 1
}

/// Links the attribution spans in `doc.tagged` into quotes and adds those that do not
/// overlap an existing quote.
pub fn link_attributions(doc: &mut Document) {
    let mapped: Vec<(AttributionRole, ByteSpan, f32)> = doc
        .tagged
        .iter()
        .filter_map(|m| Some((m.role.attribution()?, m.span, m.score)))
        .collect();
    if mapped.is_empty() {
        return;
    }
    let of = |r: AttributionRole| mapped.iter().filter(move |m| m.0 == r).map(|m| (m.1, m.2));
    let cues: Vec<(ByteSpan, f32)> = by_sentence(doc, of(AttributionRole::Cue));
    // a lone function word ("the" of "the process is expected") is no source either
    let sources: Vec<(ByteSpan, f32)> = by_sentence(doc, of(AttributionRole::Source))
        .into_iter()
        .filter(|(s, _)| !is_function_word(s.text(&doc.text)))
        .collect();
    // a dash at a content's edge sets the content off ("..." — Maria Gonzalez): it is
    // never part of what was said
    let contents: Vec<(ByteSpan, f32)> = merge_fragments(
        doc,
        by_paragraph(doc, of(AttributionRole::Content)),
        &mapped,
    )
    .into_iter()
    .map(|(c, score)| (c.trim_with(&doc.text, &DASHES), score))
    .filter(|(c, _)| !c.is_empty())
    .collect();
    redraw_rule_quotes(doc, &contents);
    let para = |s: ByteSpan| doc.paragraph_at(s.start);
    let in_body =
        |s: ByteSpan| para(s).is_some_and(|p| doc.paragraphs[p].role == ParagraphRole::Body);
    let mut new: Vec<Quote> = Vec::new();
    for (content, score) in contents {
        // below MIN_SCORE the tagger is wrong more often than right on PolNeAR dev
        if score < MIN_SCORE
            || !in_body(content)
            || doc
                .quotes
                .iter()
                .any(|q| q.contents.iter().any(|c| c.overlaps(content)))
        {
            continue;
        }
        if is_function_word(content.text(&doc.text)) {
            continue; // "to", "of": a piece of a clause, never a content of its own
        }
        let p = para(content);
        let cue = cues
            .iter()
            .filter(|(c, _)| para(*c) == p && gap(*c, content) <= 300 && near(doc, *c, content))
            .min_by_key(|(c, _)| gap(*c, content))
            .map(|c| c.0);
        let anchor = cue.unwrap_or(content);
        let source = nearest_source(doc, &sources, anchor, &[content], |s, _| {
            near(doc, s, anchor)
        });
        if cue.is_none() && source.is_none() {
            continue; // a content nobody says is no attribution
        }
        let t = content.text(&doc.text);
        let marks = crate::grammar::marks::double_marks(t);
        let kind = if marks >= 2 && (t.starts_with(['"', '“', '«']) || t.starts_with("''")) {
            QuoteKind::Direct
        } else if marks > 0 {
            QuoteKind::Mixed
        } else {
            QuoteKind::Indirect
        };
        // a content sharing cue and source with the previous one continues that quote
        if let Some(last) = new.last_mut() {
            if last.cue == cue && last.sources.first().copied() == source && cue.is_some() {
                last.contents.push(content);
                continue;
            }
        }
        new.push(Quote {
            kind,
            cue,
            sources: source.into_iter().collect(),
            contents: vec![content],
            speaker: None,
            confidence: score.clamp(0.0, MAX_CONFIDENCE),
            continues: None,
        });
    }
    // (a redrawn rule quote may have moved too, so the layer is sorted even when nothing is
    // new) new quotes go after the old ones, whose `continues` indices stay valid until the sort
    doc.quotes.extend(new);
    complete_from_tagger(doc, &cues, &sources);
    doc.quotes = sort_quotes(std::mem::take(&mut doc.quotes));
}

/// The tagged source nearest `anchor` (a cue, or a content that has none): in the anchor's
/// paragraph, at most 200 bytes away, overlapping none of `taken`, and accepted by `ok`
/// (given the span and its score). Ties go to the earlier source.
pub(super) fn nearest_source(
    doc: &Document,
    sources: &[(ByteSpan, f32)],
    anchor: ByteSpan,
    taken: &[ByteSpan],
    ok: impl Fn(ByteSpan, f32) -> bool,
) -> Option<ByteSpan> {
    let p = doc.paragraph_at(anchor.start);
    sources
        .iter()
        .filter(|&&(s, sc)| {
            doc.paragraph_at(s.start) == p
                && gap(s, anchor) <= 200
                && !taken.iter().any(|t| t.overlaps(s))
                && ok(s, sc)
        })
        .min_by_key(|(s, _)| (gap(*s, anchor), s.start))
        .map(|s| s.0)
}

#[cfg(test)]
mod tests;

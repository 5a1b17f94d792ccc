//! Interview and debate transcripts: a body paragraph opened by a speaker label
//! (`WALLACE: ...`) is that speaker's turn.

use super::attribution::Pattern;
use crate::document::{reorder_quotes, Document, ParagraphRole, Quote, QuoteKind};
use crate::span::ByteSpan;

/// The speaker label that opens a transcript paragraph: after an optional opening quotation
/// mark, one to three words in capitals (two letters at least) and a colon, then the turn:
/// `WALLACE: Let's start ...`, `"PENCE: Well, look ...`. Returns (label, colon, turn).
fn speaker_label(text: &str, para: ByteSpan) -> Option<(ByteSpan, ByteSpan, ByteSpan)> {
    let p = para.text(text);
    let lead = p.len() - p.trim_start_matches(['"', '“', '«', ' ']).len();
    let rest = &p[lead..];
    let colon = rest.find(':')?;
    let label = &rest[..colon];
    let words: Vec<&str> = label.split(' ').collect();
    let letters = label.chars().filter(|c| c.is_alphabetic()).count();
    let ok = (1..=3).contains(&words.len())
        && letters >= 2
        && words.iter().all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_uppercase() || matches!(c, '.' | '-' | '\'' | '’'))
        });
    if !ok || !rest[colon + 1..].starts_with(' ') {
        return None;
    }
    let turn_start = para.start + lead + colon + 1;
    let mut turn = ByteSpan::new(turn_start, para.end).trim(text);
    // a turn in quotation marks without a close in the paragraph runs on; with one, the mark
    // is not content
    if lead > 0 && turn.text(text).ends_with(['"', '”', '»']) {
        let last = turn.text(text).chars().last().map_or(0, char::len_utf8);
        turn.end -= last;
    }
    if turn.text(text).split_whitespace().count() < 2 {
        return None;
    }
    let label_span = ByteSpan::new(para.start + lead, para.start + lead + colon);
    let colon_span = ByteSpan::new(label_span.end, label_span.end + 1);
    Some((label_span, colon_span, turn))
}

/// Interview and debate transcripts: each body paragraph opened by a speaker label is that
/// speaker's turn (PolNeAR: the label is the source, the colon the cue, the rest the
/// content). Quotation marks around a turn made other quotes out of it; the turn replaces
/// their contents in its paragraph (quotes left without contents go, `continues` indices
/// are remapped).
pub(super) fn transcript_turns(doc: &Document, quotes: &mut Vec<Quote>) {
    let text = doc.text.as_str();
    let mut turns: Vec<(ByteSpan, ByteSpan, ByteSpan)> = doc
        .paragraphs
        .iter()
        .filter(|p| p.role == ParagraphRole::Body)
        .filter_map(|p| speaker_label(text, p.span))
        .collect();
    // a label is a speaker when the text names them ("WALLACE" and "Chris Wallace") or when
    // it opens several paragraphs; "NOTE:" or "UPDATE:" once is neither
    let labels: Vec<&str> = turns.iter().map(|t| t.0.text(text)).collect();
    let speaker: Vec<bool> = labels
        .iter()
        .map(|l| {
            let title: String = l
                .split(' ')
                .map(|w| {
                    let mut cs = w.chars();
                    cs.next().map_or(String::new(), |c| {
                        c.to_string() + &cs.as_str().to_lowercase()
                    })
                })
                .collect::<Vec<_>>()
                .join(" ");
            labels.iter().filter(|x| *x == l).count() >= 2 || text.contains(&title)
        })
        .collect();
    let mut i = 0;
    turns.retain(|_| {
        i += 1;
        speaker[i - 1]
    });
    if turns.is_empty() {
        return;
    }
    let region = |t: &(ByteSpan, ByteSpan, ByteSpan)| ByteSpan::new(t.0.start, t.2.end);
    for q in quotes.iter_mut() {
        q.contents
            .retain(|c| !turns.iter().any(|t| region(t).overlaps(*c)));
    }
    let kept: Vec<usize> = (0..quotes.len())
        .filter(|&i| !quotes[i].contents.is_empty())
        .collect();
    *quotes = reorder_quotes(std::mem::take(quotes), &kept);
    for (label, colon, turn) in turns {
        quotes.push(Quote {
            kind: QuoteKind::Direct,
            cue: Some(colon),
            sources: vec![label],
            contents: vec![turn],
            speaker: None,
            confidence: Pattern::LeadIn.confidence(QuoteKind::Direct),
            continues: None,
        });
    }
}

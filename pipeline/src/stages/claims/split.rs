//! Atomic claims: a content (or narrative sentence) that joins independent statements with
//! "and", "but" or ";" becomes one piece per statement.
//!
//! There is no parser here: a clause is recognised by a finite verb, which is an auxiliary
//! or modal ([`AUXILIARIES`]), or a word ending in "-s"/"-ed" right after a subject pronoun
//! or after a determiner and one noun ("the agreement expires"). A joint splits only when
//!
//! - it stands outside quotation marks and brackets inside the claim, and after no
//!   subordinator ([`SUBORDINATORS`]) since the last split ("said that X because Y and Z"
//!   stays one, as does "the deal, which was signed and ratified, ...");
//! - the part before it holds a finite verb;
//! - the part after it is a clause of its own (a subject, then a finite verb within
//!   [`MAX_SUBJECT`] words: "and preparations are underway"), or a verb phrase that shares
//!   the earlier clause's subject ("and said the figures were wrong"), which the piece gets
//!   back as its `subject`;
//! - both parts keep at least the claim stage's minimum of words.
//!
//! So noun phrases joined by "and" ("between South Korea and the U.S. has been") never split:
//! the part before the joint has no verb of its own.

use crate::grammar::cues::lower;
use crate::grammar::tokens::{tokenize, Tok};
use crate::lexicon::{
    AUXILIARIES, CLAUSE_ADVERBS, DETERMINERS, IRREGULAR_PAST, NOT_SUBJECT_STARTS, SUBJECT_PRONOUNS,
    SUBORDINATORS,
};
use crate::span::ByteSpan;

/// Words a clause's subject may take before its verb, at most.
pub const MAX_SUBJECT: usize = 8;

/// One statement of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The statement's own words: a contiguous span of the text, trimmed of the joint.
    pub span: ByteSpan,
    /// The subject the statement shares with the clause before it, when it has none of its
    /// own ("The minister denied it and *said* ..." → "The minister").
    pub subject: Option<ByteSpan>,
}

fn is_in(list: &[&str], w: &str) -> bool {
    list.contains(&w)
}

/// True when token `i` of `toks` is a finite verb (see the module documentation); `start`
/// is where its clause begins (a one-word subject there counts: "Unemployment fell").
fn is_finite(toks: &[Tok], text: &str, i: usize, start: usize) -> bool {
    let t = &toks[i];
    if !t.word {
        return false;
    }
    let w = lower(text, t);
    if is_in(AUXILIARIES, &w) {
        return true;
    }
    let inflected = is_in(IRREGULAR_PAST, &w)
        || (w.len() > 3
            && w.chars().all(|c| c.is_alphabetic())
            && ((w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us"))
                || w.ends_with("ed")));
    if !inflected || i <= start {
        return false;
    }
    let prev = lower(text, &toks[i - 1]);
    if is_in(SUBJECT_PRONOUNS, &prev) {
        return true;
    }
    // "the agreement expires", "South Korea rejected"
    let prev_is_noun = toks[i - 1].word
        && !is_in(DETERMINERS, &prev)
        && !is_in(NOT_SUBJECT_STARTS, &prev)
        && !is_in(AUXILIARIES, &prev);
    let det_before = i >= 2 && is_in(DETERMINERS, &lower(text, &toks[i - 2]));
    let name_before = toks[i - 1]
        .text(text)
        .chars()
        .next()
        .is_some_and(char::is_uppercase)
        && i >= 2
        && toks[i - 2]
            .text(text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase);
    prev_is_noun && (det_before || name_before || i - 1 == start)
}

fn has_finite(toks: &[Tok], text: &str, range: std::ops::Range<usize>) -> bool {
    let start = range.start;
    range.into_iter().any(|i| is_finite(toks, text, i, start))
}

/// Index of the first token after the adverbs and commas a clause may open with.
fn skip_openers(toks: &[Tok], text: &str, mut i: usize, end: usize) -> usize {
    while i < end {
        let w = lower(text, &toks[i]);
        if w == "," || is_in(CLAUSE_ADVERBS, &w) {
            i += 1;
        } else {
            break;
        }
    }
    i
}

/// What follows a joint: an independent clause, a verb phrase sharing the subject, or
/// neither.
enum After {
    Clause,
    SharedSubject,
    No,
}

fn classify_after(toks: &[Tok], text: &str, start: usize, end: usize) -> After {
    let i = skip_openers(toks, text, start, end);
    if i >= end || !toks[i].word {
        return After::No;
    }
    if is_in(AUXILIARIES, &lower(text, &toks[i])) {
        // "and has said ...": a verb phrase; but "and is there ..." questions are rare
        return After::SharedSubject;
    }
    let first = lower(text, &toks[i]);
    if is_in(NOT_SUBJECT_STARTS, &first) || is_in(SUBORDINATORS, &first) {
        return After::No;
    }
    // a past-tense verb right after the joint: "and said ..."
    let lowercase = toks[i]
        .text(text)
        .chars()
        .next()
        .is_some_and(char::is_lowercase);
    if lowercase && (is_in(IRREGULAR_PAST, &first) || (first.ends_with("ed") && first.len() > 4)) {
        return After::SharedSubject;
    }
    let limit = (i + 1 + MAX_SUBJECT).min(end);
    for k in i + 1..limit {
        if !toks[k].word && toks[k].text(text) != "'" && toks[k].text(text) != "’" {
            return After::No;
        }
        if is_finite(toks, text, k, i) {
            return After::Clause;
        }
    }
    After::No
}

/// Splits `span` of `text` into its independent statements (one piece when there is one).
/// `min_words`: a split that leaves a part with fewer words is not made.
pub fn split(text: &str, span: ByteSpan, min_words: usize) -> Vec<Piece> {
    let toks = tokenize(text, span);
    let words = |a: usize, b: usize| toks[a..b].iter().filter(|t| t.word).count();
    // candidate joints: (index of the joint token, index of the first token after it)
    let mut depth_quote = false;
    let mut depth_bracket = 0usize;
    let mut locked = false;
    let mut seg_start = 0usize;
    let mut subject: Option<ByteSpan> = None;
    let mut pieces: Vec<Piece> = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let s = toks[i].text(text);
        match s {
            "\"" => depth_quote = !depth_quote,
            "“" | "«" => depth_quote = true,
            "”" | "»" => depth_quote = false,
            "(" | "[" => depth_bracket += 1,
            ")" | "]" => depth_bracket = depth_bracket.saturating_sub(1),
            _ => {}
        }
        let w = s.to_lowercase();
        if toks[i].word && is_in(SUBORDINATORS, &w) && i > seg_start {
            locked = true;
        }
        let joint =
            !depth_quote && depth_bracket == 0 && !locked && (w == ";" || w == "and" || w == "but");
        if joint && i > seg_start {
            let next = i + 1;
            let left_end = if i > 0 && toks[i - 1].text(text) == "," && w != ";" {
                i - 1
            } else {
                i
            };
            let end = toks.len();
            let after = classify_after(&toks, text, next, end);
            let left_ok = has_finite(&toks, text, seg_start..left_end)
                && words(seg_start, left_end) >= min_words
                && words(next, end) >= min_words;
            let take = match after {
                After::No => false,
                After::Clause => left_ok,
                After::SharedSubject => {
                    left_ok && subject_of(&toks, text, seg_start, left_end).is_some()
                }
            };
            if take {
                let piece_subject = match after {
                    After::SharedSubject => {
                        subject_of(&toks, text, seg_start, left_end).or(subject)
                    }
                    _ => None,
                };
                pieces.push(Piece {
                    span: ByteSpan::new(toks[seg_start].span.start, toks[left_end - 1].span.end),
                    subject,
                });
                subject = piece_subject;
                seg_start = next;
                locked = false;
            }
        }
        i += 1;
    }
    if pieces.is_empty() {
        return vec![Piece {
            span,
            subject: None,
        }];
    }
    pieces.push(Piece {
        span: ByteSpan::new(toks[seg_start].span.start, span.end),
        subject,
    });
    pieces
}

/// The subject of the clause in tokens `start..end`: the words before its first finite verb,
/// when there are some and they can be a subject.
fn subject_of(toks: &[Tok], text: &str, start: usize, end: usize) -> Option<ByteSpan> {
    let v = (start..end).find(|&i| is_finite(toks, text, i, start))?;
    if v == start || v - start > MAX_SUBJECT {
        return None;
    }
    let first = lower(text, &toks[start]);
    if is_in(NOT_SUBJECT_STARTS, &first) || is_in(SUBORDINATORS, &first) {
        return None;
    }
    if toks[start..v]
        .iter()
        .any(|t| !t.word && t.text(text) == ",")
    {
        return None;
    }
    Some(ByteSpan::new(toks[start].span.start, toks[v - 1].span.end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (sentence, the pieces it gives as "subject | piece" or "piece")
    #[test]
    fn split_table() {
        let table: &[(&str, &[&str])] = &[
            // the seed article's compound quotes
            (
                "The agreement expires in March 2021 and preparations are underway",
                &["The agreement expires in March 2021", "preparations are underway"],
            ),
            (
                "There was a pause, but the negotiations have never ended and we are approaching them again",
                &["There was a pause", "the negotiations have never ended", "we are approaching them again"],
            ),
            (
                "A mutually acceptable agreement between South Korea and the U.S. has been a continuous topic of dialogue, and again, communication has never stopped",
                &["A mutually acceptable agreement between South Korea and the U.S. has been a continuous topic of dialogue", "again, communication has never stopped"],
            ),
            // a shared subject comes back
            (
                "The minister denied the report and said the figures were wrong",
                &["The minister denied the report", "The minister | said the figures were wrong"],
            ),
            // a semicolon joins two statements
            (
                "Unemployment fell to 4 percent; wages rose for a third month",
                &["Unemployment fell to 4 percent", "wages rose for a third month"],
            ),
            // not independent: nothing to split
            (
                "the talks stalled because Seoul refused and Washington insisted",
                &["the talks stalled because Seoul refused and Washington insisted"],
            ),
            (
                "(The increase in defense costs) is not just about cost sharing but about the burden sharing of security on the Korean Peninsula",
                &["(The increase in defense costs) is not just about cost sharing but about the burden sharing of security on the Korean Peninsula"],
            ),
            (
                "the deal, which was signed and ratified last year, remains in force",
                &["the deal, which was signed and ratified last year, remains in force"],
            ),
            (
                "South Korea and Japan have both rejected the proposal",
                &["South Korea and Japan have both rejected the proposal"],
            ),
            (
                "prices of food and fuel rose sharply",
                &["prices of food and fuel rose sharply"],
            ),
            // a quotation inside the claim is not split
            (
                "he called it \"a pause and a reset\" and left",
                &["he called it \"a pause and a reset\" and left"],
            ),
            // too short a part: kept whole
            ("He agreed and left", &["He agreed and left"]),
        ];
        for (s, want) in table {
            let got: Vec<String> = split(s, ByteSpan::new(0, s.len()), 3)
                .iter()
                .map(|p| match p.subject {
                    Some(sub) => format!("{} | {}", sub.text(s), p.span.text(s)),
                    None => p.span.text(s).to_string(),
                })
                .collect();
            assert_eq!(&got, want, "{s}");
        }
    }
}

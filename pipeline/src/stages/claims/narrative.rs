//! Narrative claims: statements the article makes in its own voice.
//!
//! A candidate is a sentence of a body or headline paragraph that no quotation's content
//! overlaps, that is not a question,
//! with a leading byline in brackets and a dateline cut off. A mixed quote (a fragment
//! in marks inside narration) takes its sentence away only when its cue is a verb of saying
//! that takes a clause ([`BARE_COMPLEMENT`]: `said the rents were "impossible"` is reported
//! speech); otherwise the sentence is the article's account of what was done (`Trump
//! rejected a "13% increase"`, `raised the issue of "burden sharing"`) and stays a candidate. Captions, bylines, copyright
//! lines and navigation are boilerplate paragraphs, never candidates. Whether a candidate is
//! a claim is the check-worthiness model's decision (see [`crate::document::Document::narrative`]).
//!
//! Its `source` is the article's own voice as the text names it: the byline's reporter
//! ("[Asia Economy Reporter Lim Cheol-young]", "By Jane Roe"), else the outlet (a dateline's
//! agency, "(Reuters)", or the copyright line's holder, "© The Asia Business Daily").

use crate::document::{Document, QuoteKind};
use crate::lexicon::{AGENCIES, BARE_COMPLEMENT, BYLINE_ROLES};
use crate::span::ByteSpan;

/// Sentences that may hold narrative claims, each cut to what the article states (byline and
/// dateline removed), in text order.
pub fn candidate_sentences(doc: &Document) -> Vec<ByteSpan> {
    let text = doc.text.as_str();
    let mut contents: Vec<ByteSpan> = doc
        .quotes
        .iter()
        .filter(|q| {
            q.kind != QuoteKind::Mixed
                || q.cue.is_some_and(|c| {
                    let cue = c.text(text).to_lowercase();
                    cue.split_whitespace()
                        .last()
                        .is_some_and(|w| BARE_COMPLEMENT.contains(w))
                })
        })
        .flat_map(|q| q.contents.iter().copied())
        .collect();
    contents.sort_by_key(|c| (c.start, c.end));
    let mut out = Vec::new();
    for s in &doc.sentences {
        if !doc.paragraphs[s.paragraph].role.is_analysed() {
            continue;
        }
        // contents are sorted: the first that ends after the sentence starts decides
        let i = contents.partition_point(|c| c.end <= s.span.start);
        if contents[i..]
            .iter()
            .take_while(|c| c.start < s.span.end)
            .any(|c| c.overlaps(s.span))
        {
            continue;
        }
        let span = cut_dateline(text, cut_byline(text, s.span));
        if span.is_empty() || span.text(text).trim_end().ends_with('?') {
            continue;
        }
        out.push(span);
    }
    out
}

/// The largest char boundary of `s` at or below `max` bytes.
fn floor_boundary(s: &str, max: usize) -> usize {
    let mut i = max.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `[Reporter Name] Sentence` → `Sentence`.
fn cut_byline(text: &str, span: ByteSpan) -> ByteSpan {
    let s = span.text(text);
    if s.starts_with('[') {
        if let Some(close) = s.find(']') {
            return ByteSpan::new(span.start + close + 1, span.end).trim(text);
        }
    }
    span
}

/// `SEOUL, Aug. 21 (Reuters) - Sentence` or `WASHINGTON — Sentence` → `Sentence`: an
/// upper-case place (with an optional date and agency) followed by a dash, within the first
/// 60 bytes.
fn cut_dateline(text: &str, span: ByteSpan) -> ByteSpan {
    let s = span.text(text);
    let head = &s[..floor_boundary(s, 60)];
    let Some((pos, dash)) = [" - ", " — ", " – ", " -- "]
        .iter()
        .filter_map(|d| head.find(d).map(|p| (p, *d)))
        .min()
    else {
        return span;
    };
    let before = &s[..pos];
    let place: String = before
        .chars()
        .take_while(|c| !matches!(c, ',' | '('))
        .collect();
    let upper = place.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && place
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(char::is_uppercase);
    if upper {
        ByteSpan::new(span.start + pos + dash.len(), span.end).trim(text)
    } else {
        span
    }
}

/// Who speaks in the article's own voice, as the text names it: the byline's reporter, else
/// the outlet; `None` when the text names neither.
pub fn article_voice(doc: &Document) -> Option<ByteSpan> {
    let text = doc.text.as_str();
    reporter(doc, text).or_else(|| outlet(doc, text))
}

/// A name: capitalised words (hyphens inside), at most four, from the start of `s`.
fn name_at(s: &str) -> Option<usize> {
    let mut end = 0;
    let mut words = 0;
    for (i, w) in s.split(' ').enumerate() {
        let clean = w.trim_end_matches([',', ']', ')', '.']);
        let cap = clean.chars().next().is_some_and(char::is_uppercase)
            && clean
                .chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '.' || c == '\'');
        if !cap || words == 4 {
            break;
        }
        words += 1;
        end = s.split(' ').take(i).map(|x| x.len() + 1).sum::<usize>() + clean.len();
        if clean.len() != w.len() {
            break;
        }
    }
    (words >= 2).then_some(end)
}

fn reporter(doc: &Document, text: &str) -> Option<ByteSpan> {
    // bylines sit in the first half of the paragraphs (after navigation and headlines)
    let n = doc.paragraphs.len().div_ceil(2).max(3);
    for p in doc.paragraphs.iter().take(n) {
        let s = p.span.text(text);
        // "[Outlet Reporter Name]" at the start of a paragraph
        if let (true, Some(close)) = (s.starts_with('['), s.find(']')) {
            let inner = &s[1..close];
            for role in BYLINE_ROLES {
                if let Some(r) = inner.find(&format!("{role} ")) {
                    let from = r + role.len() + 1;
                    if let Some(len) = name_at(&inner[from..]) {
                        let start = p.span.start + 1 + from;
                        return Some(ByteSpan::new(start, start + len));
                    }
                }
            }
        }
        // "By Name" as a line of its own
        if let Some(rest) = s.strip_prefix("By ") {
            if s.split_whitespace().count() <= 8 {
                if let Some(len) = name_at(rest) {
                    let start = p.span.start + 3;
                    return Some(ByteSpan::new(start, start + len));
                }
            }
        }
    }
    None
}

fn outlet(doc: &Document, text: &str) -> Option<ByteSpan> {
    for p in &doc.paragraphs {
        let s = p.span.text(text);
        for a in AGENCIES {
            let tag = format!("({a})");
            if let Some(i) = s[..floor_boundary(s, 80)].find(&tag) {
                let start = p.span.start + i + 1;
                return Some(ByteSpan::new(start, start + a.len()));
            }
        }
    }
    for p in &doc.paragraphs {
        let s = p.span.text(text);
        let Some(rest) = s.strip_prefix("©").or_else(|| s.strip_prefix("Copyright")) else {
            continue;
        };
        let lead = rest.len() - rest.trim_start().len();
        let mut from = s.len() - rest.len() + lead;
        // a year first: "© 2020 Foo"
        let after = &s[from..];
        let digits = after.chars().take_while(char::is_ascii_digit).count();
        if digits == 4 {
            from += 4 + after[4..].len() - after[4..].trim_start().len();
        }
        let holder = &s[from..];
        let end = holder
            .find(['(', '.', ','])
            .unwrap_or(holder.len())
            .min(holder.find(" All rights").unwrap_or(holder.len()));
        let name = holder[..end].trim_end();
        if name.chars().next().is_some_and(char::is_uppercase) {
            let start = p.span.start + from;
            return Some(ByteSpan::new(start, start + name.len()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::standard_stages;

    fn doc(text: &str) -> Document {
        let mut d = Document::new("t", text);
        for s in standard_stages() {
            s.annotate(&mut d).unwrap();
        }
        d
    }

    #[test]
    fn voice_table() {
        let table = [
            ("[Asia Economy Reporter Lim Cheol-young] The talks stalled in May.", Some("Lim Cheol-young")),
            ("By Jane Roe\n\nThe talks stalled in May after a dispute.", Some("Jane Roe")),
            ("SEOUL (Reuters) - The talks stalled in May after a dispute.", Some("Reuters")),
            ("The talks stalled in May.\n\n© The Asia Business Daily(www.asiae.co.kr). All rights reserved.", Some("The Asia Business Daily")),
            ("The talks stalled in May.\n\n© 2020 Acme News Corp. All rights reserved.", Some("Acme News Corp")),
            ("The talks stalled in May after a long dispute.", None),
        ];
        for (text, want) in table {
            let d = doc(text);
            assert_eq!(article_voice(&d).map(|s| s.text(text)), want, "{text}");
        }
    }

    #[test]
    fn candidates_table() {
        let table: &[(&str, &[&str])] = &[
            // byline and dateline cut off
            (
                "[Asia Economy Reporter Lim Cheol-young] The talks have stalled for 11 months.",
                &["The talks have stalled for 11 months."],
            ),
            (
                "SEOUL, Aug. 21 (Reuters) - The talks have stalled for 11 months.",
                &["The talks have stalled for 11 months."],
            ),
            // a sentence holding a direct quote's content is the quote's, not the article's
            (
                "The talks have stalled for 11 months. \"We will not give in,\" Lee said.",
                &["The talks have stalled for 11 months."],
            ),
            // a mixed quote's fragment does not take its sentence away, unless a verb of
            // saying reports it; questions are not claims
            (
                "Trump rejected a \"13% increase\" in April. Will the talks resume?",
                &["Trump rejected a \"13% increase\" in April."],
            ),
            (
                "Zoë Laurent, a baker, said the new rents were \"impossible for us\" this year.",
                &[],
            ),
        ];
        for (text, want) in table {
            let d = doc(text);
            let got: Vec<&str> = candidate_sentences(&d)
                .iter()
                .map(|s| s.text(text))
                .collect();
            assert_eq!(&got, want, "{text}");
        }
    }
}

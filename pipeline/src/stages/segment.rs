//! Paragraph and sentence segmentation, and marking of non-body text.
//!
//! Paragraphs break at blank lines, and at single line breaks unless the next line plainly
//! continues the sentence (starts lowercase after a line with no closing punctuation), so
//! both blank-line and one-line-per-paragraph layouts work. Sentences break after `.`, `?`,
//! `!` or `…` (and any closing quotes or brackets after them) when whitespace and an
//! upper-case letter, digit or opening quote follow, except after abbreviations (`U.S.`,
//! `Dr.`, `Jan.`, initials). `Peninsula?where` (a mis-encoded dash) has no space after the
//! mark and so is not a sentence end; decimals likewise.

use crate::document::{Document, Paragraph, ParagraphRole, Sentence};
use crate::lexicon::OPENER_WORDS;
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};
use once_cell::sync::Lazy;
use regex::Regex;

/// Configuration of [`SentenceSegmenter`].
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct SegmenterConfig {
    /// Paragraphs with at most this many words and no closing punctuation are navigation
    /// (default 3): "Top", "Text Size", "Special Coverage".
    pub max_nav_words: usize,
    /// Paragraphs with no closing punctuation and at most this many words are headlines
    /// (default 40).
    pub max_headline_words: usize,
}

impl Default for SegmenterConfig {
    fn default() -> Self {
        SegmenterConfig {
            max_nav_words: 3,
            max_headline_words: 40,
        }
    }
}

impl SegmenterConfig {
    /// Builds the stage.
    pub fn build(&self) -> SentenceSegmenter {
        SentenceSegmenter {
            config: self.clone(),
        }
    }
}

/// Splits a document into paragraphs (with roles) and sentences.
#[derive(Debug)]
pub struct SentenceSegmenter {
    config: SegmenterConfig,
}

impl Stage for SentenceSegmenter {
    fn name(&self) -> &'static str {
        "segment_sentences"
    }

    fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
        let text = doc.text.as_str();
        let mut paragraphs: Vec<Paragraph> = Vec::new();
        let mut sentences = Vec::new();
        for span in paragraph_spans(text) {
            let mut role = self.role(span.text(text));
            // a short line after a paragraph that is only a quotation attributes it
            // ("Ahmed Karimi, Elm Street resident"): body, not a headline
            if role == ParagraphRole::Headline && span.text(text).split_whitespace().count() <= 12 {
                if let Some(prev) = paragraphs.last() {
                    let pt = prev.span.text(text);
                    if pt.starts_with(OPENERS) && pt.ends_with(CLOSERS) {
                        role = ParagraphRole::Body;
                    }
                }
            }
            let pi = paragraphs.len();
            paragraphs.push(Paragraph { span, role });
            for s in sentence_spans(text, span) {
                sentences.push(Sentence {
                    span: s,
                    paragraph: pi,
                });
            }
        }
        doc.paragraphs = paragraphs;
        doc.sentences = sentences;
        Ok(())
    }
}

const CLOSERS: &[char] = &['"', '\'', '”', '’', '»', ')', ']', '›'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '«', '(', '[', '‹', '„'];

fn ends_sentence(s: &str) -> bool {
    let t = s.trim_end().trim_end_matches(CLOSERS);
    t.ends_with(['.', '!', '?', '…'])
}

/// Paragraph spans of `text`: trimmed, non-empty, sorted, disjoint.
pub fn paragraph_spans(text: &str) -> Vec<ByteSpan> {
    let mut out: Vec<ByteSpan> = Vec::new();
    let mut cur: Option<ByteSpan> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let span = ByteSpan::new(pos, pos + line.len()).trim(text);
        pos += line.len();
        if span.is_empty() {
            out.extend(cur.take());
            continue;
        }
        cur = match cur {
            Some(p) => {
                let prev = p.text(text);
                let starts_lower = span
                    .text(text)
                    .chars()
                    .next()
                    .is_some_and(char::is_lowercase);
                if !ends_sentence(prev) && starts_lower {
                    Some(ByteSpan::new(p.start, span.end))
                } else {
                    out.push(p);
                    Some(span)
                }
            }
            None => Some(span),
        };
    }
    out.extend(cur);
    out
}

static DOTTED: Lazy<Regex> = Lazy::new(|| Regex::new(r"^(?:\p{L}{1,2}\.)*\p{L}{1,2}$").unwrap());

/// Whether a period after `word` (the letters and dots before it) belongs to an
/// abbreviation ("Mr", "Inc", "U.S", a single initial) rather than ending a sentence.
pub(crate) fn is_abbreviation(word: &str) -> bool {
    let lower = word.to_lowercase();
    crate::lexicon::ABBREV_STRONG.contains(&lower.as_str())
        || crate::lexicon::ABBREV_WEAK.contains(&lower.as_str())
        || (word.chars().count() == 1 && word.chars().all(char::is_uppercase))
        || (word.contains('.') && DOTTED.is_match(word))
}

/// Decides whether a period after `word` (the letters and dots before it) may end a sentence
/// followed by `next_word`.
fn period_ends_sentence(word: &str, next_word: &str) -> bool {
    if crate::lexicon::ABBREV_STRONG.contains(&word.to_lowercase().as_str()) {
        return false;
    }
    // weak abbreviations ("Inc."), initials ("J. Smith") and dotted abbreviations ("U.S.",
    // "D.C."): a break only before a typical sentence opener
    !is_abbreviation(word) || OPENER_WORDS.contains(&next_word)
}

/// Sentence spans inside paragraph `para` of `text`: trimmed, non-empty, sorted, disjoint,
/// covering every non-space char of the paragraph.
pub fn sentence_spans(text: &str, para: ByteSpan) -> Vec<ByteSpan> {
    let p = para.text(text);
    let chars: Vec<(usize, char)> = p.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0usize; // byte offset within p
    let mut i = 0;
    while i < chars.len() {
        let (bi, c) = chars[i];
        if !matches!(c, '.' | '?' | '!' | '…') {
            i += 1;
            continue;
        }
        // extend over repeated marks and closers
        let mut j = i + 1;
        while j < chars.len()
            && (matches!(chars[j].1, '.' | '?' | '!' | '…') || CLOSERS.contains(&chars[j].1))
        {
            j += 1;
        }
        let end_b = if j < chars.len() { chars[j].0 } else { p.len() };
        if j >= chars.len() {
            break;
        }
        if !chars[j].1.is_whitespace() {
            i = j;
            continue;
        }
        let mut k = j;
        while k < chars.len() && chars[k].1.is_whitespace() {
            k += 1;
        }
        if k >= chars.len() {
            break;
        }
        let next = chars[k].1;
        let mut is_break = next.is_uppercase() || next.is_numeric() || OPENERS.contains(&next);
        if is_break && c == '.' && j == i + 1 {
            // the word before the period
            let before = &p[..bi];
            let wstart = before
                .rfind(|ch: char| !(ch.is_alphanumeric() || ch == '.'))
                .map(|x| x + before[x..].chars().next().unwrap().len_utf8())
                .unwrap_or(0);
            let word = &before[wstart..];
            let rest = &p[chars[k].0..];
            let next_word: &str = rest
                .split(|ch: char| !ch.is_alphanumeric())
                .next()
                .unwrap_or("");
            if !word.is_empty() && !period_ends_sentence(word, next_word) {
                is_break = false;
            }
        }
        if is_break {
            let s = ByteSpan::new(para.start + start, para.start + end_b).trim(text);
            if !s.is_empty() {
                out.push(s);
            }
            start = chars[k].0;
            i = k;
        } else {
            i = j;
        }
    }
    let s = ByteSpan::new(para.start + start, para.end).trim(text);
    if !s.is_empty() {
        out.push(s);
    }
    out
}

static INNER_END: Lazy<Regex> = Lazy::new(|| Regex::new(r#"\p{Ll}[.?!]["”»’]?\s"#).unwrap());
static COPYRIGHT: Lazy<Regex> =
    Lazy::new(|| Regex::new(r"(?i)©|\bcopyright\b|all rights reserved").unwrap());
static CAPTION: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)\[\s*(image|photo|photograph|picture)\s*(source|credit|by)?\s*[=:]|^\s*(photo|image|caption|file photo)\s*:|\((photo|image)\s*(credit|by|:)[^)]*\)\s*$|\b(getty images|reuters photo|ap photo)\b").unwrap()
});
static SOCIAL: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"(?i)^(join us on|follow us|share (this|on|via)|like us on|subscribe\b|sign up|click here|read more|related( articles| stories)?\b|advertisement|skip to|back to top|print\b|email\b|comments?\b|tweet\b|more from|recommended)").unwrap()
});
static BYLINE: Lazy<Regex> = Lazy::new(|| {
    Regex::new(r"^(?:By|BY|Written by|Reporting by)\s+\p{Lu}[\p{L}.'-]*(?:\s+(?:and\s+)?\p{Lu}[\p{L}.'-]*){0,5}(?:\s*[,|].{0,60})?$|^\[[^\]]{0,80}(?i:reporter|correspondent|staff writer)[^\]]{0,80}\]$").unwrap()
});

impl SentenceSegmenter {
    /// The role of one paragraph's text.
    fn role(&self, p: &str) -> ParagraphRole {
        if COPYRIGHT.is_match(p) || CAPTION.is_match(p) || BYLINE.is_match(p) {
            return ParagraphRole::Boilerplate;
        }
        let words = p.split_whitespace().count();
        let closed = ends_sentence(p);
        if SOCIAL.is_match(p) && words <= 8 {
            return ParagraphRole::Boilerplate;
        }
        if !closed && (words <= self.config.max_nav_words || p.contains('_') && words <= 4) {
            return ParagraphRole::Boilerplate;
        }
        // a headline has no sentence end inside it either ("...anything." — Name is body)
        if !closed && words <= self.config.max_headline_words && !INNER_END.is_match(p) {
            return ParagraphRole::Headline;
        }
        ParagraphRole::Body
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::check_layers;

    fn sentences(text: &str) -> Vec<String> {
        let mut doc = Document::new("t", text);
        SegmenterConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        check_layers(&doc);
        doc.sentences
            .iter()
            .map(|s| doc.slice(s.span).to_string())
            .collect()
    }

    #[test]
    fn sentence_table() {
        let table: &[(&str, &[&str])] = &[
            (
                "The U.S. has shown flexibility. Talks resume.",
                &["The U.S. has shown flexibility.", "Talks resume."],
            ),
            (
                "Dr. Hugh Hill spoke. He left.",
                &["Dr. Hugh Hill spoke.", "He left."],
            ),
            (
                "It rose 3.5 percent on Jan. 4 in Seoul.",
                &["It rose 3.5 percent on Jan. 4 in Seoul."],
            ),
            (
                "J. R. Smith said so. Then he left.",
                &["J. R. Smith said so.", "Then he left."],
            ),
            (
                "He said, \"We won.\" Then he left.",
                &["He said, \"We won.\"", "Then he left."],
            ),
            ("\"Is it over?\" he asked.", &["\"Is it over?\" he asked."]),
            (
                "the Korean Peninsula?where relations are strained?as justification.",
                &["the Korean Peninsula?where relations are strained?as justification."],
            ),
            (
                "It moved to the U.S. The talks stalled.",
                &["It moved to the U.S.", "The talks stalled."],
            ),
            (
                "Acme Inc. said profits rose. Shares fell.",
                &["Acme Inc. said profits rose.", "Shares fell."],
            ),
            (
                "Café owners said «Ça suffit.» Prices fell.",
                &["Café owners said «Ça suffit.»", "Prices fell."],
            ),
            ("😀 Wait… What happened?", &["😀 Wait…", "What happened?"]),
            (
                "Said state Del. Marcia Price: enough. It moved to Dover, Del. The talks stalled.",
                &[
                    "Said state Del. Marcia Price: enough.",
                    "It moved to Dover, Del.",
                    "The talks stalled.",
                ],
            ),
        ];
        for (text, want) in table {
            assert_eq!(&sentences(text), want, "{text}");
        }
    }

    #[test]
    fn paragraphs_and_roles() {
        let text = "Text Size\r\n\r\nTalks Stall Over Costs\r\n\r\nThe talks stalled. Officials said\r\nso on Monday.\r\nA second paragraph.\r\n\r\n© The Daily. All rights reserved.\r\n\r\nThe US [Image source=Yonhap News]";
        let mut doc = Document::new("t", text);
        SegmenterConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        check_layers(&doc);
        let got: Vec<(&str, ParagraphRole)> = doc
            .paragraphs
            .iter()
            .map(|p| (doc.slice(p.span), p.role))
            .collect();
        assert_eq!(
            got,
            vec![
                ("Text Size", ParagraphRole::Boilerplate),
                ("Talks Stall Over Costs", ParagraphRole::Headline),
                (
                    "The talks stalled. Officials said\r\nso on Monday.",
                    ParagraphRole::Body
                ),
                ("A second paragraph.", ParagraphRole::Body),
                (
                    "© The Daily. All rights reserved.",
                    ParagraphRole::Boilerplate
                ),
                (
                    "The US [Image source=Yonhap News]",
                    ParagraphRole::Boilerplate
                ),
            ]
        );
    }
}

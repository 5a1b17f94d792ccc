//! PolNeAR's span conventions: every attribution's cue and sources written the way PolNeAR
//! annotates them. The rules find the bare verb and the bare noun phrase, the tagger learned
//! PolNeAR's spans; this stage makes the two agree (`is once again questioning`, `said
//! Friday`, `According to`, `talked about`, `The GOP nominee`, an appositive's closing comma),
//! with or without models. Reads and writes the quote layer; turned off with
//! `conventions.polnear = false`, which leaves the spans as the stages before found them.

use crate::document::{Document, Quote};
use crate::lexicon::{CUE_DAYS, CUE_PREFIX, CUE_PREPOSITIONS, CUE_TAKES_FOR, SOURCE_ARTICLES};
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};

/// Configuration of [`SpanConventions`].
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct SpanConventionsConfig {
    /// Write cues and sources in PolNeAR's conventions (default true: the accuracy figures
    /// are PolNeAR's).
    pub polnear: bool,
}

impl Default for SpanConventionsConfig {
    fn default() -> Self {
        SpanConventionsConfig { polnear: true }
    }
}

impl SpanConventionsConfig {
    /// Builds the stage.
    pub fn build(&self) -> SpanConventions {
        SpanConventions {
            config: self.clone(),
        }
    }
}

/// Rewrites cue and source spans in a span convention (PolNeAR's, the one there is).
#[derive(Debug)]
pub struct SpanConventions {
    config: SpanConventionsConfig,
}

impl Stage for SpanConventions {
    fn name(&self) -> &'static str {
        "apply_span_conventions"
    }

    fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
        if self.config.polnear {
            span_conventions(doc);
        }
        Ok(())
    }
}

/// The word right before byte `pos`, separated from it by spaces only (no line break).
fn word_before(text: &str, pos: usize) -> Option<ByteSpan> {
    let head = &text[..pos];
    let trimmed = head.trim_end_matches([' ', '\u{a0}']);
    if trimmed.len() == head.len() && pos > 0 {
        // "’s claiming": a clitic touches the previous word, not the verb
        return None;
    }
    let start = trimmed
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || matches!(c, '’' | '\'' | '-'))
        .last()
        .map(|(i, _)| i)?;
    // "’s" alone is the clitic of the word before it
    let w = &trimmed[start..];
    let clitic = ["’s", "'s"]
        .iter()
        .find(|c| w.ends_with(*c) && w.len() > c.len());
    let start = clitic.map_or(start, |c| trimmed.len() - c.len());
    Some(ByteSpan::new(start, trimmed.len()))
}

/// The word right after byte `pos`, separated from it by spaces only.
fn word_after(text: &str, pos: usize) -> Option<ByteSpan> {
    let tail = &text[pos..];
    let rest = tail.trim_start_matches([' ', '\u{a0}']);
    if rest.len() == tail.len() {
        return None;
    }
    let start = pos + (tail.len() - rest.len());
    let len: usize = rest
        .char_indices()
        .take_while(|(_, c)| c.is_alphanumeric())
        .map(|(_, c)| c.len_utf8())
        .sum();
    (len > 0).then(|| ByteSpan::new(start, start + len))
}

/// Writes every attribution's cue and sources the way PolNeAR annotates them (the rules
/// find the bare verb and the bare noun phrase): auxiliaries and adverbs right before a cue
/// and a weekday right after it belong to the cue, "According" takes its "to", "call"
/// and "ask" take "for"; a determiner right before a source belongs to it, and so does the
/// comma that closes a source's appositive ("Brian Fallon, the campaign's press
/// secretary,"). A span never grows into the quote's own contents.
pub fn span_conventions(doc: &mut Document) {
    let text = doc.text.as_str();
    for q in &mut doc.quotes {
        // a word that any span of the quote holds is not free to take (the span growing
        // never overlaps itself: the word lies outside it)
        let free = |w: ByteSpan, q: &Quote| {
            !q.contents
                .iter()
                .chain(&q.sources)
                .chain(q.cue.as_ref())
                .any(|x| x.overlaps(w))
        };
        if let Some(mut cue) = q.cue {
            while let Some(w) = word_before(text, cue.start) {
                if !CUE_PREFIX.contains(&w.text(text)) || !free(w, q) {
                    break;
                }
                cue.start = w.start;
            }
            let verb = cue
                .text(text)
                .rsplit(' ')
                .next()
                .unwrap_or("")
                .to_lowercase();
            if let Some(w) = word_after(text, cue.end) {
                let wt = w.text(text);
                let takes = (verb == "according" && wt == "to")
                    || (wt == "for" && CUE_TAKES_FOR.contains(&verb.as_str()))
                    || CUE_DAYS.contains(&wt);
                if takes && free(w, q) {
                    cue.end = w.end;
                }
            }
            // a content right after its cue that opens with a preposition gives it up
            for c in &mut q.contents {
                if cue.end > c.start || !text[cue.end..c.start].trim().is_empty() {
                    continue;
                }
                let t = c.text(text);
                let w = t.split(' ').next().unwrap_or("");
                let rest = t[w.len()..].trim_start();
                if CUE_PREPOSITIONS.contains(&w.to_lowercase().as_str())
                    && rest.chars().next().is_some_and(char::is_alphanumeric)
                {
                    cue.end = c.start + w.len();
                    c.start = c.end - rest.len();
                }
            }
            q.cue = Some(cue);
        }
        // a content ends before the sentence's own punctuation (PolNeAR train: a content is
        // followed by `.` `,` `;` ~13,400 times and ends with one ~630 times); a quotation
        // keeps its marks and what they hold
        for c in &mut q.contents {
            let t = c.text(text);
            let Some(last) = t.chars().last().filter(|l| matches!(l, '.' | ',' | ';')) else {
                continue;
            };
            if t.starts_with(['"', '“', '«', '‘', '\'']) {
                continue; // a quotation run on over paragraphs, open at this one's end
            }
            let body = &t[..t.len() - 1];
            let word = body.rsplit([' ', '(', '\n']).next().unwrap_or("");
            if last == '.' && crate::stages::segment::is_abbreviation(word) {
                continue;
            }
            let trimmed = ByteSpan::new(c.start, c.start + body.len()).trim(text);
            if !trimmed.is_empty() {
                *c = trimmed;
            }
        }
        for k in 0..q.sources.len() {
            let mut s = q.sources[k];
            if let Some(w) = word_before(text, s.start) {
                let det = SOURCE_ARTICLES.contains(&w.text(text));
                if det && free(w, q) {
                    s.start = w.start;
                }
            }
            if s.text(text).contains(", ")
                && text[s.end..].starts_with(',')
                && free(ByteSpan::new(s.end, s.end + 1), q)
            {
                s.end += 1;
            }
            q.sources[k] = s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::QuoteKind;
    use crate::testutil::at_in;

    #[test]
    fn spans_follow_polnear_conventions() {
        // (text, cue before, cue after, source before, source after)
        let rows: &[(&str, &str, &str, &str, &str)] = &[
            (
                "The GOP nominee then said Friday that taxes rose.",
                "said",
                "then said Friday",
                "GOP nominee",
                "The GOP nominee",
            ),
            (
                "Brian Fallon, the campaign’s press secretary, is once again questioning that it works.",
                "questioning",
                "is once again questioning",
                "Brian Fallon, the campaign’s press secretary",
                "Brian Fallon, the campaign’s press secretary,",
            ),
            (
                "According to Kim Lee, rents rose.",
                "According",
                "According to",
                "Kim Lee",
                "Kim Lee",
            ),
            (
                "Unions called for a strike.",
                "called",
                "called for",
                "Unions",
                "Unions",
            ),
        ];
        for &(text, cue, cue_after, src, src_after) in rows {
            let at = |s: &str| at_in(text, s);
            let mut doc = Document::new("t", text);
            let last = text.rfind(['.']).unwrap();
            let content = ByteSpan::new(
                text.rfind("rose")
                    .or(text.find("a strike"))
                    .or(text.find("that"))
                    .unwrap(),
                last,
            );
            doc.quotes.push(Quote {
                kind: QuoteKind::Indirect,
                cue: Some(at(cue)),
                sources: vec![at(src)],
                contents: vec![content],
                speaker: None,
                confidence: 0.8,
                continues: None,
            });
            span_conventions(&mut doc);
            let q = &doc.quotes[0];
            assert_eq!(doc.slice(q.cue.unwrap()), cue_after, "{text}");
            assert_eq!(doc.slice(q.sources[0]), src_after, "{text}");
        }
        // a content opening with a preposition right after its cue gives it to the cue;
        // one with a cue elsewhere keeps it
        let text = "Ana Ruiz warned about the tax hike. On taxes, Ruiz said, she was clear.";
        let at = |s: &str| at_in(text, s);
        let mut doc = Document::new("t", text);
        for (cue, src, content) in [
            ("warned", "Ana Ruiz", "about the tax hike"),
            ("said", "Ruiz", "On taxes"),
        ] {
            doc.quotes.push(Quote {
                kind: QuoteKind::Indirect,
                cue: Some(at(cue)),
                sources: vec![at(src)],
                contents: vec![at(content)],
                speaker: None,
                confidence: 0.8,
                continues: None,
            });
        }
        span_conventions(&mut doc);
        let got: Vec<(&str, &str)> = doc
            .quotes
            .iter()
            .map(|q| (doc.slice(q.cue.unwrap()), doc.slice(q.contents[0])))
            .collect();
        assert_eq!(
            got,
            vec![("warned about", "the tax hike"), ("said", "On taxes")]
        );
        // a content gives up the sentence's closing punctuation, not an abbreviation's period
        // nor a quotation's
        let text =
            "Lee said the plan failed. Kim said it began in the U.S. Ruiz said it was “over.” Li said: “It is.";
        let mut doc = Document::new("t", text);
        for (cue, content) in [
            ("Lee said", "the plan failed."),
            ("Kim said", "it began in the U.S."),
            ("Ruiz said", "it was “over.”"),
            ("Li said", "“It is."),
        ] {
            doc.quotes.push(Quote {
                kind: QuoteKind::Indirect,
                cue: Some(at_in(text, cue)),
                sources: vec![],
                contents: vec![at_in(text, content)],
                speaker: None,
                confidence: 0.8,
                continues: None,
            });
        }
        span_conventions(&mut doc);
        let got: Vec<&str> = doc
            .quotes
            .iter()
            .map(|q| doc.slice(q.contents[0]))
            .collect();
        assert_eq!(
            got,
            vec![
                "the plan failed",
                "it began in the U.S.",
                "it was “over.”",
                "“It is."
            ]
        );
    }

    #[test]
    fn the_stage_applies_the_conventions_only_when_asked() {
        let text = "The GOP nominee then said Friday that taxes rose.";
        for (polnear, cue, source) in [
            (true, "then said Friday", "The GOP nominee"),
            (false, "said", "GOP nominee"),
        ] {
            let mut doc = Document::new("t", text);
            doc.quotes.push(Quote {
                kind: QuoteKind::Indirect,
                cue: Some(at_in(text, "said")),
                sources: vec![at_in(text, "GOP nominee")],
                contents: vec![at_in(text, "that taxes rose")],
                speaker: None,
                confidence: 0.8,
                continues: None,
            });
            let stage = SpanConventionsConfig { polnear }.build();
            stage.annotate(&mut doc).unwrap();
            crate::testutil::check_layers(&doc);
            let q = &doc.quotes[0];
            assert_eq!(doc.slice(q.cue.unwrap()), cue);
            assert_eq!(doc.slice(q.sources[0]), source);
        }
    }
}

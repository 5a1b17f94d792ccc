//! Speech cues: where a reporting verb or phrase (`said`, `told reporters`, `according to`)
//! stands in a token sequence, and where it is a noun or a name instead (`the report`,
//! `Hope`). The lists are [`crate::lexicon`]'s.

use crate::grammar::tokens::Tok;
use crate::lexicon::{
    is_cue_word, CUE_PHRASES, NOUN_DETERMINERS, SOURCE_PRONOUNS, VERBAL_BEFORE_GERUND,
};
use crate::span::ByteSpan;

/// The token's text, lowercased.
pub(crate) fn lower(text: &str, t: &Tok) -> String {
    t.text(text).to_lowercase()
}

/// A cue at token `i`: its span and token count.
pub(crate) fn cue_at(text: &str, toks: &[Tok], i: usize) -> Option<(ByteSpan, usize)> {
    if !toks[i].word {
        return None;
    }
    for ph in CUE_PHRASES {
        if i + ph.len() <= toks.len()
            && ph
                .iter()
                .enumerate()
                .all(|(k, w)| lower(text, &toks[i + k]) == *w)
        {
            return Some((
                ByteSpan::new(toks[i].span.start, toks[i + ph.len() - 1].span.end),
                ph.len(),
            ));
        }
    }
    let w = lower(text, &toks[i]);
    if !is_cue_word(&w) {
        return None;
    }
    // nouns spelled like cues: "the report", "his comments", "a claim"
    if i > 0 {
        let p = lower(text, &toks[i - 1]);
        let det = NOUN_DETERMINERS.contains(&p.as_str()) || p.ends_with("'s") || p.ends_with("’s");
        if det {
            return None;
        }
    }
    // a gerund after a plain word is a noun ("a video briefing"); after punctuation, an
    // auxiliary, "by" or a subject it is a verb ("adding", "was saying", "by claiming")
    if w.ends_with("ing") && i > 0 && toks[i - 1].word {
        let p = toks[i - 1].text(text);
        let pl = p.to_lowercase();
        let verbal = VERBAL_BEFORE_GERUND.contains(&pl.as_str())
            || SOURCE_PRONOUNS.contains(&pl.as_str())
            || p.chars().next().is_some_and(char::is_uppercase);
        if !verbal {
            return None;
        }
    }
    // a capitalised cue mid-sentence is a name ("Hope", "Said")
    if i > 0
        && toks[i]
            .text(text)
            .chars()
            .next()
            .is_some_and(char::is_uppercase)
    {
        return None;
    }
    Some((toks[i].span, 1))
}

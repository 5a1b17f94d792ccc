//! The noun-phrase chunker the rule stages read sources and subjects with: a name, a
//! pronoun, or a description with a role or group noun (`Clark Cooper, U.S. Deputy Assistant
//! Secretary`, `union officials`), found before a cue (scanning back) or after one; and where
//! a reported clause starts and a subject ends. Token-level heuristics over
//! [`crate::lexicon`]'s lists, no parser.

use crate::grammar::cues::lower;
use crate::grammar::tokens::Tok;
use crate::lexicon::{
    is_cue_word, AUX_ADVERBS, CLAUSE_OPENERS, GROUP_NOUNS, NOT_CLAUSE_OPENERS, NOT_MODIFIERS,
    NOT_NAMES, NOT_SOURCE_STARTS, NP_CONNECTORS, ROLE_NOUNS, SOURCE_DETERMINERS, SOURCE_MODIFIERS,
    SOURCE_PRONOUNS, TIME_WORDS, TITLE_MODIFIERS, TITLE_WORDS,
};

/// A noun phrase that can be a source: a name, a personal pronoun, or a description with a
/// role or group noun.
pub(crate) fn valid_source(text: &str, toks: &[Tok]) -> bool {
    if toks.is_empty() || toks.len() > 25 {
        return false;
    }
    if toks.len() == 1 {
        let w = lower(text, &toks[0]);
        if SOURCE_PRONOUNS.contains(&w.as_str()) {
            return true;
        }
    }
    let first = lower(text, &toks[0]);
    if NOT_SOURCE_STARTS.contains(&first.as_str()) {
        return false;
    }
    toks.iter().any(|t| {
        let w = t.text(text);
        let l = w.to_lowercase();
        (t.word && w.chars().next().is_some_and(char::is_uppercase) && !NOT_NAMES.contains(w))
            || ROLE_NOUNS.contains(l.as_str())
            || GROUP_NOUNS.contains(l.as_str())
    })
}

/// Token `k` can belong to a source noun phrase: an [`np_word`], a noun modifying a role
/// noun after it ("council member", "city engineer", "union officials"), or the apostrophe of
/// a plural possessive ("the farmers' association").
pub(crate) fn np_at(text: &str, toks: &[Tok], k: usize) -> bool {
    let t = &toks[k];
    if np_word(text, t) {
        return true;
    }
    // a word that is no name alone opens one before a capitalised word ("The New York
    // Times", "First Lady Jill Biden")
    if matches!(t.text(text), "New" | "Old" | "First" | "Special" | "Top")
        && toks.get(k + 1).is_some_and(|n| {
            np_word(text, n) && n.text(text).chars().next().is_some_and(char::is_uppercase)
        })
    {
        return true;
    }
    if !t.word {
        return matches!(t.text(text), "'" | "’")
            && k > 0
            && toks[k - 1].word
            && toks[k - 1].text(text).ends_with('s')
            && k + 1 < toks.len()
            && np_word(text, &toks[k + 1]);
    }
    let l = lower(text, t);
    let role_at = |j: usize| {
        toks.get(j).is_some_and(|n| {
            let nl = lower(text, n);
            ROLE_NOUNS.contains(nl.as_str())
                || GROUP_NOUNS.contains(nl.as_str())
                || (j + 1 < toks.len() && matches!(n.text(text), "'" | "’"))
        })
    };
    let plain = |j: usize| {
        toks.get(j).is_some_and(|n| {
            let nl = lower(text, n);
            n.word
                && nl.chars().all(char::is_alphabetic)
                && !NOT_MODIFIERS.contains(&nl.as_str())
                && !is_cue_word(&nl)
        })
    };
    // one or two modifiers before the role noun ("provincial health minister")
    let next_role = role_at(k + 1) || (plain(k + 1) && role_at(k + 2));
    next_role
        && l.chars().all(char::is_alphabetic)
        && !NOT_MODIFIERS.contains(&l.as_str())
        && !is_cue_word(&l)
}

/// A word that can be part of a source noun phrase: a capitalised word that is a name or a
/// title, a role, group or title-modifier noun, a determiner, a possessive, a number, or an
/// institutional modifier (`White House`, `federal`, `former`).
pub(crate) fn np_word(text: &str, t: &Tok) -> bool {
    if !t.word {
        return false;
    }
    let w = t.text(text);
    let l = w.to_lowercase();
    let cap = w.chars().next().is_some_and(char::is_uppercase);
    (cap && (!NOT_NAMES.contains(w)
        || TITLE_WORDS.contains(w)
        || SOURCE_DETERMINERS.contains(&l.as_str())))
        || ROLE_NOUNS.contains(l.as_str())
        || GROUP_NOUNS.contains(l.as_str())
        || TITLE_MODIFIERS.contains(&l.as_str())
        || SOURCE_DETERMINERS.contains(&l.as_str())
        || l.ends_with("'s")
        || l.ends_with("’s")
        || w.chars().all(|c| c.is_ascii_digit())
        || SOURCE_MODIFIERS.contains(&l.as_str())
}

/// The source noun phrase that ends right before token `end` (exclusive), not reaching back
/// before token `floor`: `(first token, last token)`, appositive included.
pub(crate) fn np_before(
    text: &str,
    toks: &[Tok],
    floor: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let mut k = end;
    // adverbs, auxiliaries and a time phrase between subject and cue ("Ward on Thursday
    // called", "officials last week said")
    while k > floor {
        let l = lower(text, &toks[k - 1]);
        if AUX_ADVERBS.contains(&l.as_str()) || TIME_WORDS.contains(&l.as_str()) {
            k -= 1;
        } else {
            break;
        }
    }
    if k == floor {
        return None;
    }
    let last = k - 1;
    // a lone pronoun
    let lw = lower(text, &toks[last]);
    if SOURCE_PRONOUNS.contains(&lw.as_str()) {
        return Some((last, last));
    }
    // "Cooper, who said" → the NP before ", who"
    let mut head_end = last;
    if lw == "who" && last >= floor + 2 && toks[last - 1].text(text) == "," {
        head_end = last - 2;
    }
    // appositive: "Name, appositive, CUE"
    let mut app_start = None;
    if toks[head_end].text(text) == "," && head_end > floor + 1 {
        let mut j = head_end - 1;
        while j > floor && toks[j].text(text) != "," && head_end - j <= 18 {
            if matches!(toks[j].text(text), "." | ";" | ":" | "\"" | "“" | "”") {
                break;
            }
            j -= 1;
        }
        if toks[j].text(text) == "," && j > floor {
            app_start = Some(j);
            head_end = j - 1;
        } else {
            return None;
        }
    }
    // the head NP, scanning back
    let mut s = head_end + 1;
    while s > floor {
        let t = &toks[s - 1];
        if np_at(text, toks, s - 1) {
            s -= 1;
            continue;
        }
        let l = lower(text, t);
        if t.word
            && NP_CONNECTORS.contains(&l.as_str())
            && s - 1 > floor
            && np_word(text, &toks[s - 2])
            && s <= head_end
        {
            s -= 1;
            continue;
        }
        if matches!(t.text(text), "-" | "&") && s - 1 > floor {
            s -= 1;
            continue;
        }
        break;
    }
    // drop connectors and stray determiners at the front
    while s <= head_end && NP_CONNECTORS.contains(&lower(text, &toks[s]).as_str()) {
        s += 1;
    }
    if s > head_end {
        return None;
    }
    let span_end = if app_start.is_some() {
        last - 1
    } else {
        head_end
    };
    let span_end = if lw == "who" { head_end } else { span_end };
    if !valid_source(text, &toks[s..=head_end]) {
        return None;
    }
    Some((s, span_end))
}

/// The source noun phrase that starts at token `start`, for `said Jane Doe, a spokeswoman`:
/// `(first, last)`.
pub(crate) fn np_after(
    text: &str,
    toks: &[Tok],
    start: usize,
    limit: usize,
) -> Option<(usize, usize)> {
    np_after_opt(text, toks, start, limit, true)
}

/// [`np_after`], with or without a trailing appositive.
pub(crate) fn np_after_opt(
    text: &str,
    toks: &[Tok],
    start: usize,
    limit: usize,
    appositive: bool,
) -> Option<(usize, usize)> {
    if start >= limit {
        return None;
    }
    if SOURCE_PRONOUNS.contains(&lower(text, &toks[start]).as_str()) {
        return Some((start, start));
    }
    let mut e = start;
    while e < limit
        && (np_at(text, toks, e)
            || (e > start && matches!(toks[e].text(text), "-" | "&"))
            || (e > start
                && NP_CONNECTORS.contains(&lower(text, &toks[e]).as_str())
                && e + 1 < limit
                && np_word(text, &toks[e + 1])))
    {
        e += 1;
    }
    if e == start || !valid_source(text, &toks[start..e]) {
        return None;
    }
    let mut last = e - 1;
    // appositive to the sentence end or the next comma
    if appositive && e < limit && toks[e].text(text) == "," {
        let mut j = e + 1;
        while j < limit && j - e <= 12 && np_or_connector(text, &toks[j]) {
            j += 1;
        }
        let has_role = toks[e + 1..j].iter().any(|t| {
            let l = lower(text, t);
            ROLE_NOUNS.contains(l.as_str())
                || GROUP_NOUNS.contains(l.as_str())
                || TITLE_WORDS.contains(t.text(text))
        });
        if has_role && j > e + 1 && (j == limit || matches!(toks[j].text(text), "," | "." | ";")) {
            last = j - 1;
        }
    }
    Some((start, last))
}

/// A word an appositive after a source may hold: a noun-phrase word, a connector, or a
/// lowercase word of three letters or more.
pub(crate) fn np_or_connector(text: &str, t: &Tok) -> bool {
    np_word(text, t)
        || (t.word && NP_CONNECTORS.contains(&lower(text, t).as_str()))
        || (t.word
            && t.text(text).chars().next().is_some_and(char::is_lowercase)
            && t.text(text).len() > 2)
}

/// True when token `j` can open a reported clause: a pronoun, determiner or name.
pub(crate) fn starts_clause(text: &str, toks: &[Tok], j: usize) -> bool {
    let w = toks[j].text(text);
    let l = w.to_lowercase();
    // "said patients now wait": a plain noun opens the clause too, but not a preposition,
    // adverb or conjunction ("said on Monday", "said quickly")
    let plain_noun = toks[j].word
        && l.chars().all(char::is_alphabetic)
        && !l.ends_with("ly")
        && !NOT_CLAUSE_OPENERS.contains(&l.as_str())
        && !is_cue_word(&l);
    if plain_noun {
        return true;
    }
    CLAUSE_OPENERS.contains(&l.as_str())
        || (toks[j].word
            && w.chars().next().is_some_and(char::is_uppercase)
            && !NOT_NAMES.contains(w))
}

/// The last token of the sentence subject in the noun phrase `a..=b`: it stops before a
/// past-tense verb the phrase ran into ("The company| angered the union by claiming ..."),
/// a word in -ed right after a word that is no determiner ("a retired teacher" stays whole).
pub(crate) fn subject_end(text: &str, toks: &[Tok], a: usize, b: usize) -> usize {
    (a + 1..=b)
        .find(|&k| {
            let w = toks[k].text(text);
            toks[k].word
                && w.len() > 4
                && w.ends_with("ed")
                && w.chars().all(|c| c.is_lowercase())
                && !SOURCE_DETERMINERS.contains(&lower(text, &toks[k - 1]).as_str())
        })
        .map_or(b, |k| k - 1)
}

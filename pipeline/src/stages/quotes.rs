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

use crate::document::{reorder_quotes, sort_quotes, Document, ParagraphRole, Quote, QuoteKind};
use crate::lexicon::{
    is_cue_word, AUX_ADVERBS, BARE_COMPLEMENT, CUE_PHRASES, GROUP_NOUNS, NOT_NAMES, OBJECT_CUES,
    ROLE_NOUNS, TITLE_MODIFIERS, TITLE_WORDS,
};
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};
use crate::tokens::{is_dash_char, is_dash_token, tokenize, Tok};

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

/// How an attribution was found; fixes the confidence prior.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pattern {
    /// A cue and an explicit source in the quote's sentence.
    CueAndSource,
    /// A participle cue ("adding") inheriting the sentence's source.
    SharedSource,
    /// A colon lead-in, a dash before a name, or a pull-quote name line; the colon or dash is
    /// the cue where there is one.
    LeadIn,
    /// A short attribution sentence right after the quote.
    NextSentence,
    /// The previous speaker's turn continues.
    Continued,
    /// No speaker found; the quote stands alone.
    Unattributed,
}

impl Pattern {
    /// The confidence prior of the pattern, in `[0, 1]`: explicit cue and source 0.9,
    /// shared source 0.85, lead-ins 0.8, next-sentence 0.75, continued turns 0.6, none 0.4;
    /// mixed quotes −0.1, indirect speech −0.15.
    pub fn confidence(&self, kind: QuoteKind) -> f32 {
        let base: f32 = match self {
            Pattern::CueAndSource => 0.9,
            Pattern::SharedSource => 0.85,
            Pattern::LeadIn => 0.8,
            Pattern::NextSentence => 0.75,
            Pattern::Continued => 0.6,
            Pattern::Unattributed => 0.4,
        };
        match kind {
            QuoteKind::Direct => base,
            QuoteKind::Mixed => base - 0.1,
            QuoteKind::Indirect => base - 0.15,
        }
    }
}

/// Text inside quotation marks, possibly over several paragraphs.
#[derive(Clone, Debug)]
struct Marked {
    /// Byte offset of the opening mark.
    open: usize,
    /// Inner text per paragraph (without marks), trimmed.
    contents: Vec<ByteSpan>,
    /// The same pieces with their quotation marks, as PolNeAR annotates content spans.
    outer: Vec<ByteSpan>,
    /// Byte offset just after the closing mark (or the end of the last paragraph).
    close_end: usize,
    /// Byte offset of the closing mark, when there is one.
    close: Option<usize>,
}

fn is_double_open(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}
fn is_double_close(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Whether the chars at `idx` are a doubled apostrophe, `''`: the straight double quotation
/// mark of some wire and archive texts (The New York Times' feeds write
/// `''It's debasing,'' she said`). It opens and closes like `"`.
fn is_doubled_apostrophe(chars: &[(usize, char)], idx: usize) -> bool {
    chars[idx].1 == '\'' && chars.get(idx + 1).is_some_and(|x| x.1 == '\'')
}

/// Finds quotation-marked spans in the analysed paragraphs of `doc`.
fn find_marked(doc: &Document) -> Vec<Marked> {
    let text = doc.text.as_str();
    let mut out = Vec::new();
    // an open quote carried into the next paragraph
    let mut carry: Option<Marked> = None;
    for para in &doc.paragraphs {
        if !para.role.is_analysed() {
            if let Some(m) = carry.take() {
                out.push(m);
            }
            continue;
        }
        let p = para.span.text(text);
        let base = para.span.start;
        let chars: Vec<(usize, char)> = p.char_indices().collect();
        let mut start_i = 0;
        let mut cur: Option<(usize, bool)> = None; // (byte of open mark, straight?)
        if let Some(mut m) = carry.take() {
            // the paragraph must open with a mark to continue the quote
            match chars.first() {
                Some(&(_, c))
                    if c == '"' || is_double_open(c) || is_doubled_apostrophe(&chars, 0) =>
                {
                    cur = Some((base, !is_double_open(c)));
                    m.close = None;
                    carry = Some(m);
                    start_i = if c == '\'' { 2 } else { 1 };
                }
                _ => out.push(m),
            }
        }
        let mut single: Option<usize> = None; // open single mark at top level
        let mut skip_to = start_i; // the second apostrophe of a doubled one is not a mark
        for idx in start_i..chars.len() {
            if idx < skip_to {
                continue;
            }
            let (b, c0) = chars[idx];
            // a doubled apostrophe reads as one straight double mark; `'''` closing a quote
            // within a quote closes the single one first, so the double mark is the last two
            let doubled = is_doubled_apostrophe(&chars, idx)
                && !(cur.is_some() && is_doubled_apostrophe(&chars, idx + 1));
            let c = if doubled { '"' } else { c0 };
            let width = if doubled { 2 } else { c.len_utf8() };
            if doubled {
                skip_to = idx + 2;
            }
            let prev = if idx == 0 {
                None
            } else {
                Some(chars[idx - 1].1)
            };
            let next = chars
                .get(if doubled { idx + 2 } else { idx + 1 })
                .map(|x| x.1);
            let after_space = prev.is_none_or(|p| {
                p.is_whitespace() || is_dash_char(p) || matches!(p, '(' | '[' | ':' | '‘' | '\'')
            });
            match cur {
                None => {
                    if c == '"' || is_double_open(c) {
                        if c == '"' && !after_space {
                            continue; // a stray closing mark
                        }
                        cur = Some((base + b, c == '"'));
                        single = None;
                    } else if c == '”' && after_space && next.is_some_and(char::is_alphanumeric) {
                        // a closing mark that opens a word opens the quote: a typo of edited
                        // copy (`”Mr. Trump embodies ...” ― Sonya Herridge`), and how Swedish
                        // and Finnish write every opening mark
                        cur = Some((base + b, true));
                        single = None;
                    } else if (c == '‘' || c == '\'')
                        && after_space
                        && next.is_some_and(|n| n.is_alphanumeric())
                    {
                        single = Some(base + b);
                    } else if (c == '’' || c == '\'')
                        && single.is_some()
                        && !next.is_some_and(|n| n.is_alphanumeric())
                    {
                        let o = single.take().unwrap();
                        let inner = ByteSpan::new(o + mark_len(text, o), base + b).trim(text);
                        if !inner.is_empty() {
                            out.push(Marked {
                                open: o,
                                contents: vec![inner],
                                outer: vec![ByteSpan::new(o, base + b + c.len_utf8())],
                                close_end: base + b + c.len_utf8(),
                                close: Some(base + b),
                            });
                        }
                    }
                }
                Some((o, straight)) => {
                    // a straight opening mark may close curly: edited copy mixes them
                    // (`"But Pete Wilson won,” Axelrod said.`, 150 of 840 PolNeAR train
                    // articles hold both kinds)
                    let closes = if straight {
                        (c == '"' && !(after_space && next.is_some_and(|n| n.is_alphanumeric())))
                            || is_double_close(c)
                    } else {
                        is_double_close(c) || c == '"'
                    };
                    if closes {
                        let inner = ByteSpan::new(o + mark_len(text, o), base + b).trim(text);
                        let mut m = carry.take().unwrap_or(Marked {
                            open: o,
                            contents: vec![],
                            outer: vec![],
                            close_end: 0,
                            close: None,
                        });
                        if !inner.is_empty() {
                            m.contents.push(inner);
                            m.outer.push(ByteSpan::new(o, base + b + width));
                        }
                        m.close = Some(base + b);
                        m.close_end = base + b + width;
                        if !m.contents.is_empty() {
                            out.push(m);
                        }
                        cur = None;
                    }
                }
            }
        }
        if let Some((o, _)) = cur {
            // unclosed at paragraph end: maybe continued by the next paragraph
            let inner = ByteSpan::new(o + mark_len(text, o), para.span.end).trim(text);
            let mut m = carry.take().unwrap_or(Marked {
                open: o,
                contents: vec![],
                outer: vec![],
                close_end: 0,
                close: None,
            });
            if !inner.is_empty() {
                m.contents.push(inner);
                m.outer.push(ByteSpan::new(o, para.span.end).trim(text));
            }
            m.close_end = para.span.end;
            m.close = None;
            carry = Some(m);
        }
    }
    if let Some(m) = carry.take() {
        out.push(m);
    }
    out.retain(|m| !m.contents.is_empty());
    out.sort_by_key(|m| m.open);
    out
}

/// A nickname inside a name, `Marcia "Cia" Price`: one or two capitalised words in marks,
/// right between two capitalised words. Not a quotation.
fn is_nickname(text: &str, m: &Marked) -> bool {
    let [inner] = m.contents[..] else {
        return false;
    };
    if m.close.is_none() {
        return false; // an unclosed mark runs on: a quotation
    }
    let words: Vec<&str> = inner.text(text).split_whitespace().collect();
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
    };
    let before = text[..m.open]
        .strip_suffix(' ')
        .and_then(|b| b.split(' ').next_back());
    let after = text[m.close_end..]
        .strip_prefix(' ')
        .and_then(|a| a.split(' ').next());
    (1..=2).contains(&words.len())
        && words.iter().all(|w| capitalised(w))
        && before.is_some_and(capitalised)
        && after.is_some_and(|a| capitalised(a.trim_end_matches([',', '.', '\''])))
}

/// Double quotation marks in `s`, a doubled apostrophe counting as one.
pub fn double_marks(s: &str) -> usize {
    s.replace("''", "\"")
        .chars()
        .filter(|c| matches!(c, '"' | '“' | '”' | '«' | '»' | '„'))
        .count()
}

/// Bytes of the quotation mark at `at` (2 for a doubled apostrophe).
fn mark_len(text: &str, at: usize) -> usize {
    if text[at..].starts_with("''") {
        return 2;
    }
    text[at..].chars().next().map_or(1, char::len_utf8)
}

fn lower(text: &str, t: &Tok) -> String {
    t.text(text).to_lowercase()
}

/// A cue at token `i`: its span and token count.
fn cue_at(text: &str, toks: &[Tok], i: usize) -> Option<(ByteSpan, usize)> {
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
        let det = matches!(
            p.as_str(),
            "the"
                | "a"
                | "an"
                | "his"
                | "her"
                | "their"
                | "its"
                | "our"
                | "my"
                | "your"
                | "this"
                | "these"
                | "those"
                | "of"
                | "no"
                | "any"
                | "such"
                | "whose"
        ) || p.ends_with("'s")
            || p.ends_with("’s");
        if det {
            return None;
        }
    }
    // a gerund after a plain word is a noun ("a video briefing"); after punctuation, an
    // auxiliary, "by" or a subject it is a verb ("adding", "was saying", "by claiming")
    if w.ends_with("ing") && i > 0 && toks[i - 1].word {
        let p = toks[i - 1].text(text);
        let pl = p.to_lowercase();
        let verbal = matches!(
            pl.as_str(),
            "by" | "while"
                | "after"
                | "before"
                | "when"
                | "is"
                | "was"
                | "were"
                | "are"
                | "been"
                | "be"
                | "am"
                | "also"
                | "again"
                | "repeatedly"
                | "publicly"
                | "then"
                | "in"
        ) || PRONOUNS.contains(&pl.as_str())
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

const PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "you"];
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "some", "many", "several", "most", "other", "two", "three", "four", "five",
    "both", "all", "one", "few", "his", "her", "their", "its", "our", "another", "various",
    "numerous", "senior", "top", "these", "those", "more", "us", "ten", "six",
];
const NP_CONNECTORS: &[&str] = &["of", "for", "at", "from", "in", "and", "with", "on"];

/// A noun phrase that can be a source: a name, a personal pronoun, or a description with a
/// role or group noun.
fn valid_source(text: &str, toks: &[Tok]) -> bool {
    if toks.is_empty() || toks.len() > 25 {
        return false;
    }
    if toks.len() == 1 {
        let w = lower(text, &toks[0]);
        if PRONOUNS.contains(&w.as_str()) {
            return true;
        }
    }
    let first = lower(text, &toks[0]);
    if matches!(
        first.as_str(),
        "this" | "it" | "which" | "that" | "there" | "what"
    ) {
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

/// Words of a time phrase that may stand between a subject and its cue.
const TIME_WORDS: &[&str] = &[
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "last",
    "this",
    "week",
    "month",
    "year",
    "earlier",
    "morning",
    "afternoon",
    "evening",
    "night",
    "weekend",
];

/// Words that never modify a role noun ("said spokesman", "in office").
const NOT_MODIFIERS: &[&str] = &[
    "and", "or", "but", "in", "on", "at", "to", "of", "for", "with", "by", "from", "as", "that",
    "which", "who", "is", "was", "were", "are", "be", "been", "has", "had", "have", "not", "it",
    "this", "than", "then", "when", "while", "if", "because", "so", "also", "told",
];

/// Token `k` can belong to a source noun phrase: an [`np_word`], a noun modifying a role
/// noun after it ("council member", "city engineer", "union officials"), or the apostrophe of
/// a plural possessive ("the farmers' association").
fn np_at(text: &str, toks: &[Tok], k: usize) -> bool {
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

fn np_word(text: &str, t: &Tok) -> bool {
    if !t.word {
        return false;
    }
    let w = t.text(text);
    let l = w.to_lowercase();
    let cap = w.chars().next().is_some_and(char::is_uppercase);
    (cap && (!NOT_NAMES.contains(w)
        || TITLE_WORDS.contains(w)
        || DETERMINERS.contains(&l.as_str())))
        || ROLE_NOUNS.contains(l.as_str())
        || GROUP_NOUNS.contains(l.as_str())
        || TITLE_MODIFIERS.contains(&l.as_str())
        || DETERMINERS.contains(&l.as_str())
        || l.ends_with("'s")
        || l.ends_with("’s")
        || w.chars().all(|c| c.is_ascii_digit())
        || matches!(
            l.as_str(),
            "white"
                | "house"
                | "state"
                | "foreign"
                | "defense"
                | "defence"
                | "military"
                | "government"
                | "administration"
                | "campaign"
                | "party"
                | "company"
                | "ministry"
                | "press"
                | "news"
                | "local"
                | "federal"
                | "national"
                | "international"
                | "independent"
                | "unnamed"
                | "anonymous"
                | "other"
                | "u.s."
                | "american"
                | "korean"
                | "chinese"
                | "japanese"
                | "european"
                | "democratic"
                | "republican"
                | "opposition"
                | "ruling"
                | "prominent"
                | "leading"
                | "outside"
                | "former"
        )
}

/// The source noun phrase that ends right before token `end` (exclusive), not reaching back
/// before token `floor`: `(first token, last token)`, appositive included.
fn np_before(text: &str, toks: &[Tok], floor: usize, end: usize) -> Option<(usize, usize)> {
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
    if PRONOUNS.contains(&lw.as_str()) {
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
fn np_after(text: &str, toks: &[Tok], start: usize, limit: usize) -> Option<(usize, usize)> {
    np_after_opt(text, toks, start, limit, true)
}

/// [`np_after`], with or without a trailing appositive.
fn np_after_opt(
    text: &str,
    toks: &[Tok],
    start: usize,
    limit: usize,
    appositive: bool,
) -> Option<(usize, usize)> {
    if start >= limit {
        return None;
    }
    if PRONOUNS.contains(&lower(text, &toks[start]).as_str()) {
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

fn np_or_connector(text: &str, t: &Tok) -> bool {
    np_word(text, t)
        || (t.word && NP_CONNECTORS.contains(&lower(text, t).as_str()))
        || (t.word
            && t.text(text).chars().next().is_some_and(char::is_lowercase)
            && t.text(text).len() > 2)
}

struct Attribution {
    cue: Option<ByteSpan>,
    sources: Vec<ByteSpan>,
    pattern: Pattern,
    /// the quote is embedded in narration (a fragment after a cue)
    fragment: bool,
}

fn span_of(toks: &[Tok], a: usize, b: usize) -> ByteSpan {
    ByteSpan::new(toks[a].span.start, toks[b].span.end)
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

            let attr = self
                .after_quote(text, &ctoks, after, limit, ends_clause)
                .or_else(|| {
                    self.before_quote(
                        text,
                        &toks,
                        floor,
                        open_tok,
                        &quotes,
                        prev_end,
                        sent.span.start,
                        starts_upper && clause_start,
                    )
                })
                .or_else(|| lead_in(text, &toks, floor, open_tok))
                .or_else(|| {
                    (toks[..open_tok].iter().all(|t| !t.word))
                        .then(|| self.lead_in_paragraph(doc, si, &quotes))
                        .flatten()
                })
                .or_else(|| dash_after(text, &ctoks, after, limit))
                .or_else(|| pull_quote(doc, m))
                .or_else(|| next_sentence(doc, close_si, m.close_end));
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

impl QuoteTagger {
    /// A paragraph that opens with the quote after a paragraph ending in a colon lead-in
    /// (`Caddell continued:` / `The New York Times reports:` / `Cooper:`, then the quote as
    /// its own paragraph): the cue (with its colon, as PolNeAR annotates it) and source of
    /// that sentence. `si` is the quote's sentence, the first of its paragraph.
    fn lead_in_paragraph(
        &self,
        doc: &Document,
        si: usize,
        quotes: &[Quote],
    ) -> Option<Attribution> {
        let text = doc.text.as_str();
        let sent = doc.sentences.get(si)?;
        let prev = doc.sentences.get(si.checked_sub(1)?)?;
        if prev.paragraph + 1 != sent.paragraph
            || doc.paragraphs[sent.paragraph].span.start != sent.span.start
        {
            return None;
        }
        let ptoks = tokenize(text, prev.span);
        let colon = ptoks.len().checked_sub(1)?;
        if ptoks[colon].text(text) != ":" {
            return None;
        }
        self.before_quote(
            text,
            &ptoks,
            0,
            colon + 1,
            quotes,
            prev.span.start,
            prev.span.start,
            true,
        )
        .or_else(|| lead_in(text, &ptoks, 0, colon + 1))
    }

    /// `"...," he said` / `"...," said Jane Doe, a spokeswoman`.
    fn after_quote(
        &self,
        text: &str,
        toks: &[Tok],
        after: usize,
        limit: usize,
        ends_clause: bool,
    ) -> Option<Attribution> {
        if !ends_clause {
            return None;
        }
        let mut i = after;
        if i < limit && toks[i].text(text) == "," {
            i += 1;
        }
        if i >= limit {
            return None;
        }
        // CUE SOURCE
        if let Some((cue, n)) = cue_at(text, toks, i) {
            if let Some((a, b)) = np_after(text, toks, i + n, limit) {
                return Some(Attribution {
                    cue: Some(cue),
                    sources: vec![span_of(toks, a, b)],
                    pattern: Pattern::CueAndSource,
                    fragment: false,
                });
            }
        }
        // SOURCE CUE: scan a few tokens for the cue
        for c in i + 1..limit.min(i + 14) {
            if let Some((cue, _)) = cue_at(text, toks, c) {
                if let Some((a, b)) = np_before(text, toks, i, c) {
                    if a == i {
                        return Some(Attribution {
                            cue: Some(cue),
                            sources: vec![span_of(toks, a, b)],
                            pattern: Pattern::CueAndSource,
                            fragment: false,
                        });
                    }
                }
                return None;
            }
        }
        None
    }

    /// A cue before the quote in its sentence, with the subject before the cue.
    #[allow(clippy::too_many_arguments)]
    fn before_quote(
        &self,
        text: &str,
        toks: &[Tok],
        floor: usize,
        open_tok: usize,
        quotes: &[Quote],
        prev_end: usize,
        sent_start: usize,
        clause_quote: bool,
    ) -> Option<Attribution> {
        let lo = floor.max(open_tok.saturating_sub(self.config.max_cue_gap));
        for c in (lo..open_tok).rev() {
            let Some((cue, n)) = cue_at(text, toks, c) else {
                continue;
            };
            // "continued:" — a colon right after the cue belongs to it
            let cue = match toks.get(c + n) {
                Some(t) if t.text(text) == ":" && c + n + 1 == open_tok => {
                    ByteSpan::new(cue.start, t.span.end)
                }
                _ => cue,
            };
            // what lies between cue and quote decides mixed vs direct
            let between: Vec<String> = toks[c + n..open_tok]
                .iter()
                .map(|t| lower(text, t))
                .collect();
            let fragment = !clause_quote
                || between.last().is_some_and(|w| {
                    matches!(
                        w.as_str(),
                        "of" | "that" | "as" | "the" | "a" | "on" | "about" | "for" | "to"
                    )
                });
            if let Some((a, b)) = np_before(text, toks, floor, c) {
                return Some(Attribution {
                    cue: Some(cue),
                    sources: vec![span_of(toks, a, b)],
                    pattern: Pattern::CueAndSource,
                    fragment,
                });
            }
            // inverted: `said Smith, "..."`
            if let Some((a, b)) = np_after(text, toks, c + n, open_tok) {
                if !PRONOUNS.contains(&lower(text, &toks[a]).as_str()) || a == c + n {
                    return Some(Attribution {
                        cue: Some(cue),
                        sources: vec![span_of(toks, a, b)],
                        pattern: Pattern::CueAndSource,
                        fragment,
                    });
                }
            }
            // participle cue right after an earlier quote: share its source
            let at_region_start = c == floor
                || (c == floor + 1
                    && matches!(
                        lower(text, &toks[floor]).as_str(),
                        "and" | "," | "then" | "but"
                    ));
            if at_region_start && prev_end > sent_start {
                if let Some(prev) = quotes.last() {
                    if !prev.sources.is_empty() {
                        return Some(Attribution {
                            cue: Some(cue),
                            sources: prev.sources.clone(),
                            pattern: Pattern::SharedSource,
                            fragment,
                        });
                    }
                }
            }
            // no subject for this cue: look further back
        }
        None
    }

    /// Indirect speech: cue + complement outside quotation marks.
    fn indirect(&self, doc: &Document, marked: &[Marked]) -> Vec<Quote> {
        let text = doc.text.as_str();
        let mut out = Vec::new();
        // inside some quotation: one opening at or before `pos` closes after it; with the marks
        // sorted by opening, the running maximum of their ends answers that in O(log n)
        debug_assert!(marked.windows(2).all(|w| w[0].open <= w[1].open));
        let mut max_end = 0;
        let reach: Vec<(usize, usize)> = marked
            .iter()
            .map(|m| {
                max_end = max_end.max(m.close_end);
                (m.open, max_end)
            })
            .collect();
        let in_marks = |pos: usize| {
            let k = reach.partition_point(|&(open, _)| open <= pos);
            k > 0 && pos < reach[k - 1].1
        };
        let mut taken = std::collections::BTreeMap::new();
        for sent in &doc.sentences {
            if doc.paragraphs[sent.paragraph].role != ParagraphRole::Body {
                continue;
            }
            let toks = tokenize(text, sent.span);
            let n = toks.len();
            // end of the complement: the sentence end without closing punctuation
            let mut end_tok = n;
            while end_tok > 0
                && !toks[end_tok - 1].word
                && !matches!(toks[end_tok - 1].text(text), "”" | "\"" | ")" | "%")
            {
                end_tok -= 1;
            }
            let mut last_source: Option<ByteSpan> = None;
            let mut i = 0;
            while i < n {
                if in_marks(toks[i].span.start) {
                    i += 1;
                    continue;
                }
                // according to X, CLAUSE / CLAUSE, according to X
                if lower(text, &toks[i]) == "according"
                    && i + 1 < n
                    && lower(text, &toks[i + 1]) == "to"
                {
                    let cue = span_of(&toks, i, i + 1);
                    if let Some((a, b)) = np_after_opt(text, &toks, i + 2, end_tok, false) {
                        let source = span_of(&toks, a, b);
                        let content = if i > 0 && b + 1 >= end_tok {
                            // CLAUSE, according to X.
                            let mut e = i;
                            while e > 0 && !toks[e - 1].word {
                                e -= 1;
                            }
                            (e >= 3).then(|| span_of(&toks, 0, e - 1))
                        } else if b + 2 < end_tok && toks[b + 1].text(text) == "," {
                            // "According to the Herald, Burrows said ...": the clause has its
                            // own speaker, who said it
                            let own_cue =
                                (b + 2..end_tok).any(|k| cue_at(text, &toks, k).is_some());
                            (!own_cue).then(|| span_of(&toks, b + 2, end_tok - 1))
                        } else {
                            None
                        };
                        if let Some(c) = content {
                            self.push_indirect(
                                &mut out, &mut taken, &reach, doc, marked, cue, source, c,
                            );
                        }
                        i = b + 1;
                        continue;
                    }
                }
                let Some((cue, cn)) = cue_at(text, &toks, i) else {
                    i += 1;
                    continue;
                };
                let cw = lower(text, &toks[i]);
                let mut j = i + cn;
                // told reporters that / told the AP that
                // "told reporters that", "said in a statement that": a short object or
                // prepositional phrase between cue and "that"
                {
                    let mut k = j;
                    let max = if OBJECT_CUES.contains(&cw) { 7 } else { 5 };
                    while k < n
                        && k - j < max
                        && lower(text, &toks[k]) != "that"
                        && toks[k].word
                        && !is_cue_word(&lower(text, &toks[k]))
                    {
                        k += 1;
                    }
                    if k < n && lower(text, &toks[k]) == "that" {
                        j = k;
                    }
                }
                let has_that = j < n && lower(text, &toks[j]) == "that";
                let bare_ok =
                    BARE_COMPLEMENT.contains(&cw) && j < n && starts_clause(text, &toks, j);
                if !(has_that || bare_ok) {
                    i += 1;
                    continue;
                }
                // PolNeAR's content spans include the complementizer "that"
                let cstart = j;
                if cstart >= end_tok {
                    i += 1;
                    continue;
                }
                // the source: the subject before the cue, or after "by" the sentence subject
                let by_gerund = i > 0 && lower(text, &toks[i - 1]) == "by" && cw.ends_with("ing");
                let participle = cw.ends_with("ing") && i > 0 && toks[i - 1].text(text) == ",";
                let subject = || {
                    np_after(text, &toks, 0, n)
                        .map(|(a, b)| span_of(&toks, a, subject_end(text, &toks, a, b)))
                };
                let source = if by_gerund {
                    subject()
                } else if participle {
                    last_source.or_else(subject)
                } else {
                    np_before(text, &toks, 0, i).map(|(a, b)| span_of(&toks, a, b))
                };
                let Some(source) = source else {
                    i += 1;
                    continue;
                };
                // the complement ends at the sentence end, before a following ", implying that",
                // and for "by claiming that" at the next comma
                let mut cend = end_tok;
                for k in cstart..end_tok {
                    let t = toks[k].text(text);
                    if t == "," && k + 1 < end_tok {
                        let nw = lower(text, &toks[k + 1]);
                        if by_gerund
                            || (nw.ends_with("ing") && is_cue_word(&nw))
                            || nw == "according"
                        {
                            cend = k;
                            break;
                        }
                    }
                }
                if cend <= cstart {
                    i += 1;
                    continue;
                }
                let content = span_of(&toks, cstart, cend - 1);
                if content.text(text).split_whitespace().count() >= 3 {
                    self.push_indirect(
                        &mut out, &mut taken, &reach, doc, marked, cue, source, content,
                    );
                    last_source = Some(source);
                }
                i = cend.max(i + 1);
            }
            // CLAUSE, SOURCE CUE.  /  CLAUSE, CUE SOURCE.
            if let Some(q) = trailing_attribution(text, &toks, end_tok) {
                if !in_marks(q.1.start) {
                    self.push_indirect(&mut out, &mut taken, &reach, doc, marked, q.0, q.2, q.1);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn push_indirect(
        &self,
        out: &mut Vec<Quote>,
        taken: &mut std::collections::BTreeMap<usize, usize>,
        reach: &[(usize, usize)],
        doc: &Document,
        marked: &[Marked],
        cue: ByteSpan,
        source: ByteSpan,
        content: ByteSpan,
    ) {
        let content = content.trim_with(&doc.text, &[',', ';', ':']);
        if content.is_empty() {
            return;
        }
        // content holding a quotation-marked span is a mixed quote already tagged: the marks
        // opening before the content's end, back while one of them still reaches into it
        let mut k = reach.partition_point(|&(open, _)| open < content.end);
        while k > 0 && reach[k - 1].1 > content.start {
            if marked[k - 1].contents.iter().any(|c| c.overlaps(content)) {
                return;
            }
            k -= 1;
        }
        // the indirect contents so far are disjoint (an overlapping one is never added): the
        // one starting last before this content's end is the only one that can overlap it
        if taken
            .range(..content.end)
            .next_back()
            .is_some_and(|(_, &end)| end > content.start)
        {
            return;
        }
        taken.insert(content.start, content.end);
        out.push(Quote {
            kind: QuoteKind::Indirect,
            cue: Some(cue),
            sources: vec![source],
            contents: vec![content],
            speaker: None,
            confidence: Pattern::CueAndSource.confidence(QuoteKind::Indirect),
            continues: None,
        });
    }
}

/// True when token `j` can open a reported clause: a pronoun, determiner or name.
fn starts_clause(text: &str, toks: &[Tok], j: usize) -> bool {
    let w = toks[j].text(text);
    let l = w.to_lowercase();
    // "said patients now wait": a plain noun opens the clause too, but not a preposition,
    // adverb or conjunction ("said on Monday", "said quickly")
    let plain_noun = toks[j].word
        && l.chars().all(char::is_alphabetic)
        && !l.ends_with("ly")
        && !matches!(
            l.as_str(),
            "in" | "on"
                | "at"
                | "during"
                | "after"
                | "before"
                | "to"
                | "with"
                | "by"
                | "for"
                | "of"
                | "from"
                | "about"
                | "and"
                | "but"
                | "or"
                | "so"
                | "nothing"
                | "something"
                | "yes"
                | "no"
                | "goodbye"
                | "hello"
                | "sorry"
                | "thanks"
                | "what"
                | "why"
                | "how"
                | "when"
                | "where"
                | "whether"
                | "if"
                | "as"
        )
        && !is_cue_word(&l);
    if plain_noun {
        return true;
    }
    matches!(
        l.as_str(),
        "he" | "she"
            | "they"
            | "we"
            | "i"
            | "it"
            | "the"
            | "this"
            | "there"
            | "his"
            | "her"
            | "their"
            | "its"
            | "our"
            | "a"
            | "an"
            | "some"
            | "no"
            | "both"
            | "all"
            | "many"
    ) || (toks[j].word
        && w.chars().next().is_some_and(char::is_uppercase)
        && !NOT_NAMES.contains(w))
}

/// The last token of the sentence subject in the noun phrase `a..=b`: it stops before a
/// past-tense verb the phrase ran into ("The company| angered the union by claiming ..."),
/// a word in -ed right after a word that is no determiner ("a retired teacher" stays whole).
fn subject_end(text: &str, toks: &[Tok], a: usize, b: usize) -> usize {
    (a + 1..=b)
        .find(|&k| {
            let w = toks[k].text(text);
            toks[k].word
                && w.len() > 4
                && w.ends_with("ed")
                && w.chars().all(|c| c.is_lowercase())
                && !DETERMINERS.contains(&lower(text, &toks[k - 1]).as_str())
        })
        .map_or(b, |k| k - 1)
}

/// `The talks failed, officials said.` → (cue, content, source).
fn trailing_attribution(
    text: &str,
    toks: &[Tok],
    end_tok: usize,
) -> Option<(ByteSpan, ByteSpan, ByteSpan)> {
    let comma = (0..end_tok)
        .rev()
        .take(12)
        .find(|&k| toks[k].text(text) == ",")?;
    if comma < 4 {
        return None;
    }
    let tail = comma + 1;
    // SOURCE CUE [adverbs]
    for c in tail..end_tok {
        if let Some((cue, n)) = cue_at(text, toks, c) {
            let rest_ok = toks[c + n..end_tok].iter().all(|t| {
                t.word
                    && (AUX_ADVERBS.contains(&lower(text, t).as_str())
                        || lower(text, t) == "reporters"
                        || lower(text, t).ends_with("ly")
                        || lower(text, t) == "on"
                        || lower(text, t)
                            .chars()
                            .next()
                            .is_some_and(char::is_alphabetic))
            });
            if !rest_ok || end_tok - (c + n) > 4 {
                return None;
            }
            let src = if c > tail {
                np_before(text, toks, tail, c).filter(|(a, _)| *a == tail)
            } else {
                np_after(text, toks, c + n, end_tok)
            }?;
            let content = span_of(toks, 0, comma - 1);
            return Some((cue, content, span_of(toks, src.0, src.1)));
        }
    }
    None
}

/// `Deputy Assistant Secretary Cooper: "..."`.
fn lead_in(text: &str, toks: &[Tok], floor: usize, open_tok: usize) -> Option<Attribution> {
    if open_tok == 0 || toks[open_tok - 1].text(text) != ":" {
        return None;
    }
    let (a, b) = np_before(text, toks, floor, open_tok - 1)?;
    if open_tok - 1 - a > 12 {
        return None;
    }
    // the colon itself is the cue, as PolNeAR annotates it
    Some(Attribution {
        cue: Some(toks[open_tok - 1].span),
        sources: vec![span_of(toks, a, b)],
        pattern: Pattern::LeadIn,
        fragment: false,
    })
}

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
fn transcript_turns(doc: &Document, quotes: &mut Vec<Quote>) {
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

/// `"..." — Jane Doe`, `"...”― Jane Doe` (any dash, [`is_dash_token`], or `--`). The dash is the
/// cue, as PolNeAR annotates it: it is the only word of the text that says who spoke.
fn dash_after(text: &str, toks: &[Tok], after: usize, limit: usize) -> Option<Attribution> {
    if after >= limit || !is_dash_token(toks[after].text(text)) {
        return None;
    }
    let mut i = after + 1;
    while i < limit && toks[i].text(text) == "-" {
        i += 1;
    }
    let dash = span_of(toks, after, i - 1);
    let (a, b) = np_after(text, toks, i, limit)?;
    Some(Attribution {
        cue: Some(dash),
        sources: vec![span_of(toks, a, b)],
        pattern: Pattern::LeadIn,
        fragment: false,
    })
}

/// A quote that is its whole paragraph, followed by a short `Name, Title` line.
fn pull_quote(doc: &Document, m: &Marked) -> Option<Attribution> {
    let text = doc.text.as_str();
    let pi = doc.paragraph_at(m.open)?;
    let p = &doc.paragraphs[pi];
    if p.span.start != m.open || m.close_end < p.span.end {
        return None;
    }
    let next = doc.paragraphs.get(pi + 1)?;
    let line = next.span.text(text);
    let words = line.split_whitespace().count();
    if words > 12 || line.ends_with(['.', '!', '?']) {
        return None;
    }
    let toks = tokenize(text, next.span);
    let mut start = 0;
    while start < toks.len() && is_dash_token(toks[start].text(text)) {
        start += 1;
    }
    let (a, _) = np_after(text, &toks, start, toks.len())?;
    let first = toks[a].text(text);
    if !first.chars().next().is_some_and(char::is_uppercase) {
        return None;
    }
    Some(Attribution {
        // a dash before the name is the cue, as in `dash_after`
        cue: (start > 0).then(|| span_of(&toks, 0, start - 1)),
        sources: vec![span_of(&toks, a, toks.len() - 1)],
        pattern: Pattern::LeadIn,
        fragment: false,
    })
}

/// `"We will win." Smith said confidently.` — the next sentence is only an attribution.
fn next_sentence(doc: &Document, si: usize, close_end: usize) -> Option<Attribution> {
    let text = doc.text.as_str();
    let s = doc.sentences.get(si + 1)?;
    if s.paragraph != doc.sentences[si].paragraph || s.span.start < close_end {
        return None;
    }
    let toks = tokenize(text, s.span);
    if toks.len() > 10 {
        return None;
    }
    for c in 1..toks.len() {
        if let Some((cue, n)) = cue_at(text, &toks, c) {
            let (a, b) = np_before(text, &toks, 0, c)?;
            if a != 0 {
                return None;
            }
            let rest = &toks[c + n..];
            if rest.iter().any(|t| {
                t.word
                    && !lower(text, t).ends_with("ly")
                    && !AUX_ADVERBS.contains(&lower(text, t).as_str())
            }) {
                return None;
            }
            return Some(Attribution {
                cue: Some(cue),
                sources: vec![span_of(&toks, a, b)],
                pattern: Pattern::NextSentence,
                fragment: false,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::entities::EntityTaggerConfig;
    use crate::stages::segment::SegmenterConfig;
    use crate::testutil::check_layers;

    /// (kind, cue, sources, contents) of every quote.
    /// (type, cue, sources, contents) of a quote.
    type Row = (&'static str, Option<String>, Vec<String>, Vec<String>);

    fn quotes(text: &str) -> Vec<Row> {
        let mut doc = Document::new("t", text);
        SegmenterConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        EntityTaggerConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        QuoteTaggerConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        check_layers(&doc);
        doc.quotes
            .iter()
            .map(|q| {
                (
                    q.kind.as_str(),
                    q.cue.map(|c| doc.slice(c).to_string()),
                    q.sources
                        .iter()
                        .map(|s| doc.slice(*s).to_string())
                        .collect(),
                    q.contents
                        .iter()
                        .map(|s| doc.slice(*s).to_string())
                        .collect(),
                )
            })
            .collect()
    }

    fn q(kind: &'static str, cue: Option<&str>, src: &[&str], contents: &[&str]) -> Row {
        (
            kind,
            cue.map(String::from),
            src.iter().map(|s| s.to_string()).collect(),
            contents.iter().map(|s| s.to_string()).collect(),
        )
    }

    #[test]
    fn direct_quote_table() {
        let table = vec![
            // a colon lead-in as a paragraph of its own, the quote the next paragraph
            (
                "The race was close.\n\nCaddell continued:\n\n\"The health issue is partisan. It is in their heads.\"",
                vec![q(
                    "direct",
                    Some("continued:"),
                    &["Caddell"],
                    &["\"The health issue is partisan. It is in their heads.\""],
                )],
            ),
            (
                "The New York Times reports:\n\n\"Just 24 percent of the contributors gave $200 or less.\"",
                vec![q(
                    "direct",
                    Some("reports:"),
                    &["The New York Times"],
                    &["\"Just 24 percent of the contributors gave $200 or less.\""],
                )],
            ),
            (
                "\"We will win,\" he said.",
                vec![q("direct", Some("said"), &["he"], &["\"We will win,\""])],
            ),
            (
                "\"But Pete Wilson won,” Axelrod said. \"I know,” Henry said.",
                vec![
                    q(
                        "direct",
                        Some("said"),
                        &["Axelrod"],
                        &["\"But Pete Wilson won,”"],
                    ),
                    q("direct", Some("said"), &["Henry"], &["\"I know,”"]),
                ],
            ),
            (
                "“We will win,” said Jane Doe, a spokeswoman.",
                vec![q(
                    "direct",
                    Some("said"),
                    &["Jane Doe, a spokeswoman"],
                    &["“We will win,”"],
                )],
            ),
            (
                "Hugh Hill, a doctor, said: «Rest is best.»",
                vec![q(
                    "direct",
                    Some("said:"),
                    &["Hugh Hill, a doctor"],
                    &["«Rest is best.»"],
                )],
            ),
            (
                "The mayor sighed, \"It is 'over' now.\"",
                vec![q(
                    "direct",
                    Some("sighed"),
                    &["The mayor"],
                    &["\"It is 'over' now.\""],
                )],
            ),
            (
                "Deputy Assistant Secretary Cooper: \"Costs Rise Again\"",
                vec![q(
                    "direct",
                    Some(":"),
                    &["Deputy Assistant Secretary Cooper"],
                    &["\"Costs Rise Again\""],
                )],
            ),
            (
                "\"Never again.\" — Jane Doe",
                vec![q("direct", Some("—"), &["Jane Doe"], &["\"Never again.\""])],
            ),
            // the subject of a "by claiming" attribution stops before its own verb
            (
                "The company angered the union by claiming that wages were the main cause, and it left.",
                vec![q(
                    "indirect",
                    Some("claiming"),
                    &["The company"],
                    &["that wages were the main cause"],
                )],
            ),
            // a nickname in marks is no quote (the source still stops at its marks)
            (
                "State Del. Marcia \"Cia\" Price shouted: \"The nation is watching.\"",
                vec![q(
                    "direct",
                    Some("shouted:"),
                    &["Price"],
                    &["\"The nation is watching.\""],
                )],
            ),
            (
                "”He represents our greatest shame.” ― Sonya Herridge",
                vec![q(
                    "direct",
                    Some("―"),
                    &["Sonya Herridge"],
                    &["”He represents our greatest shame.”"],
                )],
            ),
            (
                "“He makes simple blanket statements.”― Pamela Padilla",
                vec![q(
                    "direct",
                    Some("―"),
                    &["Pamela Padilla"],
                    &["“He makes simple blanket statements.”"],
                )],
            ),
            (
                "\"We stay.\" -- Ann Lee",
                vec![q("direct", Some("--"), &["Ann Lee"], &["\"We stay.\""])],
            ),
            (
                "He also reiterated, \"The U.S. has shown considerable flexibility.\"",
                vec![q(
                    "direct",
                    Some("reiterated"),
                    &["He"],
                    &["\"The U.S. has shown considerable flexibility.\""],
                )],
            ),
            (
                "Smith raised the issue of \"burden sharing\" at the talks.",
                vec![q(
                    "mixed",
                    Some("raised the issue of"),
                    &["Smith"],
                    &["\"burden sharing\""],
                )],
            ),
            ("The plan was called a \"win-win\" deal.", vec![]),
            (
                "''It's debasing,'' said Menaka Guruswamy. ''It is really sad for all of us.''",
                vec![q(
                    "direct",
                    Some("said"),
                    &["Menaka Guruswamy"],
                    &["''It's debasing,''", "''It is really sad for all of us.''"],
                )],
            ),
            (
                "''We hear 'Kosovo is special,''' he said.",
                vec![q(
                    "direct",
                    Some("said"),
                    &["he"],
                    &["''We hear 'Kosovo is special,'''"],
                )],
            ),
            ("The voters' 'hope' stayed.", vec![]),
        ];
        for (text, want) in table {
            assert_eq!(quotes(text), want, "{text}");
        }
    }

    #[test]
    fn participle_cue_shares_the_source() {
        let got = quotes("Clark Cooper, a U.S. envoy, stated during a briefing on the 20th, \"There was a pause,\" adding, \"Talks have not stopped.\"");
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].2, vec!["Clark Cooper, a U.S. envoy"]);
        assert_eq!(got[1].1.as_deref(), Some("adding"));
        assert_eq!(got[1].2, got[0].2);
    }

    #[test]
    fn quote_over_paragraphs() {
        let text = "Smith said: \"The first part goes on.\n\n\"The second part ends here.\"\n\nThen he left.";
        let got = quotes(text);
        assert_eq!(
            got,
            vec![q(
                "direct",
                Some("said:"),
                &["Smith"],
                &[
                    "\"The first part goes on.",
                    "\"The second part ends here.\""
                ]
            )]
        );
    }

    #[test]
    fn indirect_speech_table() {
        let table = vec![
            (
                "Some analysts suggest that the talks have moved beyond the working level.",
                vec![q(
                    "indirect",
                    Some("suggest"),
                    &["Some analysts"],
                    &["that the talks have moved beyond the working level"],
                )],
            ),
            (
                "The minister told reporters that the plan would cost 3.5 billion dollars.",
                vec![q(
                    "indirect",
                    Some("told"),
                    &["The minister"],
                    &["that the plan would cost 3.5 billion dollars"],
                )],
            ),
            (
                "According to the police, the suspect fled on foot.",
                vec![q(
                    "indirect",
                    Some("According to"),
                    &["the police"],
                    &["the suspect fled on foot"],
                )],
            ),
            // the clause's own speaker said it
            (
                "According to the New Zealand Herald, Professor John Burrows said the flag was never open to choice.",
                vec![q(
                    "indirect",
                    Some("said"),
                    &["Professor John Burrows"],
                    &["the flag was never open to choice"],
                )],
            ),
            (
                "The bridge will close in May, officials said.",
                vec![q(
                    "indirect",
                    Some("said"),
                    &["officials"],
                    &["The bridge will close in May"],
                )],
            ),
            ("The report was long.", vec![]),
        ];
        for (text, want) in table {
            assert_eq!(quotes(text), want, "{text}");
        }
    }

    #[test]
    fn transcript_turns_are_attributed_to_their_labels() {
        let text = "Chris Wallace interviewed Mike Pence on Sunday.\n\n\"WALLACE: Let’s start with the debate. Will she be there?\n\n\"PENCE: Well, look, this is serious business.\n\nNOTE: this is not a turn because it is no speaker.";
        let got = quotes(text);
        assert!(
            got.contains(&q(
                "direct",
                Some(":"),
                &["WALLACE"],
                &["Let’s start with the debate. Will she be there?"]
            )),
            "{got:?}"
        );
        assert!(
            got.contains(&q(
                "direct",
                Some(":"),
                &["PENCE"],
                &["Well, look, this is serious business."]
            )),
            "{got:?}"
        );
        // no quote keeps the label inside its content; a note is no speaker
        assert!(!got
            .iter()
            .any(|r| r.3.iter().any(|c| c.contains("WALLACE:"))));
        assert!(
            !got.iter().any(|r| r.2.contains(&"NOTE".to_string())),
            "{got:?}"
        );
    }
}

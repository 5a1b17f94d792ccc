//! The entity head's names brought to the conventions names follow everywhere in claimex
//! (those of the gold, `claimex_models::gum`): text rules over code points, applied to the
//! head's raw spans before they are mapped into the document ([`super::take_model_names`]),
//! and by training and `claimex eval entities` before scoring, so both see the names the
//! entity stage receives.
//!
//! Reads: the text and one head's [`RawSpan`]s. Writes: nothing (returns the tidied spans).

use crate::document::EntityType::{self, Gpe, Org, Person};
use crate::lexicon::{
    is_title_word, name_head, NameHead, DEMONYMS, NAME_JOINERS, NOT_NAMES, ORG_HEADS, PLACES,
};
use crate::tagged::RawSpan;

/// A name of the entity head in code points, typed.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Name {
    kind: EntityType,
    /// First code point.
    start: usize,
    /// One past the last code point.
    end: usize,
    /// Mean probability of its tags.
    score: f32,
}

/// Brings the entity head's names to the conventions names follow everywhere in claimex
/// (those of the gold, `claimex_models::gum`), where the tagger's wordpiece tags miss them:
///
/// - a name never runs over a line break ("Coron" heading a paragraph that opens "Coron
///   ..." is two names);
/// - an initial ends with its period ("Kirk M." of "Kirk M. Bart", "U. S."), and two names
///   of one type touching or with only a space between them are one name: the tagger's
///   occasional `B` inside a name ("Mark|Tedeschi", "Hartsell-|Gundy") splits what no text
///   writes apart;
/// - a name begins with a capitalised word ("researcher Mu Li" → "Mu Li") and does not end
///   with a connector ("National Library of"). A common noun after a name stays: the
///   pipeline reads "the South Korean government" and "Elm Street resident" whole (GUM's
///   gold has "Zotero" in "Zotero library", a miss we accept);
/// - a person's name starts after its titles and honorifics ("Justice Scalia" → "Scalia",
///   "GEN. PRELOGAR" → "PRELOGAR"); a person span that is only titles is dropped;
/// - a name takes the capitalised words that make it an organisation's or a place's
///   ("United States| Congress", "Medical Journal of |Australia", "Court| of Appeal":
///   [`name_head`]), never after a person's name; a person's name takes its initials ("K.
///   |Michael Stevens"); two places or two organisations with only "of" between are one
///   ("Cape of Good Hope"); a person's name of several words that the gazetteer calls a
///   place ("United States") or that such a head word ends ("War Office") is retyped;
/// - an abbreviation the text defines after a tagged long form ("the World Health
///   Organisation (WHO)") names the same thing wherever it or the long form stands;
/// - so a span without a capital letter ("states", "the press") is gone, and a lone
///   demonym ("Australian", "Dutch") is no name ([`DEMONYMS`]).
///
/// `spans` are code point spans of `text` from one head, in text order; the result is in
/// text order, every span non-empty, without edge whitespace, and inside the input spans but
/// for an initial's period.
/// A merged span scores the length-weighted mean of its parts. Labels the entity head does
/// not have are dropped.
pub fn tidy(text: &str, spans: &[RawSpan]) -> Vec<RawSpan> {
    let names: Vec<Name> = spans
        .iter()
        .filter_map(|sp| {
            Some(Name {
                kind: EntityType::from_label(sp.label)?,
                start: sp.span.start,
                end: sp.span.end,
                score: sp.score,
            })
        })
        .collect();
    tidy_names(text, &names)
        .into_iter()
        .map(|n| RawSpan::new(n.kind.label(), n.start, n.end, n.score))
        .collect()
}

/// [`tidy`] on typed names.
fn tidy_names(text: &str, spans: &[Name]) -> Vec<Name> {
    let capitalised = |w: &str| w.chars().any(char::is_uppercase);
    let chars: Vec<char> = text.chars().collect();
    // 1. cut at line breaks, trim whitespace
    let mut pieces: Vec<Name> = Vec::new();
    for sp in spans {
        let end = sp.end.min(chars.len());
        let mut a = sp.start.min(end);
        while a < end {
            let b = (a..end).find(|&i| chars[i] == '\n').unwrap_or(end);
            let (mut s, mut e) = (a, b);
            while s < e && chars[s].is_whitespace() {
                s += 1;
            }
            while e > s && chars[e - 1].is_whitespace() {
                e -= 1;
            }
            if s < e {
                pieces.push(Name {
                    start: s,
                    end: e,
                    ..*sp
                });
            }
            a = b + 1;
        }
    }
    // 2. an initial takes its period ("Kirk M|. Bart", "U. S|."), then names of one type
    // touching or a single space apart join
    for p in &mut pieces {
        let initial = p.end > p.start
            && chars[p.end - 1].is_uppercase()
            && (p.end == p.start + 1 || !chars[p.end - 2].is_alphanumeric());
        if initial && chars.get(p.end) == Some(&'.') {
            p.end += 1;
        }
    }
    let mut joined: Vec<Name> = Vec::new();
    for p in pieces {
        match joined.last_mut() {
            Some(q)
                if q.kind == p.kind
                    && (p.start == q.end || (p.start == q.end + 1 && chars[q.end] == ' ')) =>
            {
                let (lq, lp) = ((q.end - q.start) as f32, (p.end - p.start) as f32);
                q.score = (q.score * lq + p.score * lp) / (lq + lp);
                q.end = p.end;
            }
            _ => joined.push(p),
        }
    }
    // 3. lower-case words (and a person's titles) off the front, connectors off the end
    let first_word_end =
        |s: usize, e: usize| (s..e).find(|&i| chars[i].is_whitespace()).unwrap_or(e);
    let skip_space = |mut s: usize, e: usize| {
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        s
    };
    let word = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let trimmed: Vec<Name> = joined
        .into_iter()
        .filter_map(|mut sp| {
            loop {
                let b = first_word_end(sp.start, sp.end);
                let w = word(sp.start, b);
                let title = sp.kind == Person && is_title_word(&w);
                if !capitalised(&w) || title {
                    sp.start = skip_space(b, sp.end);
                } else {
                    break;
                }
                if sp.start >= sp.end {
                    return None;
                }
            }
            loop {
                let a = last_word_start(&chars, sp.start, sp.end);
                if a > sp.start && NAME_JOINERS.contains(&word(a, sp.end).as_str()) {
                    sp.end = a;
                    while sp.end > sp.start && chars[sp.end - 1].is_whitespace() {
                        sp.end -= 1;
                    }
                } else {
                    break;
                }
            }
            Some(sp)
        })
        .collect();
    // 4. a name takes the capitalised words around it that make it an organisation's or a
    // place's ("United States| Congress", "Medical Journal of |Australia"), and a person's
    // name its initials ("K. |Michael Stevens", "ELIZABETH B.| PRELOGAR")
    let mut grown: Vec<Name> = trimmed.into_iter().map(|sp| grow(&chars, sp)).collect();
    grown.sort_by_key(|sp| (sp.start, std::cmp::Reverse(sp.end)));
    let mut merged: Vec<Name> = Vec::new();
    for sp in grown {
        match merged.last_mut() {
            // a grown name swallows the names it grew over
            Some(q) if sp.start < q.end => q.end = q.end.max(sp.end),
            // two places or two organisations with only "of" between are one ("Cape of Good
            // Hope"); a person never joins so ("Smith of Texas")
            Some(q) if q.kind == sp.kind && q.kind != Person && word(q.end, sp.start) == " of " => {
                q.end = sp.end;
            }
            _ => merged.push(sp),
        }
    }
    // 5. an abbreviation defined in the text names what its long form names, everywhere
    let merged = abbreviations(&chars, merged);
    // what is left begins with a capital (a lower-case span is gone); a lone demonym is no
    // name
    merged
        .into_iter()
        .filter(|sp| !DEMONYMS.contains(&word(sp.start, sp.end).as_str()))
        .collect()
}

/// Step 5 of [`tidy`]: "the World Health Organisation (WHO) recommends ... WHO say": an
/// abbreviation of two to six capitals in parentheses right after capitalised words whose
/// initials spell it (skipping "of", "for", "the", "and", "&") defines it. The long form, and
/// every whole-word use of it or of the abbreviation that no name covers, become names of the
/// long form's type, that of the name tagged over most of it; a long form not tagged so is a
/// term, no name ("Compact Fluorescent Light (CFL)"), and a person's name is never
/// abbreviated so, and is left alone. `spans` are in text order without overlaps; so is the
/// result.
fn abbreviations(chars: &[char], mut spans: Vec<Name>) -> Vec<Name> {
    let text = |(s, e): (usize, usize)| chars[s..e].iter().collect::<String>();
    let mut defined: Vec<(Vec<char>, EntityType, f32)> = Vec::new();
    for i in 1..chars.len() {
        if chars[i] != '(' || chars[i - 1] != ' ' {
            continue;
        }
        let Some(len) = (i + 1..chars.len().min(i + 8)).position(|j| chars[j] == ')') else {
            continue;
        };
        let abbr: Vec<char> = chars[i + 1..i + 1 + len].to_vec();
        if !(2..=6).contains(&abbr.len()) || !abbr.iter().all(char::is_ascii_uppercase) {
            continue;
        }
        // the long form's words, spelling the abbreviation backwards
        let mut need = abbr.len();
        let mut start = None;
        for w in words_before(chars, i, 2 * abbr.len() + 2) {
            let t = text(w);
            if matches!(t.as_str(), "of" | "for" | "the" | "and" | "&") {
                continue;
            }
            if need == 0 || !t.starts_with(abbr[need - 1]) {
                break;
            }
            need -= 1;
            start = Some(w.0);
        }
        let (Some(start), 0) = (start, need) else {
            continue;
        };
        let long = (start, i - 1);
        let over: Vec<&Name> = spans
            .iter()
            .filter(|sp| sp.start < long.1 && long.0 < sp.end)
            .collect();
        if over
            .iter()
            .any(|sp| sp.kind == Person || sp.start < long.0 || sp.end > long.1)
        {
            continue;
        }
        // a name, not a term ("Compact Fluorescent Light (CFL)", "Geographic Information
        // Systems (GIS)"): the tagger named most of it
        let tagged: usize = over.iter().map(|sp| sp.end - sp.start).sum();
        let role = match over.first() {
            Some(sp) if 2 * tagged >= long.1 - long.0 => sp.kind,
            _ => continue,
        };
        let score = over.iter().map(|sp| sp.score).fold(0.5_f32, f32::max);
        spans.retain(|sp| !(sp.start >= long.0 && sp.end <= long.1));
        spans.push(Name {
            kind: role,
            start: long.0,
            end: long.1,
            score,
        });
        defined.push((abbr, role, score));
        defined.push((chars[long.0..long.1].to_vec(), role, score));
    }
    for (abbr, role, score) in defined {
        let n = abbr.len();
        for s in 0..chars.len().saturating_sub(n - 1) {
            let whole = chars[s..s + n] == abbr[..]
                && (s == 0 || !chars[s - 1].is_alphanumeric())
                && chars.get(s + n).is_none_or(|c| !c.is_alphanumeric());
            if whole && !spans.iter().any(|sp| sp.start < s + n && s < sp.end) {
                spans.push(Name {
                    kind: role,
                    start: s,
                    end: s + n,
                    score,
                });
            }
        }
    }
    spans.sort_by_key(|sp| sp.start);
    spans
}

/// The words of one line around a span: `(start, end)` code point spans of whitespace-split
/// words, the punctuation that closes a word (",", ")", ...) left out of it and ending the run.
fn words_after(chars: &[char], from: usize, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = from;
    while out.len() < max && i < chars.len() && chars[i] == ' ' {
        let s = i + 1;
        let mut e = s;
        while e < chars.len() && !chars[e].is_whitespace() {
            e += 1;
        }
        let core = word_core(chars, s, e);
        if core.0 == core.1 || core.0 != s {
            break;
        }
        out.push(core);
        if core.1 != e {
            break; // punctuation closes the run
        }
        i = e;
    }
    out
}

/// The words before `to` on its line, nearest first, stopping at a word with punctuation
/// after it.
fn words_before(chars: &[char], to: usize, max: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = to;
    while out.len() < max && i > 0 && chars[i - 1] == ' ' {
        let e = i - 1;
        let mut s = e;
        while s > 0 && !chars[s - 1].is_whitespace() {
            s -= 1;
        }
        let core = word_core(chars, s, e);
        if core.0 == core.1 || core.1 != e || core.0 != s {
            break;
        }
        out.push(core);
        i = s;
    }
    out
}

/// A word without the punctuation that closes it; an abbreviation keeps its period
/// ("Inc.", "B.").
fn word_core(chars: &[char], s: usize, mut e: usize) -> (usize, usize) {
    let abbreviation = |e: usize| {
        let w: String = chars[s..e].iter().collect();
        ORG_HEADS.contains(w.as_str()) || is_initial(&chars[s..e])
    };
    while e > s && !chars[e - 1].is_alphanumeric() {
        if chars[e - 1] == '.' && abbreviation(e) {
            break;
        }
        e -= 1;
    }
    (s, e)
}

/// "B." or "K": one capital letter, with or without its period.
fn is_initial(w: &[char]) -> bool {
    match w {
        [c] | [c, '.'] => c.is_uppercase(),
        _ => false,
    }
}

/// The type a name's head word gives it: an organisation or a place ([`name_head`]).
fn head_role(w: &str) -> Option<EntityType> {
    name_head(w).map(|h| match h {
        NameHead::Org => Org,
        NameHead::Place => Gpe,
    })
}

/// Step 4 of [`tidy`] for one name.
fn grow(chars: &[char], mut sp: Name) -> Name {
    let text = |(s, e): (usize, usize)| chars[s..e].iter().collect::<String>();
    let cap = |w: &str| w.chars().next().is_some_and(char::is_uppercase) && !NOT_NAMES.contains(w);
    // forward: touching capitalised words up to one that heads an organisation or a place;
    // never after a person's name (GUM names the person inside "Andy Warhol Photographic
    // Legacy Program" and "Einstein Institute"), never over "for the" ("China| for the
    // Institute of History")
    let after = words_after(chars, sp.end, 8);
    let reach = if sp.kind == Person { 0 } else { 4 };
    let mut best = None;
    for (k, &w) in after.iter().enumerate().take(reach) {
        let t = text(w);
        if !cap(&t) {
            break;
        }
        if let Some(r) = head_role(&t) {
            best = Some((k, r));
        }
    }
    // the head's own "of" phrase: "Department of Justice", "Court| of Appeal"
    let of_phrase = |from: Option<usize>| -> Option<usize> {
        let mut last = None;
        let mut k = from.map_or(0, |k| k + 1);
        while k + 1 < after.len()
            && matches!(text(after[k]).as_str(), "of" | "for")
            && cap(&text(after[k + 1]))
        {
            k += 1;
            while k + 1 < after.len() && cap(&text(after[k + 1])) {
                k += 1;
            }
            last = Some(k);
            k += 1;
        }
        last
    };
    if let Some((k, r)) = best {
        sp.end = after[of_phrase(Some(k)).unwrap_or(k)].1;
        sp.kind = r;
    } else if let Some(r) = head_role(&text((last_word_start(chars, sp.start, sp.end), sp.end))) {
        if let Some(k) = of_phrase(None).filter(|_| sp.kind == r) {
            sp.end = after[k].1;
        }
    } else if sp.kind == Person
        && sp.end >= sp.start + 3
        && chars[sp.end - 3] == ' '
        && is_initial(&chars[sp.end - 2..sp.end])
    {
        // "ELIZABETH B.| PRELOGAR": a person's name does not end with a middle initial
        if let Some(&w) = after.first().filter(|&&w| cap(&text(w))) {
            sp.end = w.1;
        }
    }
    // backward: "Medical Journal of |Australia", "University of |Texas"
    let before = words_before(chars, sp.start, 6);
    if before
        .first()
        .is_some_and(|&w| matches!(text(w).as_str(), "of" | "for"))
    {
        let mut head = None;
        let mut first = None;
        // ("the" and a title end the run: "President of the |Linguistic Society")
        for (k, &w) in before.iter().enumerate() {
            let t = text(w);
            if matches!(t.as_str(), "of" | "for") {
                continue;
            }
            if !cap(&t) || is_title_word(&t) {
                break;
            }
            first = Some(k);
            if head.is_none() {
                head = head_role(&t);
            }
        }
        if let (Some(r), Some(k)) = (head, first) {
            sp.start = before[k].0;
            sp.kind = r;
        }
    } else if sp.kind == Person {
        // "K. |Michael Stevens"
        if let Some(&w) = before.first().filter(|&&w| is_initial(&chars[w.0..w.1])) {
            if chars[w.1 - 1] == '.' {
                sp.start = w.0;
            }
        }
    }
    // a place of several words in the gazetteer is no person ("United States"), nor is a
    // name an organisation's or a place's word heads ("War Office", "Elm Street"), as in the
    // pipeline's own typing
    let name = text((sp.start, sp.end));
    if sp.kind == Person && name.contains(' ') && PLACES.contains(name.as_str()) {
        sp.kind = Gpe;
    }
    if sp.kind == Person && name.contains(' ') {
        if let Some(r) = head_role(&text((last_word_start(chars, sp.start, sp.end), sp.end))) {
            sp.kind = r;
        }
    }
    // a street named in French, Spanish, Portuguese or Italian leads with its kind ("Rue
    // Saint-Denis", "Calle Mayor"): a place, never a person
    if sp.kind == Person && crate::lexicon::is_street_name(&name) {
        sp.kind = Gpe;
    }
    sp
}

/// Where the last word of the code point span `s..e` starts (`s` for one word).
fn last_word_start(chars: &[char], s: usize, e: usize) -> usize {
    (s..e)
        .rev()
        .find(|&i| chars[i].is_whitespace())
        .map_or(s, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names as (role, text).
    type Names<'a> = &'a [(usize, &'a str)];

    /// Spans of `text` given as (role, substring), each substring found after the previous.
    fn spans(text: &str, names: &[(usize, &str)]) -> Vec<RawSpan> {
        let mut from = 0;
        names
            .iter()
            .map(|&(role, name)| {
                let at = from + text[from..].find(name).expect(name);
                from = at + name.len();
                let start = text[..at].chars().count();
                RawSpan::new(role, start, start + name.chars().count(), 0.5)
            })
            .collect()
    }

    #[test]
    fn names_follow_the_conventions() {
        // (text, the head's spans, the names after tidy)
        let table: [(&str, Names, Names); 23] = [
            (
                "Crown prosecutor Mark Tedeschi said",
                &[(0, "Mark"), (0, "Tedeschi")],
                &[(0, "Mark Tedeschi")],
            ),
            (
                "Coron\n\nCoron is a town.",
                &[(2, "Coron\n\nCoron")],
                &[(2, "Coron"), (2, "Coron")],
            ),
            (
                "the National Library of the Netherlands",
                &[(1, "National Library of")],
                &[(1, "National Library")],
            ),
            (
                "Justice Scalia and GEN. ELIZABETH PRELOGAR, Ms Bauchtman",
                &[
                    (0, "Justice Scalia"),
                    (0, "GEN. ELIZABETH PRELOGAR"),
                    (0, "Ms Bauchtman"),
                ],
                &[(0, "Scalia"), (0, "ELIZABETH PRELOGAR"), (0, "Bauchtman")],
            ),
            // a title alone is no person; a place keeps its "Lord"
            ("the Secretary said", &[(0, "Secretary")], &[]),
            (
                "Lord Howe Island",
                &[(2, "Lord Howe Island")],
                &[(2, "Lord Howe Island")],
            ),
            // no capital, no name
            ("the states argued", &[(1, "states")], &[]),
            (
                "Kirk M. Bart and Hartsell-Gundy in the U. S. today",
                &[
                    (0, "Kirk M"),
                    (0, "Bart"),
                    (0, "Hartsell-"),
                    (0, "Gundy"),
                    (2, "U. S"),
                ],
                &[(0, "Kirk M. Bart"), (0, "Hartsell-Gundy"), (2, "U. S.")],
            ),
            // an abbreviation that is no initial keeps the period out: it may end the sentence
            ("in Cal. He", &[(2, "Cal")], &[(2, "Cal")]),
            // lower-case words before a name are no part of it; a common noun after it stays
            (
                "said researcher Mu Li of the US navy",
                &[(0, "researcher Mu Li"), (1, "US navy")],
                &[(0, "Mu Li"), (1, "US navy")],
            ),
            // a lone demonym is no name; a name it starts stays
            (
                "Australian researchers and the Australian Museum",
                &[(2, "Australian"), (1, "Australian Museum")],
                &[(1, "Australian Museum")],
            ),
            ("the aywv crew", &[(1, "aywv")], &[]),
            // names of two types side by side stay two
            (
                "the Seoul Gyeongbokgung palace",
                &[(2, "Seoul"), (1, "Gyeongbokgung")],
                &[(2, "Seoul"), (1, "Gyeongbokgung")],
            ),
            // a name takes the words that make it an organisation or a place
            (
                "the United States Congress, the Aberdeen Grammar School.",
                &[(2, "United States"), (2, "Aberdeen")],
                &[
                    (1, "United States Congress"),
                    (1, "Aberdeen Grammar School"),
                ],
            ),
            (
                "the Texas Department of Justice and the Gulf of Mexico",
                &[(2, "Texas"), (2, "Mexico")],
                &[(1, "Texas Department of Justice"), (2, "Gulf of Mexico")],
            ),
            (
                "in the Medical Journal of Australia",
                &[(2, "Australia")],
                &[(1, "Medical Journal of Australia")],
            ),
            // a person's name grows into no organisation; "and" and "for the" join no names
            (
                "Smith of the Justice Department, Browning and War Office, the Warhol Foundation, China for the Institute",
                &[
                    (0, "Smith"),
                    (0, "Browning"),
                    (1, "War Office"),
                    (0, "Warhol"),
                    (2, "China"),
                ],
                &[
                    (0, "Smith"),
                    (0, "Browning"),
                    (1, "War Office"),
                    (0, "Warhol"),
                    (2, "China"),
                ],
            ),
            // an abbreviation the text defines names what its long form names, everywhere;
            // a term's abbreviation names nothing
            (
                "The World Health Organisation (WHO) said. A World Health Organisation report. WHO, not WHOM. Compact Fluorescent Light (CFL) bulbs",
                &[(1, "World Health Organisation")],
                &[
                    (1, "World Health Organisation"),
                    (1, "WHO"),
                    (1, "World Health Organisation"),
                    (1, "WHO"),
                ],
            ),
            // a head's "of" phrase; two places with "of" between; a known place is no person
            (
                "the Court of Appeal, the Cape of Good Hope and the United States",
                &[(1, "Court"), (2, "Cape"), (2, "Good Hope"), (0, "United States")],
                &[
                    (1, "Court of Appeal"),
                    (2, "Cape of Good Hope"),
                    (2, "United States"),
                ],
            ),
            // a person joins no one over "of"; a person's lone surname stays a person
            (
                "Smith of Texas met Jordan at the War Office",
                &[(0, "Smith"), (2, "Texas"), (0, "Jordan"), (0, "War Office")],
                &[(0, "Smith"), (2, "Texas"), (0, "Jordan"), (1, "War Office")],
            ),
            // a street that leads with its kind, or ends with it, is a place
            (
                "shops on Rue Saint-Denis and Fifth Avenue, said Via",
                &[(0, "Rue Saint-Denis"), (0, "Fifth Avenue"), (0, "Via")],
                &[(2, "Rue Saint-Denis"), (2, "Fifth Avenue"), (0, "Via")],
            ),
            // a person's initials belong to the name
            (
                "K. Michael Stevens and ELIZABETH B. PRELOGAR",
                &[(0, "Michael Stevens"), (0, "ELIZABETH B.")],
                &[(0, "K. Michael Stevens"), (0, "ELIZABETH B. PRELOGAR")],
            ),
            // a sentence's end, a weekday or lower-case word stops the growing
            (
                "said Smith. Congress met Tuesday. The Paris Office Monday and Paris office",
                &[(0, "Smith"), (2, "Paris"), (2, "Paris")],
                &[(0, "Smith"), (1, "Paris Office"), (2, "Paris")],
            ),
        ];
        for (text, tagged, want) in table {
            let got = tidy(text, &spans(text, tagged));
            assert_eq!(got, spans(text, want), "{text}");
        }
    }

    #[test]
    fn merged_names_score_by_length() {
        let text = "Douglas Babstock";
        let mut parts = spans(text, &[(0, "Douglas"), (0, "Babstock")]);
        parts[0].score = 1.0;
        parts[1].score = 0.0;
        let got = tidy(text, &parts);
        assert_eq!(got.len(), 1);
        assert!((got[0].score - 7.0 / 15.0).abs() < 1e-6, "{}", got[0].score);
    }
}

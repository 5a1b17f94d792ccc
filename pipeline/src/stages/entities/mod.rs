//! Named entities: people, organisations and places, with titles, grouped by name.
//!
//! Names are runs of capitalised words (with connectors such as "of" and "de" inside).
//! Leading title words ("Deputy Assistant Secretary", "former President") become the
//! mention's title, appositives after a person ("Clark Cooper, U.S. Deputy Assistant
//! Secretary of State, said") and role nouns before one ("U.S. representative Donna Welton")
//! become the entity's title. Surnames join the full name they belong to; aliases of a
//! country ("U.S.", "United States") join one entity. Headlines, written in title case, only
//! contribute mentions of names the body already introduced. Pronouns are left to the
//! speaker stage.

pub mod tidy;

use crate::document::{
    Document, Entity, EntityType, Mention, MentionKind, ModelSpan, ParagraphRole,
};
use crate::grammar::tokens::{tokenize, Tok};
use crate::lexicon::{
    is_street_name, name_head, Gender, DEMONYMS, GENDERED_TITLES, NOT_NAMES, ORG_HEADS, PLACES,
    PLACE_HEADS, ROLE_NOUNS, TITLE_MODIFIERS, TITLE_WORDS,
};
use crate::lexicon::{NAME_CONNECTORS, OTHER_HEADS};
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};
use crate::tagged::{RawSpan, TaggedLayer};
use std::collections::HashMap;

/// Configuration of [`EntityTagger`].
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
pub struct EntityTaggerConfig {}

impl EntityTaggerConfig {
    /// Builds the stage.
    pub fn build(&self) -> EntityTagger {
        EntityTagger {}
    }
}

/// Finds named mentions and groups them into entities.
#[derive(Debug)]
pub struct EntityTagger {}

/// A named mention before grouping.
#[derive(Clone, Debug)]
pub(crate) struct NameMention {
    pub span: ByteSpan,
    pub head: ByteSpan,
    pub kind: EntityType,
    pub title: Option<String>,
    /// The entity model tagged this name too (or found it alone).
    pub confirmed: bool,
}

/// Capitalised like a name; "I'm", "I’ve" and the like are the pronoun.
fn is_cap(w: &str) -> bool {
    w.chars().next().is_some_and(|c| c.is_uppercase())
        && !w.starts_with("I'")
        && !w.starts_with("I’")
}

/// Whether `w` heads the name of an organisation ("Ministry") or a place ("Street").
fn place_or_org_head(w: &str) -> bool {
    name_head(w).is_some()
}

fn strip_possessive(w: &str) -> &str {
    w.strip_suffix("'s")
        .or_else(|| w.strip_suffix("’s"))
        .unwrap_or(w)
}

/// Canonical key of a place or organisation name, so aliases group together.
fn alias_key(name: &str) -> String {
    let k: String = name
        .chars()
        .filter(|c| *c != '.')
        .collect::<String>()
        .to_lowercase();
    match k.as_str() {
        "us" | "usa" | "united states" | "america" | "united states of america" => {
            "united states".into()
        }
        "uk" | "britain" | "united kingdom" | "great britain" => "united kingdom".into(),
        "rok" | "republic of korea" => "south korea".into(),
        "dprk" => "north korea".into(),
        _ => k,
    }
}

impl Stage for EntityTagger {
    fn name(&self) -> &'static str {
        "tag_entities"
    }

    fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
        let mut found: Vec<NameMention> = Vec::new();
        // the names found so far, kept as sets so that checking a headline name costs the
        // same however long the article
        let mut known = KnownNames::default();
        // body first, then headlines restricted to names the body knows
        for pass_headlines in [false, true] {
            for s in &doc.sentences {
                let role = doc.paragraphs[s.paragraph].role;
                let take = match role {
                    ParagraphRole::Body => !pass_headlines,
                    ParagraphRole::Headline => pass_headlines,
                    ParagraphRole::Boilerplate => false,
                };
                if !take {
                    continue;
                }
                let toks = tokenize(&doc.text, s.span);
                let mut ms = sentence_names(&doc.text, &toks);
                if pass_headlines {
                    if known.len < found.len() {
                        known.add(&doc.text, &found[known.len..]);
                    }
                    // a sentence's names are checked against the names before the sentence
                    ms.retain(|m| known.knows(&doc.text, m));
                }
                found.extend(ms);
            }
        }
        merge_model_names(doc, &mut found);
        found.sort_by_key(|m| m.span.start);
        doc.entities = group(&doc.text, found);
        Ok(())
    }
}

/// Entity-model spans below this mean tag probability are not used (GAP validation F1 with
/// 0.5 / 0.8 / no model-only names: 53.4 / 52.9 / 52.7).
pub const MODEL_MIN_SCORE: f32 = 0.5;

/// Above this the entity model's type overrides the type the rules guessed from a name's
/// shape (a titled name stays a person: the title is stronger evidence).
pub const MODEL_RETYPE_SCORE: f32 = 0.8;

/// The entity stage's intake of the entity head's names, where they enter the document
/// ([`crate::tagged::store`]): tidied in code points ([`tidy::tidy`]), mapped to checked
/// byte spans ([`crate::tagged::map`]), and trimmed of what wordpieces leave at a name's
/// edges (a hyphen or bracket: "South Korea-U.S.") and of a possessive ("Obama's").
///
/// # Errors
/// Those of [`crate::tagged::map`], and [`crate::stage::ErrorKind::Internal`] for a label
/// the entity head does not have.
pub fn take_model_names(doc: &Document, spans: &[RawSpan]) -> Result<Vec<ModelSpan>, StageError> {
    if let Some(bad) = spans
        .iter()
        .find(|s| EntityType::from_label(s.label).is_none())
    {
        return Err(StageError::new(
            crate::stage::ErrorKind::Internal,
            format!("the entity head has no label {}", bad.label),
        ));
    }
    let tidied = tidy::tidy(&doc.text, spans);
    let edge = [
        '-', '–', '(', ')', '[', ']', '/', ',', ';', ':', '"', '“', '”',
    ];
    Ok(crate::tagged::map(doc, TaggedLayer::Entity, &tidied)?
        .into_iter()
        .filter_map(|mut m| {
            let trimmed = m.span.trim_with(&doc.text, &edge);
            let t = trimmed.text(&doc.text);
            m.span = ByteSpan::new(
                trimmed.start,
                trimmed.end - (t.len() - strip_possessive(t).len()),
            );
            (!m.span.is_empty()).then_some(m)
        })
        .collect())
}

/// Merges the entity model's names (`doc.tagged`, body paragraphs only) into the rule names:
/// a rule name the model also tagged is confirmed (single names the rules alone would
/// drop as too uncertain, like "Gloria said", survive when confirmed) and may take the
/// model's type; a name only the model found is added.
fn merge_model_names(doc: &Document, found: &mut Vec<NameMention>) {
    for m in doc.tagged.iter().filter(|m| m.score >= MODEL_MIN_SCORE) {
        let Some(mut kind) = m.role.entity() else {
            continue;
        };
        let in_body = doc
            .paragraph_at(m.span.start)
            .is_some_and(|p| doc.paragraphs[p].role == ParagraphRole::Body);
        if !in_body {
            continue;
        }
        let span = m.span;
        // a name the model reads inside a titled person's title is a word of that title
        // ("Plant" of "Plant manager Greg Olsen"): it neither adds a name nor confirms the
        // rules' guess of a sentence-initial capital as a person; a place or organisation
        // the rules know there stays ("U.S." of "U.S. representative Donna Welton")
        let in_title = |r: &NameMention| {
            r.title.as_deref().is_some_and(|t| {
                let before = doc.text[..r.head.start].trim_end();
                before.ends_with(t)
                    && span.start >= before.len() - t.len()
                    && span.end <= before.len()
            })
        };
        if found.iter().any(in_title)
            && !found
                .iter()
                .any(|r| r.span.overlaps(span) && r.kind != EntityType::Person)
        {
            continue;
        }
        let mut hit = false;
        for r in found.iter_mut().filter(|r| r.span.overlaps(span)) {
            hit = true;
            r.confirmed = true;
            // person or not is what the model decides; a country acting (ORG in GUM) stays
            // GPE, the type this schema gives countries in both roles
            let person_or_not = (r.kind == EntityType::Person) != (kind == EntityType::Person);
            // ... but a name headed by a place or organisation word ("Elm Street" of "Elm
            // Street resident", "Harrow School") is never a person, however sure the model
            let last = r.head.text(&doc.text).split_whitespace().last();
            let headed = last.is_some_and(|w| place_or_org_head(strip_possessive(w)))
                || is_street_name(r.head.text(&doc.text));
            if person_or_not
                && r.title.is_none()
                && m.score >= MODEL_RETYPE_SCORE
                && !(kind == EntityType::Person && headed)
            {
                r.kind = kind;
            }
        }
        // a demonym ("South Korean side") or a lower-case word is no name, nor is the first
        // word of a demonym phrase ("South" of "South Korean government")
        let words: Vec<&str> = span.text(&doc.text).split_whitespace().collect();
        let last = words.last().map_or("", |w| *w);
        let next = doc.text[span.end..]
            .strip_prefix(' ')
            .and_then(|r| r.split([' ', ',', '.']).next())
            .unwrap_or("");
        let no_name = DEMONYMS.contains(&last)
            || DEMONYMS.contains(&next)
            || !words.iter().any(|w| is_cap(w));
        // a name the rules typed as no person elsewhere in the article keeps their type, so
        // that one entity holds all its mentions ("U.S." as place and as actor, and never a
        // person in "Clark Cooper, U.S. Deputy Assistant Secretary")
        let key = alias_key(span.text(&doc.text));
        if let Some(r) = found
            .iter()
            .find(|r| r.kind != EntityType::Person && alias_key(r.head.text(&doc.text)) == key)
        {
            kind = r.kind;
        }
        if !hit && !no_name {
            found.push(NameMention {
                span,
                head: span,
                kind,
                title: None,
                confirmed: true,
            });
        }
    }
}

/// The names found so far, indexed to tell whether a headline mention names something the
/// body (or an earlier headline) already introduced: the same head; a one-word name that is
/// the last word of a person's head; or, for places and organisations, the same alias key.
#[derive(Default)]
struct KnownNames {
    /// How many names of `found` are in the sets.
    len: usize,
    heads: std::collections::HashSet<String>,
    person_last_words: std::collections::HashSet<String>,
    other_alias_keys: std::collections::HashSet<String>,
}

impl KnownNames {
    fn add(&mut self, text: &str, names: &[NameMention]) {
        for b in names {
            let bh = b.head.text(text);
            self.heads.insert(bh.to_string());
            if b.kind == EntityType::Person {
                self.person_last_words
                    .insert(bh.rsplit(' ').next().unwrap_or("").to_string());
            } else {
                self.other_alias_keys.insert(alias_key(bh));
            }
        }
        self.len += names.len();
    }

    /// True when `m` names one of the names added.
    fn knows(&self, text: &str, m: &NameMention) -> bool {
        let h = m.head.text(text);
        self.heads.contains(h)
            || (!h.contains(' ')
                && self
                    .person_last_words
                    .contains(h.rsplit(' ').next().unwrap_or("")))
            || self.other_alias_keys.contains(&alias_key(h))
    }
}

/// Named mentions in one sentence's tokens.
pub(crate) fn sentence_names(text: &str, toks: &[Tok]) -> Vec<NameMention> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let w = toks[i].text(text);
        // "New", "First", "Special" open no name, except a known place's ("New Zealand")
        let opens_place = || {
            let words: Vec<&str> = toks[i..]
                .iter()
                .take_while(|t| t.word)
                .take(3)
                .map(|t| strip_possessive(t.text(text)))
                .collect();
            (2..=words.len()).any(|n| PLACES.contains(words[..n].join(" ").as_str()))
        };
        if !(toks[i].word && is_cap(w)) || (NOT_NAMES.contains(w) && !opens_place()) {
            i += 1;
            continue;
        }
        // build the run
        let mut j = i + 1;
        let mut last = i;
        let mut possessive = strip_possessive(w) != w;
        while j < toks.len() && !possessive {
            let wj = toks[j].text(text);
            if toks[j].word && is_cap(wj) && !NOT_NAMES.contains(wj) {
                last = j;
                possessive = strip_possessive(wj) != wj;
                j += 1;
            } else if toks[j].word
                && NAME_CONNECTORS.contains(&wj)
                && j + 1 < toks.len()
                && toks[j + 1].word
                && is_cap(toks[j + 1].text(text))
            {
                j += 1;
            } else {
                break;
            }
        }
        let run = &toks[i..=last];
        if let Some(m) = classify(text, toks, i, run) {
            out.push(m);
        }
        i = last + 1;
    }
    out
}

fn classify(text: &str, toks: &[Tok], first: usize, run: &[Tok]) -> Option<NameMention> {
    let words: Vec<&str> = run.iter().map(|t| strip_possessive(t.text(text))).collect();
    let full_end = {
        let t = run.last().unwrap();
        let w = t.text(text);
        t.span.end - (w.len() - strip_possessive(w).len())
    };
    let full = ByteSpan::new(run[0].span.start, full_end);
    let full_text = full.text(text);
    let lastw = *words.last().unwrap();
    // acronyms in parentheses repeat the name before them
    if first > 0
        && toks[first - 1].text(text) == "("
        && run.len() == 1
        && lastw.chars().all(|c| c.is_uppercase())
    {
        return None;
    }
    if PLACES.contains(full_text) {
        return Some(plain(full, EntityType::Gpe));
    }
    // title phrase followed by a name? split at the last title word
    let last_title = words.iter().rposition(|w| TITLE_WORDS.contains(w));
    let starts_with_title = words.first().is_some_and(|w| TITLE_WORDS.contains(w))
        || (words.len() > 1 && PLACES.contains(words[0]) && TITLE_WORDS.contains(words[1]));
    // "Mayor Ellen Park": a title then a name is a person whatever the last word, unless
    // that word is all there is after the title and heads an organisation or a place ("US
    // State Department", "Foreign Ministry")
    let titled_name = starts_with_title
        && last_title.is_some_and(|lt| {
            lt + 1 < words.len()
                && !NAME_CONNECTORS.contains(&words[lt + 1])
                && !(lt + 2 == words.len() && place_or_org_head(lastw))
        });
    if !titled_name && ORG_HEADS.contains(lastw)
        || (words.contains(&"of")
            && !starts_with_title
            && words.iter().any(|w| ORG_HEADS.contains(w)))
    {
        return Some(plain(trim_the(text, run, full), EntityType::Org));
    }
    if (PLACE_HEADS.contains(&lastw) || is_street_name(full_text)) && !titled_name {
        return Some(plain(trim_the(text, run, full), EntityType::Gpe));
    }
    if OTHER_HEADS.contains(&lastw) || DEMONYMS.contains(&lastw) {
        return None;
    }
    if let Some(lt) = last_title {
        let name_toks = &run[lt + 1..];
        if name_toks.is_empty() || NAME_CONNECTORS.contains(&name_toks[0].text(text)) {
            return None; // a title with no name: "Secretary of State"
        }
        let name = &words[lt + 1..];
        if name.len() > 4 || name.iter().any(|w| !looks_like_name(w)) {
            return None;
        }
        let head = ByteSpan::new(name_toks[0].span.start, full_end);
        let mut title_span = ByteSpan::new(run[0].span.start, run[lt].span.end);
        // lower-case modifiers before the title ("former President")
        let mut k = first;
        while k > 0 && TITLE_MODIFIERS.contains(&toks[k - 1].text(text)) {
            k -= 1;
        }
        if k < first {
            title_span.start = toks[k].span.start;
        }
        return Some(NameMention {
            span: full,
            head,
            kind: EntityType::Person,
            title: Some(title_span.text(text).to_string()),
            confirmed: false,
        });
    }
    if run.len() == 1 && lastw.len() >= 2 && lastw.chars().all(|c| c.is_uppercase()) {
        return Some(plain(full, EntityType::Org));
    }
    if words.len() > 4
        || words.iter().any(|w| !looks_like_name(w))
        || words.iter().any(|w| {
            NAME_CONNECTORS.contains(w)
                && *w != "de"
                && *w != "van"
                && *w != "von"
                && *w != "bin"
                && *w != "al"
        })
    {
        return None;
    }
    // a person: a lower-case role right before the name gives a title
    let title = role_before(text, toks, first);
    Some(NameMention {
        span: full,
        head: full,
        kind: EntityType::Person,
        title,
        confirmed: false,
    })
}

fn trim_the(text: &str, run: &[Tok], full: ByteSpan) -> ByteSpan {
    if run[0].text(text) == "The" && run.len() > 1 {
        ByteSpan::new(run[1].span.start, full.end)
    } else {
        full
    }
}

fn plain(span: ByteSpan, kind: EntityType) -> NameMention {
    NameMention {
        span,
        head: span,
        kind,
        title: None,
        confirmed: false,
    }
}

fn looks_like_name(w: &str) -> bool {
    // "Korea-U.S." is a compound of places, not a name; internal dots only in initials
    // "I'm", "I’ve": the pronoun, capitalised as always
    if (w.contains('-') && w.split('-').any(|part| PLACES.contains(part)))
        || (w.contains('.') && w.chars().filter(|c| c.is_alphabetic()).count() > 2)
        || w.starts_with("I'")
        || w.starts_with("I’")
    {
        return false;
    }
    let mut cs = w.chars();
    cs.next().is_some_and(char::is_uppercase)
        && w.chars().all(|c| {
            c.is_alphabetic()
                || matches!(c, '-' | '\'' | '’' | '.')
                || (c as u32) >= 0x300 && (c as u32) <= 0x36F
        })
        && !DEMONYMS.contains(&w)
}

/// "U.S. representative Donna Welton", "South Korean chief negotiator Jung Eun-bo".
fn role_before(text: &str, toks: &[Tok], first: usize) -> Option<String> {
    if first == 0 || !ROLE_NOUNS.contains(toks[first - 1].text(text)) {
        return None;
    }
    let end = toks[first - 1].span.end;
    let mut k = first - 1;
    while k > 0 {
        let w = toks[k - 1].text(text);
        let ok = ROLE_NOUNS.contains(w)
            || TITLE_MODIFIERS.contains(&w)
            || PLACES.contains(w)
            || DEMONYMS.contains(&w)
            || (is_cap(w) && toks[k - 1].word && !NOT_NAMES.contains(w));
        if !ok {
            break;
        }
        k -= 1;
    }
    Some(
        ByteSpan::new(toks[k].span.start, end)
            .text(text)
            .to_string(),
    )
}

/// Groups named mentions into entities: people by surname, places and organisations by alias.
fn group(text: &str, found: Vec<NameMention>) -> Vec<Entity> {
    struct Acc {
        kind: EntityType,
        name: String,
        title: Option<String>,
        mentions: Vec<Mention>,
        key: String,
        confirmed: bool,
    }
    let mut accs: Vec<Acc> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    // full person names first, in order, so surnames can join a later full name
    let full_people: Vec<&NameMention> = found
        .iter()
        .filter(|m| m.kind == EntityType::Person && m.head.text(text).contains(' '))
        .collect();
    // the full names by surname (as written, and in capitals) and by first name, so that a
    // surname finds its full name in O(log n) however many people an article names; the
    // lists hold positions in `full_people`, in text order
    let mut by_surname: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_caps_surname: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_given: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, f) in full_people.iter().enumerate() {
        let name = f.head.text(text);
        let sur = name.rsplit(' ').next().unwrap_or("");
        by_surname.entry(sur).or_default().push(k);
        by_caps_surname
            .entry(sur.to_uppercase())
            .or_default()
            .push(k);
        by_given
            .entry(name.split(' ').next().unwrap_or(""))
            .or_default()
            .push(name);
    }
    for names in by_given.values_mut() {
        names.sort_unstable();
        names.dedup();
    }
    for m in &found {
        let head = m.head.text(text).to_string();
        // a surname in capitals is a transcript's speaker label ("WALLACE" for Chris
        // Wallace), not an acronym
        let caps_surname = head.chars().count() > 1
            && !head.contains(' ')
            && head.chars().all(|c| c.is_uppercase())
            && by_caps_surname.contains_key(&head);
        let kind = if caps_surname {
            EntityType::Person
        } else {
            m.kind
        };
        let key = match kind {
            EntityType::Person => {
                if head.contains(' ') {
                    format!("p:{head}")
                } else {
                    // nearest full name before, else the first after, with this surname
                    let with_surname: &[usize] = if caps_surname {
                        by_caps_surname.get(&head).map_or(&[], Vec::as_slice)
                    } else {
                        by_surname.get(head.as_str()).map_or(&[], Vec::as_slice)
                    };
                    let at = |k: &usize| full_people[*k].span.start;
                    let lt = with_surname.partition_point(|k| at(k) < m.span.start);
                    let before = lt.checked_sub(1).map(|i| full_people[with_surname[i]]);
                    let gt = with_surname.partition_point(|k| at(k) <= m.span.start);
                    let after = with_surname.get(gt).map(|&k| full_people[k]);
                    // no surname match: a first name that only one full name has ("Thomas"
                    // for Thomas Sam, where Manju Sam is also named)
                    let given = || match by_given.get(head.as_str()).map(Vec::as_slice) {
                        Some([only]) => Some(*only),
                        _ => None,
                    };
                    match before.or(after) {
                        Some(f) => format!("p:{}", f.head.text(text)),
                        None => match given() {
                            Some(full) => format!("p:{full}"),
                            None => format!("p:{head}"),
                        },
                    }
                }
            }
            _ => format!("{:?}:{}", kind, alias_key(&head)),
        };
        let idx = *by_key.entry(key.clone()).or_insert_with(|| {
            accs.push(Acc {
                kind,
                name: String::new(),
                title: None,
                mentions: Vec::new(),
                key: key.clone(),
                confirmed: false,
            });
            accs.len() - 1
        });
        let acc = &mut accs[idx];
        acc.confirmed |= m.confirmed;
        if head.chars().count() > acc.name.chars().count() {
            acc.name = head.clone();
        }
        if let Some(t) = &m.title {
            if acc
                .title
                .as_ref()
                .is_none_or(|old| t.chars().count() > old.chars().count())
            {
                acc.title = Some(t.clone());
            }
        }
        acc.mentions.push(Mention {
            span: m.span,
            kind: MentionKind::Name,
            head: m.head,
        });
    }
    // single-token "people" that never got a title or a full name are too uncertain,
    // unless the entity model tagged them too
    accs.retain(|a| {
        !(a.kind == EntityType::Person
            && !a.name.contains(' ')
            && a.title.is_none()
            && !a.confirmed
            && a.key.starts_with("p:"))
    });
    accs.into_iter()
        .map(|a| Entity {
            name: a.name,
            kind: a.kind,
            title: a.title,
            mentions: a.mentions,
        })
        .collect()
}

/// The appositive after a person mention ("Clark Cooper, U.S. Deputy Assistant Secretary of
/// State, said" → "U.S. Deputy Assistant Secretary of State"), if there is one.
pub(crate) fn appositive_after(text: &str, toks: &[Tok], name_end: usize) -> Option<ByteSpan> {
    let i = toks.iter().position(|t| t.span.start >= name_end)?;
    if toks[i].text(text) != "," {
        return None;
    }
    let mut j = i + 1;
    let start = toks.get(j)?.span.start;
    let mut has_role = false;
    while j < toks.len() && j - i <= 16 {
        let w = toks[j].text(text);
        if w == "," || w == "." || w == ";" {
            break;
        }
        if !toks[j].word && !matches!(w, "-" | "(" | ")" | "&") {
            return None;
        }
        if ROLE_NOUNS.contains(w)
            || TITLE_WORDS.contains(w)
            || ROLE_NOUNS.contains(w.to_lowercase().as_str())
        {
            has_role = true;
        }
        j += 1;
    }
    if !has_role || j == i + 1 || j - i > 16 {
        return None;
    }
    let first = toks[i + 1].text(text);
    let skip = matches!(first, "a" | "an" | "the");
    let s = if skip && i + 2 < j {
        toks[i + 2].span.start
    } else {
        start
    };
    Some(ByteSpan::new(s, toks[j - 1].span.end))
}

/// Gender hint of a word used as an honorific.
pub(crate) fn title_gender(title: &str) -> Option<Gender> {
    title
        .split_whitespace()
        .find_map(|w| GENDERED_TITLES.get(w).copied())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::segment::SegmenterConfig;
    use crate::testutil::check_layers;

    fn entities(text: &str) -> Vec<(String, &'static str, Option<String>, Vec<String>)> {
        let mut doc = Document::new("t", text);
        SegmenterConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        EntityTaggerConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        check_layers(&doc);
        doc.entities
            .iter()
            .map(|e| {
                (
                    e.name.clone(),
                    e.kind.as_str(),
                    e.title.clone(),
                    e.mentions
                        .iter()
                        .map(|m| doc.slice(m.span).to_string())
                        .collect(),
                )
            })
            .collect()
    }

    #[test]
    fn names_titles_and_surnames_group() {
        let got = entities("Deputy Assistant Secretary Cooper spoke in Seoul. Later, Clark Cooper met the newly appointed U.S. representative Donna Welton. Cooper left the U.S. Embassy.");
        let names: Vec<(&str, &str)> = got.iter().map(|e| (e.0.as_str(), e.1)).collect();
        assert_eq!(
            names,
            vec![
                ("Clark Cooper", "PERSON"),
                ("Seoul", "GPE"),
                ("U.S.", "GPE"),
                ("Donna Welton", "PERSON"),
                ("U.S. Embassy", "ORG")
            ]
        );
        assert_eq!(got[0].2.as_deref(), Some("Deputy Assistant Secretary"));
        assert_eq!(
            got[0].3,
            vec![
                "Deputy Assistant Secretary Cooper",
                "Clark Cooper",
                "Cooper"
            ]
        );
        assert_eq!(
            got[3].2.as_deref(),
            Some("newly appointed U.S. representative")
        );
    }

    #[test]
    fn aliases_possessives_and_non_names() {
        let got = entities("The U.S. government said so. South Korea's envoy disagreed with the United States. The Special Measures Agreement (SMA) expired in March.");
        let names: Vec<(&str, &str, usize)> =
            got.iter().map(|e| (e.0.as_str(), e.1, e.3.len())).collect();
        assert_eq!(
            names,
            vec![("United States", "GPE", 2), ("South Korea", "GPE", 1)]
        );
    }

    #[test]
    fn places_opened_by_common_words_and_titled_organisations() {
        // "New" opens no name of its own but does open "New Zealand"; "State" is a title
        // word, yet "US State Department" is an organisation, not a person "Department"
        let got = entities("New Zealand begins a process. The New Zealand government and the US State Department agreed. Mayor Ellen Park spoke. The White House welcomed it.");
        let names: Vec<(&str, &str)> = got.iter().map(|e| (e.0.as_str(), e.1)).collect();
        assert_eq!(
            names,
            vec![
                ("New Zealand", "GPE"),
                ("US State Department", "ORG"),
                ("Ellen Park", "PERSON"),
                ("White House", "ORG")
            ]
        );
    }

    #[test]
    fn capitalised_surname_labels_join_the_person() {
        let got =
            entities("Chris Wallace interviewed the governor.\n\nWALLACE: Will she be there?");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "Chris Wallace");
        assert_eq!(got[0].3, vec!["Chris Wallace", "WALLACE"]);
    }

    #[test]
    fn first_names_join_the_one_full_name_they_begin() {
        let got = entities(
            "Thomas Sam and Manju Sam were charged. Thomas refused. I'm Ann Lee, she said.",
        );
        let names: Vec<(&str, usize)> = got.iter().map(|e| (e.0.as_str(), e.3.len())).collect();
        assert_eq!(
            names,
            vec![("Thomas Sam", 2), ("Manju Sam", 1), ("Ann Lee", 1)]
        );
    }

    #[test]
    fn accented_names() {
        let got = entities("Officials met José Núñez and Zoë Ba\u{301}rd in Paris.");
        let names: Vec<&str> = got.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(names, vec!["José Núñez", "Zoë Ba\u{301}rd", "Paris"]);
    }

    #[test]
    fn model_names_confirm_add_and_retype() {
        use crate::tagged::TaggedRole;
        let text =
            "Gloria said the Crown erred. Staff of Acme Widgets met South Korean officials. \
                    The U.S. agreed, said Clark Cooper, U.S. Deputy Assistant Secretary of State. \
                    Plant manager Greg Olsen told workers. Ahmed Karimi, Elm Street resident, \
                    wrote. A café on Rue Saint-Denis closed.";
        let mut doc = Document::new("t", text);
        SegmenterConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        let at = |s: &str, label: usize, score: f32| {
            let b = text.find(s).unwrap();
            ModelSpan {
                role: TaggedRole::of(TaggedLayer::Entity, label).unwrap(),
                span: ByteSpan::new(b, b + s.len()),
                score,
            }
        };
        // without the model, a lone first name is too uncertain to keep
        EntityTaggerConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        assert!(!doc.entities.iter().any(|e| e.name == "Gloria"));
        // the second "U.S.", inside Cooper's title
        let us = text.rfind("U.S.").unwrap();
        doc.tagged = vec![
            at("Gloria", 0, 0.9),
            at("Crown", 1, 0.95),
            at("Acme Widgets", 1, 0.9),
            at("South Korean", 1, 0.9),
            at("erred", 0, 0.3),
            // the first word of a demonym phrase; a place the model reads as a person
            at("South", 1, 0.9),
            ModelSpan {
                span: ByteSpan::new(us, us + 4),
                ..at("U.S.", 0, 0.7)
            },
            // a word of a title read as a name of its own
            at("Plant", 1, 0.78),
            // a street read as a person, confidently
            at("Elm Street", 0, 0.95),
            // a street that leads with its kind, read as a person
            at("Rue Saint-Denis", 0, 0.95),
        ];
        EntityTaggerConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        check_layers(&doc);
        let got: Vec<(&str, &str)> = doc
            .entities
            .iter()
            .map(|e| (e.name.as_str(), e.kind.as_str()))
            .collect();
        assert!(got.contains(&("Gloria", "PERSON")), "{got:?}");
        assert!(got.contains(&("Crown", "ORG")), "{got:?}");
        assert!(got.contains(&("Acme Widgets", "ORG")), "{got:?}");
        assert!(!got.iter().any(|g| g.0 == "South Korean"), "{got:?}");
        assert!(!got.iter().any(|g| g.0 == "South"), "{got:?}");
        assert!(!got.contains(&("U.S.", "PERSON")), "{got:?}");
        assert!(got.contains(&("U.S.", "GPE")), "{got:?}");
        assert!(!got.iter().any(|g| g.0 == "Plant"), "{got:?}");
        assert!(got.contains(&("Greg Olsen", "PERSON")), "{got:?}");
        assert!(got.contains(&("Elm Street", "GPE")), "{got:?}");
        assert!(!got.contains(&("Elm Street", "PERSON")), "{got:?}");
        assert!(got.contains(&("Rue Saint-Denis", "GPE")), "{got:?}");
    }
}

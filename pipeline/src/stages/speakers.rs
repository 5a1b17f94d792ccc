//! Speakers: pronouns resolved to people, appositive titles, and each quote linked to the
//! entity that said it.
//!
//! Pronoun resolution follows salience as a reader does: a "he" or "she" refers to the
//! person who is the subject (or the quoted speaker) of the nearest sentence that has one,
//! looking back from the pronoun's own sentence, with gender agreement once an entity's
//! gender is known. Mere mentions inside a sentence ("the logic used by former President
//! Donald Trump") do not take the pronoun from the article's protagonist. Pronouns inside
//! quotation marks speak from the speaker's point of view and are left alone.
//!
//! A role description ("the senator", "the former mayor") stands for the most recent person
//! whose title or name as written holds that role, and for nobody when no one does: it is
//! never guessed onto the nearest person. "The company" or "the council" stands likewise for
//! the most recent organisation whose name ends in that noun (or a legal form: "Acme Corp.").

use crate::document::{Document, EntityType, Mention, MentionKind, QuoteKind};
use crate::grammar::tokens::{tokenize, Tok};
use crate::lexicon::{pronoun_gender, Gender, ORG_HEADS, ROLE_NOUNS, TITLE_MODIFIERS};
use crate::lexicon::{COMPANY_ENDINGS, LAWMAKERS, TITLE_ROLES};
use crate::span::ByteSpan;
use crate::stage::{Stage, StageError};
use crate::stages::entities::{appositive_after, title_gender};

/// Quotes at least this confident (a rule attribution with an explicit cue and source) make
/// their source a salient antecedent for pronouns; a tagger's guesses do not.
const SALIENT_CONFIDENCE: f32 = 0.85;

/// Configuration of [`SpeakerResolver`].
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct SpeakerResolverConfig {
    /// How many sentences back a pronoun looks for its antecedent (default 8).
    pub max_sentences_back: usize,
}

impl Default for SpeakerResolverConfig {
    fn default() -> Self {
        SpeakerResolverConfig {
            max_sentences_back: 8,
        }
    }
}

impl SpeakerResolverConfig {
    /// Builds the stage.
    pub fn build(&self) -> SpeakerResolver {
        SpeakerResolver {
            config: self.clone(),
        }
    }
}

/// Resolves pronouns and links quotes to speakers.
#[derive(Debug)]
pub struct SpeakerResolver {
    config: SpeakerResolverConfig,
}

/// A mention seen so far, for salience.
#[derive(Clone, Copy, Debug)]
struct Seen {
    entity: usize,
    sentence: usize,
    subject: bool,
}

impl Stage for SpeakerResolver {
    fn name(&self) -> &'static str {
        "resolve_speakers"
    }

    fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
        let text = doc.text.clone();
        let text = text.as_str();
        // where each named mention is
        let mut named: Vec<(ByteSpan, usize)> = doc
            .entities
            .iter()
            .enumerate()
            .flat_map(|(ei, e)| e.mentions.iter().map(move |m| (m.span, ei)))
            .collect();
        named.sort_by_key(|(s, _)| s.start);
        let quoted: Vec<ByteSpan> = doc
            .quotes
            .iter()
            .filter(|q| q.kind != QuoteKind::Indirect)
            .flat_map(|q| q.contents.iter().copied())
            .collect();
        // the speakers of confident attributions are salient; a tagger's guesses are not
        let sources: Vec<ByteSpan> = doc
            .quotes
            .iter()
            .filter(|q| q.confidence >= SALIENT_CONFIDENCE)
            .flat_map(|q| q.sources.iter().copied())
            .collect();
        let mut gender: Vec<Option<Gender>> = doc
            .entities
            .iter()
            .map(|e| e.title.as_deref().and_then(title_gender))
            .collect();
        for (ei, e) in doc.entities.iter().enumerate() {
            if gender[ei].is_none() {
                gender[ei] = e
                    .mentions
                    .iter()
                    .find_map(|m| title_gender(m.span.text(text)));
            }
        }

        // lookups by position, so the token loop stays linear in the article: a token is in
        // a span of `spans` (sorted by start) when one starting at or before it reaches its
        // end, i.e. when the running maximum of the ends so far does
        let reach = |spans: &mut Vec<ByteSpan>| -> Vec<(usize, usize)> {
            spans.sort_by_key(|s| s.start);
            let mut max_end = 0;
            spans
                .iter()
                .map(|s| {
                    max_end = max_end.max(s.end);
                    (s.start, max_end)
                })
                .collect()
        };
        let covered = |reach: &[(usize, usize)], t: ByteSpan| {
            let k = reach.partition_point(|&(start, _)| start <= t.start);
            k > 0 && reach[k - 1].1 >= t.end
        };
        let (mut quoted, mut sources) = (quoted, sources);
        let quoted_reach = reach(&mut quoted);
        let sources_reach = reach(&mut sources);
        let named_at = |start: usize| {
            let k = named.partition_point(|(s, _)| s.start < start);
            named.get(k).filter(|(s, _)| s.start == start)
        };
        let mut seen: Vec<Seen> = Vec::new();
        let mut added: Vec<(usize, Mention)> = Vec::new();
        let mut titles: Vec<(usize, String)> = Vec::new();
        for (si, sent) in doc.sentences.iter().enumerate() {
            if !doc.paragraphs[sent.paragraph].role.is_analysed() {
                continue;
            }
            let toks = tokenize(text, sent.span);
            let mut first_in_sentence = true;
            for (k, t) in toks.iter().enumerate() {
                let in_quote = covered(&quoted_reach, t.span);
                let is_source = covered(&sources_reach, t.span);
                if let Some(&(span, ei)) = named_at(t.span.start) {
                    let subject = is_source
                        || (first_in_sentence
                            && !in_quote
                            && subject_position(text, &toks, span.start));
                    if doc.entities[ei].kind == EntityType::Person {
                        first_in_sentence = false;
                        if let Some(app) = appositive_after(text, &toks, span.end) {
                            titles.push((ei, app.text(text).to_string()));
                        }
                    }
                    seen.push(Seen {
                        entity: ei,
                        sentence: si,
                        subject,
                    });
                    continue;
                }
                if let Some((span, h)) = role_description(text, &toks, k) {
                    if in_quote {
                        continue;
                    }
                    let head = toks[h].span;
                    let role = head.text(text).to_lowercase();
                    // "The mayor, Janet Ortiz, said": the description is the title of the
                    // person named right after its comma
                    let named_after = toks
                        .get(h + 2)
                        .filter(|_| toks[h + 1].text(text) == ",")
                        .and_then(|n| {
                            let k = named.partition_point(|(s, _)| s.start < n.span.start);
                            named[k..]
                                .iter()
                                .take_while(|(s, _)| s.start == n.span.start)
                                .find(|(_, ei)| doc.entities[*ei].kind == EntityType::Person)
                        })
                        .map(|&(_, ei)| ei);
                    if let Some(ei) = named_after {
                        // the title is the description without its article
                        let title = ByteSpan::new(toks[k + 1].span.start, span.end);
                        titles.push((ei, title.text(text).to_string()));
                    }
                    let words = ByteSpan::new(toks[k + 1].span.start, span.end).text(text);
                    let Some(ei) = named_after
                        .or_else(|| self.holder_of_role(doc, &seen, &titles, si, &role, words))
                    else {
                        continue;
                    };
                    added.push((
                        ei,
                        Mention {
                            span,
                            kind: MentionKind::Nominal,
                            head,
                        },
                    ));
                    let subject = is_source
                        || (first_in_sentence && subject_position(text, &toks, span.start));
                    first_in_sentence = false;
                    seen.push(Seen {
                        entity: ei,
                        sentence: si,
                        subject,
                    });
                    continue;
                }
                let Some(g) = pronoun_gender(t.text(text)) else {
                    continue;
                };
                if in_quote {
                    continue;
                }
                let Some(ei) = self.antecedent(doc, &seen, &gender, si, g) else {
                    continue;
                };
                gender[ei].get_or_insert(g);
                added.push((
                    ei,
                    Mention {
                        span: t.span,
                        kind: MentionKind::Pronoun,
                        head: t.span,
                    },
                ));
                let subject =
                    is_source || (first_in_sentence && subject_position(text, &toks, t.span.start));
                first_in_sentence = false;
                seen.push(Seen {
                    entity: ei,
                    sentence: si,
                    subject,
                });
            }
        }
        for (ei, m) in added {
            doc.entities[ei].mentions.push(m);
        }
        for (ei, t) in titles {
            let e = &mut doc.entities[ei];
            if e.title
                .as_ref()
                .is_none_or(|old| t.chars().count() > old.chars().count())
            {
                e.title = Some(t);
            }
        }
        for e in &mut doc.entities {
            e.mentions.sort_by_key(|m| (m.span.start, m.span.end));
        }

        // link quotes to speakers
        let mut mention_at: Vec<(ByteSpan, usize)> = doc
            .entities
            .iter()
            .enumerate()
            .flat_map(|(ei, e)| e.mentions.iter().map(move |m| (m.span, ei)))
            .collect();
        // by position for the lookups below (stable: mentions at one start keep their entity
        // order); the entity order stays for `relative_antecedent`, whose ties it decides
        let by_entity = mention_at.clone();
        mention_at.sort_by_key(|(s, _)| s.start);
        for qi in 0..doc.quotes.len() {
            let q = &doc.quotes[qi];
            let speaker = if let Some(src) = q.sources.first() {
                let from = mention_at.partition_point(|(s, _)| s.start < src.start);
                let mut inside: Vec<&(ByteSpan, usize)> = mention_at[from..]
                    .iter()
                    .take_while(|(s, _)| s.start < src.end)
                    .filter(|(s, _)| src.contains(*s) && !is_possessive(text, *s))
                    .collect();
                inside.sort_by_key(|(s, _)| s.start);
                // a person in the source speaks for the place or body named before them
                // ("U.S. representative Donna Welton", "Acme spokesman John Smith")
                inside
                    .iter()
                    .find(|(_, ei)| doc.entities[*ei].kind == EntityType::Person)
                    .or(inside.first())
                    .map(|(_, ei)| *ei)
                    .or_else(|| relative_antecedent(text, &by_entity, *src))
                    .or_else(|| {
                        matches!(src.text(text), "it" | "It")
                            .then(|| doc.sentence_at(src.start))
                            .flatten()
                            .and_then(|si| it_antecedent(doc, &seen, si))
                    })
            } else {
                q.continues.and_then(|c| doc.quotes[c].speaker)
            };
            doc.quotes[qi].speaker = speaker;
        }
        Ok(())
    }
}

/// The entity a relative pronoun source stands for: "The U.S. government, which has
/// pressured ..." and "Obama, who said ..." are said by the mention just before the comma.
/// The words between that mention and the comma (at most two: "government") must belong to
/// its noun phrase, so "Trump attacked the plan, which ..." finds nobody.
fn relative_antecedent(text: &str, mentions: &[(ByteSpan, usize)], src: ByteSpan) -> Option<usize> {
    if !matches!(
        src.text(text).trim(),
        "who" | "which" | "that" | "Who" | "Which"
    ) {
        return None;
    }
    let (span, ei) = mentions
        .iter()
        .filter(|(s, _)| s.end <= src.start && !is_possessive(text, *s))
        .max_by_key(|(s, _)| s.end)?;
    let gap = text[span.end..src.start].trim_end();
    let before_comma = gap.strip_suffix(',')?;
    let words: Vec<&str> = before_comma.split_whitespace().collect();
    let np_words = words.len() <= 2
        && words.iter().all(|w| {
            w.chars()
                .all(|c| c.is_alphabetic() || c == '-' || c == '\'')
        });
    np_words.then_some(*ei)
}

/// True when the mention at byte `start` opens its sentence's subject: only title words,
/// brackets or determiners before it, or a short introductory phrase and a comma ("Later,
/// Cooper said").
fn subject_position(text: &str, toks: &[Tok], start: usize) -> bool {
    let k = toks.partition_point(|t| t.span.start < start);
    let pre = &toks[..k];
    let titleish = |t: &Tok| {
        let w = t.text(text);
        if !t.word {
            return matches!(w, "[" | "(" | "\"" | "“" | "]" | ")" | "-");
        }
        w.chars().next().is_some_and(char::is_uppercase)
            || TITLE_MODIFIERS.contains(&w)
            || matches!(w, "the" | "a" | "an")
    };
    if pre.iter().all(titleish) {
        return true;
    }
    (2..=7).contains(&k)
        && pre[k - 1].text(text) == ","
        && !pre[..k - 1].iter().any(|t| t.text(text) == ",")
}

/// "Cooper's" and, after a final s, "Thomas' sister".
fn is_possessive(text: &str, s: ByteSpan) -> bool {
    let rest = &text[s.end..];
    let bare = |mark: &str| {
        s.text(text).ends_with('s')
            && rest
                .strip_prefix(mark)
                .is_some_and(|r| !r.starts_with(char::is_alphanumeric))
    };
    rest.starts_with("'s") || rest.starts_with("’s") || bare("'") || bare("’")
}

/// The body or place an "it" source stands for ("KCNA said ... It added"): the organisation
/// or place that is the subject or the speaker of the nearest sentence that has one, this
/// one or the three before it. Persons are never "it".
fn it_antecedent(doc: &Document, seen: &[Seen], si: usize) -> Option<usize> {
    (si.saturating_sub(3)..=si).rev().find_map(|sj| {
        sentence_range(seen, sj)
            .iter()
            .rev()
            .find(|s| {
                s.sentence == sj && s.subject && doc.entities[s.entity].kind != EntityType::Person
            })
            .map(|s| s.entity)
    })
}

/// The entries of `seen` (in sentence order) seen in sentence `sj`.
fn sentence_range(seen: &[Seen], sj: usize) -> &[Seen] {
    let a = seen.partition_point(|s| s.sentence < sj);
    let b = seen.partition_point(|s| s.sentence <= sj);
    &seen[a..b]
}

/// A definite description of a role at token `k`: "the senator", "The former mayor" (the
/// article, at most one title modifier, a role noun in lower case), not followed by a name
/// or "of" (then the noun is a title of what follows: "the senator Amy Klein", "the mayor
/// of Leeds"). Returns the description's span and the index of its head noun's token.
fn role_description(text: &str, toks: &[Tok], k: usize) -> Option<(ByteSpan, usize)> {
    if !matches!(toks[k].text(text), "the" | "The") {
        return None;
    }
    let mut h = k + 1;
    if toks
        .get(h)
        .is_some_and(|x| TITLE_MODIFIERS.contains(&x.text(text)))
    {
        h += 1;
    }
    // one noun before an organisation's head noun: "the city council", "the school board"
    if toks.get(h + 1).is_some_and(|n| {
        let nw = n.text(text);
        n.word && nw.chars().all(char::is_lowercase) && org_head_noun(nw)
    }) && toks[h].word
        && toks[h].text(text).chars().all(char::is_lowercase)
        && !ROLE_NOUNS.contains(toks[h].text(text))
    {
        h += 1;
    }
    let head = toks.get(h)?;
    let w = head.text(text);
    if !head.word
        || !w.chars().all(char::is_lowercase)
        || !(ROLE_NOUNS.contains(w) || org_head_noun(w))
    {
        return None;
    }
    if let Some(next) = toks.get(h + 1) {
        let n = next.text(text);
        if n == "of" || (next.word && n.chars().next().is_some_and(char::is_uppercase)) {
            return None;
        }
    }
    Some((ByteSpan::new(toks[k].span.start, head.span.end), h))
}

/// Whether `w` (lower case) is an organisation's head noun ("company", "council", "agency").
fn org_head_noun(w: &str) -> bool {
    let mut cs = w.chars();
    cs.next().is_some_and(|c| {
        let cap: String = c.to_uppercase().chain(cs).collect();
        ORG_HEADS.contains(cap.as_str())
    })
}

/// Whether organisation `name` is what "the `words`" (head noun `noun`) describes: its last
/// word is the noun ("Riverside City Council" ... "the council"), or a legal form for
/// "company", and it holds the description's other words but title modifiers ("the city
/// council"; "the former council" asks nothing more).
fn org_is(name: &str, noun: &str, words: &str) -> bool {
    let name_words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    let last = name_words.last().map_or("", String::as_str);
    let head_fits = last == noun || (noun == "company" && COMPANY_ENDINGS.contains(&last));
    let mut others = words.split_whitespace();
    others.next_back(); // the head noun
    head_fits
        && others
            .filter(|w| !TITLE_MODIFIERS.contains(w))
            .all(|w| name_words.iter().any(|n| *n == w.to_lowercase()))
}

/// Whether `described` (an entity's title or one of its mentions, as written) names the
/// role noun `role`: "Senator Amy Klein" and "Sen. Amy Klein" are a senator and a lawmaker.
fn names_role(described: &str, role: &str) -> bool {
    described.split_whitespace().any(|w| {
        let w = w.to_lowercase();
        let w = w.trim_end_matches([',', '.']);
        let w = TITLE_ROLES
            .iter()
            .find(|(abbr, _)| *abbr == w)
            .map_or(w, |(_, r)| r);
        w == role || (role == "lawmaker" && LAWMAKERS.contains(&w))
    })
}

impl SpeakerResolver {
    /// The person a role description ("the senator") in sentence `si` stands for: the most
    /// recent person within reach whose title or name as written names that role
    /// ("Senator Amy Klein", "Janet Ortiz, the mayor,"). Nobody when no one does: a
    /// description is never guessed onto the nearest person. An organisation's noun ("the
    /// company", "the city council"; `words` is the description without its article) stands
    /// for an organisation whose name ends in it and holds its other words ("Riverside City
    /// Council"; "the appeals court" is not the "Supreme Court"), never for a person whose
    /// title mentions one ("Supreme Court Justice Frank Nervo" is no "court").
    fn holder_of_role(
        &self,
        doc: &Document,
        seen: &[Seen],
        titles: &[(usize, String)],
        si: usize,
        role: &str,
        words: &str,
    ) -> Option<usize> {
        let lo = si.saturating_sub(self.config.max_sentences_back);
        let text = doc.text.as_str();
        let person_role = ROLE_NOUNS.contains(role);
        seen.iter()
            .rev()
            .take_while(|s| s.sentence >= lo)
            .map(|s| s.entity)
            .find(|&ei| {
                let e = &doc.entities[ei];
                if e.kind == EntityType::Org {
                    return org_head_noun(role) && org_is(&e.name, role, words);
                }
                person_role
                    && e.kind == EntityType::Person
                    && (e.title.as_deref().is_some_and(|t| names_role(t, role))
                        || titles
                            .iter()
                            .any(|(tei, t)| *tei == ei && names_role(t, role))
                        || e.mentions
                            .iter()
                            .any(|m| names_role(m.span.text(text), role)))
            })
    }

    /// The entity a pronoun of gender `g` in sentence `si` refers to.
    fn antecedent(
        &self,
        doc: &Document,
        seen: &[Seen],
        gender: &[Option<Gender>],
        si: usize,
        g: Gender,
    ) -> Option<usize> {
        let ok = |s: &Seen| {
            doc.entities[s.entity].kind == EntityType::Person
                && gender[s.entity].is_none_or(|eg| eg == g)
        };
        let lo = si.saturating_sub(self.config.max_sentences_back);
        // same sentence: its subject; then the nearest earlier sentence with a subject
        for sj in (lo..=si).rev() {
            if let Some(s) = sentence_range(seen, sj).iter().find(|s| s.subject && ok(s)) {
                return Some(s.entity);
            }
        }
        // otherwise the most recent compatible mention nearby
        seen.iter()
            .rev()
            .take_while(|s| s.sentence + 3 >= si)
            .find(|s| ok(s))
            .map(|s| s.entity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Quote;
    use crate::stages::entities::EntityTaggerConfig;
    use crate::stages::quotes::QuoteTaggerConfig;
    use crate::stages::segment::SegmenterConfig;
    use crate::testutil::check_layers;

    /// `text` through the rule stages up to the quotes.
    fn quoted(text: &str) -> Document {
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
        doc
    }

    /// Resolves the speakers of a document through the quotes and checks its layers.
    fn resolved(mut doc: Document) -> Document {
        SpeakerResolverConfig::default()
            .build()
            .annotate(&mut doc)
            .unwrap();
        check_layers(&doc);
        doc
    }

    fn run(text: &str) -> Document {
        resolved(quoted(text))
    }

    fn speakers(doc: &Document) -> Vec<Option<String>> {
        doc.quotes
            .iter()
            .map(|q| q.speaker.map(|e| doc.entities[e].name.clone()))
            .collect()
    }

    #[test]
    fn speaker_table() {
        let table: &[(&str, &[Option<&str>])] = &[
            // pronoun across sentences, skipping a non-subject mention
            ("Mayor Ann Lee spoke on Monday. The plan follows one used by former President Bill Cole. She said, \"It will work.\"", &[Some("Ann Lee")]),
            // appositive
            ("Hugh Hill, a doctor, said, \"Rest is best.\"", &[Some("Hugh Hill")]),
            // title + surname joins the full name
            ("Clark Cooper arrived. \"We are close,\" Secretary Cooper said.", &[Some("Clark Cooper")]),
            // a country as a source
            ("South Korea continues to stand firm on the principle of \"a reasonable and fair share.\"", &[Some("South Korea")]),
            // a turn continued in the next paragraph
            ("\"We are close,\" said Jane Doe.\n\n\"The deal is near. Both sides agree.\"", &[Some("Jane Doe"), Some("Jane Doe")]),
            // the person of a source speaks, not the country of their title
            ("\"Talks went well,\" said U.S. representative Donna Welton.", &[Some("Donna Welton")]),
            // a nominal source has no entity
            ("\"It is over,\" the spokesman said.", &[None]),
            // a role description stands for the person who holds that role
            ("Senator Amy Klein arrived late. \"We are ready,\" the senator said.", &[Some("Amy Klein")]),
            ("Sen. Amy Klein arrived. Tom Wu left. \"We are ready,\" the lawmaker said.", &[Some("Amy Klein")]),
            ("The mayor, Janet Ortiz, spoke. Tom Wu, a doctor, nodded. \"We are safe,\" the mayor said.", &[Some("Janet Ortiz")]),
            // ... or for the organisation whose name ends in that noun
            ("Acme Widgets Inc. cut 40 jobs on Monday. \"Demand fell,\" the company said.", &[Some("Acme Widgets Inc.")]),
            ("The Riverside City Council met. \"We will pay,\" the city council said.", &[Some("Riverside City Council")]),
            // "it" speaks for the body that spoke last; a possessive names someone else
            ("Thomas Sam arrived. \"Go to a doctor,\" Thomas' sister said.", &[None]),
            // ... and nobody when no one holds it
            ("Senator Amy Klein arrived. \"We are ready,\" the mayor said.", &[None]),
            // a relative pronoun stands for the mention before its comma, not for a noun
            // that no entity holds
            ("Mayor Ann Lee, who said that taxes would rise, left early.", &[Some("Ann Lee")]),
            ("Mayor Ann Lee praised the young activists, who said that taxes would rise.", &[None]),
        ];
        for (text, want) in table {
            let doc = run(text);
            let want: Vec<Option<String>> = want.iter().map(|w| w.map(String::from)).collect();
            assert_eq!(speakers(&doc), want, "{text}");
        }
    }

    /// Runs the rule stages up to the quotes, then adds a quote said by `source` (as the
    /// tagger would: the rules take no "it" source) around `content`, then the speakers.
    fn run_with(text: &str, source: &str, content: &str) -> Document {
        let mut doc = quoted(text);
        let at = |s: &str| {
            let b = text.rfind(s).unwrap();
            ByteSpan::new(b, b + s.len())
        };
        doc.quotes.push(Quote {
            kind: QuoteKind::Indirect,
            cue: None,
            sources: vec![at(source)],
            contents: vec![at(content)],
            speaker: None,
            confidence: 0.7,
            continues: None,
        });
        resolved(doc)
    }

    #[test]
    fn it_speaks_for_the_body_that_spoke_last() {
        let doc = run_with(
            "\"We will respond,\" KCNA said. It added that provocation deserves punishment.",
            "It",
            "provocation deserves punishment",
        );
        assert_eq!(
            speakers(&doc),
            vec![Some("KCNA".into()), Some("KCNA".into())]
        );
        // a person is never "it"
        let doc = run_with(
            "\"We will respond,\" Ann Lee said. It added that provocation deserves punishment.",
            "It",
            "provocation deserves punishment",
        );
        assert_eq!(speakers(&doc), vec![Some("Ann Lee".into()), None]);
    }

    #[test]
    fn an_organisations_noun_needs_its_other_words_and_no_person_holds_it() {
        // the city council is the Riverside City Council; the appeals court is not the
        // Supreme Court, and the court is no judge whose title names one
        let said = |text: &str, source: &str| {
            speakers(&run_with(text, source, "the ruling stands"))
                .pop()
                .flatten()
        };
        assert_eq!(
            said(
                "The Riverside City Council met. The city council said the ruling stands.",
                "The city council"
            ),
            Some("Riverside City Council".into())
        );
        assert_eq!(
            said(
                "The Supreme Court ruled. The appeals court said the ruling stands.",
                "The appeals court"
            ),
            None
        );
        assert_eq!(
            said(
                "Supreme Court Justice Frank Nervo spoke. The court said the ruling stands.",
                "The court"
            ),
            None
        );
    }

    #[test]
    fn appositive_becomes_the_title_and_pronouns_join() {
        let doc = run("Clark Cooper, U.S. Deputy Assistant Secretary of State, stated, \"Talks resume.\" He added, \"Costs matter.\"");
        let e = &doc.entities[0];
        assert_eq!(e.name, "Clark Cooper");
        assert_eq!(
            e.title.as_deref(),
            Some("U.S. Deputy Assistant Secretary of State")
        );
        let ms: Vec<&str> = e.mentions.iter().map(|m| doc.slice(m.span)).collect();
        assert_eq!(ms, vec!["Clark Cooper", "He"]);
    }
}

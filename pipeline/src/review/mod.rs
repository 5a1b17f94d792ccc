//! The annotators' round trip: records out to an annotation tool, corrections back in.
//!
//! - [`label_studio`]: tasks with every extraction as a pre-labelled region, the labeling
//!   config they need, and the reader of Label Studio's JSON export;
//! - [`brat`]: standoff folders (`<file>.txt`, `<file>.ann`, `annotation.conf`,
//!   `visual.conf`) in PolNeAR's conventions, and their reader;
//! - [`diff`]: what annotators changed, layer by layer.
//!
//! Both tools meet the record through one model, defined here: a [`Region`] is a labelled
//! code point span of the article ([`Label`]: the PolNeAR roles, the entity types, claims),
//! with the few attributes a region carries (a quote's type, an entity's name, a claim's
//! standalone text, a score), and a [`Link`] joins two regions. [`regions_of`] turns a record's
//! layers into regions and links; [`assemble`] turns regions and links back into layers,
//! checking every region against the article and every link's ends. What a link means follows
//! from the labels it joins (a content and a cue: the cue of that quote; a source and a
//! person: the quote's speaker; two mentions: one entity; a claim and a content: the claim's
//! quote), so a relation an annotator draws without choosing a label means the same as one the
//! exporter wrote. Unedited regions assemble into exactly the layers they came from (tested
//! over every fixture).

pub mod brat;
pub mod diff;
pub mod label_studio;

use crate::document::{Document, EntityType, MentionKind, QuoteKind};
use crate::output::{to_record, ClaimKindOut, ClaimOut, EntityOut, MentionOut, QuoteOut, Record};
use crate::span::{CharIndex, CharSpan};
use crate::stage::{ErrorKind, StageError};
use std::collections::{BTreeMap, HashMap};

/// What a region is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Label {
    /// Who is said to speak (PolNeAR `Source`).
    Source,
    /// The reporting verb or phrase (PolNeAR `Cue`).
    Cue,
    /// What is said (PolNeAR `Content`).
    Content,
    /// A mention of a person (`PERSON`).
    Person,
    /// A mention of an organisation (`ORG`).
    Organisation,
    /// A mention of a place (`GPE`).
    Place,
    /// A claim.
    Claim,
}

impl Label {
    /// Every label, in the order the tools list them.
    pub const ALL: [Label; 7] = [
        Label::Source,
        Label::Cue,
        Label::Content,
        Label::Person,
        Label::Organisation,
        Label::Place,
        Label::Claim,
    ];

    /// The name both tools show (and the brat label).
    pub fn name(&self) -> &'static str {
        match self {
            Label::Source => "Source",
            Label::Cue => "Cue",
            Label::Content => "Content",
            Label::Person => "Person",
            Label::Organisation => "Organisation",
            Label::Place => "Place",
            Label::Claim => "Claim",
        }
    }

    /// The label of a name, exactly as [`Label::name`] writes it.
    pub fn parse(name: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.name() == name)
    }

    /// The record's entity type of an entity label.
    pub fn entity_type(&self) -> Option<EntityType> {
        match self {
            Label::Person => Some(EntityType::Person),
            Label::Organisation => Some(EntityType::Org),
            Label::Place => Some(EntityType::Gpe),
            _ => None,
        }
    }

    /// The entity label of a record's entity type.
    pub fn of_entity_type(t: EntityType) -> Label {
        match t {
            EntityType::Person => Label::Person,
            EntityType::Org => Label::Organisation,
            EntityType::Gpe => Label::Place,
        }
    }

    fn is_role(&self) -> bool {
        matches!(self, Label::Source | Label::Cue | Label::Content)
    }

    fn is_entity(&self) -> bool {
        self.entity_type().is_some()
    }
}

/// Attributes a region may carry, besides its span and label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Attributes {
    /// Content: the quote's type.
    pub quote_type: Option<QuoteKind>,
    /// Entity mention: its kind.
    pub mention_kind: Option<MentionKind>,
    /// Entity mention: the entity's fullest name.
    pub entity_name: Option<String>,
    /// Entity mention: the entity's role or office.
    pub entity_title: Option<String>,
    /// Claim: the standalone text.
    pub standalone: Option<String>,
    /// Content: the quote's confidence; claim: its check-worthiness; in `[0, 1]`.
    pub score: Option<f64>,
}

/// A labelled span of an article, as an annotation tool holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Region {
    /// Unique within its article.
    pub id: String,
    /// What it is.
    pub label: Label,
    /// Code point offsets into the article, end-exclusive, and the text they cover.
    pub span: CharSpan,
    /// Its attributes.
    pub attrs: Attributes,
}

/// A relation between two regions (direction does not matter: the labels say what it is).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    /// One end's region id.
    pub from: String,
    /// The other end's region id.
    pub to: String,
}

/// What is wrong with one article's annotation; the import of that article fails with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewError {
    /// `offsets` when a region's text is not the article's at its offsets or the texts
    /// differ, else `parse`.
    pub kind: ErrorKind,
    /// The region (or relation, written `from->to`) at fault, when one is.
    pub region: Option<String>,
    /// What is wrong, for people.
    pub message: String,
}

impl ReviewError {
    /// An error about one region or relation.
    pub fn at(region: impl Into<String>, message: impl Into<String>) -> Self {
        ReviewError {
            kind: ErrorKind::Parse,
            region: Some(region.into()),
            message: message.into(),
        }
    }

    /// An error about the article as a whole.
    pub fn article(message: impl Into<String>) -> Self {
        ReviewError {
            kind: ErrorKind::Parse,
            region: None,
            message: message.into(),
        }
    }

    /// The same error, of kind `offsets`.
    pub fn offsets(mut self) -> Self {
        self.kind = ErrorKind::Offsets;
        self
    }
}

impl std::fmt::Display for ReviewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.region {
            Some(r) => write!(f, "region {r}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// One article's corrected layers and, when a person reviewed it, the review's provenance;
/// or what is wrong with its annotation.
pub type Reviewed = Result<(Layers, Option<crate::output::ReviewOut>), ReviewError>;

/// The three layers an annotator corrects.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layers {
    /// Entities with their mentions.
    pub entities: Vec<EntityOut>,
    /// Quotes.
    pub quotes: Vec<QuoteOut>,
    /// Claims.
    pub claims: Vec<ClaimOut>,
}

impl Layers {
    /// The layers of a record (empty for an error record).
    pub fn of(r: &Record) -> Layers {
        Layers {
            entities: r.entities.clone().unwrap_or_default(),
            quotes: r.quotes.clone().unwrap_or_default(),
            claims: r.claims.clone().unwrap_or_default(),
        }
    }

    /// `record` with these layers in place of its own.
    ///
    /// What annotators do not edit comes from `record`: narrative claims get the article's
    /// voice (the `source` of its narrative claims: one byline per article), and a claim whose
    /// span and standalone text are unchanged keeps its embedding.
    pub fn replace_in(self, mut record: Record) -> Record {
        let before = record.claims.take().unwrap_or_default();
        let voice = match before.iter().find(|c| c.kind == ClaimKindOut::Narrative) {
            Some(c) => c.source.clone(),
            None => record.text.as_deref().and_then(voice_of_text),
        };
        let mut claims = self.claims;
        for c in &mut claims {
            if c.kind == ClaimKindOut::Narrative && c.source.is_none() {
                c.source = voice.clone();
            }
            if c.embedding.is_none() {
                c.embedding = before
                    .iter()
                    .find(|b| b.span == c.span && b.standalone == c.standalone)
                    .and_then(|b| b.embedding.clone());
            }
        }
        record.entities = Some(self.entities);
        record.quotes = Some(self.quotes);
        record.claims = Some(claims);
        record
    }
}

/// The article's own voice (see `stages::claims::narrative::article_voice`) as found in
/// `text` anew, for a record that has no narrative claim to take it from.
fn voice_of_text(text: &str) -> Option<crate::span::CharSpan> {
    let mut doc = Document::new("", text);
    let segmenter = crate::stages::segment::SegmenterConfig::default().build();
    crate::stage::Stage::annotate(&segmenter, &mut doc).ok()?;
    let span = crate::stages::claims::narrative::article_voice(&doc)?;
    let idx = crate::span::CharIndex::new(text);
    Some(crate::span::CharSpan {
        start: idx.char_offset(span.start)?,
        end: idx.char_offset(span.end)?,
        text: span.text(text).to_string(),
    })
}

/// The region ids [`regions_of`] gives: stable, readable, and unique within an article.
fn content_id(q: &str, k: usize) -> String {
    format!("{q}_content{}", k + 1)
}
fn source_id(q: &str, k: usize) -> String {
    format!("{q}_source{}", k + 1)
}
fn cue_id(q: &str) -> String {
    format!("{q}_cue")
}
fn mention_id(e: &str, k: usize) -> String {
    format!("{e}_mention{}", k + 1)
}

/// The regions and links that stand for a record's layers, in layer order: each quote's
/// contents (the first carrying the quote's type and confidence), cue and sources; each
/// entity's mentions (the first carrying the entity's name and title); each claim (carrying
/// its standalone text and check-worthiness). Links: later contents to the first, the first
/// content to the cue and to each source, the first source (or, with none, the first
/// content) to the speaker's mention, later mentions to an entity's first, each claim to the
/// content it lies in (or the quote's first).
pub fn regions_of(r: &Record) -> (Vec<Region>, Vec<Link>) {
    let mut regions = Vec::new();
    let mut links = Vec::new();
    let link = |links: &mut Vec<Link>, from: String, to: String| links.push(Link { from, to });
    let entities = r.entities.as_deref().unwrap_or_default();
    for q in r.quotes.iter().flatten() {
        for (k, c) in q.contents.iter().enumerate() {
            let mut attrs = Attributes::default();
            if k == 0 {
                attrs.quote_type = Some(q.kind);
                attrs.score = Some(q.confidence);
            } else {
                link(&mut links, content_id(&q.id, k), content_id(&q.id, 0));
            }
            regions.push(Region {
                id: content_id(&q.id, k),
                label: Label::Content,
                span: c.clone(),
                attrs,
            });
        }
        if let Some(c) = &q.cue {
            regions.push(Region {
                id: cue_id(&q.id),
                label: Label::Cue,
                span: c.clone(),
                attrs: Attributes::default(),
            });
            link(&mut links, content_id(&q.id, 0), cue_id(&q.id));
        }
        for (k, s) in q.sources.iter().enumerate() {
            regions.push(Region {
                id: source_id(&q.id, k),
                label: Label::Source,
                span: s.clone(),
                attrs: Attributes::default(),
            });
            link(&mut links, content_id(&q.id, 0), source_id(&q.id, k));
        }
        if let Some(e) = q
            .speaker
            .as_ref()
            .and_then(|id| entities.iter().find(|e| &e.id == id))
        {
            let from = if q.sources.is_empty() {
                content_id(&q.id, 0)
            } else {
                source_id(&q.id, 0)
            };
            link(&mut links, from, mention_id(&e.id, speaker_mention(e, q)));
        }
    }
    for e in entities {
        for (k, m) in e.mentions.iter().enumerate() {
            let mut attrs = Attributes {
                mention_kind: Some(m.kind),
                ..Attributes::default()
            };
            if k == 0 {
                attrs.entity_name = Some(e.name.clone());
                attrs.entity_title = e.title.clone();
            } else {
                link(&mut links, mention_id(&e.id, k), mention_id(&e.id, 0));
            }
            regions.push(Region {
                id: mention_id(&e.id, k),
                label: Label::of_entity_type(e.kind),
                span: CharSpan {
                    start: m.start,
                    end: m.end,
                    text: m.text.clone(),
                },
                attrs,
            });
        }
    }
    let quotes = r.quotes.as_deref().unwrap_or_default();
    for c in r.claims.iter().flatten() {
        regions.push(Region {
            id: c.id.clone(),
            label: Label::Claim,
            span: c.span.clone(),
            attrs: Attributes {
                standalone: Some(c.standalone.clone()),
                score: c.checkworthiness,
                ..Attributes::default()
            },
        });
        if let Some(q) = c
            .quote
            .as_ref()
            .and_then(|id| quotes.iter().find(|q| &q.id == id))
        {
            let k = q
                .contents
                .iter()
                .position(|s| s.start < c.span.end && c.span.start < s.end)
                .unwrap_or(0);
            link(&mut links, c.id.clone(), content_id(&q.id, k));
        }
    }
    (regions, links)
}

/// The mention of `e` a speaker link of `q` goes to: one that is a source of the quote, or
/// lies in one, else the entity's first.
fn speaker_mention(e: &EntityOut, q: &QuoteOut) -> usize {
    let inside = |m: &MentionOut| {
        q.sources
            .iter()
            .any(|s| s.start <= m.start && m.end <= s.end)
    };
    e.mentions.iter().position(inside).unwrap_or(0)
}

/// A tiny union-find over region indices.
struct Groups(Vec<usize>);

impl Groups {
    fn new(n: usize) -> Self {
        Groups((0..n).collect())
    }
    fn find(&mut self, i: usize) -> usize {
        let mut r = i;
        while self.0[r] != r {
            r = self.0[r];
        }
        let mut i = i;
        while self.0[i] != r {
            let next = self.0[i];
            self.0[i] = r;
            i = next;
        }
        r
    }
    fn join(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        // the lower index stays the root, so a group's root is its first region
        let (lo, hi) = (ra.min(rb), ra.max(rb));
        self.0[hi] = lo;
    }
}

/// The type of a quote an annotator drew without choosing one: `direct` when its contents
/// open and close with quotation marks, `mixed` when they hold one, else `indirect` (the
/// distinction the quote stage draws).
fn quote_type_of(contents: &[CharSpan]) -> QuoteKind {
    let is_mark = |c: char| crate::lexicon::is_quote_mark(c);
    let all = contents.iter().all(|s| {
        let t = s.text.trim();
        t.chars().next().is_some_and(is_mark) || t.chars().last().is_some_and(is_mark)
    });
    if all {
        QuoteKind::Direct
    } else if contents.iter().any(|s| s.text.chars().any(is_mark)) {
        QuoteKind::Mixed
    } else {
        QuoteKind::Indirect
    }
}

/// The kind of a mention an annotator drew without choosing one: `pronoun` for a pronoun,
/// `nominal` when it starts with a lower-case letter, else `name`.
fn mention_kind_of(text: &str) -> MentionKind {
    if crate::lexicon::is_pronoun(text) {
        MentionKind::Pronoun
    } else if text.chars().next().is_some_and(|c| c.is_lowercase()) {
        MentionKind::Nominal
    } else {
        MentionKind::Name
    }
}

/// Checks one region against the article: offsets in bounds, its text the article's.
fn check_region(text: &str, idx: &CharIndex, r: &Region) -> Result<(), ReviewError> {
    if r.span.start >= r.span.end {
        return Err(ReviewError::at(
            &r.id,
            format!(
                "{} region {}..{} is empty",
                r.label.name(),
                r.span.start,
                r.span.end
            ),
        ));
    }
    crate::output::verify_span(text, idx, &r.span, r.label.name()).map_err(|e| {
        ReviewError::at(
            &r.id,
            format!("{} (the article's text at those offsets)", e.message),
        )
        .offsets()
    })
}

/// Builds the layers from regions and links, checking everything: every region's text
/// against `text` at its offsets, no duplicate region ids, every link's ends present and
/// meaningful together, at most one cue and one speaker per quote, one type per entity.
/// Items are numbered as `extract` numbers them (`q1`.. by first content, `e1`.. in the
/// order their first region comes, `c1`.. by span), and marked `reviewed` when `reviewed`.
///
/// Attributes left unset by an annotator are derived and documented: a quote's type from its
/// quotation marks (`quote_type_of`), its confidence 1; an entity's name from its longest
/// name mention, no title; a mention's kind from its text; a claim's standalone text its own
/// text, no check-worthiness. A claim's speaker is its quote's.
///
/// # Errors
/// The first problem found, naming the region or relation.
pub fn assemble(
    text: &str,
    regions: &[Region],
    links: &[Link],
    reviewed: bool,
) -> Result<Layers, ReviewError> {
    let idx = CharIndex::new(text);
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, r) in regions.iter().enumerate() {
        check_region(text, &idx, r)?;
        if by_id.insert(r.id.as_str(), i).is_some() {
            return Err(ReviewError::at(&r.id, "two regions have this id"));
        }
    }
    let n = regions.len();
    let mut quote_groups = Groups::new(n);
    let mut entity_groups = Groups::new(n);
    let mut speaker_links: Vec<(usize, usize)> = Vec::new(); // (role region, mention)
    let mut claim_links: Vec<(usize, usize)> = Vec::new(); // (claim, content)
    for l in links {
        let name = format!("{}->{}", l.from, l.to);
        let end = |id: &str| {
            by_id.get(id).copied().ok_or_else(|| {
                ReviewError::at(
                    &name,
                    format!("the relation points to region {id}, which does not exist"),
                )
            })
        };
        let (a, b) = (end(&l.from)?, end(&l.to)?);
        let (la, lb) = (regions[a].label, regions[b].label);
        use Label::*;
        match (la, lb) {
            (Content, Cue | Source | Content) | (Cue | Source, Content) => quote_groups.join(a, b),
            (Source | Content, _) if lb.is_entity() => speaker_links.push((a, b)),
            (_, Source | Content) if la.is_entity() => speaker_links.push((b, a)),
            _ if la.is_entity() && lb.is_entity() => entity_groups.join(a, b),
            (Claim, Content) => claim_links.push((a, b)),
            (Content, Claim) => claim_links.push((b, a)),
            _ => {
                return Err(ReviewError::at(
                    &name,
                    format!(
                        "a relation between a {} and a {} means nothing to claimex (it reads content-cue, content-source, content-content, source-mention, mention-mention and claim-content)",
                        la.name(),
                        lb.name()
                    ),
                ))
            }
        }
    }

    // entities: groups of mentions, in the order their first region comes
    let mut entity_of: HashMap<usize, usize> = HashMap::new(); // region -> entity index
    let mut entity_members: Vec<Vec<usize>> = Vec::new();
    let mut root_entity: HashMap<usize, usize> = HashMap::new();
    for (i, r) in regions.iter().enumerate() {
        if !r.label.is_entity() {
            continue;
        }
        let root = entity_groups.find(i);
        let e = *root_entity.entry(root).or_insert_with(|| {
            entity_members.push(Vec::new());
            entity_members.len() - 1
        });
        entity_members[e].push(i);
        entity_of.insert(i, e);
    }
    let mut entities = Vec::new();
    for (k, members) in entity_members.iter().enumerate() {
        let first = &regions[members[0]];
        if let Some(m) = members.iter().find(|&&m| regions[m].label != first.label) {
            return Err(ReviewError::at(
                &regions[*m].id,
                format!(
                    "a {} mention is linked to the {} mention {} as one entity",
                    regions[*m].label.name(),
                    first.label.name(),
                    first.id
                ),
            ));
        }
        let mut mentions: Vec<MentionOut> = members
            .iter()
            .map(|&m| {
                let r = &regions[m];
                MentionOut {
                    start: r.span.start,
                    end: r.span.end,
                    text: r.span.text.clone(),
                    kind: r
                        .attrs
                        .mention_kind
                        .unwrap_or_else(|| mention_kind_of(&r.span.text)),
                }
            })
            .collect();
        mentions.sort_by_key(|m| (m.start, m.end));
        let named = members
            .iter()
            .find(|&&m| regions[m].attrs.entity_name.is_some());
        let name = match named {
            Some(&m) => regions[m].attrs.entity_name.clone().unwrap_or_default(),
            None => mentions
                .iter()
                .filter(|m| m.kind == MentionKind::Name)
                .max_by_key(|m| (m.text.chars().count(), std::cmp::Reverse(m.start)))
                .unwrap_or(&mentions[0])
                .text
                .clone(),
        };
        let title = named.and_then(|&m| regions[m].attrs.entity_title.clone());
        entities.push(EntityOut {
            id: format!("e{}", k + 1),
            name,
            kind: first.label.entity_type().unwrap_or(EntityType::Person),
            title,
            mentions,
            reviewed,
        });
    }

    // quotes: groups of role regions holding a content
    let mut root_quote: HashMap<usize, usize> = HashMap::new();
    let mut quote_members: Vec<Vec<usize>> = Vec::new();
    for (i, r) in regions.iter().enumerate() {
        if r.label == Label::Content {
            let root = quote_groups.find(i);
            if let std::collections::hash_map::Entry::Vacant(v) = root_quote.entry(root) {
                v.insert(quote_members.len());
                quote_members.push(Vec::new());
            }
        }
    }
    let mut quote_of: HashMap<usize, usize> = HashMap::new();
    for (i, r) in regions.iter().enumerate() {
        if !r.label.is_role() {
            continue;
        }
        let Some(&q) = root_quote.get(&quote_groups.find(i)) else {
            return Err(ReviewError::at(
                &r.id,
                format!("this {} is linked to no content", r.label.name()),
            ));
        };
        quote_members[q].push(i);
        quote_of.insert(i, q);
    }
    let mut speakers: Vec<Option<usize>> = vec![None; quote_members.len()];
    for &(role, mention) in &speaker_links {
        let (q, e) = (quote_of[&role], entity_of[&mention]);
        match speakers[q] {
            Some(other) if other != e => {
                return Err(ReviewError::at(
                    &regions[role].id,
                    format!(
                        "the quote has two speakers ({} and {})",
                        entities[other].name, entities[e].name
                    ),
                ))
            }
            _ => speakers[q] = Some(e),
        }
    }
    let mut quotes = Vec::new();
    for (q, members) in quote_members.iter().enumerate() {
        let span = |i: &usize| regions[*i].span.clone();
        let pick = |l: Label| members.iter().filter(move |&&i| regions[i].label == l);
        let mut contents: Vec<(usize, CharSpan)> =
            pick(Label::Content).map(|i| (*i, span(i))).collect();
        contents.sort_by_key(|(_, s)| (s.start, s.end));
        let mut sources: Vec<CharSpan> = pick(Label::Source).map(span).collect();
        sources.sort_by_key(|s| (s.start, s.end));
        let cues: Vec<&usize> = pick(Label::Cue).collect();
        if cues.len() > 1 {
            return Err(ReviewError::at(
                &regions[*cues[1]].id,
                format!(
                    "the quote has two cues ({} and {})",
                    regions[*cues[0]].id, regions[*cues[1]].id
                ),
            ));
        }
        let typed = contents
            .iter()
            .map(|(i, _)| *i)
            .find(|&i| regions[i].attrs.quote_type.is_some());
        let scored = contents
            .iter()
            .map(|(i, _)| *i)
            .find(|&i| regions[i].attrs.score.is_some());
        let contents: Vec<CharSpan> = contents.into_iter().map(|(_, s)| s).collect();
        let kind = typed
            .and_then(|i| regions[i].attrs.quote_type)
            .unwrap_or_else(|| quote_type_of(&contents));
        quotes.push((
            q,
            QuoteOut {
                id: String::new(),
                kind,
                cue: cues.first().map(|i| span(i)),
                sources,
                contents,
                speaker: speakers[q].map(|e| entities[e].id.clone()),
                confidence: scored.and_then(|i| regions[i].attrs.score).unwrap_or(1.0),
                reviewed,
            },
        ));
    }
    // stable: a tie keeps the order the regions came in
    quotes.sort_by_key(|(_, x)| (x.contents[0].start, x.contents[0].end));
    let mut quote_id: HashMap<usize, usize> = HashMap::new();
    let quotes: Vec<QuoteOut> = quotes
        .into_iter()
        .enumerate()
        .map(|(k, (q, mut x))| {
            quote_id.insert(q, k);
            x.id = format!("q{}", k + 1);
            x
        })
        .collect();

    let mut claim_quote: BTreeMap<usize, usize> = BTreeMap::new();
    for &(claim, content) in &claim_links {
        let q = quote_id[&quote_of[&content]];
        if let Some(&other) = claim_quote.get(&claim) {
            if other != q {
                return Err(ReviewError::at(
                    &regions[claim].id,
                    "the claim is linked to the contents of two quotes",
                ));
            }
        }
        claim_quote.insert(claim, q);
    }
    let mut claims: Vec<ClaimOut> = Vec::new();
    for (i, r) in regions.iter().enumerate() {
        if r.label != Label::Claim {
            continue;
        }
        let quote = claim_quote.get(&i).map(|&q| &quotes[q]);
        let kind = match quote {
            Some(q) if q.kind == QuoteKind::Direct => ClaimKindOut::Quoted,
            Some(_) => ClaimKindOut::Reported,
            None => ClaimKindOut::Narrative,
        };
        claims.push(ClaimOut {
            id: String::new(),
            kind,
            text: r.span.text.clone(),
            standalone: r
                .attrs
                .standalone
                .clone()
                .unwrap_or_else(|| r.span.text.clone()),
            span: r.span.clone(),
            quote: quote.map(|q| q.id.clone()),
            speaker: quote.and_then(|q| q.speaker.clone()),
            checkworthiness: r.attrs.score,
            // a narrative claim's voice is the article's byline, which annotators do not
            // edit: `corrected` takes it from the record the regions came from
            source: None,
            embedding: None,
            reviewed,
        });
    }
    claims.sort_by_key(|c| (c.span.start, c.span.end));
    for (k, c) in claims.iter_mut().enumerate() {
        c.id = format!("c{}", k + 1);
    }
    Ok(Layers {
        entities,
        quotes,
        claims,
    })
}

/// The record an import starts from when no records file is given: the article's text with
/// the paragraphs and sentences `extract` would find, and no other layer.
pub fn skeleton(id: &str, text: &str) -> Record {
    let mut doc = Document::new(id, text);
    let segmenter = crate::stages::segment::SegmenterConfig::default().build();
    // the segmenter only fails on a bug; an import then goes on without sentences
    let _ = crate::stage::Stage::annotate(&segmenter, &mut doc);
    match to_record(&doc) {
        Ok(r) => r,
        Err(e) => crate::output::error_record(id, &e),
    }
}

/// The corrected record of one article: `base` (the article's record from `--records`, or
/// its [`skeleton`]) with `layers` in place of its own and `review` as its provenance.
///
/// # Errors
/// When `text` is not the base record's text, or a span fails the writer's check.
pub fn corrected(
    base: Record,
    text: &str,
    layers: Layers,
    review: Option<crate::output::ReviewOut>,
) -> Result<Record, ReviewError> {
    if base.text.as_deref() != Some(text) {
        let why = match &base.text {
            None => "the record of this id is an error record".to_string(),
            Some(t) => {
                let at = t
                    .chars()
                    .zip(text.chars())
                    .take_while(|(a, b)| a == b)
                    .count();
                format!(
                    "the annotated text differs from the record's from code point {at} (record: {} code points, annotated: {})",
                    t.chars().count(),
                    text.chars().count()
                )
            }
        };
        return Err(ReviewError::article(why).offsets());
    }
    let mut r = layers.replace_in(base);
    r.review = review;
    crate::output::verify_record(&r).map_err(|e| ReviewError::article(e.message).offsets())?;
    Ok(r)
}

/// The error record an article whose import failed becomes: `where_` says which file and
/// item (`tasks.json task 3`), the error which region and what is wrong.
pub fn error_record(id: &str, where_: &str, e: &ReviewError) -> Record {
    crate::output::error_record(
        id,
        &StageError::new(e.kind.clone(), format!("{where_}: {e}")),
    )
}

/// Reads a records file (`claimex extract` output), keyed by id, in file order.
///
/// # Errors
/// A message naming the line that is not a record.
pub fn read_records(text: &str, name: &str) -> Result<Vec<Record>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l)
                .map(|mut r| {
                    crate::output::upgrade(&mut r);
                    r
                })
                .map_err(|e| format!("{name} line {}: not a claimex record: {e}", i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> Record {
        crate::testutil::rule_record("t", text)
    }

    const SAMPLE: &str = "👩🏽‍🔬 Dr. Zoë Adams said on Monday, \"The 🇫🇷 trial failed.\"\n\n\"We will try again,\" she added. Officials at Acme Corp. disagreed.";

    #[test]
    fn regions_assemble_into_the_layers_they_came_from() {
        let r = record(SAMPLE);
        assert!(!r.quotes.as_ref().unwrap().is_empty());
        let (regions, links) = regions_of(&r);
        let layers = assemble(r.text.as_deref().unwrap(), &regions, &links, false).unwrap();
        assert_eq!(layers, Layers::of(&r));
    }

    #[test]
    fn a_moved_region_no_longer_matching_its_text_fails() {
        let r = record(SAMPLE);
        let (mut regions, links) = regions_of(&r);
        regions[0].span.start += 1;
        let err = assemble(r.text.as_deref().unwrap(), &regions, &links, true).unwrap_err();
        assert_eq!(err.region.as_deref(), Some(regions[0].id.as_str()));
        assert!(err.message.contains("holds"), "{err}");
    }

    #[test]
    fn links_are_checked() {
        let r = record(SAMPLE);
        let text = r.text.as_deref().unwrap();
        let (regions, mut links) = regions_of(&r);
        links.push(Link {
            from: "q1_content1".into(),
            to: "nowhere".into(),
        });
        let err = assemble(text, &regions, &links, true).unwrap_err();
        assert!(err.message.contains("does not exist"), "{err}");
        links.pop();
        // a claim linked to a cue means nothing
        links.push(Link {
            from: "c1".into(),
            to: "q1_cue".into(),
        });
        let err = assemble(text, &regions, &links, true).unwrap_err();
        assert!(err.message.contains("means nothing"), "{err}");
        links.pop();
        // a cue linked to nothing
        let (mut regions, mut links) = regions_of(&r);
        links.retain(|l| l.to != "q1_cue");
        let err = assemble(text, &regions, &links, true).unwrap_err();
        assert_eq!(err.region.as_deref(), Some("q1_cue"));
        regions.retain(|x| x.id != "q1_cue");
        assert!(assemble(text, &regions, &links, true).is_ok());
    }

    #[test]
    fn attributes_an_annotator_left_unset_are_derived() {
        let text = "Mayor Ana Ruiz said, \"Taxes will fall.\" She left.";
        let chars: Vec<char> = text.chars().collect();
        let span = |s: usize, e: usize| CharSpan {
            start: s,
            end: e,
            text: chars[s..e].iter().collect(),
        };
        let region = |id: &str, label, s, e| Region {
            id: id.into(),
            label,
            span: span(s, e),
            attrs: Attributes::default(),
        };
        let regions = vec![
            region("a", Label::Content, 21, 39),
            region("b", Label::Source, 0, 14),
            region("m1", Label::Person, 6, 14),
            region("m2", Label::Person, 40, 43),
            region("c", Label::Claim, 22, 37),
        ];
        let l = |a: &str, b: &str| Link {
            from: a.into(),
            to: b.into(),
        };
        let links = vec![l("a", "b"), l("b", "m1"), l("m2", "m1"), l("c", "a")];
        let layers = assemble(text, &regions, &links, true).unwrap();
        let q = &layers.quotes[0];
        assert_eq!(
            (q.kind.as_str(), q.confidence, q.reviewed),
            ("direct", 1.0, true)
        );
        assert_eq!(q.speaker.as_deref(), Some("e1"));
        let e = &layers.entities[0];
        assert_eq!(e.name, "Ana Ruiz");
        assert_eq!(e.mentions[1].kind, MentionKind::Pronoun);
        let c = &layers.claims[0];
        assert_eq!(
            (c.standalone.as_str(), c.speaker.as_deref()),
            ("Taxes will fall", Some("e1"))
        );
        assert_eq!(c.checkworthiness, None);
    }
}

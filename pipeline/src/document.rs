//! The document model: one article's immutable text and the layers stages add to it.
//!
//! Every span in a layer is a [`ByteSpan`] into [`Document::text`], on char boundaries.
//! Stages only ever add or refine layers; no stage changes `text`.

use crate::span::ByteSpan;
use crate::tagged::TaggedRole;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Optional metadata that came with an article (JSONL input or HTML `<title>`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Meta {
    /// Where the article was published.
    pub url: Option<String>,
    /// Headline as given by the input.
    pub title: Option<String>,
    /// Publication date as given by the input, not parsed.
    pub published: Option<String>,
}

/// What a paragraph is: only `Body` and `Headline` paragraphs are analysed for quotes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ParagraphRole {
    /// Article prose.
    Body,
    /// A title, subtitle or deck line: short, no closing punctuation, before the body.
    Headline,
    /// Navigation, bylines, image captions, copyright lines, social links.
    Boilerplate,
}

impl ParagraphRole {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ParagraphRole::Body => "body",
            ParagraphRole::Headline => "headline",
            ParagraphRole::Boilerplate => "boilerplate",
        }
    }

    /// True when quotes and claims may be extracted from such a paragraph.
    pub fn is_analysed(&self) -> bool {
        !matches!(self, ParagraphRole::Boilerplate)
    }
}

/// A paragraph: a run of text between blank lines (or line breaks that end a sentence).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Paragraph {
    /// Trimmed of surrounding whitespace; never empty.
    pub span: ByteSpan,
    /// Body, headline or boilerplate.
    pub role: ParagraphRole,
}

/// A sentence; sentences never cross paragraphs and are sorted and disjoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sentence {
    /// Trimmed; never empty.
    pub span: ByteSpan,
    /// Index into [`Document::paragraphs`].
    pub paragraph: usize,
}

/// How a quotation is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// Quotation marks around whole clauses: `He said, "..."`.
    Direct,
    /// Reported speech without quotation marks: `Analysts suggest that ...`.
    Indirect,
    /// A quoted fragment inside narration: `He raised the issue of "burden sharing"`.
    Mixed,
}

impl QuoteKind {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            QuoteKind::Direct => "direct",
            QuoteKind::Indirect => "indirect",
            QuoteKind::Mixed => "mixed",
        }
    }
}

/// Which entity a mention refers to, and how it was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum MentionKind {
    /// A name ("Clark Cooper", "Cooper", "South Korea"), possibly with a title before it.
    Name,
    /// A personal pronoun ("He", "she", "they").
    Pronoun,
    /// A description that stands for the entity ("the spokesman").
    Nominal,
}

impl MentionKind {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            MentionKind::Name => "name",
            MentionKind::Pronoun => "pronoun",
            MentionKind::Nominal => "nominal",
        }
    }
}

/// The wire names print as themselves (`direct`, `PERSON`, `name`, `body`).
macro_rules! display_as_wire_name {
    ($($t:ty),*) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}
display_as_wire_name!(ParagraphRole, QuoteKind, MentionKind, EntityType);

/// Parses a wire name (`"direct"`, `"PERSON"`, ...), as serde reads it.
macro_rules! parse_wire_name {
    ($($t:ty),*) => {$(
        impl std::str::FromStr for $t {
            type Err = serde_json::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                serde_json::from_value(serde_json::Value::String(s.to_string()))
            }
        }
    )*};
}
parse_wire_name!(ParagraphRole, QuoteKind, MentionKind, EntityType);

/// Entity types the speaker stage distinguishes.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    /// A person.
    Person,
    /// A company, agency, party, newspaper or other organisation.
    Org,
    /// A country, city or region (as a political actor or a place).
    Gpe,
}

impl EntityType {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            EntityType::Person => "PERSON",
            EntityType::Org => "ORG",
            EntityType::Gpe => "GPE",
        }
    }
}

/// One quotation: who (sources) said what (contents) through which verb (cue).
#[derive(Clone, Debug, PartialEq)]
pub struct Quote {
    /// Direct, indirect or mixed.
    pub kind: QuoteKind,
    /// The reporting verb or phrase, or the colon or dash that sets a quote off from its
    /// speaker (as PolNeAR annotates them); `None` for quotes that continue an earlier
    /// speaker's turn, pull-quote name lines without a dash, and unattributed quotes.
    pub cue: Option<ByteSpan>,
    /// The source noun phrases as written (may be empty when the speaker is only inferred).
    pub sources: Vec<ByteSpan>,
    /// The quoted or reported material, without the quotation marks; one per paragraph when
    /// a quote runs over paragraphs. Sorted, disjoint, non-empty.
    pub contents: Vec<ByteSpan>,
    /// Index into [`Document::entities`] of the speaker, once resolved.
    pub speaker: Option<usize>,
    /// How sure the tagger is, in `[0, 1]`.
    pub confidence: f32,
    /// Index of an earlier quote whose speaker this one continues (a turn over several
    /// quotes), when this quote names no source itself.
    pub continues: Option<usize>,
}

/// A mention of an entity in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The mention as written, titles included ("Deputy Assistant Secretary Cooper").
    pub span: ByteSpan,
    /// Name, pronoun or nominal.
    pub kind: MentionKind,
    /// The bare name inside `span` (titles removed); equals `span` for pronouns.
    pub head: ByteSpan,
}

/// An entity: everything in the article that refers to one person, organisation or place.
#[derive(Clone, Debug, PartialEq)]
pub struct Entity {
    /// The fullest name it is written with ("Clark Cooper").
    pub name: String,
    /// Person, organisation or place.
    pub kind: EntityType,
    /// Its role or office, the longest written ("U.S. Deputy Assistant Secretary of State").
    pub title: Option<String>,
    /// Its mentions, sorted by position.
    pub mentions: Vec<Mention>,
}

/// Where a claim comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ClaimKind {
    /// A direct quotation's content: the speaker's own words.
    Quoted,
    /// Indirect or mixed speech: the article reports what someone said.
    Reported,
    /// A sentence the article states in its own voice, outside every quotation.
    Narrative,
}

impl ClaimKind {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimKind::Quoted => "quoted",
            ClaimKind::Reported => "reported",
            ClaimKind::Narrative => "narrative",
        }
    }

    /// Every kind, in wire order.
    pub const ALL: [ClaimKind; 3] = [ClaimKind::Quoted, ClaimKind::Reported, ClaimKind::Narrative];

    /// The kind of a claim from a quote of `kind`: direct quotes are `Quoted`, indirect and
    /// mixed ones `Reported`.
    pub fn of_quote(kind: QuoteKind) -> Self {
        match kind {
            QuoteKind::Direct => ClaimKind::Quoted,
            QuoteKind::Indirect | QuoteKind::Mixed => ClaimKind::Reported,
        }
    }
}

/// A claim worth checking: one statement made in the article (a compound content gives one
/// claim per independent clause).
#[derive(Clone, Debug, PartialEq)]
pub struct Claim {
    /// Quoted, reported or narrative.
    pub kind: ClaimKind,
    /// The claim as written, without quotation marks and trailing punctuation; a contiguous
    /// piece of one content (or of one sentence, for narrative claims).
    pub span: ByteSpan,
    /// The claim as a checker would search it: pronouns and nominals replaced by the names the
    /// speaker stage resolved, surnames expanded to full names, and the subject a clause
    /// shares with an earlier one put back; one sentence.
    pub standalone: String,
    /// For a narrative claim, who the article's own voice is: the byline's reporter, else the
    /// outlet, as the text names them; `None` when the text names neither, and for quoted and
    /// reported claims (their speaker is the quote's).
    pub source: Option<ByteSpan>,
    /// Index into [`Document::quotes`] when the claim is a quotation's content.
    pub quote: Option<usize>,
    /// Index into [`Document::entities`] of who made it.
    pub speaker: Option<usize>,
    /// Check-worthiness in `[0, 1]`, or `None` until a scorer has run.
    pub checkworthiness: Option<f32>,
    /// The standalone text's sentence embedding (the base encoder's mean-pooled states,
    /// L2-normalised, each component × 127 rounded to int8), or `None` until a model ran.
    /// Grouping the same claim across articles compares these (`claimex claims`).
    pub embedding: Option<Vec<i8>>,
}

/// Keeps the quotes at `order` (indices into `quotes`, each at most once), in that order,
/// remapping `continues`: a quote that continued a dropped one continues none.
pub fn reorder_quotes(quotes: Vec<Quote>, order: &[usize]) -> Vec<Quote> {
    let mut new_index = vec![None; quotes.len()];
    for (n, &o) in order.iter().enumerate() {
        new_index[o] = Some(n);
    }
    let mut slots: Vec<Option<Quote>> = quotes.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&o| slots[o].take())
        .map(|mut q| {
            q.continues = q
                .continues
                .and_then(|c| new_index.get(c).copied().flatten());
            q
        })
        .collect()
}

/// Sorts quotes by their first content (the quote layer's order), remapping `continues`.
pub fn sort_quotes(quotes: Vec<Quote>) -> Vec<Quote> {
    let mut order: Vec<usize> = (0..quotes.len()).collect();
    order.sort_by_key(|&i| (quotes[i].contents[0].start, quotes[i].contents[0].end));
    reorder_quotes(quotes, &order)
}

/// A span from a model head, typed and mapped to bytes and checked against the text (by
/// [`crate::tagged::store`], the one place model offsets enter a document). Internal: the
/// stages that read it (entities, attribution linking) turn it into output layers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelSpan {
    /// The head that tagged it and the label it gave.
    pub role: TaggedRole,
    /// The span, trimmed of whitespace, never empty.
    pub span: ByteSpan,
    /// Mean probability of its tags, in `[0, 1]`.
    pub score: f32,
}

/// One article and every layer the stages added.
#[derive(Clone, Debug, Default)]
pub struct Document {
    /// Stable identifier from the input (file stem or JSONL `id`).
    pub id: String,
    /// The analysed text; never modified once the document exists.
    pub text: String,
    /// Input metadata.
    pub meta: Meta,
    /// Paragraph layer (segment stage).
    pub paragraphs: Vec<Paragraph>,
    /// Sentence layer (segment stage).
    pub sentences: Vec<Sentence>,
    /// Quote layer (quote stage), sorted by first content.
    pub quotes: Vec<Quote>,
    /// Entity layer (entity and speaker stages), sorted by first mention.
    pub entities: Vec<Entity>,
    /// Claim layer (claim stage), sorted by span.
    pub claims: Vec<Claim>,
    /// Narrative claim candidates (claim stage), sorted by span: body and headline
    /// statements outside every quotation. A check-worthiness scorer moves those that pass
    /// its threshold into [`Document::claims`]; without one they are never output (a
    /// narrative sentence is a claim only when a model says it is checkable).
    pub narrative: Vec<Claim>,
    /// Spans from the model heads (empty without models), in the order the heads gave them.
    pub tagged: Vec<ModelSpan>,
}

impl Document {
    /// A document with no layers yet.
    pub fn new(id: impl Into<String>, text: impl Into<String>) -> Self {
        Document {
            id: id.into(),
            text: text.into(),
            ..Default::default()
        }
    }

    /// The text of `span`.
    pub fn slice(&self, span: ByteSpan) -> &str {
        span.text(&self.text)
    }

    /// Index of the sentence that contains byte `pos`, if any.
    pub fn sentence_at(&self, pos: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        (i < self.sentences.len() && self.sentences[i].span.start <= pos).then_some(i)
    }

    /// Index of the paragraph that contains byte `pos`, if any.
    pub fn paragraph_at(&self, pos: usize) -> Option<usize> {
        let i = self.paragraphs.partition_point(|p| p.span.end <= pos);
        (i < self.paragraphs.len() && self.paragraphs[i].span.start <= pos).then_some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quote(start: usize, continues: Option<usize>) -> Quote {
        Quote {
            kind: QuoteKind::Direct,
            cue: None,
            sources: Vec::new(),
            contents: vec![ByteSpan::new(start, start + 1)],
            speaker: None,
            confidence: 0.6,
            continues,
        }
    }

    #[test]
    fn reordering_keeps_continues_pointing_at_the_same_quote() {
        // 0 at 30, 1 at 10 continues 2, 2 at 20, 3 at 40 continues 0
        let qs = vec![
            quote(30, None),
            quote(10, Some(2)),
            quote(20, None),
            quote(40, Some(0)),
        ];
        let sorted = sort_quotes(qs.clone());
        let starts: Vec<usize> = sorted.iter().map(|q| q.contents[0].start).collect();
        assert_eq!(starts, vec![10, 20, 30, 40]);
        assert_eq!(sorted[0].continues, Some(1));
        assert_eq!(sorted[3].continues, Some(2));
        // dropping quote 2: the quote that continued it continues none
        let kept = reorder_quotes(qs, &[0, 1, 3]);
        assert_eq!(kept[1].continues, None);
        assert_eq!(kept[2].continues, Some(0));
    }
}

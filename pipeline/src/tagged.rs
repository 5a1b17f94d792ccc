//! The seam where model spans meet the text.
//!
//! A model head returns [`RawSpan`]s: the index of a label in the head's label order, a
//! [`CodePointSpan`] in code points of the text it was given, and the mean probability of the
//! span's tags. Nothing else of a model enters a document. [`store`] gives each label its
//! typed role ([`TaggedRole`]), maps the span to a [`ByteSpan`] with the checks (inside the
//! text, not reversed), trims it of whitespace, and keeps it in [`Document::tagged`] as a
//! [`ModelSpan`]. Entity-head spans are tidied by the entity stage's text rules around that
//! mapping ([`crate::stages::entities::take_model_names`]); the stages that read
//! `doc.tagged` (entities, attribution linking) see only typed, checked byte spans.
//!
//! Reads: the text. Writes: `doc.tagged`.

use crate::document::{Document, EntityType, ModelSpan};
use crate::span::{ByteSpan, CharIndex, CodePointSpan};
use crate::stage::{ErrorKind, StageError};

/// A role of the attribution head (PolNeAR's three span roles).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AttributionRole {
    /// Who is quoted.
    Source,
    /// The reporting verb or phrase.
    Cue,
    /// What was said.
    Content,
}

impl AttributionRole {
    /// The head's label order: label `i` is `LABELS[i]`.
    pub const LABELS: [AttributionRole; 3] = [
        AttributionRole::Source,
        AttributionRole::Cue,
        AttributionRole::Content,
    ];

    /// The role of head label `label`, if there is one.
    pub fn from_label(label: usize) -> Option<Self> {
        Self::LABELS.get(label).copied()
    }

    /// This role's label index in the head.
    pub fn label(self) -> usize {
        self as usize
    }

    /// The name PolNeAR and the logs use.
    pub fn as_str(self) -> &'static str {
        match self {
            AttributionRole::Source => "source",
            AttributionRole::Cue => "cue",
            AttributionRole::Content => "content",
        }
    }
}

impl EntityType {
    /// The entity head's label order: label `i` is `MODEL_LABELS[i]` (person, organisation,
    /// place: GPE or location).
    pub const MODEL_LABELS: [EntityType; 3] =
        [EntityType::Person, EntityType::Org, EntityType::Gpe];

    /// The type of entity-head label `label`, if there is one.
    pub fn from_label(label: usize) -> Option<Self> {
        Self::MODEL_LABELS.get(label).copied()
    }

    /// This type's label index in the entity head.
    pub fn label(self) -> usize {
        self as usize
    }
}

/// Which model head tagged a span.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaggedLayer {
    /// Attribution roles ([`AttributionRole`]).
    Attribution,
    /// Named entities ([`EntityType`]).
    Entity,
}

/// The typed role of a model span: its head and the label within it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TaggedRole {
    /// A span of the attribution head.
    Attribution(AttributionRole),
    /// A name of the entity head.
    Entity(EntityType),
}

impl TaggedRole {
    /// The role of `label` in `layer`'s head, if the head has such a label.
    pub fn of(layer: TaggedLayer, label: usize) -> Option<Self> {
        match layer {
            TaggedLayer::Attribution => AttributionRole::from_label(label).map(Self::Attribution),
            TaggedLayer::Entity => EntityType::from_label(label).map(Self::Entity),
        }
    }

    /// The head that tagged it.
    pub fn layer(self) -> TaggedLayer {
        match self {
            TaggedRole::Attribution(_) => TaggedLayer::Attribution,
            TaggedRole::Entity(_) => TaggedLayer::Entity,
        }
    }

    /// The attribution role, for a span of the attribution head.
    pub fn attribution(self) -> Option<AttributionRole> {
        match self {
            TaggedRole::Attribution(r) => Some(r),
            TaggedRole::Entity(_) => None,
        }
    }

    /// The entity type, for a name of the entity head.
    pub fn entity(self) -> Option<EntityType> {
        match self {
            TaggedRole::Entity(t) => Some(t),
            TaggedRole::Attribution(_) => None,
        }
    }
}

/// What a model head returns for one text: a label index in the head's order, a span in
/// code points of that text, and the mean probability of the span's tags, in `[0, 1]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RawSpan {
    /// Index into the head's labels ([`AttributionRole::LABELS`], [`EntityType::MODEL_LABELS`]).
    pub label: usize,
    /// Code points, end-exclusive.
    pub span: CodePointSpan,
    /// Mean probability of the span's tags.
    pub score: f32,
}

impl RawSpan {
    /// A span of label `label` over code points `start..end`.
    pub fn new(label: usize, start: usize, end: usize, score: f32) -> Self {
        RawSpan {
            label,
            span: CodePointSpan::new(start, end),
            score,
        }
    }
}

/// Maps `spans` of `layer`'s head to typed, checked byte spans of `doc.text`, trimmed of
/// whitespace; spans that are empty after trimming are dropped. The one mapping from model
/// offsets to the text.
///
/// # Errors
/// [`ErrorKind::Offsets`] when a span lies outside the text or is reversed, and
/// [`ErrorKind::Internal`] for a label the head does not have: the article fails loudly
/// instead of getting a wrong span.
pub fn map(
    doc: &Document,
    layer: TaggedLayer,
    spans: &[RawSpan],
) -> Result<Vec<ModelSpan>, StageError> {
    let idx = CharIndex::new(&doc.text);
    let mut out = Vec::with_capacity(spans.len());
    for t in spans {
        let CodePointSpan { start, end } = t.span;
        let (Some(s), Some(e)) = (idx.byte_offset(start), idx.byte_offset(end)) else {
            return Err(StageError::new(
                ErrorKind::Offsets,
                format!(
                    "model span {start}..{end} (code points) is outside the text of {} code points",
                    idx.char_len()
                ),
            ));
        };
        if s > e {
            return Err(StageError::new(
                ErrorKind::Offsets,
                format!("model span {start}..{end} is reversed"),
            ));
        }
        let Some(role) = TaggedRole::of(layer, t.label) else {
            return Err(StageError::new(
                ErrorKind::Internal,
                format!("the {layer:?} head has no label {}", t.label),
            ));
        };
        let span = ByteSpan::new(s, e).trim(&doc.text);
        if !span.is_empty() {
            out.push(ModelSpan {
                role,
                span,
                score: t.score,
            });
        }
    }
    Ok(out)
}

/// Keeps one head's spans of `doc` in `doc.tagged`: entity names through the entity stage's
/// intake ([`crate::stages::entities::take_model_names`]: tidied, mapped, edges trimmed),
/// attribution spans mapped as they are ([`map`]).
///
/// # Errors
/// Those of [`map`].
pub fn store(doc: &mut Document, layer: TaggedLayer, spans: &[RawSpan]) -> Result<(), StageError> {
    let mapped = match layer {
        TaggedLayer::Entity => crate::stages::entities::take_model_names(doc, spans)?,
        TaggedLayer::Attribution => map(doc, layer, spans)?,
    };
    doc.tagged.extend(mapped);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_roles_agree() {
        for (i, r) in AttributionRole::LABELS.iter().enumerate() {
            assert_eq!(r.label(), i);
            assert_eq!(AttributionRole::from_label(i), Some(*r));
        }
        for (i, t) in EntityType::MODEL_LABELS.iter().enumerate() {
            assert_eq!(t.label(), i);
        }
        assert_eq!(AttributionRole::from_label(3), None);
        assert_eq!(
            TaggedRole::of(TaggedLayer::Entity, 1),
            Some(TaggedRole::Entity(EntityType::Org))
        );
    }

    #[test]
    fn spans_map_to_trimmed_bytes_and_bad_ones_fail() {
        // "Zoë" puts a 2-byte char first, so code points and bytes differ
        let doc = Document::new("t", "Zoë Ruiz said  it. ");
        let got = map(
            &doc,
            TaggedLayer::Attribution,
            &[
                RawSpan::new(0, 0, 9, 0.9),   // "Zoë Ruiz " → trimmed
                RawSpan::new(2, 14, 14, 0.9), // empty → dropped
                RawSpan::new(1, 9, 13, 0.5),
            ],
        )
        .unwrap();
        let texts: Vec<(TaggedRole, &str)> =
            got.iter().map(|m| (m.role, doc.slice(m.span))).collect();
        assert_eq!(
            texts,
            [
                (TaggedRole::Attribution(AttributionRole::Source), "Zoë Ruiz"),
                (TaggedRole::Attribution(AttributionRole::Cue), "said"),
            ]
        );
        let fails = |s: RawSpan| map(&doc, TaggedLayer::Attribution, &[s]).unwrap_err().kind;
        assert_eq!(fails(RawSpan::new(0, 0, 10_000, 1.0)), ErrorKind::Offsets);
        assert_eq!(fails(RawSpan::new(0, 5, 2, 1.0)), ErrorKind::Offsets);
        assert_eq!(fails(RawSpan::new(7, 0, 3, 1.0)), ErrorKind::Internal);
    }
}

//! The wire format: one JSON record per article (schema version 2).
//!
//! ```text
//! {"schema_version": 2, "id", "status": "ok", "url"?, "title"?, "published"?,
//!  "text": the analysed text (for .txt input exactly the file's content),
//!  "paragraphs": [{"start", "end", "role": "body|headline|boilerplate"}],
//!  "sentences": [{"start", "end"}],
//!  "entities": [{"id": "e1", "name", "type": "PERSON|ORG|GPE", "title": str|null,
//!                "mentions": [{"start", "end", "text", "kind": "name|pronoun|nominal"}]}],
//!  "quotes": [{"id": "q1", "type": "direct|indirect|mixed", "cue": span|null,
//!              "sources": [span], "contents": [span], "speaker": "e1"|null,
//!              "confidence": 0.9}],
//!  "claims": [{"id": "c1", "kind": "quoted|reported|narrative", "text", "standalone",
//!              "span": span, "quote": "q1"|null, "speaker": "e1"|null,
//!              "checkworthiness": 0.71|null, "source": span|null, "embedding"?: base64}]}
//! ```
//!
//! Every record `extract` writes carries `"source": {"path", "line"?}`: the input it came
//! from (a JSONL line's number; `-` is stdin).
//!
//! Records written by `claimex import` from an annotator's corrections may also carry
//! `"reviewed": true` on each entity, quote and claim a person reviewed, and a record-level
//! `"review": {"tool": "label-studio|brat", "item", "annotation"?, "annotator"?}`. Both are
//! optional additions (absent in `extract` output). Version 2 added claims' `kind`, `source` and
//! `embedding`; version 1 records are read through [`upgrade`].
//!
//! A failed article is `{"schema_version": 2, "id", "status": "error", "error": {"kind",
//! "message"}}` in its place. Offsets are Unicode code points into `text`, end-exclusive;
//! every span carries its text and [`to_record`] checks `text == chars[start..end]` for each
//! before anything is written. Scores are rounded to 3 decimals so output is identical
//! across machines. Ids are positional (`e1`, `q1`, `c1` in layer order), so the same input
//! gives the same ids.

use crate::document::{Document, EntityType, MentionKind, ParagraphRole, QuoteKind};
use crate::span::{ByteSpan, CharIndex, CharSpan};
use crate::stage::{ErrorKind, StageError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The schema version written in every record.
pub const SCHEMA_VERSION: u32 = 2;

/// One output record: an analysed article or an error in its place.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "claimex record",
    description = "One article: quotations, speakers, entities and claims. Offsets are Unicode code points into `text`, end-exclusive."
)]
pub struct Record {
    /// Always [`SCHEMA_VERSION`].
    #[schemars(extend("const" = SCHEMA_VERSION))]
    pub schema_version: u32,
    /// The article's id.
    pub id: String,
    /// `"ok"` or `"error"`.
    pub status: RecordStatus,
    /// Input URL, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub url: Option<String>,
    /// Input title, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub title: Option<String>,
    /// Input publication date, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub published: Option<String>,
    /// The analysed text (absent in error records).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub text: Option<String>,
    /// Paragraphs with roles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<ParagraphOut>")]
    pub paragraphs: Option<Vec<ParagraphOut>>,
    /// Sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<Offsets>")]
    pub sentences: Option<Vec<Offsets>>,
    /// Entities with mentions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<EntityOut>")]
    pub entities: Option<Vec<EntityOut>>,
    /// Quotations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<QuoteOut>")]
    pub quotes: Option<Vec<QuoteOut>>,
    /// Claims.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "Vec<ClaimOut>")]
    pub claims: Option<Vec<ClaimOut>>,
    /// Why the article failed (error records only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "ErrorOut")]
    pub error: Option<ErrorOut>,
    /// Which input the record came from: the path as given (or `-` for stdin) and, for a
    /// JSONL line, its number. Set by the runner; absent in records made another way.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "SourceOut")]
    pub source: Option<SourceOut>,
    /// Where a person's corrections came from (records written by `claimex import` for an
    /// article an annotator reviewed; absent in `extract` output).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "ReviewOut")]
    pub review: Option<ReviewOut>,
}

/// Whether a record is an analysed article or an error in its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum RecordStatus {
    /// `"ok"`: the article was analysed; its layers are present.
    Ok,
    /// `"error"`: the article failed; `error` says why.
    Error,
}

impl RecordStatus {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            RecordStatus::Ok => "ok",
            RecordStatus::Error => "error",
        }
    }
}

/// The annotation tool a reviewed record's corrections came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewTool {
    /// `"label-studio"`.
    LabelStudio,
    /// `"brat"`.
    Brat,
}

impl ReviewTool {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReviewTool::LabelStudio => "label-studio",
            ReviewTool::Brat => "brat",
        }
    }
}

/// The input a record came from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceOut {
    /// The file, as its path was given or found under a given folder; `-` for stdin.
    pub path: String,
    /// The 1-based line of a JSONL input (absent for a whole file).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(range(min = 1))]
    #[schemars(with = "usize")]
    pub line: Option<usize>,
}

/// Provenance of a reviewed article (`claimex import`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewOut {
    /// The annotation tool.
    pub tool: ReviewTool,
    /// Label Studio's task id, or the brat document's file name.
    pub item: String,
    /// Label Studio's annotation id (absent for brat).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "u64")]
    pub annotation: Option<u64>,
    /// Who submitted the annotation, as the tool names them (absent when it does not say).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(with = "String")]
    pub annotator: Option<String>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// Code point offsets without text (sentences).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Offsets {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

/// A paragraph on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParagraphOut {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// `body`, `headline` or `boilerplate`; nothing is extracted from boilerplate.
    pub role: ParagraphRole,
}

/// A mention on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MentionOut {
    /// First code point.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The mention as written.
    pub text: String,
    /// `name`, `pronoun` or `nominal`.
    pub kind: MentionKind,
}

/// An entity on the wire.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EntityOut {
    /// `e1`, `e2`, ... in order of first mention.
    #[schemars(regex(pattern = r"^e[0-9]+$"))]
    pub id: String,
    /// Fullest name.
    pub name: String,
    /// `PERSON`, `ORG` or `GPE`.
    #[serde(rename = "type")]
    pub kind: EntityType,
    /// Role or office.
    pub title: Option<String>,
    /// Every mention, in text order.
    pub mentions: Vec<MentionOut>,
    /// True when a person reviewed this entity (`claimex import`); absent otherwise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reviewed: bool,
}

/// A quote on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteOut {
    /// `q1`, `q2`, ... in order of first content.
    #[schemars(regex(pattern = r"^q[0-9]+$"))]
    pub id: String,
    /// `direct`, `indirect` or `mixed`.
    #[serde(rename = "type")]
    pub kind: QuoteKind,
    /// Reporting verb or phrase.
    pub cue: Option<CharSpan>,
    /// Source noun phrases.
    pub sources: Vec<CharSpan>,
    /// Quoted or reported material, one span per paragraph.
    #[schemars(length(min = 1))]
    pub contents: Vec<CharSpan>,
    /// Entity id of the speaker.
    pub speaker: Option<String>,
    /// Confidence in `[0, 1]`, 3 decimals (1 for a quote an annotator drew).
    #[schemars(range(min = 0.0, max = 1.0))]
    pub confidence: f64,
    /// True when a person reviewed this quote (`claimex import`); absent otherwise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reviewed: bool,
}

/// A claim on the wire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimOut {
    /// `c1`, `c2`, ... in text order.
    #[schemars(regex(pattern = r"^c[0-9]+$"))]
    pub id: String,
    /// `quoted`, `reported` or `narrative` (schema version 2; a version 1 record's claims,
    /// all from quotes, read as `quoted`/`reported` after their quote's type, see
    /// [`upgrade`]).
    #[serde(default = "ClaimKindOut::unknown")]
    pub kind: ClaimKindOut,
    /// The claim as written (= `span.text`).
    pub text: String,
    /// The claim with pronouns resolved.
    pub standalone: String,
    /// Where it is.
    pub span: CharSpan,
    /// Quote id it comes from.
    pub quote: Option<String>,
    /// Entity id of who made it.
    pub speaker: Option<String>,
    /// Check-worthiness in `[0, 1]` (3 decimals), null until a scorer ran.
    #[schemars(range(min = 0.0, max = 1.0))]
    pub checkworthiness: Option<f64>,
    /// A narrative claim's voice: the byline's reporter or the outlet as the text names
    /// them; null otherwise.
    #[serde(default)]
    pub source: Option<CharSpan>,
    /// The standalone text's sentence embedding for grouping (384 int8 components, base64);
    /// absent without models.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("contentEncoding" = "base64"))]
    #[schemars(with = "String")]
    pub embedding: Option<String>,
    /// True when a person reviewed this claim (`claimex import`); absent otherwise.
    #[serde(default, skip_serializing_if = "is_false")]
    pub reviewed: bool,
}

/// A claim's kind on the wire.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ClaimKindOut {
    /// A direct quote's content.
    Quoted,
    /// Indirect or mixed speech.
    Reported,
    /// The article's own statement.
    Narrative,
    /// Only while reading a version 1 record, until [`upgrade`] sets it.
    #[serde(skip_serializing)]
    Unknown,
}

impl ClaimKindOut {
    fn unknown() -> Self {
        ClaimKindOut::Unknown
    }

    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ClaimKindOut::Quoted => "quoted",
            ClaimKindOut::Reported => "reported",
            ClaimKindOut::Narrative => "narrative",
            ClaimKindOut::Unknown => "unknown",
        }
    }
}

impl From<crate::document::ClaimKind> for ClaimKindOut {
    fn from(k: crate::document::ClaimKind) -> Self {
        use crate::document::ClaimKind;
        match k {
            ClaimKind::Quoted => ClaimKindOut::Quoted,
            ClaimKind::Reported => ClaimKindOut::Reported,
            ClaimKind::Narrative => ClaimKindOut::Narrative,
        }
    }
}

/// Brings a record read from JSON to the current schema: a version 1 record's claims (all
/// quotation contents) get their kind from their quote's type. Records of version 2 are
/// left as they are.
pub fn upgrade(r: &mut Record) {
    if r.schema_version >= SCHEMA_VERSION {
        return;
    }
    let types: std::collections::HashMap<String, QuoteKind> = r
        .quotes
        .iter()
        .flatten()
        .map(|q| (q.id.clone(), q.kind))
        .collect();
    for c in r.claims.iter_mut().flatten() {
        if c.kind == ClaimKindOut::Unknown {
            c.kind = match c.quote.as_ref().and_then(|q| types.get(q)) {
                Some(QuoteKind::Direct) => ClaimKindOut::Quoted,
                Some(_) => ClaimKindOut::Reported,
                None => ClaimKindOut::Narrative,
            };
        }
    }
    r.schema_version = SCHEMA_VERSION;
}

/// Encodes an int8 embedding as base64 (standard alphabet, padded).
pub fn embedding_to_base64(v: &[i8]) -> String {
    use base64::Engine;
    let bytes: Vec<u8> = v.iter().map(|&x| x as u8).collect();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Decodes [`embedding_to_base64`]'s output; `None` when it is not base64.
pub fn embedding_from_base64(s: &str) -> Option<Vec<i8>> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .ok()
        .map(|b| b.into_iter().map(|x| x as i8).collect())
}

/// The error of a failed article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorOut {
    /// One of `read`, `encoding`, `binary`, `empty`, `too_large`, `parse`, `offsets`,
    /// `internal`, `timeout`.
    pub kind: ErrorKind,
    /// What went wrong, for people.
    pub message: String,
}

/// Rounds a score to 3 decimals (determinism across hardware).
pub fn round3(x: f32) -> f64 {
    (x as f64 * 1000.0).round() / 1000.0
}

/// Converts and verifies spans of one document.
struct Spans<'a> {
    text: &'a str,
    idx: CharIndex,
}

impl Spans<'_> {
    fn offsets(&self, s: ByteSpan, what: &str) -> Result<(usize, usize), StageError> {
        let bad = || {
            StageError::new(
                ErrorKind::Offsets,
                format!(
                    "{what} span {}..{} (bytes) is not on char boundaries of the text",
                    s.start, s.end
                ),
            )
        };
        if s.start > s.end
            || s.end > self.text.len()
            || !self.text.is_char_boundary(s.start)
            || !self.text.is_char_boundary(s.end)
        {
            return Err(bad());
        }
        Ok((
            self.idx.char_offset(s.start).ok_or_else(bad)?,
            self.idx.char_offset(s.end).ok_or_else(bad)?,
        ))
    }

    fn span(&self, s: ByteSpan, what: &str) -> Result<CharSpan, StageError> {
        let (start, end) = self.offsets(s, what)?;
        Ok(CharSpan {
            start,
            end,
            text: s.text(self.text).to_string(),
        })
    }
}

/// Checks that `span.text` is exactly the code points `start..end` of `text`.
///
/// # Errors
/// An [`ErrorKind::Offsets`] error naming the span when it does not match.
pub fn verify_span(
    text: &str,
    idx: &CharIndex,
    span: &CharSpan,
    what: &str,
) -> Result<(), StageError> {
    let (Some(b0), Some(b1)) = (idx.byte_offset(span.start), idx.byte_offset(span.end)) else {
        return Err(StageError::new(
            ErrorKind::Offsets,
            format!(
                "{what} {}..{} is past the end of the text",
                span.start, span.end
            ),
        ));
    };
    if b0 > b1 || text[b0..b1] != span.text {
        return Err(StageError::new(
            ErrorKind::Offsets,
            format!(
                "{what} {}..{} holds {:?}, not {:?}",
                span.start,
                span.end,
                &text[b0.min(b1)..b1.max(b0)],
                span.text
            ),
        ));
    }
    Ok(())
}

/// Builds the record of an analysed document, checking every span against the text.
///
/// # Errors
/// An [`ErrorKind::Offsets`] error when any span does not match the text; the caller writes
/// an error record instead, never a wrong span.
pub fn to_record(doc: &Document) -> Result<Record, StageError> {
    let sp = Spans {
        text: &doc.text,
        idx: CharIndex::new(&doc.text),
    };
    let eid = |i: usize| format!("e{}", i + 1);
    let paragraphs = doc
        .paragraphs
        .iter()
        .map(|p| {
            sp.offsets(p.span, "paragraph")
                .map(|(start, end)| ParagraphOut {
                    start,
                    end,
                    role: p.role,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let sentences = doc
        .sentences
        .iter()
        .map(|s| {
            sp.offsets(s.span, "sentence")
                .map(|(start, end)| Offsets { start, end })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut entities = Vec::new();
    for (i, e) in doc.entities.iter().enumerate() {
        let mut mentions = Vec::new();
        for m in &e.mentions {
            let s = sp.span(m.span, "mention")?;
            mentions.push(MentionOut {
                start: s.start,
                end: s.end,
                text: s.text,
                kind: m.kind,
            });
        }
        entities.push(EntityOut {
            id: eid(i),
            name: e.name.clone(),
            kind: e.kind,
            title: e.title.clone(),
            mentions,
            reviewed: false,
        });
    }
    let mut quotes = Vec::new();
    for (i, q) in doc.quotes.iter().enumerate() {
        quotes.push(QuoteOut {
            id: format!("q{}", i + 1),
            kind: q.kind,
            cue: q.cue.map(|c| sp.span(c, "cue")).transpose()?,
            sources: q
                .sources
                .iter()
                .map(|s| sp.span(*s, "source"))
                .collect::<Result<_, _>>()?,
            contents: q
                .contents
                .iter()
                .map(|s| sp.span(*s, "content"))
                .collect::<Result<_, _>>()?,
            speaker: q.speaker.map(eid),
            confidence: round3(q.confidence),
            reviewed: false,
        });
    }
    let mut claims = Vec::new();
    for (i, c) in doc.claims.iter().enumerate() {
        let span = sp.span(c.span, "claim")?;
        claims.push(ClaimOut {
            id: format!("c{}", i + 1),
            kind: c.kind.into(),
            text: span.text.clone(),
            standalone: c.standalone.clone(),
            span,
            quote: c.quote.map(|q| format!("q{}", q + 1)),
            speaker: c.speaker.map(eid),
            checkworthiness: c.checkworthiness.map(round3),
            source: c.source.map(|s| sp.span(s, "claim source")).transpose()?,
            embedding: c.embedding.as_deref().map(embedding_to_base64),
            reviewed: false,
        });
    }
    let record = Record {
        schema_version: SCHEMA_VERSION,
        id: doc.id.clone(),
        status: RecordStatus::Ok,
        url: doc.meta.url.clone(),
        title: doc.meta.title.clone(),
        published: doc.meta.published.clone(),
        text: Some(doc.text.clone()),
        paragraphs: Some(paragraphs),
        sentences: Some(sentences),
        entities: Some(entities),
        quotes: Some(quotes),
        claims: Some(claims),
        error: None,
        source: None,
        review: None,
    };
    verify_record(&record)?;
    Ok(record)
}

/// Re-checks every span of a record against its text: the writer's last line of defence, and
/// the check tests run on serialized output.
///
/// # Errors
/// An [`ErrorKind::Offsets`] error for the first span that does not match.
pub fn verify_record(r: &Record) -> Result<(), StageError> {
    let Some(text) = &r.text else { return Ok(()) };
    let idx = CharIndex::new(text);
    for e in r.entities.iter().flatten() {
        for m in &e.mentions {
            let s = CharSpan {
                start: m.start,
                end: m.end,
                text: m.text.clone(),
            };
            verify_span(text, &idx, &s, "mention")?;
        }
    }
    for q in r.quotes.iter().flatten() {
        for s in q.cue.iter().chain(&q.sources).chain(&q.contents) {
            verify_span(text, &idx, s, "quote span")?;
        }
    }
    for c in r.claims.iter().flatten() {
        verify_span(text, &idx, &c.span, "claim")?;
        if let Some(src) = &c.source {
            verify_span(text, &idx, src, "claim source")?;
        }
        if c.text != c.span.text {
            return Err(StageError::new(
                ErrorKind::Offsets,
                format!("claim {} text differs from its span", c.id),
            ));
        }
    }
    Ok(())
}

/// The error record of a failed article.
pub fn error_record(id: &str, err: &StageError) -> Record {
    Record {
        schema_version: SCHEMA_VERSION,
        id: id.to_string(),
        status: RecordStatus::Error,
        url: None,
        title: None,
        published: None,
        text: None,
        paragraphs: None,
        sentences: None,
        entities: None,
        quotes: None,
        claims: None,
        error: Some(ErrorOut {
            kind: err.kind.clone(),
            message: err.message.clone(),
        }),
        source: None,
        review: None,
    }
}

/// The JSON Schema of a record (`claimex schema`), derived from these types (draft 2020-12,
/// subschemas inline): what `extract` and `import` write, so a field that is only read
/// (a version 1 claim's missing kind) is not in it.
pub fn json_schema() -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .with(|s| s.inline_subschemas = true)
        .into_generator();
    generator.into_root_schema_for::<Record>().to_value()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::standard_stages;

    #[test]
    fn record_offsets_are_code_points_and_verified() {
        let text = "😀 Zoë said, \"Café prices rose 3.5% this year.\"";
        let mut doc = Document::new("x", text);
        for s in standard_stages() {
            s.annotate(&mut doc).unwrap();
        }
        let r = to_record(&doc).unwrap();
        let q = &r.quotes.as_ref().unwrap()[0];
        let c = &q.contents[0];
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[c.start..c.end].iter().collect::<String>(), c.text);
        assert_eq!(c.start, 12, "the content starts at its opening mark");
    }

    #[test]
    fn a_model_span_off_by_a_byte_fails_loudly() {
        let mut doc = Document::new("x", "Zoë said, \"Prices rose again this year.\"");
        for s in standard_stages() {
            s.annotate(&mut doc).unwrap();
        }
        // a span ending inside "ë" (2 bytes), as a byte/char mix-up would produce
        doc.quotes[0].sources[0] = ByteSpan::new(0, 3);
        let err = to_record(&doc).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Offsets);
        let bad = CharSpan {
            start: 0,
            end: 3,
            text: "Zoe".into(),
        };
        assert!(verify_span(&doc.text, &CharIndex::new(&doc.text), &bad, "x").is_err());
    }
}

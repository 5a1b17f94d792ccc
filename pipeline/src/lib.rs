//! claimex pipeline: the document model, offsets, rule stages, runner and wire format.
//!
//! Stages, in order (each a file or, when it holds several concepts, a folder under
//! [`stages`]):
//! 1. `segment_sentences` — paragraphs (body / headline / boilerplate) and sentences;
//! 2. `tag_entities` — people, organisations, places, with titles, grouped by name, merged
//!    with the entity model's names when it ran;
//! 3. `tag_quotes` — direct, mixed and indirect quotations with cues and sources, transcript
//!    turns;
//! 4. `link_attributions` — the attribution model's spans linked into quotes beside the rule
//!    quotes (nothing to do without models);
//! 5. `apply_span_conventions` — every cue and source written in PolNeAR's conventions
//!    (`conventions.polnear`, default on);
//! 6. `resolve_speakers` — pronouns to people, quotes to speaker entities;
//! 7. `extract_claims` — quote contents as claims, and narrative claims, made standalone.
//!
//! Model stages (crate `claimex-models`) are [`stage::BatchStage`]s that plug in between
//! these (the span tagger, `tag_spans`, after `segment_sentences`) or after them (the
//! check-worthiness scorer) through [`runner::Pipeline::with_batch_stage_after`] and
//! [`runner::Pipeline::with_batch_stage`]. Model spans enter a document only through
//! [`tagged::store`], which types their labels and maps and checks their offsets, as the
//! [`document::Document::tagged`] layer that the stages above read.
//!
//! **Offsets contract.** The article text is never modified. Inside, spans are
//! [`span::ByteSpan`]s on char boundaries; on the wire they are Unicode code point offsets,
//! end-exclusive, converted once per article by [`span::CharIndex`] in [`output::to_record`],
//! which also checks every span's text against the article before anything is written.
//!
//! The rule stages read text through [`grammar`] (tokens, quotation marks, cues, the
//! noun-phrase chunker) and the word lists of [`lexicon`].
//!
//! This crate has no libtorch dependency: its tests build and run in seconds.

#![recursion_limit = "256"]

pub mod config;
pub mod desk;
pub mod document;
pub mod eval;
pub mod grammar;
pub mod ingest;
pub mod lexicon;
pub mod output;
#[cfg(test)]
mod proptests;
pub mod review;
pub mod runner;
pub mod span;
pub mod stage;
pub mod stages;
pub mod tagged;
pub mod testutil;

pub use config::PipelineConfig;
pub use document::Document;
pub use runner::{Pipeline, Summary};
pub use stage::{ErrorKind, Stage, StageError};

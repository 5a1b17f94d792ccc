//! claimex pipeline: the document model, offsets, rule stages, runner and wire format.
//!
//! Stages, in order (each one file under [`stages`]):
//! 1. `segment_sentences` — paragraphs (body / headline / boilerplate) and sentences;
//! 2. `tag_entities` — people, organisations, places, with titles, grouped by name;
//! 3. `tag_quotes` — direct, mixed and indirect quotations with cues and sources;
//! 4. `resolve_speakers` — pronouns to people, quotes to speaker entities;
//! 5. `extract_claims` — quote contents as claims, made standalone.
//!
//! Model stages (crate `claimex-models`) are [`stage::BatchStage`]s that plug in between
//! these (the attribution tagger after `tag_quotes`) or after them (the check-worthiness
//! scorer) through [`runner::Pipeline::with_batch_stage_after`] and
//! [`runner::Pipeline::with_batch_stage`]; [`stages::link`] turns tagger spans into quotes.
//!
//! **Offsets contract.** The article text is never modified. Inside, spans are
//! [`span::ByteSpan`]s on char boundaries; on the wire they are Unicode code point offsets,
//! end-exclusive, converted once per article by [`span::CharIndex`] in [`output::to_record`],
//! which also checks every span's text against the article before anything is written.
//!
//! This crate has no libtorch dependency: its tests build and run in seconds.

#![recursion_limit = "256"]

pub mod config;
pub mod document;
pub mod eval;
pub mod ingest;
pub mod lexicon;
pub mod output;
pub mod runner;
pub mod span;
pub mod stage;
pub mod stages;
pub mod testutil;
pub mod tokens;

pub use config::PipelineConfig;
pub use document::Document;
pub use runner::{Pipeline, Summary};
pub use stage::{ErrorKind, Stage, StageError};

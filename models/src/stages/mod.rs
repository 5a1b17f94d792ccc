//! The model stages, [`claimex_pipeline::stage::BatchStage`]s run batched over many articles:
//! [`tag_spans`] after segmentation, [`score_claims`] after the rule stages.

pub mod score_claims;
pub mod tag_spans;

pub use score_claims::ClaimScorer;
pub use tag_spans::TagSpans;

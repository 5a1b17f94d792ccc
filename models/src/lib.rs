//! claimex models: everything that touches rust-bert, tch and tokenizers.
//!
//! - [`encoder`]: the all-MiniLM-L6-v2 base encoder (rust-bert `BertModel`), tokenization
//!   with byte offsets, batched hidden states and mean-pooled sentence embeddings.
//! - [`split`]: frozen lower layers shared by every head, fine-tuned upper layers per task.
//! - [`layer`]: the BERT layer both are made of, rust-bert's `BertLayer` on libtorch's fused
//!   attention and GELU kernels (2.7x faster here in bfloat16, same weights and arithmetic).
//! - [`tagger`]: the BIO span tagger: a head's config, windows, decoding, inference, the
//!   training loops. Its tasks: [`attribution`] (SOURCE/CUE/CONTENT on PolNeAR and
//!   corrections) and [`entities`] (PERSON/ORG/GPE on GUM, read by [`gum`]).
//! - [`checkworthiness`]: the sentence scorer.
//! - [`stages`]: the two model stages of the pipeline, `tag_spans` and
//!   `score_checkworthiness`.
//! - [`recipes`]: what `claimex train` trains, by name, with every default in one place;
//!   [`train`] holds what every trainer shares (log, shuffle, schedule, the epoch loop).
//!
//! The pipeline crate stays free of libtorch; the model stages implement its `BatchStage`
//! trait, and model spans reach a document only through its seam (`claimex_pipeline::tagged`).

pub mod attribution;
pub mod checkworthiness;
pub mod encoder;
pub mod entities;
pub mod error;
pub mod gum;
pub mod layer;
pub mod recipes;
pub mod split;
pub mod stages;
pub mod tagger;
pub mod train;

pub use encoder::{cosine, default_base_dir, Encoder};
pub use error::{ModelError, ModelErrorKind};

/// Tests that need the base encoder: its folder when `make setup` installed it, else `None`
/// after printing a visible `SKIPPED` line; with `CLAIMEX_REQUIRE_MODELS=1` (what `make test`
/// sets) a missing encoder fails the test instead.
#[cfg(test)]
pub(crate) fn installed_base() -> Option<std::path::PathBuf> {
    let dir = default_base_dir();
    if dir.join("model.safetensors").is_file() {
        Some(dir)
    } else {
        assert!(
            std::env::var("CLAIMEX_REQUIRE_MODELS").as_deref() != Ok("1"),
            "base encoder not installed at {} and CLAIMEX_REQUIRE_MODELS=1 (run `make setup`)",
            dir.display()
        );
        eprintln!(
            "SKIPPED: base encoder not installed at {} (run `make setup`)",
            dir.display()
        );
        None
    }
}

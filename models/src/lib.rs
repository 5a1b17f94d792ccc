//! claimex models: everything that touches rust-bert, tch and tokenizers.
//!
//! - [`encoder`]: the all-MiniLM-L6-v2 base encoder (rust-bert `BertModel`), tokenization
//!   with byte offsets, batched hidden states and mean-pooled sentence embeddings.
//!
//! The pipeline crate stays free of libtorch; model stages built here implement its
//! `Stage` trait and plug in after the rule stages.

pub mod attribution;
pub mod checkworthiness;
pub mod encoder;
pub mod error;
pub mod split;
pub mod train;

pub use encoder::{cosine, default_base_dir, Encoder};
pub use error::{ModelError, ModelErrorKind};

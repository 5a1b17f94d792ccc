//! The span tagger: BIO tags over wordpieces from the split encoder and a linear head per
//! task (attribution SOURCE / CUE / CONTENT on PolNeAR, entities PERSON / ORG / GPE-LOC on
//! GUM), read in overlapping windows and decoded into spans.
//!
//! Architecture as the check-worthiness model: frozen shared embeddings and layers
//! `0..split`, fine-tuned layers `split..6`, and a linear head giving 7 tag scores per
//! wordpiece. Articles are read in windows of 254 wordpieces overlapping by 64, so
//! attributions that cross sentences are seen whole; a wordpiece's scores are averaged over
//! the windows that hold it, and a constrained Viterbi decode (an `I-X` only after `B-X` or
//! `I-X`) gives valid spans. Spans come out as code point offsets of the wordpieces' own
//! offsets; the pipeline maps them to bytes and checks them against the text in one place.
//!
//! Files: [`config`] (a head's `config.json`), [`windows`] (wordpieces and windows),
//! [`bio`] (tags and decoding), `head` (a head's layers), [`inference`] (loading and tagging), [`train`] (the training
//! loops), [`exact`] (exact span F1).

pub mod bio;
pub mod config;
pub mod exact;
pub(crate) mod head;
pub mod inference;
pub mod train;
pub mod windows;

pub use inference::SpanTagger;

//! What the rule stages share of English grammar, read off tokens: the word tokenizer
//! ([`tokens`]), quotation marks (`marks`), speech cues (`cues`) and the noun-phrase
//! chunker that finds sources and subjects (`chunker`). Stages use these, not one
//! another's helpers; the word lists they read are [`crate::lexicon`]'s.

pub(crate) mod chunker;
pub(crate) mod cues;
pub(crate) mod marks;
pub mod tokens;

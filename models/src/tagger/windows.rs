//! Wordpieces with their code point offsets, and the overlapping windows a text is read in.

use crate::encoder::WordPieces;
use crate::error::{ModelError, ModelErrorKind};

/// Wordpieces per window, without `[CLS]` and `[SEP]`.
pub(crate) const WINDOW: usize = 254;

/// Wordpieces shared by consecutive training windows.
pub(crate) const OVERLAP: usize = 64;

/// Wordpieces shared by consecutive windows at inference: each wordpiece near a window's edge
/// gets the next window's reading too (scores averaged). Half the training overlap runs 11%
/// fewer encoder wordpieces on news-length articles (PolNeAR dev F1 within 0.3, see README).
pub(crate) const INFER_OVERLAP: usize = 32;

/// An article tokenized for the tagger: wordpiece ids and code point offsets.
pub struct Tokenized {
    /// Wordpiece ids without special tokens.
    pub ids: Vec<i64>,
    /// Code point offsets `[start, end)` of each wordpiece in the text.
    pub offsets: Vec<(usize, usize)>,
    /// Whether each wordpiece begins a word of the tokenizer's pre-tokenization (split at
    /// whitespace and punctuation); `false` for continuations such as "##us" in "Theseus".
    pub word_starts: Vec<bool>,
}

/// Tokenizes a whole article (no truncation), with code point offsets.
///
/// # Errors
/// Tokenizer failures.
pub fn tokenize(wordpieces: &WordPieces, text: &str) -> Result<Tokenized, ModelError> {
    let enc = wordpieces
        .tokenizer()
        .encode_char_offsets(text, false)
        .map_err(|e| ModelError::new(ModelErrorKind::Inference, format!("tokenizer: {e}")))?;
    let words = enc.get_word_ids();
    let word_starts = (0..words.len())
        .map(|i| i == 0 || words[i].is_none() || words[i] != words[i - 1])
        .collect();
    Ok(Tokenized {
        ids: enc.get_ids().iter().map(|&i| i as i64).collect(),
        offsets: enc.get_offsets().to_vec(),
        word_starts,
    })
}

/// Window starts over `n` wordpieces, consecutive windows sharing `overlap` of them.
pub(crate) fn windows(n: usize, overlap: usize) -> Vec<usize> {
    let mut v = vec![0];
    while v.last().unwrap() + WINDOW < n {
        v.push(v.last().unwrap() + WINDOW - overlap);
    }
    v
}

/// The training windows of one article: `(ids, tags)` with `[CLS]` and `[SEP]` around
/// [`WINDOW`] wordpieces, consecutive windows sharing [`OVERLAP`]; the special tokens'
/// tags are -100 (not scored).
pub(crate) fn training_windows(
    t: &Tokenized,
    tags: &[i64],
    cls: i64,
    sep: i64,
) -> Vec<(Vec<i64>, Vec<i64>)> {
    windows(t.ids.len(), OVERLAP)
        .into_iter()
        .map(|s| {
            let e = (s + WINDOW).min(t.ids.len());
            let mut ids = vec![cls];
            ids.extend(&t.ids[s..e]);
            ids.push(sep);
            let mut tg = vec![-100i64];
            tg.extend(&tags[s..e]);
            tg.push(-100);
            (ids, tg)
        })
        .collect()
}

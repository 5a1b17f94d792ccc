//! The base encoder: all-MiniLM-L6-v2 through rust-bert's `BertModel` on libtorch (CPU).
//!
//! Loaded from a folder holding `config.json`, `model.safetensors` and `tokenizer.json`
//! (what `make setup` puts in `.deps/minilm`). Text is tokenized with the HF `tokenizers`
//! crate, whose offsets are byte offsets into the input; [`Encoding`] keeps them so model
//! spans can be mapped back to the article and checked there.

use crate::error::{ModelError, ModelErrorKind};
use rust_bert::bert::{BertConfig, BertEmbeddings, BertModel};
use rust_bert::Config;
use std::path::{Path, PathBuf};
use tch::{nn, Device, Kind, Tensor};
use tokenizers::Tokenizer;

/// The folder of the running binary when it is an installed bundle (`scripts/install.sh`:
/// `claimex`, `lib/`, `models/`, `minilm/` side by side), found through the binary's own
/// path, links resolved; `None` otherwise.
pub fn bundle_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?.canonicalize().ok()?;
    let dir = exe.parent()?;
    dir.join("models").is_dir().then(|| dir.to_path_buf())
}

/// Where the base encoder is, by default: `$CLAIMEX_MODELS_BASE`, else `minilm/` of an
/// installed bundle ([`bundle_dir`]), else `.deps/minilm` under the project root this binary
/// was built in.
pub fn default_base_dir() -> PathBuf {
    if let Ok(d) = std::env::var("CLAIMEX_MODELS_BASE") {
        return PathBuf::from(d);
    }
    if let Some(b) = bundle_dir() {
        return b.join("minilm");
    }
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(".deps")
        .join("minilm")
}

/// One tokenized text: wordpiece ids and, per wordpiece, its byte range in the text
/// (`(0, 0)` for special tokens).
#[derive(Clone, Debug)]
pub struct Encoding {
    /// Wordpiece ids, `[CLS] ... [SEP]`.
    pub ids: Vec<i64>,
    /// Byte offsets into the encoded text, end-exclusive.
    pub offsets: Vec<(usize, usize)>,
}

/// The base encoder's WordPiece tokenizer, with padding and truncation of `tokenizer.json`
/// off. Task models load only this and their own layers, never the whole base model.
pub struct WordPieces {
    tokenizer: Tokenizer,
    max_len: usize,
}

fn need(dir: &Path, f: &str) -> Result<PathBuf, ModelError> {
    let p = dir.join(f);
    if p.is_file() {
        Ok(p)
    } else {
        Err(ModelError::new(ModelErrorKind::Missing, format!("{} is missing: run `make setup` (it installs the base encoder into .deps/minilm) or pass --models DIR", p.display())))
    }
}

impl WordPieces {
    /// Loads `tokenizer.json` from the base encoder folder `dir`.
    ///
    /// # Errors
    /// [`ModelErrorKind::Missing`] when the file is absent, [`ModelErrorKind::Load`] when it
    /// does not load.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        let tok_path = need(dir, "tokenizer.json")?;
        let load_err = |e: tokenizers::Error| {
            ModelError::new(ModelErrorKind::Load, format!("{}: {e}", tok_path.display()))
        };
        let mut tokenizer = Tokenizer::from_file(&tok_path).map_err(load_err)?;
        // tokenizer.json pads every text to 128 and truncates there; we batch and pad
        // ourselves, so padded wordpieces never reach the mask as real tokens
        tokenizer.with_padding(None);
        tokenizer.with_truncation(None).map_err(load_err)?;
        Ok(WordPieces {
            tokenizer,
            max_len: 256,
        })
    }

    /// The tokenizer (padding and truncation off).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Id of `[CLS]`.
    pub fn cls_id(&self) -> i64 {
        self.tokenizer.token_to_id("[CLS]").unwrap_or(101) as i64
    }

    /// Id of `[SEP]`.
    pub fn sep_id(&self) -> i64 {
        self.tokenizer.token_to_id("[SEP]").unwrap_or(102) as i64
    }

    /// Tokenizes `text`, truncated to the encoder's window (256 wordpieces).
    ///
    /// # Errors
    /// [`ModelErrorKind::Inference`] when the tokenizer fails.
    pub fn encode(&self, text: &str) -> Result<Encoding, ModelError> {
        let enc = self
            .tokenizer
            .encode(text, true)
            .map_err(|e| ModelError::new(ModelErrorKind::Inference, format!("tokenizer: {e}")))?;
        let mut ids: Vec<i64> = enc.get_ids().iter().map(|&i| i as i64).collect();
        let mut offsets: Vec<(usize, usize)> = enc.get_offsets().to_vec();
        if ids.len() > self.max_len {
            let sep = *ids.last().unwrap();
            ids.truncate(self.max_len - 1);
            offsets.truncate(self.max_len - 1);
            ids.push(sep);
            offsets.push((0, 0));
        }
        Ok(Encoding { ids, offsets })
    }
}

/// The base sentence encoder (the whole model, for embeddings and `claimex doctor`).
pub struct Encoder {
    model: BertModel<BertEmbeddings>,
    wordpieces: WordPieces,
    /// Holds the weights; kept alive with the model.
    _vs: nn::VarStore,
    /// Hidden size (384 for MiniLM-L6).
    pub hidden: i64,
}

impl Encoder {
    /// Loads the encoder from `dir`.
    ///
    /// # Errors
    /// [`ModelErrorKind::Missing`] when a file is absent (the message says to run
    /// `make setup` or pass `--models`), [`ModelErrorKind::Load`] when one does not load.
    pub fn load(dir: &Path) -> Result<Self, ModelError> {
        let config_path = need(dir, "config.json")?;
        let weights = need(dir, "model.safetensors")?;
        let wordpieces = WordPieces::load(dir)?;
        let mut config = BertConfig::from_file(&config_path);
        config.output_attentions = Some(false);
        config.output_hidden_states = Some(false);
        let mut vs = nn::VarStore::new(Device::Cpu);
        let model = BertModel::<BertEmbeddings>::new(vs.root(), &config);
        vs.load(&weights).map_err(|e| {
            ModelError::new(ModelErrorKind::Load, format!("{}: {e}", weights.display()))
        })?;
        vs.freeze();
        Ok(Encoder {
            model,
            wordpieces,
            _vs: vs,
            hidden: config.hidden_size,
        })
    }

    /// Tokenizes `text` (see [`WordPieces::encode`]).
    ///
    /// # Errors
    /// [`ModelErrorKind::Inference`] when the tokenizer fails.
    pub fn encode(&self, text: &str) -> Result<Encoding, ModelError> {
        self.wordpieces.encode(text)
    }

    /// Last hidden states `[batch, len, hidden]` and the attention mask `[batch, len]` of a
    /// padded batch.
    ///
    /// # Errors
    /// [`ModelErrorKind::Inference`] when the forward pass fails.
    pub fn hidden_states(&self, batch: &[Encoding]) -> Result<(Tensor, Tensor), ModelError> {
        let seqs: Vec<&[i64]> = batch.iter().map(|e| e.ids.as_slice()).collect();
        let (ids, mask) = crate::split::pad_ids(&seqs);
        let out = tch::no_grad(|| {
            self.model
                .forward_t(Some(&ids), Some(&mask), None, None, None, None, None, false)
        })
        .map_err(|e| ModelError::new(ModelErrorKind::Inference, format!("encoder: {e}")))?;
        Ok((out.hidden_state, mask))
    }

    /// Mean-pooled, L2-normalised sentence embeddings (the sentence-transformers recipe of
    /// all-MiniLM-L6-v2), one `hidden`-sized vector per text.
    ///
    /// # Errors
    /// Tokenizer or forward-pass failures.
    pub fn embed(&self, texts: &[&str]) -> Result<Vec<Vec<f32>>, ModelError> {
        let encs = texts
            .iter()
            .map(|t| self.encode(t))
            .collect::<Result<Vec<_>, _>>()?;
        let (h, mask) = self.hidden_states(&encs)?;
        let m = mask.to_kind(Kind::Float).unsqueeze(-1);
        let summed = (&h * &m).sum_dim_intlist([1i64].as_slice(), false, Kind::Float);
        let counts = m
            .sum_dim_intlist([1i64].as_slice(), false, Kind::Float)
            .clamp_min(1e-9);
        let mean = summed / counts;
        let norm = mean
            .norm_scalaropt_dim(2, [1i64].as_slice(), true)
            .clamp_min(1e-12);
        let emb = (mean / norm).contiguous();
        let n = texts.len();
        let flat: Vec<f32> = Vec::<f32>::try_from(emb.view([-1]))
            .map_err(|e| ModelError::new(ModelErrorKind::Inference, e.to_string()))?;
        Ok(flat
            .chunks(flat.len() / n.max(1))
            .map(<[f32]>::to_vec)
            .collect())
    }
}

/// Cosine similarity of two vectors.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    dot / (na * nb).max(1e-12)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real inference with the installed base encoder: a paraphrase scores above an unrelated
    /// sentence, and wordpiece offsets point into the text.
    #[test]
    fn encoder_scores_a_paraphrase_above_an_unrelated_sentence() {
        let Some(dir) = crate::installed_base() else {
            return;
        };
        let enc = Encoder::load(&dir).unwrap();
        let v = enc
            .embed(&[
                "The negotiations have never ended.",
                "Talks have not stopped at any point.",
                "The recipe needs two cups of flour.",
            ])
            .unwrap();
        assert_eq!(v[0].len(), 384);
        let para = cosine(&v[0], &v[1]);
        let unrelated = cosine(&v[0], &v[2]);
        assert!(
            para > unrelated + 0.2,
            "paraphrase {para} vs unrelated {unrelated}"
        );
        let text = "Zoë said “no”.";
        let e = enc.encode(text).unwrap();
        for &(s, t) in &e.offsets {
            assert!(text.is_char_boundary(s) && text.is_char_boundary(t));
        }
    }
}

//! The base encoder cut in two: frozen lower layers shared by every head, and upper layers
//! that a task fine-tunes and ships.
//!
//! Weights keep the names of the base checkpoint (`embeddings.*`, `encoder.layer.N.*`), so
//! the lower part loads from the registry package and the upper part from either the base
//! (before training) or the task's shipped file (after). Only the upper layers and the head
//! are committed, which keeps the repository small.

use crate::error::{ModelError, ModelErrorKind};
use rust_bert::bert::{BertConfig, BertEmbedding, BertEmbeddings, BertLayer};
use rust_bert::Config;
use std::path::Path;
use tch::{nn, Device, Kind, Tensor};

/// Loads the base `BertConfig`, with attention dropout off (it cost a third of each
/// training step on this CPU and did not help).
///
/// # Errors
/// [`ModelErrorKind::Missing`] when `config.json` is absent.
pub fn base_config(base: &Path) -> Result<BertConfig, ModelError> {
    let p = base.join("config.json");
    if !p.is_file() {
        return Err(ModelError::new(
            ModelErrorKind::Missing,
            format!(
                "{} is missing: run `make setup` or pass --models DIR",
                p.display()
            ),
        ));
    }
    let mut c = BertConfig::from_file(&p);
    c.attention_probs_dropout_prob = 0.0;
    c.output_attentions = Some(false);
    c.output_hidden_states = Some(false);
    Ok(c)
}

/// True when inference should run in bfloat16: set `CLAIMEX_BF16=1` (off by default: on
/// this CPU it was measured faster, but f32 and bf16 can differ in the last decimals and
/// output must be identical across machines).
pub fn bf16() -> bool {
    std::env::var("CLAIMEX_BF16").is_ok_and(|v| v == "1")
}

/// Loads a task's trained upper layers and head from `dir/model.safetensors` into `vs`
/// (shipped in float16), converts them for inference (float32, or bfloat16 with
/// `CLAIMEX_BF16=1`) and freezes them.
///
/// # Errors
/// [`ModelErrorKind::Missing`] when the file is absent, [`ModelErrorKind::Load`] when it
/// does not load.
pub fn load_trained(vs: &mut nn::VarStore, dir: &Path) -> Result<(), ModelError> {
    let weights = dir.join("model.safetensors");
    if !weights.is_file() {
        return Err(ModelError::new(
            ModelErrorKind::Missing,
            format!(
                "{} is missing (train it with `make train`)",
                weights.display()
            ),
        ));
    }
    vs.load(&weights).map_err(|e| {
        ModelError::new(ModelErrorKind::Load, format!("{}: {e}", weights.display()))
    })?;
    if bf16() {
        vs.bfloat16();
    } else {
        vs.float();
    }
    vs.freeze();
    Ok(())
}

/// Extended additive attention mask `[b, 1, 1, len]` of float kind `kind` (that of the
/// hidden states) from a 0/1 mask `[b, len]`.
pub fn extended_mask(mask: &Tensor, kind: Kind) -> Tensor {
    let m = mask.to_kind(Kind::Float);
    ((m.ones_like() - m).unsqueeze(1).unsqueeze(1) * -10000.0).to_kind(kind)
}

/// Embeddings and layers `0..split` of the base encoder, frozen.
pub struct Lower {
    embeddings: BertEmbeddings,
    layers: Vec<BertLayer>,
    _vs: nn::VarStore,
}

impl Lower {
    /// Loads the lower part from the base checkpoint in `base`.
    ///
    /// # Errors
    /// Missing or unloadable base files.
    pub fn load(base: &Path, config: &BertConfig, split: usize) -> Result<Self, ModelError> {
        let mut vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let embeddings = BertEmbeddings::new(&root / "embeddings", config);
        let layers = (0..split)
            .map(|i| BertLayer::new(&root / "encoder" / "layer" / i, config))
            .collect();
        let weights = base.join("model.safetensors");
        if !weights.is_file() {
            return Err(ModelError::new(
                ModelErrorKind::Missing,
                format!(
                    "{} is missing: run `make setup` or pass --models DIR",
                    weights.display()
                ),
            ));
        }
        let missing = vs.load_partial(&weights).map_err(|e| {
            ModelError::new(ModelErrorKind::Load, format!("{}: {e}", weights.display()))
        })?;
        if !missing.is_empty() {
            return Err(ModelError::new(
                ModelErrorKind::Load,
                format!("{}: missing {}", weights.display(), missing.join(", ")),
            ));
        }
        vs.freeze();
        if bf16() {
            vs.bfloat16();
        }
        Ok(Lower {
            embeddings,
            layers,
            _vs: vs,
        })
    }

    /// Hidden states after the lower layers, `[b, len, hidden]`, for ids and 0/1 mask
    /// `[b, len]`. No gradients.
    ///
    /// # Errors
    /// A failed forward pass.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor) -> Result<Tensor, ModelError> {
        tch::no_grad(|| {
            let mut h = self
                .embeddings
                .forward_t(Some(ids), None, None, None, false)
                .map_err(|e| ModelError::new(ModelErrorKind::Inference, e.to_string()))?;
            let ext = extended_mask(mask, h.kind());
            for l in &self.layers {
                h = l.forward_t(&h, Some(&ext), None, None, false).hidden_state;
            }
            Ok(h)
        })
    }
}

/// Layers `split..n` of the encoder, built under `p` with the base names.
pub struct Upper {
    layers: Vec<BertLayer>,
}

impl Upper {
    /// Creates the upper layers under `p` (`p / "encoder" / "layer" / i`).
    pub fn new(p: &nn::Path, config: &BertConfig, split: usize) -> Self {
        let n = config.num_hidden_layers as usize;
        Upper {
            layers: (split..n)
                .map(|i| BertLayer::new(p / "encoder" / "layer" / i, config))
                .collect(),
        }
    }

    /// Runs the upper layers on lower hidden states `[b, len, hidden]` with 0/1 mask.
    pub fn forward_t(&self, h: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        let ext = extended_mask(mask, h.kind());
        let mut h = h.shallow_clone();
        for l in &self.layers {
            h = l.forward_t(&h, Some(&ext), None, None, train).hidden_state;
        }
        h
    }
}

/// Masked mean over the sequence: `[b, len, hidden]` → `[b, hidden]`.
pub fn mean_pool(h: &Tensor, mask: &Tensor) -> Tensor {
    let m = mask.to_kind(h.kind()).unsqueeze(-1);
    let s = (h * &m).sum_dim_intlist([1i64].as_slice(), false, Kind::Float);
    let n = m
        .sum_dim_intlist([1i64].as_slice(), false, Kind::Float)
        .clamp_min(1e-9);
    (s / n).to_kind(h.kind())
}

/// Pads wordpiece id sequences into `(ids [b, len], mask [b, len])`.
pub fn pad_ids(seqs: &[&[i64]]) -> (Tensor, Tensor) {
    let len = seqs.iter().map(|s| s.len()).max().unwrap_or(1).max(1);
    let mut ids = vec![0i64; seqs.len() * len];
    let mut mask = vec![0i64; seqs.len() * len];
    for (b, s) in seqs.iter().enumerate() {
        for (t, &id) in s.iter().enumerate() {
            ids[b * len + t] = id;
            mask[b * len + t] = 1;
        }
    }
    let shape = [seqs.len() as i64, len as i64];
    (
        Tensor::from_slice(&ids).view(shape),
        Tensor::from_slice(&mask).view(shape),
    )
}

//! The base encoder cut in two: frozen lower layers shared by every head, and upper layers
//! that a task fine-tunes and ships.
//!
//! Weights keep the names of the base checkpoint (`embeddings.*`, `encoder.layer.N.*`), so
//! the lower part loads from the registry package and the upper part from either the base
//! (before training) or the task's shipped file (after). Only the upper layers and the head
//! are committed, which keeps the repository small.

use crate::error::{ModelError, ModelErrorKind};
use crate::layer::Layer;
use rust_bert::bert::{BertConfig, BertEmbedding, BertEmbeddings};
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

/// True when inference runs in bfloat16. `CLAIMEX_PRECISION` decides: `f32`, `bf16`, or
/// `auto` (the default): bfloat16 where the CPU computes it natively (AVX512-BF16; AMX
/// CPUs have it too), float32 elsewhere. On this project's 2-core machine bfloat16 made the
/// model stages ~1.8x faster; the spans agree with float32's but for near ties (the
/// `bf16_and_f32_agree` test bounds how many). Output is byte-identical run to run on one
/// machine either way; the golden tests pin `f32` so they hold on any CPU.
pub fn bf16() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| match std::env::var("CLAIMEX_PRECISION").as_deref() {
        Ok("f32") => false,
        Ok("bf16") => true,
        _ => cpu_has_bf16(),
    })
}

/// Whether the CPU has native bfloat16 arithmetic.
pub fn cpu_has_bf16() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512bf16")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Suffixes of a weight shipped as an int8 delta from the base checkpoint: `q8` holds
/// `round((w - base) / scale)` per element, `s8` the per-row scale (float16).
const Q8: &str = ".q8";
const S8: &str = ".s8";

/// Writes a task's trained variables to `path`: matrices that exist in the base checkpoint
/// as int8 deltas from it with one scale per row (what fine-tuning changed, at a quarter of
/// float32's size; the rounding error is at most half a step, 1/254 of the row's largest
/// change), everything else (biases, LayerNorm, heads) as float16.
///
/// # Errors
/// An unreadable base checkpoint or an unwritable file.
pub fn save_trained(vs: &nn::VarStore, base: &Path, path: &Path) -> Result<(), ModelError> {
    save_named(vs.variables().into_iter().collect(), base, path)
}

/// [`save_trained`] for named tensors (also how a float16 file is repacked).
///
/// # Errors
/// An unreadable base checkpoint or an unwritable file.
pub fn save_named(
    mut vars: Vec<(String, Tensor)>,
    base: &Path,
    path: &Path,
) -> Result<(), ModelError> {
    let load = |e: tch::TchError| ModelError::new(ModelErrorKind::Load, e.to_string());
    let base: std::collections::HashMap<String, Tensor> =
        Tensor::read_safetensors(base.join("model.safetensors"))
            .map_err(load)?
            .into_iter()
            .collect();
    vars.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(String, Tensor)> = Vec::new();
    tch::no_grad(|| {
        for (name, t) in vars {
            let t = t.to_kind(Kind::Float);
            match base.get(&name) {
                Some(b) if t.dim() == 2 && b.size() == t.size() => {
                    let d = &t - b.to_kind(Kind::Float);
                    let scale = (d.abs().amax([1i64].as_slice(), true) / 127.0).clamp_min(1e-12);
                    let q = (&d / &scale)
                        .round()
                        .clamp(-127.0, 127.0)
                        .to_kind(Kind::Int8);
                    out.push((format!("{name}{Q8}"), q));
                    out.push((
                        format!("{name}{S8}"),
                        scale.squeeze_dim(1).to_kind(Kind::Half),
                    ));
                }
                _ => out.push((name, t.to_kind(Kind::Half))),
            }
        }
    });
    Tensor::write_safetensors(&out, path).map_err(load)
}

/// Loads a task's trained upper layers and head from `dir/model.safetensors` into `vs`
/// (float16 tensors, or int8 deltas from the base checkpoint in `base`, as
/// [`save_trained`] writes them), converts them for inference (float32, or bfloat16 when
/// [`bf16`] says so) and freezes them.
///
/// # Errors
/// [`ModelErrorKind::Missing`] when the file is absent, [`ModelErrorKind::Load`] when it
/// does not load or lacks a variable.
pub fn load_trained(vs: &mut nn::VarStore, base: &Path, dir: &Path) -> Result<(), ModelError> {
    load_trained_as(vs, base, dir, bf16())
}

/// [`load_trained`] in bfloat16 or float32 as asked (training always reads float32).
///
/// # Errors
/// As [`load_trained`].
pub fn load_trained_as(
    vs: &mut nn::VarStore,
    base: &Path,
    dir: &Path,
    bfloat16: bool,
) -> Result<(), ModelError> {
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
    let bad =
        |e: String| ModelError::new(ModelErrorKind::Load, format!("{}: {e}", weights.display()));
    let file: std::collections::HashMap<String, Tensor> = Tensor::read_safetensors(&weights)
        .map_err(|e| bad(e.to_string()))?
        .into_iter()
        .collect();
    let mut base_weights: Option<std::collections::HashMap<String, Tensor>> = None;
    tch::no_grad(|| -> Result<(), ModelError> {
        for (name, mut var) in vs.variables() {
            let value = if let Some(t) = file.get(&name) {
                t.to_kind(Kind::Float)
            } else if let (Some(q), Some(sc)) = (
                file.get(&format!("{name}{Q8}")),
                file.get(&format!("{name}{S8}")),
            ) {
                if base_weights.is_none() {
                    base_weights = Some(
                        Tensor::read_safetensors(base.join("model.safetensors"))
                            .map_err(|e| bad(e.to_string()))?
                            .into_iter()
                            .collect(),
                    );
                }
                let b = base_weights
                    .as_ref()
                    .and_then(|m| m.get(&name))
                    .ok_or_else(|| bad(format!("{name} is a delta but not in the base")))?;
                b.to_kind(Kind::Float)
                    + q.to_kind(Kind::Float) * sc.to_kind(Kind::Float).unsqueeze(1)
            } else {
                return Err(bad(format!("{name} is missing")));
            };
            if value.size() != var.size() {
                return Err(bad(format!("{name} has shape {:?}", value.size())));
            }
            var.f_copy_(&value).map_err(|e| bad(e.to_string()))?;
        }
        Ok(())
    })?;
    if bfloat16 {
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

/// Fills every variable of `vs` from the base checkpoint in `base` (all must be there), then
/// freezes them, in bfloat16 when `bf16`.
///
/// # Errors
/// A missing checkpoint, or one that lacks a variable `vs` holds.
pub fn load_frozen_base(vs: &mut nn::VarStore, base: &Path, bf16: bool) -> Result<(), ModelError> {
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
    if bf16 {
        vs.bfloat16();
    }
    Ok(())
}

/// Embeddings and layers `0..split` of the base encoder, frozen.
pub struct Lower {
    embeddings: BertEmbeddings,
    layers: Vec<Layer>,
    _vs: nn::VarStore,
}

impl Lower {
    /// Loads the lower part from the base checkpoint in `base`, in bfloat16 when `bf16`
    /// (inference on a CPU that has it, see [`bf16`]), else float32 (always for training:
    /// the cached states feed float32 upper layers).
    ///
    /// # Errors
    /// Missing or unloadable base files.
    pub fn load(
        base: &Path,
        config: &BertConfig,
        split: usize,
        bf16: bool,
    ) -> Result<Self, ModelError> {
        let mut vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let embeddings = BertEmbeddings::new(&root / "embeddings", config);
        let layers = (0..split)
            .map(|i| Layer::new(&(&root / "encoder" / "layer" / i), config))
            .collect();
        load_frozen_base(&mut vs, base, bf16)?;
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
                h = l.forward_t(&h, &ext, false);
            }
            Ok(h)
        })
    }
}

/// Layers `split..n` of the encoder, built under `p` with the base names.
pub struct Upper {
    layers: Vec<Layer>,
}

impl Upper {
    /// Creates the upper layers under `p` (`p / "encoder" / "layer" / i`).
    pub fn new(p: &nn::Path, config: &BertConfig, split: usize) -> Self {
        let n = config.num_hidden_layers as usize;
        Upper {
            layers: (split..n)
                .map(|i| Layer::new(&(p / "encoder" / "layer" / i), config))
                .collect(),
        }
    }

    /// Runs the upper layers on lower hidden states `[b, len, hidden]` with 0/1 mask.
    pub fn forward_t(&self, h: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        let ext = extended_mask(mask, h.kind());
        let mut h = h.shallow_clone();
        for l in &self.layers {
            h = l.forward_t(&h, &ext, train);
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

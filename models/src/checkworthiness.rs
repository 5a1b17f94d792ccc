//! Check-worthiness: a sentence classifier on all-MiniLM-L6-v2, trained on CheckThat! 2024
//! English (ClaimBuster debate sentences).
//!
//! Architecture: the base encoder's embeddings and layers `0..SPLIT` stay frozen (shared with
//! every head); layers `SPLIT..6` are fine-tuned; the head is dropout + a linear layer on the
//! masked mean of the last hidden states, giving one logit; the score is its sigmoid. The
//! shipped file holds only the fine-tuned layers and the head (float16), and `config.json`
//! holds the decision threshold chosen on dev.

use crate::encoder::WordPieces;
use crate::error::{ModelError, ModelErrorKind};
use crate::split::{base_config, bf16, load_trained, mean_pool, pad_ids, Lower, Upper};
use crate::train::{run_epochs, scale_grads, EpochHooks, EpochPlan, TrainLog};
use std::path::{Path, PathBuf};
use tch::{nn, nn::Module, nn::OptimizerConfig, Device, Tensor};

/// Layers below this index are frozen and shared.
pub const SPLIT: usize = 4;
/// Wordpieces per sentence at most.
const MAX_LEN: usize = 128;

/// One labelled sentence.
#[derive(Clone, Debug)]
pub struct Example {
    /// `Sentence_id`.
    pub id: String,
    /// The sentence.
    pub text: String,
    /// True for `Yes`.
    pub label: Option<bool>,
}

/// Reads a CheckThat! TSV (`Sentence_id<TAB>Text[<TAB>class_label]`, with a header) or, when
/// the first line is not that header, one sentence per line (ids are line numbers).
///
/// Lines whose label is neither `Yes` nor `No` (the train file has one line holding two
/// merged records) are dropped and counted in the second value.
pub fn read_sentences(text: &str) -> (Vec<Example>, usize) {
    let mut lines = text.lines();
    let first = lines.clone().next().unwrap_or("");
    let tsv = first.starts_with("Sentence_id\t");
    let mut out = Vec::new();
    let mut dropped = 0;
    if tsv {
        lines.next();
        for l in lines {
            if l.trim().is_empty() {
                continue;
            }
            let f: Vec<&str> = l.split('\t').collect();
            match f.as_slice() {
                [id, t] => out.push(Example {
                    id: id.to_string(),
                    text: t.to_string(),
                    label: None,
                }),
                [id, t, lab] if matches!(lab.trim(), "Yes" | "No") => out.push(Example {
                    id: id.to_string(),
                    text: t.to_string(),
                    label: Some(lab.trim() == "Yes"),
                }),
                _ => dropped += 1,
            }
        }
    } else {
        for (i, l) in text.lines().enumerate() {
            if !l.trim().is_empty() {
                out.push(Example {
                    id: (i + 1).to_string(),
                    text: l.to_string(),
                    label: None,
                });
            }
        }
    }
    (out, dropped)
}

/// The trainable part: upper layers and head, under one `VarStore`.
struct Top {
    vs: nn::VarStore,
    upper: Upper,
    head: nn::Linear,
}

impl Top {
    fn new(config: &rust_bert::bert::BertConfig) -> Self {
        let vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let upper = Upper::new(&root, config, SPLIT);
        let head = nn::linear(&root / "head", config.hidden_size, 1, Default::default());
        Top { vs, upper, head }
    }

    /// Logits `[b]` from lower hidden states.
    fn logits(&self, h: &Tensor, mask: &Tensor, train: bool) -> Tensor {
        let u = self.upper.forward_t(h, mask, train);
        let pooled = mean_pool(&u, mask).dropout(0.1, train);
        self.head.forward(&pooled).squeeze_dim(-1)
    }
}

/// The base encoder's own upper layers (frozen): with the shared lower layers they make
/// all-MiniLM-L6-v2 whole, whose mean-pooled states are its sentence embedding.
struct BaseTop {
    _vs: nn::VarStore,
    upper: Upper,
}

impl BaseTop {
    fn load(
        base: &Path,
        config: &rust_bert::bert::BertConfig,
        bf16: bool,
    ) -> Result<Self, ModelError> {
        let mut vs = nn::VarStore::new(Device::Cpu);
        let upper = Upper::new(&vs.root(), config, SPLIT);
        crate::split::load_frozen_base(&mut vs, base, bf16)?;
        Ok(BaseTop { _vs: vs, upper })
    }
}

/// Components of a sentence embedding (the base encoder's hidden size).
pub const EMBEDDING_DIM: usize = 384;

/// The trained scorer.
pub struct CheckworthinessScorer {
    wordpieces: WordPieces,
    lower: Lower,
    top: Top,
    base_top: BaseTop,
    /// Scores at or above this are labelled `Yes` (chosen on dev).
    pub threshold: f32,
}

/// Settings written beside the weights.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct ScorerConfig {
    /// Decision threshold on the sigmoid score.
    pub threshold: f32,
    /// Index of the first fine-tuned layer.
    pub split: usize,
}

impl CheckworthinessScorer {
    /// Loads the base tokenizer and frozen layers from `base` and the trained parts from `dir`
    /// (`model.safetensors`, `config.json`).
    ///
    /// # Errors
    /// Missing or unloadable files.
    pub fn load(base: &Path, dir: &Path) -> Result<Self, ModelError> {
        let config = base_config(base)?;
        let wordpieces = WordPieces::load(base)?;
        let lower = Lower::load(base, &config, SPLIT, bf16())?;
        let base_top = BaseTop::load(base, &config, bf16())?;
        let mut top = Top::new(&config);
        load_trained(&mut top.vs, base, dir)?;
        let sc: ScorerConfig = serde_json::from_str(
            &std::fs::read_to_string(dir.join("config.json")).map_err(|e| {
                ModelError::new(
                    ModelErrorKind::Missing,
                    format!("{}: {e}", dir.join("config.json").display()),
                )
            })?,
        )
        .map_err(|e| {
            ModelError::new(
                ModelErrorKind::Load,
                format!("{}: {e}", dir.join("config.json").display()),
            )
        })?;
        Ok(CheckworthinessScorer {
            wordpieces,
            lower,
            top,
            base_top,
            threshold: sc.threshold,
        })
    }

    /// Scores in `[0, 1]` and sentence embeddings (L2-normalised, int8 × 127), one per
    /// text: the shared lower layers run once for both.
    ///
    /// # Errors
    /// Tokenizer or forward-pass failures.
    pub fn score_and_embed(&self, texts: &[&str]) -> Result<(Vec<f32>, Vec<Vec<i8>>), ModelError> {
        self.run(texts, true)
    }

    /// Scores in `[0, 1]`, one per text, computed in length-sorted batches of 64.
    ///
    /// # Errors
    /// Tokenizer or forward-pass failures.
    pub fn score(&self, texts: &[&str]) -> Result<Vec<f32>, ModelError> {
        self.run(texts, false).map(|(s, _)| s)
    }

    fn run(&self, texts: &[&str], embed: bool) -> Result<(Vec<f32>, Vec<Vec<i8>>), ModelError> {
        let ids: Vec<Vec<i64>> = texts
            .iter()
            .map(|t| self.wordpieces.encode(t).map(|e| truncate(e.ids)))
            .collect::<Result<_, _>>()?;
        if std::env::var_os("CLAIMEX_TIMINGS").is_some() {
            let n: usize = ids.iter().map(Vec::len).sum();
            eprintln!("wordpieces: score_checkworthiness {n}");
        }
        let mut order: Vec<usize> = (0..texts.len()).collect();
        order.sort_by_key(|&i| ids[i].len());
        let mut out = vec![0f32; texts.len()];
        let mut embeddings = vec![Vec::new(); if embed { texts.len() } else { 0 }];
        for chunk in order.chunks(64) {
            let seqs: Vec<&[i64]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
            let (t, m) = pad_ids(&seqs);
            let h = self.lower.forward(&t, &m)?;
            let p = tch::no_grad(|| {
                self.top
                    .logits(&h, &m, false)
                    .sigmoid()
                    .to_kind(tch::Kind::Float)
            });
            let v: Vec<f32> = Vec::<f32>::try_from(p)
                .map_err(|e| ModelError::new(ModelErrorKind::Inference, e.to_string()))?;
            for (k, &i) in chunk.iter().enumerate() {
                out[i] = v[k];
            }
            if embed {
                let e = tch::no_grad(|| {
                    let pooled = mean_pool(&self.base_top.upper.forward_t(&h, &m, false), &m)
                        .to_kind(tch::Kind::Float);
                    let norm = pooled
                        .norm_scalaropt_dim(2.0, [1i64].as_slice(), true)
                        .clamp_min(1e-9);
                    (pooled / norm * 127.0).round().clamp(-127.0, 127.0)
                });
                let flat: Vec<f32> = Vec::<f32>::try_from(e.flatten(0, -1))
                    .map_err(|e| ModelError::new(ModelErrorKind::Inference, e.to_string()))?;
                for (k, &i) in chunk.iter().enumerate() {
                    embeddings[i] = flat[k * EMBEDDING_DIM..(k + 1) * EMBEDDING_DIM]
                        .iter()
                        .map(|&x| x as i8)
                        .collect();
                }
            }
        }
        Ok((out, embeddings))
    }
}

fn truncate(mut ids: Vec<i64>) -> Vec<i64> {
    if ids.len() > MAX_LEN {
        let sep = *ids.last().unwrap();
        ids.truncate(MAX_LEN - 1);
        ids.push(sep);
    }
    ids
}

/// Training settings.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TrainConfig {
    /// Epochs.
    pub epochs: usize,
    /// Sentences per batch.
    pub batch: usize,
    /// Peak learning rate of the upper layers.
    pub lr: f64,
    /// Peak learning rate of the head.
    pub head_lr: f64,
    /// Share of steps with linear warm-up.
    pub warmup: f64,
    /// Seed of shuffling, initialisation and dropout.
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 3,
            batch: 32,
            lr: 5e-5,
            head_lr: 1e-3,
            warmup: 0.06,
            seed: 13,
        }
    }
}

/// F1, precision, recall of the positive class at `threshold`.
pub fn prf(scores: &[f32], gold: &[bool], threshold: f32) -> (f64, f64, f64) {
    let (mut tp, mut fp, mut fn_) = (0f64, 0f64, 0f64);
    for (s, &g) in scores.iter().zip(gold) {
        let p = *s >= threshold;
        match (p, g) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            _ => {}
        }
    }
    let p = if tp + fp > 0.0 { tp / (tp + fp) } else { 0.0 };
    let r = if tp + fn_ > 0.0 { tp / (tp + fn_) } else { 0.0 };
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (f, p, r)
}

/// The threshold in `[0.05, 0.95]` (steps of 0.01) with the best F1, and that F1.
pub fn best_threshold(scores: &[f32], gold: &[bool]) -> (f32, f64) {
    (5..=95)
        .map(|k| k as f32 / 100.0)
        .map(|t| (t, prf(scores, gold, t).0))
        .fold((0.5, -1.0), |a, b| if b.1 > a.1 { b } else { a })
}

pub use crate::train::Progress;

/// Lower-layer hidden states of each example, `[len, hidden]`, computed once.
fn cache_lower(
    wordpieces: &WordPieces,
    lower: &Lower,
    data: &[Example],
    progress: Progress,
    phase: &str,
) -> Result<Vec<Tensor>, ModelError> {
    let ids: Vec<Vec<i64>> = data
        .iter()
        .map(|e| wordpieces.encode(&e.text).map(|x| truncate(x.ids)))
        .collect::<Result<_, _>>()?;
    let mut order: Vec<usize> = (0..data.len()).collect();
    order.sort_by_key(|&i| ids[i].len());
    let mut out: Vec<Option<Tensor>> = (0..data.len()).map(|_| None).collect();
    let mut done = 0;
    for chunk in order.chunks(128) {
        let seqs: Vec<&[i64]> = chunk.iter().map(|&i| ids[i].as_slice()).collect();
        let (t, m) = pad_ids(&seqs);
        let h = lower.forward(&t, &m)?;
        for (k, &i) in chunk.iter().enumerate() {
            out[i] = Some(h.get(k as i64).narrow(0, 0, ids[i].len() as i64).copy());
        }
        done += chunk.len();
        progress(phase, done, data.len());
    }
    Ok(out.into_iter().map(|t| t.unwrap()).collect())
}

fn batch_tensors(cache: &[Tensor], idx: &[usize]) -> (Tensor, Tensor) {
    let seqs: Vec<&Tensor> = idx.iter().map(|&i| &cache[i]).collect();
    let lens: Vec<i64> = seqs.iter().map(|t| t.size()[0]).collect();
    let h = Tensor::pad_sequence(&seqs, true, 0.0);
    let len = h.size()[1];
    let mut mask = vec![0i64; idx.len() * len as usize];
    for (b, &l) in lens.iter().enumerate() {
        for t in 0..l as usize {
            mask[b * len as usize + t] = 1;
        }
    }
    (h, Tensor::from_slice(&mask).view([idx.len() as i64, len]))
}

fn predict(top: &Top, cache: &[Tensor]) -> Vec<f32> {
    let mut order: Vec<usize> = (0..cache.len()).collect();
    order.sort_by_key(|&i| cache[i].size()[0]);
    let mut out = vec![0f32; cache.len()];
    for chunk in order.chunks(128) {
        let (h, m) = batch_tensors(cache, chunk);
        let p = tch::no_grad(|| {
            top.logits(&h, &m, false)
                .sigmoid()
                .to_kind(tch::Kind::Float)
        });
        let v = Vec::<f32>::try_from(p).unwrap_or_default();
        for (k, &i) in chunk.iter().enumerate() {
            out[i] = v[k];
        }
    }
    out
}

/// Trains the scorer on `data_dir` (the CheckThat! folder) and writes `model.safetensors`,
/// `config.json`, `train.log` and `README.md` (the model card) into `out`.
///
/// # Errors
/// Missing data or base files, or a failed step.
pub fn train(
    base: &Path,
    data_dir: &Path,
    out: &Path,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let read = |name: &str| -> Result<Vec<Example>, ModelError> {
        let p = data_dir.join(format!("CT24_checkworthy_english_{name}.tsv"));
        let t = std::fs::read_to_string(&p).map_err(|e| {
            ModelError::new(ModelErrorKind::Missing, format!("{}: {e}", p.display()))
        })?;
        Ok(read_sentences(&t).0)
    };
    let train = read("train")?;
    let dev = read("dev")?;
    let devtest = read("dev-test")?;
    let mut log = TrainLog::create(out, progress)?;
    let mut say = |line: String| log.say(line);
    say(format!(
        "data: train {} dev {} dev-test {}; config {:?}",
        train.len(),
        dev.len(),
        devtest.len(),
        tc
    ));
    tch::manual_seed(tc.seed as i64);
    let config = base_config(base)?;
    let wordpieces = WordPieces::load(base)?;
    let lower = Lower::load(base, &config, SPLIT, false)?;
    let c_train = cache_lower(&wordpieces, &lower, &train, progress, "encode train")?;
    let c_dev = cache_lower(&wordpieces, &lower, &dev, progress, "encode dev")?;
    let c_devtest = cache_lower(&wordpieces, &lower, &devtest, progress, "encode dev-test")?;
    let gold = |d: &[Example]| {
        d.iter()
            .map(|e| e.label.unwrap_or(false))
            .collect::<Vec<bool>>()
    };
    let (g_train, g_dev, g_devtest) = (gold(&train), gold(&dev), gold(&devtest));

    let mut top = Top::new(&config);
    let mut missing = top
        .vs
        .load_partial(base.join("model.safetensors"))
        .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    // libtorch lists them in hash order: sorted, the log is the same every run
    missing.sort();
    say(format!("initialised from base; new: {missing:?}"));
    let mut opt = nn::AdamW::default()
        .build(&top.vs, tc.lr)
        .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;

    // length-bucketed batches, shuffled each epoch
    let mut order: Vec<usize> = (0..train.len()).collect();
    order.sort_by_key(|&i| c_train[i].size()[0]);
    let mut batches: Vec<Vec<usize>> = order.chunks(tc.batch).map(<[usize]>::to_vec).collect();
    let tmp = out.join("model.safetensors.tmp");
    let plan = EpochPlan {
        epochs: tc.epochs,
        lr: tc.lr,
        warmup: tc.warmup,
        seed: tc.seed,
        progress_every: 20,
    };
    let best = {
        let mut step = |b: &Vec<usize>, lr: f64| -> Result<f64, ModelError> {
            opt.set_lr(lr);
            let (h, m) = batch_tensors(&c_train, b);
            let y = Tensor::from_slice(
                &b.iter()
                    .map(|&i| if g_train[i] { 1f32 } else { 0f32 })
                    .collect::<Vec<_>>(),
            );
            let logits = top.logits(&h, &m, true);
            let loss = logits.binary_cross_entropy_with_logits::<Tensor>(
                &y,
                None,
                None,
                tch::Reduction::Mean,
            );
            opt.zero_grad();
            loss.backward();
            scale_grads(&top.vs, "head", tc.head_lr / tc.lr);
            opt.step();
            Ok(loss.double_value(&[]))
        };
        // dev F1 at its best threshold chooses the epoch; dev-test is only logged
        let mut evaluate = || {
            let s_dev = predict(&top, &c_dev);
            let (thr, f_dev) = best_threshold(&s_dev, &g_dev);
            let s_dt = predict(&top, &c_devtest);
            let (f_dt, p_dt, r_dt) = prf(&s_dt, &g_devtest, thr);
            let line = format!("dev F1 {f_dev:.4} at threshold {thr:.2}; dev-test F1 {f_dt:.4} (P {p_dt:.4} R {r_dt:.4})");
            Ok((f_dev, line, thr))
        };
        let mut keep = || {
            top.vs
                .save(&tmp)
                .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))
        };
        run_epochs(
            &plan,
            &mut batches,
            false,
            &mut say,
            progress,
            EpochHooks {
                step: &mut step,
                evaluate: &mut evaluate,
                keep: &mut keep,
            },
        )?
    };
    let (f_dev, thr, epoch) = (best.score, best.extra, best.epoch);
    // ship float16: half the bytes, same decisions at 3 decimals
    top.vs
        .load(&tmp)
        .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    let s_dt = predict(&top, &c_devtest);
    let (f_dt, p_dt, r_dt) = prf(&s_dt, &g_devtest, thr);
    let weights = out.join("model.safetensors");
    crate::split::save_trained(&top.vs, base, &weights)?;
    let _ = std::fs::remove_file(&tmp);
    let sc = ScorerConfig {
        threshold: thr,
        split: SPLIT,
    };
    std::fs::write(
        out.join("config.json"),
        serde_json::to_string_pretty(&sc).unwrap() + "\n",
    )
    .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    let summary = format!("best epoch {epoch}: dev F1 {f_dev:.4} at threshold {thr:.2}; dev-test F1 {f_dt:.4} (P {p_dt:.4}, R {r_dt:.4})");
    say(summary.clone());
    Ok(summary)
}

/// Where shipped task models live by default: `$CLAIMEX_MODELS/<task>` when set, else
/// `models/<task>` of an installed bundle ([`crate::encoder::bundle_dir`]), else `models/<task>`
/// in the source tree the binary was built in.
pub fn default_model_dir(task: &str) -> PathBuf {
    if let Some(d) = std::env::var_os("CLAIMEX_MODELS") {
        return PathBuf::from(d).join(task);
    }
    if let Some(b) = crate::encoder::bundle_dir() {
        return b.join("models").join(task);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join(task)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_and_plain_lines() {
        let (ex, dropped) = read_sentences("Sentence_id\tText\tclass_label\n1\tTaxes rose 20%.\tYes\n2\tHello.\tNo\n3\tbad\tline\tNo x\n");
        assert_eq!(ex.len(), 2);
        assert_eq!(dropped, 1);
        assert_eq!(ex[0].label, Some(true));
        let (ex, _) = read_sentences("First line.\n\nSecond line.\n");
        assert_eq!(
            ex.iter().map(|e| e.id.as_str()).collect::<Vec<_>>(),
            vec!["1", "3"]
        );
    }

    #[test]
    fn f1_by_hand() {
        // tp=1 (0.9), fp=1 (0.8), fn=1 (0.2): P=R=F1=0.5
        let (f, p, r) = prf(&[0.9, 0.8, 0.2, 0.1], &[true, false, true, false], 0.5);
        assert_eq!((f, p, r), (0.5, 0.5, 0.5));
    }
}

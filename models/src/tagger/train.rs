//! Training span taggers: one or more [`Task`]s (a head each) over shared upper layers
//! ([`train_tasks`]), a head alone on another's frozen layers ([`train_stacked_head`]), and
//! [`train_spans`] for a single task. Each epoch is scored on dev by exact F1 and the best
//! is kept.

use super::bio::gold_tags;
use super::config::{config_json, read_config, read_split};
use super::exact::{exact_f1, mean_f1, RolePrf};
use super::head::Top;
use super::inference::SpanTagger;
use super::windows::{tokenize, training_windows};
use crate::attribution::ROLES;
use crate::encoder::WordPieces;
use crate::error::{ModelError, ModelErrorKind};
use crate::split::{base_config, pad_ids, Lower};
use crate::train::{run_epochs, scale_grads, EpochHooks, EpochPlan, Progress, TrainLog};
use claimex_pipeline::tagged::RawSpan;
use std::path::Path;
use tch::{nn, nn::OptimizerConfig, Tensor};

/// One training article: text, gold role spans.
pub struct GoldArticle {
    /// Article id.
    pub id: String,
    /// The text.
    pub text: String,
    /// `(role, start, end)` in code points, whitespace-trimmed.
    pub spans: Vec<(usize, usize, usize)>,
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Epochs.
    pub epochs: usize,
    /// Windows per batch.
    pub batch: usize,
    /// Peak learning rate of the upper layers (the head's is 10× this).
    pub lr: f64,
    /// Seed.
    pub seed: u64,
    /// Layers `0..split` stay frozen; `split..6` are trained and shipped.
    pub split: usize,
    /// Names of the three roles, for the log.
    pub roles: [&'static str; 3],
    /// Start from this trained model (a folder with `model.safetensors` and `config.json`
    /// of the same split, or of a higher one: the layers it left frozen start from the base)
    /// instead of the base encoder: training continues, and the model as loaded competes as
    /// epoch 0, so a continuation never ships a worse model.
    pub init: Option<std::path::PathBuf>,
}

impl TrainConfig {
    /// The epoch loop's plan: warm-up over 1/16 of the steps, the progress bar every 10
    /// batches.
    pub fn plan(&self) -> EpochPlan {
        EpochPlan {
            epochs: self.epochs,
            lr: self.lr,
            warmup: 1.0 / 16.0,
            seed: self.seed,
            progress_every: 10,
        }
    }
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 4,
            batch: 16,
            lr: 1e-4,
            seed: 13,
            // the shipped heads: layers 2-5 trained (4 trained layers beat 2 by 18 points
            // of source F1 on PolNeAR dev)
            split: 2,
            roles: ROLES,
            init: None,
        }
    }
}

/// Trains a span tagger on gold articles (spans of three roles), selecting the epoch by mean
/// exact F1 on `dev` as decoded with `prior` (`HeadConfig::prior`, written into its
/// `config.json`); writes `model.safetensors`, `config.json` and `train.log` into `out`.
///
/// # Errors
/// Missing base files, or a failed step.
pub fn train_spans(
    base: &Path,
    train: &[GoldArticle],
    dev: &[GoldArticle],
    out: &Path,
    tc: &TrainConfig,
    prior: [f32; 7],
    progress: Progress,
) -> Result<String, ModelError> {
    let task = Task {
        name: "",
        train,
        dev,
        roles: tc.roles,
        batch: tc.batch,
        repeat: 1,
        out,
        init: tc.init.as_deref(),
        tidy: None,
        prior,
    };
    train_tasks(base, &[task], tc, progress)
}

/// Dev exact F1 per role, `(precision, recall, F1)`, of head `head` of `tagger` on `task`'s
/// dev articles, after the task's tidying.
pub(crate) fn dev_scores(
    tagger: &SpanTagger,
    head: usize,
    task: &Task,
) -> Result<RolePrf, ModelError> {
    let texts: Vec<&str> = task.dev.iter().map(|a| a.text.as_str()).collect();
    let gold: Vec<Vec<(usize, usize, usize)>> = task.dev.iter().map(|a| a.spans.clone()).collect();
    let pred: Vec<Vec<(usize, usize, usize)>> = tagger.tag_heads(&texts)?[head]
        .iter()
        .zip(&texts)
        .map(|(v, text)| {
            let v = match task.tidy {
                Some(tidy) => tidy(text, v),
                None => v.clone(),
            };
            v.iter()
                .map(|t| (t.label, t.span.start, t.span.end))
                .collect()
        })
        .collect();
    Ok(exact_f1(&gold, &pred)
        .roles
        .map(|x| (x.precision, x.recall, x.f1)))
}

/// Trains only the linear layer of a head stacked on a trained head (`under`, e.g.
/// `models/attribution`), whose layers stay exactly as shipped: the upper states of every
/// training window are computed once (float32, no dropout, as at inference), and the layer
/// is fitted on them with AdamW (dropout 0.1 on the states, linear warm-up and decay,
/// `tc.lr`, batches of `task.batch` windows, `task.repeat` passes per epoch). Starts from
/// `task.init` when given (scored as epoch 0), else from zeros; keeps the epoch with the best
/// mean exact F1 on `task.dev` (after `task.tidy`). Writes `model.safetensors`,
/// `config.json` (`"on"`: the folder name of `under`) and `train.log` into `task.out`.
///
/// A head trained this way never changes what the head below it reads, so the attribution
/// scores stay what they were; it costs seconds per epoch instead of minutes.
///
/// # Errors
/// Missing base or model files, or a failed step.
pub fn train_stacked_head(
    base: &Path,
    under: &Path,
    task: &Task,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let mut log = TrainLog::create(task.out, progress)?;
    let mut say = |line: String| log.say(line);
    let layout = read_config(under)?;
    if layout.on.is_some() {
        return Err(ModelError::new(
            ModelErrorKind::Load,
            format!(
                "{} is itself stacked: give the head with layers",
                under.display()
            ),
        ));
    }
    say(format!(
        "data: train {} articles, dev {}, batch {}, {} pass(es) per epoch; layers of {} (split {}) frozen",
        task.train.len(),
        task.dev.len(),
        task.batch,
        task.repeat,
        under.display(),
        layout.split
    ));
    say(format!(
        "epochs {}, peak lr {}, seed {}, start: {}",
        tc.epochs,
        tc.lr,
        tc.seed,
        task.init
            .map_or("zeros".to_string(), |d| d.display().to_string())
    ));
    tch::manual_seed(tc.seed as i64);
    let config = base_config(base)?;
    let wordpieces = WordPieces::load(base)?;
    let lower = Lower::load(base, &config, layout.split, false)?;
    let mut below = Top::new(&config, layout.split, false);
    crate::split::load_trained_as(&mut below.vs, base, under, false)?;
    let (cls, sep) = (wordpieces.cls_id(), wordpieces.sep_id());
    // (upper states [len, hidden], tags [len]) per training window, computed once
    let mut cache: Vec<(Tensor, Tensor)> = Vec::new();
    for (k, a) in task.train.iter().enumerate() {
        let t = tokenize(&wordpieces, &a.text)?;
        for (ids, tg) in training_windows(&t, &gold_tags(&t, &a.spans), cls, sep) {
            let (it, m) = pad_ids(&[&ids]);
            let h = lower.forward(&it, &m)?;
            let u = tch::no_grad(|| below.upper(&h, &m, false))
                .ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no upper layers"))?;
            cache.push((u.squeeze_dim(0), Tensor::from_slice(&tg)));
        }
        if k % 10 == 0 {
            progress("encode train", k + 1, task.train.len());
        }
    }
    say(format!("train windows {}", cache.len()));
    let mut head = Top::new(&config, layout.split, true);
    head.prior = task.prior;
    if let Some(dir) = task.init {
        crate::split::load_trained_as(&mut head.vs, base, dir, false)?;
        head.vs.unfreeze();
        say(format!("initialised from {}", dir.display()));
    } else {
        tch::no_grad(|| {
            for (_, mut v) in head.vs.variables() {
                let _ = v.zero_();
            }
        });
    }
    let name = under
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tagger = SpanTagger {
        wordpieces,
        lower,
        tops: vec![below, head],
    };
    let evaluate = |tagger: &SpanTagger| dev_scores(tagger, 1, task);
    let line = |f: &RolePrf| {
        let r = task.roles;
        format!(
            "dev exact F1 {} {:.1} {} {:.1} {} {:.1} (mean {:.1})",
            r[0],
            f[0].2 * 100.0,
            r[1],
            f[1].2 * 100.0,
            r[2],
            f[2].2 * 100.0,
            mean_f1(f) * 100.0
        )
    };
    let tmp = task.out.join("model.safetensors.tmp");
    let save_tmp = |tagger: &SpanTagger| {
        tagger.tops[1]
            .vs
            .save(&tmp)
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))
    };
    let mut opt = nn::AdamW::default()
        .build(&tagger.tops[1].vs, tc.lr)
        .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    let mut order: Vec<usize> = (0..cache.len()).collect();
    order.sort_by_key(|&i| cache[i].0.size()[0]);
    let mut batches: Vec<Vec<usize>> = Vec::new();
    for _ in 0..task.repeat {
        batches.extend(order.chunks(task.batch.max(1)).map(<[usize]>::to_vec));
    }
    let best = {
        let mut step = |b: &Vec<usize>, lr: f64| -> Result<f64, ModelError> {
            opt.set_lr(lr);
            let hs: Vec<&Tensor> = b.iter().map(|&i| &cache[i].0).collect();
            let ts: Vec<&Tensor> = b.iter().map(|&i| &cache[i].1).collect();
            let u = Tensor::pad_sequence(&hs, true, 0.0);
            let y = Tensor::pad_sequence(&ts, true, -100.0);
            let logits = tagger.tops[1].classify(&u, true);
            let loss = tag_loss(&logits, &y);
            opt.zero_grad();
            loss.backward();
            opt.step();
            Ok(loss.double_value(&[]))
        };
        let mut evaluate = || {
            let f = evaluate(&tagger)?;
            Ok((mean_f1(&f), line(&f), ()))
        };
        let mut keep = || save_tmp(&tagger);
        run_epochs(
            &tc.plan(),
            &mut batches,
            task.init.is_some(),
            &mut say,
            progress,
            EpochHooks {
                step: &mut step,
                evaluate: &mut evaluate,
                keep: &mut keep,
            },
        )?
    };
    let (m, epoch) = (best.score, best.epoch);
    let mut head = tagger.tops.pop().expect("two heads");
    head.vs
        .load(&tmp)
        .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    crate::split::save_trained(&head.vs, base, &task.out.join("model.safetensors"))?;
    let _ = std::fs::remove_file(&tmp);
    std::fs::write(
        task.out.join("config.json"),
        config_json(layout.split, Some(&name), &task.prior),
    )
    .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    let s = format!("best epoch {epoch}: mean dev exact F1 {:.1}", m * 100.0);
    say(s.clone());
    Ok(s)
}

/// Mean cross-entropy of tag logits `[batch, len, 7]` against tags `[batch, len]`; tag -100
/// (padding, special tokens) is not scored.
fn tag_loss(logits: &Tensor, tags: &Tensor) -> Tensor {
    logits.view([-1, 7]).cross_entropy_loss::<Tensor>(
        &tags.view([-1]),
        None,
        tch::Reduction::Mean,
        -100,
        0.0,
    )
}

/// One task of a training run: its data, role names, batch size and output folder.
pub struct Task<'a> {
    /// Name in the log (and, for a head stacked on the first task's layers, nothing else).
    pub name: &'static str,
    /// Training articles.
    pub train: &'a [GoldArticle],
    /// Dev articles (epoch selection).
    pub dev: &'a [GoldArticle],
    /// Role names, for the log.
    pub roles: [&'static str; 3],
    /// Windows per batch.
    pub batch: usize,
    /// Passes over this task's training windows per epoch (a small corpus beside a large
    /// one gets several, so both shape the shared layers).
    pub repeat: usize,
    /// Where its model goes.
    pub out: &'a Path,
    /// Start from this trained model of the same split (for a stacked head, one stacked
    /// the same way) instead of the base encoder and a new head.
    pub init: Option<&'a Path>,
    /// What the pipeline does to this head's spans before using them (text, spans), applied
    /// before scoring dev too, so the epoch chosen is the best one as the pipeline sees it.
    pub tidy: Option<Tidy>,
    /// Decoding prior of this head (dev scoring and the shipped `config.json`):
    /// [`crate::attribution::ATTRIBUTION_PRIOR`] for attribution, zeros for entities.
    pub prior: [f32; 7],
}

/// A post-processing of one head's spans of one text
/// ([`claimex_pipeline::stages::entities::tidy::tidy`]).
pub type Tidy = fn(&str, &[RawSpan]) -> Vec<RawSpan>;

/// A task's name and a space for the log, or nothing for a single unnamed task.
pub(crate) fn prefix(t: &Task) -> String {
    if t.name.is_empty() {
        String::new()
    } else {
        format!("{} ", t.name)
    }
}

/// Trains the first task's upper layers and head, and a head for each further task stacked
/// on those same layers (one upper pass serves them all at inference): batches of every
/// task shuffled together, each scored by its own head. The epoch with the best sum of the
/// tasks' mean dev exact F1 is kept. Writes each task's `model.safetensors` and
/// `config.json` (a stacked head's names the first task's folder in `"on"`), and
/// `train.log` into the first task's folder.
///
/// # Errors
/// Missing base files, or a failed step.
pub fn train_tasks(
    base: &Path,
    tasks: &[Task],
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let first = tasks
        .first()
        .ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no task to train"))?;
    for t in &tasks[1..] {
        std::fs::create_dir_all(t.out).map_err(|e| {
            ModelError::new(ModelErrorKind::Load, format!("{}: {e}", t.out.display()))
        })?;
    }
    let mut log = TrainLog::create(first.out, progress)?;
    let mut say = |line: String| log.say(line);
    for t in tasks {
        say(format!(
            "data: {}train {} articles, dev {}, batch {}, {} pass(es) per epoch",
            prefix(t),
            t.train.len(),
            t.dev.len(),
            t.batch,
            t.repeat
        ));
    }
    say(format!("{tc:?}"));
    tch::manual_seed(tc.seed as i64);
    let config = base_config(base)?;
    let wordpieces = WordPieces::load(base)?;
    let lower = Lower::load(base, &config, tc.split, false)?;
    let (cls, sep) = (wordpieces.cls_id(), wordpieces.sep_id());
    // windows of train articles with their tags, lower states cached
    let mut cache: Vec<(Tensor, Tensor)> = Vec::new(); // (hidden [len, h], tags [len])
    let mut batches: Vec<(usize, Vec<usize>)> = Vec::new(); // (task, windows)
    for (ti, task) in tasks.iter().enumerate() {
        let from = cache.len();
        let mut ntok = 0;
        for (k, a) in task.train.iter().enumerate() {
            let t = tokenize(&wordpieces, &a.text)?;
            for (ids, tg) in training_windows(&t, &gold_tags(&t, &a.spans), cls, sep) {
                let (it, m) = pad_ids(&[&ids]);
                let h = lower.forward(&it, &m)?.squeeze_dim(0);
                ntok += ids.len();
                cache.push((h, Tensor::from_slice(&tg)));
            }
            if k % 20 == 0 {
                progress("encode train", k + 1, task.train.len());
            }
        }
        say(format!(
            "train windows {}, wordpieces {ntok}",
            cache.len() - from
        ));
        let mut order: Vec<usize> = (from..cache.len()).collect();
        order.sort_by_key(|&i| cache[i].0.size()[0]);
        for _ in 0..task.repeat {
            batches.extend(order.chunks(task.batch).map(|c| (ti, c.to_vec())));
        }
    }
    let mut tops = Vec::new();
    for (ti, task) in tasks.iter().enumerate() {
        let mut top = Top::new(&config, tc.split, ti > 0);
        top.prior = task.prior;
        let mut missing = top
            .vs
            .load_partial(base.join("model.safetensors"))
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
        // libtorch lists them in hash order: sorted, the log is the same every run
        missing.sort();
        match task.init {
            Some(dir) => {
                let split = read_split(dir)?;
                if split < tc.split {
                    return Err(ModelError::new(
                        ModelErrorKind::Load,
                        format!(
                            "{} was trained with split {split}: it cannot start a model of split {}",
                            dir.display(),
                            tc.split
                        ),
                    ));
                }
                if split == tc.split {
                    crate::split::load_trained_as(&mut top.vs, base, dir, false)?;
                } else {
                    // a deeper model from a shallower one: layers split..6 and the head come
                    // from `dir`, layers tc.split..split (frozen there) from the base
                    let mut from = Top::new(&config, split, ti > 0);
                    crate::split::load_trained_as(&mut from.vs, base, dir, false)?;
                    let trained = from.vs.variables();
                    tch::no_grad(|| -> Result<(), ModelError> {
                        for (name, mut var) in top.vs.variables() {
                            if let Some(t) = trained.get(&name) {
                                var.f_copy_(t).map_err(|e| {
                                    ModelError::new(ModelErrorKind::Load, format!("{name}: {e}"))
                                })?;
                            }
                        }
                        Ok(())
                    })?;
                }
                // load_trained_as readies a model for inference: trainable again
                top.vs.unfreeze();
                say(format!(
                    "{}initialised from {} (split {split})",
                    prefix(task),
                    dir.display()
                ));
            }
            None => say(format!(
                "{}initialised from base; new: {missing:?}",
                prefix(task)
            )),
        }
        tops.push(top);
    }
    let mut opts = tops
        .iter()
        .map(|t| {
            nn::AdamW::default()
                .build(&t.vs, tc.lr)
                .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let tmp = |ti: usize| tasks[ti].out.join("model.safetensors.tmp");
    let tagger = SpanTagger {
        wordpieces,
        lower,
        tops,
    };
    // dev exact F1 per role as (P, R, F1) of each task, and the sum of their mean F1
    let evaluate = |tagger: &SpanTagger| -> Result<(Vec<RolePrf>, f64), ModelError> {
        let mut all = Vec::new();
        let mut sum = 0.0;
        for (ti, task) in tasks.iter().enumerate() {
            let f = dev_scores(tagger, ti, task)?;
            sum += mean_f1(&f);
            all.push(f);
        }
        Ok((all, sum))
    };
    let line = |fs: &[RolePrf]| {
        fs.iter()
            .zip(tasks)
            .map(|(f, t)| {
                let r = t.roles;
                format!(
                    "{}dev exact F1 {} {:.1} {} {:.1} {} {:.1} (P/R {:.1}/{:.1}, {:.1}/{:.1}, {:.1}/{:.1})",
                    prefix(t),
                    r[0],
                    f[0].2 * 100.0,
                    r[1],
                    f[1].2 * 100.0,
                    r[2],
                    f[2].2 * 100.0,
                    f[0].0 * 100.0,
                    f[0].1 * 100.0,
                    f[1].0 * 100.0,
                    f[1].1 * 100.0,
                    f[2].0 * 100.0,
                    f[2].1 * 100.0
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let save_tmp = |tagger: &SpanTagger| -> Result<(), ModelError> {
        for (ti, top) in tagger.tops.iter().enumerate() {
            top.vs
                .save(tmp(ti))
                .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
        }
        Ok(())
    };
    let best = {
        let mut step = |(ti, b): &(usize, Vec<usize>), lr: f64| -> Result<f64, ModelError> {
            for o in opts.iter_mut() {
                o.set_lr(lr);
            }
            let hs: Vec<&Tensor> = b.iter().map(|&i| &cache[i].0).collect();
            let ts: Vec<&Tensor> = b.iter().map(|&i| &cache[i].1).collect();
            let h = Tensor::pad_sequence(&hs, true, 0.0);
            let y = Tensor::pad_sequence(&ts, true, -100.0);
            // [CLS]/[SEP] are attended to, only not scored
            let attend = Tensor::pad_sequence(
                &ts.iter().map(|t| t.ones_like()).collect::<Vec<_>>(),
                true,
                0.0,
            );
            // the first task's head is never stacked (Top::new above)
            let u = tagger.tops[0]
                .upper(&h, &attend, true)
                .ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no upper layers"))?;
            let logits = tagger.tops[*ti].classify(&u, true);
            let loss = tag_loss(&logits, &y);
            for o in opts.iter_mut() {
                o.zero_grad();
            }
            loss.backward();
            for top in &tagger.tops {
                scale_grads(&top.vs, "tagger", 10.0);
            }
            opts[0].step();
            if *ti > 0 {
                opts[*ti].step();
            }
            Ok(loss.double_value(&[]))
        };
        let mut evaluate = || {
            let (f, mean) = evaluate(&tagger)?;
            Ok((mean, line(&f), ()))
        };
        let mut keep = || save_tmp(&tagger);
        run_epochs(
            &tc.plan(),
            &mut batches,
            tasks.iter().all(|t| t.init.is_some()),
            &mut say,
            progress,
            EpochHooks {
                step: &mut step,
                evaluate: &mut evaluate,
                keep: &mut keep,
            },
        )?
    };
    let (mean, epoch) = (best.score, best.epoch);
    let first_name = first
        .out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (ti, mut top) in tagger.tops.into_iter().enumerate() {
        let out = tasks[ti].out;
        top.vs
            .load(tmp(ti))
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
        crate::split::save_trained(&top.vs, base, &out.join("model.safetensors"))?;
        let _ = std::fs::remove_file(tmp(ti));
        let on = (ti > 0).then_some(first_name.as_str());
        let layout = config_json(tc.split, on, &tasks[ti].prior);
        std::fs::write(out.join("config.json"), layout)
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    }
    let s = format!(
        "best epoch {epoch}: {} dev exact F1 {:.1}",
        if tasks.len() == 1 {
            "mean"
        } else {
            "sum of the tasks' mean"
        },
        mean * 100.0
    );
    say(s.clone());
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A head trained on the shipped attribution layers learns its spans from a few windows
    /// and leaves the attribution head's reading exactly as it was.
    #[test]
    fn a_stacked_head_trains_on_frozen_layers() {
        let Some(base) = crate::installed_base() else {
            return;
        };
        let under = crate::checkworthiness::default_model_dir("attribution");
        let tmp = std::env::temp_dir().join(format!("claimex-head-{}", std::process::id()));
        let out = tmp.join("entities");
        // role 0 on the names: "Maria Lopez" (0..11), "Tom Reyes" (30..39)
        let text = "Maria Lopez met the council. Tom Reyes left early.";
        let art = |id: &str| GoldArticle {
            id: id.into(),
            text: text.into(),
            spans: vec![(0, 0, 11), (0, 29, 38)],
        };
        assert_eq!(&text[29..38], "Tom Reyes");
        let (train, dev) = (vec![art("a"), art("b")], vec![art("c")]);
        let task = Task {
            name: "names",
            train: &train,
            dev: &dev,
            roles: ["name", "unused", "unused"],
            batch: 2,
            repeat: 20,
            out: &out,
            init: None,
            tidy: None,
            prior: [0.0; 7],
        };
        let tc = TrainConfig {
            epochs: 3,
            lr: 1e-2,
            ..TrainConfig::default()
        };
        train_stacked_head(&base, &under, &task, &tc, &|_, _, _| {}).unwrap();
        let c = read_config(&out).unwrap();
        assert_eq!(c.on.as_deref(), Some("attribution"));
        // the copy of the attribution head next to it reads as the shipped one
        let a = tmp.join("attribution");
        std::fs::create_dir_all(&a).unwrap();
        for f in ["model.safetensors", "config.json"] {
            std::fs::copy(under.join(f), a.join(f)).unwrap();
        }
        let both = SpanTagger::load_heads(&base, &[a.as_path(), out.as_path()]).unwrap();
        let alone = SpanTagger::load(&base, &under).unwrap();
        let heads = both.tag_heads(&[text]).unwrap();
        assert_eq!(heads[0], alone.tag(&[text]).unwrap());
        let names: Vec<(usize, usize)> = heads[1][0]
            .iter()
            .map(|t| (t.span.start, t.span.end))
            .collect();
        assert_eq!(names, vec![(0, 11), (29, 38)]);
        let _ = std::fs::remove_dir_all(&tmp);
    }
}

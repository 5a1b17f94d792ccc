//! What every trainer shares: the log, the shuffle, the learning-rate schedule, the
//! faster-learning head, and the epoch loop itself ([`run_epochs`]).

use crate::error::{ModelError, ModelErrorKind};
use std::io::Write;
use std::path::Path;
use tch::{nn, Tensor};

/// Progress of training, for a progress bar: (phase, done, total); total 0 means a log line.
pub type Progress<'a> = &'a dyn Fn(&str, usize, usize);

/// A deterministic generator for shuffling (xorshift64*), seeded from the training seed.
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (never the all-zero state).
    pub fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E3779B97F4A7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545F4914F6CDD1D)
    }

    /// Fisher–Yates shuffle.
    pub fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// `train.log` in the output folder, each line also shown through `progress`.
pub struct TrainLog<'a> {
    file: std::fs::File,
    progress: Progress<'a>,
}

impl<'a> TrainLog<'a> {
    /// Creates `out` and `out/train.log`.
    ///
    /// # Errors
    /// When the folder or file cannot be created.
    pub fn create(out: &Path, progress: Progress<'a>) -> Result<Self, ModelError> {
        let err = |e: std::io::Error| {
            ModelError::new(ModelErrorKind::Load, format!("{}: {e}", out.display()))
        };
        std::fs::create_dir_all(out).map_err(err)?;
        let file = std::fs::File::create(out.join("train.log")).map_err(err)?;
        Ok(TrainLog { file, progress })
    }

    /// Writes one line to the log and shows it.
    pub fn say(&mut self, line: String) {
        let _ = writeln!(self.file, "{line}");
        let _ = self.file.flush();
        (self.progress)(&line, 0, 0);
    }
}

/// Learning-rate factor at `step` (1-based) of `steps`: linear warm-up over `warm` steps,
/// then linear decay to 0.
pub fn lr_scale(step: usize, warm: usize, steps: usize) -> f64 {
    if step <= warm {
        step as f64 / warm as f64
    } else {
        (steps - step) as f64 / (steps - warm).max(1) as f64
    }
}

/// Multiplies the gradients of the variables under `prefix` by `factor`: one optimiser, two
/// learning rates, so the freshly initialised head learns faster than the pretrained layers.
pub fn scale_grads(vs: &nn::VarStore, prefix: &str, factor: f64) {
    tch::no_grad(|| {
        for (name, v) in vs.variables() {
            if name.starts_with(prefix) {
                let mut g = v.grad();
                if g.defined() {
                    let _ = g.f_mul_(&Tensor::from(factor));
                }
            }
        }
    });
}

/// How the epoch loop runs: epochs, peak learning rate, warm-up, shuffling seed, and how
/// often the progress bar moves.
#[derive(Clone, Copy, Debug)]
pub struct EpochPlan {
    /// Epochs.
    pub epochs: usize,
    /// Peak learning rate (what each step's schedule scales).
    pub lr: f64,
    /// Share of all steps spent warming up linearly (at least one step).
    pub warmup: f64,
    /// Seed of the per-epoch shuffle of the batches.
    pub seed: u64,
    /// The progress bar moves every this many batches.
    pub progress_every: usize,
}

/// The epoch a loop kept: its dev score, its number (0: the model as loaded) and what its
/// evaluation returned beside the score (a threshold, say).
#[derive(Clone, Debug)]
pub struct Best<E> {
    /// The dev score it was kept for (higher is better).
    pub score: f64,
    /// Its number; 0 is the model as loaded.
    pub epoch: usize,
    /// What the evaluation returned with the score.
    pub extra: E,
}

/// What a trainer gives the epoch loop: one optimiser step on a batch at a learning rate
/// (returning the batch's loss), a dev evaluation (score, log line, extra), and a way to keep
/// the current weights as the best so far.
pub struct EpochHooks<'h, B, E> {
    /// One step on a batch at the given learning rate; returns the batch's mean loss.
    pub step: &'h mut dyn FnMut(&B, f64) -> Result<f64, ModelError>,
    /// Scores dev: (score, what the log says of it, extra).
    pub evaluate: &'h mut dyn FnMut() -> Result<(f64, String, E), ModelError>,
    /// Saves the current weights as the best so far.
    pub keep: &'h mut dyn FnMut() -> Result<(), ModelError>,
}

/// The training loop every trainer runs: for each epoch the batches shuffled (a seeded
/// [`Rng`]), one step per batch at the scheduled rate ([`lr_scale`]: linear warm-up then
/// linear decay to 0), dev scored after the epoch and the weights kept when it beats every
/// epoch before (with `score_loaded`, the model as loaded competes as epoch 0, so a
/// continuation never ships a worse model). Logs one line per epoch through `say`.
///
/// # Errors
/// What a hook returns, or [`ModelErrorKind::Inference`] when no epoch ran (0 epochs and
/// nothing loaded).
pub fn run_epochs<B, E>(
    plan: &EpochPlan,
    batches: &mut [B],
    score_loaded: bool,
    say: &mut dyn FnMut(String),
    progress: Progress,
    hooks: EpochHooks<B, E>,
) -> Result<Best<E>, ModelError> {
    let EpochHooks {
        step,
        evaluate,
        keep,
    } = hooks;
    let steps = batches.len() * plan.epochs;
    let warm = ((steps as f64) * plan.warmup).max(1.0) as usize;
    let mut rng = Rng::new(plan.seed);
    let mut best: Option<Best<E>> = None;
    if score_loaded {
        let (score, line, extra) = evaluate()?;
        say(format!("epoch 0 (as loaded): {line}"));
        best = Some(Best {
            score,
            epoch: 0,
            extra,
        });
        keep()?;
    }
    let mut n = 0;
    for epoch in 1..=plan.epochs {
        rng.shuffle(batches);
        let mut total = 0.0;
        for (bi, b) in batches.iter().enumerate() {
            n += 1;
            total += step(b, plan.lr * lr_scale(n, warm, steps))?;
            if bi % plan.progress_every.max(1) == 0 {
                progress(
                    &format!(
                        "epoch {epoch}/{} loss {:.4}",
                        plan.epochs,
                        total / (bi + 1) as f64
                    ),
                    bi + 1,
                    batches.len(),
                );
            }
        }
        let (score, line, extra) = evaluate()?;
        say(format!(
            "epoch {epoch}: train loss {:.4}; {line}",
            total / batches.len().max(1) as f64
        ));
        if best.as_ref().is_none_or(|b| score > b.score) {
            best = Some(Best {
                score,
                epoch,
                extra,
            });
            keep()?;
        }
    }
    best.ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no epoch ran"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_and_shuffle() {
        // warm-up 2 of 10 steps: 0.5, 1.0, then down to 0 at the last step
        assert_eq!(
            (
                lr_scale(1, 2, 10),
                lr_scale(2, 2, 10),
                lr_scale(6, 2, 10),
                lr_scale(10, 2, 10)
            ),
            (0.5, 1.0, 0.5, 0.0)
        );
        let (mut a, mut b): (Vec<u32>, Vec<u32>) = ((0..50).collect(), (0..50).collect());
        Rng::new(13).shuffle(&mut a);
        Rng::new(13).shuffle(&mut b);
        assert_eq!(a, b, "same seed, same order");
        assert_ne!(a, (0..50).collect::<Vec<u32>>());
        a.sort();
        assert_eq!(a, (0..50).collect::<Vec<u32>>(), "a permutation");
    }
}

//! What every training loop shares: the log, the shuffle, the learning-rate schedule and
//! the faster-learning head.

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

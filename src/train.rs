//! `claimex train`: runs a recipe of the models crate ([`claimex_models::recipes`], where
//! every default lives) with a progress bar.

use crate::cores;
use claimex_models::recipes::{Overrides, Recipe};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::PathBuf;
use std::process::ExitCode;

/// Trains `recipe` on `data` into `out` with the user's overrides, on `threads` libtorch
/// threads (default: all cores), and prints the kept epoch's summary.
///
/// # Errors
/// An override the recipe does not take, missing data or base files, a failed step.
pub(crate) fn train(
    recipe: Recipe,
    data: &[PathBuf],
    out: &std::path::Path,
    overrides: Overrides,
    threads: Option<usize>,
    models: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    tch::set_num_threads(threads.unwrap_or_else(cores) as i32);
    let base = models.unwrap_or_else(claimex_models::default_base_dir);
    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{msg} {bar:30} {pos}/{len} {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let progress = |msg: &str, done: usize, total: usize| {
        if total == 0 {
            bar.println(msg);
        } else {
            bar.set_length(total as u64);
            bar.set_position(done as u64);
            bar.set_message(msg.to_string());
        }
    };
    let summary = recipe.run(&base, data, out, &overrides, &progress)?;
    bar.finish_and_clear();
    println!("{summary}");
    Ok(ExitCode::SUCCESS)
}

//! `claimex`: quotations, speakers and check-worthy claims from news articles, as JSONL.
//!
//! Exit codes: 0 every article succeeded; 1 some failed (their error records are in the
//! output); 2 usage or setup error, with a message that says what to do; 3 the output could
//! not be written (a full disk, a closed standard output): what was written is incomplete.
//!
//! Files: [`cli`] (the flags), [`extract`], [`train`], [`eval`], [`desk`] (claims table and
//! report), [`review`] (annotation tools), [`inspect`] (summary, doctor), [`score`]
//! (sentence scoring); this file wires the model stages and dispatches.

use anyhow::Context;
use claimex_pipeline::tagged::TaggedLayer;
use claimex_pipeline::Pipeline;
use clap::Parser;
use cli::{Cli, Command};
use std::process::ExitCode;

mod cli;
mod desk;
mod eval;
mod extract;
mod inspect;
mod review;
mod score;
mod train;

/// Exit code of a run whose output could not be written.
const WRITE_FAILED: u8 = 3;

/// The most worker threads `--threads` takes: more only adds overhead (and each thread has a
/// stack of its own).
pub(crate) const MAX_THREADS: usize = 1024;

/// Whether file descriptor 1 was closed when the process started. Rust's runtime reopens a
/// closed standard descriptor on /dev/null before `main`, so writes would "succeed" into
/// nothing; this looks first, from the ELF constructors that run before the runtime.
#[cfg(target_os = "linux")]
static STDOUT_CLOSED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static CHECK_STDOUT: extern "C" fn() = {
    extern "C" fn check() {
        // SAFETY: F_GETFD only asks whether the descriptor is open.
        let closed = unsafe { libc::fcntl(1, libc::F_GETFD) } == -1;
        STDOUT_CLOSED.store(closed, std::sync::atomic::Ordering::Relaxed);
    }
    check
};

pub(crate) fn stdout_closed() -> bool {
    #[cfg(target_os = "linux")]
    {
        STDOUT_CLOSED.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// An error that means the output could not be written (exit 3, not 2).
#[derive(Debug)]
pub(crate) struct WriteFailed(pub(crate) String);

impl std::fmt::Display for WriteFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WriteFailed {}

fn main() -> ExitCode {
    // A reader that goes away (`claimex eval ... | head`) ends the process quietly, as it
    // does `cat`: Rust ignores SIGPIPE, which turns the next `println!` into a panic.
    #[cfg(unix)]
    // SAFETY: restores the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("claimex: {e:#}");
            if e.downcast_ref::<WriteFailed>().is_some() {
                ExitCode::from(WRITE_FAILED)
            } else {
                ExitCode::from(2)
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    if let Ok(p) = std::env::var("CLAIMEX_PRECISION") {
        anyhow::ensure!(
            matches!(p.as_str(), "f32" | "bf16" | "auto"),
            "CLAIMEX_PRECISION={p:?}: expected f32, bf16 or auto"
        );
    }
    match cli.command {
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&claimex_pipeline::output::json_schema())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Summary { file } => inspect::summary(&file),
        Command::Claims {
            records,
            format,
            min_score,
            kind,
            threshold,
            output,
            groups,
            quiet,
        } => desk::claims(
            &records,
            format,
            min_score,
            &kind,
            threshold,
            output.as_deref(),
            groups.as_deref(),
            quiet,
        ),
        Command::Report {
            records,
            output,
            threshold,
            quiet,
        } => desk::report(&records, threshold, &output, quiet),
        Command::Export {
            to,
            records,
            output,
        } => review::export(to, &records, &output),
        Command::Import {
            from,
            input,
            records,
            output,
        } => review::import(from, &input, records.as_deref(), &output),
        Command::Diff {
            predicted,
            corrected,
            json,
            examples,
        } => review::diff(&predicted, &corrected, json, examples),
        Command::Doctor { models } => inspect::doctor(models),
        Command::Eval { what } => eval::eval(what),
        Command::Checkworthiness { file, models } => score::checkworthiness(file, models),
        Command::Train {
            task,
            data,
            out,
            epochs,
            split,
            init,
            lr,
            repeat,
            threads,
            models,
        } => train::train(
            task.recipe(),
            &data,
            &out,
            claimex_models::recipes::Overrides {
                epochs: Some(epochs),
                split,
                init,
                lr,
                repeat,
            },
            threads,
            models,
        ),
        Command::Extract {
            paths,
            output,
            threads,
            models,
            no_models,
            max_bytes,
            quiet,
            resume,
            summary,
            numbered_lines,
            article_errors_ok,
        } => {
            let models = if no_models {
                None
            } else {
                Some(models.unwrap_or_else(claimex_models::default_base_dir))
            };
            extract::extract(extract::ExtractOptions {
                paths,
                output,
                threads,
                models,
                max_bytes,
                quiet,
                resume,
                summary,
                numbered_lines,
                article_errors_ok,
            })
        }
    }
}

/// Adds the model stages to the rule pipeline: one pass of the span taggers right after
/// segmentation (the entity head feeds the entity stage, the attribution head adds what the
/// quote rules missed), and the check-worthiness scorer at the end.
pub(crate) fn with_models(
    mut pipeline: Pipeline,
    base: &std::path::Path,
) -> anyhow::Result<Pipeline> {
    // rayon and libtorch run in turns (per-article stages, then the batched model), so
    // neither oversubscribes the cores. libtorch always gets every core, whatever
    // --threads says: its float sums depend on how it splits work, and output must be
    // byte-identical across --threads values.
    tch::set_num_threads(cores() as i32);
    let dir = claimex_models::checkworthiness::default_model_dir("checkworthiness");
    let scorer = claimex_models::checkworthiness::CheckworthinessScorer::load(base, &dir).context("cannot load the check-worthiness model (run `make setup`, or pass --no-models for rules only)")?;
    pipeline =
        pipeline.with_batch_stage(Box::new(claimex_models::stages::ClaimScorer::new(scorer)));
    let dirs = [
        claimex_models::checkworthiness::default_model_dir("attribution"),
        claimex_models::checkworthiness::default_model_dir("entities"),
    ];
    let tagger = claimex_models::tagger::SpanTagger::load_heads(
        base,
        &[dirs[0].as_path(), dirs[1].as_path()],
    )
    .context("cannot load the attribution and entity models (run `make setup`, or pass --no-models for rules only)")?;
    Ok(pipeline.with_batch_stage_after(
        "segment_sentences",
        Box::new(claimex_models::stages::TagSpans::new(
            tagger,
            vec![TaggedLayer::Attribution, TaggedLayer::Entity],
        )),
    ))
}

pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

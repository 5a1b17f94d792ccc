//! `claimex checkworthiness`: sentences scored one per line, outside any article.

use crate::cores;
use anyhow::Context;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Scores one sentence per line (or a CheckThat! TSV) of `file` (stdin for `None` or `-`)
/// and writes JSONL `{"id", "text", "score", "label"}` to stdout, in input order.
///
/// # Errors
/// Unreadable input or models, a failed inference, a failed write.
pub(crate) fn checkworthiness(
    file: Option<PathBuf>,
    models: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    use claimex_models::checkworthiness::{
        default_model_dir, read_sentences, CheckworthinessScorer,
    };
    tch::set_num_threads(cores() as i32);
    let base = models.unwrap_or_else(claimex_models::default_base_dir);
    let scorer = CheckworthinessScorer::load(&base, &default_model_dir("checkworthiness"))?;
    let text = match file.as_deref().filter(|p| p.as_os_str() != "-") {
        Some(p) => {
            std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?
        }
        None => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .context("cannot read stdin")?;
            s
        }
    };
    let (sentences, dropped) = read_sentences(&text);
    if dropped > 0 {
        eprintln!("claimex: skipped {dropped} malformed lines");
    }
    let texts: Vec<&str> = sentences.iter().map(|e| e.text.as_str()).collect();
    let scores = scorer.score(&texts)?;
    let mut out = std::io::BufWriter::new(std::io::stdout());
    for (e, s) in sentences.iter().zip(scores) {
        let score = claimex_pipeline::output::round3(s);
        let label = if score >= scorer.threshold as f64 {
            "Yes"
        } else {
            "No"
        };
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"id": e.id, "text": e.text, "score": score, "label": label}),
        )?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

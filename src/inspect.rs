//! `claimex summary` and `claimex doctor`: what an output file holds, and whether the
//! installation runs.

use anyhow::Context;
use claimex_pipeline::output::Record;
use std::path::PathBuf;
use std::process::ExitCode;

/// `claimex summary FILE`: articles, failures, quotes by kind, speakers, claims by kind.
///
/// # Errors
/// An unreadable file, or a line (other than a cut last one) that is no record.
pub(crate) fn summary(file: &PathBuf) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (mut n, mut failed, mut quotes, mut with_speaker, mut claims) = (0, 0, 0, 0, 0);
    let mut types = std::collections::BTreeMap::<String, usize>::new();
    let mut claim_kinds = std::collections::BTreeMap::<&'static str, usize>::new();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let mut r: Record = match serde_json::from_str(line) {
            Ok(r) => r,
            // the last line of a run that was stopped may be cut: say so, count the rest
            Err(_) if i + 1 == lines.len() && !text.ends_with('\n') => {
                eprintln!(
                    "claimex: {} line {}: cut short (a stopped run? `claimex extract --resume` continues it); not counted",
                    file.display(),
                    i + 1
                );
                break;
            }
            Err(e) => {
                return Err(e).with_context(|| {
                    format!("{} line {}: not a claimex record", file.display(), i + 1)
                })
            }
        };
        n += 1;
        if r.status != claimex_pipeline::output::RecordStatus::Ok {
            failed += 1;
            continue;
        }
        claimex_pipeline::output::upgrade(&mut r);
        for c in r.claims.iter().flatten() {
            *claim_kinds.entry(c.kind.as_str()).or_default() += 1;
        }
        for q in r.quotes.iter().flatten() {
            quotes += 1;
            with_speaker += usize::from(q.speaker.is_some());
            *types.entry(q.kind.to_string()).or_default() += 1;
        }
        claims += r.claims.map_or(0, |c| c.len());
    }
    println!("{}: {n} articles ({failed} failed)", file.display());
    let kinds: Vec<String> = types.iter().map(|(k, v)| format!("{v} {k}")).collect();
    println!(
        "  quotes: {quotes} ({}), {with_speaker} with a resolved speaker",
        kinds.join(", ")
    );
    let ck = |k: &str| claim_kinds.get(k).copied().unwrap_or(0);
    println!(
        "  claims: {claims} ({} quoted, {} reported, {} narrative)",
        ck("quoted"),
        ck("reported"),
        ck("narrative")
    );
    Ok(ExitCode::SUCCESS)
}

/// `claimex doctor`: loads the base encoder, runs it once and says where the models are
/// found and which precision inference uses.
///
/// # Errors
/// When the base encoder does not load or run.
pub(crate) fn doctor(models: Option<PathBuf>) -> anyhow::Result<ExitCode> {
    let dir = models.unwrap_or_else(claimex_models::default_base_dir);
    let enc = claimex_models::Encoder::load(&dir)?;
    let v = enc.embed(&[
        "The negotiations have never ended.",
        "Talks have not stopped at any point.",
        "The recipe needs two cups of flour.",
    ])?;
    println!(
        "base encoder: {} (hidden size {})",
        dir.display(),
        enc.hidden
    );
    println!(
        "task models: {}",
        claimex_models::checkworthiness::default_model_dir("checkworthiness")
            .parent()
            .map_or_else(String::new, |p| p.display().to_string())
    );
    println!(
        "cosine(paraphrase) = {:.3}, cosine(unrelated) = {:.3}",
        claimex_models::cosine(&v[0], &v[1]),
        claimex_models::cosine(&v[0], &v[2])
    );
    println!(
        "inference precision: {} (CPU bfloat16: {}; set CLAIMEX_PRECISION=f32|bf16 to choose)",
        if claimex_models::split::bf16() {
            "bf16"
        } else {
            "f32"
        },
        if claimex_models::split::cpu_has_bf16() {
            "yes"
        } else {
            "no"
        },
    );
    Ok(ExitCode::SUCCESS)
}

//! `claimex claims` and `claimex report`: the fact-checkers' desk over a batch's records.

use anyhow::Context;
use claimex_pipeline::desk::{self, Desk};
use claimex_pipeline::output::{ClaimKindOut, Record};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Table formats of `claimex claims`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per row.
    Jsonl,
    /// RFC 4180 CSV, UTF-8, CRLF: opens in a spreadsheet as it is.
    Csv,
    /// Tab-separated, LF.
    Tsv,
    /// JSONL rows neither ranked nor grouped, each with its grouping keys (`text_key`,
    /// `buckets`, `embedding`): what an engine reads to rank and group a corpus that no one
    /// process holds (`scripts/spark/claimex_spark.py desk`).
    Keys,
}

/// Claim kinds on the command line.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// Direct quotes' contents.
    Quoted,
    /// Indirect and mixed speech.
    Reported,
    /// The article's own statements.
    Narrative,
}

impl Kind {
    fn out(self) -> ClaimKindOut {
        match self {
            Kind::Quoted => ClaimKindOut::Quoted,
            Kind::Reported => ClaimKindOut::Reported,
            Kind::Narrative => ClaimKindOut::Narrative,
        }
    }
}

/// Reads every records file given, in order, `-` being stdin (a file that is not records is
/// a usage error).
pub(crate) fn read_all(files: &[PathBuf]) -> anyhow::Result<Vec<Record>> {
    let mut out = Vec::new();
    for f in files {
        let text = if f.as_os_str() == "-" {
            let mut s = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
                .context("cannot read standard input")?;
            s
        } else {
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?
        };
        let recs = claimex_pipeline::review::read_records(&text, &f.display().to_string())
            .map_err(anyhow::Error::msg)?;
        out.extend(recs);
    }
    Ok(out)
}

fn write_out(output: Option<&Path>, bytes: &[u8]) -> anyhow::Result<()> {
    match output {
        None => {
            let mut so = std::io::stdout().lock();
            so.write_all(bytes)?;
            so.flush()?;
        }
        Some(p) => {
            let tmp = p.with_extension("partial");
            std::fs::write(&tmp, bytes)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            std::fs::rename(&tmp, p).with_context(|| format!("cannot write {}", p.display()))?;
        }
    }
    Ok(())
}

/// Says on stderr how many articles failed and how the claims divide by kind.
fn say_batch(records: &[Record], d: &Desk) {
    let failed = records
        .iter()
        .filter(|r| r.status != claimex_pipeline::output::RecordStatus::Ok)
        .count();
    let by = |k: ClaimKindOut| d.rows.iter().filter(|r| r.kind == k).count();
    eprintln!(
        "claimex: {} articles ({failed} failed), {} claims ({} quoted, {} reported, {} narrative), {} groups",
        records.len(),
        d.rows.len(),
        by(ClaimKindOut::Quoted),
        by(ClaimKindOut::Reported),
        by(ClaimKindOut::Narrative),
        d.groups.len()
    );
}

/// Reads the records files, builds the desk, and says the batch on stderr unless `quiet`.
fn load(files: &[PathBuf], threshold: f32, quiet: bool) -> anyhow::Result<(Vec<Record>, Desk)> {
    let records = read_all(files)?;
    let d = desk::build(&records, threshold);
    if !quiet {
        say_batch(&records, &d);
    }
    Ok((records, d))
}

/// `claimex claims`.
#[allow(clippy::too_many_arguments)]
pub fn claims(
    files: &[PathBuf],
    format: Format,
    min_score: Option<f64>,
    kinds: &[Kind],
    threshold: f32,
    output: Option<&Path>,
    groups: Option<&Path>,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    // the grouped table: loaded, ranked and grouped once, filtered for the desk
    let ranked = || -> anyhow::Result<(Desk, Vec<desk::Row>)> {
        let (_, d) = load(files, threshold, quiet)?;
        let rows = d
            .rows
            .iter()
            .filter(|r| kinds.is_empty() || kinds.iter().any(|k| k.out() == r.kind))
            .filter(|r| min_score.is_none_or(|m| r.checkworthiness.is_some_and(|s| s >= m)))
            .cloned()
            .collect();
        Ok((d, rows))
    };
    let (body, desk) = match format {
        Format::Keys => {
            anyhow::ensure!(
                min_score.is_none() && kinds.is_empty() && groups.is_none(),
                "--format keys writes every claim, ungrouped: --min-score, --kind and --groups apply to the grouped table (the engine's desk step)"
            );
            (json_lines(&desk::keyed_rows(&read_all(files)?))?, None)
        }
        Format::Csv => {
            let (d, rows) = ranked()?;
            (desk::to_csv(&rows), Some(d))
        }
        Format::Tsv => {
            let (d, rows) = ranked()?;
            (desk::to_tsv(&rows), Some(d))
        }
        Format::Jsonl => {
            let (d, rows) = ranked()?;
            (json_lines(&rows)?, Some(d))
        }
    };
    write_out(output, body.as_bytes())?;
    if let (Some(g), Some(d)) = (groups, desk) {
        write_out(Some(g), json_lines(&d.groups)?.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// One JSON object per line.
fn json_lines<T: serde::Serialize>(items: &[T]) -> anyhow::Result<String> {
    let mut s = String::new();
    for x in items {
        s.push_str(&serde_json::to_string(x)?);
        s.push('\n');
    }
    Ok(s)
}

/// `claimex report`.
pub fn report(
    files: &[PathBuf],
    threshold: f32,
    output: &Path,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let (records, d) = load(files, threshold, quiet)?;
    let html = desk::report::render(&records, &d);
    write_out(Some(output), html.as_bytes())?;
    if !quiet {
        eprintln!("claimex: wrote {} ({} bytes)", output.display(), html.len());
    }
    Ok(ExitCode::SUCCESS)
}

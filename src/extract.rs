//! `claimex extract`: inputs to records, written so that nothing is lost.
//!
//! With `-o OUT`, records go to `OUT.partial`, held under an exclusive lock (a second run
//! writing the same `OUT` is refused, not spliced in), and `OUT.partial` becomes `OUT` by a
//! rename when the run ends: an existing `OUT` is never half-overwritten. A killed run leaves
//! its complete records (and perhaps one cut line) in `OUT.partial`; `--resume` keeps the
//! complete ones, back to a multiple of the runner's chunk (so that every model batch holds
//! the same articles as in an uninterrupted run, and scores stay bit-identical), skips those
//! articles and appends the rest.

use crate::{cores, stdout_closed, with_models, WriteFailed, MAX_THREADS};
use anyhow::Context;
use claimex_pipeline::ingest::{plan_sources, Source, SourceStream};
use claimex_pipeline::{Pipeline, PipelineConfig};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `claimex extract` was asked.
pub struct ExtractOptions {
    /// Inputs (`-` is stdin).
    pub paths: Vec<PathBuf>,
    /// `-o`.
    pub output: Option<PathBuf>,
    /// `--threads`.
    pub threads: Option<usize>,
    /// The base encoder's folder, or `None` for rules only.
    pub models: Option<PathBuf>,
    /// `--max-bytes`.
    pub max_bytes: usize,
    /// `--quiet`.
    pub quiet: bool,
    /// `--resume`.
    pub resume: bool,
    /// `--summary`.
    pub summary: Option<PathBuf>,
    /// `--numbered-lines`.
    pub numbered_lines: bool,
    /// `--article-errors-ok`.
    pub article_errors_ok: bool,
}

/// The run summary (`--summary FILE`); times and versions live here, never in records.
#[derive(serde::Serialize)]
struct RunSummary {
    claimex: &'static str,
    inputs: Vec<String>,
    records: usize,
    resumed_records: usize,
    ok: usize,
    failed: std::collections::BTreeMap<String, usize>,
    quotes: usize,
    claims: usize,
    seconds: f64,
    articles_per_second: f64,
    threads: usize,
    precision: &'static str,
    models: std::collections::BTreeMap<String, String>,
    notes: Vec<String>,
}

/// The path beside `out` that a run writes before it is complete.
fn partial_of(out: &Path) -> PathBuf {
    let mut name = out
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".partial");
    out.with_file_name(name)
}

/// Takes an exclusive lock on `f` without waiting.
///
/// # Errors
/// When another process holds it.
fn lock(f: &std::fs::File, what: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a descriptor this process owns.
        if unsafe { libc::flock(f.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
            anyhow::bail!(
                "another claimex is writing {} (it holds the lock on it): wait for it, or write elsewhere",
                what.display()
            );
        }
    }
    let _ = (f, what);
    Ok(())
}

/// What a resumed run needs of a kept record: its id (to check it belongs to these inputs)
/// and its counts (for the exit code and the summary). Read without building the record.
#[derive(serde::Deserialize)]
struct Kept {
    id: String,
    #[serde(default)]
    error: Option<KeptError>,
    #[serde(default)]
    quotes: Option<Vec<serde::de::IgnoredAny>>,
    #[serde(default)]
    claims: Option<Vec<serde::de::IgnoredAny>>,
}

#[derive(serde::Deserialize)]
struct KeptError {
    kind: String,
}

/// The complete records at the start of `bytes`. A record is complete when its line ends
/// with a newline and reads as a record; the first line that does not ends the count (a run
/// killed mid-write leaves at most one such line, the last).
fn complete_records(bytes: &[u8]) -> Vec<Kept> {
    let mut records = Vec::new();
    let mut at = 0;
    while let Some(k) = bytes[at..].iter().position(|&b| b == b'\n') {
        match serde_json::from_slice::<Kept>(&bytes[at..at + k]) {
            Ok(r) => records.push(r),
            Err(_) => break,
        }
        at += k + 1;
    }
    records
}

/// The id a source's record will carry when it is known before reading (files; JSONL lines
/// whose id was read already), to check that a resumed file belongs to these inputs.
fn known_id(s: &Source) -> Option<String> {
    match s {
        Source::JsonLine { id: None, .. } => None,
        other => Some(other.id()),
    }
}

/// `claimex extract`.
pub fn extract(o: ExtractOptions) -> anyhow::Result<ExitCode> {
    let threads = o.threads.unwrap_or_else(cores);
    anyhow::ensure!(
        (1..=MAX_THREADS).contains(&threads),
        "--threads {threads}: give 1 to {MAX_THREADS} (this machine has {} cores)",
        cores()
    );
    anyhow::ensure!(
        o.max_bytes >= 1,
        "--max-bytes 0 would refuse every article: give the limit in bytes (default 4194304)"
    );
    anyhow::ensure!(
        o.output.is_some() || !stdout_closed(),
        WriteFailed("standard output is closed: give -o FILE or redirect it".into())
    );
    // everything that can fail for the whole run happens before any input is read
    let config = PipelineConfig {
        max_article_bytes: o.max_bytes,
        ..PipelineConfig::default()
    };
    let with = o.models.is_some();
    let pipeline = match &o.models {
        Some(base) => with_models(Pipeline::new(&config), base)?,
        None => Pipeline::new(&config),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;

    // JSON escapes take up to six bytes a character: a line may be that much longer
    let max_line = o.max_bytes.saturating_mul(6).saturating_add(64 << 10);
    let stdin_requested = o.paths.is_empty() || o.paths.iter().any(|p| p.as_os_str() == "-");
    let files: Vec<PathBuf> = o
        .paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    // the output must not be one of the inputs: writing it would destroy the input
    if let Some(out) = &o.output {
        let key = |p: &Path| {
            std::fs::metadata(p)
                .ok()
                .and_then(|m| claimex_pipeline::ingest::file_key(&m))
        };
        let outs: Vec<(u64, u64)> = [out.clone(), partial_of(out)]
            .iter()
            .filter_map(|p| key(p))
            .collect();
        for p in claimex_pipeline::ingest::list_files(&files) {
            anyhow::ensure!(
                !key(&p).is_some_and(|k| outs.contains(&k)),
                "the output {} is also an input ({}): writing it would destroy the input; choose another -o",
                out.display(),
                p.display()
            );
        }
    }

    // the output: OUT.partial under a lock, renamed to OUT at the end; or stdout
    let mut kept: Vec<Kept> = Vec::new();
    // a device or FIFO named as the output (`/dev/stdout`, a pipe) is written as it is: no
    // partial file beside it, no rename over it; a link to a file writes that file
    let (special, output) = match &o.output {
        Some(p) => match std::fs::metadata(p) {
            Ok(m) if !m.is_file() => (true, Some(p.clone())),
            Ok(_) => (
                false,
                Some(std::fs::canonicalize(p).unwrap_or_else(|_| p.clone())),
            ),
            Err(_) => (false, Some(p.clone())),
        },
        None => (false, None),
    };
    anyhow::ensure!(
        !(special && o.resume),
        "--resume needs a regular file as -o, not a device or pipe"
    );
    let mut out: Box<dyn Write + Send> = match &output {
        Some(p) if special => Box::new(std::io::BufWriter::new(
            std::fs::OpenOptions::new()
                .write(true)
                .open(p)
                .with_context(|| format!("cannot write {}", p.display()))?,
        )),
        Some(p) => {
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            let part = partial_of(p);
            // a complete earlier output is where a resumed run continues from
            if o.resume && !part.exists() && p.exists() {
                std::fs::copy(p, &part).with_context(|| {
                    format!("cannot copy {} to {}", p.display(), part.display())
                })?;
            }
            let mut f = std::fs::OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(&part)
                .with_context(|| format!("cannot write {}", part.display()))?;
            lock(&f, p)?;
            let keep_bytes = if o.resume {
                let mut bytes = Vec::new();
                f.read_to_end(&mut bytes)
                    .with_context(|| format!("cannot read {}", part.display()))?;
                let mut records = complete_records(&bytes);
                // back to a whole chunk, so model batches hold what they held unstopped
                let chunk = claimex_pipeline::runner::CHUNK;
                records.truncate(records.len() / chunk * chunk);
                // the bytes of those records: up to and with their last newline
                let len = match records.len() {
                    0 => 0,
                    n => bytes
                        .iter()
                        .enumerate()
                        .filter(|(_, &b)| b == b'\n')
                        .nth(n - 1)
                        .map_or(0, |(i, _)| i + 1),
                };
                kept = records;
                len as u64
            } else {
                0
            };
            f.set_len(keep_bytes)
                .with_context(|| format!("cannot write {}", part.display()))?;
            f.seek(std::io::SeekFrom::End(0))
                .with_context(|| format!("cannot write {}", part.display()))?;
            Box::new(std::io::BufWriter::new(f))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };

    if stdin_requested && o.paths.is_empty() && std::io::stdin().is_terminal() {
        anyhow::bail!(
            "no input: give files or directories, or pipe JSONL into `claimex extract -`"
        );
    }
    // inputs are read as they are analysed, a chunk at a time: memory stays flat
    let (planned, notes) = plan_sources(&files, stdin_requested);
    for n in &notes {
        eprintln!("claimex: {n}");
    }
    let mut sources = SourceStream::new(planned, max_line).numbered(o.numbered_lines);
    for (k, r) in kept.iter().enumerate() {
        let Some(s) = sources.next() else {
            anyhow::bail!(
                "--resume: the output holds {} records, more than the {k} inputs: it belongs to other inputs (run without --resume)",
                kept.len()
            );
        };
        if let Some(id) = known_id(&s) {
            anyhow::ensure!(
                id == r.id,
                "--resume: record {} is {:?} but input {} is {:?}: the output belongs to other inputs (run without --resume)",
                k + 1,
                r.id,
                k + 1,
                id
            );
        }
    }
    if o.resume && !o.quiet {
        eprintln!("claimex: resuming after {} complete records", kept.len());
    }

    let bar = if !o.quiet && std::io::stderr().is_terminal() {
        // the batch is read as it goes: its length is not known up front
        let b = ProgressBar::new_spinner();
        b.set_position(kept.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{spinner} {pos} articles  {per_sec}  {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_spinner()),
        );
        Some(b)
    } else {
        None
    };
    let start = std::time::Instant::now();
    let done = kept.len();
    let summary = pool.install(|| {
        pipeline.run_stream(sources, &mut out, |n| {
            if let Some(b) = &bar {
                b.set_position((done + n) as u64);
            }
        })
    });
    let name = || {
        o.output
            .as_ref()
            .map_or("the output".to_string(), |p| p.display().to_string())
    };
    let summary = summary.map_err(|e| WriteFailed(format!("cannot write {}: {e}", name())))?;
    out.flush()
        .map_err(|e| WriteFailed(format!("cannot write {}: {e}", name())))?;
    drop(out);
    if let Some(p) = output.as_ref().filter(|_| !special) {
        std::fs::rename(partial_of(p), p).map_err(|e| {
            WriteFailed(format!(
                "cannot rename {} to {}: {e}",
                partial_of(p).display(),
                p.display()
            ))
        })?;
    }
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    for n in &summary.notes {
        eprintln!("claimex: {n}");
    }
    // the kept records count as this run's, for the exit code and the summary
    let mut failed = summary.failed.clone();
    let (mut quotes, mut claims) = (summary.quotes, summary.claims);
    for r in &kept {
        if let Some(e) = &r.error {
            *failed.entry(e.kind.as_str().to_string()).or_default() += 1;
        }
        quotes += r.quotes.as_ref().map_or(0, Vec::len);
        claims += r.claims.as_ref().map_or(0, Vec::len);
    }
    let records = kept.len() + summary.articles;
    let n_failed: usize = failed.values().sum();
    let secs = start.elapsed().as_secs_f64();
    if !o.quiet {
        eprintln!(
            "claimex: {records} articles ({n_failed} failed), {quotes} quotes, {claims} claims in {secs:.2}s ({:.1} articles/s, {threads} threads)",
            summary.articles as f64 / secs.max(1e-9),
        );
        for (kind, n) in &failed {
            eprintln!("claimex:   {n} failed with {kind}");
        }
    }
    if let Some(path) = &o.summary {
        let mut models = std::collections::BTreeMap::new();
        if with {
            for name in ["attribution", "entities", "checkworthiness"] {
                let f = claimex_models::checkworthiness::default_model_dir(name)
                    .join("model.safetensors");
                let sha = std::fs::read(&f).map_or_else(
                    |_| "missing".into(),
                    |b| claimex_pipeline::review::brat::sha256_hex(&b),
                );
                models.insert(name.to_string(), sha);
            }
        }
        let s = RunSummary {
            claimex: env!("CARGO_PKG_VERSION"),
            inputs: o.paths.iter().map(|p| p.display().to_string()).collect(),
            records,
            resumed_records: kept.len(),
            ok: records - n_failed,
            failed,
            quotes,
            claims,
            seconds: (secs * 1000.0).round() / 1000.0,
            articles_per_second: (summary.articles as f64 / secs.max(1e-9) * 10.0).round() / 10.0,
            threads,
            precision: if !with {
                "rules only"
            } else if claimex_models::split::bf16() {
                "bf16"
            } else {
                "f32"
            },
            models,
            notes: notes.into_iter().chain(summary.notes).collect(),
        };
        std::fs::write(path, serde_json::to_string_pretty(&s)? + "\n")
            .map_err(|e| WriteFailed(format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(if n_failed > 0 && !o.article_errors_ok {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

//! `claimex`: quotations, speakers and check-worthy claims from news articles, as JSONL.
//!
//! Exit codes: 0 every article succeeded; 1 some failed (their error records are in the
//! output); 2 usage or setup error, with a message that says what to do.

use anyhow::Context;
use claimex_pipeline::ingest::{collect_sources, json_lines, Source};
use claimex_pipeline::output::Record;
use claimex_pipeline::{Pipeline, PipelineConfig};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "claimex",
    version,
    about = "Quotations, speakers and check-worthy claims from news articles, as JSONL"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Analyse articles (.txt, .html/.htm, .jsonl files or directories; `-` reads JSONL from
    /// stdin) and write one JSON record per article, in input order.
    Extract {
        /// Inputs; `-` (or nothing) reads JSONL from stdin.
        paths: Vec<PathBuf>,
        /// Output file (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Worker threads (default: all cores). Output is identical for any value.
        #[arg(long)]
        threads: Option<usize>,
        /// Folder of the base encoder (default: .deps/minilm from `make setup`).
        #[arg(long)]
        models: Option<PathBuf>,
        /// Articles over this many bytes become `too_large` error records.
        #[arg(long, default_value_t = 4 << 20)]
        max_bytes: usize,
        /// No progress bar.
        #[arg(short, long)]
        quiet: bool,
    },
    /// Print the JSON Schema of an output record.
    Schema,
    /// Summarise an output file: articles, failures, quotes, speakers, claims.
    Summary {
        /// A JSONL file written by `claimex extract`.
        file: PathBuf,
    },
    /// Check the installation: load the base encoder and run it once.
    Doctor {
        /// Folder of the base encoder (default: .deps/minilm from `make setup`).
        #[arg(long)]
        models: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
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
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Schema => {
            println!(
                "{}",
                serde_json::to_string_pretty(&claimex_pipeline::output::json_schema())?
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Summary { file } => summary(&file),
        Command::Doctor { models } => doctor(models),
        Command::Extract {
            paths,
            output,
            threads,
            models: _,
            max_bytes,
            quiet,
        } => extract(paths, output, threads, max_bytes, quiet),
    }
}

fn extract(
    paths: Vec<PathBuf>,
    output: Option<PathBuf>,
    threads: Option<usize>,
    max_bytes: usize,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let threads =
        threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    anyhow::ensure!(threads >= 1, "--threads must be at least 1");
    // everything that can fail for the whole run happens before any input is read
    let config = PipelineConfig {
        max_article_bytes: max_bytes,
        ..PipelineConfig::default()
    };
    let pipeline = Pipeline::new(&config);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start worker threads")?;
    let mut out: Box<dyn Write + Send> = match &output {
        Some(p) => {
            if let Some(dir) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)
                    .with_context(|| format!("cannot create {}", dir.display()))?;
            }
            Box::new(std::io::BufWriter::new(
                std::fs::File::create(p)
                    .with_context(|| format!("cannot write {}", p.display()))?,
            ))
        }
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };

    let stdin_requested = paths.is_empty() || paths.iter().any(|p| p.as_os_str() == "-");
    let mut sources: Vec<Source> = Vec::new();
    let files: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .cloned()
        .collect();
    if stdin_requested {
        if paths.is_empty() && std::io::stdin().is_terminal() {
            anyhow::bail!(
                "no input: give files or directories, or pipe JSONL into `claimex extract -`"
            );
        }
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("cannot read stdin")?;
        sources.extend(json_lines("-", &buf));
    }
    sources.extend(collect_sources(&files));

    let bar = if !quiet && std::io::stderr().is_terminal() {
        let b = ProgressBar::new(sources.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} articles  {per_sec}  ETA {eta}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        Some(b)
    } else {
        None
    };
    let start = std::time::Instant::now();
    let summary = pool.install(|| {
        pipeline.run_batch(&sources, &mut out, |done| {
            if let Some(b) = &bar {
                b.set_position(done as u64);
            }
        })
    });
    let summary = summary.context("cannot write the output")?;
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    if !quiet {
        let secs = start.elapsed().as_secs_f64();
        eprintln!(
            "claimex: {} articles ({} failed), {} quotes, {} claims in {:.2}s ({:.1} articles/s, {} threads)",
            summary.articles,
            summary.failures(),
            summary.quotes,
            summary.claims,
            secs,
            summary.articles as f64 / secs.max(1e-9),
            threads
        );
        for (kind, n) in &summary.failed {
            eprintln!("claimex:   {n} failed with {kind}");
        }
    }
    Ok(if summary.failures() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn summary(file: &PathBuf) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (mut n, mut failed, mut quotes, mut with_speaker, mut claims) = (0, 0, 0, 0, 0);
    let mut types = std::collections::BTreeMap::<String, usize>::new();
    for (i, line) in text.lines().enumerate() {
        let r: Record = serde_json::from_str(line)
            .with_context(|| format!("{} line {}: not a claimex record", file.display(), i + 1))?;
        n += 1;
        if r.status != "ok" {
            failed += 1;
            continue;
        }
        for q in r.quotes.iter().flatten() {
            quotes += 1;
            with_speaker += usize::from(q.speaker.is_some());
            *types.entry(q.kind.clone()).or_default() += 1;
        }
        claims += r.claims.map_or(0, |c| c.len());
    }
    println!("{}: {n} articles ({failed} failed)", file.display());
    let kinds: Vec<String> = types.iter().map(|(k, v)| format!("{v} {k}")).collect();
    println!(
        "  quotes: {quotes} ({}), {with_speaker} with a resolved speaker",
        kinds.join(", ")
    );
    println!("  claims: {claims}");
    Ok(ExitCode::SUCCESS)
}

fn doctor(models: Option<PathBuf>) -> anyhow::Result<ExitCode> {
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
        "cosine(paraphrase) = {:.3}, cosine(unrelated) = {:.3}",
        claimex_models::cosine(&v[0], &v[1]),
        claimex_models::cosine(&v[0], &v[2])
    );
    Ok(ExitCode::SUCCESS)
}

//! `claimex`: quotations, speakers and check-worthy claims from news articles, as JSONL.
//!
//! Exit codes: 0 every article succeeded; 1 some failed (their error records are in the
//! output); 2 usage or setup error, with a message that says what to do; 3 the output could
//! not be written (a full disk, a closed standard output): what was written is incomplete.

use anyhow::Context;
use claimex_pipeline::ingest::Source;
use claimex_pipeline::output::Record;
use claimex_pipeline::tagged::TaggedLayer;
use claimex_pipeline::{Pipeline, PipelineConfig};
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

mod desk;
mod extract;
mod review;

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

/// The models `claimex train` trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum TrainTask {
    /// The check-worthiness scorer (CheckThat! 2024 English).
    Checkworthiness,
    /// The attribution tagger (PolNeAR, and corrections).
    Attribution,
    /// The entity tagger alone (GUM).
    Entities,
    /// Attribution and the entity head together.
    Taggers,
    /// The entity head's linear layer over the shipped tagger's frozen layers.
    EntityHead,
}

impl TrainTask {
    fn as_str(self) -> &'static str {
        match self {
            TrainTask::Checkworthiness => "checkworthiness",
            TrainTask::Attribution => "attribution",
            TrainTask::Entities => "entities",
            TrainTask::Taggers => "taggers",
            TrainTask::EntityHead => "entity-head",
        }
    }
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
        /// Rules only: no transformer models (claims get `checkworthiness: null`).
        #[arg(long)]
        no_models: bool,
        /// Articles over this many bytes become `too_large` error records.
        #[arg(long, default_value_t = 4 << 20)]
        max_bytes: usize,
        /// No progress bar.
        #[arg(short, long)]
        quiet: bool,
        /// Continue a run that was stopped: keep every complete record of `-o`'s file (or of
        /// its `.partial` file, where a killed run left its records), skip those articles and
        /// append the rest, so the file ends byte-identical to an uninterrupted run.
        #[arg(long, requires = "output")]
        resume: bool,
        /// Write a run summary here (JSON): inputs, records, failures by kind, time,
        /// precision, the models' sha256, claimex's version.
        #[arg(long)]
        summary: Option<PathBuf>,
        /// Every JSONL line starts with its line number in the whole input and a tab
        /// (`N<TAB>{...}`): the number names the line in ids and messages, so an engine that
        /// splits a file (Spark) gets the records the whole file gives. README, "Engines".
        #[arg(long)]
        numbered_lines: bool,
        /// Exit 0 when articles failed: their error records are the report. For engines,
        /// whose task must not fail for one bad article; usage, setup and write errors still
        /// exit nonzero.
        #[arg(long)]
        article_errors_ok: bool,
    },
    /// Write records out for annotators: Label Studio tasks (`OUT/tasks.json`,
    /// `OUT/config.xml`) or a brat folder (`OUT/<file>.txt`, `.ann`, `annotation.conf`,
    /// `visual.conf`, `ids.tsv`), every extraction pre-labelled. Error records are listed on
    /// stderr and in `OUT/skipped.jsonl` (exit 1).
    Export {
        /// The annotation tool.
        #[arg(long, value_enum)]
        to: review::Tool,
        /// Records written by `claimex extract`; `-` reads stdin.
        records: PathBuf,
        /// Output folder.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Read annotators' corrections back as records: a Label Studio JSON export, or a brat
    /// folder. Corrected layers (quotes, entities, claims) replace the predicted ones and are
    /// marked `reviewed`; an article whose annotation is wrong becomes an error record naming
    /// the task and region (exit 1).
    Import {
        /// The annotation tool.
        #[arg(long, value_enum)]
        from: review::Tool,
        /// Label Studio's JSON export file, or the brat folder.
        input: PathBuf,
        /// The records that were exported: corrected articles replace theirs, the others stay;
        /// texts are checked against them. Without it, paragraphs and sentences are found anew.
        #[arg(long)]
        records: Option<PathBuf>,
        /// Output records file.
        #[arg(short, long)]
        output: PathBuf,
    },
    /// What annotators changed between predicted and corrected records, per layer: quotes
    /// added, removed, redrawn, speakers reassigned; mentions; claims edited.
    Diff {
        /// Records as `claimex extract` wrote them.
        predicted: PathBuf,
        /// Records as `claimex import` wrote them.
        corrected: PathBuf,
        /// Print one JSON object (for dashboards).
        #[arg(long)]
        json: bool,
        /// Examples shown per kind of change.
        #[arg(long, default_value_t = 3)]
        examples: usize,
    },
    /// Every claim of a batch in one table, ranked by check-worthiness, with the group of
    /// claims it shares with other articles (the same quote, a paraphrase, the same figure).
    Claims {
        /// Records files written by `claimex extract` (or `import`); `-` reads stdin.
        #[arg(required = true)]
        records: Vec<PathBuf>,
        /// Table format.
        #[arg(long, value_enum, default_value_t = desk::Format::Csv)]
        format: desk::Format,
        /// Only claims scoring at least this.
        #[arg(long)]
        min_score: Option<f64>,
        /// Only these kinds (repeat or separate with commas).
        #[arg(long, value_enum, value_delimiter = ',')]
        kind: Vec<desk::Kind>,
        /// Cosine similarity at which two claims are the same (default: chosen on PolNeAR,
        /// see models/grouping/README.md).
        #[arg(long, default_value_t = claimex_pipeline::desk::DEFAULT_THRESHOLD)]
        threshold: f32,
        /// Output file (default: stdout).
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Also write the groups (id, size, articles, representative text, members) as JSONL.
        #[arg(long)]
        groups: Option<PathBuf>,
        /// No summary on stderr.
        #[arg(short, long)]
        quiet: bool,
    },
    /// One self-contained HTML page over a batch: overview, the claims table (sort, filter),
    /// and every article with its quotes, speakers, entities and claims marked.
    Report {
        /// Records files written by `claimex extract` (or `import`).
        #[arg(required = true)]
        records: Vec<PathBuf>,
        /// The HTML file to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Cosine similarity at which two claims are the same.
        #[arg(long, default_value_t = claimex_pipeline::desk::DEFAULT_THRESHOLD)]
        threshold: f32,
        /// No summary on stderr.
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
    /// Score sentences for check-worthiness: one sentence per line, or a CheckThat! TSV
    /// (`Sentence_id`, `Text`). Writes JSONL `{"id", "text", "score", "label"}` in input order.
    Checkworthiness {
        /// Input file; `-` or nothing reads stdin.
        file: Option<PathBuf>,
        /// Folder of the base encoder (default: .deps/minilm from `make setup`).
        #[arg(long)]
        models: Option<PathBuf>,
    },
    /// Train a model from the data in ../shared/data (see `make train`).
    Train {
        /// Which model: `checkworthiness`, `attribution`, `entities`, `taggers` (attribution
        /// and the entity head stacked on its layers, trained together; `--data` is the folder
        /// holding polnear/ and gum/, `--out` gets attribution/ and entities/), or
        /// `entity-head` (only the entity head's linear layer, on GUM, over the shipped
        /// attribution tagger's frozen layers; `--data` is the gum/ folder).
        #[arg(value_enum)]
        task: TrainTask,
        /// The task's data folder (e.g. ../shared/data/checkworthy). `attribution` takes it
        /// more than once, and takes corrections (a brat folder or a records file from
        /// `claimex import`) beside or instead of PolNeAR folders.
        #[arg(long, required = true)]
        data: Vec<PathBuf>,
        /// Where to write the weights, config, log and model card.
        #[arg(long)]
        out: PathBuf,
        /// Epochs.
        #[arg(long, default_value_t = 3)]
        epochs: usize,
        /// Token taggers: layers below this stay frozen (default: the model's own default).
        #[arg(long)]
        split: Option<usize>,
        /// Token taggers: continue training this trained model (a folder under models/)
        /// instead of starting from the base encoder.
        #[arg(long)]
        init: Option<PathBuf>,
        /// Token taggers: peak learning rate (default: the model's own default).
        #[arg(long)]
        lr: Option<f64>,
        /// `taggers`: passes over GUM per epoch (default 8).
        #[arg(long)]
        repeat: Option<usize>,
        /// libtorch threads (default: all cores).
        #[arg(long)]
        threads: Option<usize>,
        /// Folder of the base encoder (default: .deps/minilm from `make setup`).
        #[arg(long)]
        models: Option<PathBuf>,
    },
    /// Measure accuracy against gold annotations.
    Eval {
        #[command(subcommand)]
        what: EvalCommand,
    },
    /// Check the installation: load the base encoder and run it once.
    Doctor {
        /// Folder of the base encoder (default: .deps/minilm from `make setup`).
        #[arg(long)]
        models: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum EvalCommand {
    /// Attribution spans against gold: a PolNeAR-layout folder (text/*.txt,
    /// attributions/*.ann), a corrected brat folder, or a corrected records file.
    Attribution {
        /// Gold folder or records file.
        #[arg(long)]
        gold: PathBuf,
        /// Records written by `claimex extract` over the gold texts.
        #[arg(long)]
        pred: PathBuf,
        /// Print one JSON object with every figure.
        #[arg(long)]
        json: bool,
    },
    /// Inter-annotator agreement on a PolNeAR-layout folder: the articles several annotators
    /// annotated, every pair of their files scored as `eval attribution` scores a
    /// prediction. The ceiling a model's scores are read against.
    Agreement {
        /// Gold folder (text/*.txt, attributions/<article>_<annotator>.ann).
        #[arg(long)]
        gold: PathBuf,
        /// Print one JSON object with every figure.
        #[arg(long)]
        json: bool,
    },
    /// Grouping the same claim across articles: the threshold sweep on automatically labelled
    /// pairs of a batch, and precision/recall on hand-labelled pairs.
    Grouping {
        /// Records written by `claimex extract` (with models: the claims need embeddings).
        #[arg(long)]
        records: PathBuf,
        /// Hand-labelled pairs (TSV: article_a start_a end_a article_b start_b end_b label).
        #[arg(long)]
        pairs: Option<PathBuf>,
        /// The threshold the hand labels are scored at.
        #[arg(long, default_value_t = claimex_pipeline::desk::DEFAULT_THRESHOLD)]
        threshold: f32,
        /// Write a sample of pairs to label by hand (this many per cosine band of 0.05).
        #[arg(long)]
        sample: Option<usize>,
        /// Where the sample goes.
        #[arg(long, requires = "sample")]
        sample_out: Option<PathBuf>,
        /// Print one JSON object with every figure.
        #[arg(long)]
        json: bool,
    },
    /// The cost of grouping at scale (`make bench`): claims made from the records' own (copies
    /// in new articles, texts made unique, embeddings moved slightly), grouped and timed.
    #[command(hide = true)]
    GroupingCost {
        /// Records with embeddings.
        #[arg(long)]
        records: PathBuf,
        /// Batch sizes in claims.
        #[arg(long, value_delimiter = ',', default_value = "1000,10000,100000")]
        claims: Vec<usize>,
    },
    /// Check-worthiness labels and scores against a CheckThat! TSV.
    Checkworthiness {
        /// Gold TSV (Sentence_id, Text, class_label).
        #[arg(long)]
        gold: PathBuf,
        /// JSONL written by `claimex checkworthiness`.
        #[arg(long)]
        pred: PathBuf,
        /// Print one JSON object with every figure.
        #[arg(long)]
        json: bool,
    },
    /// The entity tagger on a GUM split (named PERSON/ORG/GPE-LOC mentions, exact spans).
    Entities {
        /// A GUM split folder (dep/*.conllu), e.g. ../shared/data/gum/dev.
        #[arg(long)]
        gold: PathBuf,
        /// Print one JSON object with every figure.
        #[arg(long)]
        json: bool,
        /// Also list every miss and every spurious name, a TSV line each (document, `miss`
        /// or `spurious`, type, name, the other side's names overlapping it) before the
        /// figures (not with `--json`).
        #[arg(long, conflicts_with = "json")]
        errors: bool,
    },
    /// Pronoun resolution on GAP: runs the pipeline on each snippet.
    Speakers {
        /// A GAP TSV (gap-validation.tsv, gap-development.tsv).
        #[arg(long)]
        gold: PathBuf,
        /// Rules only (default: rules and models, as `extract`).
        #[arg(long)]
        no_models: bool,
        /// Print one JSON object with every figure.
        #[arg(long)]
        json: bool,
    },
}

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
        Command::Summary { file } => summary(&file),
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
        Command::Doctor { models } => doctor(models),
        Command::Eval { what } => eval(what),
        Command::Checkworthiness { file, models } => checkworthiness(file, models),
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
        } => train(
            task.as_str(),
            &data,
            &out,
            epochs,
            TaggerOptions {
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

fn summary(file: &PathBuf) -> anyhow::Result<ExitCode> {
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
    let ck = |k: &str| claim_kinds.get(k).copied().unwrap_or(0);
    println!(
        "  claims: {claims} ({} quoted, {} reported, {} narrative)",
        ck("quoted"),
        ck("reported"),
        ck("narrative")
    );
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
    pipeline = pipeline.with_batch_stage(Box::new(
        claimex_models::checkworthiness::ClaimScorer::new(scorer),
    ));
    let dirs = [
        claimex_models::checkworthiness::default_model_dir("attribution"),
        claimex_models::checkworthiness::default_model_dir("entities"),
    ];
    let tagger = claimex_models::attribution::SpanTagger::load_heads(
        base,
        &[dirs[0].as_path(), dirs[1].as_path()],
    )
    .context("cannot load the attribution and entity models (run `make setup`, or pass --no-models for rules only)")?;
    Ok(pipeline.with_batch_stage_after(
        "segment_sentences",
        Box::new(claimex_models::attribution::TagSpans::new(
            tagger,
            vec![TaggedLayer::Attribution, TaggedLayer::Entity],
        )),
    ))
}

pub(crate) fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

fn checkworthiness(file: Option<PathBuf>, models: Option<PathBuf>) -> anyhow::Result<ExitCode> {
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

/// `claimex train` options of the token taggers (attribution, entities).
struct TaggerOptions {
    split: Option<usize>,
    init: Option<PathBuf>,
    lr: Option<f64>,
    repeat: Option<usize>,
}

fn train(
    task: &str,
    data_paths: &[PathBuf],
    out: &std::path::Path,
    epochs: usize,
    opts: TaggerOptions,
    threads: Option<usize>,
    models: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    for d in data_paths {
        anyhow::ensure!(
            d.exists(),
            "no training data at {} (the data lives in ../shared/data; it is never committed)",
            d.display()
        );
    }
    anyhow::ensure!(
        task == "attribution" || data_paths.len() == 1,
        "only `train attribution` takes more than one --data"
    );
    let data = data_paths[0].as_path();
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
    let summary = match task {
        "checkworthiness" => {
            anyhow::ensure!(
                opts.split.is_none()
                    && opts.init.is_none()
                    && opts.lr.is_none()
                    && opts.repeat.is_none(),
                "--split, --init, --lr and --repeat apply to the token taggers only"
            );
            let tc = claimex_models::checkworthiness::TrainConfig {
                epochs,
                ..Default::default()
            };
            claimex_models::checkworthiness::train(&base, data, out, &tc, &progress)?
        }
        "attribution" | "taggers" => {
            let d = claimex_models::attribution::TrainConfig::default();
            let tc = claimex_models::attribution::TrainConfig {
                epochs,
                split: opts.split.unwrap_or(d.split),
                lr: opts.lr.unwrap_or(d.lr),
                init: opts.init,
                ..d
            };
            if task == "attribution" {
                anyhow::ensure!(opts.repeat.is_none(), "--repeat applies to `taggers` only");
                claimex_models::attribution::train_mixed(&base, data_paths, out, &tc, &progress)?
            } else {
                let repeat = opts
                    .repeat
                    .unwrap_or(claimex_models::entities::JOINT_REPEAT);
                claimex_models::entities::train_joint(&base, data, out, &tc, repeat, &progress)?
            }
        }
        "entity-head" => {
            anyhow::ensure!(
                opts.split.is_none() && opts.repeat.is_none(),
                "--split and --repeat do not apply to `entity-head` (the layers are the shipped attribution tagger's)"
            );
            let d = claimex_models::attribution::TrainConfig::default();
            let tc = claimex_models::attribution::TrainConfig {
                epochs,
                lr: opts.lr.unwrap_or(1e-3),
                roles: claimex_models::entities::ROLES,
                init: opts.init,
                ..d
            };
            let under = claimex_models::checkworthiness::default_model_dir("attribution");
            claimex_models::entities::train_head(&base, data, &under, out, &tc, &progress)?
        }
        "entities" => {
            anyhow::ensure!(opts.repeat.is_none(), "--repeat applies to `taggers` only");
            let d = claimex_models::attribution::TrainConfig::default();
            let tc = claimex_models::attribution::TrainConfig {
                epochs,
                split: opts.split.unwrap_or(d.split),
                roles: claimex_models::entities::ROLES,
                // GUM is small (~100k wordpieces): smaller batches give more steps
                batch: 8,
                lr: opts.lr.unwrap_or(2e-4),
                init: opts.init,
                ..d
            };
            claimex_models::entities::train(&base, data, out, &tc, &progress)?
        }
        other => anyhow::bail!(
            "unknown model {other:?}: expected checkworthiness, attribution, entities or taggers"
        ),
    };
    bar.finish_and_clear();
    println!("{summary}");
    Ok(ExitCode::SUCCESS)
}

fn read_records(p: &std::path::Path) -> anyhow::Result<Vec<Record>> {
    let text =
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{} line {}: not a claimex record", p.display(), i + 1))
        })
        .collect()
}

/// Prints an attribution report: JSON, or the table `eval attribution` shows; `what` names
/// what `articles` counts.
fn print_attribution(
    r: &claimex_pipeline::eval::attribution::AttributionReport,
    json: bool,
    what: &str,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(r)?);
        return Ok(());
    }
    println!(
        "{} {what} ({} without a prediction)",
        r.articles,
        r.missing_predictions.len()
    );
    println!("role       exact P     R    F1 | overlap P     R    F1");
    for role in &r.roles {
        println!(
            "{:<9} {} {} {} |      {} {} {}",
            role.role,
            pct(role.exact.precision),
            pct(role.exact.recall),
            pct(role.exact.f1),
            pct(role.overlap.precision),
            pct(role.overlap.recall),
            pct(role.overlap.f1)
        );
    }
    let (g, f, p, c) = r.attribution_counts;
    println!(
        "attribution P {} R {} F1 {}  (gold {g}, found {f}, predicted {p}, correct {c})",
        pct(r.attribution.precision),
        pct(r.attribution.recall),
        pct(r.attribution.f1)
    );
    for (t, (n, ok, prec)) in &r.by_type {
        println!(
            "  predicted {t:<9} {n:5}  correct {ok:5}  precision {}",
            pct(*prec)
        );
    }
    for (t, (n, ok, rec)) in &r.by_gold_kind {
        println!("  gold {t:<9} {n:5}  found {ok:5}  recall {}", pct(*rec));
    }
    println!("worst articles (attribution F1):");
    for (id, g, p, f) in &r.worst {
        println!("  {} gold {g:3} predicted {p:3}  {id}", pct(*f));
    }
    Ok(())
}

fn pct(x: f64) -> String {
    format!("{:5.1}", x * 100.0)
}

fn eval(what: EvalCommand) -> anyhow::Result<ExitCode> {
    use claimex_pipeline::eval;
    match what {
        EvalCommand::Attribution { gold, pred, json } => {
            let g = eval::attribution::load_gold_any(&gold).map_err(anyhow::Error::msg)?;
            let r = eval::attribution::evaluate(&g, &read_records(&pred)?);
            print_attribution(&r, json, "articles")?;
        }
        EvalCommand::Agreement { gold, json } => {
            let all = eval::attribution::load_annotations(&gold).map_err(anyhow::Error::msg)?;
            let several: Vec<_> = all.into_iter().filter(|a| a.2.len() > 1).collect();
            if several.is_empty() {
                anyhow::bail!("{}: no article has two annotators' files", gold.display());
            }
            eprintln!(
                "{} articles with several annotators ({} files)",
                several.len(),
                several.iter().map(|a| a.2.len()).sum::<usize>()
            );
            let r = eval::attribution::agreement(&several);
            print_attribution(&r, json, "annotator pairs")?;
        }
        EvalCommand::Grouping {
            records,
            pairs,
            threshold,
            sample,
            sample_out,
            json,
        } => {
            let recs = desk::read_all(std::slice::from_ref(&records))?;
            if let (Some(n), Some(out)) = (sample, sample_out) {
                std::fs::write(&out, eval::grouping::sample(&recs, n))
                    .with_context(|| format!("cannot write {}", out.display()))?;
            }
            let hand = match pairs {
                Some(p) => {
                    let t = std::fs::read_to_string(&p)
                        .with_context(|| format!("cannot read {}", p.display()))?;
                    let hp = eval::grouping::read_hand_pairs(&t)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
                    Some(eval::grouping::hand(&recs, &hp, threshold))
                }
                None => None,
            };
            let r = eval::grouping::sweep(&recs);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({"auto": r, "hand": hand}))?
                );
            } else {
                println!(
                    "{} claims with embeddings, {} blocked pairs of different articles; automatic labels: {} same, {} different",
                    r.claims, r.pairs, r.same, r.different
                );
                for p in r
                    .sweep
                    .iter()
                    .filter(|p| (p.threshold * 100.0).round() as i32 % 5 == 0)
                {
                    println!(
                        "  cosine >= {:.2}: P {:.1} R {:.1} F1 {:.1}",
                        p.threshold,
                        100.0 * p.prf.precision,
                        100.0 * p.prf.recall,
                        100.0 * p.prf.f1
                    );
                }
                println!(
                    "best F1 on automatic labels: cosine >= {:.2} (P {:.1} R {:.1} F1 {:.1})",
                    r.best.threshold,
                    100.0 * r.best.prf.precision,
                    100.0 * r.best.prf.recall,
                    100.0 * r.best.prf.f1
                );
                if let Some(h) = hand {
                    println!(
                        "hand labels: {} pairs ({} same, {} not in the records); at cosine >= {:.2}: P {:.1} R {:.1} F1 {:.1}; equal text alone: P {:.1} R {:.1}",
                        h.pairs,
                        h.same,
                        h.missing,
                        h.threshold,
                        100.0 * h.prf.precision,
                        100.0 * h.prf.recall,
                        100.0 * h.prf.f1,
                        100.0 * h.exact_text.precision,
                        100.0 * h.exact_text.recall
                    );
                }
            }
        }
        EvalCommand::GroupingCost { records, claims } => {
            let recs = desk::read_all(std::slice::from_ref(&records))?;
            for n in claims {
                let items = eval::grouping::synthetic(&recs, n)
                    .context("the records hold no claim with an embedding (extract with models)")?;
                let t0 = std::time::Instant::now();
                let g = claimex_pipeline::desk::group::group(
                    &items,
                    claimex_pipeline::desk::DEFAULT_THRESHOLD,
                );
                let s = t0.elapsed().as_secs_f64();
                println!(
                    "  {n:>7} claims: {s:7.2} s  {:>9} comparisons ({:.1} per claim)  {} groups",
                    g.compared,
                    g.compared as f64 / n as f64,
                    g.groups.len()
                );
            }
        }
        EvalCommand::Checkworthiness { gold, pred, json } => {
            let g = eval::checkworthiness::read_gold(
                &std::fs::read_to_string(&gold)
                    .with_context(|| format!("cannot read {}", gold.display()))?,
            );
            let text = std::fs::read_to_string(&pred)
                .with_context(|| format!("cannot read {}", pred.display()))?;
            let mut p = std::collections::HashMap::new();
            for (i, l) in text.lines().enumerate() {
                let v: serde_json::Value = serde_json::from_str(l)
                    .with_context(|| format!("{} line {}", pred.display(), i + 1))?;
                let id = match &v["id"] {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                p.insert(
                    id,
                    (v["score"].as_f64().unwrap_or(0.0), v["label"] == "Yes"),
                );
            }
            let r = eval::checkworthiness::evaluate(&g, &p);
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!(
                    "{} sentences ({} without a prediction)",
                    r.sentences, r.missing
                );
                println!(
                    "Yes: P {} R {} F1 {}; average precision {}",
                    pct(r.positive.precision),
                    pct(r.positive.recall),
                    pct(r.positive.f1),
                    pct(r.average_precision)
                );
            }
        }
        EvalCommand::Entities { gold, json, errors } => {
            tch::set_num_threads(cores() as i32);
            let docs = claimex_models::entities::read_split(&gold)?;
            let tagger = claimex_models::attribution::SpanTagger::load(
                &claimex_models::default_base_dir(),
                &claimex_models::checkworthiness::default_model_dir("entities"),
            )?;
            let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
            let mut pred = Vec::new();
            for chunk in texts.chunks(8) {
                let tagged = tagger.tag(chunk)?;
                pred.extend(chunk.iter().zip(tagged).map(|(text, v)| {
                    // the names the pipeline's entity stage receives
                    claimex_pipeline::stages::entities::tidy::tidy(text, &v)
                        .into_iter()
                        .map(|t| (t.label, t.span.start, t.span.end))
                        .collect::<Vec<_>>()
                }));
            }
            let gold_spans: Vec<Vec<(usize, usize, usize)>> =
                docs.iter().map(|d| d.spans.clone()).collect();
            if errors {
                let roles = claimex_models::entities::ROLES;
                for ((d, g), p) in docs.iter().zip(&gold_spans).zip(&pred) {
                    let chars: Vec<char> = d.text.chars().collect();
                    // a name on one line: line breaks inside a span print as ⏎
                    let name = |&(r, s, e): &(usize, usize, usize)| {
                        let t: String = chars[s..e].iter().collect();
                        format!("{}:{}", roles[r], t.replace('\n', "⏎"))
                    };
                    for (kind, ours, theirs) in [("miss", g, p), ("spurious", p, g)] {
                        for x in ours.iter().filter(|x| !theirs.contains(x)) {
                            let near: Vec<String> = theirs
                                .iter()
                                .filter(|y| y.1 < x.2 && x.1 < y.2)
                                .map(name)
                                .collect();
                            println!("{}\t{kind}\t{}\t{}", d.id, name(x), near.join(" | "));
                        }
                    }
                }
            }
            let r = claimex_models::attribution::exact_f1(&gold_spans, &pred);
            let roles = claimex_models::entities::ROLES;
            if json {
                let by_role: serde_json::Map<String, serde_json::Value> = roles
                    .iter()
                    .zip(r.roles)
                    .map(|(n, prf)| Ok((n.to_string(), serde_json::to_value(prf)?)))
                    .collect::<Result<_, serde_json::Error>>()?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "documents": docs.len(), "gold": r.gold, "predicted": r.predicted,
                        "correct": r.correct, "all": r.all, "roles": by_role,
                    }))?
                );
            } else {
                println!(
                    "{} documents, {} gold names, {} predicted, {} exact",
                    docs.len(),
                    r.gold,
                    r.predicted,
                    r.correct
                );
                let names = roles.iter().copied().chain(["all"]);
                for (n, prf) in names.zip(r.roles.iter().chain([&r.all])) {
                    println!(
                        "{n:<7} P {} R {} F1 {}",
                        pct(prf.precision),
                        pct(prf.recall),
                        pct(prf.f1)
                    );
                }
            }
        }
        EvalCommand::Speakers {
            gold,
            no_models,
            json,
        } => {
            let rows = eval::gap::read(
                &std::fs::read_to_string(&gold)
                    .with_context(|| format!("cannot read {}", gold.display()))?,
            );
            let mut pipeline = Pipeline::new(&PipelineConfig::default());
            if !no_models {
                pipeline = with_models(pipeline, &claimex_models::default_base_dir())?;
            }
            let mut records = Vec::new();
            let mut sink = Vec::new();
            let sources: Vec<Source> = rows
                .iter()
                .enumerate()
                .map(|(i, row)| Source::JsonLine {
                    origin: gold.display().to_string(),
                    line: i + 1,
                    raw: Ok(serde_json::json!({"id": row.id, "text": row.text})
                        .to_string()
                        .into_bytes()),
                    id: None,
                })
                .collect();
            pipeline.run_batch(&sources, &mut sink, |_| {})?;
            for l in String::from_utf8(sink)?.lines() {
                records.push(serde_json::from_str::<Record>(l)?);
            }
            let answers: Vec<(bool, bool, bool)> = rows
                .iter()
                .zip(&records)
                .map(|(row, rec)| eval::gap::answer(row, rec))
                .collect();
            let r = eval::gap::evaluate(&rows, &answers);
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!("{} rows, {} pronouns resolved", r.rows, r.resolved);
                println!(
                    "F1 {} (P {} R {}); accuracy {}",
                    pct(r.f1.f1),
                    pct(r.f1.precision),
                    pct(r.f1.recall),
                    pct(r.accuracy)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

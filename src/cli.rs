//! The command line: every subcommand and flag `claimex` takes (clap's derive), and nothing
//! that runs them; `main.rs` dispatches each to its file.

use crate::{desk, review};
use claimex_models::recipes::Recipe;
use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "claimex",
    version,
    about = "Quotations, speakers and check-worthy claims from news articles, as JSONL"
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

/// The models `claimex train` trains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum TrainTask {
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
    /// The models crate's recipe of the task, which holds its defaults.
    pub(crate) fn recipe(self) -> Recipe {
        match self {
            TrainTask::Checkworthiness => Recipe::Checkworthiness,
            TrainTask::Attribution => Recipe::Attribution,
            TrainTask::Entities => Recipe::Entities,
            TrainTask::Taggers => Recipe::Taggers,
            TrainTask::EntityHead => Recipe::EntityHead,
        }
    }
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
        #[arg(long, default_value_t = claimex_models::recipes::EPOCHS)]
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
pub(crate) enum EvalCommand {
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

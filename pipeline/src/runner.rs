//! The runner: articles through the stages under rayon, records out in input order.
//!
//! The per-article function returns a [`Record`], never a `Result` that could stop the batch:
//! read errors, stage errors and panics (caught per stage call) all become error records in
//! the article's place. Output order is input order whatever the thread count, and records
//! hold nothing time- or thread-dependent, so output is byte-identical across runs.

use crate::config::PipelineConfig;
use crate::document::Document;
use crate::ingest::{Article, Source};
use crate::output::{error_record, to_record, Record};
use crate::stage::{BatchStage, ErrorKind, Stage, StageError};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Articles processed together: each model batch runs over one chunk, so a resumed run starts
/// at a multiple of it to give every batch the articles it had in an uninterrupted run.
pub const CHUNK: usize = 64;

/// One step of the pipeline: a per-article stage or a batch (model) stage.
enum Step {
    Article(Box<dyn Stage>),
    Batch(Box<dyn BatchStage>),
}

impl Step {
    fn name(&self) -> &'static str {
        match self {
            Step::Article(s) => s.name(),
            Step::Batch(s) => s.name(),
        }
    }
}

/// The configured stages, built before any article is read.
pub struct Pipeline {
    steps: Vec<Step>,
    max_bytes: usize,
    max_seconds: f64,
}

/// Counts of a finished batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Records written.
    pub articles: usize,
    /// Error records among them, by error kind.
    pub failed: BTreeMap<String, usize>,
    /// Quotes over all ok records.
    pub quotes: usize,
    /// Claims over all ok records.
    pub claims: usize,
    /// Notes on how articles were read, for stderr (`id: note`), in input order.
    pub notes: Vec<String>,
}

impl Summary {
    /// Number of failed articles.
    pub fn failures(&self) -> usize {
        self.failed.values().sum()
    }

    fn add(&mut self, r: &Record) {
        self.articles += 1;
        if let Some(e) = &r.error {
            *self.failed.entry(e.kind.as_str().to_string()).or_default() += 1;
        }
        self.quotes += r.quotes.as_ref().map_or(0, Vec::len);
        self.claims += r.claims.as_ref().map_or(0, Vec::len);
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into())
}

impl Pipeline {
    /// The rule stages of `config`.
    pub fn new(config: &PipelineConfig) -> Self {
        Pipeline {
            steps: config
                .build_stages()
                .into_iter()
                .map(Step::Article)
                .collect(),
            max_bytes: config.max_bytes(),
            max_seconds: config.max_seconds(),
        }
    }

    /// Adds a per-article stage at the end.
    pub fn with_stage(mut self, stage: Box<dyn Stage>) -> Self {
        self.steps.push(Step::Article(stage));
        self
    }

    /// Adds a batch stage at the end (model stages plug in here).
    pub fn with_batch_stage(mut self, stage: Box<dyn BatchStage>) -> Self {
        self.steps.push(Step::Batch(stage));
        self
    }

    /// Adds a batch stage right after the stage named `after` (at the end when there is
    /// none), so that later stages see its layer.
    pub fn with_batch_stage_after(mut self, after: &str, stage: Box<dyn BatchStage>) -> Self {
        let at = self
            .steps
            .iter()
            .position(|s| s.name() == after)
            .map_or(self.steps.len(), |i| i + 1);
        self.steps.insert(at, Step::Batch(stage));
        self
    }

    /// The stage names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        self.steps.iter().map(Step::name).collect()
    }

    /// Runs every stage on one article; a stage error or panic fails only this article.
    ///
    /// # Errors
    /// The first stage error, a panic as an [`ErrorKind::Internal`] error, or an
    /// [`ErrorKind::Offsets`] error from the writer's span check.
    pub fn process(&self, article: Article) -> Result<Record, StageError> {
        let mut doc = Document::new(article.id, article.text);
        doc.meta = article.meta;
        for step in &self.steps {
            match step {
                Step::Article(s) => run_stage(s.as_ref(), &mut doc)?,
                Step::Batch(b) => run_batch_stage(b.as_ref(), &mut [&mut doc]).remove(0)?,
            }
        }
        to_record(&doc)
    }

    /// Reads one source: the document and the notes on reading it, or the id and error of
    /// its record.
    fn load(&self, src: &Source) -> Result<(Document, Vec<String>), (String, StageError)> {
        match catch_unwind(AssertUnwindSafe(|| src.load(self.max_bytes))) {
            Ok(r) => r.map(|a| {
                let mut doc = Document::new(a.id, a.text);
                doc.meta = a.meta;
                (doc, a.notes)
            }),
            Err(p) => {
                let msg = format!("reading panicked: {}", panic_message(p));
                Err((src.id(), StageError::new(ErrorKind::Internal, msg)))
            }
        }
    }

    /// Processes `sources` in chunks of [`CHUNK`] and writes one JSON line per record, in input
    /// order. Runs of per-article stages go in parallel on the current rayon pool; a batch
    /// (model) stage runs over the whole chunk on this thread; the span-checking writer runs
    /// in parallel. `progress` is called with the number of records written.
    ///
    /// # Errors
    /// Only errors of the output writer; article failures are records.
    pub fn run_batch<W: Write>(
        &self,
        sources: &[Source],
        out: &mut W,
        progress: impl FnMut(usize),
    ) -> std::io::Result<Summary> {
        self.run_stream(sources.iter().cloned(), out, progress)
    }

    /// [`Pipeline::run_batch`] over sources as they come: [`CHUNK`] of them are read, analysed
    /// and written before the next are taken, so memory stays flat however long the batch.
    ///
    /// # Errors
    /// Only errors of the output writer; article failures are records.
    pub fn run_stream<W: Write>(
        &self,
        sources: impl Iterator<Item = Source>,
        out: &mut W,
        mut progress: impl FnMut(usize),
    ) -> std::io::Result<Summary> {
        let mut summary = Summary::default();
        // a 64-bit hash of each id -> its first record, to say when an id comes again and which
        // inputs both came from: 20 bytes an article (and each file's path once), not the ids (a collision between
        // two ids of a million is a one in 10^7 chance, and would only add a note)
        // (position, where it came from: an index into `origins` and a line, 0 for a file)
        let mut seen: std::collections::HashMap<u64, (u32, u32, u32)> =
            std::collections::HashMap::new();
        let mut origins: Vec<String> = Vec::new();
        let mut origin_ids: std::collections::HashMap<String, u32> =
            std::collections::HashMap::new();
        let hash = |id: &str| {
            use std::hash::{BuildHasher, Hasher};
            // fixed keys: the same ids always hash alike
            let mut h = std::hash::BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().build_hasher();
            h.write(id.as_bytes());
            h.finish()
        };
        let mut sources = sources.peekable();
        while sources.peek().is_some() {
            let chunk: Vec<Source> = sources.by_ref().take(CHUNK).collect();
            let loaded: Vec<_> = chunk.par_iter().map(|s| self.load(s)).collect();
            let mut docs: Vec<Result<Document, (String, StageError)>> = loaded
                .into_iter()
                .map(|d| {
                    d.map(|(doc, notes)| {
                        summary.notes.extend(notes);
                        doc
                    })
                })
                .collect();
            // rule-stage seconds each article has taken so far
            let mut spent = vec![0.0f64; docs.len()];
            let mut i = 0;
            while i < self.steps.len() {
                match &self.steps[i] {
                    Step::Article(_) => {
                        let j = self.steps[i..]
                            .iter()
                            .position(|s| matches!(s, Step::Batch(_)))
                            .map_or(self.steps.len(), |k| i + k);
                        let run = &self.steps[i..j];
                        let budget = self.max_seconds;
                        docs.par_iter_mut()
                            .zip(spent.par_iter_mut())
                            .for_each(|(d, spent)| {
                                let failed = match d {
                                    Ok(doc) => run.iter().find_map(|s| match s {
                                        Step::Article(s) => {
                                            if *spent > budget {
                                                return Some((
                                                    doc.id.clone(),
                                                    timeout(s.name(), *spent, budget),
                                                ));
                                            }
                                            let t0 = std::time::Instant::now();
                                            let r = run_stage(s.as_ref(), doc);
                                            *spent += t0.elapsed().as_secs_f64();
                                            r.err().map(|e| (doc.id.clone(), e))
                                        }
                                        Step::Batch(_) => None,
                                    }),
                                    Err(_) => None,
                                };
                                if let Some(f) = failed {
                                    *d = Err(f);
                                }
                            });
                        i = j;
                    }
                    Step::Batch(b) => {
                        let t0 = std::time::Instant::now();
                        let mut ok: Vec<&mut Document> =
                            docs.iter_mut().filter_map(|d| d.as_mut().ok()).collect();
                        let mut results = run_batch_stage(b.as_ref(), &mut ok).into_iter();
                        if std::env::var_os("CLAIMEX_TIMINGS").is_some() {
                            eprintln!("timing: {} {:.3}s", b.name(), t0.elapsed().as_secs_f64());
                        }
                        for d in docs.iter_mut() {
                            let id = match d {
                                Ok(doc) => doc.id.clone(),
                                Err(_) => continue,
                            };
                            if let Some(Err(e)) = results.next() {
                                *d = Err((id, e));
                            }
                        }
                        i += 1;
                    }
                }
            }
            let records: Vec<Record> = docs
                .into_par_iter()
                .map(|d| match d {
                    Ok(doc) => match catch_unwind(AssertUnwindSafe(|| to_record(&doc))) {
                        Ok(Ok(r)) => r,
                        Ok(Err(e)) => error_record(&doc.id, &e),
                        Err(p) => error_record(
                            &doc.id,
                            &StageError::new(
                                ErrorKind::Internal,
                                format!("writer panicked: {}", panic_message(p)),
                            ),
                        ),
                    },
                    Err((id, e)) => error_record(&id, &e),
                })
                .collect();
            for (mut r, src) in records.into_iter().zip(&chunk) {
                let (path, line) = src.origin();
                r.source = Some(crate::output::SourceOut {
                    path: path.to_string(),
                    line: (line > 0).then_some(line),
                });
                let r = &r;
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
                summary.add(r);
                let (origin, line) = src.origin();
                let o = match origin_ids.get(origin) {
                    Some(&o) => o,
                    None => {
                        origins.push(origin.to_string());
                        origin_ids.insert(origin.to_string(), origins.len() as u32 - 1);
                        origins.len() as u32 - 1
                    }
                };
                let key = hash(&r.id);
                if let Some(&(first, fo, fl)) = seen.get(&key) {
                    let at = |o: u32, l: u32| match l {
                        0 => origins[o as usize].clone(),
                        l => format!("{} line {l}", origins[o as usize]),
                    };
                    summary.notes.push(format!(
                        "record {} ({}) has the id {:?} of record {first} ({}): two inputs with one id, both written",
                        summary.articles,
                        at(o, line as u32),
                        r.id,
                        at(fo, fl)
                    ));
                } else {
                    seen.insert(key, (summary.articles as u32, o, line as u32));
                }
            }
            progress(summary.articles);
        }
        out.flush()?;
        Ok(summary)
    }
}

/// The error of an article that ran out of rule-stage time before `stage`.
fn timeout(stage: &str, spent: f64, budget: f64) -> StageError {
    StageError::new(
        ErrorKind::Timeout,
        format!("the rule stages took {spent:.1} s, over the {budget} s limit per article, before {stage} (please report this article)"),
    )
}

/// Runs one per-article stage, turning a panic into an [`ErrorKind::Internal`] error.
fn run_stage(stage: &dyn Stage, doc: &mut Document) -> Result<(), StageError> {
    match catch_unwind(AssertUnwindSafe(|| stage.annotate(doc))) {
        Ok(r) => r,
        Err(p) => Err(StageError::new(
            ErrorKind::Internal,
            format!(
                "stage {} panicked: {} (please report this article)",
                stage.name(),
                panic_message(p)
            ),
        )),
    }
}

/// Runs a batch stage over `docs`; when the batch fails (an error or a panic, wherever in
/// the batch it came), every document is put back as it was before the batch, so nothing a
/// stage stored before failing stays (a retry would store it twice), and the stage is
/// retried article by article so only the culprit fails. One result per document.
fn run_batch_stage(
    stage: &dyn BatchStage,
    docs: &mut [&mut Document],
) -> Vec<Result<(), StageError>> {
    let before: Vec<Document> = if docs.len() > 1 {
        docs.iter().map(|d| (**d).clone()).collect()
    } else {
        Vec::new()
    };
    let run = |b: &mut [&mut Document]| match catch_unwind(AssertUnwindSafe(|| {
        stage.annotate_batch(b)
    })) {
        Ok(r) => r,
        Err(p) => Err(StageError::new(
            ErrorKind::Internal,
            format!("stage {} panicked: {}", stage.name(), panic_message(p)),
        )),
    };
    let first = run(docs);
    if first.is_ok() {
        return docs.iter().map(|_| Ok(())).collect();
    }
    if docs.len() == 1 {
        return vec![first];
    }
    for (d, b) in docs.iter_mut().zip(before) {
        **d = b;
    }
    docs.iter_mut()
        .map(|d| run(std::slice::from_mut(d)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Document;

    struct Explode;
    impl Stage for Explode {
        fn name(&self) -> &'static str {
            "explode"
        }
        fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
            if doc.text.contains("BOOM") {
                panic!("boom");
            }
            Ok(())
        }
    }

    /// Fails the whole batch when it holds an article with "BAD", like a model batch that
    /// breaks on one input; marks every article it annotates.
    struct Fussy;
    impl BatchStage for Fussy {
        fn name(&self) -> &'static str {
            "fussy"
        }
        fn annotate_batch(&self, docs: &mut [&mut Document]) -> Result<(), StageError> {
            if docs.iter().any(|d| d.text.contains("BAD")) {
                return Err(StageError::new(ErrorKind::Internal, "batch failed"));
            }
            for d in docs.iter_mut() {
                d.meta.title = Some("seen".into());
            }
            Ok(())
        }
    }

    #[test]
    fn a_failing_batch_is_retried_so_only_the_culprit_fails() {
        let p = Pipeline::new(&PipelineConfig::default())
            .with_batch_stage_after("tag_quotes", Box::new(Fussy));
        assert_eq!(p.stage_names()[3], "fussy");
        let sources = crate::ingest::json_lines("-", b"{\"id\":\"a\",\"text\":\"Fine text here.\"}\n{\"id\":\"b\",\"text\":\"A BAD one.\"}\n{\"id\":\"c\",\"text\":\"More fine text.\"}\n");
        let mut out = Vec::new();
        let s = p.run_batch(&sources, &mut out, |_| {}).unwrap();
        let recs: Vec<Record> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let got: Vec<(&str, &str, Option<&str>)> = recs
            .iter()
            .map(|r| (r.id.as_str(), r.status.as_str(), r.title.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a", "ok", Some("seen")),
                ("b", "error", None),
                ("c", "ok", Some("seen"))
            ]
        );
        assert_eq!(s.failures(), 1);
    }

    /// A model-like batch stage behind a lock: it stores a layer into each document in turn
    /// and panics, holding its lock, on a document with "BOOM", after storing into those
    /// before it.
    struct Poisoner {
        lock: std::sync::Mutex<u32>,
    }
    impl BatchStage for Poisoner {
        fn name(&self) -> &'static str {
            "poison"
        }
        fn annotate_batch(&self, docs: &mut [&mut Document]) -> Result<(), StageError> {
            let mut calls = self
                .lock
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            *calls += 1;
            for d in docs.iter_mut() {
                if d.text.contains("BOOM") {
                    panic!("model batch exploded");
                }
                let t = d.meta.title.take().unwrap_or_default();
                d.meta.title = Some(t + "+tagged");
            }
            Ok(())
        }
    }

    fn run_records(p: &Pipeline, jsonl: &str) -> Vec<String> {
        let sources = crate::ingest::json_lines("-", jsonl.as_bytes());
        let mut out = Vec::new();
        p.run_batch(&sources, &mut out, |_| {}).unwrap();
        // without `source`: its line numbers differ between runs over different inputs
        String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                let mut r: Record = serde_json::from_str(l).unwrap();
                r.source = None;
                serde_json::to_string(&r).unwrap()
            })
            .collect()
    }

    #[test]
    fn a_batch_that_panics_holding_its_lock_fails_only_its_culprit() {
        let p = Pipeline::new(&PipelineConfig::default()).with_batch_stage_after(
            "segment_sentences",
            Box::new(Poisoner {
                lock: std::sync::Mutex::new(0),
            }),
        );
        let good: Vec<String> = (0..5)
            .map(|i| {
                format!("{{\"id\":\"g{i}\",\"text\":\"\\\"All is well {i},\\\" said Ana Ruiz.\"}}")
            })
            .collect();
        let mut with = good.clone();
        with.insert(
            2,
            "{\"id\":\"bad\",\"text\":\"BOOM went the model.\"}".into(),
        );
        with.push("{\"id\":\"bad2\",\"text\":\"BOOM again.\"}".into());
        let faulty = run_records(&p, &(with.join("\n") + "\n"));
        let clean = run_records(&p, &(good.join("\n") + "\n"));
        assert_eq!(faulty.len(), 7);
        let kept: Vec<&String> = faulty
            .iter()
            .filter(|l| !l.contains("\"id\":\"bad"))
            .collect();
        // byte-identical to a run without the faults: no layer stored twice
        assert_eq!(kept, clean.iter().collect::<Vec<_>>());
        assert!(clean[0].contains("+tagged") && !clean[0].contains("+tagged+tagged"));
        for l in faulty.iter().filter(|l| l.contains("\"id\":\"bad")) {
            assert!(
                l.contains("\"internal\"") && l.contains("model batch exploded"),
                "{l}"
            );
        }
        // and the stage still runs after its lock was poisoned
        let again = run_records(&p, &(good.join("\n") + "\n"));
        assert_eq!(again, clean);
    }

    /// Takes a quarter of a second on an article with "SLOW".
    struct Slow;
    impl Stage for Slow {
        fn name(&self) -> &'static str {
            "dawdle"
        }
        fn annotate(&self, doc: &mut Document) -> Result<(), StageError> {
            if doc.text.contains("SLOW") {
                std::thread::sleep(std::time::Duration::from_millis(250));
            }
            Ok(())
        }
    }

    #[test]
    fn an_article_over_its_time_budget_becomes_a_timeout_record() {
        let config = PipelineConfig {
            max_article_seconds: 0.1,
            ..PipelineConfig::default()
        };
        let mut p = Pipeline::new(&config);
        // the slow stage first, so the stages after it find the budget spent
        p.steps.insert(0, Step::Article(Box::new(Slow)));
        let recs = run_records(
            &p,
            "{\"id\":\"a\",\"text\":\"Fine.\"}\n{\"id\":\"b\",\"text\":\"SLOW text.\"}\n",
        );
        assert!(recs[0].contains("\"status\":\"ok\""), "{}", recs[0]);
        assert!(
            recs[1].contains("\"kind\":\"timeout\"") && recs[1].contains("segment_sentences"),
            "{}",
            recs[1]
        );
    }

    #[test]
    fn a_panicking_stage_fails_only_its_article() {
        let p = Pipeline::new(&PipelineConfig::default()).with_stage(Box::new(Explode));
        let sources: Vec<Source> = crate::ingest::json_lines("-", b"{\"id\":\"a\",\"text\":\"He said, \\\"Fine.\\\"\"}\n{\"id\":\"b\",\"text\":\"BOOM said he.\"}\n{\"id\":\"c\",\"text\":\"All good here.\"}\n");
        let mut out = Vec::new();
        let s = p.run_batch(&sources, &mut out, |_| {}).unwrap();
        let lines: Vec<Record> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let status: Vec<(&str, &str)> = lines
            .iter()
            .map(|r| (r.id.as_str(), r.status.as_str()))
            .collect();
        assert_eq!(status, vec![("a", "ok"), ("b", "error"), ("c", "ok")]);
        assert_eq!(lines[1].error.as_ref().unwrap().kind, ErrorKind::Internal);
        assert!(lines[1].error.as_ref().unwrap().message.contains("explode"));
        assert_eq!(s.failures(), 1);
    }
}

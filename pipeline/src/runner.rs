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

/// The configured stages, built before any article is read.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    batch_stages: Vec<Box<dyn BatchStage>>,
    max_bytes: usize,
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
}

impl Summary {
    /// Number of failed articles.
    pub fn failures(&self) -> usize {
        self.failed.values().sum()
    }

    fn add(&mut self, r: &Record) {
        self.articles += 1;
        if let Some(e) = &r.error {
            *self.failed.entry(e.kind.clone()).or_default() += 1;
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
            stages: config.build_stages(),
            batch_stages: Vec::new(),
            max_bytes: config.max_bytes(),
        }
    }

    /// Adds a stage after the existing ones.
    pub fn with_stage(mut self, stage: Box<dyn Stage>) -> Self {
        self.stages.push(stage);
        self
    }

    /// Adds a batch stage, run after every per-article stage (model stages plug in here).
    pub fn with_batch_stage(mut self, stage: Box<dyn BatchStage>) -> Self {
        self.batch_stages.push(stage);
        self
    }

    /// The stage names, in order.
    pub fn stage_names(&self) -> Vec<&'static str> {
        let batch = self.batch_stages.iter().map(|s| s.name());
        self.stages.iter().map(|s| s.name()).chain(batch).collect()
    }

    /// Runs every stage on one article; a stage error or panic fails only this article.
    ///
    /// # Errors
    /// The first stage error, a panic as an [`ErrorKind::Internal`] error, or an
    /// [`ErrorKind::Offsets`] error from the writer's span check.
    pub fn process(&self, article: Article) -> Result<Record, StageError> {
        let mut doc = self.analyse(article)?;
        self.run_batch_stages(&mut [&mut doc]).remove(0)?;
        to_record(&doc)
    }

    /// Runs the per-article stages only.
    fn analyse(&self, article: Article) -> Result<Document, StageError> {
        let mut doc = Document::new(article.id, article.text);
        doc.meta = article.meta;
        for stage in &self.stages {
            match catch_unwind(AssertUnwindSafe(|| stage.annotate(&mut doc))) {
                Ok(Ok(())) => {}
                Ok(Err(e)) => return Err(e),
                Err(p) => {
                    return Err(StageError::new(
                        ErrorKind::Internal,
                        format!(
                            "stage {} panicked: {} (please report this article)",
                            stage.name(),
                            panic_message(p)
                        ),
                    ))
                }
            }
        }
        Ok(doc)
    }

    /// Runs the batch stages over `docs`; when a batch fails, retries article by article so
    /// only the culprit fails. One result per document.
    fn run_batch_stages(&self, docs: &mut [&mut Document]) -> Vec<Result<(), StageError>> {
        let mut results: Vec<Result<(), StageError>> = docs.iter().map(|_| Ok(())).collect();
        for stage in &self.batch_stages {
            let run = |b: &mut [&mut Document]| match catch_unwind(AssertUnwindSafe(|| {
                stage.annotate_batch(b)
            })) {
                Ok(r) => r,
                Err(p) => Err(StageError::new(
                    ErrorKind::Internal,
                    format!("stage {} panicked: {}", stage.name(), panic_message(p)),
                )),
            };
            let alive: Vec<bool> = results.iter().map(Result::is_ok).collect();
            let live: Vec<usize> = (0..docs.len()).filter(|&i| alive[i]).collect();
            let mut batch: Vec<&mut Document> = docs
                .iter_mut()
                .zip(&alive)
                .filter(|(_, a)| **a)
                .map(|(d, _)| &mut **d)
                .collect();
            if run(&mut batch).is_err() {
                for (k, d) in batch.iter_mut().enumerate() {
                    if let Err(e) = run(std::slice::from_mut(d)) {
                        results[live[k]] = Err(e);
                    }
                }
            }
        }
        results
    }

    /// Reads one source and runs the per-article stages: the document, or the id and error
    /// of its record.
    fn load_and_analyse(&self, src: &Source) -> Result<Document, (String, StageError)> {
        let article = match catch_unwind(AssertUnwindSafe(|| src.load(self.max_bytes))) {
            Ok(r) => r?,
            Err(p) => {
                let msg = format!("reading panicked: {}", panic_message(p));
                return Err((src.id(), StageError::new(ErrorKind::Internal, msg)));
            }
        };
        let id = article.id.clone();
        self.analyse(article).map_err(|e| (id, e))
    }

    /// Processes `sources` in chunks of 64 and writes one JSON line per record, in input
    /// order: per-article stages in parallel on the current rayon pool, batch (model) stages
    /// over the whole chunk on this thread, then the span-checking writer in parallel.
    /// `progress` is called with the number of records written.
    ///
    /// # Errors
    /// Only errors of the output writer; article failures are records.
    pub fn run_batch<W: Write>(
        &self,
        sources: &[Source],
        out: &mut W,
        mut progress: impl FnMut(usize),
    ) -> std::io::Result<Summary> {
        let mut summary = Summary::default();
        for chunk in sources.chunks(64) {
            let mut docs: Vec<Result<Document, (String, StageError)>> =
                chunk.par_iter().map(|s| self.load_and_analyse(s)).collect();
            if !self.batch_stages.is_empty() {
                let mut ok: Vec<&mut Document> =
                    docs.iter_mut().filter_map(|d| d.as_mut().ok()).collect();
                let mut failed = self.run_batch_stages(&mut ok).into_iter();
                for d in docs.iter_mut() {
                    let id = match d {
                        Ok(doc) => doc.id.clone(),
                        Err(_) => continue,
                    };
                    if let Some(Err(e)) = failed.next() {
                        *d = Err((id, e));
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
            for r in &records {
                serde_json::to_writer(&mut *out, r)?;
                out.write_all(b"\n")?;
                summary.add(r);
            }
            progress(summary.articles);
        }
        out.flush()?;
        Ok(summary)
    }
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
        assert_eq!(lines[1].error.as_ref().unwrap().kind, "internal");
        assert!(lines[1].error.as_ref().unwrap().message.contains("explode"));
        assert_eq!(s.failures(), 1);
    }
}

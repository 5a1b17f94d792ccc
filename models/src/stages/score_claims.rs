//! `score_checkworthiness`: the check-worthiness scorer as a pipeline stage, after the rule
//! stages. Reads the claims and narrative candidates; writes their `checkworthiness` and
//! `embedding`, and admits the candidates that reach the threshold into the claims.

use crate::checkworthiness::CheckworthinessScorer;

/// The pipeline stage that fills `claims[].checkworthiness` and `claims[].embedding`, scoring
/// every claim and narrative candidate of a batch of articles at once (its `standalone`
/// text), and moves the candidates that reach the scorer's threshold into the claims.
pub struct ClaimScorer {
    scorer: std::sync::Mutex<CheckworthinessScorer>,
}

impl ClaimScorer {
    /// Wraps a loaded scorer.
    pub fn new(scorer: CheckworthinessScorer) -> Self {
        ClaimScorer {
            scorer: std::sync::Mutex::new(scorer),
        }
    }
}

impl claimex_pipeline::stage::BatchStage for ClaimScorer {
    fn name(&self) -> &'static str {
        "score_checkworthiness"
    }

    fn annotate_batch(
        &self,
        docs: &mut [&mut claimex_pipeline::Document],
    ) -> Result<(), claimex_pipeline::StageError> {
        let texts: Vec<String> = docs
            .iter()
            .flat_map(|d| {
                d.claims
                    .iter()
                    .chain(&d.narrative)
                    .map(|c| c.standalone.clone())
            })
            .collect();
        if texts.is_empty() {
            return Ok(());
        }
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        // a panic in an earlier batch poisoned the lock, but the scorer holds no state
        // between calls (inference only): the lock is taken back and the run goes on
        let scorer = self
            .scorer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let (scores, embeddings) = scorer.score_and_embed(&refs).map_err(|e| {
            claimex_pipeline::StageError::new(
                claimex_pipeline::ErrorKind::Internal,
                format!("check-worthiness scorer: {e}"),
            )
        })?;
        let mut it = scores.into_iter().zip(embeddings);
        for d in docs.iter_mut() {
            for c in d.claims.iter_mut().chain(d.narrative.iter_mut()) {
                if let Some((s, e)) = it.next() {
                    c.checkworthiness = Some(s);
                    c.embedding = Some(e);
                }
            }
            // a narrative sentence is a claim when the model says it is checkable: its
            // score reaches the decision threshold chosen on CheckThat! dev (config.json)
            claimex_pipeline::stages::claims::admit_narrative(d, scorer.threshold);
        }
        Ok(())
    }
}

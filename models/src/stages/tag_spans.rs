//! `tag_spans`: one pass of the span tagger over a batch of articles, right after
//! segmentation. Reads the text; writes the tagged layer through the pipeline's seam
//! ([`claimex_pipeline::tagged::store`]), one layer per head.

use crate::tagger::SpanTagger;
use claimex_pipeline::tagged::TaggedLayer;

/// The pipeline stage that runs the span heads over all articles of a batch together and
/// keeps their spans in `doc.tagged` (mapped to bytes and checked there), for the entity
/// and attribution-linking stages that follow.
pub struct TagSpans {
    tagger: std::sync::Mutex<SpanTagger>,
    layers: Vec<TaggedLayer>,
}

impl TagSpans {
    /// Wraps a loaded tagger whose heads tag `layers`, in order.
    pub fn new(tagger: SpanTagger, layers: Vec<TaggedLayer>) -> Self {
        TagSpans {
            tagger: std::sync::Mutex::new(tagger),
            layers,
        }
    }
}

impl claimex_pipeline::stage::BatchStage for TagSpans {
    fn name(&self) -> &'static str {
        "tag_spans"
    }

    fn annotate_batch(
        &self,
        docs: &mut [&mut claimex_pipeline::Document],
    ) -> Result<(), claimex_pipeline::StageError> {
        use claimex_pipeline::{ErrorKind, StageError};
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        // a panic in an earlier batch poisoned the lock, but the tagger holds no state
        // between calls (inference only): the lock is taken back and the run goes on
        let tagger = self
            .tagger
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let heads = tagger
            .tag_heads(&texts)
            .map_err(|e| StageError::new(ErrorKind::Internal, format!("span tagger: {e}")))?;
        drop(tagger);
        for (layer, spans) in self.layers.iter().zip(heads) {
            for (d, s) in docs.iter_mut().zip(spans) {
                claimex_pipeline::tagged::store(d, *layer, &s)?;
            }
        }
        Ok(())
    }
}

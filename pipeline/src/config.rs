//! Configuration of the whole pipeline: one section per stage, all with documented defaults.

use crate::stage::Stage;
use crate::stages::claims::ClaimExtractorConfig;
use crate::stages::conventions::SpanConventionsConfig;
use crate::stages::entities::EntityTaggerConfig;
use crate::stages::quotes::QuoteTaggerConfig;
use crate::stages::segment::SegmenterConfig;
use crate::stages::speakers::SpeakerResolverConfig;

/// Every stage's configuration.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct PipelineConfig {
    /// Paragraphs, sentences, non-body text.
    pub segment: SegmenterConfig,
    /// Named entities.
    pub entities: EntityTaggerConfig,
    /// Quotations.
    pub quotes: QuoteTaggerConfig,
    /// The span convention cues and sources are written in (PolNeAR's).
    pub conventions: SpanConventionsConfig,
    /// Pronouns and speakers.
    pub speakers: SpeakerResolverConfig,
    /// Claims.
    pub claims: ClaimExtractorConfig,
    /// Articles larger than this many bytes become `too_large` error records (default 4 MiB).
    pub max_article_bytes: usize,
    /// Seconds of rule-stage time an article may take before it becomes a `timeout` error
    /// record (0: the default, 60 s). Checked before each rule stage; model batches are not
    /// counted (their time is shared). The rule stages are linear in article size (a 3.2 MB
    /// article takes under 2 s on 2 cores), so this only catches what a future rule might do
    /// wrong; it is the one place where output depends on the machine's speed.
    pub max_article_seconds: f64,
}

impl PipelineConfig {
    /// The rule stages, in order.
    pub fn build_stages(&self) -> Vec<Box<dyn Stage>> {
        vec![
            Box::new(self.segment.build()),
            Box::new(self.entities.build()),
            Box::new(self.quotes.build()),
            Box::new(crate::stages::link::LinkAttributions),
            Box::new(self.conventions.build()),
            Box::new(self.speakers.build()),
            Box::new(self.claims.build()),
        ]
    }

    /// The rule-stage time limit per article, with the default applied.
    pub fn max_seconds(&self) -> f64 {
        if self.max_article_seconds > 0.0 {
            self.max_article_seconds
        } else {
            60.0
        }
    }

    /// The size limit in bytes, with the default applied.
    pub fn max_bytes(&self) -> usize {
        if self.max_article_bytes == 0 {
            4 << 20
        } else {
            self.max_article_bytes
        }
    }
}

//! Configuration of the whole pipeline: one section per stage, all with documented defaults.

use crate::stage::Stage;
use crate::stages::claims::ClaimExtractorConfig;
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
    /// Pronouns and speakers.
    pub speakers: SpeakerResolverConfig,
    /// Claims.
    pub claims: ClaimExtractorConfig,
    /// Articles larger than this many bytes become `too_large` error records (default 4 MiB).
    pub max_article_bytes: usize,
}

impl PipelineConfig {
    /// The rule stages, in order.
    pub fn build_stages(&self) -> Vec<Box<dyn Stage>> {
        vec![
            Box::new(self.segment.build()),
            Box::new(self.entities.build()),
            Box::new(self.quotes.build()),
            Box::new(crate::stages::link::LinkAttributions),
            Box::new(self.speakers.build()),
            Box::new(self.claims.build()),
        ]
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

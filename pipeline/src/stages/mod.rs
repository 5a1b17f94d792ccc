//! The rule stages, in pipeline order: [`segment`], [`entities`], [`quotes`], [`link`],
//! [`conventions`], [`speakers`], [`claims`]. A file or folder per stage; each stage's config
//! builds it ([`link`] has no settings).

pub mod claims;
pub mod conventions;
pub mod entities;
pub mod link;
pub mod quotes;
pub mod segment;
pub mod speakers;

use crate::stage::Stage;

/// The default stages in order, each built from its default config.
pub fn standard_stages() -> Vec<Box<dyn Stage>> {
    crate::config::PipelineConfig::default().build_stages()
}

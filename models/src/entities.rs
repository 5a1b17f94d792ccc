//! Entity tagger: PERSON / ORG / GPE-or-LOC name spans, the same BIO tagger as
//! [`crate::attribution`] with its own upper layers and head, trained on GUM's named
//! mentions (see [`crate::gum`] for what counts as one).

use crate::attribution::{train_spans, GoldArticle, TrainConfig};
use crate::error::{ModelError, ModelErrorKind};
use crate::train::Progress;
use std::path::Path;

/// Role names in tag order.
pub const ROLES: [&str; 3] = ["person", "org", "place"];

/// Reads a GUM split as gold articles.
///
/// # Errors
/// Unreadable or malformed files.
pub fn read_split(dir: &Path) -> Result<Vec<GoldArticle>, ModelError> {
    Ok(crate::gum::read_gum(dir)
        .map_err(|e| ModelError::new(ModelErrorKind::Missing, e))?
        .into_iter()
        .map(|d| GoldArticle {
            id: d.id,
            text: d.text,
            spans: d.spans,
        })
        .collect())
}

/// Trains the entity tagger on `data_dir` (GUM: `train/`, `dev/`) into `out`.
///
/// # Errors
/// Missing data or base files, or a failed step.
pub fn train(
    base: &Path,
    data_dir: &Path,
    out: &Path,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let train = read_split(&data_dir.join("train"))?;
    let dev = read_split(&data_dir.join("dev"))?;
    train_spans(base, &train, &dev, out, tc, progress)
}

//! Entity tagger: PERSON / ORG / GPE-or-LOC name spans, the same BIO tagger as
//! [`crate::attribution`], trained on GUM's named mentions (see [`crate::gum`] for what
//! counts as one). The shipped head is a linear layer on the attribution tagger's upper
//! layers, trained together with them ([`train_joint`]); [`train`] still trains a separate
//! head with its own upper layers.

use crate::error::{ModelError, ModelErrorKind};
use crate::tagger::config::read_config;
use crate::tagger::train::{
    train_spans, train_stacked_head, train_tasks, GoldArticle, Task, TrainConfig,
};
use crate::train::Progress;
use claimex_pipeline::stages::entities::tidy::tidy;
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
    train_spans(base, &train, &dev, out, tc, [0.0; 7], progress)
}

/// Trains only the entity head's linear layer on GUM (`data_dir`: `train/`, `dev/`) over the
/// frozen layers of the attribution tagger in `under` (see
/// [`crate::tagger::train::train_stacked_head`]): the attribution scores cannot move, and an
/// epoch takes seconds. `tc.init` (e.g. `models/entities`) starts from a shipped head.
///
/// # Errors
/// Missing data, base or model files, or a failed step.
pub fn train_head(
    base: &Path,
    data_dir: &Path,
    under: &Path,
    out: &Path,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let train = read_split(&data_dir.join("train"))?;
    let dev = read_split(&data_dir.join("dev"))?;
    let task = Task {
        name: "entities",
        train: &train,
        dev: &dev,
        roles: ROLES,
        batch: 8,
        repeat: 1,
        out,
        init: tc.init.as_deref(),
        tidy: Some(tidy),
        prior: [0.0; 7],
    };
    train_stacked_head(base, under, &task, tc, progress)
}

/// Passes over GUM's training windows per epoch of joint training by default: GUM has ~460
/// windows against PolNeAR's ~4,400, so eight passes (in batches of 8 against PolNeAR's 16)
/// give it about as many steps as PolNeAR. (The shipped heads' first joint stage ran 3.)
pub const JOINT_REPEAT: usize = 8;

/// Trains the attribution tagger (PolNeAR, `data/polnear`) and the entity head stacked on
/// its upper layers (GUM, `data/gum`) together, into `out/attribution` and
/// `out/entities`: at inference one pass through the upper layers serves both heads.
/// `tc.init`, a folder like `models/`, starts the shared layers from its `attribution/` and
/// the entity head from its `entities/` when that one is a stacked head (else anew).
///
/// # Errors
/// Missing data or base files, or a failed step.
pub fn train_joint(
    base: &Path,
    data: &Path,
    out: &Path,
    tc: &TrainConfig,
    repeat: usize,
    progress: Progress,
) -> Result<String, ModelError> {
    let p_train = crate::attribution::read_polnear(&data.join("polnear").join("train"))?;
    let p_dev = crate::attribution::read_polnear(&data.join("polnear").join("dev"))?;
    let g_train = read_split(&data.join("gum").join("train"))?;
    let g_dev = read_split(&data.join("gum").join("dev"))?;
    let (a_out, e_out) = (out.join("attribution"), out.join("entities"));
    let a_init = tc.init.as_ref().map(|d| d.join("attribution"));
    let e_init = tc
        .init
        .as_ref()
        .map(|d| d.join("entities"))
        .filter(|d| read_config(d).is_ok_and(|c| c.on.is_some()));
    let tasks = [
        Task {
            name: "attribution",
            train: &p_train,
            dev: &p_dev,
            roles: crate::attribution::ROLES,
            batch: tc.batch,
            repeat: 1,
            out: &a_out,
            init: a_init.as_deref(),
            tidy: None,
            prior: crate::attribution::ATTRIBUTION_PRIOR,
        },
        Task {
            name: "entities",
            train: &g_train,
            dev: &g_dev,
            roles: ROLES,
            batch: 8,
            repeat,
            out: &e_out,
            init: e_init.as_deref(),
            tidy: Some(tidy),
            prior: [0.0; 7],
        },
    ];
    train_tasks(base, &tasks, tc, progress)
}

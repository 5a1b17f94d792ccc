//! The attribution tagger's task: SOURCE / CUE / CONTENT spans read from PolNeAR folders and
//! annotators' corrections, its roles and decoding prior, and its trainers. The tagger itself
//! (windows, decoding, inference, the training loops) is [`crate::tagger`].

use crate::error::{ModelError, ModelErrorKind};
use crate::tagger::train::{train_spans, GoldArticle, TrainConfig};
use crate::train::Progress;
use std::path::Path;

/// Log-probability bonus per tag added before decoding the attribution head (never to the
/// probabilities that score a span): `I-CONTENT` gets +0.5 nats, so a content span goes on
/// through a wordpiece where the tagger is only slightly less sure of it (a comma, a
/// quotation mark, the clause after "that") instead of breaking into fragments or stopping
/// early. Chosen on PolNeAR *train* (840 articles, through the whole pipeline) and checked on
/// dev: content exact F1 67.3 → 68.3 on train, 63.2 → 64.0 on dev, source and cue within
/// 0.1; +1.0 gave the same content F1 on train but cost source and cue 0.2 each, a bonus on
/// `B-CONTENT` or on the source/cue tags did nothing or harm (README, "Accuracy").
pub const ATTRIBUTION_PRIOR: [f32; 7] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5];

/// The three roles, in tag order.
pub const ROLES: [&str; 3] = ["source", "cue", "content"];

/// Reads a PolNeAR split (`text/`, `attributions/`), one annotator per article.
///
/// # Errors
/// Unreadable folders.
pub fn read_polnear(dir: &Path) -> Result<Vec<GoldArticle>, ModelError> {
    let gold = claimex_pipeline::eval::attribution::load_gold(dir)
        .map_err(|e| ModelError::caused_by(ModelErrorKind::Missing, &e))?;
    Ok(gold_articles(gold))
}

/// Reads corrected gold: a brat folder or a records file as
/// [`claimex_pipeline::eval::attribution::load_gold_any`] reads them (or a PolNeAR split).
///
/// # Errors
/// Unreadable paths.
pub fn read_corrections(path: &Path) -> Result<Vec<GoldArticle>, ModelError> {
    let gold = claimex_pipeline::eval::attribution::load_gold_any(path)
        .map_err(|e| ModelError::caused_by(ModelErrorKind::Missing, &e))?;
    Ok(gold_articles(gold))
}

/// Training articles of gold attributions: every role fragment a span, whitespace-trimmed.
pub fn gold_articles(
    gold: Vec<(
        String,
        String,
        Vec<claimex_pipeline::eval::brat::GoldAttribution>,
    )>,
) -> Vec<GoldArticle> {
    gold.into_iter()
        .map(|(id, text, atts)| {
            let chars: Vec<char> = text.chars().collect();
            let trim = |(mut s, mut e): (usize, usize)| {
                e = e.min(chars.len());
                while s < e && chars[s].is_whitespace() {
                    s += 1;
                }
                while e > s && chars[e - 1].is_whitespace() {
                    e -= 1;
                }
                (s, e)
            };
            let mut spans = Vec::new();
            for a in &atts {
                for (role, list) in [(0, &a.sources), (1, &a.cues), (2, &a.contents)] {
                    for &f in list.iter() {
                        let (s, e) = trim(f);
                        if s < e {
                            spans.push((role, s, e));
                        }
                    }
                }
            }
            GoldArticle { id, text, spans }
        })
        .collect()
}

/// Trains the tagger on `data_dir` (PolNeAR: `train/`, `dev/`) and writes
/// `model.safetensors` (float16 upper layers and head) and `train.log` into `out`, keeping the
/// epoch with the best mean exact F1 on dev.
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
    let train = read_polnear(&data_dir.join("train"))?;
    let dev = read_polnear(&data_dir.join("dev"))?;
    train_spans(base, &train, &dev, out, tc, ATTRIBUTION_PRIOR, progress)
}

/// Where the articles of a training run came from (`training-data.json` beside the weights,
/// which the model card points to).
#[derive(Clone, Debug, serde::Serialize)]
pub struct DataSource {
    /// The path as given.
    pub path: String,
    /// `polnear` (a folder with `train/` and `dev/`), `brat` or `records` (corrections).
    pub kind: String,
    /// Articles trained on.
    pub train_articles: usize,
    /// Articles epochs were chosen on.
    pub dev_articles: usize,
}

/// Trains the attribution tagger on any mix of PolNeAR folders (`train/`, `dev/`) and
/// corrected gold (brat folders or records files from `claimex import`): corrections join
/// the training articles. Epochs are chosen on the PolNeAR folders' dev splits; with
/// corrections alone, on every fifth corrected article in id order (kept out of training),
/// so a team's own articles choose the epoch that fits them. Writes what
/// [`train_spans`] writes plus `training-data.json` ([`DataSource`] per path).
///
/// # Errors
/// Unreadable data, no training article, or a failed step.
pub fn train_mixed(
    base: &Path,
    data: &[std::path::PathBuf],
    out: &Path,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let (mut train, mut dev, mut sources) = (Vec::new(), Vec::new(), Vec::new());
    let mut held = Vec::new();
    for p in data {
        let source = |kind: &str, t: usize, d: usize| DataSource {
            path: p.display().to_string(),
            kind: kind.into(),
            train_articles: t,
            dev_articles: d,
        };
        if p.join("train").is_dir() {
            let (t, d) = (
                read_polnear(&p.join("train"))?,
                read_polnear(&p.join("dev"))?,
            );
            sources.push(source("polnear", t.len(), d.len()));
            train.extend(t);
            dev.extend(d);
        } else {
            let articles = read_corrections(p)?;
            let kind = if p.is_file() { "records" } else { "brat" };
            sources.push(source(kind, articles.len(), 0));
            held.push(sources.len() - 1);
            train.extend(articles);
        }
    }
    if dev.is_empty() {
        // corrections alone: every fifth article in id order chooses the epoch
        train.sort_by(|a, b| a.id.cmp(&b.id));
        let all = std::mem::take(&mut train);
        for (i, a) in all.into_iter().enumerate() {
            if i % 5 == 4 {
                dev.push(a);
            } else {
                train.push(a);
            }
        }
        if let [only] = held.as_slice() {
            sources[*only].train_articles = train.len();
            sources[*only].dev_articles = dev.len();
        }
    }
    if train.is_empty() || dev.is_empty() {
        return Err(ModelError::new(
            ModelErrorKind::Missing,
            format!(
                "too few articles to train on ({} to train, {} to choose epochs on): give a PolNeAR folder or at least 5 corrected articles",
                train.len(),
                dev.len()
            ),
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| {
        ModelError::new(
            ModelErrorKind::Missing,
            format!("cannot write {}: {e}", out.display()),
        )
    })?;
    let json = serde_json::to_string_pretty(&sources).unwrap_or_default();
    std::fs::write(out.join("training-data.json"), json + "\n").map_err(|e| {
        ModelError::new(
            ModelErrorKind::Missing,
            format!("cannot write {}: {e}", out.display()),
        )
    })?;
    train_spans(base, &train, &dev, out, tc, ATTRIBUTION_PRIOR, progress)
}

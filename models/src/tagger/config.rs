//! A head's `config.json`: its frozen/trained split, the head it is stacked on, its decoding
//! prior. Read and written through serde.

use crate::error::{ModelError, ModelErrorKind};
use std::path::Path;

/// Layers below this index are frozen and shared, for models shipped without a
/// `config.json` (the first tagger); newer ones record their own split there.
pub const SPLIT: usize = 4;

/// The frozen/trained split recorded in `dir/config.json` (`{"split": N}`), or [`SPLIT`].
///
/// # Errors
/// An unreadable or malformed `config.json`.
pub fn read_split(dir: &Path) -> Result<usize, ModelError> {
    Ok(read_config(dir)?.split)
}

/// What a head's `config.json` says. Fields in the order the file writes them.
#[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HeadConfig {
    /// The folder name of the head whose upper layers it reads, for a head trained stacked
    /// on another (`"on"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    /// Log-probability bonus per tag added before decoding (`"prior"`, 7 numbers in nats;
    /// zeros when absent, and not written when zero), e.g.
    /// [`crate::attribution::ATTRIBUTION_PRIOR`].
    #[serde(default, skip_serializing_if = "no_prior")]
    pub prior: [f32; 7],
    /// Layers below this index are frozen ([`SPLIT`] without a file); `0..=6`.
    pub split: usize,
}

fn no_prior(p: &[f32; 7]) -> bool {
    p.iter().all(|&x| x == 0.0)
}

/// Reads `dir/config.json` ([`HeadConfig`]); without the file, split [`SPLIT`] and no prior.
///
/// # Errors
/// An unreadable or malformed `config.json`: not JSON, an unknown key, a `"prior"` of other
/// than 7 finite numbers, no `"split"` in `0..=6`.
pub(crate) fn read_config(dir: &Path) -> Result<HeadConfig, ModelError> {
    let p = dir.join("config.json");
    if !p.is_file() {
        return Ok(HeadConfig {
            split: SPLIT,
            on: None,
            prior: [0.0; 7],
        });
    }
    let bad = |e: String| ModelError::new(ModelErrorKind::Load, format!("{}: {e}", p.display()));
    let c: HeadConfig =
        serde_json::from_str(&std::fs::read_to_string(&p).map_err(|e| bad(e.to_string()))?)
            .map_err(|e| bad(e.to_string()))?;
    if c.prior.iter().any(|n| !n.is_finite()) {
        return Err(bad("\"prior\" must be 7 finite numbers".into()));
    }
    if c.split > 6 {
        return Err(bad("no valid \"split\" (0..=6)".into()));
    }
    Ok(c)
}

/// A head's `config.json` text: its split, the head it is stacked on, and its decoding prior
/// when it has one.
pub(crate) fn config_json(split: usize, on: Option<&str>, prior: &[f32; 7]) -> String {
    let c = HeadConfig {
        on: on.map(str::to_string),
        prior: *prior,
        split,
    };
    let mut out =
        serde_json::to_string_pretty(&c).unwrap_or_else(|_| format!("{{\"split\": {split}}}"));
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::ATTRIBUTION_PRIOR;

    #[test]
    fn a_heads_config_carries_its_prior() {
        let dir = std::env::temp_dir().join(format!("claimex-prior-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = dir.join("config.json");
        // written by training, read back by loading
        std::fs::write(&cfg, config_json(0, None, &ATTRIBUTION_PRIOR)).unwrap();
        let c = read_config(&dir).unwrap();
        assert_eq!(
            (c.split, c.on.as_deref(), c.prior),
            (0, None, ATTRIBUTION_PRIOR)
        );
        // a stacked head without a prior writes none and reads zeros
        std::fs::write(&cfg, config_json(2, Some("attribution"), &[0.0; 7])).unwrap();
        assert!(!std::fs::read_to_string(&cfg).unwrap().contains("prior"));
        let c = read_config(&dir).unwrap();
        assert_eq!(
            (c.split, c.on.as_deref(), c.prior),
            (2, Some("attribution"), [0.0; 7])
        );
        // the shipped attribution head's file
        let shipped = read_config(&Path::new(env!("CARGO_MANIFEST_DIR")).join("attribution"));
        assert_eq!(shipped.unwrap().prior, ATTRIBUTION_PRIOR);
        // a prior of the wrong length is refused, not padded
        std::fs::write(&cfg, r#"{"split": 0, "prior": [0.5]}"#).unwrap();
        assert!(read_config(&dir).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

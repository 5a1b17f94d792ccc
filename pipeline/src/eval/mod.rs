//! Evaluation against gold annotations: attribution spans (PolNeAR layout, brat standoff),
//! check-worthiness (CheckThat! TSV) and pronoun resolution (GAP).
//!
//! All offsets here are Unicode code points, as in the output records and the gold files.

pub mod attribution;
pub mod brat;
pub mod checkworthiness;
pub mod gap;
pub mod grouping;

use serde::Serialize;
use std::path::Path;

/// What kind of failure an [`EvalError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalErrorKind {
    /// A gold or prediction file or folder could not be read; the I/O error is the source.
    Io,
    /// A file was read but is not what it should be (a line that is no record, a column
    /// that is no number, a folder of no known layout).
    Format,
}

/// An error reading gold annotations or predictions: its kind, what it concerns, and the
/// I/O error under it when there is one ([`std::error::Error::source`]).
#[derive(Debug)]
pub struct EvalError {
    kind: EvalErrorKind,
    message: String,
    source: Option<std::io::Error>,
}

impl EvalError {
    /// `path` could not be read; shown as the path, with `source` as its cause.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        EvalError {
            kind: EvalErrorKind::Io,
            message: path.display().to_string(),
            source: Some(source),
        }
    }

    /// Content that is not what it should be, said in `message` (which names the file or
    /// line).
    pub fn format(message: impl Into<String>) -> Self {
        EvalError {
            kind: EvalErrorKind::Format,
            message: message.into(),
            source: None,
        }
    }

    /// Its kind.
    pub fn kind(&self) -> EvalErrorKind {
        self.kind
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source.as_ref().map(|e| e as _)
    }
}

/// Precision, recall and F1 from counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Precision in `[0, 1]`.
    pub precision: f64,
    /// Recall in `[0, 1]`.
    pub recall: f64,
    /// F1 in `[0, 1]`.
    pub f1: f64,
}

impl Prf {
    /// From `correct` predictions among `predicted`, and `found` gold items among `gold`.
    /// Empty denominators give 0 (and F1 0), never NaN.
    pub fn new(correct_pred: f64, predicted: f64, found_gold: f64, gold: f64) -> Self {
        let precision = if predicted > 0.0 {
            correct_pred / predicted
        } else {
            0.0
        };
        let recall = if gold > 0.0 { found_gold / gold } else { 0.0 };
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

#[cfg(test)]
mod error_tests {
    use super::*;
    use std::error::Error;

    #[test]
    fn unreadable_gold_is_io_with_its_cause_and_no_layout_is_format() {
        let missing = Path::new("/nonexistent/claimex-gold");
        let e = attribution::load_gold_any(missing).unwrap_err();
        assert_eq!(e.kind(), EvalErrorKind::Io);
        assert_eq!(e.to_string(), missing.display().to_string());
        let io = e.source().and_then(|s| s.downcast_ref::<std::io::Error>());
        assert_eq!(io.map(|e| e.kind()), Some(std::io::ErrorKind::NotFound));
        let dir = std::env::temp_dir().join(format!("claimex-eval-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let e = attribution::load_gold_any(&dir).unwrap_err();
        assert_eq!(e.kind(), EvalErrorKind::Format);
        assert!(e.source().is_none());
        assert!(e.to_string().contains("neither a PolNeAR folder"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
        let e = grouping::read_hand_pairs("h\na\tx\t5\tb\t2\t9\tsame\n").unwrap_err();
        assert_eq!(e.kind(), EvalErrorKind::Format);
        assert_eq!(e.to_string(), "line 2: column 2 is not a number");
    }
}

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

//! Check-worthiness scoring: F1, precision and recall of the positive class (`Yes`, the
//! CheckThat! official measure) from predicted labels, and average precision of the ranking
//! by score.

use super::Prf;
use serde::Serialize;
use std::collections::HashMap;

/// The report (`claimex eval checkworthiness --json`).
#[derive(Clone, Debug, Serialize)]
pub struct CheckworthinessReport {
    /// Gold sentences.
    pub sentences: usize,
    /// Gold sentences with no prediction (counted as `No`, score 0).
    pub missing: usize,
    /// Positive class `Yes`.
    pub positive: Prf,
    /// Average precision of the ranking by score (positives only).
    pub average_precision: f64,
}

/// Gold `(id, is_yes)` from a CheckThat! TSV with a header.
pub fn read_gold(tsv: &str) -> Vec<(String, bool)> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            match f.as_slice() {
                [id, _, lab] if matches!(lab.trim(), "Yes" | "No") => {
                    Some((id.to_string(), lab.trim() == "Yes"))
                }
                _ => None,
            }
        })
        .collect()
}

/// Average precision of `scores` ranked high to low (ties in input order) against `gold`.
pub fn average_precision(scores: &[f64], gold: &[bool]) -> f64 {
    let mut order: Vec<usize> = (0..scores.len()).collect();
    order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let (mut hits, mut sum) = (0.0, 0.0);
    for (rank, &i) in order.iter().enumerate() {
        if gold[i] {
            hits += 1.0;
            sum += hits / (rank + 1) as f64;
        }
    }
    if hits > 0.0 {
        sum / hits
    } else {
        0.0
    }
}

/// Scores predictions `id → (score, is_yes)` against gold.
pub fn evaluate(
    gold: &[(String, bool)],
    pred: &HashMap<String, (f64, bool)>,
) -> CheckworthinessReport {
    let (mut tp, mut fp, mut fn_, mut missing) = (0.0, 0.0, 0.0, 0);
    let mut scores = Vec::new();
    let mut labels = Vec::new();
    for (id, g) in gold {
        let (s, p) = pred.get(id).copied().unwrap_or_else(|| {
            missing += 1;
            (0.0, false)
        });
        match (p, *g) {
            (true, true) => tp += 1.0,
            (true, false) => fp += 1.0,
            (false, true) => fn_ += 1.0,
            _ => {}
        }
        scores.push(s);
        labels.push(*g);
    }
    CheckworthinessReport {
        sentences: gold.len(),
        missing,
        positive: Prf::new(tp, tp + fp, tp, tp + fn_),
        average_precision: average_precision(&scores, &labels),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_hand() {
        // ranking: a(Yes) 0.9, b(No) 0.8, c(Yes) 0.7, d(No) 0.1 → AP = (1/1 + 2/3) / 2
        let gold = vec![
            ("a".into(), true),
            ("b".into(), false),
            ("c".into(), true),
            ("d".into(), false),
        ];
        let pred: HashMap<String, (f64, bool)> = [
            ("a", (0.9, true)),
            ("b", (0.8, true)),
            ("c", (0.7, false)),
            ("d", (0.1, false)),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let r = evaluate(&gold, &pred);
        assert!((r.average_precision - (1.0 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
        // tp 1, fp 1, fn 1
        assert_eq!(
            r.positive,
            Prf {
                precision: 0.5,
                recall: 0.5,
                f1: 0.5
            }
        );
        let r = evaluate(&gold, &HashMap::new());
        assert_eq!((r.missing, r.positive.f1), (4, 0.0));
    }
}

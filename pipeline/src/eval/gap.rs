//! Pronoun resolution on GAP: for each snippet, the pipeline's entity that holds the pronoun
//! mention decides the answer: A when that entity also has a mention overlapping A's name, B
//! likewise, else neither. Scored as GAP's own scorer does: F1 over the two candidate
//! decisions per row (A-coref, B-coref), plus the 3-way accuracy.

use super::Prf;
use crate::output::Record;
use serde::Serialize;

/// One GAP row.
#[derive(Clone, Debug)]
pub struct GapRow {
    /// Row id.
    pub id: String,
    /// Snippet.
    pub text: String,
    /// Pronoun offset and length, in code points.
    pub pronoun: (usize, usize),
    /// Candidate A span and gold coreference.
    pub a: (usize, usize, bool),
    /// Candidate B span and gold coreference.
    pub b: (usize, usize, bool),
}

/// Reads `gap-*.tsv` (with header). Rows that do not parse are skipped.
pub fn read(tsv: &str) -> Vec<GapRow> {
    tsv.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            if f.len() < 10 {
                return None;
            }
            let n = |s: &str| s.parse::<usize>().ok();
            let len = |s: &str| s.chars().count();
            Some(GapRow {
                id: f[0].into(),
                text: f[1].into(),
                pronoun: (n(f[3])?, len(f[2])),
                a: (n(f[5])?, len(f[4]), f[6].eq_ignore_ascii_case("true")),
                b: (n(f[8])?, len(f[7]), f[9].eq_ignore_ascii_case("true")),
            })
        })
        .collect()
}

/// The report (`claimex eval speakers --json`).
#[derive(Clone, Debug, Serialize)]
pub struct GapReport {
    /// Rows scored.
    pub rows: usize,
    /// F1 over candidate decisions, as GAP's scorer.
    pub f1: Prf,
    /// Share of rows whose A / B / neither answer is right.
    pub accuracy: f64,
    /// Rows where the pronoun was resolved to some entity.
    pub resolved: usize,
}

/// The answer for one row from the pipeline's record: (A?, B?, resolved?).
pub fn answer(row: &GapRow, r: &Record) -> (bool, bool, bool) {
    let ents = r.entities.as_deref().unwrap_or(&[]);
    let (ps, pl) = row.pronoun;
    let holder = ents
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.start <= ps && ps + pl <= m.end));
    let Some(e) = holder else {
        return (false, false, false);
    };
    let hits =
        |(s, l, _): (usize, usize, bool)| e.mentions.iter().any(|m| m.start < s + l && s < m.end);
    let a = hits(row.a);
    let b = !a && hits(row.b);
    (a, b, true)
}

/// Scores answers `(A?, B?, resolved?)` against the rows.
pub fn evaluate(rows: &[GapRow], answers: &[(bool, bool, bool)]) -> GapReport {
    let (mut tp, mut fp, mut fn_, mut right, mut resolved) = (0.0, 0.0, 0.0, 0usize, 0usize);
    for (row, &(a, b, res)) in rows.iter().zip(answers) {
        for (p, g) in [(a, row.a.2), (b, row.b.2)] {
            match (p, g) {
                (true, true) => tp += 1.0,
                (true, false) => fp += 1.0,
                (false, true) => fn_ += 1.0,
                _ => {}
            }
        }
        right += usize::from(a == row.a.2 && b == row.b.2);
        resolved += usize::from(res);
    }
    GapReport {
        rows: rows.len(),
        f1: Prf::new(tp, tp + fp, tp, tp + fn_),
        accuracy: if rows.is_empty() {
            0.0
        } else {
            right as f64 / rows.len() as f64
        },
        resolved,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gap_scoring_by_hand() {
        let row = |a, b| GapRow {
            id: "x".into(),
            text: String::new(),
            pronoun: (0, 2),
            a: (0, 1, a),
            b: (0, 1, b),
        };
        let rows = vec![row(true, false), row(false, true), row(false, false)];
        // answers: A (right), A (wrong: fp A, fn B), neither (right)
        let r = evaluate(
            &rows,
            &[
                (true, false, true),
                (true, false, true),
                (false, false, false),
            ],
        );
        assert_eq!(r.f1, Prf::new(1.0, 2.0, 1.0, 2.0));
        assert!((r.accuracy - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(r.resolved, 2);
    }
}

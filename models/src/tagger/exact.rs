//! Exact span F1 per role, the figure a tagger is chosen by on dev.

use claimex_pipeline::eval::Prf;

/// Exact span scores over articles: per role, and over all roles together with its counts.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExactScores {
    /// P/R/F1 of each role, in role order.
    pub roles: [Prf; 3],
    /// P/R/F1 of all roles together (micro average).
    pub all: Prf,
    /// Spans matched exactly (role, start and end), all roles.
    pub correct: usize,
    /// Spans predicted, all roles.
    pub predicted: usize,
    /// Gold spans, all roles.
    pub gold: usize,
}

/// Exact span match of `(role, start, end)` spans, article by article.
pub fn exact_f1(
    gold: &[Vec<(usize, usize, usize)>],
    pred: &[Vec<(usize, usize, usize)>],
) -> ExactScores {
    // (correct, predicted, gold) per role
    let mut n = [(0usize, 0usize, 0usize); 3];
    for (ga, pa) in gold.iter().zip(pred) {
        let gs: std::collections::BTreeSet<&(usize, usize, usize)> = ga.iter().collect();
        let ps: std::collections::BTreeSet<&(usize, usize, usize)> = pa.iter().collect();
        for x in &ps {
            n[x.0].1 += 1;
            n[x.0].0 += usize::from(gs.contains(x));
        }
        for x in &gs {
            n[x.0].2 += 1;
        }
    }
    let prf = |(c, p, g): (usize, usize, usize)| Prf::new(c as f64, p as f64, c as f64, g as f64);
    let sum = n
        .iter()
        .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2));
    ExactScores {
        roles: n.map(prf),
        all: prf(sum),
        correct: sum.0,
        predicted: sum.1,
        gold: sum.2,
    }
}

/// Precision, recall and F1 of each of the three roles.
pub(crate) type RolePrf = [(f64, f64, f64); 3];

/// The mean of the three roles' F1, what epochs are chosen by.
pub(crate) fn mean_f1(f: &RolePrf) -> f64 {
    (f[0].2 + f[1].2 + f[2].2) / 3.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_scores_by_hand() {
        // role 0: 1 of 2 predictions right, 1 of 1 gold found; role 1: a wrong end; role 2
        // never predicted nor gold
        let gold = vec![vec![(0, 0, 5), (1, 6, 10)]];
        let pred = vec![vec![(0, 0, 5), (0, 20, 25), (1, 6, 11)]];
        let r = exact_f1(&gold, &pred);
        assert_eq!((r.correct, r.predicted, r.gold), (1, 3, 2));
        assert_eq!(r.roles[0].precision, 0.5);
        assert_eq!(r.roles[0].recall, 1.0);
        assert_eq!(r.roles[1].f1, 0.0);
        assert_eq!(r.roles[2].f1, 0.0);
        assert!((r.all.f1 - 2.0 * (1.0 / 3.0) * 0.5 / (1.0 / 3.0 + 0.5)).abs() < 1e-12);
    }
}

//! Grouping the same claim across articles: choosing the similarity threshold and checking it.
//!
//! The pairs judged are the ones grouping actually decides on: pairs of claims of different
//! articles that the hashing puts side by side ([`blocked_pairs`]).
//!
//! - **Automatic labels** (for choosing the threshold on a training batch): a pair is the
//!   same claim when the two written texts are equal or share a run of [`SHINGLE`] words
//!   (one outlet's quotation of the words another also quotes), and a different claim when
//!   they share no such run and at most [`NEG_JACCARD`] of their longer words. Pairs in
//!   between (rewordings, near paraphrases) are left out: the hand labels judge those.
//! - **Hand labels** (for checking it): a TSV of pairs a person judged, by article id and
//!   claim span, with `same` or `different`; the records must hold both claims.

use crate::desk::group::{blocked_pairs, cosine, normalise, Item};
use crate::eval::Prf;
use crate::output::{embedding_from_base64, Record};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// Words in a run that makes two claims the same quotation.
pub const SHINGLE: usize = 8;
/// At most this share of longer words in common makes a pair different.
pub const NEG_JACCARD: f64 = 0.2;

/// A claim with what grouping and labelling need.
pub struct Claim {
    /// Grouping's view (standalone text, embedding).
    pub item: Item,
    /// The claim as written.
    pub text: String,
}

/// Every claim of the records that has an embedding.
pub fn claims_of(records: &[Record]) -> Vec<Claim> {
    let mut out = Vec::new();
    for r in records {
        for c in r.claims.iter().flatten() {
            let Some(e) = c.embedding.as_deref().and_then(embedding_from_base64) else {
                continue;
            };
            out.push(Claim {
                item: Item {
                    article: r.id.clone(),
                    start: c.span.start,
                    end: c.span.end,
                    text: c.standalone.clone(),
                    embedding: Some(e),
                },
                text: c.text.clone(),
            });
        }
    }
    out
}

fn shingles(s: &str) -> HashSet<String> {
    let n = normalise(s);
    let w: Vec<&str> = n.split(' ').collect();
    if w.len() < SHINGLE {
        return HashSet::from([n]);
    }
    w.windows(SHINGLE).map(|x| x.join(" ")).collect()
}

fn long_words(s: &str) -> HashSet<String> {
    normalise(s)
        .split(' ')
        .filter(|w| w.chars().count() >= 4)
        .map(str::to_string)
        .collect()
}

/// The automatic label of a pair: `Some(true)` same, `Some(false)` different, `None` left
/// out (see the module documentation).
pub fn auto_label(a: &str, b: &str) -> Option<bool> {
    if normalise(a) == normalise(b) || !shingles(a).is_disjoint(&shingles(b)) {
        return Some(true);
    }
    let (x, y) = (long_words(a), long_words(b));
    let union = x.union(&y).count();
    let j = if union == 0 {
        0.0
    } else {
        x.intersection(&y).count() as f64 / union as f64
    };
    (j <= NEG_JACCARD).then_some(false)
}

/// Precision, recall and F1 of `cosine >= threshold` on one threshold.
#[derive(Clone, Debug, Serialize)]
pub struct Point {
    /// The threshold.
    pub threshold: f32,
    /// The figures.
    pub prf: Prf,
}

/// What `claimex eval grouping` reports.
#[derive(Clone, Debug, Serialize)]
pub struct Report {
    /// Claims with embeddings.
    pub claims: usize,
    /// Blocked pairs of different articles.
    pub pairs: usize,
    /// Automatically labelled same / different pairs (the rest left out).
    pub same: usize,
    /// See `same`.
    pub different: usize,
    /// The sweep over thresholds 0.50..=0.99.
    pub sweep: Vec<Point>,
    /// The threshold of the sweep with the best F1 (ties: the higher threshold).
    pub best: Point,
}

/// Precision/recall of `sim >= t` over labelled `(sim, same)` pairs.
pub fn prf_at(pairs: &[(f32, bool)], t: f32) -> Prf {
    let predicted = pairs.iter().filter(|(s, _)| *s >= t).count() as f64;
    let correct = pairs.iter().filter(|(s, g)| *s >= t && *g).count() as f64;
    let gold = pairs.iter().filter(|(_, g)| *g).count() as f64;
    Prf::new(correct, predicted, correct, gold)
}

/// The automatic-label sweep over `records` (see the module documentation).
pub fn sweep(records: &[Record]) -> Report {
    let claims = claims_of(records);
    let items: Vec<Item> = claims.iter().map(|c| c.item.clone()).collect();
    let pairs = blocked_pairs(&items);
    let mut labelled = Vec::new();
    for &(a, b) in &pairs {
        if let Some(l) = auto_label(&claims[a].text, &claims[b].text) {
            let s = cosine(
                items[a].embedding.as_ref().unwrap(),
                items[b].embedding.as_ref().unwrap(),
            );
            labelled.push((s, l));
        }
    }
    let sweep: Vec<Point> = (50..100)
        .map(|k| {
            let t = k as f32 / 100.0;
            Point {
                threshold: t,
                prf: prf_at(&labelled, t),
            }
        })
        .collect();
    let best = sweep
        .iter()
        .fold(None::<&Point>, |b, p| match b {
            Some(b) if b.prf.f1 > p.prf.f1 => Some(b),
            _ => Some(p),
        })
        .cloned()
        .unwrap_or(Point {
            threshold: 0.8,
            prf: Prf::default(),
        });
    Report {
        claims: claims.len(),
        pairs: pairs.len(),
        same: labelled.iter().filter(|(_, l)| *l).count(),
        different: labelled.iter().filter(|(_, l)| !*l).count(),
        sweep,
        best,
    }
}

/// One hand-labelled pair: both claims by (article id, start, end) in code points.
#[derive(Clone, Debug, PartialEq)]
pub struct HandPair {
    /// First claim.
    pub a: (String, usize, usize),
    /// Second claim.
    pub b: (String, usize, usize),
    /// True when a person judged them the same claim.
    pub same: bool,
}

/// Reads hand labels: TSV with a header, columns `article_a start_a end_a article_b start_b
/// end_b label` (`same`|`different`); more columns after those are ignored.
///
/// # Errors
/// A line that does not have them, naming it.
pub fn read_hand_pairs(text: &str) -> Result<Vec<HandPair>, super::EvalError> {
    let mut out = Vec::new();
    for (i, l) in text.lines().enumerate().skip(1) {
        if l.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let num = |k: usize| -> Result<usize, String> {
            f.get(k)
                .and_then(|x| x.parse().ok())
                .ok_or_else(|| format!("line {}: column {} is not a number", i + 1, k + 1))
        };
        let same = match f.get(6).map(|x| x.trim()) {
            Some("same") => true,
            Some("different") => false,
            _ => {
                return Err(super::EvalError::format(format!(
                    "line {}: label must be same or different",
                    i + 1
                )))
            }
        };
        let num = |k| num(k).map_err(super::EvalError::format);
        out.push(HandPair {
            a: (f[0].to_string(), num(1)?, num(2)?),
            b: (f[3].to_string(), num(4)?, num(5)?),
            same,
        });
    }
    Ok(out)
}

/// Figures on hand labels at `threshold`.
#[derive(Clone, Debug, Serialize)]
pub struct HandReport {
    /// Pairs read.
    pub pairs: usize,
    /// Of them, judged the same.
    pub same: usize,
    /// Pairs whose claims the records do not hold (left out).
    pub missing: usize,
    /// The threshold.
    pub threshold: f32,
    /// Precision and recall of grouping's decision (`cosine >= threshold`, or equal
    /// normalised text) against the hand labels.
    pub prf: Prf,
    /// Precision and recall of equal normalised text alone (the grouping without a model).
    pub exact_text: Prf,
}

/// Scores hand labels against the records' embeddings.
pub fn hand(records: &[Record], pairs: &[HandPair], threshold: f32) -> HandReport {
    let claims = claims_of(records);
    let index: HashMap<(String, usize, usize), usize> = claims
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.item.article.clone(), c.item.start, c.item.end), i))
        .collect();
    let mut sims = Vec::new();
    let mut exact = Vec::new();
    let mut missing = 0;
    for p in pairs {
        match (index.get(&p.a), index.get(&p.b)) {
            (Some(&a), Some(&b)) => {
                let (x, y) = (&claims[a].item, &claims[b].item);
                let equal = normalise(&x.text) == normalise(&y.text);
                let sim = cosine(x.embedding.as_ref().unwrap(), y.embedding.as_ref().unwrap());
                sims.push((if equal { 1.0 } else { sim }, p.same));
                exact.push((
                    if normalise(&x.text) == normalise(&y.text) {
                        1.0
                    } else {
                        0.0
                    },
                    p.same,
                ));
            }
            _ => missing += 1,
        }
    }
    HandReport {
        pairs: pairs.len(),
        same: pairs.iter().filter(|p| p.same).count(),
        missing,
        threshold,
        prf: prf_at(&sims, threshold),
        exact_text: prf_at(&exact, 0.5),
    }
}

/// A sample of blocked pairs for a person to label: up to `per_bin` pairs in each cosine
/// band of 0.05 from 0.50 to 1.00, picked evenly through the stable order. Rows are the
/// hand-label TSV's columns, with `label` empty, then the cosine and both texts.
pub fn sample(records: &[Record], per_bin: usize) -> String {
    let claims = claims_of(records);
    let items: Vec<Item> = claims.iter().map(|c| c.item.clone()).collect();
    let pairs = blocked_pairs(&items);
    let mut bins: Vec<Vec<(usize, usize, f32)>> = vec![Vec::new(); 10];
    for &(a, b) in &pairs {
        let s = cosine(
            items[a].embedding.as_ref().unwrap(),
            items[b].embedding.as_ref().unwrap(),
        );
        if s >= 0.5 {
            let k = (((s - 0.5) / 0.05) as usize).min(9);
            bins[k].push((a, b, s));
        }
    }
    let mut out = String::from(
        "article_a\tstart_a\tend_a\tarticle_b\tstart_b\tend_b\tlabel\tcosine\ttext_a\ttext_b\n",
    );
    for bin in bins {
        let step = (bin.len() / per_bin.max(1)).max(1);
        for &(a, b, s) in bin.iter().step_by(step).take(per_bin) {
            let (x, y) = (&claims[a], &claims[b]);
            out.push_str(&format!(
                "{}\t{}\t{}\t{}\t{}\t{}\t\t{s:.3}\t{}\t{}\n",
                x.item.article,
                x.item.start,
                x.item.end,
                y.item.article,
                y.item.start,
                y.item.end,
                x.text.replace(['\t', '\n'], " "),
                y.text.replace(['\t', '\n'], " ")
            ));
        }
    }
    out
}

/// `n` claims for timing [`crate::desk::group::group`] at scale, made from the records' own
/// claims: copy `k` of claim `i` sits in its own article (`s<k>/<article id>`), its text is
/// made unique (so only embeddings can link it), and its embedding moves by a deterministic
/// ±2 (of 127) per component, so copies are near duplicates as the same claim in several
/// outlets is. `None` when the records hold no claim with an embedding.
pub fn synthetic(records: &[Record], n: usize) -> Option<Vec<Item>> {
    let claims = claims_of(records);
    if claims.is_empty() {
        return None;
    }
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut noise = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 59) as i32 % 5 - 2
    };
    Some(
        (0..n)
            .map(|j| {
                let c = &claims[j % claims.len()].item;
                let k = j / claims.len();
                let e = c.embedding.as_ref().map(|e| {
                    e.iter()
                        .map(|&x| (i32::from(x) + noise()).clamp(-127, 127) as i8)
                        .collect()
                });
                Item {
                    article: format!("s{k}/{}", c.article),
                    start: c.start,
                    end: c.end,
                    text: format!("{} #{k}", c.text),
                    embedding: e,
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_labels_table() {
        let table = [
            (
                "We are going to build a wall and Mexico will pay for it",
                "we are going to build a wall and Mexico will pay for it, believe me",
                Some(true),
            ),
            (
                "The economy grew 2 percent",
                "the economy grew 2 percent.",
                Some(true),
            ),
            (
                "Taxes rose sharply in Ohio last year",
                "The senator opposed the pipeline project",
                Some(false),
            ),
            (
                "Clinton said the plan would cost jobs",
                "the plan would cost thousands of jobs, Clinton said",
                None,
            ),
        ];
        for (a, b, want) in table {
            assert_eq!(auto_label(a, b), want, "{a} / {b}");
        }
    }

    #[test]
    fn hand_pairs_read_and_refuse_bad_lines() {
        let t = "article_a\tstart_a\tend_a\tarticle_b\tstart_b\tend_b\tlabel\n a\t1\t5\tb\t2\t9\tsame\n";
        let p = read_hand_pairs(t).unwrap();
        assert_eq!(p[0].b, ("b".into(), 2, 9));
        assert!(p[0].same);
        assert!(read_hand_pairs("h\na\tx\t5\tb\t2\t9\tsame\n").is_err());
        assert!(read_hand_pairs("h\na\t1\t5\tb\t2\t9\tmaybe\n").is_err());
    }
}

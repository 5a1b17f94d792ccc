//! BIO tags: the seven tags of three roles, gold tags from spans, the constrained Viterbi
//! decode (an `I-X` only after `B-X` or `I-X`, never inside a word), spans from tags.

use super::windows::Tokenized;
use claimex_pipeline::tagged::RawSpan;

/// Tags: O, then B/I for source, cue, content.
pub const TAGS: [&str; 7] = [
    "O",
    "B-SOURCE",
    "I-SOURCE",
    "B-CUE",
    "I-CUE",
    "B-CONTENT",
    "I-CONTENT",
];

/// BIO tags of each wordpiece from role spans `(role, start, end)` in code points.
pub fn gold_tags(tok: &Tokenized, spans: &[(usize, usize, usize)]) -> Vec<i64> {
    let mut tags = vec![0i64; tok.ids.len()];
    for &(role, s, e) in spans {
        let mut first = true;
        for (i, &(ts, te)) in tok.offsets.iter().enumerate() {
            if ts >= s && te <= e && te > ts {
                tags[i] = if first {
                    1 + 2 * role as i64
                } else {
                    2 + 2 * role as i64
                };
                first = false;
            }
        }
    }
    tags
}

/// Valid transition: `I-X` only after `B-X` or `I-X`.
fn allowed(prev: usize, next: usize) -> bool {
    if next == 0 || next % 2 == 1 {
        return true;
    }
    prev == next || prev == next - 1
}

/// The tag a word's continuation wordpiece takes after `prev`: `O` stays `O`, `B-X` and
/// `I-X` go on as `I-X`.
fn continued(prev: usize) -> usize {
    if prev.is_multiple_of(2) {
        prev
    } else {
        prev + 1
    }
}

/// Constrained Viterbi over per-token log-probabilities `[n][7]`: only valid BIO sequences,
/// and spans begin and end on word boundaries (a wordpiece with `word_starts[i] == false`
/// continues its predecessor's tag; "These|us" is never cut into a name "These"). The word
/// constraint is decoding only: training scores every wordpiece as before.
// tag ids index several tables at once (scores, best, back): plain index loops read best
#[allow(clippy::needless_range_loop)]
pub fn viterbi(scores: &[[f32; 7]], word_starts: &[bool]) -> Vec<usize> {
    let n = scores.len();
    if n == 0 {
        return vec![];
    }
    let mut best = vec![[f32::NEG_INFINITY; 7]; n];
    let mut back = vec![[0usize; 7]; n];
    for t in 0..7 {
        if allowed(0, t) {
            best[0][t] = scores[0][t];
        }
    }
    for i in 1..n {
        let inside_word = !word_starts.get(i).copied().unwrap_or(true);
        for t in 0..7 {
            let (mut bv, mut bp) = (f32::NEG_INFINITY, 0);
            for p in 0..7 {
                let ok = if inside_word {
                    continued(p) == t
                } else {
                    allowed(p, t)
                };
                if ok && best[i - 1][p] > bv {
                    bv = best[i - 1][p];
                    bp = p;
                }
            }
            best[i][t] = bv + scores[i][t];
            back[i][t] = bp;
        }
    }
    let mut t = (0..7)
        .max_by(|&a, &b| best[n - 1][a].total_cmp(&best[n - 1][b]))
        .unwrap();
    let mut out = vec![0; n];
    for i in (0..n).rev() {
        out[i] = t;
        t = back[i][t];
    }
    out
}

/// [`viterbi`] over `scores` plus `prior` (per tag, in nats; `HeadConfig::prior` in `config.json`).
pub fn decode(scores: &[[f32; 7]], word_starts: &[bool], prior: &[f32; 7]) -> Vec<usize> {
    if prior.iter().all(|&x| x == 0.0) {
        return viterbi(scores, word_starts);
    }
    let biased: Vec<[f32; 7]> = scores
        .iter()
        .map(|r| std::array::from_fn(|k| r[k] + prior[k]))
        .collect();
    viterbi(&biased, word_starts)
}

/// Role spans from decoded tags, each scored by the mean probability of its tags.
pub fn spans_with_scores(tok: &Tokenized, tags: &[usize], probs: &[f32]) -> Vec<RawSpan> {
    let mut first = 0;
    spans_from_tags(tok, tags)
        .into_iter()
        .map(|(role, start, end)| {
            // the span's tokens run from the first one starting at `start` to `end`
            while first < tok.offsets.len() && tok.offsets[first].0 < start {
                first += 1;
            }
            let inside: Vec<f32> = (first..tok.offsets.len())
                .take_while(|&i| tok.offsets[i].1 <= end)
                .map(|i| probs[i])
                .collect();
            let score = if inside.is_empty() {
                0.0
            } else {
                inside.iter().sum::<f32>() / inside.len() as f32
            };
            RawSpan::new(role, start, end, score)
        })
        .collect()
}

/// Role spans `(role, start, end)` in code points from decoded tags.
pub fn spans_from_tags(tok: &Tokenized, tags: &[usize]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut cur: Option<(usize, usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let (s, e) = tok.offsets[i];
        match t {
            0 => out.extend(cur.take()),
            t if t % 2 == 1 => {
                out.extend(cur.take());
                cur = Some(((t - 1) / 2, s, e));
            }
            _ => {
                if let Some(c) = cur.as_mut() {
                    c.2 = e;
                }
            }
        }
    }
    out.extend(cur);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribution::ATTRIBUTION_PRIOR;
    use crate::tagger::windows::windows;

    #[test]
    fn viterbi_never_starts_a_span_with_i() {
        // I-CUE scores best everywhere, but must follow B-CUE
        let mut s = vec![[-5.0f32; 7]; 3];
        for row in &mut s {
            row[4] = -0.1;
            row[3] = -1.0;
        }
        let tags = viterbi(&s, &[true; 3]);
        assert_eq!(tags, vec![3, 4, 4]);
    }

    #[test]
    fn viterbi_keeps_words_whole() {
        // "These|us": B-SOURCE scores best on the first piece and O on the second; the
        // continuation must carry the span on (or the span must not start)
        let mut s = vec![[-3.0f32; 7]; 3];
        s[0][1] = -0.1;
        s[1][0] = -0.2;
        s[1][2] = -1.0;
        s[2][0] = -0.1;
        assert_eq!(viterbi(&s, &[true, false, true]), vec![1, 2, 0]);
        assert_eq!(viterbi(&s, &[true, true, true]), vec![1, 0, 0]);
        // a continuation never opens a span, even when B scores best there
        let mut s = vec![[-3.0f32; 7]; 2];
        s[0][0] = -0.1;
        s[1][5] = -0.1;
        assert_eq!(viterbi(&s, &[true, false]), vec![0, 0]);
    }

    #[test]
    fn the_attribution_prior_bridges_a_slight_dip_in_a_content_span() {
        // "that | taxes | , | will | rise": content, but on the comma O leads I-CONTENT by
        // 0.3 nats and after it a new content could begin (B-CONTENT close to I-CONTENT)
        let mut s = vec![[-6.0f32; 7]; 5];
        s[0][5] = -0.1;
        s[1][6] = -0.1;
        (s[2][0], s[2][6]) = (-0.55, -0.85);
        (s[3][5], s[3][6]) = (-0.7, -0.8);
        s[4][6] = -0.1;
        let ws = [true; 5];
        // without the prior: two fragments around the comma
        assert_eq!(decode(&s, &ws, &[0.0; 7]), vec![5, 6, 0, 5, 6]);
        assert_eq!(decode(&s, &ws, &[0.0; 7]), viterbi(&s, &ws));
        // with it: one span
        assert_eq!(decode(&s, &ws, &ATTRIBUTION_PRIOR), vec![5, 6, 6, 6, 6]);
        // a real break (O ahead by 2.4 nats) stays a break
        (s[2][0], s[2][6]) = (-0.1, -2.5);
        assert_eq!(decode(&s, &ws, &ATTRIBUTION_PRIOR), vec![5, 6, 0, 5, 6]);
    }

    #[test]
    fn tags_round_trip_to_spans() {
        let tok = Tokenized {
            ids: vec![1, 2, 3, 4, 5],
            offsets: vec![(0, 5), (6, 10), (11, 14), (15, 20), (21, 24)],
            word_starts: vec![true; 5],
        };
        let gold = vec![(0, 0, 5), (1, 6, 10), (2, 11, 24)];
        let tags = gold_tags(&tok, &gold);
        assert_eq!(tags, vec![1, 3, 5, 6, 6]);
        let t: Vec<usize> = tags.iter().map(|&x| x as usize).collect();
        assert_eq!(spans_from_tags(&tok, &t), gold);
        assert_eq!(windows(10, 64), vec![0]);
        assert_eq!(windows(300, 64), vec![0, 190]);
        assert_eq!(windows(500, 32), vec![0, 222, 444]);
    }
}

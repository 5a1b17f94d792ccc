//! Attribution scoring: per role (source, cue, content) exact span match and character
//! overlap, and per attribution (content IoU ≥ 0.5 and overlapping sources).
//!
//! - **exact**: a predicted span counts when its start and end equal a gold span of the same
//!   role after both are trimmed of surrounding whitespace; each fragment of a discontinuous
//!   gold span is a span of its own.
//! - **overlap**: over characters: the non-space characters of a role's predicted spans that
//!   lie inside gold spans of that role (precision), and the converse (recall).
//! - **attribution**: a gold attribution is found when one predicted quote's contents cover
//!   its content with an intersection over union of characters ≥ 0.5 and that quote's
//!   sources overlap its sources (or both have none); a predicted quote is correct when it
//!   finds some gold attribution.

use super::brat::{self, GoldAttribution};
use super::{EvalError, Prf};
use crate::output::Record;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// The three roles, in report order.
pub const ROLES: [&str; 3] = ["source", "cue", "content"];

/// Counts behind one role's scores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct RoleCounts {
    /// Predicted spans equal to a gold span.
    pub exact_correct: usize,
    /// Predicted spans.
    pub predicted: usize,
    /// Gold spans.
    pub gold: usize,
    /// Predicted non-space characters inside gold spans.
    pub overlap_chars: usize,
    /// Predicted non-space characters.
    pub pred_chars: usize,
    /// Gold non-space characters.
    pub gold_chars: usize,
}

impl RoleCounts {
    fn add(&mut self, o: &RoleCounts) {
        self.exact_correct += o.exact_correct;
        self.predicted += o.predicted;
        self.gold += o.gold;
        self.overlap_chars += o.overlap_chars;
        self.pred_chars += o.pred_chars;
        self.gold_chars += o.gold_chars;
    }
    /// Exact span P/R/F1.
    pub fn exact(&self) -> Prf {
        let c = self.exact_correct as f64;
        Prf::new(c, self.predicted as f64, c, self.gold as f64)
    }
    /// Character overlap P/R/F1.
    pub fn overlap(&self) -> Prf {
        let c = self.overlap_chars as f64;
        Prf::new(c, self.pred_chars as f64, c, self.gold_chars as f64)
    }
}

/// Counts of one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ArticleCounts {
    /// Per role.
    pub roles: [RoleCounts; 3],
    /// Gold attributions.
    pub gold: usize,
    /// Gold attributions found.
    pub found: usize,
    /// Predicted quotes.
    pub predicted: usize,
    /// Predicted quotes that find a gold attribution.
    pub correct: usize,
    /// Predicted quotes and correct ones, by quote type.
    pub by_type: BTreeMap<String, (usize, usize)>,
    /// Gold attributions and found ones, by whether the content holds a quotation mark.
    pub by_gold_kind: BTreeMap<String, (usize, usize)>,
}

/// One role's figures in a report.
#[derive(Clone, Debug, Serialize)]
pub struct RoleReport {
    /// The role.
    pub role: String,
    /// Exact span match.
    pub exact: Prf,
    /// Character overlap.
    pub overlap: Prf,
    /// Raw counts.
    pub counts: RoleCounts,
}

/// The whole report (`claimex eval attribution --json`).
#[derive(Clone, Debug, Serialize)]
pub struct AttributionReport {
    /// Articles scored.
    pub articles: usize,
    /// Gold articles with no predicted record (scored as predicting nothing).
    pub missing_predictions: Vec<String>,
    /// Per role.
    pub roles: Vec<RoleReport>,
    /// Per attribution.
    pub attribution: Prf,
    /// Gold attributions, found, predicted quotes, correct.
    pub attribution_counts: (usize, usize, usize, usize),
    /// Precision per predicted quote type: type → (predicted, correct, precision).
    pub by_type: BTreeMap<String, (usize, usize, f64)>,
    /// Recall per gold kind (`quoted` content holds a quotation mark, else `unquoted`):
    /// kind → (gold, found, recall).
    pub by_gold_kind: BTreeMap<String, (usize, usize, f64)>,
    /// The 10 articles with the lowest attribution F1: (id, gold, predicted, F1).
    pub worst: Vec<(String, usize, usize, f64)>,
}

type Span = (usize, usize);

/// Trims whitespace off a code point span of `chars`.
fn trim(chars: &[char], (mut s, mut e): Span) -> Span {
    let e0 = e.min(chars.len());
    e = e0;
    s = s.min(e);
    while s < e && chars[s].is_whitespace() {
        s += 1;
    }
    while e > s && chars[e - 1].is_whitespace() {
        e -= 1;
    }
    (s, e)
}

fn char_set(chars: &[char], spans: &[Span]) -> BTreeSet<usize> {
    spans
        .iter()
        .flat_map(|&(s, e)| {
            (s.min(chars.len())..e.min(chars.len())).filter(|&i| !chars[i].is_whitespace())
        })
        .collect()
}

/// Predicted spans of a record by role, and its quotes as (type, sources, contents).
struct Pred {
    roles: [Vec<Span>; 3],
    quotes: Vec<(String, Vec<Span>, Vec<Span>)>,
}

fn pred_of(r: Option<&Record>) -> Pred {
    let mut p = Pred {
        roles: [vec![], vec![], vec![]],
        quotes: vec![],
    };
    for q in r.and_then(|r| r.quotes.as_ref()).into_iter().flatten() {
        let srcs: Vec<Span> = q.sources.iter().map(|s| (s.start, s.end)).collect();
        let cons: Vec<Span> = q.contents.iter().map(|s| (s.start, s.end)).collect();
        p.roles[0].extend(&srcs);
        p.roles[1].extend(q.cue.iter().map(|c| (c.start, c.end)));
        p.roles[2].extend(&cons);
        p.quotes.push((q.kind.to_string(), srcs, cons));
    }
    p
}

/// One annotator's attributions read as a prediction (quote type `annotator`), for
/// [`agreement`].
fn pred_of_gold(gold: &[GoldAttribution]) -> Pred {
    let mut p = Pred {
        roles: [vec![], vec![], vec![]],
        quotes: vec![],
    };
    for g in gold {
        p.roles[0].extend(&g.sources);
        p.roles[1].extend(&g.cues);
        p.roles[2].extend(&g.contents);
        p.quotes
            .push(("annotator".into(), g.sources.clone(), g.contents.clone()));
    }
    p
}

/// Scores one article's predicted record against its gold annotation.
pub fn score_article(text: &str, gold: &[GoldAttribution], pred: Option<&Record>) -> ArticleCounts {
    score_pred(text, gold, &pred_of(pred))
}

fn score_pred(text: &str, gold: &[GoldAttribution], p: &Pred) -> ArticleCounts {
    let chars: Vec<char> = text.chars().collect();
    let mut c = ArticleCounts::default();
    let gold_roles: [Vec<Span>; 3] = [
        gold.iter()
            .flat_map(|g| g.sources.iter().copied())
            .collect(),
        gold.iter().flat_map(|g| g.cues.iter().copied()).collect(),
        gold.iter()
            .flat_map(|g| g.contents.iter().copied())
            .collect(),
    ];
    for (r, gold_role) in gold_roles.iter().enumerate() {
        let g: BTreeSet<Span> = gold_role
            .iter()
            .map(|&s| trim(&chars, s))
            .filter(|s| s.0 < s.1)
            .collect();
        let pr: BTreeSet<Span> = p.roles[r]
            .iter()
            .map(|&s| trim(&chars, s))
            .filter(|s| s.0 < s.1)
            .collect();
        let gc = char_set(&chars, &g.iter().copied().collect::<Vec<_>>());
        let pc = char_set(&chars, &pr.iter().copied().collect::<Vec<_>>());
        c.roles[r] = RoleCounts {
            exact_correct: pr.intersection(&g).count(),
            predicted: pr.len(),
            gold: g.len(),
            overlap_chars: pc.intersection(&gc).count(),
            pred_chars: pc.len(),
            gold_chars: gc.len(),
        };
    }
    let gsets: Vec<(BTreeSet<usize>, BTreeSet<usize>)> = gold
        .iter()
        .map(|g| (char_set(&chars, &g.contents), char_set(&chars, &g.sources)))
        .collect();
    let psets: Vec<(BTreeSet<usize>, BTreeSet<usize>)> = p
        .quotes
        .iter()
        .map(|(_, s, cn)| (char_set(&chars, cn), char_set(&chars, s)))
        .collect();
    let matches = |g: &(BTreeSet<usize>, BTreeSet<usize>),
                   q: &(BTreeSet<usize>, BTreeSet<usize>)| {
        let inter = g.0.intersection(&q.0).count();
        let union = g.0.union(&q.0).count();
        let iou_ok = union > 0 && inter * 2 >= union;
        let src_ok = (g.1.is_empty() && q.1.is_empty()) || g.1.intersection(&q.1).next().is_some();
        iou_ok && src_ok
    };
    c.gold = gold.len();
    c.predicted = p.quotes.len();
    for (gi, g) in gsets.iter().enumerate() {
        let found = psets.iter().any(|q| matches(g, q));
        c.found += usize::from(found);
        let quoted = gold[gi].contents.iter().any(|&(s, e)| {
            chars[s.min(chars.len())..e.min(chars.len())]
                .iter()
                .any(|ch| matches!(ch, '"' | '“' | '”' | '«' | '»'))
        });
        let e = c
            .by_gold_kind
            .entry(if quoted { "quoted" } else { "unquoted" }.to_string())
            .or_default();
        e.0 += 1;
        e.1 += usize::from(found);
    }
    for (qi, q) in psets.iter().enumerate() {
        let ok = gsets.iter().any(|g| matches(g, q));
        c.correct += usize::from(ok);
        let e = c.by_type.entry(p.quotes[qi].0.clone()).or_default();
        e.0 += 1;
        e.1 += usize::from(ok);
    }
    c
}

/// Loads a PolNeAR-layout gold folder: `(id, text, attributions)` per article in sorted
/// order, taking one annotator's file per article (the first in sorted order).
///
/// # Errors
/// [`super::EvalErrorKind::Io`] when the folder or a file cannot be read.
pub fn load_gold(dir: &Path) -> Result<Vec<(String, String, Vec<GoldAttribution>)>, EvalError> {
    Ok(load_annotations(dir)?
        .into_iter()
        .map(|(id, text, mut anns)| {
            let first = if anns.is_empty() {
                Vec::new()
            } else {
                anns.swap_remove(0).1
            };
            (id, text, first)
        })
        .collect())
}

/// Loads gold attributions from any of the places corrections live:
/// - a PolNeAR-layout folder (`text/`, `attributions/`), as [`load_gold`];
/// - a brat folder as `claimex export --to brat` writes it and annotators correct it
///   (`<file>.txt`, `<file>.ann`, ids from its `ids.tsv`);
/// - a records file (JSONL, as `claimex import` writes corrected records): every quote of
///   an `ok` record is a gold attribution (error records are left out).
///
/// Articles in sorted id order.
///
/// # Errors
/// [`super::EvalErrorKind::Io`] when the path cannot be read, [`super::EvalErrorKind::Format`] when a
/// record line is not a record or the folder has no known layout.
pub fn load_gold_any(
    path: &Path,
) -> Result<Vec<(String, String, Vec<GoldAttribution>)>, EvalError> {
    if path.is_file() {
        let text = std::fs::read_to_string(path).map_err(|e| EvalError::io(path, e))?;
        let records = crate::review::read_records(&text, &path.display().to_string())
            .map_err(EvalError::format)?;
        let mut out: Vec<_> = records
            .into_iter()
            .filter(|r| r.status == crate::output::RecordStatus::Ok)
            .map(|r| {
                let gold = r
                    .quotes
                    .iter()
                    .flatten()
                    .map(|q| GoldAttribution {
                        sources: q.sources.iter().map(|s| (s.start, s.end)).collect(),
                        cues: q.cue.iter().map(|s| (s.start, s.end)).collect(),
                        contents: q.contents.iter().map(|s| (s.start, s.end)).collect(),
                    })
                    .collect();
                (r.id, r.text.unwrap_or_default(), gold)
            })
            .collect();
        out.sort_by(|a, b| a.0.cmp(&b.0));
        return Ok(out);
    }
    if path.join("text").is_dir() {
        return load_gold(path);
    }
    let manifest = std::fs::read_to_string(path.join(crate::review::brat::MANIFEST))
        .map(|t| crate::review::brat::read_manifest(&t))
        .unwrap_or_default();
    let mut anns: Vec<String> = std::fs::read_dir(path)
        .map_err(|e| EvalError::io(path, e))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".ann"))
        .collect();
    anns.sort();
    if anns.is_empty() {
        return Err(EvalError::format(format!(
            "{}: neither a PolNeAR folder (text/, attributions/) nor a brat folder (*.ann) nor a records file",
            path.display()
        )));
    }
    let mut out = Vec::new();
    for n in anns {
        let stem = &n[..n.len() - 4];
        let txt = path.join(format!("{stem}.txt"));
        let text = std::fs::read_to_string(&txt).map_err(|e| EvalError::io(&txt, e))?;
        let ann =
            std::fs::read_to_string(path.join(&n)).map_err(|e| EvalError::io(Path::new(&n), e))?;
        let id = manifest
            .get(stem)
            .map_or_else(|| stem.to_string(), |m| m.id.clone());
        out.push((id, text, brat::parse(&ann).0));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// One article of a gold folder with every annotator's attributions: `(id, text,
/// [(annotator, attributions)])`, annotators in sorted order (possibly none).
pub type Annotated = (String, String, Vec<(String, Vec<GoldAttribution>)>);

/// Loads a PolNeAR-layout gold folder with every annotator's file of each article
/// (`<id>_<annotator>.ann`), articles and annotators in sorted order.
///
/// # Errors
/// [`super::EvalErrorKind::Io`] when the folder or a file cannot be read.
pub fn load_annotations(dir: &Path) -> Result<Vec<Annotated>, EvalError> {
    let tdir = dir.join("text");
    let adir = dir.join("attributions");
    let mut texts: Vec<_> = std::fs::read_dir(&tdir)
        .map_err(|e| EvalError::io(&tdir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    texts.sort();
    let mut anns: Vec<String> = std::fs::read_dir(&adir)
        .map_err(|e| EvalError::io(&adir, e))?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".ann"))
        .collect();
    anns.sort();
    let mut out = Vec::new();
    for t in texts {
        let id = t.file_stem().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&t).map_err(|e| EvalError::io(&t, e))?;
        let prefix = format!("{id}_");
        let mut all = Vec::new();
        for n in anns
            .iter()
            .filter(|n| n.starts_with(&prefix) && !n[prefix.len()..n.len() - 4].contains('_'))
        {
            let gold = brat::parse(
                &std::fs::read_to_string(adir.join(n))
                    .map_err(|e| EvalError::io(Path::new(n), e))?,
            )
            .0;
            all.push((n[prefix.len()..n.len() - 4].to_string(), gold));
        }
        out.push((id, text, all));
    }
    Ok(out)
}

/// Inter-annotator agreement on the articles of a gold folder that several annotators
/// annotated: every pair of their files scored as [`evaluate`] scores a prediction (the
/// first annotator of the pair as gold; exact F1 is symmetric, so the order does not
/// matter), summed over pairs. The report's `articles` counts pairs, its per-article lines
/// read `<id> <a>~<b>`. A ceiling to read model scores against: the annotators of PolNeAR
/// agree with each other this well.
pub fn agreement(articles: &[Annotated]) -> AttributionReport {
    let mut items = Vec::new();
    for (id, text, anns) in articles {
        for (i, (a, ga)) in anns.iter().enumerate() {
            for (b, gb) in &anns[i + 1..] {
                items.push((
                    format!("{id} {a}~{b}"),
                    text.as_str(),
                    ga.as_slice(),
                    Some(pred_of_gold(gb)),
                ));
            }
        }
    }
    report(items)
}

/// Scores predicted records against a gold folder.
pub fn evaluate(
    gold: &[(String, String, Vec<GoldAttribution>)],
    pred: &[Record],
) -> AttributionReport {
    let by_id: HashMap<&str, &Record> = pred
        .iter()
        .filter(|r| r.status == crate::output::RecordStatus::Ok)
        .map(|r| (r.id.as_str(), r))
        .collect();
    report(gold.iter().map(|(id, text, atts)| {
        let p = by_id.get(id.as_str()).map(|r| pred_of(Some(r)));
        (id.clone(), text.as_str(), atts.as_slice(), p)
    }))
}

/// Scores `(id, text, gold, prediction)` items (`None`: no prediction, scored as empty).
fn report<'a>(
    items: impl IntoIterator<Item = (String, &'a str, &'a [GoldAttribution], Option<Pred>)>,
) -> AttributionReport {
    let mut total = ArticleCounts::default();
    let mut per: Vec<(String, usize, usize, f64)> = Vec::new();
    let mut missing = Vec::new();
    let mut articles = 0;
    for (id, text, atts, p) in items {
        articles += 1;
        let p = p.unwrap_or_else(|| {
            missing.push(id.clone());
            pred_of(None)
        });
        let c = score_pred(text, atts, &p);
        let f = Prf::new(
            c.correct as f64,
            c.predicted as f64,
            c.found as f64,
            c.gold as f64,
        )
        .f1;
        per.push((id, c.gold, c.predicted, f));
        for k in 0..3 {
            total.roles[k].add(&c.roles[k]);
        }
        total.gold += c.gold;
        total.found += c.found;
        total.predicted += c.predicted;
        total.correct += c.correct;
        for (t, (n, ok)) in c.by_type {
            let e = total.by_type.entry(t).or_default();
            e.0 += n;
            e.1 += ok;
        }
        for (t, (n, ok)) in c.by_gold_kind {
            let e = total.by_gold_kind.entry(t).or_default();
            e.0 += n;
            e.1 += ok;
        }
    }
    per.sort_by(|a, b| a.3.total_cmp(&b.3).then(b.1.cmp(&a.1)).then(a.0.cmp(&b.0)));
    per.truncate(10);
    let ratio = |a: usize, b: usize| if b > 0 { a as f64 / b as f64 } else { 0.0 };
    AttributionReport {
        articles,
        missing_predictions: missing,
        roles: (0..3)
            .map(|k| RoleReport {
                role: ROLES[k].into(),
                exact: total.roles[k].exact(),
                overlap: total.roles[k].overlap(),
                counts: total.roles[k],
            })
            .collect(),
        attribution: Prf::new(
            total.correct as f64,
            total.predicted as f64,
            total.found as f64,
            total.gold as f64,
        ),
        attribution_counts: (total.gold, total.found, total.predicted, total.correct),
        by_type: total
            .by_type
            .into_iter()
            .map(|(k, (n, ok))| (k, (n, ok, ratio(ok, n))))
            .collect(),
        by_gold_kind: total
            .by_gold_kind
            .into_iter()
            .map(|(k, (n, ok))| (k, (n, ok, ratio(ok, n))))
            .collect(),
        worst: per,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{QuoteOut, Record};
    use crate::span::CharSpan;

    fn span(text: &str, s: usize, e: usize) -> CharSpan {
        CharSpan {
            start: s,
            end: e,
            text: text.chars().skip(s).take(e - s).collect(),
        }
    }

    /// (cue, sources, contents) of a predicted quote.
    type Q = (
        Option<(usize, usize)>,
        Vec<(usize, usize)>,
        Vec<(usize, usize)>,
    );

    fn record(text: &str, quotes: Vec<Q>) -> Record {
        let mut r = crate::output::error_record(
            "a",
            &crate::stage::StageError::new(crate::stage::ErrorKind::Internal, ""),
        );
        r.status = crate::output::RecordStatus::Ok;
        r.error = None;
        r.text = Some(text.into());
        r.quotes = Some(
            quotes
                .into_iter()
                .enumerate()
                .map(|(i, (cue, src, con))| QuoteOut {
                    id: format!("q{i}"),
                    kind: crate::document::QuoteKind::Direct,
                    cue: cue.map(|(s, e)| span(text, s, e)),
                    sources: src.into_iter().map(|(s, e)| span(text, s, e)).collect(),
                    contents: con.into_iter().map(|(s, e)| span(text, s, e)).collect(),
                    speaker: None,
                    confidence: 1.0,
                    reviewed: false,
                })
                .collect(),
        );
        r
    }

    // "Smith said the plan failed and costs rose ."
    //  0    5    10   15   20   25   30   35   40
    const TEXT: &str = "Smith said the plan failed and costs rose .";

    fn gold() -> Vec<GoldAttribution> {
        // discontinuous content: "the plan failed" (11..26) + "costs rose" (31..41)
        vec![GoldAttribution {
            sources: vec![(0, 5)],
            cues: vec![(6, 10)],
            contents: vec![(11, 26), (31, 41)],
        }]
    }

    #[test]
    fn exact_and_overlap_by_hand_with_a_discontinuous_gold_span() {
        // predicted: source "Smith" exact; cue "said " (trailing space trims to exact);
        // content "the plan failed and costs rose" (11..41): not exact to either fragment
        let r = record(TEXT, vec![(Some((6, 11)), vec![(0, 5)], vec![(11, 41)])]);
        let c = score_article(TEXT, &gold(), Some(&r));
        assert_eq!(
            c.roles[0].exact(),
            Prf {
                precision: 1.0,
                recall: 1.0,
                f1: 1.0
            }
        );
        assert_eq!(c.roles[1].exact_correct, 1);
        // content: gold fragments are 2 spans, prediction 1 span, none equal
        assert_eq!(
            (
                c.roles[2].exact_correct,
                c.roles[2].predicted,
                c.roles[2].gold
            ),
            (0, 1, 2)
        );
        // overlap: gold non-space chars: "theplanfailed" 13 + "costsrose" 9 = 22;
        // predicted: those 22 + "and" 3 = 25; precision 22/25, recall 1
        assert_eq!(
            (
                c.roles[2].overlap_chars,
                c.roles[2].pred_chars,
                c.roles[2].gold_chars
            ),
            (22, 25, 22)
        );
        let o = c.roles[2].overlap();
        assert!((o.precision - 0.88).abs() < 1e-9 && o.recall == 1.0);
        // attribution: IoU 22/25 ≥ 0.5 and sources overlap → found and correct
        assert_eq!((c.gold, c.found, c.predicted, c.correct), (1, 1, 1, 1));
    }

    #[test]
    fn empty_prediction_scores_zero_without_nan() {
        let c = score_article(TEXT, &gold(), None);
        assert_eq!(c.roles[2].exact(), Prf::default());
        assert_eq!(c.roles[2].overlap(), Prf::default());
        assert_eq!((c.gold, c.found, c.predicted), (1, 0, 0));
    }

    #[test]
    fn prediction_with_no_gold_is_all_false_positives() {
        let r = record(TEXT, vec![(Some((6, 10)), vec![(0, 5)], vec![(11, 26)])]);
        let c = score_article(TEXT, &[], Some(&r));
        assert_eq!(
            (
                c.roles[0].predicted,
                c.roles[0].gold,
                c.roles[0].exact_correct
            ),
            (1, 0, 0)
        );
        assert_eq!((c.predicted, c.correct), (1, 0));
        assert_eq!(Prf::new(0.0, 1.0, 0.0, 0.0), Prf::default());
    }

    #[test]
    fn wrong_source_or_small_content_overlap_is_not_found() {
        // content "the plan" only: IoU 7/22 < 0.5
        let r = record(TEXT, vec![(None, vec![(0, 5)], vec![(11, 19)])]);
        assert_eq!(score_article(TEXT, &gold(), Some(&r)).found, 0);
        // right content, no source while gold has one
        let r = record(TEXT, vec![(None, vec![], vec![(11, 41)])]);
        assert_eq!(score_article(TEXT, &gold(), Some(&r)).found, 0);
    }

    #[test]
    fn agreement_scores_every_pair_of_annotators() {
        let one = |anns: Vec<(&str, Vec<GoldAttribution>)>| {
            vec![(
                "a".to_string(),
                TEXT.to_string(),
                anns.into_iter().map(|(n, g)| (n.to_string(), g)).collect(),
            )]
        };
        // two annotators who agree: every figure is 1
        let r = agreement(&one(vec![("x", gold()), ("y", gold())]));
        assert_eq!(r.articles, 1);
        assert!(r.roles.iter().all(|k| k.exact.f1 == 1.0));
        assert_eq!(r.worst[0].0, "a x~y");
        // a third who marked nothing: pairs x~y, x~z, y~z, the first of each as gold;
        // content fragments: gold 2 + 2 + 2, predicted 2 + 0 + 0, correct 2
        let r = agreement(&one(vec![("x", gold()), ("y", gold()), ("z", vec![])]));
        assert_eq!(r.articles, 3);
        let c = r.roles[2].counts;
        assert_eq!((c.exact_correct, c.predicted, c.gold), (2, 2, 6));
        assert_eq!(r.roles[2].exact.precision, 1.0);
        assert!((r.roles[2].exact.recall - 1.0 / 3.0).abs() < 1e-12);
        // a single annotator makes no pair
        assert_eq!(agreement(&one(vec![("x", gold())])).articles, 0);
    }
}

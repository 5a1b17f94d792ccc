//! What annotators changed: predicted records against corrected ones, layer by layer.
//!
//! Articles are matched by id (error records and ids on one side only are counted, not
//! compared). Within an article:
//! - **quotes**: equal when every span and the speaker's name are equal; a corrected quote
//!   whose contents overlap a predicted one's is that quote `redrawn` (some span moved,
//!   appeared or went) and/or with its `speaker reassigned` (compared by name, as ids are
//!   renumbered); the rest are `added` or `removed`;
//! - **entity mentions**: matched by span; `added`, `removed`, or `retyped` (same span, other
//!   entity type);
//! - **claims**: equal span and standalone text is unchanged; equal span, other standalone
//!   text is `edited`; an overlapping span `redrawn`; else `added` or `removed`.
//!
//! The correction rate of a layer is the share of predicted items an annotator touched
//! (changed or removed), plus those they added, over the predicted items.

use crate::output::{EntityOut, QuoteOut, Record};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// Counts of one layer.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct LayerCounts {
    /// Items in the predicted records.
    pub predicted: usize,
    /// Items in the corrected records.
    pub corrected: usize,
    /// Items left as they were.
    pub unchanged: usize,
    /// Changes by kind (`added`, `removed`, `redrawn`, `speaker reassigned`, `retyped`,
    /// `edited`).
    pub changes: BTreeMap<String, usize>,
    /// Touched predicted items plus added ones, over predicted items (0 when none).
    pub correction_rate: f64,
}

/// One example of a change.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Example {
    /// `quotes`, `mentions` or `claims`.
    pub layer: String,
    /// The change.
    pub change: String,
    /// The article's id.
    pub article: String,
    /// The predicted item, in words (empty when added).
    pub before: String,
    /// The corrected item, in words (empty when removed).
    pub after: String,
}

/// The whole report (`claimex diff --json`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DiffReport {
    /// Articles compared (an `ok` record on both sides).
    pub articles: usize,
    /// Of those, articles with any change.
    pub changed_articles: usize,
    /// Articles an annotator reviewed (a `review` in the corrected record).
    pub reviewed_articles: usize,
    /// Ids with an `ok` record on one side only, or an error record on either.
    pub unmatched: Vec<String>,
    /// Quotes.
    pub quotes: LayerCounts,
    /// Entity mentions.
    pub mentions: LayerCounts,
    /// Claims.
    pub claims: LayerCounts,
    /// Up to `examples` examples of each change of each layer, in article order.
    pub examples: Vec<Example>,
}

fn quote_words(q: &QuoteOut, speaker: Option<&str>) -> String {
    let contents: Vec<&str> = q.contents.iter().map(|c| c.text.as_str()).collect();
    let sources: Vec<&str> = q.sources.iter().map(|c| c.text.as_str()).collect();
    format!(
        "[{}] {:?} cue {:?} sources {:?} speaker {:?}",
        q.kind,
        contents.join(" / "),
        q.cue.as_ref().map(|c| c.text.as_str()),
        sources,
        speaker
    )
}

fn speaker_name<'a>(entities: &'a [EntityOut], q: &QuoteOut) -> Option<&'a str> {
    let id = q.speaker.as_ref()?;
    entities
        .iter()
        .find(|e| &e.id == id)
        .map(|e| e.name.as_str())
}

struct Acc<'a> {
    report: &'a mut DiffReport,
    per_kind: HashMap<(String, String), usize>,
    examples: usize,
    article: String,
    changed: bool,
}

impl Acc<'_> {
    fn change(&mut self, layer: &str, change: &str, before: String, after: String) {
        self.changed = true;
        let counts = match layer {
            "quotes" => &mut self.report.quotes,
            "mentions" => &mut self.report.mentions,
            _ => &mut self.report.claims,
        };
        *counts.changes.entry(change.to_string()).or_default() += 1;
        let n = self
            .per_kind
            .entry((layer.to_string(), change.to_string()))
            .or_default();
        if *n < self.examples {
            *n += 1;
            self.report.examples.push(Example {
                layer: layer.into(),
                change: change.into(),
                article: self.article.clone(),
                before,
                after,
            });
        }
    }
}

fn overlaps(a: &[crate::span::CharSpan], b: &[crate::span::CharSpan]) -> bool {
    a.iter()
        .any(|x| b.iter().any(|y| x.start < y.end && y.start < x.end))
}

/// Compares predicted and corrected records, keeping up to `examples` examples per change.
pub fn diff(predicted: &[Record], corrected: &[Record], examples: usize) -> DiffReport {
    let mut report = DiffReport::default();
    let pred: HashMap<&str, &Record> = predicted.iter().map(|r| (r.id.as_str(), r)).collect();
    let mut acc = Acc {
        report: &mut report,
        per_kind: HashMap::new(),
        examples,
        article: String::new(),
        changed: false,
    };
    let mut touched = [0usize; 3];
    for c in corrected {
        let Some(p) = pred.get(c.id.as_str()).filter(|p| {
            p.status == crate::output::RecordStatus::Ok
                && c.status == crate::output::RecordStatus::Ok
        }) else {
            acc.report.unmatched.push(c.id.clone());
            continue;
        };
        acc.report.articles += 1;
        acc.report.reviewed_articles += usize::from(c.review.is_some());
        acc.article = c.id.clone();
        acc.changed = false;
        let (pe, ce) = (
            p.entities.as_deref().unwrap_or_default(),
            c.entities.as_deref().unwrap_or_default(),
        );

        // quotes
        let (pq, cq) = (
            p.quotes.as_deref().unwrap_or_default(),
            c.quotes.as_deref().unwrap_or_default(),
        );
        acc.report.quotes.predicted += pq.len();
        acc.report.quotes.corrected += cq.len();
        let same = |a: &QuoteOut, b: &QuoteOut| {
            a.kind == b.kind && a.cue == b.cue && a.sources == b.sources && a.contents == b.contents
        };
        let mut used = vec![false; pq.len()];
        let mut pending = Vec::new();
        for q in cq {
            let sp = speaker_name(ce, q);
            match pq
                .iter()
                .enumerate()
                .find(|(i, x)| !used[*i] && same(x, q) && speaker_name(pe, x) == sp)
            {
                Some((i, _)) => {
                    used[i] = true;
                    acc.report.quotes.unchanged += 1;
                }
                None => pending.push(q),
            }
        }
        for q in pending {
            let sp = speaker_name(ce, q);
            match pq
                .iter()
                .enumerate()
                .find(|(i, x)| !used[*i] && overlaps(&x.contents, &q.contents))
            {
                Some((i, x)) => {
                    used[i] = true;
                    touched[0] += 1;
                    let before = quote_words(x, speaker_name(pe, x));
                    let after = quote_words(q, sp);
                    if !same(x, q) {
                        let what = if x.kind != q.kind
                            && x.cue == q.cue
                            && x.sources == q.sources
                            && x.contents == q.contents
                        {
                            "retyped"
                        } else {
                            "redrawn"
                        };
                        acc.change("quotes", what, before.clone(), after.clone());
                    }
                    if speaker_name(pe, x) != sp {
                        acc.change("quotes", "speaker reassigned", before, after);
                    }
                }
                None => acc.change("quotes", "added", String::new(), quote_words(q, sp)),
            }
        }
        for (i, x) in pq.iter().enumerate() {
            if !used[i] {
                touched[0] += 1;
                acc.change(
                    "quotes",
                    "removed",
                    quote_words(x, speaker_name(pe, x)),
                    String::new(),
                );
            }
        }

        // entity mentions
        let mentions = |es: &[EntityOut]| -> BTreeMap<(usize, usize), (String, String)> {
            es.iter()
                .flat_map(|e| {
                    e.mentions
                        .iter()
                        .map(move |m| ((m.start, m.end), (e.kind.to_string(), m.text.clone())))
                })
                .collect()
        };
        let (pm, cm) = (mentions(pe), mentions(ce));
        acc.report.mentions.predicted += pm.len();
        acc.report.mentions.corrected += cm.len();
        for (span, (kind, text)) in &cm {
            let words = format!("{text:?} ({kind})");
            match pm.get(span) {
                Some((k, _)) if k == kind => acc.report.mentions.unchanged += 1,
                Some((k, t)) => {
                    touched[1] += 1;
                    acc.change("mentions", "retyped", format!("{t:?} ({k})"), words)
                }
                None => acc.change("mentions", "added", String::new(), words),
            }
        }
        for (span, (kind, text)) in &pm {
            if !cm.contains_key(span) {
                touched[1] += 1;
                acc.change(
                    "mentions",
                    "removed",
                    format!("{text:?} ({kind})"),
                    String::new(),
                );
            }
        }

        // claims
        let (pc, cc) = (
            p.claims.as_deref().unwrap_or_default(),
            c.claims.as_deref().unwrap_or_default(),
        );
        acc.report.claims.predicted += pc.len();
        acc.report.claims.corrected += cc.len();
        let mut used = vec![false; pc.len()];
        let mut pending = Vec::new();
        for x in cc {
            match pc.iter().enumerate().find(|(i, y)| {
                !used[*i] && (y.span.start, y.span.end) == (x.span.start, x.span.end)
            }) {
                Some((i, y)) => {
                    used[i] = true;
                    if y.standalone == x.standalone {
                        acc.report.claims.unchanged += 1;
                    } else {
                        touched[2] += 1;
                        acc.change(
                            "claims",
                            "edited",
                            y.standalone.clone(),
                            x.standalone.clone(),
                        );
                    }
                }
                None => pending.push(x),
            }
        }
        for x in pending {
            match pc
                .iter()
                .enumerate()
                .find(|(i, y)| !used[*i] && y.span.start < x.span.end && x.span.start < y.span.end)
            {
                Some((i, y)) => {
                    used[i] = true;
                    touched[2] += 1;
                    acc.change("claims", "redrawn", y.text.clone(), x.text.clone());
                }
                None => acc.change("claims", "added", String::new(), x.text.clone()),
            }
        }
        for (i, y) in pc.iter().enumerate() {
            if !used[i] {
                touched[2] += 1;
                acc.change("claims", "removed", y.text.clone(), String::new());
            }
        }
        acc.report.changed_articles += usize::from(acc.changed);
    }
    let corrected_ids: std::collections::HashSet<&str> =
        corrected.iter().map(|r| r.id.as_str()).collect();
    for p in predicted {
        if !corrected_ids.contains(p.id.as_str()) {
            report.unmatched.push(p.id.clone());
        }
    }
    for (layer, t) in [
        (&mut report.quotes, touched[0]),
        (&mut report.mentions, touched[1]),
        (&mut report.claims, touched[2]),
    ] {
        let added = layer.changes.get("added").copied().unwrap_or(0);
        layer.correction_rate = if layer.predicted == 0 {
            0.0
        } else {
            crate::output::round3((t + added) as f32 / layer.predicted as f32)
        };
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> Record {
        crate::testutil::rule_record("d", text)
    }

    #[test]
    fn each_kind_of_change_is_counted() {
        let p = record(
            "\"Rates will rise,\" said Ana Ruiz. \"Prices fell,\" said Bo Li, the mayor of Lyon.",
        );
        assert_eq!(p.quotes.as_ref().unwrap().len(), 2);
        let same = diff(std::slice::from_ref(&p), std::slice::from_ref(&p), 3);
        assert_eq!((same.quotes.unchanged, same.changed_articles), (2, 0));
        assert_eq!(same.quotes.correction_rate, 0.0);

        let mut c = p.clone();
        let quotes = c.quotes.as_mut().unwrap();
        quotes[0].cue = None; // redrawn
        quotes[1].speaker = quotes[0].speaker.clone(); // reassigned
        c.claims.as_mut().unwrap()[0].standalone = "Interest rates will rise".into();
        let bo = c
            .entities
            .as_mut()
            .unwrap()
            .iter_mut()
            .find(|e| e.name == "Bo Li");
        bo.unwrap().kind = crate::document::EntityType::Org;
        let d = diff(&[p], &[c], 3);
        assert_eq!(d.quotes.changes["redrawn"], 1);
        assert_eq!(d.quotes.changes["speaker reassigned"], 1);
        assert_eq!(d.claims.changes["edited"], 1);
        assert_eq!(d.mentions.changes["retyped"], 1);
        assert_eq!(d.quotes.correction_rate, 1.0);
        assert_eq!(d.changed_articles, 1);
        assert!(d
            .examples
            .iter()
            .any(|e| e.after == "Interest rates will rise"));
    }
}

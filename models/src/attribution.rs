//! Attribution tagger: SOURCE / CUE / CONTENT spans as BIO tags over wordpieces, trained on
//! PolNeAR.
//!
//! Architecture as the check-worthiness model: frozen shared embeddings and layers
//! `0..SPLIT`, fine-tuned layers `SPLIT..6`, and a linear head giving 7 tag scores per
//! wordpiece. Articles are read in windows of 254 wordpieces overlapping by 64, so
//! attributions that cross sentences are seen whole; a wordpiece's scores are averaged over
//! the windows that hold it, and a constrained Viterbi decode (an `I-X` only after `B-X` or
//! `I-X`) gives valid spans. Spans come out as code point offsets of the wordpieces' own
//! offsets; the pipeline maps them to bytes and checks them against the text in one place.

use crate::encoder::WordPieces;
use crate::error::{ModelError, ModelErrorKind};
use crate::split::{base_config, bf16, load_trained, pad_ids, Lower, Upper};
use crate::train::{lr_scale, scale_grads, Progress, Rng, TrainLog};
use claimex_pipeline::eval::Prf;
use claimex_pipeline::tagged::{RawSpan, TaggedLayer};
use std::path::Path;
use tch::{nn, nn::Module, nn::OptimizerConfig, Device, Kind, Tensor};

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

/// Log-probability bonus per tag added before decoding the attribution head (never to the
/// probabilities that score a span): `I-CONTENT` gets +0.5 nats, so a content span goes on
/// through a wordpiece where the tagger is only slightly less sure of it (a comma, a
/// quotation mark, the clause after "that") instead of breaking into fragments or stopping
/// early. Chosen on PolNeAR *train* (840 articles, through the whole pipeline) and checked on
/// dev: content exact F1 67.3 → 68.3 on train, 63.2 → 64.0 on dev, source and cue within
/// 0.1; +1.0 gave the same content F1 on train but cost source and cue 0.2 each, a bonus on
/// `B-CONTENT` or on the source/cue tags did nothing or harm (README, "Accuracy").
pub const ATTRIBUTION_PRIOR: [f32; 7] = [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5];

/// What a head's `config.json` says.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct HeadConfig {
    /// Layers below this index are frozen ([`SPLIT`] without a file).
    pub split: usize,
    /// The folder name of the head whose upper layers it reads, for a head trained stacked
    /// on another (`"on"`).
    pub on: Option<String>,
    /// Log-probability bonus per tag added before decoding (`"prior"`, 7 numbers in nats;
    /// zeros when absent), e.g. [`ATTRIBUTION_PRIOR`].
    pub prior: [f32; 7],
}

/// Reads `dir/config.json` ([`HeadConfig`]).
///
/// # Errors
/// An unreadable or malformed `config.json`.
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
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&p).map_err(|e| bad(e.to_string()))?)
            .map_err(|e| bad(e.to_string()))?;
    let on = v.get("on").and_then(|x| x.as_str()).map(str::to_string);
    let mut prior = [0.0f32; 7];
    if let Some(x) = v.get("prior") {
        let xs: Vec<f32> = x
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|n| n.as_f64())
                    .map(|n| n as f32)
                    .collect()
            })
            .unwrap_or_default();
        if xs.len() != 7 || xs.iter().any(|n| !n.is_finite()) {
            return Err(bad("\"prior\" must be 7 finite numbers".into()));
        }
        prior.copy_from_slice(&xs);
    }
    match v.get("split").and_then(|x| x.as_u64()) {
        Some(n) if (0..=6).contains(&n) => Ok(HeadConfig {
            split: n as usize,
            on,
            prior,
        }),
        _ => Err(bad("no valid \"split\" (0..=6)".into())),
    }
}

/// A head's `config.json` text: its split, the head it is stacked on, and its decoding prior
/// when it has one.
fn config_json(split: usize, on: Option<&str>, prior: &[f32; 7]) -> String {
    let mut v = serde_json::Map::new();
    v.insert("split".into(), split.into());
    if let Some(on) = on {
        v.insert("on".into(), on.into());
    }
    if prior.iter().any(|&x| x != 0.0) {
        v.insert(
            "prior".into(),
            prior
                .iter()
                .map(|&x| f64::from(x))
                .collect::<Vec<_>>()
                .into(),
        );
    }
    let mut out = serde_json::to_string_pretty(&serde_json::Value::Object(v))
        .unwrap_or_else(|_| format!("{{\"split\": {split}}}"));
    out.push('\n');
    out
}

/// Wordpieces per window, without `[CLS]` and `[SEP]`.
const WINDOW: usize = 254;
/// Wordpieces shared by consecutive training windows.
const OVERLAP: usize = 64;
/// Wordpieces shared by consecutive windows at inference: each wordpiece near a window's edge
/// gets the next window's reading too (scores averaged). Half the training overlap runs 11%
/// fewer encoder wordpieces on news-length articles (PolNeAR dev F1 within 0.3, see README).
const INFER_OVERLAP: usize = 32;
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
/// The three roles, in tag order.
pub const ROLES: [&str; 3] = ["source", "cue", "content"];

/// An article tokenized for the tagger: wordpiece ids and code point offsets.
pub struct Tokenized {
    /// Wordpiece ids without special tokens.
    pub ids: Vec<i64>,
    /// Code point offsets `[start, end)` of each wordpiece in the text.
    pub offsets: Vec<(usize, usize)>,
    /// Whether each wordpiece begins a word of the tokenizer's pre-tokenization (split at
    /// whitespace and punctuation); `false` for continuations such as "##us" in "Theseus".
    pub word_starts: Vec<bool>,
}

/// Tokenizes a whole article (no truncation), with code point offsets.
///
/// # Errors
/// Tokenizer failures.
pub fn tokenize(wordpieces: &WordPieces, text: &str) -> Result<Tokenized, ModelError> {
    let enc = wordpieces
        .tokenizer()
        .encode_char_offsets(text, false)
        .map_err(|e| ModelError::new(ModelErrorKind::Inference, format!("tokenizer: {e}")))?;
    let words = enc.get_word_ids();
    let word_starts = (0..words.len())
        .map(|i| i == 0 || words[i].is_none() || words[i] != words[i - 1])
        .collect();
    Ok(Tokenized {
        ids: enc.get_ids().iter().map(|&i| i as i64).collect(),
        offsets: enc.get_offsets().to_vec(),
        word_starts,
    })
}

/// Window starts over `n` wordpieces, consecutive windows sharing `overlap` of them.
fn windows(n: usize, overlap: usize) -> Vec<usize> {
    let mut v = vec![0];
    while v.last().unwrap() + WINDOW < n {
        v.push(v.last().unwrap() + WINDOW - overlap);
    }
    v
}

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

/// [`viterbi`] over `scores` plus `prior` (per tag, in nats; [`HeadConfig::prior`]).
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

/// A head: its own upper layers (or, stacked, none: it reads the upper layers of the first
/// head of its tagger) and a linear layer to the 7 tags.
struct Top {
    vs: nn::VarStore,
    upper: Option<Upper>,
    head: nn::Linear,
    /// Added to the tag log-probabilities before decoding ([`HeadConfig::prior`]).
    prior: [f32; 7],
}

impl Top {
    fn new(config: &rust_bert::bert::BertConfig, split: usize, stacked: bool) -> Self {
        let vs = nn::VarStore::new(Device::Cpu);
        let root = vs.root();
        let upper = (!stacked).then(|| Upper::new(&root, config, split));
        let head = nn::linear(&root / "tagger", config.hidden_size, 7, Default::default());
        Top {
            vs,
            upper,
            head,
            prior: [0.0; 7],
        }
    }

    /// The upper layers' states for lower states `h`, or `None` for a stacked head (it reads
    /// the states of the head it was trained on).
    fn upper(&self, h: &Tensor, mask: &Tensor, train: bool) -> Option<Tensor> {
        self.upper.as_ref().map(|u| u.forward_t(h, mask, train))
    }

    /// Tag logits from upper states.
    fn classify(&self, u: &Tensor, train: bool) -> Tensor {
        self.head.forward(&u.dropout(0.1, train))
    }
}

/// Trained span taggers sharing one tokenizer and one pass through the frozen lower layers:
/// each head (attribution, entities) adds only its own upper layers and linear layer.
pub struct SpanTagger {
    wordpieces: WordPieces,
    lower: Lower,
    tops: Vec<Top>,
}

impl SpanTagger {
    /// Loads the base tokenizer and frozen layers from `base` and one head from `dir` (a
    /// head stacked on another loads that one first, from the sibling folder its
    /// `config.json` names).
    ///
    /// # Errors
    /// Missing or unloadable files.
    pub fn load(base: &Path, dir: &Path) -> Result<Self, ModelError> {
        match read_config(dir)?.on {
            Some(on) => {
                let under = dir.parent().unwrap_or(Path::new(".")).join(on);
                Self::load_heads(base, &[under.as_path(), dir])
            }
            None => Self::load_heads(base, &[dir]),
        }
    }

    /// Loads several heads that share the lower pass; they must have been trained with the
    /// same split, and a stacked head (its `config.json` has `"on"`) must follow the head
    /// it was trained on, first in `dirs`: it adds only a linear layer on that head's upper
    /// layers, so one upper pass serves both.
    ///
    /// # Errors
    /// Missing or unloadable files, heads with different splits, or a stacked head without
    /// its base head first.
    pub fn load_heads(base: &Path, dirs: &[&Path]) -> Result<Self, ModelError> {
        let config = base_config(base)?;
        let wordpieces = WordPieces::load(base)?;
        let layouts = dirs
            .iter()
            .map(|d| read_config(d))
            .collect::<Result<Vec<_>, _>>()?;
        let split = layouts.first().map_or(SPLIT, |l| l.split);
        if layouts.iter().any(|l| l.split != split) {
            let splits: Vec<usize> = layouts.iter().map(|l| l.split).collect();
            return Err(ModelError::new(
                ModelErrorKind::Load,
                format!("heads trained with different splits {splits:?} cannot share a pass"),
            ));
        }
        let lower = Lower::load(base, &config, split, bf16())?;
        let mut tops = Vec::new();
        for (i, (d, layout)) in dirs.iter().zip(&layouts).enumerate() {
            if let Some(on) = &layout.on {
                let first = dirs[0].file_name().map(|n| n.to_string_lossy());
                if i == 0 || first.as_deref() != Some(on.as_str()) {
                    return Err(ModelError::new(
                        ModelErrorKind::Load,
                        format!(
                            "{} was trained on the layers of {on:?}: load that head first",
                            d.display()
                        ),
                    ));
                }
            }
            let mut top = Top::new(&config, split, layout.on.is_some());
            load_trained(&mut top.vs, base, d)?;
            top.prior = layout.prior;
            tops.push(top);
        }
        Ok(SpanTagger {
            wordpieces,
            lower,
            tops,
        })
    }

    /// Role spans in code points for each text from the last head (the one [`Self::load`]
    /// was given), with the mean probability of their tags.
    ///
    /// # Errors
    /// Tokenizer or forward-pass failures.
    pub fn tag(&self, texts: &[&str]) -> Result<Vec<Vec<RawSpan>>, ModelError> {
        Ok(self.tag_heads(texts)?.pop().unwrap_or_default())
    }

    /// Role spans of every head: `[head][text]`.
    ///
    /// # Errors
    /// Tokenizer or forward-pass failures.
    pub fn tag_heads(&self, texts: &[&str]) -> Result<Vec<Vec<Vec<RawSpan>>>, ModelError> {
        let toks: Vec<Tokenized> = texts
            .iter()
            .map(|t| tokenize(&self.wordpieces, t))
            .collect::<Result<_, _>>()?;
        let scores = self.score_windows(&toks)?;
        Ok(scores
            .into_iter()
            .zip(&self.tops)
            .map(|(head, top)| {
                toks.iter()
                    .zip(head)
                    .map(|(t, s)| {
                        let tags = decode(&s, &t.word_starts, &top.prior);
                        let probs: Vec<f32> = tags
                            .iter()
                            .enumerate()
                            .map(|(i, &g)| s[i][g].exp())
                            .collect();
                        spans_with_scores(t, &tags, &probs)
                    })
                    .collect()
            })
            .collect())
    }

    /// Per-wordpiece tag log-probabilities `[head][text][wordpiece]`, averaged over the
    /// windows that hold each wordpiece. Windows of all texts are batched together, sorted by
    /// length; each batch goes once through the lower layers and then through every head.
    #[allow(clippy::type_complexity)]
    fn score_windows(&self, toks: &[Tokenized]) -> Result<Vec<Vec<Vec<[f32; 7]>>>, ModelError> {
        let (cls, sep) = (self.wordpieces.cls_id(), self.wordpieces.sep_id());
        let mut wins: Vec<(usize, usize, Vec<i64>)> = Vec::new();
        for (a, t) in toks.iter().enumerate() {
            for s in windows(t.ids.len(), INFER_OVERLAP) {
                let e = (s + WINDOW).min(t.ids.len());
                let mut ids = vec![cls];
                ids.extend(&t.ids[s..e]);
                ids.push(sep);
                wins.push((a, s, ids));
            }
        }
        let empty: Vec<Vec<[f32; 7]>> = toks.iter().map(|t| vec![[0f32; 7]; t.ids.len()]).collect();
        if std::env::var_os("CLAIMEX_TIMINGS").is_some() {
            // windows overlap, so this counts what the encoder ran, not the texts' length
            let n: usize = wins.iter().map(|w| w.2.len()).sum();
            eprintln!("wordpieces: tag_spans {n}");
        }
        let mut sums = vec![empty; self.tops.len()];
        let mut counts: Vec<Vec<f32>> = toks.iter().map(|t| vec![0f32; t.ids.len()]).collect();
        let mut order: Vec<usize> = (0..wins.len()).collect();
        order.sort_by_key(|&i| wins[i].2.len());
        for chunk in order.chunks(16) {
            let seqs: Vec<&[i64]> = chunk.iter().map(|&i| wins[i].2.as_slice()).collect();
            let (ids, mask) = pad_ids(&seqs);
            let h = self.lower.forward(&ids, &mask)?;
            for &w in chunk {
                let (a, s, ref ids) = wins[w];
                for j in 0..ids.len() - 2 {
                    counts[a][s + j] += 1.0;
                }
            }
            // a stacked head reads the upper states of the head before it
            let mut u = h.shallow_clone();
            for (top, sums) in self.tops.iter().zip(sums.iter_mut()) {
                let lp = tch::no_grad(|| {
                    if let Some(x) = top.upper(&h, &mask, false) {
                        u = x;
                    }
                    top.classify(&u, false).log_softmax(-1, Kind::Float)
                });
                let len = lp.size()[1] as usize;
                let flat = Vec::<f32>::try_from(lp.contiguous().view([-1]))
                    .map_err(|e| ModelError::new(ModelErrorKind::Inference, e.to_string()))?;
                for (k, &w) in chunk.iter().enumerate() {
                    let (a, s, ref ids) = wins[w];
                    for j in 0..ids.len() - 2 {
                        let base = (k * len + j + 1) * 7;
                        for t in 0..7 {
                            sums[a][s + j][t] += flat[base + t];
                        }
                    }
                }
            }
        }
        for head in &mut sums {
            for (a, s) in head.iter_mut().enumerate() {
                for (j, row) in s.iter_mut().enumerate() {
                    let c = counts[a][j].max(1.0);
                    row.iter_mut().for_each(|x| *x /= c);
                }
            }
        }
        Ok(sums)
    }
}

/// One training article: text, gold role spans.
pub struct GoldArticle {
    /// Article id.
    pub id: String,
    /// The text.
    pub text: String,
    /// `(role, start, end)` in code points, whitespace-trimmed.
    pub spans: Vec<(usize, usize, usize)>,
}

/// Reads a PolNeAR split (`text/`, `attributions/`), one annotator per article.
///
/// # Errors
/// Unreadable folders.
pub fn read_polnear(dir: &Path) -> Result<Vec<GoldArticle>, ModelError> {
    let gold = claimex_pipeline::eval::attribution::load_gold(dir)
        .map_err(|e| ModelError::new(ModelErrorKind::Missing, e))?;
    Ok(gold_articles(gold))
}

/// Reads corrected gold: a brat folder or a records file as
/// [`claimex_pipeline::eval::attribution::load_gold_any`] reads them (or a PolNeAR split).
///
/// # Errors
/// Unreadable paths.
pub fn read_corrections(path: &Path) -> Result<Vec<GoldArticle>, ModelError> {
    let gold = claimex_pipeline::eval::attribution::load_gold_any(path)
        .map_err(|e| ModelError::new(ModelErrorKind::Missing, e))?;
    Ok(gold_articles(gold))
}

/// Training articles of gold attributions: every role fragment a span, whitespace-trimmed.
pub fn gold_articles(
    gold: Vec<(
        String,
        String,
        Vec<claimex_pipeline::eval::brat::GoldAttribution>,
    )>,
) -> Vec<GoldArticle> {
    gold.into_iter()
        .map(|(id, text, atts)| {
            let chars: Vec<char> = text.chars().collect();
            let trim = |(mut s, mut e): (usize, usize)| {
                e = e.min(chars.len());
                while s < e && chars[s].is_whitespace() {
                    s += 1;
                }
                while e > s && chars[e - 1].is_whitespace() {
                    e -= 1;
                }
                (s, e)
            };
            let mut spans = Vec::new();
            for a in &atts {
                for (role, list) in [(0, &a.sources), (1, &a.cues), (2, &a.contents)] {
                    for &f in list.iter() {
                        let (s, e) = trim(f);
                        if s < e {
                            spans.push((role, s, e));
                        }
                    }
                }
            }
            GoldArticle { id, text, spans }
        })
        .collect()
}

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
type RolePrf = [(f64, f64, f64); 3];

/// The mean of the three roles' F1, what epochs are chosen by.
fn mean_f1(f: &RolePrf) -> f64 {
    (f[0].2 + f[1].2 + f[2].2) / 3.0
}

/// Training settings.
#[derive(Clone, Debug)]
pub struct TrainConfig {
    /// Epochs.
    pub epochs: usize,
    /// Windows per batch.
    pub batch: usize,
    /// Peak learning rate of the upper layers (the head's is 10× this).
    pub lr: f64,
    /// Seed.
    pub seed: u64,
    /// Layers `0..split` stay frozen; `split..6` are trained and shipped.
    pub split: usize,
    /// Names of the three roles, for the log.
    pub roles: [&'static str; 3],
    /// Start from this trained model (a folder with `model.safetensors` and `config.json`
    /// of the same split, or of a higher one: the layers it left frozen start from the base)
    /// instead of the base encoder: training continues, and the model as loaded competes as
    /// epoch 0, so a continuation never ships a worse model.
    pub init: Option<std::path::PathBuf>,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            epochs: 4,
            batch: 16,
            lr: 1e-4,
            seed: 13,
            // the shipped heads: layers 2-5 trained (4 trained layers beat 2 by 18 points
            // of source F1 on PolNeAR dev)
            split: 2,
            roles: ROLES,
            init: None,
        }
    }
}

/// Trains the tagger on `data_dir` (PolNeAR: `train/`, `dev/`) and writes
/// `model.safetensors` (float16 upper layers and head) and `train.log` into `out`, keeping the
/// epoch with the best mean exact F1 on dev.
///
/// # Errors
/// Missing data or base files, or a failed step.
pub fn train(
    base: &Path,
    data_dir: &Path,
    out: &Path,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let train = read_polnear(&data_dir.join("train"))?;
    let dev = read_polnear(&data_dir.join("dev"))?;
    train_spans(base, &train, &dev, out, tc, ATTRIBUTION_PRIOR, progress)
}

/// Where the articles of a training run came from (`training-data.json` beside the weights,
/// which the model card points to).
#[derive(Clone, Debug, serde::Serialize)]
pub struct DataSource {
    /// The path as given.
    pub path: String,
    /// `polnear` (a folder with `train/` and `dev/`), `brat` or `records` (corrections).
    pub kind: String,
    /// Articles trained on.
    pub train_articles: usize,
    /// Articles epochs were chosen on.
    pub dev_articles: usize,
}

/// Trains the attribution tagger on any mix of PolNeAR folders (`train/`, `dev/`) and
/// corrected gold (brat folders or records files from `claimex import`): corrections join
/// the training articles. Epochs are chosen on the PolNeAR folders' dev splits; with
/// corrections alone, on every fifth corrected article in id order (kept out of training),
/// so a team's own articles choose the epoch that fits them. Writes what
/// [`train_spans`] writes plus `training-data.json` ([`DataSource`] per path).
///
/// # Errors
/// Unreadable data, no training article, or a failed step.
pub fn train_mixed(
    base: &Path,
    data: &[std::path::PathBuf],
    out: &Path,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let (mut train, mut dev, mut sources) = (Vec::new(), Vec::new(), Vec::new());
    let mut held = Vec::new();
    for p in data {
        let source = |kind: &str, t: usize, d: usize| DataSource {
            path: p.display().to_string(),
            kind: kind.into(),
            train_articles: t,
            dev_articles: d,
        };
        if p.join("train").is_dir() {
            let (t, d) = (
                read_polnear(&p.join("train"))?,
                read_polnear(&p.join("dev"))?,
            );
            sources.push(source("polnear", t.len(), d.len()));
            train.extend(t);
            dev.extend(d);
        } else {
            let articles = read_corrections(p)?;
            let kind = if p.is_file() { "records" } else { "brat" };
            sources.push(source(kind, articles.len(), 0));
            held.push(sources.len() - 1);
            train.extend(articles);
        }
    }
    if dev.is_empty() {
        // corrections alone: every fifth article in id order chooses the epoch
        train.sort_by(|a, b| a.id.cmp(&b.id));
        let all = std::mem::take(&mut train);
        for (i, a) in all.into_iter().enumerate() {
            if i % 5 == 4 {
                dev.push(a);
            } else {
                train.push(a);
            }
        }
        if let [only] = held.as_slice() {
            sources[*only].train_articles = train.len();
            sources[*only].dev_articles = dev.len();
        }
    }
    if train.is_empty() || dev.is_empty() {
        return Err(ModelError::new(
            ModelErrorKind::Missing,
            format!(
                "too few articles to train on ({} to train, {} to choose epochs on): give a PolNeAR folder or at least 5 corrected articles",
                train.len(),
                dev.len()
            ),
        ));
    }
    std::fs::create_dir_all(out).map_err(|e| {
        ModelError::new(
            ModelErrorKind::Missing,
            format!("cannot write {}: {e}", out.display()),
        )
    })?;
    let json = serde_json::to_string_pretty(&sources).unwrap_or_default();
    std::fs::write(out.join("training-data.json"), json + "\n").map_err(|e| {
        ModelError::new(
            ModelErrorKind::Missing,
            format!("cannot write {}: {e}", out.display()),
        )
    })?;
    train_spans(base, &train, &dev, out, tc, ATTRIBUTION_PRIOR, progress)
}

/// Trains a span tagger on gold articles (spans of three roles), selecting the epoch by mean
/// exact F1 on `dev` as decoded with `prior` ([`HeadConfig::prior`], written into its
/// `config.json`); writes `model.safetensors`, `config.json` and `train.log` into `out`.
///
/// # Errors
/// Missing base files, or a failed step.
pub fn train_spans(
    base: &Path,
    train: &[GoldArticle],
    dev: &[GoldArticle],
    out: &Path,
    tc: &TrainConfig,
    prior: [f32; 7],
    progress: Progress,
) -> Result<String, ModelError> {
    let task = Task {
        name: "",
        train,
        dev,
        roles: tc.roles,
        batch: tc.batch,
        repeat: 1,
        out,
        init: tc.init.as_deref(),
        tidy: None,
        prior,
    };
    train_tasks(base, &[task], tc, progress)
}

/// Dev exact F1 per role, `(precision, recall, F1)`, of head `head` of `tagger` on `task`'s
/// dev articles, after the task's tidying.
fn dev_scores(tagger: &SpanTagger, head: usize, task: &Task) -> Result<RolePrf, ModelError> {
    let texts: Vec<&str> = task.dev.iter().map(|a| a.text.as_str()).collect();
    let gold: Vec<Vec<(usize, usize, usize)>> = task.dev.iter().map(|a| a.spans.clone()).collect();
    let pred: Vec<Vec<(usize, usize, usize)>> = tagger.tag_heads(&texts)?[head]
        .iter()
        .zip(&texts)
        .map(|(v, text)| {
            let v = match task.tidy {
                Some(tidy) => tidy(text, v),
                None => v.clone(),
            };
            v.iter()
                .map(|t| (t.label, t.span.start, t.span.end))
                .collect()
        })
        .collect();
    Ok(exact_f1(&gold, &pred)
        .roles
        .map(|x| (x.precision, x.recall, x.f1)))
}

/// The training windows of one article: `(ids, tags)` with `[CLS]` and `[SEP]` around
/// [`WINDOW`] wordpieces, consecutive windows sharing [`OVERLAP`]; the special tokens'
/// tags are -100 (not scored).
fn training_windows(t: &Tokenized, tags: &[i64], cls: i64, sep: i64) -> Vec<(Vec<i64>, Vec<i64>)> {
    windows(t.ids.len(), OVERLAP)
        .into_iter()
        .map(|s| {
            let e = (s + WINDOW).min(t.ids.len());
            let mut ids = vec![cls];
            ids.extend(&t.ids[s..e]);
            ids.push(sep);
            let mut tg = vec![-100i64];
            tg.extend(&tags[s..e]);
            tg.push(-100);
            (ids, tg)
        })
        .collect()
}

/// Trains only the linear layer of a head stacked on a trained head (`under`, e.g.
/// `models/attribution`), whose layers stay exactly as shipped: the upper states of every
/// training window are computed once (float32, no dropout, as at inference), and the layer
/// is fitted on them with AdamW (dropout 0.1 on the states, linear warm-up and decay,
/// `tc.lr`, batches of `task.batch` windows, `task.repeat` passes per epoch). Starts from
/// `task.init` when given (scored as epoch 0), else from zeros; keeps the epoch with the best
/// mean exact F1 on `task.dev` (after `task.tidy`). Writes `model.safetensors`,
/// `config.json` (`"on"`: the folder name of `under`) and `train.log` into `task.out`.
///
/// A head trained this way never changes what the head below it reads, so the attribution
/// scores stay what they were; it costs seconds per epoch instead of minutes.
///
/// # Errors
/// Missing base or model files, or a failed step.
pub fn train_stacked_head(
    base: &Path,
    under: &Path,
    task: &Task,
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let mut log = TrainLog::create(task.out, progress)?;
    let mut say = |line: String| log.say(line);
    let layout = read_config(under)?;
    if layout.on.is_some() {
        return Err(ModelError::new(
            ModelErrorKind::Load,
            format!(
                "{} is itself stacked: give the head with layers",
                under.display()
            ),
        ));
    }
    say(format!(
        "data: train {} articles, dev {}, batch {}, {} pass(es) per epoch; layers of {} (split {}) frozen",
        task.train.len(),
        task.dev.len(),
        task.batch,
        task.repeat,
        under.display(),
        layout.split
    ));
    say(format!(
        "epochs {}, peak lr {}, seed {}, start: {}",
        tc.epochs,
        tc.lr,
        tc.seed,
        task.init
            .map_or("zeros".to_string(), |d| d.display().to_string())
    ));
    tch::manual_seed(tc.seed as i64);
    let config = base_config(base)?;
    let wordpieces = WordPieces::load(base)?;
    let lower = Lower::load(base, &config, layout.split, false)?;
    let mut below = Top::new(&config, layout.split, false);
    crate::split::load_trained_as(&mut below.vs, base, under, false)?;
    let (cls, sep) = (wordpieces.cls_id(), wordpieces.sep_id());
    // (upper states [len, hidden], tags [len]) per training window, computed once
    let mut cache: Vec<(Tensor, Tensor)> = Vec::new();
    for (k, a) in task.train.iter().enumerate() {
        let t = tokenize(&wordpieces, &a.text)?;
        for (ids, tg) in training_windows(&t, &gold_tags(&t, &a.spans), cls, sep) {
            let (it, m) = pad_ids(&[&ids]);
            let h = lower.forward(&it, &m)?;
            let u = tch::no_grad(|| below.upper(&h, &m, false))
                .ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no upper layers"))?;
            cache.push((u.squeeze_dim(0), Tensor::from_slice(&tg)));
        }
        if k % 10 == 0 {
            progress("encode train", k + 1, task.train.len());
        }
    }
    say(format!("train windows {}", cache.len()));
    let mut head = Top::new(&config, layout.split, true);
    head.prior = task.prior;
    if let Some(dir) = task.init {
        crate::split::load_trained_as(&mut head.vs, base, dir, false)?;
        head.vs.unfreeze();
        say(format!("initialised from {}", dir.display()));
    } else {
        tch::no_grad(|| {
            for (_, mut v) in head.vs.variables() {
                let _ = v.zero_();
            }
        });
    }
    let name = under
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut tagger = SpanTagger {
        wordpieces,
        lower,
        tops: vec![below, head],
    };
    let evaluate = |tagger: &SpanTagger| dev_scores(tagger, 1, task);
    let line = |f: &RolePrf| {
        let r = task.roles;
        format!(
            "dev exact F1 {} {:.1} {} {:.1} {} {:.1} (mean {:.1})",
            r[0],
            f[0].2 * 100.0,
            r[1],
            f[1].2 * 100.0,
            r[2],
            f[2].2 * 100.0,
            mean_f1(f) * 100.0
        )
    };
    let tmp = task.out.join("model.safetensors.tmp");
    let save_tmp = |tagger: &SpanTagger| {
        tagger.tops[1]
            .vs
            .save(&tmp)
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))
    };
    let mut best: Option<(f64, usize)> = None;
    if task.init.is_some() {
        let f = evaluate(&tagger)?;
        say(format!("epoch 0 (as loaded): {}", line(&f)));
        best = Some((mean_f1(&f), 0));
        save_tmp(&tagger)?;
    }
    let mut opt = nn::AdamW::default()
        .build(&tagger.tops[1].vs, tc.lr)
        .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    let mut order: Vec<usize> = (0..cache.len()).collect();
    order.sort_by_key(|&i| cache[i].0.size()[0]);
    let mut batches: Vec<Vec<usize>> = Vec::new();
    for _ in 0..task.repeat {
        batches.extend(order.chunks(task.batch.max(1)).map(<[usize]>::to_vec));
    }
    let steps = batches.len() * tc.epochs;
    let warm = (steps / 16).max(1);
    let mut rng = Rng::new(tc.seed);
    let mut step = 0;
    for epoch in 1..=tc.epochs {
        rng.shuffle(&mut batches);
        let mut total = 0.0;
        for b in &batches {
            step += 1;
            opt.set_lr(tc.lr * lr_scale(step, warm, steps));
            let hs: Vec<&Tensor> = b.iter().map(|&i| &cache[i].0).collect();
            let ts: Vec<&Tensor> = b.iter().map(|&i| &cache[i].1).collect();
            let u = Tensor::pad_sequence(&hs, true, 0.0);
            let y = Tensor::pad_sequence(&ts, true, -100.0);
            let logits = tagger.tops[1].classify(&u, true);
            let loss = logits.view([-1, 7]).cross_entropy_loss::<Tensor>(
                &y.view([-1]),
                None,
                tch::Reduction::Mean,
                -100,
                0.0,
            );
            opt.zero_grad();
            loss.backward();
            opt.step();
            total += loss.double_value(&[]);
        }
        let f = evaluate(&tagger)?;
        say(format!(
            "epoch {epoch}: train loss {:.4}; {}",
            total / batches.len().max(1) as f64,
            line(&f)
        ));
        if best.is_none_or(|(m, _)| mean_f1(&f) > m) {
            best = Some((mean_f1(&f), epoch));
            save_tmp(&tagger)?;
        }
    }
    let (m, epoch) =
        best.ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no epoch ran"))?;
    let mut head = tagger.tops.pop().expect("two heads");
    head.vs
        .load(&tmp)
        .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    crate::split::save_trained(&head.vs, base, &task.out.join("model.safetensors"))?;
    let _ = std::fs::remove_file(&tmp);
    std::fs::write(
        task.out.join("config.json"),
        config_json(layout.split, Some(&name), &task.prior),
    )
    .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    let s = format!("best epoch {epoch}: mean dev exact F1 {:.1}", m * 100.0);
    say(s.clone());
    Ok(s)
}

/// One task of a training run: its data, role names, batch size and output folder.
pub struct Task<'a> {
    /// Name in the log (and, for a head stacked on the first task's layers, nothing else).
    pub name: &'static str,
    /// Training articles.
    pub train: &'a [GoldArticle],
    /// Dev articles (epoch selection).
    pub dev: &'a [GoldArticle],
    /// Role names, for the log.
    pub roles: [&'static str; 3],
    /// Windows per batch.
    pub batch: usize,
    /// Passes over this task's training windows per epoch (a small corpus beside a large
    /// one gets several, so both shape the shared layers).
    pub repeat: usize,
    /// Where its model goes.
    pub out: &'a Path,
    /// Start from this trained model of the same split (for a stacked head, one stacked
    /// the same way) instead of the base encoder and a new head.
    pub init: Option<&'a Path>,
    /// What the pipeline does to this head's spans before using them (text, spans), applied
    /// before scoring dev too, so the epoch chosen is the best one as the pipeline sees it.
    pub tidy: Option<Tidy>,
    /// Decoding prior of this head (dev scoring and the shipped `config.json`):
    /// [`ATTRIBUTION_PRIOR`] for attribution, zeros for entities.
    pub prior: [f32; 7],
}

/// A post-processing of one head's spans of one text
/// ([`claimex_pipeline::stages::entities::tidy::tidy`]).
pub type Tidy = fn(&str, &[RawSpan]) -> Vec<RawSpan>;

/// A task's name and a space for the log, or nothing for a single unnamed task.
fn prefix(t: &Task) -> String {
    if t.name.is_empty() {
        String::new()
    } else {
        format!("{} ", t.name)
    }
}

/// Trains the first task's upper layers and head, and a head for each further task stacked
/// on those same layers (one upper pass serves them all at inference): batches of every
/// task shuffled together, each scored by its own head. The epoch with the best sum of the
/// tasks' mean dev exact F1 is kept. Writes each task's `model.safetensors` and
/// `config.json` (a stacked head's names the first task's folder in `"on"`), and
/// `train.log` into the first task's folder.
///
/// # Errors
/// Missing base files, or a failed step.
pub fn train_tasks(
    base: &Path,
    tasks: &[Task],
    tc: &TrainConfig,
    progress: Progress,
) -> Result<String, ModelError> {
    let first = tasks
        .first()
        .ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no task to train"))?;
    for t in &tasks[1..] {
        std::fs::create_dir_all(t.out).map_err(|e| {
            ModelError::new(ModelErrorKind::Load, format!("{}: {e}", t.out.display()))
        })?;
    }
    let mut log = TrainLog::create(first.out, progress)?;
    let mut say = |line: String| log.say(line);
    for t in tasks {
        say(format!(
            "data: {}train {} articles, dev {}, batch {}, {} pass(es) per epoch",
            prefix(t),
            t.train.len(),
            t.dev.len(),
            t.batch,
            t.repeat
        ));
    }
    say(format!("{tc:?}"));
    tch::manual_seed(tc.seed as i64);
    let config = base_config(base)?;
    let wordpieces = WordPieces::load(base)?;
    let lower = Lower::load(base, &config, tc.split, false)?;
    let (cls, sep) = (wordpieces.cls_id(), wordpieces.sep_id());
    // windows of train articles with their tags, lower states cached
    let mut cache: Vec<(Tensor, Tensor)> = Vec::new(); // (hidden [len, h], tags [len])
    let mut batches: Vec<(usize, Vec<usize>)> = Vec::new(); // (task, windows)
    for (ti, task) in tasks.iter().enumerate() {
        let from = cache.len();
        let mut ntok = 0;
        for (k, a) in task.train.iter().enumerate() {
            let t = tokenize(&wordpieces, &a.text)?;
            for (ids, tg) in training_windows(&t, &gold_tags(&t, &a.spans), cls, sep) {
                let (it, m) = pad_ids(&[&ids]);
                let h = lower.forward(&it, &m)?.squeeze_dim(0);
                ntok += ids.len();
                cache.push((h, Tensor::from_slice(&tg)));
            }
            if k % 20 == 0 {
                progress("encode train", k + 1, task.train.len());
            }
        }
        say(format!(
            "train windows {}, wordpieces {ntok}",
            cache.len() - from
        ));
        let mut order: Vec<usize> = (from..cache.len()).collect();
        order.sort_by_key(|&i| cache[i].0.size()[0]);
        for _ in 0..task.repeat {
            batches.extend(order.chunks(task.batch).map(|c| (ti, c.to_vec())));
        }
    }
    let mut tops = Vec::new();
    for (ti, task) in tasks.iter().enumerate() {
        let mut top = Top::new(&config, tc.split, ti > 0);
        top.prior = task.prior;
        let missing = top
            .vs
            .load_partial(base.join("model.safetensors"))
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
        match task.init {
            Some(dir) => {
                let split = read_split(dir)?;
                if split < tc.split {
                    return Err(ModelError::new(
                        ModelErrorKind::Load,
                        format!(
                            "{} was trained with split {split}: it cannot start a model of split {}",
                            dir.display(),
                            tc.split
                        ),
                    ));
                }
                if split == tc.split {
                    crate::split::load_trained_as(&mut top.vs, base, dir, false)?;
                } else {
                    // a deeper model from a shallower one: layers split..6 and the head come
                    // from `dir`, layers tc.split..split (frozen there) from the base
                    let mut from = Top::new(&config, split, ti > 0);
                    crate::split::load_trained_as(&mut from.vs, base, dir, false)?;
                    let trained = from.vs.variables();
                    tch::no_grad(|| -> Result<(), ModelError> {
                        for (name, mut var) in top.vs.variables() {
                            if let Some(t) = trained.get(&name) {
                                var.f_copy_(t).map_err(|e| {
                                    ModelError::new(ModelErrorKind::Load, format!("{name}: {e}"))
                                })?;
                            }
                        }
                        Ok(())
                    })?;
                }
                // load_trained_as readies a model for inference: trainable again
                top.vs.unfreeze();
                say(format!(
                    "{}initialised from {} (split {split})",
                    prefix(task),
                    dir.display()
                ));
            }
            None => say(format!(
                "{}initialised from base; new: {missing:?}",
                prefix(task)
            )),
        }
        tops.push(top);
    }
    let mut opts = tops
        .iter()
        .map(|t| {
            nn::AdamW::default()
                .build(&t.vs, tc.lr)
                .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let steps = batches.len() * tc.epochs;
    let warm = (steps / 16).max(1);
    let mut rng = Rng::new(tc.seed);
    let mut best: Option<(f64, usize)> = None;
    let tmp = |ti: usize| tasks[ti].out.join("model.safetensors.tmp");
    let mut step = 0;
    let tagger = SpanTagger {
        wordpieces,
        lower,
        tops,
    };
    // dev exact F1 per role as (P, R, F1) of each task, and the sum of their mean F1
    let evaluate = |tagger: &SpanTagger| -> Result<(Vec<RolePrf>, f64), ModelError> {
        let mut all = Vec::new();
        let mut sum = 0.0;
        for (ti, task) in tasks.iter().enumerate() {
            let f = dev_scores(tagger, ti, task)?;
            sum += mean_f1(&f);
            all.push(f);
        }
        Ok((all, sum))
    };
    let line = |fs: &[RolePrf]| {
        fs.iter()
            .zip(tasks)
            .map(|(f, t)| {
                let r = t.roles;
                format!(
                    "{}dev exact F1 {} {:.1} {} {:.1} {} {:.1} (P/R {:.1}/{:.1}, {:.1}/{:.1}, {:.1}/{:.1})",
                    prefix(t),
                    r[0],
                    f[0].2 * 100.0,
                    r[1],
                    f[1].2 * 100.0,
                    r[2],
                    f[2].2 * 100.0,
                    f[0].0 * 100.0,
                    f[0].1 * 100.0,
                    f[1].0 * 100.0,
                    f[1].1 * 100.0,
                    f[2].0 * 100.0,
                    f[2].1 * 100.0
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let save_tmp = |tagger: &SpanTagger| -> Result<(), ModelError> {
        for (ti, top) in tagger.tops.iter().enumerate() {
            top.vs
                .save(tmp(ti))
                .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
        }
        Ok(())
    };
    if tasks.iter().all(|t| t.init.is_some()) {
        let (f, mean) = evaluate(&tagger)?;
        say(format!("epoch 0 (as loaded): {}", line(&f)));
        best = Some((mean, 0));
        save_tmp(&tagger)?;
    }
    for epoch in 1..=tc.epochs {
        rng.shuffle(&mut batches);
        let mut total = 0.0;
        for (bi, (ti, b)) in batches.iter().enumerate() {
            step += 1;
            let scale = lr_scale(step, warm, steps);
            for o in opts.iter_mut() {
                o.set_lr(tc.lr * scale);
            }
            let hs: Vec<&Tensor> = b.iter().map(|&i| &cache[i].0).collect();
            let ts: Vec<&Tensor> = b.iter().map(|&i| &cache[i].1).collect();
            let h = Tensor::pad_sequence(&hs, true, 0.0);
            let y = Tensor::pad_sequence(&ts, true, -100.0);
            // [CLS]/[SEP] are attended to, only not scored
            let attend = Tensor::pad_sequence(
                &ts.iter().map(|t| t.ones_like()).collect::<Vec<_>>(),
                true,
                0.0,
            );
            // the first task's head is never stacked (Top::new above)
            let u = tagger.tops[0]
                .upper(&h, &attend, true)
                .ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no upper layers"))?;
            let logits = tagger.tops[*ti].classify(&u, true);
            let loss = logits.view([-1, 7]).cross_entropy_loss::<Tensor>(
                &y.view([-1]),
                None,
                tch::Reduction::Mean,
                -100,
                0.0,
            );
            for o in opts.iter_mut() {
                o.zero_grad();
            }
            loss.backward();
            for top in &tagger.tops {
                scale_grads(&top.vs, "tagger", 10.0);
            }
            opts[0].step();
            if *ti > 0 {
                opts[*ti].step();
            }
            total += loss.double_value(&[]);
            if bi % 10 == 0 {
                progress(
                    &format!(
                        "epoch {epoch}/{} loss {:.4}",
                        tc.epochs,
                        total / (bi + 1) as f64
                    ),
                    bi + 1,
                    batches.len(),
                );
            }
        }
        let (f, mean) = evaluate(&tagger)?;
        say(format!(
            "epoch {epoch}: train loss {:.4}; {}",
            total / batches.len() as f64,
            line(&f)
        ));
        if best.is_none_or(|(m, _)| mean > m) {
            best = Some((mean, epoch));
            save_tmp(&tagger)?;
        }
    }
    let (mean, epoch) =
        best.ok_or_else(|| ModelError::new(ModelErrorKind::Inference, "no epoch ran"))?;
    let first_name = first
        .out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for (ti, mut top) in tagger.tops.into_iter().enumerate() {
        let out = tasks[ti].out;
        top.vs
            .load(tmp(ti))
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
        crate::split::save_trained(&top.vs, base, &out.join("model.safetensors"))?;
        let _ = std::fs::remove_file(tmp(ti));
        let on = (ti > 0).then_some(first_name.as_str());
        let layout = config_json(tc.split, on, &tasks[ti].prior);
        std::fs::write(out.join("config.json"), layout)
            .map_err(|e| ModelError::new(ModelErrorKind::Load, e.to_string()))?;
    }
    let s = format!(
        "best epoch {epoch}: {} dev exact F1 {:.1}",
        if tasks.len() == 1 {
            "mean"
        } else {
            "sum of the tasks' mean"
        },
        mean * 100.0
    );
    say(s.clone());
    Ok(s)
}

/// The pipeline stage that runs the span heads over all articles of a batch together and
/// keeps their spans in `doc.tagged` (mapped to bytes and checked there), for the entity
/// and attribution-linking stages that follow.
pub struct TagSpans {
    tagger: std::sync::Mutex<SpanTagger>,
    layers: Vec<TaggedLayer>,
}

impl TagSpans {
    /// Wraps a loaded tagger whose heads tag `layers`, in order.
    pub fn new(tagger: SpanTagger, layers: Vec<TaggedLayer>) -> Self {
        TagSpans {
            tagger: std::sync::Mutex::new(tagger),
            layers,
        }
    }
}

impl claimex_pipeline::stage::BatchStage for TagSpans {
    fn name(&self) -> &'static str {
        "tag_spans"
    }

    fn annotate_batch(
        &self,
        docs: &mut [&mut claimex_pipeline::Document],
    ) -> Result<(), claimex_pipeline::StageError> {
        use claimex_pipeline::{ErrorKind, StageError};
        let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
        // a panic in an earlier batch poisoned the lock, but the tagger holds no state
        // between calls (inference only): the lock is taken back and the run goes on
        let tagger = self
            .tagger
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let heads = tagger
            .tag_heads(&texts)
            .map_err(|e| StageError::new(ErrorKind::Internal, format!("span tagger: {e}")))?;
        drop(tagger);
        for (layer, spans) in self.layers.iter().zip(heads) {
            for (d, s) in docs.iter_mut().zip(spans) {
                claimex_pipeline::tagged::store(d, *layer, &s)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    /// A stacked head's config names its base head; loading it without that head first is
    /// refused.
    #[test]
    fn a_stacked_head_loads_only_after_its_base_head() {
        let Some(base) = crate::installed_base() else {
            return;
        };
        let tmp = std::env::temp_dir().join(format!("claimex-stacked-{}", std::process::id()));
        let (a, e) = (tmp.join("attribution"), tmp.join("entities"));
        for d in [&a, &e] {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::write(a.join("config.json"), "{\"split\": 2}").unwrap();
        std::fs::write(
            e.join("config.json"),
            "{\"split\": 2, \"on\": \"attribution\"}",
        )
        .unwrap();
        // alone, or after a head of another name: refused before any weight is read
        for dirs in [vec![e.as_path()], vec![e.as_path(), a.as_path()]] {
            let err = SpanTagger::load_heads(&base, &dirs).err().expect("refused");
            assert!(err.to_string().contains("load that head first"), "{err}");
        }
        // in order, it gets as far as the (absent) weights of the base head
        let err = SpanTagger::load_heads(&base, &[a.as_path(), e.as_path()])
            .err()
            .expect("no weights");
        assert!(err.to_string().contains("model.safetensors"), "{err}");
        let _ = std::fs::remove_dir_all(&tmp);
    }

    /// A head trained on the shipped attribution layers learns its spans from a few windows
    /// and leaves the attribution head's reading exactly as it was.
    #[test]
    fn a_stacked_head_trains_on_frozen_layers() {
        let Some(base) = crate::installed_base() else {
            return;
        };
        let under = crate::checkworthiness::default_model_dir("attribution");
        let tmp = std::env::temp_dir().join(format!("claimex-head-{}", std::process::id()));
        let out = tmp.join("entities");
        // role 0 on the names: "Maria Lopez" (0..11), "Tom Reyes" (30..39)
        let text = "Maria Lopez met the council. Tom Reyes left early.";
        let art = |id: &str| GoldArticle {
            id: id.into(),
            text: text.into(),
            spans: vec![(0, 0, 11), (0, 29, 38)],
        };
        assert_eq!(&text[29..38], "Tom Reyes");
        let (train, dev) = (vec![art("a"), art("b")], vec![art("c")]);
        let task = Task {
            name: "names",
            train: &train,
            dev: &dev,
            roles: ["name", "unused", "unused"],
            batch: 2,
            repeat: 20,
            out: &out,
            init: None,
            tidy: None,
            prior: [0.0; 7],
        };
        let tc = TrainConfig {
            epochs: 3,
            lr: 1e-2,
            ..TrainConfig::default()
        };
        train_stacked_head(&base, &under, &task, &tc, &|_, _, _| {}).unwrap();
        let c = read_config(&out).unwrap();
        assert_eq!(c.on.as_deref(), Some("attribution"));
        // the copy of the attribution head next to it reads as the shipped one
        let a = tmp.join("attribution");
        std::fs::create_dir_all(&a).unwrap();
        for f in ["model.safetensors", "config.json"] {
            std::fs::copy(under.join(f), a.join(f)).unwrap();
        }
        let both = SpanTagger::load_heads(&base, &[a.as_path(), out.as_path()]).unwrap();
        let alone = SpanTagger::load(&base, &under).unwrap();
        let heads = both.tag_heads(&[text]).unwrap();
        assert_eq!(heads[0], alone.tag(&[text]).unwrap());
        let names: Vec<(usize, usize)> = heads[1][0]
            .iter()
            .map(|t| (t.span.start, t.span.end))
            .collect();
        assert_eq!(names, vec![(0, 11), (29, 38)]);
        let _ = std::fs::remove_dir_all(&tmp);
    }

    /// Real inference with the shipped heads on one shared pass: names typed, an indirect
    /// attribution found, every span inside the text and on its words.
    #[test]
    fn shipped_heads_tag_names_and_attributions() {
        let Some(base) = crate::installed_base() else {
            return;
        };
        let dir = |t: &str| crate::checkworthiness::default_model_dir(t);
        let (a, e) = (dir("attribution"), dir("entities"));
        let tagger = SpanTagger::load_heads(&base, &[a.as_path(), e.as_path()]).unwrap();
        let text = "Maria Lopez, the mayor of Chicago, said on Monday that the city budget \
                    would be balanced by June. Officials at the World Bank disagreed.";
        let heads = tagger.tag_heads(&[text]).unwrap();
        let chars: Vec<char> = text.chars().collect();
        let show = |t: &RawSpan| -> (usize, String) {
            let (s, e) = (t.span.start, t.span.end);
            assert!(s < e && e <= chars.len());
            (t.label, chars[s..e].iter().collect())
        };
        let attribution: Vec<(usize, String)> = heads[0][0].iter().map(show).collect();
        let entities: Vec<(usize, String)> = heads[1][0].iter().map(show).collect();
        assert!(
            entities.contains(&(0, "Maria Lopez".into())),
            "{entities:?}"
        );
        // ("Chicago" is not asked for: GUM dev F1 63.6, see the model card)
        assert!(entities.contains(&(1, "World Bank".into())), "{entities:?}");
        assert!(attribution.contains(&(1, "said".into())), "{attribution:?}");
        assert!(
            attribution
                .iter()
                .any(|(r, s)| *r == 2 && s.contains("the city budget would be balanced")),
            "{attribution:?}"
        );
        assert!(
            attribution
                .iter()
                .any(|(r, s)| *r == 0 && s.starts_with("Maria Lopez")),
            "{attribution:?}"
        );
    }
}

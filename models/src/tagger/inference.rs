//! Loading a span tagger (base encoder, trained upper layers, one or more heads) and tagging
//! texts with it.

use super::bio::{decode, spans_with_scores};
use super::config::{read_config, SPLIT};
use super::head::Top;
use super::windows::{tokenize, windows, Tokenized, INFER_OVERLAP, WINDOW};
use crate::encoder::WordPieces;
use crate::error::{ModelError, ModelErrorKind};
use crate::split::{base_config, bf16, load_trained, pad_ids, Lower};
use claimex_pipeline::tagged::RawSpan;
use std::path::Path;
use tch::Kind;

/// Trained span taggers sharing one tokenizer and one pass through the frozen lower layers:
/// each head (attribution, entities) adds only its own upper layers and linear layer.
pub struct SpanTagger {
    pub(crate) wordpieces: WordPieces,
    pub(crate) lower: Lower,
    pub(crate) tops: Vec<Top>,
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

#[cfg(test)]
mod tests {
    use super::*;

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

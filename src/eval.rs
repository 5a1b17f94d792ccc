//! `claimex eval ...`: accuracy against gold, printed as a table or one JSON object.

use crate::cli::EvalCommand;
use crate::{cores, desk, with_models};
use anyhow::Context;
use claimex_pipeline::ingest::Source;
use claimex_pipeline::output::Record;
use claimex_pipeline::{Pipeline, PipelineConfig};
use std::process::ExitCode;

fn read_records(p: &std::path::Path) -> anyhow::Result<Vec<Record>> {
    let text =
        std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            serde_json::from_str(l)
                .with_context(|| format!("{} line {}: not a claimex record", p.display(), i + 1))
        })
        .collect()
}

/// Prints an attribution report: JSON, or the table `eval attribution` shows; `what` names
/// what `articles` counts.
fn print_attribution(
    r: &claimex_pipeline::eval::attribution::AttributionReport,
    json: bool,
    what: &str,
) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(r)?);
        return Ok(());
    }
    println!(
        "{} {what} ({} without a prediction)",
        r.articles,
        r.missing_predictions.len()
    );
    println!("role       exact P     R    F1 | overlap P     R    F1");
    for role in &r.roles {
        println!(
            "{:<9} {} {} {} |      {} {} {}",
            role.role,
            pct(role.exact.precision),
            pct(role.exact.recall),
            pct(role.exact.f1),
            pct(role.overlap.precision),
            pct(role.overlap.recall),
            pct(role.overlap.f1)
        );
    }
    let (g, f, p, c) = r.attribution_counts;
    println!(
        "attribution P {} R {} F1 {}  (gold {g}, found {f}, predicted {p}, correct {c})",
        pct(r.attribution.precision),
        pct(r.attribution.recall),
        pct(r.attribution.f1)
    );
    for (t, (n, ok, prec)) in &r.by_type {
        println!(
            "  predicted {t:<9} {n:5}  correct {ok:5}  precision {}",
            pct(*prec)
        );
    }
    for (t, (n, ok, rec)) in &r.by_gold_kind {
        println!("  gold {t:<9} {n:5}  found {ok:5}  recall {}", pct(*rec));
    }
    println!("worst articles (attribution F1):");
    for (id, g, p, f) in &r.worst {
        println!("  {} gold {g:3} predicted {p:3}  {id}", pct(*f));
    }
    Ok(())
}

fn pct(x: f64) -> String {
    format!("{:5.1}", x * 100.0)
}

/// Runs one `claimex eval` subcommand and prints its figures.
///
/// # Errors
/// Unreadable gold or predictions, models that do not load, a failed write.
pub(crate) fn eval(what: EvalCommand) -> anyhow::Result<ExitCode> {
    use claimex_pipeline::eval;
    match what {
        EvalCommand::Attribution { gold, pred, json } => {
            let g = eval::attribution::load_gold_any(&gold)?;
            let r = eval::attribution::evaluate(&g, &read_records(&pred)?);
            print_attribution(&r, json, "articles")?;
        }
        EvalCommand::Agreement { gold, json } => {
            let all = eval::attribution::load_annotations(&gold)?;
            let several: Vec<_> = all.into_iter().filter(|a| a.2.len() > 1).collect();
            if several.is_empty() {
                anyhow::bail!("{}: no article has two annotators' files", gold.display());
            }
            eprintln!(
                "{} articles with several annotators ({} files)",
                several.len(),
                several.iter().map(|a| a.2.len()).sum::<usize>()
            );
            let r = eval::attribution::agreement(&several);
            print_attribution(&r, json, "annotator pairs")?;
        }
        EvalCommand::Grouping {
            records,
            pairs,
            threshold,
            sample,
            sample_out,
            json,
        } => {
            let recs = desk::read_all(std::slice::from_ref(&records))?;
            if let (Some(n), Some(out)) = (sample, sample_out) {
                std::fs::write(&out, eval::grouping::sample(&recs, n))
                    .with_context(|| format!("cannot write {}", out.display()))?;
            }
            let hand = match pairs {
                Some(p) => {
                    let t = std::fs::read_to_string(&p)
                        .with_context(|| format!("cannot read {}", p.display()))?;
                    let hp = eval::grouping::read_hand_pairs(&t)
                        .map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
                    Some(eval::grouping::hand(&recs, &hp, threshold))
                }
                None => None,
            };
            let r = eval::grouping::sweep(&recs);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({"auto": r, "hand": hand}))?
                );
            } else {
                println!(
                    "{} claims with embeddings, {} blocked pairs of different articles; automatic labels: {} same, {} different",
                    r.claims, r.pairs, r.same, r.different
                );
                for p in r
                    .sweep
                    .iter()
                    .filter(|p| (p.threshold * 100.0).round() as i32 % 5 == 0)
                {
                    println!(
                        "  cosine >= {:.2}: P {:.1} R {:.1} F1 {:.1}",
                        p.threshold,
                        100.0 * p.prf.precision,
                        100.0 * p.prf.recall,
                        100.0 * p.prf.f1
                    );
                }
                println!(
                    "best F1 on automatic labels: cosine >= {:.2} (P {:.1} R {:.1} F1 {:.1})",
                    r.best.threshold,
                    100.0 * r.best.prf.precision,
                    100.0 * r.best.prf.recall,
                    100.0 * r.best.prf.f1
                );
                if let Some(h) = hand {
                    println!(
                        "hand labels: {} pairs ({} same, {} not in the records); at cosine >= {:.2}: P {:.1} R {:.1} F1 {:.1}; equal text alone: P {:.1} R {:.1}",
                        h.pairs,
                        h.same,
                        h.missing,
                        h.threshold,
                        100.0 * h.prf.precision,
                        100.0 * h.prf.recall,
                        100.0 * h.prf.f1,
                        100.0 * h.exact_text.precision,
                        100.0 * h.exact_text.recall
                    );
                }
            }
        }
        EvalCommand::GroupingCost { records, claims } => {
            let recs = desk::read_all(std::slice::from_ref(&records))?;
            for n in claims {
                let items = eval::grouping::synthetic(&recs, n)
                    .context("the records hold no claim with an embedding (extract with models)")?;
                let t0 = std::time::Instant::now();
                let g = claimex_pipeline::desk::group::group(
                    &items,
                    claimex_pipeline::desk::DEFAULT_THRESHOLD,
                );
                let s = t0.elapsed().as_secs_f64();
                println!(
                    "  {n:>7} claims: {s:7.2} s  {:>9} comparisons ({:.1} per claim)  {} groups",
                    g.compared,
                    g.compared as f64 / n as f64,
                    g.groups.len()
                );
            }
        }
        EvalCommand::Checkworthiness { gold, pred, json } => {
            let g = eval::checkworthiness::read_gold(
                &std::fs::read_to_string(&gold)
                    .with_context(|| format!("cannot read {}", gold.display()))?,
            );
            let text = std::fs::read_to_string(&pred)
                .with_context(|| format!("cannot read {}", pred.display()))?;
            let mut p = std::collections::HashMap::new();
            for (i, l) in text.lines().enumerate() {
                let v: serde_json::Value = serde_json::from_str(l)
                    .with_context(|| format!("{} line {}", pred.display(), i + 1))?;
                let id = match &v["id"] {
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                p.insert(
                    id,
                    (v["score"].as_f64().unwrap_or(0.0), v["label"] == "Yes"),
                );
            }
            let r = eval::checkworthiness::evaluate(&g, &p);
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!(
                    "{} sentences ({} without a prediction)",
                    r.sentences, r.missing
                );
                println!(
                    "Yes: P {} R {} F1 {}; average precision {}",
                    pct(r.positive.precision),
                    pct(r.positive.recall),
                    pct(r.positive.f1),
                    pct(r.average_precision)
                );
            }
        }
        EvalCommand::Entities { gold, json, errors } => {
            tch::set_num_threads(cores() as i32);
            let docs = claimex_models::entities::read_split(&gold)?;
            let tagger = claimex_models::tagger::SpanTagger::load(
                &claimex_models::default_base_dir(),
                &claimex_models::checkworthiness::default_model_dir("entities"),
            )?;
            let texts: Vec<&str> = docs.iter().map(|d| d.text.as_str()).collect();
            let mut pred = Vec::new();
            for chunk in texts.chunks(8) {
                let tagged = tagger.tag(chunk)?;
                pred.extend(chunk.iter().zip(tagged).map(|(text, v)| {
                    // the names the pipeline's entity stage receives
                    claimex_pipeline::stages::entities::tidy::tidy(text, &v)
                        .into_iter()
                        .map(|t| (t.label, t.span.start, t.span.end))
                        .collect::<Vec<_>>()
                }));
            }
            let gold_spans: Vec<Vec<(usize, usize, usize)>> =
                docs.iter().map(|d| d.spans.clone()).collect();
            if errors {
                let roles = claimex_models::entities::ROLES;
                for ((d, g), p) in docs.iter().zip(&gold_spans).zip(&pred) {
                    let chars: Vec<char> = d.text.chars().collect();
                    // a name on one line: line breaks inside a span print as ⏎
                    let name = |&(r, s, e): &(usize, usize, usize)| {
                        let t: String = chars[s..e].iter().collect();
                        format!("{}:{}", roles[r], t.replace('\n', "⏎"))
                    };
                    for (kind, ours, theirs) in [("miss", g, p), ("spurious", p, g)] {
                        for x in ours.iter().filter(|x| !theirs.contains(x)) {
                            let near: Vec<String> = theirs
                                .iter()
                                .filter(|y| y.1 < x.2 && x.1 < y.2)
                                .map(name)
                                .collect();
                            println!("{}\t{kind}\t{}\t{}", d.id, name(x), near.join(" | "));
                        }
                    }
                }
            }
            let r = claimex_models::tagger::exact::exact_f1(&gold_spans, &pred);
            let roles = claimex_models::entities::ROLES;
            if json {
                let by_role: serde_json::Map<String, serde_json::Value> = roles
                    .iter()
                    .zip(r.roles)
                    .map(|(n, prf)| Ok((n.to_string(), serde_json::to_value(prf)?)))
                    .collect::<Result<_, serde_json::Error>>()?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(&serde_json::json!({
                        "documents": docs.len(), "gold": r.gold, "predicted": r.predicted,
                        "correct": r.correct, "all": r.all, "roles": by_role,
                    }))?
                );
            } else {
                println!(
                    "{} documents, {} gold names, {} predicted, {} exact",
                    docs.len(),
                    r.gold,
                    r.predicted,
                    r.correct
                );
                let names = roles.iter().copied().chain(["all"]);
                for (n, prf) in names.zip(r.roles.iter().chain([&r.all])) {
                    println!(
                        "{n:<7} P {} R {} F1 {}",
                        pct(prf.precision),
                        pct(prf.recall),
                        pct(prf.f1)
                    );
                }
            }
        }
        EvalCommand::Speakers {
            gold,
            no_models,
            json,
        } => {
            let rows = eval::gap::read(
                &std::fs::read_to_string(&gold)
                    .with_context(|| format!("cannot read {}", gold.display()))?,
            );
            let mut pipeline = Pipeline::new(&PipelineConfig::default());
            if !no_models {
                pipeline = with_models(pipeline, &claimex_models::default_base_dir())?;
            }
            let mut records = Vec::new();
            let mut sink = Vec::new();
            let sources: Vec<Source> = rows
                .iter()
                .enumerate()
                .map(|(i, row)| Source::JsonLine {
                    origin: gold.display().to_string(),
                    line: i + 1,
                    raw: Ok(serde_json::json!({"id": row.id, "text": row.text})
                        .to_string()
                        .into_bytes()),
                    id: None,
                })
                .collect();
            pipeline.run_batch(&sources, &mut sink, |_| {})?;
            for l in String::from_utf8(sink)?.lines() {
                records.push(serde_json::from_str::<Record>(l)?);
            }
            let answers: Vec<(bool, bool, bool)> = rows
                .iter()
                .zip(&records)
                .map(|(row, rec)| eval::gap::answer(row, rec))
                .collect();
            let r = eval::gap::evaluate(&rows, &answers);
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!("{} rows, {} pronouns resolved", r.rows, r.resolved);
                println!(
                    "F1 {} (P {} R {}); accuracy {}",
                    pct(r.f1.f1),
                    pct(r.f1.precision),
                    pct(r.f1.recall),
                    pct(r.accuracy)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

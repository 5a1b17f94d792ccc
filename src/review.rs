//! `claimex export`, `claimex import`, `claimex diff`: the annotators' round trip.
//!
//! Exit codes as everywhere: 0 all articles went through, 1 some did not (each is named on
//! stderr, and in `skipped.jsonl` for an export or as an error record for an import), 2 a
//! usage or setup error.

use anyhow::Context;
use claimex_pipeline::output::Record;
use claimex_pipeline::review::{self, brat, diff, label_studio};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Which annotation tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Tool {
    /// Label Studio (tasks.json + config.xml out; its JSON export in).
    LabelStudio,
    /// brat standoff (a folder of .txt/.ann with annotation.conf and visual.conf).
    Brat,
}

/// Reads a records file, `-` for stdin. Lines that are not records are returned as
/// `(line number, error)` beside the records, in order.
/// Lines of a records file that are not records: (line number, why).
type BadLines = Vec<(usize, String)>;

fn read_records_lossy(path: &Path) -> anyhow::Result<(Vec<Record>, BadLines)> {
    let text = if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read stdin")?;
        s
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?
    };
    let (mut ok, mut bad) = (Vec::new(), Vec::new());
    for (i, l) in text.lines().enumerate() {
        if l.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Record>(l) {
            Ok(r) => ok.push(r),
            Err(e) => bad.push((i + 1, e.to_string())),
        }
    }
    Ok((ok, bad))
}

/// The model version a Label Studio prediction names: claimex's version and the sha256 of
/// each shipped model's weights (those beside this build; `missing` when absent).
fn model_version() -> String {
    let mut v = format!("claimex {}", env!("CARGO_PKG_VERSION"));
    for name in ["attribution", "entities", "checkworthiness"] {
        let f = claimex_models::checkworthiness::default_model_dir(name).join("model.safetensors");
        let sha = std::fs::read(&f).map_or_else(|_| "missing".into(), |b| brat::sha256_hex(&b));
        v.push_str(&format!("; {name} sha256:{sha}"));
    }
    v
}

fn write(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}

/// `claimex export`.
pub fn export(to: Tool, records: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    let (records, bad) = read_records_lossy(records)?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut skipped = String::new();
    for (line, e) in &bad {
        eprintln!("claimex: skipped line {line}: not a claimex record: {e}");
        skipped.push_str(
            &serde_json::json!({"line": line, "error": format!("not a claimex record: {e}")})
                .to_string(),
        );
        skipped.push('\n');
    }
    let mut ok = Vec::new();
    for r in &records {
        if r.status == claimex_pipeline::output::RecordStatus::Ok && r.text.is_some() {
            ok.push(r);
        } else {
            let (kind, msg) = r
                .error
                .as_ref()
                .map_or(("?", ""), |e| (e.kind.as_str(), e.message.as_str()));
            eprintln!("claimex: skipped {}: {kind}: {msg}", r.id);
            skipped.push_str(&serde_json::to_string(r)?);
            skipped.push('\n');
        }
    }
    match to {
        Tool::LabelStudio => {
            let version = model_version();
            let tasks: Vec<serde_json::Value> = ok
                .iter()
                .filter_map(|r| label_studio::task(r, &version))
                .collect();
            write(
                &out.join("tasks.json"),
                serde_json::to_string_pretty(&tasks)?.as_bytes(),
            )?;
            write(
                &out.join("config.xml"),
                label_studio::config_xml().as_bytes(),
            )?;
        }
        Tool::Brat => {
            let stems = brat::file_stems(ok.iter().map(|r| r.id.as_str()));
            let mut manifest = String::from(brat::MANIFEST_HEADER);
            for (r, stem) in ok.iter().zip(&stems) {
                let ann = brat::ann(r);
                write(
                    &out.join(format!("{stem}.txt")),
                    r.text.as_deref().unwrap_or("").as_bytes(),
                )?;
                write(&out.join(format!("{stem}.ann")), ann.as_bytes())?;
                manifest.push_str(&brat::manifest_line(stem, r, &ann));
            }
            write(&out.join(brat::MANIFEST), manifest.as_bytes())?;
            write(
                &out.join("annotation.conf"),
                brat::ANNOTATION_CONF.as_bytes(),
            )?;
            write(&out.join("visual.conf"), brat::VISUAL_CONF.as_bytes())?;
        }
    }
    write(&out.join("skipped.jsonl"), skipped.as_bytes())?;
    let n_skipped = bad.len() + records.len() - ok.len();
    eprintln!(
        "claimex: exported {} articles to {} ({n_skipped} skipped)",
        ok.len(),
        out.display()
    );
    Ok(if n_skipped > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One article read back from a tool: where it came from, its id, text and metadata, and
/// its layers or what is wrong.
struct Imported {
    place: String,
    id: String,
    text: String,
    meta: claimex_pipeline::document::Meta,
    source: Option<claimex_pipeline::output::SourceOut>,
    layers: review::Reviewed,
}

/// `claimex import`.
pub fn import(
    from: Tool,
    input: &Path,
    records: Option<&Path>,
    output: &Path,
) -> anyhow::Result<ExitCode> {
    let items: Vec<Imported> = match from {
        Tool::LabelStudio => {
            let json = std::fs::read_to_string(input)
                .with_context(|| format!("cannot read {}", input.display()))?;
            let name = input.file_name().map_or_else(
                || input.display().to_string(),
                |n| n.to_string_lossy().into(),
            );
            label_studio::read_export(&json)
                .map_err(|e| anyhow::anyhow!("{}: {e}", input.display()))?
                .into_iter()
                .map(|t| Imported {
                    place: format!("{name} task {}", t.task),
                    id: t.id,
                    text: t.text,
                    meta: t.meta,
                    source: t.source,
                    layers: t.layers,
                })
                .collect()
        }
        Tool::Brat => {
            anyhow::ensure!(input.is_dir(), "{} is not a brat folder", input.display());
            brat::read_dir(input)
                .map_err(anyhow::Error::msg)?
                .into_iter()
                .map(|d| Imported {
                    place: format!("{}.ann", d.file),
                    id: d.id,
                    text: d.text,
                    meta: d.meta,
                    source: d.source,
                    layers: d.layers,
                })
                .collect()
        }
    };
    let base: Option<Vec<Record>> = match records {
        Some(p) => {
            let (r, bad) = read_records_lossy(p)?;
            if let Some((line, e)) = bad.first() {
                anyhow::bail!("{} line {line}: not a claimex record: {e}", p.display());
            }
            Some(r)
        }
        None => None,
    };
    // the first record of each id, by id (an import of many articles stays linear)
    let mut first_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (k, r) in base.iter().flatten().enumerate() {
        first_of.entry(r.id.clone()).or_insert(k);
    }
    let mut failed = 0usize;
    let mut results: Vec<(String, Record)> = Vec::new();
    for it in items {
        let known = base
            .as_ref()
            .map(|b| first_of.get(it.id.as_str()).map(|&k| b[k].clone()));
        // a text that is not the record's is the first thing wrong, whatever its regions say
        let text_differs =
            matches!(&known, Some(Some(r)) if r.text.as_deref() != Some(it.text.as_str()));
        let layers = match (it.layers, &known) {
            (_, Some(Some(r))) if text_differs => {
                review::corrected(r.clone(), &it.text, Default::default(), None)
                    .map(|_| Default::default())
            }
            (l, _) => l,
        };
        let rec = match (layers, known) {
            (Err(e), _) => Err(e),
            (Ok(_), Some(None)) => Err(review::ReviewError::article(
                "no record of this id in the records file",
            )),
            (Ok((layers, rv)), Some(Some(r))) => review::corrected(r, &it.text, layers, rv),
            (Ok((layers, rv)), None) => {
                let mut r = review::skeleton(&it.id, &it.text);
                r.title = it.meta.title;
                r.url = it.meta.url;
                r.published = it.meta.published;
                r.source = it.source;
                review::corrected(r, &it.text, layers, rv)
            }
        };
        let rec = rec.unwrap_or_else(|e| {
            failed += 1;
            eprintln!("claimex: {} (article {}): {e}", it.place, it.id);
            review::error_record(&it.id, &it.place, &e)
        });
        results.push((it.id, rec));
    }
    // with records: their order, each replaced by its import; imports of unknown ids after
    let out: Vec<Record> = match base {
        Some(b) => {
            let mut by_id: std::collections::HashMap<String, Record> =
                std::collections::HashMap::new();
            let mut extra = Vec::new();
            for (id, r) in results {
                if first_of.contains_key(id.as_str()) && !by_id.contains_key(&id) {
                    by_id.insert(id, r);
                } else {
                    extra.push(r);
                }
            }
            let mut v: Vec<Record> = b
                .into_iter()
                .map(|r| by_id.remove(&r.id).unwrap_or(r))
                .collect();
            v.extend(extra);
            v
        }
        None => results.into_iter().map(|(_, r)| r).collect(),
    };
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(output)
            .with_context(|| format!("cannot write {}", output.display()))?,
    );
    let reviewed = out.iter().filter(|r| r.review.is_some()).count();
    for r in &out {
        serde_json::to_writer(&mut w, r)?;
        w.write_all(b"\n")?;
    }
    w.flush()
        .with_context(|| format!("cannot write {}", output.display()))?;
    eprintln!(
        "claimex: {} records ({reviewed} reviewed, {failed} failed) to {}",
        out.len(),
        output.display()
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `claimex diff`.
pub fn diff(
    predicted: &Path,
    corrected: &Path,
    json: bool,
    examples: usize,
) -> anyhow::Result<ExitCode> {
    let read = |p: &PathBuf| -> anyhow::Result<Vec<Record>> {
        let (r, bad) = read_records_lossy(p)?;
        if let Some((line, e)) = bad.first() {
            anyhow::bail!("{} line {line}: not a claimex record: {e}", p.display());
        }
        Ok(r)
    };
    let r = diff::diff(
        &read(&predicted.to_path_buf())?,
        &read(&corrected.to_path_buf())?,
        examples,
    );
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{} articles compared, {} changed, {} reviewed{}",
        r.articles,
        r.changed_articles,
        r.reviewed_articles,
        if r.unmatched.is_empty() {
            String::new()
        } else {
            format!(
                "; {} without a counterpart: {}",
                r.unmatched.len(),
                r.unmatched.join(", ")
            )
        }
    );
    for (name, c) in [
        ("quotes", &r.quotes),
        ("mentions", &r.mentions),
        ("claims", &r.claims),
    ] {
        let changes: Vec<String> = c.changes.iter().map(|(k, v)| format!("{v} {k}")).collect();
        println!(
            "{name:>8}: {} predicted, {} corrected, {} unchanged; {}; correction rate {:.1}%",
            c.predicted,
            c.corrected,
            c.unchanged,
            if changes.is_empty() {
                "no changes".to_string()
            } else {
                changes.join(", ")
            },
            c.correction_rate * 100.0
        );
    }
    if !r.examples.is_empty() {
        println!("examples:");
        for e in &r.examples {
            let arrow = match (e.before.is_empty(), e.after.is_empty()) {
                (true, _) => format!("+ {}", e.after),
                (_, true) => format!("- {}", e.before),
                _ => format!("{}  ->  {}", e.before, e.after),
            };
            println!("  {} {} [{}] {arrow}", e.layer, e.change, e.article);
        }
    }
    Ok(ExitCode::SUCCESS)
}

//! The fact-checkers' desk: `claimex claims` (ranked table, CSV a spreadsheet opens, groups
//! across articles, stable ids) and `claimex report` in a real browser.

use super::{claimex, root, run_ok, s};
use std::path::{Path, PathBuf};

/// Two outlets carrying the same quotation (one rewords the lead-in), an article with no
/// overlap, an article whose title, id and text are hostile markup, and one that fails.
const BATCH: &str = r#"{"id": "outlet-a", "title": "Talks stall", "text": "Seoul and Washington failed to agree on Friday.\n\nDeputy Assistant Secretary Clark Cooper said, \"The agreement expires in March 2021 and preparations are underway.\"\n\nThe talks have been stalled for 11 months."}
{"id": "outlet-b", "title": "No deal yet", "text": "Clark Cooper, a U.S. official, told reporters on Friday: \"The agreement expires in March 2021 and preparations are underway.\"\n\nNo date was set for the next round."}
{"id": "outlet-c", "title": "Library hours cut", "text": "The city library will close on Sundays from March, its board decided after a budget shortfall of $2 million.\n\n\"It is a sad day for readers,\" board chair Ann Lee said."}
{"id": "\"><script>window.__pwned=1</script>", "title": "<img src=x onerror=window.__pwned=1> </textarea>", "text": "Mayor Ann Lee said, \"<script>window.__pwned=1</script> is not a plan and </textarea> is not a budget.\"\n\nCity officials said the <img src=x onerror=\"window.__pwned=1\"> figures were wrong, and a <a href=\"javascript:window.__pwned=1\">link</a> 'quoted' “curly” text followed.\n\nThe council approved a budget of $3 billion on Monday."}
{"id": "<b>empty</b>", "text": ""}
"#;

fn batch(dir: &Path) -> PathBuf {
    let input = dir.join("batch.jsonl");
    std::fs::write(&input, BATCH).unwrap();
    input
}

/// A small RFC 4180 reader: what a spreadsheet does with the file.
fn parse_csv(s: &str) -> Vec<Vec<String>> {
    let mut rows = vec![];
    let mut row = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut cs = s.chars().peekable();
    while let Some(c) = cs.next() {
        match (quoted, c) {
            (true, '"') if cs.peek() == Some(&'"') => {
                cs.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') if cs.peek() == Some(&'\n') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

#[test]
fn claims_table_ranks_groups_and_opens_as_csv() {
    let dir = tempfile::tempdir().unwrap();
    let input = batch(dir.path());
    let recs = dir.path().join("r.jsonl");
    // the failed article is an error record in place: extract says so with exit 1
    let ex = claimex(&["extract", "-q", s(&input), "-o", s(&recs)]);
    assert_eq!(ex.status.code(), Some(1));
    let fixtures = dir.path().join("f.jsonl");
    run_ok(&[
        "extract",
        "-q",
        s(&root().join("fixtures/articles")),
        "-o",
        s(&fixtures),
    ]);
    let csv_path = dir.path().join("claims.csv");
    let groups_path = dir.path().join("groups.jsonl");
    let out = run_ok(&[
        "claims",
        s(&recs),
        s(&fixtures),
        "-o",
        s(&csv_path),
        "--groups",
        s(&groups_path),
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("(1 failed)"), "{err}");
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "no BOM");
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\r\n"));
    let rows = parse_csv(&text);
    let head = &rows[0];
    assert_eq!(
        head.join(","),
        "rank,article,title,claim,kind,speaker,speaker_title,source,text,standalone,checkworthiness,group,group_size,start,end"
    );
    let col = |name: &str| head.iter().position(|h| h == name).unwrap();
    let body = &rows[1..];
    assert!(
        body.iter().all(|r| r.len() == head.len()),
        "every row has every column"
    );
    // ranked by check-worthiness, rank 1 first
    let scores: Vec<f64> = body
        .iter()
        .map(|r| r[col("checkworthiness")].parse().unwrap())
        .collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(body[0][col("rank")], "1");
    // the quotation two outlets carry is one group, with both its claims
    // (the seed article carries it too)
    let expires: Vec<&Vec<String>> = body
        .iter()
        .filter(|r| r[col("text")] == "The agreement expires in March 2021")
        .collect();
    let articles: Vec<&str> = expires.iter().map(|r| r[col("article")].as_str()).collect();
    assert_eq!(articles.len(), 3, "one claim per article: {articles:?}");
    for a in ["outlet-a", "outlet-b", "000_f457828abe6fbedf"] {
        assert!(articles.contains(&a), "{a}");
    }
    let g = &expires[0][col("group")];
    assert!(g.starts_with('g') && g.len() == 11, "{g}");
    assert!(expires
        .iter()
        .all(|r| &r[col("group")] == g && r[col("group_size")] == "3"));
    assert!(expires
        .iter()
        .all(|r| r[col("speaker")] == "Clark Cooper" && r[col("kind")] == "quoted"));
    // the bridge article shares nothing with the others
    assert!(body
        .iter()
        .filter(|r| r[col("article")] == "outlet-c")
        .all(|r| r[col("group")].is_empty()));
    // the hostile text comes through as text, quotes doubled, in one field
    let hostile = body
        .iter()
        .find(|r| r[col("text")].contains("<script>"))
        .expect("the hostile quote is a claim");
    assert!(hostile[col("article")].starts_with("\"><script>"));
    assert!(
        text.contains("\"\"><script>"),
        "the quotation mark is doubled in CSV"
    );
    // the groups file: members, size, representative text
    let groups: Vec<serde_json::Value> = std::fs::read_to_string(&groups_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let grp = groups.iter().find(|x| x["id"] == g.as_str()).unwrap();
    assert_eq!(grp["size"], 3);
    assert_eq!(grp["articles"], 3);
    assert!(grp["text"].as_str().unwrap().contains("March 2021"));
    // the same batch given in the other order gives the same groups and ids
    let other = run_ok(&["claims", "-q", s(&fixtures), s(&recs), "--format", "jsonl"]);
    let again = run_ok(&["claims", "-q", s(&recs), s(&fixtures), "--format", "jsonl"]);
    assert_eq!(other.stdout, again.stdout, "order of files changes nothing");
    // filters: kind and minimum score
    let narrative = run_ok(&[
        "claims",
        "-q",
        s(&recs),
        "--kind",
        "narrative",
        "--format",
        "tsv",
    ]);
    let t = String::from_utf8(narrative.stdout).unwrap();
    let lines: Vec<&str> = t.lines().skip(1).collect();
    assert!(!lines.is_empty());
    assert!(
        lines
            .iter()
            .all(|l| l.split('\t').nth(4) == Some("narrative")),
        "{t}"
    );
    assert!(t.contains("stalled for 11 months"));
    let high = run_ok(&[
        "claims",
        "-q",
        s(&recs),
        "--min-score",
        "0.5",
        "--format",
        "jsonl",
    ]);
    for l in String::from_utf8(high.stdout).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(l).unwrap();
        assert!(v["checkworthiness"].as_f64().unwrap() >= 0.5);
    }
    // records that are not records are a usage error
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(&bad, "{\"not\": \"a record\"}\n").unwrap();
    assert_eq!(claimex(&["claims", s(&bad)]).status.code(), Some(2));
}

/// `make test` drives headless Chromium over a report of the fixtures and the hostile batch:
/// DOM, sort and filter by clicking, highlights and panels, nothing from article text runs,
/// and a screenshot of the seed article (kept in target/ for a person to look at).
#[test]
fn report_renders_in_a_real_browser_and_runs_nothing_from_articles() {
    let dir = tempfile::tempdir().unwrap();
    let recs = dir.path().join("r.jsonl");
    let input = batch(dir.path());
    let _ = claimex(&[
        "extract",
        "-q",
        s(&root().join("fixtures/articles")),
        s(&input),
        "-o",
        s(&recs),
    ]);
    let records = super::records(&std::fs::read(&recs).unwrap());
    let report = dir.path().join("report.html");
    run_ok(&["report", "-q", s(&recs), "-o", s(&report)]);
    let html = std::fs::read_to_string(&report).unwrap();
    // self-contained: no address to fetch anything from
    for needle in ["src=\"http", "href=\"http", "<link", "@import", "url("] {
        assert!(!html.contains(needle), "{needle} in the page");
    }
    assert!(
        !html.contains("<script>window.__pwned"),
        "article text is never markup"
    );
    let install = std::process::Command::new("bash")
        .arg(root().join("scripts/browser.sh"))
        .arg("install")
        .output()
        .expect("run scripts/browser.sh");
    assert!(
        install.status.success(),
        "{}",
        String::from_utf8_lossy(&install.stderr)
    );
    let venv = String::from_utf8(install.stdout)
        .unwrap()
        .trim()
        .to_string();
    if !Path::new("/usr/bin/chromium").exists() {
        eprintln!("SKIPPED: the report's browser test: no /usr/bin/chromium (scripts/browser.sh installs it when run as root)");
        return;
    }
    let n = |k: &str| {
        records
            .iter()
            .flat_map(|r| r.claims.iter().flatten())
            .filter(|c| k.is_empty() || c.kind.as_str() == k)
            .count()
    };
    let idx = |pred: &dyn Fn(&claimex_pipeline::output::Record) -> bool| {
        records.iter().position(pred).unwrap()
    };
    let expect = serde_json::json!({
        "articles": records.len(),
        "failed": records.iter().filter(|r| r.status != claimex_pipeline::output::RecordStatus::Ok).count(),
        "claims": n(""),
        "kinds": {"quoted": n("quoted"), "reported": n("reported"), "narrative": n("narrative")},
        "hostile": idx(&|r| r.id.contains("<script>")),
        "seed": idx(&|r| r.id == "000_f457828abe6fbedf"),
        "seed_speaker": "Clark Cooper",
    });
    let shot = root().join("target/report-seed.png");
    let out = std::process::Command::new(format!("{venv}/bin/python"))
        .arg(root().join("scripts/report_check.py"))
        .args([
            "--report",
            s(&report),
            "--expect",
            &expect.to_string(),
            "--screenshot",
            s(&shot),
        ])
        .output()
        .expect("run scripts/report_check.py");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let seen: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        seen["failed_text"]
            .as_str()
            .unwrap()
            .contains("<b>empty</b>"),
        "{seen}"
    );
    assert!(seen["hostile_title"]
        .as_str()
        .unwrap()
        .contains("<img src=x onerror="));
    assert!(shot.is_file());
}

/// PolNeAR dev (84 articles from seven outlets on the same events): groups hold the same
/// quotation across outlets, and grouping keeps its measured accuracy on the hand-labelled
/// pairs. Needs ../shared/data; skips visibly without it.
#[test]
fn polnear_dev_groups_hold_the_same_quotation_across_outlets() {
    let dev = root().join("../shared/data/polnear/dev/text");
    if !dev.is_dir() {
        eprintln!("SKIPPED: PolNeAR dev grouping: no {}", dev.display());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let recs = dir.path().join("dev.jsonl");
    run_ok(&[
        "extract",
        "-q",
        s(&dev),
        s(&root().join("fixtures/articles")),
        "-o",
        s(&recs),
    ]);
    let groups_path = dir.path().join("groups.jsonl");
    run_ok(&[
        "claims",
        "-q",
        s(&recs),
        "-o",
        s(&dir.path().join("c.csv")),
        "--groups",
        s(&groups_path),
    ]);
    let groups: Vec<serde_json::Value> = std::fs::read_to_string(&groups_path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // a group whose members come from two or more outlets (file names start with the outlet)
    let outlets = |g: &serde_json::Value| {
        let mut o: Vec<String> = g["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| {
                m[0].as_str()
                    .unwrap()
                    .split('_')
                    .next()
                    .unwrap()
                    .to_string()
            })
            .collect();
        o.sort();
        o.dedup();
        o.len()
    };
    let across = groups.iter().filter(|g| outlets(g) >= 2).count();
    assert!(across >= 3, "{across} groups span outlets: {groups:?}");
    let out = run_ok(&[
        "eval",
        "grouping",
        "--json",
        "--records",
        s(&recs),
        "--pairs",
        s(&root().join("models/grouping/pairs-polnear-dev.tsv")),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hand = &v["hand"];
    // the pairs were labelled on bfloat16 records; in float32 a claim boundary may move
    assert!(
        hand["missing"].as_u64().unwrap() <= 2,
        "labelled pairs' claims are in the records: {hand}"
    );
    eprintln!("PolNeAR dev hand pairs (float32): {hand}");
    // the README's figures (P 94.1, R 88.9), with one pair of slack for bf16 and f32
    assert!(hand["prf"]["precision"].as_f64().unwrap() >= 0.88, "{hand}");
    assert!(hand["prf"]["recall"].as_f64().unwrap() >= 0.83, "{hand}");
}

/// `--format keys`: every claim, unranked and ungrouped, with the keys an engine groups by
/// (the same signatures whatever else is in the batch); filters are refused there.
#[test]
fn keys_rows_carry_what_a_distributed_grouping_needs() {
    let dir = tempfile::tempdir().unwrap();
    let recs = dir.path().join("r.jsonl");
    let ex = claimex(&["extract", "-q", s(&batch(dir.path())), "-o", s(&recs)]);
    assert_eq!(ex.status.code(), Some(1), "the empty article fails");
    let keys = |path: &Path| -> Vec<serde_json::Value> {
        let out = run_ok(&["claims", "-q", "--format", "keys", s(path)]);
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let all = keys(&recs);
    let table = run_ok(&["claims", "-q", "--format", "jsonl", s(&recs)]);
    assert_eq!(
        all.len(),
        String::from_utf8(table.stdout).unwrap().lines().count()
    );
    for k in &all {
        assert_eq!(k["rank"], 0);
        assert!(k["group"].is_null());
        assert_eq!(k["buckets"].as_array().map(Vec::len), Some(12), "{k}");
        assert!(k["embedding"].is_string());
        let key = k["text_key"].as_str().unwrap();
        assert!(!key.is_empty() && key == key.to_lowercase(), "{key}");
    }
    // one record alone gives its claims the same keys as in the batch
    let text = std::fs::read_to_string(&recs).unwrap();
    let one = dir.path().join("one.jsonl");
    std::fs::write(&one, text.lines().nth(1).unwrap().to_string() + "\n").unwrap();
    let alone = keys(&one);
    let same: Vec<&serde_json::Value> = all.iter().filter(|k| k["article"] == "outlet-b").collect();
    assert_eq!(alone.iter().collect::<Vec<_>>(), same);
    let refused = claimex(&["claims", "--format", "keys", "--min-score", "0.5", s(&recs)]);
    assert_eq!(refused.status.code(), Some(2));
}

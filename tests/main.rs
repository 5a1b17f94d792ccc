//! Integration tests: golden JSON fixtures, offsets over every fixture, the seed article,
//! determinism across thread counts, and the CLI's exit codes on bad input.
//!
//! `BLESS=1 cargo test --test integration` rewrites `fixtures/golden/`; read the diff.

mod desk;
mod review;
mod robustness;
mod spark;

use claimex_pipeline::output::{verify_record, Record};
use claimex_pipeline::testutil::{check_goldens, first_difference};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs claimex in float32, so goldens hold on CPUs with and without bfloat16.
fn claimex(args: &[&str]) -> Output {
    claimex_in("f32", args)
}

fn claimex_in(precision: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_claimex"))
        // relative input paths (the records' `source`) are relative to the project root
        .current_dir(root())
        .env("CLAIMEX_PRECISION", precision)
        .args(args)
        .output()
        .expect("run claimex")
}

/// A path as the `&str` argument claimex takes.
fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Runs claimex (float32) and requires exit code 0, showing its stderr otherwise.
fn run_ok(args: &[&str]) -> Output {
    let out = claimex(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "claimex {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn records(stdout: &[u8]) -> Vec<Record> {
    String::from_utf8(stdout.to_vec())
        .expect("UTF-8 output")
        .lines()
        .map(|l| {
            serde_json::from_str::<Record>(l).unwrap_or_else(|e| panic!("not a record ({e}): {l}"))
        })
        .collect()
}

fn fixture_records() -> Vec<Record> {
    // relative, so the records' `source` paths are the same on every machine
    let out = claimex(&["extract", "-q", "--threads", "2", "fixtures/articles"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    records(&out.stdout)
}

#[test]
fn golden_fixtures() {
    let recs = fixture_records();
    assert!(recs.len() >= 16, "{} records", recs.len());
    let failures = check_goldens(&root().join("fixtures/golden"), &recs);
    assert!(
        failures.is_empty(),
        "{} golden failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The binary's rules-only records are the pipeline crate's rule-only goldens
/// (`pipeline/tests/golden_rules.rs` writes and checks them without libtorch).
#[test]
fn no_models_records_are_the_rule_only_goldens() {
    let out = run_ok(&["extract", "-q", "--no-models", "fixtures/articles"]);
    let recs = records(&out.stdout);
    assert!(recs.len() >= 16, "{} records", recs.len());
    for r in &recs {
        let path = root().join(format!("fixtures/golden-rules/{}.json", r.id));
        let want = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (cargo test -p claimex-pipeline --test golden_rules with BLESS=1 writes it)", path.display()));
        let got = serde_json::to_string_pretty(r).unwrap() + "\n";
        assert!(want == got, "{}: {}", r.id, first_difference(&want, &got));
    }
}

#[test]
fn every_fixture_span_matches_its_text() {
    for r in fixture_records() {
        assert_eq!(r.status.as_str(), "ok", "{}", r.id);
        verify_record(&r).unwrap_or_else(|e| panic!("{}: {e}", r.id));
        let chars: Vec<char> = r.text.as_ref().unwrap().chars().collect();
        for s in r.sentences.iter().flatten() {
            assert!(
                s.start < s.end && s.end <= chars.len(),
                "{}: sentence {}..{}",
                r.id,
                s.start,
                s.end
            );
        }
        for q in r.quotes.iter().flatten() {
            for s in q.cue.iter().chain(&q.sources).chain(&q.contents) {
                let slice: String = chars[s.start..s.end].iter().collect();
                assert_eq!(slice, s.text, "{}: {}", r.id, q.id);
            }
        }
    }
}

#[test]
fn txt_text_is_the_file_exactly_crlf_and_all() {
    let path = root().join("fixtures/articles/12_emoji_accents_crlf.txt");
    let out = claimex(&["extract", "-q", path.to_str().unwrap()]);
    let r = &records(&out.stdout)[0];
    assert_eq!(
        r.text.as_deref().unwrap(),
        std::fs::read_to_string(&path).unwrap()
    );
    assert!(r.text.as_ref().unwrap().contains("\r\n"));
}

#[test]
fn seed_article_quotes_of_a_titled_speaker_resolve_to_one_entity() {
    let path = root().join("fixtures/articles/000_f457828abe6fbedf.txt");
    let out = claimex(&["extract", "-q", path.to_str().unwrap()]);
    let r = &records(&out.stdout)[0];
    let entities = r.entities.as_ref().unwrap();
    let cooper: Vec<_> = entities
        .iter()
        .filter(|e| e.name.contains("Cooper"))
        .collect();
    assert_eq!(cooper.len(), 1, "one Cooper entity");
    let cooper = cooper[0];
    assert_eq!(cooper.name, "Clark Cooper");
    assert_eq!(cooper.kind.as_str(), "PERSON");
    assert_eq!(
        cooper.title.as_deref(),
        Some("U.S. Deputy Assistant Secretary of State for Political-Military Affairs")
    );
    let texts: Vec<&str> = cooper.mentions.iter().map(|m| m.text.as_str()).collect();
    for form in [
        "Clark Cooper",
        "Deputy Assistant Secretary Cooper",
        "He",
        "he",
    ] {
        assert!(
            texts.contains(&form),
            "mention {form:?} missing from {texts:?}"
        );
    }
    // every quotation of Cooper in the body, with him as speaker
    let quotes = r.quotes.as_ref().unwrap();
    let said_by_cooper = |needle: &str| {
        quotes.iter().any(|q| {
            q.contents.iter().any(|c| c.text.contains(needle))
                && q.speaker.as_deref() == Some(cooper.id.as_str())
        })
    };
    for needle in [
        "There was a pause",
        "Communication has not stopped",
        "the burden sharing of the security",
        "is not just about cost sharing",
        "A mutually acceptable agreement",
        "The U.S. has shown considerable flexibility",
        "The agreement expires in March 2021",
    ] {
        assert!(
            said_by_cooper(needle),
            "quote {needle:?} not attributed to Clark Cooper"
        );
    }
    // the claim of the spec, found through "He"
    let claim = r
        .claims
        .as_ref()
        .unwrap()
        .iter()
        .find(|c| c.text == "The U.S. has shown considerable flexibility")
        .expect("claim");
    assert_eq!(claim.speaker.as_deref(), Some(cooper.id.as_str()));
    let score = claim
        .checkworthiness
        .expect("the shipped scorer fills check-worthiness");
    assert!((0.0..=1.0).contains(&score));
    // the compound quote is two claims, the first by Clark Cooper
    let claims = r.claims.as_ref().unwrap();
    let expires = claims
        .iter()
        .find(|c| c.text == "The agreement expires in March 2021")
        .expect("\"The agreement expires in March 2021\" is a claim of its own");
    assert_eq!(expires.kind.as_str(), "quoted");
    assert_eq!(expires.speaker.as_deref(), Some(cooper.id.as_str()));
    assert!(claims.iter().any(|c| c.text == "preparations are underway"));
    // the article's own statements are narrative claims, in the reporter's voice
    for needle in [
        "have been stalled for 11 months",
        "rejected the tentative agreement of a \"13% increase\"",
    ] {
        let c = claims
            .iter()
            .find(|c| c.text.contains(needle))
            .unwrap_or_else(|| panic!("no narrative claim holding {needle:?}"));
        assert_eq!(c.kind.as_str(), "narrative", "{needle}");
        assert_eq!(c.speaker, None);
        assert_eq!(
            c.source.as_ref().map(|s| s.text.as_str()),
            Some("Lim Cheol-young")
        );
        assert!(c.checkworthiness.unwrap() >= 0.45);
    }
    // never from boilerplate: the caption and the copyright line give no claim
    assert!(!claims
        .iter()
        .any(|c| c.text.contains("Image source") || c.text.contains("All rights")));
    // rules only: null, never invented, and no narrative claim (the model decides those)
    let rules = claimex(&["extract", "-q", "--no-models", path.to_str().unwrap()]);
    let rr = &records(&rules.stdout)[0];
    assert!(rr
        .claims
        .as_ref()
        .unwrap()
        .iter()
        .all(|c| c.checkworthiness.is_none() && c.kind.as_str() != "narrative"));
    // the models keep every direct rule quote as it was, with the same speaker (they add
    // attributions, and may redraw the boundaries of indirect speech and mixed quotes)
    let name = |rec: &Record, id: &Option<String>| {
        rec.entities
            .iter()
            .flatten()
            .find(|e| Some(&e.id) == id.as_ref())
            .map(|e| e.name.clone())
    };
    let key = |rec: &Record, q: &claimex_pipeline::output::QuoteOut| {
        (
            q.contents.clone(),
            q.cue.clone(),
            q.sources.clone(),
            name(rec, &q.speaker),
        )
    };
    for q in rr
        .quotes
        .as_ref()
        .unwrap()
        .iter()
        .filter(|q| q.kind.as_str() == "direct")
    {
        assert!(
            quotes.iter().any(|m| key(r, m) == key(rr, q)),
            "rule quote {:?} lost",
            q.contents[0].text
        );
    }
    let q = quotes
        .iter()
        .find(|q| Some(&q.id) == claim.quote.as_ref())
        .unwrap();
    assert_eq!(q.sources[0].text, "He");
    // the country as a source, and indirect speech
    let korea = entities.iter().find(|e| e.name == "South Korea").unwrap();
    assert!(quotes
        .iter()
        .any(|q| q.speaker.as_deref() == Some(korea.id.as_str())
            && q.cue.as_ref().is_some_and(|c| c.text == "stand firm on")));
    assert!(quotes
        .iter()
        .any(|q| q.kind.as_str() == "indirect"
            && q.sources.iter().any(|s| s.text == "Some analysts")));
    // nothing from navigation, captions or the copyright line
    let paras = r.paragraphs.as_ref().unwrap();
    for q in quotes {
        for c in &q.contents {
            let p = paras
                .iter()
                .find(|p| p.start <= c.start && c.end <= p.end)
                .unwrap();
            assert_ne!(p.role.as_str(), "boilerplate", "{}", c.text);
        }
    }
}

#[test]
fn output_is_identical_across_thread_counts() {
    let dir = root().join("fixtures/articles");
    let one = claimex(&["extract", "-q", "--threads", "1", dir.to_str().unwrap()]);
    let two = claimex(&["extract", "-q", "--threads", "2", dir.to_str().unwrap()]);
    assert_eq!(one.status.code(), Some(0));
    assert!(!one.stdout.is_empty());
    assert_eq!(one.stdout, two.stdout);
}

/// bfloat16 (the default where the CPU has it) and float32 find the same quotes, speakers
/// and entities but for near ties, and close check-worthiness scores.
#[test]
fn bf16_and_f32_agree() {
    let dir = root().join("fixtures/articles");
    let run = |p: &str| {
        let out = claimex_in(p, &["extract", "-q", dir.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0));
        records(&out.stdout)
    };
    let (f, b) = (run("f32"), run("bf16"));
    assert_eq!(f.len(), b.len());
    let quotes = |rs: &[Record]| -> std::collections::BTreeSet<String> {
        rs.iter()
            .flat_map(|r| {
                r.quotes.iter().flatten().map(move |q| {
                    let speaker = q.speaker.as_ref().and_then(|id| {
                        r.entities
                            .iter()
                            .flatten()
                            .find(|e| &e.id == id)
                            .map(|e| e.name.clone())
                    });
                    let spans = |v: &[claimex_pipeline::span::CharSpan]| {
                        v.iter().map(|c| (c.start, c.end)).collect::<Vec<_>>()
                    };
                    format!(
                        "{} {:?} {:?} {:?} {speaker:?}",
                        r.id,
                        spans(&q.contents),
                        q.cue.as_ref().map(|c| (c.start, c.end)),
                        spans(&q.sources)
                    )
                })
            })
            .collect()
    };
    let (qf, qb) = (quotes(&f), quotes(&b));
    let same = qf.intersection(&qb).count();
    let all = qf.union(&qb).count();
    eprintln!("quotes: {same} of {all} identical in f32 and bf16");
    assert!(all > 50, "fixtures have quotes");
    assert!(
        // a quote that differs counts twice in `all` (its f32 and its bf16 reading). On PolNeAR
        // dev (2,100 quotes) 96.6% are identical with the attribution decoding prior, 97.2%
        // without it; the fixtures' 73 quotes swing by a few points around that (93.2% with
        // the prior, on three ambiguous content ends), so the floor sits under both
        same as f64 >= 0.92 * all as f64,
        "f32 and bf16 differ on {} of {all} quotes",
        all - same
    );
    let mut worst = 0f64;
    for (rf, rb) in f.iter().zip(&b) {
        for (cf, cb) in rf.claims.iter().flatten().zip(rb.claims.iter().flatten()) {
            if cf.text == cb.text {
                if let (Some(x), Some(y)) = (cf.checkworthiness, cb.checkworthiness) {
                    worst = worst.max((x - y).abs());
                }
            }
        }
    }
    eprintln!("largest check-worthiness difference {worst:.3}");
    assert!(worst <= 0.1, "check-worthiness differs by {worst}");
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn bad_inputs_become_error_records_and_the_batch_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let good1 = write(d, "a_good.txt", b"\"We won,\" Mayor Ann Lee said.");
    let bad_utf8 = write(d, "b_latin1.txt", b"Caf\xe9 owners said prices rose.");
    let empty = write(d, "c_empty.txt", b"");
    let binary = write(
        d,
        "d_binary.txt",
        &[0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, 0, 0, 0],
    );
    let huge = write(d, "e_huge.txt", &vec![b'a'; 20 << 20]);
    let jsonl = write(d, "f_batch.jsonl", b"{\"id\": \"j1\", \"text\": \"\\\"Fine,\\\" he said.\"}\n{\"id\": \"j2\", \"text\": \n{\"id\": \"j3\"}\n");
    let missing = d.join("g_missing.txt").to_str().unwrap().to_string();
    let good2 = write(
        d,
        "h_good.txt",
        b"Officials said that the bridge would reopen in May.",
    );
    let out = claimex(&[
        "extract", "-q", &good1, &bad_utf8, &empty, &binary, &huge, &jsonl, &missing, &good2,
    ]);
    assert_eq!(out.status.code(), Some(1), "some failed → exit 1");
    let recs = records(&out.stdout);
    let got: Vec<(&str, &str, Option<&str>)> = recs
        .iter()
        .map(|r| {
            (
                r.id.as_str(),
                r.status.as_str(),
                r.error.as_ref().map(|e| e.kind.as_str()),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("a_good", "ok", None),
            ("b_latin1", "error", Some("encoding")),
            ("c_empty", "error", Some("empty")),
            ("d_binary", "error", Some("binary")),
            ("e_huge", "error", Some("too_large")),
            ("j1", "ok", None),
            ("f_batch:2", "error", Some("parse")),
            ("j3", "error", Some("parse")),
            ("g_missing", "error", Some("read")),
            ("h_good", "ok", None),
        ]
    );
    for r in &recs {
        if let Some(e) = &r.error {
            assert!(!e.message.is_empty());
        }
    }
    // the good articles are complete
    assert_eq!(recs[0].quotes.as_ref().unwrap().len(), 1);
    assert_eq!(
        recs[9].quotes.as_ref().unwrap()[0].kind.as_str(),
        "indirect"
    );
}

#[test]
fn stdin_jsonl_and_exit_codes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimex"))
        .args(["extract", "-q", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"{\"id\": \"s1\", \"url\": \"https://example.org/x\", \"html\": \"<p>\\u201cIt works,\\u201d said Ann Lee.</p>\"}\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let r = &records(&out.stdout)[0];
    assert_eq!(
        (r.id.as_str(), r.url.as_deref()),
        ("s1", Some("https://example.org/x"))
    );
    assert_eq!(r.quotes.as_ref().unwrap()[0].sources[0].text, "Ann Lee");

    // usage errors exit 2 with a message
    let out = claimex(&["extract", "--threads", "zero"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!out.stderr.is_empty());
    let out = claimex(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
    let out = claimex(&[
        "extract",
        "-q",
        "-o",
        "/proc/no/such/dir/out.jsonl",
        "x.txt",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot"));
}

/// The contract for engines (README, "Engines"): a part of a JSONL file, its lines numbered
/// in the whole file, gives the records the whole file gives; a failed article exits 0 with
/// `--article-errors-ok` (1 without), and a usage error still exits 2.
#[test]
fn numbered_parts_give_the_records_of_the_whole_input() {
    use std::io::Write;
    let pipe = |args: &[&str], input: &[u8]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_claimex"))
            .args(["extract", "-q", "--no-models", "-"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(input).unwrap();
        child.wait_with_output().unwrap()
    };
    let lines = [
        r#"{"text": "\u201cIt works,\u201d said Ann Lee."}"#,
        "",
        "not json",
        r#"{"id": "b", "text": "Mayor Omar Said said the bridge would reopen."}"#,
        r#"{"text": "The council met on Monday."}"#,
    ];
    let whole = pipe(&[], (lines.join("\n") + "\n").as_bytes());
    assert_eq!(whole.status.code(), Some(1), "one line fails");
    let mut parts = Vec::new();
    for range in [0..3, 3..5] {
        let numbered: String = lines[range.clone()]
            .iter()
            .zip(range)
            .map(|(l, k)| format!("{}\t{l}\n", k + 1))
            .collect();
        let out = pipe(
            &["--numbered-lines", "--article-errors-ok"],
            numbered.as_bytes(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        parts.extend(out.stdout);
    }
    assert_eq!(
        String::from_utf8(parts).unwrap(),
        String::from_utf8(whole.stdout.clone()).unwrap()
    );
    let ids: Vec<String> = records(&whole.stdout).into_iter().map(|r| r.id).collect();
    assert_eq!(ids, ["-:1", "-:3", "b", "-:5"]);
    let out = pipe(&["--article-errors-ok", "--threads", "0"], b"{}\n");
    assert_eq!(out.status.code(), Some(2));
}

/// A reader that stops early (`claimex extract ... | head`) ends claimex quietly by SIGPIPE,
/// as it ends `cat`: no panic, no error message.
#[cfg(unix)]
#[test]
fn a_closed_output_pipe_ends_the_run_quietly() {
    use std::io::Read;
    use std::os::unix::process::ExitStatusExt;
    let dir = root().join("fixtures/articles");
    let dir = dir.to_str().unwrap();
    // three copies of the fixtures: more output than a pipe buffers (~180 kB against 64 kB)
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimex"))
        .args(["extract", "-q", "--no-models", dir, dir, dir])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(out.status.signal(), Some(libc::SIGPIPE));
}

#[test]
fn schema_describes_the_record() {
    let out = claimex(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let props = v["properties"].as_object().unwrap();
    for k in [
        "schema_version",
        "id",
        "status",
        "text",
        "sentences",
        "entities",
        "quotes",
        "claims",
        "error",
    ] {
        assert!(props.contains_key(k), "{k}");
    }
    // closed sets are listed, one `const` per wire name (derived from the types' serde names)
    let names = |v: &serde_json::Value| -> Vec<String> {
        v["oneOf"]
            .as_array()
            .unwrap_or_else(|| panic!("no oneOf in {v}"))
            .iter()
            .map(|x| x["const"].as_str().unwrap().to_string())
            .collect()
    };
    let item = |layer: &str| &v["properties"][layer]["items"]["properties"];
    assert_eq!(
        names(&item("quotes")["type"]),
        ["direct", "indirect", "mixed"]
    );
    assert_eq!(
        names(&item("claims")["kind"]),
        ["quoted", "reported", "narrative"]
    );
    assert_eq!(names(&item("entities")["type"]), ["PERSON", "ORG", "GPE"]);
    assert_eq!(
        names(&item("paragraphs")["role"]),
        ["body", "headline", "boilerplate"]
    );
    assert_eq!(
        names(&v["properties"]["error"]["properties"]["kind"]),
        [
            "read",
            "encoding",
            "binary",
            "empty",
            "too_large",
            "parse",
            "offsets",
            "internal",
            "timeout"
        ]
    );
    assert_eq!(v["properties"]["schema_version"]["const"], 2);
}

/// Every golden record (with models and rules only), an error record and a record `claimex
/// import` wrote validate against `claimex schema`, which is derived from the record's types; a record with a field the schema does not know, or a claim of an
/// unknown kind, does not (the schema is not vacuous).
#[test]
fn goldens_and_records_validate_against_the_schema() {
    let out = claimex(&["schema"]);
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema is valid JSON Schema");
    let check = |what: &str, v: &serde_json::Value| {
        let errors: Vec<String> = validator
            .iter_errors(v)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{what}: {errors:?}");
    };
    let mut n = 0;
    let goldens = ["fixtures/golden", "fixtures/golden-rules"]
        .iter()
        .flat_map(|d| std::fs::read_dir(root().join(d)).unwrap());
    for entry in goldens {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let values: Vec<serde_json::Value> = match serde_json::from_str(&text) {
            Ok(serde_json::Value::Array(a)) => a,
            Ok(v) => vec![v],
            Err(_) => text
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect(),
        };
        for v in &values {
            check(&path.display().to_string(), v);
            n += 1;
        }
    }
    assert!(n >= 2 * 17, "{n} golden records");
    // an error record, and a reviewed record from the brat round trip
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(tmp.path(), "empty.txt", b"");
    let out = claimex(&["extract", "-q", &bad]);
    check(
        "error record",
        &serde_json::from_slice(&out.stdout).unwrap(),
    );
    let recs = tmp.path().join("r.jsonl");
    let seed = root().join("fixtures/articles/000_f457828abe6fbedf.txt");
    claimex(&[
        "extract",
        "-q",
        seed.to_str().unwrap(),
        "-o",
        recs.to_str().unwrap(),
    ]);
    let brat = tmp.path().join("brat");
    claimex(&[
        "export",
        "--to",
        "brat",
        recs.to_str().unwrap(),
        "-o",
        brat.to_str().unwrap(),
    ]);
    let back = tmp.path().join("back.jsonl");
    claimex(&[
        "import",
        "--from",
        "brat",
        brat.to_str().unwrap(),
        "-o",
        back.to_str().unwrap(),
    ]);
    let back = std::fs::read_to_string(&back).unwrap();
    let mut reviewed: serde_json::Value =
        serde_json::from_str(back.lines().next().unwrap()).unwrap();
    check("imported record", &reviewed);
    // what an import of a corrected article adds
    reviewed["review"] = serde_json::json!({"tool": "brat", "item": "seed.ann"});
    reviewed["claims"][0]["reviewed"] = serde_json::json!(true);
    reviewed["quotes"][0]["reviewed"] = serde_json::json!(true);
    check("reviewed record", &reviewed);
    // not vacuous
    let mut extra = reviewed.clone();
    extra["surprise"] = serde_json::json!(1);
    assert!(!validator.is_valid(&extra));
    let mut kind = reviewed;
    kind["claims"][0]["kind"] = serde_json::json!("rumour");
    assert!(!validator.is_valid(&kind));
}

#[test]
fn checkworthiness_command_scores_lines_in_order() {
    let tmp = tempfile::tempdir().unwrap();
    let f = write(tmp.path(), "s.txt", b"Unemployment rose to 9 percent last year, the highest since 1983.\nThank you all for coming tonight.\n");
    let out = claimex(&["checkworthiness", &f]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["id"], "1");
    // a statistic is more check-worthy than a greeting, and the label follows the threshold
    assert!(rows[0]["score"].as_f64().unwrap() > rows[1]["score"].as_f64().unwrap());
    assert_eq!(rows[1]["label"], "No");
}

/// Accuracy on the hand-annotated Wikinews gold set (fixtures/gold): character-overlap F1 of
/// every role must stay at or above the floors, set a few points under the figures measured
/// when the set was made (source 68.3, cue 59.5, content 86.3 with the rule tagger).
#[test]
fn gold_set_accuracy_floor() {
    let gold_dir = root().join("fixtures/gold");
    let out = claimex(&["extract", "-q", gold_dir.join("text").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let gold = claimex_pipeline::eval::attribution::load_gold(&gold_dir).unwrap();
    assert_eq!(gold.len(), 6);
    assert!(
        gold.iter().map(|g| g.2.len()).sum::<usize>() >= 40,
        "hand annotations present"
    );
    let report = claimex_pipeline::eval::attribution::evaluate(&gold, &records(&out.stdout));
    assert!(report.missing_predictions.is_empty());
    let floors = [("source", 0.62), ("cue", 0.53), ("content", 0.80)];
    let mut low = Vec::new();
    for (role, floor) in floors {
        let r = report.roles.iter().find(|r| r.role == role).unwrap();
        eprintln!(
            "{role}: overlap F1 {:.3} (floor {floor}), exact F1 {:.3}",
            r.overlap.f1, r.exact.f1
        );
        if r.overlap.f1 < floor {
            low.push(format!("{role} overlap F1 {:.3} < {floor}", r.overlap.f1));
        }
    }
    assert!(low.is_empty(), "{}", low.join("; "));
}

/// `eval agreement` scores every pair of annotators of an article like a prediction, and
/// refuses a folder where no article has two annotators.
#[test]
fn agreement_command_scores_annotator_pairs() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::create_dir_all(d.join("text")).unwrap();
    std::fs::create_dir_all(d.join("attributions")).unwrap();
    // "Ann Lee said the plan failed."
    //  0   4   8    13  17   22
    write(&d.join("text"), "a1.txt", b"Ann Lee said the plan failed.");
    let full = "T1\tSource 0 7\tAnn Lee\nT2\tCue 8 12\tsaid\nT3\tContent 13 28\tthe plan failed\n\
                E1\tAttribution:T2 Source:T1 Cue:T2 Content:T3\n";
    // the second annotator ends the content one word earlier
    let short = full.replace("Content 13 28\tthe plan failed", "Content 13 21\tthe plan");
    let dir = d.to_str().unwrap();
    write(&d.join("attributions"), "a1_p.ann", full.as_bytes());
    let out = claimex(&["eval", "agreement", "--gold", dir]);
    assert_ne!(
        out.status.code(),
        Some(0),
        "one annotator: nothing to compare"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("two annotators"));
    write(&d.join("attributions"), "a1_q.ann", short.as_bytes());
    let out = claimex(&["eval", "agreement", "--gold", dir, "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["articles"], 1);
    let f1 = |k: usize| r["roles"][k]["exact"]["f1"].as_f64().unwrap();
    assert_eq!((f1(0), f1(1), f1(2)), (1.0, 1.0, 0.0));
    // the contents still overlap by half or more: the attribution is shared
    assert_eq!(r["attribution"]["f1"].as_f64().unwrap(), 1.0);
}

//! claimex on Apache Spark in local mode (`scripts/spark/claimex_spark.py`): the install
//! folder shipped with `--archives`, a batch of the fixtures, 2,000 generated articles and
//! lines that fail, piped through claimex partition by partition. The records equal
//! `claimex extract` on the same input byte for byte and in order, failures stay error
//! records, and the desk over the whole output (ranking and groups across partitions) equals
//! `claimex claims`. Skips, saying so, where Java is absent.

use super::{root, s};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The fixtures as JSONL lines (id = file stem, as `claimex extract` names files).
fn fixture_lines(with_jsonl: bool) -> Vec<String> {
    let dir = root().join("fixtures/articles");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let stem = f.file_stem().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&f).unwrap();
        match f.extension().and_then(|e| e.to_str()) {
            Some("txt") => out.push(serde_json::json!({"id": stem, "text": text}).to_string()),
            Some("html") => out.push(serde_json::json!({"id": stem, "html": text}).to_string()),
            Some("jsonl") if with_jsonl => out.extend(text.lines().map(str::to_string)),
            _ => {}
        }
    }
    out
}

/// 2,000 short wire articles, each two paragraphs of the fixtures drawn by a fixed
/// generator: the same paragraph in many articles, so the same claims recur across articles
/// (and partitions) and the desk must group them across partitions. Every 400th has no id
/// (its id is its line number), and three lines fail: not JSON, an empty text, a number as
/// text.
fn generated() -> Vec<String> {
    let mut pool = Vec::new();
    for l in fixture_lines(false) {
        let v: serde_json::Value = serde_json::from_str(&l).unwrap();
        if let Some(t) = v["text"].as_str() {
            pool.extend(
                t.replace("\r\n", "\n")
                    .split("\n\n")
                    .filter(|p| (80..=700).contains(&p.chars().count()))
                    .map(str::to_string),
            );
        }
    }
    assert!(pool.len() >= 40, "{} paragraphs", pool.len());
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut draw = |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize % n
    };
    let mut out = Vec::new();
    for k in 0..2000 {
        let text = format!("{}\n\n{}", pool[draw(pool.len())], pool[draw(pool.len())]);
        let title = format!("Wire report {k}");
        out.push(if k % 400 == 399 {
            serde_json::json!({"title": title, "text": text}).to_string()
        } else {
            serde_json::json!({"id": format!("wire-{k:04}"), "title": title, "text": text})
                .to_string()
        });
        match k {
            500 => out.push("{\"id\": \"not-json\", \"text\": ".into()),
            1000 => out.push("{\"id\": \"empty\", \"text\": \"\"}".into()),
            1500 => out.push("{\"id\": \"number\", \"text\": 42}".into()),
            1700 => out.push(String::new()),
            _ => {}
        }
    }
    out
}

/// Runs `cmd` to its end, or kills its process group after `limit`.
fn run_limited(cmd: &mut Command, limit: Duration) -> (std::process::ExitStatus, String) {
    use std::os::unix::process::CommandExt;
    let log = tempfile::NamedTempFile::new().unwrap();
    let mut child = cmd
        .process_group(0)
        .stdout(Stdio::from(log.reopen().unwrap()))
        .stderr(Stdio::from(log.reopen().unwrap()))
        .spawn()
        .expect("start spark-submit");
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > limit {
            // SAFETY: a signal to the process group this test started
            unsafe { libc::kill(-(child.id() as i32), libc::SIGKILL) };
            let _ = child.wait();
            panic!(
                "spark-submit ran over {limit:?}: {}",
                std::fs::read_to_string(log.path()).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    (
        status,
        std::fs::read_to_string(log.path()).unwrap_or_default(),
    )
}

/// The part files of a Spark output folder, concatenated in partition order.
fn parts(dir: &Path) -> String {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("part-"))
        })
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap())
        .collect()
}

/// The first line where two outputs differ, for the failure message.
fn first_difference(want: &str, got: &str) -> String {
    let (w, g): (Vec<&str>, Vec<&str>) = (want.lines().collect(), got.lines().collect());
    for (k, (a, b)) in w.iter().zip(&g).enumerate() {
        if a != b {
            let cut = |x: &str| x.chars().take(400).collect::<String>();
            return format!("line {}:\n want {}\n  got {}", k + 1, cut(a), cut(b));
        }
    }
    format!("{} lines wanted, {} given", w.len(), g.len())
}

struct Spark {
    venv: String,
    dir: PathBuf,
    archive: PathBuf,
}

impl Spark {
    /// `spark-submit` of the job in local mode, two cores, on loopback, no UI.
    fn submit(&self, args: &[&str]) -> f64 {
        let py = format!("{}/bin/python", self.venv);
        let mut cmd = Command::new(format!("{}/bin/spark-submit", self.venv));
        cmd.current_dir(&self.dir)
            .env("PYSPARK_PYTHON", &py)
            .env("PYSPARK_DRIVER_PYTHON", &py)
            .env("SPARK_LOCAL_IP", "127.0.0.1")
            .env("CLAIMEX_PRECISION", "f32")
            .env_remove("LD_LIBRARY_PATH")
            .env_remove("CLAIMEX_MODELS_BASE")
            .args(["--master", "local[2]"])
            .args(["--conf", "spark.ui.enabled=false"])
            .args(["--conf", "spark.driver.host=127.0.0.1"])
            .args(["--conf", "spark.driver.bindAddress=127.0.0.1"])
            .args(["--conf", "spark.log.level=WARN"])
            .args([
                "--conf",
                &format!("spark.local.dir={}", s(&self.dir.join("tmp"))),
            ])
            .arg("--archives")
            .arg(format!("{}#claimex", s(&self.archive)))
            .arg(root().join("scripts/spark/claimex_spark.py"))
            .args(args);
        let t = Instant::now();
        let (status, log) = run_limited(&mut cmd, Duration::from_secs(900));
        assert!(status.success(), "spark-submit {args:?} failed: {log}");
        t.elapsed().as_secs_f64()
    }
}

#[test]
fn spark_local_mode_gives_the_records_and_the_desk_claimex_gives() {
    if Command::new("java").arg("-version").output().is_err() {
        eprintln!("SKIPPED: the Spark test: no `java` on PATH (Spark 3.5 needs Java 8, 11 or 17; Debian: apt-get install openjdk-17-jre-headless)");
        return;
    }
    let venv = Command::new("bash")
        .arg(root().join("scripts/spark.sh"))
        .arg("install")
        .output()
        .expect("run scripts/spark.sh");
    assert!(
        venv.status.success(),
        "installing PySpark failed: {}",
        String::from_utf8_lossy(&venv.stderr)
    );
    let venv = String::from_utf8(venv.stdout).unwrap().trim().to_string();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("tmp")).unwrap();
    // the install folder, packed as the archive executors unpack
    let bundle = dir.path().join("bundle");
    let st = Command::new("bash")
        .arg(root().join("scripts/install.sh"))
        .arg(&bundle)
        .status()
        .unwrap();
    assert!(st.success());
    // as `make dist` packs it (gzip, so Spark unpacks with file modes; top-level names)
    let archive = dir.path().join("claimex.tar.gz");
    let st = Command::new("bash")
        .arg(root().join("scripts/install.sh"))
        .arg("--pack")
        .arg(&bundle)
        .arg(&archive)
        .status()
        .unwrap();
    assert!(st.success());
    let spark = Spark {
        venv,
        dir: dir.path().to_path_buf(),
        archive,
    };

    let mut lines = fixture_lines(true);
    lines.extend(generated());
    let input = dir.path().join("articles.jsonl");
    std::fs::write(&input, lines.join("\n") + "\n").unwrap();

    // what claimex gives on the whole input, from the installed binary, as the job runs it
    let claimex = bundle.join("claimex");
    let t = Instant::now();
    let mut child = Command::new(&claimex)
        .current_dir(dir.path())
        .env("CLAIMEX_PRECISION", "f32")
        .args(["extract", "-q", "--threads", "2", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let bytes = std::fs::read(&input).unwrap();
    let feeder = std::thread::spawn(move || stdin.write_all(&bytes).unwrap());
    let out = child.wait_with_output().unwrap();
    feeder.join().unwrap();
    let alone = t.elapsed().as_secs_f64();
    assert_eq!(out.status.code(), Some(1), "three articles fail");
    let want = String::from_utf8(out.stdout).unwrap();
    let n = want.lines().count();
    assert_eq!(n, lines.iter().filter(|l| !l.trim().is_empty()).count());

    // the job: 8 chunks of 64 articles a task, so the batch spreads over several partitions
    let on_spark = spark.submit(&["extract", s(&input), "out/records", "--chunks", "8"]);
    let got = parts(&dir.path().join("out/records"));
    assert!(
        got == want,
        "Spark's records differ from claimex extract's: {}",
        first_difference(&want, &got)
    );
    let records: Vec<serde_json::Value> = got
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let failed: Vec<(&str, &str)> = records
        .iter()
        .filter(|r| r["status"] == "error")
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["error"]["kind"].as_str().unwrap(),
            )
        })
        .collect();
    // the line that is not JSON is named by its line number in the whole input
    let cut = format!(
        "-:{}",
        1 + lines.iter().position(|l| l.contains("not-json")).unwrap()
    );
    assert_eq!(
        failed,
        vec![
            (cut.as_str(), "parse"),
            ("empty", "empty"),
            ("number", "parse")
        ],
        "failures stay error records, in place"
    );
    let unnamed = records
        .iter()
        .filter(|r| r["id"].as_str().unwrap().starts_with("-:"))
        .count();
    assert_eq!(
        unnamed, 6,
        "lines without an id are named by their line number"
    );

    // the desk over the whole output equals claimex claims over the same records
    let records_file = dir.path().join("records.jsonl");
    std::fs::write(&records_file, &want).unwrap();
    let claims_file = dir.path().join("claims.jsonl");
    let groups_file = dir.path().join("groups.jsonl");
    let t = Instant::now();
    let st = Command::new(&claimex)
        .args(["claims", "-q", "--format", "jsonl", s(&records_file)])
        .arg("-o")
        .arg(&claims_file)
        .arg("--groups")
        .arg(&groups_file)
        .status()
        .unwrap();
    assert!(st.success());
    let desk_alone = t.elapsed().as_secs_f64();
    let desk_secs = spark.submit(&["desk", "out/records", "out/desk"]);
    let (want_claims, want_groups) = (
        std::fs::read_to_string(&claims_file).unwrap(),
        std::fs::read_to_string(&groups_file).unwrap(),
    );
    let got_claims = parts(&dir.path().join("out/desk/claims"));
    let got_groups = parts(&dir.path().join("out/desk/groups"));
    assert!(
        got_groups == want_groups,
        "Spark's groups differ from claimex claims's: {}",
        first_difference(&want_groups, &got_groups)
    );
    assert!(
        got_claims == want_claims,
        "Spark's claims table differs from claimex claims's: {}",
        first_difference(&want_claims, &got_claims)
    );
    let groups: Vec<serde_json::Value> = want_groups
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(
        groups.iter().any(|g| g["articles"].as_u64().unwrap() >= 50),
        "the recurring paragraphs make groups across partitions"
    );

    // Parquet out, and back as JSONL: the same records (rules only, the fixtures)
    let small = dir.path().join("fixtures.jsonl");
    std::fs::write(&small, fixture_lines(true).join("\n") + "\n").unwrap();
    spark.submit(&[
        "extract",
        s(&small),
        "out/parquet",
        "--format",
        "parquet",
        "--no-models",
    ]);
    spark.submit(&["to-jsonl", "out/parquet", "out/back"]);
    let rules = Command::new(&claimex)
        .args(["extract", "-q", "--no-models", "-"])
        .stdin(std::fs::File::open(&small).unwrap())
        .output()
        .unwrap();
    let back = parts(&dir.path().join("out/back"));
    let want_rules = String::from_utf8(rules.stdout).unwrap();
    assert!(
        back == want_rules,
        "Parquet records differ: {}",
        first_difference(&want_rules, &back)
    );
    eprintln!(
        "spark: {n} articles: claimex extract --threads 2 {alone:.1} s; the Spark job, local[2], --threads 1 a task, {on_spark:.1} s ({:.2}x); the desk: claimex claims {desk_alone:.1} s, on Spark {desk_secs:.1} s ({} claims, {} groups)",
        on_spark / alone,
        want_claims.lines().count(),
        groups.len()
    );
}

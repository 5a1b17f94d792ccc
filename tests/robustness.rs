//! Hostile input: each test is named after a defect found by attacking the CLI, and failed
//! before its fix (a hang is caught by a time limit, not waited out).

use super::{records, root};
use claimex_pipeline::output::Record;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// Runs claimex (rules only) with `stdin`, killing it after `limit`: a test of a hang fails
/// instead of hanging the suite.
fn run_limited(args: &[&str], stdin: Stdio, limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_claimex"))
        .env("CLAIMEX_PRECISION", "f32")
        .args(args)
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run claimex");
    let t0 = Instant::now();
    // read the pipes on threads so a full pipe never blocks the child
    let mut so = child.stdout.take().unwrap();
    let mut se = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut so, &mut v).ok();
        v
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut se, &mut v).ok();
        v
    });
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if t0.elapsed() > limit {
            child.kill().ok();
            child.wait().ok();
            panic!("claimex {args:?} still running after {limit:?}: killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
    }
}

fn run(args: &[&str]) -> Output {
    run_limited(args, Stdio::null(), Duration::from_secs(60))
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn good_article(dir: &Path) -> String {
    let p = dir.join("good.txt");
    std::fs::write(&p, "\"We are ready,\" Mayor Ana Ruiz said on Monday.").unwrap();
    s(&p).to_string()
}

#[test]
fn deeply_nested_html_is_read_not_a_stack_overflow_of_the_whole_batch() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pages = [
        ("divs", "<div>".repeat(7000)),
        ("bold", "<b>".repeat(7000)),
        ("tables", "<table><tr><td>".repeat(3000)),
        ("deepest", "<div>".repeat(100_000)),
    ];
    let mut args = vec!["extract".to_string(), "-q".into(), "--no-models".into()];
    for (name, open) in &pages {
        let p = d.join(format!("{name}.html"));
        std::fs::write(&p, format!("{open}<p>\"Hi,\" he said.</p>")).unwrap();
        args.push(s(&p).into());
    }
    let jsonl = d.join("deep.jsonl");
    let html = format!("{}<p>\"Hi,\" he said.</p>", "<div>".repeat(7000));
    std::fs::write(
        &jsonl,
        serde_json::json!({"id": "j", "html": html}).to_string() + "\n",
    )
    .unwrap();
    args.push(s(&jsonl).into());
    args.push(good_article(d));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run_limited(&args, Stdio::null(), Duration::from_secs(120));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let recs = records(&o.stdout);
    assert_eq!(recs.len(), 6);
    for r in &recs[..5] {
        assert_eq!(r.text.as_deref(), Some("\"Hi,\" he said."), "{}", r.id);
        assert_eq!(r.quotes.as_ref().unwrap().len(), 1, "{}", r.id);
    }
}

#[test]
fn devices_and_endless_streams_are_read_through_the_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let limit = Duration::from_secs(30);
    // named, as .txt, as .jsonl: a too_large record each, quickly
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.txt")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.jsonl")).unwrap();
    for name in [
        "/dev/zero",
        s(&d.join("zero.txt")),
        s(&d.join("zero.jsonl")),
    ] {
        let o = run_limited(
            &["extract", "-q", "--no-models", name],
            Stdio::null(),
            limit,
        );
        assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
        let r = &records(&o.stdout)[0];
        assert_eq!(r.error.as_ref().unwrap().kind, "too_large", "{name}");
    }
    // on stdin
    let zero = std::fs::File::open("/dev/zero").unwrap();
    let o = run_limited(&["extract", "-q", "--no-models", "-"], zero.into(), limit);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        records(&o.stdout)[0].error.as_ref().unwrap().kind,
        "too_large"
    );
}

#[test]
fn a_fifo_or_device_inside_a_folder_is_skipped_and_said() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    good_article(d);
    let fifo = d.join("pipe.txt");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: mkfifo with a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    std::os::unix::fs::symlink("/dev/zero", d.join("zero.txt")).unwrap();
    let o = run_limited(
        &["extract", "--no-models", s(d)],
        Stdio::null(),
        Duration::from_secs(30),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&o.stdout).len(), 1);
    let e = stderr(&o);
    assert!(
        e.contains("skipped") && e.contains("pipe.txt") && e.contains("zero.txt"),
        "{e}"
    );
}

#[test]
fn the_output_named_as_an_input_is_refused_before_it_is_emptied() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let txt = good_article(d);
    let before = std::fs::read(&txt).unwrap();
    let o = run(&["extract", "--no-models", &txt, "-o", &txt]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("also an input"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&txt).unwrap(), before);
    // a JSONL input, and an input inside a named folder, through another path
    let jsonl = d.join("in.jsonl");
    std::fs::write(&jsonl, "{\"id\": \"a\", \"text\": \"Fine.\"}\n").unwrap();
    for (input, out) in [
        (s(&jsonl).to_string(), s(&jsonl).to_string()),
        (s(d).to_string(), format!("{}/./in.jsonl", s(d))),
    ] {
        let o = run(&["extract", "--no-models", &input, "-o", &out]);
        assert_eq!(o.status.code(), Some(2), "{input} -> {out}");
        assert_eq!(
            std::fs::read_to_string(&jsonl).unwrap(),
            "{\"id\": \"a\", \"text\": \"Fine.\"}\n"
        );
    }
}

#[test]
fn directory_symlink_loops_are_walked_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("d");
    std::fs::create_dir(&d).unwrap();
    good_article(&d);
    // two loops made the walk exponential; one made every file appear 41 times
    std::os::unix::fs::symlink(".", d.join("self")).unwrap();
    std::os::unix::fs::symlink(".", d.join("again")).unwrap();
    let o = run_limited(
        &["extract", "--no-models", s(&d)],
        Stdio::null(),
        Duration::from_secs(30),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&o.stdout).len(), 1);
    assert!(
        stderr(&o).contains("a folder already read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn jsonl_details_bom_ids_types_and_two_bodies() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("b.jsonl");
    let long = "x".repeat(300);
    std::fs::write(
        &p,
        format!(
            "\u{feff}{{\"id\":\"bom\",\"text\":\"First article.\"}}\n{{\"id\":1.5e3,\"text\":\"Second.\"}}\n{{\"id\":\"n\",\"text\":42}}\n{{\"id\":\"both\",\"text\":\"A text.\",\"html\":\"<p>Html</p>\"}}\n{{\"id\":\"big\",\"text\":\"{long}\"}}\n"
        ),
    )
    .unwrap();
    let o = run(&["extract", "--no-models", "--max-bytes", "100", s(&p)]);
    assert_eq!(o.status.code(), Some(1));
    let r: Vec<Record> = records(&o.stdout);
    let got: Vec<(&str, &str)> = r
        .iter()
        .map(|r| (r.id.as_str(), r.status.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("bom", "ok"),
            ("1.5e3", "ok"),
            ("n", "error"),
            ("both", "ok"),
            ("big", "error")
        ]
    );
    assert!(r[2]
        .error
        .as_ref()
        .unwrap()
        .message
        .contains("\"text\" is a number"));
    assert_eq!(r[4].error.as_ref().unwrap().kind, "too_large");
    assert!(
        stderr(&o).contains("both \"text\" and \"html\""),
        "{}",
        stderr(&o)
    );
    // a line over the line limit (6 x --max-bytes + 64 KiB) keeps the id its start names
    let huge = dir.path().join("h.jsonl");
    let body = "y".repeat(200_000);
    std::fs::write(&huge, format!("{{\"id\": \"huge\", \"text\": \"{body}\"}}\n{{\"id\": \"next\", \"text\": \"Fine.\"}}\n")).unwrap();
    let o = run(&["extract", "--no-models", "--max-bytes", "1000", s(&huge)]);
    let r = records(&o.stdout);
    assert_eq!(
        (r[0].id.as_str(), r[0].error.as_ref().unwrap().kind.as_str()),
        ("huge", "too_large")
    );
    assert_eq!((r[1].id.as_str(), r[1].status.as_str()), ("next", "ok"));
}

#[test]
fn text_files_in_utf16_or_with_late_nul_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let u16 = dir.path().join("u16.txt");
    let mut bytes = vec![0xff, 0xfe];
    for c in "\"Hello,\" she said.".encode_utf16() {
        bytes.extend(c.to_le_bytes());
    }
    std::fs::write(&u16, bytes).unwrap();
    let nul = dir.path().join("nul.txt");
    let mut late = "Plain text. ".repeat(1000).into_bytes();
    late.extend(b"\0 after 12 KB");
    std::fs::write(&nul, late).unwrap();
    let o = run(&["extract", "-q", "--no-models", s(&u16), s(&nul)]);
    let r = records(&o.stdout);
    assert_eq!(r[0].error.as_ref().unwrap().kind, "encoding");
    assert_eq!(r[1].error.as_ref().unwrap().kind, "binary");
}

#[test]
fn bad_settings_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let a = good_article(dir.path());
    for args in [
        vec!["extract", "--no-models", "--max-bytes", "0", a.as_str()],
        vec!["extract", "--no-models", "--threads", "100000", a.as_str()],
    ] {
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
    }
    let o = Command::new(env!("CARGO_BIN_EXE_claimex"))
        .env("CLAIMEX_PRECISION", "garbage")
        .args(["extract", "--no-models", &a])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("CLAIMEX_PRECISION"));
}

#[test]
fn a_closed_stdout_or_a_full_disk_is_a_write_failure() {
    let dir = tempfile::tempdir().unwrap();
    let a = good_article(dir.path());
    let o = run(&["extract", "-q", "--no-models", &a, "-o", "/dev/full"]);
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    let o = Command::new(env!("CARGO_BIN_EXE_claimex"))
        .args(["extract", "--no-models", &a])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    // stdout closed: the shell's `>&-`
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "'{}' extract --no-models '{a}' >&-",
            env!("CARGO_BIN_EXE_claimex")
        ))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(3), "{}", stderr(&o));
    assert!(stderr(&o).contains("standard output is closed"));
}

#[test]
fn html_edge_cases_template_noscript_textarea_xmp() {
    let dir = tempfile::tempdir().unwrap();
    let page = |name: &str, html: &str| {
        let p = dir.path().join(format!("{name}.html"));
        std::fs::write(&p, html).unwrap();
        s(&p).to_string()
    };
    let files = [
        page("template", "<body><template><article><p>Hidden draft.</p></article></template><article><p>Shown text here.</p></article></body>"),
        page("noscript", "<body><noscript><p>\"Only here,\" she said.</p></noscript></body>"),
        page("fields", "<body><p>Before.</p><textarea>typed</textarea><xmp>raw one</xmp><xmp>raw two</xmp></body>"),
    ];
    let args: Vec<&str> = ["extract", "-q", "--no-models"]
        .into_iter()
        .chain(files.iter().map(String::as_str))
        .collect();
    let o = run(&args);
    let r = records(&o.stdout);
    assert_eq!(r[0].text.as_deref(), Some("Shown text here."));
    assert_eq!(r[1].text.as_deref(), Some("\"Only here,\" she said."));
    assert_eq!(r[2].text.as_deref(), Some("Before.\n\nraw one\n\nraw two"));
    let _ = root();
}

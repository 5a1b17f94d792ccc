//! Rule-only goldens: every fixture article through the rule stages (no models, no
//! libtorch), each record compared with `fixtures/golden-rules/<id>.json`. Runs in seconds
//! from this crate (`cargo test -p claimex-pipeline`); the binary's `extract --no-models`
//! gives the same records (checked in the workspace's integration tests).
//!
//! `BLESS=1 cargo test -p claimex-pipeline --test golden_rules` rewrites the goldens; read
//! the diff.

use claimex_pipeline::ingest::collect_sources;
use claimex_pipeline::output::Record;
use claimex_pipeline::testutil::check_goldens;
use claimex_pipeline::{Pipeline, PipelineConfig};
use std::path::{Path, PathBuf};

/// The workspace root: the records' `source` paths are relative to it, as the CLI's are
/// when it is run there.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

#[test]
fn rule_only_records_equal_their_goldens() {
    std::env::set_current_dir(root()).unwrap();
    let sources = collect_sources(&[PathBuf::from("fixtures/articles")]);
    let mut out = Vec::new();
    let summary = Pipeline::new(&PipelineConfig::default())
        .run_batch(&sources, &mut out, |_| {})
        .unwrap();
    assert!(summary.failed.is_empty(), "{summary:?}");
    let records: Vec<Record> = std::str::from_utf8(&out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(records.len() >= 16, "{} records", records.len());
    let failures = check_goldens(Path::new("fixtures/golden-rules"), &records);
    assert!(
        failures.is_empty(),
        "{} golden failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

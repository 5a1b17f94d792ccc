//! The stage trait and stage errors.

use crate::document::Document;
use std::fmt;

/// One step of the pipeline: reads the layers before it, adds its own.
///
/// Implementations are built from a config before any article is read, are `Send + Sync`,
/// and never modify `doc.text`.
pub trait Stage: Send + Sync {
    /// A stable snake_case verb naming the stage (`segment_sentences`).
    fn name(&self) -> &'static str;

    /// Adds this stage's layer to `doc`.
    ///
    /// # Errors
    /// A [`StageError`] when the article cannot be processed; the runner turns it into an
    /// error record for this article only.
    fn annotate(&self, doc: &mut Document) -> Result<(), StageError>;
}

/// A stage that runs over many articles at once (model inference, batched across articles
/// and sorted by length inside). Called from one thread between the per-article stages and
/// the writer; implementations hold their model behind a `Mutex` to be `Sync`.
pub trait BatchStage: Send + Sync {
    /// A stable snake_case verb naming the stage (`score_checkworthiness`).
    fn name(&self) -> &'static str;

    /// Adds this stage's layer to every document of the batch.
    ///
    /// # Errors
    /// A [`StageError`] when the batch fails; the runner then retries article by article so
    /// that only the culprit fails.
    fn annotate_batch(&self, docs: &mut [&mut Document]) -> Result<(), StageError>;
}

/// Why an article failed; the `kind` strings are a small fixed set, stable on the wire.
#[derive(
    Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input could not be read (missing file, permission denied).
    Read,
    /// The bytes are not UTF-8 text.
    Encoding,
    /// The bytes look like a binary file.
    Binary,
    /// The article holds no text.
    Empty,
    /// The article exceeds the size limit.
    TooLarge,
    /// A JSONL line or HTML document could not be parsed.
    Parse,
    /// A span did not match the text (a bug, caught before output).
    Offsets,
    /// A stage failed or panicked (a bug, contained to this article).
    Internal,
    /// The rule stages took longer than the per-article time limit.
    Timeout,
}

impl ErrorKind {
    /// The stable wire name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ErrorKind::Read => "read",
            ErrorKind::Encoding => "encoding",
            ErrorKind::Binary => "binary",
            ErrorKind::Empty => "empty",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Parse => "parse",
            ErrorKind::Offsets => "offsets",
            ErrorKind::Internal => "internal",
            ErrorKind::Timeout => "timeout",
        }
    }
}

/// An error for one article: a kind from a fixed set and a message for people.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageError {
    /// What went wrong, machine-readable.
    pub kind: ErrorKind,
    /// What went wrong and, where possible, what to do about it.
    pub message: String,
}

impl StageError {
    /// Makes an error.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        StageError {
            kind,
            message: message.into(),
        }
    }
}

impl fmt::Display for StageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.kind.as_str(), self.message)
    }
}

impl std::error::Error for StageError {}

//! The models crate's error: an opaque struct with a small, fixed kind.

use std::fmt;

/// What kind of failure a [`ModelError`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModelErrorKind {
    /// Model files are missing or unreadable (run `make setup`, or pass `--models`).
    Missing,
    /// Model files exist but do not load (wrong shapes, corrupt file, bad config).
    Load,
    /// Tokenization or inference failed.
    Inference,
    /// Settings that do not fit together or name what is not there (a training override a
    /// recipe does not take, a missing data folder).
    Config,
}

/// An error loading or running a model.
#[derive(Debug)]
pub struct ModelError {
    kind: ModelErrorKind,
    message: String,
}

impl ModelError {
    /// Makes an error.
    pub fn new(kind: ModelErrorKind, message: impl Into<String>) -> Self {
        ModelError {
            kind,
            message: message.into(),
        }
    }

    /// Makes an error from another one, its message the other's with every cause after it
    /// (`a: b: c`).
    pub fn caused_by(kind: ModelErrorKind, e: &dyn std::error::Error) -> Self {
        let mut message = e.to_string();
        let mut cause = e.source();
        while let Some(c) = cause {
            message = format!("{message}: {c}");
            cause = c.source();
        }
        ModelError::new(kind, message)
    }

    /// Its kind.
    pub fn kind(&self) -> ModelErrorKind {
        self.kind
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ModelError {}

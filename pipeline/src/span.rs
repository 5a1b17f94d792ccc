//! Offsets: byte spans inside the pipeline, code point spans on the wire.
//!
//! Invariant: a [`ByteSpan`] always lies on `char` boundaries of the document text it was made
//! for, with `start <= end`. The JSON carries [`CharSpan`]s (Unicode code points,
//! end-exclusive), computed once per article by a [`CharIndex`]; nothing else converts units.

use serde::{Deserialize, Serialize};

/// A byte range `[start, end)` into a document's text, on `char` boundaries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ByteSpan {
    /// First byte, inclusive.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl ByteSpan {
    /// Makes a span; `start <= end` is the caller's invariant (checked in debug builds).
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span {start}..{end} is reversed");
        ByteSpan { start, end }
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// True when the span holds no bytes.
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The slice of `text` this span covers.
    ///
    /// # Panics
    /// When the span is out of bounds or not on `char` boundaries of `text`.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }

    /// True when `other` lies inside `self`.
    pub fn contains(&self, other: ByteSpan) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// True when the two spans share at least one byte.
    pub fn overlaps(&self, other: ByteSpan) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The span shrunk so that it neither starts nor ends with whitespace or any char in
    /// `also` (an empty span when nothing is left).
    pub fn trim_with(&self, text: &str, also: &[char]) -> ByteSpan {
        let s = self.text(text);
        let strip = |c: char| c.is_whitespace() || also.contains(&c);
        let lead = s.len() - s.trim_start_matches(strip).len();
        let rest = &s[lead..];
        let kept = rest.trim_end_matches(strip).len();
        ByteSpan::new(self.start + lead, self.start + lead + kept)
    }

    /// The span without surrounding whitespace.
    pub fn trim(&self, text: &str) -> ByteSpan {
        self.trim_with(text, &[])
    }
}

/// A span on the wire: Unicode code point offsets `[start, end)` into the record's `text`,
/// with the text itself. The writer checks `text == chars[start..end]`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CharSpan {
    /// First code point, inclusive.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
    /// The covered text, exactly.
    pub text: String,
}

/// A code point range `[start, end)` of a text without the text: what a model returns
/// ([`crate::tagged::RawSpan`]), mapped to a [`ByteSpan`] only by [`crate::tagged::map`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CodePointSpan {
    /// First code point, inclusive.
    pub start: usize,
    /// One past the last code point.
    pub end: usize,
}

impl CodePointSpan {
    /// Makes a span (not checked: [`crate::tagged::map`] checks it against the text).
    pub fn new(start: usize, end: usize) -> Self {
        CodePointSpan { start, end }
    }
}

/// Converts byte offsets of one text into code point offsets.
///
/// Built once per article; `O(log n)` per lookup, `O(1)` for ASCII text.
#[derive(Debug)]
pub struct CharIndex {
    /// Byte offset of every char start, plus `text.len()` at the end; empty for ASCII text.
    starts: Vec<usize>,
    len: usize,
}

impl CharIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let starts = if text.is_ascii() {
            Vec::new()
        } else {
            let mut v: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            v.push(text.len());
            v
        };
        CharIndex {
            starts,
            len: text.len(),
        }
    }

    /// The code point offset of byte offset `byte`, or `None` when `byte` is not a char
    /// boundary of the indexed text.
    pub fn char_offset(&self, byte: usize) -> Option<usize> {
        if byte > self.len {
            return None;
        }
        if self.starts.is_empty() {
            return Some(byte);
        }
        self.starts.binary_search(&byte).ok()
    }

    /// The byte offset of code point offset `ch`, or `None` past the end.
    pub fn byte_offset(&self, ch: usize) -> Option<usize> {
        if self.starts.is_empty() {
            return (ch <= self.len).then_some(ch);
        }
        self.starts.get(ch).copied()
    }

    /// Number of code points in the indexed text.
    pub fn char_len(&self) -> usize {
        if self.starts.is_empty() {
            self.len
        } else {
            self.starts.len() - 1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_count_code_points_not_bytes() {
        // emoji (4 bytes), combining accent (2 + 2 bytes), CRLF
        let text = "😀 \"Hi\"\r\ne\u{301}!";
        let idx = CharIndex::new(text);
        let q = text.find('"').unwrap();
        assert_eq!(idx.char_offset(q), Some(2));
        assert_eq!(idx.char_offset(1), None, "inside the emoji");
        assert_eq!(idx.char_offset(text.len()), Some(text.chars().count()));
        assert_eq!(idx.byte_offset(2), Some(q));
        assert_eq!(idx.char_len(), text.chars().count());
    }

    #[test]
    fn trim_keeps_boundaries() {
        let text = "  «Olá»  ";
        let s = ByteSpan::new(0, text.len()).trim_with(text, &['«', '»']);
        assert_eq!(s.text(text), "Olá");
        assert!(ByteSpan::new(0, 2).trim(text).is_empty());
    }
}

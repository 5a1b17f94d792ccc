//! Quotation marks: which characters open and close a quotation, and how wide a mark is.
//! The quote stage finds quotations with these; the link stage counts marks with them.

/// An opening double mark that is never a closing one: `“`, `„`, `«`.
pub(crate) fn is_double_open(c: char) -> bool {
    matches!(c, '“' | '„' | '«')
}

/// A closing double mark that is never an opening one: `”`, `»`.
pub(crate) fn is_double_close(c: char) -> bool {
    matches!(c, '”' | '»')
}

/// Whether the chars at `idx` are a doubled apostrophe, `''`: the straight double quotation
/// mark of some wire and archive texts (The New York Times' feeds write
/// `''It's debasing,'' she said`). It opens and closes like `"`.
pub(crate) fn is_doubled_apostrophe(chars: &[(usize, char)], idx: usize) -> bool {
    chars[idx].1 == '\'' && chars.get(idx + 1).is_some_and(|x| x.1 == '\'')
}

/// Double quotation marks in `s`, a doubled apostrophe counting as one.
pub fn double_marks(s: &str) -> usize {
    s.replace("''", "\"")
        .chars()
        .filter(|c| matches!(c, '"' | '“' | '”' | '«' | '»' | '„'))
        .count()
}

/// Bytes of the quotation mark at `at` (2 for a doubled apostrophe).
pub(crate) fn mark_len(text: &str, at: usize) -> usize {
    if text[at..].starts_with("''") {
        return 2;
    }
    text[at..].chars().next().map_or(1, char::len_utf8)
}

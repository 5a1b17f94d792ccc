//! Quotations found by their marks, before any attribution: straight, curly, guillemets,
//! doubled apostrophes, single marks outside double ones (nested singles stay in the
//! content), quotes that run over paragraphs, and nicknames in marks (`Marcia "Cia" Price`),
//! which are not quotations.

use crate::document::Document;
use crate::grammar::marks::{is_double_close, is_double_open, is_doubled_apostrophe, mark_len};
use crate::grammar::tokens::is_dash_char;
use crate::span::ByteSpan;

/// Text inside quotation marks, possibly over several paragraphs.
#[derive(Clone, Debug)]
pub(super) struct Marked {
    /// Byte offset of the opening mark.
    pub(super) open: usize,
    /// Inner text per paragraph (without marks), trimmed.
    pub(super) contents: Vec<ByteSpan>,
    /// The same pieces with their quotation marks, as PolNeAR annotates content spans.
    pub(super) outer: Vec<ByteSpan>,
    /// Byte offset just after the closing mark (or the end of the last paragraph).
    pub(super) close_end: usize,
    /// Byte offset of the closing mark, when there is one.
    pub(super) close: Option<usize>,
}

/// Finds quotation-marked spans in the analysed paragraphs of `doc`.
pub(super) fn find_marked(doc: &Document) -> Vec<Marked> {
    let text = doc.text.as_str();
    let mut out = Vec::new();
    // an open quote carried into the next paragraph
    let mut carry: Option<Marked> = None;
    for para in &doc.paragraphs {
        if !para.role.is_analysed() {
            if let Some(m) = carry.take() {
                out.push(m);
            }
            continue;
        }
        let p = para.span.text(text);
        let base = para.span.start;
        let chars: Vec<(usize, char)> = p.char_indices().collect();
        let mut start_i = 0;
        let mut cur: Option<(usize, bool)> = None; // (byte of open mark, straight?)
        if let Some(mut m) = carry.take() {
            // the paragraph must open with a mark to continue the quote
            match chars.first() {
                Some(&(_, c))
                    if c == '"' || is_double_open(c) || is_doubled_apostrophe(&chars, 0) =>
                {
                    cur = Some((base, !is_double_open(c)));
                    m.close = None;
                    carry = Some(m);
                    start_i = if c == '\'' { 2 } else { 1 };
                }
                _ => out.push(m),
            }
        }
        let mut single: Option<usize> = None; // open single mark at top level
        let mut skip_to = start_i; // the second apostrophe of a doubled one is not a mark
        for idx in start_i..chars.len() {
            if idx < skip_to {
                continue;
            }
            let (b, c0) = chars[idx];
            // a doubled apostrophe reads as one straight double mark; `'''` closing a quote
            // within a quote closes the single one first, so the double mark is the last two
            let doubled = is_doubled_apostrophe(&chars, idx)
                && !(cur.is_some() && is_doubled_apostrophe(&chars, idx + 1));
            let c = if doubled { '"' } else { c0 };
            let width = if doubled { 2 } else { c.len_utf8() };
            if doubled {
                skip_to = idx + 2;
            }
            let prev = if idx == 0 {
                None
            } else {
                Some(chars[idx - 1].1)
            };
            let next = chars
                .get(if doubled { idx + 2 } else { idx + 1 })
                .map(|x| x.1);
            let after_space = prev.is_none_or(|p| {
                p.is_whitespace() || is_dash_char(p) || matches!(p, '(' | '[' | ':' | '‘' | '\'')
            });
            match cur {
                None => {
                    if c == '"' || is_double_open(c) {
                        if c == '"' && !after_space {
                            continue; // a stray closing mark
                        }
                        cur = Some((base + b, c == '"'));
                        single = None;
                    } else if c == '”' && after_space && next.is_some_and(char::is_alphanumeric) {
                        // a closing mark that opens a word opens the quote: a typo of edited
                        // copy (`”Mr. Trump embodies ...” ― Sonya Herridge`), and how Swedish
                        // and Finnish write every opening mark
                        cur = Some((base + b, true));
                        single = None;
                    } else if (c == '‘' || c == '\'')
                        && after_space
                        && next.is_some_and(|n| n.is_alphanumeric())
                    {
                        single = Some(base + b);
                    } else if (c == '’' || c == '\'')
                        && single.is_some()
                        && !next.is_some_and(|n| n.is_alphanumeric())
                    {
                        let o = single.take().unwrap();
                        let inner = ByteSpan::new(o + mark_len(text, o), base + b).trim(text);
                        if !inner.is_empty() {
                            out.push(Marked {
                                open: o,
                                contents: vec![inner],
                                outer: vec![ByteSpan::new(o, base + b + c.len_utf8())],
                                close_end: base + b + c.len_utf8(),
                                close: Some(base + b),
                            });
                        }
                    }
                }
                Some((o, straight)) => {
                    // a straight opening mark may close curly: edited copy mixes them
                    // (`"But Pete Wilson won,” Axelrod said.`, 150 of 840 PolNeAR train
                    // articles hold both kinds)
                    let closes = if straight {
                        (c == '"' && !(after_space && next.is_some_and(|n| n.is_alphanumeric())))
                            || is_double_close(c)
                    } else {
                        is_double_close(c) || c == '"'
                    };
                    if closes {
                        let inner = ByteSpan::new(o + mark_len(text, o), base + b).trim(text);
                        let mut m = carry.take().unwrap_or(Marked {
                            open: o,
                            contents: vec![],
                            outer: vec![],
                            close_end: 0,
                            close: None,
                        });
                        if !inner.is_empty() {
                            m.contents.push(inner);
                            m.outer.push(ByteSpan::new(o, base + b + width));
                        }
                        m.close = Some(base + b);
                        m.close_end = base + b + width;
                        if !m.contents.is_empty() {
                            out.push(m);
                        }
                        cur = None;
                    }
                }
            }
        }
        if let Some((o, _)) = cur {
            // unclosed at paragraph end: maybe continued by the next paragraph
            let inner = ByteSpan::new(o + mark_len(text, o), para.span.end).trim(text);
            let mut m = carry.take().unwrap_or(Marked {
                open: o,
                contents: vec![],
                outer: vec![],
                close_end: 0,
                close: None,
            });
            if !inner.is_empty() {
                m.contents.push(inner);
                m.outer.push(ByteSpan::new(o, para.span.end).trim(text));
            }
            m.close_end = para.span.end;
            m.close = None;
            carry = Some(m);
        }
    }
    if let Some(m) = carry.take() {
        out.push(m);
    }
    out.retain(|m| !m.contents.is_empty());
    out.sort_by_key(|m| m.open);
    out
}

/// A nickname inside a name, `Marcia "Cia" Price`: one or two capitalised words in marks,
/// right between two capitalised words. Not a quotation.
pub(super) fn is_nickname(text: &str, m: &Marked) -> bool {
    let [inner] = m.contents[..] else {
        return false;
    };
    if m.close.is_none() {
        return false; // an unclosed mark runs on: a quotation
    }
    let words: Vec<&str> = inner.text(text).split_whitespace().collect();
    let capitalised = |w: &str| {
        w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(char::is_alphabetic)
    };
    let before = text[..m.open]
        .strip_suffix(' ')
        .and_then(|b| b.split(' ').next_back());
    let after = text[m.close_end..]
        .strip_prefix(' ')
        .and_then(|a| a.split(' ').next());
    (1..=2).contains(&words.len())
        && words.iter().all(|w| capitalised(w))
        && before.is_some_and(capitalised)
        && after.is_some_and(|a| capitalised(a.trim_end_matches([',', '.', '\''])))
}

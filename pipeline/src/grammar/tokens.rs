//! A word tokenizer for the rule stages: words keep internal `.`, `'`, `’`, `-`
//! ("U.S.", "Eun-bo", "don't"); every other non-space char is its own token.

use crate::span::ByteSpan;

/// A token of the rule stages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tok {
    /// Where it is, in bytes of the document text.
    pub span: ByteSpan,
    /// True for words (letters/digits), false for punctuation and symbols.
    pub word: bool,
}

impl Tok {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        self.span.text(text)
    }
}

/// The byte span from the start of token `a` to the end of token `b` (inclusive).
///
/// # Panics
/// When `a` or `b` is out of `toks`.
pub fn span_of(toks: &[Tok], a: usize, b: usize) -> ByteSpan {
    ByteSpan::new(toks[a].span.start, toks[b].span.end)
}

/// Dashes that set text off: figure dash, en dash, em dash and horizontal bar (U+2015, which
/// HuffPost writes before a name: `"..." ― Sonya Herridge`). The ASCII hyphen is not here: it
/// joins words; a hyphen standing alone is a dash only where [`is_dash_token`] says so.
pub const DASHES: [char; 4] = ['‒', '–', '—', '―'];

/// A character that is a dash where it stands alone: one of [`DASHES`] or the ASCII hyphen.
pub fn is_dash_char(c: char) -> bool {
    c == '-' || DASHES.contains(&c)
}

/// A rule token that is a dash: one of [`DASHES`], or an ASCII hyphen that is a token of its
/// own (`"..." - Jane Doe`, and each half of `--`).
pub fn is_dash_token(s: &str) -> bool {
    let mut cs = s.chars();
    matches!((cs.next(), cs.next()), (Some(c), None) if is_dash_char(c))
}

/// Tokens of `span` in `text`, in order.
pub fn tokenize(text: &str, span: ByteSpan) -> Vec<Tok> {
    let s = span.text(text);
    let cs: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < cs.len() {
        let (b, c) = cs[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if c.is_alphanumeric() {
            let mut j = i + 1;
            while j < cs.len() {
                let cj = cs[j].1;
                if cj.is_alphanumeric() || is_mark(cj) {
                    j += 1;
                } else if matches!(cj, '.' | '\'' | '’' | '-' | '‐' | ',')
                    && j + 1 < cs.len()
                    && cs[j + 1].1.is_alphanumeric()
                    && !(cj == ','
                        && !(cs[j - 1].1.is_ascii_digit() && cs[j + 1].1.is_ascii_digit()))
                {
                    j += 2;
                } else {
                    break;
                }
            }
            let mut end = if j < cs.len() { cs[j].0 } else { s.len() };
            // keep the period of abbreviations ("U.S.", "Dr.")
            if j < cs.len() && cs[j].1 == '.' {
                let w = &s[b..end];
                if w.contains('.')
                    || crate::lexicon::is_capitalised_abbreviation(w)
                    || (w.chars().count() == 1 && w.chars().all(char::is_uppercase))
                {
                    end += 1;
                    j += 1;
                }
            }
            out.push(Tok {
                span: ByteSpan::new(span.start + b, span.start + end),
                word: true,
            });
            i = j;
        } else {
            let end = b + c.len_utf8();
            out.push(Tok {
                span: ByteSpan::new(span.start + b, span.start + end),
                word: false,
            });
            i += 1;
        }
    }
    out
}

fn is_mark(c: char) -> bool {
    // combining marks (accents written as separate code points)
    matches!(c as u32, 0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_table() {
        let table: &[(&str, &[&str])] = &[
            ("The U.S. said.", &["The", "U.S.", "said", "."]),
            ("Jung Eun-bo's view", &["Jung", "Eun-bo's", "view"]),
            ("Dr. Hill, 3,500 m", &["Dr.", "Hill", ",", "3,500", "m"]),
            (
                "Jose\u{301} said “no”",
                &["Jose\u{301}", "said", "“", "no", "”"],
            ),
            (
                "“We stay.”― Ann Lee",
                &["“", "We", "stay", ".", "”", "―", "Ann", "Lee"],
            ),
        ];
        for (text, want) in table {
            let got: Vec<&str> = tokenize(text, ByteSpan::new(0, text.len()))
                .iter()
                .map(|t| t.text(text))
                .collect();
            assert_eq!(&got, want, "{text}");
        }
    }

    #[test]
    fn dash_table() {
        for (tok, dash) in [
            ("—", true),
            ("–", true),
            ("―", true),
            ("‒", true),
            ("-", true),
            ("--", false),
            ("Eun-bo", false),
            (":", false),
        ] {
            assert_eq!(is_dash_token(tok), dash, "{tok}");
        }
    }
}

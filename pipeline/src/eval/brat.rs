//! brat standoff as PolNeAR writes it: `T` lines with a label and code point offsets
//! (`start end` or discontinuous `start end;start end`), and `E` lines tying roles into an
//! attribution.
//!
//! Parsing traps handled: an `E` line may name a `T` defined after it (all `T` lines are read
//! first), and a span's text may contain a newline, so a line may continue the previous `T`
//! line (such lines are skipped: the offsets are on the `T` line).

use std::collections::HashMap;

/// A text-bound annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextBound {
    /// `Source`, `Cue`, `Content`, `Attribution`, `Attribution-no-source`.
    pub label: String,
    /// Fragments `[start, end)` in code points.
    pub fragments: Vec<(usize, usize)>,
}

/// One attribution: its role spans (fragments of every span of that role).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GoldAttribution {
    /// Source fragments (empty for `Attribution-no-source`).
    pub sources: Vec<(usize, usize)>,
    /// Cue fragments.
    pub cues: Vec<(usize, usize)>,
    /// Content fragments.
    pub contents: Vec<(usize, usize)>,
}

/// Parses an `.ann` file into attributions, plus every role span (also those in no event).
pub fn parse(ann: &str) -> (Vec<GoldAttribution>, Vec<TextBound>) {
    let mut tb: HashMap<String, TextBound> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut events: Vec<Vec<(String, String)>> = Vec::new();
    for line in ann.lines() {
        let mut parts = line.splitn(3, '\t');
        let (Some(id), Some(body)) = (parts.next(), parts.next()) else {
            continue;
        };
        if id.starts_with('T') && id[1..].chars().all(|c| c.is_ascii_digit()) && !id[1..].is_empty()
        {
            let mut it = body.splitn(2, ' ');
            let (Some(label), Some(offs)) = (it.next(), it.next()) else {
                continue;
            };
            let fragments: Vec<(usize, usize)> = offs
                .split(';')
                .filter_map(|f| {
                    let mut n = f.split_whitespace().map(|x| x.parse::<usize>());
                    match (n.next(), n.next()) {
                        (Some(Ok(a)), Some(Ok(b))) if a <= b => Some((a, b)),
                        _ => None,
                    }
                })
                .collect();
            if fragments.is_empty() {
                continue;
            }
            order.push(id.to_string());
            tb.insert(
                id.to_string(),
                TextBound {
                    label: label.to_string(),
                    fragments,
                },
            );
        } else if id.starts_with('E') {
            let args = body
                .split_whitespace()
                .filter_map(|a| a.split_once(':'))
                .map(|(r, t)| (r.to_string(), t.to_string()))
                .collect();
            events.push(args);
        }
    }
    let mut atts = Vec::new();
    for ev in &events {
        let mut a = GoldAttribution::default();
        for (role, t) in ev {
            let Some(span) = tb.get(t) else { continue };
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            match role {
                "Source" => a.sources.extend(&span.fragments),
                "Cue" => a.cues.extend(&span.fragments),
                "Content" => a.contents.extend(&span.fragments),
                _ => {}
            }
        }
        if !a.contents.is_empty() {
            atts.push(a);
        }
    }
    let spans = order.into_iter().filter_map(|id| tb.remove(&id)).collect();
    (atts, spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_references_discontinuous_spans_and_continued_lines() {
        let ann = "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\nT1\tSource 0 5\tSmith\nT2\tCue 6 10\tsaid\nT3\tContent 12 20;25 30\tfirst part\nsecond line of text\nT4\tAttribution 6 10\tsaid\nT5\tContent 40 50\tno event\n";
        let (atts, spans) = parse(ann);
        assert_eq!(atts.len(), 1);
        assert_eq!(atts[0].contents, vec![(12, 20), (25, 30)]);
        assert_eq!(atts[0].sources, vec![(0, 5)]);
        assert_eq!(spans.len(), 5);
    }
}

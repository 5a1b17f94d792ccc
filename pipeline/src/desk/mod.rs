//! The fact-checkers' desk: every claim of a batch in one ranked table, grouped across
//! articles (`claimex claims`), and one page to look at it (`claimex report`).

pub mod group;
pub mod report;

use crate::output::{embedding_from_base64, ClaimKindOut, Record};
use serde::Serialize;

/// The similarity threshold of [`group::group`] used when the command line gives none; see
/// `models/grouping/README.md` for the data it was chosen on.
pub const DEFAULT_THRESHOLD: f32 = 0.87;

/// One claim of the batch, as a row of the desk's table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    /// 1 for the most check-worthy claim of the batch.
    pub rank: usize,
    /// The article's id.
    pub article: String,
    /// The article's title, when the input gave one.
    pub title: Option<String>,
    /// The claim's id within its record (`c3`).
    pub claim: String,
    /// Quoted, reported or narrative.
    pub kind: ClaimKindOut,
    /// Who made it: the speaker entity's name (null for narrative claims).
    pub speaker: Option<String>,
    /// The speaker's title or office.
    pub speaker_title: Option<String>,
    /// A narrative claim's voice (byline reporter or outlet).
    pub source: Option<String>,
    /// The claim as written.
    pub text: String,
    /// The standalone text.
    pub standalone: String,
    /// Check-worthiness in `[0, 1]` (3 decimals), null without a scorer.
    pub checkworthiness: Option<f64>,
    /// The group's id, when the claim is made in more than one place.
    pub group: Option<String>,
    /// Members of the group (1 for a claim alone).
    pub group_size: usize,
    /// Start of the claim in code points of the article's text.
    pub start: usize,
    /// End, exclusive.
    pub end: usize,
}

/// A group of the batch, for the desk's overview.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GroupOut {
    /// Its id.
    pub id: String,
    /// Claims in it.
    pub size: usize,
    /// Distinct articles among them.
    pub articles: usize,
    /// The representative claim's standalone text.
    pub text: String,
    /// Its members as (article id, claim id), in the stable order.
    pub members: Vec<(String, String)>,
}

/// The desk's view of a batch: ranked rows and the groups.
#[derive(Clone, Debug, Default)]
pub struct Desk {
    /// Every claim, ranked: highest check-worthiness first (unscored last), then by article
    /// id and position.
    pub rows: Vec<Row>,
    /// Groups of two or more claims, largest first.
    pub groups: Vec<GroupOut>,
    /// Similarity comparisons the grouping made.
    pub compared: usize,
}

/// Every claim of the records as an unranked, ungrouped row (rank 0, group size 1), and as
/// the item grouping sees, in record order (error records have no claims).
fn rows_and_items(records: &[Record]) -> (Vec<Row>, Vec<group::Item>) {
    let mut rows = Vec::new();
    let mut items = Vec::new();
    for r in records {
        let entities = r.entities.as_deref().unwrap_or_default();
        for c in r.claims.iter().flatten() {
            let speaker = c
                .speaker
                .as_ref()
                .and_then(|id| entities.iter().find(|e| &e.id == id));
            rows.push(Row {
                rank: 0,
                article: r.id.clone(),
                title: r.title.clone(),
                claim: c.id.clone(),
                kind: c.kind,
                speaker: speaker.map(|e| e.name.clone()),
                speaker_title: speaker.and_then(|e| e.title.clone()),
                source: c.source.as_ref().map(|s| s.text.clone()),
                text: c.text.clone(),
                standalone: c.standalone.clone(),
                checkworthiness: c.checkworthiness,
                group: None,
                group_size: 1,
                start: c.span.start,
                end: c.span.end,
            });
            items.push(group::Item {
                article: r.id.clone(),
                start: c.span.start,
                end: c.span.end,
                text: c.standalone.clone(),
                embedding: c.embedding.as_deref().and_then(embedding_from_base64),
            });
        }
    }
    (rows, items)
}

/// A row with what an engine needs to group claims of a corpus that no one process holds
/// (`claimex claims --format keys`; `scripts/spark/claimex_spark.py` reads it): the row is
/// neither ranked nor grouped, and carries the grouping's keys.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KeyedRow {
    /// The row (rank 0, no group).
    #[serde(flatten)]
    pub row: Row,
    /// The normalised standalone text ([`group::normalise`]): claims of two articles with
    /// the same non-empty key are the same claim.
    pub text_key: String,
    /// The embedding's signature in each hash table ([`group::Planes`]), when it has one.
    pub buckets: Option<Vec<u32>>,
    /// The claim's embedding as the record carries it (base64 of int8 components).
    pub embedding: Option<String>,
}

/// Every claim of the records as a [`KeyedRow`], in record order.
pub fn keyed_rows(records: &[Record]) -> Vec<KeyedRow> {
    let (rows, items) = rows_and_items(records);
    // the records' own base64 strings, in the order of the rows
    let encoded = records
        .iter()
        .flat_map(|r| r.claims.iter().flatten())
        .map(|c| c.embedding.clone());
    // one set of planes per embedding width met (one, unless models were mixed)
    let mut planes: Vec<group::Planes> = Vec::new();
    rows.into_iter()
        .zip(items)
        .zip(encoded)
        .map(|((row, item), embedding)| {
            let buckets = item.embedding.as_deref().and_then(|e| {
                let k = match planes.iter().position(|p| p.dim() == e.len()) {
                    Some(k) => k,
                    None => {
                        planes.push(group::Planes::new(e.len()));
                        planes.len() - 1
                    }
                };
                planes[k].signatures(e).map(|s| s.to_vec())
            });
            KeyedRow {
                text_key: group::normalise(&item.text),
                buckets,
                // as the grouping reads it: none when it does not decode
                embedding: embedding.filter(|_| item.embedding.is_some()),
                row,
            }
        })
        .collect()
}

/// Builds the desk from a batch's records (error records have no claims and are skipped
/// here; the report lists them). `threshold`: see [`group::group`].
pub fn build(records: &[Record], threshold: f32) -> Desk {
    let (mut rows, items) = rows_and_items(records);
    let g = group::group(&items, threshold);
    for (i, row) in rows.iter_mut().enumerate() {
        if let Some(k) = g.of[i] {
            row.group = Some(g.groups[k].id.clone());
            row.group_size = g.groups[k].members.len();
        }
    }
    let groups = g
        .groups
        .iter()
        .map(|grp| GroupOut {
            id: grp.id.clone(),
            size: grp.members.len(),
            articles: grp.articles,
            text: rows[grp.representative].standalone.clone(),
            members: grp
                .members
                .iter()
                .map(|&m| (rows[m].article.clone(), rows[m].claim.clone()))
                .collect(),
        })
        .collect();
    rows.sort_by(|a, b| {
        let score = |r: &Row| r.checkworthiness.unwrap_or(-1.0);
        score(b)
            .total_cmp(&score(a))
            .then_with(|| a.article.cmp(&b.article))
            .then_with(|| (a.start, a.end).cmp(&(b.start, b.end)))
    });
    for (k, r) in rows.iter_mut().enumerate() {
        r.rank = k + 1;
    }
    Desk {
        rows,
        groups,
        compared: g.compared,
    }
}

/// The columns of the CSV and TSV tables, in order.
pub const COLUMNS: [&str; 15] = [
    "rank",
    "article",
    "title",
    "claim",
    "kind",
    "speaker",
    "speaker_title",
    "source",
    "text",
    "standalone",
    "checkworthiness",
    "group",
    "group_size",
    "start",
    "end",
];

impl Row {
    /// The row's cells in [`COLUMNS`] order.
    pub fn cells(&self) -> [String; 15] {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        [
            self.rank.to_string(),
            self.article.clone(),
            opt(&self.title),
            self.claim.clone(),
            self.kind.as_str().to_string(),
            opt(&self.speaker),
            opt(&self.speaker_title),
            opt(&self.source),
            self.text.clone(),
            self.standalone.clone(),
            self.checkworthiness
                .map(|s| format!("{s:.3}"))
                .unwrap_or_default(),
            opt(&self.group),
            self.group_size.to_string(),
            self.start.to_string(),
            self.end.to_string(),
        ]
    }
}

/// One CSV field, RFC 4180: quoted when it holds a comma, a quotation mark, CR or LF (its
/// marks doubled). A field that starts with `=`, `+`, `-` or `@` is prefixed with `'` so a
/// spreadsheet shows it as text instead of evaluating it (article text is untrusted).
pub fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// One TSV field: tabs, CR and LF become spaces (TSV has no quoting); the same `'` prefix as
/// [`csv_field`].
pub fn tsv_field(s: &str) -> String {
    let s = s.replace(['\t', '\r', '\n'], " ");
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s
    }
}

/// The table as CSV (header first, CRLF line ends as RFC 4180 says, UTF-8 with no BOM).
pub fn to_csv(rows: &[Row]) -> String {
    table(rows, ",", "\r\n", csv_field)
}

/// The table as TSV (header first, LF line ends).
pub fn to_tsv(rows: &[Row]) -> String {
    table(rows, "\t", "\n", tsv_field)
}

/// The header and every row, cells written by `field`, joined by `sep`, each line ended by
/// `eol`.
fn table(rows: &[Row], sep: &str, eol: &str, field: fn(&str) -> String) -> String {
    let mut out = COLUMNS.join(sep);
    out.push_str(eol);
    for r in rows {
        let cells: Vec<String> = r.cells().iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(sep));
        out.push_str(eol);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_quote_what_rfc_4180_says_and_defuse_formulas() {
        let table = [
            ("plain", "plain"),
            ("a, b", "\"a, b\""),
            ("say \"no\"", "\"say \"\"no\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("-5% growth", "'-5% growth"),
            ("Zoë 👩🏽‍🔬", "Zoë 👩🏽‍🔬"),
        ];
        for (raw, want) in table {
            assert_eq!(csv_field(raw), want, "{raw}");
        }
        assert_eq!(tsv_field("a\tb\nc"), "a b c");
    }
}

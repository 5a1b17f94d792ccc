//! brat standoff in PolNeAR's conventions: a folder of `<file>.txt` (the record's text, byte
//! for byte) and `<file>.ann`, with `annotation.conf` and `visual.conf` so a brat server
//! opens it, and `ids.tsv` (file, record id, sha256 of the `.ann` as written) so ids that are
//! not file names survive and an untouched document is told from a corrected one.
//!
//! A quote is `T` lines `Source`, `Cue` and `Content` (a role with several spans as one
//! discontinuous `T`: `start end;start end`), an `Attribution` trigger `T` (on the cue, or the
//! first content without one; `Attribution-no-source` when there is no source) and an `E`
//! line tying them, `A QuoteType E<n> direct|indirect|mixed` and a note on the trigger with
//! the confidence. An entity is a `T` line per mention (`Person`, `Organisation`, `Place`),
//! `A MentionKind T<n> name|pronoun|nominal`, a note on its first mention with its name and
//! title, and one `* Coreference` line over its mentions; `R Speaker` joins a quote's source
//! (or trigger) to its speaker's mention. A claim is a `Claim` `T` line with a note holding
//! its check-worthiness and standalone text, and `R ClaimOf` to its quote's content. Notes
//! are JSON objects. Offsets are code points; a span's text on its `T` line has line breaks
//! and tabs written as spaces (a `.ann` line cannot hold them).
//!
//! Reading, every line is checked: an unknown line type, label, attribute or note field, a
//! reference to a missing annotation, a `T` line whose text is not the article's at its
//! offsets, a role span in no event: each fails that document, naming the line's id.

use super::{assemble, Attributes, Label, Layers, Link, Region, ReviewError};
use crate::output::{Record, ReviewOut, ReviewTool};
use crate::span::CharSpan;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;

/// `annotation.conf`: the entity, event, relation and attribute types the `.ann` files use.
pub const ANNOTATION_CONF: &str = "\
# claimex: quotes in PolNeAR's roles, entity mentions, claims.
[entities]
Source
Cue
Content
Person
Organisation
Place
Claim

[relations]
Speaker\tArg1:Source|Attribution|Attribution-no-source, Arg2:Person|Organisation|Place
ClaimOf\tArg1:Claim, Arg2:Content
Coreference\tArg1:Person|Organisation|Place, Arg2:Person|Organisation|Place, <REL-TYPE>:symmetric-transitive
<OVERLAP>\tArg1:<ANY>, Arg2:<ANY>, <OVL-TYPE>:<ANY>

[events]
Attribution\tSource?:Source, Cue?:Cue, Content:Content
Attribution-no-source\tCue?:Cue, Content:Content

[attributes]
QuoteType\tArg:<EVENT>, Value:direct|indirect|mixed
MentionKind\tArg:Person|Organisation|Place, Value:name|pronoun|nominal
";

/// `visual.conf`: a colour per label.
pub const VISUAL_CONF: &str = "\
[labels]
Source | Source | Src
Cue | Cue
Content | Content | Con
Person | Person | Per
Organisation | Organisation | Org
Place | Place | Pla
Claim | Claim | Cl
Attribution | Attribution | Att
Attribution-no-source | Attribution (no source) | Att
Speaker | Speaker
ClaimOf | Claim of
Coreference | Coreference | Coref

[drawing]
Source\tbgColor:#7aa6ff
Cue\tbgColor:#ffc94d
Content\tbgColor:#8fd694
Person\tbgColor:#ff8fab
Organisation\tbgColor:#b99cff
Place\tbgColor:#6fd3c9
Claim\tbgColor:#ffe36e
Attribution\tbgColor:#dddddd
Attribution-no-source\tbgColor:#dddddd
SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken
ARC_DEFAULT\tcolor:black, arrowHead:triangle-5
";

/// The name of the manifest file.
pub const MANIFEST: &str = "ids.tsv";

/// The sha256 of a `.ann` file's text, as the manifest holds it.
pub fn fingerprint(ann: &str) -> String {
    sha256_hex(ann.as_bytes())
}

/// The sha256 of `bytes`, as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .fold(String::new(), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// File stems for record ids: the id with every character outside `[A-Za-z0-9._-]` written
/// `_`, never starting with a dot, made unique with `-2`, `-3`... in the order given.
pub fn file_stems<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen = HashSet::new();
    ids.into_iter()
        .map(|id| {
            let mut s: String = id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if s.is_empty() || s.starts_with('.') {
                s.insert(0, '_');
            }
            let mut stem = s.clone();
            let mut k = 2;
            while !seen.insert(stem.to_lowercase()) {
                stem = format!("{s}-{k}");
                k += 1;
            }
            stem
        })
        .collect()
}

/// The `T` line text of spans: their texts joined by a space, line breaks and tabs as spaces.
fn line_text<'a>(spans: impl IntoIterator<Item = &'a CharSpan>) -> String {
    spans
        .into_iter()
        .map(|s| s.text.replace(['\n', '\r', '\t'], " "))
        .collect::<Vec<_>>()
        .join(" ")
}

fn frags<'a>(spans: impl IntoIterator<Item = &'a CharSpan>) -> String {
    spans
        .into_iter()
        .map(|s| format!("{} {}", s.start, s.end))
        .collect::<Vec<_>>()
        .join(";")
}

/// The `.ann` text of an `ok` record.
pub fn ann(r: &Record) -> String {
    let mut out = String::new();
    let mut t = 0usize;
    let (mut a, mut note, mut rel) = (0usize, 0usize, 0usize);
    let mut tline = |out: &mut String, label: &str, spans: &[&CharSpan]| {
        t += 1;
        let _ = writeln!(
            out,
            "T{t}\t{label} {}\t{}",
            frags(spans.iter().copied()),
            line_text(spans.iter().copied())
        );
        t
    };
    let entities = r.entities.as_deref().unwrap_or_default();
    let mut mention_t: HashMap<(usize, usize), usize> = HashMap::new(); // (entity, mention) -> T
    let mut quote_parts: Vec<(Option<usize>, usize, usize)> = Vec::new(); // (source T, trigger T, content T)
    for q in r.quotes.iter().flatten() {
        let src = (!q.sources.is_empty())
            .then(|| tline(&mut out, "Source", &q.sources.iter().collect::<Vec<_>>()));
        let cue = q.cue.as_ref().map(|c| tline(&mut out, "Cue", &[c]));
        let con = tline(&mut out, "Content", &q.contents.iter().collect::<Vec<_>>());
        let kind = if src.is_some() {
            "Attribution"
        } else {
            "Attribution-no-source"
        };
        let trigger = tline(&mut out, kind, &[q.cue.as_ref().unwrap_or(&q.contents[0])]);
        let e = quote_parts.len() + 1;
        let mut line = format!("E{e}\t{kind}:T{trigger}");
        if let Some(s) = src {
            let _ = write!(line, " Source:T{s}");
        }
        if let Some(c) = cue {
            let _ = write!(line, " Cue:T{c}");
        }
        let _ = writeln!(out, "{line} Content:T{con}");
        a += 1;
        let _ = writeln!(out, "A{a}\tQuoteType E{e} {}", q.kind);
        note += 1;
        let _ = writeln!(
            out,
            "#{note}\tAnnotatorNotes T{trigger}\t{}",
            json!({"confidence": q.confidence})
        );
        quote_parts.push((src, trigger, con));
    }
    for (i, e) in entities.iter().enumerate() {
        let label = Label::of_entity_type(e.kind).name();
        let mut ts = Vec::new();
        for (k, m) in e.mentions.iter().enumerate() {
            let span = CharSpan {
                start: m.start,
                end: m.end,
                text: m.text.clone(),
            };
            let id = tline(&mut out, label, &[&span]);
            mention_t.insert((i, k), id);
            ts.push(format!("T{id}"));
            a += 1;
            let _ = writeln!(out, "A{a}\tMentionKind T{id} {}", m.kind);
            if k == 0 {
                note += 1;
                let _ = writeln!(
                    out,
                    "#{note}\tAnnotatorNotes T{id}\t{}",
                    json!({"name": e.name, "title": e.title})
                );
            }
        }
        if ts.len() > 1 {
            let _ = writeln!(out, "*\tCoreference {}", ts.join(" "));
        }
    }
    for (q, (src, trigger, _)) in r.quotes.iter().flatten().zip(&quote_parts) {
        let Some(i) = q
            .speaker
            .as_ref()
            .and_then(|s| entities.iter().position(|e| &e.id == s))
        else {
            continue;
        };
        let m = super::speaker_mention(&entities[i], q);
        rel += 1;
        let _ = writeln!(
            out,
            "R{rel}\tSpeaker Arg1:T{} Arg2:T{}",
            src.unwrap_or(*trigger),
            mention_t[&(i, m)]
        );
    }
    let quotes = r.quotes.as_deref().unwrap_or_default();
    for c in r.claims.iter().flatten() {
        let id = tline(&mut out, "Claim", &[&c.span]);
        note += 1;
        let _ = writeln!(
            out,
            "#{note}\tAnnotatorNotes T{id}\t{}",
            json!({"checkworthiness": c.checkworthiness, "standalone": c.standalone})
        );
        if let Some(k) = c
            .quote
            .as_ref()
            .and_then(|qid| quotes.iter().position(|q| &q.id == qid))
        {
            rel += 1;
            let _ = writeln!(out, "R{rel}\tClaimOf Arg1:T{id} Arg2:T{}", quote_parts[k].2);
        }
    }
    out
}

/// A parsed `T` line.
struct TLine {
    label: String,
    frags: Vec<(usize, usize)>,
    text: String,
}

/// Reads a `.ann` file over `text` into the layers it stands for.
///
/// # Errors
/// The first problem found, naming the line's id.
pub fn read_ann(text: &str, ann: &str, reviewed: bool) -> Result<Layers, ReviewError> {
    let chars: Vec<char> = text.chars().collect();
    let mut ts: BTreeMap<String, TLine> = BTreeMap::new();
    let mut t_order: Vec<String> = Vec::new();
    let mut events: Vec<(String, Vec<(String, String)>)> = Vec::new();
    let mut rels: Vec<(String, String, String, String)> = Vec::new();
    let mut attrs: Vec<(String, String, String, String)> = Vec::new();
    let mut corefs: Vec<Vec<String>> = Vec::new();
    let mut notes: Vec<(String, String, String)> = Vec::new();
    for (n, line) in ann.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let id = cols[0];
        let bad = |what: &str| ReviewError::at(id, format!("line {}: {what}: {line:?}", n + 1));
        let body = *cols.get(1).ok_or_else(|| bad("no tab after the id"))?;
        match id.chars().next() {
            Some('T') => {
                let (label, offs) = body.split_once(' ').ok_or_else(|| bad("no offsets"))?;
                let mut frags = Vec::new();
                for f in offs.split(';') {
                    let nums: Vec<Option<usize>> =
                        f.split_whitespace().map(|x| x.parse().ok()).collect();
                    match nums.as_slice() {
                        [Some(s), Some(e)] if s < e && *e <= chars.len() => frags.push((*s, *e)),
                        [Some(s), Some(e)] if s < e => {
                            return Err(bad(&format!(
                                "span {s}..{e} is past the article's end ({} code points)",
                                chars.len()
                            ))
                            .offsets())
                        }
                        _ => return Err(bad("offsets are not `start end[;start end]`")),
                    }
                }
                let t = TLine {
                    label: label.to_string(),
                    frags,
                    text: cols.get(2..).map(|c| c.join("\t")).unwrap_or_default(),
                };
                let spans: Vec<CharSpan> = t.frags.iter().map(|&(s, e)| span(&chars, s, e)).collect();
                if line_text(&spans) != t.text.replace(['\n', '\r', '\t'], " ") {
                    return Err(ReviewError::at(
                        id,
                        format!(
                            "its text {:?} is not the article's at {offs} ({:?})",
                            t.text,
                            line_text(&spans)
                        ),
                    )
                    .offsets());
                }
                let known = Label::parse(label).is_some()
                    || matches!(label, "Attribution" | "Attribution-no-source");
                if !known {
                    return Err(bad(&format!("unknown label {label:?}")));
                }
                t_order.push(id.to_string());
                ts.insert(id.to_string(), t);
            }
            Some('E') => {
                let args = body
                    .split_whitespace()
                    .map(|a| {
                        a.split_once(':')
                            .map(|(r, t)| (r.to_string(), t.to_string()))
                            .ok_or_else(|| bad("an argument is not `Role:T<n>`"))
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                events.push((id.to_string(), args));
            }
            Some('R') => {
                let parts: Vec<&str> = body.split_whitespace().collect();
                let arg = |p: Option<&&str>, name: &str| {
                    p.and_then(|a| a.strip_prefix(name))
                        .map(String::from)
                        .ok_or_else(|| bad("a relation is `Type Arg1:T<n> Arg2:T<n>`"))
                };
                rels.push((
                    id.to_string(),
                    parts.first().copied().unwrap_or("").to_string(),
                    arg(parts.get(1), "Arg1:")?,
                    arg(parts.get(2), "Arg2:")?,
                ));
            }
            Some('A') => {
                let parts: Vec<&str> = body.split_whitespace().collect();
                let [name, target, value] = parts.as_slice() else {
                    return Err(bad("an attribute is `Name T<n>|E<n> Value`"));
                };
                attrs.push((id.to_string(), name.to_string(), target.to_string(), value.to_string()));
            }
            Some('*') => {
                let mut parts = body.split_whitespace();
                if parts.next() != Some("Coreference") {
                    return Err(bad("the only equivalence claimex reads is Coreference"));
                }
                corefs.push(parts.map(String::from).collect());
            }
            Some('#') => {
                let target = body
                    .strip_prefix("AnnotatorNotes ")
                    .ok_or_else(|| bad("a note is `AnnotatorNotes T<n>`"))?;
                notes.push((
                    id.to_string(),
                    target.trim().to_string(),
                    cols.get(2).copied().unwrap_or("").to_string(),
                ));
            }
            _ => {
                return Err(bad(
                    "claimex reads T, E, R, A, * and # lines (normalisations and other kinds are not part of its annotation)",
                ))
            }
        }
    }
    let need_t = |who: &str, t: &str| -> Result<&TLine, ReviewError> {
        ts.get(t).ok_or_else(|| {
            ReviewError::at(
                who,
                format!("refers to {t}, which is not a T line of this file"),
            )
        })
    };

    // every event: regions per role fragment, linked to the event's first content
    let mut regions: Vec<Region> = Vec::new();
    let mut links: Vec<Link> = Vec::new();
    let mut used: HashSet<String> = HashSet::new();
    let mut first_content: HashMap<String, String> = HashMap::new(); // event -> region
    let mut trigger_of: HashMap<String, Vec<String>> = HashMap::new(); // trigger T -> events
    let mut source_of: HashMap<String, Vec<String>> = HashMap::new(); // source T -> first source regions
    let mut content_of: HashMap<String, Vec<String>> = HashMap::new(); // content T -> event
    let mut event_regions: Vec<Region> = Vec::new();
    for (eid, args) in &events {
        let mut content_regions = Vec::new();
        let mut others = Vec::new();
        for (k, (role, t)) in args.iter().enumerate() {
            let tl = need_t(eid, t)?;
            let role = role.trim_end_matches(|c: char| c.is_ascii_digit());
            if k == 0 {
                if !matches!(role, "Attribution" | "Attribution-no-source") || tl.label != role {
                    return Err(ReviewError::at(
                        eid,
                        "an event starts with its Attribution trigger (`Attribution:T<n>`)",
                    ));
                }
                trigger_of.entry(t.clone()).or_default().push(eid.clone());
                used.insert(t.clone());
                continue;
            }
            let label = match role {
                "Source" => Label::Source,
                "Cue" => Label::Cue,
                "Content" => Label::Content,
                _ => return Err(ReviewError::at(eid, format!("unknown role {role:?}"))),
            };
            if tl.label != label.name() {
                return Err(ReviewError::at(
                    eid,
                    format!("its {role} {t} is a {} span", tl.label),
                ));
            }
            used.insert(t.clone());
            for (f, &(s, e)) in tl.frags.iter().enumerate() {
                let id = format!("{eid}.{t}.{f}");
                if label == Label::Source && f == 0 {
                    source_of.entry(t.clone()).or_default().push(id.clone());
                }
                if label == Label::Content {
                    content_of.entry(t.clone()).or_default().push(eid.clone());
                    content_regions.push(id.clone());
                } else {
                    others.push(id.clone());
                }
                event_regions.push(Region {
                    id,
                    label,
                    span: span(&chars, s, e),
                    attrs: Attributes::default(),
                });
            }
        }
        let Some(first) = content_regions.first().cloned() else {
            return Err(ReviewError::at(
                eid,
                "an attribution event without a Content",
            ));
        };
        for r in content_regions.iter().skip(1).chain(&others) {
            links.push(Link {
                from: first.clone(),
                to: r.clone(),
            });
        }
        first_content.insert(eid.clone(), first);
    }
    for id in &t_order {
        let t = &ts[id];
        let label = Label::parse(&t.label);
        match label {
            Some(l) if l.is_entity() || l == Label::Claim => {
                let (s, e) = t.frags[0];
                if t.frags.len() > 1 {
                    return Err(ReviewError::at(
                        id,
                        format!("a {} span is one piece", t.label),
                    ));
                }
                regions.push(Region {
                    id: id.clone(),
                    label: l,
                    span: span(&chars, s, e),
                    attrs: Attributes::default(),
                });
            }
            _ if !used.contains(id) => {
                return Err(ReviewError::at(
                    id,
                    format!("this {} span belongs to no Attribution event", t.label),
                ))
            }
            _ => {}
        }
    }
    // event regions first, as the Label Studio results list them: quote order is by content
    // anyway, and entities keep the order of their T lines
    let mut all = event_regions;
    all.extend(regions);
    let mut regions = all;
    let index: HashMap<String, usize> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.clone(), i))
        .collect();
    let labels: Vec<Label> = regions.iter().map(|r| r.label).collect();
    let ids: Vec<String> = regions.iter().map(|r| r.id.clone()).collect();
    let region_of_t = |who: &str, t: &str, want: &[Label]| -> Result<usize, ReviewError> {
        let i = *index.get(t).ok_or_else(|| {
            ReviewError::at(
                who,
                format!("refers to {t}, which is not an entity or claim span"),
            )
        })?;
        if !want.contains(&labels[i]) {
            return Err(ReviewError::at(
                who,
                format!("{t} is a {} span", labels[i].name()),
            ));
        }
        Ok(i)
    };
    let entity_labels = [Label::Person, Label::Organisation, Label::Place];
    for group in &corefs {
        let members: Vec<usize> = group
            .iter()
            .map(|t| region_of_t("*", t, &entity_labels))
            .collect::<Result<_, _>>()?;
        for w in members.windows(2) {
            links.push(Link {
                from: ids[w[1]].clone(),
                to: ids[w[0]].clone(),
            });
        }
    }
    for (rid, kind, a1, a2) in &rels {
        match kind.as_str() {
            "Speaker" => {
                need_t(rid, a1)?;
                let m = region_of_t(rid, a2, &entity_labels)?;
                let froms: Vec<String> = match (source_of.get(a1), trigger_of.get(a1)) {
                    (Some(s), _) => s.clone(),
                    (None, Some(evs)) => evs.iter().map(|e| first_content[e].clone()).collect(),
                    (None, None) => {
                        return Err(ReviewError::at(
                            rid,
                            format!(
                                "a Speaker goes from a Source or an Attribution trigger, not {a1}"
                            ),
                        ))
                    }
                };
                for f in froms {
                    links.push(Link {
                        from: f,
                        to: ids[m].clone(),
                    });
                }
            }
            "ClaimOf" => {
                let c = region_of_t(rid, a1, &[Label::Claim])?;
                need_t(rid, a2)?;
                let evs = content_of.get(a2).ok_or_else(|| {
                    ReviewError::at(
                        rid,
                        format!("a ClaimOf goes to a Content of an event, not {a2}"),
                    )
                })?;
                links.push(Link {
                    from: ids[c].clone(),
                    to: first_content[&evs[0]].clone(),
                });
            }
            other => {
                return Err(ReviewError::at(
                    rid,
                    format!("unknown relation type {other:?}"),
                ))
            }
        }
    }
    for (aid, name, target, value) in &attrs {
        match name.as_str() {
            "QuoteType" => {
                let first = first_content.get(target).ok_or_else(|| {
                    ReviewError::at(aid, format!("QuoteType is on an event, not {target}"))
                })?;
                let i = regions.iter().position(|r| &r.id == first).unwrap_or(0);
                let kind = value.parse().map_err(|_| {
                    ReviewError::at(
                        aid,
                        format!("unknown quote type {value:?} (direct, indirect or mixed)"),
                    )
                })?;
                regions[i].attrs.quote_type = Some(kind);
            }
            "MentionKind" => {
                let kind = value
                    .parse()
                    .map_err(|_| ReviewError::at(aid, format!("unknown mention kind {value:?}")))?;
                let i = region_of_t(aid, target, &entity_labels)?;
                regions[i].attrs.mention_kind = Some(kind);
            }
            other => return Err(ReviewError::at(aid, format!("unknown attribute {other:?}"))),
        }
    }
    for (nid, target, text) in &notes {
        let v: Value = serde_json::from_str(text)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| {
                ReviewError::at(
                    nid,
                    format!("the note {text:?} is not the JSON object claimex writes there"),
                )
            })?;
        let fields: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let want_str = |k: &str| -> Result<Option<String>, ReviewError> {
            match &v[k] {
                Value::Null => Ok(None),
                Value::String(s) => Ok(Some(s.clone())),
                _ => Err(ReviewError::at(nid, format!("{k} is not a string"))),
            }
        };
        let want_score = |k: &str| -> Result<Option<f64>, ReviewError> {
            match &v[k] {
                Value::Null => Ok(None),
                Value::Number(n) if (0.0..=1.0).contains(&n.as_f64().unwrap_or(-1.0)) => {
                    Ok(n.as_f64())
                }
                _ => Err(ReviewError::at(
                    nid,
                    format!("{k} is not a number in [0, 1]"),
                )),
            }
        };
        let only = |allowed: &[&str]| -> Result<(), ReviewError> {
            match fields.iter().find(|f| !allowed.contains(f)) {
                Some(f) => Err(ReviewError::at(nid, format!("unknown note field {f:?}"))),
                None => Ok(()),
            }
        };
        if let Some(evs) = trigger_of.get(target) {
            only(&["confidence"])?;
            let score = want_score("confidence")?;
            for e in evs {
                let i = regions
                    .iter()
                    .position(|r| r.id == first_content[e])
                    .unwrap_or(0);
                regions[i].attrs.score = score;
            }
            continue;
        }
        let i = region_of_t(
            nid,
            target,
            &[
                Label::Person,
                Label::Organisation,
                Label::Place,
                Label::Claim,
            ],
        )?;
        if labels[i] == Label::Claim {
            only(&["checkworthiness", "standalone"])?;
            regions[i].attrs.score = want_score("checkworthiness")?;
            regions[i].attrs.standalone = want_str("standalone")?;
        } else {
            only(&["name", "title"])?;
            regions[i].attrs.entity_name = want_str("name")?;
            regions[i].attrs.entity_title = want_str("title")?;
        }
    }
    assemble(text, &regions, &links, reviewed)
}

fn span(chars: &[char], s: usize, e: usize) -> CharSpan {
    CharSpan {
        start: s,
        end: e,
        text: chars[s.min(chars.len())..e.min(chars.len())]
            .iter()
            .collect(),
    }
}

/// One document of a folder, read.
#[derive(Debug)]
pub struct ImportedDoc {
    /// The file stem.
    pub file: String,
    /// The record id (from the manifest, else the stem).
    pub id: String,
    /// The text (`<file>.txt`).
    pub text: String,
    /// Title, URL and publication date from the manifest.
    pub meta: crate::document::Meta,
    /// The input the record came from, from the manifest.
    pub source: Option<crate::output::SourceOut>,
    /// The layers and, when the `.ann` differs from what was exported, its provenance.
    pub layers: super::Reviewed,
}

/// One document's line of the manifest.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ManifestEntry {
    /// The record's id.
    pub id: String,
    /// The sha256 of the `.ann` as exported.
    pub sha256: String,
    /// The record's title, URL and publication date (brat has no place for them).
    pub meta: crate::document::Meta,
    /// Its place in the manifest (0 first): the order the records were exported in.
    pub line: usize,
    /// The input the record came from.
    pub source: Option<crate::output::SourceOut>,
}

/// Reads the manifest: file stem → its entry.
pub fn read_manifest(tsv: &str) -> HashMap<String, ManifestEntry> {
    tsv.lines()
        .skip(1)
        .enumerate()
        .filter_map(|(line, l)| {
            let c: Vec<&str> = l.split('\t').collect();
            let opt = |i: usize| c.get(i).filter(|s| !s.is_empty()).map(|s| unescape(s));
            Some((
                c.first()?.to_string(),
                ManifestEntry {
                    id: unescape(c.get(1)?),
                    sha256: c.get(2)?.to_string(),
                    meta: crate::document::Meta {
                        title: opt(3),
                        url: opt(4),
                        published: opt(5),
                    },
                    line,
                    source: opt(6).map(|path| crate::output::SourceOut {
                        path,
                        line: opt(7).and_then(|l| l.parse().ok()),
                    }),
                },
            ))
        })
        .collect()
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\t', "\\t")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// The manifest's line of one record's document (tabs, line breaks and backslashes in its
/// fields escaped).
pub fn manifest_line(file: &str, r: &Record, ann: &str) -> String {
    let opt = |v: &Option<String>| v.as_deref().map(escape).unwrap_or_default();
    let src = r.source.as_ref();
    format!(
        "{file}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
        escape(&r.id),
        fingerprint(ann),
        opt(&r.title),
        opt(&r.url),
        opt(&r.published),
        src.map_or(String::new(), |s| escape(&s.path)),
        src.and_then(|s| s.line)
            .map_or(String::new(), |l| l.to_string())
    )
}

/// The manifest's header line.
pub const MANIFEST_HEADER: &str =
    "file\tid\tsha256\ttitle\turl\tpublished\tsource_path\tsource_line\n";

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut it = s.chars();
    while let Some(c) = it.next() {
        if c == '\\' {
            match it.next() {
                Some('t') => out.push('\t'),
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some(o) => out.push(o),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads a brat folder: every `<file>.ann` with its `<file>.txt`, in the order of the
/// manifest (the records' order at export), files it does not list after, by name. A
/// document whose `.ann` is byte-identical to the one exported (the manifest's sha256) keeps
/// its prediction unreviewed; any other is the annotator's and every item is `reviewed`.
///
/// # Errors
/// A message when the folder cannot be listed.
pub fn read_dir(dir: &std::path::Path) -> Result<Vec<ImportedDoc>, String> {
    let manifest = std::fs::read_to_string(dir.join(MANIFEST))
        .map(|t| read_manifest(&t))
        .unwrap_or_default();
    let mut anns: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".ann"))
        .collect();
    anns.sort_by_key(|n| {
        let line = manifest
            .get(&n[..n.len() - 4])
            .map_or(usize::MAX, |m| m.line);
        (line, n.clone())
    });
    let mut out = Vec::new();
    for n in anns {
        let file = n[..n.len() - 4].to_string();
        let entry = manifest
            .get(&file)
            .cloned()
            .unwrap_or_else(|| ManifestEntry {
                id: file.clone(),
                ..Default::default()
            });
        let read = |p: std::path::PathBuf| {
            std::fs::read_to_string(&p)
                .map_err(|e| ReviewError::article(format!("cannot read {}: {e}", p.display())))
        };
        let mut text = String::new();
        let layers = (|| {
            text = read(dir.join(format!("{file}.txt")))?;
            let ann = read(dir.join(&n))?;
            let reviewed = fingerprint(&ann) != entry.sha256;
            let layers = read_ann(&text, &ann, reviewed)?;
            let review = reviewed.then(|| ReviewOut {
                tool: ReviewTool::Brat,
                item: n.clone(),
                annotation: None,
                annotator: None,
            });
            Ok((layers, review))
        })();
        out.push(ImportedDoc {
            file,
            id: entry.id,
            text,
            meta: entry.meta,
            source: entry.source,
            layers,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(text: &str) -> Record {
        crate::testutil::rule_record("b", text)
    }

    const TEXT: &str = "🎉 \"The bridge opens in June,\" said Mayor Ana Ruiz. \"It cost $4 million\r\nand took two years.\"\n\n\"We are proud,\" she said.";

    #[test]
    fn an_ann_reads_back_into_its_record() {
        let r = record(TEXT);
        let a = ann(&r);
        assert!(a.contains("\tAttribution:T"), "{a}");
        let layers = read_ann(&r.text.clone().unwrap(), &a, false).unwrap();
        assert_eq!(layers, Layers::of(&r));
        // PolNeAR's reader (eval) sees the same attributions
        let (gold, _) = crate::eval::brat::parse(&a);
        assert_eq!(gold.len(), r.quotes.as_ref().unwrap().len());
    }

    #[test]
    fn broken_lines_are_named() {
        let r = record(TEXT);
        let text = r.text.clone().unwrap();
        let a = ann(&r);
        let s = &r.quotes.as_ref().unwrap()[0].sources[0];
        let moved = a.replacen(
            &format!("\tSource {} {}\t", s.start, s.end),
            &format!("\tSource {} {}\t", s.start + 1, s.end + 1),
            1,
        );
        assert_ne!(moved, a);
        let cases: &[(&str, String, &str)] = &[
            (
                "unknown label",
                format!("{a}T99\tSpeaker 0 1\t🎉\n"),
                "unknown label",
            ),
            ("moved span", moved, "not the article's"),
            (
                "missing T",
                format!("{a}R99\tSpeaker Arg1:T98 Arg2:T1\n"),
                "T98",
            ),
            (
                "free note",
                format!("{a}#99\tAnnotatorNotes T1\tlooks wrong\n"),
                "not the JSON",
            ),
            (
                "normalisation",
                format!("{a}N1\tReference T1 Wikidata:Q1\tx\n"),
                "claimex reads",
            ),
        ];
        for (what, ann, expect) in cases {
            let err = read_ann(&text, ann, true).unwrap_err();
            assert!(err.to_string().contains(expect), "{what}: {err}");
        }
    }

    #[test]
    fn stems_are_safe_and_unique() {
        assert_eq!(
            file_stems(["a/b", "a_b", "", ".x", "ok-1.2"]),
            vec!["a_b", "a_b-2", "_", "_.x", "ok-1.2"]
        );
        let mut r = record("x");
        r.id = "id\twith tab".into();
        r.title = Some("A \\ title".into());
        let m = read_manifest(&format!("{MANIFEST_HEADER}{}", manifest_line("f", &r, "x")));
        assert_eq!(m["f"].id, "id\twith tab");
        assert_eq!(m["f"].meta.title.as_deref(), Some("A \\ title"));
        assert_eq!(m["f"].sha256, fingerprint("x"));
    }
}

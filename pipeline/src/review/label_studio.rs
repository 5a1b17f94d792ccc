//! Label Studio: tasks out (every extraction a pre-labelled region of a prediction), its JSON
//! export back in.
//!
//! A task is `{"data": {"text", "id", "title"?, "url"?, "published"?}, "predictions": [{
//! "model_version", "result": [...]}]}`. Results, all on the `text` object:
//! - one `labels` result per region (control `label`: Source, Cue, Content, Person,
//!   Organisation, Place, Claim), with `value.start`/`value.end` in Unicode code points (what
//!   Label Studio counts on a `Text` object with `granularity="symbol"`) and `value.text`;
//!   a content's `score` is its quote's confidence, a claim's its check-worthiness;
//! - per-region `choices` (`quote_type` on a quote's first content, `mention_kind` on every
//!   mention) and `textarea`s (`entity_name`, `entity_title` on an entity's first mention,
//!   `standalone` on a claim), sharing their region's id;
//! - `relation` results, as [`super::regions_of`] links them.
//!
//! Reading an export, a task's latest annotation that was not cancelled (highest id) is the
//! annotator's word and every item in it is marked `reviewed`; a task without one keeps its
//! last prediction, unreviewed. Everything is checked ([`super::assemble`]): an unknown
//! label, control or result type, a per-region field for a region that does not exist, a
//! region whose text is not the article's: each fails its article, naming the task and the
//! region.

use super::{assemble, regions_of, Label, Link, Region, ReviewError};
use crate::output::{Record, ReviewOut, ReviewTool};
use crate::span::CharSpan;
use serde_json::{json, Map, Value};

/// The labeling config the tasks need (`config.xml`): the seven labels over the text at
/// code point granularity, the relation names the exporter writes, and the per-region fields.
pub fn config_xml() -> String {
    let colours = [
        "#7aa6ff", "#ffc94d", "#8fd694", "#ff8fab", "#b99cff", "#6fd3c9", "#ffe36e",
    ];
    let mut labels = String::new();
    for (l, c) in Label::ALL.iter().zip(colours) {
        labels.push_str(&format!(
            "    <Label value=\"{}\" background=\"{c}\"/>\n",
            l.name()
        ));
    }
    format!(
        r#"<View>
  <!-- claimex: quotes (Source / Cue / Content, the PolNeAR roles), entity mentions and claims.
       Relations: content -> cue, content -> source, content -> content (one quote over
       several paragraphs), source -> entity mention (the speaker), mention -> mention (one
       entity), claim -> content (the quote a claim comes from). -->
  <Header value="$title"/>
  <Labels name="label" toName="text">
{labels}  </Labels>
  <Text name="text" value="$text" granularity="symbol"/>
  <Relations>
    <Relation value="cue"/>
    <Relation value="source"/>
    <Relation value="continues"/>
    <Relation value="speaker"/>
    <Relation value="same"/>
    <Relation value="quote"/>
  </Relations>
  <View visibleWhen="region-selected" whenLabelValue="Content">
    <Header value="Quote type"/>
    <Choices name="quote_type" toName="text" perRegion="true" choice="single-radio">
      <Choice value="direct"/>
      <Choice value="indirect"/>
      <Choice value="mixed"/>
    </Choices>
  </View>
  <View visibleWhen="region-selected" whenLabelValue="Claim">
    <Header value="Standalone claim"/>
    <TextArea name="standalone" toName="text" perRegion="true" editable="true" maxSubmissions="1" rows="2"/>
  </View>
  <View visibleWhen="region-selected">
    <Header value="Entity mention: kind, and on an entity's first mention its name and title"/>
    <Choices name="mention_kind" toName="text" perRegion="true" choice="single-radio">
      <Choice value="name"/>
      <Choice value="pronoun"/>
      <Choice value="nominal"/>
    </Choices>
    <TextArea name="entity_name" toName="text" perRegion="true" editable="true" maxSubmissions="1" placeholder="Entity name"/>
    <TextArea name="entity_title" toName="text" perRegion="true" editable="true" maxSubmissions="1" placeholder="Title or role"/>
  </View>
</View>
"#
    )
}

fn per_region(r: &Region, from_name: &str, kind: &str, key: &str, value: Value) -> Value {
    json!({"id": r.id, "from_name": from_name, "to_name": "text", "type": kind,
           "value": {"start": r.span.start, "end": r.span.end, key: value}})
}

/// The results that stand for a record's layers.
pub fn results(r: &Record) -> Vec<Value> {
    let (regions, links) = regions_of(r);
    let mut out = Vec::new();
    for g in &regions {
        let mut item = json!({"id": g.id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": g.span.start, "end": g.span.end, "text": g.span.text, "labels": [g.label.name()]}});
        if let Some(s) = g.attrs.score {
            item["score"] = json!(s);
        }
        out.push(item);
        let a = &g.attrs;
        if let Some(t) = &a.quote_type {
            out.push(per_region(
                g,
                "quote_type",
                "choices",
                "choices",
                json!([t]),
            ));
        }
        if let Some(k) = &a.mention_kind {
            out.push(per_region(
                g,
                "mention_kind",
                "choices",
                "choices",
                json!([k]),
            ));
        }
        for (name, v) in [
            ("entity_name", &a.entity_name),
            ("entity_title", &a.entity_title),
            ("standalone", &a.standalone),
        ] {
            if let Some(v) = v {
                out.push(per_region(g, name, "textarea", "text", json!([v])));
            }
        }
    }
    for l in &links {
        out.push(
            json!({"from_id": l.from, "to_id": l.to, "type": "relation", "direction": "right",
                        "labels": [relation_name(&regions, l)]}),
        );
    }
    out
}

/// The relation name shown for a link, from the labels it joins.
fn relation_name(regions: &[Region], l: &Link) -> &'static str {
    let label = |id: &str| regions.iter().find(|r| r.id == id).map(|r| r.label);
    match (label(&l.from), label(&l.to)) {
        (Some(Label::Content), Some(Label::Cue)) => "cue",
        (Some(Label::Content), Some(Label::Source)) => "source",
        (Some(Label::Content), Some(Label::Content)) => "continues",
        (Some(Label::Claim), _) => "quote",
        (Some(Label::Source | Label::Content), _) => "speaker",
        _ => "same",
    }
}

/// The task of one `ok` record (`None` for an error record).
pub fn task(r: &Record, model_version: &str) -> Option<Value> {
    let text = r
        .text
        .as_ref()
        .filter(|_| r.status == crate::output::RecordStatus::Ok)?;
    let mut data = Map::new();
    data.insert("text".into(), json!(text));
    data.insert("id".into(), json!(r.id));
    // `$title` is in the config's header: always present, empty when the input had none
    data.insert("title".into(), json!(r.title.clone().unwrap_or_default()));
    for (k, v) in [("url", &r.url), ("published", &r.published)] {
        if let Some(v) = v {
            data.insert(k.into(), json!(v));
        }
    }
    if let Some(src) = &r.source {
        data.insert("source".into(), json!(src));
    }
    Some(
        json!({"data": data, "predictions": [{"model_version": model_version, "result": results(r)}]}),
    )
}

/// One task of an export, read.
#[derive(Debug)]
pub struct ImportedTask {
    /// Label Studio's task id (`?` when the export has none).
    pub task: String,
    /// The article's id (`data.id`).
    pub id: String,
    /// The article's text (`data.text`).
    pub text: String,
    /// `data.title`, `data.url`, `data.published` when given and not empty.
    pub meta: crate::document::Meta,
    /// `data.source`, the input the record came from, when given.
    pub source: Option<crate::output::SourceOut>,
    /// The layers and, for an annotated task, its provenance; or what is wrong.
    pub layers: super::Reviewed,
}

fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

/// Reads the result list of one annotation or prediction into regions and links.
///
/// # Errors
/// An unknown result type, control, label or choice, a malformed value, a per-region field
/// for a missing region.
pub fn read_results(results: &[Value]) -> Result<(Vec<Region>, Vec<Link>), ReviewError> {
    let mut regions: Vec<Region> = Vec::new();
    let mut links = Vec::new();
    let mut fields = Vec::new();
    for (n, item) in results.iter().enumerate() {
        let id = str_field(item, "id").unwrap_or("").to_string();
        let here = if id.is_empty() {
            format!("#{}", n + 1)
        } else {
            id.clone()
        };
        match str_field(item, "type") {
            Some("relation") => {
                let (Some(from), Some(to)) = (str_field(item, "from_id"), str_field(item, "to_id"))
                else {
                    return Err(ReviewError::at(
                        here,
                        "a relation without from_id and to_id",
                    ));
                };
                links.push(Link {
                    from: from.into(),
                    to: to.into(),
                });
            }
            Some("labels") => {
                if str_field(item, "from_name") != Some("label") {
                    return Err(ReviewError::at(
                        here,
                        format!("labels from an unknown control {:?}", item.get("from_name")),
                    ));
                }
                let v = &item["value"];
                let labels: Vec<&str> = v["labels"]
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_str).collect())
                    .unwrap_or_default();
                let [name] = labels.as_slice() else {
                    return Err(ReviewError::at(
                        here,
                        format!("a region needs exactly one label, it has {labels:?}"),
                    ));
                };
                let label = Label::parse(name).ok_or_else(|| {
                    ReviewError::at(&here, format!("unknown label {name:?} (claimex reads Source, Cue, Content, Person, Organisation, Place, Claim)"))
                })?;
                let (Some(start), Some(end), Some(text)) =
                    (v["start"].as_u64(), v["end"].as_u64(), v["text"].as_str())
                else {
                    return Err(ReviewError::at(
                        here,
                        "a region needs integer start and end and its text",
                    ));
                };
                if id.is_empty() {
                    return Err(ReviewError::at(here, "a region without an id"));
                }
                let mut g = Region {
                    id,
                    label,
                    span: CharSpan {
                        start: start as usize,
                        end: end as usize,
                        text: text.into(),
                    },
                    attrs: Default::default(),
                };
                g.attrs.score = item.get("score").and_then(Value::as_f64);
                regions.push(g);
            }
            Some(kind @ ("choices" | "textarea")) => fields.push((here, kind, item)),
            other => {
                return Err(ReviewError::at(
                    here,
                    format!("unknown result type {other:?}"),
                ))
            }
        }
    }
    for (here, kind, item) in fields {
        let Some(g) = regions.iter_mut().find(|g| g.id == here) else {
            return Err(ReviewError::at(
                here,
                "a per-region field for a region that does not exist",
            ));
        };
        let v = &item["value"];
        let values: Vec<String> = v[if kind == "choices" { "choices" } else { "text" }]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        // a text area keeps its last submission; an emptied one means no value
        let value = values.last().cloned().filter(|s| !s.trim().is_empty());
        let a = &mut g.attrs;
        match (kind, str_field(item, "from_name")) {
            ("choices", Some("quote_type")) => {
                a.quote_type = value
                    .map(|t| {
                        t.parse().map_err(|_| {
                            ReviewError::at(
                                here,
                                format!("unknown quote type {t:?} (direct, indirect or mixed)"),
                            )
                        })
                    })
                    .transpose()?
            }
            ("choices", Some("mention_kind")) => {
                a.mention_kind = value
                    .map(|k| {
                        k.parse().map_err(|_| {
                            ReviewError::at(here, format!("unknown mention kind {k:?}"))
                        })
                    })
                    .transpose()?
            }
            ("textarea", Some("standalone")) => a.standalone = value,
            ("textarea", Some("entity_name")) => a.entity_name = value,
            ("textarea", Some("entity_title")) => a.entity_title = value,
            (_, name) => {
                return Err(ReviewError::at(
                    here,
                    format!("{kind} from an unknown control {name:?}"),
                ))
            }
        }
    }
    Ok((regions, links))
}

/// The annotation that counts: the latest (highest id) not cancelled one.
fn latest_annotation(task: &Value) -> Option<&Value> {
    task["annotations"]
        .as_array()?
        .iter()
        .filter(|a| !a["was_cancelled"].as_bool().unwrap_or(false))
        .max_by_key(|a| a["id"].as_u64().unwrap_or(0))
}

fn annotator(a: &Value) -> Option<String> {
    match &a["completed_by"] {
        Value::Object(o) => o
            .get("email")
            .or_else(|| o.get("username"))
            .or_else(|| o.get("id"))
            .map(|v| v.as_str().map_or_else(|| v.to_string(), String::from)),
        Value::Null => None,
        v => Some(v.as_str().map_or_else(|| v.to_string(), String::from)),
    }
}

/// Reads one task of an export.
pub fn read_task(t: &Value) -> ImportedTask {
    let task = match &t["id"] {
        Value::Null => "?".to_string(),
        v => v.as_str().map_or_else(|| v.to_string(), String::from),
    };
    let data = &t["data"];
    let id = match &data["id"] {
        Value::Null => String::new(),
        v => v.as_str().map_or_else(|| v.to_string(), String::from),
    };
    let text = str_field(data, "text").unwrap_or("").to_string();
    let layers = (|| {
        if id.is_empty() {
            return Err(ReviewError::article("the task has no data.id"));
        }
        if data["text"].as_str().is_none() {
            return Err(ReviewError::article("the task has no data.text"));
        }
        let (results, review) = match latest_annotation(t) {
            Some(a) => (
                &a["result"],
                Some(ReviewOut {
                    tool: ReviewTool::LabelStudio,
                    item: task.clone(),
                    annotation: a["id"].as_u64(),
                    annotator: annotator(a),
                }),
            ),
            None => match t["predictions"].as_array().and_then(|p| p.last()) {
                Some(p) if p.is_object() => (&p["result"], None),
                Some(_) => {
                    return Err(ReviewError::article(
                        "the task's predictions are ids only: export a snapshot with serialization_options.predictions.only_id = false",
                    ))
                }
                None => (&Value::Null, None),
            },
        };
        let results = match results {
            Value::Array(a) => a.as_slice(),
            Value::Null => &[],
            _ => return Err(ReviewError::article("the result is not a list")),
        };
        let (regions, links) = read_results(results)?;
        let layers = assemble(&text, &regions, &links, review.is_some())?;
        Ok((layers, review))
    })();
    let field = |k: &str| {
        str_field(data, k)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    ImportedTask {
        task,
        id,
        text,
        meta: crate::document::Meta {
            url: field("url"),
            title: field("title"),
            published: field("published"),
        },
        source: serde_json::from_value(data["source"].clone()).ok(),
        layers,
    }
}

/// Reads a Label Studio JSON export (a list of tasks).
///
/// # Errors
/// A message when the export is not a JSON list.
pub fn read_export(json: &str) -> Result<Vec<ImportedTask>, String> {
    let v: Value =
        serde_json::from_str(json).map_err(|e| format!("not a Label Studio JSON export: {e}"))?;
    let tasks = v
        .as_array()
        .ok_or("not a Label Studio JSON export: expected a list of tasks")?;
    Ok(tasks.iter().map(read_task).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::review::Layers;

    fn record(text: &str) -> Record {
        crate::testutil::rule_record("la", text)
    }

    const TEXT: &str = "🇺🇦👍🏿 Minister Olena Kovalenko said, \"Exports rose 12% in May.\"";

    #[test]
    fn an_unannotated_task_gives_back_its_prediction() {
        let r = record(TEXT);
        let t = task(&r, "claimex test").unwrap();
        let back = read_task(&t);
        let (layers, review) = back.layers.unwrap();
        assert!(review.is_none());
        assert_eq!(layers, Layers::of(&r));
        // offsets are code points: the content starts after 2 flags' and a toned thumb's
        // code points, not their UTF-16 units
        let content = &t["predictions"][0]["result"][0]["value"];
        let start = content["start"].as_u64().unwrap() as usize;
        let chars: Vec<char> = TEXT.chars().collect();
        assert_eq!(chars[start], '"');
    }

    #[test]
    fn an_annotation_wins_and_is_marked_reviewed() {
        let r = record(TEXT);
        let mut t = task(&r, "v").unwrap();
        let mut result = t["predictions"][0]["result"].clone();
        // the annotator deletes the cue
        result
            .as_array_mut()
            .unwrap()
            .retain(|x| x["id"] != "q1_cue" && x["to_id"] != "q1_cue");
        t["id"] = json!(7);
        t["annotations"] = json!([{"id": 3, "result": result, "completed_by": {"email": "a@b.c"}},
                                  {"id": 4, "result": [], "was_cancelled": true}]);
        let back = read_task(&t);
        let (layers, review) = back.layers.unwrap();
        let review = review.unwrap();
        assert_eq!((review.item.as_str(), review.annotation), ("7", Some(3)));
        assert_eq!(review.annotator.as_deref(), Some("a@b.c"));
        assert!(layers.quotes[0].cue.is_none() && layers.quotes[0].reviewed);
    }

    #[test]
    fn what_is_wrong_is_named() {
        let r = record(TEXT);
        let base = task(&r, "v").unwrap();
        let cases: &[(&str, Value, &str)] = &[
            (
                "unknown label",
                json!({"id": "x", "type": "labels", "from_name": "label", "value": {"start": 0, "end": 1, "text": "🇺", "labels": ["Speaker"]}}),
                "unknown label",
            ),
            (
                "text off",
                json!({"id": "x", "type": "labels", "from_name": "label", "value": {"start": 0, "end": 2, "text": "🇺🇦!", "labels": ["Person"]}}),
                "holds",
            ),
            (
                "dangling relation",
                json!({"type": "relation", "from_id": "q1_content1", "to_id": "gone"}),
                "does not exist",
            ),
            (
                "orphan field",
                json!({"id": "gone", "type": "textarea", "from_name": "standalone", "value": {"text": ["x"]}}),
                "does not exist",
            ),
        ];
        for (what, extra, expect) in cases {
            let mut t = base.clone();
            t["predictions"][0]["result"]
                .as_array_mut()
                .unwrap()
                .push(extra.clone());
            let err = read_task(&t).layers.unwrap_err();
            assert!(err.to_string().contains(expect), "{what}: {err}");
        }
    }

    #[test]
    fn the_config_names_every_control_the_results_use() {
        let xml = config_xml();
        for name in [
            "label",
            "quote_type",
            "mention_kind",
            "standalone",
            "entity_name",
            "entity_title",
        ] {
            assert!(xml.contains(&format!("name=\"{name}\"")), "{name}");
        }
        for l in Label::ALL {
            assert!(xml.contains(&format!("value=\"{}\"", l.name())));
        }
    }
}

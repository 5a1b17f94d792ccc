//! The link stage's cases: tagged spans linked beside rule quotes, cleaned, and reconciled
//! with the rules' quotes.

use super::*;
use crate::stage::ErrorKind;
use crate::stages::standard_stages;
use crate::tagged::{AttributionRole, RawSpan, TaggedLayer};
use crate::testutil::{at_in, check_layers};

#[test]
fn tagged_spans_become_quotes_beside_rule_quotes() {
    // "Zoë" puts a 2-byte char first, so code points and bytes differ
    let text = "Zoë Ruiz said \"Prices rose.\" The manager conceded the mill lost money.";
    let mut doc = ruled(text);
    let rule_quotes = doc.quotes.len();
    let cp = |s: &str| {
        let b = text.find(s).unwrap();
        let start = text[..b].chars().count();
        (start, start + s.chars().count())
    };
    let span = |label, s: &str| {
        let (start, end) = cp(s);
        RawSpan::new(label, start, end, 0.9)
    };
    let spans = vec![
        span(0, "Zoë Ruiz"),
        span(1, "said"),
        span(2, "\"Prices rose.\""),
        span(2, "the mill lost money"),
        span(0, "The manager"),
        span(1, "conceded"),
    ];
    add_tagged_quotes(&mut doc, &spans).unwrap();
    check_layers(&doc);
    assert_eq!(
        doc.quotes.len(),
        rule_quotes + 1,
        "the rule quote is kept, the model adds one"
    );
    let q = doc
        .quotes
        .iter()
        .find(|q| q.kind == QuoteKind::Indirect)
        .unwrap();
    assert_eq!(doc.slice(q.contents[0]), "the mill lost money");
    assert_eq!(doc.slice(q.cue.unwrap()), "conceded");
    assert_eq!(doc.slice(q.sources[0]), "The manager");
    // a span past the end fails loudly
    let bad = [RawSpan::new(2, 0, 10_000, 1.0)];
    assert_eq!(
        add_tagged_quotes(&mut doc, &bad).unwrap_err().kind,
        ErrorKind::Offsets
    );
}

/// `text` through the rule stages up to the quotes (segmentation, entities, quotes).
fn ruled(text: &str) -> Document {
    let mut doc = Document::new("t", text);
    for s in standard_stages().iter().take(3) {
        s.annotate(&mut doc).unwrap();
    }
    doc
}

/// Stores attribution-head spans the way the span tagger's stage does and links them.
fn add_tagged_quotes(doc: &mut Document, spans: &[RawSpan]) -> Result<(), StageError> {
    crate::tagged::store(doc, TaggedLayer::Attribution, spans)?;
    link_attributions(doc);
    Ok(())
}

fn tagged(text: &str, spans: &[(usize, &str)]) -> Vec<RawSpan> {
    spans
        .iter()
        .map(|&(role, s)| {
            let b = text.find(s).unwrap();
            let start = text[..b].chars().count();
            RawSpan::new(role, start, start + s.chars().count(), 0.9)
        })
        .collect()
}

/// Adds the tagger's `(role, text)` spans to a ruled `doc` and checks its layers.
fn link_tagged(doc: &mut Document, text: &str, spans: &[(usize, &str)]) {
    add_tagged_quotes(doc, &tagged(text, spans)).unwrap();
    check_layers(doc);
}

#[test]
fn fragments_join_and_mixed_quotes_widen() {
    let text = "The mayor said that Cole “has failed the city” and its workers.\n\nCritics argued the budget was late. Ana Ruiz said the plan was “a disaster for workers.”";
    let mut doc = ruled(text);
    link_tagged(
        &mut doc,
        text,
        &[
            (0, "The mayor"),
            (1, "said that"),
            (2, "Cole"),
            (2, "“has failed the city” and its workers"),
            (0, "Critics"),
            (1, "argued"),
            (2, "the budget was late"),
            (0, "Ana Ruiz"),
            (2, "the plan was “a disaster for workers.”"),
        ],
    );
    let got: Vec<(QuoteKind, &str)> = doc
        .quotes
        .iter()
        .map(|q| (q.kind, doc.slice(q.contents[0])))
        .collect();
    assert!(
        got.contains(&(
            QuoteKind::Mixed,
            "Cole “has failed the city” and its workers"
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&(QuoteKind::Indirect, "the budget was late")),
        "{got:?}"
    );
    assert!(
        got.contains(&(QuoteKind::Mixed, "the plan was “a disaster for workers.”")),
        "{got:?}"
    );
    // fragments across a cue stay apart
    let all = [
        (AttributionRole::Source, ByteSpan::new(0, 3), 0.9),
        (AttributionRole::Cue, ByteSpan::new(10, 14), 0.9),
    ];
    let seg = |t: &str| {
        let mut d = Document::new("t", t);
        standard_stages()[0].annotate(&mut d).unwrap();
        d
    };
    let parts = merge_fragments(
        &seg("abc, x, y said, z"),
        vec![(ByteSpan::new(5, 9), 0.9), (ByteSpan::new(16, 17), 0.5)],
        &all,
    );
    assert_eq!(parts.len(), 2);
    let joined = merge_fragments(
        &seg("ab “cd”"),
        vec![(ByteSpan::new(0, 2), 1.0), (ByteSpan::new(3, 11), 0.5)],
        &[],
    );
    assert_eq!(joined.len(), 1);
    assert_eq!(joined[0].0, ByteSpan::new(0, 11));
    // a sentence end between fragments keeps them apart
    let d = seg("as “absurd.” Critics agreed.");
    let apart = merge_fragments(
        &d,
        vec![
            (ByteSpan::new(0, d.text.find(' ').unwrap() + 14), 0.9),
            (
                ByteSpan::new(d.text.find("Critics").unwrap(), d.text.len()),
                0.9,
            ),
        ],
        &[],
    );
    assert_eq!(apart.len(), 2);
    // a lone relative pronoun after a content is the next attribution's, not this one's
    let d = seg("They questioned the health of Trump, who denied it.");
    let span = |a: &str| {
        let s = d.text.find(a).unwrap();
        (ByteSpan::new(s, s + a.len()), 0.9)
    };
    let kept = merge_fragments(&d, vec![span("the health of Trump"), span("who")], &[]);
    assert_eq!(kept.len(), 2);
    // a tagged span over a paragraph break keeps its first paragraph's sentence; one
    // cut mid-sentence is dropped
    let d = seg("He said he would run again.\n\n“I will win this race,” he said.");
    let span = |d: &Document, a: &str, b: &str| {
        let s = d.text.find(a).unwrap();
        (ByteSpan::new(s, d.text.find(b).unwrap() + b.len()), 0.9)
    };
    let pieces = by_paragraph(&d, [span(&d, "he would", "race")].into_iter());
    let texts: Vec<&str> = pieces.iter().map(|p| d.slice(p.0)).collect();
    assert_eq!(texts, vec!["he would run again."]);
    assert_eq!(
        by_paragraph(&d, [span(&d, "he would", "run")].into_iter()).len(),
        1
    );
    let d = seg("Minister Defends Reform\n\nThe labour minister spoke.");
    assert!(by_paragraph(&d, [span(&d, "Reform", "labour minister")].into_iter()).is_empty());
}

#[test]
fn quotes_take_the_taggers_cue_and_source_where_they_have_none() {
    // the rules read a scare quote with no cue; the tagger widens it and reads the cue
    // and source after it. The second paragraph is one rule quote over two contents
    // with two cues: it splits in two.
    let text = "\"Boots on the ground\" would be right, Ben Carson, a candidate, told reporters.\n\n\"We win,\" Ruiz said, adding: \"They lose.\"";
    let mut doc = ruled(text);
    link_tagged(
        &mut doc,
        text,
        &[
            (2, "\"Boots on the ground\" would be right"),
            (0, "Ben Carson, a candidate"),
            (1, "told reporters"),
            (2, "\"We win,\""),
            (0, "Ruiz"),
            (1, "said"),
            (1, "adding:"),
            (2, "\"They lose.\""),
        ],
    );
    let got: Vec<(Option<&str>, Vec<&str>, Vec<&str>)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                q.cue.map(|c| doc.slice(c)),
                q.sources.iter().map(|s| doc.slice(*s)).collect(),
                q.contents.iter().map(|s| doc.slice(*s)).collect(),
            )
        })
        .collect();
    let want: Vec<(Option<&str>, Vec<&str>, Vec<&str>)> = vec![
        (
            Some("told reporters"),
            vec!["Ben Carson, a candidate"],
            vec!["\"Boots on the ground\" would be right"],
        ),
        (Some("said"), vec!["Ruiz"], vec!["\"We win,\""]),
        (Some("adding:"), vec!["Ruiz"], vec!["\"They lose.\""]),
    ];
    assert_eq!(got, want);
}

#[test]
fn cues_the_tagger_does_not_read_give_way_to_the_contents_own() {
    let text = "Bolton said he would advise Trump on “strategic threats out there.”";
    let mut doc = ruled(text);
    let cue = |d: &Document| -> Vec<Option<String>> {
        d.quotes
            .iter()
            .map(|q| q.cue.map(|c| d.slice(c).to_string()))
            .collect()
    };
    assert_eq!(
        cue(&doc),
        vec![Some("advise".to_string())],
        "the rules' reading"
    );
    link_tagged(
        &mut doc,
        text,
        &[
            (0, "Bolton"),
            (1, "said"),
            (2, "he would advise Trump on “strategic threats out there.”"),
        ],
    );
    assert_eq!(cue(&doc), vec![Some("said".to_string())]);
}

#[test]
fn sources_the_tagger_does_not_read_give_way_to_its_confident_one() {
    // the rules take a word of the content (or the cue's object) for the source; the
    // tagger reads no source there and a confident one by the cue
    let text = "ProPublica obtained a video of the speech and said she \"steered a middle ground\" with bankers.";
    let mut doc = ruled(text);
    let before: Vec<Vec<&str>> = doc
        .quotes
        .iter()
        .map(|q| q.sources.iter().map(|s| doc.slice(*s)).collect())
        .collect();
    assert!(
        before.iter().all(|s| s != &["ProPublica"]),
        "the rules alone already read it: {before:?}"
    );
    link_tagged(
        &mut doc,
        text,
        &[
            (0, "ProPublica"),
            (1, "said"),
            (2, "she \"steered a middle ground\" with bankers"),
        ],
    );
    let q = doc
        .quotes
        .iter()
        .find(|q| q.contents.iter().any(|c| doc.slice(*c).contains("steered")))
        .unwrap();
    let got: Vec<&str> = q.sources.iter().map(|s| doc.slice(*s)).collect();
    assert_eq!(got, vec!["ProPublica"]);
}

#[test]
fn a_dash_setting_a_quote_off_is_never_content() {
    // the tagger reads the closing dash into the content: the rule quote stays direct
    // and exactly the quotation
    let text = "Letters came in.\n\n\"A library is the only free place in town.\" — Maria Gonzalez\n\nMore followed.";
    let mut doc = ruled(text);
    let quote = "\"A library is the only free place in town.\"";
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.slice(doc.quotes[0].contents[0]), quote);
    link_tagged(
        &mut doc,
        text,
        &[
            (2, "\"A library is the only free place in town.\" —"),
            (0, "Maria Gonzalez"),
        ],
    );
    let q = &doc.quotes[0];
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(
        (q.kind, doc.slice(q.contents[0])),
        (QuoteKind::Direct, quote)
    );
}

#[test]
fn tagged_contents_link_only_nearby_and_never_as_lone_function_words() {
    // the cue two sentences away is not this content's; "to" is no content
    let text = "Lee spoke at noon. The hall was full. The plan, critics said, was late. Talks are expected to resume.";
    let mut doc = ruled(text);
    doc.quotes.clear();
    link_tagged(
        &mut doc,
        text,
        &[
            (0, "Lee"),
            (1, "spoke"),
            (2, "The plan"),
            (0, "critics"),
            (1, "said"),
            (2, "was late"),
            (1, "are expected"),
            (2, "to"),
        ],
    );
    let got: Vec<(Option<&str>, Vec<&str>)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                q.cue.map(|c| doc.slice(c)),
                q.contents.iter().map(|c| doc.slice(*c)).collect(),
            )
        })
        .collect();
    assert_eq!(got, vec![(Some("said"), vec!["The plan", "was late"])]);
    assert!(near(
        &doc,
        doc.quotes[0].cue.unwrap(),
        doc.quotes[0].contents[0]
    ));
    let lee = text.find("Lee").unwrap();
    assert!(!near(
        &doc,
        ByteSpan::new(lee, lee + 3),
        doc.quotes[0].contents[0]
    ));
}

#[test]
fn sources_and_cues_stop_at_sentence_ends() {
    let text = "\"This bill is a disgrace,\" fumed Representative Carl Dunn. Dunn later tweeted that the vote was rigged.";
    let mut doc = ruled(text);
    doc.quotes.clear();
    link_tagged(
        &mut doc,
        text,
        &[
            (2, "\"This bill is a disgrace,\""),
            (1, "fumed"),
            (0, "Representative Carl Dunn. Dunn"),
            (1, "later tweeted"),
            (2, "that the vote was rigged"),
        ],
    );
    let got: Vec<(&str, Vec<&str>)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                doc.slice(q.cue.unwrap()),
                q.sources.iter().map(|s| doc.slice(*s)).collect(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("fumed", vec!["Representative Carl Dunn"]),
            ("later tweeted", vec!["Dunn"])
        ]
    );
}

#[test]
fn a_lone_function_word_is_no_source() {
    let text = "Talks resumed on Monday. A deal is expected to follow soon.";
    let mut doc = ruled(text);
    doc.quotes.clear();
    link_tagged(
        &mut doc,
        text,
        &[(0, "A"), (1, "is expected"), (2, "to follow soon")],
    );
    let got: Vec<(Vec<&str>, Vec<&str>)> = doc
        .quotes
        .iter()
        .map(|q| {
            (
                q.sources.iter().map(|s| doc.slice(*s)).collect(),
                q.contents.iter().map(|c| doc.slice(*c)).collect(),
            )
        })
        .collect();
    assert_eq!(got, vec![(vec![], vec!["to follow soon"])]);
}

#[test]
fn a_wider_tagged_source_replaces_the_rules_one() {
    let text = "Republican party boss Reince Priebus said the vote was fair.";
    let at = |s: &str| at_in(text, s);
    let mut doc = Document::new("t", text);
    doc.quotes.push(Quote {
        kind: QuoteKind::Indirect,
        cue: Some(at("said")),
        sources: vec![at("Republican party")],
        contents: vec![at("the vote was fair")],
        speaker: None,
        confidence: 0.75,
        continues: None,
    });
    // a wider source below the threshold, or one running into the cue, is not taken
    let low = [(at("Republican party boss Reince Priebus"), 0.3)];
    complete_from_tagger(&mut doc, &[], &low);
    assert_eq!(doc.slice(doc.quotes[0].sources[0]), "Republican party");
    let into_cue = [(at("Republican party boss Reince Priebus said"), 0.9)];
    complete_from_tagger(&mut doc, &[], &into_cue);
    assert_eq!(doc.slice(doc.quotes[0].sources[0]), "Republican party");
    // "Paolo Rossi," closes no appositive: not a whole phrase
    assert!(!whole_phrase(
        &Document::new("t", "Paolo Rossi, a chef"),
        ByteSpan::new(0, 12)
    ));
    let wide = [(at("Republican party boss Reince Priebus"), 0.9)];
    complete_from_tagger(&mut doc, &[], &wide);
    assert_eq!(
        doc.slice(doc.quotes[0].sources[0]),
        "Republican party boss Reince Priebus"
    );
}

#[test]
fn tagger_boundaries_replace_rule_indirect_ones() {
    let text = "Critics argued the budget was late, and left.";
    let mut doc = Document::new("t", text);
    for s in standard_stages().iter().take(1) {
        s.annotate(&mut doc).unwrap();
    }
    let at = |s: &str| at_in(text, s);
    doc.quotes = vec![Quote {
        kind: QuoteKind::Indirect,
        cue: Some(at("argued")),
        sources: vec![at("Critics")],
        contents: vec![at("the budget was late, and left")],
        speaker: None,
        confidence: 0.75,
        continues: None,
    }];
    link_tagged(&mut doc, text, &[(2, "the budget was late")]);
    assert_eq!(doc.quotes.len(), 1);
    assert_eq!(doc.slice(doc.quotes[0].contents[0]), "the budget was late");
    assert_eq!(doc.slice(doc.quotes[0].cue.unwrap()), "argued");
    // a tagged clause that stops on a preposition is cut short: the rule's stays
    let text = "According to the agency, river levels peaked on Sunday.";
    let mut doc = Document::new("t", text);
    standard_stages()[0].annotate(&mut doc).unwrap();
    let at = |s: &str| at_in(text, s);
    doc.quotes = vec![Quote {
        kind: QuoteKind::Indirect,
        cue: Some(at("According to")),
        sources: vec![at("the agency")],
        contents: vec![at("river levels peaked on Sunday")],
        speaker: None,
        confidence: 0.75,
        continues: None,
    }];
    link_tagged(&mut doc, text, &[(2, "river levels peaked on")]);
    assert_eq!(
        doc.slice(doc.quotes[0].contents[0]),
        "river levels peaked on Sunday"
    );
}

//! The quote stage's tables: direct, mixed and indirect quotes, over paragraphs,
//! transcripts, each checked with the shared layer validity check.

use super::*;
use crate::stages::entities::EntityTaggerConfig;
use crate::stages::segment::SegmenterConfig;
use crate::testutil::check_layers;

/// (kind, cue, sources, contents) of every quote.
/// (type, cue, sources, contents) of a quote.
type Row = (&'static str, Option<String>, Vec<String>, Vec<String>);

fn quotes(text: &str) -> Vec<Row> {
    let mut doc = Document::new("t", text);
    SegmenterConfig::default()
        .build()
        .annotate(&mut doc)
        .unwrap();
    EntityTaggerConfig::default()
        .build()
        .annotate(&mut doc)
        .unwrap();
    QuoteTaggerConfig::default()
        .build()
        .annotate(&mut doc)
        .unwrap();
    check_layers(&doc);
    doc.quotes
        .iter()
        .map(|q| {
            (
                q.kind.as_str(),
                q.cue.map(|c| doc.slice(c).to_string()),
                q.sources
                    .iter()
                    .map(|s| doc.slice(*s).to_string())
                    .collect(),
                q.contents
                    .iter()
                    .map(|s| doc.slice(*s).to_string())
                    .collect(),
            )
        })
        .collect()
}

fn q(kind: &'static str, cue: Option<&str>, src: &[&str], contents: &[&str]) -> Row {
    (
        kind,
        cue.map(String::from),
        src.iter().map(|s| s.to_string()).collect(),
        contents.iter().map(|s| s.to_string()).collect(),
    )
}

#[test]
fn direct_quote_table() {
    let table = vec![
        // a colon lead-in as a paragraph of its own, the quote the next paragraph
        (
            "The race was close.\n\nCaddell continued:\n\n\"The health issue is partisan. It is in their heads.\"",
            vec![q(
                "direct",
                Some("continued:"),
                &["Caddell"],
                &["\"The health issue is partisan. It is in their heads.\""],
            )],
        ),
        (
            "The New York Times reports:\n\n\"Just 24 percent of the contributors gave $200 or less.\"",
            vec![q(
                "direct",
                Some("reports:"),
                &["The New York Times"],
                &["\"Just 24 percent of the contributors gave $200 or less.\""],
            )],
        ),
        (
            "\"We will win,\" he said.",
            vec![q("direct", Some("said"), &["he"], &["\"We will win,\""])],
        ),
        (
            "\"But Pete Wilson won,” Axelrod said. \"I know,” Henry said.",
            vec![
                q(
                    "direct",
                    Some("said"),
                    &["Axelrod"],
                    &["\"But Pete Wilson won,”"],
                ),
                q("direct", Some("said"), &["Henry"], &["\"I know,”"]),
            ],
        ),
        (
            "“We will win,” said Jane Doe, a spokeswoman.",
            vec![q(
                "direct",
                Some("said"),
                &["Jane Doe, a spokeswoman"],
                &["“We will win,”"],
            )],
        ),
        (
            "Hugh Hill, a doctor, said: «Rest is best.»",
            vec![q(
                "direct",
                Some("said:"),
                &["Hugh Hill, a doctor"],
                &["«Rest is best.»"],
            )],
        ),
        (
            "The mayor sighed, \"It is 'over' now.\"",
            vec![q(
                "direct",
                Some("sighed"),
                &["The mayor"],
                &["\"It is 'over' now.\""],
            )],
        ),
        (
            "Deputy Assistant Secretary Cooper: \"Costs Rise Again\"",
            vec![q(
                "direct",
                Some(":"),
                &["Deputy Assistant Secretary Cooper"],
                &["\"Costs Rise Again\""],
            )],
        ),
        (
            "\"Never again.\" — Jane Doe",
            vec![q("direct", Some("—"), &["Jane Doe"], &["\"Never again.\""])],
        ),
        // the subject of a "by claiming" attribution stops before its own verb
        (
            "The company angered the union by claiming that wages were the main cause, and it left.",
            vec![q(
                "indirect",
                Some("claiming"),
                &["The company"],
                &["that wages were the main cause"],
            )],
        ),
        // a nickname in marks is no quote (the source still stops at its marks)
        (
            "State Del. Marcia \"Cia\" Price shouted: \"The nation is watching.\"",
            vec![q(
                "direct",
                Some("shouted:"),
                &["Price"],
                &["\"The nation is watching.\""],
            )],
        ),
        (
            "”He represents our greatest shame.” ― Sonya Herridge",
            vec![q(
                "direct",
                Some("―"),
                &["Sonya Herridge"],
                &["”He represents our greatest shame.”"],
            )],
        ),
        (
            "“He makes simple blanket statements.”― Pamela Padilla",
            vec![q(
                "direct",
                Some("―"),
                &["Pamela Padilla"],
                &["“He makes simple blanket statements.”"],
            )],
        ),
        (
            "\"We stay.\" -- Ann Lee",
            vec![q("direct", Some("--"), &["Ann Lee"], &["\"We stay.\""])],
        ),
        (
            "He also reiterated, \"The U.S. has shown considerable flexibility.\"",
            vec![q(
                "direct",
                Some("reiterated"),
                &["He"],
                &["\"The U.S. has shown considerable flexibility.\""],
            )],
        ),
        (
            "Smith raised the issue of \"burden sharing\" at the talks.",
            vec![q(
                "mixed",
                Some("raised the issue of"),
                &["Smith"],
                &["\"burden sharing\""],
            )],
        ),
        ("The plan was called a \"win-win\" deal.", vec![]),
        (
            "''It's debasing,'' said Menaka Guruswamy. ''It is really sad for all of us.''",
            vec![q(
                "direct",
                Some("said"),
                &["Menaka Guruswamy"],
                &["''It's debasing,''", "''It is really sad for all of us.''"],
            )],
        ),
        (
            "''We hear 'Kosovo is special,''' he said.",
            vec![q(
                "direct",
                Some("said"),
                &["he"],
                &["''We hear 'Kosovo is special,'''"],
            )],
        ),
        ("The voters' 'hope' stayed.", vec![]),
    ];
    for (text, want) in table {
        assert_eq!(quotes(text), want, "{text}");
    }
}

#[test]
fn participle_cue_shares_the_source() {
    let got = quotes("Clark Cooper, a U.S. envoy, stated during a briefing on the 20th, \"There was a pause,\" adding, \"Talks have not stopped.\"");
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].2, vec!["Clark Cooper, a U.S. envoy"]);
    assert_eq!(got[1].1.as_deref(), Some("adding"));
    assert_eq!(got[1].2, got[0].2);
}

#[test]
fn quote_over_paragraphs() {
    let text =
        "Smith said: \"The first part goes on.\n\n\"The second part ends here.\"\n\nThen he left.";
    let got = quotes(text);
    assert_eq!(
        got,
        vec![q(
            "direct",
            Some("said:"),
            &["Smith"],
            &[
                "\"The first part goes on.",
                "\"The second part ends here.\""
            ]
        )]
    );
}

#[test]
fn indirect_speech_table() {
    let table = vec![
        (
            "Some analysts suggest that the talks have moved beyond the working level.",
            vec![q(
                "indirect",
                Some("suggest"),
                &["Some analysts"],
                &["that the talks have moved beyond the working level"],
            )],
        ),
        (
            "The minister told reporters that the plan would cost 3.5 billion dollars.",
            vec![q(
                "indirect",
                Some("told"),
                &["The minister"],
                &["that the plan would cost 3.5 billion dollars"],
            )],
        ),
        (
            "According to the police, the suspect fled on foot.",
            vec![q(
                "indirect",
                Some("According to"),
                &["the police"],
                &["the suspect fled on foot"],
            )],
        ),
        // the clause's own speaker said it
        (
            "According to the New Zealand Herald, Professor John Burrows said the flag was never open to choice.",
            vec![q(
                "indirect",
                Some("said"),
                &["Professor John Burrows"],
                &["the flag was never open to choice"],
            )],
        ),
        (
            "The bridge will close in May, officials said.",
            vec![q(
                "indirect",
                Some("said"),
                &["officials"],
                &["The bridge will close in May"],
            )],
        ),
        ("The report was long.", vec![]),
    ];
    for (text, want) in table {
        assert_eq!(quotes(text), want, "{text}");
    }
}

#[test]
fn transcript_turns_are_attributed_to_their_labels() {
    let text = "Chris Wallace interviewed Mike Pence on Sunday.\n\n\"WALLACE: Let’s start with the debate. Will she be there?\n\n\"PENCE: Well, look, this is serious business.\n\nNOTE: this is not a turn because it is no speaker.";
    let got = quotes(text);
    assert!(
        got.contains(&q(
            "direct",
            Some(":"),
            &["WALLACE"],
            &["Let’s start with the debate. Will she be there?"]
        )),
        "{got:?}"
    );
    assert!(
        got.contains(&q(
            "direct",
            Some(":"),
            &["PENCE"],
            &["Well, look, this is serious business."]
        )),
        "{got:?}"
    );
    // no quote keeps the label inside its content; a note is no speaker
    assert!(!got
        .iter()
        .any(|r| r.3.iter().any(|c| c.contains("WALLACE:"))));
    assert!(
        !got.iter().any(|r| r.2.contains(&"NOTE".to_string())),
        "{got:?}"
    );
}

//! Property tests on stable Rust (proptest): the segmenter, the quotation-mark scanner (through
//! the quote stage), HTML ingest and the whole rule pipeline never panic, and every span they
//! make is in bounds, on char boundaries and equal to its text on the wire.
//!
//! `make test` runs 256 cases a property; `make fuzz` runs `PROPTEST_CASES` (default 20,000).
//! Every failing input proptest finds is kept in `proptest-regressions/` (committed) and tried
//! first on every later run.

use crate::document::Document;
use crate::output::{to_record, verify_record};
use crate::stages::standard_stages;
use crate::testutil::check_layers;
use proptest::prelude::*;

/// Pieces news text is made of, and the ones that broke parsers before: every quotation mark
/// style, sentence ends and abbreviations, CRLF and blank lines, emoji, flags, a ZWJ sequence,
/// combining accents, dashes, colons.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"".to_string()),
        Just("“".to_string()),
        Just("”".to_string()),
        Just("«".to_string()),
        Just("»".to_string()),
        Just("‘".to_string()),
        Just("’".to_string()),
        Just("'".to_string()),
        Just(". ".to_string()),
        Just("? ".to_string()),
        Just(", ".to_string()),
        Just(": ".to_string()),
        Just(" — ".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just(" said ".to_string()),
        Just(" told reporters ".to_string()),
        Just("according to ".to_string()),
        Just(" that ".to_string()),
        Just("He ".to_string()),
        Just("she ".to_string()),
        Just("Dr. ".to_string()),
        Just("U.S. ".to_string()),
        Just("Mayor Ana Ruiz".to_string()),
        Just("Clark Cooper".to_string()),
        Just("the company".to_string()),
        Just("😀".to_string()),
        Just("🇰🇷".to_string()),
        Just("👨\u{200d}👩\u{200d}👧".to_string()),
        Just("e\u{301}".to_string()),
        "[A-Za-z]{1,8}".prop_map(|w| w + " "),
        "[0-9]{1,3}%?".prop_map(|w| w + " "),
        any::<char>().prop_map(|c| c.to_string()),
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..80).prop_map(|v| v.concat())
}

fn html() -> impl Strategy<Value = String> {
    let tag = prop_oneof![
        Just("<p>"),
        Just("</p>"),
        Just("<div class=\"share\">"),
        Just("<div>"),
        Just("</div>"),
        Just("<article>"),
        Just("</article>"),
        Just("<b>"),
        Just("</b>"),
        Just("<br>"),
        Just("<script>x<y</script>"),
        Just("<!-- <p> -->"),
        Just("<template>"),
        Just("<noscript>"),
        Just("<textarea>"),
        Just("<table><tr><td>"),
        Just("<a href='x>y'>"),
        Just("<"),
        Just(">"),
        Just("&amp;"),
        Just("&#x1F600;"),
    ];
    prop::collection::vec(prop_oneof![tag.prop_map(String::from), piece()], 0..80)
        .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn the_segmenter_makes_valid_layers(text in article()) {
        let mut doc = Document::new("p", &text);
        crate::stage::Stage::annotate(&crate::stages::segment::SegmenterConfig::default().build(), &mut doc).unwrap();
        check_layers(&doc);
        prop_assert_eq!(&doc.text, &text);
    }

    #[test]
    fn the_rule_pipeline_never_panics_and_every_span_holds_its_text(text in article()) {
        let mut doc = Document::new("p", &text);
        for s in standard_stages() {
            // a stage may refuse an article (an error record), never panic
            if s.annotate(&mut doc).is_err() {
                return Ok(());
            }
            check_layers(&doc);
        }
        prop_assert_eq!(&doc.text, &text);
        let r = to_record(&doc).map_err(|e| TestCaseError::fail(e.message))?;
        verify_record(&r).map_err(|e| TestCaseError::fail(e.message))?;
        let back: crate::output::Record = serde_json::from_str(&serde_json::to_string(&r).unwrap()).unwrap();
        verify_record(&back).map_err(|e| TestCaseError::fail(e.message))?;
    }

    #[test]
    fn html_ingest_never_panics_and_keeps_no_markup_it_should_not(page in html()) {
        let (text, _) = crate::ingest::html_to_text(&page);
        prop_assert!(!text.contains('\0'));
        // flattening leaves a shallow page as it is
        let flat = crate::ingest::flatten_deep(&page, crate::ingest::MAX_HTML_DEPTH);
        prop_assert_eq!(flat.as_ref(), page.as_str());
        let deep = format!("{}{page}", "<div>".repeat(600));
        let (deep_text, _) = crate::ingest::html_to_text(&deep);
        prop_assert!(!deep_text.contains('\0'));
    }
}

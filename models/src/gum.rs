//! Named-entity gold spans from GUM (CoNLL-U with `Entity=` brackets), for training and
//! evaluating the entity tagger.
//!
//! GUM annotates every mention (named, nominal, pronominal) with an entity type. What we
//! train on, and what "GUM dev NER F1" means in this project, is defined here:
//!
//! - Text: each sentence's `# text =` line, sentences joined by a space, paragraphs
//!   (`# newpar`) by a blank line. Offsets are code points into that text.
//! - A mention is *named* when it carries a Wikipedia identity (GUM's last field) or its
//!   syntactic head (the one token whose head lies outside the mention) is a proper noun.
//! - Types: `person` → PERSON, `organization` → ORG, `place` → GPE/LOC; other types are
//!   not tagged.
//! - The span is the run of proper nouns around the head, joined over the connectors that
//!   names contain ("Bank of America", "Ministry of Defence and Security"), so
//!   determiners, possessive `'s`, appositives and relative clauses fall outside it.
//! - Nested named mentions: the outer name wins ("[University of Oxford]", not "Oxford"),
//!   but only over the words its name span holds: in "Norton I, Emperor of the United
//!   States" the person's name is "Norton I", and "United States" stays a place.
//! - Conventions of news NER (OntoNotes), which is what the pipeline needs from the tagger
//!   (titles are the rules' business, kept apart from the name as the speaker schema does):
//!   a person's name starts after its titles and honorifics ("Mr. Tedeschi" → "Tedeschi",
//!   `lexicon::is_title_word`, "GEN. PRELOGAR" too); a person mention that is only a title ("the Secretary", "King
//!   of Athens") is no name; and a person mention headed by a plural proper noun is a group
//!   ("Americans", "the Tagbanuas"; NORP in OntoNotes), not a person.

use claimex_pipeline::lexicon::is_title_word;
use std::collections::HashMap;
use std::path::Path;

/// Role index of each tagged GUM type.
fn role_of(etype: &str) -> Option<usize> {
    match etype {
        "person" => Some(0),
        "organization" => Some(1),
        "place" => Some(2),
        _ => None,
    }
}

/// A GUM document as text with named-entity spans.
#[derive(Clone, Debug)]
pub struct GumDoc {
    /// Document id (`GUM_news_asylum`).
    pub id: String,
    /// The reconstructed text.
    pub text: String,
    /// `(role, start, end)` in code points: 0 PERSON, 1 ORG, 2 GPE/LOC.
    pub spans: Vec<(usize, usize, usize)>,
}

struct Word {
    /// Code point span in the document text.
    start: usize,
    end: usize,
    upos: String,
    /// Penn tag (`NNPS` marks plural proper nouns).
    xpos: String,
    form: String,
    /// Index (in the document's words) of the syntactic head; `None` for the root.
    head: Option<usize>,
}

struct Open {
    eid: String,
    etype: String,
    identity: bool,
    first: usize,
}

/// Parses one CoNLL-U document.
///
/// # Errors
/// A sentence whose tokens cannot be found in its `# text =` line.
pub fn parse_conllu(id: &str, src: &str) -> Result<GumDoc, String> {
    let mut text = String::new();
    let mut nchars = 0usize;
    let mut words: Vec<Word> = Vec::new();
    // mentions: (role, identity, first word, last word)
    let mut mentions: Vec<(usize, bool, usize, usize)> = Vec::new();
    let mut open: HashMap<String, Vec<Open>> = HashMap::new();
    let mut sent_text: Vec<char> = Vec::new();
    let mut sent_base = 0usize; // code point offset of the sentence in `text`
    let mut cursor = 0usize; // position inside the sentence
    let mut sent_first = 0usize; // index of the sentence's first word
    let mut sent_heads: Vec<(usize, usize)> = Vec::new(); // (word index, head id in sentence)
                                                          // a multiword token ("Gloria's" = "Gloria" + "'s"): (last id, start, end, cursor)
    let mut range_end: Option<(usize, usize, usize, usize)> = None;
    let mut new_par = false;
    for line in src.lines() {
        if let Some(rest) = line.strip_prefix("# newpar") {
            if rest.is_empty() || rest.starts_with(' ') {
                new_par = true;
            }
            continue;
        }
        if let Some(t) = line.strip_prefix("# text = ") {
            if !text.is_empty() {
                let sep = if new_par { "\n\n" } else { " " };
                text.push_str(sep);
                nchars += sep.chars().count();
            }
            new_par = false;
            sent_base = nchars;
            sent_text = t.chars().collect();
            text.push_str(t);
            nchars += sent_text.len();
            cursor = 0;
            sent_first = words.len();
            sent_heads.clear();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        if line.trim().is_empty() {
            for &(w, h) in &sent_heads {
                words[w].head = (h > 0).then(|| sent_first + h - 1);
            }
            sent_heads.clear();
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 10 || f[0].contains('.') {
            continue;
        }
        let find = |form: &str, cursor: usize| -> Option<(usize, usize)> {
            let fc: Vec<char> = form.chars().collect();
            let mut s = cursor;
            while s < sent_text.len() && sent_text[s].is_whitespace() {
                s += 1;
            }
            (s + fc.len() <= sent_text.len() && sent_text[s..s + fc.len()] == fc[..])
                .then_some((s, s + fc.len()))
        };
        if let Some((a, b)) = f[0].split_once('-') {
            let (s, e) = find(f[1], cursor)
                .ok_or_else(|| format!("{id}: token {:?} not in sentence text", f[1]))?;
            cursor = e;
            let last: usize = b.parse().map_err(|_| format!("{id}: bad range {}", f[0]))?;
            let _: usize = a.parse().map_err(|_| format!("{id}: bad range {}", f[0]))?;
            range_end = Some((last, s, e, s));
            continue;
        }
        let n: usize = f[0].parse().map_err(|_| format!("{id}: bad id {}", f[0]))?;
        let (s, e) = match range_end {
            Some((last, s, e, c)) if n <= last => {
                // the word's own part of the token when it is spelled out there
                let part = find(f[1], c).filter(|&(_, pe)| pe <= e);
                range_end = (n < last).then_some((last, s, e, part.map_or(c, |p| p.1)));
                part.unwrap_or((s, e))
            }
            _ => {
                let (s, e) = find(f[1], cursor)
                    .ok_or_else(|| format!("{id}: token {:?} not in sentence text", f[1]))?;
                cursor = e;
                (s, e)
            }
        };
        let wi = words.len();
        words.push(Word {
            start: sent_base + s,
            end: sent_base + e,
            upos: f[3].to_string(),
            xpos: f[4].to_string(),
            form: f[1].to_string(),
            head: None,
        });
        sent_heads.push((wi, f[6].parse().unwrap_or(0)));
        if let Some(ent) = f[9].split('|').find_map(|m| m.strip_prefix("Entity=")) {
            parse_brackets(ent, wi, &mut open, &mut mentions);
        }
    }
    for &(w, h) in &sent_heads {
        words[w].head = (h > 0).then(|| sent_first + h - 1);
    }
    let mut spans = named_spans(&words, &mentions);
    spans.sort_by_key(|&(r, s, e)| (s, e, r));
    spans.dedup();
    Ok(GumDoc {
        id: id.to_string(),
        text,
        spans,
    })
}

/// Reads the brackets of one word's `Entity=` value.
fn parse_brackets(
    ent: &str,
    wi: usize,
    open: &mut HashMap<String, Vec<Open>>,
    mentions: &mut Vec<(usize, bool, usize, usize)>,
) {
    let b = ent.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'(' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'(' && b[j] != b')' {
                j += 1;
            }
            let attrs = &ent[i + 1..j];
            let fields: Vec<&str> = attrs.split('-').collect();
            let o = Open {
                eid: fields[0].to_string(),
                etype: fields.get(1).unwrap_or(&"").to_string(),
                identity: fields.len() > 7,
                first: wi,
            };
            if j < b.len() && b[j] == b')' {
                if let Some(r) = role_of(&o.etype) {
                    mentions.push((r, o.identity, wi, wi));
                }
                i = j + 1;
            } else {
                open.entry(o.eid.clone()).or_default().push(o);
                i = j;
            }
        } else if b[i].is_ascii_digit() {
            let mut j = i;
            while j < b.len() && b[j] != b')' && b[j] != b'(' {
                j += 1;
            }
            let eid = &ent[i..j];
            if let Some(o) = open.get_mut(eid).and_then(Vec::pop) {
                if let Some(r) = role_of(&o.etype) {
                    mentions.push((r, o.identity, o.first, wi));
                }
            }
            i = j + 1;
        } else {
            i += 1;
        }
    }
}

/// Connectors allowed inside a name of `role` between proper nouns. A person's name joins
/// only over name particles ("Ludwig van Beethoven"): GUM's coordinated person mentions
/// ("Kirk M. Bart and Celeste Pollock") and affiliations ("Isabel Ruiz of Heaven Sent
/// Gaming") are two names, or a name and an organisation, not one name.
fn connector(w: &Word, role: usize) -> bool {
    let particle = matches!(
        w.form.as_str(),
        "de" | "von" | "van" | "-" | "du" | "la" | "del" | "da" | "di" | "der" | "den" | "bin"
    );
    particle || (role != 0 && matches!(w.form.as_str(), "of" | "for" | "and" | "&" | "the"))
}

/// Named spans (role, start, end) in code points; outer mentions first, no overlaps.
fn named_spans(
    words: &[Word],
    mentions: &[(usize, bool, usize, usize)],
) -> Vec<(usize, usize, usize)> {
    let mut ms: Vec<&(usize, bool, usize, usize)> = mentions.iter().collect();
    ms.sort_by_key(|m| (m.2, std::cmp::Reverse(m.3)));
    let mut taken: Vec<(usize, usize)> = Vec::new();
    let mut out = Vec::new();
    for &&(role, identity, first, last) in &ms {
        if taken.iter().any(|&(a, b)| first <= b && a <= last) {
            continue;
        }
        let inside = |k: usize| (first..=last).contains(&k);
        let heads: Vec<usize> = (first..=last)
            .filter(|&k| words[k].head.is_none_or(|h| !inside(h)))
            .collect();
        let Some(&head) = heads.first() else { continue };
        let propn = |k: usize| words[k].upos == "PROPN";
        // capitalised adjectives and nouns inside a name belong to it ("British Columbia
        // Lottery Corporation", "Medical Journal of Australia", "Food Standards Australia")
        let namey = |k: usize| {
            propn(k)
                || (matches!(words[k].upos.as_str(), "ADJ" | "NOUN" | "NUM" | "VERB")
                    && words[k].form.chars().next().is_some_and(char::is_uppercase))
        };
        // the head itself, or a name right next to a common head: after it ("founder Mark
        // Zuckerberg"), else before it ("the Kayangan lakes"). A proper noun further off names
        // something else: "editor at large at the Saudi Gazette" is no person "Saudi Gazette",
        // "a Fellow at ... Stanford University" no person "Stanford University"
        let anchor = if propn(head) {
            head
        } else if identity {
            match [head + 1, head.wrapping_sub(1)]
                .into_iter()
                .find(|&k| k >= first && k <= last && propn(k))
            {
                Some(k) => k,
                None => continue,
            }
        } else {
            continue;
        };
        let (mut s, mut e) = (anchor, anchor);
        loop {
            if s > first && namey(s - 1) {
                s -= 1;
            } else if s > first + 1 && connector(&words[s - 1], role) && namey(s - 2) {
                s -= 2;
            } else {
                break;
            }
        }
        loop {
            if e < last && namey(e + 1) {
                e += 1;
            } else if e + 1 < last && connector(&words[e + 1], role) && namey(e + 2) {
                e += 2;
            } else {
                break;
            }
        }
        if role == 0 {
            // a group ("Americans") is no person
            if words[anchor].xpos == "NNPS" {
                continue;
            }
            // titles and honorifics stand outside a person's name; a title alone (or a title
            // phrase, "King of Athens") is no name, and nested names inside it stay free
            while s <= e && is_title_word(&words[s].form) {
                s += 1;
            }
            if s > e || connector(&words[s], role) {
                continue;
            }
        }
        taken.push((s, e));
        out.push((role, words[s].start, words[e].end));
    }
    out
}

/// Reads every `*.conllu` under `dir/dep` (or `dir` itself), sorted by name.
///
/// # Errors
/// An unreadable folder or file, or a malformed document.
pub fn read_gum(dir: &Path) -> Result<Vec<GumDoc>, String> {
    let d = if dir.join("dep").is_dir() {
        dir.join("dep")
    } else {
        dir.to_path_buf()
    };
    let mut files: Vec<_> = std::fs::read_dir(&d)
        .map_err(|e| format!("{}: {e}", d.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "conllu"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let src = std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()))?;
            let id = p
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .to_string();
            parse_conllu(&id, &src)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "# newdoc id = t\n# newpar\n# text = Over 900 seekers rescued off Indonesian coast\n\
1\tOver\tover\tADV\tRB\t_\t3\tadvmod\t_\tEntity=(1-event-new-s-cf3-5-disc(2-person-new-s-cf1-4-coref\n\
2\t900\t900\tNUM\tCD\t_\t3\tnummod\t_\t_\n\
3\tseekers\tseeker\tNOUN\tNNS\t_\t4\tnsubj\t_\tEntity=2)\n\
4\trescued\trescue\tVERB\tVBN\t_\t0\troot\t_\t_\n\
5\toff\toff\tADP\tIN\t_\t7\tcase\t_\t_\n\
6\tIndonesian\tIndonesian\tADJ\tJJ\t_\t7\tamod\t_\tEntity=(3-place-new-s-cf2-2-coref\n\
7\tcoast\tcoast\tNOUN\tNN\t_\t4\tobl\t_\tEntity=3)1)\n\
\n\
# newpar\n\
# text = The Bank of America's chief, Ann Lee, didn't go to Paris.\n\
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\tEntity=(4-person-new-s-cf1-5-coref(5-organization-new-s-cf1-2-coref-Bank_of_America\n\
2\tBank\tbank\tPROPN\tNNP\t_\t6\tnmod:poss\t_\t_\n\
3\tof\tof\tADP\tIN\t_\t4\tcase\t_\t_\n\
4\tAmerica\tAmerica\tPROPN\tNNP\t_\t2\tnmod\t_\tEntity=(6-place-new-s-cf1-1-sgl-United_States)\n\
5\t's\t's\tPART\tPOS\t_\t2\tcase\t_\tEntity=5)\n\
6\tchief\tchief\tNOUN\tNN\t_\t12\tnsubj\t_\tSpaceAfter=No\n\
7\t,\t,\tPUNCT\t,\t_\t8\tpunct\t_\t_\n\
8\tAnn\tAnn\tPROPN\tNNP\t_\t6\tappos\t_\tEntity=(7-person-new-s-cf1-1-coref\n\
9\tLee\tLee\tPROPN\tNNP\t_\t8\tflat\t_\tEntity=7)4)|SpaceAfter=No\n\
10\t,\t,\tPUNCT\t,\t_\t8\tpunct\t_\t_\n\
11-12\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n\
11\tdid\tdo\tAUX\tVBD\t_\t14\taux\t_\t_\n\
12\tn't\tnot\tPART\tRB\t_\t14\tadvmod\t_\t_\n\
13\tgo\tgo\tVERB\tVB\t_\t0\troot\t_\t_\n\
14\tto\tto\tADP\tIN\t_\t15\tcase\t_\t_\n\
15\tParis\tParis\tPROPN\tNNP\t_\t13\tobl\t_\tEntity=(8-place-new-s-cf1-1-sgl-Paris)|SpaceAfter=No\n\
16\t.\t.\tPUNCT\t.\t_\t13\tpunct\t_\t_\n\n";

    /// The document's named spans as (role, text).
    fn named(d: &GumDoc) -> Vec<(usize, String)> {
        d.spans
            .iter()
            .map(|&(r, s, e)| (r, d.text.chars().skip(s).take(e - s).collect()))
            .collect()
    }

    #[test]
    fn named_mentions_become_typed_spans() {
        let d = parse_conllu("t", DOC).unwrap();
        assert!(d
            .text
            .starts_with("Over 900 seekers rescued off Indonesian coast\n\nThe Bank"));
        let got = named(&d);
        // "seekers" and "Indonesian coast" are not named; the outer "The Bank of America's
        // chief, Ann Lee" is a person mention whose head "chief" is a common noun
        assert_eq!(
            got,
            vec![
                (1, "Bank of America".to_string()),
                (0, "Ann Lee".to_string()),
                (2, "Paris".to_string())
            ]
        );
    }

    const TITLED: &str = "# newdoc id = u\n# newpar\n\
# text = Mr. Tedeschi thanked the Americans and the King of Athens.\n\
1\tMr.\tMr.\tPROPN\tNNP\t_\t2\tflat\t_\tEntity=(1-person-giv-s-cf1-1-coref\n\
2\tTedeschi\tTedeschi\tPROPN\tNNP\t_\t3\tnsubj\t_\tEntity=1)\n\
3\tthanked\tthank\tVERB\tVBD\t_\t0\troot\t_\t_\n\
4\tthe\tthe\tDET\tDT\t_\t5\tdet\t_\tEntity=(2-person-new-s-cf2-1-sgl\n\
5\tAmericans\tAmerican\tPROPN\tNNPS\t_\t3\tobj\t_\tEntity=2)\n\
6\tand\tand\tCCONJ\tCC\t_\t8\tcc\t_\t_\n\
7\tthe\tthe\tDET\tDT\t_\t8\tdet\t_\tEntity=(3-person-new-s-cf3-1-sgl\n\
8\tKing\tKing\tPROPN\tNNP\t_\t5\tconj\t_\t_\n\
9\tof\tof\tADP\tIN\t_\t10\tcase\t_\t_\n\
10\tAthens\tAthens\tPROPN\tNNP\t_\t8\tnmod\t_\tEntity=(4-place-new-s-cf4-1-sgl-Athens)3)|SpaceAfter=No\n\
11\t.\t.\tPUNCT\t.\t_\t3\tpunct\t_\t_\n\n";

    #[test]
    fn person_names_leave_titles_and_groups_out() {
        let d = parse_conllu("u", TITLED).unwrap();
        let got = named(&d);
        // "Mr." is an honorific, "Americans" a group, "King of Athens" a title phrase whose
        // nested place is a name of its own
        assert_eq!(
            got,
            vec![(0, "Tedeschi".to_string()), (2, "Athens".to_string())]
        );
    }

    const LISTED: &str = "# newdoc id = v\n# newpar\n\
# text = Counsel: Kirk Bart and Celeste Pollock for GEN. ELIZABETH PRELOGAR.\n\
1\tCounsel\tcounsel\tNOUN\tNN\t_\t0\troot\t_\t_\n\
2\t:\t:\tPUNCT\t:\t_\t1\tpunct\t_\t_\n\
3\tKirk\tKirk\tPROPN\tNNP\t_\t1\tdep\t_\tEntity=(1-person-new-nnnnn-cf1-1-coref(2-person-new-nnnnn-cf2-1-sgl\n\
4\tBart\tBart\tPROPN\tNNP\t_\t3\tflat\t_\tEntity=2)\n\
5\tand\tand\tCCONJ\tCC\t_\t6\tcc\t_\t_\n\
6\tCeleste\tCeleste\tPROPN\tNNP\t_\t3\tconj\t_\tEntity=(3-person-new-nnnnn-cf3-1-sgl\n\
7\tPollock\tPollock\tPROPN\tNNP\t_\t6\tflat\t_\tEntity=3)1)\n\
8\tfor\tfor\tADP\tIN\t_\t10\tcase\t_\t_\n\
9\tGEN.\tgeneral\tPROPN\tNNP\t_\t10\tnmod:desc\t_\tEntity=(4-person-new-sssns-cf4-1-coref\n\
10\tELIZABETH\tElizabeth\tPROPN\tNNP\t_\t1\tnmod\t_\t_\n\
11\tPRELOGAR\tPrelogar\tPROPN\tNNP\t_\t10\tflat\t_\tEntity=4)|SpaceAfter=No\n\
12\t.\t.\tPUNCT\t.\t_\t1\tpunct\t_\t_\n\n";

    #[test]
    fn coordinated_people_are_two_names_and_capital_titles_stay_out() {
        let d = parse_conllu("v", LISTED).unwrap();
        // the outer "Kirk Bart and Celeste Pollock" joins two names over "and": each is a name
        // of its own; "GEN." is the title "Gen." in a transcript's capitals
        assert_eq!(
            named(&d),
            vec![
                (0, "Kirk Bart".to_string()),
                (0, "Celeste Pollock".to_string()),
                (0, "ELIZABETH PRELOGAR".to_string())
            ]
        );
    }

    const FAR: &str = "# newdoc id = f\n# newpar\n# text = Al-Maeena, editor at the Saudi Gazette, said.\n\
1\tAl-Maeena\tAl-Maeena\tPROPN\tNNP\t_\t9\tnsubj\t_\tEntity=(1-person-new-nnnnn-cf1-1-sgl-Khaled_Al-Maeena)|SpaceAfter=No\n\
2\t,\t,\tPUNCT\t,\t_\t3\tpunct\t_\t_\n\
3\teditor\teditor\tNOUN\tNN\t_\t1\tappos\t_\tEntity=(2-person-new-nnnnn-cf2-1-sgl-Khaled_Al-Maeena\n\
4\tat\tat\tADP\tIN\t_\t7\tcase\t_\t_\n\
5\tthe\tthe\tDET\tDT\t_\t7\tdet\t_\tEntity=(3-organization-new-nnnnn-cf3-2,3-sgl-Saudi_Gazette\n\
6\tSaudi\tSaudi\tPROPN\tNNP\t_\t7\tcompound\t_\t_\n\
7\tGazette\tGazette\tPROPN\tNNP\t_\t3\tnmod\t_\tEntity=3)2)|SpaceAfter=No\n\
8\t,\t,\tPUNCT\t,\t_\t3\tpunct\t_\t_\n\
9\tsaid\tsay\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n\
10\t.\t.\tPUNCT\t.\t_\t9\tpunct\t_\t_\n\
\n\
# text = Facebook founder Mark Zuckerberg spoke.\n\
1\tFacebook\tFacebook\tPROPN\tNNP\t_\t2\tcompound\t_\tEntity=(4-person-new-nnnnn-cf4-1-sgl-Mark_Zuckerberg(5-organization-new-nnnnn-cf5-1-sgl-Facebook)\n\
2\tfounder\tfounder\tNOUN\tNN\t_\t5\tnsubj\t_\t_\n\
3\tMark\tMark\tPROPN\tNNP\t_\t2\tappos\t_\t_\n\
4\tZuckerberg\tZuckerberg\tPROPN\tNNP\t_\t3\tflat\t_\tEntity=4)\n\
5\tspoke\tspeak\tVERB\tVBD\t_\t0\troot\t_\tSpaceAfter=No\n\
6\t.\t.\tPUNCT\t.\t_\t5\tpunct\t_\t_\n\
\n";

    #[test]
    fn a_common_head_names_only_the_name_next_to_it() {
        let d = parse_conllu("f", FAR).unwrap();
        // the person mention "editor at the Saudi Gazette" (linked to Khaled Al-Maeena) does
        // not make the newspaper a person; "founder Mark Zuckerberg" names the founder
        assert_eq!(
            named(&d),
            vec![
                (0, "Al-Maeena".to_string()),
                (1, "Saudi Gazette".to_string()),
                (1, "Facebook".to_string()),
                (0, "Mark Zuckerberg".to_string())
            ]
        );
    }
}

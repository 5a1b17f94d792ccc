//! Word lists of the rule stages: reporting cues, titles and roles, places, organisation
//! heads and pronouns. Lists are data: extend them here, never inline in a stage.

use once_cell::sync::Lazy;
use std::collections::{HashMap, HashSet};

/// Lemmas of reporting verbs (speech, writing and stated belief). Several hundred forms are
/// generated from these by [`inflections`].
const CUE_LEMMAS: &str = "say tell add state emphasize emphasise reiterate note explain argue claim insist warn \
suggest contend assert declare announce acknowledge admit concede confirm deny report reply respond answer \
ask write tweet post comment remark observe predict promise pledge vow threaten urge demand recall recount \
repeat stress underline underscore highlight maintain allege estimate forecast believe think feel fear worry \
hope expect doubt question wonder complain lament boast brag joke quip sigh shout scream yell whisper mutter \
murmur cry exclaim laugh snap retort counter rebut object protest agree disagree concur testify disclose \
reveal divulge inform advise caution remind assure reassure guarantee swear attest conclude surmise speculate \
theorize theorise imply hint indicate signal find learn determine rule propose recommend advocate plead beg \
implore appeal request inquire enquire challenge dispute reject dismiss refute repudiate criticize criticise \
condemn denounce blast slam accuse charge blame praise hail laud welcome applaud thank congratulate apologize \
apologise describe cite quote mention clarify elaborate summarize summarise specify stipulate restate affirm \
reaffirm aver avow proclaim pronounce profess posit reason reckon suppose presume assume acknowledge recognize \
recognise realize realise muse ponder reflect opine interject continue broadcast publish relay convey \
communicate express voice articulate utter press lobby preach lecture brief notify alert gloat grumble groan \
moan whine rant rave gush enthuse marvel exult cheer chant recite bark growl hiss snarl sneer scoff mock taunt \
chide scold rebuke reprimand admonish berate lambast fume rage seethe bristle huff snort stammer stutter blurt \
gasp sob weep wail confide grant confess contend allege charge counsel decry deplore dispute envisage envision \
foresee prophesy maintain submit suggest testify vouch warn write yell figure guess calculate project predict \
signal insinuate intimate concede grouse gripe carp cajole coax implore entreat urge exhort advise beseech \
reassure caution counter rejoin riposte retort respond agree accept concede allow maintain uphold defend \
justify rationalize explain account call";

/// Irregular forms: lemma → forms beyond the regular ones.
const IRREGULAR: &[(&str, &[&str])] = &[
    ("say", &["said"]),
    ("tell", &["told"]),
    ("write", &["wrote", "written"]),
    ("think", &["thought"]),
    ("feel", &["felt"]),
    ("find", &["found"]),
    ("swear", &["swore", "sworn"]),
    ("learn", &["learnt"]),
    ("forecast", &["forecast"]),
    ("broadcast", &["broadcast"]),
    ("cry", &["cried", "cries"]),
    ("reply", &["replied", "replies"]),
    ("deny", &["denied", "denies"]),
    ("testify", &["testified", "testifies"]),
    ("worry", &["worried", "worries"]),
    ("clarify", &["clarified", "clarifies"]),
    ("specify", &["specified", "specifies"]),
    ("imply", &["implied", "implies"]),
    ("certify", &["certified", "certifies"]),
    ("prophesy", &["prophesied", "prophesies"]),
    ("vouch", &["vouches"]),
    ("stand", &["stood"]),
];

/// Verbs that double their last consonant (`admit` → `admitted`).
const DOUBLING: &[&str] = &[
    "admit", "snap", "quip", "concur", "aver", "refer", "sob", "commit", "regret", "gripe",
];

/// Multi-word cues, matched on lowercase words.
pub const CUE_PHRASES: &[&[&str]] = &[
    &["according", "to"],
    &["stand", "firm", "on"],
    &["stands", "firm", "on"],
    &["stood", "firm", "on"],
    &["standing", "firm", "on"],
    &["raised", "the", "issue", "of"],
    &["raised", "the", "issue"],
    &["made", "clear"],
    &["make", "clear"],
    &["makes", "clear"],
    &["pointed", "out"],
    &["points", "out"],
    &["point", "out"],
    &["went", "on", "to", "say"],
    &["weighed", "in"],
    &["spoke", "out"],
    &["called", "for"],
    &["calls", "for"],
    &["insisted", "on"],
    &["warned", "of"],
    &["took", "issue", "with"],
    &["in", "a", "statement"],
    &["put", "it"],
    &["spelled", "out"],
    &["laid", "out"],
    &["chimed", "in"],
    &["was", "quoted", "as", "saying"],
    &["is", "quoted", "as", "saying"],
];

/// Generates the surface forms of a regular English verb lemma.
pub fn inflections(lemma: &str) -> Vec<String> {
    let mut v = vec![lemma.to_string()];
    let (ed, ing, s) = if DOUBLING.contains(&lemma) {
        let last = lemma.chars().last().unwrap();
        (
            format!("{lemma}{last}ed"),
            format!("{lemma}{last}ing"),
            format!("{lemma}s"),
        )
    } else if let Some(stem) = lemma.strip_suffix('e') {
        (
            format!("{lemma}d"),
            format!("{stem}ing"),
            format!("{lemma}s"),
        )
    } else if lemma.ends_with('y')
        && !lemma.ends_with("ay")
        && !lemma.ends_with("ey")
        && !lemma.ends_with("oy")
    {
        let stem = &lemma[..lemma.len() - 1];
        (
            format!("{stem}ied"),
            format!("{lemma}ing"),
            format!("{stem}ies"),
        )
    } else if lemma.ends_with("sh")
        || lemma.ends_with("ch")
        || lemma.ends_with('s')
        || lemma.ends_with('x')
    {
        (
            format!("{lemma}ed"),
            format!("{lemma}ing"),
            format!("{lemma}es"),
        )
    } else {
        (
            format!("{lemma}ed"),
            format!("{lemma}ing"),
            format!("{lemma}s"),
        )
    };
    v.extend([ed, ing, s]);
    v
}

/// Every single-word cue form, lowercase.
pub static CUE_WORDS: Lazy<HashSet<String>> = Lazy::new(|| {
    let mut set = HashSet::new();
    for lemma in CUE_LEMMAS.split_whitespace() {
        let irregular = IRREGULAR.iter().find(|(l, _)| *l == lemma);
        match irregular {
            Some((_, forms)) => {
                set.insert(lemma.to_string());
                set.extend(forms.iter().map(|f| f.to_string()));
                // regular -s and -ing still apply ("says", "saying")
                let reg = inflections(lemma);
                set.insert(reg[2].clone());
                set.insert(reg[3].clone());
            }
            None => set.extend(inflections(lemma)),
        }
    }
    set
});

/// Verbs that report speech with a clause right after them, without "that" ("said the
/// talks failed"). Other cues need "that" before an indirect complement.
pub static BARE_COMPLEMENT: Lazy<HashSet<String>> = Lazy::new(|| {
    let mut set = HashSet::new();
    for l in [
        "say", "think", "believe", "warn", "predict", "insist", "argue", "claim", "suggest", "add",
        "note", "expect", "fear", "hope",
    ] {
        set.extend(inflections(l));
    }
    set.extend(["said", "thought", "told"].map(String::from));
    set
});

/// Verbs of the `told X that` family: an object may stand between cue and complement.
pub static OBJECT_CUES: Lazy<HashSet<String>> = Lazy::new(|| {
    let mut set = HashSet::new();
    for l in [
        "tell", "inform", "assure", "remind", "warn", "advise", "promise", "reassure", "brief",
        "notify", "caution", "convince", "persuade",
    ] {
        set.extend(inflections(l));
    }
    set.insert("told".into());
    set
});

/// Words that may stand between a subject and its cue: adverbs and auxiliaries.
pub const AUX_ADVERBS: &[&str] = &[
    "also",
    "particularly",
    "has",
    "had",
    "have",
    "was",
    "were",
    "is",
    "are",
    "then",
    "later",
    "again",
    "repeatedly",
    "reportedly",
    "once",
    "further",
    "previously",
    "recently",
    "would",
    "will",
    "did",
    "does",
    "do",
    "had",
    "publicly",
    "privately",
    "flatly",
    "firmly",
    "strongly",
    "clearly",
    "explicitly",
    "openly",
    "often",
    "frequently",
    "earlier",
    "continues",
    "continued",
    "continue",
    "to",
    "has",
    "just",
    "still",
    "even",
    "however",
    "quickly",
    "immediately",
    "emphatically",
    "angrily",
    "quietly",
    "bluntly",
    "simply",
    "may",
    "might",
    "could",
    "can",
    "should",
    "must",
    "been",
    "being",
    "not",
    "never",
    "always",
    "already",
    "yet",
    "told",
    "specifically",
    "separately",
    "additionally",
    "subsequently",
    "ultimately",
    "finally",
];

/// Capitalised title words that stand before a name ("Deputy Assistant Secretary Cooper").
pub static TITLE_WORDS: Lazy<HashSet<&'static str>> = Lazy::new(|| {
    "Mr. Mrs. Ms. Mr Mrs Ms Dr Miss Dr. Prof. Professor Sen. Senator Rep. Representative Gov. Governor Gen. General Del. Delegate \
     Col. Colonel Lt. Lieutenant Sgt. Sergeant Capt. Captain Adm. Admiral Maj. Major Rev. Reverend Hon. \
     President Vice Prime Minister Secretary Deputy Assistant Under Chief Chairman Chairwoman Chair \
     Director Ambassador Envoy Judge Justice Mayor Speaker Leader Commissioner Minister King Queen Prince \
     Princess Pope Bishop Father Sister Brother Coach Officer Detective Inspector Superintendent Chancellor \
     Premier Spokesman Spokeswoman Spokesperson Attorney Councillor Councilman Councilwoman Sheriff \
     Lord Lady Sir Dame Dean Rabbi Imam Cardinal Commander Marshal Special Senior Acting Former Executive \
     Managing Principal Head Foreign Defense Defence Finance Interior State Trade Health Economy CEO MP \
     Congressman Congresswoman Reporter Correspondent Editor Negotiator Representative Counsel Legislator \
     Emperor Empress Duke Duchess Earl Countess Baron Baroness Archbishop Sultan Sheikh Tsar"
        .split_whitespace()
        .collect()
});

/// Demonyms and other adjectives that stand before names without being one ("South Korean
/// side", "Democratic senator", "National Assembly"'s "National" alone).
pub const DEMONYMS: &[&str] = &[
    "American",
    "Korean",
    "Japanese",
    "Chinese",
    "British",
    "French",
    "German",
    "Russian",
    "Italian",
    "Spanish",
    "Canadian",
    "Mexican",
    "Indian",
    "Israeli",
    "Palestinian",
    "Iranian",
    "Iraqi",
    "Syrian",
    "Turkish",
    "Ukrainian",
    "Polish",
    "Egyptian",
    "Saudi",
    "Australian",
    "European",
    "African",
    "Asian",
    "Arab",
    "Taiwanese",
    "Vietnamese",
    "Afghan",
    "Pakistani",
    "Brazilian",
    "Cuban",
    "Greek",
    "Irish",
    "Scottish",
    "Dutch",
    "Swedish",
    "Norwegian",
    "Democrat",
    "Democratic",
    "Republican",
    "Western",
    "Eastern",
    "Northern",
    "Southern",
    "Muslim",
    "Christian",
    "Jewish",
    "Catholic",
    "Protestant",
    "Korean-American",
    "Latino",
    "Hispanic",
    "Federal",
    "National",
    "International",
    "Political-Military",
    "Peruvian",
    "Chilean",
    "Colombian",
    "Venezuelan",
    "Argentine",
    "Filipino",
    "Indonesian",
    "Malaysian",
    "Thai",
    "Nigerian",
    "Kenyan",
    "Ethiopian",
    "Lebanese",
    "Jordanian",
    "Belgian",
    "Swiss",
    "Austrian",
    "Danish",
    "Finnish",
    "Portuguese",
    "Welsh",
    "English",
];

/// Whether `w` is a title word as written, or in upper case ("GEN.", "JUSTICE": court
/// transcripts and headlines write names in capitals): `TITLE_WORDS` in its capitalised form.
pub fn is_title_word(w: &str) -> bool {
    if TITLE_WORDS.contains(w) {
        return true;
    }
    let mut cs = w.chars();
    match cs.next() {
        Some(c) if w.chars().all(|c| !c.is_lowercase()) => {
            let cap: String = std::iter::once(c)
                .chain(cs.flat_map(char::to_lowercase))
                .collect();
            // "CEO" and "MP" are in the list as written; "Ceo" is not
            TITLE_WORDS.contains(cap.as_str())
        }
        _ => false,
    }
}

/// Lower-case role nouns ("U.S. representative Donna Welton", "a doctor").
pub static ROLE_NOUNS: Lazy<HashSet<&'static str>> = Lazy::new(|| {
    "representative negotiator spokesman spokeswoman spokesperson official minister president secretary \
     ambassador envoy analyst expert professor lawmaker senator reporter correspondent director chief \
     chairman chairwoman leader member adviser advisor aide lawyer attorney doctor economist researcher \
     scientist author founder executive manager coach player candidate nominee governor mayor judge \
     prosecutor officer commander general diplomat activist spokesperson strategist consultant pollster \
     historian physician nurse teacher student resident owner worker farmer chef writer journalist editor \
     columnist host anchor commentator critic campaigner organizer organiser secretary-general mp \
     legislator congressman congresswoman councillor councilman premier chancellor envoy delegate \
     producer director actor actress singer artist musician investor banker trader partner colleague \
     friend neighbor neighbour witness victim survivor resident citizen voter supporter opponent deputy \
     head vice-president ceo chair engineer cfo coo cto president-elect politician strategist officials"
        .split_whitespace()
        .collect()
});

/// Modifiers that may stand inside a title ("former", "newly appointed", "chief").
pub const TITLE_MODIFIERS: &[&str] = &[
    "former",
    "then",
    "acting",
    "late",
    "newly",
    "appointed",
    "chief",
    "senior",
    "deputy",
    "assistant",
    "top",
    "interim",
    "vice",
    "lead",
    "principal",
    "general",
    "special",
    "current",
    "outgoing",
    "incoming",
    "longtime",
    "veteran",
    "associate",
    "executive",
    "managing",
    "junior",
    "head",
];

/// Plural or collective nouns that make a source without a name ("analysts", "officials").
pub static GROUP_NOUNS: Lazy<HashSet<&'static str>> = Lazy::new(|| {
    "analysts officials experts sources critics observers economists lawmakers investigators \
     researchers scientists diplomats aides advisers advisors residents witnesses people protesters \
     supporters opponents voters doctors police authorities prosecutors officers leaders members \
     spokesman spokeswoman spokesperson source official expert analyst critic observer statement \
     report reports study survey poll government ministry company agency administration campaign \
     committee court department office military army police party officials parents teachers \
     students workers activists organizers organisers commentators historians executives insiders \
     colleagues friends relatives family allies delegates negotiators senators representatives \
     democrats republicans conservatives liberals group groups side sides team association union \
     council board federation coalition alliance organization organisation institute agency commission \
     ministry spokespeople researchers"
        .split_whitespace()
        .collect()
});

/// Place names that act as sources or are typed GPE.
pub static PLACES: Lazy<HashSet<&'static str>> = Lazy::new(|| {
    include_str!("places.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
});

/// Last words that make a name an organisation ("Ministry", "Party", "Times").
pub static ORG_HEADS: Lazy<HashSet<&'static str>> = Lazy::new(|| {
    "Ministry Department Agency Party Inc. Inc Corp. Corp Corporation Company Co. University College \
     School Council Committee Union Bank Association Times News Post Journal Herald Tribune Telegraph \
     Guardian Service Government Commission Court Congress Senate Parliament Assembly Organization \
     Organisation Institute Foundation Group Network Administration Office Bureau Authority Board \
     Federation League Club Society Center Centre Fund Trust Press Daily Broadcasting Television Radio \
     Airlines Motors Technologies Holdings Ltd. Ltd LLC PLC Cabinet Army Navy Forces Police Command \
     Alliance Coalition Movement Front Church Hospital Industries Systems Labs Laboratories Reuters \
     Yonhap Xinhua Pentagon Kremlin Embassy Consulate Mission Secretariat Police Agency Cabinet \
     Project Programme Program Initiative Force Campaign Gazette Magazine House"
        .split_whitespace()
        .collect()
});

/// What a name's last word makes it: an organisation ([`ORG_HEADS`]) or a place
/// ([`PLACE_HEADS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameHead {
    /// "Ministry", "Congress", "Times".
    Org,
    /// "Street", "County", "Republic".
    Place,
}

/// The kind of name `w` heads, if it heads one ("Ministry" → organisation, "Street" →
/// place); organisation heads are looked up first.
pub fn name_head(w: &str) -> Option<NameHead> {
    if ORG_HEADS.contains(w) {
        Some(NameHead::Org)
    } else if PLACE_HEADS.contains(&w) {
        Some(NameHead::Place)
    } else {
        None
    }
}

/// Last words that make a name a place (typed GPE/LOC).
pub const PLACE_HEADS: &[&str] = &[
    "Islands",
    "Island",
    "Sea",
    "Strait",
    "Peninsula",
    "River",
    "Mountains",
    "Mountain",
    "Ocean",
    "Bay",
    "Gulf",
    "Lake",
    "Valley",
    "County",
    "Province",
    "City",
    "Street",
    "Avenue",
    "Boulevard",
    "Road",
    "Square",
    "Coast",
    "Desert",
    "Region",
    "District",
    "Canal",
    "Straits",
    "Heights",
    "Hills",
    "Park",
    "Airport",
    "Municipality",
    "Township",
    "Borough",
    "Prefecture",
    "Territory",
    "Republic",
    "Kingdom",
];

/// First words that make a name of several words a street, as French, Spanish, Portuguese
/// and Italian name them ("Rue Saint-Denis", "Calle Mayor"): a place, never a person.
pub const STREET_PREFIXES: &[&str] = &[
    "Rue",
    "Avenue",
    "Boulevard",
    "Calle",
    "Avenida",
    "Rua",
    "Via",
];

/// Whether a name (its words) is a street by its first word ([`STREET_PREFIXES`]).
pub fn is_street_name(name: &str) -> bool {
    name.split_once(' ')
        .is_some_and(|(w, rest)| STREET_PREFIXES.contains(&w) && !rest.trim().is_empty())
}

/// Capitalised words that are never names on their own: days, months, sentence openers.
pub static NOT_NAMES: Lazy<HashSet<&'static str>> = Lazy::new(|| {
    "The A An This That These Those It Its He She They We I You His Her Their Our My Your But And Or \
     So If When While After Before Since Although Though Because As At In On Of For From With Without \
     To By About Meanwhile However Earlier Later Today Yesterday Tomorrow Monday Tuesday Wednesday \
     Thursday Friday Saturday Sunday January February March April May June July August September \
     October November December Jan. Feb. Mar. Apr. Jun. Jul. Aug. Sep. Sept. Oct. Nov. Dec. There Here \
     What Who Whom Whose Which Why How Some Many Most Several All Both Each Every Other Another No Not \
     Yes Also Still Even Only Just Now Then Thus Hence Indeed Instead Moreover Furthermore Nevertheless \
     Nonetheless Regardless Despite During Under Over Between Among Into Through Against Within \
     According Once Until Unless Whether Let Asked Please Thank Thanks Mr Mrs Ms Dr Is Are Was Were Be \
     Has Have Had Do Does Did Will Would Can Could Should Must May Might Shall Top Close Text Size Join \
     Special Coverage Share Follow Image Photo Source Local Time Although Whereas Like Unlike Last Next \
     First Second Third New Old Former Current Recent Such Any None Neither Either Nor Where".split_whitespace().collect()
});

/// Third-person pronouns that can stand for a person, with their gender.
pub fn pronoun_gender(word: &str) -> Option<Gender> {
    match word.to_lowercase().as_str() {
        "he" | "him" | "his" | "himself" => Some(Gender::Male),
        "she" | "her" | "hers" | "herself" => Some(Gender::Female),
        _ => None,
    }
}

/// Grammatical gender of a person pronoun.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Gender {
    /// he, him, his
    Male,
    /// she, her, hers
    Female,
}

/// Honorifics that fix a person's gender.
pub static GENDERED_TITLES: Lazy<HashMap<&'static str, Gender>> = Lazy::new(|| {
    [
        ("Mr.", Gender::Male),
        ("Mr", Gender::Male),
        ("Mrs.", Gender::Female),
        ("Ms.", Gender::Female),
        ("Miss", Gender::Female),
        ("Sir", Gender::Male),
        ("Lady", Gender::Female),
        ("Dame", Gender::Female),
        ("King", Gender::Male),
        ("Queen", Gender::Female),
        ("Congressman", Gender::Male),
        ("Congresswoman", Gender::Female),
        ("Spokesman", Gender::Male),
        ("Spokeswoman", Gender::Female),
        ("Chairwoman", Gender::Female),
    ]
    .into_iter()
    .collect()
});

/// True when `lower` is a single-word cue form.
pub fn is_cue_word(lower: &str) -> bool {
    CUE_WORDS.contains(lower)
}

/// Quotation marks of every style the quote stage reads (straight, curly, low-9, guillemets).
pub const QUOTATION_MARKS: &[char] = &['"', '“', '”', '„', '«', '»'];

/// True when `c` is one of [`QUOTATION_MARKS`].
pub fn is_quote_mark(c: char) -> bool {
    QUOTATION_MARKS.contains(&c)
}

/// Personal, possessive and reflexive pronouns that can refer to a person, organisation or
/// place (a mention of that kind).
pub const ENTITY_PRONOUNS: &[&str] = &[
    "i",
    "me",
    "my",
    "mine",
    "myself",
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "he",
    "him",
    "his",
    "himself",
    "she",
    "her",
    "hers",
    "herself",
    "it",
    "its",
    "itself",
    "they",
    "them",
    "their",
    "theirs",
    "themselves",
];

/// True when `word` (any case) is one of [`ENTITY_PRONOUNS`].
pub fn is_pronoun(word: &str) -> bool {
    ENTITY_PRONOUNS.contains(&word.to_lowercase().as_str())
}

// ---- clauses (claim splitting, `stages::claims::split`) ----

/// Auxiliaries and modals: a finite verb wherever they stand (after a subject).
pub const AUXILIARIES: &[&str] = &[
    "is",
    "are",
    "was",
    "were",
    "am",
    "has",
    "have",
    "had",
    "will",
    "would",
    "can",
    "could",
    "should",
    "shall",
    "may",
    "might",
    "must",
    "does",
    "did",
    "do",
    "isn't",
    "aren't",
    "wasn't",
    "weren't",
    "hasn't",
    "haven't",
    "hadn't",
    "won't",
    "wouldn't",
    "can't",
    "cannot",
    "couldn't",
    "shouldn't",
    "doesn't",
    "didn't",
    "don't",
    "mustn't",
];

/// Words that open a subordinate or relative clause: a conjunction after one of them joins
/// parts of that clause ("said that X because Y and Z" stays one claim), so claims are not
/// split there.
pub const SUBORDINATORS: &[&str] = &[
    "because", "if", "when", "once", "although", "though", "unless", "while", "whereas", "since",
    "after", "before", "until", "whether", "which", "who", "whom", "whose", "where", "that", "so",
    "than", "as", "provided", "despite",
];

/// Words that cannot start a clause's subject: prepositions, infinitive "to", conjunctions.
pub const NOT_SUBJECT_STARTS: &[&str] = &[
    "of",
    "in",
    "on",
    "at",
    "for",
    "with",
    "about",
    "from",
    "by",
    "to",
    "into",
    "over",
    "under",
    "between",
    "among",
    "through",
    "during",
    "against",
    "without",
    "within",
    "toward",
    "towards",
    "than",
    "as",
    "and",
    "or",
    "but",
    "nor",
    "not",
    "also",
    "upon",
    "across",
    "beyond",
    "per",
    "via",
    "including",
];

/// Determiners and possessives: a word after one of them is a noun or adjective, never a
/// finite verb ("the proposed plan", "its costs").
pub const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their", "our", "my",
    "your", "every", "each", "some", "any", "no", "all", "both", "many", "several", "such",
    "another",
];

/// Subject pronouns: a word ending in "-s" or "-ed" right after one is a finite verb ("he
/// says", "they agreed").
pub const SUBJECT_PRONOUNS: &[&str] = &["i", "we", "you", "he", "she", "it", "they", "there"];

/// Sentence adverbs a clause may open with before its subject ("and again, communication
/// has never stopped").
pub const CLAUSE_ADVERBS: &[&str] = &[
    "again",
    "also",
    "then",
    "now",
    "meanwhile",
    "still",
    "yet",
    "moreover",
    "however",
    "instead",
    "already",
    "so",
    "thus",
    "therefore",
    "today",
    "later",
    "currently",
    "finally",
];

/// Irregular past tenses: finite verbs after a subject, like "-ed" words.
pub const IRREGULAR_PAST: &[&str] = &[
    "said", "told", "made", "took", "gave", "went", "came", "got", "left", "met", "held", "found",
    "kept", "won", "lost", "paid", "sent", "spent", "built", "brought", "thought", "saw", "knew",
    "became", "began", "rose", "fell", "grew", "cut", "put", "set", "hit", "ran", "wrote", "spoke",
    "chose", "led", "sold", "bought", "fought", "struck", "stood", "felt", "heard", "meant", "won",
    "drew", "threw", "shut", "broke", "sought", "taught", "caught",
];

// ---- bylines and datelines (narrative claims, `stages::claims::narrative`) ----

/// Words that name a reporter's role in a byline ("[Asia Economy Reporter Lim Cheol-young]",
/// "By Jane Roe, Staff Writer").
pub const BYLINE_ROLES: &[&str] = &[
    "Reporter",
    "Correspondent",
    "Writer",
    "Editor",
    "Journalist",
    "Columnist",
    "Contributor",
];

/// News agencies a dateline names in parentheses ("SEOUL (Reuters) -").
pub const AGENCIES: &[&str] = &[
    "Reuters",
    "AP",
    "AFP",
    "Yonhap",
    "Bloomberg",
    "UPI",
    "dpa",
    "Xinhua",
    "Kyodo",
    "CNN",
    "BBC",
];

// ---- abbreviations (the segmenter's sentence ends, the tokenizer's words) ----

/// Titles and other abbreviations after which a period never ends a sentence.
pub const ABBREV_STRONG: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "sen", "sens", "rep", "reps", "gov", "gen", "col", "lt",
    "sgt", "capt", "cmdr", "adm", "maj", "rev", "hon", "pres", "supt", "det", "insp", "messrs",
    "mt", "ft", "st", "no", "nos", "vs", "v", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "approx", "dept", "univ", "fig", "ave",
    "blvd", "rd", "cf", "al", "gens", "atty", "cpl", "pvt", "amb", "sec", "treas",
];

/// Abbreviations that may also end a sentence: a break only before a typical sentence opener.
pub const ABBREV_WEAK: &[&str] = &[
    "inc", "corp", "co", "ltd", "llc", "jr", "sr", "etc", "a.m", "p.m", "bros", "plc",
    // "state Del. Marcia Price" (Delegate) or "Wilmington, Del." (Delaware)
    "del",
];

/// A capitalised abbreviation whose period the rule tokenizer keeps in the word ("Dr.",
/// "Inc.", "Sen."): one of [`ABBREV_STRONG`] or [`ABBREV_WEAK`], written with a capital.
pub fn is_capitalised_abbreviation(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase) && {
        let lower = w.to_lowercase();
        ABBREV_STRONG.contains(&lower.as_str()) || ABBREV_WEAK.contains(&lower.as_str())
    }
}

// ---- the noun-phrase chunker (`grammar::chunker`) and cues (`grammar::cues`) ----

/// Personal pronouns that stand as a source alone (`he said`).
pub const SOURCE_PRONOUNS: &[&str] = &["he", "she", "they", "we", "i", "you"];

/// Words that open a source noun phrase as determiners or quantifiers (`the`, `several`,
/// `senior`, `two`).
pub const SOURCE_DETERMINERS: &[&str] = &[
    "the", "a", "an", "some", "many", "several", "most", "other", "two", "three", "four", "five",
    "both", "all", "one", "few", "his", "her", "their", "its", "our", "another", "various",
    "numerous", "senior", "top", "these", "those", "more", "us", "ten", "six",
];

/// Prepositions and `and` that join two noun-phrase words into one phrase (`Secretary of
/// State`, `Minister for Health`).
pub const NP_CONNECTORS: &[&str] = &["of", "for", "at", "from", "in", "and", "with", "on"];

/// Words of a time phrase that may stand between a subject and its cue.
pub const TIME_WORDS: &[&str] = &[
    "on",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "last",
    "this",
    "week",
    "month",
    "year",
    "earlier",
    "morning",
    "afternoon",
    "evening",
    "night",
    "weekend",
];

/// Words that never modify a role noun ("said spokesman", "in office").
pub const NOT_MODIFIERS: &[&str] = &[
    "and", "or", "but", "in", "on", "at", "to", "of", "for", "with", "by", "from", "as", "that",
    "which", "who", "is", "was", "were", "are", "be", "been", "has", "had", "have", "not", "it",
    "this", "than", "then", "when", "while", "if", "because", "so", "also", "told",
];

// ---- PolNeAR's span conventions (`stages::conventions`) ----

/// Words PolNeAR counts as part of a cue when they stand right before the verb ("also
/// views", "then pointed out", "is once again questioning", "now says").
pub const CUE_PREFIX: &[&str] = &[
    "also",
    "then",
    "now",
    "again",
    "once",
    "still",
    "later",
    "already",
    "previously",
    "repeatedly",
    "further",
    "just",
    "even",
    "recently",
    "is",
    "was",
    "are",
    "were",
    "has",
    "have",
    "had",
    "will",
    "would",
    "could",
    "did",
    "does",
    "do",
    "’s",
    "'s",
    "never",
];

/// Days that PolNeAR keeps in a cue right after the verb ("said Friday").
pub const CUE_DAYS: &[&str] = &[
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "today",
    "yesterday",
];

/// Prepositions that PolNeAR ends a cue with when the content follows them ("talked about",
/// "accused him of", "criticized for", "weighed in on", "railed against", "sided with"): on
/// PolNeAR train, a content follows one of these ~2,180 times and opens with one ~270 times.
pub const CUE_PREPOSITIONS: &[&str] = &["about", "of", "for", "on", "against", "with"];

/// Cue verbs that PolNeAR extends by a following "for" ("called for", "asked for").
pub const CUE_TAKES_FOR: &[&str] = &[
    "call", "calls", "called", "calling", "ask", "asks", "asked", "asking",
];

/// Articles PolNeAR counts as part of the source they stand before ("the GOP nominee").
pub const SOURCE_ARTICLES: &[&str] = &["the", "The", "a", "A", "an", "An"];

// ---- linking tagged spans (`stages::link`) ----

/// Function words that never stand alone as a content or a source ("to", "of", "the"): a
/// piece of a clause. Compared lowercased.
pub const FUNCTION_WORDS: &[&str] = &[
    "to", "of", "for", "on", "in", "at", "by", "with", "about", "a", "an", "the", "and", "or",
    "but", "as", "that", "is", "was", "be",
];

// ---- the grammar and stages' smaller lists (moved from `matches!` in their files) ----

/// Pronouns and determiners that open a reported clause after a bare cue (`said he`, `said
/// the`). Compared lowercased.
pub const CLAUSE_OPENERS: &[&str] = &[
    "he", "she", "they", "we", "i", "it", "the", "this", "there", "his", "her", "their", "its",
    "our", "a", "an", "some", "no", "both", "all", "many",
];

/// Words after a bare cue that open no reported clause: prepositions, conjunctions,
/// interjections, question words (`said on Monday`, `said goodbye`). Compared lowercased.
pub const NOT_CLAUSE_OPENERS: &[&str] = &[
    "in",
    "on",
    "at",
    "during",
    "after",
    "before",
    "to",
    "with",
    "by",
    "for",
    "of",
    "from",
    "about",
    "and",
    "but",
    "or",
    "so",
    "nothing",
    "something",
    "yes",
    "no",
    "goodbye",
    "hello",
    "sorry",
    "thanks",
    "what",
    "why",
    "how",
    "when",
    "where",
    "whether",
    "if",
    "as",
];

/// Institutional and national modifiers that belong to a source noun phrase (`White House`,
/// `state media`, `federal`, `former`). Compared lowercased.
pub const SOURCE_MODIFIERS: &[&str] = &[
    "white",
    "house",
    "state",
    "foreign",
    "defense",
    "defence",
    "military",
    "government",
    "administration",
    "campaign",
    "party",
    "company",
    "ministry",
    "press",
    "news",
    "local",
    "federal",
    "national",
    "international",
    "independent",
    "unnamed",
    "anonymous",
    "other",
    "u.s.",
    "american",
    "korean",
    "chinese",
    "japanese",
    "european",
    "democratic",
    "republican",
    "opposition",
    "ruling",
    "prominent",
    "leading",
    "outside",
    "former",
];

/// Words that never open a source noun phrase: a clause or a dummy subject (`this`, `it`,
/// `which`, `there`).
pub const NOT_SOURCE_STARTS: &[&str] = &["this", "it", "which", "that", "there", "what"];

/// Words after which a gerund cue is a verb (`by claiming`, `was saying`, `also adding`).
/// Compared lowercased.
pub const VERBAL_BEFORE_GERUND: &[&str] = &[
    "by",
    "while",
    "after",
    "before",
    "when",
    "is",
    "was",
    "were",
    "are",
    "been",
    "be",
    "am",
    "also",
    "again",
    "repeatedly",
    "publicly",
    "then",
    "in",
];

/// Words after which a cue word is a noun (`the report`, `his comments`, `no claim`).
/// Compared lowercased.
pub const NOUN_DETERMINERS: &[&str] = &[
    "the", "a", "an", "his", "her", "their", "its", "our", "my", "your", "this", "these", "those",
    "of", "no", "any", "such", "whose",
];

/// Function words that do not count as a following word when a resolved pronoun is checked
/// against what comes after it. Compared lowercased.
pub const NOT_A_NEXT_WORD: &[&str] = &[
    "and", "or", "to", "that", "in", "on", "at", "for", "with", "as", "about", "from", "by",
];

/// Relative words a tagged source is never cut after (`Paolo Rossi, whose`). Compared
/// lowercased.
pub const RELATIVE_WORDS: &[&str] = &["who", "whose", "whom", "which", "that", "where", "when"];

/// Words that, as the last before a quotation after its cue, make it a fragment of the
/// sentence (`raised the issue of "..."`, `said that "..."`). Compared lowercased.
pub const FRAGMENT_LEAD_INS: &[&str] =
    &["of", "that", "as", "the", "a", "on", "about", "for", "to"];

// ---- the stages' own lists (segment, entities, speakers) ----

/// Words that typically open a sentence, used to break after an ambiguous abbreviation.
pub const OPENER_WORDS: &[&str] = &[
    "The",
    "He",
    "She",
    "It",
    "They",
    "We",
    "I",
    "But",
    "And",
    "In",
    "A",
    "An",
    "This",
    "That",
    "There",
    "His",
    "Her",
    "Their",
    "Our",
    "On",
    "At",
    "As",
    "After",
    "When",
    "While",
    "If",
    "Meanwhile",
    "However",
    "Its",
    "These",
    "Those",
    "Some",
    "Many",
    "Since",
    "Although",
];

/// Abbreviated titles and the role noun they stand for ("Sen. Amy Klein" ... "the senator").
pub const TITLE_ROLES: &[(&str, &str)] = &[
    ("sen", "senator"),
    ("rep", "representative"),
    ("gov", "governor"),
    ("gen", "general"),
    ("dr", "doctor"),
    ("prof", "professor"),
    ("pres", "president"),
    ("del", "delegate"),
    ("amb", "ambassador"),
    ("atty", "attorney"),
];

/// Roles that are also a lawmaker ("Senator Amy Klein" ... "the lawmaker").
pub const LAWMAKERS: &[&str] = &[
    "senator",
    "representative",
    "congressman",
    "congresswoman",
    "legislator",
    "delegate",
    "mp",
];

/// Legal-form endings that make an organisation a company ("Acme Corp." ... "the company").
pub const COMPANY_ENDINGS: &[&str] = &[
    "company",
    "corp",
    "corporation",
    "inc",
    "co",
    "ltd",
    "llc",
    "plc",
    "group",
    "holdings",
];

pub const NAME_CONNECTORS: &[&str] = &[
    "of", "for", "de", "da", "van", "von", "bin", "al", "la", "le", "del", "der", "the", "du",
    "dos", "el",
];

/// Heads of names that are neither people, organisations nor places (treaties, events).
pub const OTHER_HEADS: &[&str] = &[
    "Agreement",
    "Act",
    "Treaty",
    "War",
    "Summit",
    "Election",
    "Olympics",
    "Day",
    "Cup",
    "Award",
    "Prize",
    "Conference",
    "Program",
    "Programme",
    "Plan",
    "Initiative",
    "Index",
    "Law",
    "Accord",
    "Games",
    "Festival",
    "Bill",
    "Amendment",
    "Convention",
    "Protocol",
    "Policy",
    "Crisis",
    "Pandemic",
    "Affairs",
    "Measures",
];

/// Words that join the parts of a name ("Bank of America") but never end one.
pub const NAME_JOINERS: [&str; 6] = ["of", "for", "and", "&", "the", "-"];

#[cfg(test)]
mod tests {
    #[test]
    fn one_abbreviation_list_serves_the_tokenizer_and_the_segmenter() {
        for (w, want) in [
            ("Sen", true),
            ("Inc", true),
            ("Messrs", true),
            ("sen", false),
            ("Senate", false),
        ] {
            assert_eq!(super::is_capitalised_abbreviation(w), want, "{w}");
        }
        let toks = crate::grammar::tokens::tokenize(
            "Messrs. Lee and Roe",
            crate::span::ByteSpan::new(0, 19),
        );
        assert_eq!(toks[0].text("Messrs. Lee and Roe"), "Messrs.");
    }

    use super::*;

    #[test]
    fn lexicon_has_hundreds_of_cues_with_their_forms() {
        assert!(CUE_WORDS.len() > 800, "{}", CUE_WORDS.len());
        for w in [
            "said",
            "says",
            "saying",
            "told",
            "sighed",
            "reiterated",
            "emphasized",
            "admitted",
            "quipped",
            "replied",
            "noting",
            "adding",
            "suggest",
        ] {
            assert!(is_cue_word(w), "{w}");
        }
        assert!(!is_cue_word("table"));
    }

    #[test]
    fn places_are_loaded() {
        for p in ["South Korea", "U.S.", "Japan", "Seoul", "Taiwan"] {
            assert!(PLACES.contains(p), "{p}");
        }
    }

    #[test]
    fn title_words_as_written_and_in_capitals() {
        for (w, title) in [
            ("Justice", true),
            ("JUSTICE", true),
            ("GEN.", true),
            ("Ms", true),
            ("Dr", true),
            ("CEO", true),
            ("justice", false),
            ("Prelogar", false),
            ("PRELOGAR", false),
            ("", false),
        ] {
            assert_eq!(is_title_word(w), title, "{w}");
        }
    }
}

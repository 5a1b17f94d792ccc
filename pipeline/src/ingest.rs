//! Reading articles: `.txt`, `.html`/`.htm`, `.jsonl` files, directories (recursively, in
//! sorted order) and JSONL on stdin.
//!
//! Every failure to read or decode an article becomes a [`StageError`] for that article only.
//! The text of a `.txt` article is exactly the file's content (CRLF and all); the text of an
//! HTML article is its extracted body, paragraphs separated by blank lines.

use crate::document::Meta;
use crate::stage::{ErrorKind, StageError};
use scraper::{ElementRef, Html, Node, Selector};
use std::path::{Path, PathBuf};

/// Where one article comes from, before it is read.
#[derive(Clone, Debug)]
pub enum Source {
    /// A plain text file: one article, id = file stem.
    Text(PathBuf),
    /// An HTML file: one article, id = file stem.
    Html(PathBuf),
    /// One line of a JSONL file or of stdin.
    JsonLine {
        /// Where the line came from (path or `-`).
        origin: String,
        /// 1-based line number.
        line: usize,
        /// The line, or why it could not be read.
        raw: Result<Vec<u8>, StageError>,
        /// The article's id when the line could not be read whole but its first bytes name
        /// it (a line over the length limit).
        id: Option<String>,
    },
    /// A path that could not be listed or opened.
    Unreadable {
        /// The path as given.
        path: PathBuf,
        /// Why.
        error: StageError,
    },
}

/// An article ready for the stages.
#[derive(Clone, Debug)]
pub struct Article {
    /// Its id.
    pub id: String,
    /// Its text.
    pub text: String,
    /// Its metadata.
    pub meta: Meta,
    /// What a person should know about how it was read (both `text` and `html` given...),
    /// for stderr; never in the record.
    pub notes: Vec<String>,
}

fn stem(p: &Path) -> String {
    p.file_stem().map_or_else(
        || p.display().to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

fn ext(p: &Path) -> String {
    p.extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default()
}

/// Expands paths into sources, in the order given; directories recursively in sorted order,
/// keeping only `.txt`, `.html`, `.htm` and `.jsonl` files inside them. A named file with
/// another extension is read as text. What was left out (a file inside a folder that is not
/// a regular file, a directory reached twice through links) is listed by
/// [`collect_sources_noting`]; this drops the list.
pub fn collect_sources(paths: &[PathBuf]) -> Vec<Source> {
    collect_sources_noting(paths, DEFAULT_MAX_LINE).0
}

/// The longest JSONL line read by [`collect_sources`]: 6 × the default 4 MiB article limit
/// (JSON escapes can take six bytes per character) plus room for the other fields.
pub const DEFAULT_MAX_LINE: usize = 6 * (4 << 20) + (64 << 10);

/// [`collect_sources`], with JSONL lines longer than `max_line` bytes turned into
/// `too_large` records, and the notes of what was left out, for stderr: the sources of
/// [`plan_sources`], read.
pub fn collect_sources_noting(paths: &[PathBuf], max_line: usize) -> (Vec<Source>, Vec<String>) {
    let (planned, notes) = plan_sources(paths, false);
    (SourceStream::new(planned, max_line).collect(), notes)
}

/// The files [`collect_sources`] would read under `paths`, without reading any (to check
/// them before anything is opened).
pub fn list_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    plan_sources(paths, false)
        .0
        .into_iter()
        .filter_map(|p| match p {
            Planned::Jsonl(p) => Some(p),
            Planned::Ready(Source::Text(p) | Source::Html(p)) => Some(p),
            Planned::Ready(Source::Unreadable { path, .. }) => Some(path),
            Planned::Ready(Source::JsonLine { .. }) | Planned::Stdin => None,
        })
        .collect()
}

/// A file's identity (device, inode), to tell the same file or folder reached by two paths.
#[cfg(unix)]
pub fn file_key(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

/// A file's identity: unknown off Unix.
#[cfg(not(unix))]
pub fn file_key(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// The source of one file that is not a folder or a JSONL file (those are planned by
/// [`add_path_planned`]): inside a folder only a regular `.txt`, `.html` or `.htm` file
/// counts (a FIFO would block the run, a device never end: skipped and said); a file named
/// on the command line is read whatever it is (through the size limit).
fn file_source(p: &Path, named: bool, notes: &mut Vec<String>) -> Option<Source> {
    if let Ok(m) = std::fs::metadata(p) {
        if !named && !m.is_file() {
            if matches!(ext(p).as_str(), "txt" | "html" | "htm") {
                notes.push(format!("skipped {}: not a regular file", p.display()));
            }
            return None;
        }
    }
    match ext(p).as_str() {
        "html" | "htm" => Some(Source::Html(p.to_path_buf())),
        "txt" => Some(Source::Text(p.to_path_buf())),
        _ if named => Some(Source::Text(p.to_path_buf())),
        _ => None,
    }
}

/// Splits JSONL bytes into one source per non-blank line.
pub fn json_lines(origin: &str, bytes: &[u8]) -> Vec<Source> {
    read_json_lines(origin, bytes, usize::MAX)
}

/// How far past `max_line` a line is read, looking for its end, before the rest of the input
/// is given up (a stream without newlines, such as `/dev/zero`, must not be read forever).
const GIVE_UP_FACTOR: usize = 4;

/// Reads JSONL from `r` into one source per non-blank line, streaming: a line longer than
/// `max_line` bytes is not kept but becomes a `too_large` source (with the id its first bytes
/// name, when they do); when no newline comes within `GIVE_UP_FACTOR` × `max_line` more bytes,
/// the rest of the input becomes one `too_large` source and is not read. A UTF-8 byte order
/// mark before the first line is dropped; a read error ends the input with a `read` source.
pub fn read_json_lines(origin: &str, r: impl std::io::Read, max_line: usize) -> Vec<Source> {
    JsonLines::new(origin, r, max_line).collect()
}

/// [`read_json_lines`] as an iterator: one line in memory at a time.
pub struct JsonLines<R> {
    origin: String,
    r: std::io::BufReader<R>,
    max_line: usize,
    n: usize,
    done: bool,
    numbered: bool,
}

/// The longest `N<TAB>` prefix a numbered line may carry, in bytes (20 digits and the tab).
const MAX_NUMBER_PREFIX: usize = 21;

/// Splits a numbered line's `N<TAB>` prefix off `line`: the line number `N` (1 or more) and
/// the prefix's length in bytes, or `None` when the line does not start so.
fn line_number(line: &[u8]) -> Option<(usize, usize)> {
    let tab = line
        .iter()
        .take(MAX_NUMBER_PREFIX)
        .position(|&b| b == b'\t')?;
    let digits = &line[..tab];
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n: usize = std::str::from_utf8(digits).ok()?.parse().ok()?;
    (n >= 1).then_some((n, tab + 1))
}

impl<R: std::io::Read> JsonLines<R> {
    /// Lines of `r`, named `origin` in messages.
    pub fn new(origin: &str, r: R, max_line: usize) -> Self {
        JsonLines {
            origin: origin.to_string(),
            r: std::io::BufReader::with_capacity(1 << 16, r),
            max_line,
            n: 0,
            done: false,
            numbered: false,
        }
    }

    /// Lines carry their number: each starts with `N<TAB>`, where `N` is the line's number in
    /// the whole input of which this stream is a part (an engine such as Spark splits a file
    /// and numbers its lines). `N` is the line number of the source, so a line without an
    /// `"id"` gets the id it would get from the whole file; the prefix is not part of the
    /// article. A line without the prefix becomes a `parse` error source.
    pub fn numbered(mut self, yes: bool) -> Self {
        self.numbered = yes;
        self
    }

    fn line_source(
        &self,
        line: usize,
        raw: Result<Vec<u8>, StageError>,
        id: Option<String>,
    ) -> Source {
        Source::JsonLine {
            origin: self.origin.clone(),
            line,
            raw,
            id,
        }
    }
}

impl<R: std::io::Read> Iterator for JsonLines<R> {
    type Item = Source;

    fn next(&mut self) -> Option<Source> {
        use std::io::BufRead;
        let keep_head = 4096;
        let max_line = self.max_line;
        while !self.done {
            self.n += 1;
            let n = self.n;
            let mut line = Vec::new();
            let (mut len, mut ended, mut eof) = (0usize, false, false);
            // a numbered line's prefix does not count against the line limit
            let room = if self.numbered {
                max_line.saturating_add(MAX_NUMBER_PREFIX)
            } else {
                max_line
            };
            while !ended {
                let buf = match self.r.fill_buf() {
                    Ok(b) => b,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => {
                        self.done = true;
                        let msg = format!("{} line {n}: cannot read: {e}", self.origin);
                        return Some(self.line_source(
                            n,
                            Err(StageError::new(ErrorKind::Read, msg)),
                            None,
                        ));
                    }
                };
                if buf.is_empty() {
                    eof = true;
                    break;
                }
                let (take, nl) = match buf.iter().position(|&b| b == b'\n') {
                    Some(k) => (k + 1, true),
                    None => (buf.len(), false),
                };
                let body = &buf[..take - usize::from(nl)];
                if len + body.len() <= room {
                    line.extend_from_slice(body);
                } else if line.len() < keep_head {
                    let rest = keep_head - line.len();
                    line.extend_from_slice(&body[..body.len().min(rest)]);
                }
                len += body.len();
                ended = nl;
                self.r.consume(take);
                if !ended && len > room.saturating_mul(GIVE_UP_FACTOR + 1) {
                    self.done = true;
                    let (number, k) = self.number_of(&line, n);
                    let msg = format!("{} line {number}: over {} bytes without a line end (the line limit is {max_line}); the rest of this input is not read", self.origin, len - k);
                    let id = leading_id(&String::from_utf8_lossy(&line[k..]));
                    return Some(self.line_source(
                        number,
                        Err(StageError::new(ErrorKind::TooLarge, msg)),
                        id,
                    ));
                }
            }
            if eof {
                self.done = true;
                if len == 0 {
                    return None;
                }
            }
            if !(line.iter().any(|b| !b.is_ascii_whitespace()) || len > line.len()) {
                continue;
            }
            let (number, k) = if self.numbered {
                match line_number(&line) {
                    Some(found) => found,
                    None => {
                        let msg = format!("{} line {n}: does not start with its line number and a tab (--numbered-lines)", self.origin);
                        return Some(self.line_source(
                            n,
                            Err(StageError::new(ErrorKind::Parse, msg)),
                            None,
                        ));
                    }
                }
            } else {
                (n, 0)
            };
            line.drain(..k);
            len -= k;
            if number == 1 && line.starts_with("\u{feff}".as_bytes()) {
                line.drain(..3);
                len -= 3;
            }
            if !(line.iter().any(|b| !b.is_ascii_whitespace()) || len > line.len()) {
                continue;
            }
            if len > max_line {
                let msg = format!("{} line {number}: the line is {len} bytes, over the {max_line}-byte line limit (raise it with --max-bytes)", self.origin);
                let id = leading_id(&String::from_utf8_lossy(&line));
                return Some(self.line_source(
                    number,
                    Err(StageError::new(ErrorKind::TooLarge, msg)),
                    id,
                ));
            }
            return Some(self.line_source(number, Ok(line), None));
        }
        None
    }
}

impl<R> JsonLines<R> {
    /// The line number and prefix length of a line's head (`n` and 0 when not numbered or
    /// when the head carries no number).
    fn number_of(&self, head: &[u8], n: usize) -> (usize, usize) {
        match self.numbered.then(|| line_number(head)).flatten() {
            Some(found) => found,
            None => (n, 0),
        }
    }
}

/// An input before it is read: an article source, or a JSONL file or stdin still to be read
/// line by line.
#[derive(Debug)]
pub enum Planned {
    /// A source ready to load.
    Ready(Source),
    /// A JSONL file, read a line at a time when its turn comes.
    Jsonl(PathBuf),
    /// JSONL on standard input.
    Stdin,
}

/// The inputs of `paths` (and stdin first, when `stdin`) as [`Planned`] entries, in order,
/// without reading any article, with the notes of what was left out (as
/// [`collect_sources_noting`]).
pub fn plan_sources(paths: &[PathBuf], stdin: bool) -> (Vec<Planned>, Vec<String>) {
    let mut out = Vec::new();
    if stdin {
        out.push(Planned::Stdin);
    }
    let mut notes = Vec::new();
    for p in paths {
        // per named path: a folder named twice is read twice, as asked; within one walk a
        // folder reached again through a link is not
        let mut visited = std::collections::HashSet::new();
        add_path_planned(p, true, &mut visited, &mut out, &mut notes);
    }
    (out, notes)
}

/// Plans one path: a folder walked in sorted order (once per walk, whatever links lead back
/// to it), a JSONL file left to be read line by line, any other file through [`file_source`].
fn add_path_planned(
    p: &Path,
    named: bool,
    visited: &mut std::collections::HashSet<(u64, u64)>,
    out: &mut Vec<Planned>,
    notes: &mut Vec<String>,
) {
    let meta = std::fs::metadata(p).ok();
    let is_dir = meta.as_ref().is_some_and(|m| m.is_dir());
    if ext(p) == "jsonl" && !is_dir {
        match &meta {
            Some(m) if !named && !m.is_file() => {
                notes.push(format!("skipped {}: not a regular file", p.display()))
            }
            _ => out.push(Planned::Jsonl(p.to_path_buf())),
        }
        return;
    }
    if is_dir {
        if let Some(key) = meta.as_ref().and_then(file_key) {
            if !visited.insert(key) {
                notes.push(format!(
                    "skipped {}: a folder already read (a directory link loops back)",
                    p.display()
                ));
                return;
            }
        }
        match std::fs::read_dir(p) {
            Ok(rd) => {
                let mut children: Vec<PathBuf> =
                    rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
                children.sort();
                for c in children {
                    add_path_planned(&c, false, visited, out, notes);
                }
            }
            Err(e) => out.push(Planned::Ready(Source::Unreadable {
                path: p.to_path_buf(),
                error: read_error(p, &e),
            })),
        }
        return;
    }
    out.extend(file_source(p, named, notes).map(Planned::Ready));
}

/// The sources of planned inputs, read lazily: a JSONL file is opened when its turn comes
/// and read a line at a time, so memory holds one chunk of articles, not the batch.
pub struct SourceStream {
    planned: std::collections::VecDeque<Planned>,
    current: Option<JsonLines<Box<dyn std::io::Read + Send>>>,
    max_line: usize,
    numbered: bool,
}

impl SourceStream {
    /// Streams `planned`, with JSONL lines over `max_line` bytes refused.
    pub fn new(planned: Vec<Planned>, max_line: usize) -> Self {
        SourceStream {
            planned: planned.into(),
            current: None,
            max_line,
            numbered: false,
        }
    }

    /// Every JSONL line (stdin's and files') carries its number: see [`JsonLines::numbered`].
    pub fn numbered(mut self, yes: bool) -> Self {
        self.numbered = yes;
        self
    }
}

impl Iterator for SourceStream {
    type Item = Source;

    fn next(&mut self) -> Option<Source> {
        loop {
            if let Some(lines) = &mut self.current {
                if let Some(s) = lines.next() {
                    return Some(s);
                }
                self.current = None;
            }
            match self.planned.pop_front()? {
                Planned::Ready(s) => return Some(s),
                Planned::Stdin => {
                    self.current = Some(
                        JsonLines::new(
                            "-",
                            Box::new(std::io::stdin()) as Box<dyn std::io::Read + Send>,
                            self.max_line,
                        )
                        .numbered(self.numbered),
                    )
                }
                Planned::Jsonl(p) => match std::fs::File::open(&p) {
                    Ok(f) => {
                        self.current = Some(
                            JsonLines::new(
                                &p.display().to_string(),
                                Box::new(f) as Box<dyn std::io::Read + Send>,
                                self.max_line,
                            )
                            .numbered(self.numbered),
                        )
                    }
                    Err(e) => {
                        return Some(Source::Unreadable {
                            error: read_error(&p, &e),
                            path: p,
                        })
                    }
                },
            }
        }
    }
}

/// The `"id"` a JSONL line's first bytes give, when they give one (for the record of a line
/// too long to parse).
fn leading_id(head: &str) -> Option<String> {
    static ID: once_cell::sync::Lazy<regex::Regex> = once_cell::sync::Lazy::new(|| {
        regex::Regex::new(r#"^\s*\{\s*"id"\s*:\s*(?:"((?:[^"\\]|\\.)*)"|(-?[0-9][0-9.eE+-]*))"#)
            .unwrap()
    });
    let c = ID.captures(head)?;
    match (c.get(1), c.get(2)) {
        (Some(s), _) => serde_json::from_str::<String>(&format!("\"{}\"", s.as_str())).ok(),
        (_, Some(n)) => Some(n.as_str().to_string()),
        _ => None,
    }
}

fn read_error(p: &Path, e: &std::io::Error) -> StageError {
    StageError::new(ErrorKind::Read, format!("cannot read {}: {e}", p.display()))
}

impl Source {
    /// The id the article's record will carry, known before reading it.
    pub fn id(&self) -> String {
        match self {
            Source::Text(p) | Source::Html(p) => stem(p),
            Source::Unreadable { path, .. } => stem(path),
            Source::JsonLine { id: Some(id), .. } => id.clone(),
            Source::JsonLine { origin, line, .. } => format!("{}:{line}", stem(Path::new(origin))),
        }
    }

    /// Where the article comes from: the path (or `-`) and, for a JSONL line, its number
    /// (0 for a whole file).
    pub fn origin(&self) -> (&str, usize) {
        match self {
            Source::Text(p) | Source::Html(p) | Source::Unreadable { path: p, .. } => {
                (p.to_str().unwrap_or("?"), 0)
            }
            Source::JsonLine { origin, line, .. } => (origin.as_str(), *line),
        }
    }

    /// Reads and decodes the article.
    ///
    /// # Errors
    /// `read`, `binary`, `encoding`, `empty`, `too_large` or `parse` errors for this article,
    /// with the id its record carries (the JSONL `id` when the line parsed that far).
    pub fn load(&self, max_bytes: usize) -> Result<Article, (String, StageError)> {
        self.load_inner(max_bytes)
            .map_err(|(id, e)| (id.unwrap_or_else(|| self.id()), e))
    }

    fn load_inner(&self, max_bytes: usize) -> Result<Article, (Option<String>, StageError)> {
        let plain = |e: StageError| (None, e);
        match self {
            Source::Unreadable { error, .. } => Err(plain(error.clone())),
            Source::Text(p) => {
                let bytes = read_limited(p, max_bytes).map_err(plain)?;
                let text = decode(&bytes, &p.display().to_string()).map_err(plain)?;
                Ok(Article {
                    id: stem(p),
                    text,
                    meta: Meta::default(),
                    notes: Vec::new(),
                })
            }
            Source::Html(p) => {
                let bytes = read_limited(p, max_bytes).map_err(plain)?;
                let html = decode(&bytes, &p.display().to_string()).map_err(plain)?;
                let (text, title) = html_to_text(&html);
                nonempty(&text, &p.display().to_string()).map_err(plain)?;
                Ok(Article {
                    id: stem(p),
                    text,
                    meta: Meta {
                        title,
                        ..Meta::default()
                    },
                    notes: Vec::new(),
                })
            }
            Source::JsonLine {
                origin, line, raw, ..
            } => {
                let raw = raw.as_ref().map_err(|e| plain(e.clone()))?;
                let at = format!("{origin} line {line}");
                // the limit is on the article's text, not on its escaped JSON: only a line
                // far over it (six bytes a character) is refused unparsed
                let max_line = max_bytes.saturating_mul(6).saturating_add(64 << 10);
                if raw.len() > max_line {
                    let id = leading_id(&String::from_utf8_lossy(&raw[..raw.len().min(4096)]));
                    return Err((id, too_large(raw.len(), max_line, &at)));
                }
                let s = std::str::from_utf8(raw).map_err(|e| {
                    plain(StageError::new(
                        ErrorKind::Encoding,
                        format!("{at}: not UTF-8 at byte {}", e.valid_up_to()),
                    ))
                })?;
                parse_json_article(s, &at, &self.id(), max_bytes)
            }
        }
    }
}

fn too_large(n: usize, max: usize, at: &str) -> StageError {
    StageError::new(ErrorKind::TooLarge, format!("{at}: {n} bytes is over the {max}-byte article limit (news articles are far smaller; split the file or raise the limit with --max-bytes)"))
}

/// Reads at most `max_bytes` + 1 bytes of `p`, whatever it is (a device or a FIFO has no
/// length to check first), and refuses it when there were more.
fn read_limited(p: &Path, max_bytes: usize) -> Result<Vec<u8>, StageError> {
    use std::io::Read;
    let f = std::fs::File::open(p).map_err(|e| read_error(p, &e))?;
    let len = f
        .metadata()
        .ok()
        .filter(|m| m.is_file())
        .map(|m| m.len() as usize);
    if let Some(n) = len.filter(|&n| n > max_bytes) {
        return Err(too_large(n, max_bytes, &p.display().to_string()));
    }
    let mut bytes = Vec::new();
    f.take(max_bytes as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_error(p, &e))?;
    if bytes.len() > max_bytes {
        return Err(StageError::new(
            ErrorKind::TooLarge,
            format!("{}: more than {max_bytes} bytes, over the article limit (a device or a stream that does not end?)", p.display()),
        ));
    }
    Ok(bytes)
}

/// Bytes → text, refusing binary files, invalid UTF-8 and empty articles.
fn decode(bytes: &[u8], at: &str) -> Result<String, StageError> {
    let head = &bytes[..bytes.len().min(8192)];
    // UTF-16 (a byte order mark, or NULs in every other byte of text) is text in another
    // encoding, not a binary file
    let bom16 = head.starts_with(&[0xff, 0xfe]) || head.starts_with(&[0xfe, 0xff]);
    let pairs = head.len() / 2;
    let zeros_at = |k: usize| head.iter().skip(k).step_by(2).filter(|&&b| b == 0).count();
    if bom16 || (pairs >= 4 && (zeros_at(0) * 10 >= pairs * 9 || zeros_at(1) * 10 >= pairs * 9)) {
        return Err(StageError::new(
            ErrorKind::Encoding,
            format!("{at}: UTF-16 text, not UTF-8 (convert it, e.g. `iconv -f utf-16 -t utf-8`)"),
        ));
    }
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    // a NUL anywhere (not only in the first 8 KiB) is refused, as in JSONL texts
    if bytes.contains(&0) || controls * 20 > head.len().max(1) {
        return Err(StageError::new(
            ErrorKind::Binary,
            format!("{at}: looks like a binary file, not an article"),
        ));
    }
    let s = std::str::from_utf8(bytes).map_err(|e| {
        StageError::new(
            ErrorKind::Encoding,
            format!(
                "{at}: not UTF-8 at byte {} (convert it, e.g. `iconv -f latin1 -t utf-8`)",
                e.valid_up_to()
            ),
        )
    })?;
    let s = s.strip_prefix('\u{feff}').unwrap_or(s);
    nonempty(s, at)?;
    Ok(s.to_string())
}

fn nonempty(s: &str, at: &str) -> Result<(), StageError> {
    if s.trim().is_empty() {
        return Err(StageError::new(
            ErrorKind::Empty,
            format!("{at}: the article has no text"),
        ));
    }
    Ok(())
}

fn parse_json_article(
    s: &str,
    at: &str,
    fallback_id: &str,
    max_bytes: usize,
) -> Result<Article, (Option<String>, StageError)> {
    let early = |e: StageError| (None, e);
    let v: serde_json::Value = serde_json::from_str(s).map_err(|e| {
        early(StageError::new(
            ErrorKind::Parse,
            format!("{at}: invalid JSON: {e}"),
        ))
    })?;
    let obj = v.as_object().ok_or_else(|| {
        early(StageError::new(
            ErrorKind::Parse,
            format!("{at}: expected a JSON object with \"id\" and \"text\" or \"html\""),
        ))
    })?;
    // a numeric id as written ("1.5e3" stays "1.5e3", not serde's "1500.0")
    #[derive(serde::Deserialize)]
    struct RawId<'a> {
        #[serde(borrow)]
        id: Option<&'a serde_json::value::RawValue>,
    }
    let raw_id = serde_json::from_str::<RawId>(s).ok().and_then(|r| r.id);
    let id = match obj.get("id") {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Number(n)) => {
            raw_id.map_or_else(|| n.to_string(), |r| r.get().trim().to_string())
        }
        _ => fallback_id.to_string(),
    };
    let fail = |e: StageError| (Some(id.clone()), e);
    let field = |k: &str| obj.get(k).and_then(|v| v.as_str()).map(str::to_string);
    let mut meta = Meta {
        url: field("url"),
        title: field("title"),
        published: field("published"),
    };
    let mut notes = Vec::new();
    let kind_of = |v: &serde_json::Value| match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    };
    for k in ["text", "html"] {
        if let Some(v) = obj.get(k).filter(|v| !v.is_string()) {
            return Err(fail(StageError::new(
                ErrorKind::Parse,
                format!("{at}: \"{k}\" is {}, not a string", kind_of(v)),
            )));
        }
    }
    let text = if let Some(t) = field("text") {
        if obj.contains_key("html") {
            notes.push(format!(
                "{at}: both \"text\" and \"html\" given; \"text\" is analysed, \"html\" ignored"
            ));
        }
        t
    } else if let Some(h) = field("html") {
        let (t, title) = html_to_text(&h);
        if meta.title.is_none() {
            meta.title = title;
        }
        t
    } else {
        return Err(fail(StageError::new(
            ErrorKind::Parse,
            format!("{at}: the object has neither \"text\" nor \"html\""),
        )));
    };
    if text.len() > max_bytes {
        return Err(fail(too_large(text.len(), max_bytes, at)));
    }
    if text.contains('\0') {
        return Err(fail(StageError::new(
            ErrorKind::Binary,
            format!("{at}: the text holds NUL bytes"),
        )));
    }
    nonempty(&text, at).map_err(fail)?;
    Ok(Article {
        id,
        text,
        meta,
        notes,
    })
}

/// Elements whose text is never article body.
const SKIP: &[&str] = &[
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "noscript",
    "form",
    "button",
    "iframe",
    "svg",
    "template",
    "textarea",
    "select",
    "menu",
    "head",
    "object",
    "video",
    "audio",
    "canvas",
];
/// Elements that end a paragraph.
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "section",
    "article",
    "br",
    "tr",
    "pre",
    "ul",
    "ol",
    "dd",
    "dt",
    "main",
    "table",
    "hr",
    "xmp",
];
/// class/id fragments of navigation, sharing, captions and ads.
const SKIP_CLASS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "share",
    "social",
    "caption",
    "advert",
    "promo",
    "related",
    "breadcrumb",
    "cookie",
    "newsletter",
    "sidebar",
    "byline",
    "subscribe",
];

/// The article body of an HTML document as paragraphs separated by blank lines, and its
/// title. Uses a real HTML parser (html5ever through scraper).
pub fn html_to_text(html: &str) -> (String, Option<String>) {
    let html = flatten_deep(html, MAX_HTML_DEPTH);
    let doc = Html::parse_document(&html);
    let title = Selector::parse("title")
        .ok()
        .and_then(|s| doc.select(&s).next())
        .map(|t| collapse(&t.text().collect::<String>()))
        .filter(|t| !t.is_empty());
    // an <article> inside a <template> is not shown: the root is never under one
    let shown = |e: &ElementRef| {
        !e.ancestors().any(|a| {
            a.value()
                .as_element()
                .is_some_and(|x| x.name() == "template")
        })
    };
    let root = ["article", "main", "[role=main]", "body"]
        .iter()
        .filter_map(|s| Selector::parse(s).ok())
        .find_map(|s| doc.select(&s).find(shown))
        .unwrap_or_else(|| doc.root_element());
    let mut paras: Vec<String> = Vec::new();
    let mut cur = String::new();
    walk(root, &mut cur, &mut paras);
    flush(&mut cur, &mut paras);
    if paras.is_empty() {
        // a page whose whole body is in <noscript> (shown without scripts): read it there
        if let Ok(sel) = Selector::parse("noscript") {
            for n in doc.select(&sel).filter(shown) {
                // html5ever keeps <noscript> content as text when scripting is on: parse it
                let inner: String = n.text().collect();
                let frag = Html::parse_fragment(&flatten_deep(&inner, MAX_HTML_DEPTH));
                walk(frag.root_element(), &mut cur, &mut paras);
                flush(&mut cur, &mut paras);
            }
        }
    }
    (paras.join("\n\n"), title)
}

fn flush(cur: &mut String, paras: &mut Vec<String>) {
    let t = collapse(cur);
    if !t.is_empty() {
        paras.push(t);
    }
    cur.clear();
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Collects the text under `root`, paragraph by paragraph. Iterative (an explicit stack of
/// the next child to visit at each open element), so no nesting depth can overflow the
/// thread's stack: a stack overflow aborts the process, which no `catch_unwind` can contain.
fn walk(root: ElementRef, cur: &mut String, paras: &mut Vec<String>) {
    // (next child to visit, whether the element ends a paragraph)
    let mut stack = vec![(root.first_child(), false)];
    while let Some(top) = stack.last_mut() {
        let Some(child) = top.0 else {
            if let Some((_, true)) = stack.pop() {
                flush(cur, paras);
            }
            continue;
        };
        top.0 = child.next_sibling();
        match child.value() {
            Node::Text(t) => cur.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIP.contains(&name) {
                    continue;
                }
                let marker = e.attr("class").unwrap_or("").to_lowercase()
                    + " "
                    + &e.attr("id").unwrap_or("").to_lowercase();
                if marker.split(|c: char| !c.is_alphanumeric()).any(|w| {
                    SKIP_CLASS
                        .iter()
                        .any(|s| w == *s || w.starts_with(&format!("{s}-")))
                }) {
                    continue;
                }
                let block = BLOCK.contains(&name);
                if block {
                    flush(cur, paras);
                }
                stack.push((child.first_child(), block));
            }
            _ => {}
        }
    }
}

/// The deepest element nesting handed to the HTML parser. html5ever checks the stack of open
/// elements for every tag, so its work grows with depth × tags: 100,000 nested `<div>`s took
/// minutes. Past this depth (news pages stay under 60), tags are dropped and their text kept.
pub const MAX_HTML_DEPTH: usize = 512;

/// Elements that never hold others (no end tag).
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];
/// Elements whose end tag HTML lets a page leave out (the parser closes them itself): not
/// counted as nesting, so a page of unclosed `<p>`s is not "deep".
const SELF_CLOSING: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "colgroup", "caption", "rb", "rt", "rp", "rtc",
];
/// Elements whose content is raw text (no tags inside).
const RAW_TEXT: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// `html` with every element nested deeper than `max` unwrapped: its start and end tags
/// dropped, its text kept; `html` itself when nothing is that deep. Depth is counted over
/// start and end tags as written (comments, raw-text contents, void elements and elements
/// whose end tag may be left out do not count), which is what bounds the parser's work.
pub fn flatten_deep(html: &str, max: usize) -> std::borrow::Cow<'_, str> {
    let b = html.as_bytes();
    // (start, end, depth change) of every tag, and the deepest depth reached
    let mut tags: Vec<(usize, usize, i8)> = Vec::new();
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut i = 0;
    let find = |from: usize, pat: &[u8]| {
        b[from.min(b.len())..]
            .windows(pat.len())
            .position(|w| w.eq_ignore_ascii_case(pat))
            .map(|k| from + k)
    };
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if b[i..].starts_with(b"<!--") {
            i = find(i + 4, b"-->").map_or(b.len(), |k| k + 3);
            continue;
        }
        let close = b.get(i + 1) == Some(&b'/');
        let n0 = i + 1 + usize::from(close);
        if !b.get(n0).is_some_and(u8::is_ascii_alphabetic) {
            if matches!(b.get(i + 1), Some(b'!' | b'?')) {
                i = find(i, b">").map_or(b.len(), |k| k + 1);
            } else {
                i += 1;
            }
            continue;
        }
        let mut n1 = n0;
        while n1 < b.len() && !b[n1].is_ascii_whitespace() && b[n1] != b'/' && b[n1] != b'>' {
            n1 += 1;
        }
        let name = html[n0..n1].to_ascii_lowercase();
        // the end of the tag, past quoted attribute values
        let mut j = n1;
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let end = (j + 1).min(b.len());
        let self_closed = j > 0 && b.get(j - 1) == Some(&b'/');
        // raw-text elements are leaves: never counted, never dropped (their content is not
        // article text)
        let counts = !VOID.contains(&name.as_str())
            && !SELF_CLOSING.contains(&name.as_str())
            && !RAW_TEXT.contains(&name.as_str());
        if close {
            if counts {
                tags.push((i, end, -1));
                depth = depth.saturating_sub(1);
            }
        } else if counts && !self_closed {
            depth += 1;
            deepest = deepest.max(depth);
            tags.push((i, end, 1));
        }
        i = end;
        if !close && RAW_TEXT.contains(&name.as_str()) {
            let closing = format!("</{name}");
            i = find(i, closing.as_bytes()).unwrap_or(b.len());
        }
    }
    if deepest <= max {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len());
    let (mut at, mut depth) = (0usize, 0usize);
    for (start, end, change) in tags {
        let drop = if change > 0 {
            depth += 1;
            depth > max
        } else {
            let deep = depth > max;
            depth = depth.saturating_sub(1);
            deep
        };
        if drop {
            out.push_str(&html[at..start]);
            at = end;
        }
    }
    out.push_str(&html[at..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_body_without_navigation_scripts_and_captions() {
        let html = r#"<html><head><title>Talks stall</title><script>var x = "said";</script></head>
<body><nav><a href="/">Home</a> <a>World</a></nav>
<article><h1>Talks stall</h1><p>Officials said the talks <b>stalled</b>.</p>
<figure><img src="a.jpg"><figcaption>A photo caption</figcaption></figure>
<div class="share-buttons">Share on X</div>
<p>“We will return,” she said.</p></article><footer>© 2020</footer></body></html>"#;
        let (text, title) = html_to_text(html);
        assert_eq!(title.as_deref(), Some("Talks stall"));
        assert_eq!(
            text,
            "Talks stall\n\nOfficials said the talks stalled.\n\n“We will return,” she said."
        );
    }

    #[test]
    fn bad_bytes_are_errors_of_the_right_kind() {
        assert_eq!(
            decode(b"\x00\x01\x02binary", "f").unwrap_err().kind,
            ErrorKind::Binary
        );
        assert_eq!(
            decode(b"caf\xe9 au lait", "f").unwrap_err().kind,
            ErrorKind::Encoding
        );
        assert_eq!(decode(b" \n\r\n ", "f").unwrap_err().kind, ErrorKind::Empty);
        assert_eq!(decode("Olá\r\n".as_bytes(), "f").unwrap(), "Olá\r\n");
        let (_, e) = parse_json_article("{\"id\": 1", "x", "x:1", 1 << 20).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Parse);
        let (id, _) = parse_json_article("{\"id\": \"j3\"}", "x", "x:1", 1 << 20).unwrap_err();
        assert_eq!(id.as_deref(), Some("j3"));
        let a = parse_json_article(
            r#"{"id": 7, "text": "Hi there.", "url": "u"}"#,
            "x",
            "x:1",
            1 << 20,
        )
        .unwrap();
        assert_eq!((a.id.as_str(), a.meta.url.as_deref()), ("7", Some("u")));
    }

    #[test]
    fn deep_nesting_is_flattened_past_the_limit_and_kept_below() {
        let cases: &[(&str, usize, usize)] = &[
            // (opening tags, their count, how many survive a limit of 4)
            ("<div>", 10, 4),
            ("<b>", 10, 4),
            ("<section class=\"a>b\">", 6, 4),
            ("<p>", 10, 10), // end tag optional: never "deep"
        ];
        for &(open, n, kept) in cases {
            let html = format!(
                "{}text<!-- <div> --><script>if (a < b) {{}}</script>",
                open.repeat(n)
            );
            let flat = flatten_deep(&html, 4);
            let tag = &open[..open.find([' ', '>']).unwrap()];
            assert_eq!(
                flat.matches(tag).count() - usize::from(tag == "<div"),
                kept,
                "{open}: {flat}"
            );
            assert!(
                flat.contains("text") && flat.contains("<script>if (a < b) {}</script>"),
                "{flat}"
            );
        }
        let shallow = "<div><div><p>Hi</p></div></div>";
        assert!(matches!(
            flatten_deep(shallow, 4),
            std::borrow::Cow::Borrowed(_)
        ));
        let (text, _) = html_to_text(&format!("{}<p>Deep.</p>", "<div>".repeat(50_000)));
        assert_eq!(text, "Deep.");
    }

    #[test]
    fn jsonl_lines_stream_with_a_length_limit() {
        let input = b"\xef\xbb\xbf{\"id\": \"a\"}\n\n{\"id\": \"long\", \"text\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}\n{\"id\": 3}";
        let got = read_json_lines("t", &input[..], 40);
        let ids: Vec<String> = got.iter().map(Source::id).collect();
        assert_eq!(ids, vec!["t:1", "long", "t:4"]);
        match &got[0] {
            Source::JsonLine { raw: Ok(l), .. } => assert_eq!(l, b"{\"id\": \"a\"}"),
            other => panic!("{other:?}"),
        }
        assert!(
            matches!(&got[1], Source::JsonLine { raw: Err(e), .. } if e.kind == ErrorKind::TooLarge)
        );
        // an endless line: given up after GIVE_UP_FACTOR x the limit, not read forever
        let endless = std::io::repeat(b'x');
        let got = read_json_lines("z", endless, 1000);
        assert_eq!(got.len(), 1);
        assert!(
            matches!(&got[0], Source::JsonLine { raw: Err(e), .. } if e.message.contains("not read"))
        );
    }
    /// An engine splits a JSONL file and numbers its lines: the parts, read numbered, give
    /// the sources of the whole file (ids, line numbers, errors), part by part.
    #[test]
    fn numbered_lines_read_as_the_whole_file_reads_them() {
        let lines: [&[u8]; 7] = [
            b"\xef\xbb\xbf{\"text\": \"First.\"}",
            b"",
            b"{\"id\": \"b\", \"text\": \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"}",
            b"not json",
            b"   ",
            b"{\"text\": \"Fifth.\"}",
            b"{\"id\": 7, \"text\": \"Seventh.\"}",
        ];
        let whole: Vec<u8> = lines.join(&b'\n');
        let want = format!("{:?}", read_json_lines("f", &whole[..], 40));
        for cut in 0..=lines.len() {
            let mut got = Vec::new();
            for (from, part) in [(0, &lines[..cut]), (cut, &lines[cut..])] {
                let numbered: Vec<u8> = part
                    .iter()
                    .enumerate()
                    .flat_map(|(k, l)| {
                        let mut v = format!("{}\t", from + k + 1).into_bytes();
                        v.extend_from_slice(l);
                        v.push(b'\n');
                        v
                    })
                    .collect();
                got.extend(JsonLines::new("f", &numbered[..], 40).numbered(true));
            }
            assert_eq!(format!("{got:?}"), want, "cut after line {cut}");
        }
        // a line without its number is a parse error of that line, not the end of the input
        let got: Vec<Source> = JsonLines::new("f", &b"{}\n2\t{\"text\": \"x\"}\n"[..], 40)
            .numbered(true)
            .collect();
        assert_eq!(got.len(), 2);
        assert!(
            matches!(&got[0], Source::JsonLine { raw: Err(e), .. } if e.kind == ErrorKind::Parse),
            "{got:?}"
        );
        assert_eq!(got[1].id(), "f:2");
        for (head, want) in [
            (&b"12\t{"[..], Some((12, 3))),
            (b"0\t{", None),
            (b"\t{", None),
            (b"1 2\t{", None),
            (b"{\"a\":\"\t\"}", None),
        ] {
            assert_eq!(line_number(head), want, "{}", String::from_utf8_lossy(head));
        }
    }
}

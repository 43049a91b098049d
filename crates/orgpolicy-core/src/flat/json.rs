//! JSON text straight to the flat encoding, for the npm package's text input.
//!
//! `Engine.load(text)` used to go JSON text → `JSON.parse` → a walk over the
//! parsed objects → the flat form: two passes in JS and a heap of short-lived
//! objects for the collector. This tokenizer writes the flat form from the
//! UTF-8 bytes in one pass and allocates two buffers. It is a validator as
//! well (RFC 8259 grammar, `serde_json`'s messages) and is iterative, so
//! nesting costs heap, never stack.
//!
//! serde_json is not used for this in the package: its deserializer would
//! add more to the module than the size budget has room for.

use super::{ARRAY, FALSE, NULL, NUMBER, OBJECT, STRING, TRUE, words};
use crate::parse::ParseError;
use crate::problem::{Problem, ProblemCode};

/// Nesting deeper than this is refused, as the JS walker refuses it.
pub const MAX_DEPTH: usize = 1000;

/// A flattened value that owns its buffers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Flattened {
    pub words: Vec<u32>,
    pub text: String,
}

impl Flattened {
    pub fn flat(&self) -> super::Flat<'_> {
        super::Flat::new(&self.words, &self.text)
    }
}

/// Tokenizes JSON text into the flat encoding. A syntax error is an
/// `invalid_json` problem at the root, saying where, as `serde_json` says it.
pub fn from_json(json: &str) -> Result<Flattened, ParseError> {
    let mut tokenizer = Tokenizer {
        json,
        bytes: json.as_bytes(),
        at: 0,
        out: Flattened {
            // Typical documents: a word per 5 bytes, strings most of the text.
            words: Vec::with_capacity(json.len() / 5),
            text: String::with_capacity(json.len()),
        },
    };
    match tokenizer.document() {
        Ok(()) => Ok(tokenizer.out),
        Err(what) => Err(tokenizer.error(what)),
    }
}

struct Tokenizer<'a> {
    json: &'a str,
    bytes: &'a [u8],
    at: usize,
    out: Flattened,
}

/// An open array or object: where its length word is and how many items or
/// entries it has so far.
struct Open {
    length_word: usize,
    count: u32,
    object: bool,
}

type Step = Result<(), &'static str>;

/// Bytes that end a run of plain string characters: `"`, `\\` and the
/// control characters, which JSON strings must escape.
#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time, where an out-of-range index cannot build"
)]
const STOPS_STRING: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// How many bytes of `bytes` come before the first that ends a run of
/// plain string content (`"`, `\\` or a control character): eight bytes at
/// a time, then byte by byte.
fn plain_run(bytes: &[u8]) -> usize {
    words::position(
        bytes,
        |word| words::below(word, 0x20) | words::equal(word, b'"') | words::equal(word, b'\\'),
        |byte| STOPS_STRING.get(usize::from(byte)) == Some(&true),
    )
    .unwrap_or(bytes.len())
}

impl Tokenizer<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Step {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(what)
        }
    }

    fn document(&mut self) -> Step {
        let mut open: Vec<Open> = Vec::new();
        'value: loop {
            self.skip_whitespace();
            match self.peek() {
                None => return Err("EOF while parsing a value"),
                Some(bracket @ (b'{' | b'[')) => {
                    if open.len() >= MAX_DEPTH {
                        return Err("nesting deeper than 1000 levels");
                    }
                    self.at += 1;
                    let object = bracket == b'{';
                    self.out.words.push(if object { OBJECT } else { ARRAY });
                    open.push(Open {
                        length_word: self.out.words.len(),
                        count: 0,
                        object,
                    });
                    self.out.words.push(0);
                    self.skip_whitespace();
                    let close = if object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.at += 1;
                        open.pop();
                    } else {
                        if object {
                            self.key()?;
                        }
                        continue 'value;
                    }
                }
                Some(b'"') => {
                    self.at += 1;
                    self.out.words.push(STRING);
                    self.string()?;
                }
                Some(b't') => self.literal(b"true", TRUE)?,
                Some(b'f') => self.literal(b"false", FALSE)?,
                Some(b'n') => self.literal(b"null", NULL)?,
                Some(b'-' | b'0'..=b'9') => self.number()?,
                Some(_) => return Err("expected value"),
            }
            // A value is complete: count it, then close what ends here.
            loop {
                let Some(top) = open.last_mut() else {
                    break 'value;
                };
                top.count = top.count.saturating_add(1);
                self.skip_whitespace();
                let close = if top.object { b'}' } else { b']' };
                match self.peek() {
                    Some(b',') => {
                        self.at += 1;
                        self.skip_whitespace();
                        if matches!(self.peek(), Some(b']' | b'}')) {
                            return Err("trailing comma");
                        }
                        if top.object {
                            self.key()?;
                        }
                        continue 'value;
                    }
                    Some(byte) if byte == close => {
                        self.at += 1;
                        if let Some(word) = self.out.words.get_mut(top.length_word) {
                            *word = top.count;
                        }
                        open.pop();
                    }
                    Some(_) if top.object => return Err("expected `,` or `}`"),
                    Some(_) => return Err("expected `,` or `]`"),
                    None if top.object => return Err("EOF while parsing an object"),
                    None => return Err("EOF while parsing a list"),
                }
            }
        }
        self.skip_whitespace();
        if self.at < self.bytes.len() {
            return Err("trailing characters");
        }
        Ok(())
    }

    /// An object key and its colon; the key is written as a string without
    /// a tag, as the encoding has it.
    fn key(&mut self) -> Step {
        match self.peek() {
            Some(b'"') => self.at += 1,
            None => return Err("EOF while parsing an object"),
            Some(_) => return Err("key must be a string"),
        }
        self.string()?;
        self.skip_whitespace();
        match self.peek() {
            None => Err("EOF while parsing an object"),
            _ => self.expect(b':', "expected `:`"),
        }
    }

    fn literal(&mut self, word: &'static [u8], tag: u32) -> Step {
        let end = self.at + word.len();
        match self.bytes.get(self.at..end) {
            Some(found) if found == word => {
                self.at = end;
                self.out.words.push(tag);
                Ok(())
            }
            _ => {
                // Point at the first byte that differs, as serde_json does.
                let same = self
                    .bytes
                    .get(self.at..)
                    .unwrap_or_default()
                    .iter()
                    .zip(word)
                    .take_while(|(a, b)| a == b)
                    .count();
                self.at += same;
                if self.at >= self.bytes.len() {
                    Err("EOF while parsing a value")
                } else {
                    Err("expected ident")
                }
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while let Some(b'0'..=b'9') = self.peek() {
            self.at += 1;
        }
        self.at - start
    }

    /// A number, checked against JSON's grammar and kept as its text.
    fn number(&mut self) -> Step {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek() {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return Err("invalid number"),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err("invalid number");
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err("invalid number");
            }
        }
        self.out.words.extend([NUMBER, 0]);
        self.out
            .text
            .push_str(self.json.get(start..self.at).unwrap_or_default());
        self.out.text.push('\0');
        Ok(())
    }

    /// The rest of a string after its opening quote: its NUL count word and
    /// its text, unescaped and NUL-terminated.
    fn string(&mut self) -> Step {
        let count_word = self.out.words.len();
        self.out.words.push(0);
        let mut nuls = 0u32;
        loop {
            let start = self.at;
            let run = plain_run(self.bytes.get(start..).unwrap_or_default());
            self.at = start + run;
            // The run stops only at ASCII bytes, so it is whole characters.
            if let Some(run) = self.json.get(start..self.at) {
                self.out.text.push_str(run);
            }
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    break;
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self.escape()?;
                    if escaped == '\0' {
                        nuls = nuls.saturating_add(1);
                    }
                    self.out.text.push(escaped);
                }
                Some(_) => {
                    return Err("control character (\\u0000-\\u001F) found while parsing a string");
                }
                None => return Err("EOF while parsing a string"),
            }
        }
        self.out.text.push('\0');
        if let Some(word) = self.out.words.get_mut(count_word) {
            *word = nuls;
        }
        Ok(())
    }

    /// The character an escape (after its backslash) stands for.
    fn escape(&mut self) -> Result<char, &'static str> {
        let Some(byte) = self.peek() else {
            return Err("EOF while parsing a string");
        };
        self.at += 1;
        Ok(match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                match unit {
                    0xD800..=0xDBFF => {
                        if self.bytes.get(self.at..self.at + 2) != Some(b"\\u") {
                            return Err("lone leading surrogate in hex escape");
                        }
                        self.at += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return Err("lone leading surrogate in hex escape");
                        }
                        let code = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
                        char::from_u32(code).ok_or("invalid unicode code point")?
                    }
                    0xDC00..=0xDFFF => return Err("lone trailing surrogate in hex escape"),
                    _ => char::from_u32(unit).ok_or("invalid unicode code point")?,
                }
            }
            _ => return Err("invalid escape"),
        })
    }

    fn hex4(&mut self) -> Result<u32, &'static str> {
        let mut value = 0;
        for _ in 0..4 {
            let digit = match self.peek() {
                Some(byte @ b'0'..=b'9') => byte - b'0',
                Some(byte @ b'a'..=b'f') => byte - b'a' + 10,
                Some(byte @ b'A'..=b'F') => byte - b'A' + 10,
                Some(_) => return Err("invalid escape"),
                None => return Err("EOF while parsing a string"),
            };
            value = value * 16 + u32::from(digit);
            self.at += 1;
        }
        Ok(value)
    }

    /// The problem for a syntax error where the tokenizer stopped, with
    /// serde_json's ` at line L column C`.
    fn error(&self, what: &str) -> ParseError {
        let seen = self
            .bytes
            .get(..self.at.min(self.bytes.len()))
            .unwrap_or_default();
        let line = 1 + seen.iter().filter(|&&byte| byte == b'\n').count();
        let line_start = seen
            .iter()
            .rposition(|&byte| byte == b'\n')
            .map_or(0, |newline| newline + 1);
        let column = seen.len() - line_start + 1;
        ParseError {
            problem: Problem::error(
                ProblemCode::InvalidJson,
                "",
                format!("{what} at line {line} column {column}"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn json_value() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::Value;
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<u64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            any::<String>().prop_map(Value::String),
            "[\"\\\\\\u{0}-\\u{1f}\\u{7f}é𝄞 ]{0,8}".prop_map(Value::String),
        ];
        leaf.prop_recursive(6, 64, 8, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::btree_map(any::<String>(), inner, 0..6)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Compact and pretty JSON text tokenizes to what `encode` gives for
        /// the parsed value.
        #[test]
        fn tokenizes_as_encode_flattens(value in json_value()) {
            let (words, text) = super::super::encode(&value);
            let expected = Flattened { words, text };
            let compact = serde_json::to_string(&value).unwrap();
            prop_assert_eq!(from_json(&compact).unwrap(), expected.clone());
            let pretty = serde_json::to_string_pretty(&value).unwrap();
            prop_assert_eq!(from_json(&pretty).unwrap(), expected);
        }

        /// Whatever the text, the tokenizer answers (no panic) and accepts
        /// exactly what serde_json accepts, nesting limits aside.
        #[test]
        fn accepts_what_serde_json_accepts(text in "[\\[\\]{}\",:0-9eE.+\\-a-z\\\\ \\n]{0,40}") {
            let ours = from_json(&text);
            let theirs = serde_json::from_str::<serde_json::Value>(&text);
            // serde_json parses numbers to f64 and refuses infinite ones;
            // the tokenizer keeps a number's text and does not parse it.
            prop_assume!(!theirs.as_ref().is_err_and(|error| error.to_string().starts_with("number out of range")));
            prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: {:?} vs {:?}", text, ours, theirs);
        }
    }

    #[test]
    fn syntax_errors_say_what_and_where() {
        let cases = [
            ("", "EOF while parsing a value at line 1 column 1"),
            (
                "{\"roles\": [",
                "EOF while parsing a value at line 1 column 12",
            ),
            ("[1,]", "trailing comma at line 1 column 4"),
            ("{\"a\" 1}", "expected `:` at line 1 column 6"),
            ("{1: 2}", "key must be a string at line 1 column 2"),
            ("[1 2]", "expected `,` or `]` at line 1 column 4"),
            ("{\"a\": 1 \"b\"}", "expected `,` or `}` at line 1 column 9"),
            ("{} {}", "trailing characters at line 1 column 4"),
            ("roles: admin", "expected value at line 1 column 1"),
            ("nul", "EOF while parsing a value at line 1 column 4"),
            ("nulx", "expected ident at line 1 column 4"),
            ("\n  tru", "EOF while parsing a value at line 2 column 6"),
            ("\"\\x\"", "invalid escape at line 1 column 4"),
            (
                "\"\\ud800\"",
                "lone leading surrogate in hex escape at line 1 column 8",
            ),
            (
                "\"a\u{1}\"",
                "control character (\\u0000-\\u001F) found while parsing a string at line 1 column 3",
            ),
            ("01", "trailing characters at line 1 column 2"),
            ("-", "invalid number at line 1 column 2"),
            ("1.e3", "invalid number at line 1 column 3"),
        ];
        for (text, message) in cases {
            let error = from_json(text).unwrap_err();
            assert_eq!(error.problem.code, ProblemCode::InvalidJson, "{text:?}");
            assert_eq!(error.problem.path, "", "{text:?}");
            assert_eq!(error.problem.message, message, "{text:?}");
        }
    }

    #[test]
    fn nesting_is_bounded_without_recursion() {
        let deep = |depth: usize| "[".repeat(depth) + &"]".repeat(depth);
        assert!(from_json(&deep(MAX_DEPTH)).is_ok());
        let error = from_json(&deep(MAX_DEPTH + 1)).unwrap_err();
        assert!(
            error
                .problem
                .message
                .starts_with("nesting deeper than 1000 levels")
        );
        // Far past the limit: refused at the limit, the rest never read.
        assert!(from_json(&"[".repeat(1_000_000)).is_err());
    }

    #[test]
    fn plain_runs_stop_where_the_byte_table_says() {
        let mut samples: Vec<Vec<u8>> = Vec::new();
        for len in 0..20 {
            for stop in [
                b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xff,
            ] {
                for at in 0..=len {
                    let mut bytes = vec![b'a'; len];
                    bytes.insert(at, stop);
                    samples.push(bytes);
                }
            }
        }
        // Bytes just above a stop must not borrow into a false stop below it.
        samples.push(vec![0x21, 0x20, 0x23, 0x5d, 0x5b, 0x01, b'a', b'a', b'"']);
        samples.push((0u8..=255).rev().collect());
        for bytes in samples {
            let expected = bytes
                .iter()
                .position(|&byte| STOPS_STRING[usize::from(byte)])
                .unwrap_or(bytes.len());
            assert_eq!(plain_run(&bytes), expected, "{bytes:?}");
        }
    }

    #[test]
    fn strings_keep_escapes_and_nuls() {
        let flat = from_json(r#"{"a\u0000b": "\ud834\udd1e\n\"\\\/"}"#).unwrap();
        assert_eq!(flat.words, vec![OBJECT, 1, 1, STRING, 0]);
        assert_eq!(flat.text, "a\0b\0\u{1d11e}\n\"\\/\0");
    }
}

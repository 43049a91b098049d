//! Reading documents from a *flattened* JSON value: its shape as `u32` words
//! and its strings as one text. The npm package turns a JS value into this
//! form in JS (one walk, no JSON text, no per-field boundary call) and reads
//! it here, so the wasm module carries no serde deserializer at all: that is
//! most of what keeps it small.
//!
//! The readers answer exactly as [`crate::parse`] does for the same value:
//! the same codes, JSON pointers and (serde's) messages. A test compares the
//! two on generated documents, and the scenario corpus runs both.
//!
//! # Encoding
//! Words, depth first:
//! - `NULL`, `FALSE`, `TRUE`: the tag alone.
//! - `NUMBER n`, `STRING n`: a string follows in the text (the number's JSON
//!   text for `NUMBER`); `n` is how many NUL characters it holds.
//! - `ARRAY len`: `len` values follow.
//! - `OBJECT len`: `len` entries follow, each `n` (a key's NUL count, its
//!   text in the text) then a value.
//!
//! The text is every string in order, each followed by a NUL, so a string
//! holding `n` NULs spans `n + 1` NUL-terminated pieces.

mod json;

pub use json::{Flattened, MAX_DEPTH, from_json};

use crate::model::{
    AuthorizationCheck, EmailImplicitRoleAssignment, MemberRoles, OrganizationPolicy, Permission,
    Policy, Resource, Role, Scope, ScopeSubject, SsoRoleAssignment, Subject,
};
use crate::parse::{OrganizationPolicyDocument, ParseError, PolicyDocument};
use crate::problem::{Problem, ProblemCode, escape_pointer_token};

/// Byte-wise tests eight bytes at a time, for the scans over text that
/// loading spends its time in.
pub(crate) mod words {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;

    /// The eight bytes at `at`, as a little-endian word. Read through a
    /// reference to an array, not copied out: `copy_from_slice` stays a
    /// function call in the package's size-optimised wasm.
    #[inline(always)]
    pub(crate) fn at(bytes: &[u8], at: usize) -> Option<u64> {
        bytes
            .get(at..at + 8)
            .and_then(|chunk| <&[u8; 8]>::try_from(chunk).ok())
            .map(|&chunk| u64::from_le_bytes(chunk))
    }

    /// The high bit of each byte of `word` equal to `byte`. Exact for the
    /// lowest one; a borrow can mark bytes above it.
    #[inline(always)]
    pub(crate) fn equal(word: u64, byte: u8) -> u64 {
        let word = word ^ (ONES * u64::from(byte));
        word.wrapping_sub(ONES) & !word & HIGHS
    }

    /// The high bit of each byte of `word` below `bound` (at most 0x80),
    /// exact for the lowest one.
    #[inline(always)]
    pub(crate) fn below(word: u64, bound: u8) -> u64 {
        word.wrapping_sub(ONES * u64::from(bound)) & !word & HIGHS
    }

    /// The index of the lowest marked byte.
    #[inline(always)]
    pub(crate) fn first(marks: u64) -> usize {
        (marks.trailing_zeros() / 8) as usize
    }

    /// The index of the first byte of `bytes` that `stops`: eight bytes
    /// at a time through `marks` (which must mark exactly the lowest
    /// stopping byte of a word), then the tail byte by byte.
    #[inline(always)]
    pub(crate) fn position(
        bytes: &[u8],
        marks: impl Fn(u64) -> u64,
        stops: impl Fn(u8) -> bool,
    ) -> Option<usize> {
        let mut offset = 0;
        while let Some(word) = at(bytes, offset) {
            let marked = marks(word);
            if marked != 0 {
                return Some(offset + first(marked));
            }
            offset += 8;
        }
        bytes
            .get(offset..)?
            .iter()
            .position(|&byte| stops(byte))
            .map(|index| offset + index)
    }

    /// The index of the first NUL in `bytes`.
    pub(crate) fn find_nul(bytes: &[u8]) -> Option<usize> {
        position(bytes, |word| equal(word, 0), |byte| byte == 0)
    }
}

pub const NULL: u32 = 0;
pub const FALSE: u32 = 1;
pub const TRUE: u32 = 2;
pub const NUMBER: u32 = 3;
pub const STRING: u32 = 4;
pub const ARRAY: u32 = 5;
pub const OBJECT: u32 = 6;

/// A flattened value: see the module documentation.
#[derive(Debug, Clone, Copy)]
pub struct Flat<'a> {
    pub words: &'a [u32],
    pub text: &'a str,
}

impl<'a> Flat<'a> {
    pub fn new(words: &'a [u32], text: &'a str) -> Self {
        Self { words, text }
    }

    /// Reads the whole value as `T`.
    pub fn read<T: FromFlat>(self) -> Result<T, ParseError> {
        let mut reader = Reader {
            words: self.words,
            at: 0,
            text: self.text,
            offset: 0,
        };
        let value = T::read(&mut reader).map_err(Failure::into_parse_error)?;
        if reader.at == reader.words.len() {
            Ok(value)
        } else {
            Err(Failure::malformed().into_parse_error())
        }
    }

    /// A project policy, bare or in the API's `{policy}` wrapper.
    pub fn policy(self) -> Result<PolicyDocument, ParseError> {
        self.read()
    }

    /// An organization policy, bare or in the API's `{org_policy}` wrapper.
    pub fn organization_policy(self) -> Result<OrganizationPolicyDocument, ParseError> {
        self.read()
    }

    /// `{organizationId: {roles}}`, in document order.
    pub fn organization_policies(self) -> Result<Vec<(String, OrganizationPolicy)>, ParseError> {
        self.read::<OrganizationPolicies>()
            .map(|policies| policies.0)
    }
}

/// Why reading stopped: a problem and the path to it, innermost segment
/// first (built while unwinding, so reading that succeeds pays nothing).
#[derive(Debug)]
pub struct Failure(Box<FailureInner>);

#[derive(Debug)]
struct FailureInner {
    code: ProblemCode,
    message: String,
    reversed_path: Vec<String>,
}

impl Failure {
    fn new(code: ProblemCode, message: String) -> Self {
        Self(Box::new(FailureInner {
            code,
            message,
            reversed_path: Vec::new(),
        }))
    }

    fn malformed() -> Self {
        Self::new(
            ProblemCode::InvalidJson,
            "the value's encoding is malformed".to_owned(),
        )
    }

    /// A required field is absent (serde's message).
    pub fn missing_field(name: &str) -> Self {
        Self::new(ProblemCode::MissingField, format!("missing field `{name}`"))
    }

    fn within(mut self, token: String) -> Self {
        self.0.reversed_path.push(token);
        self
    }

    fn into_parse_error(self) -> ParseError {
        let FailureInner {
            code,
            message,
            reversed_path,
        } = *self.0;
        let mut path = String::new();
        for token in reversed_path.iter().rev() {
            path.push('/');
            path.push_str(token);
        }
        ParseError {
            problem: Problem::error(code, path, message),
        }
    }
}

type Read<T> = Result<T, Failure>;

/// A cursor over a flattened value.
#[derive(Debug)]
pub struct Reader<'a> {
    words: &'a [u32],
    at: usize,
    text: &'a str,
    offset: usize,
}

impl<'a> Reader<'a> {
    fn word(&mut self) -> Read<u32> {
        let word = *self.words.get(self.at).ok_or_else(Failure::malformed)?;
        self.at += 1;
        Ok(word)
    }

    fn peek(&self) -> Read<u32> {
        self.words
            .get(self.at)
            .copied()
            .ok_or_else(Failure::malformed)
    }

    /// The next string of the text, holding `nuls` NUL characters.
    fn text_of(&mut self, nuls: u32) -> Read<&'a str> {
        let rest = self
            .text
            .get(self.offset..)
            .ok_or_else(Failure::malformed)?;
        let mut end = 0;
        for _ in 0..=nuls {
            end += rest
                .as_bytes()
                .get(end..)
                .and_then(words::find_nul)
                .ok_or_else(Failure::malformed)?
                + 1;
        }
        let piece = rest.get(..end - 1).ok_or_else(Failure::malformed)?;
        self.offset += end;
        Ok(piece)
    }

    /// What the next value is, as serde names it in "invalid type" messages.
    fn unexpected(&mut self) -> Read<String> {
        Ok(match self.word()? {
            NULL => "null".to_owned(),
            FALSE => "boolean `false`".to_owned(),
            TRUE => "boolean `true`".to_owned(),
            NUMBER => {
                let nuls = self.word()?;
                let number = self.text_of(nuls)?;
                let integer = number.strip_prefix('-').unwrap_or(number);
                if !integer.is_empty() && integer.bytes().all(|byte| byte.is_ascii_digit()) {
                    format!("integer `{number}`")
                } else {
                    format!("floating point `{number}`")
                }
            }
            STRING => {
                let nuls = self.word()?;
                format!("string {}", debug_quoted(self.text_of(nuls)?))
            }
            ARRAY => "sequence".to_owned(),
            OBJECT => "map".to_owned(),
            _ => return Err(Failure::malformed()),
        })
    }

    fn invalid_type(&mut self, expected: &str) -> Failure {
        match self.unexpected() {
            Ok(unexpected) => Failure::new(
                ProblemCode::InvalidType,
                format!("invalid type: {unexpected}, expected {expected}"),
            ),
            Err(failure) => failure,
        }
    }

    /// Skips one value, however deep (without recursion).
    fn skip(&mut self) -> Read<()> {
        // Open containers: (is an object, entries or items left).
        let mut open: Vec<(bool, u32)> = Vec::new();
        loop {
            match self.word()? {
                NULL | FALSE | TRUE => {}
                NUMBER | STRING => {
                    let nuls = self.word()?;
                    self.text_of(nuls)?;
                }
                ARRAY => open.push((false, self.word()?)),
                OBJECT => open.push((true, self.word()?)),
                _ => return Err(Failure::malformed()),
            }
            // Move to the next value to skip, reading an object's key first.
            loop {
                let Some((is_object, left)) = open.last_mut() else {
                    return Ok(());
                };
                if *left == 0 {
                    open.pop();
                    continue;
                }
                *left -= 1;
                if *is_object {
                    let nuls = self.word()?;
                    self.text_of(nuls)?;
                }
                break;
            }
        }
    }

    /// A string.
    pub fn string(&mut self) -> Read<String> {
        if self.peek()? != STRING {
            return Err(self.invalid_type("a string"));
        }
        self.at += 1;
        let nuls = self.word()?;
        Ok(self.text_of(nuls)?.to_owned())
    }

    /// A string or `null`.
    pub fn optional_string(&mut self) -> Read<Option<String>> {
        if self.peek()? == NULL {
            self.at += 1;
            return Ok(None);
        }
        self.string().map(Some)
    }

    /// `null` or a value.
    pub fn optional<T>(&mut self, read: impl FnOnce(&mut Self) -> Read<T>) -> Read<Option<T>> {
        if self.peek()? == NULL {
            self.at += 1;
            return Ok(None);
        }
        read(self).map(Some)
    }

    /// An array, each item read by `item`.
    pub fn seq<T>(&mut self, mut item: impl FnMut(&mut Self) -> Read<T>) -> Read<Vec<T>> {
        let mut items = Vec::new();
        self.each(&mut |reader| {
            items.push(item(reader)?);
            Ok(())
        })?;
        Ok(items)
    }

    /// The loop of [`Reader::seq`], not generic: one copy in the module
    /// whatever the item type (the wasm size budget counts copies).
    fn each(&mut self, item: &mut dyn FnMut(&mut Self) -> Read<()>) -> Read<()> {
        if self.peek()? != ARRAY {
            return Err(self.invalid_type("a sequence"));
        }
        self.at += 1;
        let len = self.word()?;
        for index in 0..len {
            item(self).map_err(|failure| failure.within(index.to_string()))?;
        }
        Ok(())
    }

    /// An object: `field` reads the value of each key it knows and answers
    /// `false` for the others, which are skipped. `expected` names the value
    /// in a type error ("an object", "a map").
    /// Not generic, like [`Reader::seq`]'s loop.
    pub fn object(
        &mut self,
        expected: &str,
        field: &mut dyn FnMut(&mut Self, &str) -> Read<bool>,
    ) -> Read<()> {
        if self.peek()? != OBJECT {
            return Err(self.invalid_type(expected));
        }
        self.at += 1;
        let entries = self.word()?;
        for _ in 0..entries {
            let nuls = self.word()?;
            let key = self.text_of(nuls)?;
            let known =
                field(self, key).map_err(|failure| failure.within(escape_pointer_token(key)))?;
            if !known {
                self.skip()?;
            }
        }
        Ok(())
    }
}

/// A type read from a flattened value.
pub trait FromFlat: Sized {
    fn read(reader: &mut Reader<'_>) -> Read<Self>;
}

impl FromFlat for String {
    fn read(reader: &mut Reader<'_>) -> Read<Self> {
        reader.string()
    }
}

impl<T: FromFlat> FromFlat for Vec<T> {
    fn read(reader: &mut Reader<'_>) -> Read<Self> {
        reader.seq(T::read)
    }
}

/// A required field's value, or serde's "missing field" failure.
pub fn required<T>(value: Option<T>, name: &str) -> Read<T> {
    value.ok_or_else(|| Failure::missing_field(name))
}

/// Implements [`FromFlat`] for an object type: `required` fields must be
/// present; `defaulted` ones default when absent. `null_as_empty` fields read
/// `null` as an empty string. A field read twice keeps the last value.
/// The type must implement `Default`.
#[macro_export]
macro_rules! object_reader {
    ($ty:ident {
        $(required: $($required:ident),*;)?
        $(defaulted: $($defaulted:ident),*;)?
        $(null_as_empty: $($nullable:ident),*;)?
    }) => {
        impl $crate::flat::FromFlat for $ty {
            fn read(
                reader: &mut $crate::flat::Reader<'_>,
            ) -> ::std::result::Result<Self, $crate::flat::Failure> {
                use $crate::flat::FromFlat;
                $($(let mut $required = None;)*)?
                let mut value = $ty::default();
                reader.object("an object", &mut |reader, key| {
                    match key {
                        $($(stringify!($required) => $required = Some(FromFlat::read(reader)?),)*)?
                        $($(stringify!($defaulted) => value.$defaulted = FromFlat::read(reader)?,)*)?
                        $($(stringify!($nullable) => {
                            value.$nullable = reader.optional_string()?.unwrap_or_default()
                        })*)?
                        _ => return Ok(false),
                    }
                    Ok(true)
                })?;
                $($(value.$required = $crate::flat::required($required, stringify!($required))?;)*)?
                Ok(value)
            }
        }
    };
}

impl<T: FromFlat> FromFlat for Option<T> {
    fn read(reader: &mut Reader<'_>) -> Read<Self> {
        reader.optional(T::read)
    }
}

object_reader!(Policy { defaulted: resources, roles, scopes; });
object_reader!(Resource { required: resource_id; defaulted: actions; null_as_empty: description; });
object_reader!(Role { required: role_id; defaulted: permissions; null_as_empty: description; });
object_reader!(Permission { required: resource_id; defaulted: actions; });
object_reader!(Scope { required: scope; defaulted: permissions; null_as_empty: description; });
object_reader!(OrganizationPolicy { defaulted: roles; });
object_reader!(Subject { defaulted: organization_id, roles; });
object_reader!(ScopeSubject { defaulted: organization_id, scopes, scope; });
object_reader!(AuthorizationCheck { required: resource_id, action; defaulted: organization_id; });
object_reader!(EmailImplicitRoleAssignment { required: domain, role_id; });
object_reader!(SsoRoleAssignment { required: connection_id, role_id; defaulted: group; });
object_reader!(MemberRoles { defaulted: member_id, email_address, roles, sso_role_assignments; });

/// The project policy, bare or wrapped (see [`crate::parse::parse_policy`]).
impl FromFlat for PolicyDocument {
    fn read(reader: &mut Reader<'_>) -> Read<Self> {
        let mut wrapped: Option<Policy> = None;
        let mut bare = Policy::default();
        reader.object("an object", &mut |reader, key| {
            match key {
                "policy" => wrapped = FromFlat::read(reader)?,
                "resources" => bare.resources = FromFlat::read(reader)?,
                "roles" => bare.roles = FromFlat::read(reader)?,
                "scopes" => bare.scopes = FromFlat::read(reader)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(match wrapped {
            Some(policy) => PolicyDocument {
                policy,
                base: "/policy".to_owned(),
            },
            None => PolicyDocument {
                policy: bare,
                base: String::new(),
            },
        })
    }
}

/// The organization policy, bare or wrapped.
impl FromFlat for OrganizationPolicyDocument {
    fn read(reader: &mut Reader<'_>) -> Read<Self> {
        let mut wrapped: Option<OrganizationPolicy> = None;
        let mut bare = OrganizationPolicy::default();
        reader.object("an object", &mut |reader, key| {
            match key {
                "org_policy" => wrapped = FromFlat::read(reader)?,
                "roles" => bare.roles = FromFlat::read(reader)?,
                _ => return Ok(false),
            }
            Ok(true)
        })?;
        Ok(match wrapped {
            Some(policy) => OrganizationPolicyDocument {
                policy,
                base: "/org_policy".to_owned(),
            },
            None => OrganizationPolicyDocument {
                policy: bare,
                base: String::new(),
            },
        })
    }
}

/// `format!("{text:?}")` without the Unicode tables behind `Debug` (about
/// 5 KB of the wasm module, which has a size budget). The same for ASCII,
/// control characters and printable characters; `Debug` also escapes the
/// unprintable, non-ASCII space and combining characters beyond those
/// (`\u{a0}`, `\u{ad}`, `\u{301}`), which this writes as they are, so only messages about such
/// strings differ from the native parser's.
fn debug_quoted(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            '\n' => quoted.push_str("\\n"),
            '\\' => quoted.push_str("\\\\"),
            '"' => quoted.push_str("\\\""),
            '\0' => quoted.push_str("\\0"),
            c if c.is_control() => {
                quoted.push_str("\\u{");
                let code = u32::from(c);
                let digits = (32 - code.leading_zeros()).div_ceil(4).max(1);
                for shift in (0..digits).rev() {
                    quoted.extend(char::from_digit((code >> (4 * shift)) & 0xf, 16));
                }
                quoted.push('}');
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

struct OrganizationPolicies(Vec<(String, OrganizationPolicy)>);

impl FromFlat for OrganizationPolicies {
    fn read(reader: &mut Reader<'_>) -> Read<Self> {
        let mut policies = Vec::new();
        reader.object("a map", &mut |reader, key| {
            policies.push((key.to_owned(), FromFlat::read(reader)?));
            Ok(true)
        })?;
        Ok(Self(policies))
    }
}

/// Flattens a `serde_json` value (the encoder the JS walker mirrors; for
/// Rust callers and tests).
pub fn encode(value: &serde_json::Value) -> (Vec<u32>, String) {
    fn string(words: &mut Vec<u32>, text: &mut String, value: &str) {
        words.push(u32::try_from(value.matches('\0').count()).unwrap_or(u32::MAX));
        text.push_str(value);
        text.push('\0');
    }
    fn walk(value: &serde_json::Value, words: &mut Vec<u32>, text: &mut String) {
        use serde_json::Value;
        let len = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        match value {
            Value::Null => words.push(NULL),
            Value::Bool(false) => words.push(FALSE),
            Value::Bool(true) => words.push(TRUE),
            Value::Number(number) => {
                words.push(NUMBER);
                string(words, text, &number.to_string());
            }
            Value::String(value) => {
                words.push(STRING);
                string(words, text, value);
            }
            Value::Array(items) => {
                words.extend([ARRAY, len(items.len())]);
                for item in items {
                    walk(item, words, text);
                }
            }
            Value::Object(entries) => {
                words.extend([OBJECT, len(entries.len())]);
                for (key, value) in entries {
                    string(words, text, key);
                    walk(value, words, text);
                }
            }
        }
    }
    let mut words = Vec::new();
    let mut text = String::new();
    walk(value, &mut words, &mut text);
    (words, text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_json, parse_organization_policy, parse_policy};
    use proptest::prelude::*;
    use serde_json::{Value, json};

    #[test]
    fn nuls_are_found_where_a_byte_scan_finds_them() {
        for len in 0..24 {
            for at in 0..=len {
                let mut bytes = vec![b'x'; len];
                bytes.insert(at, 0);
                bytes.push(0);
                assert_eq!(words::find_nul(&bytes), Some(at), "{bytes:?}");
            }
            assert_eq!(words::find_nul(&vec![0x80; len]), None);
        }
        // A byte of 0x01 just above a NUL must not hide it, nor make one.
        assert_eq!(words::find_nul(&[1, 1, 1, 1, 1, 1, 1, 1, 1, 0]), Some(9));
        assert_eq!(words::find_nul(&[0x81, 1, 0, 1]), Some(2));
    }

    fn flat_policy(value: &Value) -> Result<PolicyDocument, ParseError> {
        let (words, text) = encode(value);
        Flat::new(&words, &text).policy()
    }

    #[test]
    fn reads_what_parse_reads() {
        let value = json!({"policy": {
            "resources": [{"resource_id": "docs", "description": null, "actions": ["read", "a\u{0}b"]}],
            "roles": [{"role_id": "r", "permissions": [{"resource_id": "docs", "actions": ["*"]}]}],
            "scopes": [{"scope": "read:docs", "permissions": []}]},
            "status_code": 200});
        assert_eq!(
            flat_policy(&value),
            parse_policy(&value.to_string()),
            "NULs inside strings survive"
        );
    }

    #[test]
    fn errors_match_parse_errors() {
        for value in [
            json!([]),
            json!({"roles": null}),
            json!({"roles": [{"description": "no id"}]}),
            json!({"roles": [["admin", "", []]]}),
            json!({"roles": [{"role_id": 5}]}),
            json!({"roles": [{"role_id": 1.5}]}),
            json!({"roles": [{"role_id": -7}]}),
            json!({"roles": [{"role_id": true}]}),
            json!({"resources": "no\"pe"}),
            json!({"policy": {"roles": [{"role_id": "a", "permissions": [{"resource_id": "r", "actions": {"a/b~c": 1}}]}]}}),
        ] {
            let expected = parse_policy(&value.to_string()).unwrap_err();
            assert_eq!(flat_policy(&value).unwrap_err(), expected, "{value}");
        }
    }

    #[test]
    fn quoting_matches_debug() {
        let mut texts: Vec<String> = (0u32..=0x9f)
            .filter_map(char::from_u32)
            .map(String::from)
            .collect();
        texts.extend(
            [
                "",
                "plain",
                "a\"b\\c",
                "é",
                "日本",
                "𝄞",
                "x\u{0}\u{1f}\u{7f}\u{85}y",
            ]
            .map(String::from),
        );
        for text in texts {
            assert_eq!(
                debug_quoted(&text),
                format!("{text:?}"),
                "{:?}",
                text.chars().map(u32::from).collect::<Vec<_>>()
            );
        }
        // The documented difference: unprintable and combining characters
        // beyond the control characters are written as they are.
        for text in ["\u{a0}", "\u{ad}", "e\u{301}"] {
            assert_eq!(debug_quoted(text), format!("\"{text}\""));
            assert_ne!(format!("{text:?}"), format!("\"{text}\""));
        }
    }

    #[test]
    fn other_documents_match() {
        let subject = json!({"organization_id": null, "roles": ["a", 1]});
        let (words, text) = encode(&subject);
        assert_eq!(
            Flat::new(&words, &text).read::<Subject>(),
            parse_json::<Subject>(&subject.to_string())
        );
        let check = json!({"resource_id": "docs"});
        let (words, text) = encode(&check);
        assert_eq!(
            Flat::new(&words, &text).read::<AuthorizationCheck>(),
            parse_json::<AuthorizationCheck>(&check.to_string())
        );
        let organization = json!({"org_policy": {"roles": [{"role_id": "x"}]}});
        let (words, text) = encode(&organization);
        assert_eq!(
            Flat::new(&words, &text).organization_policy(),
            parse_organization_policy(&organization.to_string())
        );
        let members = json!([{"member_id": "m", "sso_role_assignments": [{"connection_id": "c"}]}]);
        let (words, text) = encode(&members);
        assert_eq!(
            Flat::new(&words, &text).read::<Vec<MemberRoles>>(),
            parse_json::<Vec<MemberRoles>>(&members.to_string())
        );
    }

    #[test]
    fn malformed_encodings_fail_without_panicking() {
        let (words, text) = encode(&json!({"roles": [{"role_id": "a"}]}));
        for cut in 0..words.len() {
            assert!(Flat::new(&words[..cut], &text).policy().is_err(), "{cut}");
        }
        for cut in 0..text.len() {
            assert!(
                Flat::new(&words, &text[..cut]).policy().is_err(),
                "text cut at {cut}"
            );
        }
        assert!(Flat::new(&[ARRAY, u32::MAX], "").policy().is_err());
        assert!(Flat::new(&[99], "").policy().is_err());
        let mut extra = words.clone();
        extra.push(NULL);
        assert!(Flat::new(&extra, &text).policy().is_err(), "trailing words");
    }

    #[test]
    fn deep_unknown_fields_are_skipped() {
        let mut deep = json!(1);
        for _ in 0..1_000 {
            deep = json!([deep]);
        }
        let (words, text) = encode(&json!({"extra": deep, "roles": []}));
        assert!(Flat::new(&words, &text).policy().is_ok());
    }

    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i32>().prop_map(|n| json!(n)),
            // Halves print exactly (serde_json's default float parsing can
            // be one unit in the last place off; that is not at issue here).
            (-1000i32..1000).prop_map(|n| json!(f64::from(n) + 0.5)),
            "[a-z~/\u{0}]{0,3}".prop_map(Value::String),
            prop_oneof![
                Just("resource_id"),
                Just("role_id"),
                Just("actions"),
                Just("read"),
                Just("*")
            ]
            .prop_map(|s| Value::String(s.to_owned())),
        ];
        leaf.prop_recursive(5, 48, 4, |inner| {
            let key = prop_oneof![
                Just("policy"),
                Just("resources"),
                Just("roles"),
                Just("scopes"),
                Just("resource_id"),
                Just("role_id"),
                Just("scope"),
                Just("permissions"),
                Just("actions"),
                Just("description"),
                Just("x/y~"),
            ];
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((key, inner), 0..5).prop_map(|entries| {
                    Value::Object(
                        entries
                            .into_iter()
                            .map(|(key, value)| (key.to_owned(), value))
                            .collect(),
                    )
                }),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Any JSON value reads the same flattened as parsed from text:
        /// the same document, or the same code, pointer and message.
        #[test]
        fn flat_and_text_agree(value in json_value()) {
            prop_assert_eq!(flat_policy(&value), parse_policy(&value.to_string()));
        }
    }
}

//! Between JS values and the core's types: reading with JSON-pointer errors,
//! writing as plain objects, and the tagged answers
//! `{type: "success", ...} | {type: "failure", errors}`.
//!
//! Reading: everything goes through the flat form (`orgpolicy_core::flat`),
//! read with the same codes, pointers and messages as the native parser.
//! JSON text crosses as its UTF-8 bytes and the core's tokenizer flattens
//! it in one pass; any other JS value is flattened in JS by
//! `js/orgpolicy.js`, in one walk, into one string and one `Uint32Array`. No
//! serde deserializer is linked into the module, which is most of what keeps
//! it small, and a 4 MB policy crosses as one or two copies rather than a
//! boundary call per field.
//!
//! Writing: the main entry's answers (success with one field, failure,
//! allow, deny, the permission map) are built by the snippet from their
//! fields, so no serializer is linked into it; `orgpolicy/tools`' deep
//! answers are written by serde_json as JSON text and the snippet's
//! `JSON.parse` turns them into plain objects in one call.
#![cfg_attr(
    not(all(feature = "runtime", feature = "tools")),
    allow(
        dead_code,
        reason = "each module uses its part; the combined build lints all of it"
    )
)]

use orgpolicy_core::flat::{self, Flattened, FromFlat};
use orgpolicy_core::{
    OrganizationPolicy, OrganizationPolicyDocument, PolicyDocument, Problem, ProblemCode,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub type Errors = Vec<Problem>;

#[wasm_bindgen(module = "/js/orgpolicy.js")]
extern "C" {
    /// A JS value walked: `{words, text}` or `{code, message}`; never throws.
    pub type Walked;
    #[wasm_bindgen(catch, js_name = flatten)]
    fn flatten_js(value: &JsValue) -> Result<Walked, JsValue>;
    /// Writes a JS string's UTF-8 (`TextEncoder.encodeInto`; lone
    /// surrogates become U+FFFD) into `buffer` from `from` UTF-16 units on:
    /// `units read * 2^32 + bytes written` (both below 2^32 here).
    #[wasm_bindgen(js_name = utf8Into)]
    fn utf8_into(text: &JsValue, from: u32, buffer: &mut [u8]) -> f64;
    /// A JS string's length in UTF-16 units.
    #[wasm_bindgen(js_name = unitsOf)]
    fn units_of(text: &JsValue) -> u32;
    /// `JSON.parse` of text the module wrote.
    #[wasm_bindgen(js_name = parseJson)]
    fn parse_json(json: &str) -> JsValue;
    /// `{type: "success"}`.
    #[wasm_bindgen(js_name = succeeded)]
    pub fn success_empty() -> JsValue;
    /// `{type: "success", [key]: value}`.
    #[wasm_bindgen(js_name = succeeded)]
    pub fn success_with(key: &str, value: &JsValue) -> JsValue;
    /// `{type: "failure", errors}` from each problem's code, message, path
    /// and severity in a row.
    fn failed(fields: Vec<String>) -> JsValue;
    #[wasm_bindgen(method, getter)]
    fn words(this: &Walked) -> Option<Vec<u32>>;
    #[wasm_bindgen(method, getter)]
    fn text(this: &Walked) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn code(this: &Walked) -> Option<String>;
    #[wasm_bindgen(method, getter)]
    fn message(this: &Walked) -> Option<String>;
}

/// A value in the flat form: JSON text through the core's tokenizer, any
/// other value through `js/orgpolicy.js`'s walk.
fn flatten(value: &JsValue) -> Result<Flattened, Errors> {
    if value.is_string() {
        let text = String::from_utf8(utf8(value))
            .map_err(|_| one(ProblemCode::InvalidJson, "the text is not UTF-8".to_owned()))?;
        return flat::from_json(&text).map_err(|error| vec![error.problem]);
    }
    let flattened = flatten_js(value).map_err(|_| {
        one(
            ProblemCode::InvalidFormat,
            "the value cannot be read as JSON".to_owned(),
        )
    })?;
    match (flattened.words(), flattened.text()) {
        (Some(words), Some(text)) => Ok(Flattened { words, text }),
        _ => {
            let code = match flattened.code().as_deref() {
                Some("invalid_type") => ProblemCode::InvalidType,
                _ => ProblemCode::InvalidFormat,
            };
            Err(one(code, flattened.message().unwrap_or_default()))
        }
    }
}

/// A JS string's UTF-8 bytes, encoded straight into the module's memory:
/// one byte per UTF-16 unit first (JSON is mostly ASCII), growing by three
/// per unit left whenever the encoder stops short.
fn utf8(text: &JsValue) -> Vec<u8> {
    let units = units_of(text) as usize;
    let mut bytes: Vec<u8> = vec![0; units];
    let (mut read, mut written) = (0usize, 0usize);
    while read < units {
        let Some(rest) = bytes.get_mut(written..) else {
            break;
        };
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let progress = utf8_into(text, u32::try_from(read).unwrap_or(u32::MAX), rest) as u64;
        let (more_read, more_written) =
            ((progress >> 32) as usize, (progress & 0xffff_ffff) as usize);
        read += more_read;
        written += more_written;
        if read < units {
            // Room for every unit left at three bytes each (a unit never
            // takes more; a surrogate pair's two take four).
            bytes.resize(written + 3 * (units - read), 0);
        }
        if more_read == 0 && more_written == 0 {
            break;
        }
    }
    bytes.truncate(written);
    bytes
}

fn one(code: ProblemCode, message: String) -> Errors {
    vec![Problem::error(code, "", message)]
}

/// Reads a value: JSON text, or a JS value of the right shape.
pub fn read<T: FromFlat>(value: &JsValue) -> Result<T, Errors> {
    flatten(value)?
        .flat()
        .read()
        .map_err(|error| vec![error.problem])
}

/// Reads an optional value: `undefined` and `null` are `None`.
pub fn read_optional<T: FromFlat>(value: &JsValue) -> Result<Option<T>, Errors> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        read(value).map(Some)
    }
}

pub fn read_policy(value: &JsValue) -> Result<PolicyDocument, Errors> {
    read(value)
}

pub fn read_organization_policy(value: &JsValue) -> Result<OrganizationPolicyDocument, Errors> {
    read(value)
}

pub fn read_organization_policies(
    value: &JsValue,
) -> Result<Vec<(String, OrganizationPolicy)>, Errors> {
    flatten(value)?
        .flat()
        .organization_policies()
        .map_err(|error| vec![error.problem])
}

/// Reads a string argument.
pub fn read_string(value: &JsValue, name: &str) -> Result<String, Errors> {
    value.as_string().ok_or_else(|| {
        one(
            ProblemCode::InvalidType,
            format!("`{name}` must be a string"),
        )
    })
}

/// Reads an optional string argument (`undefined`/`null` are `None`).
pub fn read_optional_string(value: &JsValue, name: &str) -> Result<Option<String>, Errors> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        read_string(value, name).map(Some)
    }
}

/// Writes a value as a plain object (`None` as `null`): as JSON text, which
/// `JSON.parse` turns into objects in one native call. (serde-wasm-bindgen
/// built them property by property through the boundary, and cost the module
/// more than serde_json's serializer does.) For `orgpolicy/tools`' rich
/// answers; the main entry's few shapes are built by the snippet
/// (`success_empty`, `success_with`, `failure`, and `runtime.rs`'s
/// decisions and permission maps), so no serializer is linked into it.
pub fn write<T: Serialize + ?Sized>(value: &T) -> JsValue {
    match serde_json::to_string(value) {
        Ok(json) => parse_json(&json),
        Err(_) => failure(one(
            ProblemCode::InvalidFormat,
            "internal error: an answer could not be written".to_owned(),
        )),
    }
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Tagged<'a, T: Serialize> {
    Success(&'a T),
}

/// `{type: "success", ...fields of value}`; `value` must serialize as a map.
pub fn success<T: Serialize>(value: &T) -> JsValue {
    write(&Tagged::Success(value))
}

/// `{type: "failure", errors}`.
pub fn failure(errors: Errors) -> JsValue {
    let mut fields = Vec::with_capacity(errors.len() * 4);
    for problem in errors {
        fields.push(problem.code.as_str().to_owned());
        fields.push(problem.message);
        fields.push(problem.path);
        fields.push(problem.severity.as_str().to_owned());
    }
    failed(fields)
}

/// Collapses a fallible computation into its tagged answer.
pub fn answer(result: Result<JsValue, Errors>) -> JsValue {
    result.unwrap_or_else(failure)
}

pub fn busy() -> Errors {
    one(
        ProblemCode::InvalidFormat,
        "the engine is in use by another call (a callback re-entered it)".to_owned(),
    )
}

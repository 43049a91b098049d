//! Between JS values and the core's types: reading with JSON-pointer errors,
//! writing as plain objects, and the tagged answers
//! `{type: "success", ...} | {type: "failure", errors}`.
//!
//! Values cross as JSON text: a JS object is turned into text by the
//! engine's own `JSON.stringify` and read by `serde_json` here; answers are
//! written by `serde_json` and turned into objects by `JSON.parse`. One
//! deserializer instead of two (one for text, one walking JS objects field
//! by field) halves the code serde generates for every document type, errors
//! point into the document exactly as natively, and a large policy crosses as
//! one string copy rather than a boundary call per field.

use orgpolicy_core::parse::parse_json;
use orgpolicy_core::{
    OrganizationPolicyDocument, PolicyDocument, Problem, ProblemCode, parse_organization_policy,
    parse_policy,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::JsValue;

pub type Errors = Vec<Problem>;

/// The JSON text of an argument: itself if a string, else `JSON.stringify`.
fn text_of(value: &JsValue) -> Result<String, Errors> {
    if let Some(text) = value.as_string() {
        return Ok(text);
    }
    if value.is_undefined() {
        return Err(vec![Problem::error(
            ProblemCode::InvalidType,
            "",
            "expected an object or JSON text, got `undefined`",
        )]);
    }
    match js_sys::JSON::stringify(value) {
        Ok(text) => text.as_string().ok_or_else(|| {
            vec![Problem::error(
                ProblemCode::InvalidType,
                "",
                "expected an object or JSON text, got a value JSON cannot hold",
            )]
        }),
        Err(error) => {
            let message = js_sys::Error::from(error)
                .message()
                .as_string()
                .unwrap_or_default();
            // One line, as every message here: V8 explains cycles over several.
            let reason = message.lines().next().unwrap_or_default();
            Err(vec![Problem::error(
                ProblemCode::InvalidFormat,
                "",
                format!("the value cannot be read as JSON: {reason}"),
            )])
        }
    }
}

/// Reads a value: JSON text, or a JS value of the right shape.
pub fn read<T: DeserializeOwned>(value: JsValue) -> Result<T, Errors> {
    parse_json(&text_of(&value)?).map_err(|error| vec![error.problem])
}

/// Reads an optional value: `undefined` and `null` are `None`.
pub fn read_optional<T: DeserializeOwned>(value: JsValue) -> Result<Option<T>, Errors> {
    if value.is_undefined() || value.is_null() {
        Ok(None)
    } else {
        read(value).map(Some)
    }
}

pub fn read_policy(value: JsValue) -> Result<PolicyDocument, Errors> {
    parse_policy(&text_of(&value)?).map_err(|error| vec![error.problem])
}

pub fn read_organization_policy(value: JsValue) -> Result<OrganizationPolicyDocument, Errors> {
    parse_organization_policy(&text_of(&value)?).map_err(|error| vec![error.problem])
}

/// Reads a string argument.
pub fn read_string(value: &JsValue, name: &str) -> Result<String, Errors> {
    value.as_string().ok_or_else(|| {
        vec![Problem::error(
            ProblemCode::InvalidType,
            "",
            format!("`{name}` must be a string"),
        )]
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

/// Writes a value as a plain object (`None` as `null`).
pub fn write<T: Serialize + ?Sized>(value: &T) -> JsValue {
    serde_json::to_string(value)
        .ok()
        .and_then(|text| js_sys::JSON::parse(&text).ok())
        .unwrap_or_else(|| internal_failure("an answer could not be written"))
}

/// A failure answer built without serde, for when writing itself failed.
fn internal_failure(message: &str) -> JsValue {
    let error = js_sys::Object::new();
    let errors = js_sys::Array::of1(&error);
    let object = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&error, &"code".into(), &"invalid_format".into());
    let _ = js_sys::Reflect::set(
        &error,
        &"message".into(),
        &format!("internal error: {message}").into(),
    );
    let _ = js_sys::Reflect::set(&error, &"path".into(), &"".into());
    let _ = js_sys::Reflect::set(&object, &"type".into(), &"failure".into());
    let _ = js_sys::Reflect::set(&object, &"errors".into(), &errors);
    object.into()
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Tagged<'a, T: Serialize> {
    Success(&'a T),
    Failure { errors: &'a [Problem] },
}

/// `{type: "success", ...fields of value}`; `value` must serialize as a map.
pub fn success<T: Serialize>(value: &T) -> JsValue {
    write(&Tagged::Success(value))
}

/// `{type: "failure", errors}`.
pub fn failure(errors: Errors) -> JsValue {
    let tagged: Tagged<'_, ()> = Tagged::Failure { errors: &errors };
    write(&tagged)
}

/// `{type: "success", [key]: value}` for a value serde cannot make (a class
/// instance).
pub fn success_with(key: &str, value: JsValue) -> JsValue {
    let object = js_sys::Object::new();
    let set = js_sys::Reflect::set(&object, &"type".into(), &"success".into())
        .and_then(|_| js_sys::Reflect::set(&object, &key.into(), &value));
    match set {
        Ok(_) => object.into(),
        Err(_) => internal_failure("could not build the answer"),
    }
}

/// Collapses a fallible computation into its tagged answer.
pub fn answer(result: Result<JsValue, Errors>) -> JsValue {
    result.unwrap_or_else(failure)
}

pub fn busy() -> Errors {
    vec![Problem::error(
        ProblemCode::InvalidFormat,
        "",
        "the engine is in use by another call (a callback re-entered it)",
    )]
}

//! Reading documents from JSON text or any serde deserializer, with errors
//! that carry a code and a JSON pointer to where reading stopped.
//!
//! The project policy is accepted bare (`{resources, roles, scopes}`) or in the
//! API's response wrapper (`{status_code, request_id, policy}`); the
//! organization policy bare (`{roles}`) or wrapped (`{org_policy}`).

use crate::model::{OrganizationPolicy, Policy, Resource, Role, Scope};
use crate::problem::{Pointer, Problem, ProblemCode};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// A document that could not be read. Reading stops at the first problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{problem}")]
pub struct ParseError {
    pub problem: Problem,
}

/// A project policy and where it sat in the document it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyDocument {
    pub policy: Policy,
    /// JSON pointer of the policy object inside the document: `""` when bare,
    /// `"/policy"` when wrapped. Validation paths are relative to the policy;
    /// prefix them with this to point into the original document.
    pub base: String,
}

/// An organization policy and where it sat in the document it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationPolicyDocument {
    pub policy: OrganizationPolicy,
    pub base: String,
}

#[derive(Deserialize)]
#[serde(remote = "Self")]
struct RawPolicyDocument {
    #[serde(default)]
    policy: Option<Policy>,
    #[serde(default)]
    resources: Vec<Resource>,
    #[serde(default)]
    roles: Vec<Role>,
    #[serde(default)]
    scopes: Vec<Scope>,
}

#[derive(Deserialize)]
#[serde(remote = "Self")]
struct RawOrganizationPolicyDocument {
    #[serde(default)]
    org_policy: Option<OrganizationPolicy>,
    #[serde(default)]
    roles: Vec<Role>,
}

crate::model::object_only!(RawPolicyDocument, RawOrganizationPolicyDocument);

/// Reads a project policy from JSON text.
pub fn parse_policy(json: &str) -> Result<PolicyDocument, ParseError> {
    match serde_json::from_str::<RawPolicyDocument>(json) {
        Ok(raw) => Ok(raw.into_document()),
        Err(_) => with_json(json, |deserializer| policy_from_deserializer(deserializer)),
    }
}

/// Reads a project policy from any deserializer (JSON, a JS value...).
pub fn policy_from_deserializer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<PolicyDocument, ParseError> {
    let raw: RawPolicyDocument = deserialize_tracked(deserializer)?;
    Ok(raw.into_document())
}

impl RawPolicyDocument {
    fn into_document(self) -> PolicyDocument {
        match self.policy {
            Some(policy) => PolicyDocument {
                policy,
                base: "/policy".to_owned(),
            },
            None => PolicyDocument {
                policy: Policy {
                    resources: self.resources,
                    roles: self.roles,
                    scopes: self.scopes,
                },
                base: String::new(),
            },
        }
    }
}

/// Reads an organization policy from JSON text.
pub fn parse_organization_policy(json: &str) -> Result<OrganizationPolicyDocument, ParseError> {
    match serde_json::from_str::<RawOrganizationPolicyDocument>(json) {
        Ok(raw) => Ok(raw.into_document()),
        Err(_) => with_json(json, |deserializer| {
            organization_policy_from_deserializer(deserializer)
        }),
    }
}

/// Reads an organization policy from any deserializer.
pub fn organization_policy_from_deserializer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<OrganizationPolicyDocument, ParseError> {
    let raw: RawOrganizationPolicyDocument = deserialize_tracked(deserializer)?;
    Ok(raw.into_document())
}

impl RawOrganizationPolicyDocument {
    fn into_document(self) -> OrganizationPolicyDocument {
        match self.org_policy {
            Some(policy) => OrganizationPolicyDocument {
                policy,
                base: "/org_policy".to_owned(),
            },
            None => OrganizationPolicyDocument {
                policy: OrganizationPolicy { roles: self.roles },
                base: String::new(),
            },
        }
    }
}

/// Reads any document type from JSON text with a pointer-carrying error.
///
/// Reading is done twice only when it fails: once without tracking (the fast
/// path every valid document takes), then with it, to say where.
pub fn parse_json<T: DeserializeOwned>(json: &str) -> Result<T, ParseError> {
    match serde_json::from_str(json) {
        Ok(value) => Ok(value),
        Err(_) => with_json(json, |deserializer| deserialize_tracked(deserializer)),
    }
}

/// Deserializes with path tracking; the error names the JSON pointer where
/// reading stopped.
pub fn deserialize_tracked<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<T, ParseError> {
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = pointer_of(error.path());
        let message = error.inner().to_string();
        let code = classify(&message);
        let message = first_line(&message);
        // serde_json appends where it stopped; for data errors the pointer
        // says that better, and other formats (a JS value) have no lines.
        let message = if code == ProblemCode::InvalidJson {
            message
        } else {
            strip_position(&message).to_owned()
        };
        ParseError {
            problem: Problem::error(code, path, message),
        }
    })
}

type JsonDeserializer<'a> = serde_json::Deserializer<serde_json::de::StrRead<'a>>;

/// Runs `read` over JSON text, then insists nothing but whitespace follows.
fn with_json<'a, T>(
    json: &'a str,
    read: impl FnOnce(&mut JsonDeserializer<'a>) -> Result<T, ParseError>,
) -> Result<T, ParseError> {
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let value = read(&mut deserializer)?;
    deserializer.end().map_err(|error| ParseError {
        problem: Problem::error(ProblemCode::InvalidJson, "", first_line(&error.to_string())),
    })?;
    Ok(value)
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = Pointer::root();
    for segment in path.iter() {
        pointer = match segment {
            Segment::Seq { index } => pointer.index(*index),
            Segment::Map { key } => pointer.key(key),
            Segment::Enum { variant } => pointer.key(variant),
            Segment::Unknown => pointer,
        };
    }
    pointer.into()
}

/// serde's error messages are standard across formats ("invalid type: ...",
/// "missing field `x`"); map them to codes. JSON syntax errors say where.
fn classify(message: &str) -> ProblemCode {
    if message.starts_with("invalid type") {
        ProblemCode::InvalidType
    } else if message.starts_with("missing field") {
        ProblemCode::MissingField
    } else if message.starts_with("invalid value")
        || message.starts_with("unknown variant")
        || message.starts_with("invalid length")
    {
        ProblemCode::InvalidFormat
    } else {
        ProblemCode::InvalidJson
    }
}

fn strip_position(message: &str) -> &str {
    let Some((head, tail)) = message.rsplit_once(" at line ") else {
        return message;
    };
    let mut words = tail.split(' ');
    let is_position = words.next().is_some_and(|w| w.parse::<u64>().is_ok())
        && words.next() == Some("column")
        && words.next().is_some_and(|w| w.parse::<u64>().is_ok())
        && words.next().is_none();
    if is_position { head } else { message }
}

fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().to_owned()
}

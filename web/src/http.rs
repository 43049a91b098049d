//! Sending a request through the gateway and reading the answer: status,
//! duration, size, request id, headers and the body as pretty JSON text,
//! with the failure classified (network or CORS, gateway, upstream).

use orgpolicy_api::catalog::Method;
use serde_json::Value;

/// The header the gateway sets on its own refusals.
pub const GATEWAY_ERROR_HEADER: &str = "x-orgpolicy-gateway-error";
/// The header carrying the gateway's access token.
pub const ACCESS_TOKEN_HEADER: &str = "x-gateway-token";

/// Who answered, or failed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Class {
    /// A 2xx from the API.
    Success,
    /// No HTTP answer at all: the gateway is down, the URL is wrong, or the
    /// browser blocked the call (CORS, content security policy).
    Network,
    /// The gateway refused the request itself; the code it gave.
    Gateway(String),
    /// The API answered with an error; its `error_type` when it gave one.
    Upstream(Option<String>),
}

impl Class {
    pub fn label(&self) -> &'static str {
        match self {
            Class::Success => "success",
            Class::Network => "network or CORS error",
            Class::Gateway(_) => "gateway error",
            Class::Upstream(_) => "API error",
        }
    }

    pub fn css(&self) -> &'static str {
        match self {
            Class::Success => "ok",
            Class::Network => "network",
            Class::Gateway(_) => "gateway",
            Class::Upstream(_) => "upstream",
        }
    }
}

/// One answer, ready to show.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub status: u16,
    pub status_text: String,
    pub duration_ms: f64,
    /// Bytes of the body as received.
    pub size: usize,
    pub request_id: Option<String>,
    pub headers: Vec<(String, String)>,
    /// The body: pretty JSON when it is JSON, else verbatim.
    pub body: String,
    pub class: Class,
    pub hint: Option<String>,
}

/// Re-indents JSON text without going through floating point: keys keep
/// their order and 64-bit integers keep every digit. `None` if not JSON.
pub fn pretty_json(text: &str) -> Option<String> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let mut out = Vec::with_capacity(text.len() + text.len() / 2);
    {
        let mut serializer = serde_json::Serializer::pretty(&mut out);
        serde_transcode::transcode(&mut deserializer, &mut serializer).ok()?;
    }
    deserializer.end().ok()?;
    String::from_utf8(out).ok()
}

/// Classifies an HTTP answer and finds a hint for it.
pub fn classify(
    status: u16,
    gateway_error: Option<&str>,
    body: Option<&Value>,
) -> (Class, Option<String>) {
    if let Some(code) = gateway_error {
        let hint = match code {
            "access_token_required" => {
                "This gateway wants an access token: enter it under Gateway (it is kept in memory only)."
            }
            "host_not_allowed" => {
                "The gateway refused the Host header: open the console at the address the gateway listens on."
            }
            "not_in_catalog" => {
                "The gateway forwards only the catalog's endpoints: check the path parameters."
            }
            "upstream_timeout" => "The API did not answer in time; try again.",
            "upstream_unreachable" => {
                "The gateway could not reach the API: is the upstream running and reachable from the gateway?"
            }
            "upstream_redirect" => {
                "The API answered with a redirect, which the gateway does not follow."
            }
            _ => "The gateway refused the request.",
        };
        return (Class::Gateway(code.to_owned()), Some(hint.to_owned()));
    }
    if (200..300).contains(&status) {
        return (Class::Success, None);
    }
    let error_type = body
        .and_then(|body| body.get("error_type"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let hint = match status {
        400 => "The API refused the body: the fields marked in the form say why.",
        401 | 403 => {
            "The gateway's credentials were refused: check the project id and secret it was started with."
        }
        404 => "Nothing has that id: search for it first.",
        409 => "Something with that unique value (slug, email) exists already.",
        413 => "The body is larger than the gateway accepts.",
        429 => "Rate limited: wait a little and try again.",
        500..=599 => "The API failed; the request id helps its support find out why.",
        _ => "The API refused the request.",
    };
    (Class::Upstream(error_type), Some(hint.to_owned()))
}

/// The hint for a request that got no HTTP answer.
pub fn network_hint(gateway: &str, detail: &str) -> String {
    let page = web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default();
    if !page.is_empty() && page != gateway.trim_end_matches('/') {
        format!(
            "No answer from {gateway} ({detail}). It is on another origin than this page \
             ({page}): the page's content security policy may block it, and the gateway must \
             list this origin with --allow-origin. Open the console the gateway serves, \
             or check that it is running."
        )
    } else {
        format!(
            "No answer from {gateway} ({detail}). Is the gateway running at that address? \
             Start it with `cargo xtask serve`."
        )
    }
}

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or(0.0, |performance| performance.now())
}

/// Sends `method path` with an optional JSON body to the gateway at `base`.
pub async fn send(
    base: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> Outcome {
    use gloo_net::http::{Method as M, RequestBuilder};
    let url = format!("{}{}", base.trim_end_matches('/'), path);
    let mut builder = RequestBuilder::new(&url)
        .method(match method {
            Method::Get => M::GET,
            Method::Post => M::POST,
            Method::Put => M::PUT,
            Method::Delete => M::DELETE,
        })
        .header("accept", "application/json");
    if !token.is_empty() {
        builder = builder.header(ACCESS_TOKEN_HEADER, token);
    }
    let request = match body {
        Some(body) => builder
            .header("content-type", "application/json")
            .body(body.to_owned()),
        None => builder.build(),
    };
    let started = now_ms();
    let failed = |detail: String| Outcome {
        status: 0,
        status_text: String::new(),
        duration_ms: now_ms() - started,
        size: 0,
        request_id: None,
        headers: Vec::new(),
        body: String::new(),
        class: Class::Network,
        hint: Some(network_hint(base, &detail)),
    };
    let request = match request {
        Ok(request) => request,
        Err(error) => return failed(error.to_string()),
    };
    let response = match request.send().await {
        Ok(response) => response,
        Err(error) => return failed(error.to_string()),
    };
    let text = response.text().await.unwrap_or_default();
    let duration_ms = now_ms() - started;
    let mut headers: Vec<(String, String)> = response.headers().entries().collect();
    headers.sort();
    let header = |name: &str| {
        headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.clone())
    };
    let parsed: Option<Value> = serde_json::from_str(&text).ok();
    let request_id = parsed
        .as_ref()
        .and_then(|body| body.get("request_id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .or_else(|| header("x-request-id"));
    let (class, hint) = classify(
        response.status(),
        header(GATEWAY_ERROR_HEADER).as_deref(),
        parsed.as_ref(),
    );
    Outcome {
        status: response.status(),
        status_text: response.status_text(),
        duration_ms,
        size: text.len(),
        request_id,
        headers,
        body: pretty_json(&text).unwrap_or(text),
        class,
        hint,
    }
}

/// Sends and parses the JSON answer, for the playground's loads.
pub async fn fetch_json(
    base: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Option<&str>,
) -> Result<String, String> {
    let outcome = send(base, token, method, path, body).await;
    match outcome.class {
        Class::Success => Ok(outcome.body),
        _ => {
            let message = serde_json::from_str::<Value>(&outcome.body)
                .ok()
                .and_then(|body| {
                    body.get("error_message")
                        .and_then(Value::as_str)
                        .map(str::to_owned)
                })
                .or(outcome.hint)
                .unwrap_or_default();
            // "0" is no status at all: say so in words.
            let status = if outcome.status == 0 {
                "No answer".to_owned()
            } else {
                outcome.status.to_string()
            };
            let label = outcome.class.label();
            Err(if message.is_empty() {
                format!("{status} ({label}).")
            } else {
                format!("{status} ({label}): {message}")
            })
        }
    }
}

//! The gateway the console talks to: its URL (validated, kept in browser
//! storage) and what its `/_gateway/info` says.
//!
//! The URL only ever changes when the user saves one: nothing in the page's
//! address (query, hash) is read for it, so a deep link cannot point the
//! console at another gateway.

use serde::Deserialize;

/// What `/_gateway/info` reports.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Info {
    /// `sandbox`, `test` or `live`.
    pub upstream: String,
    pub credentials_configured: bool,
    #[serde(default)]
    pub version: String,
}

/// The state of the info request.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum InfoState {
    #[default]
    Unknown,
    Loading,
    Loaded(Info),
    Failed(String),
}

impl InfoState {
    /// Whether the gateway said its upstream is a live project.
    pub fn is_live(&self) -> bool {
        matches!(self, InfoState::Loaded(info) if info.upstream == "live")
    }
}

/// Validates a gateway URL and returns its origin (`http://127.0.0.1:8787`).
///
/// A gateway is an `http` or `https` origin: no user name or password (they
/// would be a secret in storage), no path, query or fragment.
pub fn validate_url(input: &str) -> Result<String, String> {
    let input = input.trim();
    if input.is_empty() {
        return Err("enter the gateway's URL, like http://127.0.0.1:8787".to_owned());
    }
    // `localhost:8790` parses as a URL whose scheme is `localhost`.
    if !input.contains("://") {
        return Err(format!(
            "add the scheme: `http://{input}` (or `https://{input}`)"
        ));
    }
    let url = web_sys::Url::new(input)
        .map_err(|_| format!("`{input}` is not a URL: use http://host:port"))?;
    let protocol = url.protocol();
    if protocol != "http:" && protocol != "https:" {
        return Err(format!(
            "the gateway must be http or https, not `{}`",
            protocol.trim_end_matches(':')
        ));
    }
    if !url.username().is_empty() || !url.password().is_empty() {
        return Err(
            "remove the user name and password: the gateway holds the credentials".to_owned(),
        );
    }
    if url.pathname() != "/" || !url.search().is_empty() || !url.hash().is_empty() {
        return Err("give only scheme, host and port: no path, query or fragment".to_owned());
    }
    Ok(url.origin())
}

/// The gateway to use at start: the stored one if it is still valid, else
/// the page's own origin (the gateway serves the console), else nothing.
pub fn initial_url() -> Option<String> {
    if let Some(url) = crate::storage::get(crate::storage::GATEWAY_KEY)
        .and_then(|stored| validate_url(&stored).ok())
    {
        return Some(url);
    }
    let origin = web_sys::window()?.location().origin().ok()?;
    validate_url(&origin).ok()
}

/// The badge text for an upstream kind.
pub fn badge(info: &Info) -> &'static str {
    match info.upstream.as_str() {
        "sandbox" => "sandbox",
        "test" => "test",
        "live" => "live",
        _ => "unknown upstream",
    }
}

//! Code snippets for a request: curl, JavaScript `fetch` and Rust
//! (reqwest), aimed at the gateway (which adds the credentials) or straight
//! at the API with `$STYTCH_PROJECT_ID` / `$STYTCH_SECRET` placeholders. A
//! snippet never contains a real secret: the renderers take none.

use crate::catalog::Method;
use serde_json::Value;

/// Where a snippet sends its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The gateway at `base` (`http://127.0.0.1:8787`); it injects credentials.
    Gateway { base: String },
    /// The API at `base` (`https://test.stytch.com`), with credentials from
    /// the environment.
    Direct { base: String },
}

impl Target {
    fn base(&self) -> &str {
        match self {
            Target::Gateway { base } | Target::Direct { base } => base.trim_end_matches('/'),
        }
    }
}

/// A request to render: method, concrete path, optional JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct SnippetRequest {
    pub method: Method,
    pub path: String,
    pub body: Option<Value>,
}

impl SnippetRequest {
    fn url(&self, target: &Target) -> String {
        format!("{}{}", target.base(), self.path)
    }

    fn pretty_body(&self) -> Option<String> {
        self.body
            .as_ref()
            .map(|body| serde_json::to_string_pretty(body).unwrap_or_else(|_| body.to_string()))
    }
}

/// Quotes a word for a POSIX shell: as is when it is made only of safe
/// characters, else in single quotes with each `'` written `'\''`.
pub fn shell_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:=@%+,".contains(c));
    if safe {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// A curl command line.
pub fn curl(request: &SnippetRequest, target: &Target) -> String {
    let mut lines = vec![format!(
        "curl -sS -X {} {}",
        request.method.as_str(),
        shell_quote(&request.url(target))
    )];
    if matches!(target, Target::Direct { .. }) {
        // Double quotes: the shell expands the variables, nothing else.
        lines.push(r#"-u "$STYTCH_PROJECT_ID:$STYTCH_SECRET""#.to_owned());
    }
    if let Some(body) = request.pretty_body() {
        lines.push(format!(
            "-H {}",
            shell_quote("Content-Type: application/json")
        ));
        lines.push(format!("--data-raw {}", shell_quote(&body)));
    }
    lines.join(" \\\n  ")
}

/// A JavaScript `fetch` call (an ES module: top-level `await`).
pub fn fetch(request: &SnippetRequest, target: &Target) -> String {
    let url = Value::String(request.url(target)).to_string();
    let mut options = vec![format!("  method: \"{}\",", request.method.as_str())];
    let mut headers = Vec::new();
    if matches!(target, Target::Direct { .. }) {
        headers.push(
            "    Authorization: \"Basic \" + btoa(`${process.env.STYTCH_PROJECT_ID}:${process.env.STYTCH_SECRET}`),"
                .to_owned(),
        );
    }
    if request.body.is_some() {
        headers.push("    \"Content-Type\": \"application/json\",".to_owned());
    }
    if !headers.is_empty() {
        options.push(format!("  headers: {{\n{}\n  }},", headers.join("\n")));
    }
    if let Some(body) = request.pretty_body() {
        // JSON text is a JavaScript expression.
        options.push(format!("  body: JSON.stringify({}),", indent(&body, "  ")));
    }
    format!(
        "const response = await fetch({url}, {{\n{}\n}});\n\
// JSON.parse keeps integers exactly only up to 2^53: if an answer can hold\n\
// larger ones (in metadata, say), read response.text() and parse those as strings.\n\
console.log(response.status, await response.json());",
        options.join("\n")
    )
}

/// Rust with reqwest (features `json`; inside an async fn returning a
/// `Result`).
pub fn reqwest(request: &SnippetRequest, target: &Target) -> String {
    let method = request.method.as_str().to_lowercase();
    let url = Value::String(request.url(target)).to_string();
    let mut lines = vec![format!(
        "let response = reqwest::Client::new()\n    .{method}({url})"
    )];
    if matches!(target, Target::Direct { .. }) {
        lines.push(
            "    .basic_auth(std::env::var(\"STYTCH_PROJECT_ID\")?, Some(std::env::var(\"STYTCH_SECRET\")?))".to_owned(),
        );
    }
    if let Some(body) = request.pretty_body() {
        lines.push(format!(
            "    .json(&serde_json::json!({}))",
            indent(&rust_literals(&body), "    ")
        ));
    }
    lines.push("    .send()\n    .await?;".to_owned());
    lines.push("println!(\"{} {}\", response.status(), response.text().await?);".to_owned());
    lines.join("\n")
}

/// JSON text as tokens `serde_json::json!` reads: JSON's `\uXXXX` escapes
/// become Rust's `\u{XXXX}` (every other JSON escape is also Rust's). In
/// JSON text every backslash starts an escape, so a scan suffices.
fn rust_literals(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    let mut chars = json.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                out.push_str(&format!("\\u{{{hex}}}"));
            }
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            if i == 0 {
                line.to_owned()
            } else {
                format!("{prefix}{line}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

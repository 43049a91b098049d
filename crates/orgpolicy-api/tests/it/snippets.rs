//! Snippets: exact renderings, and the curl and fetch snippets run by a real
//! shell and a real JavaScript engine with stand-ins for curl and fetch that
//! report what they were given.

use orgpolicy_api::catalog::Method;
use orgpolicy_api::snippet::{SnippetRequest, Target, curl, fetch, reqwest, shell_quote};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::process::Command;

fn gateway() -> Target {
    Target::Gateway {
        base: "http://127.0.0.1:8787".into(),
    }
}
fn direct() -> Target {
    Target::Direct {
        base: "https://test.stytch.com".into(),
    }
}
fn create(name: &str) -> SnippetRequest {
    SnippetRequest {
        method: Method::Post,
        path: "/v1/b2b/organizations".into(),
        body: Some(json!({"organization_name": name, "organization_slug": "obrien"})),
    }
}

#[test]
fn curl_renders_with_posix_quoting() {
    assert_eq!(
        curl(&create("O'Brien & Sons"), &gateway()),
        "curl -sS -X POST http://127.0.0.1:8787/v1/b2b/organizations \\\n  -H 'Content-Type: application/json' \\\n  --data-raw '{\n  \"organization_name\": \"O'\\''Brien & Sons\",\n  \"organization_slug\": \"obrien\"\n}'"
    );
    let get = SnippetRequest {
        method: Method::Get,
        path: "/v1/b2b/rbac/policy".into(),
        body: None,
    };
    assert_eq!(
        curl(&get, &direct()),
        "curl -sS -X GET https://test.stytch.com/v1/b2b/rbac/policy \\\n  -u \"$STYTCH_PROJECT_ID:$STYTCH_SECRET\""
    );
    assert_eq!(shell_quote(""), "''");
    assert_eq!(shell_quote("a b"), "'a b'");
    assert_eq!(shell_quote("it's"), "'it'\\''s'");
}

#[test]
fn direct_snippets_name_the_credentials_never_hold_them() {
    for render in [curl, fetch, reqwest] {
        let text = render(&create("Acme"), &direct());
        assert!(
            text.contains("STYTCH_PROJECT_ID") && text.contains("STYTCH_SECRET"),
            "{text}"
        );
        let through_gateway = render(&create("Acme"), &gateway());
        assert!(
            !through_gateway.contains("STYTCH_SECRET"),
            "{through_gateway}"
        );
        assert!(
            !through_gateway.to_lowercase().contains("authorization")
                && !through_gateway.contains("basic_auth")
        );
    }
}

/// Runs a curl snippet in `sh` with `curl` replaced by a function that
/// prints its arguments, NUL-separated.
fn curl_arguments(snippet: &str) -> Vec<String> {
    let script =
        format!("curl() {{ for a in \"$@\"; do printf '%s\\0' \"$a\"; done; }}\n{snippet}\n");
    let output = Command::new("sh")
        .args(["-c", &script])
        .env("STYTCH_PROJECT_ID", "project-test-123")
        .env("STYTCH_SECRET", "secret-test-456")
        .output()
        .expect("sh runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
        .stdout
        .split(|b| *b == 0)
        .filter(|part| !part.is_empty())
        .map(|part| String::from_utf8(part.to_vec()).unwrap())
        .collect()
}

fn hostile_text() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            proptest::sample::select(
                &[
                    "'",
                    "\"",
                    "\\",
                    "$HOME",
                    "`id`",
                    "!",
                    "\n",
                    "\t",
                    "$(whoami)",
                    "'\\''",
                    "é",
                    "😀",
                    "\u{1f}",
                    "*",
                    " "
                ][..]
            )
            .prop_map(String::from),
            "[a-z0-9]{0,4}",
        ],
        0..12,
    )
    .prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the body holds, the shell hands curl exactly that JSON.
    #[test]
    fn curl_quoting_survives_a_real_shell(name in hostile_text(), direct_target in any::<bool>()) {
        let request = create(&name);
        let target = if direct_target { direct() } else { gateway() };
        let arguments = curl_arguments(&curl(&request, &target));
        let mut expected = vec!["-sS".to_owned(), "-X".to_owned(), "POST".to_owned(), format!("{}/v1/b2b/organizations", if direct_target { "https://test.stytch.com" } else { "http://127.0.0.1:8787" })];
        if direct_target {
            expected.extend(["-u".to_owned(), "project-test-123:secret-test-456".to_owned()]);
        }
        expected.extend(["-H".to_owned(), "Content-Type: application/json".to_owned(), "--data-raw".to_owned()]);
        prop_assert_eq!(&arguments[..arguments.len() - 1], &expected[..]);
        let sent: Value = serde_json::from_str(arguments.last().unwrap()).unwrap();
        prop_assert_eq!(sent, request.body.clone().unwrap());
    }
}

#[test]
fn fetch_snippets_run_in_node_and_send_the_body_unchanged() {
    let names = [
        "O'Brien",
        "back\\slash \"quoted\"",
        "${template} `tick` </script>",
        "line\nbreak\u{2028}sep\u{1f}",
        "😀 é",
    ];
    for name in names {
        for target in [gateway(), direct()] {
            let request = create(name);
            let snippet = fetch(&request, &target);
            let program = format!(
                "globalThis.fetch = async (url, options) => {{ console.log(JSON.stringify({{url, options}})); \
                 return {{ status: 200, json: async () => ({{}}) }}; }};\n\
                 process.env.STYTCH_PROJECT_ID = 'project-test-123'; process.env.STYTCH_SECRET = 'secret-test-456';\n{snippet}"
            );
            let output = Command::new("node")
                .args(["--input-type=module", "-e", &program])
                .output()
                .expect("node runs");
            assert!(
                output.status.success(),
                "{}\n{snippet}",
                String::from_utf8_lossy(&output.stderr)
            );
            let stdout = String::from_utf8(output.stdout).unwrap();
            let seen: Value = serde_json::from_str(stdout.lines().next().unwrap()).unwrap();
            assert_eq!(seen["options"]["method"], json!("POST"));
            let body: Value =
                serde_json::from_str(seen["options"]["body"].as_str().unwrap()).unwrap();
            assert_eq!(body, request.body.clone().unwrap(), "{snippet}");
            if matches!(target, Target::Direct { .. }) {
                assert_eq!(
                    seen["options"]["headers"]["Authorization"],
                    json!("Basic cHJvamVjdC10ZXN0LTEyMzpzZWNyZXQtdGVzdC00NTY=")
                );
            }
        }
    }
}

#[test]
fn rust_snippets_use_rust_escapes() {
    let text = reqwest(&create("tab\u{1f}"), &gateway());
    assert!(text.contains(r"tab\u{001f}"), "{text}");
    assert!(!text.contains(r"\u001f"), "{text}");
    assert!(
        text.contains(".post(\"http://127.0.0.1:8787/v1/b2b/organizations\")"),
        "{text}"
    );
}

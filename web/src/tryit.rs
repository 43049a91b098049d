//! The "Try it" console: endpoint list, generated form with inline
//! validation, JSON view, live snippets, send, response and history.

use crate::app::Console;
use crate::fields::{FieldInput, ParamInput};
use crate::http::{self, Class, Outcome};
use leptos::prelude::*;
use leptos::task::spawn_local;
use orgpolicy_api::catalog::{self, Endpoint, Group, Method, RequestProblems};
use orgpolicy_api::snippet::{self, SnippetRequest, Target};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The endpoint shown when nothing is chosen.
pub const DEFAULT_ENDPOINT: &str = "organizations.create";
const HISTORY_LIMIT: usize = 20;
/// The largest body history keeps, serialized; a larger one is not kept
/// (the row says so), so history stays far below browser storage quotas.
pub const HISTORY_BODY_MAX: usize = 8 * 1024;
/// How many organizations and members the id pickers offer.
const PICKER_ROWS: u32 = 100;

/// The endpoint with this id.
pub fn endpoint(id: &str) -> Option<Endpoint> {
    catalog::catalog()
        .into_iter()
        .find(|endpoint| endpoint.id == id)
}

fn group_name(group: Group) -> &'static str {
    match group {
        Group::Organizations => "Organizations",
        Group::Members => "Members",
        Group::Rbac => "RBAC",
    }
}

/// The request a form describes, even an invalid one ("send anyway"): a
/// path parameter that is not a valid value is percent-encoded, so the
/// gateway sees exactly what was typed and refuses it.
pub fn request_for(
    endpoint: &Endpoint,
    params: &BTreeMap<String, String>,
    body: &Value,
) -> SnippetRequest {
    let path = catalog::build_path(endpoint, params)
        .or_else(|| {
            catalog::fill_path(endpoint, |name| {
                let value = params.get(name).map(String::as_str).unwrap_or_default();
                // An empty parameter shows as its placeholder, as docs write it.
                Some(if value.is_empty() {
                    format!("{{{name}}}")
                } else {
                    js_sys::encode_uri_component(value).into()
                })
            })
        })
        .unwrap_or_default();
    SnippetRequest {
        method: endpoint.method,
        path: path + &catalog::query_string(endpoint, params),
        body: matches!(endpoint.method, Method::Post | Method::Put).then(|| body.clone()),
    }
}

/// A request sent from the console, kept for replay.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// This entry's own identity: rows are keyed by it, never by position.
    #[serde(default)]
    pub id: u64,
    pub endpoint: String,
    pub params: BTreeMap<String, String>,
    pub body: Value,
    pub method: String,
    pub path: String,
    pub status: u16,
    pub class: String,
    /// Whether the body was kept (bodies over [`HISTORY_BODY_MAX`] are not).
    #[serde(default = "kept")]
    pub body_kept: bool,
}

fn kept() -> bool {
    true
}

/// A new history entry's id: unique within this browser's history.
fn new_entry_id() -> u64 {
    let millis = js_sys::Date::now() as u64;
    let salt = (js_sys::Math::random() * 1_000_000.0) as u64;
    millis.wrapping_mul(1_000_000).wrapping_add(salt)
}

/// Whether a request needs a confirmation before it is sent, and why: a
/// DELETE always, a replayed write, and every write to a live project.
pub fn confirmation(endpoint: &Endpoint, replay: bool, live: bool) -> Option<String> {
    let write = endpoint.method != Method::Get;
    let live_note = if live {
        " The upstream is a live project: this changes real data."
    } else {
        ""
    };
    if endpoint.method == Method::Delete {
        Some(format!(
            "{}: this cannot be undone.{live_note}",
            endpoint.summary
        ))
    } else if replay && write {
        Some(format!(
            "Replaying sends this {} again: {}.{live_note}",
            endpoint.method.as_str(),
            endpoint.summary
        ))
    } else if live && write {
        Some(format!("{}.{live_note}", endpoint.summary))
    } else {
        None
    }
}

/// The history kept in browser storage (bad or old entries are dropped).
pub fn load_history() -> Vec<HistoryEntry> {
    crate::storage::get(crate::storage::HISTORY_KEY)
        .and_then(|text| serde_json::from_str::<Vec<HistoryEntry>>(&text).ok())
        .unwrap_or_default()
        .into_iter()
        .filter(|entry| endpoint(&entry.endpoint).is_some())
        .take(HISTORY_LIMIT)
        .enumerate()
        .map(|(index, mut entry)| {
            // Entries from before ids: their position, once, as identity.
            if entry.id == 0 {
                entry.id = index as u64 + 1;
            }
            entry
        })
        .collect()
}

/// Saves the history; whether browser storage took it.
fn save_history(history: &[HistoryEntry]) -> bool {
    serde_json::to_string(history)
        .is_ok_and(|text| crate::storage::set(crate::storage::HISTORY_KEY, &text))
}

/// Whether an endpoint matches a filter: every word of it appears in the
/// endpoint's summary, path, method or id (case aside).
pub fn matches_filter(endpoint: &Endpoint, filter: &str) -> bool {
    let haystack = format!(
        "{} {} {} {}",
        endpoint.summary,
        endpoint.path,
        endpoint.method.as_str(),
        endpoint.id
    )
    .to_lowercase();
    filter
        .to_lowercase()
        .split_whitespace()
        .all(|word| haystack.contains(word))
}

/// Which snippet is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Curl,
    Fetch,
    Rust,
}

impl Language {
    const ALL: [Language; 3] = [Language::Curl, Language::Fetch, Language::Rust];

    fn label(self) -> &'static str {
        match self {
            Language::Curl => "curl",
            Language::Fetch => "JavaScript fetch",
            Language::Rust => "Rust (reqwest)",
        }
    }
}

/// The base URL direct snippets use, by upstream kind.
fn direct_base(console: &Console) -> String {
    if console.info.with(crate::gateway::InfoState::is_live) {
        "https://api.stytch.com".to_owned()
    } else {
        "https://test.stytch.com".to_owned()
    }
}

/// Renders a snippet.
pub fn render_snippet(request: &SnippetRequest, language: Language, target: &Target) -> String {
    match language {
        Language::Curl => snippet::curl(request, target),
        Language::Fetch => snippet::fetch(request, target),
        Language::Rust => snippet::reqwest(request, target),
    }
}

fn copy_to_clipboard(text: String, status: RwSignal<String>) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let promise = window.navigator().clipboard().write_text(&text);
    spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(promise).await {
            Ok(_) => status.set("Copied".to_owned()),
            Err(_) => status.set("Copy failed: select the text and copy it".to_owned()),
        }
    });
}

#[component]
pub fn TryIt(console: Console, selected: RwSignal<String>) -> impl IntoView {
    let form = console.form;
    let history = RwSignal::new(load_history());
    let response = RwSignal::new(None::<Outcome>);
    let sending = RwSignal::new(false);
    let blocked = RwSignal::new(false);
    let attempted = RwSignal::new(false);
    let language = RwSignal::new(Language::Curl);
    let direct = RwSignal::new(false);
    let copied = RwSignal::new(String::new());
    // What history could not keep, said under it.
    let history_note = RwSignal::new(String::new());
    // A send waiting for its confirmation: the reason, and "send anyway".
    let confirming = RwSignal::new(None::<(String, bool)>);
    let replaying = StoredValue::new(false);
    // Pickers for id fields: the organizations the gateway knows, and the
    // members of the organization the form names.
    let known_organizations = RwSignal::new(Vec::<crate::browse::OrganizationRow>::new());
    let known_members = RwSignal::new(Vec::<crate::browse::MemberRow>::new());
    let refresh_organizations = move || {
        spawn_local(async move {
            let body = serde_json::json!({"limit": PICKER_ROWS});
            if let Ok((rows, _, _)) =
                crate::browse::search_page(console, &crate::browse::ORGANIZATIONS, &body).await
            {
                known_organizations.set(rows);
            }
        });
    };
    // Refreshed when the gateway changes, when an endpoint that takes an
    // organization id is opened, and after a write.
    Effect::new(move |_| {
        console.gateway.track();
        let takes_organization = endpoint(&selected.get()).is_some_and(|endpoint| {
            endpoint.path_params.contains(&"organization_id")
                || endpoint
                    .query
                    .iter()
                    .any(|field| field.name == "organization_id")
        });
        if takes_organization {
            refresh_organizations();
        }
    });
    // The organization the form names, once it is one the gateway knows (by
    // id or slug): typing an id does not search on every keystroke.
    let named_organization = Memo::new(move |_| {
        let typed = form
            .params
            .with(|params| params.get("organization_id").cloned().unwrap_or_default());
        known_organizations.with(|known| {
            known
                .iter()
                .any(|o| o.organization_id == typed || o.slug == typed)
                .then_some(typed)
        })
    });
    Effect::new(move |_| {
        let Some(organization) = named_organization.get() else {
            known_members.set(Vec::new());
            return;
        };
        spawn_local(async move {
            let body = serde_json::json!({"organization_ids": [organization.clone()], "limit": PICKER_ROWS});
            if let Ok((rows, _, _)) =
                crate::browse::search_page(console, &crate::browse::MEMBERS, &body).await
                // Only if the form still names this organization.
                && named_organization.get_untracked().as_deref() == Some(organization.as_str())
            {
                known_members.set(rows);
            }
        });
    });

    let current =
        Memo::new(move |_| endpoint(&selected.get()).or_else(|| endpoint(DEFAULT_ENDPOINT)));
    // A new endpoint starts with an empty body; path parameters carry over.
    let last_endpoint = StoredValue::new(String::new());
    Effect::new(move |_| {
        let id = selected.get();
        if last_endpoint.get_value() != id {
            if !last_endpoint.get_value().is_empty() {
                form.set_body(Value::Object(serde_json::Map::new()));
                response.set(None);
                attempted.set(false);
                blocked.set(false);
                confirming.set(None);
            }
            last_endpoint.set_value(id);
        }
    });
    let problems = Memo::new(move |_| {
        let Some(endpoint) = current.get() else {
            return RequestProblems::default();
        };
        let project = console.project.read();
        form.params.with(|params| {
            form.body
                .with(|body| catalog::check_request(&endpoint, params, body, project.as_ref()))
        })
    });
    // What the form shows: everything, except a missing required field the
    // user has not reached yet (until a send attempt).
    let shown = Memo::new(move |_| {
        let attempted = attempted.get();
        let keep = |problem: &orgpolicy_core::Problem| {
            attempted
                || !orgpolicy_api::codes::is_missing(problem.code)
                || crate::fields::field_of(problem)
                    .is_some_and(|field| form.touched.with(|touched| touched.contains(&field)))
        };
        problems.with(|all| RequestProblems {
            path: all.path.iter().filter(|p| keep(p)).cloned().collect(),
            body: all.body.iter().filter(|p| keep(p)).cloned().collect(),
        })
    });
    let request = Memo::new(move |_| {
        current.get().map(|endpoint| {
            form.params
                .with(|params| form.body.with(|body| request_for(&endpoint, params, body)))
        })
    });
    let snippet_text = Memo::new(move |_| {
        let Some(request) = request.get() else {
            return String::new();
        };
        let target = if direct.get() {
            Target::Direct {
                base: direct_base(&console),
            }
        } else {
            Target::Gateway {
                base: console
                    .gateway
                    .get()
                    .unwrap_or_else(|| "http://127.0.0.1:8787".to_owned()),
            }
        };
        render_snippet(&request, language.get(), &target)
    });
    Effect::new(move |_| {
        snippet_text.track();
        copied.set(String::new());
    });

    let dispatch = move |anyway: bool, confirmed: bool| {
        if sending.get_untracked() {
            return;
        }
        attempted.set(true);
        if problems.with_untracked(RequestProblems::has_errors) && !anyway {
            blocked.set(true);
            confirming.set(None);
            // Focus goes to the first field the form flags.
            request_animation_frame(move || {
                if !crate::dom::focus_first("request-form", "[aria-invalid=\"true\"]") {
                    crate::dom::focus("send-anyway");
                }
            });
            return;
        }
        blocked.set(false);
        let (Some(request), Some(endpoint)) = (request.get_untracked(), current.get_untracked())
        else {
            return;
        };
        let live = console
            .info
            .with_untracked(crate::gateway::InfoState::is_live);
        if !confirmed && let Some(reason) = confirmation(&endpoint, replaying.get_value(), live) {
            confirming.set(Some((reason, anyway)));
            request_animation_frame(|| crate::dom::focus("confirm-send"));
            return;
        }
        confirming.set(None);
        replaying.set_value(false);
        let Some((base, token)) = console.target() else {
            response.set(Some(Outcome {
                status: 0,
                status_text: String::new(),
                duration_ms: 0.0,
                size: 0,
                request_id: None,
                headers: Vec::new(),
                body: String::new(),
                class: Class::Network,
                hint: Some(crate::app::NO_GATEWAY.to_owned()),
            }));
            return;
        };
        let params = form.params.get_untracked();
        let body = form.body.get_untracked();
        sending.set(true);
        spawn_local(async move {
            let text = request.body.as_ref().map(Value::to_string);
            let outcome = http::send(
                &base,
                &token,
                request.method,
                &request.path,
                text.as_deref(),
            )
            .await;
            let body_kept =
                serde_json::to_string(&body).map_or(0, |text| text.len()) <= HISTORY_BODY_MAX;
            let entry = HistoryEntry {
                id: new_entry_id(),
                endpoint: endpoint.id.to_owned(),
                params,
                body: if body_kept { body } else { Value::Null },
                method: request.method.as_str().to_owned(),
                path: request.path.clone(),
                status: outcome.status,
                class: outcome.class.label().to_owned(),
                body_kept,
            };
            let mut stored = true;
            history.update(|history| {
                history.insert(0, entry);
                history.truncate(HISTORY_LIMIT);
                stored = save_history(history);
            });
            history_note.set(match (stored, body_kept) {
                (false, _) => "Browser storage did not take the history: it is shown here and lost on reload.".to_owned(),
                (true, false) => format!(
                    "The last request's body is over {} KB and was not kept: its row cannot be replayed.",
                    HISTORY_BODY_MAX / 1024
                ),
                (true, true) => String::new(),
            });
            let wrote = outcome.class == Class::Success && request.method != Method::Get;
            response.set(Some(outcome));
            sending.set(false);
            // A write may have added or removed what the pickers offer.
            if wrote {
                refresh_organizations();
            }
            // The answer in view: the response panel is sticky on wide
            // screens, below the form on narrow ones.
            request_animation_frame(|| crate::dom::reveal("response-title"));
        });
    };

    let replay = move |entry: HistoryEntry| {
        selected.set(entry.endpoint.clone());
        last_endpoint.set_value(entry.endpoint.clone());
        set_hash(&format!("#/try/{}", entry.endpoint));
        form.params.set(entry.params);
        form.set_body(entry.body);
        replaying.set_value(true);
        dispatch(true, false);
    };

    let filter = RwSignal::new(String::new());
    // "/" anywhere but in a text field jumps to the filter.
    let shortcut = window_event_listener(leptos::ev::keydown, move |ev| {
        if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let typing = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.active_element())
            .is_some_and(|element| {
                matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
            });
        if !typing {
            ev.prevent_default();
            crate::dom::focus("endpoint-filter");
        }
    });
    on_cleanup(move || shortcut.remove());
    let shown_count = Memo::new(move |_| {
        filter.with(|filter| {
            catalog::catalog()
                .iter()
                .filter(|endpoint| matches_filter(endpoint, filter))
                .count()
        })
    });
    let open_first = move || {
        let first = filter.with_untracked(|filter| {
            catalog::catalog()
                .into_iter()
                .find(|endpoint| matches_filter(endpoint, filter))
        });
        if let Some(endpoint) = first {
            selected.set(endpoint.id.to_owned());
            set_hash(&format!("#/try/{}", endpoint.id));
            request_animation_frame(|| crate::dom::focus("endpoint-title"));
        }
    };
    let nav = {
        let mut groups: Vec<(Group, Vec<Endpoint>)> = Vec::new();
        for endpoint in catalog::catalog() {
            match groups
                .iter_mut()
                .find(|(group, _)| *group == endpoint.group)
            {
                Some((_, list)) => list.push(endpoint),
                None => groups.push((endpoint.group, vec![endpoint])),
            }
        }
        groups
            .into_iter()
            .map(|(group, endpoints)| {
                let heading_id = format!("group-{}", group_name(group).to_lowercase());
                let members: Vec<Endpoint> = endpoints.clone();
                let empty = move || {
                    filter.with(|filter| !members.iter().any(|e| matches_filter(e, filter)))
                };
                view! {
                    <h3 id=heading_id.clone() hidden=empty.clone()>{group_name(group)}</h3>
                    <ul aria-labelledby=heading_id hidden=empty>
                        {endpoints
                            .into_iter()
                            .map(|endpoint| {
                                let id = endpoint.id;
                                let matched = endpoint.clone();
                                view! {
                                    <li hidden=move || filter.with(|filter| !matches_filter(&matched, filter))>
                                        <a
                                            href=format!("#/try/{id}")
                                            class="endpoint-link"
                                            aria-current=move || (selected.get() == id).then_some("page")
                                            on:click=move |_| {
                                                selected.set(id.to_owned());
                                                // Focus follows the choice to the form it opens.
                                                request_animation_frame(|| crate::dom::focus("endpoint-title"));
                                            }
                                        >
                                            <span class=format!("method {}", endpoint.method.as_str().to_lowercase())>
                                                {endpoint.method.as_str()}
                                            </span>
                                            " "
                                            {endpoint.summary}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
            })
            .collect_view()
    };

    let form_view = move || {
        current.get().map(|endpoint| {
            let params = endpoint
                .path_params
                .iter()
                .map(|name| view! { <ParamInput name=name form=form problems=shown /> })
                .collect_view();
            let query = endpoint
                .query
                .iter()
                .map(|field| {
                    view! { <ParamInput name=field.name form=form problems=shown optional=true /> }
                })
                .collect_view();
            let fields = endpoint
                .body
                .iter()
                .cloned()
                .map(|field| view! { <FieldInput field=field form=form problems=shown /> })
                .collect_view();
            let has_body = matches!(endpoint.method, Method::Post | Method::Put);
            view! {
                <h2 id="endpoint-title" tabindex="-1">
                    <span class=format!("method {}", endpoint.method.as_str().to_lowercase())>
                        {endpoint.method.as_str()}
                    </span>
                    " "
                    <code>{endpoint.path}</code>
                </h2>
                <p class="summary">{crate::dom::rich_text(endpoint.summary)}</p>
                {orgpolicy_api::examples::example(endpoint.id).map(|example| {
                    view! {
                        <p class="example-row">
                            <button
                                type="button"
                                id="fill-example"
                                class="secondary"
                                on:click=move |_| {
                                    form.params.set(
                                        example
                                            .params
                                            .iter()
                                            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
                                            .collect(),
                                    );
                                    form.set_body(example.body.clone());
                                }
                            >
                                "Fill example"
                            </button>
                            " "
                            <span class="muted">"(against the sandbox's demo project)"</span>
                        </p>
                    }
                })}
                {(!endpoint.path_params.is_empty())
                    .then(|| view! { <fieldset class="params"><legend>"Path"</legend>{params}</fieldset> })}
                {(!endpoint.query.is_empty())
                    .then(|| view! { <fieldset class="params"><legend>"Query"</legend>{query}</fieldset> })}
                {has_body
                    .then(|| {
                        view! {
                            <div class="body-columns">
                                <fieldset class="body-fields">
                                    <legend>"Body"</legend>
                                    {fields}
                                </fieldset>
                                <div class="json-view">
                                    <label for="json-body">"JSON body"</label>
                                    <textarea
                                        id="json-body"
                                        spellcheck="false"
                                        rows="16"
                                        aria-describedby="json-body-error"
                                        aria-invalid=move || form.json_error.with(Option::is_some).to_string()
                                        prop:value=move || form.json_text.get()
                                        on:input=move |ev| form.set_json_text(event_target_value(&ev))
                                    ></textarea>
                                    <p id="json-body-error" class="field-error">
                                        {move || form.json_error.get()}
                                    </p>
                                </div>
                            </div>
                        }
                    })}
            }
        })
    };

    let summary = move || {
        problems.with(|problems| {
            let errors = problems
                .path
                .iter()
                .chain(&problems.body)
                .filter(|p| p.severity == orgpolicy_core::Severity::Error)
                .count();
            let warnings = problems.path.len() + problems.body.len() - errors;
            match (errors, warnings) {
                (0, 0) => "No problems found.".to_owned(),
                (0, w) => format!("{w} warning(s); ready to send."),
                (e, _) => format!("{e} problem(s) to fix before sending."),
            }
        })
    };
    // Problems the form cannot place next to a field (a body that is not an
    // object, an unknown field).
    let unplaced = move || {
        shown.with(|problems| {
            let endpoint = current.get();
            problems
                .body
                .iter()
                .filter(|problem| {
                    let top = crate::fields::field_of(problem);
                    !endpoint.as_ref().is_some_and(|e| {
                        e.body
                            .iter()
                            .any(|field| Some(field.name) == top.as_deref())
                    })
                })
                .map(|problem| {
                    view! {
                        <li>
                            <code>{problem.code.as_str()}</code>
                            " "
                            {crate::dom::rich_text(&problem.message)}
                            {(!problem.path.is_empty())
                                .then(|| format!(" (at {})", problem.path))}
                        </li>
                    }
                })
                .collect_view()
        })
    };

    view! {
        <div class="tryit">
            <datalist id="ids-organization_id">
                {move || {
                    known_organizations
                        .get()
                        .into_iter()
                        .map(|o| view! { <option value=o.organization_id>{format!("{} ({})", o.name, o.slug)}</option> })
                        .collect_view()
                }}
            </datalist>
            <datalist id="ids-member_id">
                {move || {
                    known_members
                        .get()
                        .into_iter()
                        .map(|m| view! { <option value=m.member_id>{m.email_address}</option> })
                        .collect_view()
                }}
            </datalist>
            <nav class="endpoints" aria-label="Endpoints">
                <label for="endpoint-filter" class="visually-hidden">"Find an endpoint"</label>
                <input
                    id="endpoint-filter"
                    type="search"
                    placeholder="Find an endpoint (press /)"
                    autocomplete="off"
                    aria-keyshortcuts="/"
                    aria-describedby="endpoint-count"
                    prop:value=move || filter.get()
                    on:input=move |ev| filter.set(event_target_value(&ev))
                    on:keydown=move |ev| {
                        if ev.key() == "Enter" {
                            ev.prevent_default();
                            open_first();
                        } else if ev.key() == "Escape" {
                            filter.set(String::new());
                        }
                    }
                />
                <p id="endpoint-count" class="muted" aria-live="polite">
                    {move || {
                        let total = catalog::catalog().len();
                        let shown = shown_count.get();
                        if shown == total {
                            format!("{total} endpoints")
                        } else {
                            format!("{shown} of {total} endpoints")
                        }
                    }}
                </p>
                {nav}
            </nav>
            <section class="request" aria-labelledby="endpoint-title">
                <form
                    id="request-form"
                    novalidate=true
                    on:submit=move |ev| ev.prevent_default()
                    on:keydown=move |ev| {
                        if (ev.ctrl_key() || ev.meta_key()) && ev.key() == "Enter" {
                            ev.prevent_default();
                            dispatch(false, false);
                        }
                    }
                >
                    {form_view}
                    <ul class="unplaced">{unplaced}</ul>
                    <p id="problem-summary" class="problem-summary" aria-live="polite">{summary}</p>
                    <div class="actions">
                        <button
                            type="button"
                            id="send"
                            aria-keyshortcuts="Control+Enter Meta+Enter"
                            disabled=move || sending.get()
                            on:click=move |_| dispatch(false, false)
                        >
                            {move || if sending.get() { "Sending…" } else { "Send" }}
                        </button>
                        {move || {
                            (blocked.get() && problems.with(RequestProblems::has_errors))
                                .then(|| {
                                    view! {
                                        <span class="blocked" role="alert">
                                            "The form has problems. "
                                            <button
                                                type="button"
                                                id="send-anyway"
                                                class="secondary"
                                                on:click=move |_| dispatch(true, false)
                                            >
                                                "Send anyway"
                                            </button>
                                        </span>
                                    }
                                })
                        }}
                        <span class="shortcut">"Ctrl+Enter sends"</span>
                    </div>
                    {move || {
                        confirming
                            .get()
                            .map(|(reason, anyway)| {
                                view! {
                                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-reason">
                                        <p id="confirm-reason">{reason}</p>
                                        <button
                                            type="button"
                                            id="confirm-send"
                                            class="danger"
                                            on:click=move |_| dispatch(anyway, true)
                                        >
                                            {move || format!("Send {}", current.get().map_or("", |e| e.method.as_str()))}
                                        </button>
                                        " "
                                        <button
                                            type="button"
                                            id="confirm-cancel"
                                            class="secondary"
                                            on:click=move |_| {
                                                confirming.set(None);
                                                replaying.set_value(false);
                                                crate::dom::focus("send");
                                            }
                                        >
                                            "Cancel"
                                        </button>
                                    </div>
                                }
                            })
                    }}
                </form>
                <Snippets language=language direct=direct text=snippet_text copied=copied />
            </section>
            <section class="response-column" aria-labelledby="response-title">
                <h2 id="response-title" tabindex="-1">"Response"</h2>
                // One live region for the whole life of the page: a region
                // created with its content is not announced.
                <div id="response-live" aria-live="polite">
                    <ResponseView response=response sending=sending />
                </div>
                <h2 id="history-title">"History"</h2>
                <ol class="history" aria-labelledby="history-title">
                    <For
                        each=move || history.get()
                        key=|entry| entry.id
                        children=move |entry| {
                            let replayed = entry.clone();
                            let label = format!(" {} {}", entry.method, entry.path);
                            let replayable = entry.body_kept;
                            view! {
                                <li data-entry=entry.id.to_string()>
                                    <span class="method">{entry.method.clone()}</span>
                                    " "
                                    <code>{entry.path.clone()}</code>
                                    " "
                                    <span class="status">{entry.status.to_string()}</span>
                                    " "
                                    {if replayable {
                                        view! {
                                            <button
                                                type="button"
                                                class="secondary replay"
                                                on:click=move |_| replay(replayed.clone())
                                            >
                                                "Replay"
                                                <span class="visually-hidden">{label}</span>
                                            </button>
                                        }
                                        .into_any()
                                    } else {
                                        view! { <span class="muted">"(body not kept)"</span> }.into_any()
                                    }}
                                </li>
                            }
                        }
                    />
                </ol>
                <p id="history-note" class="field-warning" aria-live="polite">{move || history_note.get()}</p>
                {move || {
                    (!history.with(Vec::is_empty))
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| {
                                        history.set(Vec::new());
                                        history_note.set(String::new());
                                        crate::storage::remove(crate::storage::HISTORY_KEY);
                                    }
                                >
                                    "Clear history"
                                </button>
                            }
                        })
                }}
            </section>
        </div>
    }
}

/// Sets the page's hash without reloading.
pub fn set_hash(hash: &str) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(hash);
    }
}

#[component]
fn Snippets(
    language: RwSignal<Language>,
    direct: RwSignal<bool>,
    text: Memo<String>,
    copied: RwSignal<String>,
) -> impl IntoView {
    view! {
        <section class="snippets" aria-labelledby="snippets-title">
            <h2 id="snippets-title">"Code"</h2>
            <div class="tabs" role="group" aria-label="Language">
                {Language::ALL
                    .into_iter()
                    .map(|choice| {
                        view! {
                            <button
                                type="button"
                                class="tab"
                                data-language=choice.label()
                                aria-pressed=move || (language.get() == choice).to_string()
                                on:click=move |_| language.set(choice)
                            >
                                {choice.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div class="tabs" role="group" aria-label="Target">
                <button
                    type="button"
                    class="tab"
                    id="target-gateway"
                    aria-pressed=move || (!direct.get()).to_string()
                    on:click=move |_| direct.set(false)
                >
                    "Through the gateway"
                </button>
                <button
                    type="button"
                    class="tab"
                    id="target-direct"
                    aria-pressed=move || direct.get().to_string()
                    on:click=move |_| direct.set(true)
                >
                    "Direct to the API"
                </button>
            </div>
            <pre class="snippet" tabindex="0" role="region" aria-label="Code snippet"><code id="snippet">{move || text.get()}</code></pre>
            <button
                type="button"
                id="copy-snippet"
                class="secondary"
                on:click=move |_| copy_to_clipboard(text.get_untracked(), copied)
            >
                "Copy"
            </button>
            <span class="copied" aria-live="polite">{move || copied.get()}</span>
        </section>
    }
}

fn format_size(bytes: usize) -> String {
    if bytes < 1024 {
        format!("{bytes} B")
    } else {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    }
}

#[component]
fn ResponseView(response: RwSignal<Option<Outcome>>, sending: RwSignal<bool>) -> impl IntoView {
    move || {
        let Some(outcome) = response.get() else {
            return view! {
                <p class="muted">
                    {move || if sending.get() { "Sending…" } else { "Send a request to see the answer here." }}
                </p>
            }
            .into_any();
        };
        let header_count = outcome.headers.len();
        let headers = outcome
            .headers
            .iter()
            .map(|(name, value)| {
                view! {
                    <tr>
                        <th scope="row">{name.clone()}</th>
                        <td>{value.clone()}</td>
                    </tr>
                }
            })
            .collect_view();
        let status = if outcome.status == 0 {
            "no answer".to_owned()
        } else {
            format!("{} {}", outcome.status, outcome.status_text)
        };
        let detail = match &outcome.class {
            Class::Gateway(code) => Some(code.clone()),
            Class::Upstream(error_type) => error_type.clone(),
            _ => None,
        };
        view! {
            <div id="response" class=format!("response {}", outcome.class.css())>
                <p class="status-line">
                    <span id="response-status" class="status">{status}</span>
                    <span class="class-label">{outcome.class.label()}</span>
                    {detail.map(|detail| view! { <code class="error-type">{detail}</code> })}
                </p>
                <dl class="facts">
                    <dt>"Time"</dt>
                    <dd id="response-duration">{format!("{:.0} ms", outcome.duration_ms)}</dd>
                    <dt>"Size"</dt>
                    <dd id="response-size">{format_size(outcome.size)}</dd>
                    <dt>"Request id"</dt>
                    <dd id="response-request-id">{outcome.request_id.clone().unwrap_or_else(|| "—".to_owned())}</dd>
                </dl>
                {outcome.hint.clone().map(|hint| view! { <p class="hint">{crate::dom::rich_text(&hint)}</p> })}
                <details>
                    <summary>{format!("Headers ({header_count})")}</summary>
                    <table class="headers">
                        <tbody>{headers}</tbody>
                    </table>
                </details>
                <pre class="response-body" tabindex="0" role="region" aria-label="Response body"><code id="response-body">{outcome.body.clone()}</code></pre>
            </div>
        }
        .into_any()
    }
}

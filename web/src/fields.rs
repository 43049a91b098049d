//! The request form's state and one widget per catalog field type.
//!
//! The body is one JSON value; every widget reads its field from it and
//! writes its field back, and the JSON view reads and writes the whole of
//! it, so the form and the JSON view never disagree.

use leptos::prelude::*;
use orgpolicy_api::catalog::{Field, FieldType, RequestProblems};
use orgpolicy_core::Problem;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// One endpoint form: path parameters, body, and the JSON view's text.
#[derive(Debug, Clone, Copy)]
pub struct FormState {
    pub params: RwSignal<BTreeMap<String, String>>,
    pub body: RwSignal<Value>,
    /// The JSON view's text; differs from `body` only while it does not parse.
    pub json_text: RwSignal<String>,
    pub json_error: RwSignal<Option<String>>,
    /// Fields the user has edited: a missing required field is flagged once
    /// touched, or after a send attempt, not on an untouched new form.
    pub touched: RwSignal<std::collections::BTreeSet<String>>,
}

impl Default for FormState {
    fn default() -> Self {
        Self::new()
    }
}

/// Pretty JSON for the JSON view.
pub fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

impl FormState {
    pub fn new() -> Self {
        let body = Value::Object(Map::new());
        Self {
            params: RwSignal::new(BTreeMap::new()),
            json_text: RwSignal::new(pretty(&body)),
            body: RwSignal::new(body),
            json_error: RwSignal::new(None),
            touched: RwSignal::new(std::collections::BTreeSet::new()),
        }
    }

    /// Replaces the whole body (a replay, an endpoint switch).
    pub fn set_body(&self, body: Value) {
        self.touched.update(std::collections::BTreeSet::clear);
        self.json_text.set(pretty(&body));
        self.json_error.set(None);
        self.body.set(body);
    }

    /// Sets one top-level body field; `None` removes it.
    pub fn set_field(&self, name: &str, value: Option<Value>) {
        self.touch(name);
        self.body.update(|body| {
            if !body.is_object() {
                *body = Value::Object(Map::new());
            }
            if let Some(object) = body.as_object_mut() {
                match value {
                    Some(value) => {
                        object.insert(name.to_owned(), value);
                    }
                    None => {
                        object.remove(name);
                    }
                }
            }
        });
        self.json_text.set(self.body.with_untracked(pretty));
        self.json_error.set(None);
    }

    /// One top-level body field (tracked).
    pub fn field(&self, name: &str) -> Option<Value> {
        self.body.with(|body| body.get(name).cloned())
    }

    /// The JSON view was edited: keep the text, take the value if it parses.
    pub fn set_json_text(&self, text: String) {
        match serde_json::from_str::<Value>(&text) {
            Ok(value) => {
                self.json_error.set(None);
                self.body.set(value);
            }
            Err(error) => self
                .json_error
                .set(Some(format!("not valid JSON: {error}"))),
        }
        self.json_text.set(text);
    }

    fn touch(&self, name: &str) {
        if !self
            .touched
            .with_untracked(|touched| touched.contains(name))
        {
            self.touched.update(|touched| {
                touched.insert(name.to_owned());
            });
        }
    }

    pub fn set_param(&self, name: &str, value: String) {
        self.touch(name);
        self.params.update(|params| {
            if value.is_empty() {
                params.remove(name);
            } else {
                params.insert(name.to_owned(), value);
            }
        });
    }
}

/// The top-level field a problem is about: the first token of its pointer,
/// or, for a missing field (whose pointer is the body itself), the field it
/// names.
pub fn field_of(problem: &Problem) -> Option<String> {
    match problem.path.strip_prefix('/') {
        Some(rest) => Some(
            rest.split('/')
                .next()
                .unwrap_or_default()
                .replace("~1", "/")
                .replace("~0", "~"),
        ),
        None if problem.code == orgpolicy_core::ProblemCode::MissingField => {
            problem.message.split('`').nth(1).map(str::to_owned)
        }
        None => None,
    }
}

/// Problems about the field `name`.
pub fn problems_at<'p>(problems: &'p [Problem], name: &str) -> Vec<&'p Problem> {
    problems
        .iter()
        .filter(|problem| field_of(problem).as_deref() == Some(name))
        .collect()
}

fn describe(problem: &Problem, base: &str) -> String {
    let inner = problem.path.strip_prefix(base).unwrap_or_default();
    if inner.is_empty() {
        problem.message.clone()
    } else {
        format!("{} (at {inner})", problem.message)
    }
}

/// The message list under a field, with the id the input points at.
#[component]
pub fn FieldMessages(
    id: String,
    problems: Memo<RequestProblems>,
    name: &'static str,
    path_param: bool,
) -> impl IntoView {
    let base = format!("/{name}");
    let messages = move || {
        problems.with(|all| {
            let list = if path_param { &all.path } else { &all.body };
            problems_at(list, name)
                .into_iter()
                .map(|problem| (problem.severity, describe(problem, &base)))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div id=id class="field-messages">
            {move || {
                messages()
                    .into_iter()
                    .map(|(severity, message)| {
                        let class = match severity {
                            orgpolicy_core::Severity::Error => "field-error",
                            orgpolicy_core::Severity::Warning => "field-warning",
                        };
                        view! { <p class=class>{crate::dom::rich_text(&message)}</p> }
                    })
                    .collect_view()
            }}
        </div>
    }
}

fn text_of(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(text)) => text.clone(),
        Some(other) => other.to_string(),
    }
}

/// A path parameter input.
#[component]
pub fn ParamInput(
    name: &'static str,
    form: FormState,
    problems: Memo<RequestProblems>,
    /// A query parameter the endpoint may go without.
    #[prop(optional)]
    optional: bool,
) -> impl IntoView {
    let input_id = format!("p-{name}");
    let messages_id = format!("pe-{name}");
    let invalid =
        move || problems.with(|all| (!problems_at(&all.path, name).is_empty()).to_string());
    view! {
        <div class="field">
            <label for=input_id.clone()>
                <code>{name}</code>
                {(!optional)
                    .then(|| {
                        view! {
                            <span class="required" aria-hidden="true">" *"</span>
                            <span class="visually-hidden">" (required)"</span>
                        }
                    })}
            </label>
            <input
                id=input_id
                type="text"
                autocomplete="off"
                spellcheck="false"
                // Ids get a picker of the ones the gateway knows (Try it fills it).
                list=matches!(name, "organization_id" | "member_id").then(|| format!("ids-{name}"))
                required=!optional
                aria-invalid=invalid
                aria-describedby=messages_id.clone()
                prop:value=move || form.params.with(|p| p.get(name).cloned().unwrap_or_default())
                on:input=move |ev| form.set_param(name, event_target_value(&ev))
            />
            <FieldMessages id=messages_id problems=problems name=name path_param=true />
        </div>
    }
}

/// A body field input, generated from its catalog entry.
#[component]
pub fn FieldInput(field: Field, form: FormState, problems: Memo<RequestProblems>) -> impl IntoView {
    let name = field.name;
    let input_id = format!("f-{name}");
    let doc_id = format!("d-{name}");
    let messages_id = format!("e-{name}");
    let described = format!("{doc_id} {messages_id}");
    let invalid = move || {
        problems.with(|all| {
            problems_at(&all.body, name)
                .iter()
                .any(|p| p.severity == orgpolicy_core::Severity::Error)
                .to_string()
        })
    };
    let default_note = field
        .default
        .map(|default| format!("API default: {}", default.trim_matches('"')));
    let control = match field.field_type.clone() {
        FieldType::String | FieldType::Integer => {
            let numeric = field.field_type == FieldType::Integer;
            view! {
                <input
                    id=input_id.clone()
                    type="text"
                    inputmode=numeric.then_some("numeric")
                    autocomplete="off"
                    spellcheck="false"
                    aria-invalid=invalid
                    aria-describedby=described.clone()
                    placeholder=default_note.clone()
                    prop:value=move || text_of(form.field(name).as_ref())
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let value = match text.trim().parse::<i64>() {
                            _ if text.is_empty() => None,
                            Ok(number) if numeric => Some(Value::from(number)),
                            // Not a number: sent as a string, so the API's
                            // error path can be tried.
                            _ => Some(Value::String(text)),
                        };
                        form.set_field(name, value);
                    }
                />
            }
            .into_any()
        }
        FieldType::Boolean | FieldType::Enum { .. } => {
            let boolean = field.field_type == FieldType::Boolean;
            let values: &'static [&'static str] = match field.field_type {
                FieldType::Enum { values } => values,
                _ => &["true", "false"],
            };
            let current = move || text_of(form.field(name).as_ref());
            let unset = default_note
                .clone()
                .map_or_else(|| "(not set)".to_owned(), |note| format!("(not set: {note})"));
            view! {
                <select
                    id=input_id.clone()
                    aria-invalid=invalid
                    aria-describedby=described.clone()
                    on:change=move |ev| {
                        let text = event_target_value(&ev);
                        let value = match text.as_str() {
                            "" => None,
                            "true" if boolean => Some(Value::Bool(true)),
                            "false" if boolean => Some(Value::Bool(false)),
                            _ => Some(Value::String(text)),
                        };
                        form.set_field(name, value);
                    }
                >
                    <option value="" prop:selected=move || current().is_empty()>{unset}</option>
                    {values
                        .iter()
                        .map(|value| {
                            let value: &'static str = value;
                            view! {
                                <option value=value prop:selected=move || current() == value>
                                    {value}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        FieldType::EnumList { values } => {
            let has = move |value: &str| {
                form.field(name)
                    .and_then(|list| list.as_array().cloned())
                    .is_some_and(|list| list.iter().any(|item| item.as_str() == Some(value)))
            };
            view! {
                <div class="checks">
                    {values
                        .iter()
                        .map(|value| {
                            let value: &'static str = value;
                            let check_id = format!("f-{name}-{value}");
                                let label_for = check_id.clone();
                            view! {
                                <label for=label_for class="check">
                                    <input
                                        id=check_id
                                        type="checkbox"
                                        prop:checked=move || has(value)
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let mut list = list_of(&form, name);
                                            list.retain(|item| item.as_str() != Some(value));
                                            if on {
                                                list.push(Value::String(value.to_owned()));
                                            }
                                            form.set_field(name, (!list.is_empty()).then_some(Value::Array(list)));
                                        }
                                    />
                                    {value}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
        FieldType::StringList => view! {
            <ListEditor name=name form=form columns=None />
        }
        .into_any(),
        FieldType::ObjectList { fields } => view! {
            <ListEditor name=name form=form columns=Some(fields) />
        }
        .into_any(),
        FieldType::Object | FieldType::SearchQuery => view! {
            <JsonFieldEditor name=name form=form input_id=input_id.clone() described=described.clone() />
        }
        .into_any(),
    };
    let required = field.required.then(|| {
        view! {
            <span class="required" aria-hidden="true">" *"</span>
            <span class="visually-hidden">" (required)"</span>
        }
    });
    // Lists and checkbox sets are groups of inputs: a fieldset named by its
    // legend, not a label pointing at no input.
    let grouped = matches!(
        field.field_type,
        FieldType::EnumList { .. } | FieldType::StringList | FieldType::ObjectList { .. }
    );
    let doc = view! { <p id=doc_id class="doc">{crate::dom::rich_text(field.doc)}</p> };
    let messages =
        view! { <FieldMessages id=messages_id problems=problems name=name path_param=false /> };
    if grouped {
        view! {
            <fieldset
                class="field group"
                id=input_id
                aria-invalid=invalid
                aria-describedby=described
            >
                <legend><code>{name}</code>{required}</legend>
                {control}
                {doc}
                {messages}
            </fieldset>
        }
        .into_any()
    } else {
        view! {
            <div class="field">
                <label for=input_id><code>{name}</code>{required}</label>
                {control}
                {doc}
                {messages}
            </div>
        }
        .into_any()
    }
}

fn list_of(form: &FormState, name: &str) -> Vec<Value> {
    form.body
        .with_untracked(|body| body.get(name).and_then(Value::as_array).cloned())
        .unwrap_or_default()
}

/// A list of strings, or of objects with string columns, with add and remove.
#[component]
fn ListEditor(
    name: &'static str,
    form: FormState,
    columns: Option<&'static [&'static str]>,
) -> impl IntoView {
    let length = move || {
        form.field(name)
            .and_then(|list| list.as_array().map(Vec::len))
            .unwrap_or(0)
    };
    let write = move |list: Vec<Value>| {
        form.set_field(name, (!list.is_empty()).then_some(Value::Array(list)));
    };
    let add = move |_| {
        let mut list = list_of(&form, name);
        list.push(match columns {
            None => Value::String(String::new()),
            Some(columns) => Value::Object(
                columns
                    .iter()
                    .map(|column| ((*column).to_owned(), Value::String(String::new())))
                    .collect(),
            ),
        });
        write(list);
    };
    let row = move |index: usize| {
        let remove = move |_| {
            let mut list = list_of(&form, name);
            if index < list.len() {
                list.remove(index);
            }
            write(list);
        };
        let cell = move |column: Option<&'static str>| {
            let label = match column {
                Some(column) => format!("{name} {} {column}", index + 1),
                None => format!("{name} {}", index + 1),
            };
            view! {
                <input
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-label=label
                    placeholder=column.unwrap_or_default()
                    prop:value=move || {
                        form.body.with(|body| {
                            let item = body.get(name).and_then(|list| list.get(index));
                            text_of(match column {
                                Some(column) => item.and_then(|item| item.get(column)),
                                None => item,
                            })
                        })
                    }
                    on:input=move |ev| {
                        let text = event_target_value(&ev);
                        let mut list = list_of(&form, name);
                        if let Some(item) = list.get_mut(index) {
                            match column {
                                None => *item = Value::String(text),
                                Some(column) => {
                                    if !item.is_object() {
                                        *item = Value::Object(Map::new());
                                    }
                                    if let Some(object) = item.as_object_mut() {
                                        object.insert(column.to_owned(), Value::String(text));
                                    }
                                }
                            }
                        }
                        write(list);
                    }
                />
            }
        };
        view! {
            <li class="list-row">
                {match columns {
                    None => cell(None).into_any(),
                    Some(columns) => columns.iter().map(|c| cell(Some(c))).collect_view().into_any(),
                }}
                <button type="button" class="secondary" on:click=remove>
                    "Remove"
                    <span class="visually-hidden">{format!(" {name} {}", index + 1)}</span>
                </button>
            </li>
        }
    };
    view! {
        <div class="list-editor">
            <ul>
                <For each=move || 0..length() key=|index| *index children=row />
            </ul>
            <button type="button" class="secondary" on:click=add>
                "Add"
                <span class="visually-hidden">{format!(" to {name}")}</span>
            </button>
        </div>
    }
}

/// A JSON editor for one object field (metadata, a policy, a search query).
#[component]
fn JsonFieldEditor(
    name: &'static str,
    form: FormState,
    input_id: String,
    described: String,
) -> impl IntoView {
    let render = move |value: Option<Value>| value.as_ref().map(pretty).unwrap_or_default();
    let text = RwSignal::new(render(form.body.with_untracked(|b| b.get(name).cloned())));
    let error = RwSignal::new(None::<String>);
    // Follow the body when it changes elsewhere (the JSON view, a replay),
    // unless this editor's own text already says the same.
    Effect::new(move |_| {
        let current = form.field(name);
        let own = text.with_untracked(|text| {
            if text.trim().is_empty() {
                None
            } else {
                serde_json::from_str::<Value>(text).ok()
            }
        });
        let unparsed = error.with_untracked(Option::is_some);
        if own != current && !unparsed {
            text.set(render(current));
        }
    });
    view! {
        <textarea
            id=input_id
            class="json-field"
            rows="4"
            spellcheck="false"
            aria-describedby=described
            aria-invalid=move || error.with(Option::is_some).to_string()
            prop:value=move || text.get()
            on:input=move |ev| {
                let value = event_target_value(&ev);
                if value.trim().is_empty() {
                    error.set(None);
                    form.set_field(name, None);
                } else {
                    match serde_json::from_str::<Value>(&value) {
                        Ok(parsed) => {
                            error.set(None);
                            text.set(value);
                            form.set_field(name, Some(parsed));
                            return;
                        }
                        Err(problem) => error.set(Some(format!("not valid JSON: {problem}"))),
                    }
                }
                text.set(value);
            }
        ></textarea>
        {move || error.get().map(|message| view! { <p class="field-error">{message}</p> })}
    }
}

/// A text input bound to a string signal (settings, ids, roles).
#[component]
pub fn BoundInput(
    id: &'static str,
    value: RwSignal<String>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
    #[prop(optional, into)] invalid: Signal<bool>,
    #[prop(optional)] described_by: Option<&'static str>,
) -> impl IntoView {
    view! {
        <input
            id=id
            type=kind
            autocomplete=autocomplete
            spellcheck="false"
            disabled=move || disabled.get()
            aria-invalid=move || invalid.get().to_string()
            aria-describedby=described_by
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        />
    }
}

/// A monospace text area bound to a string signal (JSON documents).
#[component]
pub fn BoundTextArea(
    id: &'static str,
    value: RwSignal<String>,
    rows: u32,
    described_by: &'static str,
    #[prop(optional, into)] invalid: Signal<bool>,
) -> impl IntoView {
    view! {
        <textarea
            id=id
            rows=rows.to_string()
            spellcheck="false"
            aria-describedby=described_by
            aria-invalid=move || invalid.get().to_string()
            prop:value=move || value.get()
            on:input=move |ev| value.set(event_target_value(&ev))
        ></textarea>
    }
}

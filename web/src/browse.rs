//! Browse: the project's organizations, a page at a time (through search),
//! and an organization's members, with the ways on from each: its policy
//! in the playground, a Try-it form filled with its ids.

use crate::app::{Console, NO_GATEWAY};
use crate::http::fetch_json;
use crate::tryit::set_hash;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orgpolicy_api::catalog::Method;
use serde_json::{Value, json};

/// Rows per page.
pub const PAGE: u32 = 20;

/// One organization row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationRow {
    pub organization_id: String,
    pub name: String,
    pub slug: String,
}

/// One member row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub member_id: String,
    pub email_address: String,
    pub name: String,
    pub status: String,
    pub roles: Vec<String>,
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// A search answer's rows, its `next_cursor` and its `total`.
pub fn page_of<T>(
    answer: &Value,
    list: &str,
    row: impl Fn(&Value) -> T,
) -> (Vec<T>, Option<String>, u64) {
    let rows = answer
        .get(list)
        .and_then(Value::as_array)
        .map(|items| items.iter().map(&row).collect())
        .unwrap_or_default();
    let metadata = answer.get("results_metadata");
    let next = metadata
        .and_then(|m| m.get("next_cursor"))
        .and_then(Value::as_str)
        .filter(|cursor| !cursor.is_empty())
        .map(str::to_owned);
    let total = metadata
        .and_then(|m| m.get("total"))
        .and_then(Value::as_u64)
        .unwrap_or_default();
    (rows, next, total)
}

pub fn organization_row(value: &Value) -> OrganizationRow {
    OrganizationRow {
        organization_id: text(value, "organization_id"),
        name: text(value, "organization_name"),
        slug: text(value, "organization_slug"),
    }
}

pub fn member_row(value: &Value) -> MemberRow {
    MemberRow {
        member_id: text(value, "member_id"),
        email_address: text(value, "email_address"),
        name: text(value, "name"),
        status: text(value, "status"),
        roles: crate::playground::members_of(&json!({"members": [value]}))
            .into_iter()
            .flat_map(|member| member.roles)
            .collect(),
    }
}

/// A paginated search: the rows shown, the cursor of each page seen so far
/// (to go back), the next page's cursor and the total.
struct Pages<T: Send + Sync + 'static> {
    rows: RwSignal<Vec<T>>,
    previous: RwSignal<Vec<Option<String>>>,
    current: RwSignal<Option<String>>,
    next: RwSignal<Option<String>>,
    total: RwSignal<u64>,
}

// Signals are handles: a page set copies whatever its rows are.
impl<T: Send + Sync + 'static> Clone for Pages<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Send + Sync + 'static> Copy for Pages<T> {}

impl<T: Send + Sync + 'static> Pages<T> {
    fn new() -> Self {
        Self {
            rows: RwSignal::new(Vec::new()),
            previous: RwSignal::new(Vec::new()),
            current: RwSignal::new(None),
            next: RwSignal::new(None),
            total: RwSignal::new(0),
        }
    }

    /// Steps back: forgets the current page's cursor and answers the cursor
    /// of the page before it (`None`: the first page).
    fn back(self) -> Option<String> {
        let mut previous = self.previous.get_untracked();
        let cursor = previous.pop().flatten();
        self.previous.set(previous);
        cursor
    }

    /// Steps on: remembers the current page's cursor (for `back`) and
    /// answers the next page's.
    fn forward(self) -> Option<String> {
        let current = self.current.get_untracked();
        self.previous.update(|previous| previous.push(current));
        self.next.get_untracked()
    }
}

/// A search endpoint: its path, the answer's list and how a row reads.
#[derive(Debug)]
pub struct Search<T> {
    path: &'static str,
    list: &'static str,
    row: fn(&Value) -> T,
}

pub const ORGANIZATIONS: Search<OrganizationRow> = Search {
    path: "/v1/b2b/organizations/search",
    list: "organizations",
    row: organization_row,
};

pub const MEMBERS: Search<MemberRow> = Search {
    path: "/v1/b2b/organizations/members/search",
    list: "members",
    row: member_row,
};

/// Runs one search through the gateway: its rows, next cursor and total.
pub async fn search_page<T>(
    console: Console,
    search: &Search<T>,
    body: &Value,
) -> Result<(Vec<T>, Option<String>, u64), String> {
    let (base, token) = console.target().ok_or_else(|| NO_GATEWAY.to_owned())?;
    let text = fetch_json(
        &base,
        &token,
        Method::Post,
        search.path,
        Some(&body.to_string()),
    )
    .await?;
    let answer = serde_json::from_str::<Value>(&text).unwrap_or_default();
    Ok(page_of(&answer, search.list, search.row))
}

/// Runs a search for one page and fills `pages`; failures go to `status`.
fn load_page<T: Clone + Send + Sync + 'static>(
    console: Console,
    search: Search<T>,
    mut body: Value,
    pages: Pages<T>,
    cursor: Option<String>,
    status: RwSignal<String>,
) {
    if let Some(fields) = body.as_object_mut() {
        fields.insert("limit".into(), json!(PAGE));
        if let Some(cursor) = &cursor {
            fields.insert("cursor".into(), json!(cursor));
        }
    }
    spawn_local(async move {
        match search_page(console, &search, &body).await {
            Ok((rows, next, total)) => {
                pages.rows.set(rows);
                pages.next.set(next);
                pages.total.set(total);
                pages.current.set(cursor);
                status.set(String::new());
            }
            Err(message) => status.set(format!("Could not search: {message}")),
        }
    });
}

/// "21–40 of 55 members": which rows of how many are shown.
fn pages_label<T: Send + Sync + 'static>(
    pages: Pages<T>,
    noun: &'static str,
) -> impl Fn() -> String + Copy {
    move || {
        let shown = pages.rows.with(Vec::len);
        let before = pages.previous.with(Vec::len) * PAGE as usize;
        let total = pages.total.get();
        if shown == 0 {
            format!("No {noun}.")
        } else {
            format!("{}–{} of {total} {noun}", before + 1, before + shown)
        }
    }
}

/// Previous and next page buttons around "21–40 of 55 ...".
#[component]
fn Pager(
    prefix: &'static str,
    range: Signal<String>,
    at_start: Signal<bool>,
    at_end: Signal<bool>,
    previous: Callback<()>,
    next: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="row pager">
            <button
                type="button"
                class="secondary"
                id=format!("{prefix}-previous")
                disabled=at_start
                on:click=move |_| previous.run(())
            >
                "Previous page"
            </button>
            <span id=format!("{prefix}-range") aria-live="polite">{range}</span>
            <button
                type="button"
                class="secondary"
                id=format!("{prefix}-next")
                disabled=at_end
                on:click=move |_| next.run(())
            >
                "Next page"
            </button>
        </div>
    }
}

#[component]
pub fn Browse(console: Console, selected: RwSignal<String>, active: Signal<bool>) -> impl IntoView {
    let organizations = Pages::<OrganizationRow>::new();
    let members = Pages::<MemberRow>::new();
    let opened = RwSignal::new(None::<OrganizationRow>);
    let status = RwSignal::new(String::new());
    let member_status = RwSignal::new(String::new());

    let load_organizations = move |cursor: Option<String>| {
        load_page(
            console,
            ORGANIZATIONS,
            json!({}),
            organizations,
            cursor,
            status,
        );
    };
    let load_members = move |cursor: Option<String>| {
        let Some(organization) = opened.get_untracked() else {
            return;
        };
        load_page(
            console,
            MEMBERS,
            json!({"organization_ids": [organization.organization_id]}),
            members,
            cursor,
            member_status,
        );
    };
    // The first page loads when the view is first shown (and again when
    // the gateway changes).
    Effect::new(move |_| {
        console.gateway.track();
        if active.get() {
            organizations.previous.set(Vec::new());
            load_organizations(None);
        }
    });

    let try_with = move |endpoint: &'static str, params: Vec<(&'static str, String)>| {
        for (name, value) in params {
            console.form.set_param(name, value);
        }
        selected.set(endpoint.to_owned());
        set_hash(&format!("#/try/{endpoint}"));
    };
    let organization_rows = move || {
        organizations
            .rows
            .get()
            .into_iter()
            .map(|row| {
                let (open_row, policy_id, try_id) = (row.clone(), row.organization_id.clone(), row.organization_id.clone());
                view! {
                    <tr>
                        <th scope="row">{row.name.clone()}</th>
                        <td><code>{row.slug.clone()}</code></td>
                        <td><code class="id">{row.organization_id.clone()}</code></td>
                        <td class="actions">
                            <button
                                type="button"
                                class="secondary open-members"
                                on:click=move |_| {
                                    opened.set(Some(open_row.clone()));
                                    members.previous.set(Vec::new());
                                    load_members(None);
                                    request_animation_frame(|| crate::dom::focus("members-title"));
                                }
                            >
                                "Members"
                                <span class="visually-hidden">{format!(" of {}", row.name)}</span>
                            </button>
                            <button
                                type="button"
                                class="secondary open-policy"
                                on:click=move |_| {
                                    console.playground_request.set(Some(policy_id.clone()));
                                    set_hash("#/playground");
                                }
                            >
                                "Policy"
                                <span class="visually-hidden">{format!(" of {}", row.name)}</span>
                            </button>
                            <button
                                type="button"
                                class="secondary open-try"
                                on:click=move |_| try_with("organizations.get", vec![("organization_id", try_id.clone())])
                            >
                                "Try it"
                                <span class="visually-hidden">{format!(" with {}", row.name)}</span>
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let member_rows = move || {
        members
            .rows
            .get()
            .into_iter()
            .map(|row| {
                let organization_id = opened
                    .get_untracked()
                    .map(|o| o.organization_id)
                    .unwrap_or_default();
                let member_id = row.member_id.clone();
                view! {
                    <tr>
                        <th scope="row">{row.email_address.clone()}</th>
                        <td>{row.name.clone()}</td>
                        <td>{row.status.clone()}</td>
                        <td>{row.roles.join(", ")}</td>
                        <td class="actions">
                            <button
                                type="button"
                                class="secondary use-member"
                                on:click=move |_| {
                                    try_with(
                                        "members.update",
                                        vec![
                                            ("organization_id", organization_id.clone()),
                                            ("member_id", member_id.clone()),
                                        ],
                                    );
                                }
                            >
                                "Try it"
                                <span class="visually-hidden">{format!(" with {}", row.email_address)}</span>
                            </button>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <section class="browse" aria-labelledby="organizations-title">
            <h2 id="organizations-title" tabindex="-1">"Organizations"</h2>
            <p class="field-error" aria-live="polite">{move || status.get()}</p>
            <div class="table-scroll" role="region" aria-labelledby="organizations-title" tabindex="0">
                <table class="listing" id="organizations-table">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Slug"</th>
                            <th scope="col">"Id"</th>
                            <th scope="col">"Open"</th>
                        </tr>
                    </thead>
                    <tbody>{organization_rows}</tbody>
                </table>
            </div>
            <Pager
                prefix="organizations"
                range=Signal::derive(pages_label(organizations, "organizations"))
                at_start=Signal::derive(move || organizations.previous.with(Vec::is_empty))
                at_end=Signal::derive(move || organizations.next.with(Option::is_none))
                previous=Callback::new(move |()| load_organizations(organizations.back()))
                next=Callback::new(move |()| load_organizations(organizations.forward()))
            />
            <button type="button" class="secondary" id="organizations-reload" on:click=move |_| {
                organizations.previous.set(Vec::new());
                load_organizations(None);
            }>
                "Reload"
            </button>
            {move || {
                opened.get().map(|organization| {
                    view! {
                        <section class="members" aria-labelledby="members-title">
                            <h2 id="members-title" tabindex="-1">{format!("Members of {}", organization.name)}</h2>
                            <p class="field-error" aria-live="polite">{move || member_status.get()}</p>
                            <div class="table-scroll" role="region" aria-labelledby="members-title" tabindex="0">
                                <table class="listing" id="members-table">
                                    <thead>
                                        <tr>
                                            <th scope="col">"Email"</th>
                                            <th scope="col">"Name"</th>
                                            <th scope="col">"Status"</th>
                                            <th scope="col">"Roles"</th>
                                            <th scope="col">"Open"</th>
                                        </tr>
                                    </thead>
                                    <tbody>{member_rows}</tbody>
                                </table>
                            </div>
                            <Pager
                                prefix="members"
                                range=Signal::derive(pages_label(members, "members"))
                                at_start=Signal::derive(move || members.previous.with(Vec::is_empty))
                                at_end=Signal::derive(move || members.next.with(Option::is_none))
                                previous=Callback::new(move |()| load_members(members.back()))
                                next=Callback::new(move |()| load_members(members.forward()))
                            />
                        </section>
                    }
                })
            }}
        </section>
    }
}

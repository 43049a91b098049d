//! The policy playground: the project policy and one organization's policy
//! (loaded through the gateway or pasted), a resources × actions matrix for
//! a member or typed roles with the reason for every cell, and an editor
//! for the organization policy with live validation, a diff before saving
//! and the save itself.

use crate::app::{Console, NO_GATEWAY};
use crate::fields::{BoundInput, BoundTextArea, pretty};
use crate::http::fetch_json;
use leptos::prelude::*;
use leptos::task::spawn_local;
use orgpolicy_api::catalog::Method;
use orgpolicy_core::{
    AuthorizationCheck, Decision, DenyReason, Explanation, MemberRoles, OrganizationPolicy, Policy,
    PolicyDiff, Problem, Subject,
};
use serde_json::Value;

/// A member as the playground needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub member_id: String,
    pub email_address: String,
    /// Effective role ids, as the API lists them.
    pub roles: Vec<String>,
}

/// Reads the members of a members search answer.
pub fn members_of(answer: &Value) -> Vec<Member> {
    answer
        .get("members")
        .and_then(Value::as_array)
        .map(|members| {
            members
                .iter()
                .map(|member| Member {
                    member_id: text(member.get("member_id")),
                    email_address: text(member.get("email_address")),
                    roles: member
                        .get("roles")
                        .and_then(Value::as_array)
                        .map(|roles| {
                            roles
                                .iter()
                                .filter_map(|role| match role {
                                    Value::String(id) => Some(id.clone()),
                                    other => other
                                        .get("role_id")
                                        .and_then(Value::as_str)
                                        .map(str::to_owned),
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default()
}

fn text(value: Option<&Value>) -> String {
    value.and_then(Value::as_str).unwrap_or_default().to_owned()
}

/// Parses the project policy text: the policy or the problem.
pub fn parse_project(text: &str) -> Result<Policy, Vec<Problem>> {
    if text.trim().is_empty() {
        return Err(Vec::new());
    }
    orgpolicy_core::parse_policy(text)
        .map(|document| document.policy)
        .map_err(|error| vec![error.problem])
}

/// Parses and validates an organization policy draft against the project.
/// `Ok` carries the policy and its warnings; `Err` the blocking problems.
pub fn check_draft(
    project: Option<&Policy>,
    text: &str,
) -> Result<(OrganizationPolicy, Vec<Problem>), Vec<Problem>> {
    let Some(project) = project else {
        return orgpolicy_core::parse_organization_policy(text)
            .map(|document| (document.policy, Vec::new()))
            .map_err(|error| vec![error.problem]);
    };
    let (policy, report) =
        orgpolicy_core::check_organization_policy_text(project, text).map_err(|p| vec![p])?;
    if report.errors.is_empty() {
        Ok((policy, report.warnings))
    } else {
        Err(report.errors.into_iter().chain(report.warnings).collect())
    }
}

/// One row of the matrix: a resource and an explanation per declared action.
pub type MatrixRow = (String, Vec<(String, Explanation)>);

/// The matrix for a subject in `organization_id`.
pub fn matrix(
    project: &Policy,
    organization: Option<&OrganizationPolicy>,
    organization_id: &str,
    roles: &[String],
) -> Vec<MatrixRow> {
    let subject = Subject {
        organization_id: Some(organization_id.to_owned()),
        roles: roles.to_vec(),
    };
    project
        .resources
        .iter()
        .map(|resource| {
            let cells = resource
                .actions
                .iter()
                .map(|action| {
                    let check = AuthorizationCheck {
                        organization_id: Some(organization_id.to_owned()),
                        resource_id: resource.resource_id.clone(),
                        action: action.clone(),
                    };
                    let explanation =
                        orgpolicy_core::explain(project, organization, &subject, &check);
                    (action.clone(), explanation)
                })
                .collect();
            (resource.resource_id.clone(), cells)
        })
        .collect()
}

fn source_name(source: orgpolicy_core::RoleSource) -> &'static str {
    match source {
        orgpolicy_core::RoleSource::Project => "project role",
        orgpolicy_core::RoleSource::Organization => "organization custom role",
        orgpolicy_core::RoleSource::Scope => "scope",
    }
}

/// The short reason shown in a cell's accessible name.
pub fn cell_reason(explanation: &Explanation) -> String {
    match &explanation.decision {
        Decision::Allow { grants } => {
            let roles: Vec<String> = grants
                .iter()
                .map(|grant| format!("{} ({})", grant.role_id, source_name(grant.source)))
                .collect();
            format!("allowed by {}", roles.join(", "))
        }
        Decision::Deny(deny) => match &deny.reason {
            DenyReason::NotGranted { would_grant } if !would_grant.is_empty() => format!(
                "denied: no role of the member grants it; {} would",
                would_grant
                    .iter()
                    .map(|role| role.role_id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            DenyReason::NotGranted { .. } => "denied: no role grants it".to_owned(),
            _ => format!("denied: {}", deny.error_type.as_str()),
        },
    }
}

fn problem_list(problems: Vec<Problem>) -> impl IntoView {
    problems
        .into_iter()
        .map(|problem| {
            let class = match problem.severity {
                orgpolicy_core::Severity::Error => "field-error",
                orgpolicy_core::Severity::Warning => "field-warning",
            };
            view! {
                <li class=class>
                    <code>{problem.code.as_str()}</code>
                    " "
                    {crate::dom::rich_text(&problem.message)}
                    {(!problem.path.is_empty()).then(|| format!(" (at {})", problem.path))}
                </li>
            }
        })
        .collect_view()
}

#[component]
pub fn Playground(console: Console) -> impl IntoView {
    let project_text = RwSignal::new(String::new());
    let organization_id = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<OrganizationPolicy>);
    let draft_text = RwSignal::new(pretty(&serde_json::json!({"roles": []})));
    let members = RwSignal::new(Vec::<Member>::new());
    let member_choice = RwSignal::new(String::new());
    let typed_roles = RwSignal::new("stytch_member".to_owned());
    let focused = RwSignal::new(None::<(String, String)>);
    let status = RwSignal::new(String::new());
    let busy = RwSignal::new(false);

    let project = Memo::new(move |_| project_text.with(|text| parse_project(text)));
    Effect::new(move |_| {
        console
            .project
            .set(project.with(|project| project.as_ref().ok().cloned()));
    });
    let draft = Memo::new(move |_| {
        let project = project.with(|p| p.as_ref().ok().cloned());
        draft_text.with(|text| check_draft(project.as_ref(), text))
    });
    let roles = Memo::new(move |_| {
        let choice = member_choice.get();
        if choice.is_empty() {
            typed_roles.with(|typed| {
                typed
                    .split([',', ' ', '\n'])
                    .map(str::trim)
                    .filter(|role| !role.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
        } else {
            members.with(|members| {
                members
                    .iter()
                    .find(|member| member.member_id == choice)
                    .map(|member| member.roles.clone())
                    .unwrap_or_default()
            })
        }
    });
    // Roles defined neither by the project nor by the organization (draft
    // or saved): the checks ignore them, and the page says so.
    let unknown_roles = Memo::new(move |_| {
        let known = |role: &str| {
            project.with(|p| {
                p.as_ref()
                    .is_ok_and(|p| p.roles.iter().any(|r| r.role_id == role))
            }) || draft.with(|d| {
                d.as_ref()
                    .is_ok_and(|(o, _)| o.roles.iter().any(|r| r.role_id == role))
            })
        };
        if project.with(Result::is_err) {
            return Vec::new();
        }
        roles
            .get()
            .into_iter()
            .filter(|role| !known(role))
            .collect::<Vec<_>>()
    });
    // Whether the matrix shows a draft that differs from what is saved.
    let unsaved = Memo::new(move |_| {
        let current = draft.with(|d| d.as_ref().ok().map(|(policy, _)| policy.clone()));
        current.is_some_and(|current| current != saved.get().unwrap_or_default())
    });
    let organization_for_checks = move || {
        let id = organization_id.get();
        if id.trim().is_empty() {
            "organization-playground".to_owned()
        } else {
            id.trim().to_owned()
        }
    };
    let grid = Memo::new(move |_| {
        let Ok(policy) = project.get() else {
            return Vec::new();
        };
        let organization = draft
            .with(|draft| draft.as_ref().ok().map(|(policy, _)| policy.clone()))
            .or_else(|| saved.get());
        matrix(
            &policy,
            organization.as_ref(),
            &organization_for_checks(),
            &roles.get(),
        )
    });
    let diff = Memo::new(move |_| -> Option<PolicyDiff> {
        let policy = project.with(|p| p.as_ref().ok().cloned())?;
        let new = draft.with(|draft| draft.as_ref().ok().map(|(policy, _)| policy.clone()))?;
        let old = saved.get().unwrap_or_default();
        let member_roles: Vec<MemberRoles> = members.with(|members| {
            members
                .iter()
                .map(|member| MemberRoles {
                    member_id: member.member_id.clone(),
                    email_address: member.email_address.clone(),
                    roles: member.roles.clone(),
                    sso_role_assignments: Vec::new(),
                })
                .collect()
        });
        // The members' roles are already effective (implicit ones included).
        Some(orgpolicy_core::diff_organization_policies(
            &policy,
            &old,
            &new,
            &member_roles,
            &[],
        ))
    });

    let load_project = move |_: ()| {
        let Some((base, token)) = console.target() else {
            status.set(NO_GATEWAY.to_owned());
            return;
        };
        busy.set(true);
        spawn_local(async move {
            match fetch_json(&base, &token, Method::Get, "/v1/b2b/rbac/policy", None).await {
                Ok(text) => {
                    project_text.set(text);
                    status.set("Loaded the project policy.".to_owned());
                }
                Err(message) => status.set(format!("Could not load the project policy: {message}")),
            }
            busy.set(false);
        });
    };
    let load_organization = move || {
        let Some((base, token)) = console.target() else {
            status.set(NO_GATEWAY.to_owned());
            return;
        };
        let id = organization_id.get_untracked().trim().to_owned();
        if !orgpolicy_api::catalog::is_parameter_value(&id) {
            status.set("Enter an organization id (letters, digits and -._~).".to_owned());
            return;
        }
        busy.set(true);
        spawn_local(async move {
            // A slug or external id names the organization once: its id is
            // what the policy, the member search and a save then use.
            let organization = fetch_json(
                &base,
                &token,
                Method::Get,
                &format!("/v1/b2b/organizations/{id}"),
                None,
            )
            .await;
            let (id, name) = match organization
                .map(|text| serde_json::from_str::<Value>(&text).unwrap_or_default())
            {
                Ok(answer) => (
                    text(answer.pointer("/organization/organization_id")),
                    text(answer.pointer("/organization/organization_name")),
                ),
                Err(message) => {
                    status.set(format!("Could not load the organization {id}: {message}"));
                    busy.set(false);
                    return;
                }
            };
            if id.is_empty() {
                status.set("The answer does not name an organization.".to_owned());
                busy.set(false);
                return;
            }
            organization_id.set(id.clone());
            let path = format!("/v1/b2b/rbac/organizations/{id}");
            let policy = fetch_json(&base, &token, Method::Get, &path, None).await;
            let search =
                serde_json::json!({"organization_ids": [id.clone()], "limit": 1000}).to_string();
            let found = fetch_json(
                &base,
                &token,
                Method::Post,
                "/v1/b2b/organizations/members/search",
                Some(&search),
            )
            .await;
            match policy.map(|text| orgpolicy_core::parse_organization_policy(&text)) {
                Ok(Ok(document)) => {
                    let value = serde_json::to_value(&document.policy).unwrap_or_default();
                    draft_text.set(pretty(&value));
                    saved.set(Some(document.policy));
                    status.set(format!("Loaded the policy of {name} ({id})."));
                }
                Ok(Err(error)) => status.set(format!(
                    "The answer is not an organization policy: {}",
                    error.problem
                )),
                Err(message) => {
                    status.set(format!("Could not load the organization policy: {message}"))
                }
            }
            match found {
                Ok(text) => {
                    let list = serde_json::from_str::<Value>(&text)
                        .map(|answer| members_of(&answer))
                        .unwrap_or_default();
                    let count = list.len();
                    status.update(|status| {
                        status.push_str(&match count {
                            0 => " It has no members.".to_owned(),
                            1 => " Loaded its 1 member.".to_owned(),
                            n => format!(" Loaded its {n} members."),
                        });
                    });
                    member_choice.set(
                        list.first()
                            .map(|m| m.member_id.clone())
                            .unwrap_or_default(),
                    );
                    members.set(list);
                }
                Err(message) => status.update(|status| {
                    status.push_str(&format!(" Its members could not be loaded: {message}"));
                }),
            }
            busy.set(false);
        });
    };
    // Browse asks for an organization: load it here.
    Effect::new(move |_| {
        if let Some(id) = console.playground_request.get() {
            console.playground_request.set(None);
            organization_id.set(id);
            let load_project_first = project.with_untracked(Result::is_err);
            if load_project_first {
                load_project(());
            }
            load_organization();
        }
    });
    let save = move |_| {
        let Some((base, token)) = console.target() else {
            status.set(NO_GATEWAY.to_owned());
            return;
        };
        let Some(policy) = draft.with_untracked(|d| d.as_ref().ok().map(|(p, _)| p.clone())) else {
            return;
        };
        let id = organization_id.get_untracked().trim().to_owned();
        let body = serde_json::json!({"org_policy": policy}).to_string();
        busy.set(true);
        spawn_local(async move {
            let path = format!("/v1/b2b/rbac/organizations/{id}");
            match fetch_json(&base, &token, Method::Put, &path, Some(&body)).await {
                Ok(_) => {
                    saved.set(Some(policy));
                    status.set(format!("Saved the policy of {id}."));
                }
                Err(message) => status.set(format!("Not saved: {message}")),
            }
            busy.set(false);
        });
    };

    let matrix_view = move || {
        let rows = grid.get();
        if rows.is_empty() {
            return view! { <p class="muted">"Load or paste a project policy to see the matrix."</p> }.into_any();
        }
        let width = rows.iter().map(|(_, cells)| cells.len()).max().unwrap_or(0);
        view! {
            <div class="matrix-scroll" role="region" aria-label="Permission matrix" tabindex="0">
            <table class="matrix" id="matrix">
                <caption>
                    {move || format!("What roles [{}] may do in {}", roles.get().join(", "), organization_for_checks())}
                    {move || unsaved.get().then(|| view! {
                        <strong id="unsaved-note" class="field-warning">" — with the unsaved draft of the organization policy"</strong>
                    })}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Resource"</th>
                        <th scope="col" colspan=width.to_string()>"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .map(|(resource, cells)| {
                            let cells = cells
                                .into_iter()
                                .map(|(action, explanation)| {
                                    let allowed = explanation.decision.is_allowed();
                                    let reason = cell_reason(&explanation);
                                    let label = format!("{resource} {action}: {reason}");
                                    let key = (resource.clone(), action.clone());
                                    let pressed_key = key.clone();
                                    view! {
                                        <td>
                                            <button
                                                type="button"
                                                class=if allowed { "cell allow" } else { "cell deny" }
                                                data-resource=resource.clone()
                                                data-action=action.clone()
                                                data-allowed=allowed.to_string()
                                                aria-label=label
                                                title=reason
                                                aria-pressed=move || (focused.get().as_ref() == Some(&pressed_key)).to_string()
                                                on:click=move |_| focused.set(Some(key.clone()))
                                            >
                                                <span aria-hidden="true">{if allowed { "✓ " } else { "✗ " }}</span>
                                                {action.clone()}
                                            </button>
                                        </td>
                                    }
                                })
                                .collect_view();
                            view! {
                                <tr>
                                    <th scope="row"><code>{resource.clone()}</code></th>
                                    {cells}
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
            </div>
        }
        .into_any()
    };
    let explanation_view = move || {
        let (resource, action) = focused.get()?;
        let explanation = grid.with(|rows| {
            rows.iter()
                .find(|(r, _)| *r == resource)
                .and_then(|(_, cells)| cells.iter().find(|(a, _)| *a == action))
                .map(|(_, explanation)| explanation.clone())
        })?;
        let details = match &explanation.decision {
            Decision::Allow { grants } => grants
                .iter()
                .map(|grant| {
                    view! {
                        <li>
                            <code>{grant.role_id.clone()}</code>
                            {format!(" — {} — {} match", source_name(grant.source), match grant.matched {
                                orgpolicy_core::MatchKind::Exact => "exact",
                                orgpolicy_core::MatchKind::Wildcard => "wildcard (*)",
                            })}
                        </li>
                    }
                })
                .collect_view()
                .into_any(),
            Decision::Deny(deny) => view! {
                <li><code>{deny.error_type.as_str()}</code>" "{crate::dom::rich_text(&deny.message)}</li>
            }
            .into_any(),
        };
        Some(view! {
            <section id="explanation" class="explanation" aria-live="polite" aria-labelledby="explanation-title">
                <h3 id="explanation-title">{format!("{resource} · {action}")}</h3>
                <p>{crate::dom::rich_text(&explanation.summary)}</p>
                <ul>{details}</ul>
                {(!explanation.unknown_roles.is_empty()).then(|| view! {
                    <p class="field-warning">{format!("Ignored, defined nowhere: {}", explanation.unknown_roles.join(", "))}</p>
                })}
            </section>
        })
    };
    let diff_view = move || {
        let diff = diff.get()?;
        if diff.is_empty() {
            return Some(
                view! { <p id="diff" class="muted">"No change from the saved policy."</p> }
                    .into_any(),
            );
        }
        let pairs = |pairs: &[orgpolicy_core::diff::PermissionPair]| {
            pairs
                .iter()
                .map(|pair| format!("{}:{}", pair.resource_id, pair.action))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let roles = diff
            .roles
            .iter()
            .map(|role| {
                let change = match role.change {
                    orgpolicy_core::diff::ChangeKind::Added => "added",
                    orgpolicy_core::diff::ChangeKind::Removed => "removed",
                    orgpolicy_core::diff::ChangeKind::Changed => "changed",
                };
                view! {
                    <li>
                        <code>{role.role_id.clone()}</code>
                        {format!(" {change}")}
                        {(!role.added.is_empty()).then(|| view! { <span class="gain">{format!(" + {}", pairs(&role.added))}</span> })}
                        {(!role.removed.is_empty()).then(|| view! { <span class="loss">{format!(" − {}", pairs(&role.removed))}</span> })}
                    </li>
                }
            })
            .collect_view();
        let escalations = diff
            .escalations
            .iter()
            .map(
                |escalation| view! { <li class="escalation">"⚠ "{escalation.message.clone()}</li> },
            )
            .collect_view();
        let email_of = |member_id: &str| {
            members.with_untracked(|members| {
                members
                    .iter()
                    .find(|member| member.member_id == member_id)
                    .map(|member| member.email_address.clone())
                    .filter(|email| !email.is_empty())
                    .unwrap_or_else(|| member_id.to_owned())
            })
        };
        let impacts = diff
            .members
            .iter()
            .map(|impact| {
                view! {
                    <li title=impact.member_id.clone()>
                        {email_of(&impact.member_id)}
                        {(!impact.gained.is_empty()).then(|| view! { <span class="gain">{format!(" gains {}", pairs(&impact.gained))}</span> })}
                        {(!impact.lost.is_empty()).then(|| view! { <span class="loss">{format!(" loses {}", pairs(&impact.lost))}</span> })}
                    </li>
                }
            })
            .collect_view();
        Some(
            view! {
                <div id="diff" class="diff">
                    <h3>"Roles"</h3>
                    <ul>{roles}</ul>
                    {(!diff.escalations.is_empty()).then(|| view! { <h3>"Escalations"</h3><ul class="escalations">{escalations}</ul> })}
                    <h3>"Members affected"</h3>
                    {if diff.members.is_empty() {
                        view! { <p class="muted">"No loaded member gains or loses a permission."</p> }.into_any()
                    } else {
                        view! { <ul>{impacts}</ul> }.into_any()
                    }}
                </div>
            }
            .into_any(),
        )
    };

    view! {
        <div class="playground">
            <section class="sources" aria-labelledby="sources-title">
                <h2 id="sources-title" tabindex="-1">"Policies"</h2>
                <div class="row">
                    <button type="button" id="load-project" disabled=move || busy.get() on:click=move |_| load_project(())>
                        "Load project policy"
                    </button>
                </div>
                <label for="project-policy">"Project policy (JSON, as loaded or pasted)"</label>
                <BoundTextArea id="project-policy" value=project_text rows=8 described_by="project-problems" />
                <ul id="project-problems">
                    {move || project.with(|p| p.as_ref().err().cloned()).map(problem_list)}
                </ul>
                <div class="row">
                    <label for="organization-id">"Organization id"</label>
                    <BoundInput id="organization-id" value=organization_id />
                    <button type="button" id="load-organization" disabled=move || busy.get() on:click=move |_| load_organization()>
                        "Load organization"
                    </button>
                </div>
                <p id="playground-status" aria-live="polite">{move || status.get()}</p>
            </section>
            <section class="subject" aria-labelledby="subject-title">
                <h2 id="subject-title">"Who"</h2>
                <label for="member-select">"Member"</label>
                <select id="member-select" on:change=move |ev| member_choice.set(event_target_value(&ev))>
                    <option value="" prop:selected=move || member_choice.get().is_empty()>"(type roles instead)"</option>
                    <For
                        each=move || members.get()
                        key=|member| (member.member_id.clone(), member.roles.clone())
                        children=move |member| {
                            let id = member.member_id.clone();
                            let selected_id = id.clone();
                            view! {
                                <option value=id prop:selected=move || member_choice.get() == selected_id>
                                    {format!("{} ({})", member.email_address, member.roles.join(", "))}
                                </option>
                            }
                        }
                    />
                </select>
                <label for="typed-roles">
                    {move || if member_choice.get().is_empty() {
                        "Roles (comma-separated)"
                    } else {
                        "Roles of the chosen member"
                    }}
                </label>
                <input
                    id="typed-roles"
                    type="text"
                    autocomplete="off"
                    spellcheck="false"
                    aria-describedby="unknown-roles"
                    prop:value=move || {
                        if member_choice.get().is_empty() {
                            typed_roles.get()
                        } else {
                            roles.get().join(", ")
                        }
                    }
                    readonly=move || !member_choice.get().is_empty()
                    on:input=move |ev| typed_roles.set(event_target_value(&ev))
                />
                <p id="unknown-roles" class="field-warning" aria-live="polite">
                    {move || {
                        let unknown = unknown_roles.get();
                        (!unknown.is_empty()).then(|| {
                            format!(
                                "Defined neither by the project nor by the organization, so ignored: {}",
                                unknown.join(", ")
                            )
                        })
                    }}
                </p>
            </section>
            <section class="matrix-section" aria-labelledby="matrix-title">
                <h2 id="matrix-title">"Permissions"</h2>
                {matrix_view}
                {explanation_view}
            </section>
            <section class="editor" aria-labelledby="editor-title">
                <h2 id="editor-title">"Organization policy"</h2>
                <crate::roles::RoleEditor draft_text=draft_text project=project />
                <label for="organization-policy">"Custom roles of the organization (JSON)"</label>
                <BoundTextArea
                    id="organization-policy"
                    value=draft_text
                    rows=12
                    described_by="draft-problems"
                    invalid=Signal::derive(move || draft.with(Result::is_err))
                />
                <ul id="draft-problems" aria-live="polite">
                    {move || {
                        draft.with(|draft| match draft {
                            Ok((_, warnings)) => warnings.clone(),
                            Err(problems) => problems.clone(),
                        })
                        .pipe(problem_list)
                    }}
                </ul>
                <h3>"Changes before saving"</h3>
                {diff_view}
                <button
                    type="button"
                    id="save-policy"
                    disabled=move || {
                        busy.get()
                            || draft.with(Result::is_err)
                            || organization_id.get().trim().is_empty()
                            || (saved.with(Option::is_some) && !unsaved.get())
                    }
                    on:click=save
                >
                    "Save organization policy"
                </button>
            </section>
        </div>
    }
}

trait Pipe: Sized {
    fn pipe<R>(self, f: impl FnOnce(Self) -> R) -> R {
        f(self)
    }
}
impl<T> Pipe for T {}

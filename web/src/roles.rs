//! The role editor: an organization's custom roles one at a time, with a
//! resource × action checkbox per project action and `*` per resource.
//! It edits the same draft text as the JSON editor, so every change is
//! validated and diffed before the one `PUT` that saves the policy.

use crate::fields::pretty;
use leptos::prelude::*;
use orgpolicy_core::{OrganizationPolicy, Permission, Policy, Role, WILDCARD};

/// Whether `role` grants `action` on `resource` exactly as written (`*`
/// is its own box).
pub fn has_action(role: &Role, resource: &str, action: &str) -> bool {
    role.permissions
        .iter()
        .any(|p| p.resource_id == resource && p.actions.iter().any(|a| a == action))
}

/// Turns one box on or off. `*` replaces the resource's actions; an action
/// checked while `*` is there takes its place; a permission left with no
/// action is removed.
pub fn toggle(role: &mut Role, resource: &str, action: &str, on: bool) {
    let index = match role
        .permissions
        .iter()
        .position(|p| p.resource_id == resource)
    {
        Some(index) => index,
        None if on => {
            role.permissions.push(Permission {
                resource_id: resource.to_owned(),
                actions: Vec::new(),
            });
            role.permissions.len() - 1
        }
        None => return,
    };
    let Some(permission) = role.permissions.get_mut(index) else {
        return;
    };
    if on {
        if action == WILDCARD {
            permission.actions = vec![WILDCARD.to_owned()];
        } else {
            permission.actions.retain(|a| a != WILDCARD);
            if !permission.actions.iter().any(|a| a == action) {
                permission.actions.push(action.to_owned());
            }
        }
    } else {
        permission.actions.retain(|a| a != action);
    }
    if permission.actions.is_empty() {
        role.permissions.remove(index);
    }
}

/// A role id not yet used by the draft: `custom-role`, `custom-role-2`, ...
pub fn fresh_role_id(policy: &OrganizationPolicy) -> String {
    (1..)
        .map(|n| {
            if n == 1 {
                "custom-role".to_owned()
            } else {
                format!("custom-role-{n}")
            }
        })
        .find(|id| !policy.roles.iter().any(|role| role.role_id == *id))
        .unwrap_or_default()
}

#[component]
pub fn RoleEditor(
    draft_text: RwSignal<String>,
    project: Memo<Result<Policy, Vec<orgpolicy_core::Problem>>>,
) -> impl IntoView {
    let draft = Memo::new(move |_| {
        draft_text.with(|text| {
            orgpolicy_core::parse_organization_policy(text)
                .ok()
                .map(|document| document.policy)
        })
    });
    let edit = move |change: &dyn Fn(&mut OrganizationPolicy)| {
        if let Some(mut policy) = draft.get_untracked() {
            change(&mut policy);
            draft_text.set(pretty(&serde_json::to_value(&policy).unwrap_or_default()));
        }
    };
    let count = move || draft.with(|d| d.as_ref().map_or(0, |p| p.roles.len()));
    let resources =
        move || project.with(|p| p.as_ref().map(|p| p.resources.clone()).unwrap_or_default());
    let card = move |index: usize| {
        // A change to this card's role (none if the draft has lost it).
        let edit_role = move |change: &dyn Fn(&mut Role)| {
            edit(&|policy| {
                if let Some(role) = policy.roles.get_mut(index) {
                    change(role);
                }
            });
        };
        let field = move |read: fn(&Role) -> String| {
            move || {
                draft.with(|d| {
                    d.as_ref()
                        .and_then(|p| p.roles.get(index))
                        .map(read)
                        .unwrap_or_default()
                })
            }
        };
        let id_input = format!("role-{index}-id");
        let description_input = format!("role-{index}-description");
        let grid = move || {
            resources()
                .into_iter()
                .map(|resource| {
                    let resource_id = resource.resource_id.clone();
                    let granted = {
                        let resource_id = resource_id.clone();
                        move || {
                            draft.with(|d| {
                                d.as_ref()
                                    .and_then(|p| p.roles.get(index))
                                    .and_then(|role| {
                                        role.permissions
                                            .iter()
                                            .find(|p| p.resource_id == resource_id)
                                            .map(|p| p.actions.len())
                                    })
                                    .unwrap_or(0)
                            })
                        }
                    };
                    let actions: Vec<String> = resource
                        .actions
                        .iter()
                        .cloned()
                        .chain(std::iter::once(WILDCARD.to_owned()))
                        .collect();
                    let boxes = actions
                        .into_iter()
                        .map(|action| {
                            let box_id = format!("role-{index}-{}-{action}", resource.resource_id);
                            let label_for = box_id.clone();
                            let (checked_resource, checked_action) =
                                (resource_id.clone(), action.clone());
                            let (changed_resource, changed_action) =
                                (resource_id.clone(), action.clone());
                            let label = if action == WILDCARD {
                                "* (every action)".to_owned()
                            } else {
                                action.clone()
                            };
                            view! {
                                <label class="check" for=label_for>
                                    <input
                                        type="checkbox"
                                        id=box_id
                                        data-resource=resource_id.clone()
                                        data-action=action.clone()
                                        prop:checked=move || {
                                            draft.with(|d| {
                                                d.as_ref()
                                                    .and_then(|p| p.roles.get(index))
                                                    .is_some_and(|role| has_action(role, &checked_resource, &checked_action))
                                            })
                                        }
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let (resource, action) = (changed_resource.clone(), changed_action.clone());
                                            edit_role(&|role| toggle(role, &resource, &action, on));
                                        }
                                    />
                                    {label}
                                </label>
                            }
                        })
                        .collect_view();
                    view! {
                        <details class="role-resource">
                            <summary>
                                <code>{resource_id.clone()}</code>
                                {move || match granted() {
                                    0 => String::new(),
                                    n => format!(" ({n} granted)"),
                                }}
                            </summary>
                            <div class="checks">{boxes}</div>
                        </details>
                    }
                })
                .collect_view()
        };
        view! {
            <li class="role-card">
                <div class="row">
                    <label for=id_input.clone()>"Role id"</label>
                    <input
                        id=id_input
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=field(|role| role.role_id.clone())
                        on:input=move |ev| {
                            let value = event_target_value(&ev);
                            edit_role(&|role| role.role_id.clone_from(&value));
                        }
                    />
                    <button
                        type="button"
                        class="secondary"
                        id=format!("role-{index}-delete")
                        on:click=move |_| {
                            edit(&move |policy| {
                                if index < policy.roles.len() {
                                    policy.roles.remove(index);
                                }
                            });
                        }
                    >
                        "Delete role"
                        <span class="visually-hidden">{field(|role| format!(" {}", role.role_id))}</span>
                    </button>
                </div>
                <label for=description_input.clone()>"Description"</label>
                <input
                    id=description_input
                    type="text"
                    autocomplete="off"
                    prop:value=field(|role| role.description.clone())
                    on:input=move |ev| {
                        let value = event_target_value(&ev);
                        edit_role(&|role| role.description.clone_from(&value));
                    }
                />
                {grid}
            </li>
        }
    };
    view! {
        <section class="role-editor" aria-labelledby="role-editor-title">
            <h3 id="role-editor-title">"Custom roles"</h3>
            {move || {
                if draft.with(Option::is_none) {
                    view! {
                        <p class="field-warning">"The JSON below does not parse: fix it to edit roles one at a time."</p>
                    }
                    .into_any()
                } else if count() == 0 {
                    view! { <p class="muted">"This organization has no custom roles yet."</p> }.into_any()
                } else {
                    ().into_any()
                }
            }}
            <ul class="roles">
                <For each=move || 0..count() key=|index| *index children=card />
            </ul>
            <button
                type="button"
                id="add-role"
                class="secondary"
                disabled=move || draft.with(Option::is_none)
                on:click=move |_| {
                    edit(&|policy| {
                        let role_id = fresh_role_id(policy);
                        policy.roles.push(Role {
                            role_id,
                            description: String::new(),
                            permissions: Vec::new(),
                        });
                    });
                }
            >
                "Add role"
            </button>
        </section>
    }
}

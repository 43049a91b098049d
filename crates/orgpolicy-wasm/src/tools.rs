//! Validation, diffs, explanations, effective roles and M2M scope strings:
//! the tools module (`orgpolicy/tools`).

use crate::convert::{
    answer, read, read_optional, read_organization_policy, read_policy, success, write,
};
use orgpolicy_core::{
    AuthorizationCheck, EmailImplicitRoleAssignment, MemberRoles, OrganizationPolicyDocument,
    Policy, Subject, diff_organization_policies, diff_policies, effective_roles, explain, m2m,
    validate_organization_policy, validate_policy,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// `{type: "success", valid, errors, warnings}`.
fn report_answer(report: &orgpolicy_core::ValidationReport) -> JsValue {
    #[derive(Serialize)]
    struct Report<'a> {
        valid: bool,
        #[serde(flatten)]
        report: &'a orgpolicy_core::ValidationReport,
    }
    success(&Report {
        valid: report.is_valid(),
        report,
    })
}

/// Validates a project policy: `{type: "success", valid, errors, warnings}`,
/// or `failure` if it cannot be read. Paths point into the given document.
#[wasm_bindgen(js_name = validatePolicy, unchecked_return_type = "Answer<ValidationReport>")]
pub fn validate_policy_js(
    #[wasm_bindgen(unchecked_param_type = "ProjectPolicyInput")] policy: JsValue,
) -> JsValue {
    answer(read_policy(&policy).map(|document| {
        let report = validate_policy(&document.policy).rebased(&document.base);
        report_answer(&report)
    }))
}

/// Validates an organization policy against the project policy, in the
/// API's check order.
#[wasm_bindgen(js_name = validateOrganizationPolicy, unchecked_return_type = "Answer<ValidationReport>")]
pub fn validate_organization_policy_js(
    #[wasm_bindgen(unchecked_param_type = "ProjectPolicyInput")] project_policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OrganizationPolicyInput")] organization_policy: JsValue,
) -> JsValue {
    answer((|| {
        let project = read_policy(&project_policy)?.policy;
        let document = read_organization_policy(&organization_policy)?;
        let report =
            validate_organization_policy(&project, &document.policy).rebased(&document.base);
        Ok(report_answer(&report))
    })())
}

/// Compares two project policies; `members` (`[{member_id, roles}]`) get
/// what they gain or lose. `{type: "success", roles, scopes, ..., members}`.
#[wasm_bindgen(js_name = diffPolicies, unchecked_return_type = "Answer<PolicyDiff>")]
pub fn diff_policies_js(
    #[wasm_bindgen(unchecked_param_type = "ProjectPolicyInput")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ProjectPolicyInput")] after: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MemberRoles[] | null")] members: Option<
        JsValue,
    >,
) -> JsValue {
    answer((|| {
        let old: Policy = read_policy(&before)?.policy;
        let new: Policy = read_policy(&after)?.policy;
        let members: Vec<MemberRoles> =
            read_optional(&members.unwrap_or(JsValue::UNDEFINED))?.unwrap_or_default();
        Ok(success(&diff_policies(&old, &new, &members)))
    })())
}

/// Compares an organization's old and new custom roles under the project
/// policy; `members` of the organization get what they gain or lose.
#[wasm_bindgen(js_name = diffOrganizationPolicies, unchecked_return_type = "Answer<PolicyDiff>")]
pub fn diff_organization_policies_js(
    #[wasm_bindgen(unchecked_param_type = "ProjectPolicyInput")] project_policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OrganizationPolicyInput")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OrganizationPolicyInput")] after: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "MemberRoles[] | null")] members: Option<
        JsValue,
    >,
    #[wasm_bindgen(unchecked_optional_param_type = "EmailImplicitRoleAssignment[] | null")]
    implicit_assignments: Option<JsValue>,
) -> JsValue {
    answer((|| {
        let project = read_policy(&project_policy)?.policy;
        let old = read_organization_policy(&before)?.policy;
        let new = read_organization_policy(&after)?.policy;
        let members: Vec<MemberRoles> =
            read_optional(&members.unwrap_or(JsValue::UNDEFINED))?.unwrap_or_default();
        let implicit: Vec<EmailImplicitRoleAssignment> =
            read_optional(&implicit_assignments.unwrap_or(JsValue::UNDEFINED))?.unwrap_or_default();
        Ok(success(&diff_organization_policies(
            &project, &old, &new, &members, &implicit,
        )))
    })())
}

/// Why a check is allowed or denied, from the documents:
/// `{type: "success", decision, candidateRoles, unknownRoles,
/// resourceDeclared, actionDeclared, summary}` or `failure`. The decision
/// (with the grants that allowed it, or the deny reason and the roles that
/// would allow it) is the one `Engine.authorize` reports.
/// `organizationPolicy` is the custom roles of the check's organization.
#[wasm_bindgen(js_name = explain, unchecked_return_type = "Answer<Explanation>")]
pub fn explain_js(
    #[wasm_bindgen(unchecked_param_type = "ProjectPolicyInput")] policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "OrganizationPolicyInput | null")]
    organization_policy: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Subject")] subject: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AuthorizationCheck")] check: JsValue,
) -> JsValue {
    answer((|| {
        let policy = read_policy(&policy)?.policy;
        let organization = read_optional::<OrganizationPolicyDocument>(&organization_policy)?
            .map(|document| document.policy);
        let subject: Subject = read(&subject)?;
        let check: AuthorizationCheck = read(&check)?;
        Ok(success(&explain(
            &policy,
            organization.as_ref(),
            &subject,
            &check,
        )))
    })())
}

/// A member's effective roles with their sources:
/// `{type: "success", roles: [{role_id, sources}]}`.
#[wasm_bindgen(js_name = effectiveRoles, unchecked_return_type = "Answer<{ roles: MemberRole[] }>")]
pub fn effective_roles_js(
    #[wasm_bindgen(unchecked_param_type = "MemberRoles")] member: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EmailImplicitRoleAssignment[] | null")]
    implicit_assignments: Option<JsValue>,
) -> JsValue {
    #[derive(Serialize)]
    struct Roles {
        roles: Vec<orgpolicy_core::MemberRole>,
    }
    answer((|| {
        let member: MemberRoles = read(&member)?;
        let implicit: Vec<EmailImplicitRoleAssignment> =
            read_optional(&implicit_assignments.unwrap_or(JsValue::UNDEFINED))?.unwrap_or_default();
        Ok(success(&Roles {
            roles: effective_roles(&member, &implicit),
        }))
    })())
}

/// The M2M scope-string check (`action:resource`, bare words, `action:*`):
/// `{type: "allow"} | {type: "deny", errorType: "missing_scopes", deny} | failure`.
#[wasm_bindgen(js_name = m2mAuthorize, unchecked_return_type = "M2mDecision")]
pub fn m2m_authorize_js(
    #[wasm_bindgen(unchecked_param_type = "string[]")] has_scopes: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string[]")] required_scopes: JsValue,
) -> JsValue {
    #[derive(Serialize)]
    #[serde(
        tag = "type",
        rename_all = "snake_case",
        rename_all_fields = "camelCase"
    )]
    enum Answer {
        Allow,
        Deny {
            error_type: &'static str,
            deny: m2m::M2mDeny,
        },
    }
    answer((|| {
        let has: Vec<String> = read(&has_scopes)?;
        let required: Vec<String> = read(&required_scopes)?;
        Ok(write(&match m2m::authorize(&has, &required) {
            Ok(()) => Answer::Allow,
            Err(deny) => Answer::Deny {
                error_type: m2m::M2mDeny::ERROR_TYPE,
                deny,
            },
        }))
    })())
}

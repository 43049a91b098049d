"""Stytch's official Python SDK (PyPI `stytch`, pinned) against a gateway
over the embedded sandbox. Its responses are pydantic models: an answer
missing a field the SDK types as required, or of the wrong type, fails to
parse and raises. Prints `ok NAME` per check; exits non-zero on the first
failure.

Usage: python python_sdk.py http://127.0.0.1:PORT
"""

import sys
import warnings

import stytch
from stytch.core.response_base import StytchError


def main(origin: str) -> None:
    warnings.simplefilter("ignore")
    client = stytch.B2BClient(
        project_id="project-test-00000000-0000-4000-8000-000000000000",
        secret="secret-test-the-gateway-replaces-this",
        environment=origin.rstrip("/") + "/",
    )

    def expect_error(name, call, status, error_type):
        try:
            call()
        except StytchError as error:
            assert error.details.status_code == status, error
            assert error.details.error_type == error_type, error
            assert error.details.request_id, error
            print(f"ok {name}")
            return
        raise AssertionError(f"{name}: no error")

    created = client.organizations.create(
        organization_name="Acme Py", organization_slug="acme-py", trusted_metadata={"tier": "gold"}
    )
    organization_id = created.organization.organization_id
    assert created.organization.custom_roles == []
    print("ok organizations.create")
    got = client.organizations.get(organization_id="acme-py")
    assert got.organization.organization_id == organization_id
    print("ok organizations.get")
    updated = client.organizations.update(organization_id=organization_id, organization_name="Acme Py Inc")
    assert updated.organization.organization_name == "Acme Py Inc"
    print("ok organizations.update")
    found = client.organizations.search(
        query={"operator": "AND", "operands": [{"filter_name": "organization_slugs", "filter_value": ["acme-py"]}]}
    )
    assert [o.organization_id for o in found.organizations] == [organization_id]
    print("ok organizations.search")
    metrics = client.organizations.metrics(organization_id=organization_id)
    assert metrics.member_count == 0
    print("ok organizations.metrics")
    expect_error(
        "organizations.get missing",
        lambda: client.organizations.get(organization_id="organization-test-missing"),
        404,
        "organization_not_found",
    )

    member = client.organizations.members.create(
        organization_id=organization_id, email_address="ada@acme-py.test", name="Ada", roles=["stytch_admin"]
    )
    member_id = member.member.member_id
    assert member.member.is_admin is True
    print("ok members.create")
    by_email = client.organizations.members.get(organization_id=organization_id, email_address="ADA@acme-py.test")
    assert by_email.member.member_id == member_id
    print("ok members.get")
    changed = client.organizations.members.update(organization_id=organization_id, member_id=member_id, name="Ada L.")
    assert changed.member.name == "Ada L."
    print("ok members.update")
    moved = client.organizations.members.update(
        organization_id=organization_id, member_id=member_id, email_address="ada.l@acme-py.test"
    )
    assert [r.email_address for r in moved.member.retired_email_addresses] == ["ada@acme-py.test"]
    unlinked = client.organizations.members.unlink_retired_email(
        organization_id=organization_id, member_id=member_id, email_address="ada@acme-py.test"
    )
    assert unlinked.member.retired_email_addresses == []
    print("ok members.unlink_retired_email")
    slack = client.organizations.members.oauth_providers.slack(organization_id=organization_id, member_id=member_id)
    assert slack.registrations == []
    print("ok members.oauth_providers.slack")
    expect_error(
        "members.delete_totp",
        lambda: client.organizations.members.delete_totp(organization_id=organization_id, member_id=member_id),
        404,
        "totp_not_found",
    )
    expect_error(
        "members.oauth_providers.google",
        lambda: client.organizations.members.oauth_providers.google(organization_id=organization_id, member_id=member_id),
        404,
        "member_oauth_token_not_found",
    )
    searched = client.organizations.members.search(organization_ids=[organization_id])
    assert [m.member_id for m in searched.members] == [member_id]
    print("ok members.search")
    client.organizations.members.delete(organization_id=organization_id, member_id=member_id)
    print("ok members.delete")
    deleted = client.organizations.members.dangerously_get(member_id=member_id, include_deleted=True)
    assert deleted.member.status == "deleted"
    print("ok members.dangerously_get")
    back = client.organizations.members.reactivate(organization_id=organization_id, member_id=member_id)
    assert back.member.status == "active"
    print("ok members.reactivate")

    policy = client.rbac.policy()
    assert any(role.role_id == "stytch_admin" for role in policy.policy.roles)
    print("ok rbac.policy")
    roles = [{"role_id": "auditor", "description": "", "permissions": [{"resource_id": "stytch.member", "actions": ["search"]}]}]
    client.rbac.organizations.set_org_policy(organization_id=organization_id, org_policy={"roles": roles})
    org_policy = client.rbac.organizations.get_org_policy(organization_id=organization_id)
    assert [role.role_id for role in org_policy.org_policy.roles] == ["auditor"]
    print("ok rbac.organizations")

    client.organizations.delete(organization_id=organization_id)
    print("ok organizations.delete")


if __name__ == "__main__":
    main(sys.argv[1])

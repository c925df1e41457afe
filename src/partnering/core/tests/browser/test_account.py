"""Journey: a partner member creates an API key (shown once), uses it, and revokes it."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_create_use_and_revoke_an_api_key(
    page, live_server, partner_user, sign_in, assert_accessible
):
    sign_in(page, partner_user)
    page.get_by_role("link", name=f"{partner_user.display_name} (Partner member)").click()
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    expect(page.get_by_text("You have no API keys.")).to_be_visible()
    assert_accessible(page)

    # An empty name is an error, with the GOV.UK error summary.
    page.get_by_role("button", name="Create API key").click()
    expect(page.get_by_role("link", name="Enter a name for the key")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.get_by_label("Name of the key").fill("Finance system")
    page.get_by_role("button", name="Create API key").click()
    expect(page.get_by_role("heading", name="Your new key")).to_be_visible()
    raw_key = page.locator("#new-api-key").inner_text()
    assert raw_key.startswith("sp_")
    expect(page.get_by_text("Copy it now: it will not be shown again.")).to_be_visible()
    assert_accessible(page)

    api = f"{live_server.url}/api/v1/organisations/"
    headers = {"Authorization": f"Bearer {raw_key}"}
    assert page.request.get(api, headers=headers).status == 200

    # Shown once: reloading shows only its start, and creates no second key.
    page.reload()
    expect(page.get_by_role("heading", level=1, name="Your account")).to_be_visible()
    expect(page.locator("#new-api-key")).to_have_count(0)
    expect(page.get_by_role("cell", name=f"sp_{raw_key.split('_')[1]}")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke Finance system")).to_have_count(1)

    page.get_by_role("button", name="Revoke Finance system").click()
    expect(page.get_by_text("API key ‘Finance system’ revoked.")).to_be_visible()
    expect(page.get_by_role("cell", name="Revoked")).to_be_visible()
    assert_accessible(page)

    response = page.request.get(api, headers=headers)
    assert response.status == 401
    assert response.json() == {"detail": "The API key is not valid or has been revoked."}

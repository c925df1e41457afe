"""Journey: an integrator opens the API docs; Swagger UI loads from our own static files under our CSP."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_docs_render_every_router_without_csp_errors(page, live_server):
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{live_server.url}/api/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    tags = page.locator(".opblock-tag").all_inner_texts()
    assert any("organisations" in tag for tag in tags)
    assert any("partnerships" in tag for tag in tags)
    assert errors == []

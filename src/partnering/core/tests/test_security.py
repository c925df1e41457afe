"""Security headers on every kind of response: pages, errors, downloads and the API."""

import re

import pytest

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/sign-in/",
    "/organisations/",
    "/organisations/no-such-organisation/",
    "/organisations/download.csv",
    "/api/v1/organisations/",
]


@pytest.mark.parametrize("url", URLS)
def test_frame_sniffing_referrer_and_opener_headers(client, url):
    response = client.get(url)

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("url", URLS)
def test_content_security_policy_allows_only_this_site(client, url):
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in client.get(url)["Content-Security-Policy"].split(";")
    )

    assert policy["default-src"] == "'self'"
    assert policy["script-src"].startswith("'self'")
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in policy["script-src"]


def test_inline_script_carries_the_nonce_of_the_policy(client):
    response = client.get("/")
    header_nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    html = response.content.decode()

    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline_scripts, "the page has its inline script"
    assert all(f'nonce="{header_nonce}"' in attrs for attrs in inline_scripts)
    assert len(header_nonce) >= 16


def test_nonce_is_new_for_every_response(client):
    first = client.get("/")["Content-Security-Policy"]
    second = client.get("/")["Content-Security-Policy"]

    assert re.search(r"'nonce-([^']+)'", first).group(1) != re.search(
        r"'nonce-([^']+)'", second
    ).group(1)


def test_no_inline_style_attributes_on_pages(client, staff_user):
    """CSP blocks ``style=`` attributes, so none may be relied on."""
    client.force_login(staff_user)
    for url in ["/", "/about-the-data/", "/account/", "/organisations/"]:
        assert " style=" not in client.get(url).content.decode(), url


def test_session_and_csrf_cookies_are_http_only(client, staff_user):
    response = client.post("/sign-in/", {"username": "staff", "password": "password"})

    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"]
    assert response.cookies["sessionid"]["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["httponly"]


def test_forms_refuse_a_post_without_a_csrf_token(staff_user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user)

    assert client.post("/account/", {"name": "Sneaky"}).status_code == 403
    assert client.post("/sign-out/").status_code == 403

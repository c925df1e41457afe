"""The Content Security Policy (no ``unsafe-inline`` for scripts or styles) breaks no page: a
browser signed in as staff walks the demo from the home page, following links of every room, and
Chromium reports no violation of the policy on any of them.

Chromium reports each blocked inline style, inline script, event-handler attribute or foreign
source as a ``securitypolicyviolation`` event (and a console error), which the walk collects."""

from collections import Counter, deque
from io import StringIO
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_PAGES = 80
PER_SHAPE = 3  # pages of the same kind (see shape)
SKIP_SUFFIXES = (".csv", ".xlsx", ".json", ".pdf", ".xml", ".geojson", ".ics", ".zip")
SKIP_PREFIXES = ("/sign-out", "/admin", "/static/", "/api/v1/", "/open311/")
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}` +
    ` at ${e.sourceFile || location.pathname}:${e.lineNumber}`);
});
"""


def shape(path: str) -> tuple[str, ...]:
    """``/partnerships/<slug>/sharing/v1/`` -> ``("partnerships", "sharing", "#")``: the same
    kind of page of another object is not visited again."""
    parts = [p for p in path.split("/") if p] or [""]
    rest = ["#" if any(c.isdigit() for c in p) else p for p in parts[2:]]
    return (parts[0], *rest)


def test_no_page_of_the_demo_violates_the_content_security_policy(page, live_server, sign_in):
    call_command("load_demo", stdout=StringIO())
    from partnering.core.models import User

    staff = User.objects.get(username="staff")
    staff.set_password("password")
    staff.save()
    page.add_init_script(RECORD_VIOLATIONS)
    console: list[str] = []
    page.on(
        "console",
        lambda m: (
            console.append(f"{page.url}: {m.text}")
            if m.type == "error" and "Content Security Policy" in m.text
            else None
        ),
    )
    sign_in(page, staff)

    base = live_server.url
    queue = deque(["/", "/api/docs", "/partnerships/north-yorkshire-ict-partnership/"])
    seen: set[str] = set(queue)
    shapes: Counter[tuple[str, ...]] = Counter()
    visited, violations = [], []
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        response = page.goto(base + path)
        page.wait_for_load_state("load")
        visited.append(path)
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        violations += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            url = urlsplit(urljoin(base + path, href))
            if url.netloc != urlsplit(base).netloc or url.path in seen:
                continue
            if url.path.endswith(SKIP_SUFFIXES) or url.path.startswith(SKIP_PREFIXES):
                continue
            seen.add(url.path)
            if shapes[shape(url.path)] < PER_SHAPE:
                shapes[shape(url.path)] += 1
                queue.append(url.path)

    rooms = {shape(p)[0] for p in visited}
    assert len(visited) >= 30, visited
    assert {"organisations", "partnerships", "api"} <= rooms, rooms
    assert violations == [] and console == [], "\n".join(violations + console)

"""Take the README's screenshots with Playwright and Debian's Chromium.

    uv run python scripts/screenshots.py [--out docs/screenshots]

Builds a throw-away SQLite database under var/screenshots (migrate, import the real
organisations, load the demo), serves it with runserver on a free 127.0.0.1 port, and saves one
PNG per page. Pages whose URL does not exist yet are skipped with a message.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip
TALL = {"partnership", "fair-shares"}
ENV = {
    **os.environ,
    "DJANGO_SETTINGS_MODULE": "partnering.config.settings.dev",
    "PARTNERING_VAR_DIR": str(VAR),
    "DATABASE_URL": f"sqlite:///{VAR / 'db.sqlite3'}",
}


def manage(*args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def urls() -> list[tuple[str, str, str | None]]:
    """(file name, path, user to sign in as or None), worked out inside Django."""
    code = r"""
import json
from django.urls import NoReverseMatch, reverse
from partnering.organisations.models import Organisation

def rev(name, **kw):
    try:
        return reverse(name, kwargs=kw or None)
    except NoReverseMatch:
        return None

out = [["home", "/", None], ["organisations", rev("organisations:organisation-list"), None]]
org = Organisation.objects.filter(gss_code="E10000023").first()
out.append(["organisation", org.get_absolute_url() if org else None, None])
try:
    from partnering.partnerships.models import Partnership
    p = (Partnership.objects.filter(name__icontains="North Yorkshire").order_by("pk").first()
         or Partnership.objects.order_by("pk").first())
except Exception:
    p = None
out.append(["partnerships", rev("partnerships:partnership-list"), "staff"])
detail = None
if p is not None:
    try:
        detail = p.get_absolute_url()
    except NoReverseMatch:
        detail = None
out.append(["partnership", detail, "northyorks"])
# Version 1: the population split agreed in June 2002, outside the core (the demo's story).
shares = reverse("sharing:shares", kwargs={"slug": p.slug, "version": 1}) if p else None
out.append(["fair-shares", shares, "northyorks"])
print(json.dumps(out))
"""
    import json

    return [tuple(row) for row in json.loads(manage("shell", "-c", code).strip().splitlines()[-1])]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    shutil.rmtree(VAR, ignore_errors=True)
    VAR.mkdir(parents=True)
    print("Preparing a demo database in", VAR)
    manage("migrate", "--no-input", "-v", "0")
    manage("import_organisations", "--no-progress")
    print(manage("load_demo").strip())
    pages = urls()

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2).read()  # noqa: S310 - loopback
                break
            except OSError:
                time.sleep(0.2)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            contexts: dict[str | None, object] = {}
            for name, path, user in pages:
                if not path:
                    print(f"skip {name}: no such page yet")
                    continue
                if user not in contexts:
                    context = browser.new_context(viewport={"width": 1280, "height": 900})
                    if user:
                        page = context.new_page()
                        page.goto(f"{base}/sign-in/")
                        page.get_by_label("Username").fill(user)
                        page.get_by_label("Password").fill("partnering-demo")
                        page.get_by_role("button", name="Sign in").click()
                        page.wait_for_load_state()
                        page.close()
                    contexts[user] = context
                page = contexts[user].new_page()  # type: ignore[attr-defined]
                response = page.goto(base + path)
                status = response.status if response else 0
                if status != 200:
                    print(f"skip {name}: HTTP {status} at {path}")
                    page.close()
                    continue
                target = out / f"{name}.png"
                # Long pages: the top 1,800 pixels, enough to show a table or chart.
                height = 1800 if name in TALL else 900
                page.screenshot(
                    path=str(target),
                    full_page=True,
                    clip={"x": 0, "y": 0, "width": 1280, "height": height},
                )
                print(f"saved {target} ({path})")
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
    return 0


if __name__ == "__main__":
    sys.exit(main())

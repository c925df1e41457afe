"""Production settings: a real SECRET_KEY or no start, and ``check --deploy`` with no warnings."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
GOOD_KEY = "q8Vw2-L0xZr4pK9sNf7TjB3yHc6MdU1aEo5GiW_XgRnYvQeCt0lSbA8hJmKzDuP4"

# Each key is tried in a fresh import of the settings, all in one subprocess (one Django start-up).
PROBE = """
import importlib, json, os, sys
results = {}
for key in json.loads(sys.argv[1]):
    for name in [m for m in sys.modules if m.startswith("partnering.config.settings")]:
        del sys.modules[name]
    if key is None:
        os.environ.pop("SECRET_KEY", None)
    else:
        os.environ["SECRET_KEY"] = key
    try:
        importlib.import_module("partnering.config.settings.prod")
    except Exception as error:
        results[repr(key)] = f"{type(error).__name__}: {error}"
    else:
        results[repr(key)] = "accepted"
print(json.dumps(results))
"""
REFUSED = "ImproperlyConfigured: Set SECRET_KEY to a random value of at least 50 characters."


def clean_env(**extra: str) -> dict[str, str]:
    """This environment minus what only tests set (the root conftest allows async-unsafe)."""
    unset = {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    return {**env, "DJANGO_SETTINGS_MODULE": "partnering.config.settings.prod", **extra}


def test_prod_settings_refuse_a_missing_short_or_placeholder_key():
    keys = [
        None,
        "",
        "short-secret",
        GOOD_KEY[:49],
        "a" * 60,  # long but no variety
        "dev-" + GOOD_KEY,
        "test-" + GOOD_KEY,
        "django-insecure-" + GOOD_KEY,
        GOOD_KEY[:50],
        GOOD_KEY,
    ]
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(keys)],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    outcomes = json.loads(result.stdout)

    assert outcomes == {
        **{repr(k): REFUSED for k in keys[:-2]},
        repr(GOOD_KEY[:50]): "accepted",
        repr(GOOD_KEY): "accepted",
    }


DEPLOY_CHECK = """
import django, io, json
django.setup()
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test.utils import override_settings

def run():
    out = io.StringIO()
    try:
        call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    except SystemCheckError as error:
        return str(error)
    return out.getvalue()

clean = run()
with override_settings(DEBUG=True):  # proves the check is live: DEBUG on must be reported
    debug = run()
print(json.dumps([clean, debug]))
"""


def test_check_deploy_reports_no_issues_with_a_50_character_key():
    """``manage.py check --deploy`` in production mode, in a subprocess with the environment a
    server would have (no test-only variables)."""
    result = subprocess.run(
        [sys.executable, "-c", DEPLOY_CHECK],
        cwd=REPO, env=clean_env(SECRET_KEY=GOOD_KEY[:50]), capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip
    clean, debug = json.loads(result.stdout.strip().splitlines()[-1])

    assert clean.strip() == "System check identified no issues (0 silenced).", clean
    assert "security.W018" in debug


def test_prod_security_settings():
    """Values from prod.py, read without starting a second Django (a fresh import, good key)."""
    result = subprocess.run(
        [sys.executable, "-c", "from partnering.config.settings import prod as s; import json; "
         "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, "
         "s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, s.SESSION_COOKIE_SECURE, "
         "s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS, "
         "s.SECURE_CONTENT_TYPE_NOSNIFF]))"],
        cwd=REPO, env=clean_env(SECRET_KEY=GOOD_KEY), capture_output=True, text=True,
        timeout=120, check=True,
    )  # fmt: skip

    assert json.loads(result.stdout) == [
        False, True, 31536000, True, True, True, True, True, "DENY", True,
    ]  # fmt: skip


CACHED_LOADER_PROBE = """
import django, json
django.setup()
from django.template import engines
print(json.dumps([type(loader).__module__ for loader in engines["django"].engine.template_loaders]))
"""


def test_production_caches_compiled_templates():
    """The component includes are compiled once per process, not on every request."""
    out = subprocess.run(
        [sys.executable, "-c", CACHED_LOADER_PROBE],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=clean_env(SECRET_KEY=GOOD_KEY, PYTHONPATH=str(REPO / "src")),
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == ["django.template.loaders.cached"]

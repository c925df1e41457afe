"""Production static files: collectstatic with the hashed, compressed manifest storage succeeds."""

import json

from django.core.management import call_command
from django.test import override_settings


def test_collectstatic_with_the_production_storage(tmp_path, settings):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    for name in ("govuk/govuk-frontend.min.css", "govuk/govuk-frontend.min.js", "core/init.mjs"):
        assert name in manifest
    hashed_css = (tmp_path / manifest["govuk/govuk-frontend.min.css"]).read_text()
    assert "url(/assets/" not in hashed_css  # fonts and images resolve under STATIC_URL

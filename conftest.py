"""Shared test fixtures: users of every role, an API client, and Playwright with an axe-core check."""

import os

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Property tests judge answers, not speed: Hypothesis's default 200 ms deadline per example turned
# a procurement property test flaky when the machine was at load 7 (CI beside other sessions).
hypothesis_settings.register_profile(
    "platform", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "platform"))

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


# --- Test databases -----------------------------------------------------------------------
# Applying the migrations costs about a CPU-minute per test database (Django re-renders every
# model related to the user, which every historical model is, on each CreateModel), paid by every
# pytest-xdist worker. On SQLite the tables are made straight from the models instead and the
# migrations' data steps are replayed; PostgreSQL, the production database, keeps applying the
# migrations, so CI still proves them (and `makemigrations --check` in lint proves they match the
# models). TEST_MIGRATIONS=1 applies them on SQLite too.


@pytest.fixture(scope="session")
def django_db_use_migrations(request):
    from django.conf import settings

    if os.environ.get("TEST_MIGRATIONS") == "1":
        return True
    if request.config.getvalue("nomigrations"):
        return False
    return settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3"


def migration_data_steps():
    """Every RunPython and RunSQL operation in the project's migrations, app by app in
    INSTALLED_APPS order (the flow order) and migration by migration: the steps that make rows,
    tables or indexes the models alone do not."""
    import importlib
    import pkgutil

    from django.apps import apps
    from django.db import migrations

    steps = []
    for config in apps.get_app_configs():
        if not config.name.startswith("partnering."):
            continue
        try:
            package = importlib.import_module(f"{config.name}.migrations")
        except ModuleNotFoundError:
            continue
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{package.__name__}.{info.name}")
            steps.extend(
                operation
                for operation in module.Migration.operations
                if isinstance(operation, migrations.RunPython | migrations.RunSQL)
            )
    return steps


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_use_migrations, django_db_blocker):
    if django_db_use_migrations:
        return
    from django.apps import apps
    from django.db import connection, migrations

    with django_db_blocker.unblock(), connection.schema_editor() as schema_editor:
        for step in migration_data_steps():
            if isinstance(step, migrations.RunPython):
                step.code(apps, schema_editor)
            else:
                for sql in [step.sql] if isinstance(step.sql, str) else step.sql:
                    schema_editor.execute(sql)


@pytest.fixture(autouse=True)
def _faker_locale():
    import factory

    with factory.Faker.override_default_locale("en_GB"):
        yield


@pytest.fixture
def staff_user(db):
    from partnering.core.tests.factories import UserFactory

    return UserFactory(role="staff", username="staff")


@pytest.fixture
def adviser_user(db):
    from partnering.core.tests.factories import UserFactory

    return UserFactory(role="adviser", username="adviser")


@pytest.fixture
def partner_user(db):
    from partnering.core.tests.factories import UserFactory

    return UserFactory(role="partner", username="partner")


@pytest.fixture
def user_for_role(staff_user, adviser_user, partner_user):
    """``user_for_role("staff" | "adviser" | "partner" | "public")``; public is None (anonymous)."""
    users = {"staff": staff_user, "adviser": adviser_user, "partner": partner_user, "public": None}
    return users.__getitem__


@pytest.fixture
def client_for(client, user_for_role):
    """A Django test client signed in as the given role (or anonymous for ``public``)."""

    def make(role: str):
        user = user_for_role(role)
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        return client

    return make


# --- The fair-share engine, faked where a test is not about the maths ----------------------


def fake_compute(data):
    """A stand-in for ``sharing.engine.compute``: every method splits the sum of the figures
    equally, in the core, with no saving. The shapes are the engine's; the numbers are not."""
    from partnering.sharing import engine

    players = list(data.players)
    total = float(sum(sum(c.values.values()) for c in data.components) or 0)
    share = dict.fromkeys(players, total / len(players)) if players else {}
    core = {"in_core": True, "max_excess": 0.0, "worst_coalition": [],
            "worst_coalition_cost": 0.0, "efficient": True, "exhaustive": True}  # fmt: skip
    results, savings, explanations = {}, {}, {}
    for method in engine.METHODS:
        results[method] = {
            "label": engine.METHOD_LABELS.get(method, method), "available": True,
            "shares": dict(share), "standard_errors": None, "exact": True, "notes": [],
        }  # fmt: skip
        savings[method] = {
            p: {"standalone": v, "share": v, "saving": 0.0, "saving_pct": 0.0,
                "share_of_total_saving": 0.0}
            for p, v in share.items()
        }  # fmt: skip
        explanations[method] = dict.fromkeys(players, "An equal share (a test's fake engine).")
    return engine.Computed(
        grand_cost=total, total_standalone=total, results=results,
        core={m: dict(core) for m in engine.METHODS}, savings=savings,
        explanations=explanations, warnings=[], duration_ms=0,
    )  # fmt: skip


@pytest.fixture
def fake_engine(monkeypatch):
    """Calculations store ``fake_compute``'s equal split instead of running the fair-share
    engine. For tests about who may do what, or what a page shows around the figures; a test that
    asserts computed figures uses the real engine (the default)."""
    from partnering.sharing import engine

    monkeypatch.setattr(engine, "compute", fake_compute)
    return fake_compute


@pytest.fixture(autouse=True)
def _fake_engine_when_marked(request):
    """``pytest.mark.fake_engine`` on a test or module asks for ``fake_engine``."""
    if request.node.get_closest_marker("fake_engine") is not None:
        request.getfixturevalue("fake_engine")


# --- Browser tests -------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _patient_expect():
    """Playwright's ``expect`` waits up to 15 s (not 5 s) for a condition: the suite runs in
    parallel workers on two cores, where a page's first load in a worker (e.g. the OpenAPI
    document behind Swagger UI) can take longer. The conditions themselves are unchanged."""
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def _axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


def _run_axe_on_settled_page(axe, page, attempts: int = 3):
    """axe needs a document: a check straight after a click can land while the browser is
    between the old page and the next one (document null, or the context destroyed). Wait
    for the load and try again then; a real violation is never retried away."""
    from playwright.sync_api import Error as PlaywrightError

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}}
    for attempt in range(attempts):
        page.wait_for_load_state("load")
        try:
            return axe.run(page, options=options)
        except PlaywrightError as error:
            mid_navigation = "documentElement" in str(error) or "context was destroyed" in str(
                error
            )
            if not mid_navigation or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


@pytest.fixture
def assert_accessible(_axe):
    """Run axe-core on the page: zero WCAG 2.2 A/AA violations, or fail listing them."""

    def check(page) -> None:
        results = _run_axe_on_settled_page(_axe, page)
        violations = results.response["violations"]
        if violations:
            lines = [
                f"{v['id']} ({v['impact']}): {v['help']} -> "
                + "; ".join(
                    n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                    for n in v["nodes"][:5]
                )
                for v in violations
            ]
            pytest.fail(
                f"axe found {len(violations)} violation(s) on {page.url}:\n" + "\n".join(lines)
            )

    return check


@pytest.fixture
def sign_in(live_server):
    """Sign a browser page in as ``user`` through the real sign-in form."""

    def do(page, user, password: str = "password") -> None:  # noqa: S107
        page.goto(f"{live_server.url}/sign-in/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/**")

    return do


@pytest.fixture
def fill_date():
    """Type a date (``"2003-06-30"``) into the GOV.UK date input whose legend is ``legend``."""

    def do(scope, legend: str, iso: str) -> None:
        year, month, day = iso.split("-")
        group = scope.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(int(day)))
        group.get_by_label("Month").fill(str(int(month)))
        group.get_by_label("Year").fill(year)

    return do


@pytest.fixture
def choose_in_autocomplete():
    """Pick ``option`` in the accessible autocomplete labelled ``label`` by typing its start."""

    def do(scope, label: str, option: str) -> None:
        # The library's input, not the select it replaces (still matched while it is being hidden:
        # under load a fill once waited 30 s on the select).
        box = scope.get_by_role("combobox", name=label).and_(scope.locator("input"))
        box.fill(option[:4])
        scope.get_by_role("option", name=option).click()

    return do

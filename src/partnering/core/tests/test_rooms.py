"""The room kit: rooms are found in flow order and what they declare reaches the pages."""

from types import SimpleNamespace

import pytest
from django.test import RequestFactory
from django.urls import reverse

from partnering.core import rooms
from partnering.core.rooms import HomePanel, NavEntry, PageSection, RoomConfig

pytestmark = pytest.mark.django_db


def test_rooms_are_found_in_data_flow_order():
    labels = [room.label for room in rooms.room_configs()]

    assert labels[:3] == ["organisations", "partnerships", "sharing"]
    assert labels[-2:] == ["frontdoor", "library"]


def test_a_room_config_is_the_default_of_its_apps_module_not_its_base():
    assert RoomConfig.default is False
    assert all(type(room).default for room in rooms.room_configs())


def test_every_room_url_and_api_mount_comes_from_its_config():
    assert ("organisations/", "partnering.organisations.urls") in list(rooms.url_mounts())
    assert ("/v1/partnerships/", "partnering.partnerships.api.router") in list(rooms.api_mounts())


def test_demo_loaders_run_in_flow_order():
    labels = [label for label, _ in rooms.demo_loaders()]

    assert labels.index("organisations") < labels.index("partnerships") < labels.index("sharing")


CACHES = (rooms._navigation, rooms._home_panels, rooms._sections)


@pytest.fixture
def fake_room(monkeypatch):
    """Replace the installed rooms by one room declaring what the test gives."""

    reverse("core:home")  # load the real URLconf (built from the real rooms) first

    def install(**declared):
        fake = SimpleNamespace(
            **{"navigation": (), "home_panels": (), "page_sections": (), **declared}
        )
        monkeypatch.setattr(rooms, "room_configs", lambda: [fake])
        for cached in CACHES:
            cached.cache_clear()

    yield install
    for cached in CACHES:
        cached.cache_clear()


def test_navigation_shows_only_what_the_visitor_may_see_and_marks_the_current_one(
    fake_room, staff_user
):
    fake_room(
        navigation=(
            NavEntry("Everyone", "core:account", "/account/", order=2),
            NavEntry("Staff only", "core:home", "/", visible_to=lambda u: u.is_staff, order=1),
            NavEntry("Missing", "no-such:url", "/nowhere/"),
        )
    )
    request = RequestFactory().get("/account/")
    request.user = staff_user
    staff_user.is_staff = False

    entries = rooms.navigation_for(request)

    assert [(e.label, e.url, e.is_current_page) for e in entries] == [
        ("Everyone", "/account/", True)
    ]


def test_home_panels_and_page_sections_render_their_own_context(fake_room):
    fake_room(
        home_panels=(
            HomePanel("b", "core/about_data.html", lambda request: {}, order=2),
            HomePanel("a", "core/about_data.html", lambda request: {}, visible_to=lambda u: False),
        ),
        page_sections=(
            PageSection(
                page="thing",
                key="s",
                title="A section",
                template="core/about_data.html",
                context=lambda request, obj: {"obj": obj},
            ),
            PageSection(
                page="other", key="o", title="Elsewhere", template="x.html", context=lambda r, o: {}
            ),
        ),
    )
    request = RequestFactory().get("/")
    request.user = None

    panels = rooms.home_panels_for(request)
    sections = rooms.sections_for("thing", request, object())

    assert [p.key for p in panels] == ["b"]
    assert [(s.key, s.title) for s in sections] == [("s", "A section")]
    assert "About the data" in sections[0].html


def test_core_names_no_room_in_its_navigation_markup():
    from pathlib import Path

    base = (Path(rooms.__file__).parent / "templates" / "base.html").read_text()

    assert "organisations:" not in base and "partnerships:" not in base


def _probed_section(calls):
    """A section whose content is "the user is staff", recording which context ran."""
    from django.db.models import Exists, OuterRef

    from partnering.core.models import User

    return PageSection(
        page="user",
        key="staff-things",
        title="Staff things",
        template="core/about_data.html",
        context=lambda request, obj: calls.append("context") or {},
        has_content=lambda: Exists(User.objects.filter(pk=OuterRef("pk"), is_staff=True)),
        empty_context=lambda request, obj: calls.append("empty") or {},
    )


@pytest.mark.parametrize("is_staff, ran", [(True, "context"), (False, "empty")])
def test_a_section_with_nothing_renders_from_its_empty_context_in_one_query(
    fake_room, django_assert_num_queries, is_staff, ran
):
    from partnering.core.tests.factories import UserFactory

    calls: list[str] = []
    fake_room(page_sections=(_probed_section(calls),))
    user = UserFactory(is_staff=is_staff)
    request = RequestFactory().get("/")
    request.user = None

    with django_assert_num_queries(1):  # the probe; the contexts here run none
        sections = rooms.sections_for("user", request, user)

    assert calls == [ran]
    assert [s.key for s in sections] == ["staff-things"]


def test_a_fetch_annotated_with_the_probes_leaves_the_sections_no_query(
    fake_room, django_assert_num_queries
):
    from partnering.core.models import User
    from partnering.core.tests.factories import UserFactory

    calls: list[str] = []
    fake_room(page_sections=(_probed_section(calls),))
    plain, staff = UserFactory(is_staff=False), UserFactory(is_staff=True)
    annotations = rooms.content_annotations("user")
    request = RequestFactory().get("/")
    request.user = None

    for user in (plain, staff):
        fetched = User.objects.annotate(**annotations).get(pk=user.pk)
        with django_assert_num_queries(0):
            rooms.sections_for("user", request, fetched)

    assert calls == ["empty", "context"]


def test_has_content_and_empty_context_go_together():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="go together"):
        PageSection(
            page="p", key="k", title="T", template="t.html", context=lambda r, o: {},
            has_content=lambda: None,
        )  # fmt: skip

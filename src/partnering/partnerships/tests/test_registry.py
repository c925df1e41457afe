"""What later rooms register on a partnership: stage checks (asked before a move, never
imported) and page sections."""

from types import SimpleNamespace

import pytest

from partnering.core.errors import DomainError
from partnering.partnerships import registry
from partnering.partnerships.models import Stage
from partnering.partnerships.registry import StageBlock
from partnering.partnerships.services import stage_move

from .factories import make_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def objecting_room(monkeypatch):
    """A room whose check blocks every move to options appraisal."""
    asked = []

    def check(partnership, to_stage, actor):
        asked.append((partnership.pk, to_stage))
        if to_stage == Stage.OPTIONS_APPRAISAL:
            return [
                StageBlock("assurance.critical_open", "A Critical recommendation is open.", True)
            ]
        return []

    room = SimpleNamespace(stage_checks=(check,))
    monkeypatch.setattr(registry, "partnership_rooms", lambda: [room])
    return asked


def _at_scoping(staff_user):
    partnership = make_partnership()
    stage_move(partnership=partnership, to_stage=Stage.SCOPING, actor=staff_user)
    return partnership


def test_a_registered_check_blocks_the_move_with_its_code(objecting_room, staff_user):
    partnership = _at_scoping(staff_user)

    with pytest.raises(DomainError) as error:
        stage_move(partnership=partnership, to_stage=Stage.OPTIONS_APPRAISAL, actor=staff_user)

    assert error.value.code == "assurance.critical_open"
    assert error.value.field == "to_stage"
    partnership.refresh_from_db()
    assert partnership.stage == Stage.SCOPING
    assert (partnership.pk, Stage.OPTIONS_APPRAISAL) in objecting_room


def test_staff_may_override_an_overridable_block_with_a_reason(objecting_room, staff_user):
    partnership = _at_scoping(staff_user)

    with pytest.raises(DomainError) as error:
        stage_move(
            partnership=partnership,
            to_stage=Stage.OPTIONS_APPRAISAL,
            override=True,
            actor=staff_user,
        )
    assert error.value.field == "reason"

    change = stage_move(
        partnership=partnership,
        to_stage=Stage.OPTIONS_APPRAISAL,
        override=True,
        reason="Board agreed to proceed",
        actor=staff_user,
    )
    assert change.reason.startswith("Override: A Critical recommendation is open.")
    assert "Board agreed to proceed" in change.reason


def test_a_partner_member_cannot_override(objecting_room, staff_user):
    from partnering.core.tests.factories import UserFactory

    partnership = _at_scoping(staff_user)
    member = UserFactory(organisations=[partnership.lead_organisation])

    with pytest.raises(DomainError) as error:
        stage_move(
            partnership=partnership,
            to_stage=Stage.OPTIONS_APPRAISAL,
            override=True,
            reason="We want to",
            actor=member,
        )
    assert error.value.code == "assurance.critical_open"


def test_sharing_registers_its_section_on_the_partnership_page(client):
    partnership = make_partnership()

    html = client.get(partnership.get_absolute_url()).content.decode()

    assert 'id="fair-shares"' in html
    assert f"/partnerships/{partnership.slug}/sharing/" in html


def test_partnerships_registers_its_section_on_an_organisation_page(client):
    partnership = make_partnership()

    html = client.get(partnership.lead_organisation.get_absolute_url()).content.decode()

    assert 'id="partnerships"' in html and partnership.name in html


def test_old_sharing_addresses_redirect_under_the_partnership(client):
    response = client.get("/sharing/some-slug/v2/risk/")

    assert response.status_code == 301
    assert response["Location"] == "/partnerships/some-slug/sharing/v2/risk/"


@pytest.fixture
def viewers(db):
    """One of each role that sees a partnership's page differently."""
    from django.contrib.auth.models import AnonymousUser

    from partnering.core.tests.factories import UserFactory

    partnership = make_partnership(size=2)
    member = UserFactory(role="partner", organisations=[partnership.lead_organisation])
    adviser = UserFactory(role="adviser")
    partnership.advisers.add(adviser)
    return partnership, {
        "public": AnonymousUser(),
        "outsider": UserFactory(role="partner"),
        "member": member,
        "adviser": adviser,
        "staff": UserFactory(role="staff"),
    }


def _probed_sections():
    from partnering.core import rooms

    return [s for s in rooms._sections(registry.PARTNERSHIP_PAGE) if s.has_content is not None]


def test_rooms_probe_their_sections_on_the_partnership_page():
    keys = {s.key for s in _probed_sections()}

    assert {"fair-shares", "gateway-reviews", "procurement", "funding"} <= keys


def test_a_probed_section_with_nothing_renders_what_its_full_context_would(viewers):
    """``empty_context`` is a shortcut for ``context`` when there is nothing: for a partnership
    with nothing in any room, every probed section says it has nothing, and for every viewer its
    empty rendering is the full one, byte for byte."""
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from partnering.core.rooms import resolve
    from partnering.partnerships.models import Partnership

    partnership, users = viewers
    fetched = Partnership.objects.annotate(**registry.section_content_annotations()).get(
        pk=partnership.pk
    )
    for section in _probed_sections():
        assert getattr(fetched, section.content_annotation) is False, section.key
        for role, user in users.items():
            request = RequestFactory().get(partnership.get_absolute_url())
            request.user = user
            full, empty = (
                render_to_string(
                    section.template, resolve(context)(request, partnership), request=request
                )
                for context in (section.context, section.empty_context)
            )
            assert empty == full, (section.key, role)


def test_the_partnership_page_asks_its_sections_probes_in_its_own_fetch(client):
    """Adding probed sections' content adds their own queries, never a probe query: the page
    of a partnership with nothing runs fewer queries than one with something in every room."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    partnership = make_partnership(size=2)
    client.get(partnership.get_absolute_url())  # warm
    with CaptureQueriesContext(connection) as queries:
        client.get(partnership.get_absolute_url())
    sqls = [q["sql"] for q in queries.captured_queries]

    assert not any(q.startswith('SELECT "sharing_costmodel"') for q in sqls)
    assert not any('FROM "funding_application"' in q.split(" WHERE")[0] for q in sqls)
    assert any("EXISTS" in q and 'FROM "partnerships_partnership"' in q for q in sqls)

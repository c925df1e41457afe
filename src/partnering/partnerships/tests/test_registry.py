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

"""Organisation services: validated writes that record who, when and what changed."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnering.core.audit import Change, history_entries
from partnering.organisations.models import Kind, Organisation, Sector
from partnering.organisations.services import organisation_create, organisation_update
from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


class TestOrganisationCreate:
    def test_saves_and_records_who_when_and_why(self, staff_user):
        before = timezone.now()

        organisation = organisation_create(
            name="West Mercia Police",
            kind=Kind.POLICE,
            sector=Sector.PUBLIC,
            region="West Midlands",
            actor=staff_user,
            reason="Partner of the Worcestershire Partnership",
        )

        assert Organisation.objects.get(slug="west-mercia-police") == organisation
        record = organisation.history.get()
        assert record.history_type == "+"
        assert record.history_user == staff_user
        assert record.history_change_reason == "Partner of the Worcestershire Partnership"
        assert before <= record.history_date <= timezone.now()
        assert (record.name, record.kind, record.region) == (
            "West Mercia Police",
            "police",
            "West Midlands",
        )

    def test_slug_is_unique(self, staff_user):
        first = organisation_create(name="Agilisys", kind=Kind.COMPANY, actor=staff_user)
        second = organisation_create(name="Agilisys", kind=Kind.COMPANY, actor=staff_user)

        assert (first.slug, second.slug) == ("agilisys", "agilisys-2")

    def test_invalid_organisation_is_not_saved_and_not_recorded(self, staff_user):
        with pytest.raises(ValidationError) as error:
            organisation_create(name="Nobody", kind="guild", actor=staff_user)

        assert "kind" in error.value.message_dict
        assert not Organisation.objects.exists()
        assert not Organisation.history.exists()

    def test_end_before_start_is_refused(self, staff_user):
        with pytest.raises(ValidationError):
            organisation_create(
                name="Short-lived",
                kind=Kind.COMPANY,
                start_date=timezone.localdate(),
                end_date=timezone.localdate().replace(year=2000),
                actor=staff_user,
            )
        assert not Organisation.objects.exists()

    def test_unknown_field_is_a_programming_error(self, staff_user):
        with pytest.raises(TypeError, match="unknown field"):
            organisation_create(name="X", kind=Kind.COMPANY, colour="red", actor=staff_user)


class TestOrganisationUpdate:
    def test_records_the_changed_fields_and_the_actor(self, staff_user):
        organisation = OrganisationFactory(population=79000, region="West Midlands")

        organisation_update(
            organisation=organisation,
            population=79445,
            region="West Midlands",
            actor=staff_user,
            reason="ONS mid-2020 estimate",
        )

        organisation.refresh_from_db()
        assert organisation.population == 79445
        latest = history_entries(organisation)[0]
        assert latest.who == staff_user.display_name
        assert latest.action == "Changed"
        assert latest.reason == "ONS mid-2020 estimate"
        assert latest.changes == [Change("population", 79000, 79445)]

    def test_no_change_records_nothing(self, staff_user):
        organisation = OrganisationFactory(population=1000)
        count = organisation.history.count()

        organisation_update(organisation=organisation, population=1000, actor=staff_user)

        assert organisation.history.count() == count

    def test_invalid_change_is_not_saved(self, staff_user):
        organisation = OrganisationFactory(name="Redditch Borough Council")
        count = organisation.history.count()

        with pytest.raises(ValidationError):
            organisation_update(organisation=organisation, name="", actor=staff_user)

        organisation.refresh_from_db()
        assert organisation.name == "Redditch Borough Council"
        assert organisation.history.count() == count

    def test_parent_county_change_is_recorded(self, staff_user):
        county = OrganisationFactory(county=True, name="Worcestershire County Council")
        district = OrganisationFactory()

        organisation_update(organisation=district, parent_county=county, actor=staff_user)

        assert history_entries(district)[0].changes == [
            Change("parent county", None, "Worcestershire County Council")
        ]

    def test_choices_are_shown_by_their_labels(self, staff_user):
        organisation = OrganisationFactory(kind=Kind.DISTRICT)

        organisation_update(organisation=organisation, kind=Kind.UNITARY, actor=staff_user)

        assert history_entries(organisation)[0].changes == [
            Change("kind", "District council", "Unitary authority")
        ]

"""``core.audit``: who, when and what for every write, read back by ``history_entries``."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from partnering.core.audit import Change, audited_delete, audited_save, history_entries
from partnering.organisations.models import Organisation
from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_audited_save_records_actor_reason_and_time(staff_user):
    before = timezone.now()
    organisation = OrganisationFactory.build(name="Wychavon District Council")

    audited_save(organisation, actor=staff_user, reason="Added by hand")

    record = organisation.history.get()
    assert record.history_type == "+"
    assert record.history_user == staff_user
    assert record.history_change_reason == "Added by hand"
    assert before <= record.history_date <= timezone.now()
    assert record.name == "Wychavon District Council"


def test_a_long_reason_is_kept_whole(staff_user):
    """Reasons such as a member's reason for leaving run past 100 characters (varchar on PostgreSQL)."""
    reason = (
        "Selby District Council left: dropped out (date approximate: gone by December 2003) " * 4
    )
    organisation = OrganisationFactory.build()

    audited_save(organisation, actor=staff_user, reason=reason)

    assert organisation.history.get().history_change_reason == reason


@pytest.mark.parametrize("actor", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_no_signed_in_actor_is_recorded_as_the_system(actor):
    organisation = OrganisationFactory.build()

    audited_save(organisation, actor=actor, reason="Import")

    assert organisation.history.get().history_user is None
    assert history_entries(organisation)[0].who == "System (import or script)"


def test_audited_delete_records_actor_and_reason(staff_user):
    organisation = OrganisationFactory()
    pk = organisation.pk

    audited_delete(organisation, actor=staff_user, reason="Duplicate entry")

    assert not Organisation.objects.filter(pk=pk).exists()
    record = Organisation.history.filter(id=pk).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "-",
        staff_user,
        "Duplicate entry",
    )


class TestHistoryEntries:
    def test_newest_first_with_who_action_reason_and_changes(self, staff_user, adviser_user):
        organisation = OrganisationFactory.build(name="Redditch", population=85000, region="")
        audited_save(organisation, actor=staff_user, reason="Created")
        organisation.population = 85568
        organisation.region = "West Midlands"
        audited_save(organisation, actor=adviser_user, reason="ONS 2020 estimate")

        newest, oldest = history_entries(organisation)

        assert newest.who == adviser_user.display_name
        assert newest.action == "Changed"
        assert newest.reason == "ONS 2020 estimate"
        assert sorted(newest.changes, key=lambda c: c.field) == [
            Change("population", 85000, 85568),
            Change("region", "", "West Midlands"),
        ]
        assert newest.when >= oldest.when
        assert (oldest.who, oldest.action, oldest.reason, oldest.changes) == (
            staff_user.display_name,
            "Created",
            "Created",
            [],
        )

    def test_field_names_are_verbose_names(self, staff_user):
        organisation = OrganisationFactory()
        audited_save(organisation, actor=staff_user)
        organisation.gss_code = "E07999999"
        organisation.existed_2003 = not organisation.existed_2003
        audited_save(organisation, actor=staff_user)

        fields = {c.field for c in history_entries(organisation)[0].changes}

        assert fields == {"GSS code", "existed in 2003"}

    def test_timestamps_are_not_reported_as_changes(self, staff_user):
        organisation = OrganisationFactory()
        organisation.modified_at = timezone.now() + timedelta(days=1)
        audited_save(organisation, actor=staff_user, reason="Touched")

        entry = history_entries(organisation)[0]

        assert entry.action == "Changed"
        assert entry.changes == []

    def test_deletion_is_listed(self, staff_user):
        organisation = OrganisationFactory()
        audited_delete(organisation, actor=staff_user, reason="Merged")
        organisation.pk = organisation.history.model.objects.latest().id

        assert [e.action for e in history_entries(organisation)] == ["Deleted", "Created"]

    def test_limit_keeps_the_newest_and_still_computes_their_changes(self, staff_user):
        organisation = OrganisationFactory(population=1)
        for population in range(2, 7):
            organisation.population = population
            audited_save(organisation, actor=staff_user)

        entries = history_entries(organisation, limit=3)

        assert len(entries) == 3
        assert [e.changes for e in entries] == [
            [Change("population", 5, 6)],
            [Change("population", 4, 5)],
            [Change("population", 3, 4)],
        ]

    def test_query_count_does_not_grow_with_history(self, staff_user, django_assert_num_queries):
        organisation = OrganisationFactory(population=1)
        for population in range(2, 30):
            organisation.population = population
            audited_save(organisation, actor=staff_user)

        with django_assert_num_queries(1):
            entries = history_entries(organisation)
        assert len(entries) == 29

    def test_related_objects_are_named_with_one_query_per_model(
        self, staff_user, django_assert_num_queries
    ):
        counties = [OrganisationFactory(county=True, name=f"County {n}") for n in range(20)]
        district = OrganisationFactory()
        for county in counties:
            district.parent_county = county
            audited_save(district, actor=staff_user)
        Organisation.objects.filter(pk=counties[0].pk).delete()

        with django_assert_num_queries(2):
            entries = history_entries(district)

        assert entries[0].changes == [Change("parent county", "County 18", "County 19")]
        assert entries[-2].changes == [
            Change("parent county", None, f"deleted (#{counties[0].pk})")
        ]

    def test_no_history(self):
        organisation = OrganisationFactory.build()

        assert history_entries(organisation) == []


# --- model_update and audited_bulk_create -------------------------------------------------------


def test_model_update_saves_and_records_only_what_changed(staff_user):
    from partnering.core.audit import model_update

    organisation = OrganisationFactory(name="Old name", short_name="Old")
    organisation.history.all().delete()

    same, changed = model_update(
        organisation,
        fields={"name", "short_name"},
        data={"name": "Old name", "short_name": "Old", "slug": "ignored"},
        actor=staff_user,
    )
    assert same is organisation and changed is False
    assert organisation.history.count() == 0
    assert organisation.slug != "ignored"

    _, changed = model_update(
        organisation,
        fields={"name", "short_name"},
        data={"name": "New name"},
        actor=staff_user,
        reason="Renamed",
    )
    assert changed is True
    organisation.refresh_from_db()
    assert organisation.name == "New name" and organisation.short_name == "Old"
    record = organisation.history.get()
    assert record.history_user == staff_user and record.history_change_reason == "Renamed"


def test_model_update_validates_before_saving(staff_user):
    from django.core.exceptions import ValidationError

    from partnering.core.audit import model_update

    organisation = OrganisationFactory(name="Kept")
    with pytest.raises(ValidationError):
        model_update(organisation, fields={"name"}, data={"name": ""}, actor=staff_user)
    organisation.refresh_from_db()
    assert organisation.name == "Kept"


def test_audited_bulk_create_writes_a_history_row_per_object(staff_user):
    from partnering.core.audit import audited_bulk_create

    created = audited_bulk_create(
        [OrganisationFactory.build(), OrganisationFactory.build()],
        actor=staff_user,
        reason="Imported in bulk",
    )
    assert all(o.pk for o in created)
    for organisation in created:
        record = organisation.history.get()
        assert record.history_type == "+"
        assert record.history_user == staff_user
        assert record.history_change_reason == "Imported in bulk"
    assert audited_bulk_create([], actor=staff_user) == []

"""Each council's e-enablement tally (``EEnablementTally``: its e-enabled records by year and by
route, and how many are illustrative), which the national, partnership and council progress views
add up instead of every record, always equals the counts of the records themselves: after a
record is written, changed, un-enabled or marked illustrative, after an import (and a refused
one), after rows written in bulk and refreshed, and after the migration that fills existing rows.
The views' figures equal those counted straight from the records, retired services left out."""

import importlib
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partnering.core.errors import DomainError
from partnering.funding import selectors
from partnering.funding import services as s
from partnering.funding.maths.progress import progress, year_ends
from partnering.funding.models import EEnablement, EEnablementTally, Route
from partnering.organisations.importer import ImportFileError
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import ServiceArea

from .factories import EEnablementFactory, service, staff_user

pytestmark = pytest.mark.django_db


def counted() -> dict[int, tuple[dict[str, int], dict[str, int], int]]:
    """Council -> (e-enabled by year, by route, illustrative), counted from the records."""
    out: dict[int, tuple[Counter, Counter, list[int]]] = {}
    for r in EEnablement.objects.all():
        by_year, by_route, illustrative = out.setdefault(
            r.organisation_id, (Counter(), Counter(), [0])
        )
        if r.e_enabled_on is not None:
            by_year[str(r.e_enabled_on.year)] += 1
            by_route[r.route] += 1
        illustrative[0] += r.is_illustrative
    return {k: (dict(y), dict(r), i[0]) for k, (y, r, i) in out.items()}


def kept() -> dict[int, tuple[dict[str, int], dict[str, int], int]]:
    return {
        t.organisation_id: (t.by_year, t.by_route, t.illustrative)
        for t in EEnablementTally.objects.all()
    }


def assert_tallies_are_counts() -> None:
    assert kept() == counted()


def record(council, code, on, route=Route.OWN_SITE, **kw):
    return s.e_enablement_record(
        organisation=council,
        service=service(code),
        e_enabled_on=on,
        route=route,
        actor=staff_user(),
        **kw,
    )


def test_every_kind_of_recorded_change_keeps_the_tally_equal_to_the_records():
    a, b = OrganisationFactory(), OrganisationFactory()
    record(a, 9501, date(2003, 5, 1))
    assert kept() == {a.pk: ({"2003": 1}, {"own_site": 1}, 0)}
    record(a, 9502, date(2004, 5, 1), Route.FRONT_DOOR)
    record(b, 9501, date(2002, 1, 1), Route.FUNDED_PROJECT, is_illustrative=True)
    assert_tallies_are_counts()
    record(a, 9501, date(2005, 2, 1), Route.FRONT_DOOR)  # moved to another year and route
    assert kept()[a.pk] == ({"2004": 1, "2005": 1}, {"front_door": 2}, 0)
    record(a, 9502, None, "")  # no longer e-enabled: still a record, counted nowhere
    assert kept()[a.pk] == ({"2005": 1}, {"front_door": 1}, 0)
    record(b, 9501, date(2002, 1, 1), Route.FUNDED_PROJECT)  # no longer illustrative
    assert_tallies_are_counts()


def test_a_refused_record_leaves_the_tally_as_it_was():
    a = OrganisationFactory()
    record(a, 9501, date(2003, 5, 1))
    with pytest.raises(DomainError):
        record(a, 9501, date(2004, 5, 1), route="fax")
    assert kept() == {a.pk: ({"2003": 1}, {"own_site": 1}, 0)}


def _import(text: str):
    return s.e_enablement_import(path=Path("r.csv"), data=text.encode(), actor=staff_user())


def test_an_import_keeps_the_tallies_and_a_refused_one_changes_nothing():
    a = OrganisationFactory(gss_code="E07000235")
    b = OrganisationFactory(gss_code="E07000236")
    for code in (9601, 9602):
        service(code)
    record(a, 9601, date(2002, 6, 1))
    _import(
        "gss_code,lgsl_code,e_enabled_on,route\n"
        "E07000235,9601,2004-05-01,front_door\n"  # an update, to another year
        "E07000235,9602,2003-05-01,own_site\n"
        "E07000236,9601,,\n"
    )
    assert kept()[a.pk] == ({"2003": 1, "2004": 1}, {"front_door": 1, "own_site": 1}, 0)
    assert kept()[b.pk] == ({}, {}, 0)
    assert_tallies_are_counts()
    before = kept()
    with pytest.raises(ImportFileError):
        _import(
            "gss_code,lgsl_code,e_enabled_on,route\n"
            "E07000236,9602,2004-05-01,own_site\n"
            "E07999999,9601,,\n"
        )
    assert kept() == before


def test_rows_written_in_bulk_are_counted_by_the_refresh_which_also_mends_a_wrong_tally():
    a, b = OrganisationFactory(), OrganisationFactory()
    EEnablement.objects.bulk_create(
        [
            EEnablement(organisation=a, service=service(9701), e_enabled_on=date(2003, 1, 1),
                        route=Route.OWN_SITE, is_illustrative=True),
            EEnablement(organisation=a, service=service(9702)),
            EEnablement(organisation=b, service=service(9701), e_enabled_on=date(2005, 1, 1),
                        route=Route.FRONT_DOOR),
        ]
    )  # fmt: skip
    assert kept() == {}  # bulk_create skips the services
    assert s.e_enablement_tallies_refresh() == 2
    assert kept()[a.pk] == ({"2003": 1}, {"own_site": 1}, 1)
    assert_tallies_are_counts()
    EEnablementTally.objects.filter(organisation=a).update(by_year={"1999": 7})
    EEnablement.objects.filter(organisation=b).delete()
    s.e_enablement_tallies_refresh([a.pk, b.pk])  # just these councils
    assert_tallies_are_counts()
    assert b.pk not in kept()


def test_the_factory_keeps_the_tally():
    rec = EEnablementFactory(e_enabled_on=date(2004, 3, 31))
    assert kept() == {rec.organisation_id: ({"2004": 1}, {"own_site": 1}, 0)}


def test_the_migration_fills_the_tallies_of_existing_records():
    a = OrganisationFactory()
    record(a, 9801, date(2003, 5, 1), is_illustrative=True)
    record(a, 9802, None, "")
    EEnablementTally.objects.all().delete()  # as before the migration
    migration = importlib.import_module("partnering.funding.migrations.0004_e_enablement_tally")
    migration.fill_tallies(apps, None)
    assert_tallies_are_counts()


def test_the_views_figures_are_those_counted_from_the_records_without_retired_services():
    district, county, empty = (
        OrganisationFactory(),
        OrganisationFactory(county=True),
        OrganisationFactory(),
    )
    live = [service(9901), service(9902, "district/unitary"), service(9903, "county/unitary")]
    retired = service(9904)
    for n, (council, svc, on, route) in enumerate(
        [
            (district, live[0], date(2002, 3, 1), Route.OWN_SITE),
            (district, live[1], date(2004, 12, 31), Route.FRONT_DOOR),
            (district, retired, date(2003, 1, 1), Route.OWN_SITE),
            (county, live[2], date(2005, 1, 1), Route.FUNDED_PROJECT),
            (county, retired, date(2001, 6, 1), Route.FRONT_DOOR),
            (county, live[0], date(2007, 1, 1), Route.OWN_SITE),
        ]
    ):
        record(council, svc.lgsl_code, on, route, is_illustrative=n == 2)
    retired.disabled_on = date(2006, 1, 1)
    retired.save()
    view = selectors.e_enablement_view(today=date(2008, 1, 1))

    live_records = EEnablement.objects.filter(
        service__disabled_on__isnull=True, e_enabled_on__isnull=False
    )
    per_council = Counter(r.organisation_id for r in live_records)
    assert {c.organisation.pk: c.enabled for c in view.councils} == {
        district.pk: per_council[district.pk],
        county.pk: per_council[county.pk],
        empty.pk: 0,
    }
    assert {c.organisation.pk: c.services for c in view.councils} == {
        district.pk: 2,
        county.pk: 2,
        empty.pk: 2,
    }
    expected = progress(
        [date(r.e_enabled_on.year, 12, 31) for r in live_records], 6, year_ends(2002, 2005)
    )
    assert view.points == expected
    assert [p.enabled for p in view.points] == [1, 1, 2, 3]
    routes = Counter(r.route for r in live_records)
    assert view.by_route == [(label, routes[value]) for value, label in Route.choices]
    assert view.illustrative  # the retired service's record is illustrative: still said
    one = selectors.e_enablement_view(councils=type(district).objects.filter(pk=county.pk))
    assert [p.enabled for p in one.points] == [0, 0, 0, 1] and not one.illustrative


def test_the_national_view_runs_the_same_queries_for_1_or_30_councils(django_assert_num_queries):
    record(OrganisationFactory(), 9911, date(2003, 1, 1))
    service(9920)
    ServiceArea.objects.filter(lgsl_code=9920).update(disabled_on=date(2006, 1, 1))
    with CaptureQueriesContext(connection) as first:
        selectors.e_enablement_view()
    for n in range(29):
        council = OrganisationFactory()
        record(council, 9911 + n % 3, date(2002 + n % 4, 1, 1))
        record(council, 9920, None, "")
    with django_assert_num_queries(len(first.captured_queries)):
        view = selectors.e_enablement_view()
    assert len(first.captured_queries) == 4 and len(view.councils) == 30

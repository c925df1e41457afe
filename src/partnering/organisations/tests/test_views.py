"""Organisation pages: list (search, filters, errors, pages), CSV, detail, code redirect, history."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from partnering.core.audit import audited_save
from partnering.organisations.models import Kind, Organisation, Sector, Tier
from partnering.organisations.services import organisation_update
from partnering.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

LIST_URL = "/organisations/"
CSV_URL = "/organisations/download.csv"
NORTH_YORKSHIRE_DISTRICTS = [
    "Craven District Council",
    "Hambleton District Council",
    "Harrogate Borough Council",
    "Richmondshire District Council",
    "Ryedale District Council",
    "Scarborough Borough Council",
    "Selby District Council",
]


def names(response) -> list[str]:
    return [o.name for o in response.context["page_obj"]]


def count(response) -> int:
    return response.context["page_obj"].paginator.count


def csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(body)))


class TestListSearch:
    @pytest.mark.parametrize(
        "q",
        [
            "Malvern",
            "malvern hills",
            "E07000235",
            "e07000235",
            "GB-LAE-MAV",
            "gb-lae-mav",
            "MAV",
            " E07000235 ",
        ],
    )
    def test_by_name_gss_code_org_id_or_la_code(self, client, registry_slice, q):
        response = client.get(LIST_URL, {"q": q})

        assert response.status_code == 200
        assert names(response) == ["Malvern Hills District Council"]
        assert "Malvern Hills District Council" in response.content.decode()

    def test_by_a_former_gss_code(self, client, registry):
        response = client.get(LIST_URL, {"q": "E08000016"})

        assert names(response) == ["Barnsley Metropolitan Borough Council"]

    def test_part_of_a_code_is_not_a_match(self, client, registry):
        assert count(client.get(LIST_URL, {"q": "E0800001"})) == 0

    def test_name_search_matches_several(self, client, registry_slice):
        response = client.get(LIST_URL, {"q": "North Yorkshire"})

        assert names(response) == [
            "North Yorkshire Council",
            "North Yorkshire County Council",
            "York and North Yorkshire Mayoral Combined Authority",
        ]

    def test_no_match_says_so(self, client, registry_slice):
        response = client.get(LIST_URL, {"q": "Atlantis"})

        assert count(response) == 0
        assert "No organisations match. Try fewer filters." in response.content.decode()


class TestListFilters:
    def test_kind(self, client, registry_slice):
        response = client.get(LIST_URL, {"kind": "county"})

        assert names(response) == [
            "North Yorkshire County Council",
            "Worcestershire County Council",
        ]

    def test_several_kinds(self, client, registry_slice):
        response = client.get(LIST_URL, {"kind": ["county", "unitary"]})

        assert count(response) == 4

    def test_tier(self, client, registry_slice):
        assert count(client.get(LIST_URL, {"tier": "district"})) == 13

    def test_region(self, client, registry_slice):
        response = client.get(LIST_URL, {"region": "West Midlands"})

        assert count(response) == 7
        assert all(o.region == "West Midlands" for o in response.context["page_obj"])

    @pytest.mark.parametrize(("status", "expected"), [("current", 10), ("abolished", 8), ("", 18)])
    def test_status(self, client, registry_slice, status, expected):
        assert count(client.get(LIST_URL, {"status": status})) == expected

    def test_sector(self, client, registry_slice):
        OrganisationFactory(company=True, name="Agilisys Limited")
        OrganisationFactory(charity=True, name="North Yorkshire Rural Community Council")

        assert names(client.get(LIST_URL, {"sector": "private"})) == ["Agilisys Limited"]
        assert count(client.get(LIST_URL, {"sector": ["private", "voluntary"]})) == 2
        assert count(client.get(LIST_URL, {"sector": "public"})) == 18

    def test_district_abolished_in_yorkshire_is_the_seven_north_yorkshire_districts(
        self, client, registry
    ):
        response = client.get(
            LIST_URL,
            {"tier": "district", "status": "abolished", "region": "Yorkshire and The Humber"},
        )

        assert names(response) == NORTH_YORKSHIRE_DISTRICTS

    def test_filters_combine_with_search(self, client, registry):
        response = client.get(LIST_URL, {"q": "Selby", "status": "abolished"})

        assert names(response) == ["Selby District Council"]

    def test_chosen_filters_stay_checked(self, client, registry_slice):
        html = client.get(LIST_URL, {"tier": "district", "status": "abolished"}).content.decode()

        assert re.search(r'<input[^>]*name="tier"[^>]*value="district"[^>]*checked', html)
        assert re.search(r'<input[^>]*name="status"[^>]*value="abolished"[^>]*checked', html)


class TestListInvalidFilter:
    @pytest.mark.parametrize(
        ("params", "message", "anchor"),
        [
            ({"kind": "bogus"}, "Select kind from the list", "id_kind_0"),
            ({"status": "gone"}, "Select status from the list", "id_status_0"),
            ({"region": "Atlantis"}, "Select region from the list", "id_region_0"),
            ({"q": "x" * 101}, "Name or code must be 100 characters or fewer", "id_q"),
        ],
    )  # fmt: skip
    def test_shows_a_govuk_error_summary_and_still_lists(
        self, client, registry_slice, params, message, anchor
    ):
        response = client.get(LIST_URL, params)
        html = response.content.decode()

        assert response.status_code == 200
        assert '<div class="govuk-error-summary"' in html
        assert "There is a problem" in html
        assert f'<a href="#{anchor}">{message}</a>' in html
        assert "<title>Error: Organisations" in html
        # The invalid filter is ignored; the page still lists everything.
        assert count(response) == 18

    def test_valid_filters_still_apply_beside_an_invalid_one(self, client, registry_slice):
        response = client.get(LIST_URL, {"kind": "bogus", "tier": "county"})

        assert count(response) == 2
        assert "There is a problem" in response.content.decode()

    def test_valid_filters_show_no_error(self, client, registry_slice):
        html = client.get(LIST_URL, {"tier": "county"}).content.decode()

        assert "govuk-error-summary" not in html
        assert "<title>Organisations" in html


class TestListPages:
    def test_fifty_a_page_with_pagination_that_keeps_filters(self, client):
        OrganisationFactory.create_batch(120, region="London")

        first = client.get(LIST_URL, {"region": "London"})
        third = client.get(LIST_URL, {"region": "London", "page": "3"})

        assert len(names(first)) == 50
        assert count(first) == 120
        assert len(names(third)) == 20
        html = first.content.decode()
        assert 'href="?region=London&amp;page=2" rel="next"' in html
        assert 'aria-label="Page 3"' in html
        assert "Download these results as CSV" in html
        assert 'href="/organisations/download.csv?region=London"' in html

    @pytest.mark.parametrize("page", ["abc", "0", "-1", "99"])
    def test_bad_page_number_shows_a_real_page(self, client, page):
        OrganisationFactory.create_batch(60)

        response = client.get(LIST_URL, {"page": page})

        assert response.status_code == 200
        assert response.context["page_obj"].number in {1, 2}


class TestCsvDownload:
    def test_headers_and_content(self, client, registry_slice):
        response = client.get(CSV_URL)

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"] == 'attachment; filename="organisations.csv"'
        rows = csv_rows(response)
        assert len(rows) == 18
        assert list(rows[0]) == [
            "name", "gss_code", "org_id", "la_code", "kind", "tier", "sector",
            "parent_county_gss", "region", "start_date", "end_date", "population",
            "population_year", "is_demo", "source", "filters", "figures", "downloaded on",
        ]  # fmt: skip
        hambleton = next(r for r in rows if r["gss_code"] == "E07000164")
        assert hambleton == {
            "name": "Hambleton District Council", "gss_code": "E07000164",
            "org_id": "GB-LAE-HAE", "la_code": "HAE", "kind": "District council",
            "tier": "district", "sector": "public", "parent_county_gss": "E10000023",
            "region": "Yorkshire and The Humber", "start_date": "", "end_date": "2023-03-31",
            "population": "91932", "population_year": "2020", "is_demo": "no",
            "source": "Strategic Partnering Platform: organisations list",
            "filters": "None: every record you may see",
            "figures": "Rows with is_demo = yes are illustrative, made up for the demo; the others "
            "are real", "downloaded on": timezone.localdate().isoformat(),
        }  # fmt: skip

    def test_respects_filters(self, client, registry):
        response = client.get(
            CSV_URL,
            {"tier": "district", "status": "abolished", "region": "Yorkshire and The Humber"},
        )

        assert [r["name"] for r in csv_rows(response)] == NORTH_YORKSHIRE_DISTRICTS

    def test_all_rows_not_just_one_page(self, client, registry):
        assert len(csv_rows(client.get(CSV_URL))) == 424

    def test_formula_injection_is_neutralised(self, client):
        OrganisationFactory(name='=HYPERLINK("http://evil.example","Click")', region="@SUM(A1)")

        row = csv_rows(client.get(CSV_URL))[0]

        assert row["name"] == '\'=HYPERLINK("http://evil.example","Click")'
        assert row["region"] == "'@SUM(A1)"

    def test_invalid_filter_is_ignored(self, client, registry_slice):
        assert len(csv_rows(client.get(CSV_URL, {"kind": "bogus", "tier": "county"}))) == 2


class TestDetail:
    def test_shows_identifiers_tier_and_parent_county(self, client, registry_slice):
        html = client.get("/organisations/malvern-hills-district-council/").content.decode()

        assert '<h1 class="govuk-heading-xl">Malvern Hills District Council</h1>' in html
        assert "E07000235" in html
        assert "GB-LAE-MAV" in html
        assert "District</dd>" in html
        assert (
            '<a class="govuk-link" href="/organisations/worcestershire-county-council/">'
            "Worcestershire County Council</a>" in html
        )
        assert "West Midlands" in html
        assert "79,445 (2020)" in html
        assert "Current</strong>" in html

    def test_county_lists_its_districts(self, client, registry_slice):
        response = client.get("/organisations/worcestershire-county-council/")

        assert [o.name for o in response.context["districts"]] == [
            "Bromsgrove District Council",
            "Malvern Hills District Council",
            "Redditch Borough Council",
            "Worcester City Council",
            "Wychavon District Council",
            "Wyre Forest District Council",
        ]
        assert 'href="/organisations/wyre-forest-district-council/"' in response.content.decode()

    def test_abolished_district_shows_successor(self, client, registry_slice):
        html = client.get("/organisations/hambleton-district-council/").content.decode()

        assert "Abolished: last day 31 March 2023" in html
        assert "Replaced by" in html
        assert 'href="/organisations/north-yorkshire-council/">North Yorkshire Council</a>' in html

    def test_successor_shows_predecessors(self, client, registry_slice):
        response = client.get("/organisations/north-yorkshire-council/")

        assert [o.name for o in response.context["predecessors"]] == sorted(
            [*NORTH_YORKSHIRE_DISTRICTS, "North Yorkshire County Council"]
        )
        assert "Predecessors" in response.content.decode()

    def test_former_codes_and_combined_authority(self, client, registry):
        html = client.get(
            reverse("organisations:organisation-detail", args=[registry["E08000038"].slug])
        ).content.decode()

        assert "(formerly E08000016)" in html
        assert "South Yorkshire Mayoral Combined Authority" in html

    def test_company_without_codes(self, client):
        company = OrganisationFactory(company=True, name="Agilisys Limited", org_id=None)

        html = client.get(company.get_absolute_url()).content.decode()

        assert "None registered" in html
        assert "Not a council" in html

    def test_unknown_slug_is_a_404_page(self, client):
        response = client.get("/organisations/no-such-council/")

        assert response.status_code == 404
        assert "Page not found" in response.content.decode()

    @pytest.mark.parametrize(("role", "shown"), [("staff", True), ("adviser", False), ("partner", False), ("public", False)])  # fmt: skip
    def test_history_link_only_for_staff(self, client_for, role, shown):
        organisation = OrganisationFactory()

        html = client_for(role).get(organisation.get_absolute_url()).content.decode()

        assert (f"/organisations/{organisation.slug}/history/" in html) is shown


class TestByCode:
    @pytest.mark.parametrize("code", ["E07000164", "e07000164", "GB-LAE-HAE"])
    def test_redirects_to_the_organisation(self, client, registry_slice, code):
        response = client.get(f"/organisations/code/{code}/")

        assert response.status_code == 301
        assert response["Location"] == "/organisations/hambleton-district-council/"

    def test_former_code_redirects_to_the_current_organisation(self, client, registry):
        response = client.get("/organisations/code/E08000016/")

        assert response["Location"] == registry["E08000038"].get_absolute_url()

    @pytest.mark.parametrize("code", ["E99999999", "E0800001", "E", "%20"])
    def test_unknown_or_partial_code_is_a_404(self, client, registry, code):
        assert client.get(f"/organisations/code/{code}/").status_code == 404


class TestHistoryPage:
    """Staff only. Decision: everyone else gets 403, the public included, as on the partnerships
    History page. The rule across the project: a page restricted to a role answers 403 (and the
    403 page offers the public a sign-in link); a page that only needs an account redirects the
    public to sign in (302). Both are asserted in the role matrix too."""

    def test_staff_see_who_changed_what(self, client_for, staff_user):
        organisation = OrganisationFactory(name="Wyre Forest District Council", population=100000)
        organisation_update(
            organisation=organisation, population=101139, actor=staff_user, reason="ONS 2020"
        )

        response = client_for("staff").get(f"/organisations/{organisation.slug}/history/")
        html = response.content.decode()

        assert response.status_code == 200
        assert "Change history" in html
        assert staff_user.display_name in html
        assert "ONS 2020" in html
        assert "<strong>population</strong>: 100000 → 101139" in html
        assert [e.action for e in response.context["entries"]] == ["Changed", "Created"]

    def test_import_is_shown_as_the_system(self, client_for, registry_slice):
        html = client_for("staff").get("/organisations/hambleton-district-council/history/")

        assert "System (import or script)" in html.content.decode()
        assert "Imported from local_authorities.csv" in html.content.decode()

    @pytest.mark.parametrize("role", ["adviser", "partner"])
    def test_other_roles_are_refused(self, client_for, role):
        organisation = OrganisationFactory()

        response = client_for(role).get(f"/organisations/{organisation.slug}/history/")

        assert response.status_code == 403
        assert "Only taskforce staff can see change history." in response.content.decode()

    def test_public_is_refused_and_offered_sign_in(self, client):
        organisation = OrganisationFactory()
        url = f"/organisations/{organisation.slug}/history/"

        response = client.get(url)

        assert response.status_code == 403
        assert f'href="/sign-in/?next={url}">Sign in</a>' in response.content.decode()

    def test_unknown_organisation_is_a_404_for_staff(self, client_for):
        assert client_for("staff").get("/organisations/nowhere/history/").status_code == 404

    def test_deleted_related_object_still_shows(self, client_for, staff_user):
        county = OrganisationFactory(county=True, name="Hereford and Worcester")
        district = OrganisationFactory()
        district.parent_county = county
        audited_save(district, actor=staff_user)
        district.parent_county = None
        audited_save(district, actor=staff_user)
        county.delete()

        html = client_for("staff").get(f"/organisations/{district.slug}/history/").content.decode()

        assert "<strong>parent county</strong>: (blank) → deleted (#" in html


def test_kind_and_tier_choices_cover_the_import():
    """Every kind and tier the importer produces is a model choice (else full_clean fails)."""
    from partnering.organisations.importer import KIND_BY_TYPE_CODE

    assert set(KIND_BY_TYPE_CODE.values()) <= set(Kind)
    assert {"county", "district", "unitary"} <= set(Tier.values)
    assert Sector.PUBLIC in Sector.values
    assert Organisation._meta.get_field("kind").max_length >= max(len(k) for k in Kind.values)


def test_working_notes_are_for_the_taskforce_not_the_public(client):
    """Issue 8 part 10: no internal notes on public pages."""
    from partnering.core.tests.factories import UserFactory
    from partnering.organisations.tests.factories import OrganisationFactory

    org = OrganisationFactory(notes="Unverified: named in one source only")
    url = org.get_absolute_url()
    assert "Unverified: named in one source only" not in client.get(url).content.decode()
    client.force_login(UserFactory(username="notes-partner"))
    assert "Unverified" not in client.get(url).content.decode()
    client.force_login(UserFactory(username="notes-staff", role="staff"))
    assert "Unverified: named in one source only" in client.get(url).content.decode()


def test_an_empty_result_offers_no_csv_and_selected_filters_are_removable_tags(client):
    """Issue 8 part 10: an empty result offers no CSV; selected filters show as tags that
    remove themselves."""
    from partnering.organisations.tests.factories import OrganisationFactory

    OrganisationFactory(name="Testshire County Council", county=True)
    empty = client.get("/organisations/", {"q": "zzzz-no-such-council"}).content.decode()
    assert "Download these results as CSV" not in empty
    found = client.get("/organisations/", {"q": "Testshire", "tier": "county"}).content.decode()
    assert "Download these results as CSV" in found
    tags = found.split('class="app-selected-filters"')[1].split("</div>")[0]
    assert "Remove this filter" in tags
    assert 'href="?q=Testshire"' in tags  # removing the tier keeps the search

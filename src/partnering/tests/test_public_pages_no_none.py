"""Issue 8 part 10: no raw "None" on public pages. Public pages are rendered for a visitor with
records whose optional fields are all empty (no population, codes, region, dates, purpose), and
no page shows Python's ``None`` where a value is missing.

``test_no_public_page_found_from_the_url_resolver_shows_none`` finds the pages, not a list: every
route of Django's URL resolver is filled from a sparse world (a published partnership with a cost
model, an agreement, a procurement to contract, a pathfinder call, a module, an event, a funding
award, a library document ...) and fetched as a visitor; each HTML page that answers 200 is a
public page and is searched. A route whose parameters the world cannot fill fails the walk until
it is added to the world's values or to ``NOT_WALKED`` with the reason."""

import re
from datetime import date

import pytest
from django.test import Client

from partnering.funding.models import ApplicationStatus
from partnering.funding.tests.factories import AwardFactory, FundingProgrammeFactory
from partnering.library.tests.factories import DocumentFactory
from partnering.organisations.models import Kind, Tier
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.tests.children import assurance_and_appraisal
from partnering.tests.reliability.routes import fill as _fill
from partnering.tests.reliability.routes import page_patterns

# Python's None in the text of a page: a cell or value that is just "None", or "None" after a
# word, a colon, a bracket or a pound sign ("Population None", "(None)", "£None"). English
# "None registered" or "None: every split is in the core" starts its sentence and is fine.
NONE_IN_TEXT = re.compile(r">\s*None\s*<|[\w,:(£/-][ \t]*None\b")


@pytest.fixture
def sparse(db):
    """Records with every optional field empty."""
    council = OrganisationFactory(
        name="Emptyshire District Council", population=None, population_year=None, region="",
        gss_code=None, start_date=None,
    )  # fmt: skip
    body = OrganisationFactory(
        name="Bare Body Ltd", kind=Kind.COMPANY, tier="", gss_code=None, org_id=None,
        population=None, population_year=None, region="",
    )  # fmt: skip
    county = OrganisationFactory(
        name="Emptyshire County Council", kind=Kind.COUNTY, tier=Tier.COUNTY, population=None,
        population_year=None, region="", gss_code=None,
    )  # fmt: skip
    partnership = make_partnership(lead=council, members=[body], start_date=None)
    programme = FundingProgrammeFactory()
    award = AwardFactory(
        application__partnership=partnership,
        application__status=ApplicationStatus.AWARDED,
        application__round__programme=programme,
        is_published=True,
    )
    document = DocumentFactory(published=True, summary="")
    return {
        "council": council, "body": body, "county": county, "partnership": partnership,
        "programme": programme, "award": award, "document": document,
    }  # fmt: skip


def _pages(sparse) -> list[str]:
    award = sparse["award"]
    return [
        "/",
        "/organisations/",
        "/organisations/?q=Emptyshire",
        sparse["council"].get_absolute_url(),
        sparse["body"].get_absolute_url(),
        sparse["county"].get_absolute_url(),
        "/partnerships/",
        sparse["partnership"].get_absolute_url(),
        sparse["programme"].get_absolute_url(),
        award.round.get_absolute_url(),
        award.get_absolute_url(),
        award.application.get_absolute_url(),
        "/funding/awards/",
        "/funding/money/",
        "/funding/e-enablement/",
        "/funding/360giving/",
        "/frontdoor/",
        "/library/",
        sparse["document"].get_absolute_url(),
    ]


def test_public_pages_never_show_none_for_a_missing_value(client, sparse):
    shown = {}
    for url in _pages(sparse):
        response = client.get(url)
        assert response.status_code == 200, url
        found = NONE_IN_TEXT.findall(response.content.decode())
        if found:
            shown[url] = found
    assert shown == {}, shown


def test_the_organisations_list_shows_a_missing_population_as_not_known(client, sparse):
    html = client.get("/organisations/", {"q": "Emptyshire District"}).content.decode()
    row = html.split("Emptyshire District Council</a>")[1].split("</tr>")[0]
    assert "None" not in row
    assert "not known" in row


# --- Every public page, found from the URL resolver --------------------------------------------

#: Routes the walk does not fetch, with the reason.
NOT_WALKED = {
    "api/": "the JSON API: no page",
    "admin/": "Django's admin: off unless switched on, and never public",
    "open311/": "the Open311 GeoReport v2 API (JSON or XML): no page",
}
#: Answers that are files or data, not pages (downloads are checked in ``test_downloads.py``).
_NOT_A_PAGE = re.compile(r"\.(csv|xlsx|json|ics|jpg|pdf|<str:fmt>)$|download|feed/$|healthz")
#: Public pages the walk must reach, so that a world that stopped filling them fails here.
MUST_REACH = [
    "/partnerships/{slug}/", "/partnerships/{slug}/fit/", "/partnerships/{slug}/sharing/",
    "/partnerships/{slug}/sharing/v1/", "/partnerships/{slug}/sharing/v1/compare/",
    "/partnerships/{slug}/sharing/v1/risk/", "/partnerships/{slug}/sharing/agreements/",
    "/open-data/contracts-register/", "/open-data/contracts-register/{buyer}/",
    "/open-data/ocds/", "/programme/", "/programme/calls/{call}/", "/programme/modules/",
    "/programme/modules/{module}/", "/programme/events/", "/programme/events/{event}/",
    "/funding/programmes/{programme}/", "/funding/awards/", "/library/", "/frontdoor/",
]  # fmt: skip


@pytest.fixture
def world(sparse, settings):
    from partnering.core.services import api_key_create
    from partnering.core.tests.factories import UserFactory
    from partnering.frontdoor.tests.factories import ServiceRequestFactory
    from partnering.funding.tests.factories import ClaimFactory, EvidenceFactory
    from partnering.library.tests.factories import AttachmentFactory
    from partnering.partnerships.tests.factories import PriorityFactory, StrategicAimFactory
    from partnering.procurement import ocds
    from partnering.procurement.tests.factories import run_to_award
    from partnering.programme import services as programme
    from partnering.programme.tests.factories import (
        BookingFactory,
        EnrolmentFactory,
        EventFactory,
        ModuleFactory,
        ModuleSessionFactory,
        make_application,
        make_call,
    )  # fmt: skip
    from partnering.sharing import services as sharing
    from partnering.sharing.tests.factories import spec_for

    settings.OCDS_OCID_PREFIX = "ocds-test"
    p = sparse["partnership"]
    p.purpose = ""
    p.save()
    cost_model = sharing.cost_model_create(partnership=p, spec=spec_for(p), actor=None)
    sharing.agreement_record(cost_model=cost_model, method="shapley", agreed_on=date(2002, 7, 1),
                             reason="Fair", actor=None)  # fmt: skip
    procurement, _ = run_to_award(p)
    call = make_call()
    call_app = make_application(call, partnership=p)
    module = ModuleFactory(summary="", learning_outcomes=[])
    session = ModuleSessionFactory(module=module, venue="")
    event = EventFactory(summary="", location="")
    award = sparse["award"]
    document = sparse["document"]
    attachment = AttachmentFactory(document=document)
    staff = UserFactory(role="staff", username="sparse-staff")
    adviser = UserFactory(role="adviser", username="sparse-adviser")
    aim = StrategicAimFactory(partnership=p)
    priority = PriorityFactory(organisation=sparse["council"], entered_for=p)
    kids = assurance_and_appraisal(p, staff=staff, lead=adviser)
    evidence = EvidenceFactory(claim=ClaimFactory(award=award))
    enrolment = EnrolmentFactory(session=session)
    booking = BookingFactory(event=event)
    request = ServiceRequestFactory(council=sparse["council"], postcode="", lat=None, long=None)
    p.advisers.add(adviser)
    advice = programme.advice_record(
        partnership=p, adviser=adviser, advice_type="legal", given_on=date(2003, 1, 6),
        summary="Sparse", actions=[programme.ActionSpec("Draft", adviser, date(2003, 2, 3))],
        actor=adviser,
    )  # fmt: skip
    values = {
        ("apikeys", "pk"): api_key_create(name="sparse", actor=staff)[0].pk,
        ("partnerships", "slug"): p.slug,
        ("sharing", "slug"): p.slug,
        "rest": "v1/",
        ("aims", "pk"): aim.pk,
        ("priorities", "pk"): priority.pk,
        ("reviews", "pk"): kids["review"].pk,
        ("recommendations", "pk"): kids["rec"].pk,
        ("risks", "number"): kids["risk"].number,
        "action_id": kids["action"].pk,
        ("appraisals", "pk"): kids["appraisal"].pk,
        "option_pk": kids["option"].pk,
        ("claims", "pk"): evidence.claim.pk,
        ("evidence", "pk"): evidence.pk,
        ("enrolments", "pk"): enrolment.pk,
        ("bookings", "pk"): booking.pk,
        "username": adviser.username,
        ("matching", "number"): 1,
        ("track", "reference"): request.reference,
        ("manage", "reference"): request.reference,
        ("organisations", "slug"): sparse["council"].slug,
        "code": "E07000999",
        "org_slug": sparse["council"].slug,
        ("members", "pk"): p.memberships.get(organisation=sparse["body"]).pk,
        "version": cost_model.version,
        ("calls", "slug"): call.slug,
        ("programme", "reference"): call_app.reference,
        ("selection", "number"): 1,
        "move": "open",
        ("modules", "slug"): module.slug,
        ("cohorts", "pk"): session.pk,
        ("actions", "pk"): advice.actions.get().pk,
        ("events", "slug"): event.slug,
        ("procurements", "pk"): procurement.pk,
        "org": procurement.buyer.slug,
        "ocid": ocds.ocid_of(procurement.process_id),
        ("programmes", "slug"): sparse["programme"].slug,
        ("rounds", "slug"): award.round.slug,
        ("funding", "reference"): award.application.reference,
        ("awards", "pk"): award.pk,
        ("councils", "slug"): sparse["council"].slug,
        ("frontdoor", "slug"): sparse["council"].slug,
        ("queue", "slug"): sparse["council"].slug,
        "lgsl_code": 557,
        ("documents", "slug"): document.slug,
        ("attachments", "pk"): attachment.pk,
        "kind": document.kind,
        "audience": "officers",
        "lgsl": 557,
        "old": 1,
        "new": 2,
    }
    return {**sparse, "values": values, "buyer": procurement.buyer, "call": call,
            "module": module, "event": event}  # fmt: skip


def _page_routes() -> list[str]:
    return sorted(
        {
            path
            for path, _ in page_patterns()
            if not any(path.startswith(skipped) for skipped in NOT_WALKED)
            and not _NOT_A_PAGE.search(path)
        }
    )


def _public_pages(world) -> tuple[dict[str, str], list[str]]:
    """{url: html} of every page a visitor gets with a 200, and the routes left unfilled."""
    client, public, unfilled = Client(), {}, []
    for route in _page_routes():
        filled = _fill(route, world["values"])
        if filled is None:
            unfilled.append(route)
            continue
        response = client.get("/" + filled)
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            public["/" + filled] = response.content.decode()
    return public, unfilled


def test_no_public_page_found_from_the_url_resolver_shows_none(world):
    public, unfilled = _public_pages(world)
    assert unfilled == [], "give these routes' parameters to the world's values: " + ", ".join(
        unfilled
    )
    reached = {
        url.format(slug=world["partnership"].slug, buyer=world["buyer"].slug,
                   call=world["call"].slug, module=world["module"].slug, event=world["event"].slug,
                   programme=world["programme"].slug)
        for url in MUST_REACH
    }  # fmt: skip
    assert reached - set(public) == set()
    shown = {url: found for url, html in public.items() if (found := NONE_IN_TEXT.findall(html))}
    assert shown == {}, shown

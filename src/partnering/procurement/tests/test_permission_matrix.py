"""Role × route: the exact status of every procurement page, open-data page and API operation
for every role, the evaluation panel ("panel": an adviser not assigned to the partnership)
included."""

from datetime import date

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.tests.factories import make_partnership
from partnering.procurement import services

from .factories import CompanyFactory, run_to_award

pytestmark = pytest.mark.django_db

ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other",
         "panel", "staff"]  # fmt: skip
OPEN = every(ROLES, 200)
WORK = {**OPEN, "public": 404, "partner_other": 404}
EDIT = {**every(ROLES, 403), "public": 302, "partner_own": 200, "adviser_assigned": 200,
        "staff": 200}  # fmt: skip
SCORE = {**every(ROLES, 403), "public": 302, "panel": 200, "staff": 200}
API_WORK = WORK


def api_write(ok: int, base: dict[str, int]) -> dict[str, int]:
    return {**base, "public": 401, **{r: ok for r, s in base.items() if s == 200}}


PREFIX = "ocds-t3stpx"
A = "/api/v1/procurement/partnerships/{slug}"
AP = A + "/appraisals/{appraisal_id}"
PR = A + "/procurements/{procurement_id}"

MATRIX = Matrix(__name__, ROLES, per="row", rows=[
    page("procurement:overview", "p", OPEN),
    page("procurement:scope", "p", WORK),
    page("procurement:scope-edit", "p", EDIT),
    page("procurement:baseline-add", "p", EDIT),
    page("procurement:constraint-add", "p", EDIT),
    page("procurement:appraisal-create", "p", EDIT),
    page("procurement:appraisal-detail", "a", WORK),
    page("procurement:criteria-edit", "a", EDIT),
    page("procurement:option-add", "a", EDIT),
    page("procurement:option-score", "o", EDIT),
    page("procurement:appraisal-agree", "a", EDIT),
    page("procurement:procurement-create", "p", EDIT),
    page("procurement:procurement-detail", "proc", OPEN),
    page("procurement:stage-record", "proc", EDIT),
    page("procurement:bidder-add", "proc", EDIT),
    page("procurement:evaluation", "proc", SCORE),
    page("procurement:evaluation-criteria", "proc", SCORE),
    page("procurement:award-record", "proc", EDIT),
    page("procurement:contract-sign", "proc", EDIT),
    page("procurement:contract-change", "done", EDIT),
    page("procurement:arrangement", "done", WORK),
    page("procurement:arrangement-edit", "done", EDIT),
    page("procurement:board-member-add", "done", EDIT),
    page("procurement:kpi-add", "done", EDIT),
    page("procurement:kpi-value-add", "done", EDIT),
    page("procurement_open_data:ocds-index", None, OPEN),
    page("procurement_open_data:ocds-bulk", None, OPEN),
    page("procurement_open_data:ocds-releases", "ocid", OPEN),
    page("procurement_open_data:ocds-record", "ocid", OPEN),
    page("procurement_open_data:register-index", None, OPEN),
    page("procurement_open_data:register", "council", OPEN),
    page("procurement_open_data:register-csv", "council", OPEN),
    api(f"GET {A}/scope", "p", API_WORK),
    api(f"PUT {A}/scope", "p", api_write(200, EDIT), body={"outcomes": "One front door"}),
    api(f"POST {A}/scope/baselines", "p", api_write(201, EDIT),
        body=lambda user, world: {"organisation": world.objects["own"].slug,
                                  "annual_cost": "100000", "staff": "3"}),
    api(f"GET {A}/appraisals", "p", API_WORK),
    api(f"POST {A}/appraisals", "p", api_write(201, EDIT), body={"title": "Options"}),
    api(f"GET {AP}", "aa", API_WORK),
    api(f"PUT {AP}/criteria", "aa", api_write(200, EDIT),
        body={"criteria": [{"name": "Quality", "kind": "quality", "weight": 100}]}),
    api(f"POST {AP}/options", "aa", api_write(201, EDIT),
        body={"kind": "outsourcing", "name": "Outsource", "annual_cost": "90000"}),
    api(f"PUT {AP}/scores", "aa", api_write(200, EDIT),
        body=lambda user, world: {"option_id": world.objects["option"].pk,
                                  "criterion_id": world.objects["quality"].pk, "score": 7,
                                  "rationale": "Good"}),
    api(f"POST {AP}/agreement", "aa", api_write(422, EDIT),
        body=lambda user, world: {"option_id": world.objects["option"].pk, "rationale": "Best",
                                  "agreed_on": "2002-09-01", "agreed_by": "Board"}),
    api(f"GET {A}/procurements", "p", OPEN),
    api(f"POST {A}/procurements", "p", api_write(201, EDIT),
        body=lambda user, world: {"title": "Payroll", "route": "pa_open",
                                  "buyer": world.objects["own"].slug}),
    api(f"GET {PR}", "aproc", OPEN),
    api(f"POST {PR}/stages", "aproc", api_write(201, EDIT),
        body={"stage": "tenders_received", "on": "2004-02-01"}),
    api(f"POST {PR}/bidders", "aproc", api_write(201, EDIT),
        body=lambda user, world: {"organisation": world.objects["late"].slug,
                                  "companies_house_number": "01234567"}),
    api(f"PUT {PR}/evaluation/criteria", "aproc", api_write(200, SCORE),
        body={"criteria": [{"name": "Quality", "weight": 60}, {"name": "Price", "weight": 40}]}),
    api(f"PUT {PR}/evaluation/scores", "aproc", api_write(200, SCORE),
        body=lambda user, world: {"bidder": world.objects["bidder"].slug,
                                  "criterion": "Quality", "score": 8}),
    api(f"POST {PR}/award", "aproc", api_write(422, EDIT),
        body=lambda user, world: {"supplier": world.objects["bidder"].slug, "value": "100",
                                  "term_months": 12, "decided_on": "2004-06-01"}),
    api(f"POST {PR}/contract", "aproc", api_write(422, EDIT),
        body={"title": "C", "starts_on": "2004-07-01", "ends_on": "2005-06-30", "value": "100",
              "signed_on": "2004-06-30"}),
    api(f"POST {PR}/contract/changes", "adone", api_write(201, EDIT),
        body={"kind": "extension", "on": "2013-01-01", "description": "Two more years",
              "new_end": "2016-07-28"}),
    api("GET /api/v1/procurement/ocds/records/{ocid}", "ocid", OPEN),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db, settings):
    settings.OCDS_OCID_PREFIX = PREFIX
    own = OrganisationFactory()
    p = make_partnership(2, lead=own)
    adviser = UserFactory(role="adviser")
    p.advisers.add(adviser)
    panel = UserFactory(role="adviser")
    a = services.appraisal_create(partnership=p, title="Front door options", actor=None)
    (quality,) = services.criteria_set(appraisal=a, criteria=[
        {"name": "Quality", "kind": "quality", "weight": 100}], actor=None)  # fmt: skip
    option = services.option_add(appraisal=a, kind="in_house", name="In-house",
                                 annual_cost="100000", actor=None)  # fmt: skip
    services.option_add(appraisal=a, kind="shared_service", name="Shared",
                        annual_cost="80000", actor=None)  # fmt: skip
    proc = services.procurement_create(partnership=p, title="ICT partner", route="pcr_open",
                                       buyer=own, panel=[panel], actor=None)  # fmt: skip
    bidder = CompanyFactory()
    services.bidder_add(procurement=proc, organisation=bidder, actor=None)
    services.stage_record(procurement=proc, stage="notice", on=date(2004, 1, 5), actor=None)
    services.evaluation_criteria_set(procurement=proc, criteria=[
        {"name": "Quality", "weight": 60}, {"name": "Price", "weight": 40}], actor=None)  # fmt: skip
    done, _ = run_to_award(p)
    arrangement = services.arrangement_save(contract=done.contract, board_name="Board",
                                            meeting_frequency="quarterly", client_team="Two",
                                            payment_mechanism="Monthly", actor=None)  # fmt: skip
    services.kpi_add(arrangement=arrangement, name="Availability", target=99, actor=None)
    users = {
        "public": None,
        "partner_own": UserFactory(organisations=[own]),
        "partner_other": UserFactory(organisations=[OrganisationFactory()]),
        "adviser_assigned": adviser,
        "adviser_other": UserFactory(role="adviser"),
        "panel": panel,
        "staff": UserFactory(role="staff"),
    }
    targets = {
        "p": {"slug": p.slug},
        "a": {"slug": p.slug, "pk": a.pk},
        "o": {"slug": p.slug, "pk": a.pk, "option_pk": option.pk},
        "proc": {"slug": p.slug, "pk": proc.pk},
        "done": {"slug": p.slug, "pk": done.pk},
        "aa": {"slug": p.slug, "appraisal_id": a.pk},
        "aproc": {"slug": p.slug, "procurement_id": proc.pk},
        "adone": {"slug": p.slug, "procurement_id": done.pk},
        "ocid": {"ocid": f"{PREFIX}-{done.process_id}"},
        "council": {"org": own.slug},
    }
    objects = {"own": own, "option": option, "quality": quality, "bidder": bidder,
               "late": CompanyFactory(org_id=None)}  # fmt: skip
    return World(users=users, targets=targets, objects=objects)

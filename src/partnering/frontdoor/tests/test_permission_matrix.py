"""Role × route: the exact status of every front door page, Open311 call and API operation.

Residents (the public) find, report and track without an account; a council's queue and the
handling of a request (with the resident's contact details) are for that council's staff and
taskforce staff only. Open311 writes need an integrator's api_key, never a session."""

import pytest

from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.frontdoor.photos import photo_clean

from .factories import WORCS, WYCHAVON, ServiceRequestFactory
from .test_photos import png_bytes

pytestmark = pytest.mark.django_db

ROLES = ["public", "partner_own", "partner_other", "adviser_assigned", "adviser_other", "staff"]
OPEN = every(ROLES, 200)
COUNCIL_ONLY = {**every(ROLES, 403), "public": 302, "partner_own": 200, "staff": 200}
NO_KEY = every(ROLES, 403)
GONE = every(ROLES, 404)
ROUTE = {"need": "pothole", "place": "WR11"}

MATRIX = Matrix(__name__, ROLES, per="row", rows=[
    page("frontdoor:start", None, OPEN),
    page("frontdoor:start", None, OPEN, data=ROUTE, id="start-routed"),
    page("frontdoor:report", "door", OPEN),
    page("frontdoor:report", "door", OPEN, method="post", data={}, id="report-post-invalid"),
    page("frontdoor:report", "not_door", GONE),
    page("frontdoor:track-find", None, OPEN),
    page("frontdoor:track", "req", OPEN),
    page("frontdoor:photo", "req", OPEN),
    page("frontdoor:queue", "council", COUNCIL_ONLY),
    page("frontdoor:queue-csv", "council", COUNCIL_ONLY),
    page("frontdoor:manage", "req", COUNCIL_ONLY),
    page("open311:root", None, OPEN),
    page("open311:discovery", "json", OPEN),
    page("open311:services", "xml", OPEN),
    page("open311:service", "service", OPEN),
    page("open311:requests", "json", OPEN),
    page("open311:requests", "xml", NO_KEY, method="post", data={"service_code": "557"}, id="o311-post-no-key"),
    page("open311:request", "o311_req", OPEN),
    page("open311:token", "token", GONE),
    api("GET /api/v1/frontdoor/route", None, OPEN, body=ROUTE),
    api("GET /api/v1/frontdoor/services", None, OPEN, body={"q": "bins"}),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(front_door, councils):
    county, wychavon = councils[WORCS], councils[WYCHAVON]
    photo, kind = photo_clean(png_bytes())
    req = ServiceRequestFactory(
        council=county, partnership=front_door, photo=photo, photo_type=kind
    )
    adviser = UserFactory(role="adviser", username="fd-adviser")
    front_door.advisers.add(adviser)
    users = {
        "public": None,
        "partner_own": UserFactory(username="fd-own", organisations=[county]),
        "partner_other": UserFactory(username="fd-other", organisations=[wychavon]),
        "adviser_assigned": adviser,
        "adviser_other": UserFactory(role="adviser", username="fd-adviser-2"),
        "staff": UserFactory(role="staff", username="fd-staff"),
    }
    targets = {
        "door": {"slug": front_door.slug, "lgsl_code": 557},
        "not_door": {"slug": front_door.slug, "lgsl_code": 1},
        "req": {"reference": req.reference},
        "council": {"slug": county.slug},
        "json": {"fmt": "json"},
        "xml": {"fmt": "xml"},
        "service": {"service_code": "557", "fmt": "xml"},
        "o311_req": {"service_request_id": req.reference, "fmt": "json"},
        "token": {"token": "abc", "fmt": "json"},
    }
    return World(users=users, targets=targets)

"""Role × route: the exact status of every library page and API operation for every role.

Roles: the public; a partner member of the case study's partnership; a partner member of another
partnership; an adviser; taskforce staff without the editor permission; two editors (the first
wrote and sent the documents for review, so only the second may approve them)."""

import pytest

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.core.tests.matrix import Matrix, World, api, every, page
from partnering.library import services
from partnering.library.samples import csv_bytes
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.models import ServiceArea
from partnering.partnerships.tests.factories import make_partnership

from .factories import make_editor

pytestmark = pytest.mark.django_db

ROLES = ["public", "partner_own", "partner_other", "adviser", "staff", "editor", "editor2"]
OPEN = every(ROLES, 200)
EDITORS_ONLY = {**every(ROLES, 404), "editor": 200, "editor2": 200}
CASE_STUDY = {**EDITORS_ONLY, "partner_own": 200}
EDITOR_PAGE = {**every(ROLES, 403), "public": 302, "editor": 200, "editor2": 200}
EDITOR_POST = {**EDITOR_PAGE, "editor": 302, "editor2": 302}
SIGNED_IN_HIDDEN = {**EDITORS_ONLY, "public": 302}  # login first, then not found
HIDDEN_POST = {**SIGNED_IN_HIDDEN, "editor": 302, "editor2": 302}
CS_EDIT = {**SIGNED_IN_HIDDEN, "partner_own": 200}
APPROVE_POST = {**SIGNED_IN_HIDDEN, "editor": 200, "editor2": 302}  # the author sees the error
PARTNER_POST = {**SIGNED_IN_HIDDEN, "partner_own": 302, "editor": 302, "editor2": 302}
VERSIONS_CS = {**CS_EDIT}
API_EDITOR = {**every(ROLES, 403), "public": 401, "editor": 201, "editor2": 201}
API_HIDDEN = {**every(ROLES, 404), "public": 401, "editor": 200, "editor2": 200}
API_HIDDEN_POST = {**API_HIDDEN, "editor": 201, "editor2": 201}
API_APPROVE = {**API_HIDDEN, "editor": 422, "editor2": 201}
API_WITHDRAW = {**API_EDITOR}
API_PARTNER = {**API_HIDDEN, "partner_own": 201, "editor": 422, "editor2": 422}
API = "/api/v1/library"

NEW = {"kind": "toolkit", "title": "A new toolkit", "summary": "For officers.", "body": "## One"}

MATRIX = Matrix(__name__, ROLES, per="row", rows=[
    page("library:home", None, OPEN),
    page("library:search", None, OPEN, data={"q": "fair shares"}),
    page("library:browse-kind", "kind", OPEN),
    page("library:browse-audience", "audience", OPEN),
    page("library:browse-service-area", "area", OPEN),
    page("library:feed", None, OPEN, data={"kind": "guidance"}),
    page("library:document-detail", "pub", OPEN),
    page("library:document-detail", "draft", EDITORS_ONLY),
    page("library:document-detail", "cs", CASE_STUDY),
    page("library:attachment-download", "att", OPEN),
    page("library:editor-queue", None, EDITOR_PAGE),
    page("library:document-create", None, EDITOR_PAGE),
    page("library:case-study-create", None, EDITOR_PAGE),
    page("library:training-import", None, EDITOR_POST, method="post"),
    page("library:document-edit", "draft", SIGNED_IN_HIDDEN),
    page("library:document-edit", "cs", CS_EDIT),
    page("library:document-submit", "draft", HIDDEN_POST, method="post"),
    page("library:document-review", "review", SIGNED_IN_HIDDEN),
    page("library:document-review", "review", APPROVE_POST, method="post", data={"when": "now"}),
    page("library:document-return", "review", SIGNED_IN_HIDDEN),
    page("library:document-withdraw", "pub", EDITOR_PAGE),
    page("library:case-study-approve", "cs", PARTNER_POST, method="post"),
    page("library:attachment-create", "pub", EDITOR_PAGE),
    page("library:version-list", "pub", EDITOR_PAGE),
    page("library:version-list", "cs", VERSIONS_CS),
    page("library:version-diff", "ver", EDITOR_PAGE),
    api(f"GET {API}/documents", None, OPEN),
    api(f"GET {API}/search", None, OPEN, body={"q": "shared services"}),
    api(f"GET {API}/documents/{{slug}}", "pub", OPEN),
    api(f"GET {API}/documents/{{slug}}", "draft", {**EDITORS_ONLY}),
    api(f"POST {API}/documents", None, API_EDITOR, body=NEW),
    api(f"PATCH {API}/documents/{{slug}}", "draft", API_HIDDEN, body={"summary": "Shorter."}),
    api(f"POST {API}/documents/{{slug}}/submit", "draft", API_HIDDEN_POST),
    api(f"POST {API}/documents/{{slug}}/approve", "review", API_APPROVE, body={}),
    api(f"POST {API}/documents/{{slug}}/withdraw", "pub", API_WITHDRAW, body={"reason": "Old"}),
    api(f"POST {API}/documents/{{slug}}/partner-approval", "cs", API_PARTNER),
])  # fmt: skip
test_status, test_every_route_has_a_row = MATRIX.tests()


@pytest.fixture
def world(db):
    editor, editor2 = make_editor("m-editor"), make_editor("m-editor2")
    own_org, other_org = OrganisationFactory(), OrganisationFactory()
    p = make_partnership(lead=own_org, name="Own partnership", reference="SPT-LIB-OWN")
    make_partnership(lead=other_org, name="Other partnership", reference="SPT-LIB-OTHER")
    area = ServiceArea.objects.create(lgsl_code=372, label="Council tax collection")

    def draft(title, **extra):
        return services.document_create(
            kind="guidance", title=title, summary="Shared services done fairly.",
            body="## Why share\n\nFair shares of the costs.", actor=editor, **extra,
        )  # fmt: skip

    pub = draft("Published guidance on shared services", service_areas=[area])
    services.document_update(
        document=pub, data={"body": "## Why share\n\nFair shares of costs and risks."},
        actor=editor,
    )  # fmt: skip
    services.document_submit(document=pub, actor=editor)
    services.document_approve(document=pub, actor=editor2)
    att = services.attachment_add(
        document=pub, title="Shares", data=csv_bytes([["a", "b"], [1, 2]]), filename="s.csv",
        actor=editor,
    )  # fmt: skip
    drafted = draft("Draft guidance")
    review = draft("Guidance in review")
    services.document_submit(document=review, actor=editor)
    cs = services.case_study_draft(partnership=p, actor=editor)
    return World(
        users={
            "public": None,
            "partner_own": UserFactory(
                role=Role.PARTNER, username="m-own", organisations=[own_org]
            ),
            "partner_other": UserFactory(
                role=Role.PARTNER, username="m-other", organisations=[other_org]
            ),
            "adviser": UserFactory(role=Role.ADVISER, username="m-adviser"),
            "staff": UserFactory(role=Role.STAFF, username="m-staff"),
            "editor": editor,
            "editor2": editor2,
        },
        targets={
            "kind": {"kind": "guidance"},
            "audience": {"audience": "officers"},
            "area": {"lgsl": 372},
            "pub": {"slug": pub.slug},
            "draft": {"slug": drafted.slug},
            "review": {"slug": review.slug},
            "cs": {"slug": cs.slug},
            "att": {"slug": pub.slug, "pk": att.pk},
            "ver": {"slug": pub.slug, "old": 1, "new": 2},
        },
    )

"""What the schemathesis tests share (test_api_fuzzing.py, test_api_stateful.py,
test_open311_fuzzing.py)."""

import os
from typing import Any

from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

#: What every answer of the API must be: no server error (5xx other than the declared 503), a
#: declared status code, a declared content type, a body matching its declared schema.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def bounded(examples: int) -> settings:
    """Hypothesis settings for CI: ``examples`` generated cases an operation, derandomised (the
    same cases on every run), no deadline (a shared machine), schemathesis's explicit examples
    and generated ones."""
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )


def api_schema() -> Any:
    """/api/openapi.json as the app serves it (building it needs no database), only the paths
    matching ``FUZZ_PATHS`` (a regular expression, to reproduce one finding) if it is set."""
    import schemathesis
    from django.core.wsgi import get_wsgi_application

    loaded = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    only = os.environ.get("FUZZ_PATHS")
    return loaded.include(path_regex=only) if only else loaded


def nine_roles() -> dict[str, Any]:
    """The nine roles of ``matrix_world.ROLES``, each with its own API key (headers by role;
    none for the public): a partner member of organisation A and one of B, an adviser assigned
    to A's partnership and one not, an assessor on a funding round's panel, a library editor, a
    finance officer, staff. A leads a published partnership, B an unpublished one (``slugs``)."""
    from partnering.core.services import api_key_create
    from partnering.funding.tests.factories import make_round
    from partnering.organisations.tests.factories import OrganisationFactory
    from partnering.sharing.tests.factories import make_partnership

    from .matrix_world import _users

    a, b = OrganisationFactory(), OrganisationFactory()
    users = _users(a, b)
    own = make_partnership(lead=a, members=[OrganisationFactory()])
    other = make_partnership(lead=b, is_published=False)
    own.advisers.add(users["adviser_assigned"])
    make_round(actor=users["staff"], assessors=[users["assessor"]])
    return {
        "headers": {
            role: {"Authorization": f"Bearer {api_key_create(name='fuzz', actor=user)[1]}"}
            if user
            else {}
            for role, user in users.items()
        },
        "slugs": [own.slug, other.slug],
    }

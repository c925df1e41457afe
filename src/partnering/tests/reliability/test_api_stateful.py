"""Stateful API fuzzing (issue 16, part 1): schemathesis chains operations, a create's answer
feeding the next call's path (``POST …/appraisals`` → ``PUT …/appraisals/{appraisal_id}/criteria``,
``POST /library/documents`` → ``…/{slug}/submit``), so the fuzzing reaches objects made in the run.

The API's OpenAPI document declares no links (django-ninja writes none); schemathesis 4.32
infers them from the document (a response's ``slug``, ``id``, ``number`` or ``version`` matched
to the path parameters of the same resource's operations: several hundred transitions over the
whole API). The state machine covers the operations of ``LINKED`` (45): with all 195, a
scenario's steps were drawn among hundreds of rules and almost never followed a create.
Each scenario is sent as one role with its API key (``fuzzing.nine_roles``): staff, who may
create nearly everything, and a partner member of the lead organisation. A generated
partnership ``slug`` that names nothing made in the world or the run is, two times in three,
replaced by A's or B's partnership, so chains start past 404. Every answer must pass
``fuzzing.CHECKS``, as in ``test_api_fuzzing``; and each role's run must have created something.

Bounded for CI: ``FUZZ_SCENARIOS`` scenarios a role (default 15), each of at most
``FUZZ_STEPS`` calls (default 10), derandomised.

    FUZZ_SCENARIOS=100 .venv/bin/pytest -q -p no:randomly src/partnering/tests/reliability/test_api_stateful.py
"""

import os
import zlib

import pytest
from hypothesis import HealthCheck, Phase, settings

from .fuzzing import CHECKS, api_schema, nine_roles

SCENARIOS = int(os.environ.get("FUZZ_SCENARIOS", "15"))
STEPS = int(os.environ.get("FUZZ_STEPS", "10"))

# Five rooms' create -> read/change families that start from a partnership (listed or created)
# or from nothing: aims, cost models, options appraisals, gateway reviews, risks, documents.
LINKED = (
    r"^/api/v1/(partnerships/$|partnerships/\{slug\}(/aims|/cost-models|$)"
    r"|procurement/partnerships/\{slug\}/appraisals"
    r"|assurance/partnerships/\{slug\}/(reviews|risks)"
    r"|library/documents)"
)
Workflow = api_schema().include(path_regex=LINKED).as_state_machine()


@pytest.fixture(autouse=True)
def _keep_the_test_connection(app_keeps_the_test_connection):
    """The app is called directly (conftest.py)."""


@pytest.mark.parametrize("role", ["staff", "partner_a"])
def test_linked_operations_answer_as_they_declare(db, role):
    world = nine_roles()
    headers = world["headers"][role]
    known = set(world["slugs"])
    calls = []

    class Machine(Workflow):  # type: ignore[misc, valid-type]
        def before_call(self, case):
            slug = (case.path_parameters or {}).get("slug")
            if "/partnerships/{slug}" in case.path and slug not in known:
                turn = zlib.crc32(repr(case.path_parameters).encode()) % 3
                if turn < 2:
                    case.path_parameters = {**case.path_parameters, "slug": world["slugs"][turn]}

        def get_call_kwargs(self, case):
            return {"headers": headers}

        def after_call(self, response, case):
            calls.append((case.operation.label, response.status_code))
            try:
                body = response.json()
            except ValueError:
                return
            if isinstance(body, dict) and isinstance(body.get("slug"), str):
                known.add(body["slug"])

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs or None)

    Machine.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    created = [label for label, status in calls if status == 201]
    assert calls and created, f"{len(calls)} calls, none created anything: {calls[:20]}"

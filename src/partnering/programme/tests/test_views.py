"""The programme pages: bad input shows a GOV.UK error summary and saves nothing; the selection
page pins, re-runs and confirms; lists stay at a fixed number of queries."""

import pytest
from django.urls import reverse

from partnering.core.models import Role
from partnering.core.tests.factories import UserFactory
from partnering.partnerships.models import Partnership
from partnering.programme.models import Assessment, SelectionRun

from .factories import assess, make_application, make_call, staff_user

pytestmark = pytest.mark.django_db


def test_an_assessment_outside_the_scale_shows_an_error_summary(client):
    assessor = UserFactory(role=Role.ADVISER)
    call = make_call(assessors=[assessor])
    app = make_application(call)
    client.force_login(assessor)
    fields = {f"score_{c.pk}": "11" for c in call.criteria.all()}
    response = client.post(reverse("programme:assess", args=[app.reference]), fields)
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert "must be 10 or less" in response.content.decode()
    assert not Assessment.objects.exists()
    fields = {f"score_{c.pk}": "\x00" for c in call.criteria.all()}
    response = client.post(reverse("programme:assess", args=[app.reference]), fields)
    assert response.status_code == 400  # the core's null-byte guard: never a 500
    assert not Assessment.objects.exists()


def test_assessors_are_blind_until_they_submit(client):
    first, second = UserFactory(role=Role.ADVISER), UserFactory(role=Role.ADVISER)
    call = make_call(assessors=[first, second])
    app = make_application(call)
    assess(app, first, 9, 2)
    client.force_login(second)
    page = client.get(reverse("programme:application-detail", args=[app.reference])).content
    assert b"The panel's scores" not in page
    assess(app, second, 3, 2)
    page = client.get(
        reverse("programme:application-detail", args=[app.reference])
    ).content.decode()
    assert "The panel's scores" in page and "9, 3" in page and "Disagree" in page


def test_selection_page_pins_reruns_and_confirms(client):
    staff = staff_user()
    assessor = UserFactory(role=Role.ADVISER)
    call = make_call(actor=staff, places=1, assessors=[assessor])
    high, low = make_application(call), make_application(call)
    assess(high, assessor, 9, 9)
    assess(low, assessor, 4, 4)
    client.force_login(staff)
    url = reverse("programme:selection", args=[call.slug])
    client.post(url, {})
    run = SelectionRun.objects.get()
    assert run.result["selected"] == [high.reference]
    page = client.get(url).content.decode()
    assert low.reference in page and "below every application selected" in page
    client.post(url, {"pinned": [low.reference]})
    latest = SelectionRun.objects.order_by("-number").first()
    assert latest.result["selected"] == [low.reference]
    response = client.post(url, {"pinned": [low.reference], "excluded": [low.reference]})
    assert b"govuk-error-summary" in response.content
    assert SelectionRun.objects.count() == 2
    client.post(reverse("programme:selection-confirm", args=[call.slug, latest.number]))
    assert list(Partnership.objects.filter(is_pathfinder=True)) == [low.partnership]


@pytest.mark.parametrize("size", [1, 25])
def test_call_page_at_a_fixed_number_of_queries(client, django_assert_num_queries, size):
    staff = staff_user()
    assessor = UserFactory(role=Role.ADVISER)
    from partnering.programme.services import CallTagSpec

    call = make_call(actor=staff, assessors=[assessor],
                     tags=[CallTagSpec(f"Tag {n}") for n in range(size)])  # fmt: skip
    for _ in range(size):
        assess(make_application(call), assessor, 5, 5)
    client.force_login(staff)
    client.get(reverse("programme:call-detail", args=[call.slug]))  # warm the session
    with django_assert_num_queries(12):  # the call's own tags are one, its panel one
        response = client.get(reverse("programme:call-detail", args=[call.slug]))
    assert response.status_code == 200


@pytest.mark.parametrize(("typed", "expected"), [("£120,000", "120000"), ("150000", "150000")])
def test_the_amount_requested_is_typed_as_people_write_money(typed, expected):
    """Issue 8 part 9: "£120,000" accepted wherever money is typed; NaN refused clearly."""
    from decimal import Decimal

    from partnering.programme.forms import ApplicationForm

    field = ApplicationForm.base_fields["requested_amount"]
    assert field.clean(typed) == Decimal(expected)
    with pytest.raises(Exception, match="must be an amount in pounds"):
        field.clean("NaN")

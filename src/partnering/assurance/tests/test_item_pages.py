"""The pages that record a review's interviews, documents seen and findings, and the page that
makes a new risk matrix version: each saves what is posted, and bad input shows the GOV.UK error
summary and saves nothing (issue 10 parts 1.2 and 4.3, "done when": every part in the browser)."""

import pytest
from django.urls import reverse

from partnering.assurance.gates import FINDING_AREAS
from partnering.assurance.models import DocumentSeen, Finding, Interview, RiskMatrix
from partnering.assurance.services import matrix_current
from partnering.core.tests.factories import UserFactory

from .factories import make_partnership, make_review

pytestmark = pytest.mark.django_db

AREA, AREA_LABEL = FINDING_AREAS[1]
ITEMS = [
    # (page, model, good input, (field, value as saved), bad input, message)
    ("interview-add", Interview, {"name": "Jane Clerk", "role": "Head of ICT", "organisation": ""},
     ("name", "Jane Clerk"), {"name": " ", "role": "Head of ICT"}, "Enter the name"),
    ("document-add", DocumentSeen,
     {"title": "Outline business case", "dated_day": "3", "dated_month": "2", "dated_year": "2003"},
     ("title", "Outline business case"),
     {"title": "Outline business case", "dated_day": "31", "dated_month": "2", "dated_year": "2003"},
     "must be a real date"),
    ("finding-add", Finding, {"area": AREA, "text": "The partners agree the savings."},
     ("area", AREA), {"area": "nonsense", "text": "The partners agree the savings."},
     "Select area from the list"),
    ("finding-add", Finding, {"area": AREA, "text": "The partners agree the savings."},
     ("text", "The partners agree the savings."), {"area": AREA, "text": ""}, "Enter the finding"),
]  # fmt: skip


def _has_error_summary(html: str, message: str) -> bool:
    summary = html[html.find('class="govuk-error-summary"') :]
    return "There is a problem" in summary and message in summary


@pytest.mark.parametrize(("page", "model", "good", "saved", "bad", "message"), ITEMS)
def test_review_item_pages_save_or_show_the_error_summary(client, page, model, good, saved,
                                                         bad, message):  # fmt: skip
    staff = UserFactory(role="staff")
    p = make_partnership()
    review = make_review(p)
    client.force_login(staff)
    url = reverse(f"assurance:{page}", args=[p.slug, review.pk])
    response = client.post(url, bad)
    assert response.status_code == 200 and _has_error_summary(response.text, message)
    assert not model.objects.exists()
    response = client.post(url, good, follow=True)
    assert response.redirect_chain[-1][0] == review.get_absolute_url()
    item = model.objects.get()
    assert item.review == review and getattr(item, saved[0]) == saved[1]
    assert item.history.count() == 1


def test_matrix_page_makes_a_new_version_or_shows_the_error_summary(client):
    staff = UserFactory(role="staff")
    client.force_login(staff)
    first = matrix_current()
    url = reverse("assurance_programme:matrix-create")
    good = {
        "likelihood_labels": "Rare, Possible, Likely",
        "impact_labels": "Minor, Moderate, Major",
        "bands": "1, Low, green\n4, High, red",
        "tolerance": "4",
    }
    for bad, message in [
        (good | {"impact_labels": "Minor, Major"}, "Give the same number"),
        (good | {"bands": "1, Low"}, "Write each band as: lowest score, label, colour"),
        (good | {"tolerance": "9"}, "The tolerance must be a score from 1 to 8"),
    ]:
        response = client.post(url, bad)
        assert response.status_code == 200 and _has_error_summary(response.text, message)
    assert list(RiskMatrix.objects.all()) == [first]
    response = client.post(url, good, follow=True)
    assert response.redirect_chain[-1][0] == reverse("assurance_programme:matrix-list")
    assert "Version 2 of the risk matrix saved" in response.text
    new = matrix_current()
    assert (new.version, new.likelihood_labels, new.tolerance) == (
        2,
        ["Rare", "Possible", "Likely"],
        4,
    )
    assert new.bands == [[1, "Low", "green"], [4, "High", "red"]] and new.created_by == staff

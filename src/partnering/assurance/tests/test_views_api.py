"""Pages and API of the reviews: bad input gives a clear message and saves nothing; lists at a
fixed number of queries; the report as HTML and PDF."""

import pytest
from django.urls import reverse

from partnering.assurance import services
from partnering.assurance.models import Recommendation, Review
from partnering.core.tests.factories import UserFactory

from .factories import api, make_partnership, make_review

pytestmark = pytest.mark.django_db


def test_review_out_of_order_on_the_page_says_which_gate_first(client):
    staff = UserFactory(role="staff")
    lead = UserFactory(role="adviser")
    p = make_partnership()
    client.force_login(staff)
    url = reverse("assurance:review-create", args=[p.slug])
    response = client.post(url, {"gate": "2", "starts_on": "2003-01-06", "ends_on": "2003-01-07",
                                 "lead": lead.pk})  # fmt: skip
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert "Review Gate 1: Business justification first" in response.text
    assert not Review.objects.exists()
    response = client.post(url, {"gate": "0", "starts_on": "2003-01-06", "ends_on": "2003-01-07",
                                 "lead": lead.pk})  # fmt: skip
    assert response.status_code == 302 and Review.objects.count() == 1


def test_recommendation_page_needs_owner_and_due_date(client):
    staff = UserFactory(role="staff")
    p = make_partnership()
    review = make_review(p)
    client.force_login(staff)
    url = reverse("assurance:recommendation-add", args=[p.slug, review.pk])
    response = client.post(url, {"text": "Do it", "urgency": "essential", "owner": staff.pk})
    assert "Enter the date an Essential recommendation must be done by" in response.text
    response = client.post(url, {"text": "Do it", "urgency": "critical"})
    assert "Choose who owns the recommendation" in response.text
    response = client.post(url, {"text": "Do it\x00", "urgency": "critical", "owner": staff.pk})
    assert response.status_code in (200, 400)
    assert not Recommendation.objects.exists()


def test_api_bad_input_is_422_and_nothing_saved(client):
    staff = UserFactory(role="staff")
    lead = UserFactory(role="adviser")
    p = make_partnership()
    response = api(client, "post", f"{p.slug}/reviews", staff,
                   {"gate": 3, "starts_on": "2003-01-01", "ends_on": "2003-01-02",
                    "lead": lead.username})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["code"] == "assurance.gate_order"
    assert response.json()["field"] == "gate"
    response = api(client, "post", f"{p.slug}/reviews", staff,
                   {"gate": 9, "starts_on": "2003-01-01", "ends_on": "2003-01-02",
                    "lead": lead.username})  # fmt: skip
    assert response.status_code == 422
    review = make_review(p, lead=lead)
    response = api(client, "post", f"{p.slug}/reviews/{review.pk}/recommendations", staff,
                   {"text": "Do", "urgency": "essential", "owner": staff.username})  # fmt: skip
    assert response.status_code == 422 and response.json()["field"] == "due_on"
    response = api(client, "post", f"{p.slug}/reviews/{review.pk}/recommendations", staff,
                   {"text": "Do", "urgency": "critical"})  # fmt: skip
    assert response.json()["code"] == "assurance.owner_required"
    assert Review.objects.count() == 1 and not Recommendation.objects.exists()


@pytest.mark.parametrize("n", [1, 25])
def test_overview_at_a_fixed_number_of_queries(client, django_assert_max_num_queries, n):
    staff = UserFactory(role="staff")
    p = make_partnership()
    lead = UserFactory(role="adviser")
    for _ in range(n):
        review = make_review(p, lead=lead)
        services.recommendation_add(review=review, text="x", urgency="critical", owner=staff,
                                    actor=None)  # fmt: skip
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("assurance:overview", args=[p.slug]))
    assert response.status_code == 200 and response.text.count("(1 Critical)") == n


def test_report_html_and_pdf(client):
    staff = UserFactory(role="staff")
    p = make_partnership()
    review = make_review(p)
    services.recommendation_add(review=review, text="Agree the exit protocol",
                                urgency="recommended", owner=staff, actor=None)  # fmt: skip
    client.force_login(staff)
    html = client.get(reverse("assurance:review-report", args=[p.slug, review.pk]))
    assert "Agree the exit protocol" in html.text and "Delivery confidence assessment" in html.text
    pdf = client.get(reverse("assurance:review-pdf", args=[p.slug, review.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_partnership_page_shows_the_gateway_reviews_section(client):
    staff = UserFactory(role="staff")
    p = make_partnership()
    services.recommendation_add(review=make_review(p), text="x", urgency="critical",
                                owner=staff, actor=None)  # fmt: skip
    client.force_login(staff)
    response = client.get(p.get_absolute_url())
    assert "Gateway reviews" in response.text and "1 open Critical recommendation" in response.text


def test_the_gateway_reviews_section_counts_in_one_query_and_shows_the_latest_rating(
    django_assert_num_queries,
):
    from datetime import date

    from django.test import RequestFactory

    from partnering.assurance.panels import reviews_section

    staff = UserFactory(role="staff")
    p = make_partnership()
    older = make_review(p, gate=0, starts_on=date(2003, 3, 3))
    newer = make_review(p, gate=1, starts_on=date(2004, 5, 3))
    make_review(p, gate=2, starts_on=date(2005, 1, 3))  # latest, not yet rated
    Review.objects.filter(pk=older.pk).update(rating="red")
    Review.objects.filter(pk=newer.pk).update(rating="amber")
    for review, urgency in ((older, "critical"), (newer, "critical"), (newer, "recommended")):
        services.recommendation_add(
            review=review, text="x", urgency=urgency, owner=staff, actor=None
        )
    request = RequestFactory().get("/")
    request.user = staff
    with django_assert_num_queries(1):
        section = reviews_section(request, p)
    assert section["review_count"] == 3
    assert section["critical_open"] == 2
    assert section["last_rating"].value == "amber"

"""Service requests through a joined-up partnership's front door: reported, routed, updated,
passed on, emailed once, followed by reference; duplicates, abuse, retention."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnering.core.errors import DomainError
from partnering.frontdoor import services
from partnering.frontdoor.models import RequestUpdate, ServiceRequest, Status

from .factories import WORCS, WYCHAVON, ServiceRequestFactory, council_staff
from .test_photos import png_bytes


def report_url(door, code):
    return f"/frontdoor/{door.slug}/report/{code}/"


def form(**fields):
    data = {"description": "Deep pothole by the bus stop", "postcode": "", "lat": "52.0925", "long": "-1.9470",
            "attribute_size": "large", "email": "resident@example.com", "form_token": "tok-1", "website": ""}  # fmt: skip
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_report_a_pothole_is_routed_to_the_county_with_a_reference(client, front_door):
    response = client.post(report_url(front_door, 557), form())
    assert response.status_code == 302
    row = ServiceRequest.objects.get()
    assert row.council.gss_code == WORCS
    assert response["Location"] == f"/frontdoor/track/{row.reference}/?new=1"
    page = client.get(response["Location"]).content.decode()
    assert row.reference in page and "Request sent" in page
    assert "resident@example.com" not in page  # no personal data on the public page
    assert [u.status for u in row.updates.all()] == [Status.RECEIVED]
    assert len(mail.outbox) == 1 and row.reference in mail.outbox[0].subject


def test_missed_bin_by_postcode_goes_to_the_district(client, front_door):
    response = client.post(
        report_url(front_door, 524),
        form(
            lat="", long="", postcode="wr11 4aa", attribute_size=None, attribute_bin_type="general"
        ),
    )
    assert response.status_code == 302
    row = ServiceRequest.objects.get()
    assert (row.council.gss_code, row.postcode) == (WYCHAVON, "WR11 4AA")


def test_same_form_token_twice_makes_one_request(client, front_door):
    client.post(report_url(front_door, 557), form())
    second = client.post(report_url(front_door, 557), form())
    assert second.status_code == 302
    assert ServiceRequest.objects.count() == 1


def test_honeypot_saves_nothing(client, front_door):
    response = client.post(report_url(front_door, 557), form(website="http://spam.example"))
    assert response.status_code == 302
    assert ServiceRequest.objects.count() == 0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"description": ""}, "Describe the problem"),
        ({"description": "x" * 4001}, "must be 4000 characters or fewer"),
        ({"attribute_size": None}, "Answer “About how big is it?”"),
        ({"lat": "", "long": ""}, "Give the location"),
        ({"lat": "91", "long": "0"}, "Latitude must be between -90 and 90"),
        ({"lat": "48.85", "long": "2.35"}, "outside England"),
        (
            {"lat": "53.9920", "long": "-1.5410"},
            "not part of",
        ),  # Harrogate: North Yorkshire Council
        ({"email": "nope"}, "Enter a valid email address"),
    ],
)
def test_bad_reports_say_why_and_save_nothing(client, front_door, fields, message):
    response = client.post(report_url(front_door, 557), form(**fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert ServiceRequest.objects.count() == 0


def test_photo_checked_by_content(client, front_door):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("pothole.jpg", b"not really a jpeg", content_type="image/jpeg")
    response = client.post(report_url(front_door, 557), {**form(), "photo": fake})
    assert "must be a JPG, PNG" in response.content.decode()
    real = SimpleUploadedFile("anything.bin", png_bytes(), content_type="application/octet-stream")
    response = client.post(report_url(front_door, 557), {**form(form_token="tok-2"), "photo": real})
    assert response.status_code == 302
    row = ServiceRequest.objects.get()
    assert row.photo_type == "image/jpeg"
    assert client.get(f"/frontdoor/track/{row.reference}/photo.jpg")["Content-Type"] == "image/jpeg"


def test_duplicates_within_250_m_are_suggested_first(client, front_door, councils):
    near = ServiceRequestFactory(council=councils[WORCS], lat=52.0935, long=-1.9470)  # about 110 m
    ServiceRequestFactory(council=councils[WORCS], lat=52.0990, long=-1.9470)  # about 720 m
    ServiceRequestFactory(council=councils[WORCS], lat=52.0926, long=-1.9470, status=Status.DONE)
    response = client.post(report_url(front_door, 557), form())
    html = response.content.decode()
    assert response.status_code == 200
    assert "may already have been reported" in html and near.reference in html
    assert html.count("/frontdoor/track/FD-") == 1
    sent = client.post(report_url(front_door, 557), {**form(), "confirm": "1"})
    assert sent.status_code == 302


def test_rate_limit_per_ip_with_headers(client, front_door, settings):
    settings.FRONTDOOR_RATE_LIMITS = {"form": (2, 60)}
    client.post(report_url(front_door, 557), form(form_token="a"))
    ok = client.post(report_url(front_door, 557), form(form_token="b", confirm="1"))
    refused = client.post(report_url(front_door, 557), form(form_token="c", confirm="1"))
    assert ok["RateLimit-Remaining"] == "0"
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    assert ServiceRequest.objects.count() == 2


def test_staff_update_is_seen_by_reference_and_emailed_once(client, front_door, councils):
    row, _ = services.request_create(
        spec=services.RequestSpec(lgsl_code=557, description="Hole", attributes={"size": ["small"]},
                                  lat=52.0925, long=-1.947, email="r@example.com"),
        actor=None, partnership=front_door,
    )  # fmt: skip
    officer = council_staff(councils[WORCS])
    client.force_login(officer)
    response = client.post(
        f"/frontdoor/manage/{row.reference}/",
        {"action": "status", "status": "scheduled", "note": "Repair booked for Monday"},
    )
    assert response.status_code == 302
    client.logout()
    page = client.get(f"/frontdoor/track/{row.reference}/").content.decode()
    assert "Scheduled" in page and "Repair booked for Monday" in page
    assert [m.subject.split(": ")[1] for m in mail.outbox] == ["Received", "Scheduled"]
    update = row.updates.last()
    assert services.update_email_send(update_id=update.pk) == "already sent"
    assert len(mail.outbox) == 2


def test_other_councils_staff_cannot_update(front_door, councils):
    row = ServiceRequestFactory(council=councils[WORCS], partnership=front_door)
    with pytest.raises(DomainError):
        services.request_status_change(
            request=row, status=Status.DONE, actor=council_staff(councils[WYCHAVON])
        )
    assert ServiceRequest.objects.get().status == Status.RECEIVED


def test_misrouted_request_passed_on_in_one_step(client, front_door, councils):
    row = ServiceRequestFactory(
        council=councils[WYCHAVON],
        partnership=front_door,
        lgsl_code=564,
        service_name="Street light",
    )
    client.force_login(council_staff(councils[WYCHAVON]))
    response = client.post(
        f"/frontdoor/manage/{row.reference}/",
        {
            "action": "pass",
            "to_council": str(councils[WORCS].pk),
            "reason": "Street lights are the county’s",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.council == councils[WORCS] and row.status == Status.RECEIVED
    update = row.updates.get(status=Status.PASSED_ON)
    assert (update.from_council, update.to_council) == (councils[WYCHAVON], councils[WORCS])
    assert "Not ours: passed to Worcestershire County Council" in update.note
    assert row.history.count() >= 2
    page = client.get(f"/frontdoor/track/{row.reference}/").content.decode()
    assert "Street lights are the county’s" in page
    assert mail.outbox and "Not ours" in mail.outbox[-1].subject + mail.outbox[-1].body


def test_pass_on_needs_a_reason_and_a_partner(front_door, councils):
    row = ServiceRequestFactory(council=councils[WYCHAVON], partnership=front_door)
    officer = council_staff(councils[WYCHAVON])
    with pytest.raises(DomainError) as caught:
        services.request_pass_on(request=row, to_council=councils[WORCS], reason=" ", actor=officer)
    assert caught.value.code == "frontdoor.reason_required"
    with pytest.raises(DomainError) as caught:
        services.request_pass_on(
            request=row, to_council=councils["E06000065"], reason="r", actor=officer
        )
    assert caught.value.code == "frontdoor.not_here"


def test_queue_filters_bulk_and_csv(client, front_door, councils, django_assert_max_num_queries):
    county = councils[WORCS]
    rows = [ServiceRequestFactory(council=county, description=f"=cmd {i}") for i in range(3)]
    ServiceRequestFactory(council=councils[WYCHAVON])
    client.force_login(council_staff(county))
    page = client.get(f"/frontdoor/queue/{county.slug}/").content.decode()
    assert all(r.reference in page for r in rows)
    response = client.post(
        f"/frontdoor/queue/{county.slug}/",
        {"requests": [rows[0].reference, rows[1].reference], "status": "in_progress"},
    )
    assert response.status_code == 302
    assert ServiceRequest.objects.filter(status=Status.IN_PROGRESS).count() == 2
    only = client.get(f"/frontdoor/queue/{county.slug}/", {"status": "received"}).content.decode()
    assert rows[2].reference in only and rows[0].reference not in only
    csv_response = client.get(f"/frontdoor/queue/{county.slug}/requests.csv")
    csv_text = b"".join(csv_response.streaming_content).decode()
    assert "'=cmd 0" in csv_text and rows[0].reference in csv_text


@pytest.mark.parametrize("n", [1, 25])
def test_queue_fixed_queries(client, front_door, councils, django_assert_max_num_queries, n):
    county = councils[WORCS]
    for _ in range(n):
        ServiceRequestFactory(council=county)
    client.force_login(council_staff(county))
    client.get(f"/frontdoor/queue/{county.slug}/")
    with django_assert_max_num_queries(8):
        assert client.get(f"/frontdoor/queue/{county.slug}/").status_code == 200


def test_retention_removes_personal_data(front_door, councils):
    old = ServiceRequestFactory(
        council=councils[WORCS], status=Status.DONE, closed_at=timezone.now() - timedelta(days=400)
    )
    recent = ServiceRequestFactory(
        council=councils[WORCS], status=Status.DONE, closed_at=timezone.now() - timedelta(days=10)
    )
    assert services.personal_data_expire() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.first_name, old.personal_data_removed_at is not None) == ("", "", True)
    assert recent.email == "resident@example.com"
    assert services.personal_data_expire() == 0


def test_track_unknown_reference(client, db):
    response = client.get("/frontdoor/track/", {"reference": "FD-NOPE-NOPE"})
    assert "We could not find a request with that reference" in response.content.decode()
    assert client.get("/frontdoor/track/FD-NOPE-NOPE/").status_code == 404


def test_nothing_half_saved_when_the_update_fails(front_door, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "_update", boom)
    with pytest.raises(RuntimeError):
        services.request_create(
            spec=services.RequestSpec(lgsl_code=557, description="Hole", attributes={"size": ["small"]}, lat=52.0925, long=-1.947),
            actor=None, partnership=front_door,
        )  # fmt: skip
    assert ServiceRequest.objects.count() == 0 and RequestUpdate.objects.count() == 0


def test_a_failing_mail_server_never_loses_the_request(front_door, monkeypatch):
    import smtplib

    from django.core.mail.backends.locmem import EmailBackend

    def refuse(*args, **kwargs):
        raise smtplib.SMTPConnectError(421, "down")

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    row, created = services.request_create(
        spec=services.RequestSpec(lgsl_code=557, description="Hole", attributes={"size": ["small"]},
                                  lat=52.0925, long=-1.947, email="r@example.com"),
        actor=None, partnership=front_door,
    )  # fmt: skip
    assert created and ServiceRequest.objects.filter(pk=row.pk).exists()
    assert row.updates.get().emailed_at is None  # not marked sent: a retry sends it


def test_queue_map_draws_the_county_and_its_located_requests(client, front_door, councils):
    """Issue 12 part 6: a map of where requests are, drawn on the server (no script, no tiles);
    a county's area is its districts'; a request without a point is listed but not drawn."""
    county = councils[WORCS]
    located = [
        ServiceRequestFactory(council=county, lat=52.0925, long=-1.9470),
        ServiceRequestFactory(council=county, lat=52.19, long=-2.22),
    ]
    ServiceRequestFactory(council=county, lat=None, long=None)
    client.force_login(council_staff(county))
    page = client.get(f"/frontdoor/queue/{county.slug}/").content.decode()
    assert 'role="img"' in page and "Map of where 2 of these requests are" in page
    assert page.count("<circle ") == 2
    assert all(f"<title>{r.reference}</title>" in page for r in located)
    assert '<path d="M' in page


def test_queue_without_located_requests_has_no_map(client, front_door, councils):
    county = councils[WORCS]
    ServiceRequestFactory(council=county, lat=None, long=None)
    client.force_login(council_staff(county))
    page = client.get(f"/frontdoor/queue/{county.slug}/").content.decode()
    assert "Map of where" not in page and "<circle " not in page

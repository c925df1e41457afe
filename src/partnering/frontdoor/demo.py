"""Front door demo: an Open311 key for a demo integrator (printed), a council officer of Wychavon,
and a few residents' requests through the Worcestershire Partnership's front door. Idempotent."""

from django.contrib.auth import get_user_model

from partnering.core.audit import audited_save
from partnering.core.management.commands.load_demo import DEMO_PASSWORD
from partnering.core.models import Role
from partnering.organisations.models import Organisation
from partnering.partnerships.models import Partnership

from .models import Open311Key, ServiceRequest, Status
from .services import RequestSpec, request_create, request_pass_on, request_status_change

# The demo integrator's key is fixed so the printed key works after every load (demo only).
DEMO_OPEN311_KEY = "o311_demo_worcestershire_front_door"
WORCS_PARTNERSHIP = "worcestershire-partnership"
WYCHAVON = "E07000238"

REQUESTS = [
    # (idempotency key, LGSL, description, attributes, lat, long, postcode, then)
    ("demo-pothole-evesham", 557, "Deep pothole on the High Street by the bus stop", {"size": ["large"]},
     52.0925, -1.9470, "", "in_progress"),
    ("demo-bin-evesham", 524, "Our green bin was not emptied on Tuesday", {"bin_type": ["general"]},
     None, None, "WR11 4AA", "done"),
    ("demo-light-pershore", 564, "Street light outside the library is out", {"fault": ["out"]},
     52.1110, -2.0770, "", "pass"),
    ("demo-flytip-droitwich", 587, "Mattress and bags dumped in the lay-by", {"amount": ["car"]},
     52.2670, -2.1500, "", ""),
]  # fmt: skip


def _officer() -> object | None:
    wychavon = Organisation.objects.filter(gss_code=WYCHAVON).first()
    if wychavon is None:
        return None
    user, created = get_user_model().objects.get_or_create(
        username="wychavon",
        defaults={
            "role": Role.PARTNER,
            "first_name": "Kim",
            "last_name": "Evans",
            "email": "wychavon@example.gov.uk",
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        audited_save(user, actor=None, reason="Demo council officer")
        wychavon.people.add(user)
    return user


def load() -> str:
    key = Open311Key.objects.filter(key_hash=Open311Key.hash(DEMO_OPEN311_KEY)).first()
    if key is None:
        key = Open311Key(name="Demo integrator (a FixMyStreet-style app)", prefix=DEMO_OPEN311_KEY[:9],
                         key_hash=Open311Key.hash(DEMO_OPEN311_KEY), is_demo=True)  # fmt: skip
        key.full_clean()
        audited_save(key, actor=None, reason="Demo Open311 key")
    said = f"Open311 API key for the demo integrator: {DEMO_OPEN311_KEY} (POST /open311/v2/requests.json)"
    partnership = Partnership.objects.filter(slug=WORCS_PARTNERSHIP).first()
    staff = get_user_model().objects.filter(username="staff").first()
    officer = _officer()
    if partnership is None or staff is None:
        return said + "; no Worcestershire Partnership, so no demo requests"
    made = 0
    for idem, code, text, answers, lat, long, postcode, then in REQUESTS:
        if ServiceRequest.objects.filter(idempotency_key=idem).exists():
            continue
        spec = RequestSpec(lgsl_code=code, description=text, attributes=answers, lat=lat, long=long,
                           postcode=postcode, email="resident@example.com", first_name="Jo",
                           last_name="Resident", idempotency_key=idem)  # fmt: skip
        request, _ = request_create(spec=spec, actor=None, partnership=partnership)
        request.is_demo = True
        audited_save(request, actor=None, reason="Demo data")
        made += 1
        if then == "pass":  # a misrouted report: the district passes it to the county
            county = request.council
            wychavon = Organisation.objects.get(gss_code=WYCHAVON)
            request.council = wychavon
            audited_save(request, actor=None, reason="Demo: first sent to the wrong council")
            request_pass_on(request=request, to_council=county, reason="Street lights are the county’s",
                            actor=officer or staff)  # fmt: skip
        elif then:
            request_status_change(
                request=request, status=Status.IN_PROGRESS, note="Inspector booked", actor=staff
            )
            if then == "done":
                request_status_change(
                    request=request, status=Status.DONE, note="Collected on Thursday", actor=staff
                )
    return said + f"; {made} demo requests; council officer: wychavon / {DEMO_PASSWORD}"

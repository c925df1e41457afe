"""Gateway reviews and recommendations: the rules (gate order, independent team, urgencies),
the stage check and the report."""

from datetime import date

import pytest

from partnering.assurance import services
from partnering.assurance.checks import critical_recommendations_open
from partnering.assurance.gates import GATE_BY_NUMBER, RATINGS
from partnering.assurance.models import Recommendation, Review
from partnering.core.errors import DomainError
from partnering.core.tests.factories import UserFactory
from partnering.organisations.tests.factories import OrganisationFactory
from partnering.partnerships.services import stage_move

from .factories import make_partnership, make_review, reviewer

pytestmark = pytest.mark.django_db


def test_gates_have_both_names_and_the_scale_maps_to_three_points():
    assert GATE_BY_NUMBER[2].label == "Gate 2: Procurement strategy (today Delivery strategy)"
    assert "Operations review" in GATE_BY_NUMBER[5].label
    assert [r.three_point for r in RATINGS] == ["Green", "Green", "Amber", "Red", "Red"]
    assert all(r.meaning for r in RATINGS)


def test_gates_run_in_order_and_only_gate_0_repeats():
    p = make_partnership()
    with pytest.raises(DomainError) as error:
        make_review(p, gate=1)
    assert error.value.code == "assurance.gate_order"
    assert "Review Gate 0: Strategic assessment first" in error.value.message
    make_review(p, gate=0)
    make_review(p, gate=0)  # repeatable
    make_review(p, gate=1)
    with pytest.raises(DomainError) as error:
        make_review(p, gate=1)
    assert error.value.code == "assurance.gate_repeated"
    with pytest.raises(DomainError) as error:
        make_review(p, gate=3)
    assert "Review Gate 2: Procurement strategy" in error.value.message
    assert Review.objects.filter(partnership=p).count() == 3


def test_review_team_is_independent_of_the_members():
    member_org = OrganisationFactory()
    p = make_partnership(orgs=[member_org])
    insider = reviewer(organisations=[member_org])
    with pytest.raises(DomainError) as error:
        make_review(p, lead=insider)
    assert error.value.code == "assurance.team_from_member" and error.value.field == "lead"
    with pytest.raises(DomainError) as error:
        make_review(p, members=[insider])
    assert error.value.field == "members"
    partner = UserFactory()
    with pytest.raises(DomainError) as error:
        make_review(p, lead=partner)
    assert error.value.code == "assurance.team_not_reviewer"
    with pytest.raises(DomainError):
        services.review_create(
            partnership=p, gate=0, starts_on=date(2003, 1, 1), ends_on=date(2003, 1, 2),
            lead=None, actor=None)  # fmt: skip
    assert not Review.objects.exists()
    outsider = reviewer(organisations=[OrganisationFactory()])
    review = make_review(p, lead=outsider, members=[reviewer()])
    assert review.team.count() == 2


def test_review_dates_in_order():
    p = make_partnership()
    with pytest.raises(DomainError) as error:
        services.review_create(partnership=p, gate=0, starts_on=date(2003, 3, 3),
                               ends_on=date(2003, 3, 1), lead=reviewer(), actor=None)  # fmt: skip
    assert error.value.field == "ends_on"


def test_recommendation_rules():
    p = make_partnership()
    review = make_review(p)
    owner = UserFactory()
    with pytest.raises(DomainError) as error:
        services.recommendation_add(review=review, text="Do it", urgency="critical", owner=None,
                                    actor=None)  # fmt: skip
    assert error.value.code == "assurance.owner_required"
    with pytest.raises(DomainError) as error:
        services.recommendation_add(review=review, text="Do it", urgency="essential", owner=owner,
                                    actor=None)  # fmt: skip
    assert error.value.code == "assurance.due_required" and error.value.field == "due_on"
    with pytest.raises(DomainError):
        services.recommendation_add(review=review, text="  ", urgency="recommended", owner=owner,
                                    actor=None)  # fmt: skip
    assert not Recommendation.objects.exists()
    r1 = services.recommendation_add(review=review, text="Now", urgency="critical", owner=owner,
                                     actor=None)  # fmt: skip
    r2 = services.recommendation_add(review=review, text="Soon", urgency="essential",
                                     owner=owner, due_on=date(2003, 6, 1), actor=None)  # fmt: skip
    assert (r1.number, r1.due_label, r2.number) == (1, "Now", 2)
    with pytest.raises(DomainError) as error:
        services.recommendation_update(recommendation=r1, status="carried_forward", actor=None)
    assert error.value.code == "assurance.reason_required"
    services.recommendation_update(recommendation=r1, status="carried_forward",
                                   carried_forward_reason="To Gate 1", note="Agreed", actor=None)  # fmt: skip
    r1.refresh_from_db()
    assert r1.status == "carried_forward" and r1.follow_ups.get().text == "Agreed"


def test_finalise_needs_rating_and_summary_and_publish_needs_final():
    review = make_review(make_partnership())
    with pytest.raises(DomainError) as error:
        services.review_finalise(review=review, actor=None)
    assert error.value.field == "rating"
    with pytest.raises(DomainError):
        services.review_publish(review=review, actor=None)
    services.review_update(review=review, data={"rating": "amber_red", "summary": "Shrinking"},
                           actor=None)  # fmt: skip
    services.review_finalise(review=review, actor=None)
    review = services.review_publish(review=review, actor=None)
    assert review.is_published and review.status == "final"


def test_a_critical_recommendation_blocks_the_stage_past_its_gate():
    p = make_partnership(stage="scoping")
    staff = UserFactory(role="staff")
    review = make_review(p, gate=0)
    rec = services.recommendation_add(review=review, text="Confirm the members",
                                      urgency="critical", owner=staff, actor=None)  # fmt: skip
    services.recommendation_add(review=review, text="Nice to have", urgency="recommended",
                                owner=staff, actor=None)  # fmt: skip
    blocks = critical_recommendations_open(p, "options_appraisal", staff)
    assert len(blocks) == 1 and blocks[0].overridable
    assert (
        "Gate 0: Strategic assessment has 1 open Critical recommendation (R1)" in blocks[0].message
    )
    assert critical_recommendations_open(p, "idea", staff) == []  # going back
    assert critical_recommendations_open(p, "closed", staff) == []  # abandoning
    with pytest.raises(DomainError) as error:
        stage_move(partnership=p, to_stage="options_appraisal", actor=staff)
    assert error.value.code == "assurance.critical_open"
    p.refresh_from_db()
    assert p.stage == "scoping"
    services.recommendation_update(recommendation=rec, status="done", actor=None)
    stage_move(partnership=p, to_stage="options_appraisal", actor=staff)
    p.refresh_from_db()
    assert p.stage == "options_appraisal"


def test_staff_override_a_critical_with_a_reason():
    p = make_partnership(stage="scoping")
    staff = UserFactory(role="staff")
    services.recommendation_add(review=make_review(p), text="Fix", urgency="critical",
                                owner=staff, actor=None)  # fmt: skip
    with pytest.raises(DomainError) as error:
        stage_move(partnership=p, to_stage="options_appraisal", override=True, actor=staff)
    assert error.value.field == "reason"
    change = stage_move(partnership=p, to_stage="options_appraisal", override=True,
                        reason="Ministerial deadline", actor=staff)  # fmt: skip
    assert "Override" in change.reason and "Ministerial deadline" in change.reason


def test_report_pdf_text_has_partnership_gate_rating_and_every_recommendation():
    from io import BytesIO

    from pypdf import PdfReader

    from partnering.assurance.report import report_pdf
    from partnering.assurance.selectors import review_detail

    p = make_partnership()
    review = make_review(p)
    owner = UserFactory()
    texts = ["Confirm which councils remain members", "Agree a funding formula by March",
             "Publish the benefits register"]  # fmt: skip
    for text, urgency in zip(texts, ["critical", "essential", "recommended"], strict=True):
        services.recommendation_add(review=review, text=text, urgency=urgency, owner=owner,
                                    due_on=date(2003, 6, 1), actor=None)  # fmt: skip
    services.review_update(review=review, data={"rating": "amber_red", "summary": "In doubt"},
                           actor=None)  # fmt: skip
    pdf = report_pdf(review_detail(review.pk, p))
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    text = " ".join(text.split())
    assert p.name in text
    assert "Gate 0: Strategic assessment" in text
    assert "Amber/Red" in text
    for t in texts:
        assert t in text


def _structure_types(element, seen: set[str]) -> set[str]:
    """Every structure type (/S) in the PDF's structure tree under ``element``."""
    from pypdf.generic import ArrayObject, DictionaryObject

    element = element.get_object()
    if isinstance(element, ArrayObject):
        for kid in element:
            _structure_types(kid, seen)
    elif isinstance(element, DictionaryObject):
        if "/S" in element:
            seen.add(str(element["/S"]))
        if "/K" in element:
            _structure_types(element["/K"], seen)
    return seen


def test_report_pdf_is_tagged_for_accessibility():
    """Issue 10 part 3.4: the PDF says it is tagged PDF/UA-1, in English, with a structure
    tree of headings, paragraphs and tables, and shows its title rather than its file name."""
    from io import BytesIO

    from pypdf import PdfReader

    from partnering.assurance.report import report_pdf
    from partnering.assurance.selectors import review_detail

    p = make_partnership()
    review = make_review(p)
    services.recommendation_add(review=review, text="Confirm the members", urgency="critical",
                                owner=UserFactory(), actor=None)  # fmt: skip
    reader = PdfReader(BytesIO(report_pdf(review_detail(review.pk, p))))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    types = _structure_types(catalog["/StructTreeRoot"], set())
    assert {"/H1", "/H2", "/P", "/Table", "/TH", "/TD"} <= types, types
    assert b'pdfuaid:part="1"' in reader.xmp_metadata.stream.get_data()
    assert reader.metadata.title.startswith("Gate 0: Strategic assessment")


def _full_review():
    p = make_partnership()
    review = make_review(p, members=[reviewer()])
    owner = UserFactory()
    for i, urgency in enumerate(["critical", "essential", "recommended"] * 4):
        services.recommendation_add(review=review, text=f"Recommendation {i} " + "words " * 30,
                                    urgency=urgency, owner=owner, due_on=date(2004, 1, 1),
                                    actor=None)  # fmt: skip
    for area in ("governance", "risk"):
        services.finding_add(review=review, area=area, text=f"Finding on {area} " * 20, actor=None)
    services.interview_add(review=review, name="Jane Doe", role="Chief Executive",
                           organisation="Craven District Council", actor=None)  # fmt: skip
    services.document_add(review=review, title="Partnership agreement", dated=date(2002, 6, 1),
                          actor=None)  # fmt: skip
    services.review_update(review=review, data={"rating": "amber_red", "summary": "In doubt"},
                           actor=None)  # fmt: skip
    return review


def _words(text: str) -> list[str]:
    """Words and punctuation marks, tags and entities out."""
    import html
    import re

    return re.findall(r"\w+|[^\w\s]", html.unescape(re.sub(r"<[^>]+>", " ", text)))


SECTIONS = ("Delivery confidence assessment", "Summary", "Recommendations", "Findings",
            "People interviewed", "Documents seen", "The delivery confidence scale")  # fmt: skip


def test_report_pdf_has_every_word_of_the_report_and_its_sections_in_order():
    """Word for word what the report's HTML says (a row split over two pages reorders words, so
    they are counted, not compared in order), its sections in order, the same twice over."""
    import re
    from collections import Counter
    from io import BytesIO

    from pypdf import PdfReader

    from partnering.assurance.report import report_html, report_pdf
    from partnering.assurance.selectors import review_detail

    review = _full_review()
    detail = review_detail(review.pk, review.partnership)
    html = report_html(detail)
    first, again = report_pdf(detail), report_pdf(review_detail(review.pk, review.partnership))
    pages = [page.extract_text() for page in PdfReader(BytesIO(first)).pages]
    text = " ".join(pages)
    assert len(pages) > 1
    assert Counter(_words(html[html.index("<body>") :])) - Counter(_words(text)) == Counter()
    # A page's running footer ("Page 3 of 4") can come out on the line of the next page's first
    # heading, depending on where the pages break (the report carries today's date).
    lines = [re.sub(r"^Page \d+ of \d+\s+", "", line.strip()) for line in text.splitlines()]
    assert [line for line in lines if line in SECTIONS] == list(SECTIONS)
    assert [page.extract_text() for page in PdfReader(BytesIO(again)).pages] == pages


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x.css", "file:///etc/passwd", "data:,x"])
def test_report_pdf_fetches_no_url(url):
    from partnering.assurance.report import _weasyprint

    fetcher = _weasyprint()[2]
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch(url)


def test_a_web_server_process_readies_the_pdf_renderer_as_it_starts(tmp_path):
    """The first review PDF in a process took 2.9 s (1.6 s importing WeasyPrint), over the 2 s
    goal; the WSGI module now readies the renderer when a web server process starts."""
    import subprocess
    import sys

    script = (
        "import sys, time; t = time.perf_counter();"
        "import partnering.config.wsgi;"
        "from partnering.assurance import report;"
        "assert 'weasyprint' in sys.modules;"
        "assert getattr(report._local, 'weasyprint', None) is not None;"
        "t = time.perf_counter(); report.html_to_pdf('<p>A review</p>');"
        "print(round(time.perf_counter() - t, 3))"
    )
    env = {
        **__import__("os").environ,
        "DJANGO_SETTINGS_MODULE": "partnering.config.settings.test",
        "PARTNERING_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]

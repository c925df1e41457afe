"""The review report as PDF (WeasyPrint, tagged as PDF/UA where it allows) from the same
template as the HTML page."""

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from .gates import RATINGS, URGENCIES

CSS = Path(__file__).parent / "static" / "assurance" / "report-print.css"


def report_html(review: Any) -> str:
    body = render_to_string(
        "assurance/report_pdf.html",
        {"partnership": review.partnership, "review": review, "ratings": RATINGS,
         "urgencies": URGENCIES, "can_follow_up": False},
    )  # fmt: skip
    return body


def report_pdf(review: Any) -> bytes:
    from weasyprint import CSS as WeasyCSS
    from weasyprint import HTML

    document = HTML(string=report_html(review))
    pdf = document.write_pdf(
        stylesheets=[WeasyCSS(filename=str(CSS))], pdf_variant="pdf/ua-1", pdf_tags=True
    )
    return bytes(pdf or b"")

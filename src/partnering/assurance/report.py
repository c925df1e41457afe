"""The review report as PDF (WeasyPrint, tagged as PDF/UA where it allows) from the same
template as the HTML page.

WeasyPrint's font configuration and the parsed print stylesheet are made once per thread and
reused (Pango's font map is not thread-safe), and reloaded when the stylesheet file changes. The
report fetches nothing: no URL of any scheme is allowed, so no text in it can make the server
request a page or read a file."""

import threading
from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

from .gates import RATINGS, URGENCIES

CSS = Path(__file__).parent / "static" / "assurance" / "report-print.css"
_local = threading.local()


def report_html(review: Any) -> str:
    body = render_to_string(
        "assurance/report_pdf.html",
        {"partnership": review.partnership, "review": review, "ratings": RATINGS,
         "urgencies": URGENCIES, "can_follow_up": False},
    )  # fmt: skip
    return body


def _weasyprint() -> tuple[Any, Any, Any]:
    """(font configuration, print stylesheet, URL fetcher) for this thread."""
    from weasyprint import CSS as WeasyCSS
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import URLFetcher

    version = CSS.stat().st_mtime_ns
    cached = getattr(_local, "weasyprint", None)
    if cached is None or cached[0] != version:
        fonts, fetcher = FontConfiguration(), URLFetcher(allowed_protocols=())
        sheet = WeasyCSS(filename=str(CSS), font_config=fonts, url_fetcher=fetcher)
        cached = _local.weasyprint = (version, fonts, sheet, fetcher)
    return cached[1], cached[2], cached[3]


def html_to_pdf(html: str) -> bytes:
    """A tagged PDF/UA-1 document of `html` laid out by the print stylesheet."""
    from weasyprint import HTML

    fonts, sheet, fetcher = _weasyprint()
    document = HTML(string=html, url_fetcher=fetcher)
    pdf = document.write_pdf(
        stylesheets=[sheet], font_config=fonts, pdf_variant="pdf/ua-1", pdf_tags=True
    )
    return bytes(pdf or b"")


def report_pdf(review: Any) -> bytes:
    return html_to_pdf(report_html(review))


def warm_up() -> None:
    """Import WeasyPrint and ready this thread's fonts and stylesheet with a one-line document.
    Called by the WSGI module when a web server process starts, so the first review PDF after
    a restart takes as long as any other (the first in a process took 2.9 s, 1.6 s of it the
    import; later ones 0.5 s: docs/benchmarks.md)."""
    html_to_pdf("<p>Ready</p>")

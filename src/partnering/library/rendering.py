"""Markdown to safe HTML: Python-Markdown renders, nh3 (the Ammonia sanitiser) removes anything
unsafe (scripts, event handlers, ``javascript:`` links, styles, iframes). Headings start at
``<h2>`` (``#`` and ``##`` both make one: the page's title is the ``<h1>``) and carry ids for the contents list."""

import html
import re
from dataclasses import dataclass

import markdown
import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "abbr", "table", "thead", "tbody", "tr", "th", "td",
    "caption", "sup", "sub", "dl", "dt", "dd",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "a": {"href", "title"}, "abbr": {"title"}, "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"}, "ol": {"start"},
}  # fmt: skip
URL_SCHEMES = {"http", "https", "mailto"}


@dataclass(frozen=True)
class Heading:
    id: str
    text: str
    level: int


@dataclass(frozen=True)
class Rendered:
    html: str  # safe to mark_safe
    headings: list[Heading]  # every heading, in order
    text: str  # the plain text (for search)

    @property
    def contents(self) -> list[Heading]:
        """The contents list: the second-level headings."""
        return [h for h in self.headings if h.level == 2]


def _walk(tokens: list[dict], out: list[Heading]) -> None:
    for token in tokens:
        out.append(
            Heading(id=token["id"], text=html.unescape(token["name"]), level=max(2, token["level"]))
        )
        _walk(token.get("children", []), out)


def render(source: str) -> Rendered:
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc", "abbr", "def_list"],
        extension_configs={"toc": {"permalink": False, "slugify": _slugify}},
        output_format="html",
    )
    # "# Heading" is a second-level heading here (the page's title is the only <h1>)
    raw = re.sub(r"<(/?)h1\b", r"<\1h2", md.convert(source or ""))
    safe = nh3.clean(
        raw,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    headings: list[Heading] = []
    _walk(getattr(md, "toc_tokens", []), headings)
    headings = [Heading(h.id, plain_text(h.text), h.level) for h in headings]
    return Rendered(html=safe, headings=headings, text=plain_text(safe))


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment, tags removed and entities decoded, on one line."""
    text = nh3.clean(fragment.replace("<", " <"), tags=set())
    return " ".join(html.unescape(text).split())


UNSAFE_TAG = re.compile(
    r"<\s*/?\s*(script|iframe|frame|frameset|object|embed|applet|style|link|meta|base|form|input|"
    r"button|textarea|select|svg|math|img|video|audio|source|template)\b",
    re.IGNORECASE,
)
UNSAFE_ATTRIBUTE = re.compile(r"<[^>]*\s(on[a-z]+|style|srcdoc|formaction)\s*=", re.IGNORECASE)
UNSAFE_URL = re.compile(r"(javascript|vbscript|data)\s*:", re.IGNORECASE)


def unsafe_markup(source: str) -> list[str]:
    """What in the Markdown would be removed as unsafe: tags like ``<script>`` or ``<iframe>``,
    event-handler or style attributes, ``javascript:`` links. Empty when the source is safe.

    The editor is told (and nothing is saved); the sanitiser still runs on every render."""
    found: list[str] = []
    raw = markdown.markdown(source or "", extensions=["tables", "sane_lists", "abbr", "def_list"])
    found += sorted({f"<{m.group(1).lower()}>" for m in UNSAFE_TAG.finditer(raw)})
    found += sorted({f"{m.group(1).lower()}=" for m in UNSAFE_ATTRIBUTE.finditer(raw)})
    hrefs = re.findall(r"""(?:href|src)\s*=\s*["']?([^"'>\s]+)""", raw, re.IGNORECASE)
    hrefs += re.findall(r"\]\(([^)\s]+)", source or "")
    found += sorted(
        {
            f"{m.group(1).lower()}: link"
            for h in hrefs
            for m in [UNSAFE_URL.match(html.unescape(h).strip())]
            if m
        }
    )
    return found


def _slugify(value: str, separator: str) -> str:
    from django.utils.text import slugify

    return slugify(html.unescape(value))[:80] or "section"

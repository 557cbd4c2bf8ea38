"""The report in its official layout, as HTML to embed in a page.

The project's HTML writer (gongkai.annual.write(report, "html")) is the one layout; its body
is embedded here. Report text comes from uploaded files, so the writer's output is cleaned of
anything active before it is embedded, whatever the writer promises."""

from __future__ import annotations

import logging

from django.utils.safestring import SafeString, mark_safe
from lxml import html as lhtml

from gongkai.annual import AnnualReport, write
from gongkai.annual.formats import REPORT_TITLE, YEAR_SUFFIX

log = logging.getLogger(__name__)

_ACTIVE = ("script", "style", "iframe", "frame", "object", "embed", "link", "meta", "base",
           "form", "input", "button", "textarea", "select", "svg", "math", "template")


def clean_body(document: str | bytes) -> str:
    """The inner HTML of `document`'s body without scripts, styles, handlers or js: links."""
    root = lhtml.document_fromstring(document)
    body = root.find("body")
    if body is None:
        body = root
    for el in list(body.iter(*_ACTIVE)):
        el.drop_tree()
    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        for name in list(el.attrib):
            value = el.attrib[name].strip().lower()
            if name.lower().startswith("on") or name.lower() == "srcdoc" or (
                name.lower() in ("href", "src", "action", "xlink:href")
                and not value.startswith(("#", "http:", "https:", "/"))
            ):
                del el.attrib[name]
    parts = [body.text or ""] if body.text else []
    parts += [lhtml.tostring(child, encoding="unicode") for child in body]
    return "".join(parts)


def title(report: AnnualReport) -> str:
    if report.title:
        return report.title
    year = f"{report.year}{YEAR_SUFFIX}" if report.year else ""
    return f"{report.agency or ''}{year}{REPORT_TITLE}"


def report_html(report: AnnualReport) -> SafeString:
    body = clean_body(write(report, "html"))
    return mark_safe(f'<div class="report-doc from-writer">{body}</div>')  # noqa: S308 - cleaned above

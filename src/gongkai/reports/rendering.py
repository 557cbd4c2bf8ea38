"""The report in its official layout, as HTML to embed in a page.

The project's HTML writer (gongkai.annual.write(report, "html")) is the one layout; its body
is embedded here. While that writer is missing or fails, the page falls back to
templates/reports/_document.html, which walks the grid of layout.py (labels from formats.py).
Report text comes from uploaded files, so the writer's output is cleaned of anything active
before it is embedded, whatever the writer promises."""

from __future__ import annotations

import logging

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from lxml import html as lhtml

from gongkai.annual import AnnualReport, write

from . import layout

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
    return f"{report.agency or ''}{report.year or ''}年政府信息公开工作年度报告"


def from_template(report: AnnualReport) -> str:
    return render_to_string("reports/_document.html", {
        "title": title(report), "preamble": report.preamble,
        "sections": layout.sections(report),
    })


def report_html(report: AnnualReport) -> SafeString:
    try:
        body = clean_body(write(report, "html"))
        if body.strip():
            return mark_safe(f'<div class="report-doc from-writer">{body}</div>')  # noqa: S308 - cleaned above
    except Exception as exc:  # noqa: BLE001 - fall back to the template layout
        log.info("html writer unavailable (%s: %s); using the template layout",
                 type(exc).__name__, exc)
    return mark_safe(from_template(report))  # noqa: S308 - rendered by an autoescaping template

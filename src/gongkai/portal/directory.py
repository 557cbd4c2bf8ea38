"""The public agency directory, searched and paged: the home page and the list of agencies
to apply to share it. A province holds thousands of agencies; one page holds PAGE_SIZE."""

from __future__ import annotations

import re

from django.core.paginator import Page, Paginator

from ..agencies import selectors

PAGE_SIZE = 50
QUERY_MAX_CHARS = 50  # an agency's name is shorter; anything longer is not a search
# Control characters match no name, and PostgreSQL refuses NUL in a query outright.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def page(request) -> tuple[Page, str, dict[int, str]]:
    """(the page of agencies asked for, the search words as understood, each one's trail)."""
    query = " ".join(_CONTROL.sub(" ", request.GET.get("q", "")).split())[:QUERY_MAX_CHARS]
    found = Paginator(selectors.directory(query), PAGE_SIZE).get_page(request.GET.get("page"))
    return found, query, selectors.trails(found.object_list)

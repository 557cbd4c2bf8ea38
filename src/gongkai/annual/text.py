"""Text normalisation shared by every reader (REGULATIONS.md §3.8).

`normalize` makes half-width what a report wrote full-width (digits, brackets, colons) and
simplified what a mirror wrote traditional; `label_key` goes further and drops spaces, line
breaks and quotes so that "本年新\\n制作数量" and "本年新制作数量" compare equal."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_t2s = OpenCC("t2s")
_DROP = re.compile(r"[\s\u3000\"'“”‘’「」『』《》〈〉·・•]+")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", "―": "-"})


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """NFKC (full-width → half-width) and traditional → simplified; spacing kept."""
    out = unicodedata.normalize("NFKC", text)
    if not out.isascii():
        out = _t2s.convert(out)
    return out


@lru_cache(maxsize=65536)
def label_key(text: str) -> str:
    """The form labels are compared in: normalised, without spaces, quotes or bookmarks."""
    out = normalize(text).translate(_DASHES)
    out = re.sub(r"\[bookmark:[^\]]*\]", "", out)
    out = _DROP.sub("", out)
    return out.replace("、", ",").replace(";", ",")

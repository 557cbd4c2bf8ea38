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
# label_key drops white space and these marks, and reads these dashes as "-".
_MARKS = "\"'“”‘’「」『』《》〈〉·・•"
_DASHES = "—–－―"
_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def _traditional_test() -> re.Pattern[str] | None:
    """A regex that finds a character t2s could change, or None if the converter's tables
    cannot be read (then every non-ASCII text is converted, as before).

    The pure-Python converter costs ≈ 35 µs a character; most reports hold no traditional
    character at all, and a character class finds that out in ≈ 50 ns a character."""
    try:
        tables = [d for _, _, d in _t2s.dict_cache.values()]
    except (AttributeError, TypeError, ValueError):
        return None
    if not tables:
        return None
    chars = {k for d in tables for k, v in d.items() if len(k) == 1 and v != k}
    for d in tables:
        for k, v in d.items():
            # A phrase that changes although none of its characters does ("沈默" → "沉默").
            if len(k) > 1 and v != k and not chars.intersection(k):
                chars.update(k)
    bmp = sorted(c for c in chars if ord(c) <= 0xFFFF)  # astral ones: see _has_astral
    return re.compile("[" + "".join(re.escape(c) for c in bmp) + "]")


_TRADITIONAL = _traditional_test()


def _may_be_traditional(text: str) -> bool:
    if _TRADITIONAL is None:
        return True
    return _has_astral(text) or _TRADITIONAL.search(text) is not None


def _has_astral(text: str) -> bool:
    """Any character beyond U+FFFF (every one may be traditional): such a character takes two
    UTF-16 code units, a lone surrogate (passed through) one. ≈ 7× faster than a regex."""
    return len(text.encode("utf-16-le", "surrogatepass")) != 2 * len(text)


# The full-width characters of ordinary Chinese prose, each with its NFKD form. Replacing a
# character by its NFKD form leaves the NFKC of the text unchanged, and str.replace is ≈ 50×
# faster than unicodedata.normalize on CJK text; only what is then still not NFKC is normalised.
_COMMON_WIDE = tuple((c, unicodedata.normalize("NFKD", c)) for c in "，（）：；！？\u3000")


def _nfkc(text: str) -> str:
    if unicodedata.is_normalized("NFKC", text):
        return text
    for wide, narrow in _COMMON_WIDE:
        if wide in text:
            text = text.replace(wide, narrow)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return unicodedata.normalize("NFKC", text)


# Labels, lines and cells repeat from report to report and are worth remembering by the
# ten thousand. A paragraph, a section or a whole document is asked about a few times while
# one report is read and never again: those are kept only for the last few reports, so a
# long-running process (a district checking thousands of reports) does not hold every text
# it has read.
_SHORT_CHARS = 512


def normalize(text: str) -> str:
    """NFKC (full-width → half-width) and traditional → simplified; spacing kept."""
    if len(text) <= _SHORT_CHARS:
        return _normalize_short(text)
    return _normalize_long(text)


def label_key(text: str) -> str:
    """The form labels are compared in: normalised, without spaces, quotes or bookmarks."""
    if len(text) <= _SHORT_CHARS:
        return _label_key_short(text)
    return _label_key_long(text)


def _normalize(text: str) -> str:
    out = _nfkc(text)
    if not out.isascii() and _may_be_traditional(out):
        out = _t2s.convert(out)
    return out


def _label_key(text: str) -> str:
    # str.replace and str.split scan in C; translate and a regex cost ≈ 100 ns a character,
    # which tells on the whole-document key detect_format takes.
    out = normalize(text)
    for dash in _DASHES:
        if dash in out:
            out = out.replace(dash, "-")
    if "[" in out:
        out = _BOOKMARK.sub("", out)
    out = "".join(out.split())  # str.isspace is what \s matches
    for mark in _MARKS:
        if mark in out:
            out = out.replace(mark, "")
    return out.replace("、", ",").replace(";", ",")


_normalize_short = lru_cache(maxsize=65536)(_normalize)
_label_key_short = lru_cache(maxsize=65536)(_label_key)
_normalize_long = lru_cache(maxsize=64)(_normalize)
_label_key_long = lru_cache(maxsize=64)(_label_key)

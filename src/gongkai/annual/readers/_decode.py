"""Bytes → text for the readers of text and HTML: a byte-order mark first, then the charset
the file declares, then UTF-8, then GB18030 (GBK and GB2312 are its subsets, and pages that
claim those routinely hold characters only the superset has), then charset_normalizer."""

from __future__ import annotations

import codecs

from . import ReadError

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
         (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312-80": "gb18030", "x-gbk": "gb18030",
              "cp936": "gb18030", "euc-cn": "gb18030", "csgb2312": "gb18030", "x-euc-cn": "gb18030",
              "iso-8859-1": "cp1252", "latin1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252"}


def decode(data: bytes, declared: str | None = None, what: str = "文本") -> str:
    """The text of `data`; `declared` is the charset the file names, if any; `what` names the
    kind of file in the error ("文本", "网页")."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    tried = []
    if declared:
        declared = _SUPERSETS.get(declared.lower(), declared.lower())
        try:
            codecs.lookup(declared)
            tried.append(declared)
        except LookupError:
            pass
    for encoding in (*tried, "utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes  # noqa: PLC0415  (slow import, rarely needed)

    best = from_bytes(data).best()
    if best is None:
        raise ReadError("read.encoding", f"无法识别{what}的字符编码",
                        "cannot detect the character encoding")
    return str(best)

"""Readers: a file's bytes → AnnualReport, plus findings about the reading itself.

The type is sniffed from the content, not trusted from the name (a PNG named .pdf is refused
as what it is). Every failure is a ReadError with a reason in Chinese and in English; nothing
else escapes a reader."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from ..report import AnnualReport, Finding

# Larger inputs are refused before parsing: a real report is well under this.
MAX_INPUT_BYTES = 50 * 1024 * 1024


@dataclass
class ReadResult:
    report: AnnualReport
    findings: list[Finding] = field(default_factory=list)


class ReadError(Exception):
    """The file cannot be read as a report. `code` is stable (e.g. "read.not-found")."""

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(en)
        self.code, self.zh, self.en = code, zh, en

    def __str__(self) -> str:
        return f"{self.zh} ({self.en})"


def sniff(data: bytes, name: str = "") -> str:
    """The reader a file's content calls for: pdf, docx, xlsx, html, json or text."""
    head = data[:4096]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        from ._zip import zip_kind

        return zip_kind(data)
    if head.startswith(b"\x89PNG") or head[:3] == b"\xff\xd8\xff" or head[:4] in (b"GIF8", b"II*\x00", b"MM\x00*"):
        raise ReadError("read.image", "文件是图片，不是报告文本；请提供含文字的文件",
                        "file is an image, not a report")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError("read.ole", "不支持旧版 Word/Excel（.doc/.xls）或加密的 Office 文件，请另存为 .docx/.xlsx",
                        "legacy or encrypted OLE office file (.doc/.xls) is not supported")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return "json"
    lower = stripped[:512].lower()
    if lower.startswith((b"<!doctype html", b"<html", b"<?xml", b"<meta", b"<table", b"<head", b"<body")) \
            or b"<table" in data[:200000].lower():
        return "html"
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReadError("read.binary", "文件是二进制数据，不是可识别的报告格式",
                        "binary data of no supported type")
    return "text"


def read_bytes(data: bytes, name: str = "") -> ReadResult:
    if not data.strip():
        raise ReadError("read.empty", "文件为空", "file is empty")
    if len(data) > MAX_INPUT_BYTES:
        raise ReadError("read.too-large", f"文件过大（超过 {MAX_INPUT_BYTES // 1024 // 1024} MB）",
                        "file is larger than the input limit")
    kind = None
    try:
        kind = sniff(data, name)
        result = _read_as(kind, data, name)
    except ReadError as error:
        raise _misnamed(name, kind, error) or error from None
    result.report.source = name or result.report.source
    return result


def _read_as(kind: str, data: bytes, name: str) -> ReadResult:
    from . import READERS  # noqa: PLC0415  (the registry imports the readers lazily)

    try:
        return READERS[kind](data, name)
    except ReadError:
        raise
    except Exception as exc:  # a reader bug must still not reach the user as a traceback
        raise ReadError("read.malformed", f"文件已损坏或格式不正确（{kind}）",
                        f"malformed {kind} file: {type(exc).__name__}: {exc}") from exc


# Names that promise a binary format. A file whose content is another type is still read as
# what it is (a renamed report is a report); only when that fails is the name the likelier
# clue: "no table 三" or "unknown encoding" about a broken .pdf would send a clerk astray.
_PROMISED = {".pdf": ("pdf", "PDF"), ".docx": ("docx", "Word（.docx）"),
             ".xlsx": ("xlsx", "Excel（.xlsx）")}
_SAID_BETTER = {"read.image", "read.ole", "read.bad-zip", "read.zip-bomb", "read.encrypted"}


def _misnamed(name: str, found: str | None, error: ReadError) -> ReadError | None:
    """The error to give instead of `error` when the name promised another format than the
    content `found` (None: no format recognised)."""
    suffix = Path(name).suffix.lower() if name else ""
    if suffix not in _PROMISED or error.code in _SAID_BETTER:
        return None
    kind, label = _PROMISED[suffix]
    if found == kind:
        return None  # the content is that format, and its reader said what is wrong with it
    return ReadError("read.misnamed",
                     f"文件扩展名为 {suffix}，但内容不是{label}文件（文件可能已损坏，或扩展名有误）",
                     f"named {suffix} but the content is not a {kind} file ({error.en})")


def read(path: str | os.PathLike) -> ReadResult:
    p = Path(path)
    try:
        if p.is_dir():
            raise ReadError("read.is-directory", "这是一个目录，不是文件", "path is a directory")
        size = p.stat().st_size
        if size > MAX_INPUT_BYTES:
            raise ReadError("read.too-large", f"文件过大（超过 {MAX_INPUT_BYTES // 1024 // 1024} MB）",
                            "file is larger than the input limit")
        data = p.read_bytes()
    except FileNotFoundError:
        raise ReadError("read.not-found", "文件不存在", "file not found") from None
    except PermissionError:
        raise ReadError("read.permission", "没有读取该文件的权限", "permission denied") from None
    except IsADirectoryError:
        raise ReadError("read.is-directory", "这是一个目录，不是文件", "path is a directory") from None
    return read_bytes(data, str(path))


def _lazy(module: str, func: str):
    def call(data: bytes, name: str) -> ReadResult:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{module}"), func)(data, name)

    return call


READERS = {kind: _lazy(kind + "_reader", "read") for kind in ("pdf", "docx", "xlsx", "html", "json", "text")}

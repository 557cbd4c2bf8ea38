"""Telling DOCX from XLSX, and refusing zip bombs, before any parser opens the archive."""

from __future__ import annotations

import io
import zipfile

# A real report's parts are a few MB unpacked; a zip bomb claims gigabytes.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200


def zip_kind(data: bytes) -> str:
    from . import ReadError

    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ReadError("read.bad-zip", "文件已损坏（不是完整的 Office 文档）",
                        "corrupt or truncated zip/office file") from None
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UNPACKED_BYTES or (total > 10 * 1024 * 1024 and total / packed > MAX_RATIO):
        raise ReadError("read.zip-bomb", "压缩文档解压后过大，疑似恶意文件，已拒绝",
                        "archive expands too much (zip bomb)")
    names = {i.filename for i in infos}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "EncryptionInfo" in names:
        raise ReadError("read.encrypted", "文档已加密，无法读取", "encrypted office document")
    raise ReadError("read.unsupported", "不支持的压缩文件类型（仅支持 .docx 和 .xlsx）",
                    "unsupported zip content (only docx and xlsx)")

"""Hand-written PDF files for tests: objects numbered from 1, a cross-reference table, a
trailer. Enough for PDFium to open; what the objects say is the test's business."""

from __future__ import annotations


def pdf(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF of `objects` (object 1 the catalog); `trailer` adds entries to the trailer
    dictionary (e.g. b"/Encrypt 5 0 R /ID [<..> <..>]")."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b" >>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)

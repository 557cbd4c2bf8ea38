"""The national annual-report format, pure Python (no Django import).

    from gongkai.annual import read, write, check
    result = read("report.pdf")          # ReadResult(report, findings) or raises ReadError
    findings = check(result.report)       # cross-check rules
    write(result.report, "docx")          # bytes
"""

from .formats import FORMAT_2019, FORMAT_2021, FORMATS, Format
from .readers import ReadError, ReadResult, read, read_bytes
from .report import AnnualReport, Cell, Finding, Location
from .rules import check
from .writers import WRITERS, write

__all__ = [
    "FORMATS", "FORMAT_2019", "FORMAT_2021", "Format", "AnnualReport", "Cell", "Finding",
    "Location", "ReadError", "ReadResult", "read", "read_bytes", "check", "write", "WRITERS",
]

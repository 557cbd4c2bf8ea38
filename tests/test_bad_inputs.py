"""Hostile and malformed inputs to `gongkai check` and `gongkai convert`: each gives exit 2 and
exactly one line a person can act on (Chinese) and a log can keep (English), never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from gongkai.cli import main
from minipdf import pdf

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
GONGKAI = ROOT / ".venv" / "bin" / "gongkai"


def _one_clear_line(text: str, name: str) -> str:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    assert len(lines) == 1, lines
    line = lines[0]
    assert line.startswith(f"{name}: "), line
    assert CJK.search(line) and LATIN_WORD.search(line), line
    return line


def _refused(capsys, path: Path, *extra: str) -> str:
    """`check` refuses the file: exit 2, one line on stdout; `convert` likewise on stderr."""
    assert main(["check", str(path), *extra]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    line = _one_clear_line(out, str(path))
    assert main(["convert", str(path), "--to", "txt", "-o", "-"]) == 2
    out2, err2 = capsys.readouterr()
    assert out2 == "" and "Traceback" not in err2
    assert _one_clear_line(err2, str(path)) == line
    return line


# -- the file system -------------------------------------------------------------------------

def test_missing_file(capsys, tmp_path):
    line = _refused(capsys, tmp_path / "nowhere.pdf")
    assert "文件不存在" in line and "not found" in line


def test_directory(capsys, tmp_path):
    line = _refused(capsys, tmp_path)
    assert "目录" in line and "directory" in line


def test_empty_file(capsys, tmp_path):
    p = tmp_path / "empty.txt"
    p.write_bytes(b"")
    line = _refused(capsys, p)
    assert "为空" in line and "empty" in line


def test_whitespace_only_file_counts_as_empty(capsys, tmp_path):
    p = tmp_path / "blank.txt"
    p.write_bytes(b"  \r\n\t\n")
    assert "empty" in _refused(capsys, p)


def test_huge_sparse_file_is_refused_by_size_without_reading(capsys, tmp_path):
    p = tmp_path / "huge.pdf"
    with p.open("wb") as fh:
        fh.truncate(60 * 1024 * 1024)  # sparse: no 60 MB written to disk
    line = _refused(capsys, p)
    assert "过大" in line and "larger" in line


# -- content that is not what its name says ------------------------------------------------

def test_binary_garbage(capsys, tmp_path):
    p = tmp_path / "garbage.txt"
    p.write_bytes(b"\x00\x01\x02\xfe" + bytes(range(256)) * 40)
    assert "binary" in _refused(capsys, p)


def test_png_named_pdf(capsys, tmp_path):
    p = tmp_path / "scan.pdf"
    p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 200)
    line = _refused(capsys, p)
    assert "图片" in line and "image" in line


def test_truncated_docx(capsys, tmp_path):
    data = (SAMPLES / "national-template-2021.docx").read_bytes()
    p = tmp_path / "cut.docx"
    p.write_bytes(data[: len(data) // 2])
    assert "损坏" in _refused(capsys, p)


def test_truncated_pdf(capsys, tmp_path):
    data = (SAMPLES / "real" / "hongze-district-2023.pdf").read_bytes()
    p = tmp_path / "cut.pdf"
    p.write_bytes(data[: len(data) // 3])
    line = _refused(capsys, p)
    assert "不完整" in line and "truncated" in line


def _encrypted_pdf() -> bytes:
    """A one-page PDF under the standard security handler whose user password is not empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
               b"<< /Filter /Standard /V 1 /R 2 /P -44 /O <" + b"ab" * 32 + b"> /U <"
               + b"cd" * 32 + b"> >>"]
    return pdf(objects, b"/Encrypt 4 0 R /ID [<%s> <%s>]" % (b"01" * 16, b"01" * 16))


def test_encrypted_pdf(capsys, tmp_path):
    p = tmp_path / "locked.pdf"
    p.write_bytes(_encrypted_pdf())
    line = _refused(capsys, p)
    assert "加密" in line and "encrypted" in line


def test_zip_bomb_named_docx_is_refused_without_unpacking(capsys, tmp_path):
    p = tmp_path / "bomb.docx"
    chunk = b"\x00" * (1024 * 1024)
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z, \
            z.open("word/document.xml", "w", force_zip64=True) as member:
        for _ in range(300):
            member.write(chunk)
    assert p.stat().st_size < 5 * 1024 * 1024  # the point of a bomb: small outside
    line = _refused(capsys, p)
    assert "zip bomb" in line


def test_text_without_table_three(capsys, tmp_path):
    p = tmp_path / "notice.txt"
    p.write_text("关于做好年度工作的通知\n各单位：\n请按要求于月底前报送材料。\n", encoding="utf-8")
    line = _refused(capsys, p)
    assert "表三" in line and "table 3" in line


def test_text_in_no_valid_encoding(capsys, tmp_path):
    # Invalid as UTF-8 and as GBK (0x81 must be followed by 0x40–0xFE in GBK).
    p = tmp_path / "mojibake.txt"
    p.write_bytes(b"\x81\x20\xff\x80\xfe\x30" * 200)
    line = _refused(capsys, p)
    assert "编码" in line and "encoding" in line


# -- several files ---------------------------------------------------------------------------

def test_one_unreadable_among_several_still_reports_the_others(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    png = tmp_path / "scan.pdf"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    missing = tmp_path / "missing.docx"
    assert main(["check", str(empty), str(missing), str(png)]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert [ln.split(": ")[0] for ln in lines] == [str(empty), str(missing), str(png)]
    assert "3 unreadable" in err and "Traceback" not in out + err


def test_json_format_reports_unreadable_file_as_error_object(capsys, tmp_path):
    import json

    missing = tmp_path / "missing.pdf"
    assert main(["check", "--format", "json", str(missing), str(missing)]) == 2
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert [d["error"]["code"] for d in doc] == ["read.not-found", "read.not-found"]
    assert doc[0]["file"] == str(missing) and doc[0]["error"]["message"] == "文件不存在"
    assert "Traceback" not in err


def test_previous_unreadable_exits_2(capsys, tmp_path):
    assert main(["check", str(tmp_path / "a.txt"), "--previous", str(tmp_path / "b.txt")]) == 2
    out, _ = capsys.readouterr()
    _one_clear_line(out, str(tmp_path / "b.txt"))


def test_usage_error_exits_2_without_traceback(capsys):
    assert main(["check", "--format", "yaml", "x.txt"]) == 2
    assert main(["convert", "x.txt"]) == 2  # --to is required
    _, err = capsys.readouterr()
    assert "usage:" in err and "Traceback" not in err


# -- the installed entry point -----------------------------------------------------------

@pytest.mark.parametrize("command", [["check"], ["convert", "--to", "json"]])
def test_installed_entry_point_exits_2_with_one_line(tmp_path, command):
    p = tmp_path / "scan.pdf"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    proc = subprocess.run([str(GONGKAI), command[0], str(p), *command[1:]], capture_output=True,
                          text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 2, proc
    assert "Traceback" not in proc.stdout + proc.stderr
    stream = proc.stdout if command == ["check"] else proc.stderr
    line = _one_clear_line(stream, str(p))
    assert "图片" in line and "image" in line
    assert not list(tmp_path.glob("scan.json"))  # nothing written for a refused input


def test_entry_point_module_runs_as_python_m(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "check", str(tmp_path / "x.pdf")],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "file not found" in proc.stdout


# -- a name that promises another format ---------------------------------------------------

@pytest.mark.parametrize(("name", "data"), [
    ("report.pdf", b"junk"),
    ("report.pdf", bytes(range(256)) * 4),
    ("report.docx", "这不是Word文件".encode()),
    ("report.xlsx", b"<html><body><p>not a sheet</p></body></html>"),
    ("report.pdf", b"{\"not\": \"a report\"}"),
])
def test_content_that_is_not_what_the_name_promises(capsys, tmp_path, name, data):
    p = tmp_path / name
    p.write_bytes(data)
    line = _refused(capsys, p)
    assert "扩展名为" in line and "not a" in line


def test_a_renamed_report_that_reads_is_still_read(capsys, tmp_path):
    p = tmp_path / "seed.pdf"  # the seed's text under a PDF name: read as what it is
    p.write_bytes((SAMPLES / "seed-yipingyuan-2021.txt").read_bytes())
    assert main(["check", str(p)]) == 0
    assert "Traceback" not in "".join(capsys.readouterr())


def test_a_real_pdf_without_table_three_says_so(capsys, tmp_path):
    # A PDF that is a PDF keeps its reader's reason, not the misnamed one.
    import weasyprint  # noqa: PLC0415

    p = tmp_path / "notice.pdf"
    p.write_bytes(weasyprint.HTML(string="<p>关于召开会议的通知：请各单位准时参加。</p>" * 20).write_pdf())
    line = _refused(capsys, p)
    assert "扩展名为" not in line and "表三" in line and "table 3" in line

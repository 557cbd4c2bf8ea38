"""`gongkai convert`: default output name, "-o -", never overwriting the input, writer errors."""

from __future__ import annotations

import os
import subprocess

from conftest import ROOT, SAMPLES
from gongkai.annual import AnnualReport, read, write
from gongkai.cli import main

SEED = SAMPLES / "seed-yipingyuan-2021.txt"
GONGKAI = ROOT / ".venv" / "bin" / "gongkai"


def _report() -> AnnualReport:
    report = AnnualReport.zeros("2021", agency="测试乡人民政府", year=2023)
    for column, n in (("natural_person", 4), ("commercial", 1), ("total", 5)):
        report.set("applications", "received", column, n)
        report.set("applications", "granted", column, n)
        report.set("applications", "handled_total", column, n)
    return report


def test_default_output_is_stem_with_new_suffix_in_current_directory(capsys, tmp_path, monkeypatch):
    src_dir, work = tmp_path / "in", tmp_path / "work"
    src_dir.mkdir()
    work.mkdir()
    src = src_dir / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    monkeypatch.chdir(work)
    assert main(["convert", str(src), "--to", "html"]) == 0
    out = work / "report.html"
    assert out.exists() and not (src_dir / "report.html").exists()
    assert str(out) in capsys.readouterr().err
    assert b"<table" in out.read_bytes().lower()


def test_converted_docx_keeps_every_number(tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    out = tmp_path / "copy.docx"
    assert main(["convert", str(src), "--to", "docx", "-o", str(out)]) == 0
    back = read(out).report
    assert back.value("applications", "received", "natural_person") == 4
    assert back.value("applications", "handled_total", "total") == 5
    assert back.agency == "测试乡人民政府" and back.year == 2023


def test_seed_text_converts_to_docx_with_its_numbers(tmp_path):
    out = tmp_path / "seed.docx"
    assert main(["convert", str(SEED), "--to", "docx", "-o", str(out)]) == 0
    original, back = read(SEED).report, read(out).report
    numbers = {a: c.value for a, c in original.cells.items() if c.value is not None}
    assert numbers and {a: back.cells[a].value for a in numbers} == numbers


def test_dash_o_dash_writes_bytes_to_stdout(capsysbinary, tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    assert main(["convert", str(src), "--to", "docx", "-o", "-"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"PK\x03\x04")
    assert not list(tmp_path.glob("*.docx.*"))  # no stray temporary file


def test_refuses_to_overwrite_the_input(capsys, tmp_path, monkeypatch):
    src = tmp_path / "report.docx"
    data = write(_report(), "docx")
    src.write_bytes(data)
    monkeypatch.chdir(tmp_path)
    # Both the default name (same stem, same suffix, same directory) and an explicit -o.
    assert main(["convert", "report.docx", "--to", "docx"]) == 2
    assert main(["convert", str(src), "--to", "docx", "-o", str(tmp_path / "." / "report.docx")]) == 2
    err = capsys.readouterr().err
    assert err.count("拒绝覆盖") == 2 and "overwrite the input" in err
    assert src.read_bytes() == data


def test_refuses_to_overwrite_the_input_through_a_link(capsys, tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    os.link(src, tmp_path / "alias.docx")
    assert main(["convert", str(src), "--to", "docx", "-o", str(tmp_path / "alias.docx")]) == 2
    assert "overwrite the input" in capsys.readouterr().err


def test_replaces_an_existing_output_file(tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    out = tmp_path / "out.html"
    out.write_text("old")
    assert main(["convert", str(src), "--to", "html", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") != "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.html", "report.docx"]


def test_unwritable_output_directory_exits_2_with_one_line(capsys, tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    assert main(["convert", str(src), "--to", "html", "-o", str(tmp_path / "no" / "x.html")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "无法写入" in err and "cannot write" in err


def test_pdf_without_cjk_font_exits_2_with_the_writers_reason(tmp_path):
    # With no fontconfig on PATH the PDF writer finds no Chinese font and must refuse.
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    proc = subprocess.run([str(GONGKAI), "convert", str(src), "--to", "pdf"], cwd=tmp_path,
                          env={**os.environ, "PATH": str(tmp_path / "empty")},
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    [line] = proc.stderr.splitlines()
    assert line.startswith(f"{src}: 无法转换为 pdf：") and "中文字体" in line and "CJK font" in line
    assert not (tmp_path / "report.pdf").exists()


def test_installed_entry_point_converts(tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    proc = subprocess.run([str(GONGKAI), "convert", str(src), "--to", "html", "-o", "-"],
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "测试乡人民政府".encode() in proc.stdout


def test_to_json_is_the_report_json_shape_with_findings(capsys):
    import json

    assert main(["convert", str(SEED), "--to", "json", "-o", "-"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["agency"] == "一平垣乡" and doc["year"] == 2021 and doc["format"] == "2021"
    assert len(doc["tables"]["applications"]["received"]) == 7
    assert isinstance(doc["findings"], list)
    assert not [f for f in doc["findings"] if f["severity"] == "error"]


def test_every_target_from_a_text_report(tmp_path):
    for target, magic in (("txt", "一平垣乡".encode()), ("html", b"<!DOCTYPE html"),
                          ("docx", b"PK\x03\x04"), ("json", b"{")):
        out = tmp_path / f"seed.{target}"
        assert main(["convert", str(SEED), "--to", target, "-o", str(out)]) == 0, target
        assert magic in out.read_bytes()[:4096], target


def test_output_file_gets_the_usual_mode_not_a_private_one(tmp_path):
    src = tmp_path / "report.docx"
    src.write_bytes(write(_report(), "docx"))
    umask = os.umask(0o022)
    try:
        assert main(["convert", str(src), "--to", "txt", "-o", str(tmp_path / "out.txt")]) == 0
    finally:
        os.umask(umask)
    assert (tmp_path / "out.txt").stat().st_mode & 0o777 == 0o644

"""`gongkai check`: linter lines, exit status 0/1/2, JSON output, progress."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES
from gongkai.annual import AnnualReport, write
from gongkai.cli import main

SEED = SAMPLES / "seed-yipingyuan-2021.txt"
GONGKAI = ROOT / ".venv" / "bin" / "gongkai"
LINE = re.compile(r"^(?P<file>.+?): (?P<code>[A-Z0-9]+(?:-[A-Za-z0-9]+)*) "
                  r"(?P<severity>error|warning|info) (?P<message>\S.*)$")


def _broken(tmp_path: Path, to: str = "docx") -> Path:
    """A report whose 表三 total column says 5 new applications while every part says 0."""
    report = AnnualReport.zeros("2021", agency="测试乡人民政府", year=2023)
    report.set("applications", "received", "total", 5)
    path = tmp_path / f"broken.{to}"
    path.write_bytes(write(report, to))
    return path


def _consistent(tmp_path: Path, name: str = "ok", to: str = "docx", year: int = 2023,
                **cells) -> Path:
    report = AnnualReport.zeros("2021", agency="测试乡人民政府", year=year)
    for address, value in cells.items():
        report.set(*address.split("__"), value)
    path = tmp_path / f"{name}.{to}"
    path.write_bytes(write(report, to))
    return path


def test_seed_report_checks_clean(capsys):
    assert main(["check", str(SEED)]) == 0
    out, err = capsys.readouterr()
    assert not [ln for ln in out.splitlines() if " error " in ln], out
    assert "checked 1 file: 0 errors" in err


def test_broken_sums_exit_1_with_linter_lines(capsys, tmp_path):
    path = _broken(tmp_path)
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    parsed = [LINE.match(ln) for ln in out.splitlines()]
    assert all(parsed), out  # every line is FILE: CODE severity message
    errors = [m for m in parsed if m["severity"] == "error"]
    assert {m["file"] for m in errors} == {str(path)}
    assert {"T3-R1", "T3-R4"} <= {m["code"] for m in errors}
    assert any("表三" in m["message"] for m in errors)
    assert re.search(r"checked 1 file: [1-9]\d* errors?", err)


def test_one_broken_among_clean_files_exits_1(capsys, tmp_path):
    ok = _consistent(tmp_path)
    assert main(["check", str(ok), str(_broken(tmp_path)), str(SEED)]) == 1
    out, _ = capsys.readouterr()
    assert not [ln for ln in out.splitlines() if ln.startswith(f"{ok}: ") and " error " in ln]


def test_unreadable_wins_over_errors(capsys, tmp_path):
    assert main(["check", str(_broken(tmp_path)), str(tmp_path / "missing.txt")]) == 2
    out, err = capsys.readouterr()
    assert " T3-R1 error " in out and "file not found" in out
    assert "1 unreadable" in err


def test_json_single_file_is_one_report_json_object(capsys, tmp_path):
    path = _broken(tmp_path)
    assert main(["check", "--format", "json", str(path)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert isinstance(doc, dict)
    assert {"file", "agency", "year", "format", "sections", "tables", "findings"} <= doc.keys()
    assert doc["file"] == str(path) and doc["agency"] == "测试乡人民政府" and doc["year"] == 2023
    received = doc["tables"]["applications"]["received"]
    assert received["total"] == 5 and received["natural_person"] == 0 and len(received) == 7
    r1 = [f for f in doc["findings"] if f["code"] == "T3-R1"]
    assert r1 and r1[0]["severity"] == "error" and "applications.received.total" in r1[0]["cells"]


def test_json_several_files_is_an_array_in_order(capsys, tmp_path):
    a, b = _consistent(tmp_path, "a"), _broken(tmp_path)
    assert main(["check", "--format", "json", str(a), str(b)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [d["file"] for d in doc] == [str(a), str(b)]
    assert not [f for f in doc[0]["findings"] if f["severity"] == "error"]


def test_previous_year_carry_over_is_compared(capsys, tmp_path):
    prev = _consistent(tmp_path, "prev", year=2022,
                       applications__received__natural_person=3, applications__received__total=3,
                       applications__carried_out__natural_person=3,
                       applications__carried_out__total=3)
    this = _consistent(tmp_path, "this")  # carries in 0 where last year carried out 3
    assert main(["check", str(this)]) == 0
    assert " X1 " not in capsys.readouterr().out
    # A carry-over mismatch is a warning (a late correction may explain it): still exit 0.
    assert main(["check", str(this), "--previous", str(prev)]) == 0
    out, _ = capsys.readouterr()
    assert re.search(rf"^{re.escape(str(this))}: X1 warning \S", out, re.M), out


def test_progress_shown_for_many_files(capsys, tmp_path):
    ok = _consistent(tmp_path)
    assert main(["check", *[str(ok)] * 21]) == 0
    _, err = capsys.readouterr()
    assert "[1/21]" in err and "[21/21]" in err
    assert main(["check", str(ok)]) == 0
    assert "[1/1]" not in capsys.readouterr().err  # few files, not a terminal: quiet


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_installed_entry_point_checks_the_seed(fmt):
    proc = subprocess.run([str(GONGKAI), "check", "--format", fmt, str(SEED)], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    if fmt == "json":
        doc = json.loads(proc.stdout)
        assert doc["agency"] == "一平垣乡" and doc["year"] == 2021 and doc["format"] == "2021"
        assert set(doc["sections"]) == {"1", "2", "3", "4", "5", "6"}


def test_installed_entry_point_exits_1_on_errors(tmp_path):
    path = _broken(tmp_path)
    proc = subprocess.run([str(GONGKAI), "check", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 1 and f"{path}: T3-R1 error " in proc.stdout


def test_a_rule_crashing_on_one_file_is_one_line_and_the_rest_still_checked(capsys, tmp_path,
                                                                           monkeypatch):
    import gongkai.commands.check as command

    ok, bad = _consistent(tmp_path, "ok"), _consistent(tmp_path, "bad")

    def fragile(report, previous=None):
        if report.source == str(bad):
            raise ZeroDivisionError("division by zero")
        return []

    monkeypatch.setattr(command, "check", fragile)
    assert main(["check", str(bad), str(ok)]) == 2
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{bad}: 内部错误，无法检查该文件 (internal error: "
                                "ZeroDivisionError: division by zero)"]
    assert "checked 2 files" in err and "Traceback" not in out + err


def test_real_published_pdfs_through_the_entry_point():
    # hongze-2023 printed 0 in 表四's 总计 cells beside non-zero parts: a real error (expected.json).
    real = sorted((SAMPLES / "real").glob("*.pdf"))
    proc = subprocess.run([str(GONGKAI), "check", *map(str, real)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    errors = [LINE.match(ln) for ln in proc.stdout.splitlines() if " error " in ln]
    assert errors and all(m and m["code"] == "T4-R5" for m in errors), proc.stdout
    assert {Path(m["file"]).name for m in errors} == {"hongze-district-2023.pdf"}
    assert f"checked {len(real)} files: {len(errors)} errors" in proc.stderr


def test_reads_standard_input_when_file_is_dash():
    proc = subprocess.run([str(GONGKAI), "check", "-"], input=SEED.read_bytes(),
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"checked 1 file: 0 errors" in proc.stderr


def test_closed_pipe_ends_quietly():
    # 20 reports of JSON are far more than a pipe buffers, so the write must hit the closed pipe.
    proc = subprocess.Popen([str(GONGKAI), "check", "--format", "json", *[str(SEED)] * 20],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(10).startswith(b"[")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 141
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_multi_line_messages_stay_one_linter_line(capsys, tmp_path, monkeypatch):
    import gongkai.commands.check as command
    from gongkai.annual import Finding

    monkeypatch.setattr(command, "check", lambda report, previous=None: [
        Finding("N1", "warning", "“受理申请\n17件”与表三不一致")])
    path = _consistent(tmp_path)
    assert main(["check", str(path)]) == 0
    assert capsys.readouterr().out.splitlines() == [f"{path}: N1 warning “受理申请 17件”与表三不一致"]

"""`gongkai workdays` and `gongkai fees` as a user runs them."""

import json
import subprocess
import sys

import pytest

from gongkai.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_workdays_add_text(capsys):
    code, out, _ = run(capsys, "workdays", "add", "2025-09-26", "20")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "2025-10-30"
    assert "跳过10-01…10-08" in lines[1]
    assert "2025-10-06" in lines[2]  # skipped days listed in full
    assert lines[3].endswith("2025-09-28、2025-10-11")


def test_workdays_add_json(capsys):
    code, out, _ = run(capsys, "workdays", "add", "2025-09-27", "1", "--format", "json")
    assert code == 0
    obj = json.loads(out)
    assert {"start", "working_days", "due", "provisional", "skipped", "make_up_days"} <= obj.keys()
    assert obj["due"] == "2025-09-28" and obj["make_up_days"] == ["2025-09-28"]
    assert obj["skipped"] == [] and obj["provisional"] is False


def test_workdays_provisional_year(capsys):
    code, out, _ = run(capsys, "workdays", "add", "2026-12-20", "20", "--format", "json")
    obj = json.loads(out)
    assert code == 0 and obj["provisional"] is True and obj["unknown_years"] == [2027]
    assert "暂定" in obj["explanation"]


def test_workdays_with_override_file(capsys, tmp_path):
    f = tmp_path / "2027.csv"
    f.write_text("2027,year,\n2027-01-01,holiday,元旦\n", encoding="utf-8")
    code, out, _ = run(capsys, "workdays", "add", "2026-12-20", "20", "--overrides", str(f),
                       "--format", "json")
    obj = json.loads(out)
    assert code == 0 and obj["provisional"] is False and obj["due"] == "2027-01-18"


@pytest.mark.parametrize(
    "argv, zh",
    [
        (["workdays"], "参数错误"),
        (["workdays", "add"], "参数错误"),
        (["workdays", "add", "2025-02-30", "3"], "日期"),
        (["workdays", "add", "2025-09-26", "x"], "工作日数"),
        (["workdays", "add", "2025-09-26", "-1"], "工作日数"),
        (["workdays", "add", "2025-09-26", "99999999"], "工作日数"),
        (["workdays", "add", "9999-12-01", "100"], "超出"),
        (["workdays", "add", "2025-09-26", "3", "--overrides", "/nonexistent.csv"], "调整表"),
        (["workdays", "add", "2025-09-26", "3", "--format", "xml"], "参数错误"),
        (["fees"], "参数错误"),
        (["fees", "pages"], "参数错误"),
        (["fees", "pages", "-3"], "页数"),
        (["fees", "pages", "lots"], "页数"),
        (["fees", "pages", "10000000"], "页数"),
        (["fees", "per-application", "0"], "申请序号"),
        (["fees", "per-application", "1.5"], "申请序号"),
        (["fees", "by-weight", "3"], "参数错误"),
    ],
)
def test_bad_arguments_exit_2_with_one_bilingual_line(capsys, argv, zh):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and zh in lines[0]
    assert "(" in lines[0] and "Traceback" not in err  # the English part for logs


def test_bad_override_file_content(capsys, tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("2027-01-01,vacation,x\n", encoding="utf-8")
    code, _, err = run(capsys, "workdays", "add", "2026-12-20", "3", "--overrides", str(f))
    assert code == 2 and "类型" in err and "vacation" in err


@pytest.mark.parametrize(
    "argv, first_line, fee",
    [
        (["fees", "pages", "250"], "4700元", 4700),
        (["fees", "pages", "30"], "0元", 0),
        (["fees", "per-application", "11"], "100元", 100),
        (["fees", "per-application", "31"], "200元", 200),
    ],
)
def test_fees(capsys, argv, first_line, fee):
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.splitlines()[0] == first_line
    code, out, _ = run(capsys, *argv, "--format", "json")
    obj = json.loads(out)
    assert code == 0 and obj["fee_yuan"] == fee
    assert sum(t["subtotal_yuan"] for t in obj["tiers"]) == fee


def test_fees_text_lists_tiers(capsys):
    _, out, _ = run(capsys, "fees", "pages", "250")
    assert "101–200页：100页 × 20元 = 2000元" in out.splitlines()


def test_help_exits_0(capsys):
    assert main(["fees", "--help"]) == 0
    assert "per-application" in capsys.readouterr().out


def test_entry_point_runs_without_django_settings():
    r = subprocess.run([sys.executable, "-m", "gongkai.cli", "fees", "pages", "31"],
                       capture_output=True, text=True, env={"PATH": ""}, timeout=60)
    assert r.returncode == 0 and r.stdout.splitlines()[0] == "10元"

"""A report of realistic size for benchmarks: every table filled with plausible, consistent
numbers and about 3000 characters of section text, like a district office's real report.

Every row and column comes from the format data; nothing here spells a label."""

from __future__ import annotations

import random
from decimal import Decimal

from gongkai.annual import FORMAT_2021, AnnualReport

# Plain prose of the kind every report's sections hold; repeated and varied to ~500 chars each.
_SENTENCES = (
    "我区坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国政府信息公开条例》，",
    "围绕区委、区政府中心工作，持续深化政务公开，不断提升政府透明度和公信力。",
    "全年通过政府门户网站主动公开各类政府信息一千二百余条，其中政策文件八十六件、政策解读四十二篇。",
    "依申请公开工作严格按照法定程序和期限办理，做到受理、审查、答复各环节有据可查。",
    "加强政府信息公开平台建设，优化栏目设置，完善检索功能，方便公众查阅。",
    "组织开展政务公开业务培训三次，参训人员一百五十余人次，工作人员业务水平进一步提高。",
    "同时也存在一些问题：部分单位公开内容更新不够及时，政策解读形式较为单一。",
    "下一步，我们将进一步完善工作机制，加强督促检查，推动政务公开工作高质量发展。",
)


def _section_text(rng: random.Random, chars: int = 500) -> str:
    out: list[str] = []
    while sum(map(len, out)) < chars:
        out.append(rng.choice(_SENTENCES))
    return "".join(out)


def _fill_applications(report: AnnualReport, rng: random.Random) -> None:
    t = FORMAT_2021.table("applications")
    rows = [r.key for r in t.layout()]
    firsts = {"received", "carried_in", "handled_total", "carried_out"}
    results = [k for k in rows if k not in firsts]
    columns = [c.key for c in t.blocks[0].columns]
    per_column: dict[str, dict[str, int]] = {}
    for col in columns[:-1]:
        received, carried_in = rng.randint(0, 120), rng.randint(0, 8)
        carried_out = rng.randint(0, min(6, received + carried_in))
        handled = received + carried_in - carried_out
        counts = dict.fromkeys(results, 0)
        for _ in range(handled):  # outcomes skewed towards the first rows, as in real reports
            counts[results[min(int(rng.expovariate(0.35)), len(results) - 1)]] += 1
        per_column[col] = {"received": received, "carried_in": carried_in,
                           "handled_total": handled, "carried_out": carried_out, **counts}
    for row in rows:
        for col in columns[:-1]:
            report.set("applications", row, col, per_column[col][row])
        report.set("applications", row, columns[-1], sum(per_column[c][row] for c in columns[:-1]))


def _fill_disputes(report: AnnualReport, rng: random.Random) -> None:
    t = FORMAT_2021.table("disputes")
    columns = [c.key for c in t.blocks[0].columns]
    for r in t.rows:
        parts = [rng.randint(0, 5) for _ in columns[:-1]]
        for col, v in zip(columns, [*parts, sum(parts)], strict=True):
            report.set("disputes", r.key, col, v)


def _fill_proactive(report: AnnualReport, rng: random.Random) -> None:
    for r, c in FORMAT_2021.table("proactive").cells():
        value = Decimal(rng.randint(0, 9999)) / 100 if c.kind == "decimal" else rng.randint(0, 3000)
        report.set("proactive", r.key, c.key, value)


def realistic_report(seed: int = 2021) -> AnnualReport:
    rng = random.Random(seed)
    report = AnnualReport.zeros("2021", agency="示例区人民政府", year=2023,
                                title="示例区人民政府2023年政府信息公开工作年度报告")
    report.preamble = "本报告根据《中华人民共和国政府信息公开条例》要求编制，数据统计期限为2023年1月1日至12月31日。"
    for n in range(1, 7):
        report.sections[n] = _section_text(rng)
        report.section_order.append(n)
    _fill_proactive(report, rng)
    _fill_applications(report, rng)
    _fill_disputes(report, rng)
    return report

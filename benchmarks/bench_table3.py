"""Table 三 from 1,000,000 applications over 10,000 agencies, in PostgreSQL.

    .venv/bin/python benchmarks/bench_table3.py [--applications 1000000] [--repeat 7]

Builds (once; kept between runs) a database `gongkai_bench` with a province of 10,000
agencies and N applications over 2024–2025, ~90 % of them closed by an answer event, then
times `gongkai.applications.statistics.table3` for the whole province and for one township
against a hand-written SQL GROUP BY computing the same counts, in the same run. The ratio
table3 / hand-written is what to watch (target ≤ 1.5×).

Fair to both: DEBUG is off (no query logging); the hand-written query narrows by the same
predicate the caller gives table3 (the subtree's agencies by path, or the one agency) and
fetches its rows to Python, while table3 also builds the report table; both give the same
counts (checked before timing). The two are timed alternately, call by call, so that a busy
machine slows both alike: median of --repeat calls each for the province, of 20 × --repeat
for the township (about a millisecond a call)."""

from __future__ import annotations

import argparse
import os
import statistics as stats
import sys
import time

PG_ADMIN_URL = os.environ.get("GONGKAI_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
DB = "gongkai_bench"


def ensure_database() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DB,)).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DB} TEMPLATE template0 ENCODING 'UTF8' "
                         "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'")
    os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + DB
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.site.settings")
    os.environ["GONGKAI_DEBUG"] = "0"  # DEBUG would log every query
    os.environ.setdefault("GONGKAI_SECRET_KEY", "bench")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def populate(n_apps: int) -> None:
    from django.db import connection

    from gongkai import clock
    from gongkai.applications.models import Application

    if Application.objects.count() == n_apps:
        return
    outcomes = list(clock.OUTCOMES)
    types = ["natural_person"] * 14 + ["commercial", "research", "public_welfare",
                                        "legal_service", "other_org", "commercial"]
    print(f"populating {n_apps:,} applications over 10,000 agencies …", file=sys.stderr)
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("TRUNCATE applications_applicationevent, applications_attachment, "
                  "applications_application, audit_auditevent, reports_importedreport, "
                  "agencies_membership, agencies_agency RESTART IDENTITY CASCADE")
        # 1 province, 99 districts, 9,900 townships (100 per district): 10,000 agencies.
        c.execute("INSERT INTO agencies_agency (id, name, kind, parent_id, path, office_address, "
                  "office_phone, office_hours, letterhead) VALUES "
                  "(1, '某省', 'province', NULL, '/1/', '', '', '', '')")
        c.execute("INSERT INTO agencies_agency (id, name, kind, parent_id, path, office_address, "
                  "office_phone, office_hours, letterhead) "
                  "SELECT d, '区' || d, 'district', 1, '/1/' || d || '/', '', '', '', '' "
                  "FROM generate_series(2, 100) d")
        c.execute("INSERT INTO agencies_agency (id, name, kind, parent_id, path, office_address, "
                  "office_phone, office_hours, letterhead) "
                  "SELECT t, '乡' || t, 'township', 2 + (t - 101) / 100, "
                  "'/1/' || (2 + (t - 101) / 100) || '/' || t || '/', '', '', '', '' "
                  "FROM generate_series(101, 10000) t")
        c.execute("SELECT setval(pg_get_serial_sequence('agencies_agency', 'id'), 10000)")
        c.execute(
            "INSERT INTO applications_application (agency_id, year, seq, applicant_type, name, "
            "contact_person, id_type, id_number, phone, address, email, channel, received_on, "
            "request, purpose, form_requested, delivery, fee_method, tracking_number, "
            "query_code_hash, created_at) "
            "SELECT (101 + (i * 7919) %% 9900)::int, extract(year FROM r)::int, i, "
            "(%s::text[])[1 + (i * 31) %% 20], '申请人', '', 'resident_id', '', '', '', '', "
            "'online', r, '申请内容', '', '', '', '', 'B' || i, '', now() "
            "FROM (SELECT i, date '2024-01-01' + ((i * 104729) %% 731)::int AS r "
            "      FROM generate_series(1::bigint, %s) i) s",
            [types, n_apps])
        c.execute(
            "INSERT INTO applications_applicationevent (application_id, kind, date, outcome, "
            "data, note, recorded_at) "
            "SELECT id, 'answered', received_on + (id %% 41)::int, "
            "(%s::text[])[1 + (id * 13) %% %s], '{}', '', now() "
            "FROM applications_application WHERE id %% 10 <> 0",
            [[o for o in outcomes if o not in clock.AUTOMATIC_OUTCOMES],
             len([o for o in outcomes if o not in clock.AUTOMATIC_OUTCOMES])])
        c.execute("ANALYZE")
    print(f"  done in {time.perf_counter() - t0:.1f} s", file=sys.stderr)


HAND_SQL = """
SELECT a.applicant_type, e.outcome,
       count(*) FILTER (WHERE a.received_on >= %(start)s) AS received,
       count(*) FILTER (WHERE a.received_on < %(start)s
                          AND (e.id IS NULL OR e.date >= %(start)s)) AS carried_in,
       count(*) FILTER (WHERE e.id IS NULL OR e.date > %(end)s) AS carried_out,
       count(*) FILTER (WHERE e.date BETWEEN %(start)s AND %(end)s) AS closed
FROM applications_application a
LEFT JOIN applications_applicationevent e
       ON e.application_id = a.id AND e.kind IN ('answered', 'abandoned', 'fee_lapsed', 'withdrawn')
WHERE {where} AND a.received_on <= %(end)s
GROUP BY a.applicant_type, e.outcome
"""


def hand_written(where: str, params: dict) -> list:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(HAND_SQL.format(where=where), params)
        return c.fetchall()


def same_counts(report, rows: list) -> bool:
    """Every applicant column of every row of the report's table 三 holds the hand-written
    query's count (the 2021 format: an outcome is the key of its row)."""
    from gongkai.annual.formats import APPLICANT_PARTS

    expected: dict[tuple[str, str], int] = {}
    for kind, outcome, received, carried_in, carried_out, closed in rows:
        for key, n in (("received", received), ("carried_in", carried_in),
                       ("carried_out", carried_out), ("handled_total", closed), (outcome, closed)):
            expected[key, kind] = expected.get((key, kind), 0) + n
    return all(report.value("applications", row.key, kind) == expected.get((row.key, kind), 0)
               for row in report.layout("applications") for kind in APPLICANT_PARTS)


def timed(orm, sql, repeat: int) -> tuple[float, float]:
    """Median seconds of each, called alternately (the order swapped every other round)."""
    times: dict = {orm: [], sql: []}
    for i in range(repeat):
        for fn in (orm, sql) if i % 2 == 0 else (sql, orm):
            t0 = time.perf_counter()
            fn()
            times[fn].append(time.perf_counter() - t0)
    return stats.median(times[orm]), stats.median(times[sql])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--applications", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    ensure_database()
    populate(args.applications)

    from gongkai.agencies.models import Agency
    from gongkai.agencies.selectors import subtree
    from gongkai.applications.models import Application
    from gongkai.applications.statistics import table3

    province, township = Agency.objects.get(pk=1), Agency.objects.get(pk=5000)
    params = {"start": "2025-01-01", "end": "2025-12-31"}
    subtree_sql = "a.agency_id IN (SELECT id FROM agencies_agency WHERE path LIKE %(path)s)"
    cases = [
        ("whole province (10,000 agencies)", args.repeat,
         lambda: table3(Application.objects.filter(agency__in=subtree(province)), 2025),
         lambda: hand_written(subtree_sql, {**params, "path": province.path + "%"})),
        ("one township", 20 * args.repeat,
         lambda: table3(Application.objects.filter(agency=township), 2025),
         lambda: hand_written("a.agency_id = %(agency)s", {**params, "agency": township.pk})),
    ]
    # Same numbers both ways, or the timing means nothing (and both caches are warm).
    for name, _repeat, orm, sql in cases:
        assert same_counts(orm(), sql()), f"{name}: table3 and the hand-written query differ"

    print(f"table 三 for 2025 from {args.applications:,} applications (median of "
          f"{args.repeat} for the province, {20 * args.repeat} for the township)")
    print(f"{'scope':36} {'table3':>10} {'hand SQL':>10} {'ratio':>7}")
    worst = 0.0
    for name, repeat, orm, sql in cases:
        t_orm, t_sql = timed(orm, sql, repeat)
        ratio = t_orm / t_sql
        worst = max(worst, ratio)
        print(f"{name:36} {t_orm * 1000:8.2f}ms {t_sql * 1000:8.2f}ms {ratio:6.2f}×")
    print(f"target ≤ 1.5×: {'PASS' if worst <= 1.5 else 'MISS'}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    sys.exit(main())

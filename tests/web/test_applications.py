"""Applications: registration, events under the statute and the roles, table 三 from events."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count

from gongkai import clock
from gongkai.agencies.models import Role
from gongkai.annual import check
from gongkai.applications import selectors, services, statistics
from gongkai.applications.models import Application, ApplicationEvent
from gongkai.audit.models import AuditEvent

PERSON = dict(name="张三", id_type="resident_id", id_number="11010519491231002X",
              phone="13800138000", channel="in_person", request="2025年村道修建项目的批复文件")


def register(agency, user, received_on, applicant_type="natural_person", **extra):
    fields = {**PERSON, "applicant_type": applicant_type, "received_on": received_on, **extra}
    return services.register(agency, by=user, **fields).application


@pytest.fixture
def head(world, make_user):
    return make_user(world.a.township, Role.HEAD)


@pytest.fixture
def registrar(world, make_user):
    return make_user(world.a.township, Role.REGISTRAR)


def test_registration_numbers_each_year_from_one(world, head):
    a = register(world.a.township, head, date(2025, 3, 1))
    b = register(world.a.township, head, date(2025, 3, 2))
    c = register(world.a.township, head, date(2026, 1, 5))
    assert (a.number, b.number, c.number) == ("2025-0001", "2025-0002", "2026-0001")
    assert AuditEvent.objects.filter(action="application.registered").count() == 3


def test_a_double_submission_makes_one_application(world):
    fields = {**PERSON, "applicant_type": "natural_person", "received_on": date(2026, 11, 2)}
    first = services.register(world.a.township, submission_key="k1", **fields)
    again = services.register(world.a.township, submission_key="k1", **fields)
    assert first.created and not again.created
    assert again.application.pk == first.application.pk
    assert Application.objects.count() == 1


def test_query_code_is_checked_and_not_stored(world):
    fields = {**PERSON, "applicant_type": "natural_person", "received_on": date(2026, 11, 2)}
    reg = services.register(world.a.township, **fields)
    app = reg.application
    assert reg.query_code not in app.query_code_hash
    assert services.verify_query_code(app.tracking_number, reg.query_code) == app
    assert services.verify_query_code(app.tracking_number, "000000x") is None
    assert services.verify_query_code("GKNOSUCHONE", reg.query_code) is None


def test_staff_of_another_agency_cannot_register_or_act(world, make_user, head):
    outsider = make_user(world.b.township, Role.HEAD)
    with pytest.raises(services.Refused):
        register(world.a.township, outsider, date(2025, 3, 1))
    app = register(world.a.township, head, date(2025, 3, 3))
    with pytest.raises(services.Refused):
        services.record_event(app, clock.CORRECTION_REQUESTED, by=outsider, on=date(2025, 3, 5))
    assert not app.events.exists()


def test_only_the_head_approves_an_extension(world, head, registrar, make_user):
    handler = make_user(world.a.township, Role.HANDLER)
    app = register(world.a.township, registrar, date(2025, 9, 26))
    for user in (registrar, handler):
        with pytest.raises(services.Refused, match="权限"):
            services.record_event(app, clock.EXTENSION_APPROVED, by=user, on=date(2025, 10, 20),
                                  data={"working_days": 20})
    services.record_event(app, clock.EXTENSION_APPROVED, by=head, on=date(2025, 10, 20),
                          data={"working_days": 20})
    state = selectors.application_state(app, on=date(2025, 10, 21))
    # 20 working days from 2025-09-26 is 2025-10-30; 20 more is 2025-11-27.
    assert state.due.due == date(2025, 11, 27)


def test_the_statute_refuses_a_second_extension_with_a_reason(world, head):
    app = register(world.a.township, head, date(2025, 9, 26))
    services.record_event(app, clock.EXTENSION_APPROVED, by=head, on=date(2025, 10, 20),
                          data={"working_days": 10})
    with pytest.raises(services.Refused) as refused:
        services.record_event(app, clock.EXTENSION_APPROVED, by=head, on=date(2025, 10, 21),
                              data={"working_days": 5})
    assert "延期" in refused.value.reason
    assert app.events.count() == 1


def test_an_answer_after_closing_is_refused(world, head):
    app = register(world.a.township, head, date(2025, 3, 3))
    services.record_event(app, clock.ANSWERED, by=head, on=date(2025, 3, 10),
                          data={"outcome": "granted"})
    with pytest.raises(services.Refused):
        services.record_event(app, clock.ANSWERED, by=head, on=date(2025, 3, 11),
                              data={"outcome": "granted"})


def test_events_are_append_only(world, head):
    app = register(world.a.township, head, date(2025, 3, 3))
    event = services.record_event(app, clock.ANSWERED, by=head, on=date(2025, 3, 10),
                                  data={"outcome": "granted"})
    event.note = "changed"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert ApplicationEvent.objects.get(pk=event.pk).note == ""


def test_an_event_cannot_be_dated_before_receipt_or_after_today(world, head):
    app = register(world.a.township, head, date(2025, 3, 3))
    with pytest.raises(services.Refused, match="早于"):
        services.record_event(app, clock.ANSWERED, by=head, on=date(2025, 3, 1),
                              data={"outcome": "granted"})
    with pytest.raises(services.Refused, match="晚于今天"):
        services.record_event(app, clock.ANSWERED, by=head, on=date(2099, 1, 1),
                              data={"outcome": "granted"})


def test_lists_mask_identity_numbers_and_phones(world, head):
    register(world.a.township, head, date(2026, 11, 2))
    [row] = selectors.rows(selectors.visible_applications(head))
    assert "11010519491231002X" not in row.masked_id and row.masked_id.endswith("2X")
    assert row.masked_phone == "138****8000"


def test_workbench_sorts_overdue_and_due_soon(world, head):
    overdue = register(world.a.township, head, date(2026, 9, 1))
    due_soon = register(world.a.township, head, date(2026, 11, 2))  # due 2026-12-01
    fresh = register(world.a.township, head, date(2026, 11, 26))
    desk = selectors.workbench(head, on=date(2026, 11, 27))
    assert [r.application for r in desk["overdue"]] == [overdue]
    assert [r.application for r in desk["due_soon"]] == [due_soon]
    assert [r.application for r in desk["open"]] == [fresh]


# -- table 三 from the records ------------------------------------------------------------

# Hand-made across two years; the expected tables below are counted by hand, not computed.
STORY = [
    # (name, applicant type, received, [(event kind, date, outcome)])
    ("A1", "natural_person", date(2024, 3, 1), [(clock.ANSWERED, date(2024, 3, 15), "granted")]),
    ("A2", "commercial", date(2024, 12, 20),
     [(clock.ANSWERED, date(2025, 1, 10), "partially_granted")]),
    ("A3", "natural_person", date(2024, 12, 25),
     [(clock.CORRECTION_REQUESTED, date(2024, 12, 30), None),
      (clock.ABANDONED, date(2025, 2, 20), None)]),
    ("A4", "research", date(2025, 2, 3),
     [(clock.ANSWERED, date(2025, 2, 20), "withheld_state_secret")]),
    ("A5", "natural_person", date(2025, 5, 6), [(clock.WITHDRAWN, date(2025, 5, 8), None)]),
    ("A6", "legal_service", date(2025, 6, 2),
     [(clock.FEE_NOTICE_SENT, date(2025, 6, 5), None), (clock.FEE_LAPSED, date(2025, 7, 10), None)]),
    ("A7", "other_org", date(2025, 12, 29), []),
    ("A8", "natural_person", date(2025, 4, 1),
     [(clock.ANSWERED, date(2025, 4, 10), "unavailable_not_held")]),
    ("A9", "public_welfare", date(2025, 9, 26),
     [(clock.EXTENSION_APPROVED, date(2025, 10, 20), None),
      (clock.ANSWERED, date(2025, 11, 20), "unhandled_repeated")]),
]
COLUMNS = ["natural_person", "commercial", "research", "public_welfare", "legal_service",
           "other_org", "total"]
EXPECTED_2025 = {
    "received": [2, 0, 1, 1, 1, 1, 6],
    "carried_in": [1, 1, 0, 0, 0, 0, 2],
    "partially_granted": [0, 1, 0, 0, 0, 0, 1],
    "withheld_state_secret": [0, 0, 1, 0, 0, 0, 1],
    "unavailable_not_held": [1, 0, 0, 0, 0, 0, 1],
    "unhandled_repeated": [0, 0, 0, 1, 0, 0, 1],
    "other_no_correction": [1, 0, 0, 0, 0, 0, 1],
    "other_fee_unpaid": [0, 0, 0, 0, 1, 0, 1],
    "other_misc": [1, 0, 0, 0, 0, 0, 1],
    "handled_total": [3, 1, 1, 1, 1, 0, 7],
    "carried_out": [0, 0, 0, 0, 0, 1, 1],
}
EXPECTED_2024 = {
    "received": [2, 1, 0, 0, 0, 0, 3],
    "granted": [1, 0, 0, 0, 0, 0, 1],
    "handled_total": [1, 0, 0, 0, 0, 0, 1],
    "carried_out": [1, 1, 0, 0, 0, 0, 2],
}


@pytest.fixture
def story(world, head, make_user):
    for name, kind, received, events in STORY:
        app = register(world.a.township, head, received, applicant_type=kind, name=name)
        for event_kind, on, outcome in events:
            data = {"outcome": outcome} if outcome else {}
            if event_kind == clock.EXTENSION_APPROVED:
                data = {"working_days": 20}
            if event_kind == clock.FEE_NOTICE_SENT:
                data = {"amount_yuan": 100}
            services.record_event(app, event_kind, by=head, on=on, data=data)
    # An application of the other township, outside 甲乡's table but inside the city's.
    other_head = make_user(world.b.township, Role.HEAD)
    register(world.b.township, other_head, date(2025, 7, 1))
    return world


def _table(report):
    return {row.key: [report.value("applications", row.key, c) for c in COLUMNS]
            for row in report.layout("applications")}


@pytest.mark.parametrize("year, expected", [(2025, EXPECTED_2025), (2024, EXPECTED_2024)])
def test_table3_counts_every_row_and_column(story, year, expected):
    apps = Application.objects.filter(agency=story.a.township)
    table = _table(statistics.table3(apps, year))
    for key, values in table.items():
        assert values == expected.get(key, [0] * 7), key
    report = statistics.table3(apps, year)
    assert [f for f in check(report) if f.code.startswith("T3") and f.severity == "error"] == []


def test_table3_in_the_2019_format_counts_every_other_outcome_in_its_undivided_row(story):
    # 2019's table 三 has one （六）其他处理 row where 2021 has three.
    from gongkai.annual.formats import FORMAT_2019

    apps = Application.objects.filter(agency=story.a.township)
    report = statistics.table3(apps, 2025, fmt=FORMAT_2019)
    table = _table(report)
    assert table["other"] == [2, 0, 0, 0, 1, 0, 3]
    assert table["handled_total"] == EXPECTED_2025["handled_total"]
    assert [f for f in check(report) if f.code.startswith("T3") and f.severity == "error"] == []


def test_table3_for_a_subtree_adds_the_agencies_below(story):
    from gongkai.agencies.selectors import subtree

    city = Application.objects.filter(agency__in=subtree(story.city))
    table = _table(statistics.table3(city, 2025))
    assert table["received"][0] == EXPECTED_2025["received"][0] + 1
    assert table["carried_out"][0] == 1  # the other township's application is still open


def test_table3_is_one_query(story, django_assert_num_queries):
    apps = Application.objects.filter(agency=story.a.township)
    with django_assert_num_queries(1):
        statistics.table3(apps, 2025)


# The same 甲乡 however the caller narrows: a plain filter() lends its WHERE to the query,
# anything else goes in whole as a derived table.
SAME_TOWNSHIP = {
    "plain filter, ordered": lambda w: Application.objects.filter(agency=w.a.township)
    .select_related("agency").order_by("name"),
    "filter over a join": lambda w: Application.objects.filter(agency__path=w.a.township.path),
    "distinct": lambda w: Application.objects.filter(agency=w.a.township).distinct(),
    "annotated": lambda w: Application.objects.filter(agency=w.a.township)
    .annotate(events_n=Count("events")),
    "excluded": lambda w: Application.objects.exclude(agency=w.b.township),
}


@pytest.mark.parametrize("narrowing", SAME_TOWNSHIP)
@pytest.mark.parametrize("year", [2024, 2025])
def test_table3_is_the_same_however_the_applications_are_narrowed(story, narrowing, year):
    plain = Application.objects.filter(agency=story.a.township)
    expected = _table(statistics.table3(plain, year))
    assert _table(statistics.table3(SAME_TOWNSHIP[narrowing](story), year)) == expected


def test_table3_of_every_application_is_the_city_s(story):
    from gongkai.agencies.selectors import subtree

    city = Application.objects.filter(agency__in=subtree(story.city))
    assert (_table(statistics.table3(Application.objects.all(), 2025))
            == _table(statistics.table3(city, 2025)))


@pytest.mark.parametrize("nothing", [Application.objects.none,
                                     lambda: Application.objects.filter(pk__in=[])])
def test_table3_of_no_applications_is_zeros_without_a_query(story, nothing,
                                                            django_assert_num_queries):
    with django_assert_num_queries(0):
        table = _table(statistics.table3(nothing(), 2025))
    assert all(values == [0] * 7 for values in table.values())


def test_search_finds_by_number_name_words_and_tracking_number(world, head):
    app = register(world.a.township, head, date(2025, 3, 1), name="李四")
    register(world.a.township, head, date(2025, 3, 2), name="王五", request="财政预算")
    visible = selectors.visible_applications(head)
    assert list(selectors.search(visible, "2025-0001")) == [app]
    assert list(selectors.search(visible, "李四")) == [app]
    assert list(selectors.search(visible, "村道修建")) == [app]
    assert list(selectors.search(visible, app.tracking_number.lower())) == [app]
    assert list(selectors.search(visible, "不存在的内容")) == []


@pytest.mark.django_db
def test_trigram_indexes_exist_on_postgresql_only():
    from django.db import connection

    with connection.cursor() as c:
        names = {i for i in connection.introspection.get_constraints(c, "applications_application")}
    if connection.vendor == "postgresql":
        assert {"application_name_trgm", "application_request_trgm"} <= names
    else:
        assert not {"application_name_trgm", "application_request_trgm"} & names


def test_a_handler_takes_over_an_application_and_it_is_audited(world, head, make_user, login):
    handler = make_user(world.a.township, Role.HANDLER)
    app = register(world.a.township, head, date(2026, 11, 2))
    c = login(handler)
    assert "由我承办" in c.get(f"/staff/applications/{app.pk}/").content.decode()
    response = c.post(f"/staff/applications/{app.pk}/take-over/")
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.handler == handler
    assert "由我承办" not in c.get(f"/staff/applications/{app.pk}/").content.decode()
    event = AuditEvent.objects.get(action="application.handler")
    assert event.detail["handler"] == handler.get_username() and event.detail["previous"] == ""
    # "My work" on the workbench is now this handler's.
    desk = c.get("/staff/applications/").content.decode()
    assert app.number in desk


def test_a_registrar_cannot_take_over(world, registrar, head, login):
    app = register(world.a.township, head, date(2026, 11, 2))
    c = login(registrar)
    assert "由我承办" not in c.get(f"/staff/applications/{app.pk}/").content.decode()
    assert c.post(f"/staff/applications/{app.pk}/take-over/").status_code == 403
    with pytest.raises(services.Refused):
        services.take_over(app, by=registrar)
    app.refresh_from_db()
    assert app.handler is None


# -- assigning a handler (指派承办人) ----------------------------------------------------------


@pytest.fixture
def handlers(world, make_user):
    return make_user(world.a.township, Role.HANDLER), make_user(world.a.township, Role.HANDLER)


def test_the_head_assigns_a_handler_and_each_change_is_audited(world, head, handlers):
    first, second = handlers
    app = register(world.a.township, head, date(2026, 11, 2))
    services.assign(app, first, by=head)
    app.refresh_from_db()
    assert app.handler == first
    services.assign(app, second, by=head)
    app.refresh_from_db()
    assert app.handler == second
    events = list(AuditEvent.objects.filter(action="application.handler").order_by("pk"))
    assert [(e.detail["previous"], e.detail["handler"]) for e in events] == [
        ("", first.get_username()), (first.get_username(), second.get_username())]
    assert {e.actor for e in events} == {head}


def test_assigning_the_same_handler_again_records_nothing(world, head, handlers):
    app = register(world.a.township, head, date(2026, 11, 2))
    services.assign(app, handlers[0], by=head)
    services.assign(app, handlers[0], by=head)
    assert AuditEvent.objects.filter(action="application.handler").count() == 1


def test_the_administrator_assigns_and_a_handler_or_registrar_may_not(world, head, registrar,
                                                                     handlers, make_user):
    admin, supervisor = make_user(world.a.township), make_user(world.a.district, Role.SUPERVISOR)
    app = register(world.a.township, head, date(2026, 11, 2))
    for user in (handlers[0], registrar, supervisor, make_user(world.b.township, Role.HEAD)):
        with pytest.raises(services.Refused, match="指派承办人的权限"):
            services.assign(app, handlers[1], by=user)
    services.assign(app, handlers[1], by=admin)
    app.refresh_from_db()
    assert app.handler == handlers[1]


def test_only_someone_who_may_handle_there_can_be_assigned(world, head, registrar, make_user):
    app = register(world.a.township, head, date(2026, 11, 2))
    gone = make_user(world.a.township, Role.HANDLER)
    gone.is_active = False
    gone.save()
    for person in (registrar, make_user(world.a.district, Role.SUPERVISOR),
                   make_user(world.b.township, Role.HANDLER), gone, None):
        with pytest.raises(services.Refused, match="不能承办该机关的申请"):
            services.assign(app, person, by=head)
    app.refresh_from_db()
    assert app.handler is None
    assert not AuditEvent.objects.filter(action="application.handler").exists()


def test_the_choices_are_the_agency_staff_who_may_handle(world, head, registrar, handlers,
                                                         make_user):
    admin = make_user(world.a.township)
    make_user(world.a.district, Role.SUPERVISOR), make_user(world.b.township, Role.HANDLER)
    assert set(selectors.possible_handlers(world.a.township)) == {head, admin, *handlers}

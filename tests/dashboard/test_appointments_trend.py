"""The 在任交叉任职 line of the dashboard's coverage chart: a closed month shows the count
stored when it closed (the morning job's coverage snapshot, one per community), the
running month today's card, and a month some community has no snapshot for is counted
from the terms, as before any snapshot existed."""
import re
from datetime import date

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from sqlalchemy import event
from webapp.dashboard import figures
from webapp.dashboard.periods import month_labels, trailing_months
from webapp.extensions import db

from dashboard_world import street_world  # noqa: F401  (the fixture)


def chart_row(client, month, months):
    """(覆盖小区, 在任交叉任职) in the chart's table for `month`."""
    page = client.get("/").get_data(as_text=True)
    table = page.split("近十二个月覆盖小区与在任交叉任职")[1].split("</table>")[0]
    label = month_labels(months)[months.index(month)]
    m = re.search(rf'{re.escape(label)}</th><td class="num">(\d+|—)</td><td class="num">(\d+)</td>', table)
    assert m, table
    return m.group(1), int(m.group(2))


def back_dated_term(factory, street_world):
    """A term entered today that began two years ago: it was in place at last month's end,
    but the month had closed before anyone recorded it."""
    from webapp.appointments.models import CrossAppointment

    person = factory.person("补录任职者", community=street_world["a"])
    factory.add(CrossAppointment(person=person, direction="company_in", company=street_world["companies"][0],
                                 community=street_world["a"], home_role="项目经理", host_role="兼职委员",
                                 start_date=date(2024, 12, 1), approval_document="测试〔2026〕补录"))
    db.session.commit()


def test_a_closed_month_shows_the_count_stored_when_it_closed(client, auth, street_world, factory):
    from webapp.jobs import scheduled

    months = trailing_months(street_world["this_month"], 12)
    last = street_world["last_month"]
    auth.login("dash_admin")
    # Before the job: last month's end counted from the terms (running + two that ended that day).
    assert chart_row(client, last, months)[1] == 3
    scheduled.run_morning()
    back_dated_term(factory, street_world)
    # Last month stays as it was counted when it closed; today's figure has the new term.
    assert chart_row(client, last, months)[1] == 3
    assert chart_row(client, street_world["this_month"], months)[1] == 3  # running + began this month + new


def test_a_month_without_every_communitys_snapshot_is_counted_from_the_terms(client, auth, street_world, factory):
    from webapp.dashboard.models import CoverageSnapshot
    from webapp.jobs import scheduled

    months = trailing_months(street_world["this_month"], 12)
    scheduled.run_morning()
    back_dated_term(factory, street_world)
    db.session.query(CoverageSnapshot).filter_by(community_id=street_world["a"].id).delete()
    db.session.commit()
    auth.login("dash_admin")
    assert chart_row(client, street_world["last_month"], months)[1] == 4  # the terms, the new one too
    # 乙社区's staff: their community's snapshot is there (its term that ended that day).
    auth.logout()
    auth.login("dash_staff")
    assert chart_row(client, street_world["last_month"], months)[1] == 1


def test_with_every_snapshot_stored_no_term_is_counted_for_the_trend(street_world, app):
    """Eleven closed months from the snapshots and the running month from the card: one
    statement, on coverage_snapshot; the twelve-month count of every term is gone."""
    from webapp.dashboard.services import snapshot_month

    street = street_world["street"]
    months = trailing_months(street_world["this_month"], 12)
    counted = figures.appointments_trend(figures.Place(street.id), months)  # no snapshot yet: from the terms
    for month in months[:-1]:
        snapshot_month(street.id, month)
    db.session.commit()
    place = figures.Place(street.id)
    seen = []
    listener = lambda conn, cursor, statement, *a: seen.append(statement)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        series = figures.appointments_trend(place, months, today_count=2)
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert [s for s in seen if "cross_appointment" in s] == []
    assert len([s for s in seen if s.lstrip().upper().startswith("SELECT")]) == 1
    assert series[-2:] == [3, 2]
    assert series == counted  # the same figures as counted from the terms, month by month

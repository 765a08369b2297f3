"""The meeting list (filters, pages, a bounded number of SQL statements), the task list
and the 三会三公开 compliance view."""
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from sqlalchemy import event

from mt_world import forget_user, login, make_meeting, world  # noqa: F401
from webapp.clock import local_today
from webapp.extensions import db
from webapp.meetings.models import AgendaItem, Attendee, FollowUpTask, Meeting, Requirement, Resolution


@contextmanager
def statements():
    seen = []

    def count(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _bulk(ids, n, start=0):
    for i in range(start, start + n):
        m = Meeting(kind_id=ids["kinds"][i % len(ids["kinds"])], title=f"批量会议{i}",
                    starts_at=datetime(2026, 1, 1) + timedelta(days=i % 300),
                    community_id=ids["a"] if i % 2 else ids["b"], compound_id=ids["a1"] if i % 2 else None)
        m.agenda.append(AgendaItem(title=f"议题{i}"))
        m.attendees.append(Attendee(name=f"人员{i}", company_id=ids["company"]))
        m.tasks.append(FollowUpTask(what=f"任务{i}", owner="物业", due_date=date(2026, 12, 1)))
        db.session.add(m)
    db.session.commit()


def test_list_runs_the_same_number_of_statements_for_5_and_50_meetings(client, world):
    ids = dict(kinds=[k.id for k in world.kinds.values()], a=world.a.id, b=world.b.id, a1=world.a1.id,
               company=world.company.id)
    login(client, "admin")
    _bulk(ids, 5)
    client.get("/meetings/")  # warm caches

    def fresh():
        """Start each measured request like a real one: no user or rows cached."""
        forget_user()
        db.session.remove()

    fresh()
    with statements() as few:
        assert client.get("/meetings/").status_code == 200
    fresh()
    with statements() as few_search:
        assert client.get("/meetings/?q=议题").status_code == 200
    _bulk(ids, 45, start=5)
    fresh()
    with statements() as many:
        page = client.get("/meetings/").get_data(as_text=True)
    fresh()
    with statements() as many_search:
        found = client.get("/meetings/?q=议题").get_data(as_text=True)
    assert "第 1 / 3 页，共 50 条" in page and "第 1 / 3 页，共 50 条" in found
    assert len(many) == len(few), (len(few), len(many))
    assert len(many_search) == len(few_search), (len(few_search), len(many_search))
    # 9: the page's own queries (user, kinds, communities, count, rows with their compound,
    # task counts, the compound picker's options, BEGIN) plus the security policy, which
    # the suite reads on every request (production keeps it a few seconds per worker).
    assert len(many) <= 9


def test_filters_kind_community_compound_dates_and_text(client, world):
    make_meeting(world, title="暖气协调会", kind="物业联席会议", compound=world.a1, starts_at=datetime(2026, 10, 5, 9),
                 agenda=[("暖气不热", "2号楼暖气不热")])
    make_meeting(world, title="西岭议事会", community=world.b, starts_at=datetime(2026, 11, 5, 9),
                 resolutions=[("底商油烟限期整改", True)])
    login(client, "admin")

    def titles(query):
        page = client.get("/meetings/" + query).get_data(as_text=True)
        return {t for t in ("暖气协调会", "西岭议事会") if t in page}

    assert titles("") == {"暖气协调会", "西岭议事会"}
    assert titles(f"?kind={world.kinds['物业联席会议'].id}") == {"暖气协调会"}
    assert titles(f"?community={world.b.id}") == {"西岭议事会"}
    assert titles(f"?compound={world.a1.id}") == {"暖气协调会"}
    assert titles("?start=2026-11-01&end=2026-11-30") == {"西岭议事会"}
    assert titles("?q=暖气不热") == {"暖气协调会"}
    assert titles("?q=油烟") == {"西岭议事会"}
    page = client.get("/meetings/?start=2026-12-01&end=2026-11-01").get_data(as_text=True)
    assert "结束日期早于开始日期" in page


def test_staff_list_is_scoped_to_their_community(client, world):
    make_meeting(world, title="东风的会")
    make_meeting(world, title="西岭的会", community=world.b)
    login(client, "staff")
    page = client.get("/meetings/").get_data(as_text=True)
    assert "东风的会" in page and "西岭的会" not in page


def test_task_list_overdue_stands_out_and_filters(client, world):
    today = local_today()
    make_meeting(world, tasks=[("逾期的任务", "王师傅", None, today - timedelta(days=3)),
                               ("未到期的任务", "李师傅", None, today + timedelta(days=10))])
    login(client, "staff")
    page = client.get("/meetings/tasks").get_data(as_text=True)
    assert "已逾期 1 项" in page and "已逾期 3 天" in page
    assert page.index("逾期的任务") < page.index("未到期的任务")  # by due date
    page = client.get("/meetings/tasks?state=overdue").get_data(as_text=True)
    assert "逾期的任务" in page and "未到期的任务" not in page
    page = client.get("/meetings/tasks?owner=李").get_data(as_text=True)
    assert "未到期的任务" in page and "逾期的任务" not in page


def test_compliance_shows_gaps_per_compound_and_period(client, world):
    db.session.add_all([
        Requirement(label="每月议事协商", period="month", min_count=1),
        Requirement(label="每季度联席会议", kind=world.kinds["物业联席会议"], period="quarter", min_count=1),
        Requirement(label="每季度公开决议", period="quarter", min_count=1, needs_publication=True),
    ])
    db.session.commit()
    make_meeting(world, title="东风小区十一月议事会", compound=world.a1, starts_at=datetime(2026, 11, 3, 9),
                 resolutions=[("公开的决议", True)], status="approved")
    make_meeting(world, title="东风社区联席会议", kind="物业联席会议", starts_at=datetime(2026, 10, 9, 9))
    login(client, "staff")
    page = client.get("/meetings/compliance?period=month&year=2026&n=11").get_data(as_text=True)
    row_a1 = page[page.index("<td>东风小区</td>"):].split("</tr>")[0]
    row_a2 = page[page.index("<td>东风花园</td>"):].split("</tr>")[0]
    assert row_a1.count('class="met"') == 3  # held in November, joint meeting this quarter, published
    assert "第4季度累计" in row_a1
    assert row_a2.count('class="gap"') == 2 and "✘ 缺" in row_a2  # no meeting of its own, nothing published
    assert "西岭小区" not in page  # another community
    page = client.get("/meetings/compliance?period=quarter&year=2026&n=4").get_data(as_text=True)
    row_a1 = page[page.index("<td>东风小区</td>"):].split("</tr>")[0]
    row_a2 = page[page.index("<td>东风花园</td>"):].split("</tr>")[0]
    # Monthly duty viewed by quarter: every month must be met; December is still open.
    assert "10月✔ 11月✔ 12月✘" in row_a1 and row_a1.count('class="met"') == 2
    assert "10月✔ 11月✘ 12月✘" in row_a2 and row_a2.count('class="met"') == 1  # only the community-wide meeting


def test_compliance_pages_the_compounds(client, world, monkeypatch):
    """A page of compounds at a time (a city's street has 10,000): each page reads only its
    compounds' meetings, and its badge counts the page's gaps."""
    from webapp.meetings.views import compliance as view

    monkeypatch.setattr(view, "PAGE_SIZE", 1)
    db.session.add(Requirement(label="每月议事协商", period="month", min_count=1))
    db.session.commit()
    make_meeting(world, title="东风小区十一月议事会", compound=world.a1, starts_at=datetime(2026, 11, 3, 9))
    login(client, "staff")
    first = client.get("/meetings/compliance?period=month&year=2026&n=11").get_data(as_text=True)
    second = client.get("/meetings/compliance?period=month&year=2026&n=11&page=2").get_data(as_text=True)
    assert "<td>东风小区</td>" in first and "<td>东风花园</td>" not in first
    assert "本页全部落实" in first and "第 1 / 2 页" in first and "page=2" in first and "n=11" in first
    assert "<td>东风花园</td>" in second and "<td>东风小区</td>" not in second
    assert "本页 1 项未落实" in second


def test_settings_add_kind_and_requirement(client, world):
    login(client, "admin")
    from mt_world import post

    r = post(client, "/meetings/settings/kinds", {"name": "居民说事"}, htmx=False)
    assert r.status_code == 303
    r = post(client, "/meetings/settings/kinds", {"name": "居民说事"}, htmx=False)
    assert r.status_code == 422 and "已有同名的会议类型。" in r.get_data(as_text=True)
    r = post(client, "/meetings/settings/requirements", {"label": "每月居民说事", "period": "month", "min_count": "0"}, htmx=False)
    assert r.status_code == 422 and "次数应在 1 到 31 之间。" in r.get_data(as_text=True)
    r = post(client, "/meetings/settings/requirements", {"label": "每月居民说事", "period": "month", "min_count": "2"}, htmx=False)
    assert r.status_code == 303
    assert "居民说事" in client.get("/meetings/new").get_data(as_text=True)
    assert db.session.scalar(db.select(Requirement)).min_count == 2
    assert Resolution  # imported for symmetry with the other modules

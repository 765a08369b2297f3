"""What each role sees at `/`: every figure equals a count made from the rows the test
created (tests/dashboard/dashboard_world.py), scoped to the user's place; the other street's
compound is never counted."""
import re

import webapp.models  # noqa: F401  (every mapper before a domain module is imported)
from webapp.dashboard import figures
from webapp.dashboard.periods import Period
from webapp.extensions import db

from dashboard_world import street_world  # noqa: F401  (the fixture)


def card(html, label):
    """(number, total or None) of the card labelled `label`."""
    m = re.search(r'<span class="num">([\d.]+)</span>(?:<span class="sub">/ (\d+)</span>)?<span class="lbl">'
                  + re.escape(label), html)
    assert m, f"no card {label}"
    return int(m.group(1)), (int(m.group(2)) if m.group(2) else None)


def test_street_admin_sees_the_street_figures(client, auth, street_world):
    auth.login("dash_admin")
    html = client.get("/").get_data(as_text=True)
    assert card(html, "红色物业覆盖小区") == (3, 5)
    assert card(html, "尚未覆盖小区") == (2, None)
    assert card(html, "物业企业已建党组织或选派指导员") == (2, 3)
    assert card(html, "楼栋有红色管家/楼长") == (3, 5)
    assert card(html, "业委会党员占比≥50%") == (2, 3)
    # running + began this month; not the future-dated one, not the two ended last month
    assert card(html, "在任交叉任职") == (2, None)
    assert card(html, "本月收到") == (3, None)
    assert card(html, "本月收到已办结") == (1, None)
    assert card(html, "尚未办结") == (3, None)
    assert card(html, "已逾期") == (1, None)
    assert "按期办结 1 件、逾期办结 0 件" in html
    assert card(html, "本月召开会议") == (2, None)
    assert card(html, "跟进任务已办结") == (1, 3)
    assert card(html, "跟进任务已逾期") == (1, None)
    uncovered = html.split("尚未覆盖：")[1].split("</p>")[0]
    assert "甲三" in uncovered and "乙一" in uncovered and "甲一" not in uncovered
    assert "别处小区" not in html and "别处社区" not in html
    assert "前城市社区全覆盖，还剩 100 天" in html


def test_community_staff_see_only_their_community(client, auth, street_world):
    auth.login("dash_staff")
    html = client.get("/").get_data(as_text=True)
    assert card(html, "红色物业覆盖小区") == (1, 2)
    assert card(html, "楼栋有红色管家/楼长") == (1, 2)
    assert card(html, "业委会党员占比≥50%") == (1, 1)
    assert card(html, "在任交叉任职") == (0, None)  # 乙's only appointment ended last month
    assert card(html, "本月收到") == (1, None)
    assert card(html, "本月召开会议") == (1, None)
    assert card(html, "跟进任务已办结") == (0, 0)
    assert "甲三" not in html and "甲社区" not in html


def test_uncovered_shows_a_count_and_the_first_few_names(street_world, factory):
    from webapp.dashboard.figures import FIRST_FEW, Place

    a = street_world["a"]
    for i in range(FIRST_FEW + 3):
        factory.compound(a, f"新建{i:02d}")
    c = figures.coverage(street_world["street"].id, place=Place(street_world["street"].id))
    assert c["uncovered"] == 2 + FIRST_FEW + 3
    assert len(c["uncovered_first"]) == FIRST_FEW


def test_figures_as_of_last_month_end(street_world):
    """The report's rule: a past period counts what dated records say about its end."""
    from webapp.dashboard.figures import Place

    sid = street_world["street"].id
    place = Place(sid)
    last = Period.month_of(street_world["last_month"])
    # running + the two that ended on the last day; not the one that began this month
    assert figures.coverage(sid, last.last_day, place)["appointments"] == 3
    assert figures.requests_summary(place, last)["received"] == 1
    assert figures.meetings_summary(place, last)["held"] == 1
    assert figures.tasks_summary(place, last.last_day) == {"total": 1, "done": 1, "overdue": 0, "open": 0}


def test_company_manager_lands_on_their_standing_and_tasks(client, auth, street_world, factory):
    from webapp.meetings.models import FollowUpTask, Meeting

    own = street_world["companies"][0]
    factory.user("dash_company", role="company_user", company=own)
    meeting = db.session.query(Meeting).filter_by(title="甲本月会").one()
    meeting.tasks.append(FollowUpTask(what="整改楼道堆物", owner="项目经理", owner_company=own,
                                      due_date=street_world["today"].replace(day=1) - __import__("datetime").timedelta(days=3)))
    db.session.commit()
    auth.login("dash_company")
    html = client.get("/").get_data(as_text=True)
    assert card(html, "任务办理中") == (1, None)
    assert card(html, "任务已逾期") == (1, None)
    # the request dispatched to it, past its deadline
    assert card(html, "尚未办结") == (1, None) and card(html, "已逾期") == (1, None)
    inbox = client.get("/requests/?timing=overdue").get_data(as_text=True)
    assert "甲本月二" in inbox
    assert "尚无已关闭的考核月份" in html
    tasks = client.get("/meetings/tasks?state=overdue").get_data(as_text=True)
    assert "整改楼道堆物" in tasks


def test_resident_rep_lands_on_the_sheets_waiting(client, auth, street_world, factory):
    from webapp.assessments.services import assign_representative

    from webapp.assessments.models import AssessmentTemplate, TemplateItem, TemplateSection
    from webapp.assessments.services import create_round

    rep = factory.user("dash_rep", role="resident_rep", street=street_world["street"])
    template = AssessmentTemplate(name="考核表", street_id=street_world["street"].id)
    template.sections.append(TemplateSection(title="垃圾当日清", items=[TemplateItem(title="清运", full_points=10)]))
    db.session.add(template)
    rnd = create_round(street_world["this_month"], template, street_id=street_world["street"].id)
    db.session.commit()
    sheets = sorted(rnd.sheets, key=lambda s: s.compound.name)[:2]
    for sheet in sheets:
        assign_representative(sheet, rep)
    db.session.commit()
    auth.login("dash_rep")
    html = client.get("/").get_data(as_text=True)
    assert "共 <strong>2</strong> 张考核表等待您评分" in html
    for sheet in sheets:
        link = f'href="/assessments/sheets/{sheet.id}/score"'
        assert link in html
        assert client.get(f"/assessments/sheets/{sheet.id}/score").status_code == 200


def test_twelve_month_trends_bucket_by_the_street_calendar(street_world):
    """Requests and meetings per month over the twelve months ending with this one."""
    from webapp.dashboard.figures import Place

    place = Place(street_world["street"].id)
    period = Period.month_of(street_world["today"])
    requests = dict(figures.requests_summary(place, period)["by_month"])
    meetings = dict(figures.meetings_summary(place, period)["by_month"])
    assert len(requests) == len(meetings) == 12
    assert requests[street_world["this_month"]] == 3 and requests[street_world["last_month"]] == 1
    assert meetings[street_world["this_month"]] == 2 and meetings[street_world["last_month"]] == 1
    assert sum(requests.values()) == 4 and sum(meetings.values()) == 3


def test_a_request_just_after_local_midnight_counts_in_its_local_month(street_world, factory):
    """00:30 on the 1st in Beijing is 16:30 UTC on the last day of the month before."""
    from datetime import datetime, time

    from webapp.clock import utc_from_local
    from webapp.dashboard.figures import Place

    r = factory.resident_request("月初凌晨", street_world["a"])
    r.created_at = utc_from_local(datetime.combine(street_world["this_month"], time(0, 30)))
    db.session.commit()
    period = Period.month_of(street_world["today"])
    summary = figures.requests_summary(Place(street_world["street"].id), period)
    assert dict(summary["by_month"])[street_world["this_month"]] == 4 and summary["received"] == 4


def test_the_morning_job_snapshots_last_month_once_and_the_trend_reads_it(client, auth, street_world):
    from webapp.dashboard.models import CoverageSnapshot
    from webapp.jobs import scheduled

    first = scheduled.run_morning()
    assert first["coverage_snapshots"] == 3  # one per community of both streets
    assert scheduled.run_morning()["coverage_snapshots"] == 0
    row = db.session.query(CoverageSnapshot).filter_by(community_id=street_world["a"].id).one()
    assert (row.month, row.covered, row.compounds) == (street_world["last_month"], 2, 3)
    auth.login("dash_admin")
    page = client.get("/").get_data(as_text=True)
    table = page.split("近十二个月覆盖小区与在任交叉任职")[1].split("</table>")[0]
    from webapp.dashboard.periods import month_labels, trailing_months

    months = trailing_months(street_world["this_month"], 12)
    label = month_labels(months)[months.index(street_world["last_month"])]
    assert re.search(rf'{label}</th><td class="num">3</td><td class="num">3</td>', table), table

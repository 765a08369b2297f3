"""Speed of the minutes PDF: a meeting with 40 attendees and 10 agenda items.

Times GET /meetings/<id>.pdf through the app (query + template + WeasyPrint) and, as the
floor, bare WeasyPrint rendering the very same HTML from a static file. Prints the
medians and the ratio. Targets: median ≤ 0.3 s and ≤ 1.3 × the floor.

    .venv/bin/python bench/meetings_pdf.py [--runs 15]
"""
import argparse
import os
import statistics
import sys
import time
from datetime import date, datetime

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from meetings_common import make_app, signed_in_client  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英桂兰志强海燕丽华玉梅明辉小红春生凤英德福淑珍"


def build(app):
    from webapp.companies.credit_code import make_code
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Community, Compound, Street
    from webapp.extensions import db
    from webapp.meetings.models import AgendaItem, Attendee, FollowUpTask, Meeting, Resolution
    from webapp.meetings.services import seed_kinds

    with app.app_context():
        street = Street(name="隐珠街道")
        community = Community(street=street, name="永春社区", slug="yongchun")
        company = PropertyCompany(name="泛华物业服务有限公司", credit_code=make_code("91370703MA3C0001X"))
        compound = Compound(community=community, name="泛华盛世", company=company)
        db.session.add_all([street, community, company, compound])
        kinds = seed_kinds()
        m = Meeting(kind=kinds["说事议事会"], title="泛华盛世第一次说事议事会", starts_at=datetime(2026, 9, 20, 9),
                    ends_at=datetime(2026, 9, 20, 11, 30), place="红色议事厅", community=community, compound=compound,
                    convener="永春社区议事小组", host="罗永梅", recorder="刘海燕",
                    invited="泛华物业、业委会、楼长、红色管家、居民代表、公安片警、市场监管所")
        orgs = ["永春社区党总支", "泛华物业服务有限公司", "泛华盛世业主委员会", "隐珠派出所", "市场监管所", "居民代表"]
        for i in range(40):
            name = SURNAMES[i % 20] + GIVEN[(i * 2) % 20] + GIVEN[(i * 2 + 1) % 20]
            m.attendees.append(Attendee(name=name, organisation=orgs[i % len(orgs)], role="委员" if i % 3 else "",
                                        company=company if i % 6 == 1 else None,
                                        status="present" if i % 9 else "apology", position=i))
        topics = ["楼顶漏水", "外墙裂缝", "暖气不热", "邻里纠纷", "底商油烟", "夜间噪音", "楼道堆物", "车辆停放",
                  "垃圾清运", "电梯维保"]
        for i, topic in enumerate(topics):
            m.agenda.append(AgendaItem(title=f"{topic}问题", position=i, discussion=(
                f"居民反映{topic}问题已持续一段时间，涉及{i + 2}栋楼、约{(i + 1) * 12}户。"
                "物业说明了前期排查和处理情况，业委会和居民代表提出意见，社区要求限期整改并在公示栏公开进度。") * 2))
            m.resolutions.append(Resolution(text=f"{topic}问题由物业牵头，{i + 7}日内拿出整改方案，整改结果向居民公开。",
                                            publish=i % 2 == 0, position=i))
            m.tasks.append(FollowUpTask(what=f"{topic}整改", owner="孙立华", owner_company=company,
                                        due_date=date(2026, 10, 1 + i)))
        db.session.add(m)
        db.session.commit()
        return m.id


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    app, tmp = make_app()
    meeting_id = build(app)
    client = signed_in_client(app)

    # The HTML the app feeds WeasyPrint, saved as a static file for the floor.
    from weasyprint import HTML

    from webapp.extensions import db
    from webapp.meetings.models import Meeting

    with app.app_context():
        from flask import render_template

        with app.test_request_context():
            html = render_template("meetings/pdf.html", meeting=db.session.get(Meeting, meeting_id),
                                   sections={"attendees", "agenda", "resolutions", "tasks", "signatures", "signin"},
                                   today=date(2026, 11, 23))
    static_html = os.path.join(tmp, "minutes.html")
    with open(static_html, "w", encoding="utf-8") as fh:
        fh.write(html)

    url = f"/meetings/{meeting_id}.pdf"
    r = client.get(url)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    HTML(filename=static_html).write_pdf()  # warm both paths (font discovery)

    app_times, floor_times, app_cpu, floor_cpu = [], [], [], []
    for _ in range(args.runs):
        t, c = time.perf_counter(), time.process_time()
        r = client.get(url)
        app_times.append(time.perf_counter() - t)
        app_cpu.append(time.process_time() - c)
        assert r.status_code == 200
        t, c = time.perf_counter(), time.process_time()
        HTML(filename=static_html).write_pdf()
        floor_times.append(time.perf_counter() - t)
        floor_cpu.append(time.process_time() - c)

    from pypdf import PdfReader
    import io

    pages = len(PdfReader(io.BytesIO(r.data)).pages)
    app_median, floor_median = statistics.median(app_times), statistics.median(floor_times)
    print(f"minutes PDF, 40 attendees, 10 agenda items, {pages} pages, {args.runs} runs")
    print(f"  app  GET {url}: median {app_median * 1000:.0f} ms (min {min(app_times) * 1000:.0f}, max {max(app_times) * 1000:.0f})")
    print(f"  bare WeasyPrint, same HTML from a file: median {floor_median * 1000:.0f} ms")
    print(f"  ratio app/floor: {app_median / floor_median:.2f}  (targets: ≤ 300 ms, ≤ 1.30)")
    print(f"  CPU time (less sensitive to a shared machine): app median {statistics.median(app_cpu) * 1000:.0f} ms, "
          f"floor {statistics.median(floor_cpu) * 1000:.0f} ms; load average {os.getloadavg()[0]:.1f}")
    ok = app_median <= 0.3 and app_median / floor_median <= 1.3
    print("  PASS" if ok else "  MISS")


if __name__ == "__main__":
    main()

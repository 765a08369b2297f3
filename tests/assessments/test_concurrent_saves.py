"""Concurrent saves, sent as real HTTP requests from threads to the live server: the same
scorer saving the same sheet many times at once, and the street admin making a
template's next revision twice at once. Every answer is a success or the Chinese
conflict message (409), never a 500; the data stays whole (one score per scorer, one
line per item, one revision per number). Runs on SQLite and on PostgreSQL."""
import re
import threading
from datetime import date
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener

from sqlalchemy import func, select

from conftest import DEMO_PASSWORD, csrf_from
from test_scoring_form import form_data, sheet_for
from webapp.assessments.models import AssessmentTemplate, ScoreLine, SheetScore
from webapp.extensions import db

THREADS = 8
ROUNDS = 4
CONFLICT = "已被他人修改"


def signed_in(base, username):
    opener = build_opener(HTTPCookieProcessor(CookieJar()))
    token = csrf_from(opener.open(base + "/login").read().decode())
    opener.open(Request(base + "/login", data=urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrf_token": token}).encode()))
    return opener


def post(opener, url, data):
    try:
        with opener.open(Request(url, data=urlencode(data).encode()), timeout=60) as r:
            return r.status, r.read().decode()
    except HTTPError as e:
        return e.code, e.read().decode()


def hammer(send):
    """Run `send()` from THREADS threads, ROUNDS times each, released together."""
    barrier = threading.Barrier(THREADS)
    results, lock = [], threading.Lock()

    def run():
        barrier.wait()
        for _ in range(ROUNDS):
            outcome = send()
            with lock:
                results.append(outcome)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    return results


def test_the_same_scorer_saving_one_sheet_at_once_gets_conflicts_not_500s(live_server, fresh_demo):
    sheet = sheet_for(date(2026, 11, 1), "恒安福苑")
    n_items = len(sheet.round.template.items)
    url = f"{live_server}/assessments/sheets/{sheet.id}/score"
    opener = signed_in(live_server, "shuangzhu_staff")
    token = csrf_from(opener.open(url).read().decode())
    data = form_data(sheet, token, 垃圾当日清={"findings": "2", "finding": "垃圾满溢"})
    db.session.rollback()  # the live server's threads write; this session only reads after

    results = hammer(lambda: post(opener, url, data))
    statuses = sorted({status for status, _ in results})
    assert set(statuses) <= {200, 409}, [(s, re.sub(r"\s+", " ", b)[:300]) for s, b in results if s not in (200, 409)]
    assert all(CONFLICT in body for status, body in results if status == 409)
    assert any(status == 200 for status, _ in results)
    db.session.expire_all()
    scores = db.session.scalars(select(SheetScore).where(SheetScore.sheet_id == sheet.id,
                                                         SheetScore.scorer.has(username="shuangzhu_staff"))).all()
    assert len(scores) == 1 and scores[0].total == 98
    lines = db.session.scalar(select(func.count()).select_from(ScoreLine).where(ScoreLine.score_id == scores[0].id))
    assert lines == n_items


def test_two_revisions_of_one_template_at_once_get_conflicts_not_500s(live_server, fresh_demo):
    template = db.session.scalars(select(AssessmentTemplate).order_by(AssessmentTemplate.id)).first()
    name, before = template.name, db.session.scalar(select(func.count()).select_from(AssessmentTemplate))
    url = f"{live_server}/assessments/templates/{template.id}/revise"
    opener = signed_in(live_server, "street_admin")
    token = csrf_from(opener.open(f"{live_server}/assessments/templates/{template.id}").read().decode())
    db.session.rollback()

    results = hammer(lambda: post(opener, url, {"csrf_token": token}))
    assert {status for status, _ in results} <= {200, 409}, \
        [(s, re.sub(r"\s+", " ", b)[:300]) for s, b in results if s not in (200, 409)]
    assert all("新版本" in body for status, body in results if status == 409)
    db.session.expire_all()
    revisions = db.session.scalars(select(AssessmentTemplate.revision).where(
        AssessmentTemplate.name == name, AssessmentTemplate.street_id == template.street_id)).all()
    made = sum(status == 200 for status, _ in results)
    assert len(revisions) == len(set(revisions))  # no number twice
    assert db.session.scalar(select(func.count()).select_from(AssessmentTemplate)) == before + made

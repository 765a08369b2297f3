"""The state machine as a property: random sequences of steps by random roles never
reach a state the rules forbid, never skip a state, and a refused step writes nothing."""
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from rq_helpers import category, compound
from webapp.auth.models import User
from webapp.extensions import db
from webapp.requests import rules, services
from webapp.requests.models import RequestEvent, ResidentRequest

# Every edge the rules allow: (from, to).
EDGES = {(s, rules.target(a, s, sat)) for a, (starts, _to, _who) in rules.ACTIONS.items() for s in starts
         for sat in ("satisfied", "unsatisfied")}
STEP = st.tuples(st.sampled_from(sorted(rules.ACTIONS) + ["bogus"]),
                 st.sampled_from(["staff", "assignee", "resident", None]),
                 st.sampled_from(["", "说明"]),
                 st.sampled_from(list(rules.SATISFACTION) + [""]))


def test_the_rules_in_words():
    assert rules.check("resolve", "dispatched", "staff").startswith("此诉求当前为“已派单”")
    assert rules.check("close", "visited", "assignee") == "承办单位不能“关闭”，请联系社区或网格员。"
    assert rules.check("accept", "dispatched", None).startswith("您不是此诉求的承办单位")
    assert rules.allowed("resolved", "resident") == ["visit"]
    assert rules.target("visit", "resolved", "unsatisfied") == "dispatched"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, min_size=1, max_size=12))
def test_random_steps_never_break_the_rules(fresh_demo, steps):
    user = db.session.scalar(select(User).where(User.username == "jiyang_staff"))
    item = services.create_request({"compound_id": compound("济阳一社区示例老旧小区2").id, "category_id": category("漏水", "济阳一社区示例老旧小区2").id,
                                    "source": "phone", "text": "漏水"}, user=user)
    db.session.commit()
    seen = [item.status]
    for action, role, note, satisfaction in steps:
        before = item.status
        events = db.session.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.request_id == item.id))
        version = item.version
        try:
            services.act(item, action, role, {"note": note, "satisfaction": satisfaction}, user=user)
            db.session.commit()
        except services.Refused as exc:
            assert str(exc) and any("\u4e00" <= ch <= "\u9fff" for ch in str(exc))
            db.session.rollback()
            item = db.session.get(ResidentRequest, item.id)
            assert item.status == before and item.version == version
            assert db.session.scalar(select(func.count(RequestEvent.id)).where(RequestEvent.request_id == item.id)) == events
            continue
        assert rules.check(action, before, role) is None  # only allowed moves go through
        assert item.status in rules.STATUSES
        assert item.status == before or (before, item.status) in EDGES
        seen.append(item.status)
    # The timeline holds every move, in order, each from where the previous one ended.
    moves = db.session.execute(select(RequestEvent.from_status, RequestEvent.to_status)
                               .where(RequestEvent.request_id == item.id).order_by(RequestEvent.id)).all()
    for (a_from, a_to), (b_from, _b_to) in zip(moves, moves[1:]):
        assert a_to == b_from
    db.session.execute(RequestEvent.__table__.delete().where(RequestEvent.request_id == item.id))
    db.session.execute(ResidentRequest.__table__.delete().where(ResidentRequest.id == item.id))
    db.session.commit()

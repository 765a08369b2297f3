"""One HTMX module: the same URL answers HTMX with a fragment and a browser with a page,
and says so in `Vary`, so a cache never hands one the other's answer."""
HX = {"HX-Request": "true"}


def test_an_error_is_a_fragment_for_htmx_and_a_page_otherwise(client, auth, fresh_demo):
    auth.login("street_admin")
    page = client.get("/meetings/2147483647")
    fragment = client.get("/meetings/2147483647", headers=HX)
    assert page.status_code == fragment.status_code == 404
    assert "<html" in page.get_data(as_text=True)
    assert "<html" not in fragment.get_data(as_text=True) and "页面不存在" in fragment.get_data(as_text=True)
    assert "HX-Request" in page.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]


def test_a_task_closed_from_its_row_answers_the_row_and_without_js_the_page(client, auth, fresh_demo):
    """meetings' close_task: the `_task_state` fragment for HTMX, `close_task.html` otherwise."""
    from sqlalchemy import select

    from conftest import csrf_from
    from webapp.extensions import db
    from webapp.auth.models import User
    from webapp.meetings.models import TASK_OPEN, FollowUpTask, Meeting

    auth.login("street_admin")
    street_id = db.session.scalar(select(User.street_id).where(User.username == "street_admin"))
    tasks = db.session.scalars(select(FollowUpTask).join(Meeting, Meeting.id == FollowUpTask.meeting_id)
                               .where(FollowUpTask.state == TASK_OPEN, Meeting.street_id == street_id).limit(2)).all()
    assert len(tasks) == 2
    token = csrf_from(client.get("/meetings/tasks").get_data(as_text=True))
    for task, headers in zip(tasks, (HX, {})):
        r = client.post(f"/meetings/tasks/{task.id}/close", headers=headers,
                        data={"csrf_token": token, f"task{task.id}-version": task.version, f"task{task.id}-done_note": ""})
        assert r.status_code == 422
        body = r.get_data(as_text=True)
        assert ("<html" in body) is (headers == {})

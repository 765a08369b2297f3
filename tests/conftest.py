"""Fixtures in the flaskr style: app, client, auth, factories, the demo street.

The schema is created once per run. After each test every row is deleted, so each test
starts from an empty database; `demo` (module-scoped, read-only use) and `fresh_demo`
(per test, may write) load the demo street. A module uses one or the other, not both:
`demo` rows stay for the whole module, so a `fresh_demo` restore there would collide. The suite runs on SQLite by default and on
PostgreSQL when TEST_DATABASE_URL is set.
"""
import os
import re
import tempfile
from datetime import date

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, text

_tmp = tempfile.mkdtemp(prefix="hongye-test-")
if not os.environ.get("TEST_DATABASE_URL"):
    os.environ["TEST_DATABASE_URL"] = f"sqlite:///{_tmp}/test.sqlite3"
os.environ.setdefault("UPLOAD_DIR", os.path.join(_tmp, "uploads"))
os.environ.setdefault("HUEY_SQLITE", os.path.join(_tmp, "huey.sqlite3"))  # not the checkout's instance/
os.environ.setdefault("HUEY_SQLITE", os.path.join(_tmp, "huey.sqlite3"))

from webapp import create_app  # noqa: E402
from webapp.config import TestConfig  # noqa: E402
from webapp.extensions import db  # noqa: E402

DEMO_PASSWORD = "hongye-demo"
CSRF_RE = re.compile(r'(?:name="csrf_token"[^>]*value="([^"]+)")|(?:"X-CSRFToken": "([^"]+)")')


APPEND_ONLY = ("audit_log", "audit_anchor")


def street_of(username):
    """The street id of a demo account (each street has its own templates, kinds …)."""
    from webapp.auth.models import User

    return db.session.scalar(select(User.street_id).where(User.username == username))


def _wipe(truncate=False):
    """Delete every row. The audit tables refuse DELETE (triggers), so the wipe uses what
    the app never does: TRUNCATE on PostgreSQL (row triggers do not see it), and on SQLite
    dropping the triggers and installing them again in the same transaction.

    `truncate`: on PostgreSQL, TRUNCATE every table (about 0.5 s, against milliseconds for
    DELETE), which also drops the dead rows DELETE leaves until autovacuum comes: a test
    that counts every table many times (test_no_500) would otherwise read them all."""
    from webapp.audit import schema as audit_schema

    db.session.remove()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql" and truncate:
            conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables))
            return
        if conn.dialect.name == "postgresql":
            # One round trip: TRUNCATE for the append-only tables, DELETE for the rest.
            conn.exec_driver_sql("; ".join(
                ["TRUNCATE " + ", ".join(APPEND_ONLY)]
                + [f'DELETE FROM "{table.name}"' for table in reversed(db.metadata.sorted_tables)
                   if table.name not in APPEND_ONLY]))
            return
        audit_schema.drop_triggers(conn)
        for table in reversed(db.metadata.sorted_tables):
            conn.execute(table.delete())
        audit_schema.install_triggers(conn)


class IsolatedClient(FlaskClient):
    """A test client whose requests never see another request's signed-in user or CSRF
    token. Tests run inside an app context, which Flask reuses for requests, so without
    this `g` (Flask-Login's cached user, Flask-WTF's token) would carry over between
    clients and a test could pass as the wrong user."""

    def open(self, *args, **kwargs):
        from flask import g, has_app_context

        if has_app_context():
            g.pop("_login_user", None)
            g.pop("csrf_token", None)
        try:
            return super().open(*args, **kwargs)
        finally:
            if has_app_context():
                g.pop("_login_user", None)
                g.pop("csrf_token", None)


@pytest.fixture(scope="session")
def app():
    app = create_app(TestConfig, UPLOAD_DIR=os.environ["UPLOAD_DIR"])
    app.test_client_class = IsolatedClient
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as conn:
                # A test database need not wait for the disk at each commit (thousands of
                # restores and wipes): the server acknowledges before the WAL is flushed.
                conn.execute(text("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET synchronous_commit = off', "
                                  "current_database()); EXCEPTION WHEN insufficient_privilege THEN NULL; END $$"))
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
            db.engine.dispose()  # new connections take the setting
        else:
            db.drop_all()
        db.create_all()
    yield app


@pytest.fixture(autouse=True)
def _app_ctx(app, request):
    """Each test runs inside an app context and leaves an empty database behind."""
    from webapp.extensions import limiter

    from webapp.jobs.queue import huey

    limiter.reset()  # rate limits and lockouts (memory storage) start afresh for each test
    # Huey's immediate mode is process-wide: an app a test builds (production settings …)
    # switches it off for everyone; each test starts with the suite app's own mode.
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))
    with app.app_context():
        yield
        if "demo" not in request.fixturenames:
            _wipe()


@pytest.fixture(scope="session")
def _demo_rows(app):
    """The demo street as the real loader builds it, captured once per run as plain rows
    so each test can start from it in milliseconds instead of rebuilding it."""
    with app.app_context():
        _wipe()
        from webapp.demo import load

        load()
        db.session.remove()
        with db.engine.connect() as conn:
            rows = {t.name: [dict(r._mapping) for r in conn.execute(t.select())] for t in db.metadata.sorted_tables}
        if db.engine.dialect.name == "postgresql":
            _pg_snapshot(rows)
        _wipe()
    return rows


SNAPSHOT_SCHEMA = "demo_snapshot"


def _pg_snapshot(rows):
    """PostgreSQL: a copy of each demo table that has rows, in a schema of its own, so a
    restore is one server-side INSERT … SELECT per table in a single round trip."""
    with db.engine.begin() as conn:
        conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {SNAPSHOT_SCHEMA} CASCADE; CREATE SCHEMA {SNAPSHOT_SCHEMA}")
        for table in db.metadata.sorted_tables:
            if rows.get(table.name):
                conn.exec_driver_sql(f'CREATE TABLE {SNAPSHOT_SCHEMA}."{table.name}" AS SELECT * FROM "{table.name}"')


def _restore(rows):
    """Insert the captured demo rows; on PostgreSQL (from the snapshot schema) move each
    id sequence past them."""
    db.session.remove()
    with db.engine.begin() as conn:
        if db.engine.dialect.name == "postgresql":
            statements = [f'INSERT INTO "{table.name}" SELECT * FROM {SNAPSHOT_SCHEMA}."{table.name}"'
                          for table in db.metadata.sorted_tables if rows.get(table.name)]
            statements += [
                f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM \"{table.name}\"), 0) + 1, false)"
                for table in db.metadata.sorted_tables if "id" in table.c and table.c.id.autoincrement]
            conn.exec_driver_sql("; ".join(statements))
            return
        for table in db.metadata.sorted_tables:
            if rows.get(table.name):
                conn.execute(table.insert(), rows[table.name])


@pytest.fixture(scope="module")
def demo(app, _demo_rows):
    """The demo street, loaded once for a module whose tests only read it."""
    with app.app_context():
        _wipe()
        _restore(_demo_rows)
    yield
    with app.app_context():
        _wipe()


@pytest.fixture
def fresh_demo(app, _demo_rows):
    """The demo street for a test that changes it."""
    _restore(_demo_rows)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_from(html):
    """The CSRF token a page carries (form field or hx-headers)."""
    m = CSRF_RE.search(html)
    assert m, "page carries no CSRF token"
    return m.group(1) or m.group(2)


def post(client, url, data=None, token_from="/", htmx=False, **kwargs):
    """POST `data` as the signed-in user's form would: with the CSRF token of the page at
    `token_from`; as HTMX when `htmx` (the token also in X-CSRFToken, as base.html's
    hx-headers send it). The one form-posting helper the domain tests share."""
    token = csrf_from(client.get(token_from).get_data(as_text=True))
    headers = {"HX-Request": "true", "X-CSRFToken": token} if htmx else {}
    headers.update(kwargs.pop("headers", None) or {})
    return client.post(url, data={"csrf_token": token, **(data or {})}, headers=headers, **kwargs)


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username="street_admin", password=DEMO_PASSWORD, totp=True):
        """Sign in through the form. An account whose role needs a second factor gets its
        current TOTP code typed in too (enrolling first if need be), unless totp=False."""
        page = self._client.get("/login")
        token = csrf_from(page.get_data(as_text=True))
        r = self._client.post("/login", data={"username": username, "password": password, "csrf_token": token})
        location = r.headers.get("Location", "")
        if totp and r.status_code == 303 and location.startswith("/login/totp"):
            r = self.totp(location)
        return r

    def totp(self, path="/login/totp", code=None):
        """Answer the TOTP step (or enrolment) with the account's current code."""
        page = self._client.get(path)
        html = page.get_data(as_text=True)
        with self._client.application.app_context():
            code = code or totp_code_for(html)
        return self._client.post(path, data={"code": code, "csrf_token": csrf_from(html)})

    def logout(self):
        token = self.csrf()
        return self._client.post("/logout", data={"csrf_token": token})

    def csrf(self, path="/"):
        """A valid CSRF token for the signed-in session, read from a page."""
        return csrf_from(self._client.get(path).get_data(as_text=True))


def totp_code_for(html_or_username):
    """The TOTP code of the account a TOTP page names ("账号 NAME"), or of NAME, from its
    secret in the database, as the user's phone would show it. A code is accepted once,
    so a test signing in again within 30 seconds takes the next step's code (the window
    allows one step either side); past that it lets the used step be forgotten, as if
    the clock had moved on."""
    import time

    import pyotp
    from sqlalchemy import select, update

    from webapp.auth.models import User

    m = re.search(r"账号 ([\w.-]+)", html_or_username)
    username = m.group(1) if m else html_or_username
    # End this session's read transaction: on SQLite a write from an old snapshot (the
    # app's requests have committed since) fails at once with "database is locked".
    db.session.rollback()
    secret, last = db.session.execute(select(User.totp_secret, User.totp_last_step).where(User.username == username)).one()
    assert secret, f"{username} has no TOTP secret"
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    for t in (now - 30, now, now + 30):
        if last is None or t // 30 > last:
            return totp.at(t)
    db.session.remove()  # release this thread's connection before writing on another
    with db.engine.begin() as conn:
        conn.execute(update(User).where(User.username == username).values(totp_last_step=None))
    return totp.at(now)


class Clock:
    """A controlled clock for the sign-in rules (session timeouts, password expiry) and
    the rate limiter's memory storage (lockouts): starts at the real time and moves only
    when told."""

    def __init__(self, monkeypatch):
        import time as real_time

        import limits.storage.memory as memory_storage

        from webapp import models_base

        self.now = models_base.utcnow()
        self._offset = 0.0
        self._real = real_time
        monkeypatch.setattr(models_base, "utcnow", lambda: self.now)
        fake_time = type("FakeTime", (), {"time": staticmethod(lambda: real_time.time() + self._offset),
                                           "sleep": staticmethod(real_time.sleep)})
        monkeypatch.setattr(memory_storage, "time", fake_time)

    def advance(self, **delta):
        from datetime import timedelta

        step = timedelta(**delta)
        self.now += step
        self._offset += step.total_seconds()


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def kept_figures(app):
    """Figures kept until the next write (webapp/figures_cache.py), as in production
    (the tests' configuration computes them every time)."""
    from webapp import figures_cache

    app.config["FIGURES_CACHE_SECONDS"] = 60
    figures_cache.clear()
    yield figures_cache
    app.config["FIGURES_CACHE_SECONDS"] = 0
    figures_cache.clear()


def look(client, path, only_selects=False):
    """GET `path`: (its HTML, the number of SQL statements it ran)."""
    from sqlalchemy import event

    seen = []

    def count(conn, cursor, statement, *args):
        if not only_selects or statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        html = client.get(path).get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return html, len(seen)


@pytest.fixture
def auth(client):
    return AuthActions(client)


class Factory:
    """Small builders for test data (the Indico habit: create_user(...))."""

    def __init__(self):
        self.n = 0

    def _next(self):
        self.n += 1
        return self.n

    def add(self, obj):
        db.session.add(obj)
        db.session.commit()
        return obj

    def street(self, name="测试街道"):
        from webapp.compounds.models import Street

        return self.add(Street(name=name))

    def default_street(self):
        """The one street of a single-street test (made on first use)."""
        from webapp.compounds.models import Street

        street = db.session.query(Street).order_by(Street.id).first()
        return street or self.street()

    def community(self, name=None, street=None):
        from webapp.compounds.models import Community

        n = self._next()
        street = street or self.default_street()
        return self.add(Community(name=name or f"测试社区{n}", slug=f"c{n}", street=street))

    def grid(self, community, name=None):
        from webapp.compounds.models import Grid

        return self.add(Grid(community=community, name=name or f"网格{self._next()}"))

    def company(self, name=None, party_members=0, party_org_form="none"):
        from webapp.companies.credit_code import make_code
        from webapp.companies.models import PropertyCompany

        n = self._next()
        return self.add(PropertyCompany(
            name=name or f"测试物业{n}", credit_code=make_code(f"91370211MA{n:07d}"),
            party_members=party_members, party_org_form=party_org_form,
        ))

    def compound(self, community, name=None, company=None, grid=None, kind="commodity", mode="company"):
        from webapp.compounds.models import Compound

        return self.add(Compound(community=community, name=name or f"小区{self._next()}", company=company,
                                 grid=grid, kind=kind, management_mode=mode))

    def building(self, compound, name=None, households=10, steward=None):
        from webapp.compounds.models import Building

        return self.add(Building(compound=compound, name=name or f"{self._next()}号楼", households=households, steward=steward))

    def person(self, name=None, community=None, company=None, party=False):
        from webapp.people.models import Person

        return self.add(Person(name=name or f"人员{self._next()}", community=community, company=company,
                               is_party_member=party, membership_kind="resident" if party else None))

    def org_unit(self, name, tree="party", level=1, parent=None, community=None, grid=None, compound=None):
        from webapp.structure.models import OrgTier, OrgUnit

        tier = db.session.query(OrgTier).filter_by(tree=tree, level=level).first()
        if tier is None:
            tier = self.add(OrgTier(tree=tree, level=level, name=f"第{level}级"))
        return self.add(OrgUnit(tier=tier, name=name, parent=parent, community=community, grid=grid, compound=compound))

    def position(self, person, role="委员", org_unit=None, committee=None, company=None):
        from webapp.people.models import Position

        return self.add(Position(person=person, role=role, org_unit=org_unit, committee=committee, company=company,
                                 start_date=date(2025, 1, 1)))

    def committee(self, compound, name=None, members=5, party_members=3):
        from webapp.compounds.models import OwnersCommittee

        return self.add(OwnersCommittee(compound=compound, name=name or f"业委会{self._next()}", members=members,
                                        party_members=party_members))

    def appointment(self, person, company, community, approval_document, compound=None, org_unit=None):
        from webapp.appointments.models import CrossAppointment

        return self.add(CrossAppointment(
            person=person, direction="company_in", company=company, community=community, compound=compound,
            org_unit=org_unit, home_role="项目经理", host_role="兼职委员", start_date=date(2025, 1, 1),
            approval_document=approval_document))

    def notice(self, title, community=None, compound=None, status="draft"):
        from webapp.notices.models import Notice

        return self.add(Notice(title=title, body="正文", community=community or (compound.community if compound else None),
                               compound=compound, status=status))

    def resident_request(self, text, community, compound=None, name="王女士", phone="13805320001"):
        from webapp.requests.models import ResidentRequest

        n = self._next()
        return self.add(ResidentRequest(receipt_no=f"YJ20260101-T{n:03d}", community=community, compound=compound,
                                        text=text, name=name, phone=phone))

    def meeting(self, title, community, compound=None, attending_company=None, task_company=None):
        from datetime import datetime

        from webapp.meetings.models import Attendee, FollowUpTask, Meeting, MeetingKind
        from webapp.meetings.services import seed_kinds

        kind = db.session.query(MeetingKind).first() or next(iter(seed_kinds().values()))
        m = Meeting(kind=kind, title=title, starts_at=datetime(2026, 11, 20, 9, 0), community=community,
                    compound=compound, place="议事厅")
        if attending_company is not None:
            m.attendees.append(Attendee(name="经理", organisation=attending_company.name, company=attending_company))
        if task_company is not None:
            m.tasks.append(FollowUpTask(what=f"{title}任务", owner="经理", owner_company=task_company,
                                        due_date=date(2026, 12, 1)))
        return self.add(m)

    def assessment_round(self, month=None):
        """An open round with a one-item template and a sheet per company × compound served."""
        from webapp.assessments.models import AssessmentTemplate, TemplateItem, TemplateSection
        from webapp.assessments.services import create_round

        template = AssessmentTemplate(name=f"考核表{self._next()}")
        template.sections.append(TemplateSection(title="垃圾当日清", items=[TemplateItem(title="清运", full_points=10)]))
        db.session.add(template)
        rnd = create_round(month or date(2026, 11, 1), template)
        db.session.commit()
        return rnd

    def user(self, username=None, role="street_admin", password=DEMO_PASSWORD, **places):
        from webapp.auth.services import create_user

        user = create_user(username or f"user{self._next()}", password, role, **places)
        db.session.commit()
        return user

    def today(self):
        from webapp.clock import local_today

        return local_today()


@pytest.fixture
def factory():
    return Factory()


# --- browser tests: Debian's chromium driven by Playwright, the app on a loopback port ---

@pytest.fixture(scope="session")
def live_server(app):
    """The test app served on 127.0.0.1 from a thread; yields its base URL."""
    import threading

    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser page; `page.login(username)` signs in through the form."""
    context = browser.new_context(base_url=live_server, locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(10000)

    def login(username="street_admin", password=DEMO_PASSWORD):
        pg.goto("/login")
        pg.fill("input[name=username]", username)
        pg.fill("input[name=password]", password)
        pg.click("button[type=submit]")
        pg.wait_for_url(lambda url: "/login" not in url or "/login/totp" in url)
        if "/login/totp" in pg.url:  # a role with a second factor: type what the phone shows
            pg.fill("input[name=code]", totp_code_for(username))
            pg.click("button[type=submit]")
            pg.wait_for_url(lambda url: "/login" not in url)

    def htmx_settled():
        """Wait until htmx has swapped, settled and bound what it inserted (it binds new
        content 20 ms after the swap; a change made before then sends nothing)."""
        pg.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')")

    pg.login = login
    pg.htmx_settled = htmx_settled
    yield pg
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A page in a WeChat-like phone browser, 390 × 844 (the residents' side)."""
    from browser.a11y import WECHAT_UA

    context = browser.new_context(base_url=live_server, locale="zh-CN", user_agent=WECHAT_UA,
                                  viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(10000)
    yield pg
    context.close()

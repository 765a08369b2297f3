"""Template helpers shared by every page."""
from datetime import date, datetime

from .auth.models import (
    AUDIT_ADMIN, CITY_STAFF, COMMUNITY_STAFF, COMPANY_USER, DISTRICT_STAFF, GRID_WORKER, RESIDENT_REP, ROLES,
    SECURITY_ADMIN, STREET_ADMIN, SYSTEM_ADMIN,
)
from .clock import format_local
from .htmx import is_htmx


def init_app(app):
    @app.template_filter("d")
    def format_date(value):
        """2026-11-23 → 2026年11月23日; None → empty."""
        if not value:
            return ""
        if isinstance(value, datetime):
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
        if isinstance(value, date):
            return f"{value.year}年{value.month}月{value.day}日"
        return str(value)

    # A stored UTC stamp in the street's local time: {{ meeting.approved_at|local }}.
    app.add_template_filter(format_local, "local")

    @app.template_filter("score")
    def score(value):
        """A computed score, always with two decimals (94.00 beside 91.67); None → —."""
        if value is None or value == "":
            return "—"
        return f"{round(float(value), 2):.2f}"

    @app.template_filter("pct")
    def pct(value):
        return f"{value * 100:.0f}%"

    @app.context_processor
    def globals_():
        return {
            "ROLES": ROLES,
            "is_htmx": is_htmx(),
            "nav_items": nav_items,
            "phone_of": phone_of,
            "street_switcher": street_switcher,
        }

    def street_switcher(user):
        """For district and city staff: (the street they view, every street they may
        view, where a switch leads) for the header's 正在查看 choice; None for everyone
        else. A switch stays on the same list page; from a record's page (of the old
        street) it goes to the dashboard."""
        from flask import request, url_for

        from .compounds.models import Street
        from .extensions import db
        from .scope import current_street_id, is_above_street, visible_streets

        if not is_above_street(user):
            return None
        street_id = current_street_id(user)
        after = request.path if request.method == "GET" and not request.view_args else url_for("dashboard.index")
        return (db.session.get(Street, street_id) if street_id else None), visible_streets(user), after

    def phone_of(obj):
        """A record's phone as the signed-in user may see it, by the record's own domain
        rule: a person, a building's steward, a resident's request."""
        from .compounds import access as compounds_access
        from .compounds.models import Building
        from .people import access as people_access
        from .requests import access as requests_access
        from .requests.models import ResidentRequest

        if isinstance(obj, Building):
            return compounds_access.steward_phone(obj)
        if isinstance(obj, ResidentRequest):
            return requests_access.phone_view(obj)
        return people_access.phone_view(obj)

    def nav_items(user):
        """The top navigation: each domain that is installed and open to the user's role."""
        items = []
        for endpoint, label, roles in NAV:
            if endpoint in app.view_functions and (roles is None or user.role in roles):
                items.append((endpoint, label))
        return items


# District and city staff read every street page of the street they view.
STAFF = (STREET_ADMIN, COMMUNITY_STAFF, GRID_WORKER, DISTRICT_STAFF, CITY_STAFF)
STREET_WORK = STAFF + (COMPANY_USER, RESIDENT_REP)  # not the 三员 (their own pages only)
NAV = (
    ("dashboard.index", "首页", STREET_WORK),
    ("district.index", "各街道情况", (DISTRICT_STAFF, CITY_STAFF)),
    ("structure.index", "组织架构", STAFF),
    ("compounds.index", "小区楼栋", STAFF + (COMPANY_USER,)),
    ("companies.index", "物业企业", STAFF + (COMPANY_USER,)),
    ("people.index", "人员", STAFF + (COMPANY_USER,)),
    ("appointments.index", "交叉任职", STAFF),
    ("meetings.index", "议事协商", STAFF + (COMPANY_USER,)),
    ("assessments.index", "物业考核", STREET_WORK),
    ("notices.index", "公示管理", STAFF),
    ("requests.index", "群众诉求", STAFF + (COMPANY_USER,)),
    ("audit.index", "操作记录", (STREET_ADMIN, AUDIT_ADMIN, SECURITY_ADMIN)),
    ("accounts.index", "账号管理", (SYSTEM_ADMIN,)),
    ("security.index", "安全策略", (SECURITY_ADMIN,)),
)

"""红色物业工作台: the application factory."""
import os

from flask import Flask, Response, abort, has_request_context, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import event
from sqlalchemy.engine import Engine

from werkzeug.exceptions import SecurityError
from werkzeug.routing import IntegerConverter

from . import htmx
from .config import DEFAULT_SECRET, Config
from .extensions import compress, csrf, db, limiter, login_manager, migrate
from .htmx import page_or_fragment

@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite: WAL journal, foreign keys enforced, wait for locks instead of failing."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")  # a writer waits its turn up to 30 s
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()
        # SQLAlchemy, not the sqlite3 module, begins transactions (see _sqlite_begin).
        dbapi_connection.isolation_level = None


@event.listens_for(Engine, "begin")
def _sqlite_begin(conn):
    """SQLite: a writing request (POST, PUT, PATCH, DELETE) begins with BEGIN IMMEDIATE,
    taking the write lock up front, so concurrent writers wait their turn (busy_timeout)
    instead of failing with "database is locked" when their read snapshot turns into a
    write. Pages (GET, HEAD), jobs and commands begin deferred: readers never block (WAL)."""
    if conn.dialect.name != "sqlite":
        return
    writing = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")


class BoundedIntConverter(IntegerConverter):
    """<int:...> limited to a 32-bit signed integer (the id columns' range)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(config_class=Config, **overrides):
    """Build the app: bind extensions, register every domain's blueprint and handlers."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_relative_config=True,
        instance_path=overrides.get("INSTANCE_PATH") or getattr(config_class, "INSTANCE_PATH", None),
    )
    app.config.from_object(config_class)
    app.config.update(overrides)
    if app.config.get("PRODUCTION"):
        if app.config["SECRET_KEY"] == DEFAULT_SECRET:
            raise RuntimeError("生产模式拒绝启动：请设置 SECRET_KEY 环境变量。")
        if not (app.config.get("PUBLIC_BASE_URL") or app.config.get("TRUSTED_HOSTS")):
            raise RuntimeError("生产模式拒绝启动：请设置 PUBLIC_BASE_URL（二维码和打印件上的网址）"
                               "或 HONGYE_TRUSTED_HOSTS（允许的主机名，逗号分隔），否则二维码会写入请求伪造的主机名。")
        app.config["LOAD_DEMO"] = False
        if app.config["RATELIMIT_STORAGE_URI"].startswith("memory"):
            app.logger.warning("RATELIMIT_STORAGE_URI is memory://: each worker process counts sign-in failures "
                               "on its own; set redis://… so lockouts hold across workers and servers.")
        secure = not app.config.get("PLAIN_HTTP")
        app.config["SESSION_COOKIE_SECURE"] = secure
        app.config["REMEMBER_COOKIE_SECURE"] = secure
    os.makedirs(app.instance_path, exist_ok=True)

    # Every <int:...> in a URL is bounded to what the database can hold, so an absurd id
    # answers 404 instead of overflowing the query.
    app.url_map.converters["int"] = BoundedIntConverter

    if app.config.get("TRUSTED_PROXIES"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=0)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)

    from . import models  # noqa: F401  (register every table)

    _install_session_hooks()
    _register_blueprints(app)

    from . import cli, observability, templating
    from .jobs import queue

    cli.init_app(app)
    queue.init_app(app)
    observability.init_app(app)
    templating.init_app(app)
    from .public import links

    links.init_app(app)
    _register_errors(app)
    from .auth import sessions

    sessions.init_app(app)
    _refuse_nul_bytes(app)
    _security_headers(app)
    htmx.init_app(app)
    return app


def _install_session_hooks():
    """Everything that listens on every SQLAlchemy session, in one place (each idempotent)."""
    from . import uploads
    from .audit import services as audit_services
    from .meetings import models as meetings_models
    from .public import cache as public_cache
    from .streets import ownership

    ownership.install()  # street-owned rows get their street (before the audit hook reads them)
    audit_services.install()  # every row written is audited (and the audit log is append-only)
    meetings_models.install_guard()  # approved minutes cannot change, whatever the code path
    public_cache.install()  # a commit that changes what the board shows invalidates its cache
    uploads.install()  # files stored by a transaction that does not commit are removed


def _register_blueprints(app):
    """Every domain's pages. (The top navigation, in its own order: templating.NAV.)"""
    from .accounts.views import bp as accounts
    from .appointments.views import bp as appointments
    from .assessments.views import bp as assessments
    from .audit.views import bp as audit
    from .auth.views import bp as auth
    from .companies.views import bp as companies
    from .compounds.views import bp as compounds
    from .dashboard.views import bp as dashboard
    from .district.views import bp as district
    from .documents.views import bp as documents
    from .jobs.views import bp as jobs
    from .meetings.views import bp as meetings
    from .notices.views import bp as notices
    from .people.views import bp as people
    from .public.views import bp as public
    from .requests.views import bp as requests
    from .security.views import bp as security
    from .streets.views import bp as streets
    from .structure.views import bp as structure

    for blueprint in (auth, accounts, security, dashboard, audit, structure, compounds, companies, people,
                      appointments, assessments, meetings, notices, public, requests, jobs, documents, streets,
                      district):
        app.register_blueprint(blueprint)


def _register_errors(app):
    """Chinese error pages; HTMX requests get a small fragment instead of a page."""

    def page(code, title, message):
        return page_or_fragment("errors/error.html", "errors/_error.html", code, code=code, title=title,
                                message=message)

    @app.errorhandler(400)
    def bad_request(e):
        if isinstance(e, SecurityError):  # a Host not in TRUSTED_HOSTS: no URL can be built for it
            return Response("主机名不受信任：请通过本系统配置的网址访问。\n", 400, mimetype="text/plain")
        return page(400, "请求无效", "提交的数据无法处理，请检查后重试。")

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return page(400, "页面已过期", "表单安全校验失败（页面可能已过期）。请刷新页面后重新提交，已填写的内容未保存。")

    @app.errorhandler(403)
    def forbidden(e):
        return page(403, "无权访问", "您的账号没有访问此页面的权限。")

    @app.errorhandler(404)
    def not_found(e):
        if request.path.startswith("/public/"):  # the public board sets no session cookie
            return render_template("public/error.html", title="页面不存在", message="您要找的公告或页面不存在，可能已到期或已撤下。"), 404
        return page(404, "页面不存在", "您要找的页面不存在，或不在您的管辖范围内。")

    @app.errorhandler(405)
    def not_allowed(e):
        return page(405, "请求方式不正确", "此地址不接受这种请求方式。")

    @app.errorhandler(413)
    def too_large(e):
        limit = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return page(413, "文件过大", f"上传的内容超过 {limit} MB 的上限，请压缩或拆分后再上传。")

    @app.errorhandler(429)
    def too_many(e):
        if request.path.startswith("/public/"):
            return render_template("public/error.html", title="查询过于频繁",
                                   message="同一网络查询次数过多，请 10 分钟后再试，或拨打社区电话咨询。"), 429
        if request.blueprint == "auth":
            from .auth.views import throttled_page

            return throttled_page()
        return page(429, "请求过于频繁", "请求次数过多，请稍后再试。")

    @app.errorhandler(500)
    def server_error(e):
        db.session.rollback()
        return page(500, "系统出错", "处理请求时出错，数据未保存。请稍后重试或联系管理员。")


def _refuse_nul_bytes(app):
    """PostgreSQL text cannot hold a NUL byte, so a path or query string carrying one would
    fail the first query that compares it with a column (a 500 on every search box). Refuse
    it before any view runs: 404 for the path, 400 for the query string. (Form fields get
    their own Chinese message from `forms.no_control_chars`.)"""

    @app.before_request
    def refuse_nul():
        if "\x00" in request.path:
            abort(404)
        for key, values in request.args.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                abort(400)


def _security_headers(app):
    from flask_login import current_user

    @app.after_request
    def headers(response):
        # Signed-in pages and exports hold what only this user may see: no cache keeps
        # them (the back button after sign-out, a shared PC). Public pages keep their
        # ETag caching and static files their own headers.
        if request.blueprint != "public" and request.endpoint != "static" and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; object-src 'none'; frame-ancestors 'self'",
        )
        return response

"""Command-line commands: demo-data and create-user (flask --app wsgi ...)."""
import contextlib
import fcntl
import os
import zlib

import click
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from .auth.models import ROLES
from .extensions import db


def database_is_empty():
    from .compounds.models import Street

    return (db.session.scalar(select(func.count()).select_from(Street)) or 0) == 0


@contextlib.contextmanager
def database_lock(name):
    """Hold an exclusive lock named `name` for the whole database across processes:
    a PostgreSQL advisory lock on its own connection, or on SQLite an flock on a file
    beside the database file. Two `demo-data --if-empty` started at once then run one
    after the other, and the second finds the street already there."""
    url = make_url(str(db.engine.url))
    if url.get_backend_name() == "postgresql":
        key = zlib.crc32(name.encode())
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": key})
            conn.commit()
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
                conn.commit()
        return
    path = url.database
    if not path or path == ":memory:":
        yield  # an in-memory database belongs to one process
        return
    with open(f"{os.path.abspath(path)}.{name}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def load_demo_if_empty():
    """Load the demo street unless the database already holds a street; safe when run by
    several processes at once (they take turns under `database_lock`). True if loaded."""
    with database_lock("demo-data"):
        db.session.remove()
        if not database_is_empty():
            return False
        from .demo import load

        load()
        return True


def init_app(app):
    from . import backup
    from .audit import commands as audit_commands

    audit_commands.init_app(app)
    backup.init_app(app)

    @app.cli.command("demo-data")
    @click.option("--if-empty", is_flag=True, help="只在数据库为空时加载")
    def demo_data(if_empty):
        """Load the demo (the reports' eleven streets, 隐珠街道 / 济阳街道 …) into an empty database.

        With --if-empty this is the start-up step of `make run` / `make serve`: it does
        nothing (and succeeds) in production, with HONGYE_LOAD_DEMO=0, or on a database
        that already has a street."""
        if app.config.get("PRODUCTION") or not app.config.get("LOAD_DEMO"):
            if if_empty:
                click.echo("生产模式或 HONGYE_LOAD_DEMO=0：不加载演示数据。")
                return
            if app.config.get("PRODUCTION"):
                raise click.ClickException("生产模式不加载演示数据。")
        if load_demo_if_empty():
            click.echo("演示数据已加载。")
        elif if_empty:
            click.echo("数据库已有数据，跳过演示数据。")
        else:
            raise click.ClickException("数据库不为空，拒绝加载演示数据。")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(sorted(ROLES)), required=True)
    @click.option("--name", "display_name", default=None)
    @click.option("--community-id", type=int, default=None)
    @click.option("--grid-id", type=int, default=None)
    @click.option("--company-id", type=int, default=None)
    @click.password_option()
    def create_user_cmd(username, role, display_name, community_id, grid_id, company_id, password):
        """Create a sign-in account. The password must meet the security policy; the
        user changes it at first sign-in."""
        from .auth.models import User
        from .auth.services import create_user, password_problems

        if db.session.scalar(select(User.id).where(User.username == username)):
            raise click.ClickException(f"账号 {username} 已存在。")
        problems = password_problems(username, password)
        if problems:
            raise click.ClickException("密码不符合安全策略：" + "".join(problems))
        create_user(
            username, password, role, display_name, must_change=True,
            community_id=community_id, grid_id=grid_id, company_id=company_id,
        )
        db.session.commit()
        click.echo(f"已创建用户 {username}，首次登录时须修改密码。")

"""Command-line commands: demo-data and create-user (flask --app wsgi ...)."""
import click
from sqlalchemy import func, select

from .auth.models import ROLES
from .extensions import db


def database_is_empty():
    from .compounds.models import Street

    return (db.session.scalar(select(func.count()).select_from(Street)) or 0) == 0


def init_app(app):
    @app.cli.command("demo-data")
    @click.option("--if-empty", is_flag=True, help="只在数据库为空时加载")
    def demo_data(if_empty):
        """Load the demo street (济阳街道 / 双珠路社区 …) into an empty database."""
        if app.config.get("PRODUCTION"):
            raise click.ClickException("生产模式不加载演示数据。")
        if not database_is_empty():
            if if_empty:
                click.echo("数据库已有数据，跳过演示数据。")
                return
            raise click.ClickException("数据库不为空，拒绝加载演示数据。")
        from .demo import load

        load()
        click.echo("演示数据已加载。")

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


def prepare_database(app):
    """Upgrade the schema to the newest revision and, outside production, load the
    demo street into an empty database. Called when the app starts serving."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(revision="heads")
        if app.config.get("LOAD_DEMO") and not app.config.get("PRODUCTION") and database_is_empty():
            from .demo import load

            load()

"""/accounts/: the system administrator (系统管理员) lists, creates, edits, disables
accounts, resets passwords and second factors, and lifts lockouts."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from ..auth import services as auth_services
from ..auth.models import ROLES, SYSTEM_ADMIN, User
from ..companies.models import PropertyCompany
from ..compounds.models import Community, Grid, Region, Street
from ..extensions import db
from .. import picker
from ..forms import BaseForm, page_arg, save_or_conflict
from ..paging import bounded_count
from ..scope import roles_required
from ..search import matches
from . import services
from .forms import AccountForm, NewAccountForm, ResetPasswordForm

bp = Blueprint("accounts", __name__, url_prefix="/accounts")
PAGE_SIZE = 50


def _get_or_404(user_id):
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


# The places an account can belong to, as pickers: (scoped statement, id, name, label,
# extra searched columns). The system administrator may choose any place of the deployment.
PICKERS = {
    "community_id": lambda: (select(Community).join(Street, Community.street_id == Street.id)
                             .options(contains_eager(Community.street)),
                             Community.id, Community.name, lambda c: f"{c.street.name} · {c.name}", (Street.name,)),
    "grid_id": lambda: (select(Grid).join(Community, Grid.community_id == Community.id)
                        .options(contains_eager(Grid.community)),
                        Grid.id, Grid.name, lambda g: f"{g.community.name} · {g.name}", (Community.name,)),
    "company_id": lambda: (select(PropertyCompany), PropertyCompany.id, PropertyCompany.name, None, ()),
    "street_id": lambda: (select(Street).options(selectinload(Street.region)), Street.id, Street.name,
                          lambda s: f"{s.district_name} · {s.name}" if s.region else s.name, ()),
}


def _fill_choices(form):
    for name, spec in PICKERS.items():
        stmt, id_col, name_col, label, extra = spec()
        picker.fill(getattr(form, name), "accounts.pick", stmt, id_col, name_col, blank="（无）", label=label,
                    extra=extra)
    form.region_id.choices = [("", "（无）")] + [(str(r.id), f"{r.tier.name} · {r.name}") for r in db.session.scalars(
        select(Region).options(selectinload(Region.tier)).order_by(Region.tier_id, Region.name))]


def _place_missing(form):
    """(field, message) when a picked place is not a real one (a forged or stale id)."""
    for name, spec in PICKERS.items():
        value = getattr(form, name).data
        if value:
            stmt, id_col, *_ = spec()
            if not picker.exists(stmt, id_col, value):
                return name, "所选项不存在，请重新选择。"
    return None


@bp.route("/pick")
@roles_required(SYSTEM_ADMIN)
def pick():
    """The HTMX options of a place picker on the account form (`?field=company_id&q=…`)."""
    spec = PICKERS.get(request.args.get("field", ""))
    if spec is None:
        abort(404)
    stmt, id_col, name_col, label, extra = spec()
    return picker.fragment(stmt, id_col, name_col, blank="（无）", label=label, extra=extra)


def _account_form(user, posted):
    """The edit form: as posted, or filled from the account."""
    if posted:
        form = AccountForm()
    else:
        form = AccountForm(formdata=None, obj=user)
        for name in services.PLACES:
            value = getattr(user, name)
            getattr(form, name).data = str(value) if value else ""
        form.version.data = user.version
    _fill_choices(form)
    return form


def _valid(form):
    if not form.validate_on_submit():
        return False
    problem = _place_missing(form) or services.place_problem(form)
    if problem:
        getattr(form, problem[0]).errors.append(problem[1])
        return False
    return True


@bp.route("/")
@roles_required(SYSTEM_ADMIN)
def index():
    """One page of accounts, by role and name; search by account or name, filter by role."""
    q = (request.args.get("q") or "").strip()[:64]
    role = request.args.get("role") or ""
    page = page_arg(request.args)
    stmt = select(User)
    if q:
        stmt = stmt.where(matches(q, User.username, User.display_name, ignore_case=True))
    if role in ROLES:
        stmt = stmt.where(User.role == role)
    total, capped = bounded_count(stmt, User.id, page, PAGE_SIZE)
    # Each account's places joined in (many-to-one): one statement whichever places the page's accounts have.
    users = db.session.scalars(stmt.options(joinedload(User.community), joinedload(User.grid),
                                            joinedload(User.company), joinedload(User.street),
                                            joinedload(User.region))
                               .order_by(User.role, User.username, User.id)
                               .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    locked = {u.id for u in users if auth_services.is_locked(u.username)}
    return render_template("accounts/index.html", users=users, locked=locked, roles=ROLES, q=q, role=role,
                           page=page, total=total, capped=capped, page_size=PAGE_SIZE)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(SYSTEM_ADMIN)
def create():
    form = NewAccountForm()
    _fill_choices(form)
    status = 200
    if form.validate_on_submit():
        problem = _place_missing(form) or services.place_problem(form)
        if problem:
            getattr(form, problem[0]).errors.append(problem[1])
        if db.session.scalar(select(User.id).where(User.username == form.username.data)):
            form.username.errors.append("该账号名已被使用。")
        form.password.errors.extend(auth_services.password_problems(form.username.data, form.password.data))
        if not any(field.errors for field in form):
            try:
                user = services.create_account(form)
                db.session.commit()
            except IntegrityError:
                db.session.rollback()
                form.username.errors.append("该账号名已被使用。")
            else:
                flash(f"已创建账号 {user.username}，用户首次登录时须修改密码。", "success")
                return redirect(url_for(".detail", user_id=user.id), code=303)
    if request.method == "POST":
        status = 422
    return render_template("accounts/new.html", form=form), status


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@roles_required(SYSTEM_ADMIN)
def detail(user_id):
    """An account: edit role, place and name; the actions below the form."""
    user = _get_or_404(user_id)
    form = _account_form(user, posted=request.method == "POST")
    status = 200
    if request.method == "POST":
        status = 422
        if _valid(form) and not form.is_stale(user):
            if user.id == current_user.id and form.role.data != user.role:
                form.role.errors.append("不能更改自己的角色。")
            else:
                if save_or_conflict(lambda: services.update_account(user, form), form.form_errors):
                    flash(f"已保存账号 {user.username}。", "success")
                    return redirect(url_for(".detail", user_id=user.id), code=303)
        if form.form_errors:
            status = 409
    return render_template("accounts/detail.html", user=user, form=form, reset_form=ResetPasswordForm(formdata=None),
                           action_form=BaseForm(formdata=None), locked=auth_services.is_locked(user.username)), status


def _action(user_id, apply, message):
    user = _get_or_404(user_id)
    form = BaseForm()
    if not form.validate_on_submit():
        abort(400)
    apply(user)
    db.session.commit()
    flash(message.format(user=user.username), "success")
    return redirect(url_for(".detail", user_id=user.id), code=303)


@bp.route("/<int:user_id>/disable", methods=["POST"])
@roles_required(SYSTEM_ADMIN)
def disable(user_id):
    if user_id == current_user.id:
        flash("不能停用自己的账号。", "error")
        return redirect(url_for(".detail", user_id=user_id), code=303)
    return _action(user_id, lambda u: services.set_active(u, False), "已停用账号 {user}，其所有登录已立即退出。")


@bp.route("/<int:user_id>/enable", methods=["POST"])
@roles_required(SYSTEM_ADMIN)
def enable(user_id):
    return _action(user_id, lambda u: services.set_active(u, True), "已启用账号 {user}。")


@bp.route("/<int:user_id>/unlock", methods=["POST"])
@roles_required(SYSTEM_ADMIN)
def unlock(user_id):
    return _action(user_id, auth_services.unlock, "已解除账号 {user} 的登录锁定。")


@bp.route("/<int:user_id>/reset-totp", methods=["POST"])
@roles_required(SYSTEM_ADMIN)
def reset_totp(user_id):
    user = _get_or_404(user_id)
    if not (user.totp_enabled or user.totp_secret):
        flash(f"账号 {user.username} 尚未绑定验证器，无需重置。", "info")
        return redirect(url_for(".detail", user_id=user.id), code=303)
    return _action(user_id, auth_services.reset_totp, "已重置账号 {user} 的双因素认证，用户下次登录时重新绑定验证器。")


@bp.route("/<int:user_id>/reset-password", methods=["POST"])
@roles_required(SYSTEM_ADMIN)
def reset_password(user_id):
    """A temporary password the user must change at next sign-in; their sessions end."""
    user = _get_or_404(user_id)
    reset_form = ResetPasswordForm()
    if reset_form.validate_on_submit():
        reset_form.password.errors.extend(auth_services.password_problems(user, reset_form.password.data))
        if not reset_form.password.errors:
            auth_services.reset_password(user, reset_form.password.data)
            db.session.commit()
            flash(f"已重置账号 {user.username} 的密码，其所有登录已退出；用户下次登录时须修改密码。", "success")
            return redirect(url_for(".detail", user_id=user.id), code=303)
    form = _account_form(user, posted=False)
    return render_template("accounts/detail.html", user=user, form=form, reset_form=reset_form,
                           action_form=BaseForm(formdata=None), locked=auth_services.is_locked(user.username)), 422

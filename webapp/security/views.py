"""/security/: the security administrator (安全管理员) sets the sign-in policy."""
from flask import Blueprint, flash, redirect, render_template, request, url_for

from ..auth.models import ADMIN_ROLES, ROLES, SECURITY_ADMIN
from ..forms import save_or_conflict
from ..scope import roles_required
from .forms import PolicyForm
from .models import policy
from .services import FIELDS, save_policy

bp = Blueprint("security", __name__, url_prefix="/security")


@bp.route("/", methods=["GET", "POST"])
@roles_required(SECURITY_ADMIN)
def index():
    """The policy: password rules, lockout, session timeouts, who needs a second factor."""
    current = policy(for_update=True)  # its id and version: the form edits the row
    form = PolicyForm(obj=current if request.method == "GET" else None)
    if request.method == "GET":
        form.totp_roles.data = sorted(current.totp_role_set)
        form.version.data = current.version or 0
    status = 200
    if form.validate_on_submit():
        if current.id is not None and form.is_stale(current):
            status = 409
        else:
            if save_or_conflict(lambda: save_policy(form), form.form_errors):
                flash("安全策略已保存，立即生效。", "success")
                return redirect(url_for(".index"), code=303)
            status = 409
    elif request.method == "POST":
        status = 422
    return render_template("security/index.html", form=form, fields=FIELDS, roles=ROLES,
                           admin_roles=[ROLES[r] for r in ADMIN_ROLES]), status

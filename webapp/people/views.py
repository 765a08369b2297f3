"""/people/: people and the positions they hold."""
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import or_, select

from ..extensions import db
from ..scope import STAFF_ROLES, community_filter, get_scoped_or_404, roles_required
from .models import Person

bp = Blueprint("people", __name__, url_prefix="/people")
READERS = STAFF_ROLES + ("company_user",)


def person_filter(user=None):
    """Company users see their own staff; others see people of their communities."""
    user = user or current_user
    if user.role == "company_user":
        return Person.company_id == user.company_id
    if user.is_street_admin:
        return Person.id.is_not(None)
    return or_(community_filter(Person.community_id, user))


@bp.route("/")
@roles_required(*READERS)
def index():
    people = db.session.scalars(select(Person).where(person_filter()).order_by(Person.name)).all()
    return render_template("people/index.html", people=people)


@bp.route("/<int:person_id>")
@roles_required(*READERS)
def detail(person_id):
    person = get_scoped_or_404(select(Person).where(Person.id == person_id, person_filter()))
    return render_template("people/detail.html", person=person)

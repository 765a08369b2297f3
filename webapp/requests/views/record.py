"""/requests/new: staff record a request for a resident (assisted reporting), in one
short form that works at phone width and from the keyboard. While typing, /requests/similar
(HTMX) shows open requests of the same compound and category from the last 30 days
with similar text; one of them can be chosen as the original (a duplicate)."""
from flask import abort, flash, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ... import picker
from ...compounds import access as compound_access
from ...compounds.models import Building, Compound
from ...extensions import db
from ...forms import id_arg, save_or_conflict
from ...htmx import redirect_to
from ...scope import STAFF_ROLES, roles_required
from .. import access, services
from ..forms import RecordForm, check_photos
from . import bp
from .common import categories, compound_allowed


def _buildings(compound_id):
    if not compound_id:
        return []
    return db.session.execute(select(Building.id, Building.name).where(Building.compound_id == compound_id)
                              .order_by(Building.name)).all()


def _form():
    """The form, its compound a picker of the compounds the user may record at (search
    as you type; a grid worker's few all shown), checked against the access module."""
    form = RecordForm()
    form.category_id.choices = [(None, "请选择类别")] + [(c.id, c.name) for c in categories()]
    compound_id = form.compound_id.data if compound_allowed(form.compound_id.data) else None
    if compound_id is None and request.method == "GET":
        compound_id = id_arg(request.args, "compound")
        if compound_allowed(compound_id):
            form.compound_id.data = compound_id
        else:
            compound_id = None
    if form.compound_id.data is not None and compound_id is None:
        form.compound_id.data = None  # not one the user may choose: asked again, never shown
    picker.fill(form.compound_id, "compounds.pick", compound_access.pick_stmt(), Compound.id, Compound.name,
                blank="请选择小区", blank_value=None, label=compound_access.pick_label)
    form.building_id.choices = [(None, "不指定楼栋")] + [(b.id, b.name) for b in _buildings(compound_id)]
    return form


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def new():
    form = _form()
    status = 200
    if request.method == "POST":
        valid = form.validate_on_submit()
        if valid and form.compound_id.data is None:  # an id the user may not choose
            form.compound_id.errors = ["请从列表中选择小区。"]
        elif valid:
            photos = check_photos(form.photos)
            original = None
            if form.duplicate_of.data:
                original = services.find_in_street(form.duplicate_of.data, access.request_filter())
                if original is None:
                    form.duplicate_of.errors = ["没有找到这个原诉求（或不在您的范围内）。"]
            if photos is not None and not form.duplicate_of.errors:
                data = dict(form.data, duplicate_of=original)

                def record():
                    """Record it; the page's message is written before the commit (which
                    would otherwise have the request read again for it)."""
                    item = services.create_request(data, photos, current_user)
                    if original is not None:
                        return item.id, (f"已作为 {original.receipt_no} 的重复诉求登记，回执号 {item.receipt_no}。"
                                         "居民凭回执号可看到原诉求的进度。")
                    return item.id, f"已登记，回执号 {item.receipt_no}，已派至：{item.assignee_label}。"

                saved = save_or_conflict(record, form.form_errors)
                if saved:
                    request_id, message = saved
                    flash(message, "success")
                    return redirect_to(url_for(".detail", request_id=request_id))
        status = 200 if picker.finding() else 422
    similar = services.similar_requests(form.compound_id.data, form.category_id.data, form.text.data or "",
                                        access.request_filter()) if request.method == "POST" else []
    return render_template("requests/new.html", form=form, similar=similar), status


@bp.route("/similar")
@roles_required(*STAFF_ROLES)
def similar():
    """HTMX: the similar open requests for what is being typed (a fragment)."""
    compound_id = id_arg(request.args, "compound_id")
    if compound_id is not None and not compound_allowed(compound_id):
        abort(404)
    items = services.similar_requests(compound_id, id_arg(request.args, "category_id"),
                                      (request.args.get("text") or "")[:1000], access.request_filter())
    return render_template("requests/_similar.html", similar=items)


@bp.route("/buildings")
@roles_required(*STAFF_ROLES)
def buildings():
    """HTMX: the building options of the chosen compound."""
    compound_id = id_arg(request.args, "compound_id")
    if compound_id is not None and not compound_allowed(compound_id):
        abort(404)
    return render_template("requests/_building_options.html", buildings=_buildings(compound_id))

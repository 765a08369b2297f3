"""/structure/: the organisation tree, with HTMX expand/collapse and inline add, rename, move.

Without JavaScript every control still works: ▸/▾ are links that reload the tree with
`?open=<ids>` (the expanded units), and 添加下级 / 改名 / 移动 are links to the same forms
on a page of their own, which post and come back to the tree."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..auth.models import STREET_ADMIN
from ..extensions import db
from ..forms import save_or_conflict
from ..htmx import is_htmx, page_or_fragment, redirect_to
from ..scope import STAFF_ROLES, roles_required, visible_communities
from . import services
from .forms import TierForm, UnitAddForm, UnitMoveForm, UnitRenameForm
from .models import TREES, OrgUnit

bp = Blueprint("structure", __name__, url_prefix="/structure")


def _tree_arg():
    tree = request.args.get("tree", "party")
    if tree not in TREES:
        abort(404)
    return tree


def _unit_tree(unit_id):
    """The tree a unit belongs to, or 404 when the unit does not exist."""
    unit = db.session.get(OrgUnit, unit_id)
    if unit is None:
        abort(404)
    return services.TreeView(unit.tier.tree)


def _visible_unit(unit_id):
    tv = _unit_tree(unit_id)
    if unit_id not in tv.visible:
        abort(404)
    return tv, tv.by_id[unit_id]


def _writable_unit(unit_id):
    """A unit the user may change; 404 otherwise (also for one they may only read)."""
    tv, unit = _visible_unit(unit_id)
    if unit_id not in tv.writable:
        abort(404)
    return tv, unit


def _rows(tv, units):
    facts = tv.facts(units)
    return [
        {"unit": u, "facts": facts[u.id], "child_count": len(tv.visible_children(u.id)),
         "writable": u.id in tv.writable}
        for u in units
    ]


def _row(tv, unit, expanded=False):
    row = _rows(tv, [unit])[0]
    row["expanded"] = expanded
    return row


OPEN_LIMIT = 500  # ids read from ?open=, more than any tree a street keeps


def _open_arg(tv):
    """The units the tree shows expanded when the page was asked for with ?open=3,17,42
    (the no-JS toggles), or None for the default set. Unknown or hidden ids are ignored."""
    raw = request.args.get("open")
    if raw is None:
        return None
    ids = set()
    for part in raw.split(",")[:OPEN_LIMIT]:
        part = part.strip()
        if part.isascii() and part.isdigit() and len(part) < 10 and int(part) in tv.visible:
            ids.add(int(part))
    return ids


def _lineage(tv, unit_id):
    """The unit's ancestors (those the user sees)."""
    ids = set()
    parent_id = tv.by_id[unit_id].parent_id if unit_id in tv.by_id else None
    while parent_id is not None and parent_id in tv.by_id and parent_id not in ids:
        ids.add(parent_id)
        parent_id = tv.by_id[parent_id].parent_id
    return ids & tv.visible


def _toggler(tv, open_ids=None):
    """The href of a unit's ▸/▾ link: the tree page with that unit opened (or closed)
    and everything else as it is; for a fragment, whose page state is unknown, the
    unit's ancestors stay open."""

    def toggle_url(unit_id, expanded):
        ids = set(open_ids) if open_ids is not None else _lineage(tv, unit_id)
        ids = ids - {unit_id} if expanded else ids | {unit_id}
        return url_for("structure.index", tree=tv.tree, open=",".join(map(str, sorted(ids))),
                       _anchor=f"unit-{unit_id}")

    return toggle_url


def _form_response(partial, title, status=200, **ctx):
    """An inline form: the bare partial for HTMX, a whole page around it otherwise."""
    return page_or_fragment("structure/form_page.html", partial, status, partial=partial, title=title, **ctx)


@bp.route("/")
@roles_required(*STAFF_ROLES)
def index():
    tree = _tree_arg()
    tv = services.TreeView(tree)
    rows = _rows(tv, tv.roots())
    children = {}
    # Open on arrival: the roots, the read-only ancestors above the user's own units, and
    # the user's topmost own units, so a clerk lands on their community's branches.
    open_ids = _open_arg(tv)
    if open_ids is None:
        open_ids = {u.id for u in tv.roots()} | (tv.visible - tv.writable)
        open_ids |= {uid for uid in tv.writable if tv.by_id[uid].parent_id not in tv.writable}
    pending = list(rows)
    while pending:
        row = pending.pop()
        uid = row["unit"].id
        row["expanded"] = uid in open_ids and bool(row["child_count"])
        if row["expanded"]:
            children[uid] = _rows(tv, tv.visible_children(uid))
            pending.extend(children[uid])
    tiers = services.tiers_of(tree)
    tier_form = None
    if current_user.is_street_admin:
        tier_form = _label_tiers(TierForm(data={"names": [t.name for t in tiers]}))
    from ..appointments.services import gaps

    return render_template("structure/index.html", tree=tree, trees=TREES, tiers=tiers, rows=rows,
                           children=children, tier_form=tier_form, gaps=gaps(listed=False),
                           toggle_url=_toggler(tv, {uid for uid in open_ids if uid in children}))


def _label_tiers(form):
    for level, entry in enumerate(form.names.entries, start=1):
        entry.label.text = f"第 {level} 级"
    return form


@bp.route("/units/<int:unit_id>/children")
@roles_required(*STAFF_ROLES)
def children(unit_id):
    tv, unit = _visible_unit(unit_id)
    return render_template("structure/_children.html", rows=_rows(tv, tv.visible_children(unit.id)), children={},
                           toggle_url=_toggler(tv))


def _community_choices():
    return [("", "（不属于具体社区）")] + [(str(c.id), c.name) for c in visible_communities()]


def _chosen_community(form):
    """The community picked on a street-level add, or 404 for an id outside the list."""
    value = form.community_id.data or ""
    if not value:
        return None
    allowed = {v for v, _ in form.community_id.choices if v}
    if value not in allowed:
        abort(404)
    return int(value)


@bp.route("/units/<int:unit_id>/add", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def add_child(unit_id):
    tv, parent = _writable_unit(unit_id)
    form = UnitAddForm()
    ask_community = parent.community_id is None
    form.community_id.choices = _community_choices() if ask_community else []
    ctx = dict(form=form, parent=parent, tree=tv.tree, ask_community=ask_community,
               action=url_for("structure.add_child", unit_id=parent.id), slot=f"unit-form-{parent.id}")
    if request.method == "GET":
        return _form_response("structure/_add_form.html", "添加下级单位", **ctx)
    if not form.validate():
        return _form_response("structure/_add_form.html", "添加下级单位", 422, **ctx)
    try:
        unit = services.add_unit(tv, parent, form.name.data, _chosen_community(form) if ask_community else None)
    except services.TreeError as exc:
        form.name.errors.append(str(exc))
        return _form_response("structure/_add_form.html", "添加下级单位", 422, **ctx)
    db.session.commit()
    if not is_htmx():
        flash(f"已添加「{unit.name}」。", "success")
        return redirect(_tree_showing(services.TreeView(tv.tree), unit.id), 303)
    tv = services.TreeView(tv.tree)
    parent = tv.by_id[parent.id]
    return render_template("structure/_added.html", parent_row=_row(tv, parent, expanded=True),
                           rows=_rows(tv, tv.visible_children(parent.id)), new_id=unit.id, children={},
                           toggle_url=_toggler(tv))


@bp.route("/new", methods=["GET", "POST"])
@roles_required(STREET_ADMIN)
def add_root():
    tree = _tree_arg()
    tv = services.TreeView(tree)
    form = UnitAddForm()
    form.community_id.choices = _community_choices()
    ctx = dict(form=form, parent=None, tree=tree, ask_community=True,
               action=url_for("structure.add_root", tree=tree), slot="root-form")
    if request.method == "GET":
        return _form_response("structure/_add_form.html", "添加顶级单位", **ctx)
    if not form.validate():
        return _form_response("structure/_add_form.html", "添加顶级单位", 422, **ctx)
    try:
        unit = services.add_unit(tv, None, form.name.data, _chosen_community(form))
    except services.TreeError as exc:
        form.name.errors.append(str(exc))
        return _form_response("structure/_add_form.html", "添加顶级单位", 422, **ctx)
    db.session.commit()
    flash(f"已添加顶级单位「{unit.name}」。", "success")
    return _go_to_tree(tree)


def _tree_showing(tv, unit_id):
    """The tree page opened down to a unit (after a no-JS add, rename or move)."""
    ids = _lineage(tv, unit_id)
    return url_for("structure.index", tree=tv.tree, open=",".join(map(str, sorted(ids))), _anchor=f"unit-{unit_id}")


def _go_to_tree(tree, target=None):
    return redirect_to(target or url_for("structure.index", tree=tree))


@bp.route("/units/<int:unit_id>/rename", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def rename(unit_id):
    tv, unit = _writable_unit(unit_id)
    form = UnitRenameForm(obj=unit) if request.method == "GET" else UnitRenameForm()
    ctx = dict(form=form, unit=unit, tree=tv.tree, action=url_for("structure.rename", unit_id=unit.id),
               slot=f"unit-form-{unit.id}")
    if request.method == "GET":
        return _form_response("structure/_rename_form.html", "修改单位名称", **ctx)
    if not form.validate() or form.is_stale(unit):
        return _form_response("structure/_rename_form.html", "修改单位名称", 422 if not form.form_errors else 409, **ctx)
    try:
        saved = save_or_conflict(lambda: services.rename_unit(tv, unit, form.name.data), form.form_errors)
    except services.TreeError as exc:
        form.name.errors.append(str(exc))
        return _form_response("structure/_rename_form.html", "修改单位名称", 422, **ctx)
    if not saved:
        return _form_response("structure/_rename_form.html", "修改单位名称", 409, **ctx)
    if not is_htmx():
        flash(f"已改名为「{unit.name}」。", "success")
        return redirect(_tree_showing(tv, unit.id), 303)
    return render_template("structure/_renamed.html", unit=unit)


def _parent_choices(tv, unit):
    """Units the user may move `unit` below: writable, same tree, not itself or below it."""
    banned = tv.descendants(unit.id) | {unit.id}
    choices = [("", "请选择")]
    if current_user.is_street_admin:
        choices.append(("top", "（作为顶级单位）"))
    for uid in sorted(tv.writable, key=lambda i: tv.path(tv.by_id[i])):
        if uid not in banned and uid != unit.parent_id:
            choices.append((str(uid), tv.path(tv.by_id[uid])))
    return choices


@bp.route("/units/<int:unit_id>/move", methods=["GET", "POST"])
@roles_required(*STAFF_ROLES)
def move(unit_id):
    tv, unit = _writable_unit(unit_id)
    form = UnitMoveForm(obj=unit) if request.method == "GET" else UnitMoveForm()
    form.parent_id.choices = _parent_choices(tv, unit)
    ctx = dict(form=form, unit=unit, tree=tv.tree, action=url_for("structure.move", unit_id=unit.id),
               slot=f"unit-form-{unit.id}", path=tv.path(unit))
    if request.method == "GET":
        form.parent_id.data = ""
        return _form_response("structure/_move_form.html", "移动单位", **ctx)
    if not form.validate() or form.is_stale(unit):
        return _form_response("structure/_move_form.html", "移动单位", 409 if form.form_errors else 422, **ctx)
    value = form.parent_id.data
    if value == "top":
        if not current_user.is_street_admin:
            abort(403)
        new_parent = None
    else:
        try:
            new_id = int(value)
        except ValueError:
            form.parent_id.errors.append("请选择列表中的上级单位。")
            return _form_response("structure/_move_form.html", "移动单位", 422, **ctx)
        if new_id not in tv.visible:
            abort(404)  # no such unit in this tree, or outside the user's place
        if new_id not in tv.writable:
            form.parent_id.errors.append("不能移动到您管辖范围以外的单位之下。")
            return _form_response("structure/_move_form.html", "移动单位", 422, **ctx)
        new_parent = tv.by_id[new_id]
    try:
        services.move_unit(tv, unit, new_parent)
        db.session.commit()
    except services.TreeError as exc:
        db.session.rollback()
        form.parent_id.errors.append(str(exc))
        tv, unit = _writable_unit(unit_id)
        ctx.update(unit=unit)
        return _form_response("structure/_move_form.html", "移动单位", 422, **ctx)
    flash(f"已将「{unit.name}」移到「{new_parent.name if new_parent else '顶级'}」之下。", "success")
    return _go_to_tree(tv.tree, _tree_showing(services.TreeView(tv.tree), unit.id))


@bp.route("/tiers/<tree>", methods=["POST"])
@roles_required(STREET_ADMIN)
def tiers(tree):
    if tree not in TREES:
        abort(404)
    current = services.tiers_of(tree)
    form = TierForm()
    if len(form.names.entries) != len(current):
        form.form_errors.append("层级数量与当前设置不一致，请刷新页面后重试。")
    if not form.validate() or form.form_errors:
        tv = services.TreeView(tree)
        rows = _rows(tv, tv.roots())
        return render_template("structure/index.html", tree=tree, trees=TREES, tiers=current, rows=rows,
                               children={}, tier_form=_label_tiers(form), gaps=None, toggle_url=_toggler(tv, set())), 422
    services.save_tier_names(tree, [e.data for e in form.names.entries], form.new_name.data or None)
    db.session.commit()
    flash("层级名称已保存。", "success")
    return redirect(url_for("structure.index", tree=tree), 303)

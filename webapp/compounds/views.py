"""/compounds/: compounds, their buildings and owners' committees, with Excel export and
import, scoped to the user's place in the tree.

Readers: street admin, community staff, grid workers, company users (the compounds their
company serves). Compounds and committees are written by the street admin and community
staff; buildings also by grid workers (their grid's compounds).
"""
import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..auth.models import COMMUNITY_STAFF, COMPANY_USER, STREET_ADMIN
from ..companies.models import PropertyCompany
from ..audit.services import record_export
from .. import picker
from ..companies import access as company_access
from ..companies.access import company_filter
from ..excel import template_response, xlsx_response
from ..extensions import db
from ..forms import id_arg, page_arg, save_or_conflict
from ..htmx import is_htmx
from ..imports import handle as run_import
from ..people.access import phone_view
from ..scope import STAFF_ROLES, compound_filter, get_scoped_or_404, roles_required, visible_communities, visible_grids
from ..search import matches
from . import access, imports, services
from .forms import BuildingForm, CommitteeForm, CompoundForm
from .models import COMPOUND_KINDS, MANAGEMENT_MODES, Building, Community, Compound, Grid, OwnersCommittee

bp = Blueprint("compounds", __name__, url_prefix="/compounds")
READERS = STAFF_ROLES + (COMPANY_USER,)
COMPOUND_WRITERS = access.COMPOUND_WRITERS
BUILDING_WRITERS = STAFF_ROLES
PAGE_SIZE = 50


CN_DIGITS = str.maketrans("一二三四五六七八九", "123456789")


def grid_order(name):
    """'第二网格' before '第十网格': Chinese numerals compare as numbers."""
    return natural_key(name.replace("第十", "第10").translate(CN_DIGITS))


def natural_key(name):
    """'2号楼' before '10号楼': digits compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name or "")]


# --- the list -------------------------------------------------------------------------

def _list_filters():
    """The list's filters from the query string, and the SQL conditions they make."""
    f = {
        "community": id_arg(request.args, "community"),
        "grid": id_arg(request.args, "grid"),
        "kind": request.args.get("kind") if request.args.get("kind") in COMPOUND_KINDS else None,
        "mode": request.args.get("mode") if request.args.get("mode") in MANAGEMENT_MODES else None,
        "company": id_arg(request.args, "company"),
        "q": request.args.get("q", "").strip()[:100],
        "coverage": request.args.get("coverage") if request.args.get("coverage") in ("yes", "no") else None,
        "committee": "red" if request.args.get("committee") == "red" else None,
    }
    conds = [compound_filter()]
    if f["community"]:
        conds.append(Compound.community_id == f["community"])
    if f["grid"]:
        conds.append(Compound.grid_id == f["grid"])
    if f["kind"]:
        conds.append(Compound.kind == f["kind"])
    if f["mode"]:
        conds.append(Compound.management_mode == f["mode"])
    if f["company"]:
        conds.append(Compound.company_id == f["company"])
    if f["q"]:
        conds.append(matches(f["q"], Compound.name, Compound.address))
    if f["coverage"]:  # the dashboard's 红色物业 coverage rule (dashboard/figures.py)
        from ..dashboard.figures import covered_condition

        conds.append(covered_condition() if f["coverage"] == "yes" else ~covered_condition())
    if f["committee"]:  # a committee with a party-member share of at least 50%
        from ..dashboard.figures import red_committee_condition

        conds.append(Compound.id.in_(select(OwnersCommittee.compound_id).where(red_committee_condition())))
    return f, conds


def _building_stats(conds=None, ids=None):
    """Per compound id: (buildings, households, buildings with a steward), for the given
    compound ids or for every compound matching `conds`."""
    stmt = select(
        Building.compound_id, func.count(Building.id), func.coalesce(func.sum(Building.households), 0),
        func.count(Building.steward_id),
    ).group_by(Building.compound_id)
    if ids is not None:
        if not ids:
            return {}
        stmt = stmt.where(Building.compound_id.in_(ids))
    else:
        stmt = stmt.join(Compound, Compound.id == Building.compound_id).where(*conds)
    return {cid: (n, households, stewards) for cid, n, households, stewards in db.session.execute(stmt)}


def _compound_rows(conds, page=None):
    """(compound, buildings, households, stewards) for the compounds matching `conds`,
    one page of them when `page` is given."""
    stmt = (
        select(Compound)
        .join(Community, Community.id == Compound.community_id)
        .where(*conds)
        .options(selectinload(Compound.community), selectinload(Compound.grid), selectinload(Compound.company),
                 selectinload(Compound.partner))
        .order_by(Community.name, Compound.name)
    )
    if page:
        stmt = stmt.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    compounds = db.session.scalars(stmt).all()
    stats = _building_stats(ids=[c.id for c in compounds]) if page else _building_stats(conds=conds)
    return [(c, *stats.get(c.id, (0, 0, 0))) for c in compounds]


def _totals(conds):
    compounds = db.session.scalar(select(func.count(Compound.id)).where(*conds))
    buildings, households, stewards = db.session.execute(
        select(func.count(Building.id), func.coalesce(func.sum(Building.households), 0), func.count(Building.steward_id))
        .join(Compound, Compound.id == Building.compound_id).where(*conds)
    ).one()
    return {"compounds": compounds, "buildings": buildings, "households": households, "stewards": stewards}


@bp.route("/")
@roles_required(*READERS)
def index():
    """The compounds the user may see, filtered, with building/household/steward counts."""
    f, conds = _list_filters()
    totals = _totals(conds)
    page = page_arg(request.args)
    rows = _compound_rows(conds, page=page)
    return render_template(
        "compounds/index.html", rows=rows, totals=totals, f=f, page=page, page_size=PAGE_SIZE,
        communities=visible_communities(),
        company_picker=picker.pick("companies.pick", company_access.pick_stmt(), PropertyCompany.id,
                                   PropertyCompany.name, "company", selected=f["company"]),
        grids=sorted(visible_grids(), key=lambda g: grid_order(g.name)),
        kinds=COMPOUND_KINDS, modes=MANAGEMENT_MODES,
        can_create=access.can_create(),
        can_import_buildings=current_user.role in BUILDING_WRITERS,
    )


# --- compound create / edit / detail ---------------------------------------------------

def _compound_form(compound=None):
    """A CompoundForm whose choices and checks follow the user's scope."""
    communities = access.writable_communities()
    community_ids = {c.id for c in communities}
    grids = db.session.scalars(select(Grid).where(Grid.community_id.in_(community_ids)).order_by(Grid.name)).all()
    grid_community = {g.id: g.community_id for g in grids}

    def partner_community(compound_id):
        return db.session.scalar(select(Compound.community_id).where(
            Compound.id == compound_id, Compound.community_id.in_(community_ids)))
    editing_id = compound.id if compound else None

    def name_taken(community_id, name):
        stmt = select(Compound.id).where(Compound.community_id == community_id, Compound.name == name)
        if editing_id:
            stmt = stmt.where(Compound.id != editing_id)
        return db.session.scalar(stmt.limit(1)) is not None

    # A GET carrying the form's fields (?community_id=…) is the form asking for its grid
    # list again after a change of community: HTMX swaps in the grid field, the no-JS
    # "更新网格列表" button reloads the page with what was typed.
    refreshing = request.method == "GET" and "community_id" in request.args
    typed = {"formdata": request.args} if refreshing else {}
    form = CompoundForm(obj=compound, grids_of=grid_community.get, name_taken=name_taken,
                        partner_of=partner_community, editing_id=editing_id, **typed)
    names = {c.id: c.name for c in communities}
    form.community_id.choices = [(0, "请选择社区")] + [(c.id, c.name) for c in communities]
    if len(communities) == 1 and not form.community_id.data:
        form.community_id.data = communities[0].id
    grids = sorted(grids, key=lambda g: (names[g.community_id], grid_order(g.name)))
    chosen = form.community_id.data if form.community_id.data in names else None
    if chosen:  # only the chosen community's grids
        form.grid_id.choices = [(0, "（未划入网格）")] + [(g.id, g.name) for g in grids if g.community_id == chosen]
    else:
        form.grid_id.choices = [(0, "（未划入网格）")] + [(g.id, f"{names[g.community_id]} · {g.name}") for g in grids]
    if compound is not None and request.method == "GET" and not refreshing:
        form.version.data = compound.version
        form.grid_id.data = compound.grid_id or 0
        form.company_id.data = compound.company_id or 0
        form.partner_compound_id.data = compound.partner_compound_id or 0
    # Pickers (webapp/picker.py): the chosen one plus what the clerk searched for, never
    # every company or compound; `validate_choice` then checks the choice is in scope.
    picker.fill(form.company_id, "companies.pick", company_access.pick_stmt(purpose="compound"),
                PropertyCompany.id, PropertyCompany.name, blank="（无）", blank_value=0, **{"for": "compound"})
    partners = access.pick_stmt(purpose="partner")
    if editing_id:
        partners = partners.where(Compound.id != editing_id)
    picker.fill(form.partner_compound_id, ".pick", partners, Compound.id, Compound.name, blank="（无）",
                blank_value=0, label=access.pick_label, **{"for": "partner"})
    return form





@bp.route("/new", methods=["GET", "POST"])
@roles_required(*COMPOUND_WRITERS)
def create():
    form = _compound_form()
    if form.validate_on_submit():
        compound = save_or_conflict(lambda: services.create_compound(form), form.form_errors)
        if compound is not None:
            flash(f"已新增小区“{compound.name}”。", "success")
            return redirect(url_for(".detail", compound_id=compound.id), code=303)
    status = 200 if request.method == "GET" or picker.finding() else (409 if form.form_errors else 422)
    return render_template("compounds/form.html", form=form, compound=None), status


def _writable_compound_or_404(compound_id, can=access.can_edit):
    """A compound inside the user's scope that `can(compound)` lets them change (else 404)."""
    compound = get_scoped_or_404(select(Compound).where(Compound.id == compound_id, compound_filter()))
    if not can(compound):
        abort(404)
    return compound


def _buildings_compound_or_404(compound_id):
    return _writable_compound_or_404(compound_id, access.can_edit_buildings)


@bp.route("/<int:compound_id>/edit", methods=["GET", "POST"])
@roles_required(*COMPOUND_WRITERS)
def edit(compound_id):
    compound = _writable_compound_or_404(compound_id)
    form = _compound_form(compound)
    if form.validate_on_submit() and not form.is_stale(compound):
        if save_or_conflict(lambda: services.update_compound(compound, form), form.form_errors):
            flash(f"已保存小区“{compound.name}”。", "success")
            return redirect(url_for(".detail", compound_id=compound.id), code=303)
        compound = _writable_compound_or_404(compound_id)
    status = 200 if request.method == "GET" or picker.finding() else (409 if form.form_errors else 422)
    return render_template("compounds/form.html", form=form, compound=compound), status


def _detail_compound(compound_id):
    return get_scoped_or_404(
        select(Compound).where(Compound.id == compound_id, compound_filter())
        .options(selectinload(Compound.buildings).selectinload(Building.steward), selectinload(Compound.committees))
    )


def _can_write_buildings(compound):
    return access.can_edit_buildings(compound)


def _can_write_committees(compound):
    return access.can_edit_committees(compound)


@bp.route("/<int:compound_id>")
@roles_required(*READERS)
def detail(compound_id):
    compound = _detail_compound(compound_id)
    return render_template(
        "compounds/detail.html", compound=compound, **_detail_context(compound),
    )


def _detail_context(compound):
    buildings = sorted(compound.buildings, key=lambda b: natural_key(b.name))
    committees = sorted(compound.committees, key=lambda c: c.name)
    return {
        "buildings": buildings,
        "committees": committees,
        "households": sum(b.households for b in buildings),
        "stewards": sum(1 for b in buildings if b.steward_id),
        "can_edit": _can_write_committees(compound),
        "can_write_buildings": _can_write_buildings(compound),
        "can_write_committees": _can_write_committees(compound),
    }


# --- buildings: inline HTMX rows --------------------------------------------------------

def _building_or_404(compound, building_id):
    return get_scoped_or_404(select(Building).where(Building.id == building_id, Building.compound_id == compound.id))


def _building_form(compound, building=None):
    people = access.steward_choices(compound)
    editing_id = building.id if building else None

    def name_taken(name):
        stmt = select(Building.id).where(Building.compound_id == compound.id, Building.name == name)
        if editing_id:
            stmt = stmt.where(Building.id != editing_id)
        return db.session.scalar(stmt.limit(1)) is not None

    form = BuildingForm(obj=building, name_taken=name_taken)
    form.steward_id.choices = [(0, "（暂无）")] + [(p.id, f"{p.name} {phone_view(p).text}".strip()) for p in people]
    if request.method == "GET" and building is not None:
        form.version.data = building.version
        form.steward_id.data = building.steward_id or 0
    return form


def _building_form_row(compound, form, building=None, status=200):
    return render_template("compounds/_building_form.html", compound=compound, form=form, building=building), status


@bp.route("/<int:compound_id>/buildings/new")
@roles_required(*BUILDING_WRITERS)
def building_new(compound_id):
    """The empty add-a-building row (HTMX)."""
    compound = _buildings_compound_or_404(compound_id)
    return _building_form_row(compound, _building_form(compound))


@bp.route("/<int:compound_id>/buildings", methods=["POST"])
@roles_required(*BUILDING_WRITERS)
def building_create(compound_id):
    """Add a building; on success the whole buildings section is re-rendered."""
    compound = _buildings_compound_or_404(compound_id)
    form = _building_form(compound)
    if not form.validate_on_submit():
        return _building_form_row(compound, form, status=422)
    building = save_or_conflict(lambda: services.create_building(compound, form), form.form_errors)
    if building is None:
        return _building_form_row(_buildings_compound_or_404(compound_id), form, status=409)
    if not is_htmx():
        flash(f"已添加楼栋“{building.name}”。", "success")
        return redirect(url_for(".detail", compound_id=compound.id), code=303)
    compound = _detail_compound(compound_id)
    response = render_template("compounds/_buildings.html", compound=compound, added=building.id,
                               **_detail_context(compound))
    return response, 200, {"HX-Retarget": "#buildings", "HX-Reswap": "outerHTML"}


@bp.route("/<int:compound_id>/buildings/<int:building_id>")
@roles_required(*READERS)
def building_row(compound_id, building_id):
    """One building's display row (HTMX: after a cancelled edit)."""
    compound = _detail_compound(compound_id)
    building = _building_or_404(compound, building_id)
    return render_template("compounds/_building_row.html", compound=compound, b=building,
                           can_write_buildings=_can_write_buildings(compound))


@bp.route("/<int:compound_id>/buildings/<int:building_id>/edit", methods=["GET", "POST"])
@roles_required(*BUILDING_WRITERS)
def building_edit(compound_id, building_id):
    """Edit one building in place: GET gives the form row, POST saves it."""
    compound = _buildings_compound_or_404(compound_id)
    building = _building_or_404(compound, building_id)
    form = _building_form(compound, building)
    if request.method == "GET":
        return _building_form_row(compound, form, building)
    if not form.validate_on_submit() or form.is_stale(building):
        return _building_form_row(compound, form, building, status=422 if not form.form_errors else 409)
    if not save_or_conflict(lambda: services.update_building(building, form), form.form_errors):
        return _building_form_row(compound, form, _building_or_404(compound, building_id), status=409)
    if not is_htmx():
        flash(f"已保存楼栋“{building.name}”。", "success")
        return redirect(url_for(".detail", compound_id=compound.id), code=303)
    return render_template("compounds/_building_row.html", compound=compound, b=building,
                           can_write_buildings=True, saved=True)


# --- owners' committees / 自管会: inline HTMX rows --------------------------------------

def _committee_form(compound, committee=None):
    """A committee's name is unique within its street (the database holds it unique
    within the compound; another street may have a committee of the same name)."""
    editing_id = committee.id if committee else None

    def name_taken(name):
        stmt = (select(OwnersCommittee.id).join(Compound, Compound.id == OwnersCommittee.compound_id)
                .where(OwnersCommittee.name == name, Compound.street_id == compound.street_id))
        if editing_id:
            stmt = stmt.where(OwnersCommittee.id != editing_id)
        return db.session.scalar(stmt.limit(1)) is not None

    form = CommitteeForm(obj=committee, name_taken=name_taken)
    if committee is not None and request.method == "GET":
        form.version.data = committee.version
    return form


def _committee_or_404(compound, committee_id):
    return get_scoped_or_404(select(OwnersCommittee).where(
        OwnersCommittee.id == committee_id, OwnersCommittee.compound_id == compound.id))


def _committee_form_row(compound, form, committee=None, status=200):
    return render_template("compounds/_committee_form.html", compound=compound, form=form,
                           committee=committee), status


@bp.route("/<int:compound_id>/committees/new")
@roles_required(*COMPOUND_WRITERS)
def committee_new(compound_id):
    compound = _writable_compound_or_404(compound_id)
    form = _committee_form(compound)
    form.kind.data = "self" if compound.management_mode == "self" else "owners"
    return _committee_form_row(compound, form)


@bp.route("/<int:compound_id>/committees", methods=["POST"])
@roles_required(*COMPOUND_WRITERS)
def committee_create(compound_id):
    compound = _writable_compound_or_404(compound_id)
    form = _committee_form(compound)
    if not form.validate_on_submit():
        return _committee_form_row(compound, form, status=422)
    committee = save_or_conflict(lambda: services.create_committee(compound, form), form.form_errors)
    if committee is None:
        return _committee_form_row(_writable_compound_or_404(compound_id), form, status=409)
    if not is_htmx():
        flash(f"已添加“{committee.name}”。", "success")
        return redirect(url_for(".detail", compound_id=compound.id), code=303)
    compound = _detail_compound(compound_id)
    response = render_template("compounds/_committees.html", compound=compound, added=committee.id,
                               **_detail_context(compound))
    return response, 200, {"HX-Retarget": "#committees", "HX-Reswap": "outerHTML"}


@bp.route("/<int:compound_id>/committees/<int:committee_id>")
@roles_required(*READERS)
def committee_row(compound_id, committee_id):
    compound = _detail_compound(compound_id)
    committee = _committee_or_404(compound, committee_id)
    return render_template("compounds/_committee_row.html", compound=compound, c=committee,
                           can_write_committees=_can_write_committees(compound))


@bp.route("/<int:compound_id>/committees/<int:committee_id>/edit", methods=["GET", "POST"])
@roles_required(*COMPOUND_WRITERS)
def committee_edit(compound_id, committee_id):
    compound = _writable_compound_or_404(compound_id)
    committee = _committee_or_404(compound, committee_id)
    form = _committee_form(compound, committee)
    if request.method == "GET":
        return _committee_form_row(compound, form, committee)
    if not form.validate_on_submit() or form.is_stale(committee):
        return _committee_form_row(compound, form, committee, status=422 if not form.form_errors else 409)
    if not save_or_conflict(lambda: services.update_committee(committee, form), form.form_errors):
        return _committee_form_row(compound, form, _committee_or_404(compound, committee_id), status=409)
    if not is_htmx():
        flash(f"已保存“{committee.name}”。", "success")
        return redirect(url_for(".detail", compound_id=compound.id), code=303)
    return render_template("compounds/_committee_row.html", compound=compound, c=committee,
                           can_write_committees=True, saved=True)


# --- Excel ------------------------------------------------------------------------------

def _compound_export_row(c, buildings, households, stewards):
    return [
        c.community.name, c.name, c.grid.name if c.grid else "", c.kind_label, c.mode_label,
        c.company.name if c.company else "", c.partner.name if c.partner else "", c.address, c.note,
        buildings, households, stewards,
    ]


@bp.route("/export.xlsx")
@roles_required(*READERS)
def export_compounds():
    """The compounds of the current filter as .xlsx (same columns as the import template, plus counts)."""
    _, conds = _list_filters()
    rows = _compound_rows(conds)
    headers = [c.header for c in imports.COMPOUND_COLUMNS] + ["楼栋数", "户数", "红色管家/楼长数"]
    f, _ = _list_filters()
    response = xlsx_response("小区.xlsx", "小区", headers, [_compound_export_row(*r) for r in rows])
    return record_export("小区", f, len(rows), entity="compound", response=response)


@bp.route("/buildings.xlsx")
@roles_required(*READERS)
def export_buildings():
    """Every building of the compounds of the current filter as .xlsx."""
    _, conds = _list_filters()
    buildings = db.session.scalars(
        select(Building).join(Compound, Building.compound_id == Compound.id)
        .join(Community, Community.id == Compound.community_id).where(*conds)
        .options(selectinload(Building.compound).selectinload(Compound.community), selectinload(Building.steward))
        .order_by(Community.name, Compound.name)
    ).all()
    buildings.sort(key=lambda b: (b.compound.community.name, b.compound.name, natural_key(b.name)))
    headers = [c.header for c in imports.BUILDING_COLUMNS] + ["管家电话"]
    rows = [
        [b.compound.community.name, b.compound.name, b.name, b.households,
         b.steward.name if b.steward else "", b.steward_role_label if b.steward else "",
         "是" if b.steward_phone_public else "否", access.steward_phone(b).text]
        for b in buildings
    ]
    f, _ = _list_filters()
    response = xlsx_response("楼栋.xlsx", "楼栋", headers, rows)
    return record_export("楼栋及红色管家", f, len(rows), personal=("管家姓名", "管家电话"), entity="building", response=response)


@bp.route("/import-template.xlsx")
@roles_required(*COMPOUND_WRITERS)
def compound_template():
    return template_response("小区导入模板.xlsx", "小区", imports.COMPOUND_COLUMNS)


@bp.route("/buildings/import-template.xlsx")
@roles_required(*BUILDING_WRITERS)
def building_template():
    return template_response("楼栋导入模板.xlsx", "楼栋", imports.BUILDING_COLUMNS)


def _import(kind):
    title, template_url, columns, plan, apply = {
        "compounds": ("导入小区", url_for(".compound_template"), imports.COMPOUND_COLUMNS, imports.plan_compounds,
                      services.import_compounds),
        "buildings": ("导入楼栋", url_for(".building_template"), imports.BUILDING_COLUMNS, imports.plan_buildings,
                      services.import_buildings),
    }[kind]
    return run_import("compounds/import.html", columns, plan, apply, url_for(".index"), title[2:],
                      kind=kind, title=title, template_url=template_url, template_columns=columns)


@bp.route("/import", methods=["GET", "POST"])
@roles_required(*COMPOUND_WRITERS)
def import_compounds():
    """Upload the compounds template, preview, confirm; matched by community and name."""
    return _import("compounds")


@bp.route("/buildings/import", methods=["GET", "POST"])
@roles_required(*BUILDING_WRITERS)
def import_buildings():
    """Upload the buildings template, preview, confirm; matched by compound and name."""
    return _import("buildings")


@bp.route("/pick")
@roles_required(*READERS)
def pick():
    """The compound picker's options as the user types (HTMX; webapp/picker.py)."""
    from .. import picker

    return picker.fragment(access.pick_stmt(purpose=request.args.get("for")), Compound.id, Compound.name,
                           label=access.pick_label)

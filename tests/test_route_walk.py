"""Every route, as every role: the answer each must get.

Expectations: 200 (or another 2xx/3xx code), "login" (redirect to sign-in), 403 (role
may not use the page), 404 (record outside the user's place in the tree). Paths name
demo records by name ("{compound:恒安福苑}"), resolved against the demo. Most roles work in
隐珠街道 (street_admin, shuangzhu_staff, grid_worker, resident_rep); jiyang_staff in 济阳街道, so
its records are another street's for the others; company_manager (泛华) serves compounds in
济阳 and 离石. Per-street settings resolve in 隐珠 unless named "…@<street slug>".

Each domain keeps its cases in its own section of CASES. `test_every_route_is_walked`
fails when a route exists that no case covers, so a new page cannot skip the walk.
"""
import re

import pytest
from sqlalchemy import select

from webapp.extensions import db

# 三员分立: the system, security and audit administrators reach only their own pages;
# every other signed-in page answers them 403 (expect() says so unless a case names them).
SEPARATED = ("system_admin", "security_admin", "audit_admin")
# Above the street: the demo's district (西海岸新区住建局) and city (青岛市) staff, who view
# 隐珠街道 (their region's only demo street) read only.
ABOVE_STREET = ("district_staff", "city_staff")
ROLES = ("anonymous", "street_admin", "shuangzhu_staff", "jiyang_staff", "grid_worker", "company_manager",
         "resident_rep") + SEPARATED + ABOVE_STREET


def _model(kind):
    from webapp.appointments.models import CrossAppointment
    from webapp.companies.models import PropertyCompany
    from webapp.compounds.models import Building, Community, Compound, OwnersCommittee
    from webapp.people.models import Person
    from webapp.structure.models import OrgUnit

    return {
        "community": (Community, Community.name),
        "compound": (Compound, Compound.name),
        "company": (PropertyCompany, PropertyCompany.name),
        "person": (Person, Person.name),
        "unit": (OrgUnit, OrgUnit.name),
        "committee": (OwnersCommittee, OwnersCommittee.name),
        "appointment": (CrossAppointment, CrossAppointment.approval_document),
        "building": (Building, None),
    }[kind]


# Extra resolvers a domain may register: kind -> function(name) returning an id.
RESOLVERS = {}

# assessments resolvers
def _street_of(name):
    """"2026-11@jiyang" → ("2026-11", that street's id); without "@" 隐珠街道 (the street
    admin's): rounds and templates are per street."""
    from webapp.compounds.models import Street

    name, _, slug = name.partition("@")
    return name, db.session.scalar(select(Street.id).where(Street.slug == (slug or "yinzhu")))


def _assessment_round(name):  # "2026-11", "2026-11@jiyang"
    from datetime import date

    from webapp.assessments.models import AssessmentRound

    name, street_id = _street_of(name)
    year, month = (int(x) for x in name.split("-"))
    return db.session.scalar(select(AssessmentRound.id).where(AssessmentRound.month == date(year, month, 1),
                                                              AssessmentRound.street_id == street_id))


def _assessment_sheet(name):  # "2026-11/珠海一区": the compound names the street
    from datetime import date

    from webapp.assessments.models import AssessmentRound, AssessmentSheet
    from webapp.compounds.models import Compound

    month, compound = name.split("/")
    year, month = (int(x) for x in month.split("-"))
    return db.session.scalar(select(AssessmentSheet.id).join(Compound, Compound.id == AssessmentSheet.compound_id)
                             .join(AssessmentRound, AssessmentRound.id == AssessmentSheet.round_id)
                             .where(AssessmentRound.month == date(year, month, 1), Compound.name == compound))


def _assessment_template(name):  # "党建引领考核（30分）", "…@jiyang"
    from webapp.assessments.models import AssessmentTemplate

    name, street_id = _street_of(name)
    return db.session.scalar(select(AssessmentTemplate.id).where(AssessmentTemplate.name == name,
                                                                 AssessmentTemplate.street_id == street_id)
                             .order_by(AssessmentTemplate.revision).limit(1))


def _assessment_item(name):  # "红色物业“5+3”考核表/垃圾当日清"
    from webapp.assessments.models import TemplateItem, TemplateSection

    template, item = name.split("/")
    return db.session.scalar(select(TemplateItem.id).join(TemplateSection).where(
        TemplateSection.template_id == _assessment_template(template), TemplateItem.title == item))


def _assessment_line(name):  # "2026-10/水景花苑/垃圾当日清": a line without a photo
    from webapp.assessments.models import ScoreLine, SheetScore, TemplateItem

    month, compound, item = name.split("/")
    return db.session.scalar(select(ScoreLine.id).join(SheetScore).join(TemplateItem).where(
        SheetScore.sheet_id == _assessment_sheet(f"{month}/{compound}"), TemplateItem.title == item).limit(1))


RESOLVERS.update(a_round=_assessment_round, a_sheet=_assessment_sheet, a_template=_assessment_template,
                 a_item=_assessment_item, a_line=_assessment_line)
# end assessments resolvers
from meetings.walk_kinds import RESOLVERS as _MEETING_RESOLVERS  # noqa: E402

RESOLVERS.update(_MEETING_RESOLVERS)
from notices.walk_kinds import RESOLVERS as _NOTICE_RESOLVERS  # noqa: E402

RESOLVERS.update(_NOTICE_RESOLVERS)


# requests resolvers: "{rq:<start of text>}", "{rq_cat:<name>}", "{rq_none:x}" (an id nothing has)
def _request_by_text(start):
    from webapp.requests.models import ResidentRequest

    found = db.session.scalar(select(ResidentRequest.id).where(ResidentRequest.text.startswith(start)).limit(1))
    assert found is not None, f"demo has no request {start}"
    return found


def _request_category(name):
    from webapp.requests.models import RequestCategory

    return db.session.scalar(select(RequestCategory.id).where(RequestCategory.name == name))


RESOLVERS.update(rq=_request_by_text, rq_cat=_request_category, rq_none=lambda name: 2147483000)
# end requests resolvers


def _position_id(name):
    """"张英/书记": the id of that person's position with that role."""
    from webapp.people.models import Person, Position

    person, role = name.split("/")
    return db.session.scalar(select(Position.id).join(Person).where(Person.name == person, Position.role == role))


RESOLVERS["position"] = _position_id


def _account_id(name):
    from webapp.auth.models import User

    return db.session.scalar(select(User.id).where(User.username == name)) or 2**31 - 1


RESOLVERS["account"] = _account_id
RESOLVERS["code"] = lambda name: name
RESOLVERS["job"] = lambda name: 2147483000  # "{job:none}": the demo has no job (tests/production own them)
RESOLVERS["tree"] = lambda name: name  # "{tree:party}": the structure trees are named, not numbered
RESOLVERS["period"] = lambda name: name  # "{period:2026-10}": a report period, as the URL writes it
# district resolvers


def _region_id(name):
    from webapp.compounds.models import Region

    return db.session.scalar(select(Region.id).where(Region.name == name))


RESOLVERS["region"] = _region_id
RESOLVERS["selection"] = lambda name: 2147483000  # "{selection:none}": the demo has no selection yet
RESOLVERS["street_slug"] = lambda name: name  # "{street_slug:yinzhu}": a street by its slug
# end district resolvers


def _street_id(name):
    from webapp.compounds.models import Street

    return db.session.scalar(select(Street.id).where(Street.name == name)) or 2**31 - 1


RESOLVERS["street"] = _street_id


def resolve(path):
    def sub(m):
        kind, name = m.group(1), m.group(2)
        if kind in RESOLVERS:
            return str(RESOLVERS[kind](name))
        model, column = _model(kind)
        if kind == "building":  # "珠海一区/1号楼"
            from webapp.compounds.models import Building, Compound

            compound, building = name.split("/")
            obj = db.session.scalar(select(Building).join(Compound).where(Compound.name == compound, Building.name == building))
        elif kind == "community" and name.isascii():
            obj = db.session.scalar(select(model).where(model.slug == name))
        else:
            obj = db.session.scalar(select(model).where(column == name).limit(1))
        assert obj is not None, f"demo has no {kind} {name}"
        return str(getattr(obj, "slug", None) if kind == "community" and "slug:" in m.group(0) else obj.id)

    return re.sub(r"\{(\w+):([^}]+)\}", sub, path)


def expect(default, **per_role):
    """Expectation for every role: `default` unless named; 'anonymous' defaults to login."""
    out = {role: default for role in ROLES if role not in ABOVE_STREET}  # theirs: _read_only_admin
    out["anonymous"] = "login"
    out.update({role: 403 for role in SEPARATED})
    out.update(per_role)
    return out


STAFF_ONLY = dict(company_manager=403, resident_rep=403)
ADMIN_ONLY = dict(shuangzhu_staff=403, jiyang_staff=403, grid_worker=403, company_manager=403, resident_rep=403)
PLACE_WRITERS = dict(grid_worker=403, company_manager=403, resident_rep=403)  # compounds: admin and community staff
ALL = expect(200)
DISTRICT_READERS = expect(403, district_staff=200, city_staff=200)


def public(code):
    """The public board: no sign-in, the same answer for everyone."""
    return {role: code for role in ROLES}


PUBLIC = public(200)
EVERY_SIGNED_IN = {role: 200 for role in SEPARATED}  # pages of every signed-in user (password, own jobs)
NOT_FOUND_FOR_SEPARATED = {role: 404 for role in SEPARATED}
SYSTEM_ADMIN_ONLY = expect(403, system_admin=200)

CASES = [
    # --- foundation ---
    ("GET", "/", ALL),
    ("GET", "/login", expect(302, anonymous=200, system_admin=302, security_admin=302, audit_admin=302)),
    ("GET", "/healthz", public(200)),
    # --- dashboard: recorded counts (staff read; admin and community staff record) and the
    # street's report (the street admin's) ---
    ("GET", "/counts/", expect(200, **STAFF_ONLY)),
    ("GET", "/counts/?kind=charging_piles&month=2026-10", expect(200, **STAFF_ONLY)),
    ("GET", "/counts/?kind=nonsense", expect(404, **STAFF_ONLY)),
    ("POST", "/counts/", expect(422, **STAFF_ONLY)),  # nothing to save
    ("GET", "/reports/", expect(200, **ADMIN_ONLY)),
    ("GET", "/reports/{period:2026-10}.pdf", expect(200, **ADMIN_ONLY)),  # the offer of the job
    ("POST", "/reports/{period:2026-10}.pdf", expect(303, **ADMIN_ONLY)),  # the job, then its progress page
    ("GET", "/reports/{period:2026-Q3}.xlsx", expect(200, **ADMIN_ONLY)),
    ("POST", "/reports/{period:2026-Q3}.xlsx", expect(303, **ADMIN_ONLY)),
    ("GET", "/reports/{period:2026-13}.pdf", expect(404, **ADMIN_ONLY)),
    ("POST", "/logout", expect(303, system_admin=303, security_admin=303, audit_admin=303)),
    # --- audit (三员分立: the audit admin reads and exports, the security admin reads the
    # audit admin's own entries, the street admin reads) ---
    ("GET", "/audit/", expect(200, audit_admin=200, security_admin=200, **ADMIN_ONLY)),
    ("GET", "/audit/?kind=compound&action=update&from=2026-01-01&to=2026-12-31&user=street_admin",
     expect(200, audit_admin=200, security_admin=200, **ADMIN_ONLY)),
    ("GET", "/audit/export.xlsx", expect(403, audit_admin=200)),
    # --- sign-in steps, password change, 三员 pages (auth) ---
    ("GET", "/login/totp", expect("login", system_admin="login", security_admin="login", audit_admin="login")),
    ("POST", "/login/totp", expect("login", system_admin="login", security_admin="login", audit_admin="login")),
    ("GET", "/login/totp/enrol", expect("login", system_admin="login", security_admin="login", audit_admin="login")),
    ("POST", "/login/totp/enrol", expect("login", system_admin="login", security_admin="login", audit_admin="login")),
    ("GET", "/password", expect(200, **EVERY_SIGNED_IN)),
    ("POST", "/password", expect(422, system_admin=422, security_admin=422, audit_admin=422)),
    ("GET", "/accounts/", SYSTEM_ADMIN_ONLY),
    ("GET", "/accounts/new", SYSTEM_ADMIN_ONLY),
    ("GET", "/accounts/?q=admin&role=street_admin&page=2", SYSTEM_ADMIN_ONLY),
    ("GET", "/accounts/pick", expect(403, system_admin=404)),  # no field named
    ("GET", "/accounts/pick?field=company_id&q=物业", SYSTEM_ADMIN_ONLY),
    ("GET", "/accounts/pick?field=grid_id&q=网格", SYSTEM_ADMIN_ONLY),
    ("GET", "/accounts/pick?field=password", expect(403, system_admin=404)),
    ("POST", "/accounts/new", expect(403, system_admin=422)),
    ("GET", "/accounts/{account:grid_worker}", SYSTEM_ADMIN_ONLY),
    ("POST", "/accounts/{account:grid_worker}", expect(403, system_admin=422)),
    ("GET", "/accounts/{account:nobody}", expect(403, system_admin=404)),
    ("POST", "/accounts/{account:system_admin}/disable", expect(403, system_admin=303)),  # oneself: refused
    ("POST", "/accounts/{account:street_admin}/enable", expect(403, system_admin=303)),  # already enabled
    ("POST", "/accounts/{account:street_admin}/unlock", expect(403, system_admin=303)),
    ("POST", "/accounts/{account:street_admin}/reset-totp", expect(403, system_admin=303)),  # none enrolled
    ("POST", "/accounts/{account:street_admin}/reset-password", expect(403, system_admin=422)),
    ("GET", "/security/", expect(403, security_admin=200)),
    ("POST", "/security/", expect(403, security_admin=422)),
    # --- production: /metrics (the test client is loopback; others get 404), /verify (public) ---
    ("GET", "/metrics", expect(200, anonymous=200)),
    ("GET", "/verify/{code:ABCD2345}", expect(404, anonymous=404)),  # no demo document is issued
    # --- jobs (production): each user's own; no demo job exists, so any id is 404 ---
    ("GET", "/jobs/", expect(200, **EVERY_SIGNED_IN)),
    ("GET", "/jobs/{job:none}", expect(404, **NOT_FOUND_FOR_SEPARATED)),
    ("GET", "/jobs/{job:none}/download", expect(404, **NOT_FOUND_FOR_SEPARATED)),
    ("POST", "/jobs/{job:none}/retry", expect(404, **NOT_FOUND_FOR_SEPARATED)),
    ("POST", "/jobs/export", expect(400, system_admin=400, security_admin=400, audit_admin=400)),  # no export named
    # --- structure ---
    ("GET", "/structure/", expect(200, **STAFF_ONLY)),
    ("GET", "/structure/?tree=governance", expect(200, **STAFF_ONLY)),
    ("GET", "/structure/units/{unit:隐珠街道物业办}/children", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    # Another street's tree: only its own people read it.
    ("GET", "/structure/units/{unit:济阳街道物业办}/children",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/structure/units/{unit:双珠路社区党委}/children", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/structure/units/{unit:双珠路社区党委}/add", expect(200, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/structure/units/{unit:双珠路社区党委}/add", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/structure/units/{unit:隐珠街道物业办}/add", expect(200, shuangzhu_staff=404, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    # A grid worker changes its grid's units only, never the community's own.
    ("GET", "/structure/units/{unit:双珠路社区第一网格党支部}/add", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("POST", "/structure/units/{unit:双珠路社区第一网格党支部}/add", expect(422, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/structure/units/{unit:双珠路社区第二网格党支部}/add", expect(200, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/structure/units/{unit:济阳示例一社区环物委}/rename",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/structure/units/{unit:济阳示例一社区环物委}/rename",
     expect(422, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/structure/units/{unit:双珠路社区第一网格党支部}/move", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("POST", "/structure/units/{unit:双珠路社区第一网格党支部}/move", expect(422, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/structure/new", expect(200, **ADMIN_ONLY)),
    ("GET", "/structure/new?tree=governance", expect(200, **ADMIN_ONLY)),
    ("POST", "/structure/new", expect(422, **ADMIN_ONLY)),
    ("POST", "/structure/tiers/{tree:party}", expect(422, **ADMIN_ONLY)),
    ("POST", "/structure/tiers/{tree:nonsense}", expect(404, **ADMIN_ONLY)),
    # --- compounds ---
    ("GET", "/compounds/", expect(200, resident_rep=403)),
    ("GET", "/compounds/pick", expect(200, resident_rep=403)),
    ("GET", "/compounds/pick?field=compound&compound_q=珠", expect(200, resident_rep=403)),
    ("GET", "/compounds/pick?field=partner_compound_id&for=partner&q=小区", expect(200, resident_rep=403)),
    ("GET", "/compounds/{compound:珠海一区}", expect(200, jiyang_staff=404, company_manager=404, resident_rep=403)),
    # 济阳's compound served by 泛华: 济阳 staff and the company read it; 隐珠's admin does not.
    ("GET", "/compounds/{compound:济阳一社区示例老旧小区2}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/compounds/?community={community:济阳示例一社区}&kind=old&mode=joined&q=老旧&page=1", expect(200, resident_rep=403)),
    ("GET", "/compounds/new", expect(200, **PLACE_WRITERS)),
    ("POST", "/compounds/new", expect(422, **PLACE_WRITERS)),
    ("GET", "/compounds/{compound:珠海一区}/edit", expect(200, jiyang_staff=404, **PLACE_WRITERS)),
    ("POST", "/compounds/{compound:珠海一区}/edit", expect(422, jiyang_staff=404, **PLACE_WRITERS)),
    ("GET", "/compounds/{compound:济阳一社区示例老旧小区2}/edit", expect(200, street_admin=404, shuangzhu_staff=404, **PLACE_WRITERS)),
    ("GET", "/compounds/{compound:珠海一区}/buildings/new", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/compounds/{compound:珠海二区}/buildings/new", expect(200, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/compounds/{compound:珠海一区}/buildings", expect(422, jiyang_staff=404, **STAFF_ONLY)),
    ("POST", "/compounds/{compound:珠海二区}/buildings", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/compounds/{compound:珠海一区}/buildings/{building:珠海一区/1号楼}",
     expect(200, jiyang_staff=404, company_manager=404, resident_rep=403)),
    ("GET", "/compounds/{compound:济阳一社区示例老旧小区2}/buildings/{building:济阳一社区示例老旧小区2/1号楼}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/compounds/{compound:珠海一区}/buildings/{building:珠海二区/1号楼}",
     expect(404, company_manager=404, resident_rep=403)),
    ("GET", "/compounds/{compound:珠海一区}/buildings/{building:珠海一区/1号楼}/edit", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("POST", "/compounds/{compound:珠海一区}/buildings/{building:珠海一区/1号楼}/edit", expect(422, jiyang_staff=404, **STAFF_ONLY)),
    ("POST", "/compounds/{compound:珠海一区}/buildings/{building:珠海二区/1号楼}/edit", expect(404, **STAFF_ONLY)),
    ("GET", "/compounds/{compound:珠海一区}/committees/new", expect(200, jiyang_staff=404, **PLACE_WRITERS)),
    ("POST", "/compounds/{compound:珠海一区}/committees", expect(422, jiyang_staff=404, **PLACE_WRITERS)),
    ("GET", "/compounds/{compound:珠海一区}/committees/{committee:珠海一区红色业主委员会}",
     expect(200, jiyang_staff=404, company_manager=404, resident_rep=403)),
    ("GET", "/compounds/{compound:珠海一区}/committees/{committee:齐发小区红色业主委员会}",
     expect(404, company_manager=404, resident_rep=403)),
    ("GET", "/compounds/{compound:珠海一区}/committees/{committee:珠海一区红色业主委员会}/edit",
     expect(200, jiyang_staff=404, **PLACE_WRITERS)),
    ("POST", "/compounds/{compound:珠海一区}/committees/{committee:珠海一区红色业主委员会}/edit",
     expect(422, jiyang_staff=404, **PLACE_WRITERS)),
    ("GET", "/compounds/export.xlsx", expect(200, resident_rep=403)),
    ("GET", "/compounds/buildings.xlsx", expect(200, resident_rep=403)),
    ("GET", "/compounds/import", expect(200, **PLACE_WRITERS)),
    ("POST", "/compounds/import", expect(422, **PLACE_WRITERS)),
    ("GET", "/compounds/import-template.xlsx", expect(200, **PLACE_WRITERS)),
    ("GET", "/compounds/buildings/import", expect(200, **STAFF_ONLY)),
    ("POST", "/compounds/buildings/import", expect(422, **STAFF_ONLY)),
    ("GET", "/compounds/buildings/import-template.xlsx", expect(200, **STAFF_ONLY)),
    # --- companies ---
    ("GET", "/companies/", expect(200, resident_rep=403)),
    ("GET", "/companies/pick", expect(200, resident_rep=403)),
    ("GET", "/companies/pick?field=company&q=物业", expect(200, resident_rep=403)),
    ("GET", "/companies/pick?field=company_id&for=compound", expect(200, resident_rep=403)),
    # 泛华 serves compounds in 济阳 and 离石, none in 隐珠.
    ("GET", "/companies/{company:泛华物业服务有限公司}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/companies/{company:恒安物业服务有限公司}", expect(200, jiyang_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),
    ("GET", "/companies/?breakers=1&q=物业", expect(200, resident_rep=403)),
    ("GET", "/companies/new", expect(200, **ADMIN_ONLY)),
    ("POST", "/companies/new", expect(422, **ADMIN_ONLY)),
    ("GET", "/companies/{company:恒安物业服务有限公司}/edit", expect(200, **ADMIN_ONLY)),
    ("POST", "/companies/{company:恒安物业服务有限公司}/edit", expect(422, **ADMIN_ONLY)),
    ("POST", "/companies/validate-credit-code", expect(200, **ADMIN_ONLY)),
    ("GET", "/companies/export.xlsx", expect(200, resident_rep=403)),
    # --- people ---
    ("GET", "/people/", expect(200, resident_rep=403)),
    ("GET", "/people/pick", expect(200, resident_rep=403)),
    ("GET", "/people/pick?field=person_id&q=张", expect(200, resident_rep=403)),
    ("GET", "/people/pick?field=person_id&for=appointment", expect(200, resident_rep=403)),
    ("GET", "/people/{person:张英}", expect(200, jiyang_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),
    ("GET", "/people/{person:潘维海}", expect(200, jiyang_staff=404, company_manager=404, resident_rep=403)),
    ("GET", "/people/{person:潘维海}/edit", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    # Unmasking a phone: only where it shows masked (the street admin, for a community's person).
    ("POST", "/people/{person:张英}/phone", expect(200, shuangzhu_staff=404, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    # 泛华's manager, cross-appointed in 济阳示例一社区: its staff read him, 隐珠 does not.
    ("GET", "/people/{person:孙立华}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/people/?q=张&party=1&kind=resident&community=1&page=2", expect(200, resident_rep=403)),
    ("GET", "/people/new", expect(200, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/people/new", expect(422, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/people/{person:张英}/edit", expect(200, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/people/{person:张英}/edit", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/people/{person:孙立华}/edit",
     expect(404, **STAFF_ONLY)),  # a company's person of 济阳: not 隐珠's admin's, not a community's
    ("POST", "/people/{person:张英}/positions", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/people/{person:张英}/positions/{position:张英/书记}/end", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/people/{person:张英}/positions/{position:罗永梅/书记}/end", expect(404, **STAFF_ONLY)),
    ("GET", "/people/export.xlsx", expect(200, resident_rep=403)),
    ("GET", "/people/import-template.xlsx", expect(200, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/people/import", expect(200, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/people/import", expect(422, grid_worker=404, **STAFF_ONLY)),
    # --- appointments ---
    ("GET", "/appointments/", expect(200, **STAFF_ONLY)),
    # A filter naming a record outside the user's place answers 404 (it never prints the name).
    ("GET", "/appointments/?company={company:泛华物业服务有限公司}&status=active",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/appointments/?person={person:孙立华}", expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/appointments/gaps", expect(200, **STAFF_ONLY)),
    ("GET", "/appointments/export.xlsx", expect(200, **STAFF_ONLY)),
    ("GET", "/appointments/new", expect(200, **STAFF_ONLY)),
    ("POST", "/appointments/new", expect(422, **STAFF_ONLY)),
    ("GET", "/appointments/{appointment:双珠党字〔2025〕7号}/edit", expect(200, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/appointments/{appointment:济阳党发〔2024〕5号}/edit",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/appointments/{appointment:离石示例党发〔2024〕3号}/edit",
     expect(404, **STAFF_ONLY)),  # 离石's: no demo account of that street
    ("POST", "/appointments/{appointment:双珠党字〔2025〕7号}/edit", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/appointments/{appointment:双珠党字〔2025〕7号}/end", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    # --- meetings (issue 3) ---
    ("GET", "/meetings/", expect(200, resident_rep=403)),
    ("GET", "/meetings/?kind=1&community=1&compound=1&start=2026-09-01&end=2026-11-30&q=漏水&status=approved&page=2",
     expect(200, resident_rep=403)),
    ("GET", "/meetings/new", expect(200, **STAFF_ONLY)),
    ("POST", "/meetings/new", expect(422, **STAFF_ONLY)),
    # 恒安福苑 lies in another grid than the grid worker's: its meetings are out of reach.
    ("GET", "/meetings/{meeting:恒安福苑民情恳谈会}", expect(200, jiyang_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),
    ("GET", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}", expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    # 离石's meetings: the company that attended reads them, across streets.
    ("GET", "/meetings/{meeting:泛华盛世第一次说事议事会}",
     expect(200, street_admin=404, shuangzhu_staff=404, jiyang_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/meetings/{meeting:颐海苑消防通道整治协调会}", expect(404, resident_rep=403)),  # 满城北街街道's
    ("GET", "/meetings/{meeting:恒安福苑民情恳谈会}.pdf", expect(200, jiyang_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),
    ("GET", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}.pdf?s=signin", expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/meetings/{meeting:恒安福苑民情恳谈会}/header", expect(200, jiyang_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),
    ("GET", "/meetings/{meeting:恒安福苑民情恳谈会}/edit", expect(200, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:恒安福苑民情恳谈会}/edit", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/edit", expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:恒安福苑民情恳谈会}/attendees", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:恒安福苑民情恳谈会}/attendees/{attendee:恒安福苑民情恳谈会/张英}", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/attendees/{attendee:济阳示例一社区第四季度物业联席会议/郭建国}/delete",
     expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:恒安福苑民情恳谈会}/agenda", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:恒安福苑民情恳谈会}/agenda/{agenda:电梯维保}", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/agenda/{agenda:小区封闭与车辆停放}/delete",
     expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:恒安福苑民情恳谈会}/resolutions", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:泛华盛世第五次说事议事会}/resolutions/{resolution:未解决的4个问题}",
     expect(404, **STAFF_ONLY)),  # 离石's draft: no demo account of that street writes it
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/resolutions/{resolution:济阳一社区示例老旧小区2年底前}/delete",
     expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:恒安福苑民情恳谈会}/tasks", expect(422, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/tasks/{task:清理僵尸车}/delete",
     expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/submit", expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/return", expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/approve", expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/meetings/{meeting:济阳示例一社区第四季度物业联席会议}/correct", expect(422, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/meetings/tasks", expect(200, resident_rep=403)),
    ("GET", "/meetings/tasks?state=overdue&owner=孙&sort=owner&page=2", expect(200, resident_rep=403)),
    ("POST", "/meetings/tasks/{task:济阳一社区示例老旧小区2道闸安装及车辆登记}/close",
     expect(422, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("POST", "/meetings/tasks/{task:清理僵尸车}/close",
     expect(422, street_admin=404, shuangzhu_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),
    ("GET", "/meetings/compliance", expect(200, **STAFF_ONLY)),
    ("GET", "/meetings/compliance?period=quarter&year=2026&n=4", expect(200, **STAFF_ONLY)),
    ("GET", "/meetings/settings", expect(200, **ADMIN_ONLY)),
    ("POST", "/meetings/settings/kinds", expect(422, **ADMIN_ONLY)),
    ("POST", "/meetings/settings/kinds/{kind:业主大会}/toggle", expect(422, **ADMIN_ONLY)),
    ("POST", "/meetings/settings/requirements", expect(422, **ADMIN_ONLY)),
    ("POST", "/meetings/settings/requirements/{requirement:每月召开议事协商会议}/toggle", expect(422, **ADMIN_ONLY)),
    # --- assessments (issue 4) ---
    ("GET", "/assessments/", ALL),
    ("GET", "/assessments/templates/", expect(200, **STAFF_ONLY)),
    ("GET", "/assessments/templates/{a_template:红色物业“5+3”考核表}", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/assessments/templates/{a_template:红色物业“5+3”考核表@jiyang}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/assessments/templates/{a_template:红色物业“5+3”考核表}/edit", expect(303, **ADMIN_ONLY)),  # frozen: sent to make a revision
    ("GET", "/assessments/templates/{a_template:党建引领考核（30分）}/edit", expect(200, **ADMIN_ONLY)),
    ("POST", "/assessments/templates/{a_template:党建引领考核（30分）}/total", expect(200, **ADMIN_ONLY)),
    ("POST", "/assessments/templates/{a_template:党建引领考核（30分）}/items", expect(422, **ADMIN_ONLY)),
    ("POST", "/assessments/templates/{a_template:红色物业“5+3”考核表}/items/{a_item:红色物业“5+3”考核表/垃圾当日清}/delete", expect(409, **ADMIN_ONLY)),
    ("POST", "/assessments/templates/{a_template:红色物业“5+3”考核表}/revise", expect(303, **ADMIN_ONLY)),
    ("GET", "/assessments/templates/{a_template:党建引领考核（30分）}/blank.pdf", expect(200, jiyang_staff=404, company_manager=403)),
    ("POST", "/assessments/rounds", expect(422, **ADMIN_ONLY)),
    ("GET", "/assessments/rounds/{a_round:2026-11}", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/assessments/rounds/{a_round:2026-11@jiyang}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/assessments/rounds/{a_round:2026-07}/close", expect(303, **ADMIN_ONLY)),  # already closed: no change
    ("POST", "/assessments/rounds/{a_round:2026-07}/reopen", expect(422, **ADMIN_ONLY)),  # no reason given
    ("GET", "/assessments/rounds/{a_round:2026-07}/sheets.pdf", expect(200, **ADMIN_ONLY)),
    ("GET", "/assessments/rounds/{a_round:2026-07}/sheets.zip", expect(200, **ADMIN_ONLY)),
    ("GET", "/assessments/sheets/{a_sheet:2026-11/珠海一区}", expect(200, jiyang_staff=404, company_manager=404)),
    ("GET", "/assessments/sheets/{a_sheet:2026-11/济阳一社区示例老旧小区2}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, company_manager=404, resident_rep=404)),  # open: not yet for the company
    ("GET", "/assessments/sheets/{a_sheet:2026-10/济阳一社区示例老旧小区2}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=404)),
    ("GET", "/assessments/sheets/{a_sheet:2026-10/恒安福苑}", expect(200, jiyang_staff=404, grid_worker=404, company_manager=404)),
    ("GET", "/assessments/sheets/{a_sheet:2026-11/珠海一区}/score", expect(200, jiyang_staff=404, company_manager=403)),
    ("POST", "/assessments/sheets/{a_sheet:2026-11/珠海一区}/score", expect(422, jiyang_staff=404, company_manager=403)),
    ("GET", "/assessments/sheets/{a_sheet:2026-10/珠海一区}/score", expect(303, jiyang_staff=404, company_manager=403)),  # closed
    ("POST", "/assessments/sheets/{a_sheet:2026-10/珠海一区}/score", expect(409, jiyang_staff=404, company_manager=403)),
    ("POST", "/assessments/sheets/{a_sheet:2026-11/珠海一区}/score/total", expect(200, jiyang_staff=404, company_manager=403)),
    ("POST", "/assessments/sheets/{a_sheet:2026-11/珠海一区}/assign", expect(303, **ADMIN_ONLY)),
    ("GET", "/assessments/sheets/{a_sheet:2026-11/珠海一区}/blank.pdf", expect(200, jiyang_staff=404, company_manager=403)),
    ("GET", "/assessments/sheets/{a_sheet:2026-10/济阳一社区示例老旧小区2}/sheet.pdf",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=404)),
    ("GET", "/assessments/photos/{a_line:2026-10/水景花苑/垃圾当日清}", expect(404)),
    ("GET", "/assessments/ranking", expect(200, **STAFF_ONLY)),
    ("GET", "/assessments/ranking?quarter=2026Q3", expect(200, **STAFF_ONLY)),
    ("GET", "/assessments/ranking?quarter=2026Q9", expect(404, **STAFF_ONLY)),
    ("POST", "/assessments/ranking/prizes", expect(422, **ADMIN_ONLY)),
    ("POST", "/assessments/ranking/publish", expect(303, **ADMIN_ONLY)),  # quarter incomplete: refused
    ("GET", "/assessments/ranking.pdf", expect(200, **STAFF_ONLY)),
    # --- notices and public pages (issue 5) ---
    ("GET", "/public/", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:nowhere}/", public(404)),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/{compound:珠海一区}/", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:jiyang}/{compound:珠海一区}/", public(404)),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/archive", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/notices/{notice:珠海一区物业服务收费标准}", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/notices/{notice:关于冬季供暖设施检修的通知}", public(404)),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/notices/{notice:珠海一区物业服务收费标准}.pdf", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/notices/{notice:珠海一区物业服务收费标准}/files/{attachment:珠海一区收费标准表.png}", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:jiyang}/notices/{notice:珠海一区物业服务收费标准}/files/{attachment:珠海一区收费标准表.png}", public(404)),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/display", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/display/next", PUBLIC),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/opinion", PUBLIC),
    ("POST", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/opinion", public(422)),
    ("GET", "/public/{street_slug:yinzhu}/{slug:shuangzhu}/opinion/status", PUBLIC),
    # --- public board under the street; old single-street URLs move (issue 10, district) ---
    ("GET", "/public/{street_slug:yinzhu}/", PUBLIC),
    ("GET", "/public/{slug:shuangzhu}/", public(301)),
    ("GET", "/public/{slug:nowhere}/", public(404)),
    ("GET", "/public/{slug:shuangzhu}/{compound:珠海一区}/", public(301)),
    ("GET", "/public/{slug:shuangzhu}/archive", public(301)),
    ("GET", "/public/{slug:shuangzhu}/notices/{notice:珠海一区物业服务收费标准}", public(301)),
    ("GET", "/public/{slug:shuangzhu}/notices/{notice:珠海一区物业服务收费标准}.pdf", public(301)),
    ("GET", "/public/{slug:shuangzhu}/notices/{notice:珠海一区物业服务收费标准}/files/{attachment:珠海一区收费标准表.png}",
     public(301)),
    ("GET", "/public/{slug:shuangzhu}/display", public(301)),
    ("GET", "/public/{slug:shuangzhu}/display/next", public(301)),
    ("GET", "/public/{slug:shuangzhu}/opinion", public(301)),
    ("POST", "/public/{slug:shuangzhu}/opinion", public(308)),
    ("GET", "/public/{slug:shuangzhu}/opinion/status", public(301)),
    ("GET", "/public/{slug:nowhere}/opinion/status", public(404)),
    # --- district and city pages (issue 10): district_staff / city_staff only, others 403 ---
    ("GET", "/district/", DISTRICT_READERS),
    ("GET", "/district/?period=month&year=2026&n=11", DISTRICT_READERS),
    ("GET", "/district/?period=quarter&year=99999&n=9", DISTRICT_READERS),  # junk period: this quarter
    ("GET", "/district/{region:青岛西海岸新区}/", DISTRICT_READERS),
    ("GET", "/district/{region:青岛市}/", expect(403, district_staff=404, city_staff=404)),  # a city, not a district
    ("GET", "/district/{region:青岛西海岸新区}/ranking", DISTRICT_READERS),
    ("GET", "/district/{region:青岛西海岸新区}/ranking?quarter=2026Q9", expect(403, district_staff=404, city_staff=404)),
    ("GET", "/district/{region:青岛西海岸新区}/selections", DISTRICT_READERS),
    ("POST", "/district/{region:青岛西海岸新区}/selections", expect(403, district_staff=422)),
    ("GET", "/district/selections/{selection:none}", expect(403, district_staff=404, city_staff=404)),
    ("POST", "/district/selections/{selection:none}/criteria", expect(403, district_staff=404)),
    ("POST", "/district/selections/{selection:none}/decide", expect(403, district_staff=404)),
    ("POST", "/district/selections/{selection:none}/publish", expect(403, district_staff=404)),
    ("GET", "/district/{region:青岛西海岸新区}/templates", DISTRICT_READERS),
    ("POST", "/district/{region:青岛西海岸新区}/templates", expect(403, district_staff=422)),  # no template chosen
    ("GET", "/district/templates/offered", expect(403, street_admin=200, district_staff=403, city_staff=403)),
    ("POST", "/district/templates/{selection:none}/adopt", expect(403, street_admin=404)),
    ("GET", "/notices/targets", expect(200, **STAFF_ONLY)),
    ("GET", "/notices/targets?field=target&target_q=珠", expect(200, **STAFF_ONLY)),
    ("GET", "/notices/", expect(200, **STAFF_ONLY)),
    ("GET", "/notices/new", expect(200, **STAFF_ONLY)),
    ("POST", "/notices/new", expect(422, **STAFF_ONLY)),
    ("GET", "/notices/{notice:珠海一区物业服务收费标准}", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/notices/{notice:水景花苑物业服务内容公示}",
     expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/notices/{notice:珠海一区物业服务收费标准}/edit", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("GET", "/notices/{notice:隐珠街道关于宣传《物业管理条例》推行“一次办好”的通知}/edit",
     expect(404, street_admin=200, company_manager=403, resident_rep=403)),
    ("GET", "/notices/{notice:关于开展每月“走访日”活动的通知}/edit",  # 济阳's street-wide notice
     expect(404, company_manager=403, resident_rep=403)),
    ("POST", "/notices/{notice:珠海一区物业服务收费标准}/edit", expect(422, jiyang_staff=404, **STAFF_ONLY)),
    ("POST", "/notices/{notice:关于恒安福苑电梯停运的通知}/publish", expect(409, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/notices/{notice:关于恒安福苑电梯停运的通知}/withdraw", expect(303, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/notices/{notice:珠海一区物业服务收费标准}/files/{attachment:珠海一区收费标准表.png}", expect(200, jiyang_staff=404, **STAFF_ONLY)),
    ("POST", "/notices/{notice:珠海一区物业服务收费标准}/files/{attachment:missing}/delete", expect(404, **STAFF_ONLY)),
    # --- requests (DM01: 珠海一区, 双珠路, grid_worker's grid; DM04 and 垃圾站: 济阳, the latter at a compound of 泛华物业 = company_manager; 6号楼: 福通小区, 黄河东路街道) ---
    ("GET", "/requests/", expect(200, resident_rep=403)),
    ("GET", "/requests/export.xlsx", expect(200, resident_rep=403)),
    ("GET", "/requests/list.pdf", expect(200, resident_rep=403)),
    ("GET", "/requests/new", expect(200, **STAFF_ONLY)),
    ("POST", "/requests/new", expect(422, **STAFF_ONLY)),
    ("GET", "/requests/similar", expect(200, **STAFF_ONLY)),
    ("GET", "/requests/buildings", expect(200, **STAFF_ONLY)),
    ("GET", "/requests/{request:DM01}", expect(200, jiyang_staff=404, company_manager=404, resident_rep=403)),
    ("GET", "/requests/{request:DM04}", expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, company_manager=404, resident_rep=403)),  # not yet dispatched
    ("GET", "/requests/{rq:6号楼居民卫生间}", expect(404, resident_rep=403)),  # another street for every demo account
    ("POST", "/requests/{request:DM01}/phone", expect(200, shuangzhu_staff=404, jiyang_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/requests/{rq:小区东侧垃圾站}/act/{code:accept}", expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("POST", "/requests/{request:DM01}/act/{code:nonsense}", expect(404, resident_rep=403)),
    ("POST", "/requests/{rq:小区东侧垃圾站}/escalate", expect(409, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("POST", "/requests/{rq:小区东侧垃圾站}/decision", expect(422, street_admin=404, shuangzhu_staff=404, grid_worker=404, **STAFF_ONLY)),
    ("GET", "/requests/{rq:小区东侧垃圾站}/slip.pdf", expect(200, street_admin=404, shuangzhu_staff=404, grid_worker=404, resident_rep=403)),
    ("GET", "/requests/photos/{rq_none:x}", expect(404, resident_rep=403)),
    ("GET", "/requests/settings", expect(403, street_admin=200, district_staff=403, city_staff=403)),  # the street's own settings
    ("GET", "/requests/settings/categories/new", expect(403, street_admin=200)),
    ("POST", "/requests/settings/categories/new", expect(403, street_admin=422)),
    ("GET", "/requests/settings/categories/{rq_cat:漏水}", expect(403, street_admin=200, district_staff=403, city_staff=403)),  # a form page
    ("POST", "/requests/settings/categories/{rq_cat:漏水}", expect(403, street_admin=422)),
    ("POST", "/requests/settings/departments", expect(403, street_admin=422)),
    ("POST", "/requests/settings/days-off", expect(403, street_admin=422)),
    ("POST", "/requests/settings/score-rule", expect(403, street_admin=422)),
    ("POST", "/requests/settings/days-off/{rq_none:x}/delete", expect(403, street_admin=404)),
    ("POST", "/public/{street_slug:jiyang}/{slug:jiyang}/opinion/status/{code:visit}", public(422)),
    ("POST", "/public/{street_slug:jiyang}/{slug:jiyang}/opinion/status/{code:chase}", public(422)),
    # --- streets: district and city staff choose the street they view ---
    ("GET", "/streets/view/{street:隐珠街道}?next=/compounds/", expect(404, district_staff=303, city_staff=303)),
    ("GET", "/streets/view/{street:nowhere}", expect(404)),
]

# District and city staff read like a street admin who may not write: a GET page gets
# the street admin's answer; a write (POST) and a form page (its GET shows a form that
# only writers may send) answer 403; the audit log is not theirs (403). Pages open to
# every signed-in user answer them as they answer the street admin. A case that names
# them keeps its own expectation.
FORM_PAGES = re.compile(r"/(new|edit|add|rename|move|import|score)(\?|$)|/sheets\.(pdf|zip)$")
# Form pages whose route takes only GET (the form posts elsewhere): the view's own write
# check refuses them (404: nothing there is theirs to change). Blank import templates
# follow each domain's rule.
ABOVE_STREET_ANSWERS = {
    ("GET", "/compounds/{compound:珠海一区}/buildings/new"): 404,
    ("GET", "/compounds/{compound:珠海二区}/buildings/new"): 404,
    ("GET", "/compounds/{compound:珠海一区}/committees/new"): 404,
    ("GET", "/compounds/buildings/import-template.xlsx"): 200,
    ("GET", "/people/import-template.xlsx"): 404,
    # The requests settings are the street admin's own page (requests/views/settings.py).
    ("GET", "/requests/settings"): 403,
    ("GET", "/requests/settings/categories/{rq_cat:漏水}"): 403,
}
EVERY_USER_PAGES = ("/", "/password", "/jobs/", "/jobs/export", "/logout", "/login", "/metrics", "/healthz")


def _read_only_admin(method, path, expectations):
    if (method, path) in ABOVE_STREET_ANSWERS:
        return ABOVE_STREET_ANSWERS[(method, path)]
    admin = expectations["street_admin"]
    if path.split("?")[0] in EVERY_USER_PAGES or path.startswith("/jobs/") or path.startswith("/public/") \
            or path.startswith("/verify/") or path.startswith("/login"):
        return admin
    if path.startswith("/audit/") or path.startswith("/accounts/") or path.startswith("/security/"):
        return 403
    if method != "GET" or FORM_PAGES.search(path):
        return 403
    return admin


CASES = [(_m, _p, dict(_e)) for _m, _p, _e in CASES]  # shared dicts (ALL …) get their own copy
for _method, _path, _expectations in CASES:
    for _role in ABOVE_STREET:
        _expectations.setdefault(_role, _read_only_admin(_method, _path, _expectations))

IGNORED_RULES = {"/static/<path:filename>"}


@pytest.fixture(scope="module")
def signed_in(app, demo):
    """One logged-in test client per role, reused across the walk."""
    from conftest import AuthActions

    clients = {}
    for role in ROLES:
        c = app.test_client()
        if role != "anonymous":
            r = AuthActions(c).login(role)
            assert r.status_code == 303, f"{role} cannot sign in"
        clients[role] = c
    return clients


def _case_id(case):
    return f"{case[0]} {case[1]}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_route_as_role(signed_in, demo, role, case):
    method, path, expectations = case
    expected = expectations[role]
    c = signed_in[role]
    url = resolve(path)
    if method == "GET":
        r = c.get(url)
    else:
        from conftest import csrf_from

        if role == "anonymous":
            token = csrf_from(c.get("/login").get_data(as_text=True))
        else:
            token = csrf_from(c.get("/").get_data(as_text=True))
        r = c.post(url, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        if path == "/logout" and role != "anonymous":  # sign back in for the next case
            from conftest import AuthActions

            AuthActions(c).login(role)
    if expected == "login":
        assert r.status_code in (302, 303) and "/login" in r.headers["Location"], f"{role} {url}: {r.status_code}"
    else:
        assert r.status_code == expected, f"{role} {method} {url}: got {r.status_code}, expected {expected}"


def test_every_route_is_walked(app):
    """A route that no case covers fails here: extend CASES when adding a page."""
    walked = {re.sub(r"\{\w+:[^}]+\}", "<>", p) for _, p, _ in CASES}
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule in IGNORED_RULES:
            continue
        shape = re.sub(r"<[^>]+>", "<>", rule.rule)
        if shape not in walked:
            missing.append(rule.rule)
    assert not missing, f"routes not in the walk: {missing}"

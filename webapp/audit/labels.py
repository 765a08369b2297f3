"""The one registry that turns audit entries into Chinese: the record's kind and name,
each field's label, and each value as the pages show it.

- Kinds: `KINDS`, one per audited table (`tests/audit` fails for a table without one).
- Field labels: the label of the form field of the same name (the form the clerk used),
  else `FIELDS` for columns no form shows by that name, else `COMMON`.
- Values: enum codes through the domain's own label dict (`VALUES`), booleans 是/否,
  dates as the pages write them, foreign keys as the referenced record's name (looked up
  for a whole page of entries at once), masked columns as ***.
- Actions: `ACTIONS` (create/update/delete and the verbs `record()` is called with).
"""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, select
from sqlalchemy.orm import class_mapper

from ..clock import format_local
from ..phones import mask

KINDS = {
    "job": "后台任务",
    "stored_document": "定稿文件",
    "region_tier": "区划层级",
    "region": "区划（市、区县）",
    "street": "街道",
    "community": "社区",
    "grid": "网格",
    "compound": "小区",
    "building": "楼栋",
    "owners_committee": "业委会/自管会",
    "property_company": "物业企业",
    "person": "人员",
    "position": "任职",
    "cross_appointment": "交叉任职",
    "org_tier": "组织层级",
    "org_unit": "组织单位",
    "user": "账号",
    "meeting_kind": "会议类型",
    "meeting": "会议",
    "meeting_attendee": "参会人员",
    "meeting_agenda_item": "议题",
    "meeting_resolution": "会议决议",
    "meeting_task": "会议任务",
    "meeting_requirement": "三会三公开要求",
    "assessment_template": "考核模板",
    "assessment_section": "考核模板部分",
    "assessment_item": "考核项目",
    "assessment_round": "月度考核",
    "assessment_sheet": "考核表",
    "assessment_score": "评分",
    "assessment_score_line": "评分明细",
    "assessment_quarter": "季度排名",
    "district_selection": "金牌红色物业评选",
    "district_selection_candidate": "评选候选企业",
    "notice": "公告",
    "notice_attachment": "公告附件",
    "resident_request": "群众诉求",
    "request_event": "诉求办理记录",
    "request_photo": "诉求照片",
    "request_category": "诉求类别",
    "request_department": "诉求外部门",
    "request_day_off": "街道放假日",
    "recorded_count": "街道填报数",
    "coverage_snapshot": "覆盖情况月末快照",
    "street_report": "街道月度报告",
    "request_score_rule": "诉求考核折算规则",
    "security_policy": "安全策略",
    "audit_log": "操作记录",
}

ACTIONS = {
    "create": "新增",
    "update": "修改",
    "delete": "删除",
    "import": "导入",
    "export": "导出",
    "unmask": "查看完整号码",
    "view": "查看",
    "archive": "归档",
    "start_job": "启动后台任务",
    "issue_document": "定稿存档",
    "expired": "公示期满",
    "overdue_warning": "逾期提醒",
    "due_soon_warning": "到期提醒",
    "submit": "提交",
    "return": "退回",
    "approve": "审定",
    "correct": "更正",
    "close": "关闭",
    "reopen": "重新开启",
    "end": "结束",
    "publish": "发布",
    "decide": "作出决定",
    "adopt": "采用",
    "withdraw": "撤回",
    "new_revision": "新建版本",
    "login": "登录",
    "logout": "退出登录",
    "login_failed": "登录失败",
    "lockout": "账号锁定",
    "password_change": "修改密码",
    "password_reset": "重置密码",
    "totp_enrol": "启用双因素认证",
    "totp_reset": "重置双因素认证",
    "session_end": "会话结束",
    "unlock": "解除锁定",
}

# The form each table is edited with; its field labels are the audit log's field labels.
FORMS = {
    "security_policy": "security.forms:PolicyForm",
    "property_company": "companies.forms:CompanyForm",
    "compound": "compounds.forms:CompoundForm",
    "building": "compounds.forms:BuildingForm",
    "owners_committee": "compounds.forms:CommitteeForm",
    "person": "people.forms:PersonForm",
    "position": "people.forms:PositionForm",
    "cross_appointment": "appointments.forms:AppointmentForm",
    "org_unit": "structure.forms:UnitAddForm",
    "meeting": "meetings.forms:MeetingForm",
    "meeting_attendee": "meetings.forms:AttendeeForm",
    "meeting_agenda_item": "meetings.forms:AgendaForm",
    "meeting_resolution": "meetings.forms:ResolutionForm",
    "meeting_task": "meetings.forms:TaskForm",
    "meeting_requirement": "meetings.forms:RequirementForm",
    "meeting_kind": "meetings.forms:KindForm",
    "assessment_round": "assessments.forms:RoundForm",
    "assessment_item": "assessments.forms:AddItemForm",
    "assessment_quarter": "assessments.forms:PrizeForm",
    "district_selection": "district.forms:SelectionForm",
    "notice": "notices.forms:NoticeForm",
    "resident_request": "requests.forms:ActForm",
    "request_category": "requests.forms:CategoryForm",
    "request_department": "requests.forms:DepartmentForm",
    "request_day_off": "requests.forms:DayOffForm",
    "request_score_rule": "requests.forms:ScoreRuleForm",
    "security_policy": "security.forms:PolicyForm",
}

# Columns no form shows under their own name (or whose form label is too long for a log).
FIELDS = {
    "region_tier": {"level": "层级", "name": "层级名称"},
    "region": {"tier_id": "层级", "parent_id": "上级区划", "name": "区划名称"},
    "street": {"name": "街道名称", "region_id": "所属区县", "slug": "公示栏网址名", "coverage_target_date": "红色物业全覆盖目标日期"},
    "community": {"street_id": "所属街道", "name": "社区名称", "slug": "公示栏网址名"},
    "grid": {"community_id": "所属社区", "name": "网格名称"},
    "property_company": {"credit_code": "统一社会信用代码"},
    "person": {},
    "position": {"person_id": "人员", "org_unit_id": "任职组织", "company_id": "任职物业企业",
                 "committee_id": "任职业委会/自管会"},
    "cross_appointment": {"org_unit_id": "社区侧组织", "committee_id": "社区侧业委会/自管会"},
    "org_tier": {"tree": "组织体系", "level": "层级", "name": "层级名称"},
    "org_unit": {"tier_id": "层级", "parent_id": "上级单位", "grid_id": "所属网格", "compound_id": "对应小区",
                 "company_id": "对应物业企业", "sort": "排序"},
    "building": {"compound_id": "所属小区"},
    "owners_committee": {"compound_id": "所属小区"},
    "user": {"username": "用户名", "display_name": "姓名", "password_hash": "密码", "role": "角色",
             "active": "启用", "community_id": "所属社区", "grid_id": "所属网格", "company_id": "所属物业企业",
             "person_id": "对应人员", "session_version": "会话版本", "must_change_password": "须修改密码",
             "password_changed_at": "密码修改时间", "totp_secret": "双因素密钥", "totp_enabled": "已绑定验证器",
             "totp_last_step": "验证码步序", "last_login_at": "最近登录"},
    "security_policy": {"allow_self_approval": "允许本人审定纪要", "totp_roles": "须使用双因素认证的角色"},
    "meeting": {"status": "纪要状态", "submitted_at": "提交时间", "submitted_by": "提交人", "approved_at": "审定时间",
                "approved_by": "审定人", "approved_by_id": "审定账号", "previous_id": "更正前的版本",
                "revision": "版本", "is_current": "当前版本", "correction_reason": "更正原因"},
    "meeting_kind": {"sort_order": "排序", "active": "启用"},
    "meeting_attendee": {"meeting_id": "所属会议", "position": "序号"},
    "meeting_agenda_item": {"meeting_id": "所属会议", "position": "序号"},
    "meeting_resolution": {"meeting_id": "所属会议", "position": "序号", "publish": "向居民公开"},
    "meeting_task": {"meeting_id": "所属会议", "state": "状态", "done_at": "办结时间", "done_by": "办结人",
                     "done_note": "办理情况"},
    "meeting_requirement": {"active": "启用", "needs_publication": "须审定并公开决议"},
    "assessment_template": {"name": "模板名称", "revision": "版本", "note": "说明", "previous_id": "上一版本",
                            "retired": "已停用"},
    "assessment_section": {"template_id": "所属模板", "position": "序号", "title": "部分标题"},
    "assessment_item": {"section_id": "所属部分", "position": "序号", "guidance": "评分说明", "rule": "评分方式",
                        "per_finding": "每个问题扣分", "floor": "最低得分"},
    "assessment_round": {"status": "状态", "closed_at": "关闭时间", "closed_by_id": "关闭人", "reopened_at": "重新开启时间",
                         "reopened_by_id": "重新开启人", "reopen_reason": "重新开启的原因"},
    "assessment_sheet": {"round_id": "月度考核", "company_id": "物业企业", "compound_id": "小区", "final_score": "最终得分"},
    "assessment_score": {"sheet_id": "考核表", "scorer_id": "评分人", "scorer_kind": "评分人类别", "status": "状态",
                         "total": "得分", "visited_on": "暗访日期", "submitted_at": "提交时间"},
    "assessment_score_line": {"score_id": "评分", "item_id": "考核项目", "findings": "问题数", "points": "得分",
                              "finding_text": "发现的问题", "photo": "照片"},
    "assessment_quarter": {"quarter": "季度", "first_prize": "一等奖（元）", "published_at": "发布时间",
                           "published_by_id": "发布人", "snapshot": "排名快照"},
    "district_selection": {"region_id": "区县", "period": "季度", "status": "状态", "decision_note": "决定说明",
                           "decided_at": "决定时间", "decided_by_id": "决定人", "published_at": "公示时间",
                           "published_by_id": "公示人"},
    "district_selection_candidate": {"selection_id": "所属评选", "rank": "区内名次", "score": "区内得分",
                                     "street_scores": "各街道得分", "chosen": "入选", "reason": "理由"},
    "notice": {"community_id": "公示社区", "compound_id": "公示小区", "status": "状态", "publish_at": "发布时间",
               "expires_at": "公示截止时间", "withdrawn_at": "撤回时间", "withdraw_reason": "撤回原因",
               "author_id": "撰写人"},
    "notice_attachment": {"notice_id": "所属公告", "filename": "文件名", "stored_name": "存储文件名", "mime": "文件类型",
                          "size": "大小（字节）"},
    "resident_request": {"receipt_no": "回执号", "source": "来源", "community_id": "社区", "compound_id": "小区",
                         "text": "诉求内容", "name": "姓名", "phone": "电话", "public_reply": "答复",
                         "handled_at": "处理时间", "status": "状态", "category_id": "类别", "assignee_kind": "承办类型",
                         "assignee_company_id": "承办企业", "assignee_grid_id": "承办网格",
                         "assignee_department_id": "承办部门", "due_at": "办理时限", "satisfaction": "回访结果",
                         "reopen_count": "重新办理次数", "resolution": "办理结果", "reject_reason": "不予受理理由",
                         "street_id": "所属街道", "building_id": "楼栋", "urgency": "紧急程度", "chase_count": "催办次数",
                         "closed_at": "关闭时间", "created_by_id": "登记人", "dispatched_at": "派单时间",
                         "duplicate_of_id": "原诉求", "meeting_id": "议事会议", "resident_chased_on": "居民催办日期",
                         "resolved_at": "办结时间", "resolved_late": "超时办结", "visited_at": "回访时间",
                         "warn_at": "预警时间", "warned": "已发预警"},
    "request_event": {"request_id": "诉求", "kind": "环节", "note": "说明", "actor_name": "办理人", "actor_id": "办理人账号",
                      "from_status": "原状态", "to_status": "新状态", "meeting_id": "议事会议", "street_id": "所属街道"},
    "request_photo": {"request_id": "诉求", "stage": "环节", "stored_name": "存储文件名", "mime": "文件类型",
                      "size": "大小（字节）", "street_id": "所属街道"},
    "request_category": {"street_id": "所属街道"},
    "request_department": {"street_id": "所属街道"},
    "request_day_off": {"street_id": "所属街道"},
    "request_score_rule": {"street_id": "所属街道"},
    "recorded_count": {"street_id": "所属街道", "month": "月份", "kind": "项目", "value": "数量"},
    "coverage_snapshot": {"street_id": "所属街道", "month": "月份", "compounds": "小区数", "covered": "已覆盖小区",
                          "buildings": "楼栋数", "stewards": "红色管家", "committees": "业委会（自管会）",
                          "red_committees": "党员占比过半的业委会", "appointments": "在任交叉任职"},
    "street_report": {"street_id": "所属街道", "period": "报告期", "issued_by_id": "出具人"},
}

# Query-string filter names of the lists, for the note an export leaves.
FILTERS = {"q": "搜索", "community": "社区", "grid": "网格", "kind": "类型", "mode": "管理模式", "company": "物业企业",
           "party": "党员", "person": "人员", "unit": "组织单位", "compound": "小区", "status": "状态",
           "breakers": "仅看不符合规则"}

COMMON = {"name": "名称", "title": "标题", "note": "备注", "community_id": "所属社区", "compound_id": "小区",
          "company_id": "物业企业", "grid_id": "所属网格", "street_id": "所属街道", "region_id": "所属区划",
          "code": "区划代码", "registered_street_id": "登记街道"}


def _enums():
    """Enum columns and the label dicts their pages use (imported from each domain)."""
    from ..appointments.models import DIRECTIONS
    from ..assessments.models import ROUND_STATUS, RULE_KINDS, SCORER_KINDS
    from ..auth.models import ROLES
    from ..companies.models import PARTY_ORG_FORMS
    from ..compounds.forms import STEWARD_ROLES
    from ..compounds.models import COMMITTEE_KINDS, COMPOUND_KINDS, MANAGEMENT_MODES
    from ..district.models import STATUSES as SELECTION_STATUSES
    from ..meetings.models import ATTENDANCE, PERIODS, STATUSES as MEETING_STATUSES, TASK_STATES
    from ..notices.models import CATEGORIES, STATUSES as NOTICE_STATUSES
    from ..people.models import MEMBERSHIP_KINDS
    from ..requests.models import SOURCES, STATUSES as REQUEST_STATUSES
    from ..requests.rules import SATISFACTION as REQUEST_SATISFACTION
    from ..structure.models import TREES

    return {
        ("cross_appointment", "direction"): DIRECTIONS,
        ("assessment_round", "status"): ROUND_STATUS,
        ("district_selection", "status"): SELECTION_STATUSES,
        ("assessment_item", "rule"): RULE_KINDS,
        ("assessment_score", "scorer_kind"): SCORER_KINDS,
        ("assessment_score", "status"): {"assigned": "待评分", "submitted": "已提交"},
        ("user", "role"): ROLES,
        ("property_company", "party_org_form"): PARTY_ORG_FORMS,
        ("building", "steward_role"): STEWARD_ROLES,
        ("owners_committee", "kind"): COMMITTEE_KINDS,
        ("compound", "kind"): COMPOUND_KINDS,
        ("compound", "management_mode"): MANAGEMENT_MODES,
        ("meeting", "status"): MEETING_STATUSES,
        ("meeting_attendee", "status"): ATTENDANCE,
        ("meeting_task", "state"): TASK_STATES,
        ("meeting_requirement", "period"): PERIODS,
        ("notice", "category"): CATEGORIES,
        ("notice", "status"): NOTICE_STATUSES,
        ("person", "membership_kind"): MEMBERSHIP_KINDS,
        ("resident_request", "source"): SOURCES,
        ("resident_request", "status"): REQUEST_STATUSES,
        ("resident_request", "satisfaction"): REQUEST_SATISFACTION,
        ("org_tier", "tree"): TREES,
    }


_cache = {}


def _form_labels(table):
    """{field name: label} of the table's form, read from the form class's fields."""
    if table not in _cache:
        labels = {}
        dotted = FORMS.get(table)
        if dotted:
            import importlib

            from wtforms.fields.core import UnboundField

            module, name = dotted.split(":")
            form = getattr(importlib.import_module(f"webapp.{module}"), name)
            for klass in reversed(form.__mro__):
                for key, value in vars(klass).items():
                    if isinstance(value, UnboundField):
                        label = value.kwargs.get("label") or (value.args[0] if value.args else None)
                        if isinstance(label, str):
                            labels[key] = label
        _cache[table] = labels
    return _cache[table]


def field_label(table, column):
    """The Chinese label of `column` of `table`, or None when the registry has none."""
    return FIELDS.get(table, {}).get(column) or _form_labels(table).get(column) or COMMON.get(column)


def kind_label(table):
    return KINDS.get(table, table)


def action_label(action):
    return ACTIONS.get(action, action)


def models():
    """{table name: model class} of every mapped model."""
    from ..extensions import db

    return {m.class_.__tablename__: m.class_ for m in db.Model.registry.mappers}


def audited_columns():
    """{table: [column keys]} of every audited model: what the log may name."""
    from .services import SKIP

    out = {}
    for table, model in models().items():
        if getattr(model, "__audited__", False):
            out[table] = [a.key for a in class_mapper(model).column_attrs if a.key not in SKIP and a.key != "id"]
    return out


# --- the record's name -------------------------------------------------------------------

def _path(obj, *names):
    for name in names:
        obj = getattr(obj, name, None) if obj is not None else None
    return obj


def _month(value):
    return f"{value.year}年{value.month}月" if isinstance(value, date) else ""


NAMES = {
    "user": lambda o: f"{o.display_name}（{o.username}）" if o.display_name else o.username,
    "building": lambda o: " ".join(x for x in (_path(o, "compound", "name"), o.name) if x),
    "position": lambda o: " ".join(x for x in (_path(o, "person", "name"), o.role) if x),
    "cross_appointment": lambda o: " ".join(x for x in (_path(o, "person", "name"), o.host_role) if x),
    "assessment_round": lambda o: f"{_month(o.month)}考核",
    "assessment_sheet": lambda o: " ".join(x for x in (_month(_path(o, "round", "month")), _path(o, "compound", "name"),
                                                        _path(o, "company", "name")) if x),
    "assessment_score": lambda o: " ".join(x for x in (_month(_path(o, "sheet", "round", "month")),
                                                        _path(o, "sheet", "compound", "name"),
                                                        _path(o, "scorer", "display_name")) if x),
    "assessment_score_line": lambda o: _path(o, "item", "title") or "",
    "assessment_quarter": lambda o: (f"{o.quarter[:4]}年第{o.quarter[-1]}季度" if o.quarter and len(o.quarter) == 6 else o.quarter),
    "meeting_resolution": lambda o: (o.text or "")[:60],
    "meeting_task": lambda o: (o.what or "")[:60],
    "resident_request": lambda o: f"回执号 {o.receipt_no}",
    "request_event": lambda o: o.kind_label,
    "request_category": lambda o: o.name,
    "request_department": lambda o: o.name,
    "request_day_off": lambda o: str(o.day),
    "request_score_rule": lambda o: "群众诉求考核折算规则",
    "notice_attachment": lambda o: o.filename,
    "meeting_requirement": lambda o: o.label,
    "district_selection_candidate": lambda o: _path(o, "company", "name") or "",
}


def name_of(obj):
    """What the pages call this record (the compound's name, the person and role of a
    position …), at most 200 characters."""
    table = getattr(obj, "__tablename__", "")
    try:
        if table in NAMES:
            return (NAMES[table](obj) or "")[:200]
        for attr in ("name", "title", "username", "label"):
            value = getattr(obj, attr, None)
            if isinstance(value, str) and value:
                return value[:200]
    except Exception:  # a name is a courtesy; never let it stop a write
        return ""
    return ""


# --- values as the pages show them ---------------------------------------------------------

# Wall-clock times the clerk typed (the street's local time), stored without conversion.
TYPED_LOCAL = {("notice", "publish_at"), ("notice", "expires_at"), ("notice", "withdrawn_at"),
               ("meeting", "starts_at"), ("meeting", "ends_at")}


def _column(table, key):
    model = models().get(table)
    if model is None:
        return None
    prop = class_mapper(model).attrs.get(key)
    return prop.columns[0] if prop is not None and hasattr(prop, "columns") else None


def _parse_time(value):
    if isinstance(value, (date, datetime)):
        return value
    try:
        return datetime.fromisoformat(value) if "T" in value or " " in value else date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


def format_date(value):
    """2026-11-23 → 2026年11月23日 (the pages' `d` filter)."""
    if isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


def reference(table, key):
    """The table a foreign-key column points at, or None."""
    column = _column(table, key)
    if column is None or not column.foreign_keys:
        return None
    return next(iter(column.foreign_keys)).column.table.name


# Residents' and people's own numbers (PIPL): the log shows them as 138****8000; a
# company's switchboard number is not personal data and shows in full.
PERSONAL_PHONES = {("person", "phone"), ("resident_request", "phone")}


def show(table, key, value, names=None):
    """One stored value as its page shows it."""
    if value is None or value == "":
        return "—"
    from .services import MASK

    if key in MASK:
        return "***"
    if (table, key) in PERSONAL_PHONES:
        return mask(str(value))  # residents' numbers: masked in the log and its export too
    enum = _enum_map().get((table, key))
    if enum is not None:
        return enum.get(value, value)
    ref = reference(table, key)
    if ref is not None:
        name = (names or {}).get((ref, value))
        return f"{name}" if name else f"{kind_label(ref)} #{value}"
    column = _column(table, key)
    kind = type(column.type) if column is not None else None
    if kind is Boolean or isinstance(value, bool):
        return "是" if value else "否"
    if kind in (Date, DateTime):
        parsed = _parse_time(value)
        if parsed is None:
            return str(value)
        if isinstance(parsed, datetime) and (table, key) not in TYPED_LOCAL:
            return format_local(parsed)  # a stored UTC stamp, in the street's time
        return format_date(parsed)
    if kind is Float or isinstance(value, float):
        try:
            number = float(value)
        except (TypeError, ValueError):
            return str(value)
        return f"{number:g}"
    if isinstance(value, (list, dict)):
        return "（数据）"
    return str(value)


_enum_cache = {}


def _enum_map():
    if not _enum_cache:
        _enum_cache.update(_enums())
    return _enum_cache


# Columns that name the referenced record, for foreign keys shown by name.
NAME_COLUMNS = {"user": "display_name", "meeting": "title", "notice": "title", "assessment_section": "title",
                "assessment_item": "title", "meeting_requirement": "label", "notice_attachment": "filename",
                "resident_request": "receipt_no"}


def resolve_names(session, entries):
    """{(table, id): name} for every foreign key the entries' changes mention: one query
    per referenced table for a whole page of entries."""
    wanted = {}
    for entry in entries:
        if entry.action not in ("create", "update", "delete"):
            continue
        for key, pair in (entry.changes or {}).items():
            ref = reference(entry.entity, key)
            if ref is None or not isinstance(pair, list):
                continue
            for value in pair:
                if isinstance(value, int) and not isinstance(value, bool):
                    wanted.setdefault(ref, set()).add(value)
    names = {}
    all_models = models()
    for table, ids in wanted.items():
        model = all_models.get(table)
        column_name = NAME_COLUMNS.get(table) or next(
            (c for c in ("name", "title", "username") if c in class_mapper(model).attrs), None) if model else None
        if model is None or column_name is None:
            continue
        column = getattr(model, column_name)
        for rid, name in session.execute(select(model.id, column).where(model.id.in_(sorted(ids)))):
            names[(table, rid)] = name
    return names


def changes_shown(entry, names):
    """[(field label, before, after)] of a create/update/delete entry, in Chinese."""
    if entry.action not in ("create", "update", "delete"):
        return []
    rows = []
    for key, pair in (entry.changes or {}).items():
        if not isinstance(pair, list) or len(pair) != 2:
            continue
        label = field_label(entry.entity, key) or key
        rows.append((label, show(entry.entity, key, pair[0], names), show(entry.entity, key, pair[1], names)))
    return rows


def record_shown(entry):
    """"小区「珠海一区」#12": the record an entry is about."""
    if not entry.entity:
        return ""
    text = kind_label(entry.entity)
    if entry.label:
        text += f"「{entry.label}」"
    if entry.entity_id is not None:
        text += f" #{entry.entity_id}"
    return text

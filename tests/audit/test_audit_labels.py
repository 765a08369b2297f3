"""The log speaks Chinese: every audited table has a kind label and every audited column
a field label (a new table cannot slip through), and values read as the pages show them."""
from sqlalchemy import select

from webapp.audit import labels
from webapp.audit.models import AuditLog
from webapp.extensions import db


def test_every_audited_table_has_a_chinese_kind_and_every_column_a_label(app):
    audited = labels.audited_columns()
    assert "compound" in audited and "audit_log" not in audited
    missing_kinds = sorted(t for t in audited if t not in labels.KINDS)
    assert missing_kinds == [], f"add these tables to webapp/audit/labels.py KINDS: {missing_kinds}"
    missing = sorted(f"{t}.{c}" for t, cols in audited.items() for c in cols if not labels.field_label(t, c))
    assert missing == [], f"add field labels (a form field or FIELDS in webapp/audit/labels.py): {missing}"


def test_labels_are_chinese_and_come_from_the_forms(app):
    assert labels.field_label("compound", "management_mode") == "管理模式"  # CompoundForm's label
    assert labels.field_label("org_unit", "parent_id") == "上级单位"
    assert labels.kind_label("resident_request") == "群众诉求"
    for table, cols in labels.audited_columns().items():
        for column in cols:
            label = labels.field_label(table, column)
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label), (table, column, label)


def _entries():
    db.session.expire_all()
    return db.session.scalars(select(AuditLog).order_by(AuditLog.id)).all()


def test_values_are_shown_as_the_pages_show_them(factory):
    from webapp.requests.models import ResidentRequest

    community = factory.community("显示社区")
    compound = factory.compound(community, name="显示小区", kind="old")
    person = factory.person("李四", community=community, party=True)
    building = factory.building(compound, name="3号楼", steward=person)
    request = ResidentRequest(receipt_no="R1", source="online_box", community_id=community.id, compound_id=compound.id,
                              text="楼道灯坏了", status="received")
    db.session.add(request)
    db.session.commit()
    request.status = "in_progress"
    building.steward_phone_public = True
    db.session.commit()
    rows = _entries()
    names = labels.resolve_names(db.session, rows)

    def shown(entity, action="update"):
        entry = next(r for r in rows if r.entity == entity and r.action == action)
        return {label: (before, after) for label, before, after in labels.changes_shown(entry, names)}, entry

    changes, entry = shown("resident_request")
    assert changes["状态"] == ("已受理", "处理中")  # enum codes → the page's words
    assert labels.record_shown(entry) == f"群众诉求「回执号 R1」 #{request.id}"
    changes, _ = shown("building")
    assert changes["同意公示电话"] == ("否", "是")  # booleans → 是/否
    changes, entry = shown("building", "create")
    assert changes["所属小区"][1] == "显示小区"  # foreign keys → the referenced record's name
    assert changes["红色管家/楼长"][1] == "李四"
    assert entry.label == "显示小区 3号楼"
    changes, _ = shown("compound", "create")
    assert changes["小区类型"][1] == "老旧小区" and changes["所属社区"][1] == "显示社区"
    changes, _ = shown("person", "create")
    assert changes["中共党员"][1] == "是" and changes["党员管理方式"][1] == "居民党员（直接管）"
    assert labels.show("cross_appointment", "start_date", "2026-11-23") == "2026年11月23日"
    assert labels.show("compound", "company_id", 999999) == "物业企业 #999999"  # a name that is gone
    assert labels.show("user", "password_hash", "***") == "***"
    assert labels.show("person", "phone", "13800138000") == "138****8000"
    assert labels.show("resident_request", "phone", "13912345678") == "139****5678"
    assert labels.show("property_company", "contact_phone", "0532-86000000") == "0532-86000000"
    assert labels.action_label("update") == "修改" and labels.action_label("export") == "导出"

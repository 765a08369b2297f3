"""Forms of the assessment: template editing, rounds, the scoring sheet, reopening, prizes.

The scoring and template forms are built per template (one group of fields per item),
so every field is a WTForms field with its own Chinese error message.
"""
import os

from flask_wtf.file import FileField
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from .. import uploads
from ..forms import DecimalField, IntegerField, BaseForm, VersionedForm, no_control_chars, strip_filter
from . import scoring
from .models import RULE_KINDS

PHOTO_AREA = "assessments"
PHOTO_MAX_BYTES = 2 * 1024 * 1024
PHOTO_EXTS = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png"}


def check_photo(storage):
    """An uploaded photo re-encoded by `webapp.uploads` (upright, no metadata), its
    extension agreeing with its content and within the size limit; returns (bytes, ext).

    Raises ValidationError with a Chinese message."""
    ext = PHOTO_EXTS.get(os.path.splitext((storage.filename or "").lower())[1])
    try:
        checked = uploads.check(storage, PHOTO_MAX_BYTES, kinds=("jpg", "png"), label="照片")
    except uploads.Refused as exc:
        raise ValidationError(str(exc)) from None
    if ext != checked.ext:
        raise ValidationError("照片只能是 JPEG 或 PNG 图片（文件内容与扩展名须一致）。")
    return checked.data, "." + checked.ext


def store_photo(data, ext):
    """Write a checked photo under UPLOAD_DIR/assessments; returns its stored name."""
    return uploads.store(PHOTO_AREA, data, ext.lstrip("."))


# --- scoring --------------------------------------------------------------------------

class _ScoreBase(BaseForm):
    visited_on = DateField("暗访日期", validators=[DataRequired(message="请填写暗访日期。")])


def score_form_class(template):
    """A form class for `template`: per item a findings count or a judged score, the
    finding's text and an optional photo."""
    attrs = {}
    for item in template.items:
        if item.rule == "judged":
            attrs[f"points_{item.id}"] = DecimalField(
                f"{item.title}得分", places=1,
                validators=[InputRequired(message="请填写得分。"),
                            NumberRange(min=0, max=item.full_points,
                                        message=f"得分应在 0 至 {item.full_points:g} 分之间（不能为负数，也不能超过满分）。")])
        else:
            attrs[f"findings_{item.id}"] = IntegerField(
                f"{item.title}问题数", default=0,
                validators=[InputRequired(message="请填写发现的问题数（没有问题填 0）。"),
                            NumberRange(min=0, max=99, message="问题数应为 0 至 99 之间的整数，不能为负数。")])
        attrs[f"finding_{item.id}"] = TextAreaField(
            "发现的问题", filters=[strip_filter], validators=[Optional(), Length(max=1000), no_control_chars])
        attrs[f"photo_{item.id}"] = FileField("现场照片（可选，JPEG/PNG，2 MB 以内）")
    form_class = type("ScoreForm", (_ScoreBase,), attrs)
    form_class.template_items = template.items
    return form_class


def score_values(form):
    """Item id → points, computed by the item's rule; None for fields still invalid."""
    out = {}
    for item in form.template_items:
        try:
            if item.rule == "judged":
                raw = form[f"points_{item.id}"].data
                out[item.id] = scoring.item_points(item.full_points, "judged", judged=float(raw) if raw is not None else None)
            else:
                n = form[f"findings_{item.id}"].data
                out[item.id] = scoring.item_points(item.full_points, "per_finding", item.per_finding, item.floor,
                                                   findings=n if n is not None else 0)
        except (ValueError, TypeError):
            out[item.id] = None
    return out


def validate_score_form(form, files):
    """Full validation: fields, then every deduction needs a finding, then photos.

    Returns {item_id: dict(findings, points, finding_text, photo_data)} or None."""
    ok = form.validate()
    points = score_values(form)
    values = {}
    for item in form.template_items:
        p = points[item.id]
        text_field = form[f"finding_{item.id}"]
        findings = form[f"findings_{item.id}"].data if item.rule != "judged" else 0
        deducted = p is not None and (p < item.full_points or (findings or 0) > 0)
        if deducted and not text_field.data:
            text_field.errors = list(text_field.errors) + ["有扣分必须填写发现的问题（扣分依据）。"]
            ok = False
        photo = None
        storage = files.get(f"photo_{item.id}")
        if storage is not None and storage.filename:
            try:
                photo = check_photo(storage)
            except ValidationError as e:
                form[f"photo_{item.id}"].errors = list(form[f"photo_{item.id}"].errors) + [str(e)]
                ok = False
        values[item.id] = {"findings": findings or 0, "points": p, "finding_text": text_field.data or "",
                           "photo_data": photo}
    return values if ok else None


# --- templates ------------------------------------------------------------------------

def template_form_class(template):
    """Edit every section title and item of a template at once."""
    attrs = {
        "name": StringField("模板名称", filters=[strip_filter],
                            validators=[DataRequired(message="请填写模板名称。"), Length(max=120), no_control_chars]),
        "note": TextAreaField("说明", filters=[strip_filter], validators=[Optional(), Length(max=2000), no_control_chars]),
    }
    for section in template.sections:
        attrs[f"section_{section.id}"] = StringField(
            "部分标题", filters=[strip_filter],
            validators=[DataRequired(message="请填写部分标题。"), Length(max=120), no_control_chars])
    for item in template.items:
        i = item.id
        attrs[f"title_{i}"] = StringField("考核项目", filters=[strip_filter],
                                          validators=[DataRequired(message="请填写考核项目名称。"), Length(max=200), no_control_chars])
        attrs[f"full_{i}"] = DecimalField("满分", places=1, validators=[
            InputRequired(message="请填写满分。"), NumberRange(min=0.5, max=100, message="满分应在 0.5 至 100 分之间。")])
        attrs[f"rule_{i}"] = SelectField("评分规则", choices=list(RULE_KINDS.items()))
        attrs[f"per_{i}"] = DecimalField("每处扣分", places=1, default=1, validators=[
            InputRequired(message="请填写每处问题的扣分。"), NumberRange(min=0, max=100, message="每处扣分应在 0 至 100 分之间。")])
        attrs[f"floor_{i}"] = DecimalField("最低分", places=1, default=0, validators=[
            InputRequired(message="请填写最低分。"), NumberRange(min=0, max=100, message="最低分不能为负数。")])
        attrs[f"guidance_{i}"] = TextAreaField("评分标准", filters=[strip_filter],
                                               validators=[Optional(), Length(max=2000), no_control_chars])
    form_class = type("TemplateForm", (VersionedForm,), attrs)
    form_class.template = template
    return form_class


def fill_template_form(form, template):
    form.name.data = template.name
    form.note.data = template.note
    form.version.data = template.version
    for section in template.sections:
        form[f"section_{section.id}"].data = section.title
    for item in template.items:
        i = item.id
        form[f"title_{i}"].data = item.title
        form[f"full_{i}"].data = item.full_points
        form[f"rule_{i}"].data = item.rule
        form[f"per_{i}"].data = item.per_finding
        form[f"floor_{i}"].data = item.floor
        form[f"guidance_{i}"].data = item.guidance


def check_template_rules(form, template):
    """Cross-field rules: the floor must stay below full points."""
    ok = True
    for item in template.items:
        full, floor = form[f"full_{item.id}"].data, form[f"floor_{item.id}"].data
        if full is not None and floor is not None and floor >= full:
            form[f"floor_{item.id}"].errors = list(form[f"floor_{item.id}"].errors) + ["最低分必须小于满分。"]
            ok = False
    return ok


class AddItemForm(BaseForm):
    section_id = SelectField("加入部分", coerce=str)
    new_section = StringField("新部分标题（选择“新建部分”时填写）", filters=[strip_filter],
                              validators=[Optional(), Length(max=120), no_control_chars])
    title = StringField("考核项目", filters=[strip_filter],
                        validators=[DataRequired(message="请填写考核项目名称。"), Length(max=200), no_control_chars])
    full_points = DecimalField("满分", places=1, default=5, validators=[
        InputRequired(message="请填写满分。"), NumberRange(min=0.5, max=100, message="满分应在 0.5 至 100 分之间。")])

    def validate_new_section(self, field):
        if self.section_id.data == "new" and not field.data:
            raise ValidationError("新建部分时请填写部分标题。")


# --- rounds ---------------------------------------------------------------------------

class RoundForm(BaseForm):
    month = StringField("考核月份", validators=[DataRequired(message="请选择考核月份。")],
                        render_kw={"type": "month"})
    template_id = SelectField("考核模板", coerce=int)
    cadre_weight = DecimalField("干部评分权重", places=2, default=0.7, validators=[
        InputRequired(message="请填写干部评分权重。"), NumberRange(min=0, max=1, message="权重应在 0 至 1 之间。")])
    rep_weight = DecimalField("居民代表评分权重", places=2, default=0.3, validators=[
        InputRequired(message="请填写居民代表评分权重。"), NumberRange(min=0, max=1, message="权重应在 0 至 1 之间。")])

    def validate_month(self, field):
        import re

        if not re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", field.data or ""):
            raise ValidationError("月份格式应为 2026-11。")

    def validate_rep_weight(self, field):
        if self.cadre_weight.data is not None and field.data is not None and self.cadre_weight.data + field.data <= 0:
            raise ValidationError("两类评分人的权重不能都为 0。")


class ReopenForm(BaseForm):
    reason = TextAreaField("重新开启的原因", filters=[strip_filter], validators=[
        DataRequired(message="重新开启已关闭的考核必须说明原因。"), Length(min=4, max=500, message="原因请写 4 至 500 字。"),
        no_control_chars])


class AssignForm(BaseForm):
    user_id = SelectField("居民代表", coerce=int)


class PrizeForm(BaseForm):
    first_prize = DecimalField("一等奖（元）", places=0, validators=[
        InputRequired(message="请填写一等奖金额。"), NumberRange(min=0, max=1000000, message="金额应在 0 至 1000000 元之间。")])
    second_prize = DecimalField("二等奖（元）", places=0, validators=[
        InputRequired(message="请填写二等奖金额。"), NumberRange(min=0, max=1000000, message="金额应在 0 至 1000000 元之间。")])
    third_prize = DecimalField("三等奖（元）", places=0, validators=[
        InputRequired(message="请填写三等奖金额。"), NumberRange(min=0, max=1000000, message="金额应在 0 至 1000000 元之间。")])

"""The notice form: what, where, when; plus the withdraw form."""
import re

from wtforms import BooleanField, DateTimeLocalField, MultipleFileField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import BaseForm, VersionedForm, no_control_chars, strip_filter
from .models import CATEGORIES

TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>|<\s*/?\s*[a-zA-Z]+\s*$", re.MULTILINE)
PUBLISH_MODES = [("draft", "保存为草稿"), ("now", "立即发布"), ("at", "定时发布")]
DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


def no_html(form, field):
    """Notices use the tiny markup, never HTML: a tag is refused with a clear message."""
    if field.data and TAG_RE.search(field.data):
        raise ValidationError("不能包含 HTML 标签或脚本（如 <script>）。请使用简单格式：空行分段，以“- ”开头的行为列表项。")


class NoticeForm(VersionedForm):
    title = StringField("标题", filters=[strip_filter],
                        validators=[DataRequired("请填写标题。"), Length(max=120, message="标题不能超过 120 字。"), no_control_chars, no_html])
    category = SelectField("栏目", choices=[(k, v) for k, v in CATEGORIES.items() if k not in ("resolution", "ranking")] + [("resolution", "议事决议"), ("ranking", "考核结果")])
    target = SelectField("公示范围", validate_choice=True)
    body = TextAreaField("正文", filters=[strip_filter],
                         validators=[DataRequired("请填写正文。"), Length(max=20000, message="正文不能超过 20000 字。"), no_control_chars, no_html],
                         render_kw={"rows": 14})
    attachments = MultipleFileField("附件（PDF、JPEG、PNG）")
    publish_mode = RadioField("发布方式", choices=PUBLISH_MODES, default="draft")
    publish_at = DateTimeLocalField("定时发布时间", format=DT_FORMATS, validators=[Optional()])
    expires_at = DateTimeLocalField("公示截止时间（可不填）", format=DT_FORMATS, validators=[Optional()])
    pinned = BooleanField("置顶")

    def validate(self, extra_validators=None):
        """Field checks, then: a scheduled notice needs its time (Optional() on the
        field would otherwise skip the check when it is left empty)."""
        ok = super().validate(extra_validators)
        if self.publish_mode.data == "at" and not self.publish_at.data and not self.publish_at.errors:
            self.publish_at.errors = list(self.publish_at.errors) + ["定时发布请填写发布时间。"]
            ok = False
        return ok

    def validate_expires_at(self, field):
        from .models import local_now

        if not field.data:
            return
        start = self.start_time()
        if start is not None and field.data <= start:
            raise ValidationError("公示截止时间必须晚于发布时间。")
        if start is None and field.data <= local_now():
            raise ValidationError("公示截止时间必须晚于现在。")

    def start_time(self):
        """When the notice would go up: now, the scheduled time, or None for a draft."""
        from .models import local_now

        if self.publish_mode.data == "now":
            return local_now()
        if self.publish_mode.data == "at":
            return self.publish_at.data
        return None


class WithdrawForm(BaseForm):
    reason = TextAreaField("撤回原因", filters=[strip_filter],
                           validators=[DataRequired("请填写撤回原因（会记入操作记录）。"), Length(max=500, message="原因不能超过 500 字。"), no_control_chars],
                           render_kw={"rows": 3})

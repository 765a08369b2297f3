"""How a phone number is shown: in full, masked (138****8000) or not at all.

Each domain's `access.py` decides which of the three a user gets for its records
(`phone_view`); this module only formats, so every page, PDF and export masks alike.
"""
from dataclasses import dataclass

FULL, MASKED, HIDDEN = "full", "masked", "hidden"


def mask(phone):
    """138****8000: the first three and last four digits kept; shorter numbers all stars."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 8:
        return phone[:3] + "****" + phone[-4:]
    return "*" * len(phone)


@dataclass(frozen=True)
class PhoneView:
    """A phone as one user may see it; `unmask_url` when they may reveal it (audited)."""

    state: str
    phone: str
    unmask_url: str = ""

    @property
    def text(self):
        if not self.phone:
            return ""
        if self.state == FULL:
            return self.phone
        if self.state == MASKED:
            return mask(self.phone)
        return ""

    @property
    def can_unmask(self):
        return self.state == MASKED and bool(self.unmask_url) and bool(self.phone)

    def __str__(self):
        return self.text


def reveal_response(phone, label, back):
    """The answer to an unmask click: the number as an HTMX fragment, or a small page
    for a browser without JavaScript (the caller has checked scope and audited it)."""
    from flask import render_template, request

    if request.headers.get("HX-Request") == "true":
        return render_template("_phone_revealed.html", phone=phone)
    return render_template("phone_revealed.html", phone=phone, label=label, back=back)

"""/verify/<code>: the public check of a printed document (no sign-in, no session cookie).

A resident scans the QR code on a printed page and sees the document's title, version,
date of approval or closing, its SHA-256, and whether a later version supersedes it."""
from flask import Blueprint, render_template

from . import services

bp = Blueprint("documents", __name__)


@bp.route("/verify/<code>")
def verify(code):
    doc = services.by_code(code[:32])
    if doc is None:
        return render_template("documents/verify.html", doc=None, code=code[:32]), 404
    return render_template("documents/verify.html", doc=doc, later=doc.superseded_by())

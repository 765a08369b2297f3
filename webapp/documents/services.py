"""Issue, store and serve final documents.

`issue(kind, subject_id)` renders the document once (its kind's function in kinds.py),
with every page marked with the verification code and a QR code to /verify/<code>, stores the
file under DOCUMENT_DIR and records it with its SHA-256. Asking again returns the stored
row: the PDF is never rendered twice and never overwritten. `serve(doc)` answers from the
file with the SHA-256 as ETag (304 when it matches)."""
import hashlib
import importlib
import io
import os
import secrets

from flask import current_app, has_request_context, request, send_file
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..audit.services import record
from ..extensions import db
from ..jobs.services import Result
from .models import StoredDocument

KINDS = {
    "minutes": "webapp.documents.kinds:minutes",
    "sheet": "webapp.documents.kinds:sheet",
    "ranking": "webapp.documents.kinds:ranking",
    "template": "webapp.documents.kinds:template",
    "street_report": "webapp.dashboard.reports:final",
}
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read off paper


def folder():
    path = current_app.config["DOCUMENT_DIR"]
    os.makedirs(path, exist_ok=True)
    return path


def path_of(doc):
    return os.path.join(folder(), doc.stored_name)


def find(kind, subject_id):
    """The newest stored version for (kind, subject), or None."""
    return db.session.scalars(select(StoredDocument).where(
        StoredDocument.kind == kind, StoredDocument.subject_id == subject_id)
        .order_by(StoredDocument.version.desc())).first()


def by_code(code):
    code = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    if len(code) != 8:
        return None
    return db.session.scalars(select(StoredDocument).where(StoredDocument.code == code)).first()


def _new_code():
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
        if by_code(code) is None:
            return code


def verify_url(code):
    from ..public.views import absolute

    return absolute("documents.verify", code=code)


def stamped(render, code, url):
    """`render()` with every page carrying the verification code and the QR code to
    /verify/<code> in its bottom margin. pdf/base.html draws the mark as a fixed box, so
    it is part of the one rendering: one embedded font subset and one QR image for the
    whole file (stamping a second PDF over each page embedded the font twice)."""
    from flask import g

    from ..public.qr import pdf_data_uri

    # One pixel a module, drawn unsmoothed (pdf/base.html): the same sharp squares on paper
    # as a 4-pixel module, in a fraction of the bytes.
    g.document_stamp = {"code": f"{code[:4]}-{code[4:]}", "url": url, "qr": pdf_data_uri(url, border=1)}
    try:
        return render()
    finally:
        g.pop("document_stamp", None)


def issue(kind, subject_id, user=None):
    """The stored document for (kind, subject), rendering and storing it the first time."""
    if not has_request_context():  # templates need one (a command, a test)
        with current_app.test_request_context("/"):
            return issue(kind, subject_id, user)
    existing = find(kind, subject_id)
    module, _, name = KINDS[kind].partition(":")
    if existing is not None and kind == "minutes":  # each approved version is its own meeting row
        return existing
    final = getattr(importlib.import_module(module), name)(subject_id)
    if existing is not None:
        if existing.final_at == final.final_at:
            return existing
        # Final again after a change (a month reopened and closed again): a new version,
        # the older file stays, superseded and still verifiable.
        final.version = max(final.version, existing.version + 1)
    code = _new_code()
    data = stamped(final.render, code, verify_url(code))
    stored_name = f"{kind}-{subject_id}-{secrets.token_hex(6)}.pdf"
    tmp = os.path.join(folder(), stored_name + ".part")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, os.path.join(folder(), stored_name))
    doc = StoredDocument(code=code, kind=kind, subject_id=subject_id, lineage=final.lineage, version=final.version,
                         title=final.title, final_at=final.final_at, filename=final.filename,
                         stored_name=stored_name, size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                         created_by_id=getattr(user, "id", None))
    db.session.add(doc)
    try:
        db.session.flush()
    except IntegrityError:  # someone else issued it meanwhile: theirs is the one
        db.session.rollback()
        os.remove(os.path.join(folder(), stored_name))
        return find(kind, subject_id)
    record(db.session, "issue_document", doc, note=f"{doc.title} 第{doc.version}版 {doc.code_label}")
    db.session.commit()
    return doc


def serve(doc):
    """The stored file, ETag = its SHA-256; a matching If-None-Match gets 304."""
    response = send_file(path_of(doc), mimetype="application/pdf", download_name=doc.filename,
                         etag=doc.sha256, conditional=True, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response.make_conditional(request)


def render_job(params, progress):
    """The job started when a document becomes final: issue it now, so printing is instant."""
    progress(0, 1)
    doc = issue(params["kind"], params["subject_id"])
    progress(1, 1)
    with open(path_of(doc), "rb") as fh:
        return Result(fh.read(), doc.filename, "application/pdf")


def render_many_job(params, progress):
    """The job started when many documents become final at once (a month's sheets):
    issue each; the result is a short list of their verification codes."""
    ids = params["subject_ids"]
    lines = []
    for done, subject_id in enumerate(ids):
        progress(done, len(ids))
        doc = issue(params["kind"], subject_id)
        lines.append(f"{doc.code_label}\t{doc.title}\t{doc.sha256}")
    progress(len(ids), len(ids))
    return Result("\n".join(lines).encode("utf-8"), "定稿文件校验码.txt", "text/plain; charset=utf-8")


def issue_later_many(kind, subject_ids, title, user):
    """Start one job that issues every document of `subject_ids` (none: no job)."""
    from ..jobs import services as jobs

    if not subject_ids:
        return None
    return jobs.start("documents", title, {"kind": kind, "subject_ids": list(subject_ids)}, user=user,
                      total=len(subject_ids))


def issue_later(kind, subject_id, title, user):
    """Start the job that issues a document that has just become final."""
    from ..jobs import services as jobs

    return jobs.start("document", title, {"kind": kind, "subject_id": subject_id}, user=user, total=1)

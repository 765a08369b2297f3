"""Old single-street board URLs, `/public/<community_slug>/…`, answer 301 (308 for a
POST) with the same page under its street: `/public/<street_slug>/<community_slug>/…`,
query string kept. Printed QR codes and notices carry the old form, so these stay.

Which community an old slug means: `board.community_by_old_slug` — the slug's community
in the oldest street (the one migrated from the single-street release), since that is
the only street whose URLs were ever printed without a street. A slug that is a street's
slug is the street's page (`/public/<street_slug>/`), never an old community URL."""
from flask import abort, redirect, request

from . import board, links

# Old rule (after /public) → the new endpoint it moved to.
OLD_RULES = (
    ("/<slug>/<int:compound_id>/", "public.compound"),
    ("/<slug>/archive", "public.archive"),
    ("/<slug>/notices/<int:notice_id>", "public.notice"),
    ("/<slug>/notices/<int:notice_id>.pdf", "public.notice_pdf"),
    ("/<slug>/notices/<int:notice_id>/files/<int:attachment_id>", "public.notice_file"),
    ("/<slug>/display", "public.display"),
    ("/<slug>/display/next", "public.display_next"),
    ("/<slug>/opinion", "public.opinion"),
    ("/<slug>/opinion/status", "public.opinion_status"),
)


def _moved(endpoint, slug, **values):
    community = board.community_by_old_slug(slug)
    if community is None:
        abort(404)
    args = {k: v for k, v in request.args.items() if not k.startswith("_") and k not in values
            and k not in ("community", "street", "slug", "endpoint")}
    target = links.url(endpoint, community, **values, **args)
    return redirect(target, code=308 if request.method == "POST" else 301)


def old_community(slug):
    """`/public/<community_slug>/` of the single-street release (the street page's view
    calls this when no street has that slug)."""
    return _moved("public.community", slug)


def register(bp):
    """Add the old rules to the public blueprint, each answering with the move."""
    for rule, endpoint in OLD_RULES:
        name = "old_" + endpoint.split(".", 1)[1]
        methods = ["GET", "POST"] if endpoint == "public.opinion" else ["GET"]

        def view(slug, _endpoint=endpoint, **values):
            return _moved(_endpoint, slug, **values)

        bp.add_url_rule(rule, name, view, methods=methods)

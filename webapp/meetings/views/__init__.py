"""/meetings/: plan meetings, record minutes on one HTMX page, approve, correct, print,
follow up tasks, and check 三会三公开 compliance.

One module per sub-area, named by the URL:
- /meetings/                              listing.py
- /meetings/new, /<id>, /<id>/edit, /<id>/header,
  /<id>/attendees|agenda|resolutions|tasks…  record.py
- /<id>/submit, /return, /approve, /correct  lifecycle.py
- /<id>.pdf                                printing.py
- /meetings/tasks, /tasks/<id>/close       tasks.py
- /meetings/compliance                     compliance.py
- /meetings/settings…                      settings.py
"""
from flask import Blueprint

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

from . import compliance, lifecycle, listing, printing, record, settings, tasks  # noqa: E402,F401  (register the routes)

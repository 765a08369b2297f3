"""/requests/: residents' requests from intake to a satisfied resident.

One module per sub-area, named by the URL:
- /requests/, /requests/export.xlsx, /requests/list.pdf          inbox.py
- /requests/new, /requests/similar, /requests/buildings           record.py
- /requests/<id>, /<id>/act/<action>, /<id>/escalate, /<id>/decision,
  /<id>/phone, /<id>/slip.pdf, /requests/photos/<id>              detail.py
- /requests/settings…                                            settings.py
"""
from flask import Blueprint

bp = Blueprint("requests", __name__, url_prefix="/requests")

from . import detail, inbox, record, settings  # noqa: E402,F401  (register the routes)

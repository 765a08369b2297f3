"""/assessments/: templates, monthly rounds, scoring sheets, quarterly ranking and PDFs.

One module per sub-area, named by the URL (who sees what: common.py):
- /assessments/, /assessments/rounds…          rounds.py
- /assessments/templates/…                     templates.py
- /assessments/sheets/<id>…, /photos/<id>      sheets.py
- /assessments/ranking, /ranking/prizes|publish  ranking.py
- every *.pdf and *.zip                        printing.py
"""
from flask import Blueprint

bp = Blueprint("assessments", __name__, url_prefix="/assessments")

from . import printing, ranking, rounds, sheets, templates  # noqa: E402,F401  (register the routes)

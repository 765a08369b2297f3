"""The dashboard domain's pages, one module per sub-area, so the URL names the file:

- `landing.py`: `/` (each role's landing page) and `/healthz`;
- `counts.py`: `/counts/` (the counts the street records, per community and month);
- `reports.py`: `/reports/` and `/reports/<yyyy-mm>.pdf|.xlsx`, `/reports/<yyyy>-Q<n>.pdf|.xlsx`.
"""
from flask import Blueprint

bp = Blueprint("dashboard", __name__)

from . import counts, landing, reports  # noqa: E402,F401  (register the routes)

"""The demo deployment, built from the five news reports in shared/seeds/: eleven streets
under the districts and cities the reports put them in (see `geography`).

`load()` runs each domain's loader in order inside one transaction. A domain adds
its loader's dotted path to LOADERS; each loader is `load(demo)` where `demo` is the
`Demo` object holding what earlier loaders created (look-ups by name)."""
import importlib

from ..extensions import db

LOADERS = [
    "webapp.demo.core",
    "webapp.assessments.demo",
    "webapp.meetings.demo",
    "webapp.notices.demo",
    "webapp.requests.demo",
    "webapp.dashboard.demo",
]


class Demo:
    """What the loaders created, so later loaders can refer to it by name."""

    def __init__(self):
        self.street = None  # 隐珠街道, the street most demo accounts work in
        self.regions = {}
        self.streets = {}  # by key: "yinzhu", "jiyang" …
        self.communities = {}
        self.grids = {}
        self.units = {}
        self.gov_roots = {}
        self.committees = {}  # by compound name
        self.compounds = {}
        self.companies = {}
        self.people = {}
        self.users = {}


def load():
    demo = Demo()
    for dotted in LOADERS:
        importlib.import_module(dotted).load(demo)
        db.session.flush()
    db.session.commit()
    return demo

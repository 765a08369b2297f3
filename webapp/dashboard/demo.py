"""Demo data for the dashboard: the counts the reports quote, recorded per community and
month over the past year (双珠路: 70+ activities, 79 disputes settled, 110+ items
coordinated; 47 charging piles in 3 communities; 济阳: 34 social organisations …), and
coverage snapshots of the past months rising to today's figure, as the morning job would
have written them at each month's end."""
from ..clock import local_today
from .figures import Place, appointments_trend, coverage
from .models import CoverageSnapshot, RecordedCount
from .periods import add_months, month_start

# community -> kind -> value each month (flows) or standing value (stocks)
FIGURES = {
    "双珠路社区": {"activities": 6, "disputes_settled": 7, "items_coordinated": 9, "charging_piles": 20,
                 "red_stations": 3, "station_services": 260, "volunteers": 120},
    "济阳示例一社区": {"activities": 4, "social_orgs": 34, "charging_piles": 15, "red_stations": 2,
               "station_services": 180, "volunteers": 210},
    "宁华社区": {"activities": 3, "charging_piles": 12, "volunteers": 60},
    "永春社区": {"activities": 2, "volunteers": 45},
}
STOCKS = {"charging_piles", "red_stations", "social_orgs", "volunteers"}


def load(demo):
    from ..extensions import db

    this_month = month_start(local_today())
    for name, kinds in FIGURES.items():
        community = demo.communities.get(name)
        if community is None:
            continue
        for back in range(1, 13):
            month = add_months(this_month, -back)
            for kind, value in kinds.items():
                if kind in STOCKS:
                    if back % 3:  # a standing count is recorded once a quarter, growing
                        continue
                    value = max(0, value - (back // 3) * max(1, value // 12))
                else:
                    value = value + (back * 7) % 3 - 1
                db.session.add(RecordedCount(street_id=community.street_id, community_id=community.id, month=month,
                                             kind=kind, value=value))
    db.session.flush()
    for community in demo.communities.values():
        street_id = community.street_id
        place = Place(street_id, community.id)
        now = coverage(street_id, place=place)
        months = [add_months(this_month, -back) for back in range(1, 12)]
        # Appointments at each month's end by their terms, as the job counted them then.
        appointments = dict(zip(months, appointments_trend(place, months)))
        for back, month in enumerate(months, start=1):
            covered = max(0, now["covered"] - (back + 2) // 4)
            db.session.add(CoverageSnapshot(
                street_id=street_id, community_id=community.id, month=month, compounds=now["compounds"],
                covered=covered, buildings=now["buildings"], stewards=max(0, now["stewards"] - back * 2),
                committees=now["committees"], red_committees=max(0, now["red_committees"] - back // 5),
                appointments=appointments[month]))
    db.session.flush()

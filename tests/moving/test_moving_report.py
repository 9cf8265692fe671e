"""Monthly figures against hand-computed fixtures; the chart and the page carry the same."""

from datetime import UTC, date, datetime

import pytest

from consent.moving.chart import bar_chart, nice_max
from consent.moving.report import SignupFacts, monthly_report, months_between, room_bucket
from tests.moving.moving_helpers import make_signup, office, page, sign_in

F = SignupFacts
FACTS = [
    F(date(2025, 12, 20), date(2026, 1, 19), 4),  # A: 30 days, family home
    F(date(2026, 1, 5), date(2026, 3, 6), 5),  # B: 60 days, family home (5+)
    F(date(2026, 1, 20), date(2026, 3, 21), 3),  # C: 60 days
    F(date(2026, 2, 1), date(2026, 3, 3), 2),  # D: 30 days
    F(date(2026, 2, 10), None, 6),  # E: still looking
    F(date(2026, 3, 15), date(2026, 5, 1), 4),  # F: moves after the range
    F(date(2026, 4, 30), None, 3),  # G
    F(date(2026, 3, 1), date(2026, 3, 31), 1),  # H: 30 days
]
# Worked out by hand:
#            sign-ups  moves  family  rooms 1/2/3/4/5+   median days
# 2026-01        2       1      1       0/0/0/1/0          30 (A)
# 2026-02        2       0      0       0/0/0/0/0          -
# 2026-03        2       4      1       1/1/1/0/1          45 (30,30,60,60)
# 2026-04        1       0      0       0/0/0/0/0          -
# total          7       5      2       1/1/1/1/1          30 (30,30,30,60,60)
EXPECTED = [
    (date(2026, 1, 1), 2, 1, 1, [0, 0, 0, 1, 0], 30.0),
    (date(2026, 2, 1), 2, 0, 0, [0, 0, 0, 0, 0], None),
    (date(2026, 3, 1), 2, 4, 1, [1, 1, 1, 0, 1], 45.0),
    (date(2026, 4, 1), 1, 0, 0, [0, 0, 0, 0, 0], None),
]


def _row(m):
    return (m.month, m.signups, m.moves, m.family_homes_freed, list(m.moves_by_rooms.values()),
            m.median_days_to_move)  # fmt: skip


def test_monthly_figures_match_the_hand_computed_table():
    report = monthly_report(FACTS, date(2026, 1, 1), date(2026, 4, 30))
    assert [_row(m) for m in report.months] == EXPECTED
    total = report.total
    assert (total.signups, total.moves, total.family_homes_freed) == (7, 5, 2)
    assert list(total.moves_by_rooms.values()) == [1, 1, 1, 1, 1]
    assert total.median_days_to_move == 30.0


def test_family_home_threshold_is_a_parameter():
    report = monthly_report(FACTS, date(2026, 3, 1), date(2026, 3, 1), family_min_rooms=3)
    assert report.months[0].family_homes_freed == 2  # B (5 rooms) and C (3 rooms)


def test_empty_range_has_zero_rows_and_no_median():
    report = monthly_report([], date(2026, 1, 1), date(2026, 2, 1))
    assert [(m.signups, m.moves, m.median_days_to_move) for m in report.months] == [
        (0, 0, None)
    ] * 2
    assert report.total.median_days_to_move is None


def test_months_between_crosses_the_year():
    assert months_between(date(2025, 11, 17), date(2026, 2, 3)) == [
        date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1),
    ]  # fmt: skip
    assert months_between(date(2026, 2, 1), date(2026, 1, 1)) == []


@pytest.mark.parametrize(("rooms", "bucket"), [(1, "1"), (3, "3"), (4, "4"), (5, "5+"), (9, "5+")])
def test_room_buckets(rooms, bucket):
    assert room_bucket(rooms) == bucket


def test_chart_bars_are_proportional_to_the_figures():
    report = monthly_report(FACTS, date(2026, 1, 1), date(2026, 4, 30))
    chart = bar_chart(report.months)
    assert [t.value for t in chart.ticks] == [0, 1, 2, 3, 4, 5]  # top: nice_max(4) = 5
    march = chart.groups[2].bars
    assert [(b.series, b.value) for b in march] == [
        ("signups", 2),
        ("moves", 4),
        ("family_homes_freed", 1),
    ]
    plot_height = chart.baseline - chart.ticks[-1].y
    assert march[1].height == pytest.approx(plot_height * 4 / 5)
    assert march[1].y + march[1].height == pytest.approx(chart.baseline)


@pytest.mark.parametrize(
    ("value", "top"), [(0, 1), (1, 1), (3, 5), (7, 10), (11, 20), (40, 50), (101, 200)]
)
def test_nice_max(value, top):
    assert nice_max(value) == top


def _utc(y, m, d, hour=12, minute=0):
    return datetime(y, m, d, hour, minute, tzinfo=UTC)


def test_report_page_shows_table_and_accessible_chart(client, engine):
    o = office(engine)
    cid = o.world.corporation.id
    make_signup(
        engine,
        cid,
        created_at=_utc(2026, 1, 5),
        status="moved",
        moved_on=date(2026, 3, 6),
        rooms="5",
    )
    make_signup(engine, cid, created_at=_utc(2026, 1, 31, 23, 30), rooms="2")  # 1 Feb in Amsterdam
    make_signup(
        engine,
        cid,
        created_at=_utc(2026, 2, 1),
        status="moved",
        moved_on=date(2026, 3, 3),
        rooms="2",
    )
    other = office(engine, "other")  # another corporation's figures never count
    make_signup(engine, other.world.corporation.id, created_at=_utc(2026, 1, 6), rooms="4")
    sign_in(client, o.broker.email)
    html = page(client.get("/medewerkers/verhuizen/cijfers?van=2026-01&tot=2026-03"))
    table = html.find("table")
    assert table.caption.get_text(strip=True)
    body = [
        [c.get_text(strip=True) for c in tr.find_all(["th", "td"])]
        for tr in table.tbody.find_all("tr")
    ]
    assert body == [
        ["januari 2026", "1", "0", "0", "0", "0", "0", "0", "0", "–"],
        ["februari 2026", "2", "0", "0", "0", "0", "0", "0", "0", "–"],
        ["maart 2026", "0", "2", "1", "0", "1", "0", "0", "1", "45"],
    ]
    total = [c.get_text(strip=True) for c in table.tfoot.find_all(["th", "td"])]
    assert total == ["Totaal", "3", "2", "1", "0", "1", "0", "0", "1", "45"]
    assert all(th.get("scope") == "col" for th in table.thead.find_all("th"))
    svg = html.find("svg", attrs={"role": "img"})
    labelled = svg["aria-labelledby"].split()
    assert svg.find("title")["id"] in labelled and svg.find("desc")["id"] in labelled
    assert "3 aanmeldingen, 2 verhuizingen, 1 gezinswoningen vrij" in svg.find("desc").get_text()
    assert len(svg.find_all("rect")) == 9  # 3 months x 3 series


@pytest.mark.parametrize(
    ("query", "field"),
    [("van=2026-13&tot=2026-03", "van"), ("van=2026-05&tot=2026-03", "tot"),
     ("van=2020-01&tot=2026-03", "tot"), ("van=gisteren&tot=", "van")],
)  # fmt: skip
def test_report_bad_months_show_errors(client, engine, query, field):
    o = office(engine)
    sign_in(client, o.broker.email)
    response = client.get(f"/medewerkers/verhuizen/cijfers?{query}")
    assert response.status_code == 400
    assert field in [a["href"].lstrip("#") for a in page(response).select(".error-summary a")]


def test_report_is_for_brokers_and_admin_only(client, engine):
    o = office(engine)
    sign_in(client, o.case_worker.email)
    response = client.get("/medewerkers/verhuizen/cijfers")
    assert response.status_code == 403
    assert page(response).h1.get_text(strip=True) != "Cijfers verhuizen"

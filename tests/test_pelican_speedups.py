"""plugins/pelican_speedups: Pelican's archive lists with ``in`` answered from a set of identities,
and numeric date formats from a memo.  (That a whole site is the same byte for byte:
tests/test_site_build.py.)"""

import pickle
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "plugins"))

import pelican_speedups.dates  # noqa: E402
from pelican.generators import ArticlesGenerator  # noqa: E402
from pelican.utils import SafeDatetime  # noqa: E402
from pelican_speedups.archives import Members, _wrap_period_archives  # noqa: E402


class Item:  # like Pelican's content items: no __eq__ of its own
    def __init__(self, name, year):
        self.name = name
        self.date = type("D", (), {"year": year, "month": 1, "day": 1})()


def test_members_answer_in_by_identity_as_a_list_would():
    a, b, c = Item("a", 2020), Item("b", 2020), Item("c", 2021)
    members = Members([a, b])
    assert a in members and b in members and c not in members
    assert members == [a, b] and type(members[:1]) is list
    members.append(c)  # changed since it was made: Python's own ``in``, still right
    assert c in members

    class EqualToA:  # an item with an equality of its own is compared as a list would
        def __eq__(self, other):
            return other is a

    assert EqualToA() in Members([a, b]) and EqualToA() not in Members([b])


def test_members_of_values_with_their_own_equality_compare_by_equality():
    members = Members(["交管", 3])
    assert "".join(["交", "管"]) in members and 3.0 in members and "其他" not in members


def test_members_pickle_as_the_plain_list():
    copy = pickle.loads(pickle.dumps(Members(["交管", 2])))
    assert type(copy) is list and copy == ["交管", 2]


def test_period_archives_list_the_same_articles_in_the_same_order():
    items = [Item(str(i), 2019 + i % 3) for i in range(12)]
    dates = sorted(items, key=lambda item: -item.date.year)
    settings = {"YEAR_ARCHIVE_SAVE_AS": "news/{date.year}/index.html", "YEAR_ARCHIVE_URL": "news/{date.year}/",
                "MONTH_ARCHIVE_SAVE_AS": "", "MONTH_ARCHIVE_URL": "", "DAY_ARCHIVE_SAVE_AS": "",
                "DAY_ARCHIVE_URL": ""}
    pelican_own = ArticlesGenerator._build_period_archives
    expected = pelican_own(None, dates, items, settings)
    _wrap_period_archives()
    try:
        got = ArticlesGenerator._build_period_archives(None, dates, items, settings)
        assert ArticlesGenerator._build_period_archives is not pelican_own
    finally:
        ArticlesGenerator._build_period_archives = pelican_own
    assert [[a["period"] for a in g] for g in got.values()] == [[(2021,), (2020,), (2019,)]]
    for year_got, year_expected in zip(got["year"], expected["year"], strict=True):
        assert year_got == year_expected
        assert [a.name for a in year_got["articles"]] == [a.name for a in year_expected["articles"]] != []


def test_dates_memo_gives_pelicans_strings(monkeypatch):
    """Numeric formats come from the memo (aware dates of one instant in two zones stay apart),
    anything else from Pelican; both exactly Pelican's strings."""
    import datetime as dt

    pelican_own = getattr(SafeDatetime.strftime, "pelican", SafeDatetime.strftime)
    monkeypatch.setattr(SafeDatetime, "strftime", pelican_own)
    shanghai, utc = dt.timezone(dt.timedelta(hours=8)), dt.UTC
    dates = [SafeDatetime(2021, 12, 20, 9, 5, 7, tzinfo=shanghai), SafeDatetime(2021, 12, 20, 1, 5, 7, tzinfo=utc),
             SafeDatetime(2024, 2, 29), SafeDatetime(1999, 1, 1, 0, 0, 0, 5)]
    formats = ["%Y-%m-%d", "%Y", "%m-%d", "%H:%M", "%-d/%-m %y %j", "%Y年%m月%d日", "%a %b %d", "%z|%Z", "%%Y",
               "100% %Y", "%B %-d, %Y", ""]
    # keyed by position: the two aware dates are equal (one instant), their strings are not
    expected = {(i, f): _outcome(lambda d=d, f=f: pelican_own(d, f)) for i, d in enumerate(dates) for f in formats}
    pelican_speedups.dates.install()
    assert SafeDatetime.strftime is not pelican_own
    for _ in range(2):  # the second time from the memo
        for i, d in enumerate(dates):
            for f in formats:
                assert _outcome(lambda d=d, f=f: d.strftime(f)) == expected[i, f], (d, f)
        assert f"{dates[0]:%Y/%m}" == "2021/12" and f"{dates[1]:%H}" == "01"
    assert dates[0] == dates[1] and dates[0].strftime("%H") == "09"  # one instant, two clocks


def _outcome(call):
    try:
        return call()
    except Exception as error:  # the same failure, if Pelican fails
        return type(error)

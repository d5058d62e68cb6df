"""plugins/pelican_speedups: Pelican's archive lists with ``in`` answered from a set of identities,
numeric date formats and relative source paths from memos, and the quick exit after a build.
(That a whole site is the same byte for byte: tests/test_site_build.py.)"""

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT))

import pelican_speedups.dates  # noqa: E402
from pelican.generators import ArticlesGenerator  # noqa: E402
from pelican.settings import read_settings  # noqa: E402
from pelican.utils import SafeDatetime  # noqa: E402
from pelican_speedups.archives import Members, _wrap_period_archives  # noqa: E402

from bench import corpus  # noqa: E402


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


# -- quick_exit ------------------------------------------------------------------------------------
QUICK_EXIT_SCRIPT = """
import atexit, sys
sys.path.insert(0, {root!r})
from plugins.pelican_speedups.quick_exit import leave
atexit.register(lambda: open({marker!r}, "w").write("exit handler ran"))
print("written before leaving", end="")
sys.stderr.write("and on stderr")
leave({status})
"""


@pytest.mark.parametrize("status", [0, 3])
def test_leave_runs_the_exit_handlers_flushes_and_keeps_the_status(tmp_path, status):
    marker = tmp_path / "marker"
    script = QUICK_EXIT_SCRIPT.format(root=str(ROOT), marker=str(marker), status=status)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == status
    assert result.stdout == "written before leaving" and result.stderr == "and on stderr"
    assert marker.read_text() == "exit handler ran"


FAILS_AT_THE_END = """
from pelican import signals

def fail(pelican):
    raise RuntimeError("failed after the build")

def register():
    signals.finalized.connect(fail)
"""

# An object alive when the process ends: Python's own exit frees it (and it says so), a quick exit not.
WITNESS = """
import os


class Witness:
    def __del__(self, write=os.write, open_=os.open, flags=os.O_WRONLY | os.O_CREAT):
        write(open_(os.environ["WITNESS_FILE"], flags), b"freed")


ALIVE = Witness()


def register():
    pass
"""


def test_a_pelican_run_ends_with_pelicans_status(tmp_path):
    """``python -m pelican`` leaves early after a good build (status 0, the log and the site whole),
    and with Pelican's own status when something fails after ``finalized``."""
    content = tmp_path / "content"
    corpus.write_corpus(corpus.generate_articles(6, 3), content)
    plugins_dir = tmp_path / "plugins"
    plugins_dir.mkdir()
    (plugins_dir / "fails_at_the_end.py").write_text(FAILS_AT_THE_END, encoding="utf-8")
    (plugins_dir / "witness.py").write_text(WITNESS, encoding="utf-8")
    plugins = read_settings(str(ROOT / "pelicanconf.py"))["PLUGINS"] + ["witness"]
    base = [sys.executable, "-m", "pelican", str(content), "-s", str(ROOT / "pelicanconf.py"), "-e", "READ_PROCS=1",
            "SEARCH_ENABLED=false", f"PLUGIN_PATHS={json.dumps([str(ROOT / 'plugins'), str(plugins_dir)])}"]
    env = dict(os.environ, WITNESS_FILE=str(tmp_path / "good.freed"))
    good = subprocess.run(base + [f"PLUGINS={json.dumps(plugins)}", "-o", str(tmp_path / "good")], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, env=env)
    assert good.returncode == 0, good.stderr[-2000:]
    assert "Done: Processed 6 articles" in good.stdout
    assert (tmp_path / "good" / "index.html").is_file()
    assert not (tmp_path / "good.freed").exists(), "the process freed its objects one by one"
    env["WITNESS_FILE"] = str(tmp_path / "bad.freed")
    bad = subprocess.run(base + [f"PLUGINS={json.dumps(plugins + ['fails_at_the_end'])}", "-o", str(tmp_path / "bad")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert bad.returncode == 1 and "failed after the build" in bad.stdout + bad.stderr
    assert (tmp_path / "bad.freed").read_bytes() == b"freed"  # Python's own exit


# -- paths -----------------------------------------------------------------------------------------
def test_relative_source_paths_are_pelicans(tmp_path, monkeypatch):
    import pelican_speedups.paths  # noqa: F401 - installed by the plugin's register(); idempotent
    from pelican.contents import Content

    pelican_speedups.paths.install()
    method = Content.get_relative_source_path
    assert method.speedup and method.pelican is not method

    class Item:
        def __init__(self, content_path, source_path):
            self.settings = {"PATH": content_path}
            self.source_path = source_path

    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    content = str(tmp_path / "content")
    cases = [(content, str(tmp_path / "content" / "news" / "a.md")), (content, "news/b.md"),
             (content, str(tmp_path / "content" / ".." / "elsewhere" / "c.md")), (content, None),
             ("content", "news/d.md"), ("content", str(tmp_path / "content" / "e.md")), (content, "")]
    for content_path, source_path in cases:
        item = Item(content_path, source_path)
        assert method(item) == method.pelican(item), (content_path, source_path)
        assert method(item, "news/f.md") == method.pelican(item, "news/f.md")
    # A relative content folder depends on the working folder: never from the memo.
    item = Item("content", "news/d.md")
    before = method(item)
    monkeypatch.chdir(tmp_path / "sub")
    assert method(item) == method.pelican(item) == before  # relpath of two paths under one cwd


# -- templates -------------------------------------------------------------------------------------
def test_compiled_templates_are_shared_only_between_environments_that_compile_alike(monkeypatch):
    import jinja2
    from pelican_speedups.templates import SharedCompiledTemplates

    sources = {"page.html": "{% if x %}\n  <p>{{ x|shout }}</p>\n{% endif %}\n"}
    cache = SharedCompiledTemplates()
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, *args, **kwargs):
        compiled.append(name)
        return original(self, source, name, filename, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)

    def env(**options):
        made = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=cache, **options)
        made.filters["shout"] = str.upper
        return made

    first, second = env(trim_blocks=True), env(trim_blocks=True)
    assert first.get_template("page.html").render(x="a") == second.get_template("page.html").render(x="a")
    assert compiled == ["page.html"]  # the second environment reused the first's code
    other = env(trim_blocks=False)
    assert other.get_template("page.html").render(x="a") != first.get_template("page.html").render(x="a")
    assert len(compiled) == 2  # another whitespace setting compiles anew
    # Without the filter: the same error as without the cache.
    errors = []
    for shared in (cache, None):
        unknown = jinja2.Environment(loader=jinja2.DictLoader(sources), bytecode_cache=shared, trim_blocks=True)
        with pytest.raises(jinja2.TemplateError, match="shout") as error:
            unknown.get_template("page.html").render(x="a")
        errors.append((type(error.value), str(error.value)))
    assert errors[0] == errors[1]
    sources["page.html"] = "{{ x }}!"
    assert env(trim_blocks=True).get_template("page.html").render(x="b") == "b!"  # a changed source

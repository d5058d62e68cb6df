"""The real content/ built with real Pelican: the pages a reader sees."""

import re

import pytest
from site_html import soup

ARTICLE = "news/2021/12/crsa-4821.html"
SEED = "../shared/seed/news-detail-2021-12-20.txt"
HEADINGS = ["重拳出击“减”犯罪“除”邪恶", "“加”“守护圈”汇聚“大平安”", "便捷服务释放爱民“乘法效应”"]
TITLE = "保民安 解民忧 护民利 山东公安用“四则运算”解出平安答案"


def seed_paragraphs(root):
    """Body paragraphs of the seed capture (after the title and summary lines)."""
    lines = [line.strip() for line in (root / "tests/fixtures/seed/news-detail-2021-12-20.txt").read_text("utf-8").splitlines()]
    start = next(i for i, line in enumerate(lines) if line.endswith("最新推荐")) + 2
    return [line for line in lines[start:] if line and line != "热门新闻"]


def test_article_page_shows_the_seed_article(built_site):
    from build_helpers import ROOT

    page = soup(built_site / ARTICLE)
    assert page.html["lang"] == "zh-Hans"
    assert page.find("h1").get_text(strip=True) == TITLE
    assert page.title.get_text().startswith(TITLE)
    # date block: the year above MM-DD
    block = page.select_one(".date-block")
    assert block.select_one(".date-block__year").get_text() == "2021"
    assert block.select_one(".date-block__md").get_text() == "12-20"
    assert block["datetime"].startswith("2021-12-20T09:30:00+08:00")
    # column link and breadcrumb 首页 > 新闻中心 > 交管动态 > 新闻详情
    column = page.select_one(".detail__column a")
    assert column.get_text() == "交管动态"
    assert column["href"].endswith("news/traffic/index.html")
    crumbs = [li.get_text(strip=True) for li in page.select(".breadcrumb li")]
    assert crumbs == ["首页", "新闻中心", "交管动态", "新闻详情"]
    assert page.select_one(".breadcrumb li[aria-current=page]").get_text() == "新闻详情"
    # no summary box: the seed's summary is the first 60 characters of its body (it would repeat them);
    # badge, print button, the time of day and the link to the source page
    assert page.select_one(".summary-box") is None
    assert "2021年12月20日 09:30" in page.select_one(".detail__meta time").get_text()
    source = page.select_one(".detail__source-link a")
    assert source["href"] == "https://www.crsa.net/news/article/4821" and source.get_text() == "原文链接"
    assert page.select_one(".badge").get_text() == "最新推荐"
    assert page.select_one("button[data-action=print]").get_text() == "打印"
    # body: the three sub-headings as headings, every paragraph of the seed
    body = page.select_one(".detail__body")
    headings = [h.get_text(strip=True) for h in body.find_all(["h2", "h3"])]
    assert headings == HEADINGS
    paragraphs = [p.get_text(strip=True) for p in body.find_all("p")]
    expected = [p for p in seed_paragraphs(ROOT) if p not in HEADINGS]
    assert paragraphs == expected
    assert len(paragraphs) == 17
    # 最新推荐 never lists the article being read (the seed is the only recommended one)...
    assert TITLE not in page.select_one(".side-lists").get_text()
    # ...which other pages list
    assert TITLE in soup(built_site / "index.html").select_one(".side-lists").get_text()


def test_article_page_has_no_inline_script_or_style(built_site):
    for html in built_site.rglob("*.html"):
        page = soup(html)
        for script in page.find_all("script"):
            assert script.get("src"), f"{html}: inline <script>"
        assert not page.find_all("style"), f"{html}: inline <style>"
        assert not page.find_all(attrs={"style": True}), f"{html}: style attribute"
        for tag in page.find_all(True):
            assert not any(a.startswith("on") for a in tag.attrs), f"{html}: event handler attribute on <{tag.name}>"


def test_column_page_lists_the_article(built_site):
    page = soup(built_site / "news/traffic/index.html")
    assert page.find("h1").get_text(strip=True) == "交管动态"
    items = page.select(".news-list__item")
    assert [i.select_one("a").get_text() for i in items] == [TITLE]
    assert items[0].select_one("time").get_text() == "2021-12-20"
    assert [li.get_text(strip=True) for li in page.select(".breadcrumb li")] == ["首页", "新闻中心", "交管动态"]


def test_home_page_shows_each_column_and_the_seed_article(built_site):
    page = soup(built_site / "index.html")
    assert page.html["lang"] == "zh-Hans"
    assert "共同让道路交通更安全" in page.select_one(".brand__slogan").get_text()
    assert "中国道路交通安全协会主办" in page.select_one(".topbar").get_text()
    titles = [h.get_text(strip=True) for h in page.select(".column-box__title")]
    assert titles == ["交管动态", "协会动态", "行业动态"]
    first = page.select_one(".column-box")
    assert first.select_one(".news-list__title").get_text() == TITLE
    nav = [a.get_text(strip=True) for a in page.select(".mainnav__list > li > a")]
    assert nav == ["首页", "新闻中心", "关于协会"]
    assert "版权声明" in page.select_one(".copyright").get_text()


def test_archives_tags_about_and_404_exist(built_site):
    assert "2021" in soup(built_site / "news/archives.html").select_one(".year-list").get_text()
    year = soup(built_site / "news/2021/index.html")
    assert TITLE in year.select_one(".news-list").get_text()
    assert soup(built_site / "about.html").find("h1").get_text() == "关于协会"
    assert soup(built_site / "404.html").find("h1").get_text() == "页面不存在"
    assert (built_site / "tags/index.html").exists()


def test_every_internal_link_resolves(built_site):
    """Links, assets and form actions of every page in every language (the same check `make site` runs)."""
    from plugins.sitebuild.links import broken_links

    assert len(list(built_site.rglob("*.html"))) >= 8
    assert broken_links(built_site) == []


def test_no_request_leaves_the_site(built_site):
    """No CDN, web font or analytics: the site works with no internet."""
    for page in built_site.rglob("*.html"):
        doc = soup(page)
        for tag in doc.find_all(["link", "script", "img", "iframe"]):
            for attr in ("href", "src"):
                value = tag.get(attr, "")
                if tag.name == "link" and tag.get("rel") in (["canonical"], ["alternate"]):
                    continue
                assert not re.match(r"^(https?:)?//", value), f"{page}: external {tag.name} {value}"
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), f"{css}: external url()"
        assert "@import" not in css.read_text()


def test_two_builds_are_byte_identical(tmp_path):
    from build_helpers import ROOT, run_pelican

    outputs = []
    for name in ("a", "b"):
        out = tmp_path / name
        result = run_pelican(ROOT / "content", out)
        assert result.returncode == 0, result.stderr
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys()
    differing = [str(k) for k in outputs[0] if outputs[0][k] != outputs[1][k]]
    # The name of the search index generation the site was built with (plugins/search, not served):
    # each build writes a generation of its own.
    assert differing in ([], ["search-generation.txt"])


@pytest.mark.parametrize("plugin", ["frozen_urls", "pelican_speedups"])
def test_speed_plugins_change_no_byte_of_the_output(tmp_path, plugin):
    """plugins/frozen_urls records each item's URL and output path once per build;
    plugins/pelican_speedups answers Pelican's archive lists' ``in`` from a set and numeric dates
    from a memo.  On a generated corpus (list pages, tags, archives, translations, three languages)
    the output is the same without either."""
    from build_helpers import ROOT, run_pelican

    from bench import corpus

    content = tmp_path / "content"
    corpus.write_corpus(corpus.generate_articles(60, seed=4), content)  # with the project's pages
    (tmp_path / "without.py").write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa: F403\n"
        f"PLUGINS = [p for p in PLUGINS if p != {plugin!r}]  # noqa: F405\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nTHEME = {str(ROOT / 'theme')!r}\n"
        f"SEARCH_INDEX_DIR = {str(tmp_path / 'index-without')!r}\n", encoding="utf-8")
    outputs = []
    for name, settings in (("with", "pelicanconf.py"), ("without", str(tmp_path / "without.py"))):
        out = tmp_path / name
        result = run_pelican(content, out, settings=settings)
        assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
        outputs.append({p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()})
    assert len(outputs[0]) > 200 and outputs[0].keys() == outputs[1].keys()
    # tag, column and year pages list several articles each
    pages = [str(k) for k in outputs[0]]
    assert sum(p.startswith("tags/") for p in pages) >= 5
    assert sum(re.fullmatch(r"news/\d{4}/index\.html", p) is not None for p in pages) >= 2
    # but for the name of each build's own search index generation
    assert [str(k) for k in outputs[0] if outputs[0][k] != outputs[1][k]] in ([], ["search-generation.txt"])


def test_hidden_files_are_not_published(content_copy, tmp_path):
    """A Mac's .DS_Store, an editor's swap file or a .gitkeep beside the posts stays out of the site."""
    from build_helpers import run_pelican

    post_folder = content_copy / "news" / "traffic" / "2021"
    for name in (".DS_Store", ".crsa-4821.md.swp", ".gitkeep"):
        (post_folder / name).write_bytes(b"\x00private")
    out = tmp_path / "out"
    result = run_pelican(content_copy, out)
    assert result.returncode == 0, result.stderr[-2000:]
    assert (out / "news" / "2021" / "12" / "crsa-4821.html").exists()
    assert [p.name for p in out.rglob(".*")] == []

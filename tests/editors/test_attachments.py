"""`{attach}` beside a post, in every language, and decorative images (`![](x.png)`), through
`make site` (check, Pelican with warnings fatal, link check, swap)."""

import base64

import pytest
from build_helpers import ROOT

from plugins.sitebuild.build import BuildFailed, build

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")

POST = """Title: 附件测试
Date: 2022-03-01 10:00
Category: 交管动态
Slug: attach-test

正文：[通知全文]({attach}notice.pdf)，![现场照片]({attach}photo.png)

![]({attach}figures/chart.png)
"""

TRANSLATION = """Title: Attachment test
Date: 2022-03-01 10:00
Category: 交管动态
Slug: attach-test
Lang: en

Body: [the notice]({attach}notice.pdf), ![]({attach}figures/chart.png), [English only]({attach}notice-en.pdf)
"""

SECOND_POST = """Title: 另一篇引用同一附件
Date: 2023-05-02 09:00
Category: 协会动态
Slug: attach-second

[同一份通知]({attach}../../traffic/2022/notice.pdf)
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    import shutil

    tmp_path = tmp_path_factory.mktemp("attach")
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    folder = content / "news" / "traffic" / "2022"
    (folder / "figures").mkdir(parents=True)
    (folder / "attach-test.md").write_text(POST, encoding="utf-8")
    (folder / "attach-test.en.md").write_text(TRANSLATION, encoding="utf-8")
    other = content / "news" / "association" / "2023"
    other.mkdir(parents=True)
    (other / "attach-second.md").write_text(SECOND_POST, encoding="utf-8")
    (folder / "notice.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "notice-en.pdf").write_bytes(b"%PDF-1.4\n")
    (folder / "photo.png").write_bytes(PNG)
    (folder / "figures" / "chart.png").write_bytes(PNG)
    output = tmp_path / "output"
    log = []
    try:
        build(content, output, ROOT / "pelicanconf.py", log=log.append)
    except BuildFailed as error:
        raise AssertionError(f"{error}\n" + "\n".join(map(str, log))) from None
    return output


def _links(page):
    import lxml.html

    doc = lxml.html.fromstring(page.read_bytes())
    return {link for _el, _attr, link, _pos in doc.iterlinks() if link.endswith((".pdf", ".png"))
            and "theme/" not in link}


def test_attach_builds_in_every_language_with_the_link_check(site):
    output = site  # build() ran the link check over every page
    assert (output / "news/2022/03/notice.pdf").is_file()
    assert (output / "news/2022/03/photo.png").is_file()
    assert (output / "news/2022/03/figures/chart.png").is_file()  # a subfolder keeps its place
    assert (output / "en/news/2022/03/notice-en.pdf").is_file()  # linked by the translation only
    for page in ("news/2022/03/attach-test.html", "zh-hant/news/2022/03/attach-test.html",
                 "en/news/2022/03/attach-test.html", "news/2023/05/attach-second.html",
                 "zh-hant/news/2023/05/attach-second.html"):
        links = _links(output / page)
        assert links, page
        for link in links:
            assert (output / page).parent.joinpath(link).resolve().is_file(), (page, link)
    # each file is written once, not once per language
    assert not list(output.glob("zh-hant/**/notice.pdf"))
    assert not list(output.glob("en/**/notice.pdf"))


def test_an_image_without_alt_text_is_decorative(site):
    html = (site / "news/2022/03/attach-test.html").read_text(encoding="utf-8")
    assert '<img alt="" src="../../../news/2022/03/figures/chart.png"' in html
    assert '<img alt="现场照片"' in html

"""Issue 12, where scraper and build meet: a crawl whose articles carry attachments, images with
and without alt text and media in subfolders, followed by `make site` — the build passes, with
its link check, in every language.  (The crawl side — what the scraper writes — is tested in
tests/scraper; this only needs that what it writes builds.)"""

import dataclasses
import shutil
import sys

from editors_support import ROOT

sys.path.insert(0, str(ROOT / "tests" / "scraper"))
from scraper_helpers import FAST_ROBOTS, article_page, list_page, make_crawler  # noqa: E402

from plugins.sitebuild.build import BuildFailed, build  # noqa: E402
from scraper.profile import load_profile  # noqa: E402

JPEG = b"\xff\xd8\xff\xe0jpeg"


def test_a_crawl_with_attachments_and_alt_less_images_builds(httpserver, tmp_path):
    httpserver.expect_request("/robots.txt").respond_with_data(FAST_ROBOTS, content_type="text/plain")
    items = [("/news/article/7", "2022-03-04", "附件"), ("/news/article/8", "2022-03-05", "图片")]
    httpserver.expect_request("/news/list/12").respond_with_data(list_page(items), content_type="text/html")
    bodies = {
        7: ('<p>　　正文。<img src="/upload/2022/photo.jpg"></p><p>下载：<a href="/upload/2022/通知.pdf">通知</a>'
            ' <a href="/upload/files/sub/表格.xlsx">表格</a></p>'),
        8: '<p><img src="/upload/2022/photo.jpg" alt="现场照片"><img src="/upload/2022/deco.jpg" alt=""></p>',
    }
    for sid, body in bodies.items():
        httpserver.expect_request(f"/news/article/{sid}").respond_with_data(
            article_page(title=f"测试 {sid}", body=body), content_type="text/html")
    for path, kind in (("/upload/2022/photo.jpg", "image/jpeg"), ("/upload/2022/deco.jpg", "image/jpeg"),
                       ("/upload/2022/通知.pdf", "application/pdf"),
                       ("/upload/files/sub/表格.xlsx", "application/vnd.ms-excel")):
        data = JPEG if kind == "image/jpeg" else b"%PDF-1.4\n" if kind == "application/pdf" else b"PK\x03\x04"
        httpserver.expect_request(path).respond_with_data(data, content_type=kind)
    profile = load_profile()
    profile = dataclasses.replace(profile, http=dataclasses.replace(profile.http, delay_seconds=0.0))
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    stats = make_crawler(profile, tmp_path, httpserver.url_for("/").rstrip("/"), columns=[12]).run()
    assert stats.new == 2, stats.problems
    scraped = "".join(p.read_text("utf-8") for p in content.glob("news/traffic/2022/*.md"))
    # The media are linked beside the post (the scraper writes `{static}`; `{attach}` and `![](…)` from
    # editors are built by tests/editors/test_attachments.py), every image with alt text.
    assert "crsa-7/通知.pdf)" in scraped and "crsa-7/表格.xlsx)" in scraped and "crsa-7/photo.jpg)" in scraped
    assert "![](" not in scraped
    log = []
    try:
        build(content, tmp_path / "output", ROOT / "pelicanconf.py", log=log.append)
    except BuildFailed as error:
        raise AssertionError(f"{error}\n" + "\n".join(map(str, log))) from None
    output = tmp_path / "output"
    for prefix in ("", "zh-hant/"):
        for sid in (7, 8):
            assert (output / f"{prefix}news/2022/03/crsa-{sid}.html").is_file()
    # One copy of each file, linked from every language (the build's link check passed).
    assert len(list(output.glob("**/通知.pdf"))) == 1 and not list(output.glob("zh-hant/**/*.pdf"))

"""OpenCC known answers, the phrase overrides, and text-only HTML conversion."""

import pytest

from plugins.languages.chinese import ChineseConverter, PhraseFileError, load_phrases

# s2t cases from OpenCC's own test data (test/testcases/s2t.in / s2t.ans) and the issue.
S2T = [
    ("头发", "頭髮"), ("干部", "幹部"), ("后台", "後臺"), ("扫黑除恶", "掃黑除惡"),
    ("虚伪叹息", "虛僞嘆息"), ("潮湿灶台", "潮溼竈臺"), ("赞叹沙河涌汹涌的波浪", "讚歎沙河涌洶湧的波浪"),
]


@pytest.mark.parametrize("simplified, traditional", S2T)
def test_s2t_known_answers(simplified, traditional):
    assert ChineseConverter("s2t").convert(simplified) == traditional


def test_overrides_fix_what_opencc_gets_wrong():
    assert ChineseConverter("s2t").convert("竹溪大道") == "竹谿大道"
    assert ChineseConverter("s2t", {"竹溪大道": "竹溪大道"}).convert("沿竹溪大道前行") == "沿竹溪大道前行"
    assert ChineseConverter("s2twp").convert("新闻发布会") == "新聞釋出會"
    fixed = ChineseConverter("s2twp", {"新闻发布会": "新聞發布會"})
    assert fixed.convert("召开新闻发布会") == "召開新聞發布會"


def test_longest_override_wins():
    converter = ChineseConverter("s2t", {"竹溪": "竹甲", "竹溪大道": "竹溪大道"})
    assert converter.convert("竹溪大道与竹溪") == "竹溪大道與竹甲"


def test_html_conversion_leaves_urls_and_markup_alone():
    converter = ChineseConverter("s2t")
    html = ('<p class="头发" id="后台"><a href="/category/交管动态/" title="交管动态">交管动态</a>'
            '<img src="头发.png" alt="头发"></p><script>var 后台 = 1;</script>&lt;后台&gt;')
    assert converter.convert_html(html) == (
        '<p class="头发" id="后台"><a href="/category/交管动态/" title="交管動態">交管動態</a>'
        '<img src="头发.png" alt="頭髮"></p><script>var 后台 = 1;</script>&lt;後臺&gt;'
    )


def test_phrase_file_errors_name_the_line(tmp_path):
    path = tmp_path / "phrases.tsv"
    path.write_text("# comment\n竹溪大道\t竹溪大道\n只有一个\n", encoding="utf-8")
    with pytest.raises(PhraseFileError, match=r"phrases.tsv:3: expected two phrases"):
        load_phrases(path)


def test_repository_phrase_file_loads():
    from build_helpers import ROOT

    phrases = load_phrases(ROOT / "content" / "zh-hant-phrases.tsv")
    assert phrases["竹溪大道"] == "竹溪大道"

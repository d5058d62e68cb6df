"""No traceback reaches a user of `make check`, `make site`/`make publish`, `make new` or `make
translations`: every argument or file error ends with one message naming it, and the documented
exit status (plugins/cli.py: 1 content problems, 2 unusable argument or file)."""

import pytest
from editors_support import ROOT

from plugins.content_check.__main__ import main as check_main
from plugins.languages.translations import main as translations_main
from plugins.new_post.__main__ import main as new_main
from plugins.sitebuild.__main__ import main as site_main

SETTINGS = str(ROOT / "pelicanconf.py")
CONTENT = str(ROOT / "content")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "binary.py").write_bytes(bytes(range(256)))
    (tmp_path / "syntax.py").write_text("def (:\n", encoding="utf-8")
    (tmp_path / "raises.py").write_text("raise RuntimeError('boom')\n", encoding="utf-8")
    (tmp_path / "orphan.en.md").write_text("Title: x\nLang: en\nSlug: nope\n\nx\n", encoding="utf-8")
    (tmp_path / "bad.en.md").write_bytes(b"\xff\xfeTitle")
    return tmp_path


CASES = [
    # (command, arguments with {t} for the temporary folder, exit status, words the message has)
    (check_main, ["{t}/afile"], 2, "is not a folder"),
    (check_main, ["{t}/missing"], 2, "does not exist"),
    (check_main, [CONTENT, "--settings", "{t}/missing.py"], 2, "settings file not found"),
    (check_main, [CONTENT, "--settings", "{t}/binary.py"], 2, "the settings file fails"),
    (check_main, [CONTENT, "--settings", "{t}/syntax.py"], 2, "SyntaxError"),
    (check_main, [CONTENT, "--settings", "{t}/raises.py"], 2, "RuntimeError: boom"),
    (check_main, [CONTENT, "--settings", "{t}"], 2, "settings file not found"),
    (site_main, ["--content", "{t}/afile", "--output", "{t}/out", "--settings", SETTINGS], 2, "is not a folder"),
    (site_main, ["--content", "{t}/missing", "--output", "{t}/out", "--settings", SETTINGS], 2, "does not exist"),
    (site_main, ["--content", CONTENT, "--output", "{t}/afile", "--settings", SETTINGS], 2, "the output is a file"),
    (site_main, ["--content", CONTENT, "--output", "{t}/afile/out", "--settings", SETTINGS], 2, "is not a folder"),
    (site_main, ["--content", CONTENT, "--output", "{t}/out", "--settings", "{t}/binary.py"], 2, "settings file fails"),
    (site_main, ["--content", CONTENT, "--output", "{t}/out", "--settings", "{t}/missing.py"], 2, "not found"),
    (new_main, ["--content", "{t}/afile", "--title", "标题", "--category", "交管动态", "--settings", SETTINGS], 2,
     "afile"),
    (new_main, ["--content", "{t}/c", "--title", "标题", "--category", "交管动态", "--settings", "{t}/missing.py"], 2,
     "settings file not found"),
    (new_main, ["--content", "{t}/c", "--title", "标题", "--category", "体育", "--settings", SETTINGS], 1,
     "is not a news column"),
    (new_main, ["--content", "{t}/c", "--title", "", "--category", "交管动态", "--settings", SETTINGS], 1,
     "TITLE is missing"),
    (new_main, ["--content", "{t}/c", "--title", "标题", "--category", "交管动态", "--slug", "../x",
                "--settings", SETTINGS], 1, "slug '../x' is not allowed"),
    (translations_main, ["--content", "{t}/afile", "--settings", SETTINGS], 2, "is not a folder"),
    (translations_main, ["--content", CONTENT, "--settings", "{t}/syntax.py"], 2, "SyntaxError"),
    (translations_main, ["--content", CONTENT, "--settings", SETTINGS, "--stamp", "{t}/missing.en.md"], 2,
     "no such file"),
    (translations_main, ["--content", CONTENT, "--settings", SETTINGS, "--stamp", "{t}/orphan.en.md"], 2,
     "no original with `Slug: nope`"),
    (translations_main, ["--content", CONTENT, "--settings", SETTINGS, "--stamp", "{t}/bad.en.md"], 2,
     "not UTF-8 text"),
    (translations_main, ["--content", CONTENT, "--settings", SETTINGS, "--stamp", "{t}"], 2, "no such file"),
]


@pytest.mark.parametrize("command, arguments, status, words", CASES,
                         ids=[f"{c.__module__.split('.')[1]}-{n}" for n, (c, *_rest) in enumerate(CASES)])
def test_an_unusable_argument_or_file_is_a_message(files, capsys, command, arguments, status, words):
    argv = [a.replace("{t}", str(files)) for a in arguments]
    assert command(argv) == status
    err = capsys.readouterr().err
    assert words in err, err
    assert err.startswith("error / 错误: ") and len(err.strip().splitlines()) == 1, err


def test_a_translations_run_over_an_unreadable_post_names_it(tmp_path, capsys):
    content = tmp_path / "content" / "news" / "traffic" / "2022"
    content.mkdir(parents=True)
    (content / "x.md").write_bytes(b"Title: \xff\xfe\n")
    assert translations_main(["--content", str(tmp_path / "content"), "--settings", SETTINGS]) == 2
    assert "x.md: 不是 UTF-8 文本 / not UTF-8 text" in capsys.readouterr().err


def test_an_unexpected_error_is_one_line_too(monkeypatch, capsys):
    import plugins.content_check.__main__ as module

    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(module, "check_content", broken)
    monkeypatch.delenv("PELICAN_TRACEBACKS", raising=False)
    assert check_main([CONTENT, "--settings", SETTINGS]) == 3
    err = capsys.readouterr().err
    assert "unexpected ZeroDivisionError: simulated bug" in err and "this is a bug" in err

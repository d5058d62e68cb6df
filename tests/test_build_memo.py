"""plugins/build_memo.py: results kept between builds, never wrong, never growing, never fatal."""

import pickle

import build_helpers  # noqa: F401  (puts the project on sys.path)

from plugins import build_memo


def settings_for(tmp_path):
    return {"CACHE_CONTENT": True, "CACHE_PATH": str(tmp_path / "cache")}


def test_a_result_is_computed_once_and_kept_for_the_next_build(tmp_path):
    calls = []
    memo = build_memo.memo(settings_for(tmp_path), "t")
    assert memo.get(memo.key("a"), lambda: calls.append(1) or "A") == "A"
    assert memo.get(memo.key("a"), lambda: calls.append(1) or "B") == "A"
    build_memo.save_all()
    again = build_memo.memo(settings_for(tmp_path), "t")
    assert again.get(again.key("a"), lambda: calls.append(1) or "C") == "A"
    assert calls == [1]


def test_only_the_entries_a_build_used_are_kept(tmp_path):
    memo = build_memo.memo(settings_for(tmp_path), "t")
    for word in ("a", "b", "c"):
        memo.get(memo.key(word), lambda word=word: word.upper())
    build_memo.save_all()
    memo = build_memo.memo(settings_for(tmp_path), "t")
    memo.get(memo.key("b"), lambda: "?")
    build_memo.save_all()
    (path,) = (tmp_path / "cache").glob("memo-t-*.pickle")
    with open(path, "rb") as handle:
        assert list(pickle.load(handle).values()) == ["B"]


def test_a_namespace_is_a_separate_memo(tmp_path):
    one = build_memo.memo(settings_for(tmp_path), "t", b"policy 1")
    two = build_memo.memo(settings_for(tmp_path), "t", b"policy 2")
    assert one is not two and one.key("x") != two.key("x")


def test_a_torn_file_is_an_empty_memo(tmp_path):
    memo = build_memo.memo(settings_for(tmp_path), "t")
    memo.get(memo.key("a"), lambda: "A")
    build_memo.save_all()
    (path,) = (tmp_path / "cache").glob("memo-t-*.pickle")
    path.write_bytes(path.read_bytes()[:10])
    memo = build_memo.memo(settings_for(tmp_path), "t")
    assert memo.get(memo.key("a"), lambda: "recomputed") == "recomputed"


def test_no_memo_without_pelicans_cache_or_with_a_relative_cache_folder(tmp_path):
    assert build_memo.memo({"CACHE_CONTENT": False, "CACHE_PATH": str(tmp_path)}, "t") is None
    assert build_memo.memo({"CACHE_CONTENT": True, "CACHE_PATH": "cache"}, "t") is None

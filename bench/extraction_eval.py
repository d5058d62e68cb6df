"""Labelled evaluation of the scraper's generic fallback against plain trafilatura and readability-lxml.

The labelled set is ``../shared/extraction-eval/`` from the project's root (sources and licences:
``tests/fixtures/extraction-eval.md``; override with ``EXTRACTION_EVAL_DIR``).  It is used in place,
never copied.  Each case is ``<set>/<case>/page.html`` (the raw bytes), ``meta.json`` and, where the
body is labelled, ``expected.txt``.

Scoring, as the set's README defines it (so that figures compare):

* body: precision / recall / F1 over bags of tokens — NFKC, lower-case, each CJK ideograph one token,
  each run of other letters or digits one token, whitespace and punctuation ignored, multiset
  intersection — macro-averaged over the pages with an expected body; a page with no output scores 0;
* titles after collapsing whitespace: exact (over the pages labelled with the article's own headline;
  the others' label is the ``<title>`` with the site's name, which a headline without it cannot
  equal), and "one contains the other" (over every labelled title);
* dates by their first ``YYYY-M-D``.

``python -m bench extraction`` prints the table and writes ``bench/results/extraction.json``;
``make bench`` runs it as part of ``all``.
"""

from __future__ import annotations

import json
import os
import re
import time
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT.parent / "shared" / "extraction-eval"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN = re.compile(rf"[{_CJK}]|(?:(?![{_CJK}])[^\W_])+")
_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_WS = re.compile(r"\s+")


def eval_dir() -> Path:
    return Path(os.environ.get("EXTRACTION_EVAL_DIR") or DEFAULT_DIR)


@dataclass(frozen=True)
class Case:
    name: str                       # "<set>/<case>"
    url: str
    html: str                       # decoded the way the scraper decodes a page
    body: str | None                # expected body text, when labelled
    title: str | None
    title_kind: str | None          # "headline" or "html-title"
    date: str | None                # YYYY-MM-DD, when labelled
    with_: tuple[str, ...] = ()     # snippets that must appear in the body
    without: tuple[str, ...] = ()   # snippets that must not


@dataclass
class Output:
    title: str
    date: str | None
    body: str                        # visible text of the body


@dataclass
class PageScore:
    name: str
    refused: str | None = None       # why no output
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None
    title_kind: str | None = None
    title_exact: bool | None = None
    title_contains: bool | None = None
    date_ok: bool | None = None
    got_title: str | None = None
    got_date: str | None = None
    snippets_missing: list[str] = field(default_factory=list)
    snippets_leaked: list[str] = field(default_factory=list)


def load_cases(root: Path | None = None) -> list[Case]:
    """Every case of the set, sorted by name.  Raises FileNotFoundError when the set is absent."""
    from scraper.encoding import decode_html

    root = root or eval_dir()
    if not root.is_dir():
        raise FileNotFoundError(f"labelled extraction set not found at {root} (expected ../shared/extraction-eval/ "
                                "beside the project, or set EXTRACTION_EVAL_DIR)")
    cases = []
    for page in sorted(root.glob("*/*/page.html")):
        folder = page.parent
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        expected = folder / "expected.txt"
        url = meta.get("url", "")
        cases.append(Case(
            name=f"{folder.parent.name}/{folder.name}", url=url, html=decode_html(page.read_bytes(), None, url).text,
            body=expected.read_text(encoding="utf-8") if expected.exists() else None,
            title=meta.get("title"), title_kind=meta.get("title_kind"), date=meta.get("date"),
            with_=tuple(meta.get("with", ())), without=tuple(meta.get("without", ())),
        ))
    if not cases:
        raise FileNotFoundError(f"no */*/page.html under {root}")
    return cases


# --- scoring --------------------------------------------------------------------------------------

def tokens(text: str) -> Counter:
    return Counter(_TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower()))


def body_prf(got: str | None, expected: str) -> tuple[float, float, float]:
    if not got:
        return 0.0, 0.0, 0.0
    g, e = tokens(got), tokens(expected)
    common = sum((g & e).values())
    if not common:
        return 0.0, 0.0, 0.0
    p, r = common / sum(g.values()), common / sum(e.values())
    return p, r, 2 * p * r / (p + r)


def first_ymd(text: str | None) -> str | None:
    m = _YMD.search(text or "")
    return f"{int(m[1]):04d}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None


def _squash(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def _norm_snippet(text: str) -> str:
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def score(case: Case, out: Output | None, refused: str | None = None) -> PageScore:
    s = PageScore(case.name, refused=refused if out is None else None)
    if case.body is not None:
        s.precision, s.recall, s.f1 = body_prf(out.body if out else None, case.body)
    if case.title is not None:
        got, want = _squash(out.title if out else ""), _squash(case.title)
        s.got_title, s.title_kind = got, case.title_kind
        s.title_exact = bool(got) and got == want
        s.title_contains = bool(got) and (got in want or want in got)
    if case.date is not None:
        s.got_date = first_ymd(out.date) if out else None
        s.date_ok = s.got_date == first_ymd(case.date)
    body = _norm_snippet(out.body) if out else ""
    s.snippets_missing = [x for x in case.with_ if _norm_snippet(x) not in body]
    s.snippets_leaked = [x for x in case.without if out and _norm_snippet(x) in body]
    return s


def _mean(values: list) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 4) if values else None


def summary(scores: list[PageScore], seconds: float, gives_dates: bool = True) -> dict:
    bodies = [s for s in scores if s.f1 is not None]
    titles = [s for s in scores if s.title_exact is not None]
    headlines = [s for s in titles if s.title_kind == "headline"]
    dates = [s for s in scores if s.date_ok is not None]
    snippets_with = sum(len(s.snippets_missing) for s in scores)
    return {
        "pages": len(scores),
        "body_pages": len(bodies),
        "body_precision": _mean([s.precision for s in bodies]),
        "body_recall": _mean([s.recall for s in bodies]),
        "body_f1": _mean([s.f1 for s in bodies]),
        "title_pages": len(titles),
        "headline_pages": len(headlines),
        "title_exact": _mean([float(s.title_exact) for s in headlines]),
        "title_contains": _mean([float(s.title_contains) for s in titles]),
        "date_pages": len(dates),
        "date_accuracy": _mean([float(s.date_ok) for s in dates]) if gives_dates else None,
        "snippets_missing": snippets_with,
        "snippets_leaked": sum(len(s.snippets_leaked) for s in scores),
        "refusals": sum(1 for s in scores if s.refused),
        "pages_per_s": round(len(scores) / seconds, 1) if seconds else None,
    }


# --- the three extractors -------------------------------------------------------------------------

def _html_text(html: str | None) -> str:
    import lxml.html

    if not html or not html.strip():
        return ""
    return lxml.html.fragment_fromstring(html, create_parent="div").text_content()


def run_ours(case: Case) -> Output:
    """The scraper's pipeline for a page of another site: profile miss -> the generic fallback ->
    sanitised body (what a reader sees).  Raises NotArticle when it refuses."""
    import lxml.html

    from scraper.pipeline import process_page
    from scraper.profile import load_profile
    from scraper.sanitize import sanitize_fragment

    result = process_page(case.html, case.url, _profile(load_profile), on_profile_host=False)
    a = result.article
    body = sanitize_fragment(lxml.html.tostring(a.body, encoding="unicode"))
    return Output(a.title, a.date, _html_text(body))


_PROFILE: list = []


def _profile(load):
    if not _PROFILE:
        _PROFILE.append(load())
    return _PROFILE[0]


def run_trafilatura(case: Case) -> Output | None:
    import trafilatura

    text = trafilatura.extract(case.html, url=case.url)
    if not text:
        return None
    md = trafilatura.extract_metadata(case.html, default_url=case.url)
    return Output(getattr(md, "title", "") or "", getattr(md, "date", None), text)


def run_readability(case: Case) -> Output | None:
    from readability import Document

    doc = Document(case.html, url=case.url)
    text = _html_text(doc.summary(html_partial=True))
    if not text.strip():
        return None
    return Output(doc.short_title() or doc.title() or "", None, text)


NO_DATES = {"readability"}   # readability-lxml extracts no date: its date column is "—", not 0

EXTRACTORS: dict[str, Callable[[Case], Output | None]] = {
    "ours": run_ours,
    "trafilatura": run_trafilatura,
    "readability": run_readability,
}


def evaluate(cases: list[Case], name: str) -> tuple[dict, list[PageScore]]:
    """Run one extractor over ``cases``; any exception is a refusal (its message is kept)."""
    import logging

    for noisy in ("trafilatura", "readability", "readability.readability", "htmldate"):
        logging.getLogger(noisy).setLevel(logging.CRITICAL)
    run = EXTRACTORS[name]
    scores = []
    started = time.perf_counter()
    for case in cases:
        try:
            out, why = run(case), "no output"
        except Exception as exc:  # noqa: BLE001 - a refusal or a library failure: both score 0
            out, why = None, f"{exc.__class__.__name__}: {exc}"
        scores.append(score(case, out, why))
    return summary(scores, time.perf_counter() - started, gives_dates=name not in NO_DATES), scores


def run_all(cases: list[Case] | None = None) -> dict:
    cases = cases if cases is not None else load_cases()
    results: dict = {"eval_dir": str(eval_dir()), "pages": len(cases)}
    for name in EXTRACTORS:
        figures, scores = evaluate(cases, name)
        results[name] = figures
        results[f"{name}_pages"] = [
            {k: v for k, v in vars(s).items() if v not in (None, [])} for s in scores
        ]
    return results


COLUMNS = [
    ("body_precision", "body P"), ("body_recall", "body R"), ("body_f1", "body F1"),
    ("title_exact", "title exact (headline labels)"), ("title_contains", "title contains"),
    ("date_accuracy", "date"),
    ("snippets_missing", "with-snippets missing"), ("snippets_leaked", "without-snippets leaked"),
    ("refusals", "refusals"), ("pages_per_s", "pages/s"),
]


def table(results: dict) -> str:
    names = list(EXTRACTORS)
    rows = [("metric", *names)]
    for key, label in COLUMNS:
        rows.append((label, *("—" if results[n].get(key) is None else str(results[n][key]) for n in names)))
    first = results[names[0]]
    rows.append(("pages (body / title / headline / date labelled)",
                 f"{first['pages']} ({first['body_pages']} / {first['title_pages']} / {first['headline_pages']} / "
                 f"{first['date_pages']})", "", ""))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for i, row in enumerate(rows):
        lines.append("  ".join(cell.ljust(widths[j]) for j, cell in enumerate(row)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main() -> None:
    results = run_all()
    print(table(results))
    for s in results["ours_pages"]:
        print(json.dumps(s, ensure_ascii=False))


if __name__ == "__main__":
    main()

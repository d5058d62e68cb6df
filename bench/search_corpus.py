"""A deterministic generated news corpus for the search tests and benchmark (reusable by others).

``generate_articles(n, seed)`` returns dicts with title, date, category, slug, summary, body
(Markdown), tags and lang; ``write_markdown(articles, folder)`` writes them as Pelican posts.
Sentences are assembled from traffic-news vocabulary so jieba's segmentation depends on context
(the weakness the search index must beat) and 酒后驾驶 appears verbatim in a share of articles.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

SUBJECTS = ["山东公安", "交警支队", "公安部交通管理局", "北京交警", "上海市公安局", "广东省交警总队", "道路交通安全协会",
            "派出所民警", "高速交警", "江苏公安", "浙江交警", "四川省公安厅", "湖北交管部门", "河南高速"]
VERBS = ["开展", "部署", "推进", "启动", "加强", "深化", "组织", "落实", "严厉打击", "集中整治"]
OBJECTS = ["扫黑除恶专项斗争", "酒后驾驶专项整治", "酒驾醉驾违法行为", "电动自行车安全管理", "交通安全宣传教育",
           "农村道路交通安全", "高速公路安全畅通", "ETC通道管理", "12123平台服务", "驾驶证电子化",
           "重点车辆源头监管", "恶劣天气应急处置", "校车安全管理", "夜查行动", "文明交通劝导", "货车超限超载治理"]
FILLERS = ["今年以来", "据介绍", "同比下降", "有效遏制了事故多发势头", "群众安全感进一步提升", "全省", "各地",
           "截至目前", "累计查处", "酒后", "驾驶", "驾驶人", "后驾驶员", "酒后开车", "交通事故", "死亡人数",
           "警", "民警", "执法", "平安", "服务群众", "便民利民", "道路", "隐患", "排查", "治理", "机动车"]
EN_WORDS = ["police", "traffic", "safety", "drivers", "crime", "campaign", "roads", "accidents", "drunk",
            "driving", "Shandong", "enforcement", "services", "vehicles", "inspections", "highway"]
COLUMNS = ["交管动态", "协会动态", "行业动态"]


def _sentence(rng: random.Random) -> str:
    parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
    for _ in range(rng.randint(2, 6)):
        parts.append(rng.choice(FILLERS))
    if rng.random() < 0.3:
        parts.append(f"{rng.randint(1, 9999)}起")
    rng.shuffle(parts[3:])
    return "".join(parts) + rng.choice(["。", ",", ";", "。"])


def generate_articles(n: int, seed: int = 1, *, columns=COLUMNS, english_share: float = 0.0,
                      paragraphs=(4, 12)) -> list[dict]:
    rng = random.Random(seed)
    start = dt.datetime(2015, 1, 1, 8, 0)
    out = []
    for i in range(n):
        date = start + dt.timedelta(hours=rng.randint(0, 24 * 365 * 8))
        title = rng.choice(SUBJECTS) + rng.choice(VERBS) + rng.choice(OBJECTS)
        body = "\n\n".join("".join(_sentence(rng) for _ in range(rng.randint(2, 5)))
                           for _ in range(rng.randint(*paragraphs)))
        article = {"title": title, "date": date, "category": columns[i % len(columns)] if len(columns) > 1 else columns[0],
                   "slug": f"gen-{seed}-{i}", "summary": body.split("\n\n")[0][:60], "body": body,
                   "tags": rng.sample(["酒驾", "扫黑除恶", "ETC", "12123", "安全"], 2), "lang": "zh-Hans"}
        out.append(article)
        if rng.random() < english_share:
            words = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(40, 120)))
            out.append(dict(article, title="Police " + " ".join(rng.sample(EN_WORDS, 4)), body=words.capitalize() + ".",
                            summary="", lang="en"))
    return out


def write_markdown(articles, folder: Path) -> None:
    for a in articles:
        year = a["date"].year
        target = Path(folder) / "news" / "generated" / str(year)
        target.mkdir(parents=True, exist_ok=True)
        suffix = "" if a["lang"] == "zh-Hans" else f".{a['lang']}"
        lines = [f"Title: {a['title']}", f"Date: {a['date']:%Y-%m-%d %H:%M}", f"Category: {a['category']}",
                 f"Slug: {a['slug']}", f"Lang: {a['lang']}", f"Tags: {', '.join(a['tags'])}"]
        if a.get("summary"):
            lines.append(f"Summary: {a['summary']}")
        (target / f"{a['slug']}{suffix}.md").write_text("\n".join(lines) + "\n\n" + a["body"] + "\n", encoding="utf-8")


def to_records(articles, to_hant=None) -> list[dict]:
    """Search records straight from generated articles (no Pelican), as the plugin makes them."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from plugins.search.documents import make_record

    out = []
    for a in articles:
        if a["lang"] == "zh-Hans":
            lang, url = "zh", f"news/{a['date']:%Y/%m}/{a['slug']}.html"
        else:
            lang, url = "en", f"en/news/{a['date']:%Y/%m}/{a['slug']}.html"
        text = a["body"].replace("\n\n", "\n")
        out.append(make_record(key=f"{lang}:{a['slug']}", lang=lang, url=url, title=a["title"], text=text,
                               date=a["date"].isoformat(), tags=a["tags"],
                               title_hant=to_hant.convert(a["title"]) if to_hant and lang == "zh" else "",
                               text_hant=to_hant.convert(text) if to_hant and lang == "zh" else "",
                               source=a["slug"], column=a.get("category", "")))
    return out

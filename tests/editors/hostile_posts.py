"""A seeded generator of hostile content for the check ⇔ build parity test.

``cases(seed, n)`` yields ``Case`` objects: a few files under content/ (posts, attachments,
symlinks, a FIFO, undecodable bytes) as a careless editor, a broken tool or a hostile page could
leave them.  Front matter with every key normal, missing, empty, duplicated, huge or hostile;
odd dates (0001-01-01, 2999, the day after tomorrow, 30 February); odd paths (content/x.md,
pages/, an unknown folder, hidden and ``.scraped.md`` names, other extensions); bodies with
``{attach}`` (beside the post, in a subfolder, missing, 300 characters, with a NUL), ``{filename}``,
``{static}``, ``{tag}``, ``{category}``, raw HTML, control characters, decorative images, footnotes,
and nesting deeper than Markdown can render.

Slugs that pass the rules always carry the case's id, so the passing cases can be built together.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from dataclasses import dataclass, field
from urllib.parse import quote

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
COLUMNS = [("交管动态", "traffic"), ("协会动态", "association"), ("行业动态", "industry")]
HOSTILE = [
    "", " ", "../../etc/passwd", "<script>alert(1)</script>", "java&#x0A;script:alert(1)", "：", "日期", "null",
    "{attach}x.pdf", "{slug}", "%s %(x)s", "'; DROP TABLE posts; --", "\\", "\t", "\u202etxt.exe", "😀" * 3,
    "a\u2028b", "Ａ全角", "!!!", "！！！", "-", "--x--", "CON", "index", "search", "404", "zh-hant", "en",
    "true", "0", "x" * 300, "交" * 2000,
]
DATES = ["0001-01-01", "1989-12-31", "1990-01-01 00:00", "2999-12-31", "2022-02-30", "2022-13-01",
         "2022-03-01 25:00", "2022-03-01T10:00", "2022-03-01 10:00:00", "1970-01-01", "2038-01-19 03:14",
         "2022/03/01", "二〇二二年三月一日", "2022-03-01 10:00+08:00", "+2days", "today", "-1days"]


@dataclass
class Case:
    ident: str
    files: dict = field(default_factory=dict)  # relative path -> bytes | ("symlink", target) | "fifo"

    def posts(self):
        return [p for p, v in self.files.items() if isinstance(v, bytes) and p.lower().endswith(".md")]


def _date(rng, fixed_now: dt.datetime, *, valid: bool) -> str:
    if valid:
        day = dt.datetime(2015, 1, 1) + dt.timedelta(days=rng.randrange(3000), minutes=rng.randrange(1440))
        return day.strftime(rng.choice(["%Y-%m-%d %H:%M", "%Y-%m-%d"]))
    value = rng.choice(DATES)
    if value in ("+2days", "today", "-1days"):
        delta = {"+2days": 2, "today": 0, "-1days": -1}[value]
        return (fixed_now + dt.timedelta(days=delta)).strftime("%Y-%m-%d %H:%M")
    return value


def _valid_front_matter(rng, ident, kind, now, *, slug=None, lang=None) -> list[list[str]]:
    """Front matter that should pass: required keys, and some optional ones with valid values."""
    meta = [["Title", rng.choice([f"测试 {ident} 标题", f"Test {ident}: 冒号、引号“”和 <尖括号>", f"{ident} " + "长" * 300])],
            ["Date", _date(rng, now, valid=True)]]
    if kind == "article":
        meta.append(["Category", rng.choice(COLUMNS)[0]])
    meta.append(["Slug", slug or f"{ident}-{rng.choice(['post', 'a-b-c', '2022', 'x'])}"])
    if lang or rng.random() < 0.5:
        meta.append(["Lang", lang or rng.choice(["zh-Hans", "zh-hans", "ZH-HANS"])])
    optional = [
        ("Summary", [f"摘要 {ident}", "**粗体** 摘要", "短"]),
        ("Tags", ["交通, 安全", "safety", "a;b;c", f"t{ident}", "交通, , 安全", "Ａ全角"]),
        ("Author", ["编辑部", "A, B", "张三"]),
        ("Status", ["published", "draft", "hidden", "Published"]),
        ("Modified", [_date(rng, now, valid=True)]),
        ("Recommended", ["true", "false", "yes", "0"]),
        ("Hot", ["true", "1", "no"]),
        ("Template", ["article" if kind == "article" else "page"]),
        ("Source_url", ["https://www.crsa.net/a/1.html"]),
        ("Source", ["中国道路交通安全协会"]),
        ("X-Custom", ["value", "<b>html</b>"]),
    ]
    for key, values in optional:
        if rng.random() < 0.25:
            meta.append([key, rng.choice(values)])
    return meta


def _mutate_front_matter(rng, meta, now) -> None:
    """One hostile change: a key missing, empty, duplicated, huge or hostile; an odd date or key."""
    index = rng.randrange(len(meta))
    key, value = meta[index]
    roll = rng.random()
    if roll < 0.15:
        del meta[index]
    elif roll < 0.25:
        meta[index][1] = ""
    elif roll < 0.4:
        meta.insert(index + 1, [rng.choice([key, key.lower(), key.upper()]), rng.choice([value, value + " 2"])])
    elif roll < 0.48:
        meta[index][1] = value * 500
    elif roll < 0.7:
        meta[index][1] = rng.choice(HOSTILE)
    elif roll < 0.85:
        meta.append([rng.choice(["Date", "Modified"]), _date(rng, now, valid=False)])
    else:
        meta.append(rng.choice([["Save_as", "../evil.html"], ["URL", "x.html"], ["Template", "index"],
                                ["Template", "nonexistent"], ["Sumary", "typo"], ["Lang", "fr"], ["Lang", "zh-Hant"],
                                ["Lang", "en"], ["Category", "体育新闻"], ["Tags", "！！！"], ["Tags", "x" * 300],
                                ["Author", "！！！"], ["Status", "deleted"], ["Hot", "真"], ["Title：", "全角冒号"],
                                ["Summary", "摘" * 400], ["Source_url", "javascript:alert(1)"]]))


def _body(rng, ident, attachments, siblings, *, hostile) -> str:
    parts = [f"正文 {ident}。"]
    for _ in range(rng.randrange(0, 5)):
        roll = rng.random()
        if roll < 0.3 and attachments:
            name = rng.choice(attachments)
            alt = rng.choice(["", "图片说明", "a b"])
            link = rng.choice([name.replace(" ", "%20"), quote(name)])  # quote(): as the scraper writes it
            parts.append(f"![{alt}]({{attach}}{link})" if name.endswith(".png") else f"[附件]({{attach}}{link})")
        elif roll < 0.4 and siblings:
            parts.append(f"[另一篇]({{filename}}{rng.choice(siblings)})")
        elif roll < 0.5:
            parts.append(rng.choice(["[首页]({index})", "[栏目]({category}traffic)", "[关于]({filename}/pages/about.md)",
                                     '<a href="https://example.org/">外链</a>', "[外链](https://www.crsa.net/)",
                                     "```\n[x]({attach}not-a-link.pdf)\n```", "# 标题", "> 引用",
                                     "| a | b |\n|---|---|\n| 1 | 2 |", "*" * 100, "长" * 5000, "\ufeffBOM",
                                     "<!-- comment -->", "[mail](mailto:a@b.cn)", "脚注[^1]。\n\n[^1]: 脚注内容",
                                     '[外链](https://example.org/a "标题")', "姓名：" + "_" * 200,
                                     "\n".join("    " * i + "- 层" for i in range(40)), "> " * 40 + "深"]))
        else:
            parts.append(f"段落 {rng.random()}。")
    if hostile:
        parts.append(rng.choice([
            "[x]({attach}missing.pdf)", "[x]({attach}" + "a" * 300 + ".pdf)", "[x]({attach}a\x00b.pdf)",
            "![x](photo.png)", "[x](../other.md)", "[x]({attach}../../../../etc/passwd)",
            "[x]({attach}.hidden.pdf)", f"[x]({{static}}{ident}.md)", "[x]({tag}不存在的标签)",
            "[x]({category}交管动态)", "[x]({author}编辑部)", "<img src=x.png>", '<img src="photo.png">',
            '<a href="x.html">x</a>', "正文\x00NUL", "响铃\x07", "\x1b[31m红\x1b[0m", "换页\x0c",
            "[x]({filename}missing.md)", "[x]({filename}photo.png)",
            "<script>alert(1)</script>", "[x](javascript:alert(1))", "[x](java&#x0A;script:alert(1))",
            # deeper than Markdown renders (RecursionError, or minutes), and a target with a tab
            "> " * 5000 + "深", "*" * 3000 + "x" + "*" * 3000, "[" * 3000 + "x" + "]" * 3000,
            "\n".join("    " * i + "- 层" for i in range(1500)), "[x](java\tscript:alert(1))",
        ]))
    rng.shuffle(parts)
    return "\n\n".join(parts) + "\n"


def _encode(rng, text: str) -> bytes:
    return rng.choice([
        lambda: text.encode("gbk", errors="replace"),
        lambda: text.replace("\n", "\r\n").encode("utf-8"),
        lambda: b"\xef\xbb\xbf" + text.encode("utf-8"),
        lambda: text.encode("utf-16"),
        lambda: text.encode("utf-8")[: len(text.encode("utf-8")) // 2],  # cut in the middle of a character
        lambda: text.replace("\n", "\r").encode("utf-8"),
    ])()


def _post_text(meta, body) -> str:
    return "".join(f"{k}: {v}\n" for k, v in meta) + "\n" + body


def make_case(rng: random.Random, index: int, now: dt.datetime) -> Case:
    ident = f"c{index:03d}"
    case = Case(ident)
    hostile = rng.random() < 0.55
    # what is hostile in this case: the front matter, the body, the file's place or kind, a neighbour
    where = set(rng.sample(["meta", "body", "path", "neighbour", "encoding"], rng.randrange(1, 3))) if hostile else set()
    column = rng.choice(COLUMNS)[1]
    folder = f"news/{column}/20{rng.randrange(15, 24)}/{ident}"
    attachments = []
    for name in rng.sample(["photo.png", "notice.pdf", "figures/chart.png", "通知 全文.pdf", "报告.docx"],
                           rng.randrange(0, 4)):
        case.files[f"{folder}/{name}"] = PNG if name.endswith(".png") else b"%PDF-1.4\n"
        attachments.append(name)
    kind, path = "article", f"{folder}/{ident}.md"
    if rng.random() < 0.1:
        kind, path = "page", f"pages/{ident}.md"
    elif rng.random() < 0.1:
        path = f"{folder}/{rng.choice(['文章 一', 'UPPER', 'a.b'])}.{rng.choice(['md', 'markdown', 'MD'])}"
    if "path" in where:
        path = rng.choice([f"{ident}.md", f"news/{ident}.md", f"other/{ident}.md", f"{folder}/.hidden.md",
                           f"{folder}/{ident}.scraped.md", f"{folder}/{ident}.txt", f"{folder}/{ident}.rst",
                           f"{folder}/{ident}.html", f"images/{ident}.md"])
    meta = _valid_front_matter(rng, ident, kind, now)
    if "meta" in where:
        for _ in range(rng.randrange(1, 3)):
            _mutate_front_matter(rng, meta, now)
    siblings = []
    if rng.random() < 0.15:
        siblings = [f"{ident}-b.md"]
        case.files[f"{folder}/{ident}-b.md"] = _post_text(
            _valid_front_matter(rng, ident + "b", "article", now, slug=f"{ident}-b-post"), "第二篇。\n").encode()
    text = _post_text(meta, _body(rng, ident, attachments, siblings, hostile="body" in where))
    case.files[path] = _encode(rng, text) if "encoding" in where else text.encode("utf-8")
    if kind == "article" and rng.random() < 0.15:
        slug = next((v for k, v in meta if k == "Slug"), f"{ident}-post")
        translation = _valid_front_matter(rng, ident, "article", now, slug=slug, lang="en")
        case.files[path.rsplit(".", 1)[0] + ".en.md"] = _post_text(
            translation, _body(rng, ident, attachments, [], hostile=False)).encode()
    if "neighbour" in where:
        case.files.update(rng.choice([
            {f"{folder}/broken.md": ("symlink", "/nonexistent/file.md")},
            {f"{folder}/loop1.md": ("symlink", "loop2.md"), f"{folder}/loop2.md": ("symlink", "loop1.md")},
            {f"{folder}/up": ("symlink", "..")},
            {f"{folder}/pipe.md": "fifo"},
            {f"{folder}/empty.md": b""},
            {f"{folder}/binary.md": bytes(range(256))},
            {f"{ident}-notes.txt": b"notes"},
            {f"pages/{ident}-logo.png": PNG},
            {f"{folder}/link.pdf": ("symlink", "notice.pdf")},
        ]))
    return case


def cases(seed: int, n: int, now: dt.datetime):
    rng = random.Random(seed)
    return [make_case(rng, index, now) for index in range(n)]

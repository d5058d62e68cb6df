"""A deterministic synthetic news corpus for the benchmarks: ``python -m bench corpus``.

``generate_articles(n, seed)`` returns ``n`` Simplified-Chinese articles (dicts) of realistic
length (2–4k characters of body), most in 交管动态 and the rest in 协会动态/行业动态; a share of
them (``EN_SHARE``, 20 %) carries an English translation (``article["en"]``).  Sentences are
assembled from a word bank of traffic-management vocabulary, place names, numbers and Latin
tokens (ETC, 12123, APP …) with a seeded ``random.Random``, so the same ``(n, seed)`` always
gives the same bytes.

``corpus_dir(n, seed)`` writes them once as Pelican posts into ``bench/.corpus/<n>-<seed>/content``
(git-ignored) — ``news/<column-slug>/<year>/crsa-<id>.md`` plus ``crsa-<id>.en.md`` with
``Lang: en``, the same ``Slug`` and ``Category`` and a ``Translation_of`` fingerprint — together
with the project's static pages, and reuses the folder afterwards.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "bench" / ".corpus"
# Bump when the generator changes: cached corpora of another version are regenerated.
VERSION = 1
EN_SHARE = 0.2
# Column (as in `Category:`), URL slug and share of the articles.
COLUMNS = [("交管动态", "traffic", 0.8), ("协会动态", "association", 0.1), ("行业动态", "industry", 0.1)]
BODY_CHARS = (2000, 4000)

PROVINCES = ["北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江", "安徽",
             "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆", "四川", "贵州",
             "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆"]
CITIES = ["济南", "青岛", "烟台", "潍坊", "临沂", "南京", "苏州", "无锡", "杭州", "宁波", "温州", "合肥", "芜湖",
          "福州", "厦门", "南昌", "郑州", "洛阳", "武汉", "宜昌", "襄阳", "长沙", "株洲", "广州", "深圳", "佛山",
          "东莞", "南宁", "桂林", "海口", "成都", "绵阳", "贵阳", "遵义", "昆明", "大理", "西安", "宝鸡", "兰州",
          "西宁", "银川", "乌鲁木齐", "石家庄", "唐山", "太原", "大同", "沈阳", "大连", "长春", "哈尔滨", "呼和浩特"]
AGENCIES = ["公安厅交警总队", "公安局交警支队", "交警大队", "高速交警支队", "交通运输厅", "交通运输局", "应急管理局",
            "公安交通管理部门", "车管所", "交通安全委员会办公室", "道路运输管理局", "城市管理局"]
NATIONAL = ["公安部交通管理局", "公安部", "交通运输部", "应急管理部", "国务院安委会办公室", "中国道路交通安全协会",
            "协会秘书处", "协会专家委员会", "国家市场监督管理总局", "工业和信息化部"]
PEOPLE = ["副局长", "支队长", "大队长", "副总队长", "秘书长", "副秘书长", "会长", "副会长", "新闻发言人", "民警",
          "辅警", "中队长", "教导员", "车管所所长"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢"
GIVEN = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林阳洋峰建国志红芳丽敏静燕霞"
ACTIONS = ["开展", "部署", "推进", "启动", "加强", "深化", "组织", "落实", "持续开展", "集中开展", "全面推进",
           "扎实推进", "统筹推进", "研究部署", "召开会议部署"]
CAMPAIGNS = ["酒驾醉驾专项整治行动", "夏季道路交通安全整治", "“两客一危一货”重点车辆整治", "农村道路交通安全管理",
             "电动自行车安全隐患全链条整治", "高速公路安全畅通保障", "货车超限超载治理", "校车安全管理",
             "“一盔一带”安全守护行动", "交通事故预防“减量控大”工作", "冬季恶劣天气交通安全保障",
             "春运道路交通安全保障", "国庆假期交通安保", "文明交通示范创建", "道路交通安全隐患排查治理",
             "重点驾驶人源头管理", "交通违法行为集中整治", "夜查统一行动", "学生上下学交通安全守护",
             "“美丽乡村路”交通安全宣传", "公路安全生命防护工程", "城市道路交通拥堵治理"]
MEASURES = ["科学调配警力", "加大路面巡逻管控力度", "强化源头监管", "深化部门联动", "运用科技手段精准查处",
            "设置临时执勤点", "开展联合执法", "推行“网上办、掌上办”", "优化交通组织", "完善交通安全设施",
            "加强宣传提示", "对重点路段实行24小时巡控", "建立隐患清单和整改台账", "落实企业安全主体责任",
            "实行“一车一档、一人一档”管理", "利用无人机巡查高速公路", "启用电子警察抓拍系统",
            "借助12123 APP推送出行提示", "升级ETC门架监测系统", "联合媒体发布安全提示"]
VIOLATIONS = ["酒后驾驶", "醉酒驾驶", "超速行驶", "超员载客", "疲劳驾驶", "不按规定佩戴安全头盔", "闯红灯",
              "不礼让行人", "违法占用应急车道", "无证驾驶", "货车违规载人", "逆向行驶", "违法停车",
              "驾驶时拨打手机", "未系安全带", "改装车辆", "涉牌涉证违法"]
RESULTS = ["道路交通事故起数同比下降{pct}%", "死亡人数同比下降{pct}%", "查处各类交通违法行为{num}起",
           "查处酒驾醉驾违法行为{num}起", "排查整改安全隐患{num}处", "约谈运输企业{small}家",
           "曝光典型案例{small}起", "开展宣传活动{small}场次，覆盖群众{num}人次", "新增安全设施{num}处",
           "注销驾驶证{small}本", "检查重点车辆{num}辆次", "通行效率提升{pct}%",
           "12123平台累计注册用户{num}万", "ETC用户突破{num}万", "道路通行量同比增长{pct}%"]
OPENERS = ["今年以来", "据悉", "据介绍", "截至目前", "近日", "{month}月{day}日", "{year}年以来", "活动期间",
           "下一步", "会议指出", "会议强调", "记者从{place}获悉", "为切实保障群众出行安全",
           "按照{national}统一部署", "针对{violation}等突出问题"]
CONNECTORS = ["同时", "此外", "与此同时", "另外", "在此基础上", "为此", "其中", "对此"]
TONE = ["有效遏制了事故多发势头", "群众安全感和满意度进一步提升", "全省道路交通安全形势总体平稳",
        "取得了阶段性成效", "营造了良好的道路交通环境", "切实维护了人民群众生命财产安全",
        "为经济社会发展提供了有力保障", "得到了社会各界的广泛好评", "确保了重大活动期间道路交通安全"]
INDUSTRY = ["智能网联汽车", "自动驾驶测试", "新能源汽车", "车路协同", "5G+智慧交通", "北斗定位", "AI视频分析",
            "动力电池安全", "主动安全预警系统", "汽车安全技术标准", "道路交通大数据平台", "GPS监控平台",
            "L2级辅助驾驶", "电动自行车新国标", "安全头盔强制性国家标准"]
ASSOC = ["第五届会员代表大会", "专家委员会年会", "道路交通安全宣传月", "全国交通安全日主题活动",
         "交通安全公益讲座", "行业标准研讨会", "交通安全志愿服务培训", "理事会工作会议", "交通安全进校园活动"]
TAGS = ["酒驾醉驾", "交通安全", "电动自行车", "高速公路", "农村道路", "重点车辆", "12123", "ETC", "春运",
        "安全头盔", "文明交通", "隐患排查", "交通违法", "智慧交通", "校车安全", "事故预防"]

EN_PLACES = ["Shandong", "Jiangsu", "Zhejiang", "Guangdong", "Sichuan", "Hubei", "Henan", "Beijing", "Shanghai",
             "Yunnan", "Shaanxi", "Fujian", "Hunan", "Anhui", "Guangxi"]
EN_SUBJECTS = ["The provincial traffic police", "The Ministry of Public Security", "The municipal traffic police",
               "The highway patrol", "The association", "Local traffic management authorities",
               "The expressway police detachment", "The vehicle administration office"]
EN_ACTIONS = ["launched", "stepped up", "carried out", "deployed", "strengthened", "organised", "pushed forward"]
EN_OBJECTS = ["a campaign against drunk driving", "inspections of heavy goods vehicles", "road safety education",
              "checks on electric bicycles", "the 12123 app services", "ETC lane management",
              "a crackdown on speeding", "safety checks on school buses", "night-time patrols",
              "hazard screening on rural roads", "helmet and seat-belt enforcement"]
EN_TAILS = ["reducing road deaths by {pct}% year on year", "handling {num} traffic violations",
            "removing {small} safety hazards", "reaching {num} residents", "with the help of drones and cameras",
            "in cooperation with transport companies", "ahead of the holiday travel rush",
            "according to a press release", "as part of a national campaign"]


def _fill(rng: random.Random, template: str) -> str:
    return template.format(
        pct=f"{rng.randint(3, 45)}.{rng.randint(0, 9)}" if rng.random() < 0.5 else rng.randint(3, 45),
        num=rng.randint(120, 98000), small=rng.randint(2, 360), month=rng.randint(1, 12), day=rng.randint(1, 28),
        year=rng.randint(2015, 2024), place=_place(rng) + rng.choice(AGENCIES), national=rng.choice(NATIONAL),
        violation=rng.choice(VIOLATIONS))


def _place(rng: random.Random) -> str:
    return rng.choice(PROVINCES) if rng.random() < 0.4 else rng.choice(CITIES) + "市"


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _sentence(rng: random.Random, column: str) -> str:
    kind = rng.random()
    opener = _fill(rng, rng.choice(OPENERS))
    who = _place(rng) + rng.choice(AGENCIES)
    if column == "行业动态" and kind < 0.4:
        return (f"{opener}，{rng.choice(NATIONAL)}围绕{rng.choice(INDUSTRY)}{rng.choice(ACTIONS)}"
                f"{rng.choice(['试点工作', '标准制定', '安全评估', '专题调研'])}，{_fill(rng, rng.choice(RESULTS))}。")
    if column == "协会动态" and kind < 0.4:
        return (f"{opener}，中国道路交通安全协会在{rng.choice(CITIES)}举办{rng.choice(ASSOC)}，"
                f"{rng.choice(PEOPLE)}{_person(rng)}出席并讲话。")
    if kind < 0.25:
        return f"{opener}，{who}{rng.choice(ACTIONS)}{rng.choice(CAMPAIGNS)}，{_fill(rng, rng.choice(RESULTS))}。"
    if kind < 0.45:
        measures = rng.sample(MEASURES, rng.randint(2, 4))
        return f"{rng.choice(CONNECTORS)}，{who}{'，'.join(measures)}，{rng.choice(TONE)}。"
    if kind < 0.65:
        violations = "、".join(rng.sample(VIOLATIONS, rng.randint(2, 4)))
        return (f"{opener}，全{rng.choice(['省', '市', '县'])}共查处{violations}等交通违法行为"
                f"{rng.randint(100, 90000)}起，{_fill(rng, rng.choice(RESULTS))}。")
    if kind < 0.8:
        return (f"“{rng.choice(TONE)}，下一步我们将{rng.choice(MEASURES)}。”{who}{rng.choice(PEOPLE)}"
                f"{_person(rng)}说。")
    return f"{rng.choice(CONNECTORS)}，{_fill(rng, rng.choice(RESULTS))}，{_fill(rng, rng.choice(RESULTS))}，{rng.choice(TONE)}。"


def _body(rng: random.Random, column: str) -> str:
    target = rng.randint(*BODY_CHARS)
    paragraphs, length = [], 0
    while length < target:
        if paragraphs and rng.random() < 0.08:
            heading = "## " + rng.choice(["强化", "聚焦", "深化", "创新", "坚持"]) + rng.choice(CAMPAIGNS).strip("“”")
            paragraphs.append(heading)
            length += len(heading)
            continue
        if paragraphs and rng.random() < 0.05:
            items = "\n".join(f"- {m}" for m in rng.sample(MEASURES, 3))
            paragraphs.append(items)
            length += len(items)
            continue
        para = "".join(_sentence(rng, column) for _ in range(rng.randint(2, 5)))
        paragraphs.append(para)
        length += len(para)
    return "\n\n".join(paragraphs)


def _title(rng: random.Random, column: str) -> str:
    if column == "协会动态":
        return f"中国道路交通安全协会{rng.choice(['召开', '举办', '启动'])}{rng.choice(ASSOC)}"
    if column == "行业动态":
        return f"{rng.choice(NATIONAL)}：加快推进{rng.choice(INDUSTRY)}{rng.choice(['安全发展', '标准体系建设', '试点应用'])}"
    forms = [
        lambda: f"{_place(rng)}{rng.choice(AGENCIES)}{rng.choice(ACTIONS)}{rng.choice(CAMPAIGNS)}",
        lambda: f"{_place(rng)}：{rng.choice(CAMPAIGNS)}取得阶段性成效",
        lambda: f"{rng.choice(NATIONAL)}部署{rng.choice(CAMPAIGNS)}",
        lambda: f"严查{rng.choice(VIOLATIONS)} {_place(rng)}交警{_fill(rng, rng.choice(RESULTS))}",
    ]
    return rng.choice(forms)()


def _english(rng: random.Random) -> tuple[str, str, str]:
    place = rng.choice(EN_PLACES)
    title = f"{place} police {rng.choice(EN_ACTIONS)} {rng.choice(EN_OBJECTS)}"
    paragraphs = []
    for _ in range(rng.randint(5, 10)):
        sentences = []
        for _ in range(rng.randint(2, 5)):
            s = f"{rng.choice(EN_SUBJECTS)} in {rng.choice(EN_PLACES)} {rng.choice(EN_ACTIONS)} {rng.choice(EN_OBJECTS)}"
            s += ", " + _fill(rng, rng.choice(EN_TAILS)) + "."
            sentences.append(s)
        paragraphs.append(" ".join(sentences))
    return title, paragraphs[0][:180].rsplit(" ", 1)[0] + " …", "\n\n".join(paragraphs)


def generate_articles(n: int, seed: int = 1) -> list[dict]:
    """``n`` articles: dicts with id, slug, title, date, category, column_slug, tags, summary, body,
    flags and, for about ``EN_SHARE`` of them, ``en`` = (title, summary, body)."""
    rng = random.Random(f"crsa-bench-{seed}")
    start = dt.datetime(2015, 1, 1, 8, 0)
    names = [c[0] for c in COLUMNS]
    weights = [c[2] for c in COLUMNS]
    slugs = {c[0]: c[1] for c in COLUMNS}
    articles = []
    for i in range(n):
        column = rng.choices(names, weights)[0]
        body = _body(rng, column)
        first = body.split("\n\n", 1)[0]
        article = {
            "id": 10000 + i,
            "slug": f"crsa-{10000 + i}",
            "title": _title(rng, column),
            "date": start + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 365 * 10)),
            "category": column,
            "column_slug": slugs[column],
            "tags": rng.sample(TAGS, rng.randint(1, 3)),
            "summary": first[:60],
            "body": body,
            "recommended": rng.random() < 0.02,
            "hot": rng.random() < 0.02,
            "en": _english(rng) if rng.random() < EN_SHARE else None,
        }
        articles.append(article)
    return articles


def _fingerprint(text: str) -> str:
    sys.path.insert(0, str(ROOT)) if str(ROOT) not in sys.path else None
    from plugins.languages.freshness import fingerprint_text

    return fingerprint_text(text)


def render(article: dict) -> dict[str, str]:
    """``{relative path: file text}`` of one article and its English translation, if any."""
    folder = f"news/{article['column_slug']}/{article['date']:%Y}"
    head = [f"Title: {article['title']}", f"Date: {article['date']:%Y-%m-%d %H:%M}",
            f"Category: {article['category']}", f"Slug: {article['slug']}", "Lang: zh-Hans",
            f"Summary: {article['summary']}", f"Tags: {', '.join(article['tags'])}",
            "Source: 中国道路交通安全协会", f"Source_url: https://www.crsa.net/news/article/{article['id']}",
            f"Source_id: {article['id']}"]
    if article["recommended"]:
        head.append("Recommended: true")
    if article["hot"]:
        head.append("Hot: true")
    original = "\n".join(head) + "\n\n" + article["body"] + "\n"
    files = {f"{folder}/{article['slug']}.md": original}
    if article["en"]:
        title, summary, body = article["en"]
        en = [f"Title: {title}", f"Date: {article['date']:%Y-%m-%d %H:%M}", f"Category: {article['category']}",
              f"Slug: {article['slug']}", "Lang: en", f"Summary: {summary}",
              "Source: China Road Traffic Safety Association",
              f"Source_url: https://www.crsa.net/news/article/{article['id']}", f"Source_id: {article['id']}",
              f"Translation_of: {_fingerprint(original)}"]
        files[f"{folder}/{article['slug']}.en.md"] = "\n".join(en) + "\n\n" + body + "\n"
    return files


def write_corpus(articles: list[dict], content: Path) -> int:
    """Write the posts and the project's static pages into ``content``; return the number of files."""
    count = 0
    for article in articles:
        for rel, text in render(article).items():
            path = content / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            count += 1
    shutil.copytree(ROOT / "content" / "pages", content / "pages", dirs_exist_ok=True)
    return count


def corpus_dir(n: int, seed: int = 1, *, cache: Path = CACHE) -> Path:
    """The content folder of the ``(n, seed)`` corpus, generated on first use and reused afterwards."""
    base = Path(cache) / f"{n}-{seed}"
    content = base / "content"
    stamp = base / "complete"
    if stamp.exists() and stamp.read_text().strip() == str(VERSION):
        return content
    if base.exists():
        shutil.rmtree(base)
    tmp = Path(cache) / f".{n}-{seed}.tmp"
    if tmp.exists():
        shutil.rmtree(tmp)
    write_corpus(generate_articles(n, seed), tmp / "content")
    (tmp / "complete").write_text(f"{VERSION}\n")
    tmp.rename(base)
    return content


def stats(articles: list[dict]) -> dict:
    lengths = sorted(len(a["body"]) for a in articles)
    by_column: dict[str, int] = {}
    for a in articles:
        by_column[a["category"]] = by_column.get(a["category"], 0) + 1
    return {"articles": len(articles), "english": sum(1 for a in articles if a["en"]),
            "body_chars_min": lengths[0], "body_chars_median": lengths[len(lengths) // 2],
            "body_chars_max": lengths[-1], "columns": by_column}


def digest(content: Path) -> str:
    """SHA-256 over every file's relative path and bytes (determinism checks)."""
    h = hashlib.sha256()
    for path in sorted(p for p in Path(content).rglob("*") if p.is_file()):
        h.update(path.relative_to(content).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()

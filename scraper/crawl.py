"""Crawl orchestration: column lists -> articles -> posts, with state after every article."""

from __future__ import annotations

import logging
import threading
import zlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import discovery
from .encoding import decode_html
from .extract import NotArticle, canonical_url, parse_date, parse_html, text_of
from .fetch import Fetcher, FetchError, Gone, origin
from .media import MediaFiles
from .pipeline import process_page
from .post import UnsafeId
from .post_check import PostCheck, load_site_settings
from .profile import Column, Profile, select_one
from .robots import Robots
from .store import State, UnsafePath, check_folder, safe_path, sha256, write_post

log = logging.getLogger(__name__)
COUNTERS = ("listed", "fetched", "new", "updated", "unchanged", "robots", "failed", "edited", "gone", "resumed", "old",
            "layout", "fallback")
MAX_LIST_PAGES = 1000       # a column list is never walked further (probing pages without links included)
MAX_SITEMAPS = 50


@dataclass
class Stats:
    fetched: int = 0      # HTTP responses received for articles (200 or 304)
    new: int = 0
    updated: int = 0
    unchanged: int = 0    # 304, or same content
    robots: int = 0       # skipped by robots.txt
    failed: int = 0
    edited: int = 0       # editor changed the post: new version written as <post>.scraped.md
    gone: int = 0         # 404/410 now or recorded earlier (not requested again)
    resumed: int = 0      # done by an interrupted earlier run, not requested again
    old: int = 0          # older than --since
    listed: int = 0       # article URLs found (lists, sitemap, --ids)
    layout: int = 0       # published through the association's visible layout (profile selectors missed)
    fallback: int = 0     # published through the generic extractor, page on the profile's host
    list_misses: list[tuple[str, str]] = field(default_factory=list)  # (list URL, what matched nothing)
    sources: list[str] = field(default_factory=list)                  # what was walked: list / sitemap / ids URLs
    article_misses: list[tuple[str, str]] = field(default_factory=list)  # (url, why the profile's selectors missed)
    problems: list[tuple[str, str]] = field(default_factory=list)   # (url, reason): failures
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (url, message)
    edited_files: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)   # (url, what): removed from a written post

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in COUNTERS}


@dataclass(frozen=True)
class ListItem:
    url: str
    column: Column | None       # None: found by --ids or in a sitemap; the page names its column
    list_date: str | None
    lastmod: str | None = None  # sitemap <lastmod>


class Crawler:
    def __init__(
        self,
        profile: Profile,
        *,
        content_dir: Path,
        state_dir: Path,
        base_url: str | None = None,
        columns: list[int] | None = None,
        since: date | None = None,
        max_pages: int | None = None,
        delay: float | None = None,
        concurrency: int | None = None,
        fetcher: Fetcher | None = None,
        ids: tuple[int, int] | None = None,
        use_sitemap: bool | None = None,
        on_progress: Callable[[Stats, str], None] | None = None,
        after_article: Callable[[str], None] | None = None,
        site_settings: dict | None = None,
    ):
        self.profile = profile
        self.content_dir = check_folder(Path(content_dir), "content folder (--content-dir)")
        check_folder(Path(state_dir), "state folder (--state-dir)")
        self.checker = PostCheck(self.content_dir, site_settings or load_site_settings())
        self.base_url = (base_url or profile.canonical_base_url).rstrip("/")
        self.columns = [profile.column_by_id(c) for c in columns] if columns else list(profile.columns)
        self.ids = ids
        if ids and not profile.article_url:
            raise ValueError(f"{profile.path}: --ids needs [urls] article (the article URL with {{id}})")
        # The sitemap lists articles of every column: read it when all columns are crawled.
        self.use_sitemap = (not columns and not ids) if use_sitemap is None else use_sitemap
        self.since = since
        self.max_pages = max_pages
        self.fetcher = fetcher or Fetcher(
            profile.http, allowed_redirect_origins=profile.allowed_redirect_origins, delay=delay
        )
        self.robots = Robots(self.fetcher, profile.http.robots_agent)
        self.media = MediaFiles(profile, self.content_dir, self.fetcher, self.robots, self._warn)
        self.state = State(Path(state_dir) / f"{profile.name}.json")
        self.stats = Stats()
        self.concurrency = concurrency or profile.http.max_in_flight_per_host
        self.on_progress = on_progress or (lambda stats, msg: None)
        self.after_article = after_article or (lambda key: None)
        self._lock = threading.Lock()

    # -- helpers ----------------------------------------------------------------------------
    def _count(self, name: str, url: str = "", reason: str = "") -> None:
        with self._lock:
            setattr(self.stats, name, getattr(self.stats, name) + 1)
            if name == "failed":
                self.stats.problems.append((url, reason))
                log.warning("%s: %s", url, reason)
        self.on_progress(self.stats, f"{name}: {url}")

    def _on_base(self, url: str) -> bool:
        return origin(url) == origin(self.base_url)

    def key_for(self, url: str) -> str:
        return canonical_url(url, self.profile) if self._on_base(url) else url

    def _robots_ok(self, url: str) -> bool:
        rules = self.robots.rules(url)
        if rules.allowed(url, self.robots.agent):
            return True
        if rules.unreachable:
            problem = (rules.origin + "/robots.txt", rules.unreachable)
            with self._lock:
                if problem not in self.stats.problems:
                    self.stats.problems.append(problem)
        self._count("robots", url)
        return False

    # -- lists ------------------------------------------------------------------------------
    def list_url(self, column: Column, page: int) -> str:
        url = self.base_url + self.profile.list_url.format(column_id=column.id)
        if page > 1:
            url += ("&" if "?" in url else "?") + f"{self.profile.list_page_param}={page}"
        return url

    def iter_list(self, column: Column) -> list[ListItem]:
        """Walk a column's list pages: the profile's list selectors, else every link matching
        ``article_pattern``; follow page links, or probe ``?page=N`` when the list has none."""
        items: list[ListItem] = []
        seen: set[str] = set()
        page = 1
        while page <= MAX_LIST_PAGES:
            url = self.list_url(column, page)
            if page == 1:
                self.stats.sources.append(url)
            if not self._robots_ok(url):
                break
            try:
                resp = self.fetcher.get(url)
            except Gone as exc:
                if page == 1:
                    self._count("failed", url, f"column list: {exc.reason}")
                break                       # a probed page past the end
            except FetchError as exc:
                self._count("failed", url, f"column list: {exc.reason}")
                break
            root = parse_html(decode_html(resp.content, resp.content_type, url).text)
            new_on_page, all_old = 0, True
            for href, list_date in self._list_entries(root, resp.url, url):
                href = discovery.without_tracking(href, self.profile)
                key = discovery.article_id(href, self.profile) or href
                if urlsplit(href).scheme not in ("http", "https") or key in seen:
                    continue
                seen.add(key)
                new_on_page += 1
                if self.since and list_date:
                    try:
                        if date.fromisoformat(list_date[:10]) < self.since:
                            self._count("old", href)
                            continue
                    except ValueError:
                        pass
                all_old = False
                items.append(ListItem(href, column, list_date))
            if new_on_page == 0:
                break
            if self.since and all_old:
                break
            if self.max_pages and page >= self.max_pages:
                break
            if not self._has_page(root, page + 1):
                break
            page += 1
        return items

    def _list_entries(self, root, page_url: str, list_url: str) -> list[tuple[str, str | None]]:
        css = self.profile.list_css
        found = css["item"](root)
        entries: list[tuple[str, str | None]] = []
        for li in found:
            link = select_one(css["link"], li)
            if link is None:
                continue
            # an absolute link to the canonical host is followed on the host crawled (--base-url)
            href = discovery.to_base(urljoin(page_url, discovery.link_target(link)), self.profile, self.base_url)
            list_date = text_of(select_one(css["date"], li)) if "date" in css else None
            entries.append((href, list_date))
        if entries:
            return entries
        sel = self.profile.list_sel
        what = (f"[list] item {sel['item']!r} matched nothing" if not found
                else f"[list] link {sel['link']!r} matched nothing inside the {len(found)} item(s)")
        links = discovery.article_links(root, page_url, self.profile, self.base_url)
        with self._lock:
            self.stats.list_misses.append((list_url, f"{what}; {len(links)} link(s) matching [urls] article_pattern "
                                                     "used instead"))
        return [(link.url, link.date) for link in links]

    def _has_page(self, root, n: int) -> bool:
        """Is there a page n? Yes when the list links to it; no when it links to other pages only;
        without any page link (buttons drawn by script, or no pagination block) page n is probed."""
        pag_css = self.profile.list_css.get("pagination")
        scopes = (pag_css(root) if pag_css is not None else []) or [root]
        to_n, any_page = discovery.page_links(scopes, self.profile.list_page_param, n)
        if not to_n and not any_page and scopes[0] is not root:
            to_n, any_page = discovery.page_links([root], self.profile.list_page_param, n)
        return to_n or not any_page

    def iter_ids(self) -> list[ListItem]:
        first, last = self.ids
        self.stats.sources.append(f"ids {first}-{last}")
        return [ListItem(self.base_url + self.profile.article_url.format(id=i), None, None)
                for i in range(first, last + 1)]

    def iter_sitemaps(self, known: set[str]) -> list[ListItem]:
        """Articles named by the sitemaps robots.txt lists (not already found in the lists)."""
        rules = self.robots.rules(self.base_url)
        if rules.parser is None:
            return []
        queue = [discovery.to_base(u, self.profile, self.base_url) for u in rules.parser.sitemaps]
        items: list[ListItem] = []
        done: set[str] = set()
        while queue and len(done) < MAX_SITEMAPS:
            url = queue.pop(0)
            if url in done:
                continue
            done.add(url)
            if origin(url) != origin(self.base_url):
                self.stats.warnings.append((url, "sitemap on another host: not read"))
                continue
            if not self._robots_ok(url):
                continue
            self.stats.sources.append(url)
            try:
                resp = self.fetcher.get(url, max_bytes=self.profile.http.max_page_bytes)
            except FetchError as exc:
                self._count("failed", url, f"sitemap: {exc.reason}")
                continue
            data = resp.content
            if data[:2] == b"\x1f\x8b":      # sitemap.xml.gz (the cap applies to the decoded size)
                try:
                    data = zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(data, self.profile.http.max_page_bytes)
                except zlib.error:
                    self._count("failed", url, "sitemap: corrupt gzip")
                    continue
            urls, nested = discovery.read_sitemap(data)
            queue.extend(discovery.to_base(u, self.profile, self.base_url) for u in nested)
            for loc, lastmod in urls:
                loc = discovery.to_base(loc, self.profile, self.base_url)
                if origin(loc) != origin(self.base_url) or not discovery.article_id(loc, self.profile):
                    continue
                key = self.key_for(loc)
                if key in known:
                    continue
                known.add(key)
                day = parse_date(lastmod or "", self.profile.timezone)
                if self.since and day and date.fromisoformat(day[:10]) < self.since:
                    self._count("old", loc)
                    continue
                items.append(ListItem(loc, None, None, lastmod))
        return items

    # -- articles ---------------------------------------------------------------------------
    def run(self) -> Stats:
        done_before = self.state.start_run(datetime.now(UTC).isoformat(timespec="seconds"))
        try:
            items: list[ListItem] = []
            if self.ids:
                items = self.iter_ids()
            else:
                for column in self.columns:
                    items.extend(self.iter_list(column))
                if self.use_sitemap:
                    items.extend(self.iter_sitemaps({self.key_for(i.url) for i in items}))
            self.stats.listed = len(items)
            self.on_progress(self.stats, f"{len(items)} articles listed")
            if self.concurrency <= 1:
                for item in items:
                    self.process(item, done_before)
            else:
                with ThreadPoolExecutor(self.concurrency) as pool:
                    for fut in [pool.submit(self.process, item, done_before) for item in items]:
                        fut.result()
            self.state.finish_run()
        finally:
            self.state.save()
            self.fetcher.close()
        return self.stats

    def post_path(self, column: Column, year: str, slug: str) -> Path:
        return safe_path(self.content_dir, "news", column.slug, year, f"{slug}.md")

    def post_path_of(self, recorded: str) -> Path:
        """The path the crawl state recorded for a post (relative to the content folder), checked."""
        return safe_path(self.content_dir, *Path(recorded).parts)

    def process(self, item: ListItem, done_before: set[str]) -> None:
        url, key = item.url, self.key_for(item.url)
        entry = self.state.entry(key)
        if key in done_before:
            self._count("resumed", url)
            self._finish(key)
            return
        if entry.get("status") == "gone":
            self._count("gone", url)
            self._finish(key)
            return
        if item.lastmod is not None and entry.get("status") in ("ok", "gone") and entry.get("lastmod") and \
                item.lastmod <= entry["lastmod"]:
            self._count("unchanged", url)     # the sitemap says it has not changed since we fetched it
            self._finish(key)
            return
        if not self._robots_ok(url):
            self._finish(key)
            return
        post_exists = bool(entry.get("path")) and (self.content_dir / entry["path"]).exists()
        try:
            resp = self.fetcher.get(
                url,
                etag=entry.get("etag") if post_exists and entry.get("status") == "ok" else None,
                last_modified=entry.get("last_modified") if post_exists and entry.get("status") == "ok" else None,
            )
        except Gone as exc:
            self.state.update(key, status="gone", reason=exc.reason)
            self._count("gone", url)
            self._finish(key)
            return
        except FetchError as exc:
            self._count("failed", url, exc.reason)
            self._finish(key, done=False)
            return
        self._count("fetched", url)
        if resp.not_modified:
            self._count("unchanged", url)
            self._finish(key)
            return
        try:
            outcome = self._publish(item, key, resp)
        except NotPublishable as exc:
            self._count("failed", url, f"not published, {exc}")
            self._finish(key, done=False)
            return
        except (NotArticle, UnsafeId, UnsafePath) as exc:
            self._count("failed", url, f"not published: {exc}")
            self._finish(key, done=False)
            return
        self._count(outcome, url)
        self._finish(key)

    def _finish(self, key: str, done: bool = True) -> None:
        if done:
            self.state.mark_done(key)
        self.state.save()
        self.after_article(key)

    def _publish(self, item: ListItem, key: str, resp) -> str:
        url = resp.url
        on_base = self._on_base(url)
        text = decode_html(resp.content, resp.content_type, url).text
        result = process_page(text, url, self.profile, column_name=item.column.name if item.column else None,
                              on_profile_host=on_base, list_date=item.list_date)
        article = result.article
        summary = self.checker.fit_summary(article.summary)
        if summary != article.summary:   # a page's abstract longer than make check allows
            article.summary = summary
            result.text = result.render({})
        if self.since and date.fromisoformat(article.date[:10]) < self.since:
            raise NotArticle(f"dated {article.date}, before --since {self.since}")
        column = self.profile.column_by_name(article.category) or item.column
        if column is None:
            raise NotArticle(f"the page names no column of the profile (found {article.category or 'none'!r}); "
                             "crawl its column list instead")
        if result.path == "layout":
            self._count("layout", url)
        elif result.path == "generic" and on_base:
            self._count("fallback", url)
        if result.path != "profile" and on_base:
            with self._lock:
                self.stats.article_misses.append((url, "; ".join(result.misses)))
        path = self.post_path(column, article.date[:4], result.slug)
        entry = self.state.entry(key)
        previous = entry.get("path")
        if previous and (self.content_dir / previous).exists() and self.post_path_of(previous) != path:
            # The article changed column or year on the site.  Its post stays where it is (the URL
            # comes from its date and slug, not its folder): a second file would give the site two
            # posts with one slug, and moving the file could carry an editor's edits away.
            with self._lock:
                self.stats.warnings.append((url, f"now {column.name} {article.date[:4]}; the post stays at "
                                                 f"{previous} (its metadata is updated; move it by hand if you wish)"))
            path = self.post_path_of(previous)
        # make check's rules before anything is downloaded (media links as their original URLs) ...
        self._check(result.render({ref.link: ref.public_url for ref in result.media}), path)
        media = self.media.fetch_all(result.media, path.parent / result.slug)
        left_out = [(url, what) for what in result.left_out] + media.left_out
        post_text = result.render(media.changes) if media.changes else result.text
        # ... and on the post as it will be written, media in place
        try:
            self._check(post_text, path)
        except NotPublishable:
            for file in media.saved:
                file.unlink(missing_ok=True)
            raise
        outcome, written, owned_hash = write_post(path, post_text, entry.get("hash"))
        if outcome == "edited":
            with self._lock:
                self.stats.edited_files.append(str(written))
        rel = str(path.relative_to(self.content_dir.resolve()))
        self.state.update(
            key,
            status="ok",
            path=rel,
            hash=owned_hash if owned_hash else sha256(post_text),
            etag=resp.headers.get("etag"),
            last_modified=resp.headers.get("last-modified"),
            source_id=article.source_id,
            review=bool(article.review),
            **({"lastmod": item.lastmod} if item.lastmod else {}),
        )
        with self._lock:
            self.stats.left_out.extend(left_out)
            if article.review:
                self.stats.warnings.append((url, f"flagged for review: {article.review}"))
        return outcome

    def _check(self, text: str, path: Path) -> None:
        problems = self.checker.problems(text, path)
        if problems:
            raise NotPublishable("make check would refuse it: " + "; ".join(problems))

    def _warn(self, url: str, message: str) -> None:
        with self._lock:
            self.stats.warnings.append((url, message))


class NotPublishable(ValueError):
    """The post would not pass ``make check``; the message lists the problems on one line."""

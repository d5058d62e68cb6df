"""Crawl orchestration: column lists -> articles -> posts, with state after every article."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from .encoding import decode_html
from .extract import NotArticle, canonical_url, parse_html, text_of
from .fetch import Fetcher, FetchError, Gone, origin
from .pipeline import process_page
from .post import UnsafeId
from .profile import Column, Profile, select_one
from .robots import Robots
from .store import State, UnsafePath, safe_path, sha256, write_media, write_post

log = logging.getLogger(__name__)
COUNTERS = ("fetched", "new", "updated", "unchanged", "robots", "failed", "edited", "gone", "resumed", "old")


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
    problems: list[tuple[str, str]] = field(default_factory=list)   # (url, reason): failures
    warnings: list[tuple[str, str]] = field(default_factory=list)   # (url, message)
    edited_files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in COUNTERS}


@dataclass(frozen=True)
class ListItem:
    url: str
    column: Column
    list_date: str | None


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
        on_progress: Callable[[Stats, str], None] | None = None,
        after_article: Callable[[str], None] | None = None,
    ):
        self.profile = profile
        self.content_dir = Path(content_dir)
        self.base_url = (base_url or profile.canonical_base_url).rstrip("/")
        self.columns = [profile.column_by_id(c) for c in columns] if columns else list(profile.columns)
        self.since = since
        self.max_pages = max_pages
        self.fetcher = fetcher or Fetcher(
            profile.http, allowed_redirect_origins=profile.allowed_redirect_origins, delay=delay
        )
        self.robots = Robots(self.fetcher, profile.http.robots_agent)
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
        css = self.profile.list_css
        items: list[ListItem] = []
        seen: set[str] = set()
        page = 1
        while True:
            url = self.list_url(column, page)
            if not self._robots_ok(url):
                break
            try:
                resp = self.fetcher.get(url)
            except FetchError as exc:
                self._count("failed", url, f"column list: {exc.reason}")
                break
            root = parse_html(decode_html(resp.content, resp.content_type, url).text)
            new_on_page, all_old = 0, True
            for li in css["item"](root):
                link = select_one(css["link"], li)
                if link is None:
                    continue
                href = urljoin(resp.url, link.get("href", "").strip())
                if urlsplit(href).scheme not in ("http", "https") or href in seen:
                    continue
                seen.add(href)
                new_on_page += 1
                list_date = text_of(select_one(css["date"], li)) if "date" in css else None
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

    def _has_page(self, root, n: int) -> bool:
        """Is there a link to page n? Without a pagination block (template change) keep trying."""
        pag_css = self.profile.list_css.get("pagination")
        if pag_css is None:
            return True
        blocks = pag_css(root)
        if not blocks:
            return True
        param = f"{self.profile.list_page_param}={n}"
        for block in blocks:
            for a in block.iter("a"):
                href = a.get("href") or ""
                if param in href and not href.split(param, 1)[1][:1].isdigit():
                    return True
        return False

    # -- articles ---------------------------------------------------------------------------
    def run(self) -> Stats:
        done_before = self.state.start_run(datetime.now(UTC).isoformat(timespec="seconds"))
        try:
            items: list[ListItem] = []
            for column in self.columns:
                items.extend(self.iter_list(column))
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
        result = process_page(text, url, self.profile, column_name=item.column.name, on_profile_host=on_base,
                              list_date=item.list_date)
        article = result.article
        if self.since and date.fromisoformat(article.date[:10]) < self.since:
            raise NotArticle(f"dated {article.date}, before --since {self.since}")
        column = self.profile.column_by_name(article.category) or item.column
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
        post_text = result.text
        for ref in result.media:
            if not self._download(ref, path.parent / result.slug, url):
                post_text = post_text.replace(f"({ref.link})", f"({ref.public_url})").replace(
                    f'"{ref.link}"', f'"{ref.public_url}"'
                )
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
        )
        if article.review:
            with self._lock:
                self.stats.warnings.append((url, f"flagged for review: {article.review}"))
        return outcome

    def _download(self, ref, folder: Path, page_url: str) -> bool:
        try:
            target = safe_path(self.content_dir, *folder.resolve().relative_to(self.content_dir.resolve()).parts,
                               ref.filename)
        except (UnsafePath, ValueError) as exc:
            self.stats.warnings.append((ref.public_url, f"media not saved: {exc}"))
            return False
        if target.exists():
            return True
        if not self.robots.allowed(ref.url):
            self.stats.warnings.append((ref.url, "media disallowed by robots.txt; linked to the original"))
            return False
        try:
            resp = self.fetcher.get(ref.url, max_bytes=self.profile.http.max_media_bytes)
        except FetchError as exc:
            self.stats.warnings.append((ref.url, f"media download failed ({exc.reason}); linked to the original"))
            return False
        write_media(target, resp.content)
        return True

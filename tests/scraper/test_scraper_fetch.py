"""HTTP faults against a real local server: retries, Retry-After, redirects, caps, politeness."""

from __future__ import annotations

import dataclasses
import gzip
import subprocess
import sys
import threading
import time
import tracemalloc
from email.utils import formatdate
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from scraper.fetch import (
    DeadlineExceeded,
    Fetcher,
    FetchError,
    Gone,
    RedirectRefused,
    TooLarge,
    parse_retry_after,
)


@pytest.fixture
def threaded_server():
    server = HTTPServer(threaded=True)
    server.start()
    yield server
    server.clear()
    server.stop()


def make_fetcher(profile, sleeps=None, **http_changes):
    http = dataclasses.replace(profile.http, **http_changes)
    sleep = sleeps.append if sleeps is not None else time.sleep
    return Fetcher(http, allowed_redirect_origins=profile.allowed_redirect_origins, delay=0.0, sleep=sleep)


def counter_handler(responses):
    """Handler answering the given responses in turn (the last one repeats)."""
    calls = []

    def handler(request):
        calls.append(request)
        return responses[min(len(calls), len(responses)) - 1]()
    return handler, calls


def test_5xx_retried_with_exponential_backoff(httpserver, profile):
    handler, calls = counter_handler([lambda: Response("boom", 500), lambda: Response("boom", 502),
                                      lambda: Response("ok", 200)])
    httpserver.expect_request("/x").respond_with_handler(handler)
    sleeps = []
    resp = make_fetcher(profile, sleeps).get(httpserver.url_for("/x"))
    assert resp.content == b"ok" and len(calls) == 3
    assert sleeps == [0.01, 0.02]


def test_backoff_is_capped_and_attempts_limited(httpserver, profile):
    httpserver.expect_request("/x").respond_with_data("down", status=503)
    sleeps = []
    with pytest.raises(FetchError, match=r"HTTP 503 after 4 attempts"):
        make_fetcher(profile, sleeps, max_attempts=4, backoff_base_seconds=0.03, backoff_max_seconds=0.05).get(
            httpserver.url_for("/x"))
    assert sleeps == [0.03, 0.05, 0.05]
    assert len(httpserver.log) == 4


def test_timeout_retried(threaded_server, profile):
    def slow_then_fast(request, calls=[]):  # noqa: B006 - per-test closure state
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.6)
        return Response("late but fine", 200)
    threaded_server.expect_request("/slow").respond_with_handler(slow_then_fast)
    sleeps = []
    resp = make_fetcher(profile, sleeps, timeout_seconds=0.2).get(threaded_server.url_for("/slow"))
    assert resp.content == b"late but fine"
    assert len(sleeps) == 1


def test_timeouts_give_up(threaded_server, profile):
    threaded_server.expect_request("/slow").respond_with_handler(lambda r: (time.sleep(0.4), Response("x"))[1])
    with pytest.raises(FetchError, match="timeout after 2 attempts"):
        make_fetcher(profile, [], timeout_seconds=0.1, max_attempts=2).get(threaded_server.url_for("/slow"))


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds(httpserver, profile, status):
    handler, calls = counter_handler([lambda: Response("slow down", status, headers={"Retry-After": "1"}),
                                      lambda: Response("ok", 200)])
    httpserver.expect_request("/x").respond_with_handler(handler)
    sleeps = []
    assert make_fetcher(profile, sleeps).get(httpserver.url_for("/x")).content == b"ok"
    assert sleeps == [1.0]


def test_retry_after_http_date(httpserver, profile):
    handler, calls = counter_handler([
        lambda: Response("later", 429, headers={"Retry-After": formatdate(time.time() + 3, usegmt=True)}),
        lambda: Response("ok", 200)])
    httpserver.expect_request("/x").respond_with_handler(handler)
    sleeps = []
    assert make_fetcher(profile, sleeps, retry_after_max_seconds=10.0).get(httpserver.url_for("/x")).content == b"ok"
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 4.0


def test_retry_after_above_cap_fails_without_waiting(httpserver, profile):
    httpserver.expect_request("/x").respond_with_data("come back tomorrow", status=503,
                                                      headers={"Retry-After": "86400"})
    sleeps = []
    with pytest.raises(FetchError, match="above the cap"):
        make_fetcher(profile, sleeps).get(httpserver.url_for("/x"))
    assert sleeps == [] and len(httpserver.log) == 1


def test_parse_retry_after():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("not a date") is None
    assert parse_retry_after(formatdate(0, usegmt=True)) == 0.0


@pytest.mark.parametrize("status", [404, 410])
def test_gone(httpserver, profile, status):
    httpserver.expect_request("/x").respond_with_data("no", status=status)
    with pytest.raises(Gone):
        make_fetcher(profile, []).get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 1  # not retried


def test_redirect_limit(httpserver, profile):
    for i in range(10):
        httpserver.expect_request(f"/r{i}").respond_with_data("", status=302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(FetchError, match="more than 5 redirects"):
        make_fetcher(profile, []).get(httpserver.url_for("/r0"))
    assert len(httpserver.log) == 6


def test_same_host_redirect_followed(httpserver, profile):
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    httpserver.expect_request("/new").respond_with_data("here")
    resp = make_fetcher(profile, []).get(httpserver.url_for("/old"))
    assert resp.content == b"here" and resp.url.endswith("/new") and resp.history[0].endswith("/old")


@pytest.mark.parametrize("location", ["http://evil.invalid/x", "https://{host}/x", "ftp://{host}/x",
                                      "javascript:alert(1)", "http://127.0.0.1:{port}/x"])
def test_redirect_to_other_host_or_scheme_refused(httpserver, profile, location):
    location = location.format(host=f"localhost:{httpserver.port}", port=httpserver.port)
    httpserver.expect_request("/x").respond_with_data("", status=302, headers={"Location": location})
    with pytest.raises(RedirectRefused):
        make_fetcher(profile, []).get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 1


def test_redirect_to_allowed_origin(httpserver, profile):
    other = f"http://127.0.0.1:{httpserver.port}"
    httpserver.expect_request("/x").respond_with_data("", status=302, headers={"Location": other + "/y"})
    httpserver.expect_request("/y").respond_with_data("moved")
    fetcher = Fetcher(profile.http, allowed_redirect_origins=(other,), delay=0.0)
    assert fetcher.get(httpserver.url_for("/x")).content == b"moved"


@pytest.fixture(scope="module")
def stream_server():
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("_stream_server.py"))],
                            stdout=subprocess.PIPE, text=True)
    try:
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("path", ["/big", "/bomb"])
def test_body_cap_bounds_memory(stream_server, profile, path):
    """A 50 MB page and a gzip bomb (200 MB inflated) stop at the 1 MB cap without using memory."""
    fetcher = make_fetcher(profile, [], max_page_bytes=1_000_000)
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge, match="cap of 1000000 bytes"):
            fetcher.get(stream_server + path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8_000_000


def test_huge_streamed_body_stops_at_cap(httpserver, profile):
    sent = []

    def fifty_megabytes():
        chunk = b"<p>" + b"x" * 65533
        for _ in range(50 * 16):  # 50 MB, never materialised
            sent.append(len(chunk))
            yield chunk
    httpserver.expect_request("/big").respond_with_handler(
        lambda r: Response(fifty_megabytes(), content_type="text/html"))
    with pytest.raises(TooLarge, match="cap of 1000000 bytes"):
        make_fetcher(profile, [], max_page_bytes=1_000_000).get(httpserver.url_for("/big"))
    assert sum(sent) < 10 * 2**20   # the server was not drained


def test_declared_huge_content_length_rejected_before_reading(httpserver, profile):
    httpserver.expect_request("/big").respond_with_data(b"x" * 2_000_000)
    with pytest.raises(TooLarge, match="2000000 bytes"):
        make_fetcher(profile, [], max_page_bytes=1_000_000).get(httpserver.url_for("/big"))


def test_gzip_bomb_stops_at_cap(httpserver, profile):
    bomb = gzip.compress(b"\0" * (50 * 2**20), compresslevel=9)  # 50 MB inflated, ~50 KB on the wire
    httpserver.expect_request("/bomb").respond_with_data(bomb, headers={"Content-Encoding": "gzip"},
                                                         content_type="text/html")
    with pytest.raises(TooLarge):
        make_fetcher(profile, [], max_page_bytes=1_000_000).get(httpserver.url_for("/bomb"))


def test_gzip_body_decoded(httpserver, profile):
    httpserver.expect_request("/z").respond_with_data(gzip.compress("你好".encode()),
                                                      headers={"Content-Encoding": "gzip"})
    assert make_fetcher(profile, []).get(httpserver.url_for("/z")).content == "你好".encode()


def test_in_flight_limit_per_host(threaded_server, profile):
    active, peak, lock = [0], [0], threading.Lock()

    def handler(request):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return Response("ok")
    threaded_server.expect_request("/x").respond_with_handler(handler)

    def hammer(limit):
        peak[0] = 0
        fetcher = make_fetcher(profile, None, max_in_flight_per_host=limit)
        threads = [threading.Thread(target=fetcher.get, args=(threaded_server.url_for("/x"),)) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return peak[0]
    assert hammer(1) == 1
    assert hammer(2) == 2  # the server can see parallel requests, so the limit above is real


def test_delay_between_requests(httpserver, profile):
    httpserver.expect_request("/x").respond_with_data("ok")
    fetcher = Fetcher(profile.http, delay=0.3)
    t0 = time.monotonic()
    fetcher.get(httpserver.url_for("/x"))
    fetcher.get(httpserver.url_for("/x"))
    assert time.monotonic() - t0 >= 0.3


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_total_deadline_stops_a_drip(stream_server, profile, path):
    """One byte a second never trips the read timeout; the request's total deadline does, once (no retry)."""
    fetcher = make_fetcher(profile, [], deadline_seconds=1.5, timeout_seconds=5.0, max_attempts=3)
    with pytest.raises(DeadlineExceeded, match=r"deadline: no complete answer within 1.5 s \(connect \+ whole body"):
        fetcher.get(stream_server + path)
    assert fetcher.requests_made == 1


def test_deadline_is_per_request(threaded_server, profile):
    """Requests that each finish in time are not cut by a deadline shorter than their sum."""
    def slowish(request):
        time.sleep(0.3)
        return Response("ok")
    threaded_server.expect_request("/slowish").respond_with_handler(slowish)
    fetcher = make_fetcher(profile, [], deadline_seconds=0.8)
    for _ in range(4):
        assert fetcher.get(threaded_server.url_for("/slowish")).content == b"ok"


@pytest.mark.parametrize("status", [403, 405, 200])
def test_firewall_challenge_passed_with_its_cookie(httpserver, profile, status):
    """A cloud firewall's first answer: a refusal or a small reload-script page, setting acw_tc. The
    request is asked again once with the cookie (nothing executed); a second refusal is an answer."""
    challenge = "<script>document.cookie='acw_sc__v2=1';location.reload();</script>"

    def handler(request):
        if "acw_tc" in request.cookies:
            return Response("<html><body><p>the page</p></body></html>", content_type="text/html")
        resp = Response(challenge, status=status, content_type="text/html")
        resp.set_cookie("acw_tc", "ab12", path="/")
        return resp

    httpserver.expect_request("/x").respond_with_handler(handler)
    resp = make_fetcher(profile).get(httpserver.url_for("/x"))
    assert b"the page" in resp.content and len(httpserver.log) == 2

    httpserver.clear()
    always = Response("denied", status=403)
    always.set_cookie("acw_tc", "ab12", path="/")
    httpserver.expect_request("/y").respond_with_response(always)
    with pytest.raises(FetchError) as info:
        make_fetcher(profile).get(httpserver.url_for("/y"))
    assert info.value.status == 403 and len(httpserver.log) == 2


def test_page_setting_a_cookie_is_not_a_challenge(httpserver, profile):
    resp = Response("<html><body>" + "正文" * 5000 + "</body></html>", content_type="text/html")
    resp.set_cookie("session", "1", path="/")
    httpserver.expect_request("/z").respond_with_response(resp)
    assert "正文".encode() in make_fetcher(profile).get(httpserver.url_for("/z")).content
    assert len(httpserver.log) == 1


def test_script_challenge_that_needs_a_browser_is_a_clear_error(httpserver, profile):
    """A challenge whose cookie only its script computes (acw_sc__v2): asked again once, then a clear
    error saying what it is and what to do, instead of an empty page that yields no article."""
    page = ("<html><body><script>var arg1='3F2A';function s(){document.cookie='acw_sc__v2='+arg1;"
            "location.reload();}s();</script></body></html>")

    def handler(request):
        resp = Response(page, content_type="text/html")
        if "acw_tc" not in request.cookies:
            resp.set_cookie("acw_tc", "ab12", path="/")
        return resp

    httpserver.expect_request("/x").respond_with_handler(handler)
    with pytest.raises(FetchError, match="script challenge.*browser"):
        make_fetcher(profile).get(httpserver.url_for("/x"))
    assert len(httpserver.log) == 2

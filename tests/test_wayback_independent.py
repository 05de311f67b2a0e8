"""Self-test of replica.wayback_independent: its CDX, its replay, its mess, its limits and its truth."""

from __future__ import annotations

import hashlib
import html
import itertools
import json
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from replica.wayback_independent import BAD_KINDS, HTTP, HTTPS, NOTICE_TEXT, IndependentWayback, surt


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object) -> None:
        return None


OPENER = urllib.request.build_opener(_NoRedirect)


def get(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with OPENER.open(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def cdx(wb: IndependentWayback, **params: str) -> list[list[str]]:
    status, _, body = get(wb.cdx_url + "?" + urllib.parse.urlencode(params))
    assert status == 200, body
    return json.loads(body)


@pytest.fixture(scope="module")
def wb() -> IndependentWayback:
    return IndependentWayback(n_articles=40, seed=5, cdx_per_minute=60_000, replay_per_minute=60_000, cdx_burst=1000,
                              replay_burst=1000)  # fmt: skip


@pytest.fixture(scope="module")
def base(wb: IndependentWayback):
    with wb.serve() as url:
        yield url


def test_truth_has_every_article_and_the_mix(wb: IndependentWayback) -> None:
    assert [t.article for t in wb.truth] == wb.portal.articles
    assert all(t.url == HTTP + t.article.path for t in wb.truth)
    assert wb.site == HTTP + "/Tintuc/?PageIndex=1"
    good = [t for t in wb.truth if t.recoverable]
    lost = [t for t in wb.truth if not t.recoverable]
    assert 25 <= len(good) <= 34 and all(t.newest_good_timestamp and t.lost_reason is None for t in good)
    assert sum(t.lost_reason == "never captured" for t in lost) >= 2
    assert sum(t.lost_reason.startswith("only bad captures: ") for t in lost) >= 4
    assert sum(t.good_original.startswith(HTTPS) for t in good) >= 5
    kinds = {c.kind for c in wb.captures}
    assert set(BAD_KINDS) <= kinds and {"good", "list", "image", "revisit", "redirect"} <= kinds
    years = {c.timestamp[:4] for c in wb.captures}
    assert {"2018", "2020", "2024", "2025", "2026"} <= years
    again = IndependentWayback(n_articles=40, seed=5)
    assert [c.row() for c in again.captures] == [c.row() for c in wb.captures]
    assert [c.row() for c in IndependentWayback(n_articles=40, seed=6).captures] != [c.row() for c in wb.captures]


def test_after_the_shutdown_every_capture_is_the_dead_site(wb: IndependentWayback) -> None:
    late = [c for c in wb.captures if c.timestamp >= "20250701" and "huyendienbien" in c.original]
    assert late and {c.kind for c in late} == {"notice", "province_redirect", "parked"}
    assert all(NOTICE_TEXT.encode() in c.body for c in late if c.kind == "notice")
    assert all(c.location == "https://dienbien.gov.vn/" for c in late if c.kind == "province_redirect")
    good = [t for t in wb.truth if t.recoverable]
    newest_bad = 0
    for t in good:
        mine = [c for c in wb.captures if c.article == t.article.path and c.statuscode != "-"]
        newest = max(mine, key=lambda c: c.timestamp)
        newest_bad += newest.kind != "good"
        best = max((c for c in mine if c.kind == "good"), key=lambda c: c.timestamp)
        assert (best.timestamp, best.original) == (t.newest_good_timestamp, t.good_original)
    assert newest_bad > len(good) / 2
    for t in wb.truth:
        if not t.recoverable:
            assert not any(c.article == t.article.path and c.kind == "good" for c in wb.captures)


def test_cdx_json_fields_order_and_shared_urlkeys(wb: IndependentWayback, base: str) -> None:
    rows = cdx(wb, url="huyendienbien.gov.vn/*", output="json")
    assert rows[0] == ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    body = rows[1:]
    assert body == sorted(body, key=lambda r: (r[0], r[1]))
    assert all(r[0].startswith("vn,gov,huyendienbien)/") and r[0] == r[0].lower() for r in body)
    assert rows == cdx(wb, url="http://huyendienbien.gov.vn/", matchType="prefix", output="json")
    keys: dict[str, set[str]] = {}
    for r in body:
        keys.setdefault(r[0], set()).add(r[2].split("://")[0])
    assert sum(v == {"http", "https"} for v in keys.values()) >= 10
    assert all(r[2].startswith((HTTP + "/", HTTPS + "/")) for r in body)
    revisits = [r for r in body if r[3] == "warc/revisit"]
    assert revisits and all(r[4] == "-" for r in revisits)
    digests = {(r[0], r[5]) for r in body if r[3] != "warc/revisit"}
    assert all((r[0], r[5]) in digests for r in revisits)
    assert {r[4] for r in body} >= {"200", "301", "302", "500", "-"}
    some = cdx(wb, url="huyendienbien.gov.vn/t/*", output="json", fl="timestamp,original")
    assert some[0] == ["timestamp", "original"] and len(some) > 40
    art = wb.truth[0].article.path
    exact = cdx(wb, url=f"https://www.huyendienbien.gov.vn{art.lower()}?pageindex=1", output="json")
    assert {r[0] for r in exact[1:]} == {surt(HTTP + art + "?PageIndex=1")}
    assert cdx(wb, url="huyendienbien.gov.vn/no/such/page", output="json") == []


def test_cdx_filter_collapse_dates_and_text(wb: IndependentWayback, base: str) -> None:
    q = urllib.parse.urlencode([("url", "huyendienbien.gov.vn/t/*"), ("output", "json"), ("filter", "statuscode:200"),
                                ("filter", "!mimetype:warc/revisit")])  # fmt: skip
    ok = json.loads(get(wb.cdx_url + "?" + q)[2])[1:]
    assert ok and all(r[4] == "200" and r[3] != "warc/revisit" for r in ok)
    every = cdx(wb, url="huyendienbien.gov.vn/t/*", output="json")[1:]
    collapsed = cdx(wb, url="huyendienbien.gov.vn/t/*", output="json", collapse="digest")[1:]
    assert len(collapsed) < len(every)
    assert all(a[5] != b[5] for a, b in itertools.pairwise(collapsed))
    per_key = cdx(wb, url="huyendienbien.gov.vn/t/*", output="json", collapse="urlkey")[1:]
    assert [r[0] for r in per_key] == sorted({r[0] for r in every})
    window = cdx(wb, url="huyendienbien.gov.vn/*", output="json", **{"from": "2024", "to": "202506"})[1:]
    assert window and all("20240101000000" <= r[1] <= "20250699999999" for r in window)
    status, _, text = get(wb.cdx_url + "?url=huyendienbien.gov.vn/Tintuc/*&fl=timestamp,statuscode")
    assert status == 200 and all(len(line.split()) == 2 for line in text.decode().splitlines())
    assert get(wb.cdx_url + "?output=json")[0] == 400


def test_cdx_resume_keys_page_through_everything(wb: IndependentWayback, base: str) -> None:
    whole = cdx(wb, url="huyendienbien.gov.vn/*", output="json", fl="urlkey,timestamp,original")[1:]
    got, key, calls = [], None, 0
    while True:
        params = {"url": "huyendienbien.gov.vn/*", "output": "json", "fl": "urlkey,timestamp,original",
                  "limit": "37", "showResumeKey": "true"}  # fmt: skip
        if key:
            params["resumeKey"] = key
        rows = cdx(wb, **params)
        calls += 1
        if rows[-2:-1] == [[]]:
            key, rows = rows[-1][0], rows[:-2]
            assert " " not in key and "%2C" in key
        else:
            key = None
        got += rows[1:]
        if key is None:
            break
    assert got == whole and calls == -(-len(whole) // 37)
    plain = get(wb.cdx_url + "?url=huyendienbien.gov.vn/*&limit=5&showResumeKey=true")[2].decode().split("\n")
    assert plain[5] == "" and plain[6] and plain[7] == ""


def test_replay_of_good_bad_redirect_revisit_and_image(wb: IndependentWayback, base: str) -> None:
    t = next(t for t in wb.truth if t.recoverable and t.good_original.startswith(HTTPS))
    status, headers, body = get(f"{wb.replay_url}{t.newest_good_timestamp}id_/{t.good_original}")
    assert status == 200 and headers["X-Archive-Orig-Server"] == "Microsoft-IIS/8.5"
    page = body.decode()
    assert html.escape(t.article.title) in page and all(html.escape(p) in page for p in t.article.paragraphs)
    assert "WAYBACK TOOLBAR" not in page
    status, _, shown = get(f"{wb.replay_url}{t.newest_good_timestamp}/{t.good_original}")
    assert status == 200 and b"WAYBACK TOOLBAR" in shown and b'href="/web/' in shown
    # a timestamp not held: 302 to the nearest capture of the urlkey, whatever the spelling asked for
    asked = t.good_original.replace(HTTPS, HTTP)
    status, headers, _ = get(f"{wb.replay_url}{t.newest_good_timestamp[:8]}id_/{asked}")
    assert status == 302 and headers["Location"].startswith(base + "/web/") and "id_/" in headers["Location"]
    # a captured 301 replays as a 301 into the archive
    moved = next(c for c in wb.captures if c.statuscode == "301")
    status, headers, _ = get(f"{wb.replay_url}{moved.timestamp}id_/{moved.original}")
    assert status == 301 and headers["Location"] == f"{base}/web/{moved.timestamp}id_/{moved.location}"
    assert headers["X-Archive-Orig-Location"] == moved.location
    # a revisit replays its original's bytes
    rev = next(c for c in wb.captures if c.kind == "revisit" and c.article)
    status, _, body = get(f"{wb.replay_url}{rev.timestamp}id_/{rev.original}")
    assert status == 200 and body == rev.body and b"ucView_lblTitle" in body
    # truncated captures are cut inside the body; server errors are ASP.NET's
    cut = next(c for c in wb.captures if c.kind == "truncated")
    status, _, body = get(f"{wb.replay_url}{cut.timestamp}id_/{cut.original}")
    assert status == 200 and b"</html>" not in body and b"ucView_lblTitle" in body
    err = next(c for c in wb.captures if c.kind == "server_error")
    assert b"Server Error in '/' Application." in get(f"{wb.replay_url}{err.timestamp}id_/{err.original}")[2]
    image = next(c for c in wb.captures if c.kind == "image" and c.mimetype == "image/jpeg")
    status, headers, body = get(f"{wb.replay_url}{image.timestamp}im_/{image.original}")
    assert status == 200 and headers["Content-Type"] == "image/jpeg" and body.startswith(b"\xff\xd8")
    assert get(f"{wb.replay_url}20240101000000id_/{HTTP}/T/NEVER")[0] == 404


def test_lost_articles_are_linked_from_a_good_list_capture(wb: IndependentWayback, base: str) -> None:
    lost = [t for t in wb.truth if not t.recoverable]
    linked = ""
    for url, ts in wb.list_truth.items():
        status, _, body = get(f"{wb.replay_url}{ts}id_/{url}")
        if status == 302:
            status, _, body = get(get(f"{wb.replay_url}{ts}id_/{url}")[1]["Location"])
        assert status == 200
        linked += body.decode()
    assert all(f'href="{t.article.path}?PageIndex=' in linked for t in wb.truth)
    never = [t for t in lost if t.lost_reason == "never captured"]
    for t in never:
        assert cdx(wb, url=f"huyendienbien.gov.vn{t.article.path}*", output="json") == []


def test_rate_limits_retry_after_violations_and_the_log() -> None:
    wb = IndependentWayback(n_articles=12, seed=2, cdx_per_minute=30, replay_per_minute=600, cdx_burst=2,
                            replay_burst=3, block_after=4)  # fmt: skip
    with wb.serve() as base:
        url = wb.cdx_url + "?url=huyendienbien.gov.vn/*&limit=1"
        assert [get(url)[0] for _ in range(2)] == [200, 200]
        status, headers, _ = get(url)
        assert status == 429 and int(headers["Retry-After"]) >= 1 and wb.violations == 0
        replay = f"{wb.replay_url}2024id_/{wb.site}"
        assert get(replay)[0] == 302  # replay has its own limit
        time.sleep(0.1)
        assert get(url)[0] == 429 and wb.violations == 1
        for _ in range(3):
            get(url)
        assert wb.violations == 4 and get(url)[0] == 403
        kinds = [r.kind for r in wb.requests]
        assert kinds.count("cdx") == 8 and kinds.count("replay") == 1 and wb.count("cdx") == 8
        assert [r.violation for r in wb.requests if r.kind == "cdx"][:4] == [False, False, False, True]
        assert all(a.at <= b.at for a, b in itertools.pairwise(wb.requests))
        assert get(base + "/nothing")[0] == 404 and wb.requests[-1].kind == "other"
    gentle = IndependentWayback(n_articles=12, seed=2, cdx_per_minute=60, cdx_burst=1)
    with gentle.serve():
        url = gentle.cdx_url + "?url=huyendienbien.gov.vn/*&limit=1"
        assert get(url)[0] == 200
        status, headers, _ = get(url)
        assert status == 429
        time.sleep(int(headers["Retry-After"]) + 0.05)
        assert get(url)[0] == 200 and gentle.violations == 0


def test_whole_portal_captures_and_their_truth() -> None:
    wb = IndependentWayback(n_articles=30, seed=11, whole=True)
    truth = wb.whole_truth
    assert len(wb.truth) == len(wb.portal.all_articles) and {t.article for t in wb.truth} == set(wb.portal.all_articles)
    assert truth.home[-1] in ("notice", "province_redirect", "parked") and "home" in truth.home
    linking = {a.linked_from for a in wb.portal.attachments}
    assert all(t.recoverable for t in wb.truth if t.article.path in linking)  # a document is known from its article
    for kind, items in (("album", wb.portal.albums), ("attachment", wb.portal.attachments)):
        assert len(truth.of(kind, True) + truth.of(kind, False)) == len(items)
    for item in truth.albums + truth.photos + truth.attachments:
        path = item.url[len(HTTP) :]
        mine = [c for c in wb.captures if c.urlkey.split("?")[0] == surt(HTTP + path)]
        whole = [c for c in mine if c.kind in ("album", "photo", "attachment")]
        assert bool(whole) == item.recoverable, item.url
        if item.recoverable:
            assert max(c.timestamp for c in whole) == item.newest_good_timestamp
            assert item.last_seen_good >= item.newest_good_timestamp
            if item.sha256:
                assert all(hashlib.sha256(c.body).hexdigest() == item.sha256 for c in whole)
        else:
            assert (item.lost_reason == "never captured") == (not mine), item.url
    photos = [c for c in wb.captures if c.kind == "photo"]
    assert len({c.digest for c in photos}) == len({c.urlkey for c in photos})  # no two photos share bytes
    cut = [c for c in wb.captures if c.kind == "truncated" and c.mimetype != "text/html"]
    assert cut and all(int(dict(c.headers)["Content-Length"]) > len(c.body) for c in cut)
    lists = {c.urlkey.split("?")[0] for c in wb.captures if c.kind == "list"}
    assert lists == {surt(HTTP + p).split("?")[0] for p in (*(s.path for s in wb.portal.sections), "/Thuvienanh/")}


def test_one_archive_holds_several_gone_sites() -> None:
    first = IndependentWayback(n_articles=12, seed=2, cdx_per_minute=60_000, replay_per_minute=60_000,
                               cdx_burst=1000, replay_burst=1000)  # fmt: skip
    second = IndependentWayback(n_articles=12, seed=3, whole=True, host="muongnhe.dienbien.gov.vn")
    first.hold(second)
    with pytest.raises(ValueError):
        first.hold(second)
    with first.serve():
        own = cdx(first, url="huyendienbien.gov.vn/*", output="json")[1:]
        other = cdx(first, url="muongnhe.dienbien.gov.vn/*", output="json")[1:]
        assert own and other and all(r[0].startswith("vn,gov,dienbien,muongnhe)/") for r in other)
        assert len(other) == len(second.captures) - sum(
            c.original == "https://dienbien.gov.vn/" for c in second.captures
        )
        t = next(t for t in second.truth if t.recoverable)
        status, _, body = get(f"{first.replay_url}{t.newest_good_timestamp}id_/{t.good_original}")
        assert status == 200 and html.escape(t.article.title).encode() in body

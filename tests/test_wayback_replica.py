"""The Wayback Machine replica (replica.wayback) over real HTTP: CDX answers, replay, redirects, revisits, limits,
and that its ground truth says what the captures hold."""

from __future__ import annotations

import http.client
import itertools
import json
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from email.utils import format_datetime
from urllib.parse import quote, urlsplit

import pytest

from replica.images import image_for
from replica.model import format_posted
from replica.wayback import WaybackOptions, WaybackReplica
from replica.wayback_captures import EDIT_NOTE, NOTICE, PROVINCE, REDIRECT, TRUNCATED, parse_timestamp, urlkey

FAST = WaybackOptions(cdx_per_minute=60_000, replay_per_minute=60_000, cdx_burst=10_000, replay_burst=10_000)


def get(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """GET without following redirects: status, headers, body."""
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def cdx(base: str, query: str) -> list[list[str]]:
    status, headers, body = get(base, "/cdx/search/cdx?" + query + "&output=json")
    assert status == 200 and headers["Content-Type"] == "application/json"
    return json.loads(body)


@pytest.fixture(scope="module")
def wb() -> Iterator[WaybackReplica]:
    replica = WaybackReplica(FAST)
    with replica.serve():
        yield replica


def good_article(wb: WaybackReplica, **want: bool):
    """An article with a good capture, and (when asked) a bad newest capture."""
    for truth in wb.truth.articles.values():
        if truth.newest and (not want.get("bad_newest") or truth.captures[-1].defect):
            return truth
    raise AssertionError("no such article")


def test_cdx_json_rows_in_surt_order(wb: WaybackReplica) -> None:
    rows = cdx(wb.base, "url=huyendienbien.gov.vn/*")
    assert rows[0] == ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
    keys = [" ".join(row) for row in rows[1:]]
    assert keys == sorted(keys) and len(keys) == sum(1 for c in wb.captures if c.urlkey.startswith("vn,gov,huyen"))
    for key, ts, _original, mimetype, status, digest, length in rows[1:]:
        assert key == key.lower() and key.startswith("vn,gov,huyendienbien)/") and "www" not in key
        assert len(ts) == 14 and len(digest) == 32 and int(length) > 0
        assert (mimetype, status) == ("warc/revisit", "-") or status.isdigit()
    originals = {row[2].split("/")[2] for row in rows[1:]}
    assert originals == {"huyendienbien.gov.vn", "www.huyendienbien.gov.vn"}


def test_http_and_https_www_and_path_case_share_one_urlkey(wb: WaybackReplica) -> None:
    truth = good_article(wb)
    parts = urlsplit(truth.newest.url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    queries = [f"http://huyendienbien.gov.vn{path}", f"https://www.huyendienbien.gov.vn{path.lower()}"]
    answers = [cdx(wb.base, "url=" + quote(url, safe="")) for url in queries]
    assert answers[0] == answers[1]
    assert {row[0] for row in answers[0][1:]} == {urlkey("http://huyendienbien.gov.vn" + path)}


def test_match_types(wb: WaybackReplica) -> None:
    prefix = cdx(wb.base, "url=huyendienbien.gov.vn/T/&matchType=prefix")
    assert prefix == cdx(wb.base, "url=huyendienbien.gov.vn/T/*")
    assert prefix[1:] and all(row[0].startswith("vn,gov,huyendienbien)/t/") for row in prefix[1:])
    host = cdx(wb.base, "url=www.huyendienbien.gov.vn&matchType=host")
    assert host == cdx(wb.base, "url=huyendienbien.gov.vn/&matchType=prefix")  # prefix of "/" is the host
    assert {row[0] for row in cdx(wb.base, "url=*.gov.vn")[1:]} >= {"vn,gov,dienbien)/"}
    assert all(row[0].startswith("vn,gov,huyendienbien)/") for row in host[1:])
    exact = cdx(wb.base, "url=huyendienbien.gov.vn/Tintuc/?PageIndex=2")
    assert {row[0] for row in exact[1:]} == {"vn,gov,huyendienbien)/tintuc?pageindex=2"}
    assert cdx(wb.base, "url=huyendienbien.gov.vn/NO-SUCH-PAGE") == []


def test_fl_filter_collapse_from_to(wb: WaybackReplica) -> None:
    query = "url=huyendienbien.gov.vn/T/*"
    every = cdx(wb.base, query)[1:]
    ok = cdx(wb.base, query + "&filter=statuscode:200&fl=timestamp,statuscode")
    assert ok[0] == ["timestamp", "statuscode"] and {row[1] for row in ok[1:]} == {"200"}
    assert len(ok) - 1 == sum(row[4] == "200" for row in every)
    not_ok = cdx(wb.base, query + "&filter=!statuscode:200")[1:]
    assert len(not_ok) + len(ok) - 1 == len(every) and {"301", "302", "-"} <= {row[4] for row in not_ok}
    assert cdx(wb.base, query + "&filter=mimetype:text") == []  # the regex must match the whole field
    assert len(cdx(wb.base, query + "&filter=mimetype:text/.*")) - 1 == sum(row[3] == "text/html" for row in every)
    assert len(cdx(wb.base, query + "&filter=~original:https://www.")) - 1 == sum("//www." in r[2] for r in every)
    both = cdx(wb.base, query + "&filter=statuscode:200&filter=original:http://huyen.*")[1:]
    assert both and all(row[4] == "200" and row[2].startswith("http://huyen") for row in both)
    digests = cdx(wb.base, query + "&collapse=digest")[1:]
    assert all((a[0], a[5]) != (b[0], b[5]) for a, b in itertools.pairwise(digests))
    assert len(digests) < len(every)
    keys = [row[0] for row in cdx(wb.base, query + "&collapse=urlkey")[1:]]
    assert keys == sorted(set(keys)) == sorted({row[0] for row in every})
    years = cdx(wb.base, "url=dienbien.gov.vn/&collapse=timestamp:4&fl=timestamp")[1:]
    assert [row[0][:4] for row in years] == sorted({row[0][:4] for row in years})
    dated = cdx(wb.base, query + "&from=2021&to=2024")[1:]
    assert dated and all("2021" <= row[1][:4] <= "2024" for row in dated)
    assert len(dated) == sum("2021" <= row[1][:4] <= "2024" for row in every)


def test_limit_and_resume_key(wb: WaybackReplica) -> None:
    query = "url=huyendienbien.gov.vn/T/*&fl=urlkey,timestamp&filter=statuscode:200"
    every = cdx(wb.base, query)[1:]
    assert cdx(wb.base, query + "&limit=-3")[1:] == every[-3:]
    pages, key, seen = 0, "", []
    while True:
        answer = cdx(wb.base, query + "&limit=25&showResumeKey=true" + (f"&resumeKey={key}" if key else ""))
        pages += 1
        if answer and answer[-2] == []:
            key = answer[-1][0]
            rows = answer[1:-2]
            assert key == quote(f"{rows[-1][0]} {rows[-1][1][:-1]}{int(rows[-1][1][-1]) + 1}", safe="").replace(
                "%20", "+"
            )
        else:
            rows, key = answer[1:], ""
        seen += rows
        if not key:
            break
    assert seen == every and pages == len(every) // 25 + 1
    _status, headers, body = get(wb.base, "/cdx/search/cdx?url=huyendienbien.gov.vn/T/*&limit=2&showResumeKey=true")
    lines = body.decode().split("\n")
    assert headers["Content-Type"].startswith("text/plain") and len(lines[0].split(" ")) == 7
    assert lines[2] == "" and "+" in lines[3]
    assert get(wb.base, "/cdx/search/cdx?limit=2")[0] == 400


def test_revisits_point_at_an_earlier_capture_with_the_same_digest(wb: WaybackReplica) -> None:
    rows = cdx(wb.base, "url=huyendienbien.gov.vn/*")[1:]
    revisits = [row for row in rows if row[3] == "warc/revisit"]
    assert revisits and all(row[4] == "-" for row in revisits)
    for key, ts, original, _, _, digest, _ in revisits:
        earlier = [row for row in rows if row[0] == key and row[1] < ts and row[5] == digest and row[4] != "-"]
        assert earlier, (key, ts)
        status, headers, body = get(wb.base, f"/web/{ts}id_/{original}")
        first = get(wb.base, f"/web/{earlier[-1][1]}id_/{earlier[-1][2]}")
        assert status in (200, 302) and body == first[2] and headers["Memento-Datetime"] != first[1]["Memento-Datetime"]


def test_replay_id_gives_original_bytes_and_headers(wb: WaybackReplica) -> None:
    truth = good_article(wb)
    seen = truth.newest
    status, headers, body = get(wb.base, f"/web/{seen.timestamp}id_/{seen.url}")
    capture = next(c for c in wb.captures if c.timestamp == seen.timestamp and c.original == seen.url)
    assert status == 200 and body == capture.payload
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert headers["X-Archive-Orig-Server"] == "Microsoft-IIS/8.5" and "X-Archive-Orig-Date" in headers
    assert headers["Memento-Datetime"].endswith(" GMT") and 'rel="original"' in headers["Link"]
    published = unicodedata.normalize("NFC", body.decode())
    assert format_posted(truth.published) in published
    rewritten = get(wb.base, f"/web/{seen.timestamp}/{seen.url}")[2]
    assert b"WAYBACK TOOLBAR" in rewritten and f'href="{wb.base}/web/{seen.timestamp}/'.encode() in rewritten


def test_replay_redirects_to_the_nearest_capture(wb: WaybackReplica) -> None:
    seen = good_article(wb).newest
    status, headers, _ = get(wb.base, f"/web/{seen.timestamp[:8]}id_/{seen.url}")
    location = headers["Location"]
    assert status == 302 and location.startswith(f"{wb.base}/web/") and "id_/" in location
    ts = location.split("/web/")[1][:14]
    held = sorted(c.timestamp for c in wb.captures if c.urlkey == urlkey(seen.url) and not c.location)
    assert ts in held
    parts = urlsplit(location)
    _, followed, _ = get(wb.base, parts.path + (f"?{parts.query}" if parts.query else ""))
    assert followed["Memento-Datetime"] == format_datetime(parse_timestamp(ts), usegmt=True)
    assert get(wb.base, "/web/2020id_/http://huyendienbien.gov.vn/NO-SUCH-PAGE")[0] == 404


def test_captured_redirects_replay_as_redirects_into_the_archive(wb: WaybackReplica) -> None:
    gone = next(c for c in wb.captures if c.defect == "province-redirect" and not c.revisit_of)
    status, headers, _ = get(wb.base, f"/web/{gone.timestamp}id_/{gone.original}")
    assert status == 302 and headers["Location"] == f"{wb.base}/web/{gone.timestamp}id_/{PROVINCE}"
    status, headers, _body = get(wb.base, urlsplit(headers["Location"]).path)  # nearest province capture
    assert status == 302 and "dienbien.gov.vn" in headers["Location"]
    home = next(c for c in wb.captures if c.kind == "home" and c.status == 302 and not c.revisit_of)
    status, headers, _ = get(wb.base, f"/web/{home.timestamp}id_/{home.original}")
    assert status == 302 and headers["Location"].endswith(f"id_/{home.original}Tintuc/")
    moved = next(c for c in wb.captures if c.defect == REDIRECT and c.kind == "article")
    assert moved.original.startswith("http://") and moved.location.startswith("https://www.")
    status, headers, _ = get(wb.base, f"/web/{moved.timestamp}id_/{moved.original}")  # a self-redirect is skipped
    assert status == 302 and headers["Location"].split("/web/")[1][:14] != moved.timestamp


def test_images_replay_with_im_and_id(wb: WaybackReplica) -> None:
    path, seen = next((path, seen) for path, seen in wb.truth.images.items() if seen and seen[-1].defect is None)
    for flag in ("im_", "id_"):
        status, headers, body = get(wb.base, f"/web/{seen[-1].timestamp}{flag}/{seen[-1].url}")
        assert status == 200 and (headers["Content-Type"], body) == image_for(path)


def test_after_the_shutdown_every_url_is_a_notice_a_redirect_or_parked(wb: WaybackReplica) -> None:
    late = [c for c in wb.captures if c.timestamp >= "20250701" and c.urlkey.startswith("vn,gov,huyendienbien)")]
    assert late and {c.defect for c in late} == {"notice", "province-redirect", "parked"}
    notice = next(c for c in late if c.defect == NOTICE)
    body = get(wb.base, f"/web/{notice.timestamp}id_/{notice.original}")[2].decode()
    assert "Cổng thông tin điện tử huyện Điện Biên đã dừng hoạt động" in body


def test_truth_matches_what_replay_gives(wb: WaybackReplica) -> None:
    truth = wb.truth
    for article in truth.articles.values():
        for seen in article.captures:
            response = wb.replay(f"/web/{seen.timestamp}id_/{seen.url}")
            if seen.defect == REDIRECT:
                continue  # skipped by replay (self-redirect)
            content = next(
                c for c in wb.captures if c.timestamp == seen.content_timestamp and c.urlkey == urlkey(seen.url)
            )
            assert response.status == content.status and response.body == content.body
            text = unicodedata.normalize("NFC", response.body.decode(errors="replace"))
            if seen.defect is None:
                assert format_posted(article.published) in text and "Các tin bài khác" in text
                assert (EDIT_NOTE in text) == (EDIT_NOTE in seen.article.blocks)
            elif seen.defect == TRUNCATED:
                assert "Các tin bài khác" not in text and "Tác giả:" not in text
    assert truth.rescuable and truth.lost
    reasons = {article.lost for article in truth.articles.values() if article.lost}
    assert reasons == {"never-captured", "only-bad"}
    for slug, reason in truth.lost.items():
        keys = {c.urlkey for c in wb.captures if c.slug == slug}
        assert (reason == "never-captured") == (not keys)
    assert any(truth.articles[slug].listed_at for slug in truth.lost)  # lost, yet seen on a captured list page
    bad_newest = [a for a in truth.rescuable if a.captures[-1].defect]
    assert len(bad_newest) > len(truth.rescuable) // 3
    every = {seen.defect for a in truth.articles.values() for seen in a.captures}
    assert every >= {None, "notice", "parked", "province-redirect", "soft-404", "server-error", "login", "truncated"}


def test_truth_of_dates_and_edits(wb: WaybackReplica) -> None:
    dates = {date.date: date for date in wb.truth.dates}
    assert dates["20190514"].pages < dates["20250620"].pages and dates["20260303"].pages == 0
    newest = dates["20250620"]
    assert {seen.page for seen in newest.captures} == set(range(1, newest.pages + 1))
    listed = {slug for page in newest.slugs for slug in page}
    assert listed <= set(wb.truth.articles) and not set(dates["20190514"].slugs[0]) & set(newest.slugs[0])
    edit = next(
        edit
        for edit in wb.truth.edits.values()
        if {s.article is edit.after for s in wb.truth.articles[edit.slug].good} == {True, False}
    )
    versions = {seen.article is edit.after: seen for seen in wb.truth.articles[edit.slug].good}
    assert versions[False].timestamp < versions[True].timestamp
    article = wb.truth.articles[edit.slug]
    picked, after = article.as_of(versions[False].timestamp)
    assert picked == versions[False] and not after


def test_rate_limits_per_endpoint_violations_and_block() -> None:
    clock = [1000.0]
    options = WaybackOptions(
        n_articles=40,
        cdx_per_minute=60,
        replay_per_minute=600,
        cdx_burst=2,
        replay_burst=5,
        block_after=3,
        block_seconds=30,
    )
    replica = WaybackReplica(options, clock=lambda: clock[0])
    with replica.serve() as base:
        query = "/cdx/search/cdx?url=huyendienbien.gov.vn/T/*&limit=1"
        assert [get(base, query)[0] for _ in range(2)] == [200, 200]
        status, headers, _ = get(base, query)
        assert status == 429 and headers["Retry-After"] == "1" and replica.violations == 0
        assert get(base, "/web/2020id_/http://huyendienbien.gov.vn/")[0] == 302  # replay has its own budget
        clock[0] += 0.5
        assert get(base, query)[0] == 429 and replica.violations == 1  # inside the Retry-After window
        clock[0] += 0.5
        assert get(base, query)[0] == 200  # honoured: served again
        assert get(base, query)[0] == 429
        assert get(base, query)[0] == 429 and replica.violations == 2
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            get(base, query)  # third strike: blocked, the connection is dropped
        with pytest.raises((ConnectionError, http.client.HTTPException)):
            get(base, "/web/2020id_/http://huyendienbien.gov.vn/")  # the block covers every endpoint
        assert replica.violations == 4
        clock[0] += 31
        assert get(base, query)[0] == 200
    log = replica.requests
    assert [r.kind for r in log].count("replay") == 2 and {r.status for r in log} == {0, 200, 302, 429}
    assert all(a.time <= b.time for a, b in itertools.pairwise(log))


def test_deterministic_from_the_seed() -> None:
    lines = [[c.line for c in WaybackReplica(WaybackOptions(n_articles=40, seed=seed)).captures] for seed in (5, 5, 6)]
    assert lines[0] == lines[1] != lines[2]


def test_module_serves_in_the_foreground() -> None:
    command = [sys.executable, "-m", "replica.wayback", "--port", "0", "--articles", "40"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
        try:
            first = process.stdout.readline()
            assert first.startswith("CDX:") and first.strip().endswith("/cdx/search/cdx")
            replay = process.stdout.readline().split()[-1]
            status, _, body = get(replay, "/cdx/search/cdx?url=huyendienbien.gov.vn/&output=json")
            assert status == 200 and json.loads(body)[0][0] == "urlkey"
        finally:
            process.terminate()


def test_the_whole_portal_s_captures_hold_what_its_truth_says() -> None:
    from replica.portal import PLAN, REPORT, SCAN

    whole = WaybackReplica(WaybackOptions(whole=True)).truth.whole
    home = whole.pages["/"]
    assert home[-1].defect and [seen for seen in home if seen.defect is None]  # dead now, good before
    assert not whole.pages["/Admin/Login.aspx"]  # linked from every page, never captured
    for path, held in whole.sections.items():
        pages = whole.section_of(path).pages
        assert {seen.page for seen in held if seen.defect is None} == set(range(1, pages + 1)), path
    first = [seen for seen in whole.sections["/ThongBao/"] if seen.page == 1 and seen.timestamp < "20250701"]
    assert first[-1].defect == TRUNCATED and any(seen.defect is None for seen in first)
    assert not whole.files[REPORT.path].captures and not whole.files[PLAN.path].good and whole.files[PLAN.path].captures
    assert whole.files[SCAN.path].good and whole.files[SCAN.path].captures[-1].defect
    albums = whole.albums.values()
    assert [a for a in albums if not a.good] and [a for a in albums if a.good and a.captures[-1].defect]

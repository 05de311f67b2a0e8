"""End-to-end: real crawl processes against the replica over real HTTP, into a real SQLite file."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from conftest import ROOT, assert_archived_as_expected, crawl, fetch, rows, servable, special


def test_full_crawl_archives_every_article_once(crawled):
    replica, db, _ = crawled
    assert_archived_as_expected(replica, db)
    assert rows(db, "pragma journal_mode")[0][0] == "wal"


def test_full_crawl_requests_stay_within_ten_percent(crawled):
    replica, db, requests = crawled
    paths = Counter(urlsplit(path).path.upper() for _, path in requests)
    list_pages = rows(db, "select count(*) from list_pages")[0][0]
    assert list_pages == 192
    pages = [path for _, path in requests if not path.startswith("/Uploads/")]  # images: see test_warc
    assert len(pages) <= 1.1 * (len(replica.articles) + list_pages)
    flaky = special(replica, "flaky-500")
    article_fetches = {path: n for path, n in paths.items() if path.startswith("/T/")}
    assert article_fetches.pop(flaky.path.upper()) == 2  # a 500, then the retry that archived it
    assert set(article_fetches.values()) == {1}  # every other article fetched once, whatever its PageIndex
    assert all("PAGEINDEX" not in path.upper() for _, path in requests if path.upper().startswith("/T/"))


def test_errors_are_recorded_and_robots_obeyed(crawled):
    replica, db, requests = crawled
    dead, forbidden = special(replica, "dead-link"), special(replica, "robots-forbidden")
    errors = {row["url"]: row for row in rows(db, "select * from crawl_errors")}
    assert errors[replica.origin + dead.path]["status"] == 404
    assert errors[replica.origin + forbidden.path]["error"] == "forbidden by robots.txt"
    assert len(errors) == 2
    assert not any(path.upper().startswith(forbidden.path.upper()) for _, path in requests)
    (run,) = rows(db, "select * from crawl_runs")
    assert run["finish_reason"] == "finished"
    assert (run["articles_new"], run["errors"]) == (len(servable(replica)), 2)


def test_user_agent_is_honest(crawled):
    _, db, _ = crawled
    run = rows(db, "select settings from crawl_runs")[0][0]
    assert "portal-archive/" in run and "+http" in run


@pytest.mark.parametrize("theme", ["div", "table", "cms"])
def test_other_markups_are_archived_as_well(replica_factory, tmp_path, theme):
    replica = replica_factory(n_articles=120, theme=theme)
    crawl(replica, tmp_path / "a.db")
    assert_archived_as_expected(replica, tmp_path / "a.db")


def test_recrawl_upserts_and_costs_one_list_page(crawled, tmp_path):
    replica, db, _ = crawled
    copy = tmp_path / "again.db"
    shutil.copy(db, copy)
    before = len(replica.request_log)
    out = crawl(replica, copy)
    requests = [path for _, path in replica.request_log[before:] if path != "/robots.txt"]
    assert requests == ["/Tintuc/?PageIndex=1"]
    assert "0 new" in out.stdout
    before = len(replica.request_log)
    crawl(replica, copy, "--full")
    assert rows(copy, "select count(*), count(distinct url) from articles")[0][:] == (len(servable(replica)),) * 2
    last = rows(copy, "select * from crawl_runs order by id desc limit 1")[0]
    assert (last["articles_new"], last["articles_updated"], last["articles_unchanged"]) == (
        0,
        0,
        len(servable(replica)),
    )
    assert rows(copy, "select count(*) from images")[0][0] == rows(db, "select count(*) from images")[0][0]


def test_scrapy_crawl_command_works_too(replica_factory, tmp_path):
    replica = replica_factory(n_articles=30)
    db = tmp_path / "s.db"
    settings = [f"-sARCHIVE_DB={db}", "-sDOWNLOAD_DELAY=0", "-sAUTOTHROTTLE_ENABLED=0"]
    result = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "portal", "-a", f"start_url={replica.url}", *settings],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert rows(db, "select count(*) from articles")[0][0] == len(servable(replica))


def test_windowed_pager_without_a_declared_total_is_walked_to_the_end(replica_factory, tmp_path):
    """A portal copy whose pager shows only a window of page links and no "a-b of N" is still read in full."""
    replica = replica_factory(n_articles=150)

    class WithoutTotal(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            status, body = fetch(replica.origin + self.path)
            body = re.sub(rb"\d+-\d+ of \d+", b"", body)
            self.send_response(status)
            self.send_header("Content-Type", "text/plain" if self.path.endswith(".txt") else "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    proxy = ThreadingHTTPServer(("127.0.0.1", 0), WithoutTotal)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        db = tmp_path / "w.db"
        origin = f"http://127.0.0.1:{proxy.server_address[1]}"
        assert b" of 150" not in fetch(f"{origin}/Tintuc/?PageIndex=1")[1]
        cli_out = crawl(replica, db, "--start-url", f"{origin}/Tintuc/?PageIndex=1", "--no-warc")
        assert "finished" in cli_out.stdout
        assert rows(db, "select count(*) from list_pages")[0][0] == 15
        assert rows(db, "select count(*) from articles")[0][0] == len(servable(replica))
    finally:
        proxy.shutdown()
        proxy.server_close()

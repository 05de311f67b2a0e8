"""Rescue from a second, independently written imitation of the Wayback Machine (`replica.wayback_independent`,
its author read neither the rescue nor the team's own imitation): every recoverable article once, with its
fields, no junk rows, every lost article named, and no request inside a Retry-After window."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import assert_reads_as, cli, rows

from replica.wayback_independent import IndependentWayback


@pytest.fixture(scope="module")
def rescued(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[IndependentWayback, object, str]]:
    wayback = IndependentWayback(n_articles=40, seed=5, cdx_per_minute=60, replay_per_minute=900)
    db = tmp_path_factory.mktemp("independent-rescue") / "archive.db"
    with wayback.serve(host="127.0.0.1", port=0):
        cli(
            "crawl", "--source", "wayback", "--start-url", wayback.site, "--db", str(db), "--delay", "0",
            "--cdx-url", wayback.cdx_url, "--replay-url", wayback.replay_url,
        )  # fmt: skip
        status = cli("status", "--db", str(db)).stdout
        yield wayback, db, status


def test_every_recoverable_article_is_archived_once_with_its_fields(rescued):
    wayback, db, _ = rescued
    stored = {row["url"]: row for row in rows(db, "select * from articles")}
    recoverable = [t for t in wayback.truth if t.recoverable]
    assert set(stored) == {t.url for t in recoverable}  # no notice, error, soft-404, login or redirect page
    for truth in recoverable:
        assert_reads_as(stored[truth.url], truth.article)
        assert stored[truth.url]["source"] == "wayback"


def test_every_lost_article_is_named(rescued):
    wayback, db, status = rescued
    lost = {t.url for t in wayback.truth if not t.recoverable}
    named = {row["url"] for row in rows(db, "select url from crawl_errors where kind = 'article'")}
    assert lost and lost <= named
    assert f"known but lost: {len(named)}" in status


def test_requests_stay_within_bounds_and_none_falls_inside_a_retry_after_window(rescued):
    wayback, _, _ = rescued
    answered = [r for r in wayback.requests if r.status != 429]
    cdx = sum(r.kind == "cdx" for r in answered)
    replay = sum(r.kind == "replay" for r in answered)
    recoverable = sum(t.recoverable for t in wayback.truth)
    # Two prefix queries (articles, list pages) and their resume pages; replays: each article's copies newest first
    # until one reads, the list pages, and the images (each at most twice: the nearest-capture redirect, then it).
    assert cdx <= 2 + len(wayback.captures) // 1000 + 2
    images = sum(len(t.article.images) for t in wayback.truth if t.recoverable)
    assert replay <= 4 * recoverable + 2 * images
    assert wayback.violations == 0

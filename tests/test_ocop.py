"""OCOP mentions, star ratings and legal references: the labelled set, storage with the article, `analyse`."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from conftest import ROOT, cli, rows
from ocop_labelled import CASES, Case

from archive.analysis import TABLES, analysis_rows
from archive.db import open_db, store_article
from archive.legal import legal_refs
from archive.ocop import normalise_product, sentence_ratings
from replica.corpus import SPECIAL
from scraper.article import Article


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_labelled_article_gives_exactly_its_rows(case: Case):
    found = analysis_rows("id", case.title, case.body, case.published_at)
    assert [(m["sentence"], m["term"]) for m in found.mentions] == list(case.mentions)
    assert [(r["product"], r["stars"], r["producer"], r["sentence"]) for r in found.ratings] == list(case.ratings)
    assert [(r["ref"], r["kind"], r["issuer"], r["year"]) for r in found.refs] == list(case.refs)
    assert bool(found.mentions) is case.is_ocop
    assert {m["published_at"] for m in found.mentions + found.ratings} <= {case.published_at}


@pytest.mark.parametrize(
    "text",
    ["Ngày 17/9", "đến 31/12/2019", "ngày 08/06/2020", "trực 24/7", "tỷ lệ 1/2 số hộ", "Covid-19", "lúc 17h30, 5/10"],
)
def test_a_date_or_fraction_is_never_a_reference(text):
    assert legal_refs(text) == []


def test_product_names_group_across_casing_tone_marks_and_eth():
    forms = ["Mật ong Hoa Ban", "mật ong hoa ban", "Mật ong hoa ban."]
    assert {normalise_product(form) for form in forms} == {"mật ong hoa ban"}
    assert normalise_product("Trà hoà Ðiện Biên thuỷ") == normalise_product("Trà hòa Điện Biên thủy")
    assert normalise_product("Nấm hương") != normalise_product("Năm hương")


def _article(title: str, body: str) -> Article:
    return Article("http://huyendienbien.gov.vn/T/MAT-ONG", title, "2022-11-11T09:00:00+07:00", None, body, "")


def test_rows_are_written_with_the_article_and_replaced_on_a_recrawl(tmp_path):
    path = tmp_path / "archive.db"
    db = open_db(path)
    case = next(case for case in CASES if case.name == "simple")
    for _ in range(2):
        stored = store_article(db, _article(case.title, case.body))
    counts = {table: db[table].count for table in TABLES}
    assert counts == {"ocop_mentions": 1, "ocop_ratings": 1, "legal_refs": 1}
    (rating,) = rows(path, "select * from ocop_ratings")
    assert dict(rating) == {
        "article_id": stored.article_id,
        "published_at": "2022-11-11T09:00:00+07:00",
        "product": "Mật ong hoa ban",
        "product_normalised": "mật ong hoa ban",
        "stars": 4,
        "producer": "HTX Ong mật Điện Biên",
        "sentence": case.body.split(" Đây")[0],
        "attachment": None,  # read from the article itself, not from a document it attaches
    }
    # The portal corrects the article: it is no longer about OCOP; its old rows go with the old text.
    store_article(db, _article("Mật ong hoa ban bán chạy", "Mật ong hoa ban bán chạy trên sàn thương mại điện tử."))
    assert {table: db[table].count for table in TABLES} == {"ocop_mentions": 0, "ocop_ratings": 0, "legal_refs": 0}
    db.close()


def test_analyse_rebuilds_what_the_crawl_wrote(crawled, tmp_path):
    _, crawled_db, _ = crawled
    db = tmp_path / "archive.db"
    connection = sqlite3.connect(crawled_db)
    with sqlite3.connect(db) as copy:
        connection.backup(copy)
    connection.close()
    before = {table: [tuple(row) for row in rows(db, f"select * from {table} order by 1, 2, 3")] for table in TABLES}
    assert all(before.values())
    with sqlite3.connect(db) as connection:
        for table in TABLES:
            connection.execute(f"delete from {table}")
    result = cli("analyze", "--db", str(db))
    after = {table: [tuple(row) for row in rows(db, f"select * from {table} order by 1, 2, 3")] for table in TABLES}
    assert after == before
    articles = rows(db, "select count(*) from articles")[0][0]
    assert f"analysed {articles} articles" in result.stdout
    cli("analyse", "--db", str(db))  # a second run replaces, never duplicates
    assert sum(rows(db, f"select count(*) from {table}")[0][0] for table in TABLES) == sum(map(len, after.values()))


def test_analyse_refuses_what_is_not_an_archive(tmp_path):
    missing, other = tmp_path / "none.db", tmp_path / "notes.db"
    other.write_text("not a database", encoding="utf-8")
    for path, message in ((missing, f"no archive at {missing}"), (other, f"{other} is not an archive")):
        result = subprocess.run(
            [sys.executable, "-m", "archive.cli", "analyze", "--db", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
        assert result.returncode == 2 and message in result.stderr
    assert not missing.exists()
    assert other.read_text(encoding="utf-8") == "not a database"


def test_replica_ocop_articles_are_found_and_hotels_are_not(crawled):
    replica, db, _ = crawled
    ocop_ids = {row[0] for row in rows(db, "select distinct article_id from ocop_mentions")}
    archived = {row["url"]: row["id"] for row in rows(db, "select id, url from articles")}
    for article in replica.articles:
        found = archived.get(replica.origin + article.path)
        if found is None:
            continue  # not archived (gone or forbidden)
        if "ocop-stars" in article.quirks:
            assert found in ocop_ids, article.expected.title
        if "hotel-stars" in article.quirks:
            assert found not in ocop_ids
            assert rows(db, "select * from ocop_ratings where article_id = ?", (found,)) == []


def test_words_that_only_fold_like_a_number_of_stars_are_not_ratings():
    sentence = "Chương trình OCOP ở miền Nam sao cho hiệu quả, Mật ong hoa ban đạt năm sao."
    assert [(r.product, r.stars) for r in sentence_ratings(sentence)] == [("Mật ong hoa ban", 5)]


def test_the_portals_rating_forms_read_from_a_crawled_page(crawled):
    replica, db, _ = crawled
    article = next(a for a in replica.articles if a.slug == SPECIAL["ocop-forms"])
    (article_id,) = rows(db, "select id from articles where url = ?", (replica.origin + article.path,))[0]
    ratings = rows(
        db, "select product, stars, producer from ocop_ratings where article_id = ? order by rowid", (article_id,)
    )
    hua_thanh = "HTX Nông nghiệp Hua Thanh"
    assert [tuple(row) for row in ratings] == [
        ("Chè Shan tuyết Pá Khoang", 4, None),
        ("Cà phê Mường Phăng", 4, None),
        ("Măng khô Hua Thanh", 3, hua_thanh),
        ("Miến dong Hua Thanh", 3, hua_thanh),
        ("Chuối sấy dẻo", 3, hua_thanh),
        ("Gạo Séng cù Mường Thanh", 4, None),  # "nâng hạng từ 3 sao lên bốn sao"; the target and the hotel are not
    ]
    refs = rows(db, "select ref, kind, issuer, year from legal_refs where article_id = ? order by rowid", (article_id,))
    assert [tuple(row) for row in refs] == [
        ("1834/QĐ-UBND", "Quyết định", "Ủy ban nhân dân", None),
        ("02-NQ/HU", "Nghị quyết", "Huyện ủy", None),
        ("61/2018/NĐ-CP", "Nghị định", "Chính phủ", 2018),
    ]

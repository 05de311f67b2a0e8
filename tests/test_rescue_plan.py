"""A rescue's bookkeeping on plain data (CDX rows as the Internet Archive answers them, entries as read): which
copy of a thing is tried next, what an earlier read spares, what is recorded of a thing no copy of which was it,
and what a rescued entry owes."""

from __future__ import annotations

import json
from dataclasses import replace
from urllib.parse import urlsplit

from replica.corpus import generate
from replica.pages import render_list
from scraper import captures, cdx
from scraper.article import Album, Article, Image, ListPage, entry_files
from scraper.extract import parse_list
from scraper.items import ListPageRead, Section, WantedAsset
from scraper.rescue_plan import (
    NEVER_CAPTURED,
    Listed,
    Read,
    Reads,
    Tries,
    asset_tries,
    captured_lists,
    entry_tries,
    listed_on,
    lost,
    wanted_files,
)

SITE = "http://huyendienbien.gov.vn/"
URL = "http://huyendienbien.gov.vn/T/LE-KY-NIEM-70-NAM"
ARTICLE = frozenset((captures.ARTICLE,))


def page(*rows: tuple[str, str, str, str]) -> cdx.Page:
    """The page `URL` of CDX rows (timestamp, original, status, digest), as the Internet Archive answers them."""
    header = ["timestamp", "original", "mimetype", "statuscode", "digest"]
    answer = json.dumps([header, *([ts, url, "text/html", status, digest] for ts, url, status, digest in rows)])
    return cdx.page_of(list(cdx.parse_cdx(answer).captures), URL, None)


NEWEST = ("20240301000000", URL, "200", "NOTICE")
MIDDLE = ("20220301000000", URL, "200", "GOOD")
OLDEST = ("20200301000000", URL, "200", "OLD")


def tried(tries: Tries, reads: Reads, done=ARTICLE) -> list[str | None]:
    """The timestamps `next_copy` hands out, in order, until none is left (None at the end)."""
    order = []
    while (found := tries.next_copy(reads, done)) is not None:
        order.append(found[0].capture.timestamp)
    return [*order, None]


def test_copies_never_read_are_tried_newest_first_then_none_is_left():
    tries = Tries(page(OLDEST, NEWEST, MIDDLE))
    assert tried(tries, Reads({})) == [NEWEST[0], MIDDLE[0], OLDEST[0], None]
    assert tries.reasons == []


def test_a_copy_an_earlier_run_read_as_something_else_is_passed_over_with_its_verdict():
    reads = Reads({(URL, NEWEST[0]): Read("NOTICE", captures.NOTICE)})
    tries = Tries(page(NEWEST, MIDDLE))
    found = tries.next_copy(reads, ARTICLE)
    assert (found[0].capture.timestamp, found[1]) == (MIDDLE[0], None)  # never read: replayed
    assert tries.reasons == [captures.NOTICE]


def test_a_copy_read_before_as_the_thing_is_handed_out_with_that_read_not_replayed():
    listing = ListPage(SITE + "Tintuc/?PageIndex=1", 1, (URL,), (), None, None)
    reads = Reads({(URL, NEWEST[0]): Read("NOTICE", captures.LIST, listing)})
    candidate, read = Tries(page(NEWEST)).next_copy(reads, frozenset((captures.LIST,)))
    assert candidate.capture.timestamp == NEWEST[0] and read.listing == listing


def test_a_content_that_was_not_the_page_is_not_it_under_another_url():
    """The shutdown notice answering at every URL: read once, its digest passes over every other capture of it."""
    reads = Reads({("http://huyendienbien.gov.vn/T/OTHER", "20240101000000"): Read("NOTICE", captures.NOTICE)})
    tries = Tries(page(NEWEST, MIDDLE))
    assert tried(tries, reads) == [MIDDLE[0], None]
    assert tries.reasons == [captures.NOTICE]


def test_remembering_a_read_stores_the_capture_asked_for_and_the_one_served_and_learns_a_bad_digest():
    reads = Reads({})
    asked = cdx.Capture(NEWEST[0], URL, None, "NOTICE")
    served = cdx.Capture("20240301000500", URL, None)  # the archive served a neighbour
    stored = reads.remember(asked, served, captures.NOTICE)
    assert [(read.timestamp, read.digest, read.verdict) for read in stored] == [
        (NEWEST[0], "NOTICE", captures.NOTICE),
        ("20240301000500", "", captures.NOTICE),
    ]
    assert reads.known(cdx.Capture("20250101000000", SITE + "T/ANY", 200, "NOTICE")).verdict == captures.NOTICE
    assert len(reads.remember(asked, cdx.Capture(NEWEST[0], URL, None), captures.NOTICE)) == 1  # served as asked


def test_a_redirect_off_the_portal_or_a_capture_not_held_says_nothing_of_its_content():
    reads = Reads({})
    for verdict, digest in ((captures.OFF_SITE, "A"), (captures.NOT_ARCHIVED, "B"), (captures.ARTICLE, "C")):
        capture = cdx.Capture(NEWEST[0], URL + digest, None, digest)
        reads.remember(capture, capture, verdict)
    assert reads.bad_digests == {}
    assert reads.known(cdx.Capture(NEWEST[0], URL + "A", None, "A")).verdict == captures.OFF_SITE  # the URL's own


def test_a_thing_lost_says_why_each_copy_was_not_it_and_how_many_captures_there_were():
    tries = Tries(page(NEWEST, MIDDLE, ("20230101000000", URL, "503", "-")), "Lễ kỷ niệm 70 năm")
    tries.reasons += [captures.NOTICE, captures.TRUNCATED, "server-error"]
    gone = lost(URL, tries, "article")
    assert (gone.title, gone.reasons, gone.captures, gone.kind) == (
        "Lễ kỷ niệm 70 năm",
        ("notice", "server-error", "truncated"),
        3,
        "article",
    )


def test_a_thing_the_archive_never_held_is_never_captured_with_no_capture_counted():
    probe = cdx.Page(URL, (cdx.Candidate(cdx.Capture(NEWEST[0], URL, None), NEWEST[0]),))  # asked at a list's time
    tries = Tries(probe, reasons=[captures.NOT_ARCHIVED])
    assert (lost(URL, tries, "image").reasons, lost(URL, tries, "image").captures) == ((NEVER_CAPTURED,), 0)
    assert lost(URL, Tries(cdx.Page(URL, ())), "page").reasons == (NEVER_CAPTURED,)


LISTED = Listed(URL, "Lễ kỷ niệm 70 năm", "20230101000000", SITE + "Tintuc/")


def test_an_article_listed_but_not_in_the_cdx_answer_is_asked_at_its_list_page_s_time():
    tries = entry_tries(cdx.Page(URL, ()), LISTED, Section(SITE + "Tintuc/", "Tin tức"), whole=False)
    assert [c.capture for c in tries.page.candidates] == [cdx.Capture(LISTED.timestamp, URL, None)]
    assert (tries.title, tries.section, tries.album) == (LISTED.title, LISTED.section, False)
    # The whole portal's CDX answer holds every capture on the host: what it lacks, the archive lacks.
    assert entry_tries(cdx.Page(URL, ()), LISTED, None, whole=True).page.candidates == ()


def test_an_entry_of_the_photo_library_is_an_album_by_its_list_or_else_by_its_folder():
    library = Section(SITE + "ThuVienAnh/", "Thư viện ảnh")
    album = SITE + "ThuVienAnh/View/LE-HOI-HOA-BAN"
    assert entry_tries(page(MIDDLE), LISTED, library, whole=True).album
    assert entry_tries(cdx.Page(album, page(MIDDLE).candidates), None, None, whole=True).album
    assert not entry_tries(page(MIDDLE), LISTED, Section(SITE + "Tintuc/", "Tin tức"), whole=True).album
    assert not entry_tries(page(MIDDLE), LISTED, library, whole=False).album  # a list-started rescue: articles


def test_an_asset_s_copy_nearest_the_capture_that_showed_it_comes_first_and_its_bad_rows_are_reasons():
    image = SITE + "Uploads/anh.jpg"
    group = [
        cdx.Capture("20200101000000", image, 200, "A", "image/jpeg"),
        cdx.Capture("20220101000000", image, 200, "B", "image/jpeg"),
        cdx.Capture("20240101000000", image, 404, "C", "text/html"),
    ]
    tries = asset_tries(group, WantedAsset(image, "image", "20210101000000"), whole=True)
    assert [c.capture.timestamp for c in tries.page.candidates] == ["20200101000000", "20220101000000"]
    assert tries.reasons == ["not-found"]
    asked = asset_tries([], WantedAsset(image, "image", "20210101000000"), whole=False)
    assert [c.capture for c in asked.page.candidates] == [cdx.Capture("20210101000000", image, None)]


def test_a_rescued_entry_owes_its_images_on_the_portal_and_its_documents_on_the_portal_s_own_host():
    article = Article(
        URL,
        "Lễ kỷ niệm 70 năm",
        "2024-03-01T08:00:00+07:00",
        None,
        "…",
        "<p>…</p>",
        (
            Image("https://www.huyendienbien.gov.vn/Uploads/a.jpg", None, None),
            Image("http://cdn.example.org/b.jpg", None, None),  # not the portal's: not kept
        ),
        documents=("https://www.huyendienbien.gov.vn/Uploads/qd.pdf",),
    )
    assert entry_files(article) == [
        ("https://www.huyendienbien.gov.vn/Uploads/a.jpg", "image"),
        ("https://www.huyendienbien.gov.vn/Uploads/qd.pdf", "attachment"),
    ]
    assert wanted_files(article, NEWEST[0], SITE) == [
        WantedAsset("https://www.huyendienbien.gov.vn/Uploads/a.jpg", "image", NEWEST[0]),
        WantedAsset(SITE + "Uploads/qd.pdf", "attachment", NEWEST[0], URL),
    ]
    album = Album(SITE + "ThuVienAnh/View/LE-HOI", "Lễ hội", None, (Image(SITE + "Uploads/c.jpg", "c", "C"),))
    assert wanted_files(album, NEWEST[0], SITE) == [WantedAsset(SITE + "Uploads/c.jpg", "photo", NEWEST[0])]


def test_a_list_page_read_says_what_its_page_shows():
    listing = ListPage(SITE + "Tintuc/?PageIndex=2", 2, (URL, URL + "-2"), (), 1911, 10)
    read = ListPageRead.of(listing, Section(SITE + "Tintuc/", "Tin tức"), (URL,), "2024-03-01T00:00:00+00:00")
    assert (read.url, read.page, read.declared_total, read.page_size, read.articles, read.entries) == (
        listing.url,
        2,
        1911,
        10,
        2,
        (URL,),
    )


def test_a_captured_list_page_lists_its_entries_and_owes_its_documents_on_the_portal_s_own_host():
    html = render_list(generate(30, 5), 1)
    listing = parse_list(html, "https://www.huyendienbien.gov.vn/Tintuc/?PageIndex=1")
    listing = replace(listing, documents=("https://www.huyendienbien.gov.vn/Uploads/kh.pdf",))
    entries, documents = listed_on(listing, SITE, NEWEST[0], SITE + "Tintuc/")
    assert [e.url for e in entries] == [SITE + urlsplit(url).path.lstrip("/") for url in listing.article_urls]
    assert [e.title for e in entries] == list(listing.article_titles) and all(e.title for e in entries)
    assert {(e.timestamp, e.section) for e in entries} == {(NEWEST[0], SITE + "Tintuc/")}
    assert documents == [WantedAsset(SITE + "Uploads/kh.pdf", "attachment", NEWEST[0], None, SITE + "Tintuc/")]


def test_with_no_good_home_page_discovery_goes_to_the_pages_the_archive_holds_that_could_be_lists():
    held = [
        "http://www.h.vn/Tintuc/?PageIndex=2",  # past page 1
        "https://www.h.vn/ThongBao/",
        "http://h.vn/T/AN-ARTICLE",  # an entry
        "http://h.vn/Uploads/files/a.pdf",  # a document
        "http://h.vn/Tintuc/",
        "http://other.vn/Tintuc/",  # another host
    ]
    groups = cdx.by_page([cdx.Capture("20240101000000", url, 200) for url in held], "http://h.vn/")
    assert captured_lists(groups, "http://h.vn/") == ["http://h.vn/Tintuc/", "http://h.vn/ThongBao/"]

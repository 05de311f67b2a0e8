"""CDX answers and the choice of captures: pure functions over a CDX answer in the Internet Archive's JSON-array
format (written by hand in that format for the portal's URLs: this machine cannot reach the Internet Archive) and
the same captures as pywb's JSON lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper import cdx
from scraper.urls import is_item_url

FIXTURES = Path(__file__).parent / "fixtures"
SITE = "http://huyendienbien.gov.vn"
SEVENTY = f"{SITE}/T/HUYEN-DIEN-BIEN-70-NAM-PHAN-DAU---XAY-DUNG---TRUONG-THANH"
PARTY = f"{SITE}/T/MOT-SO-KET-QUA-NOI-BAT-VE-CONG-TAC-XAY-DUNG-DANG"
START = f"{SITE}/Tintuc/?PageIndex=1"


@pytest.fixture(scope="module")
def ia() -> cdx.CdxPage:
    return cdx.parse_cdx((FIXTURES / "ia_cdx_huyendienbien.json").read_text())


def test_an_internet_archive_answer_reads_into_captures_and_its_resume_key(ia):
    assert len(ia.captures) == 11
    assert ia.captures[0] == cdx.Capture(
        "20191104021533", SEVENTY, 200, "4JYBZ7SQ3O6XZJ2Q5N4Y6PJ6H2FQ2X4R", "text/html"
    )
    assert ia.captures[6].status is None and ia.captures[6].revisit  # a revisit record has no status ("-")
    assert ia.resume_key == "vn%2Cgov%2Chuyendienbien%29%2Ftintuc%3Fpageindex%3D2+20250628220540"


def test_pywb_json_lines_read_into_the_same_captures(ia):
    pywb = cdx.parse_cdx((FIXTURES / "pywb_cdx_huyendienbien.jsonl").read_text())
    assert pywb.captures == ia.captures
    assert pywb.resume_key is None


def _order(pages: dict, url: str) -> list[str]:
    return [candidate.capture.timestamp for candidate in pages[cdx.page_key(url)].candidates]


def test_each_article_s_copies_newest_first_under_its_url_in_the_portal_s_spelling(ia):
    pages = cdx.article_pages(ia.captures, START)
    assert {page.url for page in pages.values()} == {SEVENTY, PARTY, f"{SITE}/T/NOI-BO---LICH-CONG-TAC-TUAN"}
    # PageIndex variants and https://www. fold into one article; the 503 and the 302 are known bad from their row.
    assert _order(pages, SEVENTY) == ["20230922193006", "20210617104112", "20191104021533"]
    assert [reason for _, reason in pages[cdx.page_key(SEVENTY)].rejected] == ["server-error"]
    assert pages[cdx.page_key(SEVENTY)].candidates[0].capture.url.startswith("https://www.")  # as the archive holds it
    # The revisit of 2022 is no copy of its own: it dates its content, whose response record is replayed.
    (party,) = pages[cdx.page_key(PARTY)].candidates
    assert (party.capture.timestamp, party.seen) == ("20200917091548", "20220114030211")
    assert party.seen_at == "2022-01-14T03:02:11+00:00"


def test_as_of_takes_the_newest_copy_at_or_before_the_date_then_the_earliest_after(ia):
    def order(as_of: str) -> list[tuple[str, bool]]:
        page = cdx.article_pages(ia.captures, START, as_of)[cdx.page_key(SEVENTY)]
        return [(c.capture.timestamp, c.after_as_of) for c in page.candidates]

    assert order("20220101000000") == [("20210617104112", False), ("20191104021533", False), ("20230922193006", True)]
    assert order("20190101000000") == [("20191104021533", True), ("20210617104112", True), ("20230922193006", True)]
    assert order("20300101000000")[0] == ("20230922193006", False)


def test_list_pages_are_chosen_apart_from_articles(ia):
    lists = cdx.list_pages(ia.captures, START)
    assert {page.url for page in lists.values()} == {f"{SITE}/Tintuc/?PageIndex=1", f"{SITE}/Tintuc/?PageIndex=2"}
    assert lists[1].candidates[0].capture.timestamp == "20250628220517"
    assert cdx.article_pages(ia.captures, "http://other.gov.vn/Tintuc/") == {}


def test_variants_of_one_url_share_a_key_and_the_portal_s_spelling_wins():
    variants = [f"{SEVENTY}?PageIndex=4", SEVENTY.lower(), SEVENTY.replace("http://", "https://www.")]
    assert len({cdx.page_key(url) for url in variants}) == 1
    assert cdx.spelling(variants, START) == SEVENTY
    assert cdx.spelling([SEVENTY.lower()], START) == SEVENTY.lower()
    assert cdx.spelling([SEVENTY.lower()], START, upper_case=True) == SEVENTY
    assert cdx.upper_case_links([SEVENTY, PARTY]) and not cdx.upper_case_links([f"{SITE}/TinTuc/View/Mixed-Case"])


def test_an_article_captured_only_in_lower_case_is_spelled_as_the_links_of_its_own_folder_spell_theirs():
    mixed, other = f"{SITE}/vanhoa/Tintuc/View/Le-hoi-Thanh-Ban-Phu", f"{SITE}/vanhoa/Tintuc/View/Other-Slug"
    captures = [cdx.Capture("20240101000000", url.lower(), 200, url) for url in (SEVENTY, mixed)]
    linked = {cdx.page_key(url): url for url in (PARTY, other)}  # a whole portal's lists: two folders, two cases
    pages = cdx.article_pages(captures, START, linked=linked, shape=is_item_url)
    assert pages[cdx.page_key(SEVENTY)].url == SEVENTY  # every link of /T/ is in upper case
    assert pages[cdx.page_key(mixed)].url == mixed.lower()  # mixed case cannot be guessed: kept as captured


def test_queries_and_replay_urls_for_the_internet_archive_and_pywb():
    query = cdx.cdx_query(cdx.IA_CDX_URL, "huyendienbien.gov.vn/T/")
    assert "fl=" not in cdx.cdx_query("http://127.0.0.1:8080/my-coll/cdx", "huyendienbien.gov.vn/T/")
    assert query == (
        "https://web.archive.org/cdx/search/cdx?url=huyendienbien.gov.vn%2FT%2F&matchType=prefix&output=json"
        "&limit=5000&fl=timestamp%2Coriginal%2Cmimetype%2Cstatuscode%2Cdigest&showResumeKey=true"
    )
    resumed = cdx.cdx_query(cdx.IA_CDX_URL, "huyendienbien.gov.vn/Tintuc", "vn%2Cgov+2025", 100, collapse=True)
    assert resumed.endswith("&collapse=digest&showResumeKey=true&resumeKey=vn%2Cgov+2025") and "&limit=100&" in resumed
    capture = cdx.Capture("20230922193006", SEVENTY, 200)
    assert cdx.replay_url(cdx.IA_REPLAY_URL, capture) == f"https://web.archive.org/web/20230922193006id_/{SEVENTY}"
    assert cdx.replay_url("http://127.0.0.1:8080/rescue", capture).startswith("http://127.0.0.1:8080/rescue/2023")


def test_the_capture_an_archive_served_is_read_from_its_answer():
    served = "http://127.0.0.1:8080/all/20250630010000id_/http://huyendienbien.gov.vn/T/X"
    assert cdx.replayed_timestamp(served, "Mon, 30 Jun 2025 01:00:07 GMT") == "20250630010007"
    assert cdx.replayed_timestamp(served, None) == "20250630010000"


@pytest.mark.parametrize(
    ("given", "timestamp"),
    [
        ("2023-06-15", "20230615000000"),
        ("2023-06-15T08:30", "20230615083000"),
        ("2023-06-15T08:30:00+07:00", "20230615013000"),
        ("20230615", "20230615000000"),
        ("2023", "20230101000000"),
    ],
)
def test_dates_users_give_become_archive_timestamps(given, timestamp):
    assert cdx.parse_timestamp(given) == timestamp


@pytest.mark.parametrize("given", ["last spring", "20231399", "2023-02-30"])
def test_a_date_that_is_not_one_is_a_clear_error(given):
    with pytest.raises(ValueError, match=f"not a date: '{given}'"):
        cdx.parse_timestamp(given)


@pytest.mark.parametrize("text", ['[["urlkey"', "<html>Service Unavailable</html>", '{"url": "http://x/"}'])
def test_an_answer_that_is_not_cdx_is_a_clear_error(text):
    with pytest.raises(cdx.CdxError):
        cdx.parse_cdx(text)


def test_the_portal_s_own_headers_are_recovered_from_a_raw_replay():
    pywb = [
        ("X-Archive-Orig-Server", "Microsoft-IIS/8.5"),
        ("X-Archive-Orig-Date", "Mon, 30 Jun 2025 01:00:07 GMT"),
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", "8428"),
        ("X-Powered-By", "ASP.NET"),
        ("Memento-Datetime", "Mon, 30 Jun 2025 01:00:07 GMT"),
        ("Link", '<http://huyendienbien.gov.vn/T/X>; rel="original"'),
        ("Content-Location", "http://127.0.0.1:8080/all/20250630010007id_/http://huyendienbien.gov.vn/T/X"),
        ("Date", "Sun, 29 Nov 2026 03:15:36 GMT"),
    ]
    assert cdx.original_headers(pywb) == [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Content-Length", "8428"),
        ("X-Powered-By", "ASP.NET"),
        ("Server", "Microsoft-IIS/8.5"),
        ("Date", "Mon, 30 Jun 2025 01:00:07 GMT"),
    ]


def capture(timestamp: str, url: str, status: int | None = 200, digest: str = "") -> cdx.Capture:
    return cdx.Capture(timestamp, url, status, digest or timestamp, "text/html")


def test_a_list_page_s_copies_are_its_own_page_index_s_and_a_redirect_is_a_copy_after_the_good_ones():
    groups = cdx.by_page(
        [
            capture("20240101000000", f"{SITE}/Tintuc/?PageIndex=2"),
            capture("20230101000000", f"{SITE}/Tintuc/?PageIndex=1"),
            capture("20240601000000", f"{SITE}/Tintuc/", 302),
            capture("20220101000000", f"{SITE}/Tintuc/", 302),
        ],
        START,
    )
    first = cdx.numbered_page_of(groups, START, None)
    assert [c.capture.timestamp for c in first.candidates] == ["20230101000000"]
    assert [c.capture.timestamp for c in cdx.with_redirects(first).candidates] == [
        "20230101000000",
        "20240601000000",  # the redirects, newest first, once no good copy read
        "20220101000000",
    ]


def test_a_thing_the_cdx_was_not_asked_about_is_asked_at_the_time_of_what_showed_it():
    page = cdx.asked_at(cdx.Page(SEVENTY, ()), "20230922193006")
    assert page.candidates == (cdx.Candidate(cdx.Capture("20230922193006", SEVENTY, None), "20230922193006"),)


def test_a_replay_read_where_a_redirect_led_keeps_its_own_spelling_when_it_led_nowhere_else():
    assert cdx.led_to(START, "https://www.huyendienbien.gov.vn/tintuc/?pageindex=1", SITE) == START
    assert cdx.led_to(f"{SITE}/", "https://www.huyendienbien.gov.vn/Tintuc/", SITE) == f"{SITE}/Tintuc/"


def test_a_rescued_copy_is_dated_by_its_sightings_unless_the_archive_served_another_capture():
    candidate = cdx.Candidate(capture("20200917091548", PARTY), "20220114030211", False, "20230101000000")
    assert cdx.sighting(candidate, "20200917091548") == ("20220114030211", "20230101000000")
    assert cdx.sighting(candidate, "20200918000000") == ("20200918000000", "20200918000000")

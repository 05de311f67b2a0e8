"""The list walk on its own: which pages it asks for, on evidence alone, and the ceiling no driver can pass."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.article import ListPage
from scraper.walk import WINDOW, ListWalk


def listing(page: int, articles: range | list[str], total: int | None = None) -> ListPage:
    urls = tuple(f"http://h/T/A{n}" for n in articles) if isinstance(articles, range) else tuple(articles)
    return ListPage(f"http://h/Tintuc/?PageIndex={page}", page, urls, (), total, 10 if total else None)


def walk_list(walk: ListWalk, real_pages: int, total: int | None, beyond: str = "empty") -> list[int]:
    """Drive `walk` over a list of `real_pages` full pages, answering in the order asked; the pages asked for."""
    queue, asked = walk.begin(), []
    while queue:
        page = queue.pop(0)
        asked.append(page)
        if page <= real_pages:
            queue += walk.shown(listing(page, range(10 * page - 9, 10 * page + 1), total))
        elif beyond == "repeat":
            queue += walk.shown(listing(page, range(1, 11), total))
        else:
            queue += walk.empty(page, "HTTP 404" if beyond == "404" else "no article links")
    return asked


def test_a_truthful_total_costs_one_page_past_the_end():
    walk = ListWalk()
    assert walk_list(walk, 7, 70) == list(range(1, 9))
    assert walk.reached_end and walk.end == 8 and walk.disagreement is None


def test_a_total_far_too_big_costs_a_window_and_is_reported():
    walk = ListWalk()
    assert walk_list(walk, 7, 6_412_345) == list(range(1, 8 + WINDOW))
    assert walk.reached_end and walk.end == 8
    assert "6,412,345" in walk.disagreement and "ends at page 7 with 70 articles" in walk.disagreement


def test_a_total_too_small_does_not_end_the_walk():
    walk = ListWalk()
    assert walk_list(walk, 7, 20) == list(range(1, 8 + WINDOW))  # the total set aside once page 3 shows more
    assert len(walk.listed) == 70 and "declares 20" in walk.disagreement


def test_no_total_a_404_or_a_repeat_of_page_one_ends_the_list():
    for beyond in ("empty", "404", "repeat"):
        walk = ListWalk()
        assert max(walk_list(walk, 5, None, beyond)) <= 5 + WINDOW
        assert walk.reached_end and walk.end == 6 and len(walk.listed) == 50


def test_a_page_taken_for_the_end_is_a_failure_once_a_later_page_shows_articles():
    walk = ListWalk()
    walk.begin()
    walk.shown(listing(1, range(1, 11)))
    walk.empty(2, "no article links")
    assert walk.end == 2
    walk.shown(listing(3, range(21, 31)))
    assert walk.misread_ends() == [(2, "no article links")] and walk.failed == {2: "no article links"}
    assert not walk.reached_end


def test_captured_pages_are_walked_in_their_order_with_gaps():
    walk = ListWalk(available=frozenset({1, 2, 5, 9, 40}))
    assert walk.begin() == [1]
    assert walk.shown(listing(1, range(1, 11))) == [2, 5, 9]
    assert walk.shown(listing(2, range(11, 21))) == [40]  # the window counts captured pages, not page numbers
    assert walk.shown(listing(5, range(41, 51))) == []


def test_max_pages_caps_the_walk():
    walk = ListWalk(max_pages=3)
    assert walk_list(walk, 10, 100) == [1, 2, 3]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10), st.booleans(), st.integers(0, 10**9)), max_size=300))
def test_no_sequence_of_answers_passes_the_ceiling(answers):
    """Whatever pages show (new articles, nothing, failures; any declared total), the walk asks for at most
    `2 × pages with new articles + window + 1` pages."""
    walk = ListWalk()
    queue, seen = walk.begin(), 0
    for new, failed, total in answers:
        if not queue:
            break
        page = queue.pop(0)
        if failed:
            queue += walk.lost(page, "HTTP 500")
        elif new:
            queue += walk.shown(listing(page, range(seen, seen + new), total or None))
            seen += new
        else:
            queue += walk.empty(page, "no article links")
        assert len(walk.asked) <= 2 * len(walk.fruitful) + WINDOW + 1


def test_the_ceiling_stops_the_walk_and_says_why():
    walk = ListWalk(hard_limit=5)
    asked = walk_list(walk, 100, 1000)
    assert len(asked) == 5 and "ceiling of 5 pages" in walk.ceiling_hit and walk.stopped

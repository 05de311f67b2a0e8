"""Property-based tests of the pure readers: mutated pages either read or raise `ExtractionError`, and the
pager's declared total is always a number written whole on the page, whatever runs into it."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from conftest import get
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from replica.independent import IndependentPortal
from scraper.extract import PAGER, ExtractionError, parse_article, parse_list

PAGES = Path(__file__).parent / "pages"
HOST = "http://huyendienbien.gov.vn"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LABELS = ("Thời gian đăng:", "Tác giả:", "Các tin bài khác:", "1-10 of 20", "»", "...")


@cache
def pages() -> tuple[tuple[str, str], ...]:
    """Saved pages and pages of the independent replica (as (kind, html)), each read once."""
    saved = [(("list" if "list" in p.name else "article"), p.read_text("utf-8")) for p in sorted(PAGES.glob("*.html"))]
    portal = IndependentPortal(n_articles=25, pager="run_on_digits", beyond="empty", seed=3)
    with portal.serve(host="127.0.0.1", port=0) as base:
        served = [("list", get(portal.list_url)[1]), ("article", get(base + portal.articles[3].path)[1])]
    return (*saved, *served)


def read(kind: str, page: str):
    """The page read as its kind; None when it does not read (ExtractionError). Any other exception fails."""
    try:
        if kind == "list":
            return parse_list(page, f"{HOST}/Tintuc/?PageIndex=1")
        return parse_article(page, f"{HOST}/T/BAI-VIET?PageIndex=2")
    except ExtractionError:
        return None


def written_numbers(page: str) -> set[int]:
    """Every number written whole in one text node of the page (digits with `.`/`,` separators)."""
    texts = list(html.fromstring(page).itertext()) if page.strip() else []
    return {int(re.sub(r"\D", "", n)) for t in texts for n in re.findall(r"\d[\d.,]*", t) if re.sub(r"\D", "", n)}


def against_pager(root: etree._Element, injected: etree._Element) -> bool:
    """Put `injected` right after the pager's text, with nothing between them; False if the page has no pager."""
    for element in root.iter(etree.Element):
        if PAGER.search(element.text or ""):
            element.insert(0, injected)  # after the element's own text, before its first child
            return True
        if PAGER.search(element.tail or ""):
            element.addnext(injected)  # after the element's tail text
            return True
    return False


def mutate(page: str, data) -> str:
    """One random change a copy of the portal might show: cut short, an element dropped or doubled, or digits
    and labels injected next to an element or right against the pager's text."""
    how = data.draw(st.sampled_from(["cut", "drop", "double", "inject", "inject-pager"]))
    if how == "cut":
        return page[: data.draw(st.integers(0, len(page)))]
    root = html.fromstring(page)
    injected = etree.Element(data.draw(st.sampled_from(["a", "span", "b", "em", "div"])))
    injected.text = data.draw(st.one_of(st.from_regex(r"\A[0-9][0-9.,]{0,8}\Z"), st.sampled_from(LABELS)))
    if how == "inject-pager" and against_pager(root, injected):
        return etree.tostring(root, encoding="unicode", method="html")
    elements = [e for e in root.iter(etree.Element) if e.getparent() is not None and e.tag not in ("head", "body")]
    target = elements[data.draw(st.integers(0, len(elements) - 1))]
    if how == "drop":
        target.drop_tree()
    elif how == "double":
        copy = html.fromstring(etree.tostring(target, encoding="unicode"))
        copy.tail = None
        target.addnext(copy)
    else:
        target.addnext(injected)
    return etree.tostring(root, encoding="unicode", method="html")


@FUZZ
@given(st.data())
def test_every_mutated_page_reads_or_raises_extraction_error(data):
    kind, page = data.draw(st.sampled_from(pages()))
    read(kind, mutate(page, data))  # anything but ExtractionError raised fails the test


@FUZZ
@given(st.data())
def test_a_declared_total_is_a_number_written_whole_on_the_page(data):
    kind, page = data.draw(st.sampled_from(pages()))
    mutated = mutate(page, data)
    result = read(kind, mutated)
    if result is not None and result.declared_total is not None:
        assert result.declared_total in written_numbers(mutated)


@FUZZ
@given(st.data())
def test_digits_against_the_pager_never_change_its_total(data):
    with_total = [(kind, page) for kind, page in pages() if (r := read(kind, page)) and r.declared_total]
    kind, page = data.draw(st.sampled_from(with_total))
    root = html.fromstring(page)
    digits = etree.Element(data.draw(st.sampled_from(["a", "span", "b"])))
    digits.text = data.draw(st.from_regex(r"\A[0-9]{1,7}\Z"))
    assert against_pager(root, digits)
    mutated = etree.tostring(root, encoding="unicode", method="html")
    assert read(kind, mutated).declared_total == read(kind, page).declared_total

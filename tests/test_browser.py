"""The reading room in a real browser: Debian Chromium driven by Playwright, against `portal-archive serve`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import rows
from playwright.sync_api import expect, sync_playwright

from replica.corpus import SPECIAL

CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser_page(served) -> Iterator[tuple[object, str, Path]]:
    """A Chromium page and the served crawled replica: (page, base URL, db path)."""
    if not CHROMIUM.exists():
        pytest.fail("Debian chromium is needed at /usr/bin/chromium (`.ci/run` installs it)")
    base, _, db = served
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            yield browser.new_page(), base, db
        finally:
            browser.close()


def test_unaccented_search_finds_the_article_and_opens_it(browser_page):
    page, base, db = browser_page
    (article,) = rows(db, "select id, title, url from articles where url like ?", (f"%/T/{SPECIAL['ocop']}",))
    portal = article["url"].split("/T/")[0]
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(base + "/")
    page.fill("input[name=q]", "mat ong hoa ban")
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/archive/search?*")
    result = page.locator("li.search-result", has=page.locator(f"a[href='/archive/articles/{article['id']}']"))
    expect(result).to_have_count(1)
    marks = result.locator(".snippet mark")
    assert marks.count() >= 2
    assert {m.lower() for m in marks.all_inner_texts()} <= {"mật", "ong", "hoa", "ban"}
    result.locator("h3 a").click()
    page.wait_for_url(f"**/archive/articles/{article['id']}")
    expect(page.locator("article h1")).to_have_text(article["title"])
    expect(page.locator(".article-body")).to_contain_text("HTX Ong mật Điện Biên")
    image = page.locator(".article-body img").first
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), "the article's image did not load"
    assert not [url for url in asked if url.startswith(portal)], "the reading room loaded something from the portal"
    expect(page.locator(".article-images")).to_contain_text("Mật ong hoa ban đạt 4 sao OCOP")


def test_script_injection_article_runs_nothing(browser_page):
    page, base, db = browser_page
    (article,) = rows(db, "select id from articles where url like ?", (f"%/T/{SPECIAL['script-injection']}",))
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{base}/archive/articles/{article['id']}")
    expect(page.locator(".article-body")).to_contain_text("không cung cấp mã OTP")
    for image in page.locator(".article-body img").all():
        image.hover(force=True)
    page.wait_for_timeout(500)
    assert dialogs == []
    assert page.locator("#injected").count() == 0
    assert page.locator(".article-body script, .article-body [onerror]").count() == 0

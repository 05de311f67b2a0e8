"""The reference crawl: a bare Scrapy spider that follows the links our `portal` spider follows and nothing more.

List pages from the pager, each article once at its canonical URL (without `PageIndex`), one field read per
article (its <title>), no pipeline, no storage: the floor Scrapy itself sets for this crawl. It runs with the
scheduling settings of `portal-archive crawl --delay 0` (taken from `archive.crawl.crawl_settings`).

    python bench/bare_spider.py START_URL    # prints {"pages": ..., "titles": ...} as JSON when done
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess
from w3lib.url import url_query_cleaner

from archive.crawl import crawl_settings

# What decides how a crawl is scheduled: the same as our crawl at delay 0.
SAME_AS_OURS = (
    "USER_AGENT",
    "ROBOTSTXT_OBEY",
    "CONCURRENT_REQUESTS",
    "CONCURRENT_REQUESTS_PER_DOMAIN",
    "DOWNLOAD_DELAY",
    "AUTOTHROTTLE_ENABLED",
    "DOWNLOAD_TIMEOUT",
    "COOKIES_ENABLED",
    "TELNETCONSOLE_ENABLED",
)


class BareSpider(scrapy.Spider):
    name = "bare"

    def __init__(self, start_url: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.start_urls = [start_url]

    def parse(self, response):
        for href in response.css("a[href*='/T/']::attr(href)").getall():
            yield response.follow(url_query_cleaner(response.urljoin(href), ["PageIndex"], remove=True), self.article)
        for href in response.css("a[href*='PageIndex']:not([href*='/T/'])::attr(href)").getall():
            yield response.follow(href, self.parse, priority=10)  # list pages first, as our spider does

    def article(self, response):
        yield {"title": response.css("title::text").get()}


def main(start_url: str) -> None:
    ours = crawl_settings(":memory:", delay=0)
    process = CrawlerProcess({name: ours[name] for name in SAME_AS_OURS} | {"LOG_LEVEL": "WARNING"})
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler, start_url=start_url)
    process.start()
    stats = crawler.stats
    print(
        json.dumps(
            {"pages": stats.get_value("response_received_count"), "titles": stats.get_value("item_scraped_count")}
        )
    )


if __name__ == "__main__":
    main(sys.argv[1])

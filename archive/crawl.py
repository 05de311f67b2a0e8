"""Running a crawl into the archive: the project's Scrapy settings for it, and one spider run by name.

The spiders are found through `SPIDER_MODULES` (`scraper.settings`), so nothing here imports them: the spiders
import the archive, never the other way round.
"""

from __future__ import annotations

import json
from pathlib import Path

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings
from scrapy.spiderloader import get_spider_loader
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object

from archive.db import open_db


def crawl_settings(db_path: str | Path, delay: float, log_level: str = "WARNING", **overrides) -> Settings:
    """The project's Scrapy settings for a crawl into `db_path`; `delay` 0 drops politeness (local replica only).

    `overrides` are further Scrapy settings by name (e.g. `DOWNLOAD_TIMEOUT=5`).
    """
    settings = Settings()
    settings.setmodule("scraper.settings", priority="project")
    settings.set("ARCHIVE_DB", str(db_path), priority="cmdline")
    settings.set("LOG_LEVEL", log_level, priority="cmdline")
    settings.set("DOWNLOAD_DELAY", delay, priority="cmdline")
    settings.set("AUTOTHROTTLE_START_DELAY", max(delay, 0.01), priority="cmdline")
    if delay == 0:
        settings.set("AUTOTHROTTLE_ENABLED", False, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS", 16, priority="cmdline")
        settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", 8, priority="cmdline")
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    return settings


def preload(settings: Settings) -> None:
    """Import what a crawl with `settings` loads (its spiders, middlewares, extensions, pipelines and download
    handlers), so that processes forked from this one start their crawls at once: imported in each, they cost
    about 0.3 s a crawl (Scrapy's HTTP handler alone inspects the stack for its deprecated names)."""
    get_spider_loader(settings)
    for name in ("DOWNLOADER_MIDDLEWARES", "SPIDER_MIDDLEWARES", "EXTENSIONS", "ITEM_PIPELINES"):
        for path in build_component_list(settings.getwithbase(name)):
            load_object(path)
    for path in settings.getwithbase("DOWNLOAD_HANDLERS").values():
        if path:
            load_object(path)


def crawl(settings: Settings, source: str = "live", **spider_args) -> dict:
    """Run the `portal` spider (`source` `live`) or the `wayback` one (with `spider_args`) to completion and
    return its `crawl_runs` row, with the `source` it read from."""
    db_path = settings.get("ARCHIVE_DB")
    process = CrawlerProcess(settings)
    process.crawl("wayback" if source == "wayback" else "portal", **spider_args)
    process.start()
    database = open_db(db_path)
    try:
        return next(database.query("select * from crawl_runs order by id desc limit 1")) | {"source": source}
    finally:
        database.close()


def summary(run: dict, db_path: str | Path) -> str:
    """One line that says what a crawl run did."""
    return (
        f"crawl {run['finish_reason']}: {run['pages_fetched']} pages, "
        f"{run['articles_new']} new, {run['articles_updated']} updated, {run['articles_unchanged']} unchanged "
        f"articles, {run['errors']} errors -> {db_path}"
        + (f"\nwarning: {run['list_warning']}" if run.get("list_warning") else "")
        + (f"\nrequests by kind: {_by_kind(run['requests'])}" if run.get("requests") else "")
    )


def _by_kind(requests: str) -> str:
    counts = json.loads(requests)
    return ", ".join(f"{n} {kind}" for kind, n in counts.items()) + f" ({sum(counts.values())} in all)"

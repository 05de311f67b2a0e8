"""Scrapy settings: polite toward a live government server by default.

`portal-archive crawl --delay 0` (for the local replica) turns the throttling off; see `archive.crawl.crawl_settings`.
"""

from scraper import __version__

BOT_NAME = "portal-archive"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

CONTACT_URL = "https://github.com/portal-archive/portal-archive"
USER_AGENT = f"portal-archive/{__version__} (+{CONTACT_URL}; archiving Vietnamese district news)"
ROBOTSTXT_OBEY = True

# One request a second, two at a time at most, slower still when the server slows down.
DOWNLOAD_DELAY = 1.0
# The delay is a floor: Scrapy's default jitter (±50 %) would let two requests to a host come half a delay apart.
DOWNLOAD_DELAY_JITTER = 0
CONCURRENT_REQUESTS = 4
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# The archive pipeline writes to SQLite synchronously, so handling a page's outputs in parallel gains nothing;
# Scrapy's default (100) starts 100 asyncio tasks for every response, about 15% of the crawl's CPU time.
CONCURRENT_ITEMS = 1
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

DOWNLOAD_TIMEOUT = 30
RETRY_ENABLED = True
RETRY_TIMES = 5
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 1.0  # seconds before the first retry; doubled for each one after, plus jitter
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 120.0  # the longest `Retry-After` honoured
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "scraper.retry.BackoffRetryMiddleware": 550,
    "scraper.endpoints.EndpointGate": 900,  # a web archive's endpoints: one request each, Retry-After honoured
    "scraper.warc.WarcCaptureMiddleware": 950,  # below HttpCompressionMiddleware: the bytes as sent
    "scraper.hostdelay.SharedHostDelayMiddleware": 990,  # last before the download: the slot is when it is sent
}
# Politeness per host across every worker (`portal-archive worker`): a Redis URL and the seconds between two
# requests to one host; off when empty. See `scraper.hostdelay`.
HOST_DELAY_REDIS = ""
HOST_DELAY = 0.0

COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"
LOG_INSTALL_ROOT_HANDLER = True
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

ITEM_PIPELINES = {"archive.pipeline.ArchivePipeline": 300}
EXTENSIONS = {"scraper.progress.Progress": 500, "scrapy.extensions.logstats.LogStats": None}

# Where the archive goes (`-s ARCHIVE_DB=PATH` with `scrapy crawl`, `--db` with `portal-archive crawl`).
ARCHIVE_DB = "archive.db"

# WARC capture (`--warc-dir`, default `warc/` beside the database; empty: off). See `scraper.warc`.
WARC_DIR = ""
WARC_MAX_SIZE = 1_000_000_000
WARC_OPERATOR = CONTACT_URL

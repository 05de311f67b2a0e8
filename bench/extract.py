"""Benchmark: extraction alone, ms per article, `scraper.extract.parse_article` against `trafilatura.extract`.

The pages are the 1,911 article pages of the default replica, rendered in memory by the replica's own page
functions (no HTTP). Each extractor reads every page `--runs` times (alternating which goes first); the figure is
the median over runs of (time for all pages / pages). Ours returns title, date, author, body text, sanitised body
HTML and images; trafilatura's default call returns the main text only. One more row shows the floor: building
lxml's tree alone (what both extractors pay before reading anything; ours reads that tree directly).

    python bench/extract.py [--runs 5]    # a table on stdout, the figures in bench/results/extract.json
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

import common
import lxml.html
import trafilatura

from replica.corpus import generate
from replica.model import SITE
from replica.pages import render_article
from replica.server import ReplicaOptions
from scraper.extract import parse_article

TARGET_SPEEDUP = 3.0

EXTRACTORS: dict[str, Callable[[str, str], object]] = {
    "ours": parse_article,
    "trafilatura": lambda html, url: trafilatura.extract(html, url=url),
    "lxml tree only": lambda html, url: lxml.html.fromstring(html),
}


def article_pages() -> list[tuple[str, str]]:
    """(html, url) of every article page of the default replica."""
    options = ReplicaOptions()
    articles = generate(options.n_articles, options.seed)
    return [(render_article(articles, article), SITE + article.path) for article in articles]


def ms_per_article(extract: Callable[[str, str], object], pages: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for html, url in pages:
        extract(html, url)
    return (time.perf_counter() - started) * 1000 / len(pages)


def measure(runs: int) -> dict:
    pages = article_pages()
    samples: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for run in range(runs):
        order = list(EXTRACTORS) if run % 2 == 0 else list(reversed(EXTRACTORS))
        for name in order:
            samples[name].append(ms_per_article(EXTRACTORS[name], pages))
            print(f"run {run + 1}/{runs} {name}: {samples[name][-1]:.2f} ms/article", file=sys.stderr)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    speedup = medians["trafilatura"] / medians["ours"]
    return {
        "runs": runs,
        "pages": len(pages),
        "machine": common.machine(lxml=lxml.__version__, trafilatura=trafilatura.__version__),
        "samples_ms_per_article": samples,
        "median_ms_per_article": medians,
        "speedup_trafilatura_to_ours": speedup,
        "ours_to_lxml_tree": medians["ours"] / medians["lxml tree only"],
        "targets": {f"ours at least {TARGET_SPEEDUP}x faster than trafilatura": speedup >= TARGET_SPEEDUP},
    }


def table(result: dict) -> str:
    lines = [
        f"extraction of {result['pages']} article pages, medians of {result['runs']} runs each",
        f"{'extractor':<15} {'ms/article':>10} {'articles/s':>10}",
    ]
    for name, ms in result["median_ms_per_article"].items():
        lines.append(f"{name:<15} {ms:>10.2f} {1000 / ms:>10.0f}")
    lines.append(f"ours is {result['speedup_trafilatura_to_ours']:.2f}x faster than trafilatura")
    lines.append(f"ours takes {result['ours_to_lxml_tree']:.1f}x the time of building lxml's tree alone")
    lines += [f"target {name}: {'met' if met else 'MISSED'}" for name, met in result["targets"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    common.run("extract", __doc__, measure, table)

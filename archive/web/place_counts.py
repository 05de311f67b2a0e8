"""A search's matches in a national archive counted by portal and year without reading a row of `articles`.

Counting the matches of a common phrase by place in SQL costs a pass over an index of every article (each entry
checked against the matches), or a read of each matching row: at 1,000,000 articles, 300 ms for `hòa giải`'s
606,057 matches. Here the place of every article is held in memory (`PlaceMap`, read once from the (portal, year)
index of an immutable archive: 4 bytes an article), and a search's matches come from the full-text index alone, in
rowid order, as one JSON array for each range of rowids (`parts`, counted side by side). Where rowids run in long
stretches of one portal and year, as `archive.national` merges them, each stretch is counted with a binary search
of the matches; else every match is looked up.
"""

from __future__ import annotations

import bisect
import json
import sqlite3
from array import array
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

MATCHED = (
    "select json_group_array(rowid) from (select rowid from articles_fts"
    " where articles_fts match escape_fts(:search) and rowid >= :low and rowid < :high order by rowid)"
)
# A binary search of the matches costs about ten times a look-up of one match (bench/national.py).
SEARCH_COST = 10


@dataclass(frozen=True)
class PlaceMap:
    """Where each article of an archive is: `groups[rowid]` indexes `places` ((portal, year); 0: no article), and the
    rowids change group at `starts` (run `i` is `starts[i]` up to `starts[i + 1]`, all of group `run_groups[i]`)."""

    groups: array
    places: list[tuple[str | None, int | None] | None]
    starts: array
    run_groups: array


def place_map(conn: sqlite3.Connection) -> PlaceMap:
    """The places of the archive's articles, read from its (portal, year) index (`archive.national`)."""
    top = conn.execute("select coalesce(max(rowid), 0) from articles").fetchone()[0]
    groups = array("I", bytes(4 * (top + 1)))
    places: list = [None]
    numbered: dict[tuple, int] = {}
    for rowid, portal, year in conn.execute("select rowid, portal, year from articles"):  # the index covers it
        group = numbered.get((portal, year))
        if group is None:
            group = numbered[(portal, year)] = len(places)
            places.append((portal, year))
        groups[rowid] = group
    starts, run_groups = array("q"), array("I")
    for rowid, group in enumerate(groups):
        if not run_groups or group != run_groups[-1]:
            starts.append(rowid)
            run_groups.append(group)
    return PlaceMap(groups, places, starts, run_groups)


def parts(places: PlaceMap, count: int) -> list[tuple[int, int]]:
    """`count` ranges of rowids [low, high) that cover the archive, to be counted side by side."""
    top = len(places.groups)
    return [(top * i // count, top * (i + 1) // count) for i in range(count)]


def matches_by_group(conn: sqlite3.Connection, places: PlaceMap, search: str, low: int, high: int) -> Counter:
    """How many articles of each group (`places.places`) with a rowid in [low, high) `search` (`?_search=`)
    matches: read from the full-text index alone."""
    rowids = json.loads(conn.execute(MATCHED, {"search": search, "low": low, "high": high}).fetchone()[0])
    counts: Counter = Counter()
    if len(places.starts) * SEARCH_COST < len(rowids):
        bounds = [*(bisect.bisect_left(rowids, start) for start in places.starts), len(rowids)]
        for group, (first, last) in zip(places.run_groups, pairwise(bounds), strict=True):
            counts[group] += last - first
    else:
        counts.update(map(places.groups.__getitem__, rowids))
    counts.pop(0, None)  # the rowids of no article, between those of others
    return counts


def by_place(places: PlaceMap, counts: Counter) -> list[tuple]:
    """(portal, year, matches) for each group of `counts` with matches."""
    return [(*places.places[group], n) for group, n in counts.items() if n]

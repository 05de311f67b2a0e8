"""The national archive: one read-only archive of every portal's archive under an archive directory.

It is an archive like a portal's (`archive.db`'s schema, the same search index rules), so `portal-archive serve`
serves it with the same reading room; its `articles`, attachments and analysis rows also say where they come from
(`portal`, `province`, `district`), and its `portals` table is the registry with each portal's figures. A later run
brings in only what changed: per portal, the articles that are new, or whose content, fetch time or removal changed
since, or that gained or re-fetched an attachment (one comparison by id against the national copy), with their
images, versions, attachments (whose text the search index holds with the article's) and analysis rows; and the
attachments of the portal's lists that are new or re-fetched.

Each portal's registry row travels with its archive (`DIR/<id>/portal.csv`, written by the crawl), so an archive
handed on alone still says where it is from; `--portals FILE` adds the registry's portals not yet crawled.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import sqlite_utils

from archive import fts
from archive.db import open_db, utc_now
from archive.portal_archives import REGISTRY_ROW, PortalStatus, archive_path, portal_status
from archive.registry import Portal, read_registry

PLACE = {"portal": str, "province": str, "district": str}
PLACED = ("articles", "attachments", "ocop_mentions", "ocop_ratings", "legal_refs")  # rows say where they are from
PER_ARTICLE = ("images", "article_versions", "attachments", "ocop_mentions", "ocop_ratings", "legal_refs")
# An attachment as fetched: one whose row differs in these from the national copy's is new or fetched again.
_SAME_ATTACHMENT = (
    "na.portal = :portal and na.url = sa.url and na.sha256 is sa.sha256 and na.fetched_at is sa.fetched_at"
    " and na.text is sa.text"
)


def archived_portals(archive_dir: str | Path, registry: list[Portal] = ()) -> list[Portal]:
    """The portals with a registry row under `archive_dir`, then those of `registry` without one (the registry's
    row wins for a portal in both)."""
    rows = {p.id: p for path in sorted(Path(archive_dir).glob(f"*/{REGISTRY_ROW}")) for p in read_registry(path)}
    rows.update({p.id: p for p in registry})
    return list(rows.values())


def ensure_schema(db: sqlite_utils.Database) -> None:
    """The national tables on top of an archive's: place columns and their indexes, `portals`."""
    for table in PLACED:
        for column, kind in PLACE.items():
            if column not in db[table].columns_dict:
                db[table].add_column(column, kind)
        for column in PLACE:
            db[table].create_index([column], if_not_exists=True)
    # The place facets read the place of every article from it (archive/web/place_counts.py).
    db["articles"].create_index(["portal", "year"], if_not_exists=True)
    # Two portals may link one document (a province's, say): each keeps its own row of it.
    if db["attachments"].pks != ["portal", "url"]:
        db["attachments"].transform(pk=("portal", "url"))
    db["portals"].create(
        {
            "id": str,
            "province": str,
            "district": str,
            "start_url": str,
            "status": str,
            "gone_since": str,
            "state": str,
            "articles": int,
            "rescued": int,
            "declared_total": int,
            "listed_total": int,
            "first_published": str,
            "last_published": str,
            "last_run": str,
            "merged_at": str,
        },
        pk="id",
        if_not_exists=True,
    )


@dataclass(frozen=True)
class Merged:
    """What one run of `national` did for one portal."""

    portal: str
    changed: int  # articles brought in (new or changed)
    articles: int  # the portal's articles in the national archive now


def _columns(db: sqlite_utils.Database, schema: str, table: str) -> list[str]:
    return [row[1] for row in db.execute(f"pragma {schema}.table_info([{table}])").fetchall()]


def _copy(db: sqlite_utils.Database, portal: Portal, table: str, where: str) -> None:
    """Copy the rows of `table` that `where` selects from the attached portal archive, placed when the table is (the
    portal's row wins over a national one it collides with: a document an article links now, a list before)."""
    shared = [c for c in _columns(db, "src", table) if c in set(_columns(db, "main", table)) - set(PLACE)]
    names = ", ".join(f"[{c}]" for c in shared)
    place = table in PLACED
    db.execute(
        f"insert or replace into main.[{table}] ({names}{', portal, province, district' if place else ''}) "
        f"select {names}{', ?, ?, ?' if place else ''} from src.[{table}] where {where}",
        [portal.id, portal.province, portal.district] if place else [],
    )


def _place_rows(db: sqlite_utils.Database, portal: Portal) -> None:
    """Give every row of `portal` its registry row's province and district (a corrected registry row moves the
    rows merged before it): the place facets count a portal's matches under its registry row's names."""
    for table in PLACED:
        db.execute(
            f"update main.[{table}] set province = :province, district = :district where portal = :portal"
            " and (province is not :province or district is not :district)",
            {"portal": portal.id, "province": portal.province, "district": portal.district},
        )


def merge_portal(db: sqlite_utils.Database, portal: Portal, source: Path) -> int:
    """Bring the new and changed articles of `portal`'s archive at `source` into the national archive; how many."""
    db.execute("attach database ? as src", [str(source)])
    try:
        with db.atomic():
            db.execute("drop table if exists temp.changed")
            db.execute(
                f"""create temp table changed as
                   select s.id, n.id is not null as known from src.articles s left join main.articles n on n.id = s.id
                   where n.id is null or n.content_hash is not s.content_hash or n.fetched_at is not s.fetched_at
                     or n.removed_at is not s.removed_at
                     or exists (select 1 from src.attachments sa where sa.article_id = s.id
                       and not exists (select 1 from main.attachments na where {_SAME_ATTACHMENT}))""",
                {"portal": portal.id},
            )
            known = [row[0] for row in db.execute("select id from temp.changed where known")]
            for article_id in known:
                fts.unindex_article(db, article_id)
            for table in ("articles", *PER_ARTICLE):
                column = "id" if table == "articles" else "article_id"
                db.execute(f"delete from main.[{table}] where [{column}] in (select id from temp.changed)")
                _copy(db, portal, table, f"[{column}] in (select id from temp.changed)")
            # The lists' own attachments (no article's): those new or fetched again.
            listed = "article_id is null and url in (select url from temp.listed)"
            db.execute(
                f"""create temp table listed as select url from src.attachments sa where sa.article_id is null
                    and not exists (select 1 from main.attachments na where {_SAME_ATTACHMENT})""",
                {"portal": portal.id},
            )
            db.execute(f"delete from main.attachments where portal = ? and {listed}", [portal.id])
            _copy(db, portal, "attachments", listed)
            db.execute("drop table temp.listed")
            fts.index_articles(db, "id in (select id from temp.changed)")
            _place_rows(db, portal)
            changed = db.execute("select count(*) from temp.changed").fetchone()[0]
            db.execute("drop table temp.changed")
    finally:
        db.execute("detach database src")
    return changed


def record_portal(db: sqlite_utils.Database, status: PortalStatus) -> None:
    """The portal's row in `portals`: its registry row, state and figures."""
    portal = asdict(status.portal)
    portal["gone_since"] = portal["gone_since"] and portal["gone_since"].isoformat()
    figures = {k: v for k, v in asdict(status).items() if k != "portal"}
    db["portals"].upsert({**portal, **figures, "state": status.state, "merged_at": utc_now()}, pk="id")


def build(archive_dir: str | Path, db_path: str | Path, registry: list[Portal] = ()) -> list[Merged]:
    """Build or bring up to date the national archive at `db_path` from the portal archives under `archive_dir`."""
    db = open_db(db_path)
    try:
        ensure_schema(db)
        merged = []
        for portal in archived_portals(archive_dir, registry):
            source = archive_path(archive_dir, portal.id)
            changed = merge_portal(db, portal, source) if source.exists() else 0
            record_portal(db, portal_status(portal, archive_dir))
            count = next(db.query("select count(*) n from articles where portal = ?", [portal.id]))["n"]
            merged.append(Merged(portal.id, changed, count))
        db.execute("pragma wal_checkpoint(truncate)")  # served immutable: everything in the main file
        return merged
    finally:
        db.close()

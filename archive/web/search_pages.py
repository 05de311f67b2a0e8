"""The search pages inside Datasette: the `search` canned query and `?_search=` on the `articles` table page.

Both match with `escape_fts`, the reader's query under the Vietnamese rules (`archive.search`), over the index
`archive.fts` keeps; the functions they call in SQL are registered here, on every connection Datasette opens.

The table page: Datasette's own filter, `rowid in (select rowid from articles_fts where articles_fts match ...)`,
has SQLite read every matching article by its rowid: for a search matching most of the archive, 64,000 row reads
for the page, as many for the count and again for each facet. With `+rowid` SQLite walks the date, year, month or
author index instead and checks each entry against the matches, which costs about the same whatever the number of
matches and pays only for common words. So the filter first counts the matches up to the point where walking the
index wins (a fraction of a millisecond) and picks the plan. When the page alone reads the filter (its count and
facets are had otherwise), a common word's page is found by testing the newest articles one by one against the
index, which reads no list of matches at all; past the newest `NEWEST`, it walks as before. The metadata gives
`articles` no `fts_table`, so Datasette's filter stays out and this is the only one; the match is `escape_fts` in
every plan.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments

from archive import fts, search

SEARCH_QUERY = "search"  # the canned query's name: `/<db>/search?q=...`
PAGE_SIZE = 20
# Matches are counted exactly up to this many (or to the page asked for), like a search engine's "about": counting
# all 64,000 articles that mention Điện Biên would take a quarter of the time the whole page may take.
COUNTED = 1000

# Best match first or newest first, with filters. Matching is `escape_fts` (Vietnamese rules, archive/search.py),
# the same as `?_search=` on the table. Best match: three tiers, each a single FTS5 match ranked by bm25 (in the
# main index a title word weighs ten times a body word): the articles whose title holds the words as a phrase (read
# from the title index alone), then the other articles where the words stand together as a phrase, then those where
# they are apart. A tier is not searched when those before it fill the pages up to the one asked for: then the
# first page of a common word ranks only the titles that hold it. A title holds a phrase once, so the titles' bm25
# is a tie among thousands of them: past TITLES_RANKED, the first tier comes newest first, found by walking the date
# index against the title matches, or, when one article in DENSE_SHARE has the phrase in its title, by testing the
# newest articles one by one against the title index (bench/national.py). Newest first walks the date index and
# stops at a page. Filters go through indexes, so an article row is read only for the page shown (snippets
# included).
FILTERS = ("year", "month", "author")  # a national archive adds province, district and portal
_FILTER = "(:{column} = '' or {{rowid}} in (select rowid from articles where {column} = :{column}))"
_NEEDED = f"max(1, cast(:page as integer)) * {PAGE_SIZE}"
# A tier is only read when those before it hold fewer than the pages asked for: all their articles, then.
_BEFORE = {2: ("titled",), 3: ("titled", "phrase")}
TITLES_RANKED = 2000
DENSE_SHARE = 40  # titles are dense when one in this many articles holds the phrase
_COUNTED = f"max({COUNTED}, cast(:page as integer) * {PAGE_SIZE})"
_OFFSET = f"limit {PAGE_SIZE} offset max(0, cast(:page as integer) - 1) * {PAGE_SIZE}"


def _tier(tier: int, match: str, filters: str, skip: str = "0") -> str:
    """The articles of one tier of best match first (`match`: the SQL function giving its FTS5 query), best first:
    as many as the pages asked for still need, none when newest first or `skip` holds (a `limit 0` query never
    reads the index)."""
    table, score = (fts.TITLE_TABLE, fts.TITLE_SCORE) if tier == 1 else (fts.TABLE, fts.SCORE)
    before = _BEFORE.get(tier, ())
    wanted = " - ".join([_NEEDED, *(f"(select count(*) from {name})" for name in before)])
    unseen = "".join(f"\n    and {table}.rowid not in (select rowid from {name})" for name in before)
    return f"""select rowid, {tier} as tier, {score} as score from {table}
  where {table} match {match}(:q){unseen}
    and {filters.format(rowid=f"{table}.rowid")}
  order by score limit iif(:sort = 'newest' or {skip}, 0, {wanted})"""


def search_sql(filters: tuple[str, ...] = FILTERS) -> str:
    """The `search` query, filtered by the article columns `filters` (each an optional parameter of that name)."""
    where = "\n    and ".join(_FILTER.format(column=column) for column in filters)
    titles = f"{fts.TITLE_TABLE} where {fts.TITLE_TABLE} match search_title_match(:q)"
    walked = f"""select rowid, 1 as tier, -julianday(published_at) as score from articles a
  where {{matched}} and {where.format(rowid="a.rowid")}
  order by published_at desc limit iif(:sort = 'newest' or (select plan from title_plan) != '{{plan}}', 0, {_NEEDED})"""
    return f"""with dense as materialized (
  select max({TITLES_RANKED} + 1, coalesce((select max(rowid) from articles), 0) / {DENSE_SHARE}) as n
), title_plan as materialized (
  select case when n <= {TITLES_RANKED} then 'rank' when n < (select n from dense) then 'walk' else 'probe' end as plan
  from (select count(*) as n from (
    select 1 from {titles} and {where.format(rowid=f"{fts.TITLE_TABLE}.rowid")} limit (select n from dense)))
), titled as materialized (
  select * from (
  {_tier(1, "search_title_match", where, "(select plan from title_plan) != 'rank'")}
  ) union all select * from (
  {walked.format(matched=f"+a.rowid in (select rowid from {titles})", plan="walk")}
  ) union all select * from (
  {walked.format(matched=f"exists (select 1 from {titles} and {fts.TITLE_TABLE}.rowid = a.rowid)", plan="probe")}
  )
), phrase as materialized (
  {_tier(2, "search_phrase_match", where)}
), scattered as (
  {_tier(3, "escape_fts", where)}
), best as (
  select * from titled union all select * from phrase union all select * from scattered
  order by tier, score
  {_OFFSET}
), newest as (
  select rowid, published_at from articles
  where +rowid in (select rowid from articles_fts where articles_fts match escape_fts(:q))
    and {where.format(rowid="articles.rowid")}
  order by published_at desc
  limit iif(:sort = 'newest', {PAGE_SIZE}, 0) offset max(0, cast(:page as integer) - 1) * {PAGE_SIZE}
), page as (
  select rowid, tier, score, null as published_at from best
  union all
  select rowid, 0, 0, published_at from newest
)
select a.id, a.title, search_highlight(a.title, :q) as title_html, a.published_at, a.author, a.url,
  search_snippet(a.body_text, (select json_group_array(json_array(filename, text)) from attachments
    where article_id = a.id and text is not null), :q) as snippet,
  counted.n as total, counted.n > {_COUNTED} as total_is_more
from page join articles a on a.rowid = page.rowid
  join (select count(*) as n from (
    select 1 from articles_fts where articles_fts match escape_fts(:q) and {where.format(rowid="articles_fts.rowid")}
    limit {_COUNTED} + 1)) as counted
order by page.published_at desc, page.tier, page.score"""


SEARCH_SQL = search_sql()

MMAP_BYTES = 4 << 30


MATCHING = "from articles_fts where articles_fts match escape_fts(:search)"


# The newest articles that a page alone tests one by one: a test costs 20-45 µs, so at most 45 ms are spent before
# the page falls back to walking the index against all the matches (bench/national.py: `hòa giải`, in 61 % of a
# million articles, has its page in 2 ms this way and in 120 ms by the walk). Only for a search that matches one
# article in DENSE or more: then the newest NEWEST hold a page of 50 on average; a rarer word's page is cheaper
# found by the walk (`mật ong`, in 1.8 %: 5 ms, where testing the newest costs 23 ms). The share is estimated on
# SAMPLED stretches of 200 rowids spread over the archive (0.2-0.7 ms at 1,000,000 articles, where counting up to
# one in DENSE took 6-20 ms).
NEWEST = 1000
DENSE = 20
SAMPLED = 10
_SAMPLE = f"""with stretches(low) as (
  select (select max(rowid) from articles) * value / {SAMPLED} from json_each('[{",".join(map(str, range(SAMPLED)))}]')
)
select count(*) as matched, {SAMPLED * 200} as sampled from stretches cross join articles_fts
  on articles_fts match escape_fts(:search) and articles_fts.rowid >= low and articles_fts.rowid < low + 200"""
PLANS = ("rowid", "+rowid", "newest")


def match_clause(plan: str) -> str:
    """The filter of the `articles` rows a `?_search=` matches (`PLANS`): by `rowid` (reading the rows), `+rowid`
    (walking an index against the matches) or `newest` (the newest articles tested one by one, the others walked)."""
    if plan == "newest":
        newest = f"select rowid from articles order by published_at desc limit {NEWEST}"
        tested = f"exists (select 1 {MATCHING} and articles_fts.rowid = articles.rowid)"
        return f"((+rowid in ({newest}) and {tested}) or (+rowid not in ({newest}) and {match_clause('+rowid')}))"
    return f"{plan} in (select rowid {MATCHING})"


# From this many matches walking an index beats reading the rows: for one page of rows (ordered by date), and for
# a page with its count and three facets (bench/search.py: 64,000 matches, 0.3 s → see README). A walk costs as
# much as the archive is large, reading the rows as many as match, and reading one row costs more in a larger file:
# in 1,000,000 articles the walk wins for a page with count and facets from ~6 % of them (bench/national.py).
MANY_FOR_PAGE = 5_000
MANY_FOR_FACETS = 30_000
SHARE_FOR_FACETS = 0.06
# The scope key of a request whose page alone reads the search's filter: its count and facets are had otherwise
# (archive.web.national_pages). Set by a filter hook that runs before this module's.
PAGE_ONLY = "portal_archive.page_only"


async def match_plan(db, search: str, many: int) -> str:
    """`+rowid` (walk an index) when `search` matches at least `many` articles, else `rowid` (read the rows): known
    from a count that stops at `many`, a fraction of a millisecond."""
    counted = await db.execute(
        f"select count(*) from (select 1 {MATCHING} limit :many)", {"search": search, "many": many}
    )
    return "+rowid" if counted.single_value() >= many else "rowid"


async def dense(db, search: str) -> bool:
    """Whether `search` matches about one article in DENSE or more, by its matches in a sample (`_SAMPLE`)."""
    sample = (await db.execute(_SAMPLE, {"search": search})).first()
    return sample["matched"] * DENSE >= sample["sampled"]


def article_count(datasette, database: str) -> int:
    """How many articles the archive holds: counted by `portal-archive serve` before serving it immutable (0 when
    not known)."""
    tables = ((datasette.inspect_data or {}).get(database) or {}).get("tables") or {}
    return tables.get("articles", {}).get("count", 0)


async def search_filter(request, db, articles: int = 0) -> FilterArguments:
    """The `_search` filter of the `articles` table page (the search box is shown with or without a search);
    `articles`: how many the archive holds, when known."""
    search = request.args.get("_search")
    if not search:
        return FilterArguments([], extra_context={"supports_search": True})
    page_only = (
        request.args.get("_shape") in ("array", "object")
        or (request.args.get("_nofacet") and request.args.get("_nocount"))
        or request.scope.get(PAGE_ONLY)
    )
    many = MANY_FOR_PAGE if page_only else max(MANY_FOR_FACETS, int(SHARE_FOR_FACETS * articles))
    plan = await match_plan(db, search, many)
    if page_only and plan == "+rowid" and await dense(db, search):
        plan = "newest"
    return FilterArguments(
        [match_clause(plan)],
        {"search": search},
        [f'search matches "{search}"'],
        {"supports_search": True, "search": search},
    )


@hookimpl(trylast=True)
def prepare_connection(conn) -> None:
    # Registered after Datasette's own `escape_fts`, so `?_search=` and the `search` query use Vietnamese rules.
    conn.create_function("escape_fts", 1, search.fts_query, deterministic=True)
    conn.create_function("search_phrase_match", 1, search.phrase_match, deterministic=True)
    conn.create_function("search_title_match", 1, search.title_phrase_match, deterministic=True)
    conn.create_function("search_snippet", 3, search.snippet_with_attachments, deterministic=True)
    conn.create_function("search_highlight", 2, search.highlight, deterministic=True)
    # Read the archive through memory mapping: a search's count and facets look up tens of thousands of article rows,
    # twice as fast without a read() call each (bench/search.py). SQLite as Debian builds it maps at most the first
    # 2 GB of a file (its MAX_MMAP_SIZE); a national archive's rows past them are read.
    conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    if table != "articles":
        return None

    async def filter_articles():
        return await search_filter(request, datasette.get_database(database), article_count(datasette, database))

    return filter_articles


@hookimpl
def extra_template_vars(view_name, database, request, datasette):
    if view_name != "row" and request is not None and request.url_vars.get("table") == SEARCH_QUERY:
        return search_form_vars(datasette, database)
    return {}


def search_form_vars(datasette, database):
    """What the search form offers (years and authors, with their article counts) and the results' page size."""

    async def form() -> dict:
        db = datasette.get_database(database)
        years = await db.execute("select year, count(*) n from articles group by year order by year desc")
        authors = await db.execute(
            "select author, count(*) n from articles where author != '' group by author order by n desc, author"
        )
        return {
            "search_years": [dict(r) for r in years.rows],
            "search_authors": [dict(r) for r in authors.rows],
            "search_page_size": PAGE_SIZE,
        }

    return form

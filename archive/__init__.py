"""The archive: storing what the crawl reads (SQLite), analysing it, serving it (`archive.web`), and the
`portal-archive` command (`archive.cli`)."""

"""What runs inside Datasette: the reading room's pages, the search pages, the history page, the image route, and
the metadata and command line that `portal-archive serve` gives Datasette."""

"""`python -m replica`: serve the portal replica in the foreground until Ctrl-C."""

import argparse
import contextlib
import threading

from replica.server import ReplicaOptions, start
from replica.themes import THEMES


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, serve, print the news list's first page URL."""
    parser = argparse.ArgumentParser(prog="python -m replica", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--articles", type=int, default=1911)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--theme", choices=tuple(THEMES), default="ul")
    parser.add_argument("--new-articles", type=int, default=0, help="articles published since the base corpus")
    parser.add_argument("--chaos", type=float, default=0.0, help="share of requests that fail (0-1)")
    parser.add_argument("--chaos-seed", type=int, help="seed of the faults (default: --seed)")
    parser.add_argument("--stall-seconds", type=float, default=5.0, help="how long a stalled request hangs")
    parser.add_argument("--no-sitemap", action="store_true", help="serve no sitemap.xml")
    args = parser.parse_args(argv)
    options = ReplicaOptions(
        args.articles,
        args.seed,
        args.theme,
        new_articles=args.new_articles,
        chaos=args.chaos,
        chaos_seed=args.seed if args.chaos_seed is None else args.chaos_seed,
        stall_seconds=args.stall_seconds,
        sitemap=not args.no_sitemap,
    )
    with start(options, args.host, args.port) as replica:
        print(replica.url, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

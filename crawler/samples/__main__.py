"""Serve the sample sites until Ctrl-C (or SIGTERM): ``python -m crawler.samples [--port N]``."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from crawler.samples.server import SampleSites


def _stop(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.samples",
                                     description="Serve the bundled sample news sites.")
    parser.add_argument("--port", type=int, default=0, help="port for every site (0: any free)")
    args = parser.parse_args(argv)
    # Both stop the servers cleanly, also when started in the background, where the
    # shell has Python inherit SIGINT ignored.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        sites = SampleSites(port=args.port).start()
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    try:
        for name, url in sites.base_urls.items():
            print(f"{name:12} {url}/")
        print(f"{'offsite':12} {sites.offsite_url}/  (linked, never to be crawled)")
        print("\n# marsad configuration for these sites:\n")
        print(sites.sources_toml(), flush=True)
        # A comment, so that everything after the heading pastes as a configuration.
        print("# Serving; press Ctrl-C to stop.", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        sites.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Start moto's server on a free loopback port, print it, and stop on stdin EOF.

Used by the local runner and by every integration-test binary, so that a
moto server never outlives the process that started it.
"""
import logging
import sys

from moto.server import ThreadedMotoServer


def main() -> None:
    # One line per request drowns the runner's own logs.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _host, port = server.get_host_and_port()
    print(f"MOTO_PORT={port}", flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    server.stop()


if __name__ == "__main__":
    main()

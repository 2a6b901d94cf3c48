"""Fail loudly when the PostgreSQL server the test suite needs cannot be reached.

``make test`` runs the hub suite a second time on PostgreSQL; a missing server must
fail CI instead of silently skipping half of it. Usage:
``python -m ledgerbridge.hub.core.pgcheck postgres://user@host:5432/dbname``.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m ledgerbridge.hub.core.pgcheck DATABASE_URL", file=sys.stderr)
        return 2
    import psycopg

    url = argv[0].replace("postgres://", "postgresql://", 1)
    try:
        with psycopg.connect(url, connect_timeout=5, dbname="postgres") as conn:
            version = conn.execute("SHOW server_version").fetchone()
    except psycopg.Error as err:
        print(f"PostgreSQL is not reachable at {argv[0]}: {err}", file=sys.stderr)
        return 1
    print(f"PostgreSQL {version[0] if version else '?'} reachable at {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

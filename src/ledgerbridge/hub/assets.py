"""Fetch the pinned front-end files from the npm registry at install time.

Third-party front-end code is never committed. ``assets.lock.json`` at the project root
pins each npm package by version and sha512 integrity (as a package-lock does); this
module downloads the tarballs, checks the integrity and copies the listed files to
``hub/web/static/vendor/``. No Node.js is needed. ``npm_config_registry`` overrides
the registry, as it does for npm.

Run as ``python -m ledgerbridge.hub.assets fetch``; files already present and intact
are not downloaded again.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LOCK = ROOT / "assets.lock.json"
VENDOR = Path(__file__).resolve().parent / "web" / "static" / "vendor"


def _integrity_ok(blob: bytes, integrity: str) -> bool:
    algorithm, _, expected = integrity.partition("-")
    digest = hashlib.new(algorithm, blob).digest()
    return base64.b64encode(digest).decode() == expected


def _tarball_url(registry: str, name: str, version: str) -> str:
    basename = name.rsplit("/", 1)[-1]
    return f"{registry.rstrip('/')}/{name}/-/{basename}-{version}.tgz"


def fetch(lock: Path = LOCK, vendor: Path = VENDOR) -> list[Path]:
    spec = json.loads(lock.read_text("utf-8"))
    override = os.environ.get("npm_config_registry")  # noqa: SIM112  # npm's own spelling
    registry: str = override or spec["registry"]
    stamp_dir = vendor / ".stamps"
    written: list[Path] = []
    for package in spec["packages"]:
        stamp = stamp_dir / f"{package['name']}@{package['version']}"
        targets = [vendor / target for target in package["files"].values()]
        if stamp.exists() and all(t.exists() for t in targets):
            continue
        url = _tarball_url(registry, package["name"], package["version"])
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310  # https URL from the lock file
            blob: bytes = response.read()
        if not _integrity_ok(blob, package["integrity"]):
            msg = f"{package['name']}@{package['version']}: integrity mismatch for {url}"
            raise RuntimeError(msg)
        with tarfile.open(fileobj=io.BytesIO(blob), mode="r:gz") as archive:
            for member_name, target_name in package["files"].items():
                member = archive.extractfile(member_name)
                if member is None:
                    msg = f"{member_name} missing from {url}"
                    raise RuntimeError(msg)
                target = vendor / target_name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(member.read())
                written.append(target)
        stamp_dir.mkdir(parents=True, exist_ok=True)
        stamp.touch()
    return written


def main(argv: list[str]) -> int:
    if argv != ["fetch"]:
        print("usage: python -m ledgerbridge.hub.assets fetch", file=sys.stderr)
        return 2
    for path in fetch():
        print(f"fetched {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The ledgerbridge console script: one entry point for the library, the agent and the hub.

Subcommands that need the hub import Django only when they run, so ``ledgerbridge read``
works from a plain ``pip install ledgerbridge`` without the ``hub`` extra.

- ``read FILE...``: read documents with :mod:`ledgerbridge.formats` (``--json`` for the contract).
- ``serve``: migrate, then the web server (granian, WSGI, bounded threads) and the task worker.
- ``worker``: only the task worker.  ``migrate``: apply database migrations.
- ``createadmin``, ``token create``, ``org create|list``, ``plan set|list``,
  ``links list``, ``audit verify``, ``check``: hub administration.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from typing import TYPE_CHECKING

from ledgerbridge.hub.config import env as hub_env
from ledgerbridge.hub.config.front import FRONT_KEY

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

SETTINGS = "ledgerbridge.hub.config.settings"


def _django(argv: Sequence[str]) -> int:
    """Run a Django management command in this process."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS)
    try:
        from django.core.management import execute_from_command_line
    except ImportError:  # pragma: no cover - depends on the installed extras
        print("the hub is not installed: pip install 'ledgerbridge[hub]'", file=sys.stderr)
        return 2
    try:
        execute_from_command_line(["ledgerbridge", *argv])
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def _serve(args: argparse.Namespace) -> int:
    """Migrate, bootstrap the demo data once, then run granian and the worker side by side."""
    steps = (
        ["migrate", "--no-input", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["bootstrap"],
    )
    for step in steps:
        if code := _django(step):
            return code
    python = sys.executable
    # granian listens on a loopback port of its own behind the front, which reads every
    # request whole under deadlines first: a slow client holds a coroutine, not a thread.
    # (granian 2.8's --uds binds without listening.)
    backend = _free_loopback_port()
    web = [
        python, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
        "--port", str(backend),
        "--workers", str(args.workers), "--blocking-threads", str(args.threads), "--no-ws",
        "ledgerbridge.hub.config.wsgi:behind_front",
    ]  # fmt: skip
    front = [
        python, "-m", "ledgerbridge.hub.config.front", "--host", args.host,
        "--port", str(args.port), "--backend", str(backend),
        "--max-body-bytes", str(args.max_upload_bytes + 1024 * 1024),
        "--connections-per-client", str(args.client_connections),
    ]  # fmt: skip
    worker = [python, "-m", "ledgerbridge.cli", "worker"]
    inbox = [python, "-m", "ledgerbridge.cli", "inbox", "serve", "--host", args.inbox_host,
             "--port", str(args.inbox_port)]  # fmt: skip
    # The front proves its peer header to the web app with a key only these children know.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": SETTINGS, FRONT_KEY: secrets.token_hex(16)}
    print(f"ledgerbridge hub on http://{args.host}:{args.port}/  (Ctrl+C stops it)", flush=True)
    if args.host == "127.0.0.1":
        # Browsers refuse an IP address as WebAuthn relying party; localhost is the same
        # loopback interface and a secure context.
        print(f"passkeys need a name: use http://localhost:{args.port}/ for them", flush=True)
    commands = [web, front, worker] if args.with_worker else [web, front]
    if args.inbox_port:
        commands.append(inbox)
        print(f"e-mail inbox (LMTP) on {args.inbox_host}:{args.inbox_port}", flush=True)
    # Each child leads a process group of its own, so that Ctrl-C in the terminal reaches
    # only this process and the stop below reaches granian's workers with their master.
    # Fixed argv of our own modules, no shell, no user input.
    processes = [
        subprocess.Popen(cmd, env=env, process_group=0)  # noqa: S603
        for cmd in commands
    ]
    return _supervise(processes)


def _free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _supervise(processes: list[subprocess.Popen[bytes]]) -> int:
    """Wait until one child stops or we are told to stop; then stop them all."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping and all(p.poll() is None for p in processes):
        time.sleep(0.2)
    _stop_groups(processes, grace=STOP_GRACE_SECONDS)
    codes = [p.returncode for p in processes]
    return 0 if stopping else next((c for c in codes if c), 1)


# How long the children get to finish what they are doing before they are killed: a web
# request or a task in flight, well below the 10 s a service manager usually waits.
STOP_GRACE_SECONDS = 5.0


def _stop_groups(processes: list[subprocess.Popen[bytes]], *, grace: float) -> None:
    """SIGTERM to each child's process group, then SIGKILL to the groups still there.

    A whole group, because granian's workers are its children: signalling granian alone
    once left a worker answering requests long after ``serve`` had returned.
    """
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(deadline - time.monotonic(), 0))
    for process in processes:
        # Also when the leader has gone: a worker it left behind still holds the group.
        _signal_group(process, signal.SIGKILL)
        process.wait()


def _signal_group(process: subprocess.Popen[bytes], signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def _worker(rest: list[str]) -> int:
    """Re-enqueue what a killed worker left behind, checkpoint the audit chains, schedule
    the orphan file sweep, then run the database task worker."""
    if code := _django(["requeue_outbox"]):
        return code
    # A broken audit chain is reported on stderr (and by every `audit verify`), but must
    # not stop documents from being delivered: the exit code is not the worker's business.
    _django(["audit", "checkpoint"])
    if code := _django(["sweep_files", "--schedule"]):
        return code
    return _django(["db_worker", "--queue-name", "*", *rest])


def _read(args: argparse.Namespace) -> int:
    from ledgerbridge.formats import cli as formats_cli

    code: int = formats_cli.run(args)
    return code


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ledgerbridge", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    read = sub.add_parser("read", help="read business documents and print what they hold")
    from ledgerbridge.formats import cli as formats_cli

    formats_cli.add_arguments(read)
    read.set_defaults(handler=_read)

    # The defaults come from the hub's one reader of the environment (no Django needed).
    config = hub_env.read(os.environ)
    serve = sub.add_parser("serve", help="migrate, then run the web server and the worker")
    serve.add_argument("--host", default=config.host)
    serve.add_argument("--port", type=int, default=config.port)
    serve.add_argument("--workers", type=int, default=config.web_workers)
    serve.add_argument("--threads", type=int, default=config.web_threads)
    serve.add_argument(
        "--client-connections",
        type=int,
        default=config.client_connections,
        help="open connections one client address may hold",
    )
    serve.add_argument(
        "--no-worker",
        dest="with_worker",
        action="store_false",
        help="do not start the task worker (run 'ledgerbridge worker' elsewhere)",
    )
    serve.add_argument("--inbox-host", default=config.inbox_host)
    serve.add_argument(
        "--inbox-port",
        type=int,
        default=config.inbox_port,
        help="LMTP port of the e-mail inbox; 0 turns it off",
    )
    # The front's body cap follows the upload cap of the same configuration read.
    serve.set_defaults(handler=_serve, max_upload_bytes=config.max_upload_bytes)
    for name, help_text in _DJANGO_HELP.items():
        # Listed for --help only: main() hands these to Django before argparse sees them.
        sub.add_parser(name, help=help_text, add_help=False)
    return parser


# Hub administration commands are Django management commands; these names pass through.
_DJANGO_COMMANDS: dict[str, Callable[[list[str]], list[str]]] = {
    "migrate": lambda rest: ["migrate", *rest],
    "createadmin": lambda rest: ["createadmin", *rest],
    "token": lambda rest: ["token", *rest],
    "org": lambda rest: ["org", *rest],
    "plan": lambda rest: ["plan", *rest],
    "audit": lambda rest: ["audit", *rest],
    "links": lambda rest: ["links", *rest],
    "check": lambda rest: ["check", *rest],
    "bootstrap": lambda rest: ["bootstrap", *rest],
    "upload": lambda rest: ["upload", *rest],
    "inbox": lambda rest: ["inbox", *rest],
    "manage": lambda rest: list(rest),
}


_DJANGO_HELP = {
    "worker": "run the background task worker only",
    "migrate": "apply database migrations",
    "createadmin": "create an administrator (--email, --password, --org)",
    "token": "API tokens: token create --user EMAIL --org TAXID_OR_SLUG --permissions ...",
    "org": "organizations: org create --name N --tax-id T --country CC --kind K "
    "--admin-email E [--plan P] | org list",
    "plan": "plans: plan set --org X PLAN | plan list",
    "audit": "audit log: audit verify checks every hash chain",
    "links": "client links: links list --org SLUG_TAXID_OR_ID",
    "check": "run the hub's system checks",
    "bootstrap": "create the demo organization and admin on first start",
    "upload": "upload FILE... --org TAXID_OR_SLUG [--user EMAIL] [--keep-unreadable]",
    "inbox": "e-mail inbox: inbox address --org X | inbox serve [--host] [--port]",
    "manage": "any Django management command",
}


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "worker":
        return _worker(argv[1:])
    if argv and argv[0] in _DJANGO_COMMANDS:
        return _django(_DJANGO_COMMANDS[argv[0]](argv[1:]))
    args = _parser().parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())

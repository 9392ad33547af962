"""The ``vcd-conformance`` command line.

Exit codes are fixed: 0 conforms, 1 violations found, 2 usage or environment
error, 3 internal error. Counts go in the output, never in the exit status.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ConformanceError

if TYPE_CHECKING:
    from .violations import Violation

EXIT_OK, EXIT_VIOLATIONS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse exits 2 on usage errors too
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vcd-conformance",
        description="Conformance checks for the VMware vCloud Director API.",
    )
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser("check", help="check payload files against the documented API")
    check.add_argument("payloads", nargs="+", metavar="PAYLOAD", help="XML file, or - for stdin")
    check.add_argument("--media-type", help="Content-Type the payloads were sent with")
    check.add_argument("--api-version", help="negotiated API version (default: from --media-type)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument(
        "--select",
        action="append",
        metavar="CHECK",
        help="run only these checks (id or family, e.g. schema); repeatable",
    )
    check.add_argument("--schemas", metavar="PATH", help="XSD bundle to use")
    check.add_argument("--strict", action="store_true", help="warnings fail too")
    check.add_argument("--max-bytes", type=int, default=None, help="size cap per payload")
    check.set_defaults(func=cmd_check)

    audit = sub.add_parser("audit", help="check recorded traffic (vcrpy, Ruby VCR, HAR)")
    audit.add_argument("recordings", nargs="+", metavar="FILE")
    audit.add_argument("--format", choices=("text", "json"), default="text")
    audit.add_argument("--schemas", metavar="PATH", help="XSD bundle to use")
    audit.add_argument("--strict", action="store_true", help="warnings fail too")
    audit.set_defaults(func=cmd_audit)

    run = sub.add_parser(
        "run",
        help="run the conformance suite (default: against the embedded simulator)",
        description="Run the documented examples. Options not listed here go to pytest "
        "(e.g. -k vapp, -m browsing, -n auto, --vcd-sim-fault NAME).",
    )
    run.add_argument("--url", help="a live cloud's URL (default: the embedded simulator)")
    run.add_argument("--org", help="tenant organization of the live cloud")
    run.add_argument("--user", help="tenant user (password from $VCD_PASSWORD or a prompt)")
    run.add_argument("--system-user", help="system administrator ($VCD_SYSTEM_PASSWORD)")
    run.add_argument("--record", action="store_true", help="record cassettes while running")
    run.add_argument("--replay", metavar="DIR", help="replay cassettes from DIR, offline")
    run.add_argument(
        "--cassettes",
        default="cassettes",
        metavar="DIR",
        help="where --record writes (default: ./cassettes)",
    )
    run.add_argument("--api-version", action="append", default=[], metavar="V")
    run.add_argument("--read-only", action="store_true", help="send nothing but GET")
    run.add_argument("--fuzz", action="store_true", help="also run the fuzz area (writes!)")
    run.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    run.add_argument(
        "--reports",
        default="reports",
        metavar="DIR",
        help="where the run's report folder goes (default: ./reports)",
    )
    run.add_argument("--profile", default=None, help="conformance profile for the verdict")
    run.set_defaults(func=cmd_run)

    selftest = sub.add_parser("selftest", help="prove the suite catches every simulator fault")
    selftest.add_argument("--workers", type=int, default=2, help="parallel processes (default 2)")
    selftest.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="only these faults (default: all of `sim --list-faults`)",
    )
    selftest.add_argument("--json", metavar="PATH", help="also write the matrix as JSON")
    selftest.set_defaults(func=cmd_selftest)

    clean = sub.add_parser("cleanup", help="remove objects earlier runs left behind (vcdc-*)")
    clean.add_argument("--url", default=os.environ.get("VCD_URL"), help="cloud URL ($VCD_URL)")
    clean.add_argument("--org", default=os.environ.get("VCD_ORG"))
    clean.add_argument("--user", default=os.environ.get("VCD_USER"))
    clean.add_argument("--system-user", default=os.environ.get("VCD_SYSTEM_USER"))
    clean.add_argument("--run-id", help="only this run's objects (default: every run's)")
    clean.add_argument("--insecure", action="store_true")
    clean.set_defaults(func=cmd_cleanup)

    from .reporting.cli import add_report_parser

    add_report_parser(sub)

    listing = sub.add_parser("checks", help="list every check with its id")
    listing.set_defaults(func=cmd_checks)

    schemas = sub.add_parser("schemas", help="inspect or fetch XSD bundles")
    schemas_sub = schemas.add_subparsers(
        dest="schemas_command", metavar="ACTION", parser_class=_Parser, required=True
    )
    fetch = schemas_sub.add_parser("fetch", help="download a cloud's own schemas into xsd/<host>/")
    fetch.add_argument("url", help="the cloud's API URL, e.g. https://vcloud.example.com/api")
    fetch.add_argument("--dest", default="xsd", help="folder for bundles (default: ./xsd)")
    fetch.add_argument("--insecure", action="store_true", help="do not verify TLS certificates")
    fetch.add_argument("--timeout", type=float, default=30.0)
    fetch.set_defaults(func=cmd_schemas_fetch)
    sim = sub.add_parser("sim", help="run the embedded reference cloud (a vCD simulator)")
    sim.add_argument("--host", default="127.0.0.1")
    sim.add_argument("--port", type=int, default=0, help="0 picks a free port")
    sim.add_argument("--tls", action="store_true", help="https with a self-signed certificate")
    sim.add_argument(
        "--api-versions",
        nargs="+",
        metavar="V",
        help="versions to serve (default: 1.5 5.1 5.5 29.0-36.0)",
    )
    sim.add_argument(
        "--task-speed",
        type=float,
        default=1.0,
        help="task clock multiplier (10 = tasks finish 10x faster)",
    )
    sim.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="NAME",
        help="switch on a named deviation (repeatable; see --list-faults)",
    )
    sim.add_argument("--list-faults", action="store_true", help="list faults and exit")
    sim.add_argument(
        "--state", metavar="FILE", help="load the inventory from FILE and save it there"
    )
    sim.add_argument("--schemas", metavar="PATH", help="XSD bundle to validate with and serve")
    sim.set_defaults(func=cmd_sim)

    info = schemas_sub.add_parser("info", help="where the bundle is and what it holds")
    info.add_argument("--schemas", metavar="PATH")
    info.set_defaults(func=cmd_schemas_info)
    return parser


def _version() -> str:
    from . import __version__

    return f"vcd-conformance {__version__}"


# -- check ---------------------------------------------------------------------


def cmd_check(args: argparse.Namespace) -> int:
    from . import checks
    from .payload import Payload
    from .safexml import MAX_BYTES
    from .versions import ApiVersion

    version = ApiVersion.parse(args.api_version) if args.api_version else None
    selected = checks.select(args.select)
    context = checks.Context(schemas=args.schemas)
    context.registry  # noqa: B018  (locate and compile up front: a missing bundle is exit 2)
    results: list[tuple[str, list[Violation]]] = []
    for name in args.payloads:
        body = _read(name)
        payload = Payload(
            body, args.media_type, version, source=name, max_bytes=args.max_bytes or MAX_BYTES
        )
        results.append((name, checks.run_checks(payload, context, selected)))
    return _report(results, args.format, args.strict)


def _report(results: list[tuple[str, list[Violation]]], fmt: str, strict: bool) -> int:
    """Print what check/audit found (text for people, or the JSON shape); the exit code."""
    rows: list[dict[str, Any]] = []
    for path, violations in results:
        errors = [v for v in violations if v.severity.value == "error" or strict]
        rows.append({"path": path, "ok": not errors, "violations": violations})
    if fmt == "json":
        out = {
            "files": [
                {
                    "path": r["path"],
                    "ok": r["ok"],
                    "violations": [v.to_dict() for v in r["violations"]],
                }
                for r in rows
            ]
        }
        sys.stdout.write(json.dumps(out, indent=2) + "\n")
    else:
        _print_text(rows)
    return EXIT_OK if all(r["ok"] for r in rows) else EXIT_VIOLATIONS


def _read(name: str) -> bytes:
    if name == "-":
        return sys.stdin.buffer.read()
    path = Path(name)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _UsageExit(f"no such file: {name}") from None
    except IsADirectoryError:
        raise _UsageExit(f"{name} is a directory; pass payload files") from None
    except OSError as exc:
        raise _UsageExit(f"cannot read {name}: {exc.strerror}") from None


def _print_text(results: list[dict[str, Any]]) -> None:
    total = 0
    for result in results:
        for v in result["violations"]:
            total += 1
            line = f":{v.line}" if v.line else ""
            tag = "" if v.severity.value == "error" else f" ({v.severity.value})"
            sys.stdout.write(f"{result['path']}{line}: {v.check}{tag}: {v.message}\n")
    conforming = sum(1 for r in results if r["ok"])
    sys.stdout.write(
        f"{len(results)} payload(s) checked, {conforming} conform, {total} violation(s)\n"
    )


# -- checks / schemas ------------------------------------------------------------


def cmd_checks(args: argparse.Namespace) -> int:
    from . import checks

    for check in checks.all_checks(None):
        sys.stdout.write(f"{check.id:22} [{check.scope}] {check.description}\n")
    return EXIT_OK


def cmd_schemas_fetch(args: argparse.Namespace) -> int:
    from .schemafetch import describe, fetch

    dest = fetch(args.url, Path(args.dest), timeout=args.timeout, verify=not args.insecure)
    sys.stdout.write(f"fetched {describe(dest)}\nuse it with: --schemas {dest}\n")
    return EXIT_OK


def cmd_schemas_info(args: argparse.Namespace) -> int:
    from .schemas import get_registry

    registry = get_registry(args.schemas)
    index = registry.index
    sys.stdout.write(
        f"bundle: {registry.bundle.root} ({registry.bundle.kind})\n"
        f"schema files: {len(index.docs)}\n"
        f"media types: {len(registry.media_types)}\n"
        f"version-marked declarations: {len(index.local)} local, "
        f"{len(index.global_ranges)} global\n"
        f"errata applied: {', '.join(e.id for e in index.errata_applied) or 'none'}\n"
    )
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from . import checks
    from .audit import audit_file

    context = checks.Context(schemas=args.schemas)
    context.registry  # noqa: B018  (a missing bundle is exit 2 before any file is read)
    results: list[tuple[str, list[Violation]]] = []
    for name in args.recordings:
        path = Path(name)
        if not path.is_file():
            raise _UsageExit(f"no such file: {name}")
        results.extend((entry.path, entry.violations) for entry in audit_file(path, name, context))
    return _report(results, args.format, args.strict)


def cmd_run(args: argparse.Namespace, extra: list[str]) -> int:
    import secrets
    import time

    import pytest

    run_id = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + "-" + secrets.token_hex(2)
    folder = Path(args.reports) / run_id
    mode = "replay" if args.replay else "record" if args.record else "live" if args.url else "sim"
    pytest_args = [
        "--pyargs",
        "conformance.guide",
        "-p",
        "no:cacheprovider",
        # Plugins the suite's own run does not use cost seconds at start-up.
        "-p",
        "no:schemathesis",
        "-p",
        "no:hypothesispytest",
        "-p",
        "no:benchmark",
        "--assert=plain",
        "-o",
        "addopts=",
        "-o",
        "testpaths=",
        "--vcd-mode",
        mode,
        f"--vcd-report={args.reports}",
        "--vcd-run-id",
        run_id,
        "--junitxml",
        str(folder / "junit.xml"),
        "--alluredir",
        str(folder / "allure-results"),
        "-rfE",
        "--tb=line",
    ]
    if args.replay:
        pytest_args += ["--vcd-cassettes", args.replay]
    elif args.record:
        pytest_args += ["--vcd-cassettes", args.cassettes]
    for flag, value in (
        ("--vcd-url", args.url),
        ("--vcd-org", args.org),
        ("--vcd-user", args.user),
        ("--vcd-system-user", args.system_user),
        ("--vcd-profile", args.profile),
    ):
        if value:
            pytest_args += [flag, value]
    for version in args.api_version:
        pytest_args += ["--vcd-api-version", version]
    if args.read_only:
        pytest_args.append("--vcd-read-only")
    if args.fuzz:
        pytest_args.append("--vcd-fuzz")
    if args.insecure:
        pytest_args.append("--vcd-insecure")
    code = int(pytest.main(pytest_args + extra))
    sys.stdout.write(f"vcd-conformance: run {run_id} finished; report in {folder}\n")
    return {0: EXIT_OK, 1: EXIT_VIOLATIONS, 5: EXIT_VIOLATIONS}.get(
        code, EXIT_USAGE if code in (2, 4) else EXIT_INTERNAL
    )


def cmd_cleanup(args: argparse.Namespace) -> int:
    from .cleanup import sweep
    from .suite import _password
    from .target import Target

    if not (args.url and args.org and args.user):
        raise _UsageExit("cleanup needs --url, --org and --user (or $VCD_URL, $VCD_ORG, $VCD_USER)")
    password = _password("VCD_PASSWORD", f"{args.user}@{args.org}")
    if not password:
        raise _UsageExit("set VCD_PASSWORD (passwords are never taken from the command line)")
    system_password = (
        _password("VCD_SYSTEM_PASSWORD", f"{args.system_user}@System") if args.system_user else None
    )
    target = Target(
        args.url,
        args.org,
        args.user,
        password,
        args.system_user,
        system_password,
        verify=not args.insecure,
    )
    report = sweep(target, args.run_id)
    for item in report.removed:
        sys.stdout.write(f"removed {item}\n")
    for item in report.failed:
        sys.stdout.write(f"FAILED {item}\n")
    sys.stdout.write(f"{len(report.removed)} removed, {len(report.failed)} failed\n")
    return EXIT_VIOLATIONS if report.failed else EXIT_OK


def cmd_selftest(args: argparse.Namespace) -> int:
    from .selftest import passed, render, selftest, write
    from .simulator.faults import describe

    for name in args.fault:
        describe(name)
    matrix = selftest(workers=args.workers, faults=args.fault or None)
    sys.stdout.write(render(matrix) + "\n")
    if args.json:
        write(matrix, Path(args.json))
    return EXIT_OK if passed(matrix) else EXIT_VIOLATIONS


def cmd_sim(args: argparse.Namespace) -> int:
    from .simulator.faults import FAULTS

    if args.list_faults:
        width = max(len(f.name) for f in FAULTS)
        for fault in FAULTS:
            sys.stdout.write(f"{fault.name:{width}}  [{fault.area}] {fault.description}\n")
        return EXIT_OK
    from .simulator.cloud import SimConfig
    from .simulator.faults import describe
    from .simulator.server import SimServer, serve_forever
    from .versions import KNOWN_VERSIONS, ApiVersion

    for name in args.fault:
        describe(name)  # unknown names are a usage error listing the valid ones
    if args.task_speed <= 0:
        raise _UsageExit("--task-speed must be greater than 0")
    versions = (
        tuple(ApiVersion.parse(v) for v in args.api_versions)
        if args.api_versions
        else KNOWN_VERSIONS
    )
    config = SimConfig(
        api_versions=versions,
        task_speed=args.task_speed,
        faults=tuple(args.fault),
        state_file=Path(args.state) if args.state else None,
        schemas=args.schemas,
    )
    try:
        server = SimServer(config, host=args.host, port=args.port, tls=args.tls)
    except OSError as exc:
        raise _UsageExit(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    server.cloud.registry  # noqa: B018  (a missing bundle is a clear error before listening)

    def announce(text: str) -> None:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
        sys.stderr.write(
            f"vcd-conformance: simulator listening on {server.url} (Ctrl-C stops it)\n"
        )

    serve_forever(server, announce)
    return EXIT_OK


# -- entry point ---------------------------------------------------------------


class _UsageExit(Exception):
    pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra and getattr(args, "func", None) is not cmd_run:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args.func(args, extra) if args.func is cmd_run else args.func(args)
        return code
    except (_UsageExit, ConformanceError) as exc:
        sys.stderr.write(f"vcd-conformance: error: {exc}\n")
        return EXIT_USAGE
    except KeyboardInterrupt:
        sys.stderr.write("vcd-conformance: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: say so plainly, traceback only on request
        if os.environ.get("VCD_CONFORMANCE_DEBUG"):
            raise
        sys.stderr.write(
            f"vcd-conformance: internal error: {type(exc).__name__}: {exc}\n"
            "(set VCD_CONFORMANCE_DEBUG=1 for the traceback, and please report it)\n"
        )
        return EXIT_INTERNAL


def run() -> None:
    sys.exit(main())

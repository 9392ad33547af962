"""One conformance run: options, target (simulator, live cloud or cassettes), results.

The pytest plugin builds a :class:`Suite` from its options; each generated test
asks it to run one example at one API version. Nothing here imports pytest.
"""

from __future__ import annotations

import contextlib
import getpass
import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from . import cassettes, examples, safexml
from .client import VcdClient, tls_verify
from .errors import ConformanceError, PayloadError, ReplayMissError, UsageError
from .examples import SUITE_VERSIONS, Example
from .redaction import Redactor
from .results import ExampleResult
from .runner import Runner
from .target import Target
from .versions import ApiVersion

MODES = ("sim", "live", "record", "replay")
SUITE_FILE = "suite.json"
#: Task speed of the embedded simulator during a suite run (tasks take ~25 ms).
SIM_TASK_SPEED = 100.0
#: First wait between task polls against it: a little more than one task's length.
SIM_POLL_DELAY = 0.03


@dataclass
class Options:
    mode: str = "sim"
    url: str | None = None
    org: str | None = None
    user: str | None = None
    system_user: str | None = None
    versions: tuple[ApiVersion, ...] = ()
    cassettes: Path = Path("cassettes")
    insecure: bool = False
    read_only: bool = False
    timeout: float = 30.0
    task_timeout: float = 120.0
    faults: tuple[str, ...] = ()
    catalog: str | None = None
    template: str | None = None
    schemas: str | None = None
    reports: Path | None = None
    run_id: str | None = None
    profile: str | None = None

    def validate(self) -> None:
        if self.mode not in MODES:
            raise UsageError(f"--vcd-mode {self.mode!r}: choose one of {', '.join(MODES)}")
        if self.mode in ("live",) and not self.url:
            raise UsageError("--vcd-mode live needs --vcd-url (or $VCD_URL)")
        if self.mode in ("live", "record") and self.url and not (self.org and self.user):
            raise UsageError("a live cloud needs --vcd-org and --vcd-user (or $VCD_ORG, $VCD_USER)")
        if self.faults and self.mode != "sim":
            raise UsageError("--vcd-sim-fault only applies to --vcd-mode sim")
        if self.timeout <= 0 or self.task_timeout <= 0:
            raise UsageError("--vcd-timeout and --vcd-task-timeout must be positive")
        unknown = [str(v) for v in self.versions if v not in SUITE_VERSIONS]
        if unknown:
            raise UsageError(
                f"--vcd-api-version {', '.join(unknown)}: the catalogue covers "
                f"{', '.join(map(str, SUITE_VERSIONS))}"
            )
        if self.profile or self.run_id:
            from .reporting import profiles, writer

            if self.profile:
                profiles.load(self.profile)  # unknown: the error lists the valid profiles
            if self.run_id:
                writer.check_run_id(self.run_id)
        if self.faults:
            from .simulator.faults import describe

            for name in self.faults:
                describe(name)


def _password(variable: str, who: str) -> str | None:
    value = os.environ.get(variable)
    if value:
        return value
    if sys.stdin is not None and sys.stdin.isatty():
        return getpass.getpass(f"password for {who}: ")
    return None


#: JSON object of the embedded simulator's passwords (``{"tenant": ..., "system": ...}``);
#: unset, every start generates new ones. Tests that scan artifacts for leaks set it.
SIM_PASSWORDS_ENV = "VCD_SIM_PASSWORDS"


def sim_passwords() -> dict[str, str]:
    """The simulator passwords ``$VCD_SIM_PASSWORDS`` fixes (empty: generate them)."""
    raw = os.environ.get(SIM_PASSWORDS_ENV)
    if not raw:
        return {}
    try:
        data = json.loads(raw)
    except ValueError:
        data = None
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise UsageError(
            f"${SIM_PASSWORDS_ENV} must be a JSON object such as "
            '{"tenant": "...", "system": "..."}'
        )
    return data


@dataclass
class Suite:
    options: Options
    results: list[ExampleResult] = field(default_factory=list)
    #: Result dicts gathered by the plugin on the controller (from every worker).
    collected: list[dict[str, Any]] = field(default_factory=list)
    started: float = field(default_factory=time.time)
    _target: Target | None = None
    _server: Any = None
    _versions: tuple[ApiVersion, ...] | None = None
    redactor: Redactor = field(default_factory=Redactor)
    #: What the end-of-run sweep removed or could not remove (live clouds only).
    sweep_notes: list[str] = field(default_factory=list)

    # -- target -------------------------------------------------------------------------------
    @property
    def uses_simulator(self) -> bool:
        return self.options.mode == "sim" or (
            self.options.mode == "record" and not self.options.url
        )

    def target(self) -> Target:
        if self._target is None:
            self._target = self._make_target()
            self.redactor.add(self._target.password, self._target.system_password)
        return self._target

    def _make_target(self) -> Target:
        o = self.options
        if o.mode == "replay":
            meta = self.recorded_meta()
            return Target(
                cassettes.PLACEHOLDER,
                meta["org"],
                meta["user"],
                "replayed",
                meta.get("system_user"),
                "replayed",
                catalog=meta.get("catalog"),
                template=meta.get("template", "ubuntu-small"),
                eula_template=meta.get("eula_template"),
                run_id=cassettes.RUN_TOKEN,
                replay=True,
                timeout=o.timeout,
                task_timeout=o.task_timeout,
            )
        if self.uses_simulator:
            from .schemas import get_registry
            from .simulator.cloud import SimConfig
            from .simulator.server import SimServer

            # The simulator shapes and proves every answer with the XSDs: a missing
            # bundle is a usage error naming where it was looked for, not 500s later.
            get_registry(o.schemas)

            self._server = SimServer(
                SimConfig(
                    task_speed=SIM_TASK_SPEED,
                    faults=o.faults,
                    schemas=o.schemas,
                    passwords=sim_passwords(),
                )
            ).start()
            pw = self._server.cloud.passwords
            return Target(
                self._server.url,
                "acme",
                "alice",
                pw["tenant"],
                "administrator",
                pw["system"],
                catalog=o.catalog,
                template=o.template or "ubuntu-small",
                timeout=o.timeout,
                task_timeout=o.task_timeout,
                read_only=o.read_only,
                poll_delay=SIM_POLL_DELAY,
            )
        assert o.url and o.org and o.user
        password = _password("VCD_PASSWORD", f"{o.user}@{o.org}")
        if not password:
            raise UsageError("set VCD_PASSWORD (passwords are never taken from the command line)")
        system_password = (
            _password("VCD_SYSTEM_PASSWORD", f"{o.system_user}@System") if o.system_user else None
        )
        return Target(
            o.url,
            o.org,
            o.user,
            password,
            o.system_user,
            system_password,
            catalog=o.catalog,
            template=o.template or "ubuntu-small",
            eula_template=None if o.template else "licensed-appliance",
            verify=not o.insecure,
            timeout=o.timeout,
            task_timeout=o.task_timeout,
            read_only=o.read_only,
        )

    def recorded_meta(self) -> dict[str, Any]:
        path = self.options.cassettes / SUITE_FILE
        try:
            data: dict[str, Any] = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            raise UsageError(
                f"no cassettes at {self.options.cassettes} ({path} is missing); "
                "record them with --vcd-mode record"
            ) from None
        return data

    def close(self) -> None:
        """End the run: sweep what a live cloud still holds of it, stop the simulator."""
        live = self.options.mode in ("live", "record") and not self.uses_simulator
        if self._target is not None and live and not self.options.read_only:
            from .cleanup import sweep

            try:
                report = sweep(self._target, self._target.run_id)
                self.sweep_notes = [
                    f"left by this run, removed at its end: {r}" for r in report.removed
                ]
                self.sweep_notes += [f"could not remove: {f}" for f in report.failed]
            except ConformanceError as exc:
                self.sweep_notes = [
                    f"end-of-run cleanup failed: {self.redactor.text(str(exc))}; "
                    "run `vcd-conformance cleanup` later"
                ]
        if self._server is not None:
            self._server.stop()
            self._server = None

    # -- versions ------------------------------------------------------------------------------
    def versions(self) -> tuple[ApiVersion, ...]:
        """Versions to run: as asked, else every suite version the target serves."""
        if self._versions is None:
            self._versions = self._discover_versions()
        return self._versions

    def _discover_versions(self) -> tuple[ApiVersion, ...]:
        if self.options.versions:
            return self.options.versions
        if self.options.mode == "replay":
            root = self.options.cassettes
            return tuple(v for v in SUITE_VERSIONS if (root / str(v)).is_dir())
        target = self.target()
        # through the suite's client: timeout, bounded retries, body cap, safe parsing
        with VcdClient(
            target.url, SUITE_VERSIONS[0], verify=target.verify, timeout=target.timeout
        ) as client:
            url = f"{client.api}/versions"
            try:
                exchange = client.request("GET", url, auth=False)
                if exchange.status != 200:
                    raise ConformanceError(f"GET {url} answered {exchange.status}")
                try:
                    root = safexml.parse(exchange.response_body)
                except PayloadError as exc:
                    kind = exchange.content_type or "no Content-Type"
                    raise ConformanceError(f"GET {url} answered {kind}, not XML ({exc})") from None
            except ConformanceError as exc:
                raise ConformanceError(f"cannot list the versions of {target.url}: {exc}") from None
        served = set()
        for element in root.iter():
            if isinstance(element.tag, str) and element.tag.rpartition("}")[2] == "Version":
                with contextlib.suppress(ValueError):
                    served.add(ApiVersion.parse((element.text or "").strip()))
        return tuple(v for v in SUITE_VERSIONS if v in served)

    def cases(self) -> list[tuple[Example, ApiVersion]]:
        catalogue = examples.load()
        return [(ex, v) for v in self.versions() for ex in catalogue if ex.applies_to(v)]

    # -- running --------------------------------------------------------------------------------
    def run(self, example: Example, version: ApiVersion) -> ExampleResult:
        """Run one example; anything unforeseen becomes an error result naming it, not a crash."""
        try:
            return self._run_one(example, version)
        except Exception as exc:
            where = self.redactor.url(self._target.url) if self._target else "the target"
            result = ExampleResult.failed_to_run(
                example,
                str(version),
                self.redactor.text(
                    f"internal error running {example.id} @ API {version} against {where}: "
                    f"{type(exc).__name__}: {exc} (please report it)"
                ),
            )
            self.results.append(result)
            return result

    def _run_one(self, example: Example, version: ApiVersion) -> ExampleResult:
        target = self.target()
        mode = self.options.mode
        label = f"{example.id} @ API {version}"
        if mode not in ("record", "replay"):
            result = Runner(target, version, redactor=self.redactor).run(example)
        else:
            path = cassettes.path_for(
                self.options.cassettes, str(version), example.area, example.id
            )
            scrubber = (
                cassettes.Scrubber(self.redactor, target.url, target.run_id)
                if mode == "record"
                else None
            )
            try:
                with cassettes.use(path, mode, scrubber) as cassette:

                    def transport() -> httpx.BaseTransport:
                        inner = httpx.HTTPTransport(verify=tls_verify(target.verify))
                        return cassettes.MissTranslating(inner, label, path, cassette)

                    runner = Runner(
                        target, version, transport_factory=transport, redactor=self.redactor
                    )
                    result = runner.run(example)
            except ReplayMissError as exc:
                result = ExampleResult.failed_to_run(example, str(version), str(exc))
            if mode == "record":
                self._write_meta()
        self.results.append(result)
        return result

    def _write_meta(self) -> None:
        target = self.target()
        path = self.options.cassettes / SUITE_FILE
        if path.exists():
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "org": target.org,
            "user": target.user,
            "system_user": target.system_user,
            "catalog": target.catalog,
            "template": target.template,
            "eula_template": target.eula_template,
            "recorded_with": "embedded simulator" if self.uses_simulator else "live cloud",
        }
        path.write_text(json.dumps(meta, indent=2) + "\n", "utf-8")

"""The pytest plugin (entry point ``pytest11: vcd``): options, markers, fixtures.

Hooks and fixtures only; :mod:`conformance.suite` does the work. Generated
tests are ``example-id@version`` items of ``conformance/guide/test_examples.py``.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

import pytest

from .errors import ConformanceError, SchemaBundleNotFoundError, UsageError
from .schemas import SchemaRegistry, get_registry
from .suite import MODES, Options, Suite
from .versions import ApiVersion

SUITE_KEY = pytest.StashKey[Suite]()
#: The folder of the generated test modules (test_examples.py, test_fuzz.py).
GUIDE = Path(__file__).parent / "guide"
REPORT_KEY = pytest.StashKey[Path]()
RESULT_PROPERTY = "vcd_result"

AREA_HELP = {
    "browsing": "Exploring a Cloud: sessions, orgs, VDCs, catalogs",
    "provisioning": "Provisioning an Organization: templates, media, catalog items",
    "vapp": "Deploying and Operating vApps: create, deploy, power, delete",
    "config": "Configuring vApps and VMs: sections through their edit links",
    "admin": "Creating and Managing Organizations: admin views, users, catalogs",
    "metadata": "Working With Object Metadata",
    "query": "Using the Query Service",
    "tasks": "Tasks: watch, cancel, tasksList",
    "blocking": "Configuring and Using Blocking Tasks",
    "extension": "Extension services' tasks",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("vcd", "vCloud Director conformance")
    add = group.addoption
    add(
        "--vcd-mode",
        choices=MODES,
        default="sim",
        help="sim (default: embedded simulator), live, record (cassettes), replay (offline)",
    )
    add("--vcd-url", default=os.environ.get("VCD_URL"), help="cloud URL (default: $VCD_URL)")
    add("--vcd-org", default=os.environ.get("VCD_ORG"), help="tenant organization ($VCD_ORG)")
    add(
        "--vcd-user",
        default=os.environ.get("VCD_USER"),
        help="tenant user ($VCD_USER); the password comes from $VCD_PASSWORD or a prompt, "
        "never argv",
    )
    add(
        "--vcd-system-user",
        default=os.environ.get("VCD_SYSTEM_USER"),
        help="system administrator for admin examples ($VCD_SYSTEM_USER; "
        "password $VCD_SYSTEM_PASSWORD)",
    )
    add(
        "--vcd-api-version",
        action="append",
        default=[],
        metavar="V",
        help="API version to run (repeatable; default: every suite version the cloud lists)",
    )
    add(
        "--vcd-cassettes",
        default="cassettes",
        metavar="DIR",
        help="cassette folder for record/replay",
    )
    add("--vcd-insecure", action="store_true", help="do not verify TLS certificates")
    add(
        "--vcd-read-only",
        action="store_true",
        help="send nothing but GET (plus login/logout): refused at the transport",
    )
    add("--vcd-timeout", type=float, default=30.0, help="per-request timeout in seconds")
    add("--vcd-task-timeout", type=float, default=120.0, help="how long to watch one task")
    add(
        "--vcd-sim-fault",
        action="append",
        default=[],
        metavar="NAME",
        help="switch on a simulator deviation (repeatable; "
        "see `vcd-conformance sim --list-faults`)",
    )
    add("--vcd-catalog", default=None, help="catalog holding the template the examples use")
    add("--vcd-template", default=None, help="vApp template the examples instantiate")
    add(
        "--vcd-schemas",
        default=None,
        metavar="PATH",
        help="XSD bundle (default: ./xsd, ../shared/xsd)",
    )
    add("--vcd-report", default=None, metavar="DIR", help="write compatibility reports into DIR")
    add("--vcd-run-id", default=None, help="name of the report folder (default: a timestamp)")
    add("--vcd-profile", default=None, help="conformance profile the verdict uses (default: guide)")
    add(
        "--vcd-fuzz",
        action="store_true",
        help="also run the fuzz area: generated /cloudapi and XML requests (writes!)",
    )
    add("--vcd-fuzz-seed", type=int, default=0, help="seed of the generated requests (default 0)")
    add(
        "--vcd-fuzz-examples",
        type=int,
        default=6,
        help="generated requests per operation or action link (default 6)",
    )
    add(
        "--vcd-fuzz-time",
        type=float,
        default=30.0,
        help="time budget of one fuzz case, in seconds (default 30)",
    )


def pytest_configure(config: pytest.Config) -> None:
    for area, text in AREA_HELP.items():
        config.addinivalue_line("markers", f"{area}: {text}")
    config.addinivalue_line(
        "markers", "destructive: the example creates, changes or deletes objects"
    )
    config.addinivalue_line("markers", "fuzz: property-based testing (--vcd-fuzz)")
    get = config.getoption
    try:
        options = Options(
            mode=get("--vcd-mode"),
            url=get("--vcd-url"),
            org=get("--vcd-org"),
            user=get("--vcd-user"),
            system_user=get("--vcd-system-user"),
            versions=tuple(ApiVersion.parse(v) for v in get("--vcd-api-version")),
            cassettes=Path(get("--vcd-cassettes")),
            insecure=get("--vcd-insecure"),
            read_only=get("--vcd-read-only"),
            timeout=get("--vcd-timeout"),
            task_timeout=get("--vcd-task-timeout"),
            faults=tuple(get("--vcd-sim-fault")),
            catalog=get("--vcd-catalog"),
            template=get("--vcd-template"),
            schemas=get("--vcd-schemas"),
            reports=Path(get("--vcd-report")) if get("--vcd-report") else None,
            run_id=get("--vcd-run-id"),
            profile=get("--vcd-profile"),
        )
        options.validate()
    except UsageError as exc:
        raise pytest.UsageError(str(exc)) from None
    suite = Suite(options)
    config.stash[SUITE_KEY] = suite
    controller = not hasattr(config, "workerinput")
    config.pluginmanager.register(ResultCollector(suite, controller), "vcd-results")


def pytest_ignore_collect(collection_path: Path, config: pytest.Config) -> bool | None:
    """The fuzz module is collected only with --vcd-fuzz."""
    if collection_path.name == "test_fuzz.py" and collection_path.parent == GUIDE:
        return not config.getoption("--vcd-fuzz", False) or None
    return None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "vcd_fuzz_case" in metafunc.fixturenames:
        _fuzz_cases(metafunc)
    if "vcd_case" not in metafunc.fixturenames:
        return
    suite = metafunc.config.stash[SUITE_KEY]
    try:
        cases = suite.cases()
    except ConformanceError as exc:
        raise pytest.UsageError(str(exc)) from None
    params = []
    for example, version in cases:
        marks = [getattr(pytest.mark, example.area)]
        if example.destructive:
            marks.append(pytest.mark.destructive)
        params.append(pytest.param((example, version), id=f"{example.id}@{version}", marks=marks))
    metafunc.parametrize("vcd_case", params)


def _fuzz_cases(metafunc: pytest.Metafunc) -> None:
    from . import fuzz

    suite = metafunc.config.stash[SUITE_KEY]
    try:
        versions = suite.versions()
    except ConformanceError as exc:
        raise pytest.UsageError(str(exc)) from None
    marks = [pytest.mark.fuzz, pytest.mark.destructive]
    params = [
        pytest.param((kind, version), id=f"fuzz-{kind}@{version}", marks=marks)
        for kind, version in fuzz.cases(versions)
    ]
    metafunc.parametrize("vcd_fuzz_case", params)


@pytest.fixture(scope="session")
def vcd_suite(pytestconfig: pytest.Config) -> Suite:
    """The conformance run (target, versions, results) for this session."""
    return pytestconfig.stash[SUITE_KEY]


@pytest.fixture(scope="session")
def vcd_schemas(pytestconfig: pytest.Config) -> SchemaRegistry:
    """The schema registry, compiled once per session."""
    try:
        return get_registry(pytestconfig.getoption("--vcd-schemas"))
    except SchemaBundleNotFoundError as exc:
        raise pytest.UsageError(str(exc)) from None


class ResultCollector:
    """Gathers example results on the controller (xdist ships user_properties to it).

    On the controller the result property is then taken out of the report, so
    that junit.xml (xunit2 has no per-test properties) stays small and valid.
    """

    def __init__(self, suite: Suite, controller: bool = True) -> None:
        self.suite = suite
        self.controller = controller

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        kept = []
        for name, value in report.user_properties:
            if name != RESULT_PROPERTY:
                kept.append((name, value))
            elif report.when == "call" and isinstance(value, str):
                self.suite.collected.append(json.loads(value))
        if self.controller:  # every phase's report carries the item's properties
            report.user_properties = kept


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Captured logs (JUnit, Allure, --log-file, live logs) go through the suite's redactor."""
    suite = session.config.stash.get(SUITE_KEY, None)
    logging_plugin = session.config.pluginmanager.get_plugin("logging-plugin")
    if suite is None or logging_plugin is None:
        return
    redacting = suite.redactor.log_filter()
    for name in ("caplog_handler", "report_handler", "log_file_handler", "log_cli_handler"):
        handler = getattr(logging_plugin, name, None)
        if isinstance(handler, logging.Handler):
            handler.addFilter(redacting)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    suite = session.config.stash.get(SUITE_KEY, None)
    if suite is None:
        return
    suite.close()
    if hasattr(session.config, "workerinput"):
        return  # the controller writes the report
    if suite.options.reports is not None and suite.collected:
        from .reporting import write_run

        path = write_run(suite, suite.options.reports)
        session.config.stash[REPORT_KEY] = path


def pytest_unconfigure(config: pytest.Config) -> None:
    """Last line of defence: no secret this process knew stays in Allure/JUnit files."""
    suite = config.stash.get(SUITE_KEY, None)
    if suite is None:
        return
    from .reporting.allurelabels import scrub_outputs

    # an xdist controller never builds the target: give it the passwords the workers use
    suite.redactor.add(os.environ.get("VCD_PASSWORD"), os.environ.get("VCD_SYSTEM_PASSWORD"))
    scrub_outputs(config, suite.redactor)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    suite = terminalreporter.config.stash.get(SUITE_KEY, None)
    for note in suite.sweep_notes if suite is not None else ():
        terminalreporter.write_line(f"vcd-conformance cleanup: {note}")
    path = terminalreporter.config.stash.get(REPORT_KEY, None)
    if path is not None:
        terminalreporter.write_line(f"vcd-conformance report: {path}")

"""The fuzz area (``--vcd-fuzz``): generated requests, one test per engine and API version.

Items are ``test_fuzz[fuzz-xml@<version>]`` (XML bodies on action links, every
version) and ``test_fuzz[fuzz-cloudapi@<version>]`` (/cloudapi, once). Their
results go to the report like the examples', in the area ``fuzz``; each
violation names the seed that reproduces it (``--vcd-fuzz-seed``).
"""

from __future__ import annotations

import json

import allure
import pytest

from conformance import fuzz
from conformance.plugin import RESULT_PROPERTY
from conformance.reporting import allurelabels
from conformance.results import NOT_APPLICABLE, PASS, SKIP
from conformance.suite import Suite
from conformance.versions import ApiVersion


def test_fuzz(
    vcd_fuzz_case: tuple[str, ApiVersion], vcd_suite: Suite, request: pytest.FixtureRequest
) -> None:
    kind, version = vcd_fuzz_case
    option = request.config.getoption
    ident, title, _ = fuzz.KINDS[kind]
    dynamic = allure.dynamic
    dynamic.epic(fuzz.CHAPTER)
    dynamic.feature(fuzz.AREA)
    dynamic.story(title)
    dynamic.parameter("vcd_fuzz_case", f"{ident}@{version}")
    dynamic.tag("destructive")
    result = fuzz.run_case(
        vcd_suite,
        kind,
        version,
        seed=option("--vcd-fuzz-seed"),
        max_examples=option("--vcd-fuzz-examples"),
        time_budget=option("--vcd-fuzz-time"),
    )
    vcd_suite.results.append(result)
    # like test_example: the plugin's collector reads this property (kept out of junit.xml)
    request.node.user_properties.append((RESULT_PROPERTY, json.dumps(result.to_dict())))
    allurelabels.evidence(result, vcd_suite.redactor)
    if result.status in (SKIP, NOT_APPLICABLE):
        pytest.skip(result.message or result.status)
    assert result.status == PASS, vcd_suite.redactor.text(result.summary())

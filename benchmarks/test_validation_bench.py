"""Validation throughput: raw libxml2, our paths, and naive xmlschema, same payloads.

Run with ``pytest benchmarks --benchmark-only``. Every benchmark is one pass over
the same ~2,000 pre-parsed payloads (see ``corpus.py``); the summary at the end
prints throughput and the ratios the project tracks.
"""

from __future__ import annotations

import time
import timeit
from typing import Any

import pytest
from benchlib import INTERLEAVED, WARM, record, record_benchmark
from corpus import build, media_type
from lxml import etree

from conformance import checks, validation
from conformance.payload import Payload
from conformance.schemas import SchemaRegistry, get_registry
from conformance.versions import V

VERSION = V("5.5")
#: Passes per benchmark; the summary compares the fastest pass of each.
ROUNDS = 12
#: Alternation rounds of ``test_interleaved``.
INTERLEAVED_ROUNDS = 10


@pytest.fixture(scope="module")
def corpus() -> list[tuple[str, bytes]]:
    return build(2000)


@pytest.fixture(scope="module")
def trees(corpus: list[tuple[str, bytes]]) -> list[etree._Element]:
    return [etree.fromstring(body) for _, body in corpus]


@pytest.fixture(scope="module")
def registry(trees: list[etree._Element]) -> SchemaRegistry:
    reg = get_registry()
    schema = reg.schema(VERSION)  # compiled outside the timed passes
    assert all(schema.validate(t) for t in trees), "the corpus must be valid at 5.5"
    return reg


def _count_valid(fn: Any, items: list[Any]) -> int:
    return sum(1 for item in items if fn(item))


def test_raw_lxml(benchmark: Any, registry: SchemaRegistry, trees: list[etree._Element]) -> None:
    """libxml2 straight, on the schema as published (what the registry compiles for None)."""
    raw = registry.schema(None)
    benchmark.pedantic(_count_valid, args=(raw.validate, trees), rounds=ROUNDS)
    record_benchmark("raw_lxml", benchmark, len(trees))


def test_raw_lxml_pruned(
    benchmark: Any, registry: SchemaRegistry, trees: list[etree._Element]
) -> None:
    """libxml2 straight, on the compiled 5.5 schema object (no registry lookups)."""
    raw = registry.schema(VERSION)
    valid = benchmark.pedantic(_count_valid, args=(raw.validate, trees), rounds=ROUNDS)
    assert valid == len(trees)
    record_benchmark("raw_lxml_pruned", benchmark, len(trees))


def test_ours_is_valid(
    benchmark: Any, registry: SchemaRegistry, trees: list[etree._Element]
) -> None:
    """``validation.is_valid(tree, 5.5)`` as a caller writes it (default registry)."""
    valid = benchmark.pedantic(
        _count_valid, args=(lambda t: validation.is_valid(t, VERSION), trees), rounds=ROUNDS
    )
    assert valid == len(trees)
    record_benchmark("ours_is_valid", benchmark, len(trees))


def test_ours_is_valid_registry(
    benchmark: Any, registry: SchemaRegistry, trees: list[etree._Element]
) -> None:
    valid = benchmark.pedantic(
        _count_valid,
        args=(lambda t: validation.is_valid(t, VERSION, registry), trees),
        rounds=ROUNDS,
    )
    assert valid == len(trees)
    record_benchmark("ours_is_valid_registry", benchmark, len(trees))


def _payloads(corpus: list[tuple[str, bytes]]) -> tuple[tuple[list[Payload]], dict[str, Any]]:
    """Fresh, already parsed payloads for one timed pass (results are cached per payload)."""
    payloads = [Payload(body, media_type(body), VERSION) for _, body in corpus]
    for payload in payloads:
        assert payload.root is not None
    return (payloads,), {}


def _run(payloads: list[Payload], context: checks.Context, selected: list[checks.Check]) -> int:
    return sum(1 for p in payloads if not checks.run_checks(p, context, selected))


def test_ours_schema_check(
    benchmark: Any, registry: SchemaRegistry, corpus: list[tuple[str, bytes]]
) -> None:
    """The ``schema.valid`` check through ``checks.run_checks`` (payloads pre-parsed)."""
    context = checks.Context()
    selected = [checks.get("schema.valid")]
    conforming = benchmark.pedantic(
        lambda payloads: _run(payloads, context, selected),
        setup=lambda: _payloads(corpus),
        rounds=ROUNDS,
    )
    assert conforming == len(corpus)
    record_benchmark("ours_schema_check", benchmark, len(corpus))


def test_ours_all_checks(
    benchmark: Any, registry: SchemaRegistry, corpus: list[tuple[str, bytes]]
) -> None:
    """Every check, as ``vcd-conformance check`` runs them (payloads pre-parsed)."""
    context = checks.Context()
    selected = checks.all_checks()
    conforming = benchmark.pedantic(
        lambda payloads: _run(payloads, context, selected),
        setup=lambda: _payloads(corpus),
        rounds=5,
    )
    assert conforming == len(corpus)
    record_benchmark("ours_all_checks", benchmark, len(corpus))


@pytest.fixture(scope="module")
def naive_xmlschema(registry: SchemaRegistry) -> Any:
    """xmlschema compiled the obvious way: the driver, DMTF/W3C URLs from the catalog."""
    import xmlschema

    catalog = {url: str(path) for url, path in registry.bundle.catalog.items()}
    driver = registry.bundle.root / "rest-api/1.5/schemas/master/driver.xsd"
    return xmlschema.XMLSchema(
        str(driver), uri_mapper=lambda url: catalog.get(url, url), allow="local"
    )


def test_naive_xmlschema(benchmark: Any, naive_xmlschema: Any, trees: list[etree._Element]) -> None:
    benchmark.pedantic(_count_valid, args=(naive_xmlschema.is_valid, trees), rounds=2)
    record_benchmark("naive_xmlschema", benchmark, len(trees))


def test_interleaved(
    benchmark: Any,
    registry: SchemaRegistry,
    trees: list[etree._Element],
    corpus: list[tuple[str, bytes]],
) -> None:
    """Raw lxml and our paths in alternation, fastest pass of each.

    On a shared machine load drifts between benchmarks; alternating the variants
    pass by pass exposes them to the same load, so their ratios are the robust ones.
    """
    raw, pruned = registry.schema(None), registry.schema(VERSION)
    context = checks.Context()
    selected = [checks.get("schema.valid")]
    variants: dict[str, Any] = {
        "raw_lxml": lambda: _count_valid(raw.validate, trees),
        "raw_lxml_pruned": lambda: _count_valid(pruned.validate, trees),
        "ours_is_valid": lambda: _count_valid(lambda t: validation.is_valid(t, VERSION), trees),
        "ours_is_valid_registry": lambda: _count_valid(
            lambda t: validation.is_valid(t, VERSION, registry), trees
        ),
    }
    fastest = {name: float("inf") for name in [*variants, "raw_lxml_fresh", "ours_schema_check"]}

    def timed(name: str, fn: Any, *args: Any) -> None:
        started = time.perf_counter()
        fn(*args)
        fastest[name] = min(fastest[name], time.perf_counter() - started)

    def alternate() -> None:
        for i in range(INTERLEAVED_ROUNDS):
            names = list(variants)
            names = names[i % len(names) :] + names[: i % len(names)]  # rotate the order
            for name in names:
                timed(name, variants[name])
            # The check path gets fresh payloads (its results are cached per payload):
            # compare it with raw lxml on equally fresh trees.
            for step in (0, 1) if i % 2 else (1, 0):  # alternate which goes first
                (fresh,), _ = _payloads(corpus)
                if step == 0:
                    roots = [p.root for p in fresh]
                    timed("raw_lxml_fresh", _count_valid, pruned.validate, roots)
                    del roots
                else:
                    timed("ours_schema_check", _run, fresh, context, selected)
                del fresh  # one fresh set alive at a time, for either variant

    benchmark.pedantic(alternate, rounds=1, iterations=1)
    for name, seconds in fastest.items():
        record(INTERLEAVED, name, seconds, len(trees))


def test_warm_per_payload(
    benchmark: Any, registry: SchemaRegistry, corpus: list[tuple[str, bytes]]
) -> None:
    """Each distinct payload validated many times, warm: the fastest repeat, summed
    over the corpus mix. Least sensitive to machine load; shows the fixed per-call cost."""
    raw, pruned = registry.schema(None), registry.schema(VERSION)
    context = checks.Context()
    selected = [checks.get("schema.valid")]
    frequency: dict[bytes, int] = {}
    for _, body in corpus:
        frequency[body] = frequency.get(body, 0) + 1
    totals: dict[str, float] = {}

    def measure() -> None:
        for body, count in frequency.items():
            payload = Payload(body, media_type(body), VERSION)
            root = payload.root

            def check(payload: Payload = payload) -> None:
                payload.__dict__.pop("_schema_errors", None)  # the check caches per payload
                _run([payload], context, selected)

            variants = {
                "raw_lxml": lambda root=root: raw.validate(root),
                "raw_lxml_pruned": lambda root=root: pruned.validate(root),
                "ours_is_valid": lambda root=root: validation.is_valid(root, VERSION),
                "ours_is_valid_registry": lambda root=root: validation.is_valid(
                    root, VERSION, registry
                ),
                "ours_schema_check": check,
            }
            number = 50 if len(body) < 20_000 else 5
            for name, fn in variants.items():
                best = min(timeit.repeat(fn, number=number, repeat=5)) / number
                totals[name] = totals.get(name, 0.0) + best * count

    benchmark.pedantic(measure, rounds=1, iterations=1)
    for name, seconds in totals.items():
        record(WARM, name, seconds, len(corpus))

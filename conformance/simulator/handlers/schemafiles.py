"""Serve the XSDs the simulator validates with, at /api/v1.5/schema/ (never copied)."""

from __future__ import annotations

from pathlib import Path

from starlette.responses import RedirectResponse, Response

from ..cloud import CloudError
from ..http import Call


def schema_file(call: Call) -> Response:
    bundle = call.cloud.registry.bundle
    root = (bundle.schemas_dir or bundle.root).resolve()
    rel = call.params["path"]
    if rel == "master.xsd" and (root / "master" / "driver.xsd").is_file():
        # The entry that compiles (master.xsd alone lacks the extension types).
        return RedirectResponse(call.view.url("v1.5/schema/master/driver.xsd"), status_code=302)
    target = (root / rel).resolve()
    if root not in target.parents or target.suffix != ".xsd" or not target.is_file():
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No schema {rel}.")
    return Response(Path(target).read_bytes(), headers={"Content-Type": "text/xml"})

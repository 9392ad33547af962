"""Serve the XSDs the simulator validates with, at /api/v1.5/schema/ (never copied).

In the official layout the vCloud schemas (``rest-api/1.5/schemas``) import the
shared OVF schemas by relative paths that climb to ``rest-api/schemas/...``;
seen from ``/api/v1.5/schema/vcloud/vApp.xsd`` that is ``/api/schemas/...``, so
that folder is served too and a client can follow every import over HTTP.
"""

from __future__ import annotations

from pathlib import Path

from starlette.responses import RedirectResponse, Response

from ..cloud import CloudError
from ..http import Call


def _schema_root(call: Call) -> Path:
    bundle = call.cloud.registry.bundle
    return (bundle.schemas_dir or bundle.root).resolve()


def _serve(root: Path, rel: str) -> Response:
    target = (root / rel).resolve()
    if root not in target.parents or target.suffix != ".xsd" or not target.is_file():
        raise CloudError(404, "RESOURCE_NOT_FOUND", f"No schema {rel}.")
    return Response(target.read_bytes(), headers={"Content-Type": "text/xml"})


def schema_file(call: Call) -> Response:
    """GET /api/v1.5/schema/{path}; master.xsd redirects to the entry that compiles."""
    root = _schema_root(call)
    rel = call.params["path"]
    if rel == "master.xsd" and (root / "master" / "driver.xsd").is_file():
        # The entry that compiles (master.xsd alone lacks the extension types).
        return RedirectResponse(call.view.url("v1.5/schema/master/driver.xsd"), status_code=302)
    return _serve(root, rel)


def shared_schema_file(call: Call) -> Response:
    """GET /api/schemas/{path}: the shared schemas the vCloud ones import relatively."""
    # /api/v1.5/schema/ is <api>/1.5/schemas on disk, so /api/schemas/ is <api>/schemas.
    return _serve(_schema_root(call).parent.parent / "schemas", call.params["path"])

"""The simulator as an ASGI application."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response

from .chaos import Chaos, ChaosMiddleware
from .cloud import Cloud, SimConfig
from .http import error_response
from .operations import register_effects
from .routes import build


def create_app(cloud: Cloud | None = None, config: SimConfig | None = None) -> Starlette:
    """A Starlette app serving one simulated cloud (created from ``config`` if not given)."""
    cloud = cloud or Cloud(config)
    register_effects(cloud)

    async def not_found(request: Request, exc: Exception) -> Response:
        return error_response(
            cloud, 404, "RESOURCE_NOT_FOUND", f"No resource at {request.url.path}."
        )

    async def not_allowed(request: Request, exc: Exception) -> Response:
        return error_response(
            cloud,
            405,
            "METHOD_NOT_ALLOWED",
            f"{request.method} is not allowed on {request.url.path}.",
        )

    async def crashed(request: Request, exc: Exception) -> Response:
        return error_response(cloud, 500, "INTERNAL_SERVER_ERROR", f"{type(exc).__name__}: {exc}")

    app = Starlette(
        routes=build(cloud), exception_handlers={404: not_found, 405: not_allowed, 500: crashed}
    )
    app.state.cloud = cloud
    app.state.chaos = Chaos()
    app.add_middleware(ChaosMiddleware, cloud=cloud, chaos=app.state.chaos)
    return app

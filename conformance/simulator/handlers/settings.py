"""System settings: the SystemSettings document, the AMQP broker and notifications."""

from __future__ import annotations

from starlette.responses import Response

from ...mediatypes import EXTENSION_NS
from ..cloud import CloudError
from ..http import Call, xml
from ..render import settings as render
from .admin import _require_system

_X = f"{{{EXTENSION_NS}}}"


def system_settings(call: Call) -> Response:
    _require_system(call)
    return xml(call, render.system_settings(call.view))


def _read_amqp(call: Call) -> dict[str, str]:
    doc = call.doc("AmqpSettings")
    values = {}
    for name in render.AMQP_FIELDS:
        value = doc.findtext(f"{_X}{name}")
        if value is not None:
            values[name] = value.strip()
    port = values.get("AmqpPort", "5672")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise CloudError(400, "BAD_REQUEST", f"AmqpPort {port!r} is not a TCP port.")
    return values


def amqp(call: Call) -> Response:
    _require_system(call)
    if call.request.method == "PUT":
        call.cloud.inv.settings.update(_read_amqp(call))
    return xml(call, render.amqp_settings(call.view))


def amqp_test(call: Call) -> Response:
    """Test a broker's settings: the simulated cloud reaches no broker but its own name."""
    _require_system(call)
    values = _read_amqp(call)
    valid = values.get("AmqpHost") in ("localhost", "127.0.0.1") and bool(
        values.get("AmqpPassword")
    )
    return xml(call, render.amqp_test(call.view, valid))


def notifications(call: Call) -> Response:
    _require_system(call)
    if call.request.method == "PUT":
        doc = call.doc("NotificationsSettings")
        enabled = (doc.findtext(f"{_X}EnableNotifications") or "false").strip()
        call.cloud.inv.settings["EnableNotifications"] = (
            "true" if enabled in ("true", "1") else "false"
        )
    return xml(call, render.notifications_settings(call.view))

"""System settings representations: SystemSettings, AmqpSettings, NotificationsSettings."""

from __future__ import annotations

from lxml import etree

from .common import EXT, View, admin_mt, link

SETTINGS = "admin/extension/settings"
AMQP_FIELDS = (
    "AmqpHost",
    "AmqpPort",
    "AmqpUsername",
    "AmqpPassword",
    "AmqpExchange",
    "AmqpVHost",
    "AmqpUseSSL",
    "AmqpPrefix",
)


def system_settings(view: View) -> etree._Element:
    href = view.url(SETTINGS)
    root = EXT.SystemSettings({"href": href, "type": admin_mt("systemSettings")})
    root.append(link("up", view.url("admin/extension"), admin_mt("vmwExtension")))
    root.append(
        link("down", view.url(f"{SETTINGS}/notifications"), admin_mt("notificationsSettings"))
    )
    root.append(link("down", view.url(f"{SETTINGS}/amqp"), admin_mt("amqpSettings")))
    root.append(
        link("down", view.url(f"{SETTINGS}/blockingTask"), admin_mt("blockingTaskSettings"))
    )
    root.append(notifications_settings(view))
    root.append(amqp_settings(view))
    return root


def amqp_settings(view: View) -> etree._Element:
    """The broker settings; the password is never sent back (AmqpPassword is empty)."""
    href = view.url(f"{SETTINGS}/amqp")
    root = EXT.AmqpSettings({"href": href, "type": admin_mt("amqpSettings")})
    root.append(link("edit", href, admin_mt("amqpSettings")))
    root.append(link("test", f"{href}/action/test", admin_mt("amqpSettingsTest")))
    values = view.cloud.inv.settings
    for name in AMQP_FIELDS:
        value = "" if name == "AmqpPassword" else values.get(name, "")
        root.append(getattr(EXT, name)(value))
    return root


def amqp_test(view: View, valid: bool) -> etree._Element:
    href = view.url(f"{SETTINGS}/amqp/action/test")
    root = EXT.AmqpSettingsTest({"href": href, "type": admin_mt("amqpSettingsTest")})
    root.append(link("up", view.url(f"{SETTINGS}/amqp"), admin_mt("amqpSettings")))
    root.append(EXT.Valid("true" if valid else "false"))
    return root


def notifications_settings(view: View) -> etree._Element:
    href = view.url(f"{SETTINGS}/notifications")
    root = EXT.NotificationsSettings({"href": href, "type": admin_mt("notificationsSettings")})
    root.append(link("edit", href, admin_mt("notificationsSettings")))
    root.append(EXT.EnableNotifications(view.cloud.inv.settings.get("EnableNotifications")))
    return root

"""The documented vocabulary of ``Link/@rel`` values and the HTTP verb each implies.

Sources: the "Link Relationships and HTTP Request Types" tables of the vCloud
API Programming Guide (1.0, 1.5, 5.1, 5.5), the blocking-task and query chapters,
and the relation names a real client (pyvcloud 23) relies on.
"""

from __future__ import annotations

GET, POST, PUT, DELETE = "GET", "POST", "PUT", "DELETE"

#: rel -> implied verb.
RELS: dict[str, str] = {
    # navigation
    "up": GET,
    "down": GET,
    "alternate": GET,
    "firstPage": GET,
    "lastPage": GET,
    "nextPage": GET,
    "previousPage": GET,
    "entityResolver": GET,
    "openapi": GET,
    "ovf": GET,
    "ova": GET,
    "blockingTask": GET,
    "taskOwner": GET,
    "taskParams": GET,
    "taskRequest": GET,
    "screen:thumbnail": GET,
    "screen:acquireTicket": POST,
    "screen:acquireMksTicket": POST,
    "download:default": GET,
    "download:alternate": GET,
    "download:ovaDefault": GET,
    "download:identity": GET,
    "download:ovaIdentity": GET,
    "down:extensibility": GET,
    "metrics": GET,
    "question": GET,
    "rights": GET,
    "edgeGateways": GET,
    "orgVdcNetworks": GET,
    "resourcePoolVmList": GET,
    "guestCustomizationSection": GET,
    "storageProfile": GET,
    "shadowVms": GET,
    # object edits
    "edit": PUT,
    "remove": DELETE,
    "add": POST,
    "upload:default": PUT,
    "upload:alternate": PUT,
    "catalogItem": POST,
    "controlAccess": POST,
    "copy": POST,
    "move": POST,
    "publish": POST,
    "enable": POST,
    "disable": POST,
    "takeOwnership": POST,
    "unlock": POST,
    # vApp / VM actions
    "deploy": POST,
    "undeploy": POST,
    "power:powerOn": POST,
    "power:powerOff": POST,
    "power:reboot": POST,
    "power:reset": POST,
    "power:shutdown": POST,
    "power:suspend": POST,
    "discardState": POST,
    "recompose": POST,
    "reconfigureVm": POST,
    "relocate": POST,
    "consolidate": POST,
    "installVmwareTools": POST,
    "customizeAtNextPowerOn": POST,
    "checkCompliance": POST,
    "reloadFromVc": POST,
    "upgrade": POST,
    "answer": POST,
    "media:insertMedia": POST,
    "media:ejectMedia": POST,
    "disk:attach": POST,
    "disk:detach": POST,
    "snapshot:create": POST,
    "snapshot:revertToCurrent": POST,
    "snapshot:removeAll": POST,
    "enableDownload": POST,
    "disableDownload": POST,
    "linkToTemplate": POST,
    "unlinkFromTemplate": POST,
    "captureVApp": POST,
    "cloneVApp": POST,
    "composeVApp": POST,
    "instantiate": POST,
    # tasks and blocking tasks
    "task:cancel": POST,
    "resume": POST,
    "abort": POST,
    "fail": POST,
    "updateProgress": POST,
    "collaboration:abort": POST,
    "collaboration:fail": POST,
    "collaboration:resume": POST,
    # system administration
    "register": POST,
    "unregister": POST,
    "reconnect": POST,
    "repair": POST,
    "merge": POST,
    "migrateVms": POST,
    "enterMaintenanceMode": POST,
    "exitMaintenanceMode": POST,
    "update:resourcePools": POST,
    "syncSyslogSettings": POST,
    "authorization:check": POST,
    "bundle:upload": PUT,
    "bundles:cleanup": POST,
}

#: Prefixes of namespaced rels whose members vary with the product release.
NAMESPACED_PREFIXES = ("edgeGateway:", "orgVdcNetwork:", "snapshot:", "power:", "media:")


def is_known(rel: str) -> bool:
    return rel in RELS or rel.startswith(NAMESPACED_PREFIXES)


def implied_verb(rel: str) -> str | None:
    """The verb a link's ``rel`` implies, or None for an undocumented rel."""
    if rel in RELS:
        return RELS[rel]
    if rel.startswith(NAMESPACED_PREFIXES):
        return POST
    return None


def is_navigable(rel: str) -> bool:
    """True for rels a client may follow with GET to read a representation."""
    return implied_verb(rel) == GET or rel == "edit"

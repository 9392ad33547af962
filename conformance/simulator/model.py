"""The simulator's inventory: orgs, VDCs, catalogs, vApps, VMs, users, tasks.

Plain dataclasses keyed by id, seeded with a small realistic cloud, saved to
and loaded from JSON (``--state FILE``). Nothing here knows about HTTP or XML.
"""

from __future__ import annotations

import json
import threading
import uuid
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..states import EntityStatus


def new_id() -> str:
    return str(uuid.uuid4())


def now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Org:
    id: str
    name: str
    full_name: str
    description: str = ""
    enabled: bool = True
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class User:
    id: str
    org_id: str
    name: str
    password: str
    role: str = "Organization Administrator"
    full_name: str = ""
    email: str = ""
    enabled: bool = True


@dataclass
class Role:
    id: str
    name: str
    description: str = ""
    rights: list[str] = field(default_factory=list)


@dataclass
class StorageProfile:
    id: str
    vdc_id: str
    name: str
    limit_mb: int = 512000
    default: bool = True


@dataclass
class Network:
    id: str
    org_id: str
    vdc_id: str
    name: str
    fence_mode: str = "bridged"
    gateway: str = "192.168.10.1"
    netmask: str = "255.255.255.0"
    dns: str = "192.168.10.2"
    ip_start: str = "192.168.10.100"
    ip_end: str = "192.168.10.199"
    shared: bool = False
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Vdc:
    id: str
    org_id: str
    name: str
    description: str = ""
    allocation_model: str = "AllocationVApp"
    cpu_limit_mhz: int = 20000
    memory_limit_mb: int = 40960
    nic_quota: int = 0
    network_quota: int = 20
    vm_quota: int = 100
    enabled: bool = True
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    provider_id: str | None = None


@dataclass
class ProviderVdc:
    """A provider VDC: the resources organization VDCs are carved from."""

    id: str
    name: str
    description: str = ""
    #: Its storage profiles: id -> name.
    storage_profiles: dict[str, str] = field(default_factory=dict)


@dataclass
class VmSpec:
    """Hardware and guest settings of a VM (in a template or a vApp)."""

    name: str
    os_type: str = "ubuntu64Guest"
    os_description: str = "Ubuntu Linux (64-bit)"
    cpus: int = 1
    cores_per_socket: int = 1
    memory_mb: int = 1024
    disk_mb: int = 16384
    network: str | None = None
    ip_mode: str = "POOL"
    ip_address: str | None = None
    mac: str = "00:50:56:01:00:01"
    computer_name: str = "vm"
    customization_enabled: bool = False
    admin_password_enabled: bool = True
    admin_password: str | None = None
    hardware_version: str = "vmx-09"
    memory_hot_add: bool = False
    cpu_hot_add: bool = False


@dataclass
class Template:
    id: str
    vdc_id: str
    catalog_id: str
    name: str
    description: str = ""
    eula: str | None = None
    vms: list[VmSpec] = field(default_factory=list)
    vm_ids: list[str] = field(default_factory=list)
    status: int = 8
    transient: bool = False
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    download_enabled: bool = False
    #: Created by uploadVAppTemplate: waits for its OVF descriptor (status 0).
    upload_pending: bool = False


@dataclass
class Media:
    id: str
    vdc_id: str
    catalog_id: str | None
    name: str
    image_type: str = "iso"
    size: int = 1048576
    status: int = 1
    description: str = ""
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class CatalogItem:
    id: str
    catalog_id: str
    name: str
    entity_kind: str  # "vAppTemplate" or "media"
    entity_id: str
    description: str = ""
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Catalog:
    id: str
    org_id: str
    name: str
    description: str = ""
    published: bool = False
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    owner_id: str | None = None
    #: Access control: shared with everyone at this level ("" when not shared).
    everyone_access: str = ""
    #: ...and with these subjects: (href, media type, access level).
    access_settings: list[list[str]] = field(default_factory=list)


@dataclass
class Vm:
    id: str
    vapp_id: str
    spec: VmSpec
    status: int = int(EntityStatus.POWERED_OFF)
    deployed: bool = False
    description: str = ""
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    #: The media image inserted in the VM's CD/DVD drive, if any.
    media_id: str | None = None
    compliance_checked: float | None = None


@dataclass
class Disk:
    """An independent disk (5.1+): lives in a VDC, attaches to at most one VM."""

    id: str
    vdc_id: str
    org_id: str
    name: str
    size_mb: int
    owner_id: str
    description: str = ""
    bus_type: str = "6"
    bus_sub_type: str = "lsilogic"
    vm_id: str | None = None
    status: int = 1
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class Group:
    id: str
    org_id: str
    name: str
    role: str = "vApp User"
    description: str = ""


@dataclass
class Snapshot:
    created: str
    size: int = 2097152
    memory: bool = False
    quiesce: bool = False


@dataclass
class VApp:
    id: str
    vdc_id: str
    org_id: str
    name: str
    owner_id: str
    description: str = ""
    status: int = int(EntityStatus.RESOLVED)
    deployed: bool = False
    vm_ids: list[str] = field(default_factory=list)
    network_names: list[str] = field(default_factory=list)
    created: str = ""
    snapshot: Snapshot | None = None
    run_id: str | None = None
    access_shared: bool = False
    metadata: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Created by instantiateOvf (5.5): waits for its OVF descriptor (status 0).
    upload_pending: bool = False


@dataclass
class Task:
    id: str
    org_id: str
    user_id: str
    operation_name: str
    operation: str
    owner_kind: str
    owner_id: str
    owner_name: str
    created: float
    #: Seconds after ``created`` at which each phase starts (scaled by task speed).
    queued_for: float = 0.0
    pre_running_for: float = 0.0
    run_for: float = 1.0
    outcome: str = "success"
    error_message: str | None = None
    cancel_requested: bool = False
    final_status: str | None = None
    end_time: float | None = None
    blocking_task_id: str | None = None
    service_namespace: str | None = None
    extension: bool = False
    extension_status: str | None = None
    extension_progress: int | None = None
    details: str | None = None
    applied: bool = False


@dataclass
class BlockingTask:
    id: str
    task_id: str
    org_id: str
    user_id: str
    operation_name: str
    created: float
    timeout_seconds: float
    timeout_action: str = "abort"
    status: str = "active"
    message: str | None = None


DEFAULT_SETTINGS = {
    "AmqpHost": "",
    "AmqpPort": "5672",
    "AmqpUsername": "guest",
    "AmqpPassword": "",
    "AmqpExchange": "systemExchange",
    "AmqpVHost": "/",
    "AmqpUseSSL": "false",
    "AmqpPrefix": "vcd",
    "EnableNotifications": "false",
}


@dataclass
class Inventory:
    """Every object of the simulated cloud, plus a lock handlers hold while mutating."""

    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    roles: dict[str, Role] = field(default_factory=dict)
    vdcs: dict[str, Vdc] = field(default_factory=dict)
    storage_profiles: dict[str, StorageProfile] = field(default_factory=dict)
    networks: dict[str, Network] = field(default_factory=dict)
    catalogs: dict[str, Catalog] = field(default_factory=dict)
    catalog_items: dict[str, CatalogItem] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)
    media: dict[str, Media] = field(default_factory=dict)
    vapps: dict[str, VApp] = field(default_factory=dict)
    vms: dict[str, Vm] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    blocking_tasks: dict[str, BlockingTask] = field(default_factory=dict)
    disks: dict[str, Disk] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    provider_vdcs: dict[str, ProviderVdc] = field(default_factory=dict)
    #: Operation names configured as blocking (BlockingTaskSettings).
    blocking_operations: list[str] = field(default_factory=list)
    blocking_timeout_seconds: float = 300.0
    blocking_timeout_action: str = "abort"
    #: System settings (AMQP broker, notifications): name -> value.
    settings: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SETTINGS))

    def __post_init__(self) -> None:
        self.lock = threading.RLock()

    # -- lookups ---------------------------------------------------------------
    def org_by_name(self, name: str) -> Org | None:
        return next((o for o in self.orgs.values() if o.name.lower() == name.lower()), None)

    def user_in_org(self, org_id: str, name: str) -> User | None:
        return next((u for u in self.users.values() if u.org_id == org_id and u.name == name), None)

    def vdcs_of(self, org_id: str) -> list[Vdc]:
        return [v for v in self.vdcs.values() if v.org_id == org_id]

    def catalogs_of(self, org_id: str) -> list[Catalog]:
        return [c for c in self.catalogs.values() if c.org_id == org_id]

    def networks_of(self, org_id: str) -> list[Network]:
        return [n for n in self.networks.values() if n.org_id == org_id]

    def items_of(self, catalog_id: str) -> list[CatalogItem]:
        return [i for i in self.catalog_items.values() if i.catalog_id == catalog_id]

    def vapps_of(self, vdc_id: str) -> list[VApp]:
        return [v for v in self.vapps.values() if v.vdc_id == vdc_id]

    def profiles_of(self, vdc_id: str) -> list[StorageProfile]:
        return [p for p in self.storage_profiles.values() if p.vdc_id == vdc_id]

    def active_tasks_of(self, owner_id: str) -> list[Task]:
        return [t for t in self.tasks.values() if t.owner_id == owner_id and t.final_status is None]

    # -- persistence -------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Inventory:
        inv = cls()
        kinds = {
            "orgs": Org,
            "users": User,
            "roles": Role,
            "vdcs": Vdc,
            "storage_profiles": StorageProfile,
            "networks": Network,
            "catalogs": Catalog,
            "catalog_items": CatalogItem,
            "media": Media,
            "blocking_tasks": BlockingTask,
            "disks": Disk,
            "groups": Group,
            "provider_vdcs": ProviderVdc,
        }
        for key, kind in kinds.items():
            setattr(inv, key, {k: kind(**v) for k, v in data.get(key, {}).items()})
        inv.templates = {
            k: Template(**{**v, "vms": [VmSpec(**s) for s in v.get("vms", [])]})
            for k, v in data.get("templates", {}).items()
        }
        inv.vms = {
            k: Vm(**{**v, "spec": VmSpec(**v["spec"])}) for k, v in data.get("vms", {}).items()
        }
        inv.vapps = {
            k: VApp(**{**v, "snapshot": Snapshot(**v["snapshot"]) if v.get("snapshot") else None})
            for k, v in data.get("vapps", {}).items()
        }
        inv.tasks = {k: Task(**v) for k, v in data.get("tasks", {}).items()}
        inv.blocking_operations = list(data.get("blocking_operations", []))
        inv.blocking_timeout_seconds = float(data.get("blocking_timeout_seconds", 300.0))
        inv.blocking_timeout_action = data.get("blocking_timeout_action", "abort")
        inv.settings = {**DEFAULT_SETTINGS, **data.get("settings", {})}
        return inv

    def save(self, path: Path) -> None:
        with self.lock:
            text = json.dumps(self.to_json(), indent=1, sort_keys=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Inventory:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")))


#: Credentials of the seeded users. The simulator prints them at start; they
#: exist only inside the simulated cloud.
SYSTEM_USER = ("administrator", "System")
TENANT_USER = ("alice", "acme")

EULA_TEXT = (
    "End User License Agreement for the Licensed Appliance. By deploying this "
    "template you accept the terms of use of its software."
)


def seed(passwords: dict[str, str]) -> Inventory:
    """A small cloud: System and two tenant orgs, VDCs, networks, catalogs, templates."""
    inv = Inventory()
    for role_name, rights in (
        ("System Administrator", ["General: Administrator View", "Organization: Create"]),
        ("Organization Administrator", ["vApp: Create / Reconfigure a vApp", "Catalog: View"]),
        ("vApp User", ["vApp: Use Console", "vApp: Power Operations"]),
    ):
        role = Role(new_id(), role_name, f"{role_name} role", rights)
        inv.roles[role.id] = role

    system = Org(new_id(), "System", "System organization", "Provider organization")
    inv.orgs[system.id] = system
    admin = User(
        new_id(),
        system.id,
        SYSTEM_USER[0],
        passwords["system"],
        role="System Administrator",
        full_name="Cloud Administrator",
    )
    inv.users[admin.id] = admin

    for org_name, full_name, user_name, key in (
        ("acme", "Acme Corporation", TENANT_USER[0], "tenant"),
        ("globex", "Globex Industries", "hank", "tenant2"),
    ):
        org = Org(new_id(), org_name, full_name, f"{full_name} tenant")
        inv.orgs[org.id] = org
        user = User(
            new_id(),
            org.id,
            user_name,
            passwords[key],
            full_name=user_name.title(),
            email=f"{user_name}@{org_name}.example",
        )
        inv.users[user.id] = user
        vdc = Vdc(new_id(), org.id, f"{org_name}-vdc", f"Primary VDC of {full_name}")
        inv.vdcs[vdc.id] = vdc
        for profile_name, default in (("Gold", True), ("Silver", False)):
            prof = StorageProfile(new_id(), vdc.id, profile_name, default=default)
            inv.storage_profiles[prof.id] = prof
        net = Network(new_id(), org.id, vdc.id, f"{org_name}-net")
        inv.networks[net.id] = net
        catalog = Catalog(new_id(), org.id, f"{org_name}-catalog", f"Templates of {full_name}")
        inv.catalogs[catalog.id] = catalog
        for tmpl_name, eula, vms in (
            ("ubuntu-small", None, [VmSpec("ubuntu", computer_name="ubuntu", network=net.name)]),
            (
                "licensed-appliance",
                EULA_TEXT,
                [
                    VmSpec(
                        "appliance",
                        os_type="otherLinux64Guest",
                        os_description="Other Linux (64-bit)",
                        cpus=2,
                        memory_mb=2048,
                        computer_name="appliance",
                        network=net.name,
                        mac="00:50:56:01:00:02",
                    )
                ],
            ),
            (
                "two-tier",
                None,
                [
                    VmSpec("web", computer_name="web", network=net.name, mac="00:50:56:01:00:03"),
                    VmSpec(
                        "db",
                        computer_name="db",
                        memory_mb=2048,
                        network=net.name,
                        mac="00:50:56:01:00:04",
                    ),
                ],
            ),
        ):
            tmpl = Template(
                new_id(),
                vdc.id,
                catalog.id,
                tmpl_name,
                f"{tmpl_name} template",
                eula=eula,
                vms=vms,
                vm_ids=[new_id() for _ in vms],
            )
            inv.templates[tmpl.id] = tmpl
            item = CatalogItem(
                new_id(), catalog.id, tmpl_name, "vAppTemplate", tmpl.id, f"{tmpl_name} template"
            )
            inv.catalog_items[item.id] = item
        iso = Media(
            new_id(), vdc.id, catalog.id, "tools.iso", size=4194304, description="Guest tools"
        )
        inv.media[iso.id] = iso
        media_item = CatalogItem(new_id(), catalog.id, "tools.iso", "media", iso.id, "Guest tools")
        inv.catalog_items[media_item.id] = media_item
        inv.orgs[org.id].metadata["costCenter"] = {
            "type": "MetadataStringValue",
            "value": f"{org_name}-cc",
            "domain": "",
        }
    provider = ProviderVdc(new_id(), "pvdc-gold", "Provider VDC of the simulated cloud")
    for profile_name in ("Gold", "Silver"):
        provider.storage_profiles[new_id()] = profile_name
    inv.provider_vdcs[provider.id] = provider
    for vdc_obj in inv.vdcs.values():
        vdc_obj.provider_id = provider.id
    return inv

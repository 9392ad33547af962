"""What vApp operations do: the state changes behind each long-running task.

Each public function checks the rules (state, busy entity), starts a task and
registers what happens when the task ends. Effects are looked up by the task's
operation name so that a saved state can be resumed.
"""

from __future__ import annotations

import copy

from .. import states, taskstate
from ..states import EntityStatus as S
from .cloud import Cloud, CloudError
from .model import Snapshot, Task, Template, VApp, Vm, VmSpec, new_id, now

POWER_RESULT = {
    "powerOn": (int(S.POWERED_ON), True),
    "powerOff": (int(S.POWERED_OFF), True),
    "reset": (int(S.POWERED_ON), True),
    "reboot": (int(S.POWERED_ON), True),
    "shutdown": (int(S.POWERED_OFF), True),
    "suspend": (int(S.SUSPENDED), True),
}

OPERATION_NAMES = {
    "powerOn": "vappPowerOn",
    "powerOff": "vappPowerOff",
    "reset": "vappReset",
    "reboot": "vappReboot",
    "shutdown": "vappShutdownGuest",
    "suspend": "vappSuspend",
    "deploy": "vappDeploy",
    "undeploy": "vappUndeployPowerOff",
    "discardState": "vappDiscardSuspendedState",
    "delete": "vdcDeleteVapp",
    "instantiate": "vdcInstantiateVapp",
    "compose": "vdcComposeVapp",
    "recompose": "vdcRecomposeVapp",
    "clone": "vdcCopyVapp",
    "capture": "vdcCaptureTemplate",
    "createSnapshot": "vappCreateSnapshot",
    "revertSnapshot": "vappRevertToCurrentSnapshot",
    "removeSnapshots": "vappRemoveAllSnapshots",
    "updateSection": "vappUpdateVm",
    "controlAccess": "vappUpdateAccess",
}


def register_effects(cloud: Cloud) -> None:
    """Tell the task engine what each operation does when its task ends."""
    e = cloud.engine.effects

    def power(target_status: int, deployed: bool):  # type: ignore[no-untyped-def]
        def apply(task: Task, status: str) -> None:
            if status != taskstate.SUCCESS:
                return
            for entity in _targets(cloud, task):
                entity.status = target_status
                entity.deployed = deployed
            _sync_vapp(cloud, task)

        return apply

    for op, (status, deployed) in POWER_RESULT.items():
        e[OPERATION_NAMES[op]] = power(status, deployed)
    e[OPERATION_NAMES["deploy"]] = _deploy_effect(cloud)
    e[OPERATION_NAMES["undeploy"]] = power(int(S.POWERED_OFF), False)
    e[OPERATION_NAMES["discardState"]] = power(int(S.POWERED_OFF), True)
    e[OPERATION_NAMES["delete"]] = _delete_effect(cloud)
    for op in ("instantiate", "compose", "clone"):
        e[OPERATION_NAMES[op]] = _created_effect(cloud)
    e[OPERATION_NAMES["recompose"]] = _noop
    e[OPERATION_NAMES["capture"]] = _capture_effect(cloud)
    e[OPERATION_NAMES["createSnapshot"]] = _snapshot_effect(cloud)
    e[OPERATION_NAMES["revertSnapshot"]] = _noop
    e[OPERATION_NAMES["removeSnapshots"]] = _remove_snapshots_effect(cloud)
    e[OPERATION_NAMES["updateSection"]] = _noop
    e[OPERATION_NAMES["controlAccess"]] = _noop


def _noop(task: Task, status: str) -> None:
    return None


def _targets(cloud: Cloud, task: Task) -> list[VApp | Vm]:
    if task.owner_kind == "vm":
        vm = cloud.inv.vms.get(task.owner_id)
        return [vm] if vm else []
    vapp = cloud.inv.vapps.get(task.owner_id)
    if vapp is None:
        return []
    return [vapp, *[cloud.inv.vms[v] for v in vapp.vm_ids if v in cloud.inv.vms]]


def _sync_vapp(cloud: Cloud, task: Task) -> None:
    """A vApp's status follows its VMs (MIXED when they differ)."""
    if task.owner_kind != "vm":
        return
    vm = cloud.inv.vms.get(task.owner_id)
    vapp = cloud.inv.vapps.get(vm.vapp_id) if vm else None
    if vapp is None:
        return
    vms = [cloud.inv.vms[v] for v in vapp.vm_ids if v in cloud.inv.vms]
    statuses = {v.status for v in vms}
    vapp.status = statuses.pop() if len(statuses) == 1 else int(S.MIXED)
    vapp.deployed = any(v.deployed for v in vms)


def _deploy_effect(cloud: Cloud):  # type: ignore[no-untyped-def]
    def apply(task: Task, status: str) -> None:
        if status != taskstate.SUCCESS:
            return
        power_on = task.details == "powerOn"
        for entity in _targets(cloud, task):
            entity.deployed = True
            if power_on:
                entity.status = int(S.POWERED_ON)
        _sync_vapp(cloud, task)

    return apply


def _delete_effect(cloud: Cloud):  # type: ignore[no-untyped-def]
    def apply(task: Task, status: str) -> None:
        if status != taskstate.SUCCESS:
            return
        gone: list[str] = []
        if task.owner_kind == "vm":
            vm = cloud.inv.vms.pop(task.owner_id, None)
            if vm is not None and vm.vapp_id in cloud.inv.vapps:
                cloud.inv.vapps[vm.vapp_id].vm_ids.remove(vm.id)
                gone.append(vm.id)
        else:
            vapp = cloud.inv.vapps.pop(task.owner_id, None)
            if vapp is not None:
                for vm_id in vapp.vm_ids:
                    cloud.inv.vms.pop(vm_id, None)
                gone.extend(vapp.vm_ids)
        for disk in cloud.inv.disks.values():  # independent disks outlive their VM
            if disk.vm_id in gone:
                disk.vm_id = None

    return apply


def _created_effect(cloud: Cloud):  # type: ignore[no-untyped-def]
    def apply(task: Task, status: str) -> None:
        vapp = cloud.inv.vapps.get(task.owner_id)
        if vapp is None:
            return
        if status != taskstate.SUCCESS:
            vapp.status = int(S.FAILED_CREATION)
            return
        wanted = (task.details or "").split(",")
        vapp.status = int(S.POWERED_OFF)
        for vm_id in vapp.vm_ids:
            cloud.inv.vms[vm_id].status = int(S.POWERED_OFF)
        if "deploy" in wanted or "powerOn" in wanted:
            vapp.deployed = True
            for vm_id in vapp.vm_ids:
                cloud.inv.vms[vm_id].deployed = True
        if "powerOn" in wanted:
            vapp.status = int(S.POWERED_ON)
            for vm_id in vapp.vm_ids:
                cloud.inv.vms[vm_id].status = int(S.POWERED_ON)

    return apply


def _capture_effect(cloud: Cloud):  # type: ignore[no-untyped-def]
    def apply(task: Task, status: str) -> None:
        tmpl = cloud.inv.templates.get(task.owner_id)
        if tmpl is None:
            return
        tmpl.status = 8 if status == taskstate.SUCCESS else -1

    return apply


def _snapshot_effect(cloud: Cloud):  # type: ignore[no-untyped-def]
    def apply(task: Task, status: str) -> None:
        vapp = cloud.inv.vapps.get(task.owner_id)
        if vapp is not None and status == taskstate.SUCCESS:
            vapp.snapshot = Snapshot(
                created=now().isoformat(timespec="seconds").replace("+00:00", "Z"),
                memory=task.details == "memory",
            )

    return apply


def _remove_snapshots_effect(cloud: Cloud):  # type: ignore[no-untyped-def]
    def apply(task: Task, status: str) -> None:
        vapp = cloud.inv.vapps.get(task.owner_id)
        if vapp is not None and status == taskstate.SUCCESS:
            vapp.snapshot = None

    return apply


# -- starting operations ---------------------------------------------------------------


def _start(
    cloud: Cloud,
    user_id: str,
    op: str,
    owner: VApp | Vm | Template,
    kind: str,
    verb: str,
    **kwargs: object,
) -> Task:
    org_id = owner.org_id if isinstance(owner, VApp) else _org_of(cloud, owner)
    name = owner.name if isinstance(owner, VApp | Template) else owner.spec.name
    task = cloud.engine.start(
        org_id=org_id,
        user_id=user_id,
        operation_name=OPERATION_NAMES[op],
        operation=f"{verb} {name}({owner.id})",
        owner_kind=kind,
        owner_id=owner.id,
        owner_name=name,
        **kwargs,  # type: ignore[arg-type]
    )
    return task


def _org_of(cloud: Cloud, owner: Vm | Template) -> str:
    if isinstance(owner, Vm):
        return cloud.inv.vapps[owner.vapp_id].org_id
    return cloud.inv.vdcs[owner.vdc_id].org_id


def entity_and_kind(cloud: Cloud, entity_id: str) -> tuple[VApp | Vm, str]:
    if entity_id in cloud.inv.vapps:
        return cloud.inv.vapps[entity_id], "vApp"
    if entity_id in cloud.inv.vms:
        return cloud.inv.vms[entity_id], "vm"
    raise CloudError(404, "RESOURCE_NOT_FOUND", f"No vApp or VM with id {entity_id}.")


def _require_link(entity: VApp | Vm, rel: str) -> None:
    """An action whose link the entity does not offer is refused, not executed."""
    rule = states.rule_for(rel)
    if rule is not None and not rule.allows(entity.status, entity.deployed):
        state = states.EntityStatus.describe(entity.status)
        raise CloudError(
            400,
            "BAD_REQUEST",
            f"The requested operation ({rel}) is not allowed for the current state "
            f"of the entity: status {state}, deployed={str(entity.deployed).lower()}.",
        )


def power(cloud: Cloud, user_id: str, entity_id: str, action: str) -> Task:
    entity, kind = entity_and_kind(cloud, entity_id)
    cloud.ensure_not_busy(entity.id, _name(entity))
    _require_link(entity, f"power:{action}")
    verbs = {
        "powerOn": "Starting",
        "powerOff": "Stopping",
        "reset": "Resetting",
        "reboot": "Rebooting",
        "shutdown": "Shutting down",
        "suspend": "Suspending",
    }
    return _start(cloud, user_id, action, entity, kind, f"{verbs[action]} Virtual Application")


def deploy(cloud: Cloud, user_id: str, entity_id: str, power_on: bool) -> Task:
    entity, kind = entity_and_kind(cloud, entity_id)
    cloud.ensure_not_busy(entity.id, _name(entity))
    _require_link(entity, "deploy")
    task = _start(cloud, user_id, "deploy", entity, kind, "Deploying Virtual Application")
    task.details = "powerOn" if power_on else None
    return task


def undeploy(cloud: Cloud, user_id: str, entity_id: str) -> Task:
    entity, kind = entity_and_kind(cloud, entity_id)
    cloud.ensure_not_busy(entity.id, _name(entity))
    _require_link(entity, "undeploy")
    return _start(cloud, user_id, "undeploy", entity, kind, "Undeploying Virtual Application")


def discard_state(cloud: Cloud, user_id: str, entity_id: str) -> Task:
    entity, kind = entity_and_kind(cloud, entity_id)
    cloud.ensure_not_busy(entity.id, _name(entity))
    _require_link(entity, "discardState")
    return _start(cloud, user_id, "discardState", entity, kind, "Discarding suspended state of")


def delete(cloud: Cloud, user_id: str, entity_id: str, force: bool = False) -> Task:
    entity, kind = entity_and_kind(cloud, entity_id)
    cloud.ensure_not_busy(entity.id, _name(entity))
    if not force:
        _require_link(entity, "remove")
    elif isinstance(entity, VApp):
        entity.deployed = False
    return _start(cloud, user_id, "delete", entity, kind, "Deleting Virtual Application")


def _name(entity: VApp | Vm) -> str:
    return entity.name if isinstance(entity, VApp) else entity.spec.name


def new_vapp(
    cloud: Cloud,
    vdc_id: str,
    name: str,
    owner_id: str,
    description: str,
    specs: list[VmSpec],
    run_id: str | None = None,
) -> VApp:
    vdc = cloud.inv.vdcs[vdc_id]
    if any(v.name == name for v in cloud.inv.vapps_of(vdc_id)):
        raise CloudError(
            400, "DUPLICATE_NAME", f"A vApp named {name} already exists in {vdc.name}."
        )
    vapp = VApp(
        id=new_id(),
        vdc_id=vdc_id,
        org_id=vdc.org_id,
        name=name,
        owner_id=owner_id,
        description=description,
        status=int(S.UNRESOLVED),
        created=now().isoformat(),
        run_id=run_id,
    )
    for spec in specs:
        vm = Vm(id=new_id(), vapp_id=vapp.id, spec=copy.deepcopy(spec), status=int(S.UNRESOLVED))
        cloud.inv.vms[vm.id] = vm
        vapp.vm_ids.append(vm.id)
    vapp.network_names = sorted({s.network for s in specs if s.network})
    cloud.inv.vapps[vapp.id] = vapp
    return vapp


def create(
    cloud: Cloud, user_id: str, op: str, vapp: VApp, deploy_it: bool, power_on: bool
) -> Task:
    verbs = {
        "instantiate": "Creating Virtual Application",
        "compose": "Composing Virtual Application",
        "clone": "Copying Virtual Application",
    }
    # Copying disks takes a while: clones run ten times longer than the other creations.
    weight = 10.0 if op == "clone" else 1.0
    task = _start(cloud, user_id, op, vapp, "vApp", verbs[op], pre_running=True, weight=weight)
    task.details = ",".join(w for w, on in (("deploy", deploy_it), ("powerOn", power_on)) if on)
    return task


def recompose(cloud: Cloud, user_id: str, vapp: VApp, add: list[VmSpec], remove: list[str]) -> Task:
    cloud.ensure_not_busy(vapp.id, vapp.name)
    for vm_id in remove:
        if vm_id in vapp.vm_ids:
            vapp.vm_ids.remove(vm_id)
            cloud.inv.vms.pop(vm_id, None)
    for spec in add:
        vm = Vm(id=new_id(), vapp_id=vapp.id, spec=copy.deepcopy(spec), status=int(S.POWERED_OFF))
        cloud.inv.vms[vm.id] = vm
        vapp.vm_ids.append(vm.id)
    return _start(cloud, user_id, "recompose", vapp, "vApp", "Updating Virtual Application")


def snapshot(cloud: Cloud, user_id: str, vapp: VApp, action: str, memory: bool = False) -> Task:
    cloud.ensure_not_busy(vapp.id, vapp.name)
    if action != "createSnapshot" and vapp.snapshot is None:
        raise CloudError(400, "BAD_REQUEST", f"{vapp.name} has no snapshot.")
    task = _start(
        cloud,
        user_id,
        action,
        vapp,
        "vApp",
        {
            "createSnapshot": "Creating snapshot of",
            "revertSnapshot": "Reverting to snapshot of",
            "removeSnapshots": "Removing snapshots of",
        }[action],
    )
    task.details = "memory" if memory else None
    return task


def update_section(cloud: Cloud, user_id: str, entity: VApp | Vm) -> Task:
    cloud.ensure_not_busy(entity.id, _name(entity))
    kind = "vApp" if isinstance(entity, VApp) else "vm"
    return _start(cloud, user_id, "updateSection", entity, kind, "Updating", weight=0.5)


def capture(
    cloud: Cloud, user_id: str, vapp: VApp, catalog_id: str, name: str, description: str
) -> tuple[Template, Task]:
    cloud.ensure_not_busy(vapp.id, vapp.name)
    catalog = cloud.inv.catalogs[catalog_id]
    specs = [copy.deepcopy(cloud.inv.vms[v].spec) for v in vapp.vm_ids if v in cloud.inv.vms]
    tmpl = Template(
        new_id(),
        vapp.vdc_id,
        catalog.id,
        name,
        description,
        vms=specs,
        vm_ids=[new_id() for _ in specs],
        status=0,
    )
    cloud.inv.templates[tmpl.id] = tmpl
    from .model import CatalogItem  # local: avoid a cycle in type-checking imports

    item = CatalogItem(new_id(), catalog.id, name, "vAppTemplate", tmpl.id, description)
    cloud.inv.catalog_items[item.id] = item
    task = _start(
        cloud,
        user_id,
        "capture",
        tmpl,
        "vAppTemplate",
        "Capturing Virtual Application",
        weight=10.0,
    )
    return tmpl, task

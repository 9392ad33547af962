"""The simulated cloud: inventory + task engine + sessions + faults, and its rules.

HTTP handlers call these methods; they never change the inventory themselves.
Every method that changes state runs under the inventory lock.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..schemas import SchemaRegistry, get_registry
from ..typemodel import TypeModel
from ..versions import KNOWN_VERSIONS, ApiVersion
from .faults import SESSION_EXPIRES_AFTER, Faults
from .model import Inventory, User, seed
from .tasks import TaskEngine


class CloudError(Exception):
    """A refusal the API reports as an Error element."""

    def __init__(self, status: int, minor: str, message: str) -> None:
        self.status = status
        self.minor = minor
        super().__init__(message)


@dataclass
class Session:
    token: str
    access_token: str
    user_id: str
    org_id: str
    version: ApiVersion
    created: float
    alive: bool = True
    #: Requests authenticated with this session (the ``session-expires`` fault counts them).
    uses: int = 0


@dataclass
class SimConfig:
    """How a simulator instance behaves (the ``sim`` command's options)."""

    api_versions: tuple[ApiVersion, ...] = KNOWN_VERSIONS
    task_speed: float = 1.0
    faults: tuple[str, ...] = ()
    state_file: Path | None = None
    schemas: str | None = None
    #: Passwords of the seeded users; generated per start unless given.
    passwords: dict[str, str] = field(default_factory=dict)
    #: Validate every response body against the XSDs before sending it.
    self_check: bool = False


def _password() -> str:
    return "sim-" + secrets.token_urlsafe(12)


class Cloud:
    """One simulated vCloud Director."""

    def __init__(
        self, config: SimConfig | None = None, clock: Callable[[], float] = time.time
    ) -> None:
        self.config = config or SimConfig()
        passwords = {
            key: self.config.passwords.get(key) or _password()
            for key in ("system", "tenant", "tenant2")
        }
        self.passwords = passwords
        state = self.config.state_file
        if state is not None and state.is_file():
            self.inv = Inventory.load(state)
        else:
            self.inv = seed(passwords)
        for user in self.inv.users.values():  # a loaded state keeps the given passwords current
            key = {"administrator": "system", "alice": "tenant", "hank": "tenant2"}.get(user.name)
            if key and key in self.config.passwords:
                user.password = self.config.passwords[key]
        self.passwords = self._current_passwords()
        self.faults = Faults(self.config.faults)
        self.engine = TaskEngine(self.inv, self.config.task_speed, clock, self.faults)
        self.clock = clock
        self.sessions: dict[str, Session] = {}
        self._lock = threading.RLock()
        self._registry: SchemaRegistry | None = None
        self._model: TypeModel | None = None
        self.versions = tuple(sorted(self.config.api_versions))
        #: Per-task poll counter, for faults that change answers between polls.
        self.polls: dict[str, int] = {}
        #: Product sections by entity id (in memory only, not part of --state).
        self.product_sections: dict[str, list[bytes]] = {}

    def _current_passwords(self) -> dict[str, str]:
        out = {}
        for user in self.inv.users.values():
            key = {"administrator": "system", "alice": "tenant", "hank": "tenant2"}.get(user.name)
            if key:
                out[key] = user.password
        return out

    # -- schema access (lazy: compiling costs ~0.2 s) ---------------------------------
    @property
    def registry(self) -> SchemaRegistry:
        if self._registry is None:
            self._registry = get_registry(self.config.schemas)
        return self._registry

    @property
    def model(self) -> TypeModel:
        if self._model is None:
            self._model = TypeModel(self.registry.index)
        return self._model

    # -- sessions -------------------------------------------------------------------
    def login(self, user_at_org: str, password: str, version: ApiVersion) -> Session:
        user_name, _, org_name = user_at_org.rpartition("@")
        if not user_name:
            raise CloudError(401, "UNAUTHORIZED", "Use user@organization as the user name.")
        with self.inv.lock:
            org = self.inv.org_by_name(org_name)
            user = self.inv.user_in_org(org.id, user_name) if org else None
            if org is None or user is None or not secrets.compare_digest(user.password, password):
                raise CloudError(401, "UNAUTHORIZED", "Invalid credentials.")
            if not user.enabled:
                raise CloudError(401, "UNAUTHORIZED", "The account is disabled.")
            session = Session(
                token=secrets.token_hex(16),
                access_token=secrets.token_urlsafe(48),
                user_id=user.id,
                org_id=org.id,
                version=version,
                created=self.clock(),
            )
            self.sessions[session.token] = session
            self.sessions[session.access_token] = session
            return session

    def session_for(self, token: str | None) -> Session | None:
        if not token:
            return None
        session = self.sessions.get(token)
        if session is None:
            return None
        if not session.alive and not self.faults.on("session-survives-logout"):
            return None
        session.uses += 1
        if self.faults.on("session-expires") and session.uses > SESSION_EXPIRES_AFTER:
            session.alive = False
            return None
        return session

    def logout(self, session: Session) -> None:
        session.alive = False

    def user(self, session: Session) -> User:
        return self.inv.users[session.user_id]

    def is_system(self, session: Session) -> bool:
        org = self.inv.orgs.get(session.org_id)
        return org is not None and org.name == "System"

    # -- rules --------------------------------------------------------------------------
    def ensure_not_busy(self, owner_id: str, name: str) -> None:
        """400 BUSY_ENTITY while the entity has a task that has not ended."""
        if self.faults.on("busy-entity-ignored"):
            return
        self.engine.tick()
        if self.inv.active_tasks_of(owner_id):
            raise CloudError(
                400,
                "BUSY_ENTITY",
                f"The requested operation could not be executed since {name} is busy "
                "completing an operation.",
            )

    def save_state(self) -> None:
        if self.config.state_file is not None:
            self.inv.save(self.config.state_file)

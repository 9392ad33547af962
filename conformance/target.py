"""What the suite runs against: URL, credentials, the objects it may use, and how."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from .redaction import Redactor


@dataclass
class Target:
    """A cloud under test (live, simulator, or the placeholder of a replay)."""

    url: str
    org: str
    user: str
    password: str = field(repr=False)
    system_user: str | None = None
    system_password: str | None = field(default=None, repr=False)
    #: Catalog / template / VDC the provisioning examples use (None: the first found).
    catalog: str | None = None
    template: str = "ubuntu-small"
    eula_template: str | None = "licensed-appliance"
    vdc: str | None = None
    verify: bool | str = True
    timeout: float = 30.0
    read_only: bool = False
    #: Prefix of every object a run creates: ``vcdc-<run id>-...``.
    run_id: str = field(default_factory=lambda: secrets.token_hex(4))
    #: How long a task may take before the watcher gives up (seconds).
    task_timeout: float = 120.0
    #: The first wait between two polls of a task (the watcher backs off from it).
    poll_delay: float = 0.05
    #: Poll without sleeping (replay): recorded answers come back at once.
    replay: bool = False

    def credentials(self, role: str) -> tuple[str, str, str]:
        if role == "system":
            if not self.system_user or not self.system_password:
                raise ValueError(
                    "this example needs system administrator credentials "
                    "(--vcd-system-user and VCD_SYSTEM_PASSWORD)"
                )
            return self.system_user, "System", self.system_password
        return self.user, self.org, self.password

    def redactor(self) -> Redactor:
        red = Redactor()
        red.add(self.password, self.system_password)
        return red

    def name(self, short: str) -> str:
        return f"vcdc-{self.run_id}-{short}"

    @staticmethod
    def secret() -> str:
        """A fresh password for an object a run creates: random, never derived from names.

        (Derived from the run id and example id it could be guessed by anyone who
        reads a report while the object exists.) Mixed case, a digit and a symbol
        satisfy the usual password policies.
        """
        return f"Vc{secrets.token_urlsafe(12)}#9a"

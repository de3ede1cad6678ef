"""Who may do what (config/roles.toml, data contract v1.1). Every write asks here on the server,
whatever a page showed: `allowed(user, "submit", unit)`."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import cache

from loaders.reference import CONFIG

OPEN_SUBMIT = "TMDT_OPEN_SUBMIT"


@dataclass(frozen=True)
class User:
    """Who is asking: an e-mail (or "" when nobody is signed in), a role (None: no access yet), units."""
    email: str
    role: str | None
    units: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.email or {"open": "local"}.get(self.role or "", "anonymous")


@cache
def roles() -> dict[str, set[str]]:
    with open(CONFIG / "roles.toml", "rb") as f:
        return {role: set(entry["may"]) for role, entry in tomllib.load(f)["roles"].items()}


def open_submit() -> bool:
    """Started with TMDT_OPEN_SUBMIT=1: whoever reaches the dashboard may submit and review."""
    return os.environ.get(OPEN_SUBMIT) == "1"


def local_user() -> User:
    """The user when no identity provider is configured: read-only, or `open` with TMDT_OPEN_SUBMIT=1."""
    return User("", "open") if open_submit() else User("", "leadership")


def allowed(user: User, action: str, unit_code: str | None = None) -> bool:
    """May `user` do `action` ("read", "submit", "review", "audit", "access"), on `unit_code` for a submission?"""
    may = roles().get(user.role or "", set())
    if action == "submit":
        return "submit_any" in may or ("submit" in may and unit_code in user.units)
    return action in may

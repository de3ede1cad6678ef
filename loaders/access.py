"""Who may do what (config/roles.toml, data contract v1.1). Every write asks here on the server,
whatever a page showed: `allowed(user, "submit", unit)`.

A signed-in user's role and units come from the identity provider's ID-token claims `tmdt_role`
and `tmdt_units`, or from the access file (config/access.toml, or the file TMDT_ACCESS names),
keyed by e-mail; the access file wins. An unknown role or unit code gives nothing: a role that is
not one of the contract's is no role (no access yet), a unit that is not one of the 114 is dropped."""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from loaders.reference import CONFIG, scope_codes

OPEN_SUBMIT = "TMDT_OPEN_SUBMIT"
ACCESS = "TMDT_ACCESS"  # the access file, instead of config/access.toml
SIGNED_IN_ROLES = ("leadership", "department", "officer", "admin")  # "reader" and "open": the local rule's


@dataclass(frozen=True)
class User:
    """Who is asking: an e-mail (or "" when nobody is signed in), a role (None: no access yet), units."""
    email: str
    role: str | None
    units: frozenset[str] = frozenset()

    @property
    def name(self) -> str:
        return self.email or {"open": "local", "reader": "local"}.get(self.role or "", "anonymous")


@cache
def roles() -> dict[str, set[str]]:
    with open(CONFIG / "roles.toml", "rb") as f:
        return {role: set(entry["may"]) for role, entry in tomllib.load(f)["roles"].items()}


def open_submit() -> bool:
    """Started with TMDT_OPEN_SUBMIT=1: whoever reaches the dashboard may submit and review."""
    return os.environ.get(OPEN_SUBMIT) == "1"


def local_user() -> User:
    """The user when no identity provider is configured: `reader` (read-only), or `open` with TMDT_OPEN_SUBMIT=1."""
    return User("", "open") if open_submit() else User("", "reader")


def access_file() -> Path:
    return Path(os.environ.get(ACCESS) or CONFIG / "access.toml")


def access_list(path: Path | None = None) -> dict[str, dict]:
    """The access file's entries by e-mail (lower case): {"role": ..., "units": [...]}; none when there is no file."""
    path = path or access_file()
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        return {email.strip().lower(): entry for email, entry in tomllib.load(f).get("users", {}).items()}


def signed_in(email: str, claims: Mapping, access: Mapping[str, dict] | None = None) -> User:
    """The user an identity provider vouched for: e-mail, and the role and units of the access file
    (when it lists the e-mail) or of the ID token's claims."""
    email = (email or "").strip().lower()
    entry = (access if access is not None else access_list()).get(email)
    source = entry if entry is not None else {"role": claims.get("tmdt_role"), "units": claims.get("tmdt_units")}
    role = source.get("role") if source.get("role") in SIGNED_IN_ROLES else None
    units = source.get("units") or []
    units = [units] if isinstance(units, str) else units if isinstance(units, (list, tuple)) else []
    return User(email, role, frozenset(str(u) for u in units if str(u) in scope_codes()) if role else frozenset())


def may(user: User, action: str) -> bool:
    """Does the user's role allow `action` at all (a submission: for some unit)?"""
    may_do = roles().get(user.role or "", set())
    return action in may_do or (action == "submit" and "submit_any" in may_do)


def allowed(user: User, action: str, unit_code: str | None = None) -> bool:
    """May `user` do `action` ("read", "submit", "review", "audit", "access"), on `unit_code` for a submission?"""
    may = roles().get(user.role or "", set())
    if action == "submit":
        return "submit_any" in may or ("submit" in may and unit_code in user.units)
    return action in may

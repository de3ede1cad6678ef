"""Sign-in through Streamlit's own st.login / st.user / st.logout (OIDC, configured in
.streamlit/secrets.toml, section [auth]; README "Đăng nhập"). With a provider configured, every
page asks for sign-in first and a user without a role sees a "no access yet" page; without one,
the contract's local rule holds (loaders.access.local_user). Sign-ins and sign-outs are recorded
in the store's audit log."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from loaders import audit
from loaders.access import User, local_user, signed_in
from loaders.reference import units
from ui.state import t
from ui.widgets import plain

EXAMPLE_SECRET = "change-me"  # the example file's (.streamlit/secrets.example.toml): never a real one
MIN_SECRET = 32  # characters


def provider() -> Mapping | None:
    """The [auth] section of .streamlit/secrets.toml, or None: no identity provider configured."""
    try:
        section = st.secrets.get("auth")
    except StreamlitSecretNotFoundError:  # no secrets file at all
        return None
    return section or None


def safe(section: Mapping) -> bool:
    """The sign-in cookie is signed with a secret of the deployment's own: set, long, not the example's."""
    secret = str(section.get("cookie_secret", ""))
    return len(secret) >= MIN_SECRET and EXAMPLE_SECRET not in secret


def identity() -> tuple[str, Mapping] | None:
    """The signed-in user's e-mail and ID-token claims (st.user), or None when nobody is signed in."""
    if not st.user.is_logged_in:
        return None
    claims = st.user.to_dict()
    return str(claims.get("email") or claims.get("sub") or ""), claims


def current_user() -> User | None:
    """Who is asking: the local user without a provider; with one, the signed-in user (None: nobody)."""
    if provider() is None:
        return local_user()
    who = identity()
    return None if who is None else signed_in(*who)


def gate(store_root) -> User:
    """The user this run serves, or a page that stops the run: sign-in first (what the dashboard
    is, and the button), no access yet, or sign-in settings that are not safe."""
    section = provider()
    if section is not None and not safe(section):
        st.error(t("account.no_cookie_secret"))
        st.stop()
    user = current_user()
    if user is None:
        st.title(t("account.welcome_title"))
        st.markdown(t("account.welcome"))
        st.button(t("account.sign_in"), type="primary", key="sign_in", on_click=st.login)
        st.stop()
    if user.email and _first_run_of_sign_in(store_root, user.email):
        audit.record(store_root, user=user.email, role=user.role or "", action="sign_in",
                     result="ok" if user.role else "refused", reason="" if user.role else "account.no_access_title")
    if user.role is None:
        st.title(t("account.no_access_title"))
        st.text(t("account.no_access", email=user.email))  # the e-mail as text, never Markdown
        account_box(user, store_root)
        st.stop()
    return user


@st.cache_resource
def _signins() -> set[tuple[str, str, str]]:
    """The sign-ins this server has recorded: (store, e-mail, when the ID token was issued)."""
    return set()


def _first_run_of_sign_in(store_root, email: str) -> bool:
    """True once per sign-in: every page opened afterwards is a new session with the same ID token
    (its `iat`), which is not a new sign-in."""
    who = identity()
    key = (str(store_root), email, str((who[1] if who else {}).get("iat", "")))
    seen = _signins()
    if key in seen:
        return False
    seen.add(key)
    return True


def account_box(user: User, store_root) -> None:
    """Who is signed in, the role and the units, and the sign-out, in the sidebar."""
    side = st.sidebar
    if user.email:
        side.caption(plain(t("account.signed_in_as", email=user.email)))
    side.caption(t("account.role_line", role=t(f"role.{user.role}") if user.role else "—"))
    if user.units:
        names = units().set_index("unit_code")["name"]
        side.caption(plain(t("account.units_line", units=", ".join(f"{names[c]} ({c})" for c in sorted(user.units)))))
    if user.email:
        side.button(t("account.sign_out"), key="sign_out", on_click=sign_out, args=(user, store_root))


def sign_out(user: User, store_root) -> None:
    audit.record(store_root, user=user.email, role=user.role or "", action="sign_out", result="ok")
    st.logout()

"""Access expectations of signing in, passwords, one's own account and the second factor.

`login` and `logout` are exempt (tests/test_access_matrix.py). The personas have no
authenticator device (a device would sign a `force_login` session out: it never gave a code),
so the pages that act on one's own device send them to the status page; an administrator's
reset acts on `two_factor_user`, a Kota Blitar assessor with a device.
"""

from __future__ import annotations

from typing import Any

from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipko.accounts.forms_auth import AccountForm
from sipko.accounts.models import Role
from tests.access import PERSONAS, form_body, form_page, page, row
from tests.conftest import PASSWORD
from tests.factories import UserFactory

EVERYONE = dict.fromkeys(PERSONAS, 200)
SIGNED_IN = row(**dict.fromkeys(PERSONAS[1:], 200))
SIGNED_IN_POST = row(**dict.fromkeys(PERSONAS[1:], 302))
# Managing `two_factor_user`: Kota Blitar's admin and the national admin; nobody else finds it.
MANAGERS = row(
    operator=404,
    other_operator=404,
    viewer=404,
    assessor=404,
    region_admin=200,
    national_admin=200,
    outside_admin=404,
)
MANAGERS_POST = {**MANAGERS, "region_admin": 302, "national_admin": 302}

EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    # Without a half-done sign-in the code page sends back to the password.
    "two_factor_verify": form_page(SIGNED_IN_POST, SIGNED_IN_POST),
    "account": form_page(SIGNED_IN, SIGNED_IN_POST),
    "password_change": form_page(SIGNED_IN, SIGNED_IN_POST),
    "password_change_done": page(SIGNED_IN),
    # Public: asking for a link (a POST without an address shows the form again), the link's
    # page (an invalid link here) and the pages after.
    "password_reset": page(EVERYONE),
    "password_reset_done": page(EVERYONE),
    "password_reset_confirm": page(EVERYONE),
    "password_reset_complete": page(EVERYONE),
    "two_factor": page(SIGNED_IN),
    # The code typed must come from the key shown in the same session: a bare POST is refused
    # with a message on the page.
    "two_factor_setup": form_page(SIGNED_IN, SIGNED_IN),
    # Without a device, these lead to the status page.
    "two_factor_recovery_codes": form_page(SIGNED_IN_POST, SIGNED_IN_POST),
    "two_factor_disable": form_page(SIGNED_IN_POST, SIGNED_IN_POST),
    "two_factor_reset": form_page(MANAGERS, MANAGERS_POST),
}

NO_WRITE = {
    "two_factor_verify": "no half-done sign-in in these sessions",
    "two_factor_setup": "no key was shown in this session (nothing to confirm)",
    "two_factor_recovery_codes": "the personas have no second factor",
    "two_factor_disable": "the personas have no second factor",
}


def post_data(name: str, world: dict[str, Any], user: Any) -> dict[str, Any] | None:
    if name == "account":
        if user is None:
            return {"email": "anonim@contoh.test"}
        return form_body(AccountForm(instance=user), email=f"{user.username}@contoh.test")
    if name == "password_change":
        new = "Kendang-Kepanjen-2026"
        return {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    if name == "two_factor_verify":
        return {"code": "123456"}
    if name == "two_factor_setup":
        return {"code": "123456"}
    if name == "two_factor_disable":
        return {"password": PASSWORD}
    return {}


def setup(world: dict[str, Any]) -> None:
    user = UserFactory(username="penilai_ponsel_hilang", role=Role.ASSESSOR, region_id="35.72")
    TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    static = StaticDevice.objects.create(user=user, name="pemulihan", confirmed=True)
    StaticToken.objects.create(device=static, token="abcdefgh")
    world["two_factor_user"] = user


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    return {
        "two_factor_reset": {"pk": world["two_factor_user"].pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "tautan-tidak-sah"},
    }.get(name)

"""Access expectations of user management, onboarding and activation (namespace `users`).

The managed accounts are Kota Blitar's: `managed_user` (a viewer with a usable activation
code), `inactive_user` (deactivated), and the operator made by onboarding `batch_ormas` (the
`batch`). Kota Blitar's admin and the national admin manage them; Kabupaten Malang's admin does
not find them (404); everyone else may not manage users at all (403).
"""

from __future__ import annotations

from typing import Any

from sipko.accounts import services
from sipko.accounts.models import Role
from tests.access import ADMINS, NOT_ADMIN, PERSONAS, action, form_page, page, row
from tests.factories import OrmasFactory, UserFactory

# The pages of user management itself: every administrator, each seeing its own region.
MANAGERS = row(**NOT_ADMIN, **ADMINS)
MANAGERS_POST = row(**NOT_ADMIN, **dict.fromkeys(ADMINS, 302))
MANAGERS_SHOW = MANAGERS  # a POST whose answer is a page showing a secret once
# One Kota Blitar account (or batch).
KOTA = row(**NOT_ADMIN, region_admin=200, national_admin=200, outside_admin=404)
KOTA_POST = {**KOTA, "region_admin": 302, "national_admin": 302}
EVERYONE = dict.fromkeys(PERSONAS, 200)

EXPECTED: dict[str, dict[str, dict[str, int]]] = {
    "users:list": page(MANAGERS),
    # The POST answers with the new account's code, shown once.
    "users:create": form_page(MANAGERS, MANAGERS_SHOW),
    "users:detail": page(KOTA),
    "users:edit": form_page(KOTA, KOTA_POST),
    # GET asks for confirmation; POST acts.
    "users:deactivate": form_page(KOTA, KOTA_POST),
    "users:reactivate": form_page(KOTA, KOTA_POST),
    "users:temporary_password": form_page(KOTA, KOTA),
    "users:code_issue": action(KOTA),
    "users:code_slip": page(KOTA),
    # Choosing, then (with `confirm`) creating: each admin onboards an ormas of its own region.
    "users:onboard": form_page(MANAGERS, MANAGERS_POST),
    "users:batch": page(KOTA),
    "users:batch_slips": page(KOTA),
    "users:batch_email": action(KOTA_POST),
    # Public, for anyone holding a code.
    "users:activate": form_page(EVERYONE, EVERYONE),
}

NO_WRITE = {
    "users:activate": "the POST here is step one (the code is checked, the password step shown); "
    "activation itself, which signs in and lands on /, is tested in tests/accounts/"
    "test_activation.py",
}


def _kota(user: Any) -> bool:
    return not (user and user.region_id == "35.07")


def post_data(name: str, world: dict[str, Any], user: Any) -> dict[str, Any] | None:
    if name == "users:create":
        return {
            "username": "akun_uji_akses",
            "name": "Akun Uji Akses",
            "email": "",
            "role": Role.VIEWER,
            "region": "35.72" if _kota(user) else "35.07",
        }
    if name == "users:edit":
        return {"name": "Nama Diubah", "email": "", "role": Role.VIEWER, "region": "35.72"}
    if name == "users:onboard":
        free = world["free_ormas"] if _kota(user) else world["outside_ormas"]
        return {"ormas": [str(free.pk)], "confirm": "1"}
    if name == "users:activate":
        return {"kode": world["activation_code"]}
    return {}


def setup(world: dict[str, Any]) -> None:
    admin = world["users"]["region_admin"]
    managed = UserFactory(username="pemantau_dikelola", role=Role.VIEWER, region_id="35.72")
    world["managed_user"] = managed
    world["activation_code"] = services.activation_code_issue(admin, managed)
    world["inactive_user"] = UserFactory(
        username="pemantau_nonaktif", role=Role.VIEWER, region_id="35.72", is_active=False
    )
    world["free_ormas"] = OrmasFactory(name="Perkumpulan Belum Berakun (fiktif)")
    batch_ormas = OrmasFactory(
        name="Perkumpulan Onboarding Uji (fiktif)", email="onboarding@example.test"
    )
    world["batch"] = services.onboard_ormas(admin, [batch_ormas])


def url_kwargs(name: str, world: dict[str, Any]) -> dict[str, Any] | None:
    if name == "users:reactivate":
        return {"pk": world["inactive_user"].pk}
    if name in (
        "users:detail",
        "users:edit",
        "users:deactivate",
        "users:temporary_password",
        "users:code_issue",
        "users:code_slip",
    ):
        return {"pk": world["managed_user"].pk}
    if name.startswith("users:batch"):
        return {"batch": world["batch"]}
    return None

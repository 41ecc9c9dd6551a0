"""User management at the service: who may create, change, (de)activate and reissue for whom,
and that every change leaves an audit line with its actor."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sipko.accounts import services
from sipko.accounts.models import AccountEvent, ActivationCode, Role, User
from sipko.lib import protected
from tests.factories import UserFactory

Kind = AccountEvent.Kind
LONG_EMAIL = "a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".id"


def _events(user: User) -> list[tuple[str, int | None]]:
    return list(
        AccountEvent.objects.filter(user=user).order_by("pk").values_list("kind", "actor_id")
    )


@pytest.fixture
def city_viewer() -> User:
    return UserFactory(username="pemantau_kedua", role=Role.VIEWER, region_id="35.72")


@pytest.fixture
def province_admin() -> User:
    return UserFactory(username="admin_jatim", role=Role.REGION_ADMIN, region_id="35")


# --- create -----------------------------------------------------------------------------------


def test_region_admin_creates_a_viewer_with_a_code_and_no_password(region_admin) -> None:
    created = services.user_create(
        region_admin,
        username="pemantau_baru",
        name="  Dewi   Lestari ",
        email="dewi@example.test",
        role=Role.VIEWER,
        region_code="35.72",
    )
    user = created.user
    assert (user.role, user.region_id, user.get_full_name()) == ("viewer", "35.72", "Dewi Lestari")
    assert not user.has_usable_password()
    assert len(created.code) == 11 and created.code[5] == "-"
    code = ActivationCode.objects.get(user=user)
    clear = created.code.replace("-", "")
    assert code.code_hash == protected.lookup_hash(clear)
    assert protected.decrypt(code.code_encrypted) == clear
    assert clear not in code.code_encrypted
    assert not set(clear) & set("01OIL")
    assert _events(user) == [(Kind.CREATED, region_admin.pk), (Kind.CODE_ISSUED, region_admin.pk)]
    assert user.history.first().history_user == region_admin


def test_operator_takes_the_region_of_its_ormas(region_admin, ormas) -> None:
    user = services.user_create(
        region_admin, username="op2", name="", email="", role=Role.OPERATOR, ormas=ormas
    ).user
    assert (user.ormas, user.region_id) == (ormas, None)


def test_operator_needs_an_ormas(region_admin) -> None:
    with pytest.raises(ValidationError) as info:
        services.user_create(
            region_admin, username="op3", name="", email="", role=Role.OPERATOR, region_code="35.72"
        )
    assert "ormas" in info.value.message_dict
    assert not User.objects.filter(username="op3").exists()


@pytest.mark.parametrize(
    ("username", "email", "field"),
    [
        ("", "", "username"),
        ("dua kata", "", "username"),
        ("admin_kota", "", "username"),  # taken (case-insensitive below)
        ("ADMIN_KOTA", "", "username"),
        ("baru", "bukan-surel", "email"),
        # Passes Django's e-mail validator (≤ 320) but not the column (254): a 500 on PostgreSQL.
        ("baru", LONG_EMAIL, "email"),
    ],
)
def test_bad_input_is_refused_in_indonesian(region_admin, username, email, field) -> None:
    before = User.objects.count()
    with pytest.raises(ValidationError) as info:
        services.user_create(
            region_admin,
            username=username,
            name="",
            email=email,
            role=Role.VIEWER,
            region_code="35.72",
        )
    assert field in info.value.message_dict
    message = " ".join(info.value.message_dict[field])
    assert any(word in message for word in ("Nama pengguna", "surel"))
    assert User.objects.count() == before


def test_region_admin_cannot_create_outside_its_region(region_admin, outside_ormas) -> None:
    with pytest.raises(PermissionDenied):
        services.user_create(
            region_admin, username="x1", name="", email="", role=Role.VIEWER, region_code="35.07"
        )
    with pytest.raises(PermissionDenied):
        services.user_create(
            region_admin, username="x2", name="", email="", role=Role.OPERATOR, ormas=outside_ormas
        )
    assert not User.objects.filter(username__in=["x1", "x2"]).exists()


def test_region_admin_cannot_give_a_wider_region_or_the_national_role(region_admin) -> None:
    with pytest.raises(PermissionDenied):
        services.user_create(
            region_admin, username="x3", name="", email="", role=Role.REGION_ADMIN, region_code="35"
        )
    with pytest.raises(PermissionDenied):
        services.user_create(
            region_admin, username="x4", name="", email="", role=Role.NATIONAL_ADMIN
        )
    assert not User.objects.filter(username__in=["x3", "x4"]).exists()


def test_region_admin_may_make_a_fellow_admin_of_its_region(region_admin) -> None:
    user = services.user_create(
        region_admin,
        username="admin_dua",
        name="",
        email="",
        role=Role.REGION_ADMIN,
        region_code="35.72",
    ).user
    assert user.role == Role.REGION_ADMIN


@pytest.mark.parametrize("persona", ["operator", "viewer", "assessor"])
def test_non_admins_create_nothing(request, persona) -> None:
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.user_create(
            actor, username="x5", name="", email="", role=Role.VIEWER, region_code="35.72"
        )
    assert not User.objects.filter(username="x5").exists()


def test_national_admin_grants_the_national_role(national_admin) -> None:
    user = services.user_create(
        national_admin,
        username="nasional2",
        name="",
        email="",
        role=Role.NATIONAL_ADMIN,
        region_code="35.72",
    ).user
    assert (user.role, user.region_id) == (Role.NATIONAL_ADMIN, None)


# --- update -----------------------------------------------------------------------------------


def test_update_changes_fields_and_is_audited(region_admin, city_viewer) -> None:
    services.user_update(
        region_admin, city_viewer, name="Budi", email="budi@example.test", role=Role.ASSESSOR
    )
    city_viewer.refresh_from_db()
    assert (city_viewer.get_full_name(), city_viewer.email, city_viewer.role) == (
        "Budi",
        "budi@example.test",
        Role.ASSESSOR,
    )
    assert _events(city_viewer)[-1] == (Kind.UPDATED, region_admin.pk)
    assert city_viewer.history.first().history_user == region_admin


def test_update_cannot_move_a_user_out_of_scope_or_up(region_admin, city_viewer) -> None:
    for changes in ({"region_code": "35.07"}, {"region_code": "35"}, {"role": Role.NATIONAL_ADMIN}):
        with pytest.raises(PermissionDenied):
            services.user_update(region_admin, city_viewer, **changes)
    city_viewer.refresh_from_db()
    assert (city_viewer.role, city_viewer.region_id) == (Role.VIEWER, "35.72")
    assert not AccountEvent.objects.filter(user=city_viewer).exists()


def test_outside_admin_cannot_touch_kota_blitar_accounts(outside_admin, city_viewer, operator):
    for target in (city_viewer, operator):
        for call in (
            lambda t: services.user_update(outside_admin, t, name="Diambil alih"),
            lambda t: services.user_deactivate(outside_admin, t),
            lambda t: services.activation_code_issue(outside_admin, t),
            lambda t: services.user_set_temporary_password(outside_admin, t),
        ):
            with pytest.raises(PermissionDenied):
                call(target)
    city_viewer.refresh_from_db()
    assert city_viewer.is_active and city_viewer.get_full_name() == ""
    assert not AccountEvent.objects.exists()


def test_province_admin_manages_kota_blitar_accounts(province_admin, city_viewer, operator):
    services.user_update(province_admin, city_viewer, region_code="35.72")  # unchanged: no-op
    services.user_update(province_admin, city_viewer, name="Citra")
    services.user_deactivate(province_admin, operator)
    assert User.objects.get(pk=city_viewer.pk).get_full_name() == "Citra"
    assert not User.objects.get(pk=operator.pk).is_active


def test_a_city_admin_cannot_manage_the_province_admin(region_admin, province_admin) -> None:
    with pytest.raises(PermissionDenied):
        services.user_deactivate(region_admin, province_admin)


def test_nobody_manages_their_own_account(region_admin, national_admin) -> None:
    for actor in (region_admin, national_admin):
        with pytest.raises(PermissionDenied):
            services.user_deactivate(actor, actor)
        with pytest.raises(PermissionDenied):
            services.user_update(actor, actor, role=Role.VIEWER)
        with pytest.raises(PermissionDenied):
            services.user_set_temporary_password(actor, actor)


def test_update_refuses_an_e_mail_longer_than_the_column(region_admin, city_viewer) -> None:
    with pytest.raises(ValidationError) as info:
        services.user_update(region_admin, city_viewer, email=LONG_EMAIL)
    assert "surel" in " ".join(info.value.message_dict["email"])
    city_viewer.refresh_from_db()
    assert city_viewer.email != LONG_EMAIL


def test_update_refuses_unknown_fields(region_admin, city_viewer) -> None:
    with pytest.raises(TypeError):
        services.user_update(region_admin, city_viewer, is_superuser=True)


# --- deactivate, reactivate, temporary password, codes ----------------------------------------


def test_deactivation_revokes_unused_codes_and_reactivation_restores(region_admin, city_viewer):
    services.activation_code_issue(region_admin, city_viewer)
    services.user_deactivate(region_admin, city_viewer)
    city_viewer.refresh_from_db()
    assert not city_viewer.is_active
    code = ActivationCode.objects.get(user=city_viewer)
    assert code.revoked_at is not None and code.code_encrypted == ""
    with pytest.raises(ValidationError):
        services.user_deactivate(region_admin, city_viewer)
    services.user_reactivate(region_admin, city_viewer)
    assert User.objects.get(pk=city_viewer.pk).is_active
    assert [k for k, _a in _events(city_viewer)] == [
        Kind.CODE_ISSUED,
        Kind.DEACTIVATED,
        Kind.REACTIVATED,
    ]


def test_temporary_password_must_be_changed(region_admin, city_viewer) -> None:
    services.activation_code_issue(region_admin, city_viewer)
    password = services.user_set_temporary_password(region_admin, city_viewer)
    city_viewer.refresh_from_db()
    assert city_viewer.check_password(password)
    assert city_viewer.must_change_password
    assert password not in city_viewer.password
    assert ActivationCode.objects.get(user=city_viewer).revoked_at is not None
    assert _events(city_viewer)[-1] == (Kind.TEMPORARY_PASSWORD, region_admin.pk)
    assert password not in str(list(AccountEvent.objects.values_list("detail", flat=True)))


def test_reissue_revokes_the_earlier_code(region_admin, city_viewer) -> None:
    first = services.activation_code_issue(region_admin, city_viewer)
    second = services.activation_code_issue(region_admin, city_viewer)
    assert first != second
    states = {
        c.code_hash: services.code_state(c) for c in ActivationCode.objects.filter(user=city_viewer)
    }
    assert states[protected.lookup_hash(first.replace("-", ""))] == services.CodeState.REVOKED
    assert states[protected.lookup_hash(second.replace("-", ""))] == services.CodeState.USABLE


def test_no_code_for_a_deactivated_account(region_admin, city_viewer) -> None:
    services.user_deactivate(region_admin, city_viewer)
    with pytest.raises(ValidationError):
        services.activation_code_issue(region_admin, city_viewer)
    assert not ActivationCode.objects.filter(user=city_viewer).exists()


def test_code_format_helpers() -> None:
    assert services.normalise_code(" abcde-fghjk ") == "ABCDEFGHJK"
    assert services.normalise_code("abcde fghjk") == "ABCDEFGHJK"
    assert services.format_code("abcdefghjk") == "ABCDE-FGHJK"
    assert services.activation_link("ABCDEFGHJK") == (
        "https://sipko.example.test/akun/aktivasi/#kode=ABCDE-FGHJK"
    )

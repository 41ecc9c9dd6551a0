"""Two-factor sign-in with real TOTP codes (RFC 6238, computed here), recovery codes, the duties
the middleware enforces, and an administrator's reset (docs/accounts.md#two-factor-sign-in)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import struct
import time
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipko.accounts import two_factor
from sipko.accounts.models import AccountEvent, Role
from tests.conftest import PASSWORD
from tests.factories import UserFactory

# A time-step boundary (30 s) a little ahead of now: sessions made then stay valid afterwards.
T0 = dt.datetime.fromtimestamp((time.time() // 30 + 20) * 30, tz=dt.UTC)


def totp_code(key: bytes, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 TOTP (HMAC-SHA1, RFC 4226 dynamic truncation), written out independently of
    django-otp so that the tests check it against the standard."""
    counter = int(time.time() if at is None else at) // step
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def code_for(device: TOTPDevice, at: dt.datetime | None = None) -> str:
    return totp_code(device.bin_key, at.timestamp() if at else None)


def test_the_rfc_6238_reference_vector() -> None:
    """RFC 6238 appendix B, SHA-1, T = 59 s: 94287082 (8 digits)."""
    assert totp_code(b"12345678901234567890", at=59, digits=8) == "94287082"


def enrol(user: Any, *, recovery: list[str] | None = None) -> TOTPDevice:
    device = TOTPDevice.objects.create(user=user, name="ponsel", confirmed=True)
    if recovery:
        static = StaticDevice.objects.create(user=user, name="pemulihan", confirmed=True)
        for token in recovery:
            StaticToken.objects.create(device=static, token=two_factor.recovery_token(token))
    return device


def password_step(client: Client, user: Any, next_url: str = "") -> Any:
    data = {"username": user.username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def code_step(client: Client, code: str) -> Any:
    return client.post(reverse("two_factor_verify"), {"code": code})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def required(settings: Any) -> None:
    settings.SIPKO_TWO_FACTOR_REQUIRED = True
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = False


# --- signing in with a code ------------------------------------------------------------


def test_the_password_alone_does_not_sign_in_an_account_with_a_device(region_admin, ormas) -> None:
    device = enrol(region_admin)
    client = Client()
    target = reverse("registry:detail", args=[ormas.uuid])
    with time_machine.travel(T0, tick=False):
        response = password_step(client, region_admin, next_url=target)
        assert response.status_code == 302
        assert response["Location"] == reverse("two_factor_verify")
        assert not signed_in(client)
        assert client.get(reverse("registry:list")).status_code == 302  # still anonymous
        page = client.get(reverse("two_factor_verify"))
        assert page.status_code == 200 and region_admin.username in page.content.decode()

        response = code_step(client, code_for(device))
    assert response.status_code == 302 and response["Location"] == target
    assert signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get(reverse("registry:list")).status_code == 200


def test_a_code_typed_with_a_space_is_accepted(region_admin) -> None:
    device = enrol(region_admin)
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_step(client, region_admin)
        code = code_for(device)
        response = code_step(client, f"{code[:3]} {code[3:]}")
    assert response.status_code == 302 and signed_in(client)


def test_a_wrong_code_is_refused_and_throttled(region_admin) -> None:
    device = enrol(region_admin)
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        password_step(client, region_admin)
        right = code_for(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        response = code_step(client, wrong)
        assert response.status_code == 200
        assert "Kode salah atau sudah dipakai." in response.content.decode()
        assert not signed_in(client)
        device.refresh_from_db()
        assert device.throttling_failure_count == 1
        # Straight after a wrong code even the right one waits (django-otp's back-off) ...
        response = code_step(client, right)
        assert "Tunggu 1 detik" in response.content.decode()
        assert not signed_in(client)
        # ... and passes once the wait is over.
        clock.shift(2)
        response = code_step(client, right)
    assert response.status_code == 302 and signed_in(client)


def test_a_code_cannot_be_used_twice(region_admin) -> None:
    device = enrol(region_admin)
    with time_machine.travel(T0, tick=False) as clock:
        code = code_for(device)
        first = Client()
        password_step(first, region_admin)
        assert code_step(first, code).status_code == 302

        clock.shift(5)  # same 30-second step: someone who saw the code types it too
        second = Client()
        password_step(second, region_admin)
        response = code_step(second, code)
        assert response.status_code == 200 and not signed_in(second)
        clock.shift(30)  # the next code works
        response = code_step(second, code_for(device))
    assert response.status_code == 302 and signed_in(second)


def test_the_half_done_sign_in_expires_after_five_minutes(region_admin) -> None:
    device = enrol(region_admin)
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        password_step(client, region_admin)
        clock.shift(two_factor.PENDING_SECONDS + 1)
        response = code_step(client, code_for(device))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not signed_in(client)
    device.refresh_from_db()
    assert device.last_t == -1  # the code was never even checked


def test_a_half_done_sign_in_takes_only_a_few_wrong_codes(region_admin) -> None:
    device = enrol(region_admin)
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        password_step(client, region_admin)
        for attempt in range(two_factor.PENDING_MAX_FAILURES):
            clock.shift(2**attempt + 1)  # past django-otp's back-off each time
            response = code_step(client, "000000" if code_for(device) != "000000" else "111111")
        assert response.status_code == 302 and response["Location"] == reverse("login")
        clock.shift(60)
        response = code_step(client, code_for(device))
    assert response["Location"] == reverse("login")  # the password must be given again
    assert not signed_in(client)


def test_the_lockout_of_django_axes_still_guards_the_password_step(region_admin, settings) -> None:
    enrol(region_admin)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": region_admin.username, "password": "salah"})
    response = password_step(client, region_admin)
    assert response.status_code == 429
    assert two_factor.PENDING_SESSION_KEY not in client.session


# --- recovery codes ------------------------------------------------------------


def test_a_recovery_code_signs_in_once(region_admin) -> None:
    enrol(region_admin, recovery=["abcdefgh", "ijklmnop"])
    client = Client()
    password_step(client, region_admin)
    response = code_step(client, "ABCD-EFGH")
    assert response.status_code == 302 and signed_in(client)
    event = AccountEvent.objects.get(user=region_admin, kind=AccountEvent.Kind.RECOVERY_CODE_USED)
    assert event.actor == region_admin
    stored = list(StaticToken.objects.values_list("token", flat=True))
    assert stored == [two_factor.recovery_token("ijklmnop")]

    again = Client()
    password_step(again, region_admin)
    response = code_step(again, "abcdefgh")
    assert response.status_code == 200 and not signed_in(again)


def test_what_the_database_holds_of_a_recovery_code_does_not_sign_in(region_admin) -> None:
    """Recovery codes are stored as keyed hashes: a copy of the table gives nothing to type."""
    enrol(region_admin, recovery=["abcdefgh"])
    stored = StaticToken.objects.get(device__user=region_admin).token
    assert stored != "abcdefgh"
    client = Client()
    password_step(client, region_admin)
    response = code_step(client, stored)
    assert response.status_code == 200 and not signed_in(client)
    assert StaticToken.objects.filter(device__user=region_admin).count() == 1


def test_new_recovery_codes_replace_the_old_ones(region_admin) -> None:
    device = enrol(region_admin, recovery=["abcdefgh"])
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_step(client, region_admin)
        code_step(client, code_for(device))
    url = reverse("two_factor_recovery_codes")
    assert client.get(url).status_code == 200  # the confirmation first
    assert StaticToken.objects.filter(token=two_factor.recovery_token("abcdefgh")).exists()
    response = client.post(url)
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert not StaticToken.objects.filter(token=two_factor.recovery_token("abcdefgh")).exists()
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == {two_factor.recovery_token(c) for c in codes}
    assert not stored & {c.replace("-", "").lower() for c in codes}  # never the codes themselves
    assert AccountEvent.objects.filter(
        user=region_admin, kind=AccountEvent.Kind.RECOVERY_CODES
    ).exists()
    assert client.get(reverse("two_factor")).status_code == 200  # still signed in


# --- setting up ------------------------------------------------------------


def test_setting_up_a_device_confirms_it_and_shows_ten_recovery_codes(assessor) -> None:
    client = Client()
    client.force_login(assessor)
    page = client.get(reverse("two_factor_setup"))
    assert page.status_code == 200
    assert page.context["qr"].startswith("data:image/svg+xml;base64,")
    hex_key = client.session[two_factor.SETUP_SESSION_KEY]
    assert page.context["key"].replace(" ", "") == two_factor.format_key(hex_key).replace(" ", "")
    assert not TOTPDevice.objects.filter(user=assessor).exists()  # nothing stored by a GET

    with time_machine.travel(T0, tick=False) as clock:
        wrong = client.post(reverse("two_factor_setup"), {"code": "12345"})
        assert "Kode salah" in wrong.content.decode()
        assert not two_factor.has_two_factor(assessor)
        clock.shift(2)  # past the back-off after a wrong code
        response = client.post(
            reverse("two_factor_setup"), {"code": totp_code(bytes.fromhex(hex_key), T0.timestamp())}
        )
    assert response.status_code == 200
    assert len(response.context["codes"]) == 10
    device = TOTPDevice.objects.get(user=assessor)
    assert device.confirmed and device.key == hex_key
    assert StaticToken.objects.filter(device__user=assessor).count() == 10
    assert AccountEvent.objects.filter(
        user=assessor, kind=AccountEvent.Kind.TWO_FACTOR_ENABLED
    ).exists()
    # This session is the one that proved the device: it stays signed in.
    assert client.session["otp_device_id"] == device.persistent_id
    assert client.get(reverse("registry:list")).status_code == 200


def test_a_session_without_the_code_is_signed_out_once_the_account_has_a_device(
    region_admin,
) -> None:
    """A session that signed in with the password alone (before the device, or elsewhere) has
    to sign in again with a code."""
    client = Client()
    client.force_login(region_admin)
    assert client.get(reverse("registry:list")).status_code == 200
    enrol(region_admin)
    response = client.get(reverse("registry:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not signed_in(client)


def test_a_required_role_without_a_device_is_led_to_setup_on_every_page(
    required, region_admin, operator, national_admin
) -> None:
    national_admin.is_staff = national_admin.is_superuser = True
    national_admin.save()
    for user in (region_admin, national_admin):
        client = Client()
        assert password_step(client, user).status_code == 302
        assert signed_in(client)
        for url in (
            reverse("home"),
            reverse("registry:list"),
            reverse("account"),
            reverse("password_reset"),
            reverse("admin:index"),
        ):
            response = client.get(url)
            assert response.status_code == 302, url
            assert response["Location"].startswith(reverse("two_factor_setup")), url
        assert client.get(reverse("two_factor_setup")).status_code == 200
        assert client.post(reverse("logout")).status_code == 302
        assert not signed_in(client)
    # An operator's second factor is optional.
    client = Client()
    password_step(client, operator)
    assert client.get(reverse("account")).status_code == 200


def test_demo_accounts_are_exempt_only_while_the_demo_setting_is_on(
    required, region_admin, settings
) -> None:
    region_admin.is_demo = True
    region_admin.save()
    client = Client()
    client.force_login(region_admin)
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = True
    assert client.get(reverse("registry:list")).status_code == 200
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = False
    response = client.get(reverse("registry:list"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    # A real account of the same role is never exempt.
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = True
    region_admin.is_demo = False
    region_admin.save()
    response = client.get(reverse("registry:list"))
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_the_login_page_says_demo_accounts_skip_the_second_factor(required, settings, ormas):
    ormas.is_demo = True
    ormas.save()
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = True
    page = Client().get(reverse("login")).content.decode()
    assert "Akun demo masuk tanpa verifikasi dua langkah" in page
    settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR = False
    page = Client().get(reverse("login")).content.decode()
    assert "Akun demo masuk tanpa verifikasi dua langkah" not in page


# --- turning it off ------------------------------------------------------------


def test_an_optional_user_turns_it_off_with_its_password(assessor) -> None:
    device = enrol(assessor, recovery=["abcdefgh"])
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_step(client, assessor)
        code_step(client, code_for(device))
    url = reverse("two_factor_disable")
    response = client.post(url, {"password": "salah"})
    assert response.status_code == 200 and "Kata sandi salah." in response.content.decode()
    assert two_factor.has_two_factor(assessor)
    response = client.post(url, {"password": PASSWORD})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    assert not StaticDevice.objects.filter(user=assessor).exists()
    assert AccountEvent.objects.filter(
        user=assessor, kind=AccountEvent.Kind.TWO_FACTOR_DISABLED
    ).exists()


def test_a_required_role_cannot_turn_it_off(required, region_admin) -> None:
    device = enrol(region_admin)
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_step(client, region_admin)
        code_step(client, code_for(device))
    status = client.get(reverse("two_factor"))
    assert reverse("two_factor_disable") not in status.content.decode()
    response = client.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        two_factor.two_factor_disable(actor=region_admin, password=PASSWORD)
    assert two_factor.has_two_factor(region_admin)


# --- an administrator's reset ------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", ["outside_admin", "operator", "viewer", "assessor", "region_admin"]
)
def test_the_reset_refuses_whoever_may_not_manage_the_account(persona, request) -> None:
    """`region_admin` is the target itself here: nobody resets their own second factor."""
    target = request.getfixturevalue("region_admin")
    actor = request.getfixturevalue(persona)
    enrol(target, recovery=["abcdefgh"])
    with pytest.raises(PermissionDenied):
        two_factor.two_factor_reset(actor, target)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert StaticToken.objects.filter(device__user=target).exists()
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.TWO_FACTOR_RESET).exists()


def test_a_region_admin_resets_an_assessor_of_its_region_and_it_is_audited(
    region_admin, assessor
) -> None:
    enrol(assessor, recovery=["abcdefgh"])
    client = Client()
    client.force_login(region_admin)
    url = reverse("two_factor_reset", args=[assessor.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Ya, setel ulang" in page.content.decode()
    assert two_factor.has_two_factor(assessor)  # the GET only asks
    response = client.post(url)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    assert not StaticDevice.objects.filter(user=assessor).exists()
    event = AccountEvent.objects.get(kind=AccountEvent.Kind.TWO_FACTOR_RESET)
    assert (event.user, event.actor) == (assessor, region_admin)


def test_the_national_admin_resets_anyone(national_admin, outside_admin) -> None:
    enrol(outside_admin)
    two_factor.two_factor_reset(national_admin, outside_admin)
    assert not two_factor.has_two_factor(outside_admin)
    assert AccountEvent.objects.filter(
        user=outside_admin, actor=national_admin, kind=AccountEvent.Kind.TWO_FACTOR_RESET
    ).exists()


def test_the_reset_page_of_an_account_outside_the_region_is_not_found(
    outside_admin, assessor
) -> None:
    enrol(assessor)
    client = Client()
    client.force_login(outside_admin)
    url = reverse("two_factor_reset", args=[assessor.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    assert two_factor.has_two_factor(assessor)


def test_after_a_reset_a_required_user_signs_in_with_its_password_and_sets_up_again(
    required, region_admin, national_admin
) -> None:
    enrol(region_admin)
    two_factor.two_factor_reset(national_admin, region_admin)
    client = Client()
    response = password_step(client, region_admin)
    assert response.status_code == 302 and signed_in(client)
    response = client.get(reverse("registry:list"))
    assert response["Location"].startswith(reverse("two_factor_setup"))


# --- the Django admin ------------------------------------------------------------


def test_the_admin_login_sends_to_the_sipko_sign_in(national_admin) -> None:
    response = Client().get(reverse("admin:login") + "?next=/admin/registry/ormas/")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Fadmin%2Fregistry%2Formas%2F"
    # Posting a password to it signs nobody in.
    client = Client()
    response = client.post(
        reverse("admin:login"), {"username": national_admin.username, "password": PASSWORD}
    )
    assert response.status_code == 302 and not signed_in(client)


def test_the_national_admin_reaches_the_django_admin_only_with_its_code(national_admin) -> None:
    national_admin.is_staff = national_admin.is_superuser = True
    national_admin.save()
    device = enrol(national_admin)
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_step(client, national_admin, next_url=reverse("admin:index"))
        assert client.get(reverse("admin:index")).status_code == 302
        response = code_step(client, code_for(device))
    assert response["Location"] == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_has_two_factor_counts_only_a_confirmed_device() -> None:
    user = UserFactory(role=Role.ASSESSOR, region_id="35.72")
    TOTPDevice.objects.create(user=user, name="belum", confirmed=False)
    assert not two_factor.has_two_factor(user)
    enrol(user)
    assert two_factor.has_two_factor(user)


# --- security review: redirects, stale sessions, the half-done sign-in ------------------------

ELSEWHERE = ["//evil.example/", "https://evil.example/", "/\\evil.example/", "/\\/evil.example/"]


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_setup_page_never_sends_to_another_site(assessor, target) -> None:
    client = Client()
    client.force_login(assessor)
    url = reverse("two_factor_setup") + "?" + urlencode({"next": target})
    client.get(url)
    hex_key = client.session[two_factor.SETUP_SESSION_KEY]
    with time_machine.travel(T0, tick=False):
        code = totp_code(bytes.fromhex(hex_key), T0.timestamp())
        response = client.post(url, {"code": code, "next": target})
    assert response.status_code == 200
    assert response.context["next_url"] == reverse("home")


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_sign_in_never_sends_to_another_site(region_admin, target) -> None:
    device = enrol(region_admin)
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_step(client, region_admin, next_url=target)
        response = code_step(client, code_for(device))
    assert signed_in(client)
    assert response["Location"] == reverse("home")


@pytest.mark.parametrize("target", ELSEWHERE)
def test_the_password_change_never_sends_to_another_site(operator, target) -> None:
    client = Client()
    client.force_login(operator)
    response = client.post(
        reverse("password_change") + "?" + urlencode({"next": target}),
        {
            "old_password": PASSWORD,
            "new_password1": "Kendang-Kepanjen-2026",
            "new_password2": "Kendang-Kepanjen-2026",
            "next": target,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_session_without_the_code_cannot_even_change_the_password(region_admin) -> None:
    """A password-only session (made before the device was added) ends on every page, the
    pages a user with a duty may still open included: it cannot lock the owner out."""
    client = Client()
    client.force_login(region_admin)
    enrol(region_admin)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Kendang-Kepanjen-2026",
            "new_password2": "Kendang-Kepanjen-2026",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not signed_in(client)
    region_admin.refresh_from_db()
    assert region_admin.check_password(PASSWORD)


def _signed_in_with_code(user: Any, device: TOTPDevice, at: dt.datetime) -> Client:
    client = Client()
    with time_machine.travel(at, tick=False):
        password_step(client, user)
        code_step(client, code_for(device, at))
    assert signed_in(client)
    return client


def test_an_admin_reset_ends_the_sessions_that_gave_a_code(assessor, region_admin) -> None:
    """A lost (or stolen) phone: after the reset, the sessions it opened must sign in again."""
    device = enrol(assessor)
    client = _signed_in_with_code(assessor, device, T0)
    two_factor.two_factor_reset(region_admin, assessor)
    response = client.get(reverse("account"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert not signed_in(client)


def test_turning_it_off_ends_the_other_sessions_not_this_one(assessor) -> None:
    device = enrol(assessor)
    other = _signed_in_with_code(assessor, device, T0)
    this = _signed_in_with_code(assessor, device, T0 + dt.timedelta(seconds=30))
    response = this.post(reverse("two_factor_disable"), {"password": PASSWORD})
    assert response.status_code == 302
    assert this.get(reverse("account")).status_code == 200
    assert other.get(reverse("account")).status_code == 302
    assert not signed_in(other)


def test_a_code_of_another_account_does_not_finish_the_sign_in(region_admin, assessor) -> None:
    enrol(region_admin)
    theirs = enrol(assessor)
    client = Client()
    with time_machine.travel(T0, tick=False):
        password_step(client, region_admin)
        response = code_step(client, code_for(theirs))
    assert response.status_code == 200 and not signed_in(client)


def test_starting_again_does_not_reset_the_throttling_of_wrong_codes(region_admin) -> None:
    """The half-done sign-in's own count starts again with the password (axes-limited), but
    django-otp's back-off lives on the device: starting again gives no fresh guesses."""
    device = enrol(region_admin)
    client = Client()
    with time_machine.travel(T0, tick=False) as clock:
        password_step(client, region_admin)
        wrong = "000000" if code_for(device) != "000000" else "111111"
        for attempt in range(two_factor.PENDING_MAX_FAILURES):
            clock.shift(2**attempt + 1)
            code_step(client, wrong)
        password_step(client, region_admin)
        response = code_step(client, code_for(device))
        assert response.status_code == 200 and not signed_in(client)
        assert "Tunggu" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == two_factor.PENDING_MAX_FAILURES


def test_pages_with_a_key_or_codes_are_never_stored(assessor) -> None:
    client = Client()
    client.force_login(assessor)
    page = client.get(reverse("two_factor_setup"))
    assert "no-store" in page["Cache-Control"]
    hex_key = client.session[two_factor.SETUP_SESSION_KEY]
    with time_machine.travel(T0, tick=False):
        code = totp_code(bytes.fromhex(hex_key), T0.timestamp())
        codes = client.post(reverse("two_factor_setup"), {"code": code})
    assert "no-store" in codes["Cache-Control"]
    renewed = client.post(reverse("two_factor_recovery_codes"))
    assert "no-store" in renewed["Cache-Control"]
    # After setup, the key is nowhere on the status page.
    status = client.get(reverse("two_factor")).content.decode()
    assert two_factor.format_key(hex_key) not in status


def test_the_session_key_changes_at_the_password_and_at_the_code(region_admin) -> None:
    """No session fixation: a key planted before signing in is worthless after either step."""
    device = enrol(region_admin)
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    planted = client.session.session_key
    with time_machine.travel(T0, tick=False):
        password_step(client, region_admin)
        pending = client.session.session_key
        code_step(client, code_for(device))
    assert signed_in(client)
    assert len({planted, pending, client.session.session_key}) == 3

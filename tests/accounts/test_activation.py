"""Activation with a one-time code: on the service and on the public page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from sipko.accounts import services
from sipko.accounts.models import AccountEvent, ActivationCode, Role, User
from tests.concurrency import errors, postgres_only, race

NEW_PASSWORD = "Kendang-Ritmis-2026"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Failed-code counts live in the cache: each test starts from none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def newcomer(region_admin, ormas) -> tuple[User, str]:
    created = services.user_create(
        region_admin, username="op_baru", name="", email="", role=Role.OPERATOR, ormas=ormas
    )
    return created.user, created.code


def _code_row(code: str) -> ActivationCode:
    from sipko.lib import protected

    return ActivationCode.objects.get(code_hash=protected.lookup_hash(code.replace("-", "")))


def test_activation_sets_the_password_and_uses_up_the_code(newcomer) -> None:
    user, code = newcomer
    typed = " " + code.lower().replace("-", " ") + " "  # as someone types it on a phone
    activated = services.activate(typed, NEW_PASSWORD, NEW_PASSWORD)
    assert activated == user
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert user.activated_at is not None and not user.must_change_password
    row = _code_row(code)
    assert row.used_at is not None and row.code_encrypted == ""
    event = AccountEvent.objects.filter(user=user).first()
    assert (event.kind, event.actor) == (AccountEvent.Kind.ACTIVATED, user)


def test_a_used_code_cannot_be_used_again(newcomer) -> None:
    _user, code = newcomer
    services.activate(code, NEW_PASSWORD, NEW_PASSWORD)
    with pytest.raises(ValidationError) as info:
        services.activate(code, "Lain-Sekali-2026", "Lain-Sekali-2026")
    assert "sudah dipakai" in info.value.messages[0]
    assert User.objects.get(username="op_baru").check_password(NEW_PASSWORD)


def test_an_expired_code_is_refused(newcomer, settings) -> None:
    user, code = newcomer
    later = timezone.now() + dt.timedelta(days=settings.SIPKO_ACTIVATION_DAYS, minutes=1)
    with time_machine.travel(later, tick=False), pytest.raises(ValidationError) as info:
        services.activate(code, NEW_PASSWORD, NEW_PASSWORD)
    assert "kedaluwarsa" in info.value.messages[0]
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_code_is_still_good_the_day_before_it_expires(newcomer, settings) -> None:
    _user, code = newcomer
    later = timezone.now() + dt.timedelta(days=settings.SIPKO_ACTIVATION_DAYS - 1)
    with time_machine.travel(later, tick=False):
        services.activate(code, NEW_PASSWORD, NEW_PASSWORD)


def test_a_reissue_revokes_the_earlier_code(newcomer, region_admin) -> None:
    user, first = newcomer
    second = services.activation_code_issue(region_admin, user)
    with pytest.raises(ValidationError) as info:
        services.activate(first, NEW_PASSWORD, NEW_PASSWORD)
    assert "tidak berlaku" in info.value.messages[0]
    services.activate(second, NEW_PASSWORD, NEW_PASSWORD)


def test_a_deactivated_account_cannot_activate(newcomer, region_admin) -> None:
    user, code = newcomer
    services.user_deactivate(region_admin, user)
    with pytest.raises(ValidationError):
        services.activate(code, NEW_PASSWORD, NEW_PASSWORD)


def test_a_wrong_code_says_so(newcomer) -> None:
    with pytest.raises(ValidationError) as info:
        services.activate("ABCDE-FGHJK", NEW_PASSWORD, NEW_PASSWORD)
    assert "tidak dikenal" in info.value.messages[0]


def test_weak_or_mismatched_passwords_are_refused_in_indonesian(newcomer) -> None:
    user, code = newcomer
    with pytest.raises(ValidationError) as info:
        services.activate(code, "12345", "12345")
    messages = info.value.message_dict["password1"]
    assert any("terlalu pendek" in m for m in messages)
    with pytest.raises(ValidationError) as info:
        services.activate(code, "op_baru1", "op_baru1")  # like the username
    assert "password1" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        services.activate(code, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert "tidak sama" in info.value.message_dict["password2"][0]
    assert _code_row(code).used_at is None
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_wrong_codes_from_one_address_are_throttled(newcomer) -> None:
    _user, code = newcomer
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")
    for _n in range(services.ACTIVATION_FAILURE_LIMIT):
        with pytest.raises(ValidationError):
            services.activate("ZZZZZ-ZZZZZ", NEW_PASSWORD, NEW_PASSWORD, request=request)
    with pytest.raises(ValidationError) as info:
        services.activate(code, NEW_PASSWORD, NEW_PASSWORD, request=request)  # even the right one
    assert "Terlalu banyak" in info.value.messages[0]
    other = RequestFactory().post("/", REMOTE_ADDR="198.51.100.7")
    services.activate(code, NEW_PASSWORD, NEW_PASSWORD, request=other)
    window = timezone.now() + dt.timedelta(seconds=services.ACTIVATION_FAILURE_WINDOW + 1)
    with time_machine.travel(window, tick=False):
        assert cache.get(services._failure_key(request)) is None


# --- the page ---------------------------------------------------------------------------------


def test_the_link_shows_the_username_then_activates_signs_in_and_lands_home(newcomer) -> None:
    user, code = newcomer
    client = Client()
    url = reverse("users:activate")
    page = client.get(url, {"kode": code})
    body = page.content.decode()
    assert page.status_code == 200
    assert "op_baru" in body and 'name="password1"' in body
    assert "no-cache" in page["Cache-Control"] or "no-store" in page["Cache-Control"]
    response = client.post(
        url, {"kode": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_code_typed_in_step_one(newcomer) -> None:
    _user, code = newcomer
    response = Client().post(reverse("users:activate"), {"kode": code.lower()})
    assert 'name="password1"' in response.content.decode()


@pytest.mark.parametrize("wrap", ["\u200b{}", "{}\ufeff", "\u00a0{}\u2060", "{}\u200e"])
def test_a_code_pasted_from_a_chat_with_invisible_characters_works(newcomer, wrap) -> None:
    """Chat apps and PDF viewers add zero-width and direction marks around copied text."""
    _user, code = newcomer
    response = Client().post(reverse("users:activate"), {"kode": wrap.format(code)})
    assert 'name="password1"' in response.content.decode()


def test_the_page_explains_a_refused_code_and_a_weak_password(newcomer) -> None:
    _user, code = newcomer
    client = Client()
    url = reverse("users:activate")
    body = client.get(url, {"kode": "ABCDE-FGHJK"}).content.decode()
    assert "Kode aktivasi tidak dikenal" in body and 'name="password1"' not in body
    body = client.post(url, {"kode": code, "password1": "123", "password2": "123"}).content
    assert "terlalu pendek" in body.decode()
    assert "_auth_user_id" not in client.session
    services.activate(code, NEW_PASSWORD, NEW_PASSWORD)
    body = client.post(url, {"kode": code, "password1": "x", "password2": "x"}).content.decode()
    assert "sudah dipakai" in body and 'name="password1"' not in body


def test_the_page_throttles_guessing(newcomer) -> None:
    _user, code = newcomer
    client = Client()
    url = reverse("users:activate")
    for _n in range(services.ACTIVATION_FAILURE_LIMIT):
        client.post(url, {"kode": "ZZZZZ-ZZZZZ"})
    body = client.get(url, {"kode": code}).content.decode()
    assert "Terlalu banyak kode yang salah" in body


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_one_code_used_twice_at_once_activates_once(region_admin, ormas) -> None:
    created = services.user_create(
        region_admin, username="op_balapan", name="", email="", role=Role.OPERATOR, ormas=ormas
    )
    passwords = ["Pertama-Sekali-2026", "Kedua-Kalinya-2026"]
    outcomes = race(*[lambda p=p: services.activate(created.code, p, p) for p in passwords])
    assert sum(o.ok for o in outcomes) == 1
    assert all(isinstance(e, ValidationError) for e in errors(outcomes))
    assert (
        AccountEvent.objects.filter(user=created.user, kind=AccountEvent.Kind.ACTIVATED).count()
        == 1
    )
    winner = passwords[[o.ok for o in outcomes].index(True)]
    assert User.objects.get(pk=created.user.pk).check_password(winner)

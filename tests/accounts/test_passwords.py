"""Passwords: change, a temporary password's duty to change it, reset by e-mail, validators in
Indonesian and Argon2 hashing (docs/accounts.md#passwords)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client
from django.urls import reverse

from sipko import settings as production
from sipko.accounts.models import AccountEvent
from sipko.accounts.views import auth as auth_views
from tests.conftest import PASSWORD

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

NEW = "Kendang-Kepanjen-2026"


def change(client: Client, old: str, new: str, again: str | None = None) -> object:
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": again or new},
    )


def test_changing_the_password_keeps_the_session_and_is_audited(operator) -> None:
    client = Client()
    client.force_login(operator)
    other = Client()
    other.force_login(operator)
    response = change(client, PASSWORD, NEW)
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    operator.refresh_from_db()
    assert operator.check_password(NEW)
    assert client.get(reverse("account")).status_code == 200  # this session goes on
    assert other.get(reverse("account")).status_code == 302  # the others end
    event = AccountEvent.objects.get(user=operator, kind=AccountEvent.Kind.PASSWORD_CHANGED)
    assert event.actor == operator
    assert operator.history.first().history_user == operator


def test_a_wrong_current_password_is_refused_in_indonesian(operator) -> None:
    client = Client()
    client.force_login(operator)
    response = change(client, "salah", NEW)
    assert response.status_code == 200
    assert "Kata sandi saat ini salah." in response.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kdg7", "Kata sandi terlalu pendek. Harus mengandung setidaknya 8 karakter."),
        ("password123", "Kata sandi ini terlalu umum."),
        ("73829104", "Kata sandi ini seluruhnya terdiri dari angka."),
        ("operator_ormas1", "Kata sandi terlalu mirip dengan"),
    ],
)
def test_weak_passwords_are_refused_with_django_s_indonesian_messages(
    operator, password: str, message: str
) -> None:
    client = Client()
    client.force_login(operator)
    response = change(client, PASSWORD, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    operator.refresh_from_db()
    assert operator.check_password(PASSWORD)
    assert not AccountEvent.objects.filter(user=operator).exists()


def test_two_different_new_passwords_are_refused(operator) -> None:
    client = Client()
    client.force_login(operator)
    response = change(client, PASSWORD, NEW, again=NEW + "x")
    assert "Kedua kata sandi baru tidak sama." in response.content.decode()


def test_a_temporary_password_must_be_changed_before_anything_else(operator, ormas) -> None:
    operator.must_change_password = True
    operator.save()
    client = Client()
    response = client.post(reverse("login"), {"username": operator.username, "password": PASSWORD})
    assert response.status_code == 302
    for url in (reverse("home"), reverse("registry:detail", args=[ormas.uuid])):
        response = client.get(url)
        assert response["Location"].startswith(reverse("password_change")), url
    page = client.get(reverse("password_change"))
    assert "kata sandi sementara" in page.content.decode()
    target = reverse("registry:detail", args=[ormas.uuid])
    response = client.post(
        reverse("password_change") + f"?next={target}",
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == target  # back where it was going
    operator.refresh_from_db()
    assert not operator.must_change_password
    assert client.get(target).status_code == 200


# --- reset by e-mail ------------------------------------------------------------------------------


def test_a_reset_link_is_mailed_in_indonesian_with_the_site_address(
    viewer, mailoutbox, settings
) -> None:
    viewer.email = "pemantau@contoh.test"
    viewer.save()
    client = Client()
    response = client.post(reverse("password_reset"), {"email": "Pemantau@contoh.test"})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["pemantau@contoh.test"]
    assert mail.subject == "Setel ulang kata sandi SIPKO"
    assert "Buka tautan berikut untuk memilih kata sandi baru" in mail.body
    assert viewer.username in mail.body
    link = re.search(r"https://sipko\.example\.test/akun/setel-kata-sandi/\S+/", mail.body)
    assert link, mail.body  # SITE_URL, whatever host the request came in on
    assert "testserver" not in mail.body

    path = link.group(0).removeprefix(settings.SITE_URL)
    form = client.get(path, follow=True)
    assert form.context["validlink"]
    response = client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    assert response["Location"] == reverse("password_reset_complete")
    viewer.refresh_from_db()
    assert viewer.check_password(NEW)
    assert AccountEvent.objects.filter(
        user=viewer, kind=AccountEvent.Kind.PASSWORD_RESET, actor=viewer
    ).exists()
    # The link works once.
    assert not client.get(path, follow=True).context["validlink"]


def test_an_unknown_address_gets_the_same_answer_and_no_mail(viewer, mailoutbox) -> None:
    viewer.email = "pemantau@contoh.test"
    viewer.save()
    known = Client().post(reverse("password_reset"), {"email": "pemantau@contoh.test"})
    unknown = Client().post(reverse("password_reset"), {"email": "tidak.ada@contoh.test"})
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert len(mailoutbox) == 1
    done = Client().get(unknown["Location"]).content.decode()
    assert "Bila alamat itu terdaftar" in done


def test_asking_again_within_ten_minutes_mails_no_second_link(viewer, mailoutbox) -> None:
    """The page cannot be used to flood an inbox; the answer stays the same."""
    viewer.email = "pemantau@contoh.test"
    viewer.save()
    with time_machine.travel(T0, tick=False) as clock:
        first = Client().post(reverse("password_reset"), {"email": "pemantau@contoh.test"})
        second = Client().post(reverse("password_reset"), {"email": "pemantau@contoh.test"})
        assert first["Location"] == second["Location"] == reverse("password_reset_done")
        assert len(mailoutbox) == 1
        clock.shift(auth_views.RESET_MAIL_INTERVAL + 1)
        Client().post(reverse("password_reset"), {"email": "pemantau@contoh.test"})
    assert len(mailoutbox) == 2


def test_the_login_page_links_to_the_password_reset() -> None:
    page = Client().get(reverse("login")).content.decode()
    assert reverse("password_reset") in page and "Lupa kata sandi?" in page


def test_a_reset_also_ends_a_temporary_password(viewer, mailoutbox) -> None:
    viewer.email = "pemantau@contoh.test"
    viewer.must_change_password = True
    viewer.save()
    client = Client()
    client.post(reverse("password_reset"), {"email": viewer.email})
    path = re.search(r"/akun/setel-kata-sandi/\S+/", mailoutbox[0].body).group(0)
    form = client.get(path, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW, "new_password2": NEW})
    viewer.refresh_from_db()
    assert not viewer.must_change_password


# --- hashing ---------------------------------------------------------------------


def test_production_hashes_new_passwords_with_argon2(settings) -> None:
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    hashed = make_password(NEW)
    assert hashed.startswith("argon2$")
    assert check_password(NEW, hashed)


# --- security review ---------------------------------------------------------------------


def test_a_temporary_password_cannot_be_kept(operator) -> None:
    """Changing a temporary password to itself would skip the duty to choose one's own."""
    operator.must_change_password = True
    operator.save()
    client = Client()
    client.force_login(operator)
    response = change(client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert "berbeda dari kata sandi saat ini" in response.content.decode()
    operator.refresh_from_db()
    assert operator.must_change_password
    assert not AccountEvent.objects.filter(
        user=operator, kind=AccountEvent.Kind.PASSWORD_CHANGED
    ).exists()
    assert client.get(reverse("home"))["Location"].startswith(reverse("password_change"))
    # A wrong current password never says whether the new one is the current one.
    response = change(client, "salah-sekali-123", PASSWORD)
    assert "berbeda dari kata sandi saat ini" not in response.content.decode()


@pytest.mark.parametrize("state", ["inactive", "not_activated"])
def test_no_reset_link_for_an_inactive_or_never_activated_account(
    operator, mailoutbox, state
) -> None:
    """A deactivated account stays out; an account onboarded with an activation code but never
    activated has no password yet: it activates with its code (or a new one from its admin)
    rather than by e-mail, so the slip stays the only way in."""
    operator.email = "ormas@contoh.test"
    if state == "inactive":
        operator.is_active = False
    else:
        operator.set_unusable_password()
    operator.save()
    response = Client().post(reverse("password_reset"), {"email": operator.email})
    assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert mailoutbox == []


def test_a_reset_link_is_refused_once_the_account_is_deactivated(viewer, mailoutbox) -> None:
    viewer.email = "pemantau@contoh.test"
    viewer.save()
    client = Client()
    client.post(reverse("password_reset"), {"email": viewer.email})
    path = re.search(r"/akun/setel-kata-sandi/\S+/", mailoutbox[0].body).group(0)
    viewer.is_active = False
    viewer.save()
    form = client.get(path, follow=True)
    assert not form.context["validlink"]
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)


def test_the_reset_mail_is_sent_in_indonesian_whatever_the_visitor_s_language(
    viewer, mailoutbox
) -> None:
    viewer.email = "pemantau@contoh.test"
    viewer.save()
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    client.post(reverse("password_reset"), {"email": viewer.email})
    assert mailoutbox[0].subject == "Setel ulang kata sandi SIPKO"
    assert "Buka tautan berikut untuk memilih kata sandi baru" in mailoutbox[0].body


def test_the_reset_page_does_not_wait_for_the_mail_server(viewer, mailoutbox, settings) -> None:
    """Sending takes the mail server's time only for a known address: the mail goes out in the
    background, so the answer takes as long either way (no guessing addresses by timing).
    The queued task carries the account's id only, never the link's token or the address."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    viewer.email = "pemantau@contoh.test"
    viewer.save()
    default_task_backend.clear()
    response = Client().post(reverse("password_reset"), {"email": viewer.email})
    assert response.status_code == 302
    assert mailoutbox == []
    [queued] = default_task_backend.results
    assert queued.args == [viewer.pk]
    queued.task.call(*queued.args)  # what the worker does
    assert len(mailoutbox) == 1 and mailoutbox[0].to == [viewer.email]
    assert "/akun/setel-kata-sandi/" in mailoutbox[0].body


def test_the_queued_reset_mail_is_not_sent_to_an_account_deactivated_meanwhile(
    viewer, mailoutbox
) -> None:
    from sipko.accounts import own_account

    viewer.email = "pemantau@contoh.test"
    viewer.is_active = False
    viewer.save()
    assert own_account.send_password_reset.call(viewer.pk) is False
    assert mailoutbox == []

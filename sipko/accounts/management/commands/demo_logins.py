"""`manage.py demo_logins` — print the demo accounts made by `seed_demo` (called by `make run`)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sipko.accounts.models import Role, User
from sipko.assessment import demo as assessment_demo
from sipko.regions.models import Region
from sipko.registry import demo


def _scope(user: User) -> str:
    if user.role == Role.OPERATOR:
        if user.ormas is None:
            return _("(belum terhubung ke ormas)")
        # Operators are in both regions: say which, after the ormas.
        kabkota = Region.objects.filter(code=user.ormas.kabkota_code).first()
        where = f" ({kabkota.code} {kabkota.name})" if kabkota else ""
        return f"{user.ormas.name}{where}"
    if user.region is not None:
        return f"{user.region.code} {user.region.name}"
    if user.role == Role.NATIONAL_ADMIN:
        return _("Seluruh Indonesia")
    return "-"


class Command(BaseCommand):
    help = _("Menampilkan akun demo (data fiktif) beserta peran dan cakupannya.")

    def handle(self, *args: Any, **options: Any) -> None:
        users = [*demo.demo_users(), *assessment_demo.extra_users()]
        if not users:
            self.stdout.write(
                _("Belum ada akun demo. Muat data demo dengan: python manage.py seed_demo")
            )
            return
        header = (_("Nama pengguna"), _("Kata sandi"), _("Peran"), _("Cakupan / ormas"))
        rows = [
            (user.username, demo.DEMO_PASSWORD, str(user.get_role_display()), _scope(user))
            for user in users
        ]
        widths = [max(len(row[i]) for row in [header, *rows]) for i in range(3)]

        def line(row: tuple[str, ...]) -> str:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            return "  ".join([*cells, row[3]]).rstrip()

        self.stdout.write(
            _("Akun demo SIPKO — semua data demo fiktif. Kata sandi awal: %(password)s")
            % {"password": demo.DEMO_PASSWORD}
        )
        self.stdout.write(line(header))
        self.stdout.write(line(tuple("-" * len(cell) for cell in header)))
        for row in rows:
            self.stdout.write(line(row))
        if not settings.SIPKO_TWO_FACTOR_REQUIRED:
            return
        if settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR:
            self.stdout.write(
                _(
                    "Selama demo berjalan (DEBUG), akun demo masuk tanpa verifikasi dua langkah. "
                    "Akun sungguhan admin wajib memakai kode dari aplikasi autentikator."
                )
            )
        else:
            self.stdout.write(
                _(
                    "DEBUG mati: akun demo admin juga wajib memasang verifikasi dua langkah "
                    "saat pertama masuk."
                )
            )

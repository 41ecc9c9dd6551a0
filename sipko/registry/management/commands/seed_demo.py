"""`manage.py seed_demo [--if-empty] [--reset] [--seed N]` — load the fictional Blitar Raya demo.

What it loads is described in docs/demo-data.md; the registry comes from `sipko.registry.demo`,
the RPJMD, periods, programmes, reports and financial summaries from `sipko.planning.demo`, the
default instrument and the performance assessments from `sipko.assessment.demo`.
Exit 0 when loaded (or skipped with --if-empty), 1 when refused, 2 on usage errors.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from tqdm import tqdm

from sipko.accounts.models import User
from sipko.assessment import demo as assessment_demo
from sipko.planning import demo as planning_demo
from sipko.registry import demo
from sipko.registry.models import Ormas


class _Bar:
    """One tqdm bar per stage (wilayah, ormas, dokumen, …) on stderr; silent when not a terminal."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.stage = ""
        self.bar: tqdm | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = tqdm(total=total, desc=stage, disable=None, file=self.stream, leave=False)
        assert self.bar is not None
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = _(
        "Memuat data demo fiktif Blitar Raya: wilayah Jawa Timur, 158 ormas rekaan dengan pengurus "
        "dan dokumen, akun demo per peran, RPJMD, periode penilaian, program kerja, laporan "
        "kegiatan, ringkasan keuangan, instrumen penilaian bawaan dan penilaian kinerja di semua "
        "tahap alur kerja."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--if-empty",
            action="store_true",
            help=_("lewati tanpa galat bila sudah ada ormas (dipakai oleh `make run`)"),
        )
        mode.add_argument(
            "--reset",
            action="store_true",
            help=_(
                "hapus dulu data demo yang ada (ormas, akun, RPJMD, periode, program, laporan, "
                "penilaian), lalu muat ulang"
            ),
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=demo.DEFAULT_SEED,
            help=_(
                "bilangan acak awal; benih yang sama memberi data yang sama (bawaan: %(default)s)"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        existing = Ormas.objects.count()
        if options["if_empty"] and existing:
            self.stdout.write(
                _("Sudah ada %(count)s ormas; data demo tidak dimuat.") % {"count": existing}
            )
            return
        bar = _Bar(self.stderr._out)
        try:
            with transaction.atomic():
                if options["reset"]:
                    # Assessments first (they protect their periods and assessors), then
                    # planning: demo periods and RPJMD go once no programme uses them.
                    assessments, extra_accounts = assessment_demo.demo_reset()
                    programmes, periods, plans = planning_demo.demo_reset()
                    ormas, accounts = demo.demo_reset()
                    self.stdout.write(
                        _(
                            "Data demo lama dihapus: %(ormas)s ormas, %(accounts)s akun, "
                            "%(programmes)s program kerja, %(periods)s periode, %(plans)s RPJMD, "
                            "%(assessments)s penilaian."
                        )
                        % {
                            "ormas": ormas,
                            "accounts": accounts + extra_accounts,
                            "programmes": programmes,
                            "periods": periods,
                            "plans": plans,
                            "assessments": assessments,
                        }
                    )
                summary = demo.demo_seed(seed=options["seed"], progress=bar)
                plans_summary = planning_demo.demo_seed(seed=options["seed"], progress=bar)
                assessment_summary = assessment_demo.demo_seed(seed=options["seed"], progress=bar)
                # Demo accounts sign in with a password alone while the demo runs
                # (settings.SIPKO_DEMO_WITHOUT_TWO_FACTOR, docs/accounts.md).
                demo_accounts = [*demo.demo_users(), *assessment_demo.extra_users()]
                User.objects.filter(pk__in=[u.pk for u in demo_accounts]).update(is_demo=True)
        except demo.DemoRefused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        finally:
            bar.close()
        self.stdout.write(
            _(
                "Data demo fiktif dimuat dalam %(seconds)s detik: %(ormas)s ormas "
                "(%(kota)s Kota Blitar, %(kab)s Kabupaten Blitar), %(pengurus)s pengurus, "
                "%(documents)s dokumen, %(users)s akun demo, %(assignments)s penugasan penilai."
            )
            % {
                "seconds": number_format(time.monotonic() - started, 1),
                "ormas": summary.ormas,
                "kota": summary.by_kabkota.get(demo.KOTA_BLITAR, 0),
                "kab": summary.by_kabkota.get(demo.KAB_BLITAR, 0),
                "pengurus": summary.pengurus,
                "documents": summary.documents,
                "users": summary.users,
                "assignments": summary.assignments,
            }
        )
        programmes, reports = plans_summary.programmes, plans_summary.reports
        self.stdout.write(
            _(
                "Perencanaan dan pelaporan: %(rpjmd)s RPJMD (%(items)s butir), %(periods)s "
                "periode, %(programmes)s program kerja (%(accepted)s diterima, %(submitted)s "
                "diajukan, %(returned)s dikembalikan, %(draft)s draf), %(reports)s laporan "
                "kegiatan (%(verified)s terverifikasi, %(r_submitted)s diajukan, %(r_returned)s "
                "dikembalikan, %(r_draft)s draf), %(evidence)s bukti foto, %(finance)s ringkasan "
                "keuangan."
            )
            % {
                "rpjmd": plans_summary.rpjmd,
                "items": plans_summary.rpjmd_items,
                "periods": plans_summary.periods,
                "programmes": programmes.total(),
                "accepted": programmes["accepted"],
                "submitted": programmes["submitted"],
                "returned": programmes["returned"],
                "draft": programmes["draft"],
                "reports": reports.total(),
                "verified": reports["verified"],
                "r_submitted": reports["submitted"],
                "r_returned": reports["returned"],
                "r_draft": reports["draft"],
                "evidence": plans_summary.evidence,
                "finance": plans_summary.financial_summaries,
            }
        )
        self.stdout.write(assessment_demo.summary_line(assessment_summary))

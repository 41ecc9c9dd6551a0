"""`manage.py compute_scores --period ID [--region CODE]` — recompute the scores of a period.

System values of assessments still open to change are recomputed from the registry, programmes
and reports, then every score that is not frozen. Published results are not changed: their
stored hash is checked against their inputs instead, and any mismatch is reported (exit 1).
Prints one JSON line at the end.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from sipko.assessment import services
from sipko.assessment.models import Assessment
from sipko.planning.models import Period
from sipko.regions.models import within_q

BATCH = 200


class Command(BaseCommand):
    help = "Menghitung ulang semua skor penilaian satu periode, dengan bilah kemajuan."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--period", metavar="ID", help="nomor periode")
        parser.add_argument("--region", metavar="KODE", help="hanya ormas di wilayah ini")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = options["period"]
        if not raw or not str(raw).isdigit():
            raise CommandError(_("Sebutkan --period dengan nomor periode."), returncode=2)
        period = Period.objects.filter(pk=int(raw)).first()
        if period is None:
            raise CommandError(_("Periode %(id)s tidak ada.") % {"id": raw}, returncode=2)
        assessments = Assessment.objects.filter(period=period).select_related(
            "ormas", "period", "instrument"
        )
        if options["region"]:
            assessments = assessments.filter(within_q(options["region"], "ormas__region__code"))
        ids = list(assessments.order_by("pk").values_list("pk", flat=True))
        summary = {
            "assessments": len(ids),
            "rescored": 0,
            "changed": 0,
            "frozen": 0,
            "mismatched": 0,
            "system_values": 0,
        }
        bar = tqdm(total=len(ids), unit=" ormas", disable=None, file=self.stderr._out, leave=False)
        for start in range(0, len(ids), BATCH):
            batch = list(assessments.filter(pk__in=ids[start : start + BATCH]))
            summary["system_values"] += services.refresh_system_values(batch)
            for assessment in batch:
                if assessment.is_frozen:
                    summary["frozen"] += 1
                    if not services.frozen_result_intact(assessment):
                        summary["mismatched"] += 1
                        self.stderr.write(
                            _("Hasil %(ormas)s tidak cocok dengan sidik masukannya.")
                            % {"ormas": assessment.ormas}
                        )
                else:
                    summary["rescored"] += 1
                    summary["changed"] += int(services.assessment_rescore(assessment))
                bar.update(1)
        bar.close()
        self.stdout.write(json.dumps(summary))
        if summary["mismatched"]:
            raise CommandError(
                _("Ada hasil terbit yang tidak cocok dengan masukannya."), returncode=1
            )

"""Writes to the registry. Each function validates, saves in one transaction and is audited.

Audit: django-simple-history stores a full before/after snapshot of every saved row with the
acting user and a reason (`_history_user`, `_change_reason`), so "who changed what, when" is
answered from the history tables (see docs/architecture.md#audit).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sipko.accounts import access
from sipko.inbox import events
from sipko.lib import protected
from sipko.lib.audit import audited
from sipko.lib.dates import add_years
from sipko.lib.locking import lock
from sipko.lib.text import compact, name_key
from sipko.lib.uploads import DOCUMENT_TYPES, check_upload
from sipko.lib.versions import ensure_current
from sipko.regions.models import Level, Region
from sipko.registry.models import (
    Assignment,
    Bidang,
    Document,
    DuplicateDismissal,
    ImportColumnMapping,
    Ormas,
    Pengurus,
    Verdict,
)
from sipko.registry.validators import normalise_ahu, normalise_npwp

if TYPE_CHECKING:
    from sipko.accounts.models import User

logger = logging.getLogger(__name__)

# Fields an operator may not change on its own ormas: registration facts and status are
# Kesbangpol's record, verified against documents.
ADMIN_ONLY_FIELDS = frozenset(
    {
        "ahu_number",
        "ahu_date",
        "skt_number",
        "skt_issued",
        "skt_expires",
        "local_letter_type",
        "local_letter_number",
        "local_letter_date",
        "activity_status",
        "legal_form",
        "is_demo",
    }
)


def _apply_derived(ormas: Ormas) -> None:
    ormas.name = " ".join(ormas.name.split())
    ormas.acronym = " ".join(ormas.acronym.split())
    ormas.name_key = name_key(ormas.name)
    ormas.acronym_key = compact(ormas.acronym)
    ormas.ahu_number = normalise_ahu(ormas.ahu_number)
    ormas.npwp = normalise_npwp(ormas.npwp)
    if ormas.skt_number and ormas.skt_issued and not ormas.skt_expires:
        try:
            ormas.skt_expires = add_years(ormas.skt_issued, settings.SIPKO_SKT_VALIDITY_YEARS)
        except (ValueError, OverflowError) as exc:
            raise ValidationError(
                {"skt_issued": _("Tanggal terbit SKT tidak masuk akal.")}
            ) from exc


def _check_region(actor: User | None, region: Region, previous: Region | None) -> None:
    """Admins place an ormas anywhere in their scope; an operator moves it within its kab/kota."""
    if actor is None or region == previous or access.in_scope(actor, region.code):
        return
    if previous is not None and region.code.split(".")[:2] == previous.code.split(".")[:2]:
        return
    message = _("Wilayah ini di luar cakupan Anda.")
    if access.can_administer_registry(actor):
        raise PermissionDenied(message)  # an administrator placing an ormas outside its region
    raise ValidationError({"region": message})  # an operator moving its own ormas too far


@transaction.atomic
def ormas_save(
    *,
    actor: User | None,
    data: dict[str, Any],
    bidang: Iterable[Bidang] | None = None,
    ormas: Ormas | None = None,
    reason: str = "",
    version: int | None = None,
) -> Ormas:
    """Create (ormas=None) or update an ormas from cleaned field values.

    `actor` None means a system job (seed, import run by a command) acting with full rights.
    `version` is the one the edit form was opened at (see `lib.versions`); a stale one is refused.
    Raises PermissionDenied when the actor may not write, ValidationError on bad values.
    """
    if ormas is not None:
        # Re-read under lock: the checks and the version compare below see the committed row,
        # not what the caller (or a bound ModelForm) left on the instance.
        lock(ormas)
    if actor is not None:
        allowed = access.can_edit_ormas(actor, ormas) if ormas else access.can_create_ormas(actor)
        if not allowed:
            raise PermissionDenied
        if ormas and not access.can_administer_registry(actor):
            data = {k: v for k, v in data.items() if k not in ADMIN_ONLY_FIELDS}
    if ormas is not None:
        ensure_current(ormas, version)
    previous_region = ormas.region if ormas else None
    target = ormas or Ormas()
    for field_name, value in data.items():
        setattr(target, field_name, value)
    _apply_derived(target)
    _check_region(actor, target.region, previous_region)
    target.full_clean(exclude=["name_key", "acronym_key"])
    audited(target, actor, reason)
    target.save()
    if bidang is not None:
        target.bidang.set(list(bidang))
    return target


@transaction.atomic
def pengurus_save(
    *,
    actor: User | None,
    ormas: Ormas,
    data: dict[str, Any],
    nik: str | None = None,
    pengurus: Pengurus | None = None,
    version: int | None = None,
) -> Pengurus:
    """Add or change an officer. `nik` None keeps the stored NIK; "" removes it."""
    if actor is not None and not access.can_edit_ormas(actor, ormas):
        raise PermissionDenied
    target = pengurus or Pengurus(ormas=ormas)
    if target.ormas_id != ormas.pk:
        raise PermissionDenied
    if pengurus is not None:
        lock(pengurus)
        ensure_current(pengurus, version)
    for field_name, value in data.items():
        setattr(target, field_name, value)
    if nik is not None:
        clean = protected.normalise_nik(nik)
        if clean and not protected.is_valid_nik(clean):
            raise ValidationError({"nik": _("NIK harus 16 angka yang sah.")})
        target.nik_encrypted = protected.encrypt(clean) if clean else ""
        target.nik_hash = protected.lookup_hash(clean) if clean else ""
    if target.term_start and target.term_end and target.term_end < target.term_start:
        raise ValidationError({"term_end": _("Akhir masa bakti tidak boleh sebelum awalnya.")})
    target.full_clean()
    audited(target, actor)
    target.save()
    return target


@transaction.atomic
def pengurus_delete(*, actor: User, pengurus: Pengurus) -> None:
    if not access.can_edit_ormas(actor, pengurus.ormas):
        raise PermissionDenied
    audited(pengurus, actor, "dihapus")
    pengurus.delete()


@transaction.atomic
def document_upload(
    *, actor: User | None, ormas: Ormas, data: dict[str, Any], upload: UploadedFile | None
) -> Document:
    """Store a registry document; the file is checked by content and kept outside the web root."""
    if actor is not None and not access.can_edit_ormas(actor, ormas):
        raise PermissionDenied
    document = Document(ormas=ormas, uploaded_by=actor, **data)
    if upload is not None:
        try:
            document.content_type = check_upload(upload, allowed=DOCUMENT_TYPES)
        except ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from exc
        document.original_name = upload.name[:255]
        document.size = upload.size or 0
        document.file.save(upload.name, upload, save=False)
    document.full_clean()
    audited(document, actor)
    document.save()
    return document


@transaction.atomic
def document_verify(*, actor: User, document: Document, verdict: str, reason: str) -> Document:
    """Record a verdict on a document. A verdict other than *sah* needs a reason."""
    if not access.can_verify_ormas(actor, document.ormas):
        raise PermissionDenied
    lock(document)
    if verdict not in Verdict.values:
        raise ValidationError({"verdict": _("Pilihan hasil verifikasi tidak dikenal.")})
    if verdict == Verdict.INVALID and not reason.strip():
        raise ValidationError({"verdict_reason": _("Alasan wajib diisi bila dokumen tidak sah.")})
    if verdict == Verdict.VALID and document.expires and document.expires < timezone.localdate():
        raise ValidationError(
            {
                "verdict": _(
                    "Dokumen ini sudah melewati masa berlakunya; tidak dapat dinyatakan sah."
                )
            }
        )
    document.verdict = verdict
    document.verdict_reason = reason.strip()
    document.verified_by = actor
    document.verified_at = timezone.now()
    audited(document, actor, f"verifikasi: {verdict}")
    document.save()
    events.document_verified(document)
    return document


# Profile fields copied from the merged record where the kept record has nothing.
_MERGE_FILL_FIELDS = (
    "acronym",
    "address",
    "email",
    "phone",
    "website",
    "npwp",
    "founding_year",
    "office",
    "members_count",
    "has_bank_account",
    "ahu_number",
    "ahu_date",
    "skt_number",
    "skt_issued",
    "skt_expires",
    "local_letter_type",
    "local_letter_number",
    "local_letter_date",
)


@transaction.atomic
def ormas_merge(*, actor: User, keep: Ormas, duplicate: Ormas, reason: str) -> Ormas:
    """Fold `duplicate` into `keep`; the duplicate stays as a history record pointing to `keep`.

    Officers, documents, operator accounts, assignments and bidang move to `keep`; blank profile
    fields of `keep` are filled from the duplicate. Nothing is deleted.
    """
    if not (
        access.can_administer_ormas(actor, keep) and access.can_administer_ormas(actor, duplicate)
    ):
        raise PermissionDenied
    for row in sorted((keep, duplicate), key=lambda o: o.pk):  # one order: no deadlock
        lock(row)
    if keep.merged_into_id or duplicate.merged_into_id:
        raise ValidationError(_("Salah satu ormas ini sudah digabung ke ormas lain."))
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Ormas tidak dapat digabung dengan dirinya sendiri."))
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan penggabungan wajib diisi.")})
    for field_name in _MERGE_FILL_FIELDS:
        if getattr(keep, field_name) in ("", None) and getattr(duplicate, field_name) not in (
            "",
            None,
        ):
            setattr(keep, field_name, getattr(duplicate, field_name))
    audited(keep, actor, f"gabung: {reason}")
    keep.save()
    keep.bidang.add(*duplicate.bidang.all())
    for officer in duplicate.pengurus.all():
        officer.ormas = keep
        audited(officer, actor, "pindah karena penggabungan")
        officer.save()
    for document in duplicate.documents.all():
        document.ormas = keep
        audited(document, actor, "pindah karena penggabungan")
        document.save()
    for assignment in duplicate.assignments.exclude(
        assessor__in=keep.assignments.values("assessor")
    ):
        assignment.ormas = keep
        assignment.save()
    duplicate.operators.update(ormas=keep)
    duplicate.branches.update(parent=keep)
    duplicate.merged_into = keep
    audited(duplicate, actor, f"digabung ke {keep.pk}: {reason}")
    duplicate.save()
    return keep


@transaction.atomic
def duplicate_dismiss(*, actor: User, first: Ormas, second: Ormas, reason: str) -> None:
    if not (
        access.can_administer_ormas(actor, first) and access.can_administer_ormas(actor, second)
    ):
        raise PermissionDenied
    if first.pk == second.pk:
        raise ValidationError(_("Pilih dua ormas yang berbeda."))
    if not reason.strip():
        raise ValidationError({"reason": _("Alasan wajib diisi.")})
    a, b = sorted([first, second], key=lambda o: o.pk)
    DuplicateDismissal.objects.get_or_create(
        first=a, second=b, defaults={"reason": reason.strip(), "decided_by": actor}
    )


@transaction.atomic
def assignment_create(*, actor: User, assessor: User, ormas: Ormas) -> Assignment:
    """Assign an assessor to an ormas; refused when the assessor is one of its officers."""
    if not access.can_administer_ormas(actor, ormas):
        raise PermissionDenied
    problems = assignment_problems(assessor=assessor, ormas=ormas)
    if problems:
        raise ValidationError(problems)
    assignment, created = Assignment.objects.get_or_create(
        assessor=assessor, ormas=ormas, defaults={"assigned_by": actor}
    )
    events.ormas_assigned(assignment, created=created)
    return assignment


@transaction.atomic
def import_column_mapping_save(
    *, actor: User, region: Region, mapping: dict[str, str], headers: dict[str, str]
) -> list[ImportColumnMapping]:
    """Remember how imports into `region` read columns the importer does not know.

    `mapping` maps a column key (`importer.headers.Column.key`) to an importer field name or
    `ImportColumnMapping.IGNORE`; `headers` gives each key's header as written, for display.
    Whoever may import into the region may decide this (the check `importer.resolve_scope`
    makes). Raises PermissionDenied, or ValidationError for an unknown field or an empty key.
    """
    from sipko.registry.importer.columns import field_label, mask_personal, valid_target

    if not (access.can_administer_registry(actor) and access.in_scope(actor, region.code)):
        raise PermissionDenied
    if region.level != Level.KABUPATEN_KOTA:
        # Imports are into a kabupaten/kota and look their mappings up there.
        raise ValidationError(_("Pemetaan kolom disimpan untuk satu kabupaten/kota."))
    problems = []
    for key, field_name in mapping.items():
        if not key.strip() or len(key) > 200:
            problems.append(_("Kolom yang dipetakan tidak sah."))
        elif not valid_target(field_name):
            problems.append(
                _("Isian '%(field)s' tidak dikenal untuk kolom %(column)s.")
                % {"field": field_name, "column": headers.get(key, key)}
            )
    if problems:
        raise ValidationError(problems)
    saved = []
    for key, field_name in mapping.items():
        row, _created = ImportColumnMapping.objects.update_or_create(
            region=region,
            header_key=key,
            defaults={
                "field": field_name,
                "header": (headers.get(key) or key)[:200],
                "updated_by": actor,
            },
        )
        saved.append(row)
        logger.info(
            "import column mapping %s: %s → %s by %s",
            region.code,
            mask_personal(key),  # a header is free text: never a NIK or phone in the log
            field_label(field_name) if field_name != ImportColumnMapping.IGNORE else "-",
            actor.pk,
        )
    return saved


@transaction.atomic
def import_column_mapping_delete(*, actor: User, mapping: ImportColumnMapping) -> None:
    """Forget a saved column mapping: the region's next import asks about that column again."""
    from sipko.registry.importer.columns import mask_personal

    lock(mapping)
    if not (access.can_administer_registry(actor) and access.in_scope(actor, mapping.region_id)):
        raise PermissionDenied
    logger.info(
        "import column mapping %s: %s forgotten by %s",
        mapping.region_id,
        mask_personal(mapping.header_key),
        actor.pk,
    )
    mapping.delete()


def assignment_problems(*, assessor: User, ormas: Ormas) -> list[str]:
    """Why this assessor may not verify this ormas (empty when they may)."""
    problems = []
    if not access.is_assessor(assessor):
        problems.append(_("Hanya pengguna berperan penilai yang dapat ditugaskan."))
    elif not access.in_scope(assessor, ormas.region_id):
        problems.append(_("Ormas ini di luar cakupan wilayah penilai."))
    if assessor.ormas_id == ormas.pk or is_pengurus_of(assessor, ormas):
        problems.append(_("Penilai ini anggota ormas tersebut (konflik kepentingan)."))
    return problems


def is_pengurus_of(user: User, ormas: Ormas) -> bool:
    """Whether the user appears among the ormas' pengurus: same NIK, or the same full name.

    The name match is deliberately strict (folded, spaces collapsed): a namesake can be resolved by
    recording the assessor's NIK, a real officer cannot slip through by a missing NIK.
    """
    officers = Pengurus.objects.filter(ormas=ormas)
    if user.nik_hash and officers.filter(nik_hash=user.nik_hash).exists():
        return True
    full_name = name_key(user.get_full_name())
    if not full_name:
        return False
    if user.nik_hash:  # an officer with another recorded NIK is a namesake
        officers = officers.filter(nik_hash="")
    return any(name_key(name) == full_name for name in officers.values_list("name", flat=True))


def skt_expiry_for(issued: dt.date | None) -> dt.date | None:
    return add_years(issued, settings.SIPKO_SKT_VALIDITY_YEARS) if issued else None

"""Reads of the registry. Everything a page lists comes from here, already scoped to the user."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sipko.accounts import access
from sipko.lib.text import fold, name_key, registration_key
from sipko.regions.models import within_q
from sipko.registry.models import (
    DuplicateDismissal,
    ImportColumnMapping,
    Ormas,
    Pengurus,
    Position,
    Validity,
)

if TYPE_CHECKING:
    from sipko.accounts.models import User
    from sipko.regions.models import Region


def today() -> dt.date:
    return timezone.localdate()


def validity_expression(on: dt.date) -> Case:
    """SQL expression of the derived legal status (SPEC §3.2) on a given day.

    SK AHU has no expiry; an SKT is *akan habis* from `SIPKO_EXPIRY_WARNING_DAYS` before its expiry
    date and *kedaluwarsa* from the day after; a local letter counts as in force; no number at
    all is *tidak terdaftar*. An SKT whose expiry is unknown is *tidak diketahui*.
    """
    warn_until = on + dt.timedelta(days=settings.SIPKO_EXPIRY_WARNING_DAYS)
    has_skt = ~Q(skt_number="")
    return Case(
        When(~Q(ahu_number=""), then=Value(Validity.BERLAKU)),
        When(has_skt & Q(skt_expires__isnull=True), then=Value(Validity.TIDAK_DIKETAHUI)),
        When(has_skt & Q(skt_expires__lt=on), then=Value(Validity.KEDALUWARSA)),
        When(has_skt & Q(skt_expires__lte=warn_until), then=Value(Validity.AKAN_HABIS)),
        When(has_skt, then=Value(Validity.BERLAKU)),
        When(~Q(local_letter_number=""), then=Value(Validity.BERLAKU)),
        default=Value(Validity.TIDAK_TERDAFTAR),
        output_field=CharField(),
    )


def active_chair_exists(on: dt.date) -> Exists:
    return Exists(
        Pengurus.objects.filter(ormas=OuterRef("pk"), position=Position.KETUA).filter(
            Q(term_end__isnull=True) | Q(term_end__gte=on)
        )
    )


def ormas_for(user: User, *, include_merged: bool = False) -> QuerySet[Ormas]:
    """The ormas this user may see, annotated with `validity` and `board_current` for today."""
    on = today()
    qs = Ormas.objects.for_user(user)
    if not include_merged:
        qs = qs.current()
    return qs.select_related("region", "region__parent").annotate(
        validity=validity_expression(on), board_current=active_chair_exists(on)
    )


@dataclass(frozen=True)
class RegistryFilters:
    q: str = ""
    validity: str = ""
    registration: str = ""
    activity_status: str = ""
    legal_form: str = ""
    bidang: str = ""
    kecamatan: str = ""
    sort: str = "name"

    SORTS = {
        "name": ("name",),
        "-name": ("-name",),
        "skt_expires": (F("skt_expires").asc(nulls_last=True), "name"),
        "-skt_expires": (F("skt_expires").desc(nulls_last=True), "name"),
        "region": ("region_id", "name"),
        "-updated": ("-updated_at",),
    }


def ormas_search(user: User, filters: RegistryFilters) -> QuerySet[Ormas]:
    qs = ormas_for(user)
    if filters.q:
        folded = fold(filters.q)
        number = registration_key(filters.q)
        condition = Q(name__icontains=filters.q) | Q(acronym__icontains=filters.q)
        if folded:
            condition |= Q(name_key__contains=name_key(filters.q))
        if len(number) >= 4:
            condition |= Q(skt_number__icontains=filters.q) | Q(ahu_number__icontains=filters.q)
        qs = qs.filter(condition)
    if filters.validity:
        qs = qs.filter(validity=filters.validity)
    if filters.registration == "sk_ahu":
        qs = qs.exclude(ahu_number="")
    elif filters.registration == "skt":
        qs = qs.filter(ahu_number="").exclude(skt_number="")
    elif filters.registration == "local":
        qs = qs.filter(ahu_number="", skt_number="").exclude(local_letter_number="")
    elif filters.registration == "none":
        qs = qs.filter(ahu_number="", skt_number="", local_letter_number="")
    if filters.activity_status:
        qs = qs.filter(activity_status=filters.activity_status)
    if filters.legal_form:
        qs = qs.filter(legal_form=filters.legal_form)
    if filters.bidang:
        qs = qs.filter(bidang__code=filters.bidang)
    if filters.kecamatan:
        qs = qs.filter(within_q(filters.kecamatan, "region__code"))
    return qs.order_by(*RegistryFilters.SORTS.get(filters.sort, ("name",)))


def kecamatan_choices(user: User) -> list[tuple[str, str]]:
    """Kecamatan that hold at least one visible ormas, for the registry filter."""
    from sipko.regions.models import Region

    # A kecamatan code is always 8 characters ("35.72.01"): group in SQL, not in Python.
    codes = (
        ormas_for(user)
        .filter(region__level__gte=3)
        .annotate(kecamatan=Substr("region_id", 1, 8))
        .values_list("kecamatan", flat=True)
        .distinct()
    )
    regions = Region.objects.filter(code__in=codes).select_related("parent")
    many_kabkota = len({r.parent_id for r in regions}) > 1
    return sorted(
        (
            (r.code, f"{r.name} — {r.parent.name}" if many_kabkota and r.parent else r.name)
            for r in regions
        ),
        key=lambda pair: pair[1],
    )


def registry_counts(user: User) -> dict[str, Any]:
    qs = ormas_for(user)
    by_validity = dict(
        qs.values_list("validity").annotate(n=Count("pk")).values_list("validity", "n")
    )
    by_activity = dict(
        qs.values_list("activity_status")
        .annotate(n=Count("pk"))
        .values_list("activity_status", "n")
    )
    return {
        "total": sum(by_validity.values()),
        "by_validity": [(v, v.label, by_validity.get(v.value, 0)) for v in Validity],
        "by_activity": by_activity,
    }


def expiring_registrations(user: User) -> QuerySet[Ormas]:
    """SKTs expiring within the warning window (soonest first), then expired ones (latest first)."""
    expiring_first = Case(When(validity=Validity.AKAN_HABIS, then=Value(0)), default=Value(1))
    soonest = Case(When(validity=Validity.AKAN_HABIS, then=F("skt_expires")))
    return (
        ormas_for(user)
        .filter(validity__in=[Validity.AKAN_HABIS, Validity.KEDALUWARSA])
        .order_by(expiring_first, soonest.asc(), F("skt_expires").desc(), "name")
    )


def ended_terms(user: User) -> QuerySet[Pengurus]:
    """Officers whose term has ended, in ormas the user may see."""
    return (
        Pengurus.objects.filter(ormas__in=ormas_for(user), term_end__lt=today())
        .select_related("ormas", "ormas__region")
        .order_by("term_end", "ormas__name")
    )


def multi_chair_hashes(user: User) -> set[str]:
    """NIK digests of people who chair more than one ormas (anywhere: a chair elsewhere counts)."""
    visible_hashes = (
        Pengurus.objects.filter(ormas__in=ormas_for(user), position=Position.KETUA)
        .exclude(nik_hash="")
        .values("nik_hash")
    )
    rows = (
        Pengurus.objects.filter(
            position=Position.KETUA, nik_hash__in=visible_hashes, ormas__merged_into__isnull=True
        )
        .values("nik_hash")
        .annotate(n=Count("ormas", distinct=True))
        .filter(n__gt=1)
    )
    return {row["nik_hash"] for row in rows}


def officer_flags(user: User, ormas: Ormas) -> dict[int, list[str]]:
    """Per officer of `ormas`: warnings to show beside them (term ended, chairs another ormas)."""
    # Only registry administrators learn that a NIK chairs another ormas: shown to an operator,
    # the flag would let anyone test a NIK against every ormas in the country.
    multi = multi_chair_hashes(user) if access.can_administer_registry(user) else set()
    on = today()
    flags: dict[int, list[str]] = defaultdict(list)
    for officer in ormas.pengurus.all():
        if officer.term_end and officer.term_end < on:
            flags[officer.pk].append(str(_("Masa bakti telah berakhir")))
        if officer.position == Position.KETUA and officer.nik_hash in multi:
            flags[officer.pk].append(str(_("NIK ini juga menjadi ketua ormas lain")))
    return flags


@dataclass
class DuplicatePair:
    first: Ormas
    second: Ormas
    reasons: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.first.uuid}:{self.second.uuid}"


def duplicate_candidates(user: User, *, limit: int = 200) -> list[DuplicatePair]:
    """Pairs of visible ormas that may be one organisation (SPEC §3.2), strongest first.

    Signals: the same normalised name or acronym in the same kabupaten/kota, the same SK AHU or
    SKT number, an officer NIK shared between the two. Pairs someone dismissed are left out.
    """
    visible = ormas_for(user)
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    ids_by_signal: dict[tuple[str, str], list[int]] = defaultdict(list)

    rows = visible.values_list(
        "pk", "name_key", "acronym_key", "region_id", "ahu_number", "skt_number"
    )
    for pk, nkey, akey, region_id, ahu, skt in rows:
        kabkota = ".".join(region_id.split(".")[:2])
        ids_by_signal[("name", f"{kabkota}|{nkey}")].append(pk)
        if akey and len(akey) >= 3:
            ids_by_signal[("acronym", f"{kabkota}|{akey}")].append(pk)
        for number in (ahu, skt):
            if number:
                ids_by_signal[("number", registration_key(number))].append(pk)
    officer_rows = (
        Pengurus.objects.filter(ormas__in=visible)
        .exclude(nik_hash="")
        .values_list("nik_hash", "ormas_id")
    )
    for digest, ormas_id in officer_rows:
        if ormas_id not in ids_by_signal[("nik", digest)]:
            ids_by_signal[("nik", digest)].append(ormas_id)

    labels = {
        "name": _("nama sama di kabupaten/kota yang sama"),
        "acronym": _("singkatan sama di kabupaten/kota yang sama"),
        "number": _("nomor SK/SKT sama"),
        "nik": _("pengurus dengan NIK yang sama"),
    }
    reasons_by_pair: dict[tuple[int, int], list[str]] = defaultdict(list)
    for (signal, _value), ids in ids_by_signal.items():
        if len(ids) < 2 or len(ids) > 20:  # a signal shared by a crowd is noise, not a duplicate
            continue
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                key = (min(a, b), max(a, b))
                label = str(labels[signal])
                if label not in reasons_by_pair[key]:
                    reasons_by_pair[key].append(label)

    dismissed = set(DuplicateDismissal.objects.values_list("first_id", "second_id"))
    keys = [k for k in reasons_by_pair if k not in dismissed and (k[1], k[0]) not in dismissed]
    keys.sort(key=lambda k: (-len(reasons_by_pair[k]), k))
    keys = keys[:limit]
    objects = visible.in_bulk({pk for key in keys for pk in key})
    for key in keys:
        pairs[key] = DuplicatePair(objects[key[0]], objects[key[1]], reasons_by_pair[key])
    return list(pairs.values())


def import_column_mappings(region: Region | None) -> dict[str, str]:
    """The column choices saved for imports into `region`: column key → field (or "ignore")."""
    if region is None:
        return {}
    return dict(
        ImportColumnMapping.objects.filter(region=region).values_list("header_key", "field")
    )


def saved_column_mappings(user: User) -> list[ImportColumnMapping]:
    """The import column mappings of the regions the user may import into, by region and header."""
    if not access.can_administer_registry(user):
        return []
    mappings = ImportColumnMapping.objects.select_related("region").order_by("region_id", "header")
    if user.region_id:
        mappings = mappings.filter(within_q(user.region_id, "region__code"))
    return [m for m in mappings if access.in_scope(user, m.region_id)]

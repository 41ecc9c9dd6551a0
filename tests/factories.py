"""factory_boy factories that keep related objects consistent (an officer belongs to its ormas)."""

from __future__ import annotations

import datetime

import factory

from sipko.accounts.models import Role, User
from sipko.lib import protected
from sipko.lib.text import compact, name_key
from sipko.regions.models import Region
from sipko.registry.models import Document, LegalForm, Ormas, Pengurus, Position


class OrmasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ormas

    name = factory.Sequence(lambda n: f"Perkumpulan Uji Coba {n}")
    acronym = factory.Sequence(lambda n: f"PUC{n}")
    name_key = factory.LazyAttribute(lambda o: name_key(o.name))
    acronym_key = factory.LazyAttribute(lambda o: compact(o.acronym))
    legal_form = LegalForm.PERKUMPULAN
    region = factory.LazyFunction(lambda: Region.objects.get(code="35.72.01.1001"))
    address = "Jl. Contoh No. 1"


class PengurusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pengurus

    class Params:
        nik = None

    ormas = factory.SubFactory(OrmasFactory)
    name = factory.Sequence(lambda n: f"Pengurus {n}")
    position = Position.KETUA
    nik_encrypted = factory.LazyAttribute(lambda o: protected.encrypt(o.nik) if o.nik else "")
    nik_hash = factory.LazyAttribute(lambda o: protected.lookup_hash(o.nik) if o.nik else "")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    ormas = factory.SubFactory(OrmasFactory)
    doc_type = "ad_art"
    number = factory.Sequence(lambda n: f"DOC-{n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.VIEWER

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        obj.set_password(extracted or "rahasia-uji-123")
        if create:
            obj.save(update_fields=["password"])


class RpjmdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "planning.Rpjmd"

    region_id = "35.72"
    title = "RPJMD Kota Blitar (uji)"
    start_year = 2025
    end_year = 2029
    visi = "Kota Blitar yang Maju, Sehat, dan Sejahtera Menuju Kota Masa Depan"


class RpjmdItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "planning.RpjmdItem"

    rpjmd = factory.SubFactory(RpjmdFactory)
    level = "misi"
    code = factory.Sequence(lambda n: f"M{n}")
    text = factory.Sequence(lambda n: f"Rumusan uji {n}")


class PeriodFactory(factory.django.DjangoModelFactory):
    """An open yearly-assessment period of Kota Blitar, reported per semester."""

    class Meta:
        model = "planning.Period"

    region_id = "35.72"
    name = "Periode Penilaian 2025 (uji)"
    start = datetime.date(2025, 1, 1)
    end = datetime.date(2025, 12, 31)
    programme_due = datetime.date(2025, 3, 31)
    state = "open"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "planning.Programme"

    ormas = factory.SubFactory(OrmasFactory)
    period = factory.SubFactory(PeriodFactory)
    title = factory.Sequence(lambda n: f"Program Uji {n}")
    objective = "Tujuan uji yang terukur"
    start_date = datetime.date(2025, 2, 1)
    end_date = datetime.date(2025, 11, 30)
    state = "accepted"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "planning.ProgrammeIndicator"

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Indikator {n}")
    unit = "orang"
    target = 100


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reporting.ActivityReport"

    programme = factory.SubFactory(ProgrammeFactory)
    title = factory.Sequence(lambda n: f"Kegiatan Uji {n}")
    start_date = datetime.date(2025, 3, 10)
    end_date = datetime.date(2025, 3, 10)
    location = factory.LazyAttribute(lambda o: o.programme.ormas.region)
    narrative = "Uraian kegiatan uji."

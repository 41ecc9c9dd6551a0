"""factory_boy factories that keep related objects consistent (an officer belongs to its ormas)."""

from __future__ import annotations

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

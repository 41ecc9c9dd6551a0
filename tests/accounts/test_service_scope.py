"""Every service refuses an actor who is out of scope, called directly, and writes nothing.

The views fetch through scoped queries, so an outsider meets a 404 long before a service. The API,
commands and the exchange import will call the services directly, so each one checks for itself.
Here every public service that takes an `actor` is called on objects of `ormas` (Kota Blitar) by:

- `outside_admin`: Kesbangpol of Kabupaten Malang (another region);
- `unassigned_assessor`: an assessor of Kota Blitar who is not assigned to `ormas`;
- `other_operator`: the operator of another Kota Blitar ormas;
- `viewer`: a Kota Blitar viewer (reads only).

Each must raise PermissionDenied and leave every table as it was. `test_every_service_is_covered`
fails when a service is added without a case here, as the access matrix does for routes.
"""

from __future__ import annotations

import contextlib
import importlib
import inspect
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_totp.models import TOTPDevice

from sipko.accounts import own_account, two_factor
from sipko.accounts import services as accounts
from sipko.accounts.models import Role
from sipko.assessment import services as assessment
from sipko.assessment.models import Appeal, EligibilityRule, FollowUp
from sipko.inbox import services as inbox
from sipko.inbox.models import Notification
from sipko.planning import services as planning
from sipko.regions.models import Region
from sipko.registry import services as registry
from sipko.registry.models import ImportColumnMapping
from sipko.reporting import services as reporting
from tests.access.reporting import image_upload
from tests.assessment.factories import (
    SMALL_YAML,
    Flow,
    fill_small,
    make_flow,
    pdf_upload,
    published_instrument,
)
from tests.factories import (
    DocumentFactory,
    IndicatorFactory,
    OrmasFactory,
    PengurusFactory,
    PeriodFactory,
    ProgrammeFactory,
    ReportFactory,
    RpjmdFactory,
    RpjmdItemFactory,
    UserFactory,
)

SERVICE_MODULES = {
    "registry": "sipko.registry.services",
    "planning": "sipko.planning.services",
    "reporting": "sipko.reporting.services",
    "assessment": "sipko.assessment.services",
    "accounts": "sipko.accounts.services",
    "two_factor": "sipko.accounts.two_factor",
    "own_account": "sipko.accounts.own_account",
    "inbox": "sipko.inbox.services",
}
# Services that act only on the actor's own account or inbox: no parameter names anything of
# someone else's, so there is no wrong user to try (they refuse only the signed-out).
SELF_ONLY = {
    "inbox.notifications_read_all",
    "two_factor.two_factor_enable",
    "two_factor.recovery_codes_renew",
    "two_factor.two_factor_disable",
}
WRONG_ACTORS = ("outside_admin", "unassigned_assessor", "other_operator", "viewer")
REGIONAL_DRAFT = SMALL_YAML.replace("code: UJI-KECIL", "code: UJI-KOTA")


def _services_with_actor() -> set[str]:
    names = set()
    for app, path in SERVICE_MODULES.items():
        module = importlib.import_module(path)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            if "actor" in inspect.signature(function).parameters:
                names.add(f"{app}.{name}")
    return names


def _snapshot() -> dict[str, int]:
    """Row counts of every table SIPKO owns, history and state logs included."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label
        in {
            "registry",
            "planning",
            "reporting",
            "assessment",
            "workflow",
            "accounts",
            "inbox",
            "otp_totp",
            "otp_static",
        }
    }


@pytest.fixture
def w(ormas, other_ormas, operator, region_admin, assessor, national_admin) -> dict[str, Any]:
    """Objects of `ormas` in every state a service needs, built by the rightful actors."""
    instrument = published_instrument(SMALL_YAML)
    regional = assessment.instrument_load(
        actor=region_admin, text=REGIONAL_DRAFT, region_code="35.72"
    )
    period = PeriodFactory(name="Periode Uji Lingkup")
    flow = make_flow(
        instrument=instrument,
        period=period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    fill_small(flow)
    flow.submit()
    flow.assign()
    answer = flow.get("LV")
    draft_period = PeriodFactory(name="Periode Uji Lingkup (draf)")
    draft_flow: Flow = make_flow(
        instrument=instrument,
        period=draft_period,
        ormas=ormas,
        operator=operator,
        admin=region_admin,
        assessor=assessor,
    )
    draft_answer = draft_flow.get("LV")
    draft_file = assessment.answer_file_add(
        actor=operator, answer=draft_answer, upload=pdf_upload()
    )
    programme = ProgrammeFactory(ormas=ormas, period=period, state="draft")
    indicator = IndicatorFactory(programme=programme)
    report = ReportFactory(programme=ProgrammeFactory(ormas=ormas, period=period))
    evidence = reporting.evidence_add(actor=operator, report=report, upload=image_upload())
    submitted_report = ReportFactory(programme=report.programme, state="submitted")
    submitted_programme = ProgrammeFactory(ormas=ormas, period=period, state="submitted")
    rpjmd = RpjmdFactory(region_id="35.72")
    return {
        "ormas": ormas,
        "other_ormas": other_ormas,
        "pengurus": PengurusFactory(ormas=ormas),
        "document": DocumentFactory(ormas=ormas),
        "instrument": instrument,
        "regional": regional,
        "period": period,
        "assessment": flow.fresh(),
        "answer": answer,
        "draft": draft_flow.fresh(),
        "draft_answer": draft_answer,
        "draft_file": draft_file,
        "appeal": Appeal.objects.create(
            assessment=flow.assessment, grounds="Alasan keberatan uji yang cukup panjang."
        ),
        "follow_up": FollowUp.objects.create(assessment=flow.assessment, action="Uji tindak"),
        "rule": EligibilityRule.objects.create(region_id="35.72", name="Layak", predicates=["A"]),
        "programme": programme,
        "submitted_programme": submitted_programme,
        "indicator": indicator,
        "report": report,
        "submitted_report": submitted_report,
        "evidence": evidence,
        "rpjmd": rpjmd,
        "misi": RpjmdItemFactory(rpjmd=rpjmd),
        "new_period": PeriodFactory(name="Periode Baru Uji"),
        "mapping": ImportColumnMapping.objects.create(
            region_id="35.72", header_key="catatan", header="Catatan", field="ignore"
        ),
        "new_assessor": UserFactory(username="penilai_baru", role=Role.ASSESSOR, region_id="35.72"),
        "inactive_user": UserFactory(
            username="pemantau_nonaktif", role=Role.VIEWER, region_id="35.72", is_active=False
        ),
        "notification": Notification.objects.create(
            recipient=operator, kind=Notification.Kind.RETURNED, message="Uji", url="/"
        ),
        "free_ormas": OrmasFactory(name="Perkumpulan Belum Berakun (fiktif)"),
        "batch": accounts.onboard_ormas(
            region_admin,
            [OrmasFactory(name="Perkumpulan Onboarding (fiktif)", email="o@example.test")],
        ),
    }


Call = Callable[[Any, dict[str, Any]], Any]
CASES: dict[str, Call] = {
    # registry
    "registry.ormas_save": lambda a, w: registry.ormas_save(
        actor=a, ormas=w["ormas"], data={"name": "Diambil alih (fiktif)"}
    ),
    "registry.pengurus_save": lambda a, w: registry.pengurus_save(
        actor=a, ormas=w["ormas"], data={"name": "Orang Lain"}, pengurus=w["pengurus"]
    ),
    "registry.pengurus_delete": lambda a, w: registry.pengurus_delete(
        actor=a, pengurus=w["pengurus"]
    ),
    "registry.document_upload": lambda a, w: registry.document_upload(
        actor=a, ormas=w["ormas"], data={"kind": "adart"}, upload=pdf_upload()
    ),
    "registry.document_verify": lambda a, w: registry.document_verify(
        actor=a, document=w["document"], verdict="invalid", reason="uji"
    ),
    "registry.ormas_merge": lambda a, w: registry.ormas_merge(
        actor=a, keep=w["other_ormas"], duplicate=w["ormas"], reason="uji"
    ),
    "registry.duplicate_dismiss": lambda a, w: registry.duplicate_dismiss(
        actor=a, first=w["ormas"], second=w["other_ormas"], reason="uji"
    ),
    "registry.assignment_create": lambda a, w: registry.assignment_create(
        actor=a, assessor=w["new_assessor"], ormas=w["ormas"]
    ),
    "registry.import_column_mapping_save": lambda a, w: registry.import_column_mapping_save(
        actor=a,
        region=Region.objects.get(code="35.72"),
        mapping={"catatan": "ignore"},
        headers={"catatan": "Catatan"},
    ),
    "registry.import_column_mapping_delete": lambda a, w: registry.import_column_mapping_delete(
        actor=a, mapping=w["mapping"]
    ),
    # planning
    "planning.rpjmd_save": lambda a, w: planning.rpjmd_save(
        actor=a, data={"title": "RPJMD diubah"}, rpjmd=w["rpjmd"]
    ),
    "planning.rpjmd_item_save": lambda a, w: planning.rpjmd_item_save(
        actor=a, rpjmd=w["rpjmd"], data={"text": "Misi diubah"}, item=w["misi"]
    ),
    "planning.period_save": lambda a, w: planning.period_save(
        actor=a, data={"name": "Periode diambil alih"}, period=w["period"]
    ),
    "planning.period_move": lambda a, w: planning.period_move(
        actor=a, period=w["period"], action="assess"
    ),
    "planning.programme_ensure_editable": lambda a, w: planning.programme_ensure_editable(
        actor=a, programme=w["programme"]
    ),
    "planning.programme_save": lambda a, w: planning.programme_save(
        actor=a, ormas=w["ormas"], data={"title": "Diubah"}, programme=w["programme"]
    ),
    "planning.indicator_save": lambda a, w: planning.indicator_save(
        actor=a, programme=w["programme"], data={"name": "Diubah"}, indicator=w["indicator"]
    ),
    "planning.indicator_delete": lambda a, w: planning.indicator_delete(
        actor=a, indicator=w["indicator"]
    ),
    "planning.programme_submit": lambda a, w: planning.programme_submit(
        actor=a, programme=w["programme"]
    ),
    "planning.programme_review": lambda a, w: planning.programme_review(
        actor=a, programme=w["submitted_programme"], accept=True
    ),
    # reporting
    "reporting.report_ensure_editable": lambda a, w: reporting.report_ensure_editable(
        actor=a, report=w["report"]
    ),
    "reporting.report_save": lambda a, w: reporting.report_save(
        actor=a, programme=w["report"].programme, data={"title": "Diubah"}, report=w["report"]
    ),
    "reporting.evidence_add": lambda a, w: reporting.evidence_add(
        actor=a, report=w["report"], upload=image_upload()
    ),
    "reporting.evidence_remove": lambda a, w: reporting.evidence_remove(
        actor=a, evidence=w["evidence"]
    ),
    "reporting.report_submit": lambda a, w: reporting.report_submit(actor=a, report=w["report"]),
    "reporting.report_review": lambda a, w: reporting.report_review(
        actor=a, report=w["submitted_report"], verify=True
    ),
    "reporting.financial_summary_save": lambda a, w: reporting.financial_summary_save(
        actor=a, ormas=w["ormas"], period=w["period"], data={"income_iuran": 1}
    ),
    # assessment
    "assessment.instrument_load": lambda a, w: assessment.instrument_load(
        actor=a, text=REGIONAL_DRAFT.replace('version: "1"', 'version: "2"'), region_code="35.72"
    ),
    "assessment.instrument_publish": lambda a, w: assessment.instrument_publish(
        actor=a, instrument=w["regional"]
    ),
    "assessment.instrument_new_version": lambda a, w: assessment.instrument_new_version(
        actor=a, instrument=w["regional"], version="9"
    ),
    "assessment.period_standard_set": lambda a, w: assessment.period_standard_set(
        actor=a, period=w["period"], instrument=w["instrument"]
    ),
    "assessment.assessment_open": lambda a, w: assessment.assessment_open(
        actor=a, ormas=w["ormas"], period=w["new_period"]
    ),
    "assessment.assessments_open_all": lambda a, w: assessment.assessments_open_all(
        actor=a, period=w["period"]
    ),
    "assessment.answer_save": lambda a, w: assessment.answer_save(
        actor=a, answer=w["draft_answer"], value="5"
    ),
    "assessment.answer_file_add": lambda a, w: assessment.answer_file_add(
        actor=a, answer=w["draft_answer"], upload=pdf_upload()
    ),
    "assessment.answer_file_remove": lambda a, w: assessment.answer_file_remove(
        actor=a, item=w["draft_file"]
    ),
    "assessment.assessment_submit": lambda a, w: assessment.assessment_submit(
        actor=a, assessment=w["draft"]
    ),
    "assessment.assessment_assign": lambda a, w: assessment.assessment_assign(
        actor=a, assessment=w["assessment"], assessor=w["new_assessor"], declared=True
    ),
    "assessment.answer_verify": lambda a, w: assessment.answer_verify(
        actor=a, answer=w["answer"], value="1", reason="uji"
    ),
    "assessment.assessment_complete": lambda a, w: assessment.assessment_complete(
        actor=a, assessment=w["assessment"]
    ),
    "assessment.assessment_return": lambda a, w: assessment.assessment_return(
        actor=a, assessment=w["assessment"], reason="uji"
    ),
    "assessment.answer_reconcile": lambda a, w: assessment.answer_reconcile(
        actor=a, answer=w["answer"], value="1", reason="uji"
    ),
    "assessment.assessment_reconciled": lambda a, w: assessment.assessment_reconciled(
        actor=a, assessment=w["assessment"]
    ),
    "assessment.assessment_publish": lambda a, w: assessment.assessment_publish(
        actor=a, assessment=w["assessment"]
    ),
    "assessment.assessments_publish_all": lambda a, w: assessment.assessments_publish_all(
        actor=a, period=w["period"]
    ),
    "assessment.appeal_file": lambda a, w: assessment.appeal_file(
        actor=a, assessment=w["assessment"], grounds="Keberatan yang diajukan orang lain."
    ),
    "assessment.appeal_decide": lambda a, w: assessment.appeal_decide(
        actor=a, appeal=w["appeal"], decision="rejected", reason="uji"
    ),
    "assessment.assessment_finalise": lambda a, w: assessment.assessment_finalise(
        actor=a, assessment=w["assessment"]
    ),
    "assessment.assessments_finalise_due": lambda a, w: assessment.assessments_finalise_due(
        actor=a, period=w["period"]
    ),
    "assessment.follow_up_create": lambda a, w: assessment.follow_up_create(
        actor=a, assessment=w["assessment"], action="Tindak lanjut orang lain"
    ),
    "assessment.follow_up_update": lambda a, w: assessment.follow_up_update(
        actor=a, follow_up=w["follow_up"], state="done"
    ),
    "assessment.eligibility_rule_save": lambda a, w: assessment.eligibility_rule_save(
        actor=a, region_code="35.72", name="Diubah", predicates=["A"], rule=w["rule"]
    ),
    # accounts
    "accounts.user_create": lambda a, w: accounts.user_create(
        a, username="akun_diambil", name="", email="", role=Role.VIEWER, region_code="35.72"
    ),
    "accounts.user_update": lambda a, w: accounts.user_update(
        a, w["new_assessor"], name="Diambil alih"
    ),
    "accounts.user_deactivate": lambda a, w: accounts.user_deactivate(a, w["new_assessor"]),
    "accounts.user_reactivate": lambda a, w: accounts.user_reactivate(a, w["inactive_user"]),
    "accounts.user_set_temporary_password": lambda a, w: accounts.user_set_temporary_password(
        a, w["new_assessor"]
    ),
    "accounts.activation_code_issue": lambda a, w: accounts.activation_code_issue(
        a, w["new_assessor"]
    ),
    "accounts.onboarding_plan": lambda a, w: accounts.onboarding_plan(a, [w["free_ormas"]]),
    "accounts.onboard_ormas": lambda a, w: accounts.onboard_ormas(a, [w["free_ormas"]]),
    "accounts.batch_codes": lambda a, w: accounts.batch_codes(a, w["batch"]),
    "accounts.activation_emails_send": lambda a, w: accounts.activation_emails_send(a, w["batch"]),
    "two_factor.two_factor_reset": lambda a, w: two_factor.two_factor_reset(a, w["new_assessor"]),
    "own_account.account_update": lambda a, w: own_account.account_update(
        actor=a, user=w["new_assessor"], changes={"email": "diambil@example.test"}
    ),
    "own_account.password_set": lambda a, w: own_account.password_set(
        actor=a, user=w["new_assessor"], password="Diambil-alih-2026"
    ),
    # inbox
    "inbox.notification_open": lambda a, w: inbox.notification_open(
        actor=a, notification=w["notification"]
    ),
    "inbox.reminders_send": lambda a, w: inbox.reminders_send(
        actor=a, region_code="35.72", confirmed=[]
    ),
}


def test_every_service_is_covered() -> None:
    services = _services_with_actor()
    missing = services - set(CASES) - SELF_ONLY
    assert not missing, f"services without a wrong-user case: {sorted(missing)}"
    assert set(CASES) | SELF_ONLY <= services, f"stale: {sorted(set(CASES) | SELF_ONLY - services)}"
    for name in SELF_ONLY:
        app, function = name.split(".")
        parameters = inspect.signature(
            getattr(importlib.import_module(SERVICE_MODULES[app]), function)
        ).parameters
        others = {p for p in parameters if p not in {"actor", "key", "code", "password"}}
        assert not others, f"{name} takes {sorted(others)}: give it a wrong-user case"


@pytest.fixture
def wrong_actors(outside_admin, other_operator, viewer) -> dict[str, Any]:
    return {
        "outside_admin": outside_admin,
        "unassigned_assessor": UserFactory(
            username="penilai_lain", role=Role.ASSESSOR, region_id="35.72"
        ),
        "other_operator": other_operator,
        "viewer": viewer,
    }


@pytest.mark.parametrize("name", sorted(CASES))
def test_service_refuses_the_wrong_user(name: str, w: dict[str, Any], wrong_actors) -> None:
    for label in WRONG_ACTORS:
        before = _snapshot()
        with pytest.raises(PermissionDenied):
            CASES[name](wrong_actors[label], w)
        assert _snapshot() == before, f"{name} as {label} wrote something"


def test_outside_admin_cannot_move_an_ormas_into_its_region(w, outside_admin) -> None:
    """The scope is checked on the object as stored, not on the values it is given."""
    with pytest.raises(PermissionDenied):
        registry.ormas_save(
            actor=outside_admin,
            ormas=w["ormas"],
            data={"region": Region.objects.get(code="35.07.01.2001")},
        )
    w["ormas"].refresh_from_db()
    assert w["ormas"].region_id.startswith("35.72")


def test_outside_admin_cannot_take_a_period_or_rpjmd_into_its_region(w, outside_admin) -> None:
    malang = Region.objects.get(code="35.07")
    with pytest.raises(PermissionDenied):
        planning.period_save(actor=outside_admin, data={"region": malang}, period=w["period"])
    with pytest.raises(PermissionDenied):
        planning.rpjmd_save(actor=outside_admin, data={"region": malang}, rpjmd=w["rpjmd"])
    w["period"].refresh_from_db()
    w["rpjmd"].refresh_from_db()
    assert (w["period"].region_id, w["rpjmd"].region_id) == ("35.72", "35.72")


def test_objects_must_belong_to_what_the_actor_may_edit(w, operator, region_admin) -> None:
    """An operator may edit its own programmes, but not pass another ormas' programme along
    with its own ormas; an admin may not edit an RPJMD item through another RPJMD."""
    foreign = ProgrammeFactory(ormas=w["other_ormas"], period=w["period"], state="draft")
    with pytest.raises(PermissionDenied):
        planning.programme_save(
            actor=operator, ormas=w["ormas"], data={"title": "Dibajak"}, programme=foreign
        )
    other_rpjmd = RpjmdFactory(region_id="35.72", start_year=2030, end_year=2034)
    with pytest.raises(PermissionDenied):
        planning.rpjmd_item_save(
            actor=region_admin, rpjmd=other_rpjmd, data={"text": "x"}, item=w["misi"]
        )
    outside_rule = EligibilityRule.objects.create(region_id="35.07", name="Malang", predicates=[])
    with pytest.raises(PermissionDenied):
        assessment.eligibility_rule_save(
            actor=region_admin, region_code="35.72", name="x", predicates=["A"], rule=outside_rule
        )


def test_an_operator_cannot_open_an_assessment_in_another_regions_period(w, operator) -> None:
    malang = PeriodFactory(region_id="35.07", name="Periode Malang")
    with pytest.raises(Exception) as info:
        assessment.assessment_open(actor=operator, ormas=w["ormas"], period=malang)
    assert "bukan periode wilayah" in str(info.value)


def test_the_rightful_actors_pass_the_same_calls(w, operator, region_admin, assessor) -> None:
    """The cases above are refusals of scope, not of state: the rightful actor gets through."""
    CASES["registry.ormas_save"](region_admin, w)
    CASES["registry.ormas_save"](operator, w)
    CASES["planning.programme_submit"](operator, w)
    CASES["reporting.evidence_add"](operator, w)
    CASES["assessment.answer_verify"](assessor, w)
    CASES["assessment.follow_up_create"](region_admin, w)
    CASES["assessment.eligibility_rule_save"](region_admin, w)
    CASES["registry.assignment_create"](region_admin, w)
    CASES["registry.duplicate_dismiss"](region_admin, w)
    CASES["registry.import_column_mapping_save"](region_admin, w)
    CASES["registry.import_column_mapping_delete"](region_admin, w)
    assert not ImportColumnMapping.objects.filter(pk=w["mapping"].pk).exists()
    assert OrmasFactory._meta.model.objects.get(pk=w["ormas"].pk).name == "Diambil alih (fiktif)"
    for name in (
        "user_create",
        "user_update",
        "activation_code_issue",
        "user_set_temporary_password",
        "user_deactivate",
        "user_reactivate",
        "batch_codes",
        "activation_emails_send",
        "onboarding_plan",
        "onboard_ormas",
    ):
        CASES[f"accounts.{name}"](region_admin, w)
    assert not w["new_assessor"].is_active and w["inactive_user"].is_active
    TOTPDevice.objects.create(user=w["new_assessor"], name="default", confirmed=True)
    CASES["two_factor.two_factor_reset"](region_admin, w)
    assert not two_factor.has_two_factor(w["new_assessor"])
    assert CASES["inbox.notification_open"](operator, w) == "/"
    with contextlib.suppress(ValidationError):  # past the permission check, the list is checked
        CASES["inbox.reminders_send"](region_admin, w)


def test_an_assessor_with_a_stale_page_is_refused_after_reassignment(w, assessor, region_admin):
    """Permission is decided on the committed row: the assessor's request loaded the answer
    before Kesbangpol gave the assessment to someone else."""
    from sipko.assessment.models import Answer

    stale = Answer.objects.select_related("assessment").get(pk=w["answer"].pk)
    assessment.assessment_assign(
        actor=region_admin, assessment=w["assessment"], assessor=w["new_assessor"], declared=True
    )
    with pytest.raises(PermissionDenied):
        assessment.answer_verify(actor=assessor, answer=stale, value="1", reason="uji")
    with pytest.raises(PermissionDenied):
        assessment.assessment_return(actor=assessor, assessment=stale.assessment, reason="uji")
    assert not Answer.objects.filter(assessment=w["assessment"], second_by=assessor).exists()

"""`export_organisation` / `restore_organisation` (accounts/transfer.py): one organisation's data
to one JSON file and back, all or nothing, strictly through the organisation."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from assessments import steps
from assessments.files import uploads
from assessments.files.decisions import Decisions
from assessments.files.reading import read
from assessments.models import Assessment, MappingProfile, Package, Task
from assessments.versions import (
    ChecklistVersion,
    DecisionRule,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
)
from assessments.workflow import KpiDirection
from outsourcing_advisor.accounts import transfer
from outsourcing_advisor.accounts.management.commands import seed_demo
from outsourcing_advisor.accounts.models import Membership, Organisation, Profile
from vendors.models import Bid, Certification, Evaluation, SecurityCheck, Vendor

pytestmark = pytest.mark.django_db

A, B = seed_demo.ORG_A, seed_demo.ORG_B

# A sheet whose 所要時間 has no unit and holds hours: the mapping step asks, a profile remembers.
HOURS_SHEET = (
    "部署,業務,作業,業務区分,頻度,所要時間\n人事部,給与計算,勤怠集計,人事・労務,毎月,1.5\n"
).encode()


def counts() -> dict[str, int]:
    """How many rows every model of the project has: what "nothing written" compares."""
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in {"accounts", "assessments", "vendors", "auth"}
    }


def export(name: str, tmp_path, file: str = "org.json") -> tuple[dict, object]:
    path = tmp_path / file
    with translation.override("en"):
        call_command("export_organisation", name, str(path), verbosity=0)
    return json.loads(path.read_text(encoding="utf-8")), path


def restore(path) -> str:
    out = StringIO()
    with translation.override("en"):  # the messages the tests match
        call_command("restore_organisation", str(path), stdout=out)
    return out.getvalue()


def write(tmp_path, document: dict, file: str = "edited.json"):
    path = tmp_path / file
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def rich():
    """The demo (company A with packages, bids and evaluations; company B beside it), and on A's
    assessment every workflow record: goals, readiness entries, a KPI with an actual, an RFP
    draft, an override; the assessment moved to a checklist v2 and a readiness v2 that only it
    uses."""
    call_command("seed_demo", verbosity=0)
    assessment = Assessment.objects.get(organisation__name=A)
    manager = User.objects.get(username="manager")
    consultant = User.objects.get(username="consultant")

    checklist = ChecklistVersion.objects.latest_published().copy_as_draft()
    checklist.criteria.filter(code="C1").update(weight=Decimal("1.50"))
    checklist.publish(consultant)
    readiness = ReadinessVersion.objects.latest_published().copy_as_draft()
    first = readiness.items.order_by("order").first()
    first.text_en = first.text_en + " (reworded)"
    first.save()
    readiness.publish(consultant)
    assessment.move_to_versions(
        checklist, RuleTableVersion.objects.latest_published(), None, readiness
    )
    assessment.refresh_from_db()

    steps.Goals.record(
        assessment,
        {"cost_rank": 1, "quality_rank": 2, "speed_rank": 3, "depersonalisation_rank": 4,
         "cost_note": "人件費の削減", "tools": True, "tools_note": "RPAも検討"},
        manager,
    )  # fmt: skip
    items = list(readiness.items.order_by("order")[:2])
    steps.ReadinessEntry.record(
        assessment,
        readiness,
        {
            items[0].pk: steps.ReadinessValues("総務部 佐藤", steps.ReadinessStatus.DONE, "済"),
            items[1].pk: steps.ReadinessValues("", steps.ReadinessStatus.IN_PROGRESS, ""),
        },
        manager,
    )
    package = assessment.packages.order_by("position").first()
    kpi = steps.Kpi.objects.create(
        assessment=assessment,
        name="処理件数",
        unit="件",
        target=Decimal("120.5"),
        direction=KpiDirection.HIGHER,
        package=package,
    )
    steps.Kpi.record_month(assessment, datetime.date(2026, 4, 1), {kpi.pk: Decimal(130)}, manager)
    steps.RfpDraft.generate(package, {"background": "背景", "scope": "範囲"}, "ja", consultant)
    task = package.tasks.order_by("position").first()
    task.set_override("ito", "システム部門と一体で委託する", consultant)
    assessment.recompute_results([task])
    # The mapping Hanako saved for the HR department's sheet (所要時間 in hours).
    reading = read(HOURS_SHEET, "hours.csv")
    uploads.save_profile(
        assessment.organisation,
        "人事部の様式",
        reading,
        Decisions(units={"所要時間": "hour"}),
        manager,
    )

    # Company B: a vendor and a bid only B has, and an evaluation by B's manager.
    assessment_b = Assessment.objects.get(organisation__name=B)
    package_b = Package.objects.create(assessment=assessment_b, name="B only", model="bpo")
    vendor_b = Vendor.objects.create(name="Bだけの委託先", services=["bpo"])
    bid_b = Bid.objects.create(package=package_b, vendor=vendor_b, monthly_fee=Decimal(1))
    Evaluation.objects.create(
        bid=bid_b, evaluator=User.objects.get(username="outsider"), scores={"team": 3}
    )
    MappingProfile.objects.create(
        organisation=assessment_b.organisation, name="Bだけの様式", headers="部署|業務|作業"
    )
    return assessment


def delete_organisation_a() -> None:
    """What an empty database lacks: A's data, the people and vendors only A used, the versions
    only A used (v1 of each stays: migrations publish it)."""
    Organisation.objects.get(name=A).delete()
    User.objects.filter(username__in=["manager", "viewer"]).delete()
    Vendor.objects.exclude(bids__isnull=False).delete()
    ChecklistVersion.objects.filter(number=2).delete()
    ReadinessVersion.objects.filter(number=2).delete()


def test_round_trip_restores_everything(rich, tmp_path):
    before, path = export(A, tmp_path)
    records = before["data"]["records"]
    for model in transfer.EXPORTED:
        assert records[transfer.label(model[0])], f"the demo has no {model[0].__name__}"
    numbers = {
        kind: [v["number"] for v in versions]
        for kind, versions in before["data"]["versions"].items()
    }
    assert numbers == {
        "assessments.checklistversion": [2],
        "assessments.ruletableversion": [1],
        "assessments.evaluationversion": [1],
        "assessments.readinessversion": [2],
    }
    password_of_consultant = User.objects.get(username="consultant").password

    delete_organisation_a()
    assert not Task.objects.filter(assessment__organisation__name=A).exists()
    output = restore(path)

    after, _path = export(A, tmp_path, "again.json")
    assert after["data"] == before["data"]  # ids are numbered per file: no primary keys compared
    assert after["sha256"] == before["sha256"]
    assert "manager" in output and "changepassword" in output
    # Restored people must be given a password; one already here keeps hers.
    assert not User.objects.get(username="manager").has_usable_password()
    assert User.objects.get(username="consultant").password == password_of_consultant
    assert Profile.objects.get(user__username="manager").language == "ja"
    # v1 is reused (it came from the migrations), v2 is created again with its number.
    assert "v1" in output and RuleTableVersion.objects.filter(number=1).count() == 1
    assert ChecklistVersion.objects.get(number=2).criteria.get(code="C1").weight == Decimal("1.5")
    assessment = Assessment.objects.get(organisation__name=A)
    assert assessment.readiness_version.number == 2
    assert steps.workflow_facts(assessment).kpis_with_actual == 1


def test_a_mapping_profile_is_restored_and_reads_the_next_upload(rich, tmp_path):
    """An organisation's saved mapping is its data: it comes back with its name, headers,
    decisions, who saved it and when, and reads the next sheet with the same headers."""
    saved = MappingProfile.objects.get(organisation__name=A)
    kept = (saved.name, saved.headers, saved.decisions, saved.updated_at)
    document, path = export(A, tmp_path)
    [entry] = document["data"]["records"]["assessments.mappingprofile"]
    assert entry["fields"]["created_by"] == "manager" and entry["fields"]["organisation"] == 1
    delete_organisation_a()
    assert not MappingProfile.objects.filter(name="人事部の様式").exists()
    restore(path)

    restored = MappingProfile.objects.get(organisation__name=A)
    assert (restored.name, restored.headers, restored.decisions, restored.updated_at) == kept
    assert restored.created_by == User.objects.get(username="manager")
    assert MappingProfile.objects.filter(organisation__name=B).count() == 1, "B's untouched"
    # The restored organisation's next upload of that sheet is read with it: hours, not asked.
    organisation = Organisation.objects.get(name=A)
    assert uploads.profile_for(organisation, read(HOURS_SHEET, "next.csv")) == restored
    reading = read(HOURS_SHEET, "next.csv", Decisions.from_json(restored.decisions))
    assert reading.ready and reading.rows[0]["minutes"] == 90


def test_a_mapping_profile_whose_author_left_is_restored_without_one(rich, tmp_path):
    MappingProfile.objects.filter(organisation__name=A).update(created_by=None)
    _document, path = export(A, tmp_path)
    delete_organisation_a()
    restore(path)
    assert MappingProfile.objects.get(organisation__name=A).created_by is None


def test_restoring_into_a_database_with_the_organisation_is_refused(rich, tmp_path):
    _document, path = export(A, tmp_path)
    before = counts()
    with pytest.raises(CommandError, match="already exists"):
        restore(path)
    assert counts() == before


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="truncated"),
        pytest.param(lambda text: text.replace("処理件数", "処理件效"), id="edited"),
        pytest.param(lambda text: '{"model": "auth.user", "pk": 1}', id="foreign"),
        pytest.param(lambda text: "[]", id="not-an-object"),
        pytest.param(
            lambda text: text.replace('"format_version": 1', '"format_version": 99'), id="newer"
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(rich, tmp_path, damage):
    _document, path = export(A, tmp_path)
    delete_organisation_a()
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError):
        restore(path)
    assert counts() == before


def test_a_file_failing_late_leaves_nothing_behind(rich, tmp_path):
    """A checksum-valid file whose last records are broken: the organisation, people, versions
    and vendors written before the failure are rolled back."""
    document, _path = export(A, tmp_path)
    delete_organisation_a()
    data = document["data"]
    data["records"]["vendors.evaluation"][-1]["fields"]["bid"] = 9999
    document["sha256"] = transfer.checksum(data)
    before = counts()
    with pytest.raises(CommandError, match=r"vendors\.Evaluation\.bid refers to 9999"):
        restore(write(tmp_path, document))
    assert counts() == before
    assert not Organisation.objects.filter(name=A).exists()


def test_a_version_with_the_same_number_but_other_content_is_refused(rich, tmp_path):
    _document, path = export(A, tmp_path)
    delete_organisation_a()
    rule = DecisionRule.objects.filter(version__number=1).order_by("order").first()
    DecisionRule.objects.filter(pk=rule.pk).update(explanation_en="Reworded in place")
    before = counts()
    with pytest.raises(CommandError, match="v1 exists in this database with different content"):
        restore(path)
    assert counts() == before


def test_unknown_fields_are_refused(rich, tmp_path):
    document, _path = export(A, tmp_path)
    delete_organisation_a()
    data = document["data"]
    data["records"]["assessments.task"][0]["fields"]["salary"] = 1
    document["sha256"] = transfer.checksum(data)
    with pytest.raises(CommandError, match="salary"):
        restore(write(tmp_path, document))
    assert not Organisation.objects.filter(name=A).exists()


def test_the_export_reads_only_through_the_organisation(rich, tmp_path):
    document, path = export(A, tmp_path)
    text = path.read_text(encoding="utf-8")
    data = document["data"]
    assert {u["username"] for u in data["users"]} == {"manager", "consultant", "viewer"}
    assert "outsider" not in text and "admin" not in {u["username"] for u in data["users"]}
    assert B not in text and seed_demo.ASSESSMENT_B not in text
    assert "工場見学の来客受付" not in text  # a task only B has
    assert "Bだけの様式" not in text  # a mapping only B saved
    assert "Bだけの委託先" not in text
    assert [r["fields"]["name"] for r in data["records"]["assessments.assessment"]] == [
        seed_demo.ASSESSMENT_A
    ]
    # Every membership, bid and evaluation in the file is A's.
    assert (
        len(data["records"]["accounts.membership"])
        == Membership.objects.filter(organisation__name=A).count()
    )
    assert (
        len(data["records"]["vendors.bid"])
        == Bid.objects.filter(package__assessment__organisation__name=A).count()
    )
    assert (
        len(data["records"]["vendors.evaluation"])
        == Evaluation.objects.filter(bid__package__assessment__organisation__name=A).count()
    )
    # Company B exports on its own and round-trips too.
    document_b, path_b = export(B, tmp_path, "b.json")
    assert {u["username"] for u in document_b["data"]["users"]} == {"outsider", "consultant"}
    assert [v["fields"]["name"] for v in document_b["data"]["vendors"]] == ["Bだけの委託先"]
    assert A not in path_b.read_text(encoding="utf-8")


def test_no_password_hash_or_site_privilege_is_exported(rich, tmp_path):
    User.objects.filter(username="manager").update(is_staff=True)
    _document, path = export(A, tmp_path)
    text = path.read_text(encoding="utf-8")
    assert User.objects.get(username="manager").password not in text
    assert "password" not in text and "is_staff" not in text and "is_superuser" not in text


def test_vendor_already_in_the_registry_is_reused(rich, tmp_path):
    _document, path = export(A, tmp_path)
    Organisation.objects.get(name=A).delete()  # the vendors and people stay
    certifications, checks = Certification.objects.count(), SecurityCheck.objects.count()
    output = restore(path)
    assert "reused" in output
    assert (Certification.objects.count(), SecurityCheck.objects.count()) == (
        certifications,
        checks,
    )
    assert Bid.objects.filter(package__assessment__organisation__name=A).count() == 8


def test_export_by_id_to_standard_output_and_unknown_organisation(rich, capsys):
    organisation = Organisation.objects.get(name=A)
    call_command("export_organisation", str(organisation.pk), "-")
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == transfer.FORMAT and document["format_version"] == 1
    with pytest.raises(CommandError, match="No organisation"), translation.override("en"):
        call_command("export_organisation", "no such company", "-")


def test_a_missing_input_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        restore(tmp_path / "missing.json")


# --- every model that belongs to an organisation is exported ---------------------------------


def owned_models() -> set:
    """Models whose rows belong to an organisation: a foreign key to Organisation, Assessment or
    Package, or to such a model (a result, an actual, an evaluation…)."""
    owned = {Organisation}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in owned and any(
                f.is_relation and f.related_model in owned for f in model._meta.concrete_fields
            ):
                owned.add(model)
                grew = True
    return owned


def test_every_model_belonging_to_an_organisation_is_exported_or_deliberately_skipped():
    assert {Assessment, Package, Task, steps.Kpi, Evaluation} <= owned_models()
    covered = {model for model, _path in transfer.EXPORTED} | transfer.SKIPPED
    missing = sorted(model._meta.label for model in owned_models() - covered)
    assert missing == [], (
        "add these models to transfer.EXPORTED (with their path to the organisation) or, with "
        f"a reason, to transfer.SKIPPED: {missing}"
    )
    assert transfer.coverage_problems() == []


def test_the_coverage_check_notices_a_model_left_out(monkeypatch):
    left_out = tuple(entry for entry in transfer.EXPORTED if entry[0] is not steps.KpiActual)
    monkeypatch.setattr(transfer, "EXPORTED", left_out)
    assert any("assessments.kpiactual" in problem for problem in transfer.coverage_problems())


def test_every_reference_of_an_exported_model_can_be_written():
    for model, path in transfer.EXPORTED:
        model._default_manager.filter(**{path: 1}).exists()  # the path leads to an organisation
        for field in model._meta.concrete_fields:
            if field.is_relation:
                transfer.reference_kind(field.related_model)  # raises for an unknown target
    assert transfer.reference_kind(ReadinessItem) == "readiness_item"  # [version number, code]


def test_an_import_cannot_be_undone_after_a_restore(rich, tmp_path):
    """The inventory an import keeps to be undone names this database's ids: it is not
    exported, and the restored import says it cannot be undone (rather than restoring tasks
    under ids of another database)."""
    assessment = rich
    rows = [
        {"department": "総務部", "process": "郵便", "task": "郵便物の仕分け", "category": "other"}
    ]
    assessment.import_tasks(rows, filename="add.csv", sha256="", user=None, replace=False)
    assert assessment.imports.get(filename="add.csv").can_undo
    document, path = export(A, tmp_path)
    assert all(
        "before" not in r["fields"]
        for r in document["data"]["records"]["assessments.inventoryimport"]
    )
    delete_organisation_a()
    restore(path)

    restored = Assessment.objects.get(organisation__name=A)
    latest = restored.imports.get(filename="add.csv")
    assert not latest.can_undo
    assert restored.tasks.filter(task="郵便物の仕分け").exists()

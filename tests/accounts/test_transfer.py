"""`export_organisation` / `restore_organisation` (accounts/transfer.py): one organisation's data
to one signed JSON file and back, all or nothing, strictly through the organisation; a restore
trusts nothing in the file (issue 13: "a restore that trusts nothing")."""

import copy
import datetime
import hashlib
import json
import re
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django.utils.crypto import salted_hmac

from assessments.domain.workflow import KpiDirection
from assessments.files import uploads
from assessments.files.decisions import Decisions
from assessments.files.reading import read
from assessments.models import Assessment, MappingProfile, Package, Task, steps
from assessments.models.versions import (
    ChecklistVersion,
    DecisionRule,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
)
from assessments.reporting import progress
from outsourcing_advisor.accounts.models import Membership, Organisation, Profile
from outsourcing_advisor.history.models import Event
from outsourcing_advisor.operations import transfer
from outsourcing_advisor.operations.management.commands import seed_demo
from vendors.models import (
    Bid,
    Certification,
    Consensus,
    Evaluation,
    SecurityCheck,
    Submission,
    Vendor,
    VendorLink,
)
from vendors.services import links, panel, portal, review

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


def restore(path, *options: str) -> str:
    out = StringIO()
    with translation.override("en"):  # the messages the tests match
        call_command("restore_organisation", str(path), *options, stdout=out)
    return out.getvalue()


# What a site administrator restoring an organisation into the database it was deleted from says:
# the people still here are the same people, and the versions only it used may be created again.
TRUSTED = ("--keep-existing-users", "--create-missing-versions")

# The signature of an export (transfer.SIGNING_SALT): part of the format, written out here so
# that the tests below sign a file the way a holder of the key would, independently of the code.
SALT = "outsourcing-advisor/organisation-export"


def canonical(value) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def rechecksummed(document: dict) -> dict:
    """What anyone who edits a file can do: recompute the SHA-256 of its data, the only check an
    export carried before it was signed."""
    document["sha256"] = hashlib.sha256(canonical(document["data"])).hexdigest()
    return document


def resigned(document: dict, key: str | None = None) -> dict:
    """An edited file signed again with the key (an administrator's edit, or a key that leaked):
    only the checks behind the signature stand between it and the database."""
    rechecksummed(document)
    content = {name: value for name, value in document.items() if name != "signature"}
    secret = key or settings.SECRET_KEY
    document["signature"] = salted_hmac(
        SALT, canonical(content), secret=secret, algorithm="sha256"
    ).hexdigest()
    return document


def write(tmp_path, document: dict, file: str = "edited.json"):
    path = tmp_path / file
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


# What a vendor submitted through its link (the shapes vendors/services/portal.py writes).
ACCEPTED_ANSWERS = portal.Answers(
    contact={"name": "鈴木 一郎", "email": "suzuki@example.co.jp", "phone": "03-1234-5678"},
    quote={"pricing_model": "subscription", "initial_fee": "300000", "monthly_fee": "480000",
           "unit_price": None, "annual_volume": None, "annual_volume_low": None,
           "annual_volume_high": None, "quote_note": "年間契約"},
    security={item: {"status": "met", "note": ""} for item in
              ("certifications", "access_control", "audit_logs", "resubcontracting",
               "incident_response")},
    statements={"instructs": "yes", "manages_hours": "yes", "off_site": "no"},
    certifications=[{"kind": "pmark", "number": "10820001", "expires_on": "2099-03-31"}],
)  # fmt: skip


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

    # Vendors answer by link (SPEC 4.6): a vendor's submission accepted into its bid, a consensus
    # score and the package's evaluation panel.
    bid = Bid.objects.filter(package__assessment=assessment).order_by("pk").first()
    link, _token = links.issue(bid, consultant)
    submitted = portal.submit(link, ACCEPTED_ANSWERS)
    review.accept(submitted, consultant)
    Consensus.objects.create(
        bid=bid, criterion="security", score=4, reason="二人の評価の間を取る", author=manager
    )
    bid.package.panel.set([manager, consultant])

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
    # Checklist v2 comes from a migration too (0020): the one made here is v3.
    ChecklistVersion.objects.filter(number=3).delete()
    # Readiness v2 comes from a migration too (0016): the one made here is v3.
    ReadinessVersion.objects.filter(number=3).delete()


def make_room_for_a() -> None:
    """A database A's file restores into without any flag: A is gone, and none of its people is
    here (B's consultant goes by another username); the versions it uses are."""
    Organisation.objects.get(name=A).delete()
    User.objects.filter(username__in=["manager", "viewer"]).delete()
    User.objects.filter(username="consultant").update(username="consultant-of-b")


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
        "assessments.checklistversion": [3],  # v2 scores every question (0020)
        "assessments.ruletableversion": [2],  # the revised rules (migration 0015)
        "assessments.evaluationversion": [1],
        "assessments.readinessversion": [3],
    }
    password_of_consultant = User.objects.get(username="consultant").password

    delete_organisation_a()
    assert not Task.objects.filter(assessment__organisation__name=A).exists()
    output = restore(path, *TRUSTED)

    after, _path = export(A, tmp_path, "again.json")
    assert after["data"] == before["data"]  # ids are numbered per file: no primary keys compared
    assert "manager" in output and "changepassword" in output
    # Restored people must be given a password; one already here keeps hers.
    assert not User.objects.get(username="manager").has_usable_password()
    assert User.objects.get(username="consultant").password == password_of_consultant
    assert Profile.objects.get(user__username="manager").language == "ja"
    # v1 is reused (it came from the migrations), as is rule table v2 (migration 0015); checklist
    # v2 is created again with its number.
    assert "v1" in output and RuleTableVersion.objects.filter(number=1).count() == 1
    assert RuleTableVersion.objects.filter(number=2).count() == 1
    assert ChecklistVersion.objects.get(number=3).criteria.get(code="C1").weight == Decimal("1.5")
    assessment = Assessment.objects.get(organisation__name=A)
    assert assessment.readiness_version.number == 3
    assert progress.workflow_facts(assessment).kpis_with_actual == 1


def test_links_stay_behind_and_what_came_through_them_comes_back(rich, tmp_path):
    """A vendor link is a door into this installation: a restored organisation carries none (its
    vendors get new links from it). What came through one comes back: the submission without
    its link, the 告示37号 statements its bid holds, the package's panel by username."""
    bid = Bid.objects.get(package__assessment=rich, submissions__isnull=False)
    assert bid.statements == {"instructs": "yes", "manages_hours": "yes", "off_site": "no"}
    document, path = export(A, tmp_path)
    records = document["data"]["records"]
    assert "vendors.vendorlink" not in records
    [entry] = records["vendors.submission"]
    assert "link" not in entry["fields"] and entry["fields"]["status"] == "accepted"
    assert [
        p["fields"]["panel"] for p in records["assessments.package"] if p["fields"]["panel"]
    ] == [["consultant", "manager"]]
    delete_organisation_a()
    restore(path, *TRUSTED)

    restored = Submission.objects.select_related("bid__package").get(
        bid__package__assessment__organisation__name=A
    )
    assert restored.link is None and restored.quote["monthly_fee"] == "480000"
    assert restored.reviewed_by.username == "consultant"
    assert restored.bid.statements == bid.statements
    assert sorted(restored.bid.package.panel.values_list("username", flat=True)) == [
        "consultant",
        "manager",
    ]
    assert Consensus.objects.get(bid=restored.bid).reason == "二人の評価の間を取る"
    assert not VendorLink.objects.filter(bid__package__assessment__organisation__name=A).exists()


def test_a_consensus_events_bid_is_renumbered_with_the_bid(rich, tmp_path):
    """The history hides a consensus score from whoever may not see its bid's scores, by the bid
    the event names in its details: that id follows the bid through the file, like a subject's."""
    bid = Bid.objects.get(package__assessment=rich, submissions__isnull=False)
    kenji = User.objects.get(username="consultant")
    panel.save_consensus(bid, "bcp", 3, "拠点が本社のみ", kenji, rich)
    package_name, vendor = bid.package.name, bid.vendor.name
    document, path = export(A, tmp_path)
    records = document["data"]["records"]
    [event] = [e for e in records["history.event"] if e["fields"]["subject_type"] == "consensus"]
    assert event["fields"]["details"]["bid"] in {e["id"] for e in records["vendors.bid"]}
    delete_organisation_a()
    restore(path, *TRUSTED)

    restored = Bid.objects.get(
        package__assessment__organisation__name=A,
        package__name=package_name,
        vendor__name=vendor,
    )
    [again] = Event.objects.filter(subject_type="consensus", organisation__name=A)
    assert again.details["bid"] == restored.pk


def test_an_export_from_before_the_vendor_links_restores(rich, tmp_path):
    """A file of the same format version made before submissions, consensus scores, panels and
    the bids' statements existed: what it lacks is empty once restored."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    records = document["data"]["records"]
    for name in ("vendors.submission", "vendors.consensus"):
        del records[name]
    for package in records["assessments.package"]:
        del package["fields"]["panel"]
    for bid in records["vendors.bid"]:
        del bid["fields"]["statements"]
    records["history.event"] = [
        e for e in records["history.event"]
        if e["fields"]["subject_type"] not in ("submission", "vendor_link", "consensus")
    ]  # fmt: skip
    restore(write(tmp_path, resigned(document)))
    assessment = Assessment.objects.get(organisation__name=A)
    assert not Submission.objects.filter(bid__package__assessment=assessment).exists()
    assert not Bid.objects.filter(package__assessment=assessment).exclude(statements={}).exists()
    assert not Package.panel.through.objects.filter(package__assessment=assessment).exists()


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
    restore(path, *TRUSTED)

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
    restore(path, *TRUSTED)
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
            lambda text: re.sub(r'"format_version": \d+', '"format_version": 99', text), id="newer"
        ),
    ],
)
def test_a_bad_file_is_refused_and_nothing_is_written(rich, tmp_path, damage):
    _document, path = export(A, tmp_path)
    delete_organisation_a()
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError):
        restore(path, *TRUSTED)
    assert counts() == before


def test_a_file_failing_late_leaves_nothing_behind(rich, tmp_path):
    """A signed file whose last records are broken: the organisation, people, versions and
    vendors written before the failure are rolled back."""
    document, _path = export(A, tmp_path)
    delete_organisation_a()
    document["data"]["records"]["vendors.evaluation"][-1]["fields"]["bid"] = 9999
    before = counts()
    with pytest.raises(CommandError, match=r"vendors\.Evaluation\.bid refers to 9999"):
        restore(write(tmp_path, resigned(document)), *TRUSTED)
    assert counts() == before
    assert not Organisation.objects.filter(name=A).exists()


def test_a_version_with_the_same_number_but_other_content_is_refused(rich, tmp_path):
    _document, path = export(A, tmp_path)
    delete_organisation_a()
    rule = DecisionRule.objects.filter(version__number=2).order_by("order").first()
    DecisionRule.objects.filter(pk=rule.pk).update(explanation_en="Reworded in place")
    before = counts()
    with pytest.raises(CommandError, match="v2 exists in this database with different content"):
        restore(path, *TRUSTED)
    assert counts() == before


def test_unknown_fields_are_refused(rich, tmp_path):
    document, _path = export(A, tmp_path)
    delete_organisation_a()
    document["data"]["records"]["assessments.task"][0]["fields"]["salary"] = 1
    with pytest.raises(CommandError, match="salary"):
        restore(write(tmp_path, resigned(document)), *TRUSTED)
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
    output = restore(path, "--keep-existing-users")
    assert "reused" in output
    assert (Certification.objects.count(), SecurityCheck.objects.count()) == (
        certifications,
        checks,
    )
    # The demo sample's nine bids (the 社労士法人's in the BPO package included).
    assert Bid.objects.filter(package__assessment__organisation__name=A).count() == 9


def test_export_by_id_to_standard_output_and_unknown_organisation(rich, capsys):
    organisation = Organisation.objects.get(name=A)
    call_command("export_organisation", str(organisation.pk), "-")
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == transfer.FORMAT and document["format_version"] == 2
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
        for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
            if field.is_relation and (model, field.name) not in transfer.NOT_EXPORTED_FIELDS:
                transfer.reference_kind(field.related_model)  # raises for an unknown target
    assert transfer.reference_kind(ReadinessItem) == "readiness_item"  # [version number, code]
    # A submission's link is left out on purpose: links never leave their installation.
    assert (Submission, "link") in transfer.NOT_EXPORTED_FIELDS


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
    restore(path, *TRUSTED)

    restored = Assessment.objects.get(organisation__name=A)
    latest = restored.imports.get(filename="add.csv")
    assert not latest.can_undo
    assert restored.tasks.filter(task="郵便物の仕分け").exists()


# --- a restore that trusts nothing (issue 13) ------------------------------------------------


def add_consultant_membership_for_the_viewer(data: dict) -> None:
    """The read-only person of company A made a consultant of the restored organisation: a
    consultant of any organisation sees the site's vendor registry."""
    if "viewer" not in {u["username"] for u in data["users"]}:
        data["users"].append(
            {
                "username": "viewer",
                "first_name": "",
                "last_name": "",
                "email": "",
                "is_active": True,
                "date_joined": "2026-01-05T09:00:00+09:00",
                "language": "ja",
            }
        )
    memberships = data["records"]["accounts.membership"]
    memberships.append(
        {
            "id": max(m["id"] for m in memberships) + 1,
            "fields": {"user": "viewer", "organisation": 1, "role": "consultant"},
        }
    )


def publish_a_rule_table_sending_everything_to_bpo(data: dict) -> None:
    """A rule table v3 whose every rule says BPO, used by the restored assessment: site-wide,
    the latest published, so every organisation's next assessment starts with it."""
    table = RuleTableVersion.objects.get(number=2)
    data["versions"]["assessments.ruletableversion"].append(
        {
            "number": 3,
            "fields": {
                "status": "published",
                "note": "",
                "created_at": "2026-01-05T09:00:00+09:00",
                "published_at": "2026-01-05T09:00:00+09:00",
            },
            "rows": [
                {
                    "order": rule.order,
                    "code": rule.code,
                    "conditions": rule.conditions,
                    "outcome": "bpo",
                    "explanation_ja": rule.explanation_ja,
                    "explanation_en": rule.explanation_en,
                }
                for rule in table.rules.order_by("order", "pk")
            ],
        }
    )
    for assessment in data["records"]["assessments.assessment"]:
        assessment["fields"]["rule_version"] = 3


def answers_as_a_list(data: dict) -> None:
    data["records"]["assessments.task"][0]["fields"]["answers"] = ["yes", "no"]


def rename_the_kpi(data: dict) -> None:
    data["records"]["assessments.kpi"][0]["fields"]["name"] = "改ざんされた指標"


def exported_a(tmp_path) -> dict:
    """A's export, and a database it restores into without any flag."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    return document


def exported_b(tmp_path) -> dict:
    """B's export, and a database it restores into without any flag: B, its manager and its
    evaluation are gone, A's consultant goes by another username; A's viewer is still here."""
    document, _path = export(B, tmp_path, "b.json")
    Organisation.objects.get(name=B).delete()
    Evaluation.objects.filter(evaluator__username="outsider").delete()
    User.objects.filter(username="outsider").delete()
    User.objects.filter(username="consultant").update(username="consultant-of-a")
    return document


ATTACKS = [
    pytest.param(exported_a, rename_the_kpi, id="edited"),
    pytest.param(exported_b, add_consultant_membership_for_the_viewer, id="consultant-membership"),
    pytest.param(exported_a, publish_a_rule_table_sending_everything_to_bpo, id="rule-table-v3"),
    pytest.param(exported_a, answers_as_a_list, id="answers-list"),
]


@pytest.mark.parametrize(("exported", "attack"), ATTACKS)
def test_an_edited_export_with_its_checksum_recomputed_is_refused(rich, tmp_path, exported, attack):
    """The issue's crafted exports: edited, the SHA-256 recomputed as anyone can. The signature
    needs the key: refused, nothing written, whatever the edit."""
    document = exported(tmp_path)
    attack(document["data"])
    before = counts()
    with pytest.raises(CommandError, match="signature does not match"):
        restore(write(tmp_path, rechecksummed(document)))
    assert counts() == before
    assert RuleTableVersion.objects.latest_published().number == 2
    assert not Membership.objects.filter(user__username="viewer", role="consultant").exists()


def test_a_file_signed_with_another_servers_key_is_refused_and_a_shared_key_restores(
    rich, tmp_path, settings
):
    """EXPORT_SIGNING_KEY: an export restores on a server with the same key only."""
    settings.EXPORT_SIGNING_KEY = "key-of-the-server-it-was-exported-on"
    document, _path = export(A, tmp_path)
    make_room_for_a()
    before = counts()
    other = write(tmp_path, resigned(copy.deepcopy(document), key="another-servers-key"))
    with pytest.raises(CommandError, match="EXPORT_SIGNING_KEY"):
        restore(other)
    assert counts() == before
    settings.EXPORT_SIGNING_KEY = "and-this-server-has-another-key"
    with pytest.raises(CommandError, match="signature does not match"):
        restore(write(tmp_path, document, "genuine.json"))
    assert counts() == before
    settings.EXPORT_SIGNING_KEY = "key-of-the-server-it-was-exported-on"
    restore(write(tmp_path, document, "genuine.json"))
    assert Organisation.objects.filter(name=A).exists()


def test_an_unsigned_export_of_format_version_1_is_refused(rich, tmp_path):
    document, _path = export(A, tmp_path)
    make_room_for_a()
    document["format_version"] = 1
    document.pop("signature", None)
    with pytest.raises(CommandError, match="unsigned export"):
        restore(write(tmp_path, rechecksummed(document)))
    assert not Organisation.objects.filter(name=A).exists()


def test_a_genuine_export_restores_without_flags_where_its_people_are_new(rich, tmp_path):
    """Into a database that has the versions it uses and none of its people: no flag needed;
    the people are created without a usable password and without any site privilege."""
    before, path = export(A, tmp_path)
    make_room_for_a()
    output = restore(path)
    after, _path = export(A, tmp_path, "again.json")
    assert after["data"] == before["data"]
    created = User.objects.filter(username__in=["manager", "viewer", "consultant"])
    assert created.count() == 3
    assert not any(u.has_usable_password() or u.is_staff or u.is_superuser for u in created)
    assert "consultant" in output and "changepassword" in output


def test_a_membership_for_an_existing_person_needs_keep_existing_users(rich, tmp_path):
    """The crafted export of the issue, signed with the key: the read-only person of company A
    made a consultant of a restored organisation. Refused without --keep-existing-users; with
    it (the administrator says they are the same people) the person is otherwise untouched."""
    document = exported_b(tmp_path)
    viewer = User.objects.get(username="viewer")
    Profile.objects.update_or_create(user=viewer, defaults={"language": "en"})
    kept = (viewer.first_name, viewer.email, viewer.password, viewer.date_joined)
    add_consultant_membership_for_the_viewer(document["data"])
    entry = next(u for u in document["data"]["users"] if u["username"] == "viewer")
    entry.update(first_name="Mallory", email="mallory@example.com", language="ja")
    path = write(tmp_path, resigned(document))
    before = counts()
    with pytest.raises(CommandError, match=r"already exist.*: viewer\..*--keep-existing-users"):
        restore(path)
    assert counts() == before
    assert not Vendor.objects.for_user(viewer).exists(), "the viewer sees no registry"

    output = restore(path, "--keep-existing-users")
    assert "made members of the organisation: viewer (consultant)" in output
    viewer.refresh_from_db()
    assert Membership.objects.get(user=viewer, organisation__name=B).role == "consultant"
    assert Membership.objects.get(user=viewer, organisation__name=A).role == "viewer"
    assert (viewer.first_name, viewer.email, viewer.password, viewer.date_joined) == kept
    assert viewer.profile.language == "en" and not viewer.is_staff


def test_a_staff_member_is_never_made_a_member_by_a_restore(rich, tmp_path):
    _document, path = export(A, tmp_path)
    Organisation.objects.get(name=A).delete()
    User.objects.filter(username="viewer").update(is_staff=True)
    before = counts()
    with pytest.raises(CommandError, match=r"staff members or superusers of this site \(viewer\)"):
        restore(path)
    assert counts() == before


def test_a_person_with_site_rights_in_the_file_is_refused(rich, tmp_path):
    document, _path = export(A, tmp_path)
    make_room_for_a()
    next(u for u in document["data"]["users"] if u["username"] == "viewer")["is_superuser"] = True
    before = counts()
    with pytest.raises(
        CommandError, match=r"person “viewer” in the file has fields .*is_superuser"
    ):
        restore(write(tmp_path, resigned(document)))
    assert counts() == before
    assert not User.objects.filter(is_superuser=True, username="viewer").exists()


def test_a_missing_version_is_site_wide_and_needs_create_missing_versions(rich, tmp_path):
    """The rule table sending every task to BPO, signed with the key: refused, naming the
    version; another company's next assessment still starts with v2."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    publish_a_rule_table_sending_everything_to_bpo(document["data"])
    before = counts()
    with pytest.raises(
        CommandError, match=r"rule table version v3 is not in this database.*--create-missing"
    ):
        restore(write(tmp_path, resigned(document)))
    assert counts() == before
    company_b = Organisation.objects.get(name=B)
    assert Assessment.objects.start(organisation=company_b, name="次").rule_version.number == 2


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            lambda v: v["rows"][0].update(conditions=[["category", "in"]]),
            "row 1, field “conditions”",
            id="conditions",
        ),
        pytest.param(
            lambda v: v["rows"][0].update(outcome="everything"),
            "row 1, field “outcome”",
            id="outcome",
        ),
        pytest.param(
            lambda v: v["rows"][0].update(code=v["rows"][1]["code"]),
            "row 2 repeats the code of rule table version v3, row 1",
            id="same-code",
        ),
        pytest.param(
            lambda v: v["rows"].pop(),
            "could not be published",
            id="no-catch-all",
        ),
    ],
)
def test_a_created_version_is_validated_as_if_published(rich, tmp_path, edit, message):
    """With --create-missing-versions, a version the file brings is checked like one being
    published in the admin."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    publish_a_rule_table_sending_everything_to_bpo(document["data"])
    version = document["data"]["versions"]["assessments.ruletableversion"][-1]
    version["rows"].sort(key=lambda row: row["order"])
    edit(version)
    before = counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        restore(write(tmp_path, resigned(document)), "--create-missing-versions")
    assert counts() == before
    assert RuleTableVersion.objects.latest_published().number == 2


def first(model: str):
    """The fields of the first record of `model` in a document (for the edits below)."""
    return lambda data: data["records"][model][0]["fields"]


TASK, RESULT = first("assessments.task"), first("assessments.taskresult")
SUBMISSION, CONSENSUS = first("vendors.submission"), first("vendors.consensus")

INVALID = [
    # JSON fields, in the shapes the pages read
    (TASK, "answers", ["yes", "no"], "assessments.task 1, field “answers”"),
    (TASK, "answers", {"C1": "maybe"}, "assessments.task 1, field “answers”"),
    (TASK, "answers", "yes", "assessments.task 1, field “answers”"),
    (TASK, "answer_sources", {"C1": "admin"}, "assessments.task 1, field “answer_sources”"),
    (RESULT, "detail", ["reasons"], "assessments.taskresult 1, field “detail”"),
    (RESULT, "detail", {"contributions": [["C1", "yes"]]}, "taskresult 1, field “detail”"),
    (RESULT, "detail", {"warnings": "all"}, "assessments.taskresult 1, field “detail”"),
    (
        first("assessments.mappingprofile"),
        "decisions",
        {"columns": ["所要時間"]},
        "assessments.mappingprofile 1, field “decisions”",
    ),
    (first("assessments.rfpdraft"), "sections", ["背景"], "rfpdraft 1, field “sections”"),
    (first("vendors.evaluation"), "scores", {"team": 9}, "evaluation 1, field “scores”"),
    (first("vendors.evaluation"), "scores", {"team": "5"}, "evaluation 1, field “scores”"),
    (first("vendors.evaluation"), "comments", {"team": 1}, "evaluation 1, field “comments”"),
    (first("history.event"), "changes", "everything", "history.event 1, field “changes”"),
    (first("history.event"), "details", {"rows": "many"}, "history.event 1, field “details”"),
    # what a vendor submitted through its link, and the statements a bid holds (SPEC 4.6)
    (SUBMISSION, "quote", {"monthly_fee": "abc"}, "vendors.submission 1, field “quote”"),
    (SUBMISSION, "quote", {"monthly_fee": "-5"}, "vendors.submission 1, field “quote”"),
    (SUBMISSION, "quote", {"pricing_model": "barter"}, "vendors.submission 1, field “quote”"),
    (SUBMISSION, "quote", {"total": "1"}, "vendors.submission 1, field “quote”"),
    (SUBMISSION, "security", {"audit_logs": {"status": "perfect"}}, "field “security”"),
    (SUBMISSION, "security", {"audit_logs": "met"}, "field “security”"),
    (SUBMISSION, "certifications", [{"kind": "gold"}], "field “certifications”"),
    (SUBMISSION, "certifications", [{"kind": "isms", "expires_on": "soon"}], "“certifications”"),
    (SUBMISSION, "statements", {"instructs": "maybe"}, "field “statements”"),
    (SUBMISSION, "contact", {"name": 1}, "vendors.submission 1, field “contact”"),
    (SUBMISSION, "status", "approved", "vendors.submission 1, field “status”"),
    (first("vendors.bid"), "statements", {"instructs": "perhaps"}, "bid 1, field “statements”"),
    # the panel: a list of the people of the file, each once; a consensus on a known criterion
    (first("assessments.package"), "panel", "manager", "package 1, field “panel”"),
    (first("assessments.package"), "panel", ["manager", "manager"], "field “panel”"),
    (first("assessments.package"), "panel", [None], "package 1, field “panel”"),
    (first("assessments.package"), "panel", ["nobody"], "which the file does not hold"),
    (CONSENSUS, "score", 9, "vendors.consensus 1, field “score”"),
    (CONSENSUS, "criterion", "charm", "vendors.consensus 1, field “criterion”"),
    # every other field through its model field's validators (the forms' and the import's)
    (TASK, "expertise", 9, "assessments.task 1, field “expertise”"),
    (TASK, "minutes", "NaN", "assessments.task 1, field “minutes”"),
    (TASK, "people", "1e999", "assessments.task 1, field “people”"),
    (TASK, "category", "everything", "assessments.task 1, field “category”"),
    (TASK, "department", "部" * 101, "assessments.task 1, field “department”"),
    (TASK, "position", 10**25, "assessments.task 1, field “position”"),
    (first("accounts.organisation"), "hourly_cost", "0", "field “hourly_cost”"),
    (first("accounts.membership"), "role", "owner", "accounts.membership 1, field “role”"),
    (first("assessments.kpi"), "target", "Infinity", "assessments.kpi 1, field “target”"),
    (first("history.event"), "subject_type", "vendor_registry", "field “subject_type”"),
    (first("assessments.override"), "model", "anything", "override 1, field “model”"),
]


@pytest.mark.parametrize(
    ("fields_of", "name", "value", "message"),
    [pytest.param(*case, id=f"{case[1]}-{n}") for n, case in enumerate(INVALID)],
)
def test_every_record_is_validated_and_a_bad_one_refuses_the_file(
    rich, tmp_path, fields_of, name, value, message
):
    """Signed with the key, and so past the signature: every value goes through its field's
    validators and every JSON field's shape is checked; the refusal names the model, the record
    and the field, and nothing is written (answers as a list made 5 of 7 pages answer 500)."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    fields_of(document["data"])[name] = value
    before = counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        restore(write(tmp_path, resigned(document)))
    assert counts() == before


def test_records_that_must_be_unique_or_belong_together_are_checked(rich, tmp_path):
    document, _path = export(A, tmp_path)
    make_room_for_a()
    memberships = document["data"]["records"]["accounts.membership"]
    twice = copy.deepcopy(memberships[0])
    twice["id"] = max(m["id"] for m in memberships) + 1
    memberships.append(twice)
    with pytest.raises(CommandError, match=r"accounts\.membership \d+ repeats the user_id"):
        restore(write(tmp_path, resigned(copy.deepcopy(document))))
    memberships.pop()
    # A task put in a package of another assessment of the organisation.
    records = document["data"]["records"]
    other = copy.deepcopy(records["assessments.assessment"][0])
    other["id"], other["fields"]["name"] = 2, "別の評価"
    records["assessments.assessment"].append(other)
    package = next(p for p in records["assessments.package"])
    package["fields"]["assessment"] = 2
    before = counts()
    with pytest.raises(CommandError, match="field “package”: the package belongs to another"):
        restore(write(tmp_path, resigned(document)))
    assert counts() == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"task": None, "package": None}, "a comment is on one task or on one package"),
        ({"assessment": 2}, "belongs to another assessment"),
    ],
)
def test_a_comment_is_on_one_task_or_package_of_its_own_assessment(rich, tmp_path, change, message):
    """A comment names one task or one package, of the assessment it belongs to; a file saying
    otherwise is refused and nothing is written (not an integrity error half way)."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    records = document["data"]["records"]
    other = copy.deepcopy(records["assessments.assessment"][0])
    other["id"], other["fields"]["name"] = 2, "別の評価"
    records["assessments.assessment"].append(other)
    records["assessments.comment"][0]["fields"].update(change)
    before = counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        restore(write(tmp_path, resigned(document)))
    assert counts() == before


def test_vendors_are_validated_reused_unchanged_and_only_those_bids_name(rich, tmp_path):
    """The registry is the site's: a vendor of the same name is reused as it is, whatever the
    (signed) file says of it; a new one is validated; one no bid names is refused."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    known, new = document["data"]["vendors"][:2]
    kept = Vendor.objects.get(name=known["fields"]["name"])
    held = (kept.services, kept.notes, list(kept.certifications.values_list("kind", "number")))
    known["fields"].update(services=["bpo"], notes="書き換え")
    known["certifications"] = []
    Vendor.objects.filter(name=new["fields"]["name"]).delete()  # new here
    new["fields"]["services"] = ["bpo", "world_domination"]
    before = counts()
    with pytest.raises(CommandError, match=r"vendor “[^”]+”, field “services”"):
        restore(write(tmp_path, resigned(copy.deepcopy(document))))
    assert counts() == before
    new["fields"]["services"] = ["bpo"]
    new["certifications"].append({"kind": "isms", "number": "", "expires_on": "soon"})
    with pytest.raises(CommandError, match="field “expires_on”"):
        restore(write(tmp_path, resigned(copy.deepcopy(document))))
    new["certifications"].pop()
    unbid = copy.deepcopy(new)
    unbid["fields"]["name"] = "入札していない委託先"
    document["data"]["vendors"].append(unbid)
    with pytest.raises(CommandError, match="“入札していない委託先”, which no bid names"):
        restore(write(tmp_path, resigned(copy.deepcopy(document))))
    assert counts() == before

    document["data"]["vendors"].pop()
    output = restore(write(tmp_path, resigned(document)))
    assert kept.name in output.split("reused as they are:")[1]
    kept.refresh_from_db()
    assert (
        kept.services,
        kept.notes,
        list(kept.certifications.values_list("kind", "number")),
    ) == held
    assert Vendor.objects.get(name=new["fields"]["name"]).services == ["bpo"]


def test_a_person_no_record_names_is_refused(rich, tmp_path):
    document, _path = export(A, tmp_path)
    make_room_for_a()
    document["data"]["users"].append({**document["data"]["users"][0], "username": "sleeper"})
    with pytest.raises(CommandError, match="“sleeper”, whom none of its records names"):
        restore(write(tmp_path, resigned(document)))
    assert not User.objects.filter(username="sleeper").exists()


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


MALFORMED = [
    pytest.param(
        lambda text: text.replace('"data":', f'"padding": {nested(100_000)}, "data":', 1),
        "more than 64 levels deep",
        id="nested-100000",
    ),
    pytest.param(
        lambda text: text.replace('"data":', '"nan": NaN, "data":', 1),
        "NaN is not a number",
        id="nan",
    ),
    pytest.param(
        lambda text: text.replace('"data":', '"infinity": -Infinity, "data":', 1),
        "-Infinity is not a number",
        id="infinity",
    ),
    pytest.param(
        lambda text: text.replace('"data":', f'"big": 1{"0" * 400}, "data":', 1),
        "more than 30 digits",
        id="long-integer",
    ),
    pytest.param(
        lambda text: text.replace('"data":', '"big": 1e400, "data":', 1),
        "1e400 is too large",
        id="huge-float",
    ),
    pytest.param(
        lambda text: text.replace('"data":', '"data": {}, "data":', 1),
        "“data” appears twice",
        id="duplicate-key",
    ),
]


@pytest.mark.parametrize(("damage", "message"), MALFORMED)
def test_malformed_json_is_refused_with_a_clear_message(rich, tmp_path, damage, message):
    """Deep nesting, NaN, Infinity, long numbers and repeated keys: a message, never a traceback
    (100,000 levels made the restore print a RecursionError)."""
    _document, path = export(A, tmp_path)
    make_room_for_a()
    path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    before = counts()
    with pytest.raises(CommandError, match=re.escape(message)):
        restore(path)
    assert counts() == before


def test_json_nested_deep_inside_a_record_is_refused(rich, tmp_path):
    """65 levels inside a task's answers, the checksum recomputed: refused as it is read."""
    document, _path = export(A, tmp_path)
    make_room_for_a()
    document["data"]["records"]["assessments.task"][0]["fields"]["answers"] = json.loads(nested(65))
    before = counts()
    with pytest.raises(CommandError, match="more than 64 levels deep"):
        restore(write(tmp_path, rechecksummed(document)))
    assert counts() == before


def test_every_json_field_a_file_holds_is_checked():
    """A JSON field without validators of its own needs a shape in transfer.JSON_SHAPES."""
    assert transfer.json_problems() == []
    assert any("task.answers" in problem for problem in _without_shape(transfer, (Task, "answers")))


def _without_shape(module, key) -> list[str]:
    kept = module.JSON_SHAPES.pop(key)
    try:
        return module.json_problems()
    finally:
        module.JSON_SHAPES[key] = kept


def test_the_trash_goes_with_the_organisation_and_comes_back_as_it_was(rich, tmp_path):
    """Issue 18: a package and a task in the trash are exported with who moved them there and
    when, the package with the tasks it held (by their ids in the file), and restored into the
    trash, restorable as before."""
    manager = User.objects.get(username="manager")
    package = rich.packages.order_by("position").first()
    held = sorted(package.tasks.values_list("task", flat=True))
    package.trash(manager, seen=package.contents().stamp)
    loose = rich.tasks.exclude(task__in=held).order_by("position").first()
    rich.trash_task(loose, manager)
    before, path = export(A, tmp_path)
    trashed = [
        entry["fields"]
        for entry in before["data"]["records"]["assessments.package"]
        if entry["fields"]["deleted_at"]
    ]
    assert len(trashed) == 1 and trashed[0]["deleted_by"] == "manager"
    assert len(trashed[0]["trashed_tasks"]) == len(held)

    delete_organisation_a()
    restore(path, *TRUSTED)
    after, _path = export(A, tmp_path, "again.json")
    assert after["data"] == before["data"]
    assessment = Assessment.objects.get(organisation__name=A)
    assert loose.task not in assessment.tasks.values_list("task", flat=True)
    back = Task.with_trashed.filter(assessment=assessment).trashed().get()
    assert back.task == loose.task and back.deleted_by.username == "manager"
    restored = Package.with_trashed.filter(assessment=assessment).trashed().get()
    assert restored.restore(User.objects.get(username="manager"))
    assert sorted(restored.tasks.values_list("task", flat=True)) == held

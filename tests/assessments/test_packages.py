"""Sourcing packages as Kenji (consultant) builds them: one per model from the recommendations,
then renamed, split, merged, and tasks moved between them."""

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import Assessment, Package, Task
from tests.helpers import package_url as url

pytestmark = pytest.mark.django_db


def test_packages_are_created_one_per_model_from_the_recommendations(consultant_client, checked):
    consultant_client.post(url("packages_create", checked))
    packages = {p.model: p for p in checked.packages.all()}
    assert set(packages) == {"bpo", "ito"}  # the core task stays in-house: no package
    assert packages["bpo"].name == "BPO: HR, Accounting"
    assert sorted(packages["bpo"].tasks.values_list("task", flat=True)) == ["Invoices", "Payroll"]
    page = consultant_client.get(url("packages", checked)).content.decode()
    bpo = page.split(f'id="package-{packages["bpo"].pk}"')[1].split("</section>")[0]
    # 600 min + 300 min monthly = 12 × 15 h = 180 h at ¥3,000 an hour.
    assert 'data-figure="hours">180.0' in bpo and 'data-figure="cost">¥540,000' in bpo
    assert "data-sensitive" in bpo  # invoices carry personal data
    ito = page.split(f'id="package-{packages["ito"].pk}"')[1].split("</section>")[0]
    assert "data-sensitive" not in ito
    # Creating again adds nothing: every task is already in a package.
    consultant_client.post(url("packages_create", checked))
    assert checked.packages.count() == 2


def test_split_move_merge_and_rename(consultant_client, checked):
    checked.create_packages()
    bpo, ito = checked.packages.get(model="bpo"), checked.packages.get(model="ito")
    invoices = checked.tasks.get(task="Invoices")
    data = {"tasks": [invoices.pk], "action": "split", "name": "BPO: accounting"}
    consultant_client.post(url("package_tasks", checked, bpo), data)
    accounting = checked.packages.get(name="BPO: accounting")
    assert list(accounting.tasks.all()) == [invoices] and accounting.model == "bpo"

    data = {"tasks": [invoices.pk], "action": "move", "target": ito.pk}
    consultant_client.post(url("package_tasks", checked, accounting), data)
    assert invoices.__class__.objects.get(pk=invoices.pk).package == ito

    consultant_client.post(url("package_merge", checked, bpo), {"other": ito.pk})
    assert not Package.objects.filter(pk=ito.pk).exists()
    assert bpo.tasks.count() == 3

    consultant_client.post(url("package_rename", checked, bpo), {"name": "  Back office  "})
    bpo.refresh_from_db()
    assert bpo.name == "Back office"

    data = {"tasks": [invoices.pk], "action": "remove"}
    consultant_client.post(url("package_tasks", checked, bpo), data)
    page = consultant_client.get(url("packages", checked)).content.decode()
    assert (
        "Recommended for a vendor, in no package" in page and "Invoices (Accounting, BPO)" in page
    )
    consultant_client.post(
        url("packages_assign", checked), {"tasks": [invoices.pk], "package": bpo.pk}
    )
    assert bpo.tasks.count() == 3


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "split", "name": "x"}, "Pick at least one task."),
        ({"tasks": ["TASK"], "action": "split", "name": "  "}, "Give the new package a name."),
        ({"tasks": ["TASK"], "action": "move"}, "Choose the package to move the tasks to."),
        ({"tasks": ["TASK"], "action": "explode"}, "Select a valid choice."),
        ({"tasks": ["OTHER"], "action": "remove"}, "Select a valid choice."),
    ],
)
def test_bad_package_changes_are_refused(consultant_client, checked, data, message):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    payroll, helpdesk = checked.tasks.get(task="Payroll"), checked.tasks.get(task="Helpdesk")
    ids = {"TASK": payroll.pk, "OTHER": helpdesk.pk}  # helpdesk is in the ITO package
    data = {**data, "tasks": [ids[t] for t in data.get("tasks", [])]}
    before = list(Task.objects.values_list("pk", "package_id"))
    response = consultant_client.post(url("package_tasks", checked, bpo), data, follow=True)
    assert message in response.content.decode()
    assert list(Task.objects.values_list("pk", "package_id")) == before
    assert checked.packages.count() == 2


def test_rename_to_nothing_is_refused(consultant_client, checked):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    response = consultant_client.post(
        url("package_rename", checked, bpo), {"name": " "}, follow=True
    )
    assert "Give the package a name." in response.content.decode()
    bpo.refresh_from_db()
    assert bpo.name.startswith("BPO")


def test_a_package_of_another_assessment_cannot_be_merged(consultant_client, checked, company_a):
    checked.create_packages()
    other = Assessment.objects.start(organisation=company_a, name="Other")
    foreign = Package.objects.create(assessment=other, name="Foreign", model="bpo")
    bpo = checked.packages.get(model="bpo")
    consultant_client.post(url("package_merge", checked, bpo), {"other": foreign.pk})
    assert Package.objects.filter(pk=foreign.pk).exists()


def test_viewer_sees_packages_but_changes_nothing(viewer_client, checked):
    checked.create_packages()
    page = viewer_client.get(url("packages", checked)).content.decode()
    assert "BPO: HR, Accounting" in page and 'name="tasks"' not in page
    assert viewer_client.post(url("packages_create", checked)).status_code == 403


def test_default_names_follow_the_language():
    tasks = [Task(department=name) for name in ("人事部", "経理部", "総務部", "法務部", "人事部")]
    with translation.override("ja"):
        assert Package.default_name("bpo", tasks) == "BPO：人事部、経理部ほか2部署"
    with translation.override("en"):
        assert Package.default_name("ito", tasks[:2]) == "ITO: 人事部, 経理部"


def test_a_packages_task_rows_escape_names_and_flag_sensitive_data(consultant_client, checked):
    checked.create_packages()
    bpo = checked.packages.get(model="bpo")
    payroll = bpo.tasks.get(task="Payroll")
    Task.objects.filter(pk=payroll.pk).update(task='<script>alert("x")</script>', department="HR&")
    page = consultant_client.get(reverse("packages", args=[checked.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page and "HR&amp;" in page
    link = reverse("task_check", args=[checked.pk, payroll.pk])
    assert f'href="{link}"' in page and f'value="{payroll.pk}" id="pick-{payroll.pk}"' in page
    # Invoices hold personal data: its row carries the flag, payroll's does not.
    invoices_row = page.split(">Invoices</a>")[1].split("</tr>")[0]
    payroll_row = page.split("&lt;/script&gt;</a>")[1].split("</tr>")[0]
    assert "text-bg-warning" in invoices_row and "text-bg-warning" not in payroll_row

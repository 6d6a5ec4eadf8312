"""A checklist version says what its points are divided by (`scoring`), and the next checklist
version is published scored over every question (README, "The check, as computed"): the latest
published version's questions, weights and thresholds as they are, so that an answer can only
move the score its own way (issue 18: answering a non-core question lowered the score).

The versions published before keep scoring over the questions answered, so no past result
changes; assessments keep the version they are pinned to and move when a consultant moves them,
and new ones pin this one (Assessment.objects.start)."""

from django.db import migrations, models
from django.utils import timezone

NOTE = "採点の分母を全設問に（未回答は0点）"


def publish_defaults(apps, schema_editor):
    ChecklistVersion = apps.get_model("assessments", "ChecklistVersion")
    ChecklistCriterion = apps.get_model("assessments", "ChecklistCriterion")
    latest = ChecklistVersion.objects.filter(status="published").order_by("-number").first()
    if latest is None or latest.scoring == "all":  # nothing to rescore, or already done
        return
    criteria = list(ChecklistCriterion.objects.filter(version=latest).order_by("order", "id"))
    version = ChecklistVersion.objects.create(
        number=latest.number + 1,
        status="published",
        published_at=timezone.now(),
        note=NOTE,
        non_core_at=latest.non_core_at,
        core_at=latest.core_at,
        max_unknown=latest.max_unknown,
        costly_core_yen=latest.costly_core_yen,
        scoring="all",
    )
    for criterion in criteria:
        criterion.pk, criterion.version = None, version
    ChecklistCriterion.objects.bulk_create(criteria)


def unpublish(apps, schema_editor):
    """The version this migration published goes, unless an assessment or a result uses it."""
    ChecklistVersion = apps.get_model("assessments", "ChecklistVersion")
    Assessment = apps.get_model("assessments", "Assessment")
    TaskResult = apps.get_model("assessments", "TaskResult")
    for version in ChecklistVersion.objects.filter(note=NOTE):
        used = Assessment.objects.filter(checklist_version=version).exists()
        if not used and not TaskResult.objects.filter(checklist_version=version).exists():
            version.delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0019_trash_comments_assignment")]

    operations = [
        migrations.AddField(
            model_name="checklistversion",
            name="scoring",
            field=models.CharField(
                choices=[
                    ("answered", "The questions answered"),
                    ("all", "Every question (unanswered ones add no points)"),
                ],
                default="answered",
                max_length=10,
                verbose_name="score over",
            ),
        ),
        migrations.RunPython(publish_defaults, unpublish),
    ]

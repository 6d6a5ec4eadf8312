"""Publish the default weights of the eight vendor criteria (SPEC 4.6) as version 1.

Security and SLA/quality weigh most: a vendor that leaks data or misses its service levels costs
more than any saving; the rest share the remainder. Written out here, never imported, so that a
later change of the defaults never changes what this migration created."""

from django.db import migrations
from django.utils import timezone

WEIGHTS = [
    ("track_record", 15),
    ("team", 10),
    ("security", 20),
    ("sla_quality", 15),
    ("improvement", 10),
    ("bcp", 10),
    ("cost_breakdown", 10),
    ("contract_terms", 10),
]


def publish_defaults(apps, schema_editor):
    EvaluationVersion = apps.get_model("assessments", "EvaluationVersion")
    EvaluationWeight = apps.get_model("assessments", "EvaluationWeight")
    version = EvaluationVersion.objects.create(
        number=1, status="published", published_at=timezone.now(), note="SPEC 4.6 defaults"
    )
    EvaluationWeight.objects.bulk_create(
        EvaluationWeight(version=version, criterion=criterion, order=order, weight=weight)
        for order, (criterion, weight) in enumerate(WEIGHTS)
    )
    apps.get_model("assessments", "Assessment").objects.filter(evaluation_version=None).update(
        evaluation_version=version
    )


def unpublish(apps, schema_editor):
    apps.get_model("assessments", "Assessment").objects.update(evaluation_version=None)
    apps.get_model("assessments", "EvaluationVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0005_packages_and_vendor_criteria")]
    operations = [migrations.RunPython(publish_defaults, unpublish)]

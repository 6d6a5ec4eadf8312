"""Quotes and scores entered before scopes were stamped count as given for the package's tasks
as they are now: nothing is known of earlier scopes."""

import hashlib

from django.db import migrations


def _stamp(task_ids):
    # The same fingerprint as assessments.domain.packages.scope_stamp, frozen here.
    joined = ",".join(str(pk) for pk in sorted(task_ids))
    return hashlib.sha256(joined.encode()).hexdigest()[:16]


def stamp_scopes(apps, schema_editor):
    Bid = apps.get_model("vendors", "Bid")
    Evaluation = apps.get_model("vendors", "Evaluation")
    Task = apps.get_model("assessments", "Task")
    scopes: dict[int, list[int]] = {}
    for package_id, pk in Task.objects.filter(package__isnull=False).values_list(
        "package_id", "pk"
    ):
        scopes.setdefault(package_id, []).append(pk)
    for bid in Bid.objects.all().only("pk", "package_id"):
        stamp = _stamp(scopes.get(bid.package_id, []))
        Bid.objects.filter(pk=bid.pk).update(scope_stamp=stamp)
        Evaluation.objects.filter(bid_id=bid.pk).update(scope_stamp=stamp)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0005_outcome_range_and_scope"),
        ("assessments", "0017_horizon_price_weight_ranges"),
    ]

    operations = [migrations.RunPython(stamp_scopes, migrations.RunPython.noop)]

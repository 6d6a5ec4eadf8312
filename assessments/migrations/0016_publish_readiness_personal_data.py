"""Publish the next readiness checklist version with the 個人情報保護法 duties (SPEC 4.7, 4.4).

PLACEHOLDER (issue 15, in progress): filled in by the personal-data work; until then it does
nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0015_publish_revised_rules")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

"""Publish the revised decision table of SPEC 4.4 as the next rule-table version.

PLACEHOLDER (issue 15, in progress): filled in by the rules work; until then it does nothing."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("assessments", "0014_licensed_work_on_site_independence")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]

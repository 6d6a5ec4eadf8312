# Every bid made before bids held their vendor's registry entry takes it as it is now (issue 13):
# from here on, a change of the registry no longer changes its package's evaluation unseen. The
# facts are written as Vendor.registry_facts writes them, copied here so that a later change of
# that method cannot change what this migration did.

from django.db import migrations

SECURITY_ITEMS = (
    "certifications",
    "access_control",
    "audit_logs",
    "resubcontracting",
    "incident_response",
)


def facts(vendor):
    answers = {check.item: check.status for check in vendor.security_checks.all()}
    return {
        "services": sorted(vendor.services),
        "certifications": sorted(
            [c.kind, c.expires_on.isoformat() if c.expires_on else ""]
            for c in vendor.certifications.all()
        ),
        "security": {item: answers.get(item, "unknown") for item in SECURITY_ITEMS},
    }


def hold(apps, schema_editor):
    Bid = apps.get_model("vendors", "Bid")
    Vendor = apps.get_model("vendors", "Vendor")
    vendors = Vendor.objects.filter(bids__isnull=False).distinct()
    for vendor in vendors.prefetch_related("certifications", "security_checks"):
        Bid.objects.filter(vendor=vendor).update(registry=facts(vendor))


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0002_bid_registry"),
    ]

    operations = [
        migrations.RunPython(hold, migrations.RunPython.noop),
    ]

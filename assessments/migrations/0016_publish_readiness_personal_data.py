"""Publish the next readiness checklist version with the 個人情報保護法 duties (SPEC 4.7, 4.4):
the items of the latest published version as they are, then four items on personal data handed
to a vendor — supervising the vendor (法第25条), the breach-report chain (法第26条), transfer
abroad (法第28条) and My Number (番号法) —, published as the next version number. Assessments
keep the version they are pinned to; new ones pin this one (Assessment.objects.start).

The wording is written out here rather than imported, as 0008 does, so that later edits of
assessments/domain/defaults.py never change what this migration created; tests check that the
codes and areas agree with defaults.READINESS."""

from django.db import migrations
from django.utils import timezone

NOTE = "個人情報保護法の義務（R21–R24）"

ITEMS = [
    # code, area, item ja, item en, help ja, help en
    (
        "R21",
        "risk",
        "委託先の監督と、契約で求める安全管理措置を決めている",
        "How you supervise the vendor, and the safety measures the contract requires, are decided",
        "個人データを預ける場合、委託先を監督する義務があります（個人情報保護法第25条）。安全管理措置、"
        "報告と監査、再委託先にも同じ措置を課すことを契約に書きます。",
        "Handing over personal data makes you responsible for supervising the vendor (Act on the "
        "Protection of Personal Information, Art. 25): put the safety measures, reports and audits, "
        "and the same duties for any subcontractor into the contract.",
    ),
    (
        "R22",
        "risk",
        "漏えい等が起きたときの報告経路を決めている",
        "The reporting chain for a leak of personal data is agreed",
        "委託先はすぐに自社へ報告し、自社は個人情報保護委員会への報告（速報・確報）と本人への通知を"
        "行います（同法第26条）。連絡先と期限を契約に書きます。",
        "The vendor tells you at once; you report to the Personal Information Protection Commission "
        "(a prompt first report, then the full one) and notify the persons concerned (Art. 26). Put "
        "the contacts and deadlines into the contract.",
    ),
    (
        "R23",
        "risk",
        "海外への委託・データ移転の有無を確かめ、必要な同意や措置を整えている",
        "Whether any data is handled abroad is known, with the consent or measures it needs",
        "委託先・再委託先・クラウドが国外でデータを扱うなら、国名を確かめ、本人の同意か相当措置を"
        "整えます（同法第28条）。",
        "If the vendor, a subcontractor or a cloud service handles the data outside Japan, know the "
        "country and have the persons' consent or equivalent measures in place (Art. 28).",
    ),
    (
        "R24",
        "risk",
        "マイナンバーを扱う業務では、番号法に沿った取扱いと再委託の許諾を決めている",
        "Where the work involves My Numbers, their handling and any re-entrustment follow the My "
        "Number Act",
        "給与計算や社会保険の手続を委託する場合です。委託先は委託された事務の範囲でのみ利用し、"
        "再委託には自社の許諾が要ります（番号法第10条・第11条）。",
        "This applies to payroll and social-insurance work: the vendor uses My Numbers only for the "
        "work entrusted, and may re-entrust it only with your permission (My Number Act, Arts. 10 "
        "and 11).",
    ),
]


def publish_defaults(apps, schema_editor):
    ReadinessVersion = apps.get_model("assessments", "ReadinessVersion")
    ReadinessItem = apps.get_model("assessments", "ReadinessItem")
    latest = ReadinessVersion.objects.filter(status="published").order_by("-number").first()
    if latest is None:  # nothing to extend: 0008 publishes version 1 first
        return
    current = list(ReadinessItem.objects.filter(version=latest).order_by("order", "code"))
    codes = {item.code for item in current}
    new = [row for row in ITEMS if row[0] not in codes]
    if not new:  # already holds them (published by hand)
        return
    last = max(ReadinessVersion.objects.exclude(number=None).values_list("number", flat=True))
    version = ReadinessVersion.objects.create(
        number=last + 1, status="published", published_at=timezone.now(), note=NOTE
    )
    rows = [
        ReadinessItem(
            version=version,
            code=item.code,
            order=order,
            area=item.area,
            text_ja=item.text_ja,
            text_en=item.text_en,
            help_ja=item.help_ja,
            help_en=item.help_en,
        )
        for order, item in enumerate(current)
    ]
    rows += [
        ReadinessItem(
            version=version,
            code=code,
            order=len(current) + order,
            area=area,
            text_ja=text_ja,
            text_en=text_en,
            help_ja=help_ja,
            help_en=help_en,
        )
        for order, (code, area, text_ja, text_en, help_ja, help_en) in enumerate(new)
    ]
    ReadinessItem.objects.bulk_create(rows)


def unpublish(apps, schema_editor):
    """The version this migration published goes, unless an assessment is pinned to it (its
    entries would go with it): then it stays, as any published version does."""
    ReadinessVersion = apps.get_model("assessments", "ReadinessVersion")
    Assessment = apps.get_model("assessments", "Assessment")
    for version in ReadinessVersion.objects.filter(note=NOTE):
        if not Assessment.objects.filter(readiness_version=version).exists():
            version.delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0015_publish_revised_rules")]

    operations = [migrations.RunPython(publish_defaults, unpublish)]

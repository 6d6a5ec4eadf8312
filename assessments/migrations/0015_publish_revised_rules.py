"""Publish the revised decision table of SPEC 4.4 (rules 1-8) as the next rule-table version.

The data is written out here rather than imported, so that later edits of
assessments/domain/defaults.py never change what this migration created;
tests/assessments/test_default_versions.py checks that the two agree. Assessments already started
keep the version they are pinned to; new ones pin this one (Assessment.objects.start), and an
assessment moved to it shows what changes, as for any version."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone

NOTE = "SPEC 4.4 revised: dispatch before unsuited, KPO widened, deliverable, public data only"

RULES = [
    # code, outcome, conditions, explanation ja, explanation en
    ("core_in_house", "in_house", [[["verdict", "eq", "core"]]],
     "コア業務と判定されたため、社内に残します。",
     "The task is core, so it stays in-house."),
    ("direct_instruction_dispatch", "dispatch", [[["direct_instruction", "eq", "yes"]]],
     "社内の担当者が日々の作業を指示する必要があるため、業務委託ではなく人材派遣（外部人材の受け入れ）が適しています。判断は自社の指揮命令者に残ります。",
     "Your staff must instruct the worker day to day, so temporary staff (dispatch) fits, not an outsourcing contract; the judgment stays with your own supervisor."),
    ("unsuited_in_house", "in_house",
     [[["requirement_changes", "eq", "high"]], [["judgment", "eq", "high"]],
      [["tacit_knowledge", "eq", "high"]]],
     "{factors}が多いため、現時点では外部委託に向きません。社内に残し、まず手順と判断基準の標準化を進めてください。",
     "Rated high: {factors}. The task is unsuited to outsourcing for now: keep it in-house and standardise its steps and decision rules first."),
    ("knowledge_work_kpo", "kpo",
     [[["category", "in", ["analysis", "legal_expert"]], ["expertise", "ge", 3]],
      [["category", "not_in", ["analysis", "legal_expert", "it"]], ["expertise", "ge", 4],
       ["standardizable", "ne", "yes"]]],
     "専門知識を要する知的業務（分析・調査・法務、または手順に落とし切れない高度な専門業務）のため、KPO（ナレッジ・プロセス・アウトソーシング）が適しています。",
     "Knowledge work (analysis, research or legal work, or other expert work a procedure cannot capture): knowledge process outsourcing (KPO) fits."),
    ("no_deliverable_in_house", "in_house",
     [[["continuity", "eq", "one_off"], ["deliverable_clear", "eq", "no"]]],
     "単発の仕事ですが、成果物が明確になっていません。まず成果物（仕様・納期・検収基準）を定めてください。定まれば外注を検討できます。",
     "A one-off job without a clear deliverable. Define the deliverable first (specification, deadline, acceptance criteria); then it can be subcontracted."),
    ("small_one_off_crowdsourcing", "crowdsourcing",
     [[["continuity", "eq", "one_off"], ["deliverable_clear", "eq", "yes"],
       ["annual_hours", "lt", 40], ["expertise", "le", 2], ["confidentiality", "eq", "public"]]],
     "成果物が明確で年間40時間未満の小さな単発業務、専門性が低く公開情報のみを扱うため、クラウドソーシングが適しています。",
     "A small one-off job (under 40 hours a year) with a clear deliverable, low expertise and public data only: crowdsourcing fits."),
    ("one_off_subcontract", "subcontract", [[["continuity", "eq", "one_off"]]],
     "成果物が明確な単発の仕事のため、成果物を納品してもらう外注（請負）が適しています。",
     "A one-off job with a clear deliverable: subcontracting it for the deliverable fits."),
    ("it_operation_ito", "ito", [[["category", "eq", "it"]]],
     "継続的なIT運用・保守業務のため、ITO（ITアウトソーシング）が適しています。",
     "Continuous IT operation or maintenance: IT outsourcing (ITO) fits."),
    ("operation_bpo", "bpo", [],
     "継続的に発生する業務のため、業務プロセスごと委託するBPOが適しています。",
     "Continuous operational work: business process outsourcing (BPO) of the whole process fits."),
]


def publish_defaults(apps, schema_editor):
    RuleTableVersion = apps.get_model("assessments", "RuleTableVersion")
    DecisionRule = apps.get_model("assessments", "DecisionRule")
    last = RuleTableVersion.objects.aggregate(Max("number"))["number__max"] or 0
    version = RuleTableVersion.objects.create(
        number=last + 1, status="published", published_at=timezone.now(), note=NOTE
    )
    DecisionRule.objects.bulk_create(
        DecisionRule(
            version=version, order=order, code=code, outcome=outcome, conditions=conditions,
            explanation_ja=ja, explanation_en=en,
        )
        for order, (code, outcome, conditions, ja, en) in enumerate(RULES)
    )


def unpublish_revised_rules(apps, schema_editor):
    """Only while nothing is pinned to it: a pinned version is protected, as it should be."""
    apps.get_model("assessments", "RuleTableVersion").objects.filter(note=NOTE).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0014_licensed_work_on_site_independence")]

    operations = [migrations.RunPython(publish_defaults, unpublish_revised_rules)]

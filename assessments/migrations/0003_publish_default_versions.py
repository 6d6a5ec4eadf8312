"""Publish the defaults of SPEC 4.3 and 4.4 as version 1 of the checklist and the rule table.

The data is written out here rather than imported, so that later edits of assessments/defaults.py
never change what this migration created. tests/assessments/test_default_versions.py checks that
the two agree."""

from django.db import migrations
from django.utils import timezone

CRITERIA = [
    # code, direction, question ja, question en, help ja, help en
    ("C1", "keep",
     "売上や利益に直接結びつく業務ですか？",
     "Does the task directly generate sales or profit?",
     "受注、価格決定、主要顧客への対応など、業績に直結する業務かどうかを考えます。",
     "Think of winning orders, pricing or serving key customers: work that moves the results."),
    ("C2", "keep",
     "自社の競争力や他社との違いを生んでいる業務ですか？",
     "Is the task a source of competitive advantage or differentiation?",
     "顧客が当社を選ぶ理由に関わる業務は、社内に残すのが原則です。",
     "Work that is the reason customers choose you should, as a rule, stay in-house."),
    ("C3", "outsource",
     "手順を標準化し、マニュアルにできますか？",
     "Can the steps be standardised and written down as a manual?",
     "誰がやっても同じ結果になるよう手順を書き出せるなら、外部に任せやすくなります。",
     "If the steps can be written so anyone gets the same result, the task is easier to hand over."),
    ("C4", "outsource",
     "専門的な資格や知識が必要ですか？",
     "Does the task need specialist qualifications or knowledge?",
     "社会保険労務士、税務、法務、IT運用などの専門性は、外部の専門家の方が安定して確保できることがあります。",
     "Specialist skills (labour law, tax, legal, IT operations) are often more reliably bought in."),
    ("C5", "keep",
     "社内にノウハウを蓄積すべき業務ですか？",
     "Is this know-how the company should build up in-house?",
     "外部に任せきりにすると、判断基準や手順が社内に残らなくなります。",
     "Handing it over entirely means its judgment and methods stop growing inside the company."),
    ("C6", "caution",
     "機密情報や個人情報を多く扱いますか？",
     "Does the task handle much confidential or personal information?",
     "委託する場合は ISMS（ISO 27001）やプライバシーマークなどの管理体制が必須になります。点数には影響しませんが注意喚起を出します。",
     "If outsourced, certified information security (ISMS / ISO 27001, Privacy Mark) becomes mandatory. It does not move the score but raises a caution."),
    ("C7", "keep",
     "品質要求が極めて高く、その場の柔軟な判断が必要ですか？",
     "Are quality demands extremely high, with flexible judgment needed on the spot?",
     "例外対応や状況に応じた判断が多い業務は、外部委託で品質やスピードが落ちるおそれがあります。",
     "Work full of exceptions and situational judgment risks losing quality or speed when outsourced."),
    ("C8", "outsource",
     "繁忙期と閑散期の差が大きい業務ですか？",
     "Is there a large gap between busy and quiet periods?",
     "業務量の波を外部に吸収してもらうことで、固定費を変動費に変えられます。",
     "Letting a vendor absorb the peaks turns a fixed cost into a variable one."),
    ("C9", "outsource",
     "特定の担当者に依存した属人的な業務ですか？",
     "Does the task depend on particular staff (only they can do it)?",
     "1人しか対応できない業務は、退職や休職で止まるリスクがあります。標準化して委託すると解消できます。",
     "Work only one person can do stops when they leave; standardising and outsourcing removes that risk."),
    ("C10", "outsource",
     "外部の専門性を活用した方が効率的ですか？",
     "Would external expertise do it more efficiently?",
     "専門事業者の仕組みや規模を活かすと、社内で行うより速く安くできる場合があります。",
     "A specialist's systems and scale can make the work faster or cheaper than doing it yourself."),
]

RULES = [
    # code, outcome, conditions, explanation ja, explanation en
    ("core_in_house", "in_house", [[["verdict", "eq", "core"]]],
     "コア業務と判定されたため、社内に残します。",
     "The task is core, so it stays in-house."),
    ("unsuited_in_house", "in_house",
     [[["requirement_changes", "eq", "high"]], [["judgment", "eq", "high"]],
      [["tacit_knowledge", "eq", "high"]]],
     "要件変更・都度判断・暗黙知のいずれかが多く、外部委託に向きません。まず業務の標準化を進めてください。",
     "Frequent requirement changes, case-by-case judgment or strong tacit knowledge make the task unsuited to outsourcing. Standardise it first."),
    ("direct_instruction_dispatch", "dispatch", [[["direct_instruction", "eq", "yes"]]],
     "日々の作業指示（指揮命令）が必要なため、業務委託ではなく人材派遣が適しています。",
     "Your staff must direct the worker day to day, so temporary staff (dispatch) fits, not an outsourcing contract."),
    ("knowledge_work_kpo", "kpo",
     [[["category", "in", ["analysis", "legal_expert"]], ["expertise", "ge", 3]]],
     "専門性の高い分析・調査・法務の業務のため、KPO（ナレッジ・プロセス・アウトソーシング）が適しています。",
     "Expert analysis, research or legal work: knowledge process outsourcing (KPO) fits."),
    ("small_one_off_crowdsourcing", "crowdsourcing",
     [[["continuity", "eq", "one_off"], ["annual_hours", "lt", 40], ["expertise", "le", 2],
       ["confidentiality", "not_in", ["confidential", "personal"]]]],
     "年間40時間未満の小さな単発業務で、専門性が低く機密情報も扱わないため、クラウドソーシングが適しています。",
     "A small one-off job (under 40 hours a year), low expertise and no confidential data: crowdsourcing fits."),
    ("one_off_subcontract", "subcontract", [[["continuity", "eq", "one_off"]]],
     "成果物を納品してもらう単発の仕事として、外注が適しています。",
     "A one-off job with a deliverable: subcontracting fits."),
    ("it_operation_ito", "ito", [[["category", "eq", "it"]]],
     "継続的なIT運用・保守業務のため、ITO（ITアウトソーシング）が適しています。",
     "Continuous IT operation or maintenance: IT outsourcing (ITO) fits."),
    ("operation_bpo", "bpo", [],
     "継続的に発生する業務のため、業務プロセスごと委託するBPOが適しています。",
     "Continuous operational work: business process outsourcing (BPO) of the whole process fits."),
]


def publish_defaults(apps, schema_editor):
    ChecklistVersion = apps.get_model("assessments", "ChecklistVersion")
    ChecklistCriterion = apps.get_model("assessments", "ChecklistCriterion")
    RuleTableVersion = apps.get_model("assessments", "RuleTableVersion")
    DecisionRule = apps.get_model("assessments", "DecisionRule")
    Assessment = apps.get_model("assessments", "Assessment")
    now = timezone.now()
    checklist = ChecklistVersion.objects.create(
        number=1, status="published", published_at=now, note="SPEC 4.3 defaults"
    )
    ChecklistCriterion.objects.bulk_create(
        ChecklistCriterion(
            version=checklist, code=code, order=order, direction=direction, weight=1,
            text_ja=text_ja, text_en=text_en, help_ja=help_ja, help_en=help_en,
        )
        for order, (code, direction, text_ja, text_en, help_ja, help_en) in enumerate(CRITERIA)
    )
    rules = RuleTableVersion.objects.create(
        number=1, status="published", published_at=now, note="SPEC 4.4 defaults"
    )
    DecisionRule.objects.bulk_create(
        DecisionRule(
            version=rules, order=order, code=code, outcome=outcome, conditions=conditions,
            explanation_ja=ja, explanation_en=en,
        )
        for order, (code, outcome, conditions, ja, en) in enumerate(RULES)
    )
    Assessment.objects.filter(checklist_version=None).update(checklist_version=checklist)
    Assessment.objects.filter(rule_version=None).update(rule_version=rules)


def unpublish(apps, schema_editor):
    apps.get_model("assessments", "Assessment").objects.update(
        checklist_version=None, rule_version=None
    )
    apps.get_model("assessments", "ChecklistVersion").objects.all().delete()
    apps.get_model("assessments", "RuleTableVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0002_check_and_versions")]
    operations = [migrations.RunPython(publish_defaults, unpublish)]

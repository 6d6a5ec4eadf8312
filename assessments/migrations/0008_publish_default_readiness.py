"""Publish the twenty-item pre-introduction readiness checklist (SPEC 4.7) as version 1, and pin
the assessments that already exist to it (as 0003 and 0006 did for their versions).

The wording is the product's own, in Japanese and English, after the source's checklist. It is
written out here rather than imported, so that later edits of assessments/defaults.py never
change what this migration created; tests/assessments/test_workflow.py checks that the codes and
areas agree with defaults.READINESS."""

from django.db import migrations
from django.utils import timezone

ITEMS = [
    # code, area, item ja, item en, help ja, help en
    ("R01", "purpose",
     "アウトソーシングで何を良くしたいのか、目的と期待する効果を言葉にしている",
     "The purpose of outsourcing and the effect you expect are written down",
     "ステップ1で順位をつけた目標（コスト・品質・スピード・属人化の解消）と食い違っていないか確かめます。",
     "Check them against the goals ranked in step 1 (cost, quality, speed, de-personalisation)."),
    ("R02", "purpose",
     "効果を測る指標（KPI）と目標値を決めている",
     "Indicators (KPIs) and target values to measure the effect are set",
     "ステップ6で毎月の実績と突き合わせる指標です。導入前の数値も控えておきます。",
     "These are what step 6 compares the monthly actuals with; note today's figures as a baseline."),
    ("R03", "scope",
     "委託する業務と社内に残す業務の境目を一覧にしている",
     "Which work goes to the vendor and which stays in-house is listed",
     "業務棚卸しの作業単位で、対象・対象外と責任の分かれ目を書き出します。",
     "List what is in and out, and where responsibility changes hands, at the level of the inventory's units of work."),
    ("R04", "scope",
     "例外処理や、その都度判断が要るケースを洗い出している",
     "Exceptions and cases that need a judgment call are identified",
     "誰が判断するのか（委託先か自社か）まで決めておくと、運用開始後に迷いません。",
     "Decide who makes each call, the vendor or you, so nobody hesitates after go-live."),
    ("R05", "scope",
     "コア業務とノンコア業務を切り分けている",
     "Core work has been separated from non-core work",
     "ステップ2のコア/ノンコア判定の結果を使います。",
     "Use the results of the core/non-core check in step 2."),
    ("R06", "scope",
     "業務の手順書・マニュアルがそろっている",
     "Procedures and manuals for the work are in place",
     "手順書がないまま渡すと、品質のばらつきや業務のブラックボックス化につながります。",
     "Handing over work with nothing written down invites uneven quality and a black box."),
    ("R07", "risk",
     "委託先に渡すデータや個人情報の範囲をはっきりさせている",
     "Which data and personal information the vendor will handle is clearly defined",
     "渡す項目、保管場所、返却・廃棄の方法まで決めておきます。",
     "Include which fields, where they are kept, and how they are returned or destroyed."),
    ("R08", "risk",
     "アクセス権限とセキュリティのルールを定めている",
     "Access rights and security rules are defined",
     "誰がどの情報に触れられるか、ログの取得、データの持ち出しのルールを含めます。",
     "Who may see which information, audit logs, and the rules on taking data out."),
    ("R09", "organisation",
     "社内の窓口と責任者を決めている",
     "An in-house contact and an accountable owner are named",
     "委託先からの問い合わせや判断の依頼を受ける人を、1人に決めておきます。",
     "One person receives the vendor's questions and requests for decisions."),
    ("R10", "organisation",
     "委託先とのやり取りの方法（窓口・報告の頻度・会議）を決めている",
     "How you and the vendor communicate (contacts, reporting, meetings) is agreed",
     "日々の作業指示は出さず、成果と報告で管理する形にします（偽装請負を避けるため）。",
     "Manage by results and reports, not day-to-day instructions to the vendor's staff (that would be disguised contracting)."),
    ("R11", "transition",
     "並走期間と移行のスケジュールを見込んでいる",
     "A parallel run and a transition schedule are planned",
     "社内と委託先で同じ業務を並行して回し、品質を確かめてから切り替えます。",
     "Run the work in-house and at the vendor side by side, and switch only once the quality is confirmed."),
    ("R12", "transition",
     "社内への周知・説明の計画がある",
     "There is a plan to tell staff what changes",
     "何が変わるのか、問い合わせ先はどこか、委託先がどこまで対応するのかを伝えます。",
     "Tell people what changes, whom to ask, and what the vendor does and does not cover."),
    ("R13", "contract",
     "費用の内訳（初期費用・月額・追加費用）を把握している",
     "The cost breakdown (initial fee, monthly fee, extra charges) is understood",
     "社内の管理工数（連絡・契約管理・品質確認）も費用に含めて比べます。",
     "Compare it with your own management effort (communication, contract management, quality checks) included."),
    ("R14", "contract",
     "追加費用が発生する条件を理解している",
     "What triggers extra charges is understood",
     "どこまでが標準の対応範囲なのかを、契約前に確かめます。",
     "Confirm before signing what the standard service covers."),
    ("R15", "contract",
     "サービス水準（SLA）と品質基準を委託先と合意している",
     "Service levels (SLA) and quality standards are agreed with the vendor",
     "処理件数、期限の遵守率、ミス率、応答時間などを数値で決めます。",
     "Put numbers on volumes, on-time rate, error rate, response time and the like."),
    ("R16", "operation",
     "定期的なレビューと改善の仕組みがある",
     "Regular reviews and an improvement cycle are set up",
     "毎月KPI/SLAの実績を確認し、手順書や判断基準を更新していきます。",
     "Review the KPI/SLA actuals every month and keep procedures and criteria up to date."),
    ("R17", "risk",
     "再委託の可否と、その管理方法を確認している",
     "Whether the vendor may subcontract, and how that is controlled, is confirmed",
     "再委託先にも同じ情報管理を求め、事前の承認を条件にします。",
     "Require the same information security of any subcontractor, and your approval beforehand."),
    ("R18", "contract",
     "契約の解除や内製に戻すときの条件を確認している",
     "The terms for ending the contract or bringing the work back in-house are confirmed",
     "手順書の更新義務、データの帰属、引き継ぎの期間と支援の範囲を契約に書いておきます。",
     "Put the duty to keep manuals current, who owns the data, and the hand-back period and support in the contract."),
    ("R19", "risk",
     "委託先の事業継続計画（BCP）を確認している",
     "The vendor's business continuity plan (BCP) has been checked",
     "災害や障害のときに業務をどう続けるのか、代わりの手段を含めて確かめます。",
     "How the work goes on through a disaster or an outage, including the fallback."),
    ("R20", "operation",
     "委託先に任せきりにしない運用方針を決めている",
     "A policy is set to stay involved rather than leave everything to the vendor",
     "判断基準やノウハウを社内に残し、業務がブラックボックスにならないようにします。",
     "Keep the criteria and know-how in-house so the work never becomes a black box."),
]


def publish_defaults(apps, schema_editor):
    ReadinessVersion = apps.get_model("assessments", "ReadinessVersion")
    ReadinessItem = apps.get_model("assessments", "ReadinessItem")
    version = ReadinessVersion.objects.create(
        number=1, status="published", published_at=timezone.now(), note="SPEC 4.7 defaults"
    )
    ReadinessItem.objects.bulk_create(
        ReadinessItem(
            version=version, code=code, order=order, area=area,
            text_ja=text_ja, text_en=text_en, help_ja=help_ja, help_en=help_en,
        )
        for order, (code, area, text_ja, text_en, help_ja, help_en) in enumerate(ITEMS)
    )
    apps.get_model("assessments", "Assessment").objects.filter(readiness_version=None).update(
        readiness_version=version
    )


def unpublish(apps, schema_editor):
    apps.get_model("assessments", "Assessment").objects.update(readiness_version=None)
    apps.get_model("assessments", "ReadinessEntry").objects.all().delete()
    apps.get_model("assessments", "ReadinessVersion").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0007_workflow_steps")]
    operations = [migrations.RunPython(publish_defaults, unpublish)]

"""The one wording helper (outsourcing_advisor/common/wording.py): lists and numbers in the
reader's language, the languages there are; and the table rows rendered by their partial
templates rather than built in Python."""

import gettext
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from assessments.models import Task
from outsourcing_advisor.common import wording
from vendors.services.selection import _no_package

# --- lists -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "words", "joined"),
    [
        ("ja", [], ""),
        ("ja", ["人事部"], "人事部"),
        ("ja", ["人事部", "経理部"], "人事部、経理部"),
        ("ja", ["A", "B", "C"], "A、B、C"),
        ("en", [], ""),
        ("en", ["HR"], "HR"),
        ("en", ["HR", "Accounting"], "HR, Accounting"),
        ("en", ["人事部", "経理部"], "人事部, 経理部"),  # the reader's language, not the words'
        ("en-us", ["A", "B"], "A, B"),
    ],
)
def test_listing_joins_as_the_readers_language_does(language, words, joined):
    with translation.override(language):
        assert wording.listing(words) == joined
        assert wording.listing(iter(words)) == joined  # any iterable
    assert wording.listing(words, language) == joined  # or a language named outright


@pytest.mark.parametrize(
    ("language", "separator", "japanese", "sentences"),
    [
        ("ja", "、", True, "理由です。規則です。"),
        ("en", ", ", False, "理由です。 規則です。"),
    ],
)
def test_separator_and_sentences(language, separator, japanese, sentences):
    with translation.override(language):
        assert wording.list_separator() == separator
        assert wording.japanese() is japanese
        assert wording.reader_language() == language
        assert wording.sentences(["理由です。", "規則です。"]) == sentences


def test_without_an_active_language_the_default_one_is_the_readers():
    with translation.override(None):
        assert wording.reader_language() == settings.LANGUAGE_CODE == "ja"
        assert wording.listing(["A", "B"]) == "A、B"


def test_the_languages_are_those_of_the_settings():
    assert wording.language_codes() == ("ja", "en")
    assert wording.language_codes() == tuple(code for code, _name in settings.LANGUAGES)
    assert wording.language_codes()[0] == settings.LANGUAGE_CODE  # Japanese first


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("95.00"), "95"),
        (Decimal("7.50"), "7.5"),
        (Decimal("0.25"), "0.25"),
        (Decimal("1E+3"), "1000"),
        (Decimal("12000.0"), "12000"),  # no grouping
        (Decimal("-0.0"), "0"),
        (Decimal("-2.50"), "-2.5"),
    ],
)
def test_plain_number(value, shown):
    assert wording.plain_number(value) == shown


LOOP = (
    "{% for n in names %}{{ n }}{% if not forloop.last %}{% list_separator %}{% endif %}"
    "{% endfor %}"
)


@pytest.mark.parametrize(
    ("language", "source", "rendered"),
    [
        ("ja", "{{ names|listing }}", "A&amp;B、&lt;C&gt;"),
        ("en", "{{ names|listing }}", "A&amp;B, &lt;C&gt;"),
        ("en", "{% autoescape off %}{{ names|listing }}{% endautoescape %}", "A&B, <C>"),
        ("en", '{{ empty|listing|default:"—" }}', "—"),
        (
            "ja",
            LOOP,
            "A&amp;B、&lt;C&gt;",
        ),
        (
            "en",
            LOOP,
            "A&amp;B, &lt;C&gt;",
        ),
    ],
)
def test_templates_list_with_the_readers_separator(language, source, rendered):
    template = Template("{% load wording %}" + source)
    with translation.override(language):
        assert template.render(Context({"names": ["A&B", "<C>"], "empty": []})) == rendered


# --- 「、」 English readers used to see -------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "names"), [("ja", "(BPO: 人事、BPO: 経理)"), ("en", "(BPO: 人事, BPO: 経理)")]
)
def test_the_packages_an_evaluation_file_may_mean_are_listed_in_the_readers_language(
    language, names
):
    row = type("Row", (), {"package": "bpo"})()
    with translation.override(language):
        message = _no_package(row, {"bpo": ["BPO: 人事", "BPO: 経理"]})
    assert names in message
    assert ("、" in message) is (language == "ja")


def test_the_mapping_step_lists_the_values_of_a_column_with_commas_in_english(
    manager_client, assessment
):
    sheet = "部署,業務,作業,業務区分,頻度,所要時間\n人事部,給与,勤怠集計,人事・労務,毎月,1.5\n"
    sheet += "人事部,給与,明細配布,人事・労務,毎月,2\n"
    from tests.helpers import pending_url
    from tests.helpers import upload_inventory as upload

    upload(manager_client, assessment, sheet.encode())
    manager_client.get(pending_url(assessment))
    page = manager_client.get(pending_url(assessment, "import_mapping")).content.decode()
    assert "its values (1.5, 2) may be minutes or hours" in page
    assert "1.5、2" not in page


# --- rows rendered by partial templates --------------------------------------------------------


def _row(page: str, task: Task) -> str:
    return re.search(rf'<tr id="task-{task.pk}">.*?</tr>', page, re.S).group()


def test_an_inventory_row_is_rendered_by_its_partial(manager_client, viewer_client, assessment):
    task = assessment.tasks.get(task="Collect timesheets")  # one person able: the badge
    Task.objects.filter(pk=task.pk).update(department='R&D <"lab">')
    url = reverse("task_row", args=[assessment.pk, task.pk])
    response = manager_client.get(url, HTTP_HX_REQUEST="true")
    row = _row(response.content.decode(), task)
    edit = reverse("task_edit", args=[assessment.pk, task.pk])
    check = reverse("task_check", args=[assessment.pk, task.pk])
    row_edit = reverse("task_row_edit", args=[assessment.pk, task.pk])
    assert row.count("<td") == 16  # the first ticks the row for the bulk edit (issue 18)
    assert (
        f'<td class="select-cell"><input class="form-check-input" type="checkbox" name="tasks" '
        f'value="{task.pk}" form="bulk-form" data-bulk-row aria-label="Select: Collect '
        'timesheets"></td>'
    ) in row
    assert '<td class="dept-cell">R&amp;D &lt;&quot;lab&quot;&gt;</td>' in row
    assert (
        f'<td class="task-name"><a href="{edit}">Collect timesheets</a> <span class="badge '
        'text-bg-warning" title="Only one person can do it">1 person</span></td>'
    ) in row
    assert '<td class="text-nowrap">Monthly</td>' in row
    assert '<td class="num">120</td>' in row and '<td class="num">48.0</td>' in row
    assert f'<td class="verdict"><a href="{check}">' in row
    assert (
        f'<td class="row-actions"><button type="button" class="btn btn-sm btn-outline-primary" '
        f'hx-get="{row_edit}" hx-target="closest tr" hx-swap="outerHTML">Edit<span '
        'class="visually-hidden"> Collect timesheets</span></button></td>'
    ) in row
    # The same row in the page's table, and without the checkbox and the button for who may
    # not edit.
    page = viewer_client.get(reverse("inventory", args=[assessment.pk])).content.decode()
    department = '\n  <td class="dept-cell">R&amp;D'
    select = row[row.index('\n  <td class="select-cell">') : row.index(department)]
    assert _row(page, task) == row.replace(select, "").replace(
        row[row.index('<td class="row-actions">') : row.index("</tr>")],
        '<td class="row-actions"></td>\n',
    )


def test_a_package_row_is_rendered_by_its_partial(consultant_client, checked):
    checked.create_packages()
    payroll = checked.packages.get(model="bpo").tasks.get(task="Payroll")
    page = consultant_client.get(reverse("packages", args=[checked.pk])).content.decode()
    check = reverse("task_check", args=[checked.pk, payroll.pk])
    row = re.search(rf'<tr><td><input [^>]*value="{payroll.pk}".*?</tr>', page, re.S).group()
    assert row.startswith(
        f'<tr><td><input class="form-check-input" type="checkbox" name="tasks" '
        f'value="{payroll.pk}" id="pick-{payroll.pk}" aria-label="Payroll"></td>'
    )
    # On a phone the department shows under the task instead of in its own (md-up) column.
    department = payroll.department
    assert f'<td class="d-none d-md-table-cell">{department}</td>' in row
    assert (
        f'<td class="package-task"><a href="{check}">Payroll</a>'
        f'<div class="d-md-none text-body-secondary" data-department>{department}</div></td>'
    ) in row
    assert row.count('<td class="num">') == 2


# --- the glossary (docs/GLOSSARY.md) --------------------------------------------------------------

GLOSSARY = settings.BASE_DIR / "docs" / "GLOSSARY.md"
CATALOG = settings.BASE_DIR / "locale" / "ja" / "LC_MESSAGES" / "django.po"


def glossary_rows() -> list[list[str]]:
    rows = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] not in ("English", "---"):
            rows.append(cells)
    return rows


def japanese_strings() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every entry of the compiled Japanese catalog, plurals included."""
    with CATALOG.with_suffix(".mo").open("rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    return [
        (key[0] if isinstance(key, tuple) else key, value)
        for key, value in catalog.items()
        if key  # "" is the header
    ]


def test_the_glossary_names_one_japanese_word_per_term():
    rows = glossary_rows()
    assert len(rows) >= 30
    japanese = [row[1] for row in rows]
    assert len(japanese) == len(set(japanese)) or japanese.count("委託形態") == 1


@pytest.mark.parametrize(
    ("variant", "allowed_before"),
    [
        ("見積り", ""),
        ("評点", "価"),  # 評価点 is the term
        ("年間数量", ""),
        ("適合度", "委託"),  # 委託適合度 is the term
        ("境界", ""),
        ("応募", ""),  # a bid is a 見積もり, in the admin too (QA 9)
        ("役割(?!分担)", ""),  # a member's ロール (QA 9); 役割分担 is another word
        ("コア/ノンコア", ""),  # コア／ノンコア: full-width slash (QA 21)
    ],
)
def test_no_japanese_string_uses_a_refused_variant(variant, allowed_before):
    assert len(japanese_strings()) > 1000, "the compiled catalog is read"
    found = [
        msgid
        for msgid, text in japanese_strings()
        for start in [m.start() for m in re.finditer(variant, text)]
        if not allowed_before or text[max(0, start - len(allowed_before)) : start] != allowed_before
    ]
    assert not found, f"{variant!r} in the Japanese of: {found[:5]}"


@pytest.mark.parametrize(
    ("english", "japanese"),
    [
        ("Borderline", "グレー（要検討）"),
        ("Incomplete", "判定保留（回答不足）"),
        ("Suitability", "委託適合度"),
        ("Recommended model", "推奨区分"),
    ],
)
def test_the_verdicts_and_the_recommendation_read_as_the_glossary_says(english, japanese):
    with translation.override("ja"):
        assert translation.gettext(english) == japanese

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.db.models.fields import BLANK_CHOICE_DASH
from django.utils.html import conditional_escape, format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from assessments.domain import independence, rfp
from assessments.domain.choices import (
    Amount,
    CheckAnswer,
    Continuity,
    LicensedWork,
    Need,
    Presence,
    Size,
    Standardizable,
)
from assessments.domain.columns import COLUMNS_BY_KEY, INVENTORY_COLUMNS, TASK_LABELS
from assessments.domain.ranges import RangeIssue, range_issues
from assessments.models import Assessment, Override, Package, Task
from assessments.models.versions import ChecklistCriterion
from outsourcing_advisor.common.stamps import (
    StampedModelForm,
    StampField,
    changed_since,
    stamp,
    stored_moments,
)

# The blank of a choice, said in words rather than Django's "---------": a required choice asks
# for one, an optional one is simply not answered yet.
CHOOSE = pgettext_lazy("empty choice", "Choose…")
NOT_CHOSEN = pgettext_lazy("empty choice, short", "Not chosen")  # the fast table's narrow cells
NOT_ANSWERED = _("Not answered")

EXPERTISE_CHOICES = [
    ("", NOT_ANSWERED),
    (1, _("1 — anyone after a short briefing")),
    (2, _("2 — some experience")),
    (3, _("3 — trained staff")),
    (4, _("4 — specialist knowledge")),
    (5, _("5 — qualification or years of expertise")),
]

# The columns' help, less what only a file needs: in the browser every task has a category, and
# stated hours entered here are used as they are (a file's are compared with its parts).
TASK_HELP = {
    **{column.key: column.help_text for column in INVENTORY_COLUMNS if column.help_text},
    "category": "",
    "annual_hours": _(
        "Only if you know the hours rather than how often and how long: e.g. from an earlier "
        "survey or from time records. When given, they are the task's hours instead of "
        "frequency × times × minutes × people."
    ),
    "licensed_work": _(
        "Work that needs a 士業 qualification to be done for others for a fee (独占業務). If "
        "none applies, leave it at “None”."
    ),
}
# The choices' blank, said in words rather than Django's "---------".
LICENSED_WORK_CHOICES = [
    ("", pgettext_lazy("licensed work", "None")),
    *LicensedWork.choices,
]
ON_SITE_CHOICES = [
    ("", pgettext_lazy("on site", "Not stated")),
    (Presence.YES.value, pgettext_lazy("answer", "Yes")),
    (Presence.NO.value, pgettext_lazy("answer", "No")),
]

# The answers as a sentence says them; the file's one-character words (有/無, 少/中/多) stay the
# import's vocabulary.
YES_NO = [
    (Presence.YES.value, pgettext_lazy("answer", "Yes")),
    (Presence.NO.value, pgettext_lazy("answer", "No")),
]
AMOUNT = [
    (Amount.LOW.value, pgettext_lazy("task form amount", "Little")),
    (Amount.MEDIUM.value, pgettext_lazy("task form amount", "Some")),
    (Amount.HIGH.value, pgettext_lazy("task form amount", "Much")),
]
ANSWER_WORDS: dict[str, list[tuple[str, Any]]] = {
    "standardizable": [
        (Standardizable.YES.value, pgettext_lazy("task form standardisable", "Yes")),
        (Standardizable.PARTLY.value, pgettext_lazy("task form standardisable", "Partly")),
        (Standardizable.NO.value, pgettext_lazy("task form standardisable", "No")),
    ],
    "manual": [
        (Presence.YES.value, pgettext_lazy("task form manual", "Exists")),
        (Presence.NO.value, pgettext_lazy("task form manual", "None")),
    ],
    "seasonality": [
        (Size.LOW.value, pgettext_lazy("task form seasonality", "Small")),
        (Size.MEDIUM.value, pgettext_lazy("task form seasonality", "Medium")),
        (Size.HIGH.value, pgettext_lazy("task form seasonality", "Large")),
    ],
    "deliverable_clear": YES_NO,
    "direct_instruction": [
        (Need.YES.value, pgettext_lazy("task form instruction", "Needed")),
        (Need.NO.value, pgettext_lazy("task form instruction", "Not needed")),
    ],
    "judgment": AMOUNT,
    "requirement_changes": AMOUNT,
    "tacit_knowledge": AMOUNT,
}
# What the default decision table (SPEC 4.4) asks of every task that is not core: left blank, the
# recommendation is made without them and warns "attributes missing". Both entry forms ask for
# them first. The table asks the rest only of some tasks (standardisable with specialist skill,
# the deliverable and the data for one-off work): the add row names them when it does.
ENTRY_ATTRIBUTES = (
    "continuity",
    "direct_instruction",
    "judgment",
    "requirement_changes",
    "tacit_knowledge",
    "expertise",
)
# The one safe default: an inventory lists recurring work (a one-off job is picked as such).
ENTRY_DEFAULTS = {"continuity": Continuity.ONGOING.value}
ENTRY_HINT = _(
    "Answer what you know: the recommendation is made without what is left blank and says so. "
    "You can answer the rest later."
)

TASK_FIELDS = [column.key for column in INVENTORY_COLUMNS]
ROW_FIELDS = [
    "department",
    "process",
    "task",
    "category",
    "frequency",
    "occurrences",
    "minutes",
    "people",
]
# Days per year and stated hours are left to the guided form: two more inputs would push the
# fast table's row off a laptop screen, and both are exceptions (work every day of the year,
# an estimate without its parts). Saving a row leaves them as they are.
DECIMAL_FIELDS = ("occurrences", "minutes", "people", "annual_hours")
RANGE_FIELDS = ("occurrences_low", "occurrences_high", "minutes_low", "minutes_high")
RANGES = (  # (usual, lowest, highest)
    ("occurrences", "occurrences_low", "occurrences_high"),
    ("minutes", "minutes_low", "minutes_high"),
)
MONTHLY_HOURS_MAXIMUM = Decimal(100_000_000) / 12  # × 12 stays within the stated annual hours


def _shown(value: Decimal | None) -> str:
    return "—" if value is None else format(value.normalize(), "f")


class PlainNumberInput(forms.NumberInput):
    """A stored decimal as people write it (0.5, 1, 40), not as the column keeps it (1.00)."""

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        return super().format_value(value)


DECIMAL_WIDGETS = {name: PlainNumberInput for name in (*DECIMAL_FIELDS, *RANGE_FIELDS)}
# What a range the form refuses says, by what is wrong with it.
RANGE_ERRORS = {
    RangeIssue.NO_USUAL: _(
        "Give the usual figure too: the hours are computed from it, the range only widens "
        "the saving's estimate."
    ),
    RangeIssue.LOW_ABOVE_USUAL: _("The lowest cannot be above the usual figure."),
    RangeIssue.HIGH_BELOW_USUAL: _("The highest cannot be below the usual figure."),
}


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))


class HorizonForm(forms.Form):
    """The years the cost over the horizon covers (SPEC 4.5), set beside the management
    overhead."""

    horizon_years = forms.IntegerField(
        label=_("Horizon (years)"),
        min_value=1,
        max_value=10,
        help_text=_("The years the cost comparison covers, from the start of the transition."),
    )


def name_the_blanks(form: forms.BaseForm, *, short: bool = False) -> None:
    """Each select's blank in words rather than "---------": "Choose…" where the task needs a
    value (its category; its frequency, without which it has no hours), "Not answered" where
    it is an optional attribute. `short`: the fast table's narrow cells say "Not chosen"."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ChoiceField):
            continue
        choices = list(field.choices)
        if not choices or choices[0] != BLANK_CHOICE_DASH[0]:
            continue
        if name in ("category", "frequency"):
            blank = NOT_CHOSEN if short else CHOOSE
        else:
            blank = NOT_ANSWERED
        field.choices = [("", blank), *choices[1:]]


def word_the_answers(form: forms.BaseForm) -> None:
    """The attributes' answers as a sentence says them (ANSWER_WORDS), the blank "Not answered"."""
    for name, words in ANSWER_WORDS.items():
        field = form.fields.get(name)
        if isinstance(field, forms.ChoiceField):
            field.choices = [("", NOT_ANSWERED), *words]


def expertise_field() -> forms.TypedChoiceField:
    """The skill the work needs, 1 to 5, each level in words."""
    return forms.TypedChoiceField(
        label=TASK_LABELS["expertise"],
        choices=EXPERTISE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )


def apply_entry_defaults(form: forms.BaseForm) -> None:
    """A new task's ENTRY_DEFAULTS, where neither the task nor the view gave a value."""
    for name, value in ENTRY_DEFAULTS.items():
        if not form.initial.get(name):
            form.initial[name] = value


class TaskForm(StampedModelForm):
    """The guided form for one task, in groups a manager can follow from top to bottom. A new
    task starts from `ENTRY_DEFAULTS` and from the `initial` the view passes (after "Save and add
    another", the department, process and category of the task just saved)."""

    expertise = expertise_field()
    # Not stored: many sheets keep monthly hours; they are saved as annual hours (× 12).
    monthly_hours = forms.DecimalField(
        label=_("Monthly hours"),
        required=False,
        min_value=Decimal(0),
        max_value=MONTHLY_HOURS_MAXIMUM.quantize(Decimal("0.01")),
        decimal_places=2,
        help_text=_("Or the hours a month, if that is what you know: saved as annual hours × 12."),
    )

    class Meta:
        model = Task
        fields = TASK_FIELDS
        help_texts = TASK_HELP
        # The ranges as the template heads them (the model's names read badly in a list).
        labels = {**{key: COLUMNS_BY_KEY[key].label for key in RANGE_FIELDS}, **TASK_LABELS}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            **DECIMAL_WIDGETS,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["task"].widget.attrs["autofocus"] = True
        for name, words in (
            ("licensed_work", LICENSED_WORK_CHOICES),
            ("on_site", ON_SITE_CHOICES),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = words
        word_the_answers(self)
        name_the_blanks(self)
        if self.instance.pk is None:
            apply_entry_defaults(self)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "seen",
            Fieldset(
                _("What the work is"),
                Div(
                    Div("department", css_class="col-md-4"),
                    Div("process", css_class="col-md-4"),
                    Div("category", css_class="col-md-4"),
                    css_class="row",
                ),
                "task",
                "description",
            ),
            Fieldset(
                _("How much of it there is"),
                Div(
                    *[
                        Div(f, css_class="col-md-4")
                        for f in ("frequency", "occurrences", "minutes")
                    ],
                    css_class="row",
                ),
                # Optional: the range the saving's estimate uses instead of the organisation's
                # spread (SPEC 4.5), e.g. the busy and quiet seasons.
                Div(
                    *[Div(f, css_class="col-md-3") for f in RANGE_FIELDS],
                    css_class="row",
                ),
                Div(
                    *[Div(f, css_class="col-md-4") for f in ("people", "days_per_year")],
                    css_class="row",
                ),
                Div(
                    *[
                        Div(f, css_class="col-md-4")
                        for f in ("annual_hours", "monthly_hours", "hourly_cost")
                    ],
                    css_class="row",
                ),
            ),
            # Asked first: without them the recommendation warns "attributes missing".
            Fieldset(
                _("What the recommendation needs"),
                HTML(format_html('<p class="small text-body-secondary">{}</p>', ENTRY_HINT)),
                Div(*[Div(f, css_class="col-md-4") for f in ENTRY_ATTRIBUTES], css_class="row"),
            ),
            Fieldset(
                _("Who can do it and how"),
                Div(
                    *[
                        Div(f, css_class="col-md-4")
                        for f in (
                            "standardizable",
                            "manual",
                            "people_able",
                            "seasonality",
                            "confidentiality",
                        )
                    ],
                    css_class="row",
                ),
            ),
            Fieldset(
                _("Can it be handed over?"),
                Div(
                    *[
                        Div(f, css_class="col-md-4")
                        for f in ("deliverable_clear", "licensed_work", "on_site")
                    ],
                    css_class="row",
                ),
            ),
            Fieldset(_("Interview"), "interviewee", "notes"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        monthly, annual = data.get("monthly_hours"), data.get("annual_hours")
        if monthly is not None:
            if annual is not None and annual != monthly * 12:
                self.add_error(
                    "monthly_hours",
                    _("Give either the annual or the monthly hours: they do not agree."),
                )
            else:
                # Before the model's validation, which then checks the annual hours it makes.
                data["annual_hours"] = monthly * 12
        for usual, lowest, highest in RANGES:
            if usual in self.errors:
                continue  # its own error says what to fix first
            for issue in range_issues(data.get(usual), data.get(lowest), data.get(highest)):
                name = highest if issue == RangeIssue.HIGH_BELOW_USUAL else lowest
                if data.get(name) is None:
                    name = highest
                self.add_error(name, RANGE_ERRORS[issue])
        return data


class TaskRowForm(StampedModelForm):
    """The inline row of the fast table: the fields that decide hours, keyboard first."""

    class Meta:
        model = Task
        fields = ROW_FIELDS
        widgets = {name: PlainNumberInput for name in DECIMAL_FIELDS if name in ROW_FIELDS}

    def __init__(
        self, *args: Any, form_id: str, autofocus: str | None = "department", **kwargs: Any
    ) -> None:
        # Ids of its own: a row in edit and the add row are on the page at once.
        kwargs.setdefault("auto_id", f"{form_id}-%s")
        super().__init__(*args, **kwargs)
        name_the_blanks(self, short=True)
        for name, field in self.fields.items():
            field.widget.attrs.update(
                {
                    "form": form_id,
                    "class": "form-control form-control-sm",
                    "aria-label": field.label,
                    "data-field": name,  # the stylesheet gives each column its width
                }
            )
            if isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
        if autofocus:
            self.fields[autofocus].widget.attrs["autofocus"] = True

    def clean(self) -> dict[str, Any]:
        """The row does not show the task's range: a usual figure outside it is refused, with
        where to change both (the range stays as it is otherwise)."""
        data = super().clean()
        for usual, lowest, highest in RANGES:
            low, high = getattr(self.instance, lowest), getattr(self.instance, highest)
            if usual in self.errors or data.get(usual) is None or (low is None and high is None):
                continue
            if range_issues(data[usual], low, high):
                self.add_error(
                    usual,
                    _(
                        "Outside the range the task gives for it (%(low)s to %(high)s): change "
                        "them together in the task's form."
                    )
                    % {"low": _shown(low), "high": _shown(high)},
                )
        return data


class TaskAddForm(TaskRowForm):
    """The fast table's add row: the row's fields and what the recommendation needs
    (ENTRY_ATTRIBUTES), worded and defaulted as in the guided form."""

    class Meta(TaskRowForm.Meta):
        fields = [*ROW_FIELDS, *ENTRY_ATTRIBUTES]
        labels = {name: TASK_LABELS[name] for name in ENTRY_ATTRIBUTES}

    expertise = expertise_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("form_id", "add-task")
        super().__init__(*args, **kwargs)
        word_the_answers(self)
        apply_entry_defaults(self)

    @property
    def row_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ROW_FIELDS]

    @property
    def entry_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ENTRY_ATTRIBUTES]

    @property
    def unanswered(self) -> list[str]:
        """The labels of the entry fields left blank, as app.js words them while they change."""
        return [str(field.label) for field in self.entry_fields if field.value() in (None, "")]


ANSWER_CHOICES = [("", "—"), *CheckAnswer.choices]


class CheckForm(forms.Form):
    """The ten questions for one task, in the order and wording of the pinned checklist."""

    def __init__(self, criteria: list[ChecklistCriterion], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for criterion in criteria:
            self.fields[criterion.code] = forms.ChoiceField(
                label=criterion.text,
                # Help texts are printed unescaped (|safe) by crispy and Django's templates.
                help_text=conditional_escape(criterion.help),
                choices=CheckAnswer.choices,
                required=False,
                widget=forms.RadioSelect,
            )


class AnswerGridForm(forms.Form):
    """Answers for many tasks at once: one select per task and question."""

    def __init__(
        self,
        tasks: list[Task],
        criteria: list[ChecklistCriterion],
        *args: Any,
        first_row: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tasks, self.codes, self.first_row = tasks, [c.code for c in criteria], first_row
        for task in tasks:
            for code in self.codes:
                self.fields[self.name(task, code)] = forms.ChoiceField(
                    label=f"{task.task} {code}", choices=ANSWER_CHOICES, required=False
                )
            self.fields[self.stamp_name(task)] = StampField()
            self.initial.setdefault(self.stamp_name(task), stamp(task.updated_at))

    @staticmethod
    def name(task: Task, code: str) -> str:
        return f"t{task.pk}-{code}"

    @staticmethod
    def stamp_name(task: Task) -> str:
        """The hidden stamp of a task's last change as the page showed it (no lost updates)."""
        return f"stamp_{task.pk}"

    def changed_rows(self) -> list[str]:
        """After is_valid(): “row 3 “Task”” for each task on the page changed since it was read;
        a task whose stamp was not posted is not checked (same rule as the other forms)."""
        found = []
        stored = stored_moments(Task, [task.pk for task in self.tasks])
        for number, task in enumerate(self.tasks, start=self.first_row):
            name = self.add_prefix(self.stamp_name(task))
            if name in self.data and changed_since(self.data[name], stored.get(task.pk)):
                found.append(_("row %(row)s “%(task)s”") % {"row": number, "task": task.task})
        return found

    def restamped(self) -> dict[str, Any]:
        """The user's input again, stamped with what is stored now: saving it once more is a
        deliberate choice to keep it."""
        data = self.data.copy()
        for task in self.tasks:
            data[self.add_prefix(self.stamp_name(task))] = stamp(task.updated_at)
        return data

    def answers(self, task: Task) -> dict[str, str]:
        return {code: self.cleaned_data[self.name(task, code)] for code in self.codes}

    def problems(self) -> list[str]:
        """Each error, naming the task's row in the inventory and the question."""
        found = []
        for number, task in enumerate(self.tasks, start=self.first_row):
            for code in self.codes:
                for error in self.errors.get(self.name(task, code), []):
                    found.append(
                        _("Row %(row)s “%(task)s”, %(code)s: %(error)s")
                        % {"row": number, "task": task.task, "code": code, "error": error}
                    )
        return found


class OverrideForm(forms.ModelForm):
    class Meta:
        model = Override
        fields = ["model", "justification"]
        labels = {"model": _("Model to use"), "justification": _("Justification")}
        help_texts = {
            "justification": _(
                "Why this model rather than the recommendation; it appears in the report."
            )
        }
        widgets = {"justification": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, computed: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.computed = computed
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_justification(self) -> str:
        text = self.cleaned_data["justification"].strip()
        if not text:
            raise forms.ValidationError(_("Say why the recommendation is overridden."))
        return text

    def clean_model(self) -> str:
        model = self.cleaned_data["model"]
        if model == self.computed:
            raise forms.ValidationError(_("That is already the recommended model."))
        return model


class PackageNameForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Give the package a name.")},
    )


# Dispatch is not outsourcing (SPEC 4.4): a staffing package never takes an outsourcing
# package's tasks, nor the reverse.
KINDS_APART = _(
    "A staffing package (dispatch) and an outsourcing package cannot be put together: one asks "
    "for people who work under your direction, the other for work a vendor takes over. Nothing "
    "was changed."
)


class PackageTasksForm(forms.Form):
    """Tasks picked in one package, and what to do with them: split them off into a new package,
    move them to another package, or take them out of every package."""

    ACTIONS = [
        ("split", _("Split into a new package")),
        ("move", _("Move to another package")),
        ("remove", _("Take out of the package")),
    ]
    tasks = forms.ModelMultipleChoiceField(
        label=_("Tasks"), queryset=Task.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    name = forms.CharField(label=_("New package's name"), max_length=200, required=False)
    target = forms.ModelChoiceField(
        label=_("Move to"), queryset=Package.objects.none(), required=False
    )

    def __init__(self, package: Package, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.package = package
        self.fields["tasks"].queryset = package.tasks.all()
        self.fields["target"].queryset = package.assessment.packages.exclude(pk=package.pk)
        self.fields["tasks"].error_messages["required"] = _("Pick at least one task.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        action = data.get("action")
        target = data.get("target")
        if action == "split" and not data.get("name"):
            self.add_error("name", _("Give the new package a name."))
        if action == "move" and target is None:
            self.add_error("target", _("Choose the package to move the tasks to."))
        elif action == "move" and target.is_staffing != self.package.is_staffing:
            self.add_error("target", KINDS_APART)
        return data


class PackageMergeForm(forms.Form):
    other = forms.ModelChoiceField(label=_("Merge with"), queryset=Package.objects.none())

    def __init__(self, package: Package, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["other"].queryset = package.assessment.packages.exclude(pk=package.pk)


class RfpForm(forms.Form):
    """The sections of an RFP draft (or, with `layout=staffing.SECTIONS`, of a staffing
    request), one text area each, stamped with the draft's last save."""

    seen = StampField()

    def __init__(
        self,
        *args: Any,
        draft: Any = None,
        layout: Sequence[tuple[str, Any]] = rfp.SECTIONS,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.keys = tuple(key for key, _label in layout)
        for key, label in layout:
            self.fields[key] = forms.CharField(
                label=label,
                required=False,
                max_length=20_000,
                initial=draft.sections.get(key, "") if draft else "",
                widget=forms.Textarea(attrs={"rows": 6}),
            )

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in self.keys}


class IndependenceForm(forms.Form):
    """A package's 告示37号 checklist (SPEC 4.4): yes, no or not answered per item, stamped with
    the answers as read (`Package.independence_stamp`)."""

    seen = StampField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for item in independence.ITEMS:
            self.fields[item.key] = forms.ChoiceField(
                label=item.text,
                help_text=item.note,
                choices=INDEPENDENCE_CHOICES,
                required=False,
                widget=forms.RadioSelect,
            )

    def answers(self) -> dict[str, object]:
        return {item.key: self.cleaned_data.get(item.key, "") for item in independence.ITEMS}


INDEPENDENCE_CHOICES = [
    ("", _("Not answered")),
    (independence.YES, pgettext_lazy("answer", "Yes")),
    (independence.NO, pgettext_lazy("answer", "No")),
]

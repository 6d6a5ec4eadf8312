"""The administrators' area (issue 18): the checklist, the decision table, the vendor criteria
and the readiness list, edited as drafts and published with a preview. Site operations stay in
Django admin (/admin/)."""

from django.urls import path, register_converter

from assessments.web import administration_views, rule_editor_views


class VersionKind:
    """A kind of version of the area (administration_views.KINDS), and nothing else: the
    other routes here (the rule editor's) are never taken for one."""

    regex = "|".join(administration_views.KINDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(VersionKind, "version_kind")

urlpatterns = [
    path("", administration_views.administration_home, name="administration_home"),
    # Drafts of each kind of version: started, edited, previewed and published, or discarded.
    path(
        "<version_kind:kind>/",
        administration_views.administration_versions,
        name="administration_versions",
    ),
    path(
        "<version_kind:kind>/start/",
        administration_views.administration_start_draft,
        name="administration_start_draft",
    ),
    path(
        "<version_kind:kind>/<int:pk>/",
        administration_views.administration_draft,
        name="administration_draft",
    ),
    path(
        "<version_kind:kind>/<int:pk>/publish/",
        administration_views.administration_publish,
        name="administration_publish",
    ),
    path(
        "<version_kind:kind>/<int:pk>/discard/",
        administration_views.administration_discard,
        name="administration_discard",
    ),
    # The decision table's own editor (rule_editor_views.py): its versions, a draft's rules in
    # words with pickers, drag to reorder, and the coverage check beside them.
    path("rules/", rule_editor_views.rule_tables, name="administration_rules"),
    path(
        "rules/<int:version_pk>/",
        rule_editor_views.rule_table,
        name="administration_rules_draft",
    ),
    path(
        "rules/<int:version_pk>/new/",
        rule_editor_views.rule_add,
        name="administration_rule_add",
    ),
    path(
        "rules/<int:version_pk>/rules/<int:rule_pk>/",
        rule_editor_views.rule_edit,
        name="administration_rule_edit",
    ),
    path(
        "rules/<int:version_pk>/rules/<int:rule_pk>/delete/",
        rule_editor_views.rule_delete,
        name="administration_rule_delete",
    ),
    path(
        "rules/<int:version_pk>/order/",
        rule_editor_views.rules_order,
        name="administration_rules_order",
    ),
    path(
        "rules/<int:version_pk>/condition/",
        rule_editor_views.rule_condition,
        name="administration_rule_condition",
    ),
]

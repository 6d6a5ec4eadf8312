from django.urls import path

from assessments.web import (
    bulk_views,
    check_views,
    collaboration_views,
    history_views,
    import_views,
    job_views,
    member_views,
    organisation_views,
    package_views,
    portfolio_views,
    report_views,
    rfp_views,
    step_views,
    trash_views,
    version_views,
    views,
)

urlpatterns = [
    path("", portfolio_views.home, name="home"),
    path("healthz/", views.healthz, name="healthz"),
    # Under accounts/ with the sign-in pages, but here: saving recomputes the assessments.
    path(
        "accounts/organisations/<int:pk>/",
        organisation_views.organisation_settings,
        name="organisation_settings",
    ),
    # The members and invitations (issue 18): here too, as their changes are recorded.
    path(
        "accounts/organisations/<int:org_pk>/members/",
        member_views.organisation_members,
        name="organisation_members",
    ),
    path(
        "accounts/organisations/<int:org_pk>/members/<int:membership_pk>/role/",
        member_views.member_role,
        name="member_role",
    ),
    path(
        "accounts/organisations/<int:org_pk>/members/<int:membership_pk>/remove/",
        member_views.member_remove,
        name="member_remove",
    ),
    path(
        "accounts/organisations/<int:org_pk>/invitations/",
        member_views.invitation_create,
        name="invitation_create",
    ),
    path(
        "accounts/organisations/<int:org_pk>/invitations/<int:invitation_pk>/revoke/",
        member_views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("inventory-template.xlsx", views.template_xlsx, name="template_xlsx"),
    path(
        "organisations/<int:org_pk>/assessments/new/",
        views.assessment_create,
        name="assessment_create",
    ),
    path(
        "organisations/<int:org_pk>/departments/",
        portfolio_views.organisation_departments,
        name="organisation_departments",
    ),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessments/<int:pk>/horizon/", views.assessment_horizon, name="assessment_horizon"),
    path("assessments/<int:pk>/inventory/", views.inventory_table, name="inventory"),
    path(
        "assessments/<int:pk>/history/",
        history_views.assessment_history,
        name="assessment_history",
    ),
    path("assessments/<int:pk>/inventory/totals/", views.inventory_totals, name="inventory_totals"),
    path("assessments/<int:pk>/inventory.xlsx", views.export_xlsx, name="export_xlsx"),
    path("assessments/<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("assessments/<int:pk>/report/", job_views.report_start, name="report_start"),
    path("assessments/<int:pk>/jobs/<int:job_pk>/", job_views.job_detail, name="job_detail"),
    path("assessments/<int:pk>/jobs/<int:job_pk>/retry/", job_views.job_retry, name="job_retry"),
    path(
        "assessments/<int:pk>/jobs/<int:job_pk>/report.pdf",
        job_views.job_download,
        name="job_download",
    ),
    path("assessments/<int:pk>/import/", import_views.import_upload, name="import_upload"),
    path(
        "assessments/<int:pk>/import/<int:upload_pk>/",
        import_views.import_mapping,
        name="import_mapping",
    ),
    path(
        "assessments/<int:pk>/import/<int:upload_pk>/preview/",
        import_views.import_preview,
        name="import_preview",
    ),
    path(
        "assessments/<int:pk>/import/<int:upload_pk>/merge/",
        import_views.import_merge,
        name="import_merge",
    ),
    path(
        "assessments/<int:pk>/imports/<int:import_pk>/undo/",
        import_views.import_undo,
        name="import_undo",
    ),
    path(
        "assessments/<int:pk>/import/mappings/<int:profile_pk>/delete/",
        import_views.mapping_profile_delete,
        name="mapping_profile_delete",
    ),
    path("assessments/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("assessments/<int:pk>/tasks/add/", views.task_add, name="task_add"),
    path("assessments/<int:pk>/tasks/<int:task_pk>/", views.task_edit, name="task_edit"),
    path("assessments/<int:pk>/tasks/<int:task_pk>/row/", views.task_row, name="task_row"),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/row/edit/",
        views.task_row_edit,
        name="task_row_edit",
    ),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/duplicate/",
        views.task_duplicate,
        name="task_duplicate",
    ),
    path("assessments/<int:pk>/tasks/<int:task_pk>/delete/", views.task_delete, name="task_delete"),
    path("assessments/<int:pk>/tasks/<int:task_pk>/move/", views.task_move, name="task_move"),
    path("assessments/<int:pk>/check/", check_views.check_grid, name="check_grid"),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/check/",
        check_views.task_check,
        name="task_check",
    ),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/override/",
        check_views.task_override,
        name="task_override",
    ),
    path(
        "assessments/<int:pk>/versions/",
        version_views.assessment_versions,
        name="assessment_versions",
    ),
    path(
        "assessments/<int:pk>/versions/back/",
        version_views.assessment_versions_back,
        name="assessment_versions_back",
    ),
    path("assessments/<int:pk>/packages/", package_views.packages, name="packages"),
    path(
        "assessments/<int:pk>/packages/create/",
        package_views.packages_create,
        name="packages_create",
    ),
    path(
        "assessments/<int:pk>/packages/assign/",
        package_views.packages_assign,
        name="packages_assign",
    ),
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/rename/",
        package_views.package_rename,
        name="package_rename",
    ),
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/tasks/",
        package_views.package_tasks,
        name="package_tasks",
    ),
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/merge/",
        package_views.package_merge,
        name="package_merge",
    ),
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/delete/",
        package_views.package_delete,
        name="package_delete",
    ),
    path("assessments/<int:pk>/packages/fix/", package_views.package_fix, name="package_fix"),
    path(
        "assessments/<int:pk>/packages/fix-all/",
        package_views.packages_fix_all,
        name="packages_fix_all",
    ),
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/independence/",
        package_views.package_independence,
        name="package_independence",
    ),
]

# The workflow's own steps (SPEC 3): goals (1), readiness (5), KPI/SLA targets and actuals (6).
urlpatterns += [
    path("assessments/<int:pk>/goals/", step_views.goals, name="workflow_goals"),
    path("assessments/<int:pk>/readiness/", step_views.readiness, name="workflow_readiness"),
    path("assessments/<int:pk>/operation/", step_views.operation, name="workflow_operation"),
    path(
        "assessments/<int:pk>/operation/actuals/",
        step_views.operation_actuals,
        name="workflow_actuals",
    ),
    path(
        "assessments/<int:pk>/operation/delete/",
        step_views.operation_delete,
        name="workflow_operation_delete",
    ),
]

urlpatterns += [
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/rfp/",
        rfp_views.package_rfp,
        name="package_rfp",
    ),
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/rfp.pdf",
        rfp_views.package_rfp_pdf,
        name="package_rfp_pdf",
    ),
]

# Working together (issue 18): comments with @mentions, a task's check given to a member, and
# 「自分の担当」.
urlpatterns += [
    path("my-work/", collaboration_views.my_work, name="my_work"),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/comments/",
        collaboration_views.task_comments,
        name="task_comments",
    ),
    path(
        "assessments/<int:pk>/packages/<int:package_pk>/comments/",
        collaboration_views.package_comments,
        name="package_comments",
    ),
    path(
        "assessments/<int:pk>/comments/<int:comment_pk>/delete/",
        collaboration_views.comment_delete,
        name="comment_delete",
    ),
    path(
        "assessments/<int:pk>/tasks/<int:task_pk>/assignee/",
        collaboration_views.task_assign,
        name="task_assign",
    ),
]

# Find and change many at once (issue 18): the bulk edit of the fast table, and the trash.
urlpatterns += [
    path("assessments/<int:pk>/inventory/bulk/", bulk_views.inventory_bulk, name="inventory_bulk"),
    path("assessments/<int:pk>/trash/", trash_views.assessment_trash, name="assessment_trash"),
    path(
        "assessments/<int:pk>/trash/tasks/<int:task_pk>/restore/",
        trash_views.task_restore,
        name="task_restore",
    ),
    path(
        "assessments/<int:pk>/trash/packages/<int:package_pk>/restore/",
        trash_views.package_restore,
        name="package_restore",
    ),
]

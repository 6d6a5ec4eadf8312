"""An organisation's members, managed by its own managers (issue 18): invitations by link, roles
and removal (services.py, the one owner of these changes) and how the history words them
(wording.py). Above the history, which records every change, and below the apps' pages
(assessments/web/member_views.py, join_views.py)."""

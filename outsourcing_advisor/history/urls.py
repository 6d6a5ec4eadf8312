from django.urls import path

from outsourcing_advisor.history import views

# Mounted under assessments/<pk>/ (see outsourcing_advisor/urls.py).
assessment_urlpatterns = [
    path("history/", views.assessment_history, name="assessment_history"),
]

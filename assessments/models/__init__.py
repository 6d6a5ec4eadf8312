"""The assessment app's models, one module per aggregate; Django finds them all through this
package. `assessment` holds an assessment with its tasks, results, packages and imports;
`versions` the published checklists, rule tables, weights and readiness lists; `steps` the
records of the workflow's steps (goals, readiness, KPIs, RFP drafts); `jobs` background work.
Within this package, modules import each other directly, never through this file."""

from assessments.models.assessment import (
    Assessment,
    InventoryImport,
    MappingProfile,
    Override,
    Package,
    PendingUpload,
    Task,
    TaskResult,
    TaskView,
)
from assessments.models.collaboration import Comment
from assessments.models.jobs import Job
from assessments.models.steps import Goals, Kpi, KpiActual, ReadinessEntry, RfpDraft
from assessments.models.versions import (
    ChecklistCriterion,
    ChecklistVersion,
    DecisionRule,
    EvaluationVersion,
    EvaluationWeight,
    ReadinessItem,
    ReadinessVersion,
    RuleTableVersion,
    Version,
)

__all__ = [
    "Assessment",
    "ChecklistCriterion",
    "ChecklistVersion",
    "Comment",
    "DecisionRule",
    "EvaluationVersion",
    "EvaluationWeight",
    "Goals",
    "InventoryImport",
    "Job",
    "Kpi",
    "KpiActual",
    "MappingProfile",
    "Override",
    "Package",
    "PendingUpload",
    "ReadinessEntry",
    "ReadinessItem",
    "ReadinessVersion",
    "RfpDraft",
    "RuleTableVersion",
    "Task",
    "TaskResult",
    "TaskView",
    "Version",
]

import pytest
from django.utils import translation

from assessments.domain import choices


@pytest.mark.parametrize(
    ("enum", "value", "language", "expected"),
    [
        (choices.Category, "hr", "ja", "人事・労務"),
        (choices.Category, "hr", "en", "HR and labour"),
        (choices.Frequency, "ad_hoc", "ja", "不定期"),
        (choices.Presence, "yes", "ja", "有"),
        (choices.Need, "yes", "ja", "要"),
        (choices.Amount, "high", "ja", "多"),
        (choices.Size, "high", "ja", "大"),
        (choices.Category, "unknown-key", "en", "unknown-key"),
    ],
)
def test_label_follows_the_active_language(enum, value, language, expected):
    with translation.override(language):
        assert choices.label(enum, value) == expected

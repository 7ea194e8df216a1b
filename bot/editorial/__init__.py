"""The workspace's editorial features: topic forms, the live check, review and publishing.

What the pages call (no HTTP here):

    editorial = Editorial(storage, content_store, settings, now)
    draft = await editorial.start(topic_id, staff)
    form = form_from_fields(posted, draft.topic_id)
    report = editorial.check(form)                    # on every keystroke
    saved = await editorial.save(draft.id, draft.revision, form, staff)
    messages = preview_topic(draft_topic(form), catalog, language, gettext)   # the channel's
"""

from bot.editorial.errors import (
    ConflictError,
    EditorialError,
    InvalidError,
    NotAllowedError,
    NotFoundError,
    PublishError,
)
from bot.editorial.form import (
    FIELDS,
    FormError,
    SourceItem,
    TextForm,
    TopicForm,
    form_fields,
    form_from_fields,
    form_from_yaml,
)
from bot.editorial.history import SECTIONS, diff_texts
from bot.editorial.listing import Filters, TopicRow, select, topic_rows
from bot.editorial.preview import draft_topic
from bot.editorial.review import Editorial, Published
from bot.editorial.validation import TOPIC, Count, Report, Rules, validate
from bot.editorial.workflow import Rebased, Saved

__all__ = [
    "FIELDS",
    "SECTIONS",
    "TOPIC",
    "ConflictError",
    "Count",
    "Editorial",
    "EditorialError",
    "Filters",
    "FormError",
    "InvalidError",
    "NotAllowedError",
    "NotFoundError",
    "PublishError",
    "Published",
    "Rebased",
    "Report",
    "Rules",
    "Saved",
    "SourceItem",
    "TextForm",
    "TopicForm",
    "TopicRow",
    "diff_texts",
    "draft_topic",
    "form_fields",
    "form_from_fields",
    "form_from_yaml",
    "select",
    "topic_rows",
    "validate",
]

"""The inbox of unanswered questions (editors and up): grouped by meaning, each group or
question added as a phrasing of a topic, ignored, or handed to a new topic's draft.

Adding a phrasing writes the NLU's training files; the workspace retrains its own engine in
the background and `GET /inbox/answers` (polled by htmx) shows what the bot answers once the
new model serves. The bot process notices the changed files by itself (`reload_content`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bot.base.i18n import N_
from bot.catalog.topics import ID_PATTERN
from bot.editorial import EditorialError, TextForm
from bot.gaps.inbox import Inbox
from bot.gaps.teaching import Teacher
from bot.storage import StoredQuestion
from bot.storage.inbox import MAX_IDS
from bot.web.access import requires
from bot.web.editing import editorial_of, refusal
from bot.web.errors import error_page
from bot.web.pages import NavItem, render, services_of
from bot.web.topics import BAD_ID, NO_GROUP, TAKEN
from nlu import OUT_OF_SCOPE_INTENT, Parse, SentenceGrouper, TrainingFiles, evaluation_dirs

MAX_GROUPS: Final = 100
MAX_TERMS: Final = 10
DONE: Final = {
    "ignored": N_("Ignored: these questions no longer show in the inbox."),
}
NO_QUESTION: Final = N_("Choose at least one question.")
GONE: Final = N_("These questions are not in the inbox (any more): reload the page.")
BAD_INTENT: Final = N_("Choose a topic from the list.")
REFUSALS: Final = {
    "duplicate": N_("Already a phrasing in the training data."),
    "evaluation": N_("Refused: this sentence is in an evaluation set, which is never trained on."),
    "too_long": N_("Too long for a phrasing (300 characters at most)."),
    "empty": N_("Nothing left to learn once cleaned."),
    "unwritable": N_(
        "The training file could not be written: nothing was changed. Try again in a moment."
    ),
}
UNKNOWN: Final = N_("Refused: unknown language or topic.")


class InboxFormError(Exception):
    """A form the inbox cannot act on; `message` is the msgid saying why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class InboxTools:
    """The app's inbox and teacher, made on first use."""

    inbox: Inbox
    teacher: Teacher


def tools_of(request: Request) -> InboxTools:
    """The app's inbox tools (one grouper per app: it remembers vectors in memory)."""
    state = request.app.state
    tools: InboxTools | None = getattr(state, "inbox", None)
    if tools is None:
        services = services_of(request)
        settings = services.settings
        grouper = None if services.nlu is None else SentenceGrouper(services.nlu.embed)
        evaluation = evaluation_dirs(settings.nlu_evaluation_root)
        files = TrainingFiles(settings.nlu_data_dir, evaluation)
        teacher = Teacher(services.storage, files, services.now)
        tools = InboxTools(Inbox(services.storage, grouper), teacher)
        state.inbox = tools
    return tools


def intents_of(request: Request) -> list[tuple[str, str]]:
    """Every intent one may add a phrasing to, with its title in the staff's language:
    the intents of the training data and the published topics (a new one may have none)."""
    editorial = editorial_of(request)
    catalog = editorial.catalog
    language: str = request.state.language
    ids = sorted(set(editorial.rules.intents) | set(catalog.topics))
    return [(i, catalog.topics[i].text(language).title if i in catalog.topics else i) for i in ids]


@requires("editor")
async def inbox_page(request: Request) -> Response:
    """The open questions grouped by meaning, the most asked first."""
    nlu = services_of(request).nlu
    if nlu is not None:
        # Training files changed elsewhere (a deployment, a hand edit): our copy follows them.
        nlu.retrain_if_changed()
    groups = await tools_of(request).inbox.groups()
    done = DONE.get(request.query_params.get("done", ""))
    return render(
        request,
        "inbox.html",
        groups=groups[:MAX_GROUPS],
        total=len(groups),
        intents=intents_of(request),
        titles=dict(intents_of(request)),
        topic_groups=_menu_groups(request),
        message=done,
    )


@requires("editor")
async def learn(request: Request) -> Response:
    """Add the chosen questions as phrasings of the chosen intent, then retrain."""
    form = await request.form()
    try:
        questions = await _chosen(request, form)
        intent = _intent(request, form)
    except InboxFormError as exc:
        return error_page(request, 400, exc.message)
    services, staff = services_of(request), request.state.staff
    intents = {intent for intent, _title in intents_of(request)}
    results = await tools_of(request).teacher.add_phrasings(questions, intent, intents, staff.id)
    if services.nlu is not None and any(result.added for result in results):
        services.nlu.retrain_if_changed()  # in the background; the page polls for the answer
    added = [str(result.question.id) for result in results if result.added]
    return render(
        request,
        "inbox_learned.html",
        200 if added else 400,
        results=results,
        refusals={**REFUSALS, "language": UNKNOWN, "intent": UNKNOWN},
        intent=intent,
        titles=dict(intents_of(request)),
        answer_ids=",".join(added),
    )


@requires("editor")
async def answers(request: Request) -> Response:
    """What the workspace's engine answers to these questions (htmx polls while it learns)."""
    services = services_of(request)
    raw = request.query_params.get("ids", "")
    try:
        ids = _ids(raw.split(",")) if raw else []
    except InboxFormError:
        ids = []
    questions = await services.storage.inbox.by_ids(ids)
    nlu = services.nlu
    if nlu is not None:
        # A phrasing added while a retrain ran is learned by the next one: keep polling.
        nlu.retrain_if_changed()
    parses: list[tuple[StoredQuestion, Parse]] = []
    if nlu is not None and not nlu.training:
        parses = [(q, await nlu.parse(q.text, q.language)) for q in questions]
    return render(
        request,
        "inbox_answers.html",
        questions=questions,
        parses=parses,
        learning=nlu is not None and nlu.training,
        engine=nlu is not None,
        ids=",".join(str(question.id) for question in questions),
        titles=dict(intents_of(request)),
        out_of_scope=OUT_OF_SCOPE_INTENT,
    )


@requires("editor")
async def ignore(request: Request) -> Response:
    """Hide the chosen questions from the inbox (recorded and audited)."""
    try:
        questions = await _chosen(request, await request.form())
    except InboxFormError as exc:
        return error_page(request, 400, exc.message)
    await tools_of(request).teacher.ignore(questions, request.state.staff.id)
    return RedirectResponse("/inbox?done=ignored", status_code=303)


@requires("editor")
async def new_topic(request: Request) -> Response:
    """Start the draft of a new topic whose citizen terms are the chosen questions."""
    form = await request.form()
    topic_id, group = _field(form, "id"), _field(form, "group")
    editorial = editorial_of(request)
    try:
        questions = await _chosen(request, form)
        if not ID_PATTERN.fullmatch(topic_id):
            raise InboxFormError(BAD_ID)
        if editorial.catalog.group(group) is None:
            raise InboxFormError(NO_GROUP)
        if topic_id in editorial.catalog.topics or await editorial.open_drafts(topic_id):
            raise InboxFormError(TAKEN)
    except InboxFormError as exc:
        return error_page(request, 400, exc.message)
    staff = request.state.staff
    try:
        draft = await editorial.new_topic(topic_id, group, staff)
        draft_form = editorial.form(draft)
        texts = {language: draft_form.text(language) for language in draft_form.texts}
        for language in {question.language for question in questions}:
            terms = [q.text for q in questions if q.language == language][:MAX_TERMS]
            texts[language] = replace(texts.get(language, TextForm()), terms=tuple(terms))
        await editorial.save(draft.id, draft.revision, replace(draft_form, texts=texts), staff)
    except EditorialError as exc:
        return error_page(request, 400, refusal(exc))
    await tools_of(request).teacher.to_topic(questions, topic_id, staff.id)
    return RedirectResponse(f"/topics/{topic_id}", status_code=303)


async def _chosen(request: Request, form: FormData) -> list[StoredQuestion]:
    ids = _ids([value for value in form.getlist("question") if isinstance(value, str)])
    if not ids:
        raise InboxFormError(NO_QUESTION)
    questions = await services_of(request).storage.inbox.by_ids(ids)
    if len(questions) != len(set(ids)):
        raise InboxFormError(GONE)
    return questions


def _ids(values: Sequence[str]) -> list[int]:
    if len(values) > MAX_IDS:
        raise InboxFormError(GONE)
    cleaned = [value.strip() for value in values]
    if not all(v.isascii() and v.isdigit() and len(v) <= 12 for v in cleaned):
        raise InboxFormError(GONE)
    return [int(value) for value in cleaned]


def _intent(request: Request, form: FormData) -> str:
    intent = _field(form, "intent")
    if intent not in {known for known, _title in intents_of(request)}:
        raise InboxFormError(BAD_INTENT)
    return intent


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip()[:200] if isinstance(value, str) else ""


def _menu_groups(request: Request) -> list[tuple[str, str]]:
    language: str = request.state.language
    groups = editorial_of(request).catalog.groups
    return [(group.id, group.titles.get(language, group.id)) for group in groups]


routes = [
    Route("/inbox", inbox_page, methods=["GET"]),
    Route("/inbox/learn", learn, methods=["POST"]),
    Route("/inbox/answers", answers, methods=["GET"]),
    Route("/inbox/ignore", ignore, methods=["POST"]),
    Route("/inbox/new-topic", new_topic, methods=["POST"]),
]
nav = [
    NavItem(
        "/inbox",
        N_("Inbox"),
        "editor",
        N_("Questions the bot could not answer, grouped by meaning: teach it, or start a topic."),
    )
]

"""The inbox's questions: identical texts counted together (case, accents and punctuation
aside), handled ones left out, the bot's guesses weighted by how often each was asked."""

from __future__ import annotations

from datetime import timedelta

from bot.gaps.inbox import QuestionGroup, distinct_questions
from bot.storage import StoredQuestion
from tests.helpers.project import NOW


def stored(
    id_: int, text: str, guesses: tuple[str, ...] = (), language: str = "fr"
) -> StoredQuestion:
    """A stored question asked `id_` hours after NOW."""
    return StoredQuestion(id_, text, language, guesses, NOW + timedelta(hours=id_))


def test_identical_questions_count_together_and_handled_ones_are_left_out() -> None:
    rows = [
        stored(1, "Où graver ma trottinette ?"),
        stored(2, "où graver ma TROTTINETTE"),
        stored(3, "quelle heure est-il"),
        stored(4, "ou graver ma trottinette!!"),
        stored(5, "   "),
    ]
    questions = distinct_questions(rows, frozenset({"quelle heure est il"}))
    assert [(q.id, q.count, q.text) for q in questions] == [(4, 3, "ou graver ma trottinette!!")]
    assert (questions[0].first_seen, questions[0].last_seen) == (
        rows[0].created_at,
        rows[3].created_at,
    )


def test_a_groups_guesses_leave_out_out_of_scope_and_weigh_by_count() -> None:
    rows = [
        stored(1, "a", ("out_of_scope", "bike.register", "plp.join")),
        stored(2, "a", ("out_of_scope", "bike.register", "plp.join")),
        stored(3, "b", ("plp.join", "bike.register"), language="en"),
    ]
    group = QuestionGroup(tuple(distinct_questions(rows, frozenset())))
    assert group.count == 3
    assert group.languages == ("fr", "en")
    assert group.guesses == ("bike.register", "plp.join")

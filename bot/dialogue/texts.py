"""The dialogue's fixed texts: the emergency reply, help and about (translated through gettext)."""

from __future__ import annotations

from bot.base.i18n import Gettext
from bot.base.turns import Button, Reply, esc
from bot.dialogue.replies import CB_MENU, CB_TOPIC


def emergency_reply(_: Gettext) -> Reply:
    """The answer to a crime in progress: 101 first, then 112, then how to stay safe."""
    # Note: 101 must be the first number. A 112 call for the police is transferred to 101
    # and loses time (police.be, 112.be); tests/test_safety.py holds every language to it.
    paragraphs = [
        _("A crime happening now? Call 101 now, the police emergency number."),
        _(
            "112, the European emergency number, also works, and it is the number for a "
            "fire or an ambulance. But a 112 call for the police is transferred to 101 and "
            "you lose precious time: dial 101 directly."
        ),
        _(
            "Stay safe: do not go in and do not confront the intruder. Stay on the line and "
            "say where you are."
        ),
    ]
    text = "🚨 <b>" + esc(paragraphs[0]) + "</b>\n\n" + "\n\n".join(map(esc, paragraphs[1:]))
    return Reply(text, ((Button(_("Emergency numbers"), f"{CB_TOPIC}emergency.numbers"),),))


def help_reply(_: Gettext) -> Reply:
    """How to ask, the main commands, and the emergency number."""
    lines = [
        _(
            "I give short, sourced prevention advice for Belgium. Ask in your own words, "
            'for example: "How do I secure my front door?" or "How do I join a PLP?"'
        ),
        "",
        "/menu — " + _("browse the subjects"),
        "/language — " + _("change the language"),
        "/subscribe — " + _("campaign reminders for your municipality"),
        "/mydata — " + _("what I store about you"),
        "/about — " + _("sources and privacy"),
        "",
        _("In an emergency: 101 (police), 112 (European number: fire, ambulance)."),
    ]
    return Reply(esc("\n".join(lines)), ((Button(_("Topic menu"), CB_MENU),),))


def about_reply(_: Gettext, retention_days: int) -> Reply:
    """Where the advice comes from and what is stored."""
    text = _(
        "preventbot gives prevention advice written from official Belgian sources "
        "(besafe.be of the FPS Interior, the police, the Belgian Official Journal); every "
        "answer names its source. It does not replace the police: in an emergency call 101 "
        "(police) or 112 (European number: fire, ambulance). "
        "Privacy: I store your chat id, your language and your reminder places, nothing "
        "else. Questions I could not answer are kept without your identity for {days} days "
        "to improve the content. /mydata shows your data, /forget deletes it."
    ).format(days=retention_days)
    return Reply(esc(text))

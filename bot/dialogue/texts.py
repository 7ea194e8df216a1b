"""The dialogue's fixed texts: the emergency reply, help and about (translated through gettext)."""

from __future__ import annotations

from bot.base.i18n import Gettext
from bot.base.turns import Button, Reply, esc
from bot.dialogue.replies import CB_MENU, CB_TOPIC


def emergency_reply(_: Gettext) -> Reply:
    """A crime happening now: the number to call first, before anything else."""
    text = (
        "🚨 <b>"
        + esc(_("If a crime is happening now, call 112 immediately."))
        + "</b>\n\n"
        + esc(
            _(
                "Stay safe: do not confront the intruder. For urgent police help you can "
                "also dial 101. Stay on the line and say where you are."
            )
        )
    )
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
        _("In an emergency, call 112."),
    ]
    return Reply(esc("\n".join(lines)), ((Button(_("Topic menu"), CB_MENU),),))


def about_reply(_: Gettext, retention_days: int) -> Reply:
    """Where the advice comes from and what is stored."""
    text = _(
        "preventbot gives prevention advice written from official Belgian sources "
        "(besafe.be of the FPS Interior, the police, the Belgian Official Journal); every "
        "answer names its source. It does not replace the police: in an emergency call 112. "
        "Privacy: I store your chat id, your language and your reminder places, nothing "
        "else. Questions I could not answer are kept without your identity for {days} days "
        "to improve the content. /mydata shows your data, /forget deletes it."
    ).format(days=retention_days)
    return Reply(esc(text))

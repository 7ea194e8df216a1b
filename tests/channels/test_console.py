"""The local chat as a user scripts it: `printf ... | preventbot chat`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.channels.console import to_plain
from tests.helpers.project import project_path


def test_piped_chat_answers_in_the_language_of_each_question(
    tmp_path: Path, nlu_cache_dir: Path, trained_nlu: object
) -> None:
    env = {
        **os.environ,
        "PREVENTBOT_DB": str(tmp_path / "chat.db"),
        "PREVENTBOT_NLU_CACHE": str(nlu_cache_dir),
    }
    env.pop("TELEGRAM_BOT_TOKEN", None)
    lines = "bonjour\ncomment rejoindre un PLP ?\nhoe beveilig ik mijn voordeur\n1\n"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat"],
        input=lines,
        capture_output=True,
        text=True,
        env=env,
        cwd=project_path(),
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Rejoindre un PLP" in out
    assert "Deuren en sloten" in out
    assert "[1]" in out
    assert "https://" in out
    assert "<b>" not in out
    assert (tmp_path / "chat.db").exists()


def test_html_becomes_plain_text_with_visible_links() -> None:
    html = '<b>Titre</b> &amp; <a href="https://besafe.be/fr">https://besafe.be/fr</a>'
    assert to_plain(html) == "Titre & https://besafe.be/fr"

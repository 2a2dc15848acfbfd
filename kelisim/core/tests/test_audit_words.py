"""The audit page names every action in words: a new action without a word fails here."""

import re
from pathlib import Path

from django.utils import translation

from kelisim.core.audit_words import VERBS, action_words, object_type_words

SOURCE = Path(__file__).resolve().parents[2]
WRITTEN = re.compile(r'action="([a-z_]+(?:\.[a-z_]+)?)"')


def test_every_action_the_code_writes_has_a_word():
    actions = {
        action
        for path in SOURCE.rglob("*.py")
        if "tests" not in path.parts
        for action in WRITTEN.findall(path.read_text(encoding="utf-8"))
    } - {"store_true", "store_false", "x"}  # argparse's actions, not ours
    assert len(actions) > 50, actions
    with translation.override("kk"):
        unnamed = sorted(a for a in actions if action_words(a) in (a, a.partition(".")[2]))
    assert not unnamed, unnamed
    # the appeal's own steps are written as appeal.<step>
    assert {"assign", "start", "extend", "answer", "close", "reopen", "reroute", "notice"} <= set(VERBS)


def test_codes_become_words_in_the_readers_language():
    with translation.override("kk"):
        assert action_words("appeal.assign") == "орындаушыларды тағайындау"
        assert object_type_words("appeals.appeal") == "Өтініш"
        assert action_words("export.appeals") == "Экспорт"
    with translation.override("ru"):
        assert action_words("appeal.register") == "регистрация"
        assert object_type_words("no_such.model") == "no_such.model"

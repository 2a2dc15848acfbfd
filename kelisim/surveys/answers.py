"""How answers are keyed, and the accessor for readers that know a question by its name."""

from typing import Any


def answer_in(answers: dict[str, Any], name: str) -> Any:
    """Answers are keyed by path under the form's root: top-level questions by their name, questions
    in groups as group/name, a repeat as a list of its instances. Readers that know only a name get
    the answer when that name is unique outside repeats (None otherwise)."""
    if name in answers:
        return answers[name]
    found = [v for k, v in answers.items() if not isinstance(v, list) and k.rsplit("/", 1)[-1] == name]
    return found[0] if len(found) == 1 else None

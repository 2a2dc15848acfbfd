"""The per-appeal link of the follow-up survey the answer's notice offers: a signed token that
names the appeal and the applicant's language, opened without an account."""

from django.core import signing

SALT = "kelisim.notices.feedback"
MAX_AGE_DAYS = 90


def feedback_token(appeal_pk: int, language: str) -> str:
    return signing.dumps({"a": appeal_pk, "l": language}, salt=SALT, compress=True)


def feedback_read(token: str) -> tuple[int, str] | None:
    """(appeal id, language) of a valid token not older than MAX_AGE_DAYS; None otherwise."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE_DAYS * 86400)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("a"), int) or data.get("l") not in ("kk", "ru"):
        return None
    return data["a"], data["l"]

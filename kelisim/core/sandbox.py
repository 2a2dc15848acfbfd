"""Parsing files that come from outside in a child process with hard limits.

An uploaded workbook or document is parsed by libraries (openpyxl, pyxform, the XML parser) whose
appetite for memory and time grows with what the file unpacks to. `kelisim.core.files.check_archive`
refuses what is obviously too big; what passes is still parsed here, in a fresh Python process that
sets its own limits before it reads a byte:

- address space (RLIMIT_AS): an allocation past it fails with MemoryError;
- CPU time (RLIMIT_CPU): the kernel stops the process when it is used up;
- files written only to a private temporary folder removed afterwards (pyxform writes its XForm
  to one), none larger than RLIMIT_FSIZE; no processes started (RLIMIT_NPROC 0);
- a wall-clock limit, enforced by the parent, for a child that waits instead of computing;
- an environment without Kelisim's settings: no database address, no secret key.

The parent sends the file on standard input and reads JSON back (dates tagged), so nothing is
unpickled from a process that parsed hostile data. Only functions of Kelisim's own modules run,
named "kelisim.module:function"; each takes the file's bytes and returns plain data.

Background jobs call these parsers (ADR 0005): the web workers never parse an upload.
"""

import json
import os
import resource
import signal
import subprocess  # nosec B404 - runs this very module in a fresh interpreter, no shell
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from importlib import import_module
from typing import Any

MB = 1024 * 1024
_MEMORY_EXIT = 86  # the child's exit status when it ran out of memory


@dataclass(frozen=True)
class Limits:
    cpu_seconds: int = 30
    memory_bytes: int = 1024 * MB
    wall_seconds: int = 120


class SandboxError(Exception):
    """The parser did not finish: `code` is "memory", "time", "failed" (it raised `error`, an
    exception of the classes `kinds`, with `message` and `reason`) or "crashed"."""

    def __init__(
        self, code: str, error: str = "", message: str = "", reason: str = "", kinds: tuple[str, ...] = ()
    ) -> None:
        self.code, self.error, self.message, self.reason = code, error, message, reason
        self.kinds = kinds or ((error,) if error else ())
        super().__init__(f"{code}: {error} {message}".strip())


def run(target: str, content: bytes, *, limits: Limits = Limits()) -> Any:
    """Run `target` ("kelisim.module:function") on `content` in a limited child; its result."""
    module, _colon, function = target.partition(":")
    if not module.startswith("kelisim.") or not function.isidentifier():
        raise ValueError(f"not a Kelisim parser: {target!r}")
    with tempfile.TemporaryDirectory(prefix="kelisim-parse-") as work:
        return _run_in(work, target, content, limits)


def _run_in(work: str, target: str, content: bytes, limits: Limits) -> Any:
    environment = {"PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8", "TMPDIR": work}
    if os.environ.get("PYTHONPATH"):
        environment["PYTHONPATH"] = os.environ["PYTHONPATH"]
    command = [
        sys.executable,
        "-B",  # no bytecode files written from the child
        "-P",  # nothing from the working directory on sys.path
        "-m",
        __name__,
        target,
        str(limits.cpu_seconds),
        str(limits.memory_bytes),
    ]
    try:
        done = subprocess.run(  # nosec B603 # noqa: S603 - our interpreter, our module, no shell
            command,
            input=content,
            capture_output=True,
            timeout=limits.wall_seconds,
            env=environment,
            cwd=work,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise SandboxError("time") from error
    if done.returncode == _MEMORY_EXIT:
        raise SandboxError("memory")
    if done.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        raise SandboxError("time")
    if done.returncode != 0:
        # The parser's own traceback goes nowhere: it may quote the file's content.
        raise SandboxError("crashed", message=f"exit status {done.returncode}")
    answer = json.loads(done.stdout, object_hook=_decode)
    if "error" in answer:
        raise SandboxError(
            "failed",
            error=str(answer["error"]),
            message=str(answer.get("message", "")),
            reason=str(answer.get("reason", "")),
            kinds=tuple(str(k) for k in answer.get("kinds", [])),
        )
    return answer["result"]


# --------------------------------------------------------------------------------------------------
# Plain data across the pipe: JSON, with dates, times and decimals tagged.

_TAGS = {
    "$datetime": datetime.fromisoformat,
    "$date": date.fromisoformat,
    "$time": time.fromisoformat,
    "$seconds": lambda value: timedelta(seconds=float(value)),
    "$decimal": Decimal,
}


def _encode(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, time):
        return {"$time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$seconds": value.total_seconds()}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def _decode(value: dict[str, Any]) -> Any:
    if len(value) == 1:
        key, item = next(iter(value.items()))
        if key in _TAGS and isinstance(item, str | int | float):
            return _TAGS[key](item)  # type: ignore[operator]
    return value


# --------------------------------------------------------------------------------------------------
# The child


def _limit(kind: int, value: int) -> None:
    _soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value if kind != resource.RLIMIT_CPU else hard))


def _child(target: str, cpu_seconds: int, memory_bytes: int) -> None:
    # The kernel sends SIGXCPU at the soft CPU limit; its default action ends the process.
    _limit(resource.RLIMIT_CPU, cpu_seconds)
    _limit(resource.RLIMIT_AS, memory_bytes)
    _limit(resource.RLIMIT_FSIZE, max(memory_bytes // 8, MB))
    _limit(resource.RLIMIT_NPROC, 0)
    _limit(resource.RLIMIT_CORE, 0)
    out = sys.stdout
    try:
        content = sys.stdin.buffer.read()
        module, _colon, function = target.partition(":")
        result = getattr(import_module(module), function)(content)
        text = json.dumps({"result": result}, default=_encode, ensure_ascii=False)
    except MemoryError:
        os._exit(_MEMORY_EXIT)
    except Exception as error:  # the parser's refusal, reported to the parent
        text = json.dumps(
            {
                "error": type(error).__name__,
                "kinds": [kind.__name__ for kind in type(error).__mro__],
                "message": str(error)[:2000],
                "reason": getattr(error, "reason", ""),
            },
            default=_encode,
            ensure_ascii=False,
        )
    try:
        out.write(text)
        out.flush()
    except MemoryError:
        os._exit(_MEMORY_EXIT)


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))

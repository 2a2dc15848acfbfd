"""Functions the sandbox tests run in the child process (kelisim.core.sandbox)."""

import os
from typing import Any


def echo_length(content: bytes) -> dict[str, Any]:
    return {"length": len(content)}


def eat_memory(content: bytes) -> int:
    hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, far over the limit
    return len(hoard)


def spin(content: bytes) -> int:
    n = 0
    while True:
        n += 1


def fail(content: bytes) -> None:
    raise ValueError("this parser refuses")


def environment(content: bytes) -> list[str]:
    return sorted(os.environ)

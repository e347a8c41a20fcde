"""Sealed runs of a converter (issue 22, point 4): no network, a minimal environment, a
throwaway home, a time limit that ends the whole process group.

The network is cut with a new network namespace (util-linux `unshare`): as root `unshare -n`;
as any other user `unshare -rn` (an unprivileged user namespace, mapped to root inside it
only). Inside there is no interface but a loopback that is down: nothing can be fetched,
from the internet, the office network or the worker's own 127.0.0.1. If the namespace cannot
be made (no unshare, user namespaces disabled, a container's seccomp profile), nothing runs:
the conversion is refused with SandboxError rather than run in the open.

The environment holds PATH, HOME (the throwaway folder) and LANG only, so a converter never
sees the database password, SECRET_KEY, the SMTP password or anything else the worker has.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass

SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"


class SandboxError(RuntimeError):
    """The sandbox could not be set up: nothing was run."""


class SandboxTimeout(RuntimeError):
    """The command ran past its time limit; its whole process group was killed."""


@dataclass(frozen=True)
class Result:
    returncode: int
    stdout: bytes
    stderr: bytes


def minimal_environment(home: str) -> dict[str, str]:
    """What a sealed process may see of the environment: nothing of the worker's."""
    return {"PATH": SAFE_PATH, "HOME": home, "LANG": "C.UTF-8"}


def network_cut_prefix() -> list[str]:
    """The command prefix that runs a program without a network, checked to work here (a
    probe run of `true` inside it); SandboxError when it does not."""
    unshare = shutil.which("unshare", path=SAFE_PATH)
    if unshare is None:
        raise SandboxError("util-linux unshare is not installed")
    # Root may make a network namespace directly; any other user needs a user namespace.
    flags = ["--net"] if os.geteuid() == 0 else ["--map-root-user", "--net"]
    prefix = [unshare, *flags, "--"]
    try:
        probe = subprocess.run(  # noqa: S603 (fixed arguments, no shell)
            [*prefix, "true"],
            capture_output=True,
            timeout=10,
            env={"PATH": SAFE_PATH},
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SandboxError(f"unshare could not run: {exc}") from None
    if probe.returncode != 0:
        raise SandboxError(
            "a network namespace cannot be created here: "
            + probe.stderr.decode(errors="replace").strip()[-300:]
        )
    return prefix


def run_sealed(command: list[str], *, home: str, timeout: float) -> Result:
    """Run `command` without a network, with the minimal environment and `home` as HOME, in
    its own session; past `timeout` seconds its whole process group is killed
    (SandboxTimeout). SandboxError when the network cannot be cut (nothing runs then)."""
    prefix = network_cut_prefix()
    process = subprocess.Popen(  # noqa: S603 (fixed arguments, no shell)
        [*prefix, *command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=minimal_environment(home),
        cwd=home,
        start_new_session=True,  # its own process group: the timeout kills every child
    )
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process.pid)
        process.communicate()
        raise SandboxTimeout(f"stopped after {timeout} s") from None
    finally:
        if process.poll() is None:
            _kill_group(process.pid)
            process.wait()
    # A converter may leave helpers behind (LibreOffice's oosplash): end the group anyway.
    _kill_group(process.pid)
    return Result(process.returncode, stdout, stderr)


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)

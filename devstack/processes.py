"""Child processes with their output in a log file, stopped politely and then firmly."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
import contextlib
import os
from pathlib import Path
import signal
import subprocess


class StackError(RuntimeError):
    """The stack could not be brought up (or a part of it died)."""


class ManagedProcess:
    """A child in its own process group, so a terminal's Ctrl-C reaches only the parent.

    The parent decides the order of shutdown: Home Assistant first (it writes its
    storage on the way out), then the simulator.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        log_path: Path,
        *,
        cwd: Path | None = None,
        env: Mapping[str, str] | None = None,
    ) -> None:
        """Start ``argv`` with stdout and stderr appended to ``log_path``."""
        self.name = name
        self.log_path = log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log_start = log_path.stat().st_size if log_path.exists() else 0
        with log_path.open("ab") as log:
            self._popen = subprocess.Popen(
                list(argv),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=cwd,
                env=None if env is None else dict(env),
                process_group=0,
            )

    @property
    def pid(self) -> int:
        """The child's process id."""
        return self._popen.pid

    @property
    def returncode(self) -> int | None:
        """None while the child runs."""
        return self._popen.poll()

    def check_alive(self) -> None:
        """Raise with the end of the log when the child has exited."""
        code = self._popen.poll()
        if code is not None:
            raise StackError(
                f"{self.name} exited with code {code}; end of {self.log_path}:\n{self.log_tail()}"
            )

    def output(self) -> str:
        """What the child wrote to its log since it started."""
        try:
            with self.log_path.open("rb") as log:
                log.seek(self._log_start)
                return log.read().decode(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines: int = 40) -> str:
        """The last lines the child wrote."""
        return "\n".join(self.output().splitlines()[-lines:])

    def stop(self, timeout: float) -> int:
        """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL; return the exit code."""
        if self._popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self._popen.pid, signal.SIGTERM)
            try:
                return self._popen.wait(timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self._popen.pid, signal.SIGKILL)
        return self._popen.wait()

"""Work started now in a forked child process and collected later, with the result of a direct call.

A report on a large network (CORDIS: 36,000 organisations, 800,000 ties) spends most of its time in a
few independent pieces of work: the community consensus (Leiden runs), the node metrics, the static
figures, the GraphML and GEXF files. :class:`Background` runs one of them in a forked child process
while the caller goes on, so two cores are both busy:

- the result is the one a direct call gives (every random step in netanalysis is seeded, and the
  child computes exactly ``fn(*args, **kwargs)``);
- warnings raised in the child are raised again by :meth:`Background.result`, an exception too;
- a child that dies (killed, out of memory) is replaced by computing in the caller;
- without ``fork`` (Windows, macOS's default ``spawn``), with ``NETANALYSIS_WORKERS=1``, or when the
  caller says the work is small, nothing is started and :meth:`Background.result` computes in the
  caller.

Pieces of work smaller than :data:`MIN_TIES` ties are not worth a process (forking and sending the
result back cost more than they save).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import warnings
from collections.abc import Callable
from typing import Any

__all__ = ["Background", "MIN_TIES", "workers", "can_fork"]

#: Networks with at least this many ties run their large stages in child processes.
MIN_TIES = 100_000
_UNSET = object()


def workers() -> int:
    """Processes netanalysis may keep busy: ``NETANALYSIS_WORKERS`` or the CPU count (at most 4)."""
    env = os.environ.get("NETANALYSIS_WORKERS", "")
    if env.strip().isdigit():
        return max(1, int(env))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(4, cpus))


def can_fork() -> bool:
    """Whether work can go to a forked child (fork exists and more than one worker is allowed)."""
    return workers() > 1 and "fork" in mp.get_all_start_methods()


class Background:
    """``fn(*args, **kwargs)`` computed in a forked child from now on; :meth:`result` collects it.

    Parameters
    ----------
    fn : callable
        Module-level or not: the child is forked, nothing is pickled on the way in. The result is
        pickled on the way back.
    *args, **kwargs
        Passed to ``fn``.
    parallel : bool
        False computes in the caller when :meth:`result` is called (small work).
    daemon : bool
        A daemon child is stopped when the caller exits without collecting it; work that starts
        processes of its own (the consensus runs) needs ``daemon=False`` and a :meth:`cancel` on every
        way out.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any, parallel: bool = True, daemon: bool = True,
                 **kwargs: Any):
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.proc: Any = None
        self.recv: Any = None
        self._value: Any = _UNSET
        if parallel and can_fork():
            ctx = mp.get_context("fork")
            self.recv, send = ctx.Pipe(duplex=False)
            self.proc = ctx.Process(target=_child, args=(send, fn, args, kwargs), daemon=daemon)
            self.proc.start()
            send.close()

    @property
    def started(self) -> bool:
        """Whether a child process computes the result."""
        return self.proc is not None

    def result(self) -> Any:
        """The result (waits for the child; computed here when no child runs or the child was lost)."""
        if self._value is not _UNSET:
            return self._value
        if self.proc is None:
            self._value = self.fn(*self.args, **self.kwargs)
            return self._value
        try:
            status, payload, caught = self.recv.recv()
        except EOFError:                     # the child died (killed, out of memory): compute here
            status, payload, caught = "lost", None, []
        finally:
            self._close()
        for message, category in caught:
            warnings.warn(message, category, stacklevel=2)
        if status == "error":
            raise payload
        self._value = payload if status == "ok" else self.fn(*self.args, **self.kwargs)
        return self._value

    def cancel(self) -> None:
        """Stop the child if it still runs (an error elsewhere ended the work)."""
        if self.proc is not None:
            self.proc.terminate()
        self._close()

    def __del__(self) -> None:
        with contextlib.suppress(Exception):   # never collected: do not leave the child behind
            self.cancel()

    def _close(self) -> None:
        if self.recv is not None:
            self.recv.close()
            self.recv = None
        if self.proc is not None:
            self.proc.join()
            self.proc = None


def _child(send, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            value = fn(*args, **kwargs)
        send.send(("ok", value, [(str(w.message), w.category) for w in caught]))
    except BaseException as ex:  # noqa: BLE001 — handed to the parent, which raises it
        try:
            send.send(("error", ex, []))
        except Exception:  # noqa: BLE001 — an exception that does not pickle
            send.send(("error", RuntimeError(f"{type(ex).__name__}: {ex}"), []))
    finally:
        send.close()

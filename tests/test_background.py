"""netanalysis.background: work in a forked child gives the direct result; warnings, errors and a lost
child are handled in the caller. The report's files made in child processes are the same bytes."""

from __future__ import annotations

import os
import signal
import warnings

import numpy as np
import pytest

from netanalysis import background as bgm
from netanalysis import communities as cm
from netanalysis.background import Background
from netanalysis.datasets import load_default
from tests.test_communities import karate


def _square(x, *, plus=0):
    return {"value": x * x + plus, "pid": os.getpid()}


def _warns(x):
    warnings.warn(f"careful with {x}", UserWarning, stacklevel=1)
    return x


def _fails(x):
    raise ValueError(f"bad {x}")


def _dies(x):
    os.kill(os.getpid(), signal.SIGKILL)


@pytest.fixture
def two_workers(monkeypatch):
    monkeypatch.setenv("NETANALYSIS_WORKERS", "2")
    if not bgm.can_fork():
        pytest.skip("no fork on this platform")


def test_child_gives_the_direct_result(two_workers):
    job = Background(_square, 7, plus=1)
    assert job.started
    got = job.result()
    assert got["value"] == 50 and got["pid"] != os.getpid()        # computed in the child
    assert job.result() is got and not job.started                  # collected once


def test_small_work_and_one_worker_run_in_the_caller(two_workers, monkeypatch):
    job = Background(_square, 3, parallel=False)
    assert not job.started and job.result() == {"value": 9, "pid": os.getpid()}
    monkeypatch.setenv("NETANALYSIS_WORKERS", "1")
    assert not bgm.can_fork()
    job = Background(_square, 3)
    assert not job.started and job.result()["pid"] == os.getpid()


def test_warnings_and_errors_of_the_child_reach_the_caller(two_workers):
    with pytest.warns(UserWarning, match="careful with 5"):
        assert Background(_warns, 5).result() == 5
    with pytest.raises(ValueError, match="bad 4"):
        Background(_fails, 4).result()


def test_a_lost_child_is_replaced_by_the_caller(two_workers):
    job = Background(_dies, 1)
    assert job.started
    job.proc.join()                        # the child is gone without a word
    job.fn, job.args = _square, (6,)       # computed again in the caller (which must not die too)
    assert job.result() == {"value": 36, "pid": os.getpid()}


def test_cancel_stops_the_child(two_workers):
    job = Background(_square, 2)
    proc = job.proc
    job.cancel()
    assert not job.started and not proc.is_alive()


def test_streamed_consensus_runs_stop_early_like_the_serial_ones(monkeypatch):
    """Adaptive rounds stop before their 25 runs: the runs computed ahead in the workers are dropped."""
    net = karate()
    monkeypatch.setenv("NETANALYSIS_WORKERS", "1")
    serial = cm.consensus_communities(net, seed=3)
    monkeypatch.setenv("NETANALYSIS_WORKERS", "2")
    monkeypatch.setattr(cm, "PARALLEL_MIN_EDGES", 0)
    parallel = cm.consensus_communities(net, seed=3)
    assert min(serial.stability["runs_used"]) < 25
    assert parallel.stability == serial.stability
    assert np.array_equal(parallel.membership.to_numpy(), serial.membership.to_numpy())


def test_report_files_made_in_children_are_the_same_bytes(tmp_path, monkeypatch):
    from netanalysis import outputs
    from netanalysis.pipeline import AnalysisOptions
    from netanalysis.report import build_report
    from netanalysis.report import files as rfiles

    net = load_default()
    opts = AnalysisOptions(permutations=20)
    monkeypatch.setenv("NETANALYSIS_WORKERS", "1")
    serial = build_report(net, tmp_path / "serial", analysis_options=opts)
    monkeypatch.setenv("NETANALYSIS_WORKERS", "2")
    monkeypatch.setattr(outputs, "MIN_TIES", 0)          # graph files in a child
    monkeypatch.setattr(rfiles, "MIN_TIES", 0)           # figures in a child
    monkeypatch.setattr(cm, "PARALLEL_MIN_EDGES", 0)     # consensus in a child
    par = build_report(net, tmp_path / "parallel", analysis_options=opts)
    names = sorted(p.relative_to(serial.path).as_posix() for p in serial.files)
    assert names == sorted(p.relative_to(par.path).as_posix() for p in par.files)
    assert [p.relative_to(serial.path) for p in serial.files] == [p.relative_to(par.path) for p in par.files]
    for name in names:
        if name != "manifest.json":
            assert (serial.path / name).read_bytes() == (par.path / name).read_bytes(), name
    assert "figures" in par.manifest["timings_seconds"]

"""Projection engines (netanalysis.io.engines): the same ties from pandas, DuckDB and Spark; oversized
units left out and named; the `project` command; Parquet input.

Known answers: the hand-checkable projection of the participation docstring (a, b share p1 and p2;
c shares p1 with both) and Newman's weights 1/(n_p − 1) (Newman 2001).
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from netanalysis.errors import OptionError
from netanalysis.io import engines
from netanalysis.io.participation import make_participations, project

HAND = pd.DataFrame({"unit": ["p1", "p1", "p1", "p2", "p2", "p3"], "org": ["a", "b", "c", "a", "b", "d"]})
# a-b: p1 (n=3) + p2 (n=2): count 2, newman 1/2 + 1 = 1.5; U(a) = U(b) = {p1, p2}: jaccard 2/2 = 1
# a-c, b-c: p1 only: count 1, newman 0.5, jaccard 1 / (2 + 1 - 1) = 0.5; d: alone in p3, no tie
EXPECTED = pd.DataFrame({"source": ["a", "a", "b"], "target": ["b", "c", "c"], "shared_units": [2, 1, 1],
                         "newman": [1.5, 0.5, 0.5], "jaccard": [1.0, 0.5, 0.5]})


def random_records(n=30_000, units=6_000, orgs=4_000, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"unit": rng.integers(0, units, n).astype(str),
                         "org": pd.Series(rng.integers(0, orgs, n)).map(lambda i: f"o{i}").to_numpy()})


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_hand_checked_projection(engine):
    res = engines.project_records(HAND, engine=engine)
    pd.testing.assert_frame_equal(res.ties, EXPECTED, check_dtype=False)
    assert res.engine == engine and len(res.skipped) == 0


def test_duckdb_equals_pandas_on_random_records():
    rec = random_records()
    a = engines.project_records(rec, engine="pandas").ties
    b = engines.project_records(rec, engine="duckdb").ties
    pd.testing.assert_frame_equal(a[["source", "target", "shared_units"]], b[["source", "target", "shared_units"]])
    np.testing.assert_allclose(a[["newman", "jaccard"]], b[["newman", "jaccard"]], rtol=1e-12)


def test_oversized_unit_is_left_out_and_named():
    rec = pd.concat([HAND, pd.DataFrame({"unit": "MEGA", "org": [f"x{i}" for i in range(20_000)]})])
    for engine in ("pandas", "duckdb"):
        with pytest.warns(UserWarning, match="'MEGA' \\(20,000 organisations\\)"):
            res = engines.project_records(rec, engine=engine, max_unit_size=1000)
        pd.testing.assert_frame_equal(res.ties, EXPECTED, check_dtype=False)
        assert res.skipped.to_dict("records") == [{"unit": "MEGA", "n_orgs": 20_000}]


def test_project_network_reports_skipped_units_and_engines_agree():
    rec = pd.concat([random_records(5_000, 1_000, 800), pd.DataFrame({"unit": "BIG", "org": [f"o{i}" for i in range(900)]})])
    p = make_participations(rec)
    for weighting in ("count", "newman", "jaccard"):
        with pytest.warns(UserWarning, match="'BIG'"):
            a = project(p, weighting=weighting, max_unit_size=100)
        with pytest.warns(UserWarning, match="'BIG'"):
            b = project(p, weighting=weighting, max_unit_size=100, engine="duckdb")
        pd.testing.assert_frame_equal(a.ties, b.ties, check_exact=False, rtol=1e-12)
        assert a.provenance["projection"]["skipped_units"] == [{"unit": "BIG", "n_orgs": 900}]
        assert a.n_nodes == b.n_nodes == p.n_organisations       # members of BIG stay as nodes


def test_default_keeps_the_01_projection():
    p = make_participations(random_records(3_000, 600, 500))
    old = project(p, max_unit_size=None)
    assert project(p).ties.equals(old.ties)


def test_bad_options():
    with pytest.raises(OptionError):
        engines.project_records(HAND, engine="polars")
    with pytest.raises(OptionError):
        engines.project_records(HAND, max_unit_size=1)


def test_auto_engine_chooses_by_file_size(tmp_path, monkeypatch):
    f = tmp_path / "r.csv"
    HAND.to_csv(f, index=False)
    assert engines.choose_engine("auto", f) == "pandas"
    monkeypatch.setattr(engines, "AUTO_DUCKDB_BYTES", 10)
    assert engines.choose_engine("auto", f) == "duckdb"


def cli(*args):
    return subprocess.run([sys.executable, "-m", "netanalysis.cli", *map(str, args)], capture_output=True,
                          text=True)


def test_project_command_csv_and_parquet_identical_across_engines(tmp_path):
    rec = pd.concat([random_records(8_000, 1_500, 1_000),
                     pd.DataFrame({"unit": "MEGA", "org": [f"x{i}" for i in range(20_000)]})])
    src = tmp_path / "records.csv"
    rec.rename(columns={"unit": "rcn", "org": "pic"}).to_csv(src, index=False)
    outs = {}
    for engine in ("pandas", "duckdb"):
        outs[engine] = tmp_path / f"ties_{engine}.csv"
        r = cli("project", "--participations", src, "--unit-column", "rcn", "--org-column", "pic",
                "--engine", engine, "--out", outs[engine])
        assert r.returncode == 0, r.stderr
        assert "'MEGA' (20,000 organisations)" in r.stderr
    assert outs["pandas"].read_bytes() == outs["duckdb"].read_bytes()
    assert outs["pandas"].read_bytes().startswith("\ufeffsource,target,shared_units".encode())
    pq = tmp_path / "ties.parquet"
    assert cli("project", "--participations", src, "--unit-column", "rcn", "--org-column", "pic",
               "--engine", "duckdb", "--out", pq).returncode == 0
    back = pd.read_csv(outs["pandas"], encoding="utf-8-sig", dtype={"source": str, "target": str})
    import duckdb
    fromparquet = duckdb.sql(f"SELECT * FROM read_parquet('{pq}')").df()
    assert len(back) == len(fromparquet) and back["shared_units"].sum() == fromparquet["shared_units"].sum()
    r = cli("project", "--participations", src, "--unit-column", "rcn", "--org-column", "pic", "--out", pq)
    assert r.returncode == 2 and "exists" in r.stderr


def test_parquet_participations_in_analyze_input(tmp_path):
    import duckdb

    f = tmp_path / "records.parquet"
    frame = HAND   # noqa: F841 — scanned by DuckDB
    duckdb.sql(f"COPY (SELECT * FROM frame) TO '{f}' (FORMAT PARQUET)")
    from netanalysis.io.participation import load_participation_network

    net = load_participation_network(f, unit_column="unit", org_column="org", engine="duckdb")
    assert net.n_nodes == 4 and net.n_ties == 3


def test_formula_ids_neutralised_in_duckdb_csv(tmp_path):
    rec = pd.DataFrame({"unit": ["p", "p"], "org": ["=HYPERLINK(1)", "-5"]})
    src = tmp_path / "r.csv"
    rec.to_csv(src, index=False)
    for engine in ("pandas", "duckdb"):
        out = tmp_path / f"{engine}.csv"
        assert cli("project", "--participations", src, "--engine", engine, "--out", out).returncode == 0
    assert (tmp_path / "pandas.csv").read_bytes() == (tmp_path / "duckdb.csv").read_bytes()
    assert "'=HYPERLINK(1)" in (tmp_path / "duckdb.csv").read_text(encoding="utf-8-sig")


def _spark_ready() -> str | None:
    try:
        import pyspark  # noqa: F401
    except ImportError:
        return "pyspark not installed (pip install 'netanalysis[spark]')"
    if shutil.which("java") is None:
        return "no Java runtime (apt-get install default-jre-headless)"
    return None


@pytest.mark.slow
@pytest.mark.skipif(_spark_ready() is not None, reason=str(_spark_ready()))
def test_spark_equals_duckdb_on_a_100k_row_file(tmp_path):
    rec = random_records(100_000, 20_000, 15_000, seed=4)
    rec = pd.concat([rec, pd.DataFrame({"unit": "MEGA", "org": [f"o{i}" for i in range(2_000)]})])
    src = tmp_path / "records.csv"
    rec.to_csv(src, index=False)
    with pytest.warns(UserWarning, match="'MEGA'"):
        d = engines.project_file(src, unit_column="unit", org_column="org", engine="duckdb")
    with pytest.warns(UserWarning, match="'MEGA'"):
        s = engines.project_file(src, unit_column="unit", org_column="org", engine="spark",
                                 spark_master="local[2]")
    pd.testing.assert_frame_equal(d.ties[["source", "target", "shared_units"]],
                                  s.ties[["source", "target", "shared_units"]])
    np.testing.assert_allclose(d.ties[["newman", "jaccard"]], s.ties[["newman", "jaccard"]], rtol=1e-12)
    assert s.skipped.to_dict("records") == d.skipped.to_dict("records") == [{"unit": "MEGA", "n_orgs": 2000}]

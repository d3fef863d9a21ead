"""Projection engines: the organisation × organisation ties of participation records at any size.

The projection of :mod:`netanalysis.io.participation` (two organisations are tied when they share a
unit; weights ``count``, ``newman``, ``jaccard``) is computed by one of three engines:

``pandas``
    In memory, a sparse product of the organisation × unit incidence matrix (scipy). Fastest for
    records that fit comfortably in memory (up to a few million rows).
``duckdb``
    The projection as one SQL query run by DuckDB (embedded, no server), which reads CSV(.gz) and
    Parquet files directly and spills to a temporary folder when the pairs do not fit in its memory
    limit. The default (``auto``) for files larger than :data:`AUTO_DUCKDB_BYTES`.
``spark``
    The same SQL run by Apache Spark (``pyspark``; ``local[*]`` or a cluster given by
    ``spark_master``), for records beyond one machine.

All three return the same ties: ``source`` < ``target`` (ids compared as text, code point by code
point, which is also UTF-8 byte order), ``shared_units`` (= the ``count`` weight, exact),
``newman`` = Σ 1/(n_p − 1) over the shared units and ``jaccard`` = shared / (|U(i)| + |U(j)| −
shared). Counts are identical; ``newman`` and ``jaccard`` agree to floating-point summation order
(relative difference below 1e-12).

Units with more than ``max_unit_size`` organisations (default :data:`DEFAULT_MAX_UNIT_SIZE`) are left
out of the projection (a unit with *n* members makes n(n − 1)/2 pairs: 20,000 members are 2·10⁸
pairs) and reported by name with a warning. Their organisations stay in the network; degrees for
``jaccard`` count the projected units only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError, OptionError

__all__ = ["ENGINES", "DEFAULT_MAX_UNIT_SIZE", "AUTO_DUCKDB_BYTES", "ProjectedTies", "choose_engine",
           "project_records", "project_file", "write_projected", "large_units", "projection_sql",
           "oversized_warning", "read_parquet_frame"]

#: Engines accepted by ``--engine``.
ENGINES = ("auto", "pandas", "duckdb", "spark")
#: Units with more organisations than this are left out of the projection (and reported).
DEFAULT_MAX_UNIT_SIZE = 1000
#: ``auto`` uses DuckDB for participation files larger than this (bytes on disk), pandas below.
AUTO_DUCKDB_BYTES = 200 * 2**20
#: Memory DuckDB may use before spilling to its temporary folder.
DUCKDB_MEMORY_LIMIT = "2GB"
#: Columns of the projected ties, in order.
TIE_COLUMNS = ["source", "target", "shared_units", "newman", "jaccard"]


@dataclass(frozen=True)
class ProjectedTies:
    """Projected ties and what was left out.

    Attributes
    ----------
    ties : pandas.DataFrame
        :data:`TIE_COLUMNS`, sorted by (source, target), ``source < target``; empty when the
        projection was written straight to a file (:func:`project_file` with ``out``).
    skipped : pandas.DataFrame
        Units left out for their size: ``unit``, ``n_orgs`` (largest first).
    engine : str
        The engine that ran.
    n_ties : int
        Number of ties (also when they went straight to a file).
    """

    ties: pd.DataFrame
    skipped: pd.DataFrame
    engine: str
    n_ties: int
    notes: list = field(default_factory=list)


def choose_engine(engine: str, path: str | Path | None = None) -> str:
    """The engine to run: ``auto`` → duckdb for files over :data:`AUTO_DUCKDB_BYTES` (when DuckDB is
    installed), else pandas."""
    if engine not in ENGINES:
        raise OptionError(f"unknown engine '{engine}': use {', '.join(ENGINES)}")
    if engine != "auto":
        return engine
    if path is not None and Path(path).is_file() and Path(path).stat().st_size > AUTO_DUCKDB_BYTES:
        try:
            import duckdb  # noqa: F401
        except ImportError:
            return "pandas"
        return "duckdb"
    return "pandas"


def _check_size(max_unit_size: int | None) -> int | None:
    if max_unit_size is None:
        return None
    if int(max_unit_size) < 2:
        raise OptionError(f"--max-unit-size must be 2 or more, got {max_unit_size}")
    return int(max_unit_size)


def large_units(unit_sizes: pd.DataFrame, max_unit_size: int | None) -> pd.DataFrame:
    """Units (``unit``, ``n_orgs``) with more than ``max_unit_size`` organisations, largest first."""
    if max_unit_size is None:
        return unit_sizes.iloc[0:0][["unit", "n_orgs"]].reset_index(drop=True)
    big = unit_sizes.loc[unit_sizes["n_orgs"] > max_unit_size, ["unit", "n_orgs"]]
    return big.sort_values(["n_orgs", "unit"], ascending=[False, True]).reset_index(drop=True)


def oversized_warning(skipped: pd.DataFrame, max_unit_size: int) -> str:
    """The warning text naming the units left out (the first ten by size)."""
    names = ", ".join(f"'{u}' ({n:,} organisations)" for u, n in
                      zip(skipped["unit"].head(10), skipped["n_orgs"].head(10)))
    more = f" and {len(skipped) - 10} more" if len(skipped) > 10 else ""
    return (f"{len(skipped)} unit(s) with more than {max_unit_size:,} organisations left out of the "
            f"projection (each would tie every pair of its members): {names}{more}; raise "
            f"--max-unit-size to include them")


# --------------------------------------------------------------------------------------- SQL
def projection_sql(source: str, *, unit: str = "unit", org: str = "org", max_unit_size: int | None,
                   dialect: str = "duckdb") -> dict[str, str]:
    """The projection as SQL over a relation ``source`` with columns ``unit`` and ``org``.

    Returns the queries ``sizes`` (unit sizes) and ``ties`` (:data:`TIE_COLUMNS`). The same text
    runs on DuckDB and Spark SQL; organisations are numbered in text order first so that the pair
    join and aggregation run on integers.
    """
    q = '"' if dialect == "duckdb" else "`"
    u, o = f"{q}{unit}{q}", f"{q}{org}{q}"
    limit = "" if max_unit_size is None else f"WHERE s.n <= {int(max_unit_size)}"
    clean = (f"SELECT DISTINCT trim(CAST({u} AS VARCHAR(1000))) AS unit, trim(CAST({o} AS VARCHAR(1000))) AS org "
             f"FROM {source} WHERE {u} IS NOT NULL AND {o} IS NOT NULL")
    if dialect == "spark":
        clean = clean.replace("VARCHAR(1000)", "STRING")
    records = f"SELECT unit, org FROM ({clean}) c WHERE unit <> '' AND org <> ''"
    sizes = f"SELECT unit, count(*) AS n FROM ({records}) r GROUP BY unit"
    ties = f"""
WITH r AS ({records}),
s AS (SELECT unit, count(*) AS n FROM r GROUP BY unit),
k AS (SELECT r.unit AS unit, r.org AS org, s.n AS n FROM r JOIN s ON r.unit = s.unit {limit}),
o AS (SELECT org, row_number() OVER (ORDER BY org) AS code, count(*) AS deg
      FROM k GROUP BY org),
kc AS (SELECT k.unit AS unit, o.code AS code, k.n AS n FROM k JOIN o ON k.org = o.org),
p AS (SELECT a.code AS a, b.code AS b, count(*) AS shared_units,
             sum(CAST(1.0 AS DOUBLE) / CAST(a.n - 1 AS DOUBLE)) AS newman
      FROM kc a JOIN kc b ON a.unit = b.unit AND a.code < b.code GROUP BY a.code, b.code)
SELECT oa.org AS source, ob.org AS target, p.shared_units AS shared_units, p.newman AS newman,
       CAST(p.shared_units AS DOUBLE) / CAST(oa.deg + ob.deg - p.shared_units AS DOUBLE) AS jaccard
FROM p JOIN o oa ON p.a = oa.code JOIN o ob ON p.b = ob.code
"""
    return {"sizes": sizes, "ties": ties}


def _finish(ties: pd.DataFrame) -> pd.DataFrame:
    ties = ties[TIE_COLUMNS].sort_values(["source", "target"], kind="stable").reset_index(drop=True)
    ties["shared_units"] = ties["shared_units"].astype(np.int64)
    ties["newman"] = ties["newman"].astype(float)
    ties["jaccard"] = ties["jaccard"].astype(float)
    ties["source"] = ties["source"].astype(object)
    ties["target"] = ties["target"].astype(object)
    return ties


# ---------------------------------------------------------------------------------- the engines
def _pandas(records: pd.DataFrame, max_unit_size: int | None) -> tuple[pd.DataFrame, pd.DataFrame]:
    import scipy.sparse as sp

    r = records[["unit", "org"]].astype(str)
    r = r.assign(unit=r["unit"].str.strip(), org=r["org"].str.strip())
    r = r[(r["unit"] != "") & (r["org"] != "")].drop_duplicates()
    sizes = r.groupby("unit").size().rename("n_orgs").reset_index()
    skipped = large_units(sizes, max_unit_size)
    if len(skipped):
        r = r[~r["unit"].isin(set(skipped["unit"]))]
    orgs, oc = np.unique(r["org"].to_numpy(str), return_inverse=True)
    units, uc = np.unique(r["unit"].to_numpy(str), return_inverse=True)
    B = sp.csr_matrix((np.ones(len(r)), (oc.ravel(), uc.ravel())), shape=(len(orgs), len(units)))
    n_p = np.asarray(B.sum(axis=0)).ravel()
    d = np.zeros_like(n_p)
    d[n_p >= 2] = 1.0 / (n_p[n_p >= 2] - 1.0)
    shared = sp.triu(B @ B.T, k=1, format="csr")
    W = sp.triu(B @ sp.diags(d) @ B.T, k=1, format="csr")
    shared.sort_indices()
    W.sort_indices()
    if not (np.array_equal(W.indptr, shared.indptr) and np.array_equal(W.indices, shared.indices)):
        raise RuntimeError("internal error: Newman and count projections differ in pattern")
    deg = np.asarray(B.sum(axis=1)).ravel()
    row = np.repeat(np.arange(shared.shape[0]), np.diff(shared.indptr))
    col = shared.indices
    ties = pd.DataFrame({"source": orgs[row].astype(object), "target": orgs[col].astype(object),
                         "shared_units": shared.data.astype(np.int64), "newman": W.data,
                         "jaccard": shared.data / (deg[row] + deg[col] - shared.data)})
    return _finish(ties), skipped


def _duckdb_connect(temp_dir: str | None = None):
    try:
        import duckdb
    except ImportError as ex:   # pragma: no cover - duckdb is a dependency
        raise OptionError("the duckdb engine needs DuckDB: pip install duckdb") from ex
    con = duckdb.connect()
    con.execute(f"SET memory_limit='{DUCKDB_MEMORY_LIMIT}'")
    con.execute(f"SET temp_directory='{temp_dir or tempfile.gettempdir()}'")
    con.execute("SET preserve_insertion_order=false")
    return con


def _file_relation(path: Path, unit: str, org: str) -> str:
    """A DuckDB table expression reading ``path`` (CSV, CSV.gz or Parquet) with every column as text."""
    s = str(path).replace("'", "''")
    name = path.name.lower()
    if name.endswith((".parquet", ".pq")):
        return f"read_parquet('{s}')"
    if name.endswith((".csv", ".csv.gz", ".tsv", ".tsv.gz", ".txt", ".txt.gz")):
        return f"read_csv('{s}', all_varchar=true, header=true)"
    raise InputError("the duckdb and spark engines read CSV(.gz) and Parquet files", file=str(path))


def _duckdb(source, max_unit_size, *, unit="unit", org="org", out: Path | None = None):
    con = _duckdb_connect()
    try:
        if isinstance(source, pd.DataFrame):
            frame = source[[unit, org]].astype(str)   # noqa: F841 — scanned by DuckDB by name
            rel = "frame"
        else:
            rel = _file_relation(Path(source), unit, org)
        sql = projection_sql(rel, unit=unit, org=org, max_unit_size=max_unit_size)
        sizes = con.execute(sql["sizes"]).df().rename(columns={"n": "n_orgs"})
        skipped = large_units(sizes, max_unit_size)
        if out is not None:
            n = _duckdb_copy(con, sql["ties"], out)
            return pd.DataFrame(columns=TIE_COLUMNS), skipped, n
        ties = _finish(con.execute(sql["ties"]).df())
        return ties, skipped, len(ties)
    except Exception as ex:
        if type(ex).__module__.startswith("duckdb") and "IO" in type(ex).__name__:
            raise InputError(str(ex).splitlines()[0], file=None if isinstance(source, pd.DataFrame)
                             else str(source)) from ex
        raise
    finally:
        con.close()


def _neutral_sql(col: str) -> str:
    """SQL twin of :func:`netanalysis.export.neutralise_cell` for an id column."""
    return (f"CASE WHEN regexp_matches({col}, '^[=+\\-@\\t\\r\\n]') AND NOT regexp_matches({col}, "
            f"'^[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?$') THEN '''' || {col} ELSE {col} END")


def _duckdb_copy(con, ties_sql: str, out: Path) -> int:
    """COPY the ties to ``out`` (CSV with BOM or Parquet) through a temporary file, atomically."""
    out.parent.mkdir(parents=True, exist_ok=True)
    parquet = out.suffix.lower() in (".parquet", ".pq")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        if parquet:
            sel = f"SELECT * FROM ({ties_sql}) t ORDER BY source, target"
            con.execute(f"COPY ({sel}) TO '{tmp}' (FORMAT PARQUET)")
        else:
            sel = (f"SELECT {_neutral_sql('source')} AS source, {_neutral_sql('target')} AS target, "
                   f"shared_units, printf('%.10g', newman) AS newman, printf('%.10g', jaccard) AS jaccard "
                   f"FROM ({ties_sql}) t ORDER BY t.source, t.target")
            body = tmp + ".body"
            from ..export import CSV_LINE_END

            nl = CSV_LINE_END.replace("\r", "\\r").replace("\n", "\\n")
            con.execute(f"COPY ({sel}) TO '{body}' (FORMAT CSV, HEADER, NEW_LINE E'{nl}')")
            with open(tmp, "wb") as dst, open(body, "rb") as src:
                dst.write("\ufeff".encode())
                shutil.copyfileobj(src, dst, 1 << 22)
            os.unlink(body)
        n = con.execute(f"SELECT count(*) FROM {'read_parquet' if parquet else 'read_csv'}('{tmp}')"
                        ).fetchone()[0] if parquet else _count_lines(tmp) - 1
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except BaseException:
        for p in (tmp, tmp + ".body"):
            if os.path.exists(p):
                os.unlink(p)
        raise
    return int(n)


def _count_lines(path: str) -> int:
    n = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 22), b""):
            n += chunk.count(b"\n")
    return n


def _spark(source, max_unit_size, *, unit="unit", org="org", master: str | None = None):
    try:
        from pyspark.sql import SparkSession
    except ImportError as ex:
        raise OptionError("the spark engine needs pyspark (and Java): pip install 'netanalysis[spark]'") from ex
    spark = (SparkSession.builder.master(master or "local[*]").appName("netanalysis-projection")
             .config("spark.sql.shuffle.partitions", "8").config("spark.ui.enabled", "false")
             .getOrCreate())
    if isinstance(source, pd.DataFrame):
        df = spark.createDataFrame(source[[unit, org]].astype(str))
    else:
        path = str(source)
        name = path.lower()
        if name.endswith((".parquet", ".pq")):
            df = spark.read.parquet(path)
        elif name.endswith((".csv", ".csv.gz", ".txt", ".txt.gz")):
            df = spark.read.option("header", True).option("inferSchema", False).csv(path)
        else:
            raise InputError("the duckdb and spark engines read CSV(.gz) and Parquet files", file=path)
    df.createOrReplaceTempView("netanalysis_records")
    sql = projection_sql("netanalysis_records", unit=unit, org=org, max_unit_size=max_unit_size,
                         dialect="spark")
    sizes = pd.DataFrame(spark.sql(sql["sizes"]).toPandas()).rename(columns={"n": "n_orgs"})
    ties = _finish(spark.sql(sql["ties"]).toPandas())
    return ties, large_units(sizes, max_unit_size)


def project_records(records: pd.DataFrame, *, engine: str = "pandas", max_unit_size: int | None =
                    DEFAULT_MAX_UNIT_SIZE, unit: str = "unit", org: str = "org",
                    spark_master: str | None = None) -> ProjectedTies:
    """Project in-memory records (columns ``unit`` and ``org``) with ``engine``.

    Raises
    ------
    OptionError
        Unknown engine, ``max_unit_size`` below 2, or the engine's package missing.
    """
    engine = choose_engine(engine)
    mx = _check_size(max_unit_size)
    frame = records[[unit, org]].rename(columns={unit: "unit", org: "org"})
    if engine == "pandas":
        ties, skipped = _pandas(frame, mx)
    elif engine == "duckdb":
        ties, skipped, _ = _duckdb(frame, mx)
    else:
        ties, skipped = _spark(frame, mx, master=spark_master)
    _warn(skipped, mx)
    return ProjectedTies(ties, skipped, engine, len(ties))


def project_file(path: str | Path, *, unit_column: str, org_column: str, engine: str = "auto",
                 max_unit_size: int | None = DEFAULT_MAX_UNIT_SIZE, out: str | Path | None = None,
                 spark_master: str | None = None) -> ProjectedTies:
    """Project a participation file (CSV, CSV.gz, Parquet) without loading it into pandas (DuckDB,
    Spark) or with pandas (small files).

    With ``out`` (``.csv`` or ``.parquet``) and the duckdb engine, the ties go straight from DuckDB
    to the file (sorted by source, target; CSV with BOM and formulas neutralised) and
    :attr:`ProjectedTies.ties` is empty. Other engines write through :func:`write_projected`.
    """
    engine = choose_engine(engine, path)
    if engine != "spark" and not Path(path).is_file():   # Spark may read hdfs://, s3a://, …
        raise InputError("file not found", file=str(path))
    path = Path(path) if engine != "spark" else path
    mx = _check_size(max_unit_size)
    if engine == "duckdb":
        ties, skipped, n = _duckdb(path, mx, unit=unit_column, org=org_column,
                                   out=Path(out) if out is not None else None)
        _warn(skipped, mx)
        return ProjectedTies(ties, skipped, engine, n)
    if engine == "spark":
        ties, skipped = _spark(path, mx, unit=unit_column, org=org_column, master=spark_master)
    else:
        frame = _read_small(Path(path), unit_column, org_column)
        ties, skipped = _pandas(frame, mx)
    _warn(skipped, mx)
    res = ProjectedTies(ties, skipped, engine, len(ties))
    if out is not None:
        write_projected(out, ties)
    return res


def _read_small(path: Path, unit: str, org: str) -> pd.DataFrame:
    if path.name.lower().endswith((".parquet", ".pq")):
        frame = read_parquet_frame(path)
    else:
        from .tables import read_table, resolve_column

        t = read_table(path)
        unit, org = resolve_column(t, unit, option="--unit-column"), resolve_column(t, org, option="--org-column")
        frame = t.frame
    for c in (unit, org):
        if c not in frame.columns:
            raise InputError(f"no column '{c}'", file=str(path))
    return frame[[unit, org]].rename(columns={unit: "unit", org: "org"})


def read_parquet_frame(path: str | Path) -> pd.DataFrame:
    """A Parquet file as a frame of text cells (blank = ``""``), read through DuckDB."""
    con = _duckdb_connect()
    try:
        s = str(path).replace("'", "''")
        df = con.execute(f"SELECT * FROM read_parquet('{s}')").df()
    finally:
        con.close()
    return df.astype(object).where(df.notna(), "").astype(str)


def write_projected(path: str | Path, ties: pd.DataFrame) -> Path:
    """Write projected ties as CSV (through :func:`netanalysis.export.write_csv`) or Parquet."""
    path = Path(path)
    if path.suffix.lower() in (".parquet", ".pq"):
        from ..export import atomic_write_bytes

        con = _duckdb_connect()
        try:
            with tempfile.TemporaryDirectory() as d:
                tmp = Path(d) / "ties.parquet"
                frame = ties[TIE_COLUMNS]   # noqa: F841 — scanned by DuckDB by name
                con.execute(f"COPY (SELECT * FROM frame) TO '{tmp}' (FORMAT PARQUET)")
                return atomic_write_bytes(path, tmp.read_bytes())
        finally:
            con.close()
    from ..export import write_csv

    return write_csv(path, ties[TIE_COLUMNS])


def _warn(skipped: pd.DataFrame, mx: int | None) -> None:
    if len(skipped) and mx is not None:
        warnings.warn(oversized_warning(skipped, mx), stacklevel=3)


# ------------------------------------------------------------- hooks for io.participation
def drop_large_units(B, unit_ids: np.ndarray, max_unit_size: int | None):
    """``(B without the columns of oversized units, skipped [{unit, n_orgs}])`` with a warning naming them."""
    mx = _check_size(max_unit_size)
    if mx is None:
        return B, []
    n_p = np.asarray(B.sum(axis=0)).ravel()
    big = n_p > mx
    if not big.any():
        return B, []
    skipped = large_units(pd.DataFrame({"unit": unit_ids[big], "n_orgs": n_p[big].astype(np.int64)}), mx)
    _warn(skipped, mx)
    return B[:, np.flatnonzero(~big)], skipped.to_dict("records")


def engine_pairs(records: pd.DataFrame, org_ids: np.ndarray, *, engine: str, weighting: str,
                 max_unit_size: int | None, spark_master: str | None = None):
    """``(rows, cols, shared, weight)`` of the projected ties as positions in ``org_ids`` (rows < cols,
    sorted), computed by ``engine``: the arrays :func:`netanalysis.io.participation.project` uses."""
    with warnings.catch_warnings():          # oversized units were already reported by the caller
        warnings.simplefilter("ignore")
        res = project_records(records, engine=engine, max_unit_size=max_unit_size, spark_master=spark_master)
    t = res.ties
    pos = pd.Series(np.arange(len(org_ids)), index=pd.Index(org_ids, dtype=object))
    a = pos.reindex(t["source"].to_numpy()).to_numpy()
    b = pos.reindex(t["target"].to_numpy()).to_numpy()
    rows, cols = np.minimum(a, b), np.maximum(a, b)
    order = np.lexsort((cols, rows))
    weight = (t["shared_units"].to_numpy(float) if weighting == "count" else t[weighting].to_numpy(float))
    return rows[order], cols[order], t["shared_units"].to_numpy(np.int64)[order], weight[order]


def read_participation_table(path: str | Path, *, encoding: str | None = None):
    """:func:`netanalysis.io.tables.read_table`, plus Parquet files (read through DuckDB)."""
    from .tables import Table, read_table, sha256_of

    path = Path(path)
    if not path.name.lower().endswith((".parquet", ".pq")):
        return read_table(path, encoding=encoding)
    if not path.is_file():
        raise InputError("file not found", file=str(path))
    frame = read_parquet_frame(path)
    return Table(frame, path, None, None, sha256_of(path), np.arange(len(frame)) + 2)

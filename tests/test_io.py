"""Reading tables: encodings, delimiters, decimal commas, ids as text, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest

from netanalysis import InputError, load_network, read_table

KAZAKH = "Қазақ ұлттық университеті әғқңөұүһі"


def write(path, text, encoding="utf-8", bom=b""):
    path.write_bytes(bom + text.encode(encoding))
    return path


def test_cp1251_semicolon_decimal_comma(tmp_path):
    nodes = write(tmp_path / "nodes.csv", "id;name;sector\n001;Акимат города Алматы;Гос. орган\n"
                  "002;ТОО «Ромашка»;Бизнес\n003;Университет им. Сатпаева;Наука\n", "cp1251")
    ties = write(tmp_path / "ties.csv", "source;target;weight\n001;002;1,5\n002;003;2\n", "cp1251")
    t = read_table(nodes)
    assert t.encoding == "cp1251" and t.delimiter == ";"
    net = load_network(ties, nodes)
    assert list(net.nodes["id"]) == ["001", "002", "003"]
    assert net.nodes.set_index("id").loc["001", "name"] == "Акимат города Алматы"
    assert net.nodes.set_index("id").loc["002", "name"] == "ТОО «Ромашка»"
    assert dict(zip(net.nodes["id"], net.nodes["sector"])) == {"001": "government", "002": "business",
                                                               "003": "science"}
    assert sorted(net.ties["weight"]) == [1.5, 2.0]


@pytest.mark.parametrize("encoding,bom", [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"),
                                          ("utf-16-le", b"\xff\xfe"), ("utf-16-le", b""),
                                          ("utf-16-be", b"\xfe\xff")])
def test_utf8_utf16_kazakh(tmp_path, encoding, bom):
    sep = "\t" if encoding.startswith("utf-16") else ","
    nodes = write(tmp_path / "n.txt", f"id{sep}name{sep}sector\n007{sep}{KAZAKH}{sep}ғылым\n7{sep}ЖШС «Алма»{sep}ЖШС\n",
                  encoding, bom)
    ties = write(tmp_path / "t.csv", "source,target\n007,7\n")
    net = load_network(ties, nodes)
    by_id = net.nodes.set_index("id")
    assert set(by_id.index) == {"007", "7"}          # "007" stays "007", distinct from "7"
    assert by_id.loc["007", "name"] == KAZAKH
    assert by_id.loc["007", "sector"] == "science" and by_id.loc["7", "sector"] == "business"


def test_xlsx_reads_ids_as_text(tmp_path):
    path = tmp_path / "ties.xlsx"
    pd.DataFrame({"source": ["007", "A"], "target": ["7", "B"], "weight": [1, 2.5]}).to_excel(path, index=False)
    net = load_network(path)
    assert set(net.nodes["id"]) == {"007", "7", "A", "B"}
    assert sorted(net.ties["weight"]) == [1.0, 2.5]


def test_tsv_and_gz(tmp_path):
    import gzip

    (tmp_path / "t.tsv.gz").write_bytes(gzip.compress(b"source\ttarget\na\tb\n"))
    net = load_network(tmp_path / "t.tsv.gz")
    assert net.n_ties == 1


@pytest.mark.parametrize("content,match", [
    ("", "the file is empty"),
    ("source,target\n", "header but no data rows"),
    ("source,target,weight\na,b,x\n", r"row 2, column 'weight': 'x' is not a number"),
    ("source,target,weight\na,b,1\nb,c,-2\n", r"row 3, column 'weight': negative value"),
    ("source,target\na,\n", r"row 2, column 'target': blank id"),
    ("from,to\na,b\n", r"no column 'source' \(set it with --source-column\); available: from, to"),
])
def test_bad_input_one_clear_error(tmp_path, content, match):
    path = write(tmp_path / "ties.csv", content)
    with pytest.raises(InputError, match=match) as info:
        load_network(path)
    assert "\n" not in str(info.value)
    assert str(path) in str(info.value)


def test_missing_file():
    with pytest.raises(InputError, match="nope.csv: file not found"):
        load_network("nope.csv")


def test_closest_column_suggested(tmp_path):
    path = write(tmp_path / "ties.csv", "Source,targt\na,b\n")
    with pytest.raises(InputError, match="did you mean 'targt'"):
        load_network(path)   # 'Source' matches ignoring case; 'target' is closest to 'targt'


def test_every_row_accounted_for(tmp_path):
    nodes = write(tmp_path / "n.csv", "id,name\na,A\nb,B\na,A again\n,\n")
    ties = write(tmp_path / "t.csv", "source,target,weight\na,b,1\nb,a,2\na,a,1\nb,c,0\n\nc,d,1\n")
    net = load_network(ties, nodes)
    for acc in net.provenance["files"]:
        assert acc["read"] == acc["used"] + acc["merged"] + acc["dropped"], acc
        assert acc["balanced"]
    n_acc, t_acc = net.provenance["files"]
    assert (n_acc["read"], n_acc["used"], n_acc["merged"], n_acc["dropped"]) == (4, 2, 1, 1)
    assert (t_acc["read"], t_acc["used"], t_acc["merged"], t_acc["dropped"]) == (6, 2, 1, 3)
    reasons = {d["reason"]: d["rows"] for d in t_acc["drops"]}
    assert reasons["blank row"] == [6]
    assert reasons["self-loop (an organisation tied to itself)"] == [4]
    assert reasons["weight 0 (no tie)"] == [5]
    assert net.provenance["nodes_added_from_ties"]["ids"] == ["c", "d"]

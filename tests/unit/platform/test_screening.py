"""The NUL screening helpers: every string found, by the path a client spells."""

from __future__ import annotations

from nexuscore.platform.http.screening import nul_fields, nul_query_parameters


def test_nul_fields_finds_every_string_by_its_path_and_nothing_else() -> None:
    body = {
        "fullName": "A\x00",
        "tags": ["ok", "b\x00", 3, None],
        "address": {"street": "x\x00y", "unit": "#01-02"},
        "bad\x00key": "fine",
        "count": 1,
    }
    assert nul_fields(body) == ["'bad\\x00key'", "address.street", "fullName", "tags[1]"]
    assert nul_fields("\x00") == ["body"]
    assert nul_fields({"name": "Kopi Tiam", "n": [1.5, True, {"x": "y"}]}) == []


def test_nul_fields_walks_deeper_than_the_python_stack() -> None:
    deep: object = "\x00"
    for _ in range(5_000):
        deep = [deep]
    assert nul_fields(deep) == ["[0]" * 5_000]


def test_nul_query_parameters_names_each_parameter_once() -> None:
    assert nul_query_parameters(b"q=a%00b&status=new&status=%00&sort=name") == ["q", "status"]
    assert nul_query_parameters(b"type=lead.created&q=%2500") == []  # an escaped "%00" is text
    assert nul_query_parameters(b"") == []
    assert nul_query_parameters(b"%00=x") == ["query"]

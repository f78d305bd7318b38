"""Outputs are published atomically: a failure mid-write leaves the previous file intact and no debris."""

from __future__ import annotations

import pytest

from am_analytics import atomic


def test_write_replaces_the_previous_file(tmp_path):
    target = tmp_path / "out" / "table.json"
    atomic.write_json(target, {"b": 1, "a": 2})
    atomic.write_json(target, {"a": 3})
    assert target.read_text(encoding="utf-8") == '{\n  "a": 3\n}\n'
    assert [p.name for p in target.parent.iterdir()] == ["table.json"]


def test_a_failing_writer_keeps_the_previous_good_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "report.pdf"
    atomic.write_bytes(target, b"good")

    def broken_writer(path):
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        atomic.write_with(target, broken_writer)
    assert target.read_bytes() == b"good"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


def test_identical_payloads_give_identical_bytes(tmp_path):
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    atomic.write_json(first, {"z": [1, 2], "a": "é"})
    atomic.write_json(second, {"a": "é", "z": [1, 2]})
    assert first.read_bytes() == second.read_bytes()


def test_outputs_get_the_usual_permissions_not_owner_only(tmp_path):
    import os

    target = atomic.write_text(tmp_path / "out.txt", "x")
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask

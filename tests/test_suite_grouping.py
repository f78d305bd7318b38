"""The suite's own set-up: with `--dist loadgroup` (as `make test` runs it), tests marked with one `xdist_group` run
in one worker, so that a module's expensive fixtures (prepared data, built reports, the scheduled run) are built
once. pytest 9.2 silently broke this (pytest-xdist issue 1386: the tests were spread as if unmarked, every report
built twice); this test fails instead of the suite quietly doubling its time."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.xdist_group("suite_grouping")


def test_marked_tests_are_grouped_when_the_suite_runs_with_loadgroup(request):
    if not getattr(request.config.option, "loadgroup", False):
        pytest.skip("pas lancé avec --dist loadgroup (make test le fait)")
    assert request.node.nodeid.endswith("@suite_grouping"), (
        "pytest-xdist n'applique plus les groupes xdist_group : vérifier les versions de pytest et pytest-xdist "
        "(pytest 9.2 casse --dist loadgroup)"
    )

"""Property labels come from FollowTheMoney's model, never internal names."""

from __future__ import annotations

import pytest

from watchlist.model import Schema
from watchlist.web.labels import property_label


def test_labels_are_ftm_labels() -> None:
    assert property_label("passportNumber", Schema.PERSON) == "Passport number"
    assert property_label("modifiedAt", Schema.PERSON) == "Modified on"
    assert property_label("ukSanctionsListRef", Schema.PERSON) == "Authority-issued identifier"
    assert property_label("unReference", Schema.ORGANIZATION) == "UN SC identifier"
    assert property_label("serialNumber", Schema.AIRCRAFT) == "Serial Number"
    assert property_label("someNewProperty", Schema.VESSEL) == "Some new property"


def test_committed_labels_match_followthemoney() -> None:
    """data/ftm_labels.yaml is what scripts/make_ftm_labels.py makes from the installed FtM."""
    pytest.importorskip("followthemoney")
    import importlib.util
    from importlib import resources
    from pathlib import Path

    import yaml

    script = Path(__file__).resolve().parents[2] / "scripts" / "make_ftm_labels.py"
    spec = importlib.util.spec_from_file_location("make_ftm_labels", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    committed = yaml.safe_load(resources.files("watchlist.data").joinpath("ftm_labels.yaml").read_text("utf-8"))
    assert committed == module.labels()

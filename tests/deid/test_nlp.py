"""The model comes from its installed package; without the extra, a coded error."""

from __future__ import annotations

import sys

import pytest

from edgewise.deid.nlp import MODEL_PACKAGE, Engine, require_extra
from edgewise.errors import DeidMissingError


def test_the_engine_never_downloads(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy.cli

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a model download was attempted")

    monkeypatch.setattr(spacy.cli, "download", refuse)
    engine = Engine()
    [read] = engine.analyse(["Call Sarah on 07700 900123."])
    assert [t.text for t in read.tokens][:2] == ["Call", "Sarah"]
    assert any(s.kind == "phone" for s in read.found)


@pytest.mark.parametrize("module", ["presidio_analyzer", MODEL_PACKAGE, "names"])
def test_a_missing_part_of_the_extra_is_e410(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # `import module` fails
    with pytest.raises(DeidMissingError) as caught:
        require_extra()
    assert caught.value.code == "E410"
    assert module in str(caught.value) and "pip install 'edgewise[deid]'" in str(caught.value)

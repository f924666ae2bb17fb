from __future__ import annotations

import pytest

from models.errors import (
    InvariantError,
    MissingRecordError,
    MissingValueError,
    MunicipalityGoneError,
    UserError,
    required,
)


def test_a_guaranteed_value_passes_even_when_falsy_and_a_missing_one_is_named() -> None:
    assert required(0, "the owner of measure V-01") == 0
    with pytest.raises(MissingValueError, match=r"^the owner of measure V-01 is missing$"):
        required(None, "the owner of measure V-01")


def test_an_invariant_is_no_user_error() -> None:
    # The command line shows a UserError as one line; a broken invariant must keep its trace.
    assert not issubclass(InvariantError, UserError)
    assert issubclass(MissingValueError, InvariantError)
    assert issubclass(MunicipalityGoneError, MissingRecordError)
    assert issubclass(MissingRecordError, LookupError)

import pytest

from motcua.worktime import compile_spec
from motcua.worktime.loader import load_builtin


def builtin(name: str):
    """The built-in calendar straight from its data files: the engine alone, no database layer."""
    return compile_spec(load_builtin(name))


@pytest.fixture(scope="session")
def hue():
    return builtin("hue")

"""Test-wide guarantees: no network, inputs never modified."""
import hashlib
import socket
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures"


class NetworkBlocked(RuntimeError):
    pass


def _blocked(*args, **kwargs):
    raise NetworkBlocked("network access attempted during tests")


@pytest.fixture(autouse=True, scope="session")
def _no_network():
    """The whole session runs with sockets unable to connect or resolve names."""
    mp = pytest.MonkeyPatch()
    mp.setattr(socket.socket, "connect", _blocked)
    mp.setattr(socket.socket, "connect_ex", _blocked)
    mp.setattr(socket, "create_connection", _blocked)
    mp.setattr(socket, "getaddrinfo", _blocked)
    yield
    mp.undo()


@pytest.fixture
def write(tmp_path):
    """write(text_or_bytes, name='import.json') -> path of a new input file."""

    def _write(content, name="import.json"):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return _write


@pytest.fixture
def unchanged(request):
    """unchanged(*paths): assert at teardown that these files are byte-identical."""
    digests = {}

    def _watch(*paths):
        for p in paths:
            digests[Path(p)] = hashlib.sha256(Path(p).read_bytes()).hexdigest()

    yield _watch
    for p, digest in digests.items():
        assert hashlib.sha256(p.read_bytes()).hexdigest() == digest, f"{p} was modified"

"""Every kgfuse error is one line, even when what it names (a file name) holds a line break."""

from __future__ import annotations

from kgfuse.errors import CorpusError, KgfuseError, StoreError


def test_messages_are_one_line() -> None:
    err = CorpusError("/tmp/a\nb.txt: cannot be decoded\r\n")
    assert str(err) == "/tmp/a\\nb.txt: cannot be decoded"
    assert "\n" not in str(StoreError("x\ny")) and isinstance(err, KgfuseError)
    assert KgfuseError("a", 1).args == ("a", 1)  # several arguments are left alone

"""How far a file's recorded stamp (size, modification time) may be trusted: a file changed within
RACY_NS of the moment its stamp was recorded could hide the change inside the clock's resolution,
so such a file is read again (loaders.index)."""

import time

RACY_NS = 2_000_000_000


def dated_back() -> int:
    """A modification time (ns) old enough that a record of the file made now trusts it at once: for
    files that never change once written whole (a stored batch, an object in a mirror)."""
    return time.time_ns() - RACY_NS - 1_000_000_000

"""Inspect one file in a fresh interpreter and print, as JSON, how far the peak resident memory rose.

tracemalloc does not see Pillow's pixel buffers (they are allocated in C), so the re-encoding tests
read the process's peak resident size (VmHWM) before and after instead. A fresh process keeps memory
freed by earlier tests, which the allocator would reuse, from hiding the rise. (getrusage's ru_maxrss
would not do: after fork and exec it still carries the parent's peak.)

Usage: python -m tests.dossiers.measure_upload_memory PATH TYPE...
"""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings_test")
django.setup()

from dossiers.uploads import inspect_upload  # noqa: E402  (needs the settings above)


class StoredUpload:
    def __init__(self, path: str):
        self._stream = open(path, "rb")  # noqa: SIM115  (closed when the process ends)
        self.name = os.path.basename(path)
        self.size = os.path.getsize(path)

    def seek(self, position):
        self._stream.seek(position)

    def read(self, count=-1):
        return self._stream.read(count)


def peak_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))


if __name__ == "__main__":
    upload = StoredUpload(sys.argv[1])
    before = peak_kib()
    checked = inspect_upload(upload, accepted_types=sys.argv[2:])
    print(json.dumps({"peak_rise_bytes": (peak_kib() - before) * 1024, "stored_bytes": checked.size}))

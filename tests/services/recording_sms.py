"""An SMS provider for worker processes under test: each delivery is appended to a file the test reads.

RECORDING_SMS_LOG names the file; a body is written to `<log>.started` when a send begins and to the
log itself only once it completes, after RECORDING_SMS_DELAY seconds (a window to kill the worker in).
"""

import os
import time
import uuid
from pathlib import Path


class RecordingSms:
    def send(self, *, recipient: str, subject: str, body: str) -> str:
        log = Path(os.environ["RECORDING_SMS_LOG"])
        with log.with_suffix(".started").open("a", encoding="utf-8") as started:
            started.write(body.replace("\n", " ") + "\n")
        time.sleep(float(os.environ.get("RECORDING_SMS_DELAY", "0")))
        with log.open("a", encoding="utf-8") as sent:
            sent.write(body.replace("\n", " ") + "\n")
        return f"SMS-{uuid.uuid4().hex[:16].upper()}"


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines() if path.exists() else []

"""Load generators: wrk (Debian's package) when installed, else a small Python one.

A scenario is either a list of GET requests sent round-robin, or the submission flow (create a draft,
attach a PDF, submit) that each connection walks through again and again. Both generators return the
same summary: requests, operations (requests, or whole flows), seconds, errors, p50/p99 latency.
"""

import http.client
import json
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

WRK_DIR = Path(__file__).resolve().parent / "wrk"


@dataclass
class Scenario:
    name: str
    requests: list[tuple[str, str]] = field(default_factory=list)  # (path, token) for GET scenarios
    flow: dict | None = None  # token, create_body, attach_body, boundary, attach_path...
    note: str = ""


@dataclass
class Summary:
    requests: int
    operations: int
    seconds: float
    errors: int
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def run_wrk(scenario: Scenario, *, base_url: str, seconds: float, connections: int, workdir: Path) -> Summary:
    duration = f"{max(round(seconds), 1)}s"
    if scenario.flow is None:
        listing = workdir / f"{re.sub(r'[^a-z0-9]+', '-', scenario.name.lower())}.txt"
        listing.write_text("".join(f"{path}\t{token}\n" for path, token in scenario.requests), encoding="utf-8")
        threads = min(2, connections)
        script, args = WRK_DIR / "requests.lua", [str(listing)]
    else:
        threads = connections  # one connection per thread: the flow's state lives in the thread
        flow = scenario.flow
        script = WRK_DIR / "flow.lua"
        args = [flow["token"], str(flow["create_path"]), str(flow["attach_path"]), flow["boundary"]]
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", duration, "--timeout", "10s"]
    command += ["-s", str(script), base_url, "--", *args]
    finished = subprocess.run(command, capture_output=True, text=True, check=False)
    if finished.returncode:
        raise RuntimeError(f"wrk failed on {scenario.name}: {finished.stderr or finished.stdout}")
    output = finished.stdout
    line = next(line for line in reversed(output.splitlines()) if line.startswith("{"))
    data = json.loads(line)
    return Summary(
        requests=data["requests"],
        operations=data["operations"],
        seconds=data["duration_us"] / 1e6,
        errors=data["errors"] + data["status_errors"] + data["timeouts"] + data.get("failed_flows", 0),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
    )


class _PythonClient(threading.Thread):
    """One connection's loop (gunicorn's sync workers close after each answer, so one request each)."""

    def __init__(self, scenario: Scenario, host: str, port: int, deadline: float, offset: int):
        super().__init__(daemon=True)
        self.scenario, self.host, self.port, self.deadline = scenario, host, port, deadline
        self.index, self.latencies, self.errors, self.operations = offset, [], 0, 0
        self.step, self.dossier_id = 1, None

    def _send(self, method: str, path: str, headers: dict, body: bytes | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            return response.status, content
        finally:
            self.latencies.append(time.perf_counter() - started)
            connection.close()

    def run(self):
        while time.monotonic() < self.deadline:
            try:
                if self.scenario.flow is None:
                    self._get()
                else:
                    self._flow_step()
            except OSError:
                self.errors += 1

    def _get(self):
        path, token = self.scenario.requests[self.index % len(self.scenario.requests)]
        self.index += 1
        headers = {"Authorization": f"Token {token}"} if token else {}
        status, _ = self._send("GET", path, headers)
        if status >= 400:
            self.errors += 1
        self.operations += 1

    def _flow_step(self):
        flow = self.scenario.flow
        headers = {"Authorization": f"Token {flow['token']}"}
        if self.step == 1:
            headers["Content-Type"] = "application/json"
            status, body = self._send("POST", "/api/v1/dossiers/", headers, flow["create_path"].read_bytes())
            if status == 201:
                self.dossier_id, self.step = json.loads(body)["id"], 2
                return
        elif self.step == 2:
            headers["Content-Type"] = f"multipart/form-data; boundary={flow['boundary']}"
            path = f"/api/v1/dossiers/{self.dossier_id}/attachments/"
            status, _ = self._send("POST", path, headers, flow["attach_path"].read_bytes())
            if status == 201:
                self.step = 3
                return
        else:
            status, _ = self._send("POST", f"/api/v1/dossiers/{self.dossier_id}/submit/", headers)
            if status == 200:
                self.operations += 1
                self.step = 1
                return
        self.errors += 1
        self.step = 1


def run_python(scenario: Scenario, *, base_url: str, seconds: float, connections: int, workdir: Path) -> Summary:
    host, port = base_url.removeprefix("http://").rstrip("/").split(":")
    deadline = time.monotonic() + seconds
    clients = [_PythonClient(scenario, host, int(port), deadline, offset=n * 7) for n in range(connections)]
    started = time.monotonic()
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    elapsed = time.monotonic() - started
    latencies = sorted(latency for client in clients for latency in client.latencies)

    def percentile(share):
        return latencies[min(int(len(latencies) * share), len(latencies) - 1)] * 1000 if latencies else 0.0

    operations = sum(client.operations for client in clients)
    return Summary(
        requests=len(latencies),
        operations=operations if scenario.flow else len(latencies),
        seconds=elapsed,
        errors=sum(client.errors for client in clients),
        p50_ms=percentile(0.5),
        p99_ms=percentile(0.99),
    )


def run(scenario: Scenario, **kwargs) -> Summary:
    return (run_wrk if wrk_available() else run_python)(scenario, **kwargs)

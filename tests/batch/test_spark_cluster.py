"""The Spark job on a real standalone cluster: a master and two workers from the Spark distribution
that pyspark ships, the job submitted with spark-submit as the README documents, the index shipped
to the executors by the driver (addFile), and the results equal to the local engine's."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batch_helpers import ROWS, make_engine, write_csv

from watchlist.batch import BatchOptions, screen_records

pytestmark = pytest.mark.spark
ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the Spark master exited"
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """spark://127.0.0.1:PORT with two workers of one core each; yields the master URL and the env."""
    pyspark = pytest.importorskip("pyspark")
    home = Path(pyspark.__file__).parent
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    tmp = tmp_path_factory.mktemp("spark-cluster")
    env = dict(os.environ, SPARK_HOME=str(home), SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable,
               PYSPARK_DRIVER_PYTHON=sys.executable, SPARK_LOG_DIR=str(tmp / "logs"),
               PYTHONPATH=os.pathsep.join(p for p in sys.path if p),
               SPARK_WORKER_OPTS="-Dspark.worker.cleanup.enabled=false")  # keep the executors' folders
    port = _free_port()
    spark_class = str(home / "bin" / "spark-class")
    procs: list[subprocess.Popen[bytes]] = []
    log = (tmp / "cluster.log").open("wb")

    def start(*args: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen([spark_class, *args], env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        procs.append(proc)
        return proc

    try:
        master = start("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
                       "--webui-port", str(_free_port()))
        _wait_for_port(port, master)
        for i in range(2):
            start("org.apache.spark.deploy.worker.Worker", f"spark://127.0.0.1:{port}", "--host", "127.0.0.1",
                  "--cores", "1", "--memory", "1500m", "--webui-port", str(_free_port()),
                  "--work-dir", str(tmp / f"worker-{i}"))
        yield {"master": f"spark://127.0.0.1:{port}", "env": env, "tmp": tmp}
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def readme_submit_command() -> str:
    """The README's spark-submit line for a standalone cluster, as written."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.startswith("spark-submit --master spark://127.0.0.1:7077 ")]
    assert len(lines) == 1, "the README documents one spark-submit command for a standalone cluster"
    return lines[0]


def test_spark_submit_on_a_standalone_cluster_equals_the_local_engine(cluster: dict[str, Any], tmp_path: Path) -> None:
    engine = make_engine()
    engine.save_index(tmp_path / "names.idx")  # what the README's first line does with the store's lists
    rows = [dict(r, id=f"{r['id']}-{i}") for i in range(4) for r in ROWS]
    write_csv(tmp_path / "customers.csv", rows)
    command = readme_submit_command().replace("spark://127.0.0.1:7077", cluster["master"])
    env = dict(cluster["env"], PATH=os.pathsep.join(
        [str(Path(sys.executable).parent), str(Path(cluster["env"]["SPARK_HOME"]) / "bin"), os.environ["PATH"]]))
    with (tmp_path / "submit.log").open("wb") as log:  # a busy machine may take minutes, the CI one seconds
        done = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT,
                              timeout=480, check=False)
    assert done.returncode == 0, (tmp_path / "submit.log").read_text()[-3000:]
    out = tmp_path / "results"

    lines = [json.loads(line) for part in sorted(out.glob("part-*.json")) for line in part.read_text().splitlines()]
    results = [{k: v for k, v in line.items() if k != "_row"} for line in sorted(lines, key=lambda x: x["_row"])]
    local = screen_records(make_engine(), rows, BatchOptions(cache_size=0))
    assert results == local
    assert sum(bool(r["matches"]) for r in results) >= len(ROWS)  # the rows screened, not only echoed
    # The tasks ran in executors started by the two workers, which fetched the index from the driver.
    executors = [d for i in range(2) for d in (cluster["tmp"] / f"worker-{i}").glob("app-*/*") if d.is_dir()]
    assert len(executors) == 2
    assert all(list(d.glob("names.idx")) for d in executors)

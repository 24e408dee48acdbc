"""Load figures of `dlpath serve`: throughput and latency, batching, backends, bad input.

    python benchmarks/serving.py [--seconds 3] [--recipes mnist-cnn imdb-lstm]
                                 [--concurrency 1 8 64] [--backends dlpath onnxruntime]
    python benchmarks/serving.py --costs     (one request's parse and prediction, timed)

For each trained recipe (benchmarks/trained_runs.py), backend and batching setting
(on: --max-batch-size 32 --max-latency-ms 5; off: --max-batch-size 1) a server runs on
127.0.0.1 and a bounded asyncio + aiohttp load generator keeps ``concurrency`` requests of
one test input in flight for ``--seconds``; it prints requests/s and p50/p99 latency.
Then 10,000 malformed requests (the server must live; its RSS before and after) and an
overload run with a queue of 4 (503s, then recovery). Everything stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import aiohttp
import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "serve"))
from serving_support import Server  # noqa: E402
from trained_runs import trained_run  # noqa: E402

MALFORMED = [b"{", b'{"instances": []}', b'{"instances": [NaN]}', b'{"instances": [[1]]}',
             b"[" * 5000, b'{"inputs": "x"}', b"\xff" * 64, b'{"instances": [["a"]]}']


def instance(recipe: str) -> list:
    if recipe.startswith("imdb"):
        return (np.arange(500) % 900 + 4).tolist()
    return np.random.default_rng(0).random((28, 28, 1)).round(4).tolist()


async def load(url: str, name: str, body: dict, concurrency: int, seconds: float) -> dict:
    """``concurrency`` clients posting ``body`` back to back for ``seconds``.

    aiohttp, not httpx, drives the load: on this 2-core machine httpx's client answered
    /livez 72 times a second at concurrency 64 (aiohttp: 1,695), so with httpx the client,
    not the server, was measured."""
    latencies, codes, stop = [], {}, time.perf_counter() + seconds
    payload = json.dumps(body).encode()
    headers = {"Content-Type": "application/json"}

    async def worker(session):
        while time.perf_counter() < stop:
            start = time.perf_counter()
            async with session.post(f"/v1/models/{name}:predict", data=payload,
                                    headers=headers) as response:
                await response.read()
            latencies.append(time.perf_counter() - start)
            codes[response.status] = codes.get(response.status, 0) + 1

    connector = aiohttp.TCPConnector(limit=concurrency)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(base_url=url, connector=connector,
                                     timeout=timeout) as session:
        began = time.perf_counter()
        await asyncio.gather(*[worker(session) for _ in range(concurrency)])
        elapsed = time.perf_counter() - began
    ms = np.array(latencies) * 1000
    return {"rps": len(ms) / elapsed, "p50": np.percentile(ms, 50),
            "p99": np.percentile(ms, 99), "codes": codes}


def rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return -1


def throughput_table(args) -> None:
    print(f"{'recipe':<10} {'backend':<12} {'batching':<8} {'conc':>4} {'req/s':>8} "
          f"{'p50 ms':>8} {'p99 ms':>8}  codes")
    for recipe in args.recipes:
        run = trained_run(recipe)
        body = {"instances": [instance(recipe)]}
        for backend in args.backends:
            for batching, options in (("on", ["--max-batch-size", 32, "--max-latency-ms", 5]),
                                      ("off", ["--max-batch-size", 1])):
                server = Server(run / "model.keras", "--name", recipe, "--backend", backend,
                                *options).wait_ready()
                try:
                    for concurrency in args.concurrency:
                        row = asyncio.run(load(server.url, recipe, body, concurrency,
                                               args.seconds))
                        print(f"{recipe:<10} {backend:<12} {batching:<8} {concurrency:>4} "
                              f"{row['rps']:>8.1f} {row['p50']:>8.1f} {row['p99']:>8.1f}  "
                              f"{row['codes']}", flush=True)
                finally:
                    server.stop()


async def malformed(url: str, count: int) -> dict:
    codes = {}
    async with httpx.AsyncClient(base_url=url, timeout=30,
                                 limits=httpx.Limits(max_connections=16)) as session:
        for start in range(0, count, 16):
            answers = await asyncio.gather(*[
                session.post("/v1/models/mnist-cnn:predict",
                             content=MALFORMED[(start + i) % len(MALFORMED)])
                for i in range(16)])
            for answer in answers:
                codes[answer.status_code] = codes.get(answer.status_code, 0) + 1
    return codes


def robustness(args) -> None:
    run = trained_run("mnist-cnn")
    server = Server(run / "model.keras", "--name", "mnist-cnn").wait_ready()
    try:
        before = rss_kb(server.process.pid)
        codes = asyncio.run(malformed(server.url, 10000))
        after = rss_kb(server.process.pid)
        alive = httpx.get(server.url + "/livez").status_code == 200
        print(f"10,000 malformed requests: {codes}; server alive: {alive}; RSS "
              f"{before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after")
    finally:
        server.stop()
    server = Server(run / "model.keras", "--name", "mnist-cnn", "--max-queue", 4,
                    "--max-batch-size", 1).wait_ready()
    try:
        burst = asyncio.run(load(server.url, "mnist-cnn", {"instances": [instance("m")] * 8},
                                 128, 2.0))
        calm = asyncio.run(load(server.url, "mnist-cnn", {"instances": [instance("m")]}, 1,
                                1.0))
        print(f"overload (queue 4, concurrency 128): {burst['codes']}; then at "
              f"concurrency 1: {calm['codes']}")
    finally:
        server.stop()


def request_costs(recipe: str = "mnist-cnn") -> None:
    """Where one request's server time goes, timed in this process (medians of 7): the
    parse and checks of its JSON body, the prediction at batch 1, and per row at 32 and 64.
    Batching can only shrink the prediction."""
    import timeit

    from dlpath.serve.predictor import DlpathPredictor
    from dlpath.serve.schemas import parse_predict
    from dlpath.saving import load_model

    predictor = DlpathPredictor(load_model(trained_run(recipe) / "model.keras"))
    predictor.warm_up()
    body = json.dumps({"instances": [instance(recipe)]}).encode()
    (one,) = parse_predict(body, predictor.inputs).inputs

    def median_us(work, number: int, rows: int = 1) -> float:
        times = sorted(timeit.repeat(work, number=number, repeat=7))
        return times[3] / number / rows * 1e6

    print(f"{recipe}, dlpath backend, per request (µs, median of 7):")
    parse = median_us(lambda: parse_predict(body, predictor.inputs), 500)
    print(f"  JSON parse, checks and array: {parse:8.0f}")
    single = median_us(lambda: predictor.predict((one,)), 200)
    print(f"  prediction at batch 1:        {single:8.0f}")
    for rows in (32, 64):
        batch = (np.repeat(one, rows, axis=0),)
        print(f"  prediction per row at {rows}:    "
              f"{median_us(lambda: predictor.predict(batch), 20, rows):8.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--recipes", nargs="+", default=["mnist-cnn", "imdb-lstm"])
    parser.add_argument("--concurrency", nargs="+", type=int, default=[1, 8, 64])
    parser.add_argument("--backends", nargs="+", default=["dlpath", "onnxruntime"])
    parser.add_argument("--skip-robustness", action="store_true")
    parser.add_argument("--costs", action="store_true",
                        help="only time one request's parse and prediction, in process")
    args = parser.parse_args()
    if args.costs:
        request_costs()
        return
    throughput_table(args)
    if not args.skip_robustness:
        robustness(args)


if __name__ == "__main__":
    main()

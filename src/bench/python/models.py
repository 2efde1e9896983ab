"""The Python side of `workbook bench models`.

Runs the same kinds of job as the Rust side (waits that overlap, a CPU-bound
integer kernel, the cost of starting one unit) with Python's threads,
processes and asyncio, and prints the figures as one JSON object.

The same measuring policy as the Rust side (src/trace/src/measuring.rs): the CPU job
is sized to `cpu_seconds` on one core, every job runs `runs` times with the
variants taking turns, and each row is the median with its spread (min to
max of the run-by-run speedups over the sequential job's fastest run),
never one best run.

Usage: python3 models.py '{"io_waits": 64, "io_ms": 10, "cpu_seconds": 0.5,
                           "workers": 2, "runs": 5, "startup_samples": 20}'
"""

import asyncio
import json
import multiprocessing
import os
import sys
import threading
import time

MASK = (1 << 64) - 1


def kernel(start, end):
    """The integer kernel the Rust side runs: a 64-bit mix, summed."""
    acc = 0
    for i in range(start, end):
        x = (i * 0x9E3779B97F4A7C15) & MASK
        x ^= x >> 31
        x = (x * 0xBF58476D1CE4E5B9) & MASK
        x ^= x >> 27
        acc = (acc + x) & MASK
    return acc


def kernel_args(args):
    return kernel(*args)


def chunks(items, parts):
    step = items // parts
    return [(k * step, items if k == parts - 1 else (k + 1) * step) for k in range(parts)]


def wait(ms):
    time.sleep(ms / 1000)


def timed(run):
    """(seconds, result) of one call of `run`."""
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2


def alternate(runs, variants):
    """Runs each of `variants` (callables) `runs` times, taking turns, so a
    burst of load hits all of them alike. Returns per variant its seconds in
    run order and its results."""
    seconds = [[] for _ in variants]
    results = [[] for _ in variants]
    for _ in range(runs):
        for i, run in enumerate(variants):
            took, result = timed(run)
            seconds[i].append(took)
            results[i].append(result)
    return seconds, results


def with_threads(jobs):
    results = [None] * len(jobs)

    def run(i, job):
        results[i] = job()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def with_processes(target, args_list):
    """One process per job; results come back over a queue."""
    queue = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=_child, args=(queue, i, target, a))
             for i, a in enumerate(args_list)]
    for p in procs:
        p.start()
    results = dict(queue.get(timeout=60) for _ in procs)
    for p in procs:
        p.join(timeout=60)
    return [results[i] for i in range(len(args_list))]


def _child(queue, i, target, args):
    queue.put((i, target(*args)))


def row(model, times, sequential):
    """A row as the Rust side writes it (measuring::Summary::of_speedups):
    the median run, and the median and range of the speedups, each run
    against the sequential job's fastest run (load only ever slows a run)."""
    best = min(sequential)
    speedups = [best / t for t in times]
    return {
        "model": model,
        "seconds": median(times),
        "speedup": median(speedups),
        "speedup_range": [min(speedups), max(speedups)],
        "runs": len(speedups),
    }


def io_bound(cfg, ctx):
    waits, ms, workers, runs = cfg["io_waits"], cfg["io_ms"], cfg["workers"], cfg["runs"]

    async def gathered():
        await asyncio.gather(*(asyncio.sleep(ms / 1000) for _ in range(waits)))

    with ctx.Pool(workers) as pool:
        times, _ = alternate(runs, [
            lambda: [wait(ms) for _ in range(waits)],
            lambda: with_threads([lambda: wait(ms)] * waits),
            lambda: pool.map(wait, [ms] * waits),
            lambda: with_processes(wait, [(ms,)] * waits),
            lambda: asyncio.run(gathered()),
        ])
    seq = times[0]
    return {
        "sequential": row("a plain loop", seq, seq),
        "threads": row("a Thread per wait", times[1], seq),
        "rayon": row(f"mp.Pool({workers}).map", times[2], seq),
        "processes": row("mp.Process per wait", times[3], seq),
        "tokio": row("asyncio.gather of tasks", times[4], seq),
    }


def calibrate(seconds):
    """How many items the kernel does in about `seconds` on one core: the
    fastest of three probes of a tenth of that (load only slows a probe)."""
    probe = 20_000
    per_item = min(timed(lambda: kernel(0, probe))[0] for _ in range(3)) / probe
    probe = max(probe, int(seconds / 10 / per_item))
    per_item = min(timed(lambda: kernel(0, probe))[0] for _ in range(3)) / probe
    return max(probe, int(seconds / per_item) // 1024 * 1024)


def cpu_bound(cfg, ctx):
    items, workers, runs = calibrate(cfg["cpu_seconds"]), cfg["workers"], cfg["runs"]
    parts = chunks(items, workers)

    def threads():
        return sum(with_threads([lambda a=a: kernel(*a) for a in parts])) & MASK

    async def tasks():
        async def one(a):
            return kernel(*a)

        return sum(await asyncio.gather(*(one(a) for a in parts))) & MASK

    with ctx.Pool(workers) as pool:
        times, results = alternate(runs, [
            lambda: kernel(0, items),
            threads,
            lambda: sum(pool.map(kernel_args, chunks(items, workers * 8))) & MASK,
            lambda: sum(with_processes(kernel, parts)) & MASK,
            lambda: asyncio.run(tasks()),
        ])
    total = results[0][0]
    assert all(r == total for rs in results for r in rs), "every model must compute the same sum"
    seq = times[0]
    return {
        "items": items,
        "checksum": total,
        "sequential": row("a plain loop", seq, seq),
        "threads": row(f"{workers} threads (one GIL)", times[1], seq),
        "rayon": row(f"mp.Pool({workers}).map", times[2], seq),
        "processes": row(f"{workers} mp.Process", times[3], seq),
        "tokio": row(f"{workers} asyncio tasks", times[4], seq),
    }


def startup(cfg, ctx):
    samples, runs = cfg["startup_samples"], cfg["runs"]

    def cost(model, n, run):
        """Microseconds per unit: `runs` batches of `n`, the median batch and
        the cheapest and dearest, as the Rust side reports start-up."""
        per_batch = [timed(lambda: [run() for _ in range(n)])[0] / n * 1e6 for _ in range(runs)]
        return {
            "model": model,
            "micros": median(per_batch),
            "micros_range": [min(per_batch), max(per_batch)],
            "samples": n * runs,
        }

    def thread():
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()

    def process():
        p = ctx.Process(target=_nothing)
        p.start()
        p.join()

    def tasks(n):
        async def all_of_them():
            for _ in range(n):
                await asyncio.create_task(_nothing_async())

        return lambda: asyncio.run(all_of_them())

    task_n = samples * 100
    with ctx.Pool(cfg["workers"]) as pool:
        pool_job = cost("mp.Pool.apply", samples * 4, lambda: pool.apply(_nothing))
    task = cost("create_task + await", 1, tasks(task_n))
    for key in ("micros", "micros_range"):
        task[key] = [v / task_n for v in task[key]] if key == "micros_range" else task[key] / task_n
    task["samples"] = task_n * runs
    return {
        "thread": cost("Thread start+join", samples * 2, thread),
        "rayon_job": pool_job,
        "process": cost("mp.Process start+join", max(1, samples // runs), process),
        "tokio_task": task,
    }


def _nothing():
    return None


async def _nothing_async():
    return None


def main():
    cfg = json.loads(sys.argv[1])
    # Fork is what Python users on Linux get by default up to 3.13; name it so
    # the figures say what they measured.
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    ctx = multiprocessing.get_context(method)
    multiprocessing.set_start_method(method, force=True)
    figures = {
        "version": sys.version.split()[0],
        "start_method": method,
        "io_bound": io_bound(cfg, ctx),
        "cpu_bound": cpu_bound(cfg, ctx),
        "startup": startup(cfg, ctx),
    }
    json.dump(figures, sys.stdout)
    print()


if __name__ == "__main__":
    main()

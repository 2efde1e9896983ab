"""The Python side of `workbook bench models`.

Runs the same kinds of job as the Rust side (waits that overlap, a CPU-bound
integer kernel, the cost of starting one unit) with Python's threads,
processes and asyncio, and prints the figures as one JSON object.

Usage: python3 models.py '{"io_waits": 64, "io_ms": 10, "cpu_seconds": 0.5,
                           "workers": 2, "reps": 2, "startup_samples": 20}'
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


def best(reps, run):
    """Runs `run` `reps` times; returns (fastest seconds, its result)."""
    fastest = None
    for _ in range(reps):
        started = time.perf_counter()
        result = run()
        took = time.perf_counter() - started
        if fastest is None or took < fastest[0]:
            fastest = (took, result)
    return fastest


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


def row(model, seconds, sequential):
    return {"model": model, "seconds": seconds, "speedup": sequential / seconds}


def io_bound(cfg, ctx):
    waits, ms, workers = cfg["io_waits"], cfg["io_ms"], cfg["workers"]
    seq, _ = best(1, lambda: [wait(ms) for _ in range(waits)])

    async def gathered():
        await asyncio.gather(*(asyncio.sleep(ms / 1000) for _ in range(waits)))

    t_threads, _ = best(1, lambda: with_threads([lambda: wait(ms)] * waits))
    with ctx.Pool(workers) as pool:
        t_pool, _ = best(1, lambda: pool.map(wait, [ms] * waits))
    t_procs, _ = best(1, lambda: with_processes(wait, [(ms,)] * waits))
    t_async, _ = best(1, lambda: asyncio.run(gathered()))
    return {
        "sequential": row("a plain loop", seq, seq),
        "threads": row("a Thread per wait", t_threads, seq),
        "rayon": row(f"mp.Pool({workers}).map", t_pool, seq),
        "processes": row("mp.Process per wait", t_procs, seq),
        "tokio": row("asyncio.gather of tasks", t_async, seq),
    }


def calibrate(seconds):
    """How many items the kernel does in about `seconds` on one core."""
    probe = 20_000
    started = time.perf_counter()
    kernel(0, probe)
    per_item = (time.perf_counter() - started) / probe
    return max(probe, int(seconds / per_item) // 1024 * 1024)


def cpu_bound(cfg, ctx):
    items, workers, reps = calibrate(cfg["cpu_seconds"]), cfg["workers"], cfg["reps"]
    parts = chunks(items, workers)
    seq, total = best(reps, lambda: kernel(0, items))

    def threads():
        return sum(with_threads([lambda a=a: kernel(*a) for a in parts])) & MASK

    async def tasks():
        async def one(a):
            return kernel(*a)

        return sum(await asyncio.gather(*(one(a) for a in parts))) & MASK

    # The baseline is run again between models, so that it too gets the
    # machine's quietest moments: every figure is a best of several runs.
    t_threads, r_threads = best(reps, threads)
    seq = min(seq, best(1, lambda: kernel(0, items))[0])
    with ctx.Pool(workers) as pool:
        t_pool, r_pool = best(reps, lambda: sum(pool.map(kernel_args, chunks(items, workers * 8))) & MASK)
    seq = min(seq, best(1, lambda: kernel(0, items))[0])
    t_procs, r_procs = best(reps, lambda: sum(with_processes(kernel, parts)) & MASK)
    seq = min(seq, best(1, lambda: kernel(0, items))[0])
    t_async, r_async = best(reps, lambda: asyncio.run(tasks()))
    assert total == r_threads == r_pool == r_procs == r_async, "every model must compute the same sum"
    return {
        "items": items,
        "checksum": total,
        "sequential": row("a plain loop", seq, seq),
        "threads": row(f"{workers} threads (one GIL)", t_threads, seq),
        "rayon": row(f"mp.Pool({workers}).map", t_pool, seq),
        "processes": row(f"{workers} mp.Process", t_procs, seq),
        "tokio": row(f"{workers} asyncio tasks", t_async, seq),
    }


def startup(cfg, ctx):
    samples = cfg["startup_samples"]

    def per_unit(n, run):
        started = time.perf_counter()
        for _ in range(n):
            run()
        return (time.perf_counter() - started) / n * 1e6

    def thread():
        t = threading.Thread(target=lambda: None)
        t.start()
        t.join()

    def process():
        p = ctx.Process(target=_nothing)
        p.start()
        p.join()

    async def tasks(n):
        for _ in range(n):
            await asyncio.create_task(_nothing_async())

    with ctx.Pool(cfg["workers"]) as pool:
        pool_job = per_unit(samples * 20, lambda: pool.apply(_nothing))
    task_n = samples * 500
    started = time.perf_counter()
    asyncio.run(tasks(task_n))
    task = (time.perf_counter() - started) / task_n * 1e6
    return {
        "thread": {"model": "Thread start+join", "micros": per_unit(samples * 10, thread)},
        "rayon_job": {"model": "mp.Pool.apply", "micros": pool_job},
        "process": {"model": "mp.Process start+join", "micros": per_unit(samples, process)},
        "tokio_task": {"model": "create_task + await", "micros": task},
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

#!/usr/bin/env python3
"""Python twins of lesson 01's demos, standard library only.

Run by `workbook compare 01 cpu_bound` (which passes `--demo NAME`), or by
hand: `python3 lessons/python/01_threading_basics.py --demo cpu_bound`.
The workbook's kernel sampler draws these threads without any recorder.
"""
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

WORKERS = 4
NUMBERS_EACH = 20_000


def collatz_steps(first, count):
    """Total Collatz steps for `count` numbers from `first`: pure CPU work."""
    total = 0
    for n in range(first, first + count):
        while n != 1:
            n = n // 2 if n % 2 == 0 else 3 * n + 1
            total += 1
    return total


def cpu_bound():
    """Four threads of CPU work: the GIL lets one run Python at a time."""
    results = [0] * WORKERS

    def work(i):
        results[i] = collatz_steps(1 + i * NUMBERS_EACH, NUMBERS_EACH)

    started = time.perf_counter()
    threads = [threading.Thread(target=work, args=(i,), name=f"cpu-{i}") for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{WORKERS} threads: {time.perf_counter() - started:.2f} s, {sum(results)} steps")


def cpu_bound_processes():
    """The same work on processes: each has its own interpreter and GIL."""
    started = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        firsts = [1 + i * NUMBERS_EACH for i in range(WORKERS)]
        total = sum(pool.map(collatz_steps, firsts, [NUMBERS_EACH] * WORKERS))
    print(f"{WORKERS} processes: {time.perf_counter() - started:.2f} s, {total} steps")


def shared_counter():
    """Four threads add 1 to one counter under one Lock, 250,000 times each."""
    lock = threading.Lock()
    counter = [0]

    def add():
        for _ in range(250_000):
            with lock:
                counter[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=add, name=f"adder-{i}") for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"Lock-guarded counter = {counter[0]} in {time.perf_counter() - started:.2f} s")


def io_bound():
    """Threads that wait (a sleep stands in for I/O) overlap their waits."""
    started = time.perf_counter()
    threads = [threading.Thread(target=time.sleep, args=(0.3,), name=f"io-{i}") for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{WORKERS} waits of 0.3 s on threads took {time.perf_counter() - started:.2f} s")


DEMOS = {
    "cpu_bound": cpu_bound,
    "cpu_bound_processes": cpu_bound_processes,
    "shared_counter": shared_counter,
    "io_bound": io_bound,
}

if __name__ == "__main__":
    args = sys.argv[1:]
    names = [args[args.index("--demo") + 1]] if "--demo" in args else list(DEMOS)
    for name in names:
        if name not in DEMOS:
            sys.exit(f"no demo {name!r}; demos: {', '.join(DEMOS)}")
        print(f"── {name} (Python) ──")
        DEMOS[name]()

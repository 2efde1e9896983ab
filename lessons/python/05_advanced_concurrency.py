#!/usr/bin/env python3
"""Python twin of lesson 05's producer_consumer demo: a bounded queue.Queue
between one producer and three consumers, first with room for 4 items, then
for 100. Standard library only.

Run by `workbook compare 05 producer_consumer` (which passes `--demo NAME`),
or by hand: `python3 lessons/python/05_advanced_concurrency.py`.
"""
import queue
import sys
import threading
import time

ITEMS = 24
CONSUMERS = 3


def producer_consumer():
    """The producer makes an item every 2 ms, each consumer takes 20 ms one.
    A full queue makes `put` wait: the producer slows to the consumers' pace."""
    for capacity in (4, 100):
        jobs = queue.Queue(maxsize=capacity)
        handled = [0] * CONSUMERS
        blocked = [0.0]

        def produce():
            for item in range(ITEMS):
                time.sleep(0.002)
                asked = time.perf_counter()
                jobs.put(item)
                blocked[0] += time.perf_counter() - asked
            for _ in range(CONSUMERS):
                jobs.put(None)  # one "no more" for each consumer

        def consume(c):
            while jobs.get() is not None:
                time.sleep(0.020)
                handled[c] += 1

        started = time.perf_counter()
        threads = [threading.Thread(target=produce, name="producer")]
        threads += [
            threading.Thread(target=consume, args=(c,), name=f"consumer-{c}")
            for c in range(CONSUMERS)
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        print(
            f"queue of {capacity:>3}: {ITEMS} items in {(time.perf_counter() - started) * 1000:.0f} ms; "
            f"producer blocked {blocked[0] * 1000:.0f} ms in put; consumers handled {handled}"
        )


DEMOS = {"producer_consumer": producer_consumer}

if __name__ == "__main__":
    args = sys.argv[1:]
    names = [args[args.index("--demo") + 1]] if "--demo" in args else list(DEMOS)
    for name in names:
        if name not in DEMOS:
            sys.exit(f"no demo {name!r}; demos: {', '.join(DEMOS)}")
        print(f"── {name} (Python) ──")
        DEMOS[name]()

#!/usr/bin/env python3
"""Python twins of lesson 04's demos: lock contention and a producer/consumer
queue. Standard library only."""
import queue
import sys
import threading
import time

WORKERS = 4


def mutex_contention():
    """Four threads add to one counter under one lock, 200,000 times each."""
    lock = threading.Lock()
    counter = [0]

    def add():
        for _ in range(200_000):
            with lock:
                counter[0] += 1

    started = time.perf_counter()
    threads = [threading.Thread(target=add, name=f"adder-{i}") for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"counter = {counter[0]} in {time.perf_counter() - started:.2f} s")


def producer_consumer():
    """A bounded queue: the producer waits when it is full, consumers when empty."""
    jobs = queue.Queue(maxsize=8)
    done = []

    def produce():
        for i in range(100):
            jobs.put(i)
        for _ in range(2):
            jobs.put(None)

    def consume():
        while (job := jobs.get()) is not None:
            time.sleep(0.005)
            done.append(job)

    threads = [threading.Thread(target=produce, name="producer")]
    threads += [threading.Thread(target=consume, name=f"consumer-{i}") for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"{len(done)} jobs consumed through a queue of 8")


DEMOS = {"mutex_contention": mutex_contention, "producer_consumer": producer_consumer}

if __name__ == "__main__":
    args = sys.argv[1:]
    names = [args[args.index("--demo") + 1]] if "--demo" in args else list(DEMOS)
    for name in names:
        if name not in DEMOS:
            sys.exit(f"no demo {name!r}; demos: {', '.join(DEMOS)}")
        DEMOS[name]()

#!/usr/bin/env python3
"""Python twin of lesson 03's semaphore demo: asyncio.gather with at most
three coroutines inside a section at once. Standard library only."""
import asyncio
import sys
import time

LIMIT = 3


async def fetch(i, gate, inside, peak):
    async with gate:
        inside[0] += 1
        peak[0] = max(peak[0], inside[0])
        await asyncio.sleep(0.1)  # stands in for a network call
        inside[0] -= 1
    return i


async def semaphore():
    gate = asyncio.Semaphore(LIMIT)
    inside, peak = [0], [0]
    started = time.perf_counter()
    done = await asyncio.gather(*(fetch(i, gate, inside, peak) for i in range(12)))
    print(f"{len(done)} fetches, at most {peak[0]} at once, {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    if "--demo" in sys.argv and sys.argv[sys.argv.index("--demo") + 1] != "semaphore":
        sys.exit("demos: semaphore")
    asyncio.run(semaphore())

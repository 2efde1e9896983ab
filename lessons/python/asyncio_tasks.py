"""N concurrent asyncio tasks, each sleeping 1 s: wall time and peak memory.

Lesson 03 (many_tasks) runs this beside the same job in tokio and prints
both figures. Usage: python3 asyncio_tasks.py [N]   (default 100000)
Prints one line: wall_s=<seconds> peak_mib=<MiB>
"""

import asyncio
import resource
import sys
import time


async def sleeper():
    await asyncio.sleep(1)


async def main(n):
    tasks = [asyncio.create_task(sleeper()) for _ in range(n)]
    await asyncio.gather(*tasks)


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    started = time.perf_counter()
    asyncio.run(main(n))
    wall = time.perf_counter() - started
    # ru_maxrss is in KiB on Linux (bytes on macOS): peak resident memory,
    # the whole interpreter included.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mib = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    print(f"wall_s={wall:.3f} peak_mib={peak_mib:.1f}")

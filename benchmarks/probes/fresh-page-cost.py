#!/usr/bin/env python3
"""What a fresh page-cache page costs, and whether reusing freed ones is cheaper.

Caches a 3 GiB sparse file in FOLDER 64 KiB at a time (posix_fadvise WILLNEED, as the journal's page
warmer does) and prints the CPU time per 4 KiB page (getrusage) for each 256 MiB. With BEHIND_MIB > 0
it drops what lies more than that far behind (POSIX_FADV_DONTNEED, 64 MiB at a time), so the pages it
frees are used again. On a VM that hands free memory back to its host, fresh pages past what the
guest keeps backed cost many times more than reused ones.
Usage: fresh-page-cost.py FOLDER BEHIND_MIB   (0: drop nothing; FOLDER on a disk, not tmpfs)
"""
import os, resource, sys

folder, behind = sys.argv[1], int(sys.argv[2]) << 20
size, step, chunk = 3 << 30, 64 << 10, 256 << 20


def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


path = os.path.join(folder, "fresh-page-cost.tmp")
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
try:
    os.ftruncate(fd, size)
    per, dropped = [], 0
    for start in range(0, size, chunk):
        c0 = cpu()
        for off in range(start, start + chunk, step):
            os.posix_fadvise(fd, off, step, os.POSIX_FADV_WILLNEED)
            if behind > 0 and off - behind >= dropped + (64 << 20):
                os.posix_fadvise(fd, dropped, 64 << 20, os.POSIX_FADV_DONTNEED)
                dropped += 64 << 20
        per.append((cpu() - c0) / (chunk / 4096) * 1e6)
    print(f"behind {behind >> 20} MiB: µs per page, each 256 MiB: " + " ".join(f"{x:.1f}" for x in per))
finally:
    os.close(fd)
    os.unlink(path)

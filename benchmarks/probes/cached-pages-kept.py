#!/usr/bin/env python3
"""How long pages a process had the kernel cache, and then left alone, stay cached.

Makes a sparse file of SIZE_MIB in FOLDER, asks the kernel to cache it (posix_fadvise WILLNEED,
64 KiB at a time: one call caches at most read_ahead_kb), then prints the number of its pages in the
page cache (mincore on a read-only mapping) whenever it changes, for SECONDS. On a kernel whose
proactive reclaim (DAMON pageout) or memory pressure takes pages nobody touches, the count falls.
Usage: cached-pages-kept.py FOLDER SIZE_MIB SECONDS   (FOLDER on a disk, not tmpfs; Linux, 4 KiB pages)
"""
import ctypes, os, sys, time

folder, size, seconds = sys.argv[1], int(sys.argv[2]) << 20, float(sys.argv[3])
libc = ctypes.CDLL("libc.so.6", use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mincore.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_char_p]
path = os.path.join(folder, "cached-pages-kept.tmp")
fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
try:
    os.ftruncate(fd, size)
    for off in range(0, size, 64 << 10):
        os.posix_fadvise(fd, off, 64 << 10, os.POSIX_FADV_WILLNEED)
    at = libc.mmap(None, size, 1, 1, fd, 0)  # PROT_READ, MAP_SHARED
    vec = ctypes.create_string_buffer(size // 4096)
    t0, last = time.time(), None
    while time.time() - t0 < seconds:
        libc.mincore(ctypes.c_void_p(at), size, vec)
        n = sum(1 for b in vec.raw if b & 1)
        if n != last:
            print(f"{time.time() - t0:6.2f} s: {n} of {size // 4096} pages cached", flush=True)
            last = n
        time.sleep(0.05)
finally:
    os.close(fd)
    os.unlink(path)

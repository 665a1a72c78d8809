#!/usr/bin/env python3
"""Sums a dotnet-trace speedscope file (profile dotnet-sampled-thread-time) into where the time goes.

Usage: bench/trace-summary.py x.speedscope.json [pattern ...]

The profile samples every thread, running or not. A sample whose innermost frame is CPU_TIME is a
thread in managed code; UNMANAGED_CODE_TIME is native code (crypto, SQLite, syscalls) or a thread
blocked in the kernel. Samples of threads that only wait (thread-pool semaphores, Monitor.Wait,
the file watcher, epoll) are left out of "native". Patterns (substrings, case-sensitive) select
frames whose inclusive share of each is printed; without patterns a default list for the token
endpoint is used. On a busy machine a runnable thread that waits for a core still counts, so read
shares, not seconds; for CPU seconds use bench/load's per-CPU-second figures or `perf`.
"""
import collections
import json
import sys

DEFAULT = [
    "AuthorizationEndpoints.ExchangeAsync",
    "OpenIddictServerDispatcher.DispatchAsync",
    "SaveChanges",
    "CreateTokenEntry",
    "ConsentService.TouchAsync",
    "GC.RunFinalizers",
    "DestroyScout.Finalize",
    "Expression`1[System.__Canon].Compile",
    "Monitor.Enter_Slowpath",
    "RsaSignHash",
    "RsaDecrypt",
    "Microsoft.Data.Sqlite",
    "OpenIddictTokenManager",
    "OpenIddictAuthorizationManager",
    "ValidateClientSecret",
]
WAITS = ("Monitor.Wait", "LowLevelLifoSemaphore", "WaitHandle.WaitOne", "FileSystem.Watcher", "?!?", "SocketAsyncEngine")


def main() -> None:
    data = json.load(open(sys.argv[1]))
    patterns = sys.argv[2:] or DEFAULT
    names = [f["name"] for f in data["shared"]["frames"]]
    totals = collections.Counter()
    inclusive = {"managed": collections.Counter(), "native": collections.Counter()}
    leaf = collections.Counter()
    for profile in data["profiles"]:
        stack: list[int] = []
        last = None
        for event in profile["events"]:
            at = event["at"]
            if last is not None and stack and at > last:
                top = names[stack[-1]]
                caller = names[stack[-2]] if len(stack) > 1 else "?"
                kind = "managed" if top == "CPU_TIME" else "native" if top == "UNMANAGED_CODE_TIME" and not any(w in caller for w in WAITS) else None
                if kind:
                    duration = at - last
                    totals[kind] += duration
                    leaf[f"{kind:<8} {caller}"] += duration
                    frames = {names[f] for f in stack}
                    for pattern in patterns:
                        if any(pattern in frame for frame in frames):
                            inclusive[kind][pattern] += duration
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                while stack and stack.pop() != event["frame"]:
                    pass
    print(f"managed (CPU_TIME): {totals['managed'] / 1000:.2f} s, native non-waiting: {totals['native'] / 1000:.2f} s (thread time, all threads)")
    print(f"\n{'managed':>8} {'native':>8}  inclusive share of")
    for pattern in patterns:
        shares = [inclusive[k][pattern] / totals[k] * 100 if totals[k] else 0 for k in ("managed", "native")]
        print(f"{shares[0]:7.1f}% {shares[1]:7.1f}%  {pattern}")
    print("\nTop innermost frames (share of managed + native):")
    for name, duration in leaf.most_common(20):
        print(f"  {duration / (totals['managed'] + totals['native']) * 100:5.1f}%  {name[:150]}")


if __name__ == "__main__":
    main()

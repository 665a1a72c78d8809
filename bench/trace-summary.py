#!/usr/bin/env python3
"""Sums a dotnet-trace speedscope file (profile dotnet-sampled-thread-time) into where the time goes.

Usage: bench/trace-summary.py x.speedscope.json [pattern ...]

Busy time is time whose innermost frame is CPU_TIME (managed code on a CPU) or UNMANAGED_CODE_TIME
(native code: crypto, SQLite, syscalls). Threads that only wait are left out. Every percentage is of
that busy time, summed over all threads. Patterns select frames (substring, case-sensitive) whose
inclusive share is printed; without patterns a default list for the token endpoint is used.
"""
import collections
import json
import sys

DEFAULT = [
    "Kryptos.Connect.Authorization.AuthorizationEndpoints.ExchangeAsync",
    "OpenIddict.Server.OpenIddictServerDispatcher.DispatchAsync",
    "SaveChanges",
    "ConsentService.TouchAsync",
    "GC.RunFinalizers",
    "Monitor.Enter_Slowpath",
    "RSA",
    "SignData",
    "Decrypt",
    "Encrypt",
    "Sqlite",
    "ExecuteReader",
    "Microsoft.IdentityModel",
    "OpenIddictApplicationManager",
    "OpenIddictTokenManager",
    "OpenIddictAuthorizationManager",
    "ValidateClientSecret",
    "System.Text.Json",
    "gc_heap",
    "GarbageCollect",
]


def main() -> None:
    data = json.load(open(sys.argv[1]))
    patterns = sys.argv[2:] or DEFAULT
    names = [f["name"] for f in data["shared"]["frames"]]
    busy = 0.0
    leaf = collections.Counter()
    inclusive = collections.Counter()
    per_thread = collections.Counter()
    for profile in data["profiles"]:
        stack: list[int] = []
        last = None
        for event in profile["events"]:
            at = event["at"]
            if last is not None and stack and at > last:
                top = names[stack[-1]]
                if top in ("CPU_TIME", "UNMANAGED_CODE_TIME"):
                    duration = at - last
                    busy += duration
                    per_thread[profile["name"]] += duration
                    caller = names[stack[-2]] if len(stack) > 1 else "?"
                    leaf[f"{top:<19} {caller}"] += duration
                    seen = set()
                    for frame in stack:
                        name = names[frame]
                        for pattern in patterns:
                            if pattern in name and pattern not in seen:
                                seen.add(pattern)
                                inclusive[pattern] += duration
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            else:
                # Close events name the frame they close; the stack is well nested.
                while stack and stack.pop() != event["frame"]:
                    pass
    print(f"busy time: {busy / 1000:.2f} s over {len(per_thread)} threads")
    print("\nInclusive share of busy time:")
    for pattern in patterns:
        print(f"  {inclusive[pattern] / busy * 100:5.1f}%  {pattern}")
    print("\nTop innermost frames:")
    for name, duration in leaf.most_common(30):
        print(f"  {duration / busy * 100:5.1f}%  {name[:160]}")


if __name__ == "__main__":
    main()

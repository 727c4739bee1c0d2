#!/usr/bin/env python3
"""Helpers of bench/run (standard library only).

  bench.py post URL BODY_FILE OUT_FILE            one POST, the body saved; fails unless 200
  bench.py check REF_NAME NAME=KIND:FILE...       same (title, organisation, region, keywords)
                                                  list, in the same order, in every response
  bench.py cpu PID[,PID...] [--children-of PID]   CPU time of processes, {pid: clock ticks}
  bench.py cpu-delta BEFORE AFTER                 ticks spent between two `cpu` snapshots
  bench.py cpustat                                busy and total ticks of every CPU
  bench.py preflight SERVER_CPUS CLIENT_CPUS      warns when those CPUs are busy already
  bench.py repeat URL BODY_FILE N                 N POSTs over one keep-alive connection
  bench.py line WRK_JSON NAME                     one measurement as a line
  bench.py report RUN_DIR RESULT_FILE             the table (stdout) and the JSON results
  bench.py login BASE_URL EMAIL PASSWORD          signs in to iurhub, prints the access token
  bench.py differ FILE...                         fails unless the pages are pairwise different
  bench.py callers URL ADMIN_TOKEN MEMBER_EMAIL   the member's organisation and two CONFIDENTIAL
                                                  needs, so that the callers' pages differ

With BENCH_TOKEN set, post and repeat send it as the bearer token.

KIND is `iurhub` (iurhub's `needs` connection, also the ceilings' shape) or
`postgraphile` (`allTechNeeds`, organisation through its foreign key field,
keywords as the JSON text the column holds).
"""

import http.client
import json
import os
import statistics
import sys
import urllib.parse


def die(message):
    print(f"bench.py: {message}", file=sys.stderr)
    sys.exit(1)


def _connection(url):
    u = urllib.parse.urlsplit(url)
    return http.client.HTTPConnection(u.hostname, u.port, timeout=30), u.path or "/"


HEADERS = {"content-type": "application/json", "accept": "application/json"}


def _headers():
    """The request headers; with BENCH_TOKEN set, the caller's bearer token."""
    token = os.environ.get("BENCH_TOKEN")
    return {**HEADERS, "authorization": f"Bearer {token}"} if token else HEADERS


def cmd_login(base_url, email, password):
    """Signs in through iurhub's REST API and prints the access token."""
    conn, _ = _connection(base_url)
    conn.request("POST", "/api/v1/auth/login", headers=HEADERS,
                 body=json.dumps({"email": email, "password": password}))
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        die(f"signing in as {email} answered {response.status}: {data[:300]!r}")
    print(json.loads(data)["accessToken"])


def _gql(url, token, query, variables=None):
    conn, path = _connection(url)
    conn.request("POST", path, headers={**HEADERS, "authorization": f"Bearer {token}"},
                 body=json.dumps({"query": query, "variables": variables or {}}))
    response = conn.getresponse()
    data = response.read()
    doc = json.loads(data) if data else {}
    if response.status != 200 or doc.get("errors"):
        die(f"{url} answered {response.status}: {data[:500]!r}")
    return doc["data"]


def cmd_callers(url, admin_token, member_email):
    """Makes the three callers' pages differ by construction, as the ADMIN.

    Of the 20 newest PUBLISHED needs: the newest one's organisation gets the
    member (`addMember`), and that need becomes CONFIDENTIAL, so the member
    sees a need an anonymous reader does not; the first need of another
    organisation that is not CONFIDENTIAL becomes CONFIDENTIAL, so the
    coordinator sees a need the member does not. Prints the organisation.
    """
    page = _gql(url, admin_token, "{ needs(first: 20, filter: {status: [PUBLISHED]}) { edges { node "
                "{ id visibility organization { id name } } } } }")["needs"]["edges"]
    if not page:
        die("no PUBLISHED needs: the data set is empty")
    mine = page[0]["node"]
    other = next((e["node"] for e in page if e["node"]["organization"]["id"] != mine["organization"]["id"]
                  and e["node"]["visibility"] != "CONFIDENTIAL"), None)
    if other is None:
        die("the 20 newest PUBLISHED needs all belong to one organisation")
    update = ("mutation($id: ID!) { updateNeed(input: {id: $id, visibility: CONFIDENTIAL}) "
              "{ need { visibility } } }")
    for need in (mine, other):
        if need["visibility"] != "CONFIDENTIAL":
            _gql(url, admin_token, update, {"id": need["id"]})
    _gql(url, admin_token, "mutation($org: ID!, $email: String!) { addMember(input: "
         "{organizationId: $org, email: $email}) { membership { role } } }",
         {"org": mine["organization"]["id"], "email": member_email})
    print(mine["organization"]["name"])


def cmd_post(url, body_file, out_file):
    conn, path = _connection(url)
    with open(body_file, "rb") as f:
        body = f.read()
    conn.request("POST", path, body=body, headers=_headers())
    response = conn.getresponse()
    data = response.read()
    with open(out_file, "wb") as f:
        f.write(data)
    if response.status != 200:
        die(f"{url} answered {response.status}: {data[:300]!r}")


def cmd_line(wrk_file, name):
    with open(wrk_file) as f:
        w = json.load(f)
    errors = sum(w["errors"].values())
    rps = w["requests"] / (w["duration_us"] / 1e6)
    lat = w["latency_us"]
    print(f"   {name:<28} {rps:>9.0f} req/s  p50 {lat['p50'] / 1000:6.2f} ms  "
          f"p99 {lat['p99'] / 1000:7.2f} ms" + (f"  ERRORS {errors}" if errors else ""))


def cmd_repeat(url, body_file, n):
    conn, path = _connection(url)
    with open(body_file, "rb") as f:
        body = f.read()
    for _ in range(int(n)):
        conn.request("POST", path, body=body, headers=_headers())
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            die(f"{url} answered {response.status}: {data[:300]!r}")


def normalize(kind, doc):
    """The response as a list of (title, organisation name, province, city, keywords)."""
    if doc.get("errors"):
        raise ValueError(f"errors in the response: {doc['errors']}")
    if kind == "iurhub":
        rows = []
        for edge in doc["data"]["needs"]["edges"]:
            n = edge["node"]
            o = n.get("organization")
            region = (o or {}).get("region") or {}
            rows.append((n["title"], o and o["name"], region.get("province"), region.get("city"),
                         list(n["keywords"])))
        return rows
    if kind == "postgraphile":
        rows = []
        for edge in doc["data"]["allTechNeeds"]["edges"]:
            n = edge["node"]
            o = n.get("organizationByOrganizationId")
            rows.append((n["title"], o and o["name"], o and o["regionProvince"],
                         o and o["regionCity"], json.loads(n["keywords"])))
        return rows
    raise ValueError(f"unknown kind {kind}")


def cmd_check(ref_name, *specs):
    parsed = {}
    docs = {}
    for spec in specs:
        name, rest = spec.split("=", 1)
        kind, path = rest.split(":", 1)
        with open(path, "rb") as f:
            raw = f.read()
        try:
            docs[name] = (kind, json.loads(raw))
            parsed[name] = (normalize(kind, docs[name][1]), len(raw))
        except (ValueError, KeyError, TypeError) as e:
            die(f"{name}: unexpected response ({e}): {raw[:300]!r}")
    # GraphQL orders a response's fields as the query selects them (spec,
    # "Serialization Format"); a JSON body should keep that order.
    for name, (kind, doc) in docs.items():
        edges = doc["data"]["needs" if kind == "iurhub" else "allTechNeeds"]["edges"]
        if not edges:
            continue
        node = edges[0]["node"]
        want = (["title", "keywords", "organization"] if kind == "iurhub"
                else ["title", "keywords", "organizationByOrganizationId"])
        if list(node) != want:
            print(f"   warning: {name} answers the fields in the order {', '.join(node)}, "
                  f"not as selected ({', '.join(want)})", file=sys.stderr)
    ref, _ = parsed[ref_name]
    if not ref:
        die(f"{ref_name} returned no needs: is the database empty?")
    bad = False
    for name, (rows, size) in parsed.items():
        if rows == ref:
            print(f"   {name:<28} {len(rows)} needs, {size} bytes: same content as {ref_name}")
            continue
        bad = True
        print(f"   {name:<28} DIFFERS from {ref_name} ({len(rows)} vs {len(ref)} needs)", file=sys.stderr)
        for i, (a, b) in enumerate(zip(ref, rows)):
            if a != b:
                print(f"     first difference at #{i}:\n       {ref_name}: {a}\n       {name}: {b}",
                      file=sys.stderr)
                break
    if bad:
        sys.exit(1)


def cmd_differ(*files):
    """Fails unless the responses in FILES (iurhub's shape) are pairwise different pages."""
    pages = []
    for path in files:
        with open(path, "rb") as f:
            pages.append((path, normalize("iurhub", json.load(f))))
    for i, (a, rows_a) in enumerate(pages):
        for b, rows_b in pages[i + 1:]:
            if rows_a == rows_b:
                die(f"{os.path.basename(a)} and {os.path.basename(b)} hold the same page: "
                    "the callers do not see different needs, so the content check proves nothing")
    print(f"   the {len(pages)} callers see {len(pages)} different pages")


def _ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # After the command: state is field 3, utime 14, stime 15 (1-based).
        return int(fields[11]) + int(fields[12])
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0


def _children(ppid):
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == ppid:
                out.append(int(entry))
        except (FileNotFoundError, ProcessLookupError, IndexError):
            continue
    return out


def cmd_cpu(pids, *rest):
    """Prints {pid: ticks} of the given processes (and of PID's children)."""
    found = [int(p) for p in pids.split(",") if p]
    if rest and rest[0] == "--children-of":
        parent = int(rest[1])
        found += [parent] + _children(parent)
    print(json.dumps({str(p): _ticks(p) for p in found}))


def cmd_cpu_delta(before, after):
    """Ticks spent between two `cpu` snapshots by the processes alive in the
    second. A process that exited in between is left out (its ticks are
    gone with it), one that started counts from zero."""
    b, a = json.loads(before), json.loads(after)
    print(sum(max(ticks - b.get(pid, 0), 0) for pid, ticks in a.items()))


def _cpu_list(spec):
    """CPUs of a taskset list such as `0`, `0,2` or `0-3`."""
    cpus = set()
    for part in spec.split(","):
        if "-" in part:
            a, b = part.split("-")
            cpus.update(range(int(a), int(b) + 1))
        elif part:
            cpus.add(int(part))
    return cpus


def cmd_cpustat():
    """Prints {cpu: [busy ticks, all ticks]} from /proc/stat."""
    out = {}
    with open("/proc/stat") as f:
        for line in f:
            name, *fields = line.split()
            if not name.startswith("cpu") or name == "cpu":
                continue
            v = [int(x) for x in fields]
            idle = v[3] + (v[4] if len(v) > 4 else 0)  # idle + iowait
            total = sum(v[:8])  # guest time is already in user
            out[name[3:]] = [total - idle, total]
    print(json.dumps(out))


def cmd_preflight(server_cpus, client_cpus, seconds="2"):
    """Warns when the benchmark's cores are already busy, naming the
    processes that used them."""
    import time

    def stat():
        out = {}
        with open("/proc/stat") as f:
            for line in f:
                name, *fields = line.split()
                if name.startswith("cpu") and name != "cpu":
                    v = [int(x) for x in fields]
                    out[int(name[3:])] = (sum(v[:8]) - v[3] - v[4], sum(v[:8]))
        return out

    def procs():
        out = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                t = _ticks(int(entry))
                if t:
                    out[int(entry)] = t
        return out

    s0, p0 = stat(), procs()
    time.sleep(float(seconds))
    s1, p1 = stat(), procs()
    wanted = _cpu_list(server_cpus) | _cpu_list(client_cpus)
    busy = {c: (s1[c][0] - s0[c][0]) * 100 / max(s1[c][1] - s0[c][1], 1) for c in sorted(wanted)}
    if all(b < 15 for b in busy.values()):
        return
    print("   warning: the benchmark's CPUs are already busy: "
          + ", ".join(f"CPU {c} {b:.0f} %" for c, b in busy.items()), file=sys.stderr)
    hz = os.sysconf("SC_CLK_TCK")
    top = sorted(((p1[p] - p0.get(p, 0), p) for p in p1), reverse=True)[:5]
    for ticks, pid in top:
        pct = ticks * 100 / hz / float(seconds)
        if pct < 5:
            break
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()[:90]
            allowed = sorted(os.sched_getaffinity(pid))
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
        print(f"     {pct:4.0f} % pid {pid} (CPUs {','.join(map(str, allowed))}): {cmd}", file=sys.stderr)
    print("   (another benchmark pinned to the same cores skews both; the table reports it per run)",
          file=sys.stderr)


# --- report -------------------------------------------------------------

ORDER = ["iurhub-pg", "iurhub-pg-fresh", "iurhub-sqlite", "plain-sql", "static", "postgraphile",
         "iurhub-pg-member", "iurhub-pg-fresh-member", "iurhub-sqlite-member", "plain-sql-member",
         "postgraphile-rls-member",
         "iurhub-pg-coordinator", "iurhub-pg-fresh-coordinator", "plain-sql-coordinator",
         "postgraphile-rls-coordinator"]

# (label, numerator, denominator, metric, target); metric "rps" is
# numerator/denominator throughput, "p99" is denominator p99 / numerator p99
# (above 1: the numerator's tail is shorter).
RATIOS = [
    ("iurhub-pg / postgraphile, req/s", "iurhub-pg", "postgraphile", "rps", ">= 3"),
    ("postgraphile p99 / iurhub-pg p99", "iurhub-pg", "postgraphile", "p99", ">= 1"),
    ("iurhub-pg / plain-sql, req/s", "iurhub-pg", "plain-sql", "rps", ">= 0.70"),
    ("iurhub-pg-fresh / postgraphile, req/s", "iurhub-pg-fresh", "postgraphile", "rps", ""),
    ("postgraphile p99 / iurhub-pg-fresh p99", "iurhub-pg-fresh", "postgraphile", "p99", ""),
    ("iurhub-pg-fresh / plain-sql, req/s", "iurhub-pg-fresh", "plain-sql", "rps", ""),
    ("iurhub-sqlite / plain-sql, req/s", "iurhub-sqlite", "plain-sql", "rps", ""),
    ("iurhub-sqlite / iurhub-pg, req/s", "iurhub-sqlite", "iurhub-pg", "rps", ""),
    ("plain-sql / static, req/s", "plain-sql", "static", "rps", ""),
    ("iurhub-pg / static, req/s", "iurhub-pg", "static", "rps", ""),
    ("postgraphile / plain-sql, req/s", "postgraphile", "plain-sql", "rps", ""),
    # Signed in (issue 17): the query path every signed-in request takes.
    ("iurhub-pg-member / plain-sql-member, req/s", "iurhub-pg-member", "plain-sql-member", "rps", ">= 0.70"),
    ("plain-sql-member p99 / iurhub-pg-member p99", "iurhub-pg-member", "plain-sql-member", "p99", ">= 0.67 (p99 <= 1.5x)"),
    ("iurhub-pg-member / postgraphile-rls-member, req/s", "iurhub-pg-member", "postgraphile-rls-member", "rps", ">= 3"),
    ("iurhub-pg-fresh-member / iurhub-pg-member, req/s", "iurhub-pg-fresh-member", "iurhub-pg-member", "rps", "~ 1 (the cache is not theirs)"),
    ("iurhub-sqlite-member / plain-sql-member, req/s", "iurhub-sqlite-member", "plain-sql-member", "rps", ""),
    ("iurhub-pg-coordinator / plain-sql-coordinator, req/s", "iurhub-pg-coordinator", "plain-sql-coordinator", "rps", ""),
    ("plain-sql-coordinator p99 / iurhub-pg-coordinator p99", "iurhub-pg-coordinator", "plain-sql-coordinator", "p99", ""),
    ("iurhub-pg-coordinator / postgraphile-rls-coordinator, req/s", "iurhub-pg-coordinator", "postgraphile-rls-coordinator", "rps", ""),
    ("iurhub-pg-fresh-coordinator / iurhub-pg-coordinator, req/s", "iurhub-pg-fresh-coordinator", "iurhub-pg-coordinator", "rps", "~ 1"),
    ("plain-sql-member / plain-sql, req/s", "plain-sql-member", "plain-sql", "rps", ""),
    ("postgraphile-rls-member / postgraphile, req/s", "postgraphile-rls-member", "postgraphile", "rps", ""),
]


def _fmt_ms(us):
    return f"{us / 1000:.2f}"


def cmd_report(run_dir, result_file):
    with open(os.path.join(run_dir, "meta.json")) as f:
        meta = json.load(f)
    measurements = []
    with open(os.path.join(run_dir, "measurements.jsonl")) as f:
        for line in f:
            if line.strip():
                measurements.append(json.loads(line))
    # SQL statements per request (pg_stat_statements around N sequential requests).
    statements = {}
    sdir = os.path.join(run_dir, "statements")
    if os.path.isdir(sdir):
        for name in sorted(os.listdir(sdir)):
            with open(os.path.join(sdir, name)) as f:
                s = json.load(f)
            n = s["requests"]
            s["statements_per_request"] = s["pg"]["calls"] / n
            s["pg_exec_us_per_request"] = s["pg"]["exec_ms"] * 1000 / n
            statements[name.removesuffix(".json")] = s

    tick_us = 1e6 / os.sysconf("SC_CLK_TCK")
    rounds = {}
    for m in measurements:
        w = m["wrk"]
        secs = w["duration_us"] / 1e6
        m["rps"] = w["requests"] / secs if secs else 0.0
        m["errors"] = sum(w["errors"].values())
        n = max(w["requests"], 1)
        m["server_cpu_us_per_req"] = m["cpu"]["server_ticks"] * tick_us / n
        m["pg_cpu_us_per_req"] = (m["cpu"]["pg_ticks"] * tick_us / n
                                  if m["cpu"].get("pg_ticks") is not None else None)
        # Load on the cores that was not ours: busy ticks of the server (and
        # PostgreSQL) CPUs minus what the server and PostgreSQL used; and how
        # busy the client's CPUs were (100 %: the client was the limit).
        st = m.get("cpustat")
        if st:
            def window(cpus, st=st):
                busy = sum(st["after"][str(c)][0] - st["before"][str(c)][0] for c in cpus)
                total = sum(st["after"][str(c)][1] - st["before"][str(c)][1] for c in cpus)
                return busy, total
            server_cpus = _cpu_list(meta["server_cpus"]) | _cpu_list(meta.get("pg_cpus", ""))
            busy, total = window(sorted(server_cpus))
            ours = m["cpu"]["server_ticks"] + (m["cpu"].get("pg_all_ticks") or 0)
            m["foreign_load_pct"] = max(busy - ours, 0) * 100 / total if total else None
            busy, total = window(sorted(_cpu_list(meta["client_cpus"])))
            m["client_cpu_busy_pct"] = busy * 100 / total if total else None
        if m["phase"] == "round":
            rounds.setdefault(m["round"], {})[m["target"]] = m

    targets = [t for t in ORDER if t in meta["targets"]]
    summary = {}
    for t in targets:
        ms = [r[t] for r in rounds.values() if t in r]
        if not ms:
            continue

        def med(key, ms=ms):
            values = [x for x in (m.get(key) for m in ms) if x is not None]
            return statistics.median(values) if values else None

        summary[t] = {
            "rps": med("rps"),
            "p50_us": statistics.median(m["wrk"]["latency_us"]["p50"] for m in ms),
            "p99_us": statistics.median(m["wrk"]["latency_us"]["p99"] for m in ms),
            "server_cpu_us_per_req": med("server_cpu_us_per_req"),
            "pg_cpu_us_per_req": med("pg_cpu_us_per_req"),
            "foreign_load_pct": med("foreign_load_pct"),
            "foreign_load_pct_max": max((m.get("foreign_load_pct") or 0) for m in ms),
            "client_cpu_busy_pct": med("client_cpu_busy_pct"),
            "errors": sum(m["errors"] for m in ms),
            "rounds": len(ms),
        }

    ratios = []
    for label, a, b, metric, target in RATIOS:
        if a not in summary or b not in summary:
            continue
        per_round = []
        for r in sorted(rounds):
            ra, rb = rounds[r].get(a), rounds[r].get(b)
            if not ra or not rb:
                continue
            if metric == "rps":
                per_round.append(ra["rps"] / rb["rps"] if rb["rps"] else float("nan"))
            else:
                pa = ra["wrk"]["latency_us"]["p99"]
                per_round.append(rb["wrk"]["latency_us"]["p99"] / pa if pa else float("nan"))
        ratios.append({"ratio": label, "per_round": per_round,
                       "median": statistics.median(per_round), "target": target})

    # The table.
    d = meta["data"]
    print()
    print(f"needs(first:20, filter:{{status:[PUBLISHED]}}) {{ title keywords organization {{ name region }} }}")
    print(f"data: {d['description']}; {meta['rounds']} rounds x {meta['duration']} per target "
          f"(warm-up {meta['warmup']}, {meta.get('settle', '0')} unmeasured before each), "
          f"wrk -t1 -c{meta['connections']}, servers on CPU {meta['server_cpus']}, "
          f"PostgreSQL on CPU {meta.get('pg_cpus', meta['server_cpus'])}, "
          f"client on CPU {meta['client_cpus']}, pool {meta['pool']} connections")
    print(f"load average at start {meta['loadavg_start']}, at end {meta.get('loadavg_end', '?')}")
    print()
    print("| target | req/s (median) | p50 ms | p99 ms | server CPU µs/req | PostgreSQL CPU µs/req "
          "| SQL statements/req | SQL exec µs/req | errors |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for t in targets:
        s = summary.get(t)
        if not s:
            continue
        st = statements.get(t)
        pg_cpu = s["pg_cpu_us_per_req"]
        print(f"| {t} | {s['rps']:,.0f} | {_fmt_ms(s['p50_us'])} | {_fmt_ms(s['p99_us'])} | "
              f"{s['server_cpu_us_per_req']:.0f} | "
              f"{'' if pg_cpu is None else f'{pg_cpu:.0f}'} | "
              f"{'' if not st else format(st['statements_per_request'], '.2f')} | "
              f"{'' if not st else format(st['pg_exec_us_per_request'], '.0f')} | {s['errors']} |")
    print()
    print("| target | other processes on the server core, % (median, max) | client core busy (any process), % |")
    print("| --- | ---: | ---: |")
    for t in targets:
        s = summary.get(t)
        if not s or s["foreign_load_pct"] is None:
            continue
        print(f"| {t} | {s['foreign_load_pct']:.0f}, {s['foreign_load_pct_max']:.0f} | "
              f"{s['client_cpu_busy_pct']:.0f} |")
    worst = max((s["foreign_load_pct_max"] for s in summary.values()), default=0)
    if worst > 10:
        print(f"\nWARNING: other processes took up to {worst:.0f} % of the server core during a "
              "measurement; req/s figures are skewed (ratios and CPU per request less so).")
    print()
    print("| ratio (median of per-round ratios) | median | per round | target |")
    print("| --- | ---: | --- | --- |")
    for r in ratios:
        rs = ", ".join(f"{x:.2f}" for x in r["per_round"])
        print(f"| {r['ratio']} | {r['median']:.2f} | {rs} | {r['target']} |")
    print()
    print("Medians over the rounds (one wrk run per target per round, the order alternating). CPU per")
    print("request: utime+stime from /proc of the server process and of all PostgreSQL processes during")
    print("the run, divided by the requests served. SQL statements and their execution time per request:")
    print("pg_stat_statements over 200 sequential requests before the timed runs.")

    result = {
        "meta": meta,
        "summary": summary,
        "ratios": ratios,
        "statements": statements,
        "measurements": measurements,
    }
    os.makedirs(os.path.dirname(os.path.abspath(result_file)), exist_ok=True)
    with open(result_file, "w") as f:
        json.dump(result, f, indent=1, ensure_ascii=False)
        f.write("\n")


def main(argv):
    if len(argv) < 2:
        die(__doc__)
    cmd, args = argv[1], argv[2:]
    commands = {"post": cmd_post, "check": cmd_check, "cpu": cmd_cpu,
                "repeat": cmd_repeat, "cpu-delta": cmd_cpu_delta, "cpustat": cmd_cpustat, "preflight": cmd_preflight, "line": cmd_line, "report": cmd_report,
                "login": cmd_login, "differ": cmd_differ, "callers": cmd_callers}
    if cmd not in commands:
        die(__doc__)
    commands[cmd](*args)


if __name__ == "__main__":
    main(sys.argv)

"""The web app's speed on a real `peloton serve` (a fresh PELOTON_HOME in a temporary folder, on a
free loopback port). Printed: time to first byte of each page (median of 5), the navigator's round
trip per answer (the Overijssel example answered step by step through the plain GET form), the
navigator page's weight without charts (HTML + CSS + JS, target <= 200 KB), and the simulator's
submit-to-result time on the default population (target <= 3 s; the population is generated first,
untimed) and for the same reform again, cached (target <= 100 ms); a 5-step cost curve of the same
parameter through the form (submit to result, and per step), a new scheme entered through the form,
and the navigator's result for one firm under that reform ("what changes for this firm").

    .venv/bin/python benchmarks/web.py
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "overijssel_metaal_familiebedrijf_robots.yaml"
PAGES = ["/nl/", "/nl/navigator", "/nl/navigator?year=2024", "/nl/regelingen", "/nl/regelingen/wbso",
         "/nl/simulator", "/nl/monitor", "/nl/lezer?document=seed", "/nl/toegankelijkheid"]  # fmt: skip
REFORM = {"year": "2024", "parameter": "wbso.afdrachtvermindering.plafond_schijf_1", "value": "500.000"}
SWEEP = {"year": "2024", "parameter": REFORM["parameter"], "run": "sweep",
         "sweep_start": "350.000", "sweep_stop": "550.000", "sweep_step": "50.000"}  # fmt: skip
NEW_SCHEME = {"year": "2024", "ns_name": "Procesinnovatie mkb", "ns_shape": "percentage_of_costs",
              "ns_costs": "ontwikkelingskosten", "ns_percentage": "25", "ns_maximum": "50.000",
              "ns_sme_only": "true", "ns_kind_proces": "true"}  # fmt: skip
FIRM = "year=2024&rechtsvorm=bv&personeel_fte=20&jaaromzet=3000000&balanstotaal=2000000" \
       "&innovatie_soort=proces&ontwikkelingskosten=300000"  # fmt: skip


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ttfb(client: httpx.Client, path: str) -> float:
    start = time.perf_counter()
    with client.stream("GET", path) as response:
        next(response.iter_raw(), b"")
        return time.perf_counter() - start


def navigator_round_trips(client: httpx.Client) -> list[float]:
    answers = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["onderneming"]
    query: list[tuple[str, str]] = [("year", "2024")]
    times = []
    for _ in range(60):
        start = time.perf_counter()
        page = client.get("/nl/navigator", params=query, follow_redirects=True)
        times.append(time.perf_counter() - start)
        if "/uitkomst" in str(page.url):
            return times
        marker = 'data-variable="'
        name = page.text.split(marker, 1)[1].split('"', 1)[0]
        value = answers.get(name)
        if value is None:
            query.append(("skip", name))
        else:
            query.append((name, "true" if value is True else "false" if value is False else str(value)))
    return times


def weight(client: httpx.Client, path: str) -> int:
    html = client.get(path).content
    assets = ["/static/peloton.css", "/static/peloton.js"]
    return len(html) + sum(len(client.get(a).content) for a in assets)


def simulate(client: httpx.Client, form: dict[str, str]) -> float:
    return simulate_job(client, form)[0]


def simulate_job(client: httpx.Client, form: dict[str, str]) -> tuple[float, str]:
    """Seconds from posting the simulator's form to its result page, and the job id."""
    start = time.perf_counter()
    response = client.post("/nl/simulator", data=form, follow_redirects=False)
    job = response.headers["location"].rsplit("/", 1)[1]
    while client.get(f"/api/v1/simulations/{job}").json()["status"] not in ("done", "failed"):
        time.sleep(0.05)
    client.get(f"/nl/simulator/{job}")
    return time.perf_counter() - start, job


def main() -> None:
    port = free_port()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "PELOTON_HOME": home}
        peloton = Path(sys.executable).with_name("peloton")
        server = subprocess.Popen([str(peloton), "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=300) as client:
                for _ in range(300):
                    try:
                        if client.get("/api/v1/ready").status_code == 200:
                            break
                    except httpx.HTTPError:
                        time.sleep(0.2)
                for path in PAGES:
                    ttfb(client, path)  # warm
                    median = statistics.median([ttfb(client, path) for _ in range(5)])
                    print(f"ttfb {path}: {median * 1e3:.0f} ms")
                trips = navigator_round_trips(client)
                print(f"navigator: {len(trips)} steps, per answer median {statistics.median(trips):.2f} s,"
                      f" max {max(trips):.2f} s")  # fmt: skip
                kb = weight(client, "/nl/navigator?year=2024") / 1024
                print(
                    f"navigator weight without charts: {kb:.0f} KB (target <= 200 KB, ratio {kb / 200:.2f})"
                )
                subprocess.run([str(peloton), "simulate", "--year", "2024", "--json", "--no-charts"], env=env,
                               stdout=subprocess.DEVNULL, check=True)  # fmt: skip  # the population, untimed
                first = simulate(client, REFORM)
                print(f"simulator submit-to-result, default population: {first:.2f} s (target <= 3 s)")
                cached = simulate(client, REFORM)
                print(f"simulator cached reform: {cached * 1000:.0f} ms (target <= 100 ms)")
                swept = simulate(client, SWEEP)
                per_step = swept / 5
                print(f"simulator 5-step cost curve, default population: {swept:.2f} s"
                      f" ({per_step:.2f} s per step, {per_step / first:.2f} x one reform)")  # fmt: skip
                seconds, job = simulate_job(client, NEW_SCHEME)
                print(f"simulator new scheme from the form: {seconds:.2f} s")
                firm = f"/nl/navigator/uitkomst?{FIRM}&hervorming={job}"
                ttfb(client, firm)  # warm: the reformed rules are built once per process
                median = statistics.median([ttfb(client, firm) for _ in range(5)])
                print(f"ttfb what changes for this firm (navigator under the reform): {median * 1e3:.0f} ms")
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()

"""`tq serve` as a CMS and a newsroom meet it: a real uvicorn server on a free loopback port, called over HTTP.

The routes must give what the Python API gives (tq.check, tq.fix, tq.align), every bad input a 4xx with one
JSON line, and the server must keep answering others through slow, huge, broken and abandoned requests.
"""
from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest

import tq
import tq.app
import tq.config

from conftest import DEMO, FLORES, MODELS_OFF
from serving import Server, free_port, serving

httpx = pytest.importorskip("httpx", reason="the service tests need httpx (pip install -e '.[test]')")
pytest.importorskip("fastapi", reason="the service needs fastapi (pip install -e '.[serve]')")

TOKEN = "s3cret-token-for-tests-0123456789"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serving(tmp_path_factory.mktemp("serve"), "--queue", "2", "--time-limit", "60") as running:
        yield running


def _demo() -> dict[str, str]:
    return {"source": (DEMO / "it.txt").read_text(encoding="utf-8"), "translation": (DEMO / "en.txt").read_text(encoding="utf-8")}


def _flores(number: int) -> dict[str, str]:
    return {"source": (FLORES / f"{number}.it.txt").read_text(encoding="utf-8"),
            "translation": (FLORES / f"{number}.en.txt").read_text(encoding="utf-8")}


def _post(server: Server, route: str, body, timeout: float = 120, **kwargs) -> httpx.Response:
    return httpx.post(server.url + route, json=body, headers=server.auth, timeout=timeout, **kwargs)


def _one_line_error(response: httpx.Response, status: int | tuple[int, ...], *fragments: str) -> str:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, (response.status_code, response.text[:300])
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}, body
    message = body["error"]
    assert "\n" not in message and "Traceback" not in message, message
    for fragment in fragments:
        assert fragment.lower() in message.lower(), (fragment, message)
    return message


# ---------------------------------------------------------------- the same results as the Python API

@pytest.mark.parametrize("texts", [_demo(), _flores(1), _flores(2)], ids=["demo", "flores-1", "flores-2"])
def test_check_gives_the_python_report_and_the_gate(server, texts):
    response = _post(server, "/v1/check", {**texts, "fail_on": "major"})
    assert response.status_code == 200, response.text
    body = response.json()
    gate = body.pop("gate")
    expected = tq.check(texts["source"], texts["translation"], **MODELS_OFF)
    assert body == json.loads(expected.to_json())
    assert gate["fail_on"] == "major" and gate["passed"] == (not expected.fails("major"))


def test_fix_gives_what_tq_fix_gives(server):
    texts = _demo()
    response = _post(server, "/v1/fix", texts)
    assert response.status_code == 200, response.text
    expected = tq.fix(texts["source"], texts["translation"], **MODELS_OFF)
    body = response.json()
    assert body["text"] == expected.text and body["text"] != texts["translation"]
    assert body["diff"] == expected.diff
    assert len(body["applied"]) == len(expected.applied) and body["left"] == expected.left


@pytest.mark.parametrize("texts", [_demo(), _flores(3)], ids=["demo", "flores-3"])
def test_align_gives_what_tq_align_gives(server, texts):
    response = _post(server, "/v1/align", texts)
    assert response.status_code == 200, response.text
    links = [(tuple(r["src_ids"]), tuple(r["tgt_ids"])) for r in response.json()["links"]]
    assert links == [(link.src_ids, link.tgt_ids) for link in tq.align(texts["source"], texts["translation"])]


def test_checks_models_and_openapi(server):
    checks = httpx.get(server.url + "/v1/checks").json()["checks"]
    assert {row["id"] for row in checks} == {row["id"] for row in tq.app.check_catalogue()}
    models = httpx.get(server.url + "/v1/models").json()
    assert {row["role"] for row in models["models"]} == {"encoder", "lm", "mt"}
    schema = httpx.get(server.url + "/openapi.json").json()
    assert {"/v1/check", "/v1/fix", "/v1/align", "/v1/checks", "/v1/models", "/healthz", "/readyz", "/v1/reviews"} <= set(schema["paths"])
    assert "multipart/form-data" in schema["paths"]["/v1/check"]["post"]["requestBody"]["content"]


def test_options_skip_and_glossary_are_applied(server):
    texts = _flores(1)
    skipped = _post(server, "/v1/check", {**texts, "skip": ["fluency"]}).json()
    assert all(f["check"] != "fluency" for p in skipped["pairs"] for f in p["findings"])
    word = texts["translation"].split()[3].strip(".,")
    glossary = _post(server, "/v1/check", {**texts, "glossary": [[texts["source"].split()[3].strip(".,"), word + "x"]]})
    assert glossary.status_code == 200, glossary.text


def test_bilingual_upload(server, tmp_path):
    xliff = (Path(__file__).parent / "data").glob("*.xlf")
    sample = next(iter(sorted(xliff)), None)
    if sample is None:  # build a small XLIFF 1.2 from the FLORES sample
        src, tgt = _flores(2)["source"].splitlines(), _flores(2)["translation"].splitlines()
        units = "".join(f'<trans-unit id="{i}"><source>{s}</source><target>{t}</target></trans-unit>'
                        for i, (s, t) in enumerate(zip(src, tgt)) if s.strip() and t.strip())
        sample = tmp_path / "sample.xlf"
        sample.write_text('<?xml version="1.0" encoding="UTF-8"?><xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                          f'<file source-language="it" target-language="en" datatype="plaintext" original="x"><body>{units}'
                          '</body></file></xliff>', encoding="utf-8")
    response = httpx.post(server.url + "/v1/check", files={"file": (sample.name, sample.read_bytes(), "application/xml")},
                          data={"fail_on": "critical"}, timeout=120)
    assert response.status_code == 200, response.text
    expected = tq.app.check_pairs_file(str(sample), dict(tq.app.options_from_settings(tq.config.load_settings()), **MODELS_OFF))
    assert [len(p["findings"]) for p in response.json()["pairs"]] == [len(p.findings) for p in expected.pairs]
    bad = httpx.post(server.url + "/v1/check", files={"file": ("notes.txt", b"hello", "text/plain")})
    _one_line_error(bad, 422, "XLIFF")


# ---------------------------------------------------------------- the CLI's bad-input matrix, as HTTP

def _bad_inputs() -> list[tuple[str, object, int | tuple[int, ...], str]]:
    demo, flores = _demo(), _flores(1)
    return [
        ("empty source", {**demo, "source": ""}, 422, "empty"),
        ("blank translation", {**demo, "translation": " \n\t "}, 422, "empty"),
        ("binary", {**demo, "translation": "\x00\x01\x02\x03" * 200}, 422, "binary"),
        ("lone surrogate", '{"source": "ciao \\ud800", "translation": "hello"}', 422, "surrogate"),
        ("swapped", {"source": demo["translation"], "translation": demo["source"]}, 422, "swapped"),
        ("unrelated", {"source": demo["source"], "translation": flores["translation"]}, 422, "translation of"),
        ("unknown option", {**demo, "colour": "red"}, 422, "unknown option 'colour'"),
        ("unknown check", {**demo, "skip": ["no-such-check"]}, 422, "no-such-check"),
        ("bad fail_on", {**demo, "fail_on": "sometimes"}, 422, "fail_on"),
        ("missing field", {"source": demo["source"]}, 422, "translation"),
        ("wrong type", {**demo, "translation": 42}, 422, "translation"),
        ("not an object", "[1, 2]", 422, "object"),
        ("malformed JSON", '{"source": "x", "translation"', 400, "malformed JSON"),
        ("not UTF-8", b'{"source": "\xff\xfe", "translation": "x"}', 400, "malformed JSON"),
        ("over the size limit", {**demo, "translation": "word " * 500_000}, 413, "limit"),
    ]


@pytest.mark.parametrize("route", ["/v1/check", "/v1/fix", "/v1/align", "/v1/reviews"])
@pytest.mark.parametrize("case", _bad_inputs(), ids=lambda case: case[0])
def test_bad_input_is_one_json_line_4xx(server, route, case):
    name, body, status, fragment = case
    if route == "/v1/align" and name in ("unknown check", "bad fail_on"):  # fields /v1/align does not take
        fragment = "unknown option"
    if isinstance(body, (dict, list)):
        response = httpx.post(server.url + route, json=body, timeout=120)
    else:
        response = httpx.post(server.url + route, content=body, headers={"Content-Type": "application/json"}, timeout=120)
    _one_line_error(response, status, fragment)


def test_wrong_content_type_and_unknown_route(server):
    _one_line_error(httpx.post(server.url + "/v1/check", content=b"source=x", headers={"Content-Type": "text/plain"}), 415)
    _one_line_error(httpx.get(server.url + "/v2/nothing"), 404)
    _one_line_error(httpx.get(server.url + "/v1/check"), 405)
    _one_line_error(httpx.get(server.url + "/static/../../etc/passwd"), 404)


# ---------------------------------------------------------------- load, limits and misbehaving clients

def test_healthz_answers_while_a_check_runs(server):
    results: list[httpx.Response] = []
    thread = threading.Thread(target=lambda: results.append(_post(server, "/v1/check", _demo())))
    thread.start()
    time.sleep(0.5)
    started = time.perf_counter()
    assert httpx.get(server.url + "/healthz", timeout=5).json() == {"status": "ok"}
    health_seconds = time.perf_counter() - started
    thread.join()
    assert results[0].status_code == 200
    assert health_seconds < 2.0, health_seconds  # generous on a noisy machine: the benchmark holds it to 100 ms


def test_a_burst_past_the_queue_gets_429_not_time_outs(server):
    texts = _demo()
    with httpx.Client(timeout=180) as client:
        responses: list[httpx.Response] = []
        threads = [threading.Thread(target=lambda: responses.append(client.post(server.url + "/v1/check", json=texts)))
                   for _ in range(7)]  # 1 running + 2 waiting fit; the rest must be refused at once
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {200, 429} and statuses.count(429) >= 1 and statuses.count(200) >= 1, statuses
    refused = next(r for r in responses if r.status_code == 429)
    assert int(refused.headers["Retry-After"]) > 0
    _one_line_error(refused, 429, "busy")


def test_misbehaving_clients_leave_the_server_answering(server):
    texts = _demo()
    # a client that disconnects mid-check
    longer = {"source": texts["source"] * 25, "translation": texts["translation"] * 25}
    with pytest.raises(httpx.TimeoutException):
        httpx.post(server.url + "/v1/check", json=longer, timeout=0.3)
    deadline = time.monotonic() + 60  # its place is freed at the check's next boundary
    while httpx.get(server.url + "/readyz").json()["queue"]["taken"] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert httpx.get(server.url + "/readyz").json()["queue"]["taken"] == 0
    assert any(line["route"] == "/v1/check" and line["status"] == 503 for line in server.log_lines())
    # a 50 MB body is refused from its Content-Length, before it is read
    huge = httpx.post(server.url + "/v1/check", content=b"x" * 50_000_000, headers={"Content-Type": "application/json"}, timeout=60)
    _one_line_error(huge, 413, "limit")
    # a body sent one byte a second: the others are answered meanwhile
    slow = socket.create_connection(("127.0.0.1", server.port))
    slow.sendall(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n")
    for byte in b'{"so':
        slow.sendall(bytes([byte]))
        assert httpx.get(server.url + "/healthz", timeout=5).status_code == 200
        time.sleep(1)
    slow.close()
    # malformed JSON, then a real check still works
    _one_line_error(httpx.post(server.url + "/v1/check", content=b"{", headers={"Content-Type": "application/json"}), 400)
    assert _post(server, "/v1/check", texts).status_code == 200


def test_the_time_limit_stops_the_check(tmp_path):
    with serving(tmp_path, "--time-limit", "1") as limited:
        texts = {"translation": _demo()["translation"] * 25, "source": _demo()["source"] * 25}
        response = _post(limited, "/v1/check", texts)
        _one_line_error(response, 503, "time limit")
        assert httpx.get(limited.url + "/healthz").status_code == 200
        deadline = time.monotonic() + 60  # the stopped check frees its place at its next check boundary
        while httpx.get(limited.url + "/readyz").json()["queue"]["taken"] and time.monotonic() < deadline:
            time.sleep(0.2)
        assert httpx.get(limited.url + "/readyz").json()["queue"]["taken"] == 0


def test_one_json_log_line_per_request_without_article_text(server):
    texts = _flores(2)
    _post(server, "/v1/check", texts)
    time.sleep(0.2)
    lines = server.log_lines()
    check = [line for line in lines if line["route"] == "/v1/check" and line["status"] == 200][-1]
    assert set(check) >= {"request", "route", "status", "seconds", "pairs", "worst"}
    assert check["pairs"] > 0 and check["worst"] in ("none", "minor", "major", "critical")
    log = server.log_path.read_text()
    for sentence in texts["translation"].splitlines()[:3]:
        assert sentence[:40] not in log


# ---------------------------------------------------------------- safe by default

def test_security_headers_and_no_cors_by_default(server):
    response = httpx.get(server.url + "/", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "access-control-allow-origin" not in response.headers
    preflight = httpx.options(server.url + "/v1/check", headers={"Origin": "https://evil.example",
                                                                 "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_only_for_the_named_origin(tmp_path):
    with serving(tmp_path, "--cors-origin", "https://cms.example") as cors:
        ok = httpx.get(cors.url + "/v1/checks", headers={"Origin": "https://cms.example"})
        assert ok.headers["access-control-allow-origin"] == "https://cms.example"
        other = httpx.get(cors.url + "/v1/checks", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_token_file_guards_every_route_but_healthz(tmp_path):
    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    with serving(tmp_path, "--token-file", str(token_file), token=TOKEN) as guarded:
        assert httpx.get(guarded.url + "/healthz").status_code == 200
        routes = [("GET", "/"), ("GET", "/readyz"), ("GET", "/v1/checks"), ("GET", "/v1/models"), ("GET", "/openapi.json"),
                  ("POST", "/v1/check"), ("POST", "/v1/fix"), ("POST", "/v1/align"), ("POST", "/v1/reviews"),
                  ("GET", "/v1/reviews/x"), ("PUT", "/v1/reviews/x/findings/0"), ("GET", "/static/review.js"),
                  ("GET", "/v1/reviews"), ("DELETE", "/v1/reviews/x"), ("GET", "/reviews"), ("GET", "/no/such/route")]
        for method, route in routes:
            for headers in ({}, {"Authorization": "Bearer wrong-token-wrong-token"}, {"Authorization": TOKEN},
                            {"Authorization": "Basic " + "eDp3cm9uZw=="}):
                response = httpx.request(method, guarded.url + route, headers=headers, json={})
                _one_line_error(response, 401, "token")
        assert httpx.get(guarded.url + "/v1/checks", headers=guarded.auth).status_code == 200
        import base64

        basic = base64.b64encode(f"editor:{TOKEN}".encode()).decode()
        assert httpx.get(guarded.url + "/", headers={"Authorization": f"Basic {basic}"}).status_code == 200


def test_bad_token_file_is_one_line(run_tq, tmp_path):
    short = tmp_path / "short"
    short.write_text("abc\n")
    result = run_tq("serve", "--token-file", str(short), "--port", str(free_port()))
    assert result.returncode == 2 and result.stderr.strip().startswith("tq: error:") and "16" in result.stderr
    missing = run_tq("serve", "--token-file", str(tmp_path / "nope"), "--port", str(free_port()))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------- reviews over HTTP (the page has its browser test)

def test_review_decisions_download_and_baseline(server, tmp_path):
    texts = _demo()
    created = _post(server, "/v1/reviews", texts).json()
    review = httpx.get(f"{server.url}/v1/reviews/{created['id']}").json()
    findings = review["findings"]
    fixable = [f for f in findings if f["suggestion"] is not None]
    assert len(fixable) >= 2
    first, second = fixable[0], fixable[1]
    put = lambda number, body: httpx.put(f"{server.url}/v1/reviews/{created['id']}/findings/{number}", json=body)  # noqa: E731
    assert put(first["number"], {"status": "accepted"}).status_code == 200
    assert put(second["number"], {"status": "edited", "text": "EDITED"}).status_code == 200
    rejected = next(f for f in findings if f["number"] not in (first["number"], second["number"]))
    assert put(rejected["number"], {"status": "rejected"}).status_code == 200
    _one_line_error(put(10_000, {"status": "accepted"}), 404)
    _one_line_error(put(first["number"], {"status": "maybe"}), 422)
    edits = sorted([(first["doc_start"], first["doc_end"], first["suggestion"]), (second["doc_start"], second["doc_end"], "EDITED")])
    expected = texts["translation"]
    for start, end, replacement in reversed(edits):
        expected = expected[:start] + replacement + expected[end:]
    download = httpx.get(f"{server.url}/v1/reviews/{created['id']}/translation")
    assert download.content == expected.encode("utf-8")
    baseline = tmp_path / "rejected.json"
    baseline.write_bytes(httpx.get(f"{server.url}/v1/reviews/{created['id']}/baseline").content)
    entries = json.loads(baseline.read_text())["entries"]
    assert [e["check"] for e in entries] == [rejected["check"]]
    after = tq.check(texts["source"], texts["translation"], baseline=baseline, **MODELS_OFF)
    assert len(after.findings) == len(findings) - 1  # `tq check --baseline` reads it and drops exactly that one


# ---------------------------------------------------------------- article bodies in HTML, as a CMS holds them

def test_html_bodies_check_fix_and_review_keep_the_markup(server):
    from test_markup import as_html, strip_html, tags

    source = as_html(_demo()["source"], "it")
    translation = as_html(_demo()["translation"], "en")
    body = {"source": source, "translation": translation, "markup": "html"}
    checked = _post(server, "/v1/check", body).json()
    checked.pop("gate")
    expected = tq.check(source, translation, markup="html", **MODELS_OFF)
    assert checked == json.loads(expected.to_json())
    assert all("markup_start" in f for p in checked["pairs"] for f in p["findings"])  # offsets into the HTML (test_markup)
    fixed = _post(server, "/v1/fix", body).json()
    assert fixed["text"] == tq.fix(source, translation, markup="html", **MODELS_OFF).text
    assert tags(fixed["text"]) == tags(translation) and fixed["text"] != translation
    review = _post(server, "/v1/reviews", body).json()
    findings = httpx.get(f"{server.url}/v1/reviews/{review['id']}").json()["findings"]
    accepted = next(f for f in findings if f["suggestion"] is not None and f["text"])
    assert httpx.put(f"{server.url}/v1/reviews/{review['id']}/findings/{accepted['number']}", json={"status": "accepted"}).status_code == 200
    download = httpx.get(f"{server.url}/v1/reviews/{review['id']}/translation").text
    assert tags(download) == tags(translation)
    assert accepted["suggestion"] in strip_html(download) and download != translation

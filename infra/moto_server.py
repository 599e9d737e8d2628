"""Start moto's server on a free loopback port, print it, and stop on stdin EOF.

Used by the local runner and by every integration-test binary, so that a
moto server never outlives the process that started it.

With `--serialised` (or MOTO_SERIALISED=1) the server handles one request at
a time. moto's threaded server does not isolate concurrent DynamoDB
transactions: two parallel conditional TransactWriteItems on one item can
both succeed, which DynamoDB never allows. Serialised, each call is atomic,
so tests that run requests in parallel measure the code, not moto. SQS
ReceiveMessage is let through without waiting its turn: a long poll waits up
to 20 s inside moto and would hold up every other call, and receiving takes
no part in the DynamoDB races these tests are about.

The serialised server also counts the requests it serves, by operation
(`DynamoDB_20120810.TransactWriteItems`, `AmazonSQS.SendMessageBatch`,
`s3:PUT`, `s3:COPY` for a CopyObject, ...; S3's also by bucket, `s3:COPY <bucket>`): `GET /_printvault/calls` answers the counts as JSON, and
`DELETE /_printvault/calls` answers them and starts again from zero. It
also sums the items DynamoDB reads returned (`DynamoDB.ItemsRead`). `make bench-orders` reads them:
request counts are stable where moto's timings are not.

`GET /_printvault/busy` answers how long the serialised server spent serving
requests (`{"seconds": ..., "requests": ...}`, SQS receives left out: they
mostly wait); `DELETE` answers and starts again. `make bench-e2e` reads it to
tell moto's share of an upload's time from ours.

With `--iam`, the server also records, for each signed request, who made
it and which resource each IAM action of it touches, for the services whose
resources moto's IAM does not check (DynamoDB tables and indexes, the SES
identity and configuration set, Secrets Manager secrets): `GET
/_printvault/resources` answers `[[user, action, resource ARN], ...]`.
tests/src/recorded.rs checks every entry against the user's own statements
in infra/template.yaml, resources included.

`GET /_printvault/mail?to=ADDRESS` answers the emails SES took for ADDRESS,
oldest first, as JSON (`[{"subject": ..., "body": ...}]`). Tests read their
inboxes there: moto's own `/moto-api/data.json` serialises every model of
every service (hashing each S3 object on the way), which takes seconds on a
server that many tests share, and holds up every other call meanwhile.
"""
import argparse
import logging
import os
import sys
import threading

from moto.server import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    ThreadedMotoServer,
    create_backend_app,
)
from werkzeug.serving import make_server


def is_receive(environ) -> bool:
    """True for SQS ReceiveMessage, in the JSON protocol or the query one."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    query = environ.get("QUERY_STRING", "")
    return target == "AmazonSQS.ReceiveMessage" or "Action=ReceiveMessage" in query


def operation(environ) -> str:
    """The AWS operation of a request, as the counts name it."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target:
        return target
    query = environ.get("QUERY_STRING", "")
    for part in query.split("&"):
        if part.startswith("Action="):
            return part[len("Action="):]
    if environ.get("HTTP_X_AMZ_COPY_SOURCE"):
        return "s3:COPY"
    return f"s3:{environ.get('REQUEST_METHOD', '?')}"


# DynamoDB reads, and the items each returned, summed as `DynamoDB.ItemsRead`:
# what a sweep's cost follows (benchmarks report items read per item due).
ITEM_READS = {f"DynamoDB_20120810.{op}" for op in ("GetItem", "Query", "Scan", "BatchGetItem")}
ITEMS_READ = "DynamoDB.ItemsRead"


def items_read(op: str, answer: dict) -> int:
    if op.endswith(".GetItem"):
        return 1 if answer.get("Item") else 0
    if op.endswith(".BatchGetItem"):
        return sum(len(items) for items in answer.get("Responses", {}).values())
    return int(answer.get("Count", 0))


def sent_mail(environ, start_response):
    """The `/_printvault/mail?to=` answer: SES's sent messages to one address."""
    import json
    from urllib.parse import parse_qs

    from moto.ses.models import ses_backends

    to = parse_qs(environ.get("QUERY_STRING", "")).get("to", [""])[0]
    found = []
    for account in list(ses_backends.values()):
        for backend in list(account.values()):
            for m in list(backend.sent_messages):
                destinations = getattr(m, "destinations", None) or {}
                if to in destinations.get("ToAddresses", []):
                    found.append({"subject": getattr(m, "subject", ""), "body": getattr(m, "body", "")})
    body = json.dumps(found).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


# --iam: access key -> user, and every (user, action, resource) seen.
USERS = {}
RESOURCES = set()
REGION = "us-east-1"
ACCOUNT = "123456789012"
# The item actions a transaction's parts are authorised as.
TRANSACT_PARTS = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
                  "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


def user_of(environ) -> str:
    auth = environ.get("HTTP_AUTHORIZATION", "")
    start = auth.find("Credential=")
    if start < 0:
        return "?"
    key = auth[start + len("Credential="):].split("/", 1)[0]
    return USERS.get(key, key)


def table_arn(table: str, index: str = "") -> str:
    arn = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{table}"
    return f"{arn}/index/{index}" if index else arn


def resources_of(environ, body: dict):
    """(IAM action, resource ARN) pairs a request is authorised by, for
    DynamoDB, SES v2 and Secrets Manager; nothing for other services."""
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if target.startswith("DynamoDB_20120810."):
        op = target.split(".", 1)[1]
        if op in ("TransactWriteItems", "TransactGetItems"):
            for part in body.get("TransactItems", []):
                for kind, action in TRANSACT_PARTS.items():
                    if kind in part:
                        yield f"dynamodb:{action}", table_arn(part[kind].get("TableName", "?"))
        elif op in ("BatchGetItem", "BatchWriteItem"):
            for table in body.get("RequestItems", {}):
                yield f"dynamodb:{op}", table_arn(table)
        elif "TableName" in body:
            yield f"dynamodb:{op}", table_arn(body["TableName"], body.get("IndexName", ""))
    elif target.startswith("secretsmanager."):
        secret = body.get("SecretId", "?")
        if not secret.startswith("arn:"):
            secret = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{secret}"
        yield f"secretsmanager:{target.split('.', 1)[1]}", secret
    elif environ.get("PATH_INFO") == "/v2/email/outbound-emails":
        sender = body.get("FromEmailAddress", "?")
        if "<" in sender:
            sender = sender.split("<", 1)[1].rstrip(">")
        yield "ses:SendEmail", f"arn:aws:ses:{REGION}:{ACCOUNT}:identity/{sender}"
        if body.get("ConfigurationSetName"):
            yield "ses:SendEmail", f"arn:aws:ses:{REGION}:{ACCOUNT}:configuration-set/{body['ConfigurationSetName']}"


def recording(app):
    """`app`, recording what each request of an IAM user touches (see the
    module's doc), with the record at /_printvault/resources."""
    import io
    import json

    lock = threading.Lock()

    def serve(environ, start_response):
        if environ.get("PATH_INFO") == "/_printvault/resources":
            with lock:
                body = json.dumps(sorted(RESOURCES)).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        json_api = environ.get("HTTP_X_AMZ_TARGET", "").startswith(("DynamoDB_", "secretsmanager."))
        if USERS and (json_api or environ.get("PATH_INFO") == "/v2/email/outbound-emails"):
            try:
                length = int(environ.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            raw = environ["wsgi.input"].read(length) if length > 0 else b""
            environ["wsgi.input"] = io.BytesIO(raw)
            try:
                body = json.loads(raw or b"{}")
            except ValueError:
                body = {}
            user = user_of(environ)
            with lock:
                for action, resource in resources_of(environ, body if isinstance(body, dict) else {}):
                    RESOURCES.add((user, action, resource))
        return app(environ, start_response)

    return serve


def counting(app):
    """`app`, counting the requests it serves, with the counts at /_printvault/calls."""
    import json

    counts = {}
    lock = threading.Lock()

    def serve(environ, start_response):
        if environ.get("PATH_INFO") == "/_printvault/calls":
            with lock:
                body = json.dumps(counts).encode()
                if environ.get("REQUEST_METHOD") == "DELETE":
                    counts.clear()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if environ.get("PATH_INFO") == "/_printvault/mail":
            return sent_mail(environ, start_response)
        op = operation(environ)
        with lock:
            counts[op] = counts.get(op, 0) + 1
            if op.startswith("s3:"):
                # Also by bucket ("s3:COPY <bucket>"): tests that share a
                # server count their own stack's requests.
                bucket = environ.get("PATH_INFO", "/").split("/")[1]
                counts[f"{op} {bucket}"] = counts.get(f"{op} {bucket}", 0) + 1
        result = app(environ, start_response)
        if op not in ITEM_READS:
            return result
        body = b"".join(result)
        try:
            answer = json.loads(body or b"{}")
        except ValueError:
            answer = {}
        with lock:
            counts[ITEMS_READ] = counts.get(ITEMS_READ, 0) + items_read(op, answer)
        return [body]

    return serve


def one_at_a_time(app):
    """`app`, serving one request at a time (SQS receives excepted), and timing
    how long it is busy (`/_printvault/busy`)."""
    import json
    import time

    lock = threading.Lock()
    busy = {"seconds": 0.0, "requests": 0}

    def serve(environ, start_response):
        if environ.get("PATH_INFO") == "/_printvault/busy":
            with lock:
                body = json.dumps(busy).encode()
                if environ.get("REQUEST_METHOD") == "DELETE":
                    busy.update(seconds=0.0, requests=0)
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        if is_receive(environ):
            return app(environ, start_response)
        with lock:
            started = time.perf_counter()
            try:
                return whole_body(app, environ, start_response)
            finally:
                busy["seconds"] += time.perf_counter() - started
                busy["requests"] += 1

    return serve


def whole_body(app, environ, start_response):
    """One request's whole response, made now: a body left to be iterated
    later (outside the lock) could still be reading moto's state."""
    body = app(environ, start_response)
    try:
        return [b"".join(body)]
    finally:
        close = getattr(body, "close", None)
        if close is not None:
            close()


def start(serialised: bool):
    """Starts a server in a background thread; returns (port, stop)."""
    if not serialised:
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        _host, port = server.get_host_and_port()
        return port, server.stop
    app = recording(counting(one_at_a_time(DomainDispatcherApplication(create_backend_app))))
    # Threaded, so that kept-alive connections and waiting receives never
    # block the accept loop; the lock does the serialising.
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop():
        server.shutdown()
        thread.join()

    return server.server_port, stop


def enforce_iam(policies_path: str) -> dict:
    """Creates one IAM user per entry of the JSON file (name -> policy
    document), then makes every later request authenticate and be allowed by
    its user's policy. Returns {name: [access key, secret]}.

    The users are made through moto's backend, not over HTTP, so no request
    runs unauthenticated. What moto checks, and what it does not, is in
    docs/deploy.md ("Least privilege")."""
    import json

    from moto import settings
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.iam.models import iam_backends

    backend = iam_backends[DEFAULT_ACCOUNT_ID]["global"]
    with open(policies_path) as f:
        policies = json.load(f)
    keys = {}
    for name, document in policies.items():
        backend.create_user(region_name="us-east-1", user_name=name)
        backend.put_user_policy(name, "policy", json.dumps(document))
        key = backend.create_access_key(name)
        keys[name] = [key.access_key_id, key.secret_access_key]
        USERS[key.access_key_id] = name
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0
    return keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--serialised",
        action="store_true",
        default=os.environ.get("MOTO_SERIALISED") == "1",
        help="handle one request at a time (also MOTO_SERIALISED=1)",
    )
    parser.add_argument(
        "--iam",
        metavar="POLICIES_JSON",
        help="enforce IAM: one user per entry (name -> policy); their keys are printed as MOTO_KEYS=<json>",
    )
    args = parser.parse_args()
    # One line per request drowns the runner's own logs.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port, stop = start(args.serialised)
    if args.iam:
        import json

        print(f"MOTO_KEYS={json.dumps(enforce_iam(args.iam))}", flush=True)
    print(f"MOTO_PORT={port}", flush=True)
    try:
        sys.stdin.read()
    except KeyboardInterrupt:
        pass
    stop()


if __name__ == "__main__":
    main()

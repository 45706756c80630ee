"""sqs_session.py

A boto3 session that serves many calls: reads one JSON request per line on
stdin, {"service", "op", "params"}, makes the call with one boto3 client per
service (built the way call.py builds it: AWS_ENDPOINT_URL and credentials
from the environment) and prints one JSON line per call, in call.py's format:
{"ok": true, "output": {...}} or {"ok": false, "error": {"code", "message",
"status"}}. Starting Python and importing boto3 once per test instead of
once per call keeps the SQS scenarios fast on a loaded machine.
"""

import json
import sys

import boto3
from botocore import xform_name
from botocore.exceptions import ClientError

from call import default

clients = {}
for line in sys.stdin:
    if not line.strip():
        continue
    req = json.loads(line)
    service = req["service"]
    if service not in clients:
        clients[service] = boto3.client(service)
    client = clients[service]
    try:
        out = getattr(client, xform_name(req["op"]))(**(req.get("params") or {}))
    except ClientError as e:
        err = e.response.get("Error", {})
        meta = e.response.get("ResponseMetadata", {})
        res = {"ok": False, "error": {
            "code": err.get("Code", ""),
            "message": err.get("Message", ""),
            "status": meta.get("HTTPStatusCode", 0),
        }}
    else:
        out.pop("ResponseMetadata", None)
        res = {"ok": True, "output": out}
    sys.stdout.write(json.dumps(res, default=default) + "\n")
    sys.stdout.flush()

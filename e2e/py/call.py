"""call.py SERVICE OPERATION [PARAMS_JSON]

Calls one operation with boto3, the way an application would: the client is
built with no endpoint_url, so it finds Fogbank through AWS_ENDPOINT_URL and
the credentials through the environment. Prints one JSON line:
{"ok": true, "output": {...}} or {"ok": false, "error": {"code", "message",
"status"}}; exits 0 either way, so the Go test decides what is expected.
"""

import datetime
import json
import sys

import boto3
from botocore import xform_name
from botocore.exceptions import ClientError


def default(o):
    if isinstance(o, datetime.datetime):
        return o.isoformat()
    if isinstance(o, (bytes, bytearray)):
        return o.decode("utf-8", "replace")
    if hasattr(o, "read"):
        return o.read().decode("utf-8", "replace")
    raise TypeError(f"cannot encode {type(o).__name__}")


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    service, operation = argv[1], argv[2]
    params = json.loads(argv[3]) if len(argv) > 3 else {}
    client = boto3.client(service)
    try:
        out = getattr(client, xform_name(operation))(**params)
    except ClientError as e:
        err = e.response.get("Error", {})
        meta = e.response.get("ResponseMetadata", {})
        print(json.dumps({"ok": False, "error": {
            "code": err.get("Code", ""),
            "message": err.get("Message", ""),
            "status": meta.get("HTTPStatusCode", 0),
        }}))
        return 0
    out.pop("ResponseMetadata", None)
    print(json.dumps({"ok": True, "output": out}, default=default))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Parse HTTP responses with botocore's own response parsers.

Used by the Go package internal/protocol/conformance: it reads one JSON
document on stdin, {"cases": [...]}, where each case carries a suite's
"metadata" and "shapes", the case's "given" operation, and the response a
Fogbank codec wrote ("status_code", "headers", "body_b64", "is_error"). It
writes {"results": [{"id", "parsed"} or {"id", "error"}]} on stdout, one per
case, in order.

The parsed result is fixed up the way botocore's tests/unit/test_protocols.py
does it: ResponseMetadata dropped, bytes decoded as UTF-8, only Code and
Message kept under Error, the members of the modelled error shape merged in,
and timestamps read as epoch seconds. Non-finite floats become the strings
"NaN", "Infinity" and "-Infinity", as the suites write them.

Exit status 3 means botocore is not importable (the Go side skips).
"""

import base64
import json
import math
import sys
from calendar import timegm

try:
    from botocore.awsrequest import HeadersDict
    from botocore.model import NoShapeFoundError, OperationModel, ServiceModel
    from botocore.parsers import PROTOCOL_PARSERS
    from botocore.utils import parse_timestamp
    from dateutil.tz import tzutc
except ImportError as e:  # pragma: no cover
    sys.stderr.write("botocore unavailable: %s\n" % e)
    sys.exit(3)


def timestamp_parser(value):
    dt = parse_timestamp(value).astimezone(tzutc())
    secs = timegm(dt.timetuple())
    if dt.microsecond:
        return round(secs + dt.microsecond / 1e6, 3)
    return int(secs)


def plain(v):
    """Converts a parsed value to something json.dumps writes as strict JSON."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode("utf-8", errors="replace")
    if hasattr(v, "read"):
        return plain(v.read())
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        if math.isinf(v):
            return "Infinity" if v > 0 else "-Infinity"
    return v


def error_shape_for(model, operation_model, code):
    for shape in operation_model.error_shapes:
        if shape.name == code or shape.error_code == code:
            return shape
    try:
        return model.shape_for(code)
    except NoShapeFoundError:
        return None


def parse_case(case):
    given = case["given"]
    name = given.get("name", "OperationName")
    description = {
        "metadata": case["metadata"],
        "shapes": case["shapes"],
        "operations": {name: given},
    }
    model = ServiceModel(description)
    operation_model = OperationModel(given, model, name)
    parser = PROTOCOL_PARSERS[model.metadata["protocol"]](timestamp_parser=timestamp_parser)
    response = {
        "status_code": case["status_code"],
        "headers": HeadersDict(case["headers"]),
        "body": base64.b64decode(case["body_b64"]),
        "context": {"operation_name": name},
    }
    parsed = parser.parse(response, operation_model.output_shape)
    if case.get("is_error") and "Error" in parsed:
        shape = error_shape_for(model, operation_model, parsed["Error"].get("Code"))
        if shape is not None:
            parsed.update(parser.parse(response, shape))
    parsed.pop("ResponseMetadata", None)
    if "Error" in parsed:
        parsed["Error"] = {k: v for k, v in parsed["Error"].items() if k in ("Code", "Message")}
    return plain(parsed)


def main():
    doc = json.load(sys.stdin)
    results = []
    for case in doc["cases"]:
        try:
            results.append({"id": case["id"], "parsed": parse_case(case)})
        except Exception as e:  # report per case, keep going
            results.append({"id": case["id"], "error": "%s: %s" % (type(e).__name__, e)})
    json.dump({"results": results}, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()

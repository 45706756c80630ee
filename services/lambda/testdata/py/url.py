# A function URL handler for services/lambda's tests; the request's path
# picks the answer, so one function covers every response mapping.
import base64
import json


def handler(event, context):
    path = event.get("rawPath", "")
    if path.startswith("/echo"):
        return {
            "statusCode": 200,
            "headers": {"content-type": "application/json", "x-seen": "1", "access-control-allow-origin": "https://fn.example"},
            "cookies": ["a=1; Path=/", "b=2"],
            "body": json.dumps({"event": event, "version": context.function_version, "requestId": context.aws_request_id}),
        }
    if path == "/plain":
        return {"hello": "world"}
    if path == "/string":
        return "hi there"
    if path == "/created":
        return {"statusCode": 201, "headers": {"content-type": "text/plain", "location": "/thing/1"}, "body": "made"}
    if path == "/binary":
        return {
            "statusCode": 200,
            "headers": {"content-type": "application/octet-stream"},
            "body": base64.b64encode(bytes(range(256))).decode(),
            "isBase64Encoded": True,
        }
    if path == "/return":
        # The recorded AWS cases: whatever the request body holds is the
        # function's return value.
        return json.loads(event["body"])
    if path == "/error":
        raise RuntimeError("handler failed")
    if path == "/bad":
        return {"statusCode": "not a number"}
    return {"statusCode": 404, "body": "no route " + path}

# A Python handler for services/lambda's tests; the event's "op" picks a behaviour.
import json
import os
import time


def handler(event, context):
    op = event.get("op", "echo") if isinstance(event, dict) else "echo"
    if op == "echo":
        return {
            "event": event,
            "name": context.function_name,
            "version": context.function_version,
            "arn": context.invoked_function_arn,
            "requestId": context.aws_request_id,
            "env": os.environ.get("MARK", ""),
        }
    if op == "print":
        print("hello from python:", event.get("msg"))
        return "printed"
    if op == "error":
        raise ValueError(event.get("msg", "boom"))
    if op == "sleep":
        time.sleep(event["ms"] / 1000.0)
        return "slept"
    if op == "hold":
        open(event["path"], "w").close()
        time.sleep(event["ms"] / 1000.0)
        return "held"
    if op == "exit":
        os._exit(3)
    if op == "touch":
        with open(event["path"], "w") as f:
            f.write(context.aws_request_id)
        return "touched"
    if op == "layer":
        import helper  # from the layer's python/ directory

        return helper.VALUE
    if op == "sqs":
        import boto3  # bundled in Lambda's Python runtimes, as here

        sqs = boto3.client("sqs")
        out = sqs.send_message(QueueUrl=event["queue"], MessageBody=event["body"])
        return {"messageId": out["MessageId"]}
    return {"unknown": op}

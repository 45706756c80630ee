import json
import logging
import os
import sys
import time

started = time.time()
cold = {"n": 0}


def handler(event, context):
    cold["n"] += 1
    op = event.get("op")
    if op == "echo":
        return event
    if op == "print":
        print("hello from python:", event.get("msg"))
        logging.getLogger().warning("warned %s", event.get("msg"))
        return "printed"
    if op == "error":
        raise ValueError(event.get("msg"))
    if op == "sleep":
        time.sleep(event["ms"] / 1000.0)
        return "slept"
    if op == "exit":
        os._exit(3)
    if op == "ctx":
        return {
            "aws_request_id": context.aws_request_id,
            "function_name": context.function_name,
            "function_version": context.function_version,
            "invoked_function_arn": context.invoked_function_arn,
            "memory_limit_in_mb": context.memory_limit_in_mb,
            "log_group_name": context.log_group_name,
            "log_stream_name": context.log_stream_name,
            "remaining": context.get_remaining_time_in_millis(),
            "client_custom": context.client_context.custom if context.client_context else None,
            "cognito": context.identity.cognito_identity_id,
            "invocations": cold["n"],
            "pid": os.getpid(),
        }
    if op == "env":
        d = dict(os.environ)
        d["PWD"] = os.getcwd()
        d["sys.version"] = sys.version
        return d
    if op == "boto3":
        import boto3
        return boto3.__version__
    if op == "endpoint":
        import boto3
        return boto3.client("sqs").meta.endpoint_url
    if op == "tool":
        import subprocess
        return subprocess.run(["layertool"], capture_output=True, text=True).stdout.strip()
    if op == "layer":
        import layermod
        return layermod.VALUE
    if op == "tmp":
        import tempfile
        with tempfile.NamedTemporaryFile(delete=False) as f:
            f.write(b"x")
            return f.name
    if op == "mem":
        b = bytearray(event["mb"] << 20)
        for i in range(0, len(b), 4096):
            b[i] = 1
        return len(b)
    if op == "set":
        return {"a": {1, 2}}
    return {"unknown": op}

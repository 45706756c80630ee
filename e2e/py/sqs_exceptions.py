"""sqs_exceptions.py

Provokes SQS errors with boto3, the way an application meets them, and
prints one JSON object mapping each check to the name of the modeled
exception class boto3 raised (client.exceptions.QueueDoesNotExist, ...), or
to "no error" / "ClientError <code>" when it raised none of them. The Go
test (sqs_test.go) decides what is expected. Finds Fogbank through
AWS_ENDPOINT_URL, like call.py.
"""

import json
import sys

import boto3
from botocore.exceptions import ClientError

sqs = boto3.client("sqs")
ex = sqs.exceptions
MODELED = [
    "QueueDoesNotExist",
    "QueueNameExists",
    "ReceiptHandleIsInvalid",
    "TooManyEntriesInBatchRequest",
    "EmptyBatchRequest",
    "BatchEntryIdsNotDistinct",
    "PurgeQueueInProgress",
    "InvalidAttributeName",
]


def raised(fn):
    try:
        fn()
    except tuple(getattr(ex, n) for n in MODELED) as e:
        return type(e).__name__
    except ClientError as e:
        return "ClientError " + e.response.get("Error", {}).get("Code", "")
    return "no error"


results = {}
url = sqs.create_queue(QueueName="e2e-exceptions", Attributes={"DelaySeconds": "1"})["QueueUrl"]
gone = sqs.create_queue(QueueName="e2e-exceptions-gone")["QueueUrl"]
sqs.delete_queue(QueueUrl=gone)

results["get_queue_url_missing"] = raised(lambda: sqs.get_queue_url(QueueName="e2e-no-such-queue"))
results["send_to_deleted_queue"] = raised(lambda: sqs.send_message(QueueUrl=gone, MessageBody="x"))
results["create_different_attrs"] = raised(
    lambda: sqs.create_queue(QueueName="e2e-exceptions", Attributes={"DelaySeconds": "2"})
)
results["delete_garbage_handle"] = raised(lambda: sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage"))
results["batch_too_many_entries"] = raised(
    lambda: sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": str(i), "MessageBody": "m"} for i in range(11)]
    )
)
results["batch_empty"] = raised(lambda: sqs.send_message_batch(QueueUrl=url, Entries=[]))
results["batch_duplicate_ids"] = raised(
    lambda: sqs.send_message_batch(
        QueueUrl=url, Entries=[{"Id": "same", "MessageBody": "a"}, {"Id": "same", "MessageBody": "b"}]
    )
)
sqs.purge_queue(QueueUrl=url)
results["purge_twice"] = raised(lambda: sqs.purge_queue(QueueUrl=url))

json.dump(results, sys.stdout)
print()

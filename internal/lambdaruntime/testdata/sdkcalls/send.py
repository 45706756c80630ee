# Sends the event's message to the event's queue through boto3, as bundled in Lambda's Python
# runtimes, with no endpoint or credentials in code.
import boto3

sqs = boto3.client("sqs")


def handler(event, context):
    out = sqs.send_message(QueueUrl=event["queueUrl"], MessageBody=event["body"])
    return {"messageId": out["MessageId"]}
